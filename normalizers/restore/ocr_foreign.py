"""Foreign phrases in an OCR'd Vietnamese page: left as Tesseract read them.

Plans quote names in other languages or written without marks (`Make in Viet Nam`, `Smart City`).
There `Viet` is no Vietnamese syllable, and the mark correction, which sees only the syllable LM,
would make it `Việt`. A word Tesseract read without any mark, that is no Vietnamese syllable, and
that stands within two words of a capitalised word no Vietnamese syllable can spell (`Make`,
`Smart`), belongs to a foreign phrase: it keeps its reading. A mark lost by the OCR inside
Vietnamese prose (`tiep tuc`) has only Vietnamese neighbours and is still corrected.
"""

from __future__ import annotations

from normalizers.restore.lexer import split_token
from normalizers.restore.syllables import candidates_by_fold, is_syllable

_REACH = 2  # words either side of a foreign word that count as its phrase


def _foreign(core: str) -> bool:
    """A capitalised word of three letters or more that no Vietnamese syllable spells, marks aside
    (a name: `Make`, `Smart`; OCR debris of a worn line, `line`, `THAAT`, is seldom so cased)."""
    return (
        len(core) >= 3
        and core.isascii()
        and core.istitle()
        and core.isalpha()
        and core.lower() not in candidates_by_fold()
    )


def _unmarked_non_syllable(core: str) -> bool:
    return core.isascii() and core.isalpha() and not is_syllable(core.lower())


def keep_foreign_phrases(read: str, corrected: str) -> str:
    """`corrected` (same tokens as `read`) with the words of foreign phrases as `read` had them."""
    tokens, fixed = read.split(" "), corrected.split(" ")
    if len(tokens) != len(fixed):
        return corrected
    cores = [split_token(t)[1] for t in tokens]
    words = [k for k, core in enumerate(cores) if core]
    near_foreign: set[int] = set()
    for pos, k in enumerate(words):
        if _foreign(cores[k]):
            near_foreign.update(words[max(0, pos - _REACH) : pos + _REACH + 1])
    for k in near_foreign:
        if fixed[k] != tokens[k] and _unmarked_non_syllable(cores[k]):
            fixed[k] = tokens[k]
    return " ".join(fixed)
