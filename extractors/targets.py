"""Targets: the plan's quantified goals (chỉ tiêu, mục tiêu cụ thể), one record per number.

A target is a number with a unit: a percentage, `lần`, a rate per population (`15 người/vạn dân`) or
a count of things (`02 doanh nghiệp`, `25 đề tài, dự án`). Where it is matters: under a heading on
goals (`Mục tiêu cụ thể`, `Chỉ tiêu`) every such number is a target; under the plan's tasks a count of
things to deliver is one too (`Tổ chức 02 lớp tập huấn`); the preamble, a look back at past years and
the closing block hold none. Appendix tables of goals (STT | Mục tiêu | Mục tiêu năm 2026 | ...) give
one target per row.

Comparators come from the wording (`trên`, `đạt trên` → `>`; `tối thiểu`, `ít nhất`, `trở lên` → `>=`;
`không quá` → `<=`; `dưới` → `<`). The year is the due year: a horizon in the clause (`đến năm 2030`,
`vào năm 2030`, `trong giai đoạn 2026 - 2030` → 2030) or stated earlier in the same sentence or item
(it governs the clauses after it), else the heading above, else the plan's year; a year after
`so với` is the baseline, never the due year. A time limit (`không quá 05 ngày làm việc`) is a target
under a goals heading. A goals table with one column per year gives one target per row and year.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from extractors.context import Context
from extractors.legal_basis import preamble_bounds
from extractors.metadata import signature_region
from extractors.sections import Outline
from normalizers.counted import counted_noun, first_counted_noun, names_things
from normalizers.numbers import find_money, parse_vn_number
from normalizers.restore import restore_text
from normalizers.vndates import DATE_NUMERIC, DATE_WORDS_FOLDED, fold_keep_length
from pipeline.model.contract import Comparator, Target, Warning
from pipeline.model.doctext import DocText
from pipeline.structure.document import Cell, Table, column_role

# Time limits (`không quá 05 ngày làm việc`): a target only as a limit under a goals heading.
DURATION_UNITS: tuple[str, ...] = ("ngày làm việc", "ngày", "giờ làm việc", "giờ")
_DURATION_AT = re.compile(
    r"[ \t]*(?P<unit>"
    + "|".join(fold_keep_length(u).replace(" ", r"[ \t\n]+") for u in DURATION_UNITS)
    + r")(?![^\W\d_])",
    re.I,
)
_NUMBER = re.compile(r"(?<![\w.,/:-])(?P<num>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)(?![\w/]|[.,]\d|-[A-Z])")
_PERCENT = re.compile(r"[ \t]*%")
# A rate per year (`30%/năm`, `55 tỷ USD/năm`).
_PER_YEAR = re.compile(r"[ \t]*/[ \t]*nam\b", re.I)
# Money in a foreign currency is a goal's unit (`55 tỷ USD`); amounts in đồng are budgets.
_FOREIGN_MONEY = re.compile(r"[ \t]*(?P<unit>(?:(?:trieu|ty|nghin|ngan)[ \t]+)?(?:USD|EUR|đô la Mỹ|do la))\b", re.I)
_TIMES = re.compile(r"[ \t]*(?:\([^)\n]{1,12}\)[ \t]*)?lan\b(?![ \t]+thu)", re.I)
_PER_POPULATION = re.compile(r"[^/\n;.]{0,40}?/[ \t]*(?:1|mot)?[ \t]*van[ \t]+dan\b", re.I)
# Words right before a number that make it a label or reference, not a quantity.
_NOT_QUANTITY_BEFORE = re.compile(
    r"(?:\bnam|\bgiai\s+doan|\bso|\bmau|\bthu|\bkhoa|\bdieu|\bkhoan|\bphu\s+luc|\bbieu|\biso|\btcvn|"
    r"\bquy|\bthang|\bngay|\bloai|\bhang|\bnhom|\bgiai|\bvong)\W{0,2}$",
    re.I,
)
# Who sits on a committee is staffing, not a goal (`Tổ công tác gồm 14 người`, `Hội đồng gồm 07 thành viên`).
_MEMBERSHIP = re.compile(
    r"\b(?:to(?!\s+chuc)|hoi dong|ban(?!\s+hanh)|doan|nhom)\b[^;.\n]{0,40}\b(?:bao gom|gom)\b[^;.\n]{0,250}$", re.I
)
_COMPARATORS: tuple[tuple[re.Pattern[str], Comparator], ...] = (
    (re.compile(r"(?:\bkhong\s+(?:qua|vuot\s+qua)|\btoi\s+da|≤|<=)\s*$", re.I), "<="),
    (re.compile(r"(?:\btoi\s+thieu|\bit\s+nhat|\bkhong\s+(?:duoi|thap\s+hon|it\s+hon)|≥|>=)\s*$", re.I), ">="),
    (re.compile(r"(?:\btren|\bhon|\bvuot|>)\s*$", re.I), ">"),
    (re.compile(r"(?:\bduoi|\bthap\s+hon|\bit\s+hon|<)\s*$", re.I), "<"),
)
_AT_LEAST_AFTER = re.compile(r"[^;.\n]{0,40}?\btro\s+len\b", re.I)
# A year a goal is due by: `(đến hết) năm 2030`, `giai đoạn 2021 - 2025` (its last year), `2026-2030`.
_HORIZON = re.compile(
    r"(?P<lead>\w+)?[ \t\n]+(?:nam|(?P<period>giai[ \t\n]+doan))[ \t\n]+(?P<year>(?:19|20)\d\d)"
    r"(?:[ \t\n]*[-–][ \t\n]*(?P<until>(?:19|20)\d\d))?\b",
    re.I,
)
# A year that is a comparison or a start, not a due date (`so với năm 2019`, `từ năm 2026`, `sau năm`).
_NOT_DUE_LEAD = frozenset(("voi", "tu", "sau", "truoc", "ky"))
# A period is a horizon when the clause is set in it (`Trong giai đoạn 2026 - 2030, ...`); after a
# name (`Chương trình ... giai đoạn 2021 - 2025`) it only names the programme.
_PERIOD_LEAD = frozenset(("", "trong", "ca", "het", "cuoi", "den"))
# Words before a count that make it the scope of something else (`của 25 dịch vụ`, `thuộc 12 sở`).
_SCOPE_BEFORE = re.compile(r"\b(?:thuoc|cua|trong so)[ \t\n]*$", re.I)
_BASELINE = re.compile(r"\bso\s+voi\s+(?P<what>[^;.\n()]{3,60}?)(?=\s*(?:[;.,)\n]|$|\bva\b))", re.I)
_GOAL_HEADING = re.compile(r"muc tieu|chi tieu")
_ORIENTATION = re.compile(r"dinh huong\b")
# Headings that name a part's role are short (`1. Mục tiêu cụ thể`, `IV. TỔ CHỨC THỰC HIỆN`).
_ROLE_HEADING_WORDS = 14
_GENERAL_GOAL = re.compile(r"muc tieu (?:tong quat|chung)")
# Sections that state no commitments of their own.
_NO_TARGET_HEADING = re.compile(
    r"quan diem|muc dich|yeu cau|to chuc thuc hien|kinh phi|giai phap|dinh huong|trach nhiem|phan cong|"
    r"che do bao cao|nguon von|khen thuong|thoi gian|doi tuong|pham vi"
)
# Who does what: no goals of its own, but a quota laid on the bodies (`ít nhất 01 tin, bài`) is one.
_DUTIES_HEADING = re.compile(r"to chuc thuc hien|trach nhiem|phan cong")
# A look back at past results (a section that only evaluates this plan's own work, `Tiêu chí đánh giá`, is none).
_REVIEW_TITLE = re.compile(
    r"(?<!tieu chi )(?<!tieu chi, )danh gia(?! xep loai)|ket qua (?:thuc hien|dat duoc)|tinh hinh thuc hien|"
    r"ket qua noi bat|nhung (?:ton tai|han che)|nguyen nhan|bai hoc kinh nghiem"
)
_REVIEW_PHRASE = re.compile(r"danh gia (?:ket qua|tinh hinh|viec)|ket qua (?:thuc hien|dat duoc)|tinh hinh thuc hien")


@dataclass
class _Found:
    start: int  # the number
    end: int  # end of the unit
    value: int | float
    unit: str
    comparator: Comparator
    year: int | None
    baseline: str | None
    clause: tuple[int, int]
    sentence: int


def _printed_as(text: str, start: int, end: int, word: str) -> bool:
    """The text at [start, end) is `word` (accents compared only where the text has them)."""
    printed = " ".join(text[start:end].lower().split())
    return printed.isascii() or printed == word.lower()


def _duration_after(text: str, folded: str, pos: int) -> tuple[str, int] | None:
    m = _DURATION_AT.match(folded, pos)
    if m is None:
        return None
    unit = next(u for u in DURATION_UNITS if fold_keep_length(u) == " ".join(m.group("unit").lower().split()))
    return (unit, m.end()) if _printed_as(text, m.start("unit"), m.end("unit"), unit) else None


def _unit_after(text: str, folded: str, pos: int) -> tuple[str, int] | None:
    """The unit that follows a number at `pos`: %, lần, a duration (`ngày làm việc`), or the counted
    noun phrase (`doanh nghiệp`, `lớp tập huấn`, `đề tài, dự án`, `người/vạn dân`, `ha`)."""
    pct = _PERCENT.match(folded, pos)
    if pct:
        per_year = _PER_YEAR.match(folded, pct.end())
        return ("%/năm", per_year.end()) if per_year else ("%", pct.end())
    times = _TIMES.match(folded, pos)
    if times:
        return "lần", times.end()
    duration = _duration_after(text, folded, pos)
    if duration:
        return duration
    money = _FOREIGN_MONEY.match(folded, pos)
    if money:
        unit, end = " ".join(text[money.start("unit") : money.end("unit")].split()), money.end()
    else:
        counted = counted_noun(text, pos)
        if counted is None:
            return None
        unit, end = counted
    per = _PER_POPULATION.match(folded, pos)
    if per:
        return f"{unit.split(',')[0].split('/')[0]}/vạn dân", per.end()
    per_year = _PER_YEAR.match(folded, end)
    if per_year:
        return f"{unit}/năm", per_year.end()
    return unit, end


# Clause and sentence ends. A blank line is no end: extracted text leaves stray blank lines inside
# paragraphs; a new list item or a line after `:` is. OCR reads footnote marks as `?` (`dự án? thuộc`),
# so `?` ends a sentence only before a capital.
_LIST_START = r"\n[ \t]*(?=[-+•*–]|\d{1,2}(?:\.\d{1,2})*[.)/]\s|[a-z][)/]\s)"
# A table row is a unit of its own: prose before or after it is another sentence.
_ROW_EDGE = r"\|[ \t]*(?=\n|\f|$)|[\n\f](?=[ \t]*\|)"
_SENTENCE_END = re.compile(rf"[!?](?=\s+[A-Z]|\s*$)|\.(?=\s|$)|{_LIST_START}|:[ \t]*\n|{_ROW_EDGE}")
_CLAUSE_END = re.compile(rf";|[!?](?=\s+[A-Z]|\s*$)|\.(?=\s|$)|{_LIST_START}|:[ \t]*\n|{_ROW_EDGE}")


def _clause(folded: str, pos: int, lo: int, hi: int) -> tuple[int, int]:
    """The clause around `pos`: between `;`, sentence ends and list starts."""
    left = max((m.end() for m in _CLAUSE_END.finditer(folded[lo:pos])), default=0) + lo
    right_m = _CLAUSE_END.search(folded[pos:hi])
    right = pos + right_m.start() if right_m else hi
    return left, right


def _sentence_start(folded: str, pos: int, lo: int) -> int:
    """Start of the sentence or list item holding `pos` (a `;` does not end it)."""
    cut = max((m.end() for m in _SENTENCE_END.finditer(folded[lo:pos])), default=0)
    return lo + cut


def _comparator(folded: str, start: int, end: int, clause_start: int) -> Comparator:
    before = folded[max(clause_start, start - 25) : start]
    for pattern, comparator in _COMPARATORS:
        if pattern.search(before):
            return comparator
    # `đạt từ 37,6% trở lên`
    if _AT_LEAST_AFTER.match(folded, end):
        return ">="
    return "="


def _due_year(folded: str, lo: int, hi: int, last: bool = False) -> int | None:
    """The first (or `last`) due year named in folded[lo:hi]; comparison and start years are skipped."""
    years: list[int] = []
    for m in _HORIZON.finditer(folded, lo, hi):
        lead = (m.group("lead") or "").lower()
        if lead in _NOT_DUE_LEAD or _is_baseline_year(folded, m.start(), lo):
            continue
        if m.group("period") and lead not in _PERIOD_LEAD:
            continue
        years.append(int(m.group("until") or m.group("year")))
        if not last:
            break
    return years[-1] if years else None


def _year_of(folded: str, clause: tuple[int, int], sentence_start: int, number: int | None = None) -> int | None:
    """The due year in the clause, else the last one stated earlier in the sentence or item: a horizon
    (`Phấn đấu đến hết năm 2025, có ... ; trên ...`) governs the clauses after it. After the number, a
    year that follows the name of a programme or plan dates that document, not the goal."""
    hi = clause[1]
    if number is not None:
        name = _DOCUMENT_NAME.search(folded, number, clause[1])
        hi = name.start() if name else hi
    return _due_year(folded, clause[0], hi) or _due_year(folded, sentence_start, clause[0], last=True)


def _is_baseline_year(folded: str, pos: int, lo: int) -> bool:
    return bool(re.search(r"so\s+voi(?:\s+cung\s+ky)?\s*$", folded[max(lo, pos - 20) : pos + 1], re.I))


def _baseline(text: str, folded: str, end: int, clause_end: int) -> str | None:
    m = _BASELINE.search(folded, end, clause_end + 1)
    if not m:
        return None
    return " ".join(text[m.start("what") : m.end("what")].split()).strip(" ,") or None


def _is_quantity(folded: str, start: int) -> bool:
    return not _NOT_QUANTITY_BEFORE.search(folded[max(0, start - 15) : start])


def _is_scope(folded: str, start: int, unit: str, clause_start: int, in_goals: bool) -> bool:
    """A count naming what a goal is about, not a goal: `80% hồ sơ thuộc 25 dịch vụ công`, `hồ sơ của 25
    dịch vụ công` in a task. Outside goals sections a count after `của`/`thuộc` is always scope; under
    goals only when a share was stated before it in the clause."""
    if unit in ("%", "lần") or not _SCOPE_BEFORE.search(folded, max(clause_start, start - 20), start):
        return False
    return not in_goals or bool(re.search(r"\d[ \t]*%", folded[clause_start:start]))


def _money_spans(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    return [(s + lo, e + lo) for s, e, _ in find_money(text[lo:hi])]


# A place's number is its name (`phường 3`, `khu 5`, `tổ 12`), not a quantity.
_LABEL_BEFORE = re.compile(
    r"\b(?:phuong|(?<!binh )quan|khu|to|thon|ban|ap|xom|doi|so nha|lo|tuyen)[ \t]*$|"
    # `Điều 2, 3, 4`: the later numbers of a list of articles; `“4 tại chỗ”`: a slogan in quotes.
    r"\b(?:dieu|khoan|diem|muc|chuong|phu luc)[ \t]+\d+(?:[ \t]*(?:,|va)[ \t]*\d+)*[ \t]*(?:,|va)[ \t]*$|"
    r"[\"“'‘][ \t]*$",
    re.I,
)
_CURRENT_STATE = re.compile(r"\bhien (?:nay|co|tai|dang)\b|\bnam (?:qua|truoc)\b|\bda dat\b", re.I)
_RANGE_TAIL = re.compile(
    r"(?:[ \t]*%)?[ \t]*(?:[-–]|\bden\b|\btoi\b)[ \t]*(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)"
    r"(?![\w/]|[.,]\d)",
    re.I,
)
_PROPERTY = re.compile(r"(?:(?!\bva\b|\bcon\b)[^;])*\bco\b(?:(?!\bva\b)[^;])*$", re.I)
# `Bước 3: ... hướng dẫn đến 05 khoa`: a step of a procedure says how, not what the plan achieves.
_PROCEDURE_STEP = re.compile(r"\W{0,4}buoc[ \t]+\d+[ \t]*[:.)-]", re.I)
_FREQUENCY_BEFORE = re.compile(r"\btan suat\b|[×x*]\s*$", re.I)
_RATE_PER_PERIOD = re.compile(r"[ \t]*/[ \t]*(?:thang|tuan|ngay|quy)\b", re.I)


# `10 Gigabit mỗi giây`: a technical rate, not a count of things.
_RATE_PER_TIME = re.compile(r"[ \t]*(?:moi|/|tren)[ \t]*(?:giay|phut|gio)\b", re.I)
# `trong (vòng) 24 giờ`: within a time, at most that long.
_WITHIN = re.compile(r"\btrong(?:[ \t]+(?:vong|thoi[ \t]+gian|thoi[ \t]+han))?[ \t]*$", re.I)
# `... giờ đầu kể từ khi lực lượng đến`, `... ngày sau khi nhận`: a time counted from an event.
_FROM_EVENT = re.compile(r"[^;.\n]{0,12}?\b(?:ke[ \t]+tu|sau[ \t]+khi)\b", re.I)
# `Nếu có từ 02 địa phương trở lên ...`: a condition of a rule, not a goal.
_CONDITION = re.compile(r"\b(?:neu|truong hop|doi voi noi(?! dung))\b", re.I)
# `hằng năm`, `trong năm`, `hằng quý`: a recurring quota has no due year of its own.
_RECURRING = re.compile(r"\b(?:hang|hàng|moi)\s+(?:nam|quy)\b|\btrong\s+nam\b(?!\s+(?:19|20)\d\d)", re.I)
# A year in the name of a programme or plan (`Chương trình ... đến năm 2030`) dates that document.
_DOCUMENT_NAME = re.compile(
    r"\b(?:chuong trinh|ke hoach|de an|chien luoc|quy hoach|nghi quyet|quyet dinh|"
    r"chi thi|du an)\b",
    re.I,
)
_TITLE_PERIOD = re.compile(r"(?:giai\s+doan|thoi\s+ky)\s+(?:19|20)\d\d\s*[-–]\s*((?:19|20)\d\d)", re.I)
_TITLE_UNTIL = re.compile(r"(?<!huong )(?<!nhin )\bden\s+nam\s+((?:19|20)\d\d)", re.I)


def plan_horizon(ctx: Context) -> int | None:
    """The year a plan's goals are for when a goal states none: the end of the period in its title
    (`giai đoạn 2026 - 2030`, `thời kỳ 2021-2030` → 2030), else the year it runs to (`đến năm 2030`, not an
    orientation `định hướng / tầm nhìn đến năm 2045`), else the plan's year."""
    title = fold_keep_length(ctx.metadata.title or "").lower()
    m = _TITLE_PERIOD.search(title) or _TITLE_UNTIL.search(title)
    if m:
        return int(m.group(1))
    if re.search(r"\bnam[ \t\n]+(?:19|20)\d\d\b", title) or ctx.plan_year is None:
        return ctx.plan_year
    # A title that names no year of its own (`Kiểm tra, giám sát công tác bầu cử ..., nhiệm kỳ 2026 – 2031`):
    # the plan runs until the last date of its own schedule (`Đợt 3: từ ngày 09/02/2026 ...`), often issued
    # late in the year before. Dates the plan cites are past, so the latest date is its own.
    return max(ctx.plan_year, _schedule_year(ctx) or ctx.plan_year)


