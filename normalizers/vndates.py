"""Plain Vietnamese dates → ISO, and accent folding that keeps offsets.

`ngày 06 tháng 02 năm 2026` → 2026-02-06; `31/3/2021` → 2021-03-31; `tháng 8 năm 2021` and a
blank day (`ngày    tháng 4 năm 2024`, the form left for the signer to fill in) → `2024-04`.
Deadline windows (Quý II/2026 ...) are normalizers.deadlines' job.

Matching is done on folded text (no diacritics, đ→d) of the same length as the original, so a
regex finds `ngay`, `thang`, `nam` whether or not a scan kept its accents, and its offsets still
index the original text.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date


class _FoldTable(dict[int, str]):
    """Code point → its folded letter, filled on first sight; str.translate then folds in C."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch in "đĐðÐ":  # Ð/ð: what OCR often reads for Đ/đ
            folded = "d" if ch in "đð" else "D"
        else:
            base = "".join(c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c) != "Mn")
            folded = base if len(base) == 1 else ch
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold_keep_length(text: str) -> str:
    """`Kế hoạch số 52` → `Ke hoach so 52`: diacritics stripped, đ→d, one character per character,
    so offsets into the folded text are offsets into the original."""
    if text.isascii():
        return text
    return text.translate(_FOLD)


_SPACE = r"[ \t\r\n\f]"
# Day/month may be blank (spaces) in an issued-date line waiting for the signature date.
DATE_WORDS_FOLDED = re.compile(
    rf"ngay{_SPACE}*(?P<day>\d{{1,2}})?{_SPACE}*(?:thang|th\.){_SPACE}*(?P<month>\d{{1,2}})?{_SPACE}*"
    rf"(?:nam|n\.){_SPACE}*(?P<year>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
DATE_NUMERIC = re.compile(r"(?<![\d/.])(?P<day>\d{1,2})\s?([/.-])\s?(?P<month>\d{1,2})\2\s?(?P<year>(?:19|20)\d\d)\b")
MONTH_YEAR_FOLDED = re.compile(
    rf"thang{_SPACE}*(?P<month>\d{{1,2}}){_SPACE}*(?:nam|/){_SPACE}*(?P<year>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)


def iso_date(year: int, month: int | None, day: int | None) -> str | None:
    """ISO text for what is known: full date, `YYYY-MM` without a day; None for an impossible date."""
    if month is None or not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _int_or_none(text: str | None) -> int | None:
    return int(text) if text else None


def parse_date(text: str) -> str | None:
    """The first plain date in `text` as ISO (`YYYY-MM-DD` or `YYYY-MM`), None when there is none."""
    match = find_date(text)
    return match[2] if match else None


def find_date(text: str, start: int = 0) -> tuple[int, int, str] | None:
    """The first date at or after `start`: (start, end, ISO). Word, numeric and month-year forms."""
    folded = fold_keep_length(text)
    candidates: list[tuple[int, int, str]] = []
    for pattern in (DATE_WORDS_FOLDED, DATE_NUMERIC, MONTH_YEAR_FOLDED):
        for m in pattern.finditer(folded, start):
            groups = m.groupdict()
            iso = iso_date(int(m.group("year")), _int_or_none(m.group("month")), _int_or_none(groups.get("day")))
            if iso is not None:
                candidates.append((m.start(), m.end(), iso))
                break
    if not candidates:
        return None
    # The earliest; at equal starts the longest (the word form also covers month-year).
    return min(candidates, key=lambda c: (c[0], -(c[1] - c[0])))
