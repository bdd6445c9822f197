"""When to restore: per page (does it look English-OCR'd?) and per line (does it lack marks?).

Correct Vietnamese carries a mark on roughly half of its syllables, so a line where almost no
syllable is marked lost them; a page whose words mix digits or symbols into letters (`s6`, `B§`)
or carry marks no Vietnamese syllable has (`hién`, `quyét`) was read by an English OCR model.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from normalizers.restore.lexer import split_token
from normalizers.restore.syllables import candidates_by_fold, fold, is_syllable

_OCR_SYMBOLS = set("§¢©®°£€¥µ¶|")
_LETTER_DIGIT = re.compile(r"^(?=.*[^\W\d_])(?=.*\d)[^\W_]{1,6}$")
_ROMAN = re.compile(r"^[IVXL]+$")
_SCAN_CHARS = 200_000  # enough text to decide on; very long inputs are sampled from the start


def _cores(text: str) -> list[str]:
    return [c for c in (split_token(t)[1] for t in text.split()) if c]


def is_ocr_noise(core: str) -> bool:
    """A word an English OCR model made of a Vietnamese syllable (s6, d6i, B§, hién, ciia)."""
    if core.isascii() and core.isalpha():
        return False
    if any(ch in _OCR_SYMBOLS for ch in core) and any(ch.isalpha() for ch in core):
        return True
    if _LETTER_DIGIT.match(core) and not core.isupper() and not core[0].isdigit():
        return True
    if core.isalpha():
        lower = core.lower()
        folded = fold(lower)
        if folded != lower and not is_syllable(lower) and folded in candidates_by_fold():
            return True
    return False


def _has_vietnamese_letter(core: str) -> bool:
    """Letters an English OCR model cannot produce (ư ơ ă đ ạ ệ ...: all beyond Latin-1)."""
    return any(ord(ch) > 0xFF and ch.isalpha() for ch in core)


# What a whitespace token counts as; a text repeats its tokens, so each distinct one is looked at once.
_NO_LETTERS, _VIETNAMESE_LETTER, _NOISY = 1, 2, 4


@lru_cache(maxsize=65_536)
def _ocr_kind(token: str) -> int:
    core = split_token(token)[1]
    if not any(ch.isalpha() for ch in core):
        return _NO_LETTERS
    return _VIETNAMESE_LETTER * _has_vietnamese_letter(core) | _NOISY * is_ocr_noise(core)


def looks_ocr_garbled(text: str) -> bool:
    """English-OCR'd text: noisy words, and (unlike text read by a Vietnamese model or typed,
    whose rare typos look noisy too) almost no letters outside Latin-1."""
    kinds = Counter(map(_ocr_kind, text[:_SCAN_CHARS].split()))
    cores = kinds.total() - kinds[_NO_LETTERS]  # words with a letter
    if sum(n for kind, n in kinds.items() if kind & _VIETNAMESE_LETTER) >= 0.15 * cores > 0:
        return False
    noisy = sum(n for kind, n in kinds.items() if kind & _NOISY)
    if cores < 5:
        return noisy > 0
    return noisy / cores >= 0.04


_NOT_A_WORD, _OTHER_WORD, _BARE, _MARKED = range(4)  # what a token is to marked_share


@lru_cache(maxsize=65_536)
def _word_kind(token: str) -> int:
    _, core, suffix = split_token(token)
    if not core.isalpha() or (_ROMAN.match(core) and suffix[:1] in ".)"):
        return _NOT_A_WORD  # an outline number (`II.`) is no word of the heading it opens
    lower = core.lower()
    folded = fold(lower)
    if folded not in candidates_by_fold():
        return _OTHER_WORD
    return _MARKED if folded != lower else _BARE


def marked_share(line: str) -> tuple[int, float, float]:
    """(Vietnamese-looking words in the line, share of them that carry any mark, share of all
    letter words that look Vietnamese)."""
    kinds = list(map(_word_kind, line.split()))
    marked = kinds.count(_MARKED)
    n = kinds.count(_BARE) + marked
    words = n + kinds.count(_OTHER_WORD)
    return n, (marked / n if n else 1.0), (n / words if words else 0.0)


def page_is_accented(text: str) -> bool:
    """Enough marked Vietnamese on the page to show it kept its marks (then a short unmarked line
    is a wrapped name or heading tail like `Cai.`, which has no context to restore from)."""
    n, share, _ = marked_share(text[:_SCAN_CHARS])
    return n >= 20 and share >= 0.3


def page_is_bare(text: str) -> bool:
    """A page printed or typed without marks: its few marked words (under one in ten) are strays, e.g.
    Tesseract's Vietnamese model reading `Nghi` as `Nghỉ` or `Tinh` as `Tĩnh` on a page set without
    them, and are restored like the rest."""
    n, share, _ = marked_share(text[:_SCAN_CHARS])
    return n >= 20 and share < 0.1


def line_needs_restoring(line: str, ocr_page: bool, accented_page: bool = False, bare_page: bool = False) -> bool:
    n, share, vietnamese = marked_share(line)
    if ocr_page:
        return n > 0 or any(is_ocr_noise(c) for c in _cores(line))
    if n == 0 or vietnamese < 0.7:
        return False  # nothing to restore, or an English line ("the data is in the file")
    if bare_page:
        return share < 0.5
    if n >= 3:
        return share < 0.2
    return share == 0.0 and not accented_page


def lines_to_restore(text: str, decide: bool, ocr_channel: bool) -> tuple[list[str], list[bool], bool]:
    """The text's lines, which of them to restore, and whether it reads as English-OCR'd text
    (which needs an OCR channel). Decided from the text alone, so that a page that needs nothing
    (most accented text) never loads the model."""
    lines, todo, ocr_page = _lines_to_restore(text, decide, ocr_channel)
    return list(lines), list(todo), ocr_page


@lru_cache(maxsize=4)  # a page is asked twice: whether to load the model, then by the restorer
def _lines_to_restore(text: str, decide: bool, ocr_channel: bool) -> tuple[tuple[str, ...], tuple[bool, ...], bool]:
    lines = text.split("\n")
    ocr_page = ocr_channel and looks_ocr_garbled(text)
    accented = decide and not ocr_page and page_is_accented(text)
    bare = not ocr_page and page_is_bare(text)
    return (
        tuple(lines),
        tuple(not decide or line_needs_restoring(line, ocr_page, accented, bare) for line in lines),
        ocr_page,
    )