def _schedule_year(ctx: Context) -> int | None:
    """The year of the latest full date (day, month, year) in the plan's own parts."""
    doc = ctx.doc
    _, lo = preamble_bounds(doc)
    hi, _ = signature_region(doc)
    folded = fold_keep_length(doc.text[lo:hi])
    years = [
        int(m.group("year"))
        for pattern in (DATE_WORDS_FOLDED, DATE_NUMERIC)
        for m in pattern.finditer(folded)
        if m.group("day") and m.group("month")
    ]
    return max(years) if years else None


def _accented(unit: str, doc: DocText, pos: int) -> str:
    """A unit printed without diacritics on a page whose diacritics were restored (`nguoi/van dân`) is
    restored word group by word group, as the restorer reads a lone noun better than a run-on rate."""
    page = doc.pages[doc.page_index(pos)]
    if not page.diacritics_restored or not re.search(r"[a-z]{2}", unit):
        return unit
    parts = re.split(r"(\s*[,/]\s*)", unit)
    return "".join(
        part if re.fullmatch(r"\s*[,/]\s*", part) or not part.isascii() else restore_text(part) for part in parts
    )


def _alone_on_line(folded: str, m: re.Match[str]) -> bool:
    """A number on a line of its own is a page number, a cell or OCR debris, not a quantity in a sentence."""
    line_start = folded.rfind("\n", 0, m.start()) + 1
    line_end = folded.find("\n", m.end())
    return (
        not folded[line_start : m.start()].strip()
        and not folded[m.end() : len(folded) if line_end < 0 else line_end].strip()
    )


