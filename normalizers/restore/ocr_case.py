"""Letter case Tesseract `vie` gets wrong on marked lowercase letters.

A small letter with stacked marks (ế, ớ, ị) is as tall as a capital, and Tesseract now and then
reads it as one: `tẾ`, `mỚI`, `vỊ`, or a whole short word in capitals amid lowercase text (`SỐ`,
`VỚI`, `SỨC`). Such a word is brought back to lowercase when it is a Vietnamese syllable so spelled:

- a word that starts lowercase and has capitals after (no code or name is spelled `tẾ`);
- a word in capitals that carries a tone or vowel mark (acronyms carry none; `Đ` alone does
  not count: `ĐTTP`), after a lowercase word and before a lowercase or capitalised word or a
  number, or ending a sentence (`Chỉ thị SỐ 52`, `công nghệ SỐ.`); the words around it may stand
  on the lines above and below (a heading in capitals has no lowercase word before it).

Tokens keep their place and punctuation; only case changes, so offsets hold.
"""

from __future__ import annotations

import unicodedata

from normalizers.restore.lexer import split_token
from normalizers.restore.syllables import is_syllable

_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b")  # tones; circumflex, breve, horn


def _marked_vowel(core: str) -> bool:
    return any(ch in _MARKS for ch in unicodedata.normalize("NFD", core))


def _lower_start(core: str) -> bool:
    return bool(core) and core.isalpha() and core[0].islower()


def _open_after(core: str) -> bool:
    """What may follow a word of running text put in capitals by mistake: a lowercase or
    capitalised word (`VỚI Các`: the OCR capitalised both) or a number (`Chỉ thị SỐ 52`)."""
    return _lower_start(core) or (core[:1].isupper() and core[1:].islower()) or core[:1].isdigit()


def repair_case(line: str, before: str = "", after: str = "") -> str:
    """`line` with the words Tesseract put in capitals by mistake in lowercase (see module doc);
    `before` and `after` are the words that end the line above and start the line below."""
    tokens = line.split(" ")
    cores = [split_token(t) for t in tokens]
    out = list(tokens)
    for k, (head, core, tail) in enumerate(cores):
        if len(core) < 2 or not core.isalpha() or core.islower():
            continue
        lower = core.lower()
        if not is_syllable(lower):
            continue
        if core[0].islower():
            out[k] = head + lower + tail
            continue
        if not core.isupper() or not _marked_vowel(core) or head:
            continue
        left = next((c[1] for c in reversed(cores[:k]) if c[1]), before)
        right = next((c[1] for c in cores[k + 1 :] if c[1]), "" if tail.strip() else after)
        ends = bool(tail.strip(")]\"'”’")) and not right
        if _lower_start(left) and (_open_after(right) or ends):
            out[k] = head + lower + tail
    return " ".join(out)


def repair_case_lines(lines: list[str]) -> list[str]:
    """repair_case over a page's lines, each seeing the last word above it and the first below."""
    words = [[split_token(t)[1] for t in line.split()] for line in lines]
    firsts = [next((w for w in ws if w), "") for ws in words]
    lasts = [next((w for w in reversed(ws) if w), "") for ws in words]
    return [
        repair_case(
            line,
            next((lasts[j] for j in range(k - 1, -1, -1) if lasts[j]), ""),
            next((firsts[j] for j in range(k + 1, len(lines)) if firsts[j]), ""),
        )
        for k, line in enumerate(lines)
    ]
