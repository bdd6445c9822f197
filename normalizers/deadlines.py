"""Deadline phrases → windows (start, end, recurrence), as docs/CONTRACT.md defines them.

`parse_deadline` reads a deadline cell or phrase (`Quý II/2026`, `Q4/2025 – Q2/2026`, `tháng 9-11/2021`,
`Hằng năm từ 2026`, `Thường xuyên`, `trước ngày 10 tháng 12 hằng năm`, `Sau khi có hướng dẫn ...`);
`find_deadline` finds the first such phrase inside running text. Matching runs on the folded text
(no diacritics, lower case) so OCR'd or imperfectly restored text still parses: `Quy`/`Quý`, roman or
arabic quarters, `Q2`/`Quý 2`. Months end on their real last day.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from normalizers.agencies import folded
from pipeline.model.contract import Deadline

_YEAR = r"((?:19|20)\d\d)"
# quarter numerals: roman (OCR may read I as 1 or l) or arabic
_QN = r"(iv|iii|ii|i|[1l]{1,3}|[1l]v|[1-4])"
_QUARTER = r"(?:quy|qui|q)\.?\s*" + _QN
_MONTH = r"(1[0-2]|0?[1-9])"
_TO = r"\s*(?:-|–|—|den|toi)\s*"
# `trước ngày`, `chậm nhất (là) (vào) ngày`
# `trước ngày 30/3`, and `trước 30/3/2025` without `ngày` (then the date is written with its slashes)
_BEFORE = r"\b(?:(?:truoc|cham nhat(?: la)?(?: vao)?|han chot(?: la)?)\s*ngay|truoc(?=\s*\d{1,2}\s*/))"
_OF_YEAR = r"\s*(?:/|nam|-(?=\s*(?:19|20)\d\d))\s*"


@dataclass(frozen=True, slots=True)
class Found:
    """A deadline phrase found in text: its offsets there and the window it denotes."""

    start: int
    end: int
    deadline: Deadline


def _quarter_number(token: str) -> int | None:
    t = token.replace("l", "i")
    if t.isdigit() and len(t) == 1:
        n = int(t)
    else:
        t = t.replace("1", "i")
        n = {"i": 1, "ii": 2, "iii": 3, "iv": 4}.get(t, 0)
    return n if 1 <= n <= 4 else None


def _month_end(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def _month_start(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}-01"


def _window(text: str, start: str | None, end: str | None, recurrence: str | None = None) -> Deadline:
    return Deadline(text=text, start=start, end=end, recurrence=recurrence)  # type: ignore[arg-type]


def _year_of(value: str | None, plan_year: int | None) -> int | None:
    return int(value) if value else plan_year


# Each rule: a pattern on the folded text and a builder (match, original text, plan_year) → Deadline | None.
Builder = Callable[[re.Match[str], str, int | None], Deadline | None]


def _quarter_range(m: re.Match[str], text: str, plan_year: int | None) -> Deadline | None:
    q1, y1, q2, y2 = _quarter_number(m.group(1)), m.group(2), _quarter_number(m.group(3)), m.group(4)
    year2 = _year_of(y2, plan_year)
    year1 = int(y1) if y1 else year2
    if q1 is None or q2 is None or year1 is None or year2 is None:
        return None
    return _window(text, _month_start(year1, 3 * q1 - 2), _month_end(year2, 3 * q2))


def _quarter(m: re.Match[str], text: str, plan_year: int | None) -> Deadline | None:
    q, year = _quarter_number(m.group(1)), _year_of(m.group(2), plan_year)
    if q is None or year is None:
        return None
    return _window(text, _month_start(year, 3 * q - 2), _month_end(year, 3 * q))


def _quarter_list(m: re.Match[str], text: str, plan_year: int | None) -> Deadline | None:
    """`Quý III, IV năm 2026`: quarters listed under one year span the first to the last."""
    q1, q2, year = _quarter_number(m.group(1)), _quarter_number(m.group(2)), _year_of(m.group(3), plan_year)
    if q1 is None or q2 is None or year is None or q2 < q1:
        return None
    return _window(text, _month_start(year, 3 * q1 - 2), _month_end(year, 3 * q2))


def _month_range(m: re.Match[str], text: str, plan_year: int | None) -> Deadline | None:
    m1, y1, m2, y2 = int(m.group(1)), m.group(2), int(m.group(3)), m.group(4)
    year2 = _year_of(y2, plan_year)
    year1 = int(y1) if y1 else year2
    if year1 is None or year2 is None:
        return None
    return _window(text, _month_start(year1, m1), _month_end(year2, m2))


def _month(m: re.Match[str], text: str, plan_year: int | None) -> Deadline | None:
    month, year = int(m.group(1)), _year_of(m.group(2), plan_year)
    if year is None:
        return None
    return _window(text, _month_start(year, month), _month_end(year, month))


def _half_year(m: re.Match[str], text: str, plan_year: int | None) -> Deadline | None:
    year = _year_of(m.group(2), plan_year)
    if year is None:
        return None
    if m.group(1) == "dau":
        return _window(text, f"{year}-01-01", f"{year}-06-30")
    return _window(text, f"{year}-07-01", f"{year}-12-31")


def _before_day(m: re.Match[str], text: str, plan_year: int | None) -> Deadline | None:
    day, month, year = int(m.group(1)), int(m.group(2)), _year_of(m.group(3), plan_year)
    if year is None or day > calendar.monthrange(year, month)[1]:
        return None
    return _window(text, None, f"{year:04d}-{month:02d}-{day:02d}")


def _from_month(m: re.Match[str], text: str, plan_year: int | None) -> Deadline | None:
    recurrence = "continuous" if re.search(r"thuong xuyen|lien tuc", folded(text).lower()) else None
    return _window(text, _month_start(int(m.group(2)), int(m.group(1))), None, recurrence)


def _day_range(m: re.Match[str], text: str, plan_year: int | None) -> Deadline | None:
    """`từ ngày 04/02/2026 đến ngày 08/02/2026`: the two days."""
    d1, m1, y1, d2, m2, y2 = (int(g) for g in m.groups())
    if d1 > calendar.monthrange(y1, m1)[1] or d2 > calendar.monthrange(y2, m2)[1]:
        return None
    return _window(text, f"{y1:04d}-{m1:02d}-{d1:02d}", f"{y2:04d}-{m2:02d}-{d2:02d}")


def _month_to_quarter(m: re.Match[str], text: str, plan_year: int | None) -> Deadline | None:
    """`từ tháng 12/2025 đến quý I/2026`: the month's first day to the quarter's last."""
    month, year1, q, year2 = int(m.group(1)), m.group(2), _quarter_number(m.group(3)), _year_of(m.group(4), plan_year)
    start_year = int(year1) if year1 else year2
    if q is None or year2 is None or start_year is None:
        return None
    return _window(text, _month_start(start_year, month), _month_end(year2, 3 * q))


def _from_day(m: re.Match[str], text: str, plan_year: int | None) -> Deadline | None:
    """`từ ngày 04/02/2026` with no end day: from that day on."""
    day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if day > calendar.monthrange(year, month)[1]:
        return None
    return _window(text, f"{year:04d}-{month:02d}-{day:02d}", None)


def _day(m: re.Match[str], text: str, plan_year: int | None) -> Deadline | None:
    day, month, year = int(m.group(1)), int(m.group(2)), _year_of(m.group(3), plan_year)
    if year is None or day > calendar.monthrange(year, month)[1]:
        return None
    date = f"{year:04d}-{month:02d}-{day:02d}"
    return _window(text, date, date)


def _annual_from(m: re.Match[str], text: str, plan_year: int | None) -> Deadline | None:
    return _window(text, f"{m.group(1)}-01-01", None, "annual")


def _annual(m: re.Match[str], text: str, plan_year: int | None) -> Deadline | None:
    return _window(text, None, None, "annual")


def _continuous(m: re.Match[str], text: str, plan_year: int | None) -> Deadline | None:
    return _window(text, None, None, "continuous")


def _from_quarter(m: re.Match[str], text: str, plan_year: int | None) -> Deadline | None:
    q = _quarter_number(m.group(1))
    return None if q is None else _window(text, _month_start(int(m.group(2)), 3 * q - 2), None)


def _from_year(m: re.Match[str], text: str, plan_year: int | None) -> Deadline | None:
    return _window(text, f"{m.group(1)}-01-01", None)


def _year_range(m: re.Match[str], text: str, plan_year: int | None) -> Deadline | None:
    return _window(text, f"{m.group(1)}-01-01", f"{m.group(2)}-12-31")


def _year(m: re.Match[str], text: str, plan_year: int | None) -> Deadline | None:
    return _window(text, f"{m.group(1)}-01-01", f"{m.group(1)}-12-31")


def _conditional(m: re.Match[str], text: str, plan_year: int | None) -> Deadline | None:
    return _window(text, None, None)


# Most specific first; the first rule that matches (and builds) wins.
_RULES: list[tuple[re.Pattern[str], Builder]] = [
    (re.compile(r"\bsau khi (?:co|duoc)\b"), _conditional),
    (re.compile(r"\b(?:hang|moi) nam\s*(?:,\s*)?(?:bat dau\s*)?tu\s*(?:nam\s*)?" + _YEAR), _annual_from),
    (re.compile(_BEFORE + r"\s*(\d{1,2})\s*(?:thang\s*|/\s*)" + _MONTH + r"\s*(?:nam\s*|/\s*)?" + _YEAR), _before_day),
    (
        re.compile(
            _BEFORE + r"\s*\d{1,2}\s*(?:thang\s*|/\s*)" + _MONTH + r"\s*(?:hang|moi|cua cac|(?:cua )?nam lien ke|"
            r"nam sau|cua nam sau) ?nam\b|"
            + _BEFORE
            + r"\s*\d{1,2}\s*(?:thang\s*|/\s*)"
            + _MONTH
            + r"\s*nam (?:lien ke|sau)\b"
        ),
        _annual,
    ),
    (re.compile(r"\btu\s*thang\s*" + _MONTH + _OF_YEAR + _YEAR + r"(?!\s*(?:-|–|—|den|toi))"), _from_month),
    (
        re.compile(
            r"\btu\s*ngay\s*(\d{1,2})\s*/\s*"
            + _MONTH
            + r"\s*/\s*"
            + _YEAR
            # `đến 17 giờ 00, ngày 01/02/2026`: the hour of the last day does not change the window
            + r"[^0-9]{0,40}?\bden\s*(?:\d{1,2}\s*(?:gio|h)\s*(?:\d{1,2}\s*(?:phut)?)?\s*,?\s*)?(?:ngay\s*)?"
            r"(\d{1,2})\s*/\s*" + _MONTH + r"\s*/\s*" + _YEAR
        ),
        _day_range,
    ),
    # `Từ ngày 04/02/2026:` with no end: from that day
    (
        re.compile(r"\btu\s*ngay\s*(\d{1,2})\s*/\s*" + _MONTH + r"\s*/\s*" + _YEAR + r"(?!\s*(?:-|–|—|den|toi|\d))"),
        _from_day,
    ),
    # `29/6/2026 - 09/7/2026`: two dates joined by a dash
    (
        re.compile(
            r"(?<![\d/])(\d{1,2})\s*/\s*" + _MONTH + r"\s*/\s*" + _YEAR + r"\s*(?:-|–|—|den)\s*(?:ngay\s*)?"
            r"(\d{1,2})\s*/\s*" + _MONTH + r"\s*/\s*" + _YEAR
        ),
        _day_range,
    ),
    (re.compile(r"\b(?:hang|moi) nam\b"), _annual),
    (re.compile(r"\bthuong xuyen\b|\bthuong nien\b|\bliên tuc\b|\blien tuc\b"), _continuous),
    (re.compile(r"\btu\s*" + _QUARTER + _OF_YEAR + _YEAR + r"(?!\s*(?:-|–|—|den|toi))"), _from_quarter),
    (
        re.compile(
            r"\b(?:tu\s*)?thang\s*" + _MONTH + r"(?:" + _OF_YEAR + _YEAR + r")?" + _TO + _QUARTER + _OF_YEAR + _YEAR
        ),
        _month_to_quarter,
    ),
    # `Quý III, IV năm 2026`, `Quý II và III/2027`: quarters listed under one year
    (
        re.compile(r"\b" + _QUARTER + r"\s*(?:,|va)\s*(?:(?:quy|q)\.?\s*)?" + _QN + _OF_YEAR + _YEAR),
        _quarter_list,
    ),
    # `Quý IV/2025 và Quý I/2026`: two quarters named together span both
    (
        re.compile(r"\b" + _QUARTER + _OF_YEAR + _YEAR + r"\s*(?:va|,)\s*(?:quy|q)\.?\s*" + _QN + _OF_YEAR + _YEAR),
        _quarter_range,
    ),
    (
        re.compile(
            r"\b"
            + _QUARTER
            + r"(?:"
            + _OF_YEAR
            + _YEAR
            + r")?"
            + _TO
            + r"(?:(?:quy|q)\.?\s*)?"
            + _QN
            + _OF_YEAR
            + _YEAR
        ),
        _quarter_range,
    ),
    (
        re.compile(
            r"\btu thang\s*"
            + _MONTH
            + r"(?:"
            + _OF_YEAR
            + _YEAR
            + r")?"
            + r"\s*(?:den|toi|-|–)\s*thang\s*"
            + _MONTH
            + _OF_YEAR
            + _YEAR
        ),
        _month_range,
    ),
    (
        re.compile(
            r"\bthang\s*"
            + _MONTH
            + r"(?:"
            + _OF_YEAR
            + _YEAR
            + r")?"
            + _TO
            + r"(?:thang\s*)?"
            + _MONTH
            + _OF_YEAR
            + _YEAR
        ),
        _month_range,
    ),
    (re.compile(r"\b" + _QUARTER + r"(?:" + _OF_YEAR + _YEAR + r")?\b"), _quarter),
    (re.compile(r"\b6 thang (dau|cuoi)(?: nam)?\s*" + _YEAR + r"?"), _half_year),
    (re.compile(r"\bthang\s*" + _MONTH + r"(?:" + _OF_YEAR + _YEAR + r")?\b"), _month),
    (re.compile(r"\btu\s*(?:nam\s*)?" + _YEAR + r"\s*(?:tro di|tro ve sau|\b)"), _from_year),
    # `Năm 2026 và các năm tiếp theo`: from that year on
    (re.compile(r"\b(?:nam\s*)?" + _YEAR + r"\s*(?:,|va)\s*(?:cac|nhung) nam (?:tiep theo|sau)\b"), _from_year),
    (re.compile(r"\b(?:giai doan|nam)?\s*" + _YEAR + r"\s*(?:-|–|—|den)\s*" + _YEAR), _year_range),
    (re.compile(r"(?:\bnam|\bca nam|\btrong nam)?\s*\b" + _YEAR + r"\b"), _year),
]


_DAY_RANGE = re.compile(r"\btu\s*ngay\s*\d")
_ANNUAL_CELL = re.compile(r"\b(?:hang|moi) nam\b|\bnam (?:truoc )?lien ke\b")
_ANNUAL_CUE = re.compile(r"\b(?:hang|moi) nam\b")
_CONTINUOUS_CUE = re.compile(r"\bthuong xuyen\b|\blien tuc\b")
_DAY = re.compile(r"\bngay\s*(\d{1,2})\s*(?:thang\s*|/\s*)" + _MONTH + r"(?:\s*(?:nam\s*|/\s*)" + _YEAR + r")?")


def _candidates(text: str, plan_year: int | None, whole: bool) -> Iterator[Found]:
    """Deadline phrases in `text`, rules in priority order, each rule's matches left to right."""
    folded_text = folded(text).lower()
    for pattern, build in _RULES:
        for m in pattern.finditer(folded_text):
            phrase = text[m.start() : m.end()].strip(" ,;.")
            deadline = build(m, " ".join(text.split()) if whole else phrase, plan_year)
            if deadline is not None:
                yield Found(m.start(), m.end(), deadline)


