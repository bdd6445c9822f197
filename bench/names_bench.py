"""Names printed without marks: the syllable model alone vs with the name model (normalizers/restore/names.py).

Run:  .venv/bin/python bench/names_bench.py --corpus-dir CORPUS [--out FILE]

The test names are the name runs (`names.name_runs`: 2–4 capitalized syllables closing a clause, after a
word in small letters or alone on their line) of the held-out corpus documents (every 25th document of
each file, normalizers/restore/model/holdout.json), which neither model learned from; each distinct run
of a document once. Each is stripped of its marks and restored as a line of its own, as a signer line
is: by the syllable model alone (`old`), and by `names.read_name` (`new`). Printed: syllable accuracy
and whole names right, for all runs and for runs of 3–4 syllables (mostly people); and every name the
two read differently.

Columns: the syllable model alone (`old`), the name model without the family-name prior
(normalizers/restore/family_names.py; what stop 24 shipped), and the name model as it is (`new`).
`--faker-vi FILE` adds names from a source neither the corpus nor the evaluation sets hold: the Vietnamese
locale of the npm package @faker-js/faker (MIT; `npm pack @faker-js/faker`, then its
`package/dist/vi-*.js` holding `last_name`): each of its family names with every 40th of its given
names (two syllables: 3-word names).
"""

from __future__ import annotations

import argparse
import json
import pathlib
import re
import sys
from collections.abc import Callable

ROOT = pathlib.Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from normalizers.restore import _get_engine  # noqa: E402
from normalizers.restore import names as names_module  # noqa: E402
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


def faker_names(path: pathlib.Path) -> list[list[str]]:
    """Family name × every 40th given name of @faker-js/faker's vi locale (lower case, marks kept)."""
    text = path.read_text(encoding="utf-8")

    def listed(pattern: str) -> list[str]:
        return [w for m in re.finditer(pattern + r":`([^`]*)`", text) for w in m.group(1).split(".")]

    family = listed(r"last_name:\{generic")
    start = text.index("first_name:{")
    block = text[start : text.index("last_name:{", start)]
    given = sorted({g for m in re.finditer(r":`([^`]*)`", block) for g in m.group(1).split(".") if len(g.split()) == 2})
    return [normalize_tone_style(f"{f} {g}").lower().split() for f in family for g in given[::40]]


def without_family_prior(fn: Callable[[list[str]], list[str]]) -> Callable[[list[str]], list[str]]:
    """`fn` with the name model's first-syllable prior left as the syllable model's (stop 24's name model)."""

    def run(words: list[str]) -> list[str]:
        saved = names_module.first_syllable_prior
        names_module.first_syllable_prior = lambda forms, prior: prior
        try:
            return fn(words)
        finally:
            names_module.first_syllable_prior = saved

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus-dir", type=pathlib.Path, required=True)
    parser.add_argument("--out", type=pathlib.Path, default=None)
    parser.add_argument("--faker-vi", type=pathlib.Path, default=None, help="@faker-js/faker's dist/vi-*.js")
    args = parser.parse_args()
    engine = _get_engine()
    restorer, names = engine.restorer, engine.names
    if names is None:
        raise SystemExit("no name model (normalizers/restore/model/names.json): vnplan train-restorer --names")

    def old(words: list[str]) -> list[str]:
        return [w.lower() for w in restorer.restore_tokens(words, restorer.plain_choice)]

    def new(words: list[str]) -> list[str]:
        return [w.lower() for w in read_name(restorer, names, words)]

    stop24 = without_family_prior(new)
    systems = (("old", old), ("stop24", stop24), ("new", new))
    sets: list[tuple[str, list[list[str]]]] = [("held-out corpus documents", held_out_names(args.corpus_dir))]
    if args.faker_vi:
        sets.append(("@faker-js/faker vi: family × given name", faker_names(args.faker_vi)))
    lines = [
        "| names | count | syllable model alone: syllables / names | name model without the family-name prior "
        "| with the name model |",
        "|---|---|---|---|---|",
    ]
    differ: list[str] = []
    for source, runs in sets:
        # Each system reads each distinct name once.
        read = {
            system: {tuple(r): fn([fold(w).capitalize() for w in r]) for r in map(tuple, runs)}
            for system, fn in systems
        }
        for label, keep in (
            ("all runs", lambda r: True),
            ("runs of 2 syllables (not read with the name model in the product)", lambda r: len(r) == 2),
            ("runs of 3–4 syllables (signer lines: read with the name model)", lambda r: len(r) >= 3),
        ):
            chosen = [r for r in runs if keep(r)]
            if not chosen:
                continue
            scores = {}
            for system, _ in systems:
                syllables = right = whole = 0
                for run in chosen:
                    out = read[system][tuple(run)]
                    syllables += len(run)
                    right += sum(a == b for a, b in zip(out, run, strict=True))
                    whole += out == run
                scores[system] = f"{100 * right / syllables:.1f}% / {100 * whole / len(chosen):.1f}%"
            lines.append(
                f"| {source}: {label} | {len(chosen)} | {scores['old']} | {scores['stop24']} | {scores['new']} |"
            )
        differ.append(f"\n{source}:\n")
        for run in runs:
            a, b, c = (read[system][tuple(run)] for system in ("old", "stop24", "new"))
            if a != c or b != c:
                mark = "new right" if c == run else "old right" if a == run else "both wrong"
                differ.append(
                    f"- {' '.join(run)}: old `{' '.join(a)}`, without the prior `{' '.join(b)}`, new `{' '.join(c)}` "
                    f"({mark})"
                )
    text = "\n".join(lines) + "\n\nRead differently:\n\n" + "\n".join(differ) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
