"""Letter case Tesseract `vie` gets wrong on marked lowercase letters.

A small letter with stacked marks (ế, ớ, ị) is as tall as a capital, and Tesseract now and then
reads it as one: `tẾ`, `mỚI`, `vỊ`, or a whole short word in capitals amid lowercase text (`SỐ`,
`VỚI`, `SỨC`). Such a word is brought back to lowercase when it is a Vietnamese syllable so spelled:

- a word that starts lowercase and has capitals after (no code or name is spelled `tẾ`);
- a word in capitals that carries a tone or vowel mark (acronyms carry none; `Đ` alone does
  not count: `ĐTTP`), between two lowercase words of its line.

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


def repair_case(line: str) -> str:
    """`line` with the words Tesseract put in capitals by mistake in lowercase (see module doc)."""
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
        if not core.isupper() or not _marked_vowel(core):
            continue
        before = next((c[1] for c in reversed(cores[:k]) if c[1]), "")
        after = next((c[1] for c in cores[k + 1 :] if c[1]), "")
        if _lower_start(before) and _lower_start(after) and not head:
            out[k] = head + lower + tail
    return " ".join(out)