# `mỗi thương vụ`, `mỗi điểm`: each of the things a count before it named.
_EACH = re.compile(r"\b(?:moi|tung)[ \t]+", re.I)


def _refers_back(folded: str, before: _Found, start: int) -> bool:
    """A quantity that details each of the things a count earlier in the sentence counts is no goal of its
    own: `25 thương vụ, với giá trị mỗi thương vụ từ 01 triệu USD`, `03 điểm; mỗi điểm thu mẫu theo 02 tầng
    nước`. (The parts of a total, `25 đề tài, dự án, trong đó: 20 đề tài ...`, are goals: kept.)"""
    if before.unit in ("%", "lần") or before.unit.endswith("%/năm"):
        return False
    head = fold_keep_length(before.unit.split(",")[0].split("/")[0]).lower()
    between = folded[before.end : start]
    return any(re.match(re.escape(head) + r"\b", between[m.end() :], re.I) for m in _EACH.finditer(between))


def _target_year(
    folded: str, clause: tuple[int, int], sentence: int, start: int, outline: Outline, horizon: int | None
) -> int | None:
    """The due year: stated in the clause or earlier in the sentence, else none for a recurring quota,
    else the phase or section the target sits in, else the plan's horizon."""
    stated = _year_of(folded, clause, sentence, start)
    if stated:
        return stated
    if _RECURRING.search(folded, sentence, clause[1]):
        return None
    return _phase_year(folded, sentence, outline) or outline.heading_year(start) or horizon


