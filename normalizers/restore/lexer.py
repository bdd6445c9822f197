"""Split whitespace tokens into punctuation and a core, and map cores to language-model tokens.

Numbers, document codes and agency abbreviations become context tokens (`<num>`, `<code>`, the
folded abbreviation itself such as `KH&CN`) rather than gaps, so the model learns `Sở` before
`KH&CN` and `số` before a number. They are never rewritten by the decoder.
"""

from __future__ import annotations

import re

from normalizers.restore.syllables import fold, is_syllable

OPEN_PUNCT = "([{\"'“‘«*•-–—…·+"
CLOSE_PUNCT = ")]}\"'”’».,;:!?…-–"
# Suffix punctuation that the language model sees as a token: it marks clause boundaries.
LM_PUNCT = {",": ",", ".": ".", ";": ";", ":": ":", "?": ".", "!": ".", ")": ")", "(": "("}

NUM = "<num>"
CODE = "<code>"
ABBR = "<abbr>"
FOREIGN = "<w>"
BOS = "<s>"
EOS = "</s>"
CLASS_TOKENS = (BOS, EOS, NUM, CODE, ABBR, FOREIGN)

_NUMBER = re.compile(r"^[\d.,%/\-–]+$")
_LETTERS = re.compile(r"^[^\W\d_]+$")


def split_token(token: str) -> tuple[str, str, str]:
    """`(KH&CN),` → ('(', 'KH&CN', '),')."""
    start, end = 0, len(token)
    while start < end and token[start] in OPEN_PUNCT:
        start += 1
    while end > start and token[end - 1] in CLOSE_PUNCT:
        end -= 1
    return token[:start], token[start:end], token[end:]


def is_wordlike_case(core: str) -> bool:
    """lower, Title or UPPER: the casings real words take (mixed case marks a code or name)."""
    return core.islower() or core.isupper() or (core[0].isupper() and core[1:].islower()) or len(core) == 1


def core_kind(core: str) -> str:
    """'syl' | 'num' | 'code' | 'abbr' | 'foreign' | 'punct' | '' for an accented-or-plain core."""
    if not core:
        return ""
    if _LETTERS.match(core):
        if is_wordlike_case(core) and is_syllable(core.lower()):
            return "syl"
        if core.isupper() or not core[1:].islower():
            return "abbr"
        return "foreign"
    has_alpha = any(ch.isalpha() for ch in core)
    if _NUMBER.match(core) or (not has_alpha and any(ch.isdigit() for ch in core)):
        return "num" if any(ch.isdigit() for ch in core) else "punct"
    if has_alpha:
        return "code" if any(ch.isdigit() for ch in core) else "abbr"
    return "punct"


def abbr_token(core: str) -> str:
    """Abbreviations are keyed by their folded upper form, so HĐND and HDND share context."""
    return fold(core).upper()


def lm_tokens_of(token: str, abbreviations: set[str] | frozenset[str] | None) -> list[str]:
    """LM tokens for one whitespace token of accented text (training side)."""
    prefix, core, suffix = split_token(token)
    out: list[str] = []
    if "(" in prefix:
        out.append("(")
    kind = core_kind(core)
    if kind == "syl":
        out.append(core.lower())
    elif kind == "num":
        out.append(NUM)
    elif kind == "code":
        out.append(CODE)
    elif kind == "abbr":
        key = abbr_token(core)
        out.append(key if abbreviations is None or key in abbreviations else ABBR)
    elif kind == "foreign":
        out.append(FOREIGN)
    if suffix:
        mark = LM_PUNCT.get(suffix.rstrip("\"'”’»")[-1:] or suffix[0])
        if mark:
            out.append(mark)
    return out
