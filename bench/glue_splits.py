"""Which tokens the bare-glue step splits (normalizers/restore/bare_glue.py), on text it should not touch.

Run:  .venv/bin/python bench/glue_splits.py [--corpus-dir CORPUS] [--out FILE]

Text sets, each as a whole document (the document's own words written apart are the step's evidence):
  - the 21 real plans' reference texts (samples/real/text), accented and stripped (`fold`, as
    bench/restore_bench.py strips them);
  - with --corpus-dir, the held-out corpus documents (normalizers/restore/model/holdout.json),
    accented and stripped.
Two columns of splits: what the product does (`split_bare_glued`, which acts only on a page without
marks, so accented text is never split), and what the model would decide on every candidate if the
page gate were off (`glue_cuts` on the text as is). Every split token is listed with its count, so a
reader can tell the glue the source itself has (`vukiem`, `dulieu` in a converter's text) from a
foreign word or a code split by mistake. Nothing is written under bench/results unless --out says so.
"""

from __future__ import annotations

import argparse
import bisect
import json
import pathlib
import re
import sys
from collections import Counter
from dataclasses import dataclass, field

ROOT = pathlib.Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from normalizers.restore import _get_engine, document_phrases, split_bare_glued  # noqa: E402
from normalizers.restore.bare_glue import _candidate, _caps_line, glue_cuts, segmentations  # noqa: E402
from normalizers.restore.corpus import iter_documents  # noqa: E402
from normalizers.restore.lexer import split_token  # noqa: E402
from normalizers.restore.syllables import fold, is_syllable  # noqa: E402
from normalizers.restore.train import MODEL_DIR  # noqa: E402
from normalizers.tone import normalize_tone_style  # noqa: E402

_TOKEN = re.compile(r"\S+")


def candidates(text: str) -> int:
    """Tokens that are no syllable but read as 2–3 bare syllables: what the step looks at."""
    n = 0
    for line in text.split("\n"):
        cores = [split_token(t)[1] for t in line.split()]
        caps = _caps_line(cores)
        n += sum(1 for c in cores if _candidate(c, caps) and segmentations(fold(c.lower())))
    return n


def cut_tokens(text: str, cuts: list[int]) -> list[tuple[int, str]]:
    """(token number, token as written) of the tokens of `text` the cuts fall in, one entry each."""
    spans = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    starts = [a for a, _ in spans]
    hit = sorted({bisect.bisect_right(starts, cut) - 1 for cut in cuts})
    return [(k, text[spans[k][0] : spans[k][1]]) for k in hit]


def source_glue(reference: str, k: int) -> bool:
    """Whether the accented reference's token number k runs words together itself (`dữliệu`)."""
    tokens = reference.split()
    core = split_token(tokens[k])[1].lower() if k < len(tokens) else ""
    return bool(core) and core.isalpha() and not is_syllable(normalize_tone_style(core))


def inserted(new: str, index: list[int]) -> list[int]:
    """Where split_bare_glued put a space: a space of the new text that points, like the letter after
    it, at the same character of the old one."""
    return [index[i] for i, ch in enumerate(new) if ch == " " and index[i] == index[i + 1]]


@dataclass
class Splits:
    words: int = 0
    candidates: int = 0
    product: Counter[str] = field(default_factory=Counter)
    ungated: Counter[str] = field(default_factory=Counter)
    source_glue: int = 0  # of the product's splits, tokens the accented source runs together too


def measure(docs: list[str], references: list[str] | None) -> Splits:
    restorer = _get_engine().restorer
    out = Splits()
    for d, doc in enumerate(docs):
        out.words += len(doc.split())
        out.candidates += candidates(doc)
        apart = document_phrases([doc])
        new, index = split_bare_glued(doc, apart)
        for k, token in cut_tokens(doc, inserted(new, index)):
            out.product[token] += 1
            out.source_glue += references is not None and source_glue(references[d], k)
        out.ungated.update(token for _, token in cut_tokens(doc, glue_cuts(restorer, doc, apart)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus-dir", type=pathlib.Path, default=None)
    parser.add_argument("--out", type=pathlib.Path, default=None)
    args = parser.parse_args()

    sets: list[tuple[str, list[str], list[str] | None]] = []
    real = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples" / "real" / "text").glob("*.txt"))]
    sets += [("real plans (21), accented", real, None), ("real plans (21), stripped", [fold(t) for t in real], real)]
    if args.corpus_dir is not None:
        manifest = json.loads((MODEL_DIR / "holdout.json").read_text(encoding="utf-8"))
        wanted = {(h["file"], h["doc_index"]) for h in manifest["held_out"]}
        held = [
            doc
            for path in sorted(args.corpus_dir.glob("*.xz"))
            for i, doc in enumerate(iter_documents(path))
            if (path.name, i) in wanted
        ]
        sets += [
            (f"held-out corpus documents ({len(held)}), accented", held, None),
            (f"held-out corpus documents ({len(held)}), stripped", [fold(t) for t in held], held),
        ]

    lines = [
        "| text | words | candidates | split by the product | of them no syllable in the accented source either |"
        " split with the page gate off |",
        "|---|---|---|---|---|---|",
    ]
    details: list[str] = []
    for name, docs, references in sets:
        m = measure(docs, references)
        glue = str(m.source_glue) if references is not None else "—"
        n_product, n_ungated = sum(m.product.values()), sum(m.ungated.values())
        lines.append(f"| {name} | {m.words:,} | {m.candidates:,} | {n_product} | {glue} | {n_ungated} |")
        for label, counts in (("product", m.product), ("gate off", m.ungated)):
            if counts:
                listed = ", ".join(f"`{t}` ×{n}" if n > 1 else f"`{t}`" for t, n in counts.most_common())
                details.append(f"- {name}, {label}: {listed}")
    text = "\n".join(lines) + ("\n\nSplit tokens:\n\n" + "\n".join(details) if details else "") + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
