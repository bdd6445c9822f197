"""Names printed without marks: the syllable model alone vs with the name model (normalizers/restore/names.py).

Run:  .venv/bin/python bench/names_bench.py --corpus-dir CORPUS [--out FILE]

The test names are the name runs (`names.name_runs`: 2–4 capitalized syllables closing a clause, after a
word in small letters or alone on their line) of the held-out corpus documents (every 25th document of
each file, normalizers/restore/model/holdout.json), which neither model learned from; each distinct run
of a document once. Each is stripped of its marks and restored as a line of its own, as a signer line
is: by the syllable model alone (`old`), and by `names.read_name` (`new`). Printed: syllable accuracy
and whole names right, for all runs and for runs of 3–4 syllables (mostly people); and every name the
two read differently.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from normalizers.restore import _get_engine  # noqa: E402
from normalizers.restore.corpus import iter_documents  # noqa: E402
from normalizers.restore.names import name_runs, read_name  # noqa: E402
from normalizers.restore.syllables import fold  # noqa: E402
from normalizers.restore.train import MODEL_DIR  # noqa: E402
from normalizers.tone import normalize_tone_style  # noqa: E402


def held_out_names(corpus_dir: pathlib.Path) -> list[list[str]]:
    manifest = json.loads((MODEL_DIR / "holdout.json").read_text(encoding="utf-8"))
    wanted = {(h["file"], h["doc_index"]) for h in manifest["held_out"]}
    runs: list[list[str]] = []
    for path in sorted(corpus_dir.glob("*.xz")):
        for i, doc in enumerate(iter_documents(path)):
            if (path.name, i) in wanted:
                distinct = {tuple(r) for r in name_runs(normalize_tone_style(doc))}
                runs.extend(list(r) for r in sorted(distinct))
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus-dir", type=pathlib.Path, required=True)
    parser.add_argument("--out", type=pathlib.Path, default=None)
    args = parser.parse_args()
    engine = _get_engine()
    restorer, names = engine.restorer, engine.names
    if names is None:
        raise SystemExit("no name model (normalizers/restore/model/names.json): vnplan train-restorer --names")

    def old(words: list[str]) -> list[str]:
        return [w.lower() for w in restorer.restore_tokens(words, restorer.plain_choice)]

    def new(words: list[str]) -> list[str]:
        return [w.lower() for w in read_name(restorer, names, words)]

    runs = held_out_names(args.corpus_dir)
    lines = [
        "| names (held-out corpus documents) | count | syllable model alone: syllables / names | with the name model |",
        "|---|---|---|---|",
    ]
    differ: list[str] = []
    for label, keep in (
        ("all runs", lambda r: True),
        ("runs of 2 syllables (not read with the name model in the product)", lambda r: len(r) == 2),
        ("runs of 3–4 syllables (signer lines: read with the name model)", lambda r: len(r) >= 3),
    ):
        chosen = [r for r in runs if keep(r)]
        scores = {}
        for system, fn in (("old", old), ("new", new)):
            syllables = right = whole = 0
            for run in chosen:
                out = fn([fold(w).capitalize() for w in run])
                syllables += len(run)
                right += sum(a == b for a, b in zip(out, run, strict=True))
                whole += out == run
            scores[system] = f"{100 * right / syllables:.1f}% / {100 * whole / len(chosen):.1f}%"
        lines.append(f"| {label} | {len(chosen)} | {scores['old']} | {scores['new']} |")
    for run in runs:
        words = [fold(w).capitalize() for w in run]
        a, b = old(words), new(words)
        if a != b:
            mark = "new right" if b == run else "old right" if a == run else "both wrong"
            differ.append(f"- {' '.join(run)}: old `{' '.join(a)}`, new `{' '.join(b)}` ({mark})")
    text = "\n".join(lines) + "\n\nRead differently:\n\n" + "\n".join(differ) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