# A phase named on a short line of its own (`b) Tầm nhìn đến 2045`, `- Giai đoạn 2026 - 2028:`, `Đến hết năm
# 2025:`): the goals under it, up to the section's heading, are due by its end.
_PHASE_LINE = re.compile(
    r"^[ \t]*(?:[-+•*–]|[a-zđ][).]|\d{1,2}(?:\.\d{1,2})*[.)])?[ \t]*(?:[^\W\d_]+[ \t]+){0,3}"
    r"(?:den(?:[ \t]+het)?(?:[ \t]+nam)?|giai[ \t]+doan|nam)[ \t]+(?:19|20)\d\d(?:[ \t]*[-–][ \t]*((?:19|20)\d\d))?"
    r"[ \t]*:?[ \t]*$",
    re.I | re.M,
)


def _phase_year(folded: str, sentence: int, outline: Outline) -> int | None:
    chain = outline.enclosing(sentence)
    floor = chain[-1].end if chain else max(0, sentence - 3000)
    last: re.Match[str] | None = None
    for m in _PHASE_LINE.finditer(folded, floor, sentence):
        last = m
    if last is None:
        return None
    years = re.findall(r"(?:19|20)\d\d", last.group(0))
    return int(years[-1])


def _find_in_text(ctx: Context, outline: Outline) -> list[tuple[_Found, bool]]:
    """Every number with a unit in the plan's own parts; flag: under a goals heading."""
    doc = ctx.doc
    text = doc.text
    folded = fold_keep_length(text)
    _, lo = preamble_bounds(doc)
    hi, _ = signature_region(doc)
    horizon = plan_horizon(ctx)
    money = _money_spans(text, lo, hi)
    table_spans = [(t.start, t.end) for t in ctx.tables]
    found: list[tuple[_Found, bool]] = []
    skip_until = lo
    for m in _NUMBER.finditer(folded, lo, hi):
        start = m.start()
        if start < skip_until:
            continue  # the upper bound of a range already read
        if any(s <= start < e for s, e in money) or any(s <= start < e for s, e in table_spans):
            continue
        if not _is_quantity(folded, start) or _MEMBERSHIP.search(folded, max(lo, start - 300), start):
            continue
        kind = _section_kind(outline, start)
        if kind == "none" or _LABEL_BEFORE.search(folded, max(lo, start - 12), start) or _alone_on_line(folded, m):
            continue
        # `từ 3 - 5 nhà đầu tư`, `1,5-2%`, `từ 20% đến 30%`: a range is its lower bound, at least.
        span_range = _RANGE_TAIL.match(folded, m.end())
        unit = _unit_after(text, folded, span_range.end() if span_range else m.end())
        if unit is None:
            continue
        if span_range:
            skip_until = span_range.end()
        value = parse_vn_number(m.group("num"))
        # `Tổ kiểm phiếu từ 05 đến 15 thành viên`: who sits on a body is its make-up, not a goal.
        if value is None or _RATE_PER_TIME.match(folded, unit[1]) or unit[0] == "thành viên":
            continue
        unit = (_accented(unit[0], doc, start), unit[1])
        in_goals = kind == "goals"
        clause = _clause(folded, start, max(lo, start - 600), min(hi, unit[1] + 600))
        # `60 doanh nghiệp ... có doanh thu ... đạt 20 triệu USD/năm`, `100% khu ... có tối thiểu 1 trạm`: a
        # quantity after `có` that describes the things a goal of the same clause counts is no goal itself.
        if found and found[-1][0].clause == clause and _PROPERTY.match(folded, found[-1][0].end, start):
            continue
        sentence = _sentence_start(folded, start, max(lo, start - 800))
        if found and found[-1][0].sentence == sentence and _refers_back(folded, found[-1][0], start):
            continue
        # `tần suất 2 đợt/tháng`, `02 hội nghị × 50 đại biểu`: a frequency or a factor of a cost line.
        if _FREQUENCY_BEFORE.search(folded, clause[0], start) or _RATE_PER_PERIOD.match(folded, unit[1]):
            continue
        # `Hiện nay, tổng số trạm ... khoảng 180 trạm`: the present state is a baseline, not a goal.
        if (
            _CURRENT_STATE.search(folded, sentence, start)
            or _CONDITION.search(folded, sentence, start)
            or _PROCEDURE_STEP.match(folded, sentence)
        ):
            continue
        comparator = _comparator(folded, start, unit[1], clause[0])
        if span_range and comparator == "=":
            comparator = ">="
        if kind == "duties" and comparator != ">=":
            continue
        if _is_scope(folded, start, unit[0], clause[0], in_goals):
            continue
        # Under goals a time limit is a target: `không quá 05 ngày làm việc`, `trong 24 giờ` (within: at most).
        # Elsewhere `trong 05 ngày` is a deadline.
        if unit[0] in DURATION_UNITS and in_goals and comparator == "=" and _WITHIN.search(folded, clause[0], start):
            comparator = "<="
        if unit[0] in DURATION_UNITS and (not in_goals or comparator == "="):
            continue
        if not in_goals and unit[0] in ("%", "lần"):
            # Outside a goals section a share is a target only when worded as one (`đạt 30%`).
            worded = re.search(
                r"\b(?:dat|phan dau|tang|giam|nang|chiem|du kien)\b[^;.\n]{0,60}$", folded[max(lo, start - 70) : start]
            )
            # `100% cơ quan, đơn vị`: a share of things to reach is a target too.
            share_of_things = unit[0] == "%" and names_things(text, unit[1])
            if not worded and not share_of_things:
                continue
        year = _target_year(folded, clause, sentence, start, outline, horizon)
        if unit[0] in DURATION_UNITS and _FROM_EVENT.match(folded, unit[1]):
            year = None  # a time counted from an event (`24 giờ đầu kể từ khi ...`) runs again at each event
        foreign_money = _FOREIGN_MONEY.match(" " + fold_keep_length(unit[0]))
        if unit[0].endswith("/năm") and unit[0] != "%/năm" and not foreign_money:
            # `02 hội nghị/năm`: a count each year is a recurring quota, with no due year of its own.
            unit, year = (unit[0][: -len("/năm")], unit[1]), None
        found.append(
            (
                _Found(
                    start=start,
                    end=unit[1],
                    value=value,
                    unit=unit[0],
                    comparator=comparator,
                    year=year,
                    baseline=_baseline(text, folded, unit[1], clause[1]),
                    clause=clause,
                    sentence=sentence,
                ),
                in_goals,
            )
        )
    return found


