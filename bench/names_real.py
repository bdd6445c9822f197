"""Stripped real plans restored with and without the family-name prior (normalizers/restore/family_names.py).

Run:  .venv/bin/python bench/names_real.py [--out FILE]

The real development set's accented texts (samples/real/text), folded (no marks) and restored by
`restore_text` as `bench/restore_bench.py` does: syllable accuracy with the prior and with the name model's
first-syllable prior left as the syllable model's (stop 24), and every line the two restore differently.
Each reading runs in a process of its own, so neither sees the other's caches.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def restored(without_prior: bool) -> tuple[list[str], list[str], int, int]:
    """(reference lines, restored lines, syllables, right) in this process."""
    sys.path.insert(0, str(ROOT / "bench"))
    import restore_bench

    from normalizers.restore import names
    from normalizers.restore.syllables import fold

    if without_prior:
        names.first_syllable_prior = lambda forms, prior: prior
    refs = restore_bench.accented_lines(sorted((ROOT / "samples" / "real" / "text").glob("*.txt")))
    outs = restore_bench.ours([fold(line) for line in refs])
    score = restore_bench.Score()
    restore_bench.score_lines(refs, outs, score)
    return refs, outs, score.syllables, score.correct


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=pathlib.Path, default=None)
    parser.add_argument("--child", choices=("with", "without"), default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        json.dump(restored(args.child == "without"), sys.stdout, ensure_ascii=False)
        return
    runs = {}
    for mode in ("without", "with"):
        proc = subprocess.run(
            [sys.executable, __file__, "--child", mode], capture_output=True, text=True, check=True, cwd=ROOT
        )
        runs[mode] = json.loads(proc.stdout)
    lines = [
        "| stripped real plans (samples/real/text) | syllables | right |",
        "|---|---|---|",
        *(
            f"| {label} | {runs[m][2]:,} | {runs[m][3]:,} ({100 * runs[m][3] / runs[m][2]:.2f}%) |"
            for m, label in (("without", "without the family-name prior"), ("with", "with it"))
        ),
        "",
        "Restored differently:",
        "",
    ]
    refs, without, with_ = runs["without"][0], runs["without"][1], runs["with"][1]
    lines += [f"- `{r}`: without `{a}`, with `{b}`" for r, a, b in zip(refs, without, with_, strict=True) if a != b]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