def _scan(text: str, plan_year: int | None, whole: bool) -> Found | None:
    return next(_candidates(text, plan_year, whole), None)


def parse_deadline(text: str, plan_year: int | None = None) -> Deadline | None:
    """The window a deadline cell or phrase denotes; unrecognised non-empty text keeps its text, null dates."""
    cleaned = " ".join((text or "").split())
    if not cleaned or not any(ch.isalnum() for ch in cleaned):
        return None
    low = folded(cleaned).lower()
    if low.startswith("theo "):
        return _window(cleaned, None, None)  # `Theo hướng dẫn của ...`, `Theo Điều 17 Nghị định ... ngày ...`
    annual = _ANNUAL_CELL.search(low)
    if annual and not re.search(r"(?:19|20)\d\d", low):
        # `trong tháng 01 hằng năm`, `chậm nhất là ngày 31/12 năm trước liền kề`: a yearly date; the first of
        # two recurrence cues decides (`Thường xuyên, hằng năm`)
        continuous = _CONTINUOUS_CUE.search(low)
        first = "continuous" if continuous and continuous.start() < annual.start() else "annual"
        return _window(cleaned, None, None, first)
    found = _scan(cleaned, plan_year, whole=True)
    if found is not None and not found.deadline.start and found.deadline.end and re.match(r"thuong xuyen\b", low):
        # `Thường xuyên; hoàn thành trước ngày ...`: the first of two cues decides
        return _window(cleaned, None, None, "continuous")
    if found is not None and found.deadline.end and (not found.deadline.start or _DAY_RANGE.search(low)):
        return found.deadline  # `trước ngày ...`, `từ ngày ... đến ngày ...`
    if found is not None and found.deadline.start and not found.deadline.end and _DAY_RANGE.search(low):
        return found.deadline  # `từ ngày ...` with no end
    # a cell that names one day (`ngày 23 tháng 1`, `20 giờ ngày 13/3/2026`): that day
    day = _DAY.search(low)
    if day and (deadline := _day(day, cleaned, plan_year)):
        return deadline
    if found is not None and found.deadline.recurrence and not found.deadline.start:
        # two recurrence cues (`Thường xuyên, hằng năm`): the first written decides
        cues = [
            (m.start(), kind)
            for kind, pattern in (("annual", _ANNUAL_CUE), ("continuous", _CONTINUOUS_CUE))
            if (m := pattern.search(low))
        ]
        if cues:
            return _window(cleaned, None, None, min(cues)[1])
    if found is not None:
        return found.deadline
    return _window(cleaned, None, None)


# In running prose only phrases that announce time count: a bare year ("năm 2025") in prose is usually
# a reference to a plan or a period, not a deadline.
_PROSE_CUE = re.compile(
    r"\b(?:thoi gian(?: thuc hien| trien khai| hoan thanh)?|thoi han|truoc ngay|hang nam|hàng năm|trong nam|"
    r"thuong xuyen|quy|thang|6 thang|tu nam|tu ngay|trong khoang|dinh ky)\b"
)


def find_deadline(text: str, plan_year: int | None = None) -> Found | None:
    """The first deadline phrase in running text, with its offsets; None when the text names no time."""
    for found in _candidates(text, plan_year, whole=False):
        window = folded(text[max(0, found.start - 40) : found.end]).lower()
        if not (found.deadline.start and found.deadline.end) or _PROSE_CUE.search(window):
            return found
    return None
