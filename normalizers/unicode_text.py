"""Unicode-level helpers: NFC with an offset map, Vietnamese letter classes, text-layer quality.

Offset maps ("index maps") here are lists `m` with len(new_text) + 1 entries where m[i] is the
index in the old text of new_text[i] (the last entry maps the end). Repair composes them so every
character of the repaired text points back into the raw page text.
"""

from __future__ import annotations

import re
import unicodedata

_TONE_MARKS = ("\u0300", "\u0301", "\u0303", "\u0309", "\u0323")  # huyền sắc ngã hỏi nặng
_VOWELS = "aăâeêioôơuưy"


def _vietnamese_letters() -> frozenset[str]:
    letters = set("đĐ")
    for base in _VOWELS + _VOWELS.upper():
        letters.add(base)
        for mark in _TONE_MARKS:
            letters.add(unicodedata.normalize("NFC", base + mark))
    return frozenset(letters)


VIETNAMESE_LETTERS = _vietnamese_letters()
# Letters only Vietnamese writes (not plain ASCII): what a Vietnamese text layer is full of.
VIETNAMESE_MARKED = frozenset(c for c in VIETNAMESE_LETTERS if not c.isascii())
# Non-ASCII punctuation a Vietnamese document legitimately uses.
_ALLOWED_SYMBOLS = frozenset("“”‘’–—…•°±×÷§«»·€¦≤≥→√∙●○■□▪")

_CID = re.compile(r"\(cid:\d+\)")
_WORD = re.compile(r"[^\W\d_]+")


def nfc_mapped(text: str) -> tuple[str, list[int]]:
    """NFC of `text` and its index map (each composed character maps to its base character)."""
    if unicodedata.is_normalized("NFC", text):
        return text, list(range(len(text) + 1))
    out: list[str] = []
    index_map: list[int] = []
    # Normalize cluster by cluster (a base and its combining marks) so offsets stay local.
    start = 0
    n = len(text)
    while start < n:
        end = start + 1
        while end < n and unicodedata.combining(text[end]):
            end += 1
        piece = unicodedata.normalize("NFC", text[start:end])
        out.append(piece)
        index_map.extend([start] * len(piece) if len(piece) != end - start else range(start, end))
        start = end
    index_map.append(n)
    return "".join(out), index_map


# OCR and some fonts give the Icelandic eth (Ð U+00D0, ð U+00F0) for Vietnamese Đ/đ (U+0110/U+0111), and
# OCR sometimes reads one Đ twice (`ĐÐA`). Vietnamese has no eth and never doubles Đ.
_ETH_RUN = re.compile(r"[ĐÐ]{2,}|[đð]{2,}|[Ðð]")


def eth_mapped(text: str) -> tuple[str, list[int]]:
    """`text` with lookalike eths made Đ/đ and doubled Đ collapsed, and its index map."""
    if not _ETH_RUN.search(text):
        return text, list(range(len(text) + 1))
    out: list[str] = []
    index_map: list[int] = []
    pos = 0
    for m in _ETH_RUN.finditer(text):
        out.append(text[pos : m.start()])
        index_map.extend(range(pos, m.start()))
        out.append("Đ" if m.group(0)[0] in "ĐÐ" else "đ")
        index_map.append(m.start())
        pos = m.end()
    out.append(text[pos:])
    index_map.extend(range(pos, len(text) + 1))
    return "".join(out), index_map


def fix_lookalike_eth(text: str) -> str:
    """`06-ĐÐA/TU` → `06-ĐA/TU`, `Ðề án` → `Đề án` (see eth_mapped)."""
    return eth_mapped(text)[0]


def text_layer_problem(text: str) -> str | None:
    """Why a PDF text layer cannot be used as Vietnamese text, or None when it can.

    Character statistics only, no word list: unmapped glyphs (`(cid:x)`, U+FFFD, private-use and
    control characters), legacy TCVN3/VNI font bytes (Latin-1 letters and symbols Vietnamese never
    uses), or running text without any Vietnamese marked letter.
    """
    chars = [c for c in text if not c.isspace()]
    if len(chars) < 20:
        return "no text layer"
    n = len(chars)
    cids = len(_CID.findall(text))
    if cids * 6 > n * 0.05:  # each "(cid:12)" hides one glyph
        return "unmapped glyphs (cid)"
    unmapped = sum(1 for c in chars if c == "\ufffd" or "\ue000" <= c <= "\uf8ff" or unicodedata.category(c) == "Cc")
    if unmapped > n * 0.05:
        return "unmapped glyphs"
    letters = [c for c in chars if c.isalpha()]
    if not letters:
        return None  # numbers and punctuation only: nothing to judge, keep what is there
    legacy = sum(
        1 for c in chars if "\u0080" <= c <= "\u024f" and c not in VIETNAMESE_LETTERS and c not in _ALLOWED_SYMBOLS
    )
    if legacy > len(letters) * 0.03:
        return "legacy font encoding (TCVN3/VNI)"
    words = _WORD.findall(text)
    if len(words) >= 30:
        marked = sum(1 for w in words if any(c in VIETNAMESE_MARKED for c in w))
        if marked < len(words) * 0.15:
            return "no Vietnamese letters"
    return None
