"""One tone-mark placement style: the old `hòa / thủy / khỏe` style.

Vietnamese text mixes two conventions for the open rhymes oa, oe, uy: the mark on the first vowel
(hòa, khỏe, thủy — what the legal corpus mostly uses) or on the second (hoà, khoẻ, thuỷ). Both mean
the same syllable, so matching, counting and language models need one. `normalize_tone_style`
moves the mark to the first vowel.

Length: the text is first put in NFC; after that every character maps to exactly one character
(a mark moves between two neighbouring letters), so for NFC input offsets are preserved one-to-one.
For NFD input the NFC step itself shortens the text.
"""

from __future__ import annotations

import re
import unicodedata

_TONED = {
    "a": "aàáảãạ",
    "e": "eèéẻẽẹ",
    "i": "iìíỉĩị",
    "o": "oòóỏõọ",
    "u": "uùúủũụ",
    "y": "yỳýỷỹỵ",
}
_UNTONE = {ch: (base, i) for base, forms in _TONED.items() for i, ch in enumerate(forms)}
# A letter-run ending in o+toned a/e or u+toned y, not after q (qu is an onset: quý, quà).
_NEW_STYLE = re.compile(r"(?<![qQ])([oOuU])([àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ])(?![^\W\d_])")


def _with_case(ch: str, upper: bool) -> str:
    return ch.upper() if upper else ch


def _swap(match: re.Match[str]) -> str:
    glide, toned = match.group(1), match.group(2)
    base, tone = _UNTONE[toned.lower()]
    if (glide.lower() == "o" and base not in "ae") or (glide.lower() == "u" and base != "y"):
        return match.group(0)
    new_glide = _with_case(_TONED["o" if glide.lower() == "o" else "u"][tone], glide.isupper())
    return new_glide + _with_case(base, toned.isupper())


def normalize_tone_style(text: str) -> str:
    """NFC text with oa/oe/uy tone marks on the first vowel (hoà→hòa, thuỷ→thủy, khoẻ→khỏe)."""
    return _NEW_STYLE.sub(_swap, unicodedata.normalize("NFC", text))
