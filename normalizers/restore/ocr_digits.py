"""Digits Tesseract `vie` reads as letters inside a number: `ngày 2l tháng`, `tháng 1I`, `l3`.

In Times New Roman a `1` is a short stroke with a flag, and Tesseract now and then writes `l` or `I`
for it (`O` for `0`) when a digit stands beside it. In a number token (groups of digits, `/ . , -`
between them) a group that holds a digit is a number: its `l`, `I`, `|` become `1` and `O` becomes
`0`. A group without any digit stays: the roman quarter of `II/2025`, words, `Ol`. Characters
change one for one, so offsets hold.
"""

from __future__ import annotations

import re

from normalizers.restore.lexer import split_token

_LOOKALIKE = str.maketrans({"l": "1", "I": "1", "|": "1", "O": "0"})
_NUMBER_LIKE = re.compile(r"^[\dlI|O]+(?:[/.,\-][\dlI|O]+)*$")
_GROUP = re.compile(r"[\dlI|O]+")


def _digits_back(group: re.Match[str]) -> str:
    text = group.group()
    return text.translate(_LOOKALIKE) if any(ch.isdigit() for ch in text) else text


def repair_digits(line: str) -> str:
    """`line` with the letters read inside numbers put back as digits (see module doc)."""
    tokens = line.split(" ")
    for k, token in enumerate(tokens):
        head, core, tail = split_token(token)
        if not core or core.isdigit() or not _NUMBER_LIKE.match(core):
            continue
        tokens[k] = head + _GROUP.sub(_digits_back, core) + tail
    return " ".join(tokens)