def _section_kind(outline: Outline, pos: int) -> str:
    """ "goals", "none" (no commitments: review, viewpoints, rewards), "duties" (who does what: quotas
    only) or "body", decided by the
    innermost heading that says which, so `2. Mục tiêu cụ thể` wins even when OCR garbled the
    section number above it and it seems to sit under the previous section."""
    chain = outline.enclosing(pos)
    for head in chain:
        title = fold_keep_length(head.title).lower()
        if (head.level <= 1 and _REVIEW_TITLE.search(title)) or _REVIEW_PHRASE.search(title):
            return "none"
    for depth in range(len(chain) - 1, -1, -1):
        title = fold_keep_length(chain[depth].title).lower()
        if len(title.split()) > _ROLE_HEADING_WORDS:
            continue  # a sentence set as a numbered item, not a heading that names a part's role
        if _GOAL_HEADING.search(title) and not _GENERAL_GOAL.search(title):
            return "goals"
        if _NO_TARGET_HEADING.search(title):
            # `3. Định hướng đến năm 2030` under `I. MỤC TIÊU` states the longer-term goals.
            if _ORIENTATION.match(title) and any(
                _GOAL_HEADING.search(fold_keep_length(h.title).lower()) for h in chain[:depth]
            ):
                return "goals"
            return "duties" if _DUTIES_HEADING.search(title) else "none"
    return "body"


def _indicator(text: str, item: _Found) -> str | None:
    """A short name of what is measured: the clause without the number, cue words and year."""
    clause = " ".join(text[item.clause[0] : item.clause[1]].split())
    clause = re.sub(r"^(?:[-+•*–]\s*|\d{1,2}(?:\.\d{1,2})*[.)]\s+|[a-zđ]\)\s*)+", "", clause)
    clause = re.sub(r"(?i)^(?:phấn đấu\s+)?(?:đến|vào|trong)\s+năm\s+\d{4},?\s*", "", clause)
    return clause[:160].strip(" ,;.") or None


