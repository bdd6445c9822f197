"""Digits Tesseract `vie` reads as letters inside a number: `ngày 2l tháng`, `tháng 1I`, `l3`.

In Times New Roman a `1` is a short stroke with a flag, and Tesseract now and then writes `l` or `I`
for it (`O` for `0`) when a digit stands beside it. A number token (digits, and `/ . , -` between
groups) in which every other character is a digit is read as a number: its `l`, `I`, `|` become
`1` and `O` becomes `0`. A token without any digit (`II`, `Ol`) is left alone: roman numerals and
words are letters. Characters change one for one, so offsets hold.
"""

from __future__ import annotations

import re

from normalizers.restore.lexer import split_token

_LOOKALIKE = str.maketrans({"l": "1", "I": "1", "|": "1", "O": "0"})
_NUMBER_LIKE = re.compile(r"^[\dlI|O]+(?:[/.,\-][\dlI|O]+)*$")


def repair_digits(line: str) -> str:
    """`line` with the letters read inside numbers put back as digits (see module doc)."""
    tokens = line.split(" ")
    for k, token in enumerate(tokens):
        head, core, tail = split_token(token)
        if not core or not _NUMBER_LIKE.match(core) or core.isdigit():
            continue
        if sum(ch.isdigit() for ch in core) == 0:
            continue
        tokens[k] = head + core.translate(_LOOKALIKE) + tail
    return " ".join(tokens)
