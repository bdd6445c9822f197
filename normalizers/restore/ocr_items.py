"""Item letters Tesseract `vie` misreads at the head of a lettered list.

Plans number their points `a)`, `b)`, `c)` ... in the Vietnamese alphabet order (no f, j, w, z;
đ after d). A bold or italic item letter is sometimes read as a symbol or a digit (`©)` for `e)`,
`8)` or `ø)` for `g)`, `¡)` or `1)` for `i)`), or as another item letter (`e)` for `c)`, `đ)` for
`d)`). Such a marker, between lettered markers of the same page, is the letter that follows the
previous one: a symbol, digit or non-item letter when the next marker follows on or starts a new
run (`a)`), an item letter only when the next marker follows on. Only the marker's character
changes, so tokens and offsets hold.
"""

from __future__ import annotations

import re

ITEM_LETTERS = "abcdđeghiklmnopqrstuvxy"
_MARKER = re.compile(r"^(\s*)(\S)\)(\s|$)")


def _letter_marker(ch: str) -> bool:
    return ch.isalpha() and ch.lower() in ITEM_LETTERS


def repair_item_letters(lines: list[str]) -> list[str]:
    """`lines` with misread item letters of lettered lists put right (see module doc)."""
    markers = [(k, m.group(2)) for k, line in enumerate(lines) if (m := _MARKER.match(line))]
    out = list(lines)
    for n, (k, ch) in enumerate(markers):
        if n == 0 or not _letter_marker(markers[n - 1][1]):
            continue
        previous = markers[n - 1][1]
        following = markers[n + 1][1] if n + 1 < len(markers) else None
        at = ITEM_LETTERS.find(previous.lower())
        if at + 1 >= len(ITEM_LETTERS):
            continue
        follows_on = following is not None and ITEM_LETTERS.find(following.lower()) == at + 2
        if _letter_marker(ch):
            # A letter out of the run's order between two that leave one gap (`b) e) d)`) is the
            # letter of the gap read as a look-alike (c→e, d→đ).
            if ITEM_LETTERS.find(ch.lower()) == at + 1 or following is None or not follows_on:
                continue
        else:
            restart = following is not None and following.lower() == "a"  # the run's last item
            if following is not None and following.isalpha() and not follows_on and not restart:
                continue  # the next marker does not follow on: no misread letter of the run
            if ch.isdigit() and following is not None and following.isdigit():
                continue  # a numbered sub-list under the lettered item
        letter = ITEM_LETTERS[at + 1]
        letter = letter.upper() if previous.isupper() else letter
        m = _MARKER.match(out[k])
        assert m is not None
        out[k] = m.group(1) + letter + out[k][m.end(1) + 1 :]
        markers[n] = (k, letter)
    return out


_RESTORED_MARKER = re.compile(r"^(\s*)([^\W\d_])[)/](\s|$)")


def settle_d_items(lines: list[str], restored: list[bool]) -> list[str]:
    """`lines` where the item letters `d` and `đ` of restored lines follow their list: text without
    marks prints both as `d`, and the model cannot tell them apart; in a lettered list the item after
    `c` is `d`, the item after `d` is `đ`. Only the marker's character changes."""
    out = list(lines)
    previous = ""
    for k, line in enumerate(lines):
        m = _RESTORED_MARKER.match(line)
        if m is None:
            continue
        letter = m.group(2)
        if restored[k] and letter.lower() in "dđ" and previous.lower() in ("c", "d"):
            settled = "d" if previous.lower() == "c" else "đ"
            letter = settled.upper() if letter.isupper() else settled
            out[k] = m.group(1) + letter + line[m.end(2) :]
        previous = letter
    return out