def extract(ctx: Context) -> list[Target]:
    doc = ctx.doc
    text = doc.text
    targets: list[Target] = []
    seen: dict[tuple[object, str, int | None], int] = {}
    in_goal_sections: set[tuple[object, str, int | None]] = set()
    outline = ctx.outline
    found = _find_in_text(ctx, outline)
    folded_text = fold_keep_length(text)
    ctx.warnings.extend(_unparsed_goals(ctx, outline, [item.start for item, _ in found]))
    for item, in_goals in found:
        key = (item.value, item.unit, item.year)
        # Outside goals sections a count named again in a later sentence is the same things again; a share
        # is when it restates a goal (`100% hồ sơ ...` and `100% cán bộ ...` in the tasks are two).
        repeated = key in in_goal_sections if item.unit == "%" else key in seen and seen[key] != item.sentence
        if not in_goals and repeated:
            continue
        seen.setdefault(key, item.sentence)
        if in_goals:
            in_goal_sections.add(key)
        targets.append(
            Target(
                text=" ".join(text[item.clause[0] : item.clause[1]].split()),
                indicator=_indicator(text, item),
                comparator=item.comparator,
                value=item.value,
                unit=item.unit,
                year=item.year,
                baseline=item.baseline,
                span=doc.span(item.clause[0], item.clause[1]),
            )
        )
    table_targets = _from_tables(ctx)
    targets.extend(table_targets)
    if not table_targets:
        targets.extend(_from_unstructured_goal_table(ctx))
    stated = [(item.value, item.unit, _words(folded_text[item.clause[0] : item.clause[1]])) for item, _ in found]
    targets.extend(_from_task_results(ctx, stated))
    return targets


# ------------------------------------------------------------------------------------- warnings

# A goal statement that reads as quantified: a share, a level to reach, a change.
_QUANTITY_CUE = re.compile(r"\b(?:ty le|ty trong|it nhat|toi thieu|toi da|khong (?:qua|duoi|it hon)|toan bo|tat ca)\b")
_DIGIT = re.compile(r"(?<![\w.,/])\d+(?:[.,]\d+)*(?![\w/])")
_YEAR_OR_MARKER = re.compile(r"^(?:19|20)\d\d$|^\d{1,2}$")


def _unparsed_goals(ctx: Context, outline: Outline, target_starts: list[int]) -> list[Warning]:
    """Statements under a goals heading that gave no target: one with a number whose unit was not
    understood (`target_number_unparsed`), one worded as a quantity with no number at all
    (`target_without_number`). Each points at the statement, for a reviewer to read."""
    doc = ctx.doc
    folded = fold_keep_length(doc.text)
    _, lo = preamble_bounds(doc)
    hi, _ = signature_region(doc)
    heads = [(h.start, h.end) for h in outline.headings]
    table_spans = [(t.start, t.end) for t in ctx.tables]
    warnings: list[Warning] = []
    cuts = [lo, *(m.end() for m in _SENTENCE_END.finditer(folded, lo, hi)), hi]
    for a, b in itertools.pairwise(cuts):
        statement = folded[a:b].strip()
        if len(statement) < 20 or any(s <= a + 3 and b <= e + 3 for s, e in heads):
            continue
        start = a + len(folded[a:b]) - len(folded[a:b].lstrip())
        if any(s <= start < e for s, e in table_spans) or _section_kind(outline, start) != "goals":
            continue
        if any(a <= t < b for t in target_starts):
            continue
        numbers = [
            m.group(0)
            for m in _DIGIT.finditer(folded, start, b)
            if not _YEAR_OR_MARKER.match(m.group(0)) or folded[m.end() : m.end() + 2].strip()[:1] == "%"
        ]
        shown = " ".join(doc.text[start:b].split())[:160]
        if numbers:
            code, message = "target_number_unparsed", f"goal with a number but no target read: {shown}"
        elif _QUANTITY_CUE.search(statement.lower()):
            code, message = "target_without_number", f"goal worded as a quantity but with no number: {shown}"
        else:
            continue
        warnings.append(Warning(code=code, message=message, span=doc.span(start, b)))
    return warnings


# ---------------------------------------------------------------------------------------- tables

# A value cell: an optional comparison, the number, the rest (unit). OCR leaves stray marks before the
# number (`=9`, `~ 10` for `≥9`, `≥10`); they are skipped.
_CELL_VALUE = re.compile(
    r"^[\s=~_'\".,:;–-]*(?P<cmp>[<>≤≥]=?|(?:tren|duoi|toi thieu|it nhat|khong qua)\s+)?[\s=~_–-]*"
    r"(?P<num>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)\s*(?P<rest>[^\n]*)$",
    re.I,
)
_SYMBOL_CMP: dict[str, Comparator] = {
    ">": ">",
    ">=": ">=",
    "≥": ">=",
    "<": "<",
    "<=": "<=",
    "≤": "<=",
    "tren": ">",
    "duoi": "<",
    "toi thieu": ">=",
    "it nhat": ">=",
    "khong qua": "<=",
}


@dataclass(frozen=True, slots=True)
class _GoalLayout:
    header_rows: int
    name_col: int
    values: list[tuple[int, int | None]]  # (column, year it is for); one per year column
    unit_col: int | None


def _header_text(table: Table, header_rows: int, col: int) -> str:
    return " ".join(fold_keep_length(r[col].text).lower() for r in table.rows[:header_rows] if len(r) > col)


def _year_columns(table: Table, header_rows: int, first: int) -> list[tuple[int, int | None]]:
    """The value column `first` and every other column whose header is a value for a year
    (`Năm 2024 | Năm 2025`, `Mục tiêu năm 2026`): one target per row and year column."""
    columns: list[tuple[int, int | None]] = []
    for col in range(table.n_cols):
        head = " ".join(_header_text(table, header_rows, col).split())
        year_m = re.search(r"(?:19|20)\d\d", head)
        if col == first or (year_m and column_role(head) == "value"):
            columns.append((col, int(year_m.group()) if year_m else None))
    return columns


