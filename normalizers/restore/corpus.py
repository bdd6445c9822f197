"""Read the accented training corpus and clean its quirks into token sequences.

Quirks handled: mixed tone placement (→ hòa/thủy), hard line wraps (a line not ending a clause,
followed by one starting in lower case, continues it), and mostly unaccented lines (file names,
codes) which teach the model that plain letters are words.
"""

from __future__ import annotations

import hashlib
import lzma
import pathlib
import re
from collections.abc import Iterator

from normalizers.restore.syllables import fold
from normalizers.tone import normalize_tone_style

_WORD = re.compile(r"[^\W\d_]+")
_CLAUSE_END = (".", ":", ";", "!", "?")


def open_text(path: pathlib.Path) -> Iterator[str]:
    opener = lzma.open if path.suffix == ".xz" else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as fh:
        yield from fh


def iter_documents(path: pathlib.Path) -> Iterator[str]:
    """Documents of one corpus file, split at form-feed lines."""
    buf: list[str] = []
    for line in open_text(path):
        if "\f" in line:
            head, _, tail = line.partition("\f")
            buf.append(head)
            yield "".join(buf)
            buf = [tail]
        else:
            buf.append(line)
    if any(s.strip() for s in buf):
        yield "".join(buf)


def doc_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def accented_share(line: str) -> tuple[int, float]:
    """(number of letter words, share of them carrying any diacritic)."""
    words = _WORD.findall(line)
    if not words:
        return 0, 0.0
    marked = sum(1 for w in words if fold(w) != w)
    return len(words), marked / len(words)


def is_mostly_unaccented(line: str) -> bool:
    n, share = accented_share(line)
    return n >= 3 and share < 0.25


def paragraphs(text: str) -> Iterator[list[str]]:
    """Groups of physical lines that form one running text (hard wraps joined)."""
    group: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            if group:
                yield group
                group = []
            continue
        if group and (group[-1].endswith(_CLAUSE_END) or not _continues(line)):
            yield group
            group = []
        group.append(line)
    if group:
        yield group


def _continues(line: str) -> bool:
    first = line[0]
    return first.islower() or first in "(,;"


def clean_document(text: str) -> Iterator[list[str]]:
    """Paragraphs of a document, tone style normalized, unaccented lines dropped."""
    text = normalize_tone_style(text)
    for group in paragraphs(text):
        kept = [line for line in group if not is_mostly_unaccented(line)]
        if kept:
            yield kept
