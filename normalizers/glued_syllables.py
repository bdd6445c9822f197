"""Syllables a converter ran together (`nhiệm vụchính trị`, `Ban Thường vụĐảng ủy`) set apart again.

Vietnamese writes every syllable apart, and a syllable carries one vowel nucleus with at most one tone
mark, so a run of letters with Vietnamese marks that is no syllable, but reads as two to four of them
one after another, is syllables glued by a PDF-to-text converter (PyMuPDF and others drop the space
between words set in different runs). Letters without Vietnamese marks are never split: they may be an
abbreviation, a code or a foreign word. OCR'd pages are left alone: their odd tokens are misreadings,
which the post-OCR correction handles.
"""

from __future__ import annotations

import re
from functools import lru_cache

from normalizers.restore.syllables import is_syllable
from normalizers.tone import normalize_tone_style

_LETTERS = re.compile(r"[^\W\d_]{3,30}")
_VIETNAMESE_MARKED = frozenset("àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ")
_MAX_PARTS = 4


def _reads(piece: str) -> bool:
    """A syllable in either tone-mark style: `uỷ` as well as `ủy` (a converter's text keeps its source's style,
    and a glued run escapes the style normalization that whole words get)."""
    return is_syllable(piece) or is_syllable(normalize_tone_style(piece))


@lru_cache(maxsize=65536)
def _segment(word: str, parts: int) -> tuple[int, ...] | None:
    """Cut points splitting `word` (lower case) into exactly `parts` syllables, each first syllable as
    short as it can be (an onset takes its whole cluster: `cá|nhân`, not `cán|hân`); None if none reads."""
    if parts == 1:
        return () if _reads(word) else None
    for cut in range(1, len(word)):
        if _reads(word[:cut]):
            tail = _segment(word[cut:], parts - 1)
            if tail is not None:
                return (cut, *(cut + t for t in tail))
    return None


def _cuts(token: str) -> tuple[int, ...]:
    lower = token.lower()
    if not _VIETNAMESE_MARKED.intersection(lower) or _reads(lower):
        return ()
    # the fewest syllables first: `ủy|chủ`, not `ủ|y|chủ`
    return next((cuts for parts in range(2, _MAX_PARTS + 1) if (cuts := _segment(lower, parts))), ())


def vietnamese_pair(before: str, after: str) -> bool:
    """Two Vietnamese syllables, one of them with Vietnamese marks (`trị`, `xã`): words of their own, so a hyphen
    between them at a line end is the compound's (`chính trị-` / `xã hội`), not a word cut in two."""
    words = (before.lower(), after.lower())
    return all(_reads(w) for w in words) and bool(_VIETNAMESE_MARKED.intersection("".join(words)))


def split_glued(text: str) -> tuple[str, list[int]]:
    """The text with glued syllables set apart, and the index of each of its characters in `text`
    (an inserted space points at the letter after it), plus one for the end."""
    pieces: list[str] = []
    index: list[int] = []
    done = 0
    for m in _LETTERS.finditer(text):
        cuts = _cuts(m.group())
        if not cuts:
            continue
        pieces.append(text[done : m.start()])
        index.extend(range(done, m.start()))
        previous = 0
        for cut in (*cuts, len(m.group())):
            if previous:
                pieces.append(" ")
                index.append(m.start() + previous)
            pieces.append(m.group()[previous:cut])
            index.extend(range(m.start() + previous, m.start() + cut))
            previous = cut
        done = m.end()
    if not pieces:
        return text, list(range(len(text) + 1))
    pieces.append(text[done:])
    index.extend(range(done, len(text) + 1))
    return "".join(pieces), index