def _goal_columns(table: Table) -> _GoalLayout | None:
    """Header rows, indicator column, value columns with their years and unit column of a goals table.

    Column roles come from pipeline.structure.document when it recognised the header; otherwise the header is
    read here (a `Mục tiêu` column beside a `Mục tiêu năm 2026` / `Giá trị` column)."""
    if table.roles.get("target") is not None and table.roles.get("value") is not None and table.header_rows:
        return _GoalLayout(
            table.header_rows,
            table.roles["target"],
            _year_columns(table, table.header_rows, table.roles["value"]),
            table.roles.get("unit"),
        )
    for h, row in enumerate(table.rows[:3]):
        cells = [" ".join(fold_keep_length(c.text).lower().split()) for c in row]
        value_col = next(
            (
                i
                for i, c in enumerate(cells)
                if re.search(r"(?:muc tieu|chi tieu|ke hoach|gia tri)\s+(?:nam\s+)?(?:19|20)\d\d", c)
            ),
            None,
        )
        if value_col is None:
            value_col = next(
                (i for i, c in enumerate(cells) if re.search(r"gia tri|chi tieu dat|muc phan dau", c)), None
            )
        name_col = next((i for i, c in enumerate(cells) if i != value_col and re.search(r"muc tieu|chi tieu", c)), None)
        if value_col is not None and name_col is not None:
            unit_col = next((i for i, c in enumerate(cells) if re.search(r"don vi tinh|^dvt$", c)), None)
            return _GoalLayout(h + 1, name_col, _year_columns(table, h + 1, value_col), unit_col)
    return None


def _from_tables(ctx: Context) -> list[Target]:
    targets: list[Target] = []
    for table in ctx.tables:
        layout = _goal_columns(table)
        if layout is None:
            continue
        name_col, unit_col = layout.name_col, layout.unit_col
        for row in table.rows[layout.header_rows :]:
            for value_col, year in layout.values:
                if len(row) <= max(name_col, value_col):
                    continue
                target = _table_target(ctx, row, name_col, value_col, unit_col, year)
                if target is not None:
                    targets.append(target)
    return targets


def _table_target(
    ctx: Context, row: list[Cell], name_col: int, value_col: int, unit_col: int | None, year: int | None
) -> Target | None:
    """The target one value cell of a goals table states, with the row's indicator and unit."""
    cell = row[value_col]
    m = _CELL_VALUE.match(fold_keep_length(cell.text))
    value = parse_vn_number(m.group("num")) if m else None
    if m is None or value is None:
        return None
    rest = m.group("rest").strip()
    rest_raw = cell.text[m.start("rest") :].strip()
    unit = _table_unit(rest, rest_raw)
    if unit is None and unit_col is not None and unit_col < len(row):
        unit = _unit_cell(row[unit_col].text)
    if unit is None:
        # `Phát triển tổ chức khoa học công nghệ | ≥9`: the counted thing is named by the goal.
        unit = first_counted_noun(row[name_col].text)
    if unit is None:
        return None
    cmp_word = " ".join((m.group("cmp") or "").lower().split())
    comparator = _SYMBOL_CMP.get(cmp_word, "=")
    if comparator == "=" and re.search(r"\btro\s+len\b", rest, re.I):
        comparator = ">="
    name = " ".join(row[name_col].text.split()) or None
    start = min(c.start for c in row)
    end = max(c.end for c in row)
    return Target(
        text=" ".join(ctx.doc.text[start:end].split()),
        indicator=name,
        comparator=comparator,
        value=value,
        unit=unit,
        year=year or ctx.plan_year,
        baseline=None,
        span=ctx.doc.span(start, end),
    )


def _unit_cell(cell: str) -> str | None:
    """A unit column's cell (`ĐVT`) is the unit as written: `%`, `cơ sở ươm tạo`, `lượt người`."""
    unit = " ".join(cell.split())
    if not unit or len(unit.split()) > 6 or re.search(r"\d", unit.replace("m2", "").replace("m3", "")):
        return None
    return unit if unit.isupper() and len(unit) <= 5 else unit[0].lower() + unit[1:]


def _table_unit(rest_folded: str, rest_raw: str) -> str | None:
    """The unit printed after a value in a cell (`%`, `đề tài`), or a unit column's text."""
    if rest_folded.startswith("%"):
        return "%"
    unit = _unit_after(" " + rest_raw, " " + rest_folded, 0)
    return unit[0] if unit else None


# ---------------------------------------------------------------- results column of a task table


def _words(folded: str) -> frozenset[str]:
    return frozenset(re.findall(r"[^\W\d_]+", folded.lower()))


def _restates(
    value: float | int, unit: str, words: frozenset[str], stated: list[tuple[float, str, frozenset[str]]]
) -> bool:
    """An appendix result that restates a goal of the text: the same value and unit, said in mostly the
    same words (`100% hệ thống thông tin dùng chung ...` in both)."""
    return any(value == v and unit == u and len(words & w) >= 0.6 * min(len(words), len(w)) for v, u, w in stated)


def _result_runs(table: Table) -> list[tuple[list[Cell], list[Cell]]]:
    """The result cells of a task table, one run per row: a row's cell continued on the lines below it
    (a PDF table read line by line) is joined up to an empty cell or the next numbered row. Each run comes
    with the deadline cells beside it."""
    out_col, stt_col, due_col = table.roles["output"], table.roles.get("stt", 0), table.roles.get("deadline")
    runs: list[tuple[list[Cell], list[Cell]]] = []
    current: tuple[list[Cell], list[Cell]] | None = None
    for row in table.body:
        cell = row[out_col] if out_col < len(row) else None
        numbered = stt_col < len(row) and bool(row[stt_col].text.strip())
        if cell is None or not cell.text.strip():
            current = None
            continue
        if current is None or numbered:
            current = ([], [])
            runs.append(current)
        current[0].append(cell)
        if due_col is not None and due_col < len(row) and row[due_col].text.strip():
            current[1].append(row[due_col])
    return runs


def _from_task_results(ctx: Context, stated: list[tuple[float, str, frozenset[str]]]) -> list[Target]:
    """Goals stated only in the results column of an appendix task table (`Bảo đảm 100% cán bộ, đảng viên
    được quán triệt`, `Hằng năm mỗi cơ quan phải có ít nhất 01 sáng kiến`): a share worded as a goal or of
    things, a count with a floor. The year is the one the cell states, none for a recurring result or row
    (`Hằng năm`), else the year of the row's deadline, else the plan's horizon. Results that restate a goal
    of the text are left to it."""
    doc = ctx.doc
    horizon = plan_horizon(ctx)
    targets: list[Target] = []
    for table in ctx.tables:
        if table.kind != "tasks" or "output" not in table.roles:
            continue
        for cells, due_cells in _result_runs(table):
            text = " ".join(" ".join(c.text.split()) for c in cells)
            folded = fold_keep_length(text)
            due = fold_keep_length(" ".join(c.text for c in due_cells))
            for m in _NUMBER.finditer(folded):
                start = m.start()
                if not _is_quantity(folded, start) or _LABEL_BEFORE.search(folded, max(0, start - 12), start):
                    continue
                span_range = _RANGE_TAIL.match(folded, m.end())
                unit = _unit_after(text, folded, span_range.end() if span_range else m.end())
                value = parse_vn_number(m.group("num"))
                if unit is None or value is None or unit[0] in DURATION_UNITS:
                    continue
                comparator = _comparator(folded, start, unit[1], 0)
                if span_range and comparator == "=":
                    comparator = ">="
                sentence = (_sentence_start(folded, start, 0), _clause(folded, start, 0, len(folded))[1])
                if unit[0] == "%":
                    # a share worded as a goal, or the subject of its sentence (`100% cán bộ ... chấp hành`);
                    # not a rate (`chi phí bằng 200% chi phí thực tế`)
                    worded = re.search(
                        r"\b(?:dat|phan dau|bao dam|dam bao|tang|giam|nang)\b[^;.]{0,60}$",
                        folded[sentence[0] : start],
                        re.I,
                    )
                    opens = not re.search(r"[^\W\d_]", folded[sentence[0] : start])
                    if not (worded or opens) or not names_things(text, unit[1]):
                        continue
                elif comparator not in (">=", ">"):
                    continue
                if _restates(value, unit[0], _words(folded[sentence[0] : sentence[1]]), stated):
                    continue
                year = _year_of(folded, sentence, sentence[0], start)
                if year is None and not (_RECURRING.search(folded) or _RECURRING.search(due)):
                    due_years = re.findall(r"(?:19|20)\d\d", due)
                    year = int(due_years[-1]) if due_years else horizon
                targets.append(
                    Target(
                        text=" ".join(text[sentence[0] : sentence[1]].split()),
                        indicator=text[sentence[0] : sentence[1]][:160],
                        comparator=comparator,
                        value=value,
                        unit=unit[0],
                        year=year,
                        baseline=None,
                        span=doc.span(cells[0].start, cells[-1].end),
                    )
                )
    return targets


# ------------------------------------------------------------- goal tables that lost their structure

# The header of a goals table: `Mục tiêu` ... `Mục tiêu năm 2026` (OCR scatters it over lines).
_GOAL_TABLE_HEAD = re.compile(r"muc\W{0,3}tieu[\s\S]{0,200}?\bnam\b[\s\S]{0,80}?\b((?:19|20)\d\d)\b", re.I)
# The next table (a tasks table: `STT | Nhiệm vụ ...`), a new appendix or a section of assignments.
_TABLE_END = re.compile(r"\bstt\W{0,3}nhiem\s+vu|phan\s+cong|^\W{0,3}phu\s+luc", re.I | re.M)
_LOOSE_VALUE = re.compile(
    r"(?P<cmp>[<>≤≥=~-][<>≤≥=~ -]{0,2})?(?<![\w,./])(?P<num>\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?)"
    r"(?![\w/]|[.,]\d)(?P<pct>[ \t]?%)?"
)
_LOOSE_CMP: dict[str, Comparator] = {">": ">", "≥": ">=", ">=": ">=", "<": "<", "≤": "<=", "<=": "<="}


def _from_unstructured_goal_table(ctx: Context) -> list[Target]:
    """Goals read from a goals table whose rows OCR scrambled (no pipe rows were rebuilt).

    Within the table's stretch of text, a value is a number with `%` or a comparison sign (`>70%`,
    `≥9`); its unit is `%` or the first counted thing named before it on the line (`Phát triển tổ
    chức khoa học ≥9` → tổ chức). Row numbers and codes carry neither and are left out."""
    doc = ctx.doc
    text = doc.text
    folded = fold_keep_length(text)
    _, body_start = preamble_bounds(doc)
    targets: list[Target] = []
    pos = body_start
    while True:
        head = _GOAL_TABLE_HEAD.search(folded, pos)
        if head is None:
            break
        year = int(head.group(1))
        # A table header, not a sentence about goals: it has a row-number column nearby.
        if not re.search(r"\bstt\b", folded[max(0, head.start() - 250) : head.end() + 250], re.I):
            pos = head.end()
            continue
        end_m = _TABLE_END.search(folded, head.end())
        end = end_m.start() if end_m else len(text)
        for line in re.finditer(r"[^\n]+", folded[head.end() : end]):
            line_start = head.end() + line.start()
            line_text = line.group(0)
            if re.search(r"muc\W{0,3}tieu|\bstt\b", line_text, re.I):
                continue
            for m in _LOOSE_VALUE.finditer(line_text):
                cmp_text = (m.group("cmp") or "").replace(" ", "")
                if not m.group("pct") and not cmp_text:
                    continue
                if m.group("pct"):
                    unit: str | None = "%"
                else:
                    unit = first_counted_noun(text[line_start : line_start + m.start()])
                value = parse_vn_number(m.group("num"))
                if unit is None or value is None:
                    continue
                comparator = _LOOSE_CMP.get(cmp_text[-2:], _LOOSE_CMP.get(cmp_text[-1:], "="))
                a, b = line_start, line_start + len(line_text)
                targets.append(
                    Target(
                        text=" ".join(text[a:b].split()),
                        indicator=" ".join(text[a : line_start + m.start()].split()) or None,
                        comparator=comparator,
                        value=value,
                        unit=unit,
                        year=year,
                        baseline=None,
                        span=doc.span(a, b),
                    )
                )
        pos = max(end, head.end())
    return targets
