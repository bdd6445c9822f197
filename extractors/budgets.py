"""Budgets: the money amounts that fund or estimate the plan.

Every amount in đồng (`63.569,9 triệu đồng`, `12,5 tỷ đồng`) in the plan's own parts; amounts in the
preamble (cited documents) and in a look back at past years (`A. ĐÁNH GIÁ ...`, `đã giải ngân`) are
not this plan's money. Amounts listed together form a group: the first is the total when it says so
(`Tổng ...`, followed by `Trong đó:` / `Nguồn vốn:`) or equals the sum of the rest; the others are its
components. The source is the label the amount is printed under (`- Sự nghiệp khoa học: 60.569,9
triệu đồng`), the year the one named by the label or heading, else the plan's year.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from extractors.context import Context
from extractors.legal_basis import preamble_bounds
from extractors.sections import Outline
from normalizers.numbers import NUMBER_PATTERN, find_money, parse_vn_decimal, scale_of
from normalizers.vndates import fold_keep_length
from pipeline.model.contract import Budget, BudgetRole
from pipeline.structure.document import Table

_GROUP_GAP = 400  # characters between amounts listed together
_MIN_AMOUNT = 1_000  # a few đồng funds nothing: a misread, not a budget
_PAST_CUE = re.compile(
    r"\bda\s+(?:giai\s+ngan|thuc\s+hien|bo\s+tri|chi|su\s+dung|cap|phan\s+bo|duoc|hoan\s+thanh|thanh\s+toan)"
    r"|\bluy\s+ke\b|\bnam\s+truoc\b",
    re.I,
)
_TOTAL_CUE = re.compile(r"\btong\b|\bnhu\s+cau\b|\bdu\s+toan\b|\bdu\s+kien\b", re.I)
_BREAKDOWN_AFTER = re.compile(r"[^\n]{0,120}?(?:trong\s+do|bao\s+gom|gom\s*:|nguon\s+von|co\s+cau)", re.I | re.S)
_CLAUSE_START = re.compile(r"[.;!?\n]\s*|:\s*(?=[-+•*]|\d+[.)])")
_LABEL_PREFIX = re.compile(r"^\s*(?:[-+•*–]|\d+(?:\.\d+)*[.)]|[a-zđ]\))\s*")
_YEAR = re.compile(r"\bnam\s+((?:19|20)\d\d)\b", re.I)


# After an amount: a rate (`150.000 đồng/người/ngày`, `3 tỷ đồng/năm/doanh nghiệp`: per anything but a
# plain period, or per two things) prices a unit and funds nothing; a factor (`1.500.000.000 đồng/năm x
# 05 năm`) restates an amount when the plan gave it before. A yearly amount (`1.364.329.243 đồng/năm`)
# is a budget.
_PERIOD = r"(?:nam|thang|quy)\b"
_RATE = re.compile(rf"\s*/\s*(?!{_PERIOD})[^\W\d_]|\s*/\s*{_PERIOD}\s*/", re.I)
_FACTOR = re.compile(rf"(?:\s*/\s*{_PERIOD})?\s*[x×*]\s*\d", re.I)
# The lower end of a range whose unit is printed once (`từ 3 - 5 tỷ đồng`, `từ 3 đến 5 tỷ đồng`): a bare
# number and a dash or `đến`.
_RANGE_LOWER = re.compile(rf"(?<![\w.,/])({NUMBER_PATTERN})\s*(?:[-–]|\bden\b)\s*$")


def _range_lower_end(folded: str, start: int, vnd: int, amount_text: str) -> tuple[int, int, int] | None:
    """(start, end, đồng) of a range's lower end printed without its unit just before an amount."""
    m = _RANGE_LOWER.search(folded, max(0, start - 30), start)
    if not m:
        return None
    value = parse_vn_decimal(m.group(1))
    number = re.match(NUMBER_PATTERN, fold_keep_length(amount_text))
    upper = parse_vn_decimal(number.group(0)) if number else None
    if value is None or not upper or not 0 < value < upper:
        return None
    lower = int((Decimal(vnd) * value / upper).to_integral_value())
    return (m.start(1), m.end(1), lower) if lower >= _MIN_AMOUNT else None


@dataclass
class _Amount:
    start: int
    end: int
    vnd: int
    label: str | None
    label_start: int
    year: int | None


def _label_before(text: str, folded: str, pos: int, floor: int) -> tuple[str | None, int]:
    """The label an amount is printed under: the clause before it up to `:` (`Vốn khác: 16.200`)."""
    window_start = max(floor, pos - 300)
    window = folded[window_start:pos]
    colon = window.rstrip().rfind(":")
    if colon < 0 or window[colon + 1 :].strip(" \t\n").lower() not in ("", "khoang", "la", "du kien"):
        return _inline_label(text, window, window_start)
    head = window[:colon]
    # The clause holding the label starts after the last sentence end or line start.
    cuts = [m.end() for m in re.finditer(r"[.;!?]\s|\n\s*(?=[-+•*–]|\d+[.)]|[A-ZĐ])", head)]
    begin = cuts[-1] if cuts else 0
    raw = text[window_start + begin : window_start + colon]
    prefix = _LABEL_PREFIX.match(raw)
    skip = prefix.end() if prefix else 0
    label = " ".join(raw[skip:].split()).strip(" ,;:")
    return (label or None), window_start + begin + skip


# Where a running-text label starts: after punctuation, a linking word, or a line that starts anew
# (a wrapped line continuing in lower case does not).
_LABEL_CUT = re.compile(r"[,;:.(]|\n(?=\s*[A-Z0-9+•*–-])|\btrong\s+do\b|\bva\b|\bgom\b")


def _inline_label(text: str, window: str, window_start: int) -> tuple[str | None, int]:
    """The words right before an amount in running text (`ngân sách tỉnh 45,5 tỷ đồng`), after the
    last separator, without linking words (`là`, `khoảng`)."""
    cut = max((m.end() for m in _LABEL_CUT.finditer(window)), default=-1)
    if cut < 0:
        return None, window_start + len(window)
    piece = re.sub(r"(?:\s+(?:la|khoang|du kien|dat|voi|tu))+\s*$", "", window[cut:], flags=re.I)
    begin = len(window[cut:]) - len(window[cut:].lstrip())
    label = " ".join(text[window_start + cut + begin : window_start + cut + len(piece)].split())
    if not 1 < len(label.split()) <= 12 or not label[:1].isalpha():
        return None, window_start + len(window)
    return label, window_start + cut + begin


def extract(ctx: Context) -> list[Budget]:
    doc = ctx.doc
    text = doc.text
    folded = fold_keep_length(text)
    outline = ctx.outline
    _, body_start = preamble_bounds(doc)
    amounts: list[_Amount] = []
    for start, end, vnd in find_money(text[body_start:]):
        start, end = start + body_start, end + body_start
        if vnd < _MIN_AMOUNT:
            continue
        if outline.in_review(start):
            continue
        clause_start = max(
            (m.end() for m in _CLAUSE_START.finditer(folded, max(0, start - 200), start)), default=max(0, start - 200)
        )
        if _PAST_CUE.search(folded, clause_start, start):
            continue
        if _RATE.match(folded, end) or (_FACTOR.match(folded, end) and any(a.vnd == vnd for a in amounts)):
            continue
        lower = _range_lower_end(folded, start, vnd, text[start:end])
        label, label_start = _label_before(text, folded, lower[0] if lower else start, body_start)
        year_in = _YEAR.search(fold_keep_length(label)) if label else None
        year = int(year_in.group(1)) if year_in else None
        if lower is not None:
            amounts.append(_Amount(lower[0], lower[1], lower[2], label, label_start, year))
        amounts.append(_Amount(start, end, vnd, label, label_start, year))

    budgets: list[Budget] = _from_tables(ctx, outline, Counter(a.vnd for a in amounts), body_start)
    totals = {b.amount_vnd for b in budgets if b.role == "total"}
    for group in _groups(amounts, outline):
        roles = _roles(group, folded)
        group_year = next((a.year for a in group if a.year), None)
        for amount, role in zip(group, roles, strict=True):
            if role == "total" and amount.vnd in totals:
                continue  # the same total stated again (in a summary or an appendix)
            if role == "total":
                totals.add(amount.vnd)
            year = amount.year or group_year or outline.heading_year(amount.start) or ctx.plan_year
            budgets.append(
                Budget(
                    text=" ".join(text[amount.start : amount.end].split()),
                    amount_vnd=amount.vnd,
                    year=year,
                    role=role,
                    source=amount.label,
                    span=doc.span(amount.start, amount.end),
                )
            )
    return budgets


def _groups(amounts: list[_Amount], outline: Outline) -> list[list[_Amount]]:
    """Amounts listed together: close to each other, with no section heading (`II.`) between."""
    section_starts = [h.start for h in outline.headings if h.level <= 1]
    groups: list[list[_Amount]] = []
    for amount in amounts:
        prev_end = groups[-1][-1].end if groups else -1
        crosses = any(prev_end < s < amount.start for s in section_starts)
        if groups and amount.start - prev_end < _GROUP_GAP and not crosses:
            groups[-1].append(amount)
        else:
            groups.append([amount])
    return groups


def _roles(group: list[_Amount], folded: str) -> list[BudgetRole]:
    first, rest = group[0], group[1:]
    if not rest:
        return ["total"]
    says_total = bool(first.label and _TOTAL_CUE.search(fold_keep_length(first.label)))
    breakdown = bool(_BREAKDOWN_AFTER.match(folded, first.end))
    sums = abs(sum(a.vnd for a in rest) - first.vnd) <= first.vnd * 0.01
    if says_total or breakdown or sums:
        parts: list[BudgetRole] = ["component"] * len(rest)
        return ["total", *parts]
    whole: list[BudgetRole] = ["component"] * len(group)
    return whole


# ---------------------------------------------------------------------------------------- tables

# A column of amounts is named by what it holds (`Kinh phí`, `Dự toán`, `Thành tiền`, `Tổng vốn`); a
# column naming where money comes from (`Nguồn kinh phí`), a unit price or a rate (`Đơn giá`, `Định
# mức`) is not one.
_MONEY_COLUMN = re.compile(
    r"kinh phi|du toan|thanh tien|so tien|tong tien|tong von|von dau tu|tong muc dau tu|ngan sach|chi phi"
)
_NOT_MONEY_COLUMN = re.compile(r"\bnguon\b|don gia|dinh muc|muc chi|ty le|%|ghi chu|\bso luong\b")
_SOURCE_COLUMN = re.compile(r"\bnguon\b")
_SCALE_NOTE = re.compile(r"(?:trieu|ty|ti|nghin|ngan)\s*(?:dong|vnd|d\b)|\bdong\b|\bvnd\b|\btrd\b", re.I)
# A unit note above a table (`Đơn vị tính: triệu đồng`, `ĐVT: đồng`, `(triệu đồng)`); a bare `đồng` in the
# sentence before is too often another word (đồng bộ).
_UNIT_NOTE = re.compile(
    r"(?:\bdvt|don vi(?: tinh)?)\s*:?\s*(?:(?:trieu|ty|ti|nghin|ngan)\s*)?(?:dong|vnd)\b"
    r"|(?:trieu|ty|ti|nghin|ngan)\s*(?:dong|vnd)\b"
)
_TOTAL_ROW = re.compile(r"^(?:tong|cong)\b|\btong (?:cong|so|kinh phi)\b", re.I)
# An amount printed with thousands groups (`1.311.038.946`), as money columns print them.
_APPENDIX_HEADING = re.compile(r"^\W{0,3}PHU\s+LUC\b", re.M)
_GROUPED_AMOUNT = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_SPLIT_HEAD = re.compile(
    r"^(?:nam\s*)?(?:19|20)\d\d$|\btong\b|\bngan sach\b|\bvon\b|\bns[a-z]{1,4}\b|\btrieu\b|\bdong\b|\bkhac\b"
)
# A split amount column named by where its money comes from (`Ngân sách trung ương`, `NSĐP`, `Vốn khác`).
_SOURCE_WORDS = re.compile(r"\bngan sach\b|\bvon\b|\bns[a-z]{1,4}\b|\bnguon\b|\bxa hoi hoa\b|\bkhac\b")
_COLUMN_YEAR = re.compile(r"(?:^|\bnam\s*)((?:19|20)\d\d)$")


@dataclass
class _MoneyColumn:
    index: int
    scale: int
    year: int | None
    source: str | None = None  # a split column naming where the money comes from (`NSTW`, `Vốn khác`)
    total: bool = False  # a split column of totals (`Tổng số`)


def _header_texts(table: Table, header_rows: int) -> list[str]:
    """Each column's header words, folded: the header rows' cells joined top to bottom; a cell of an
    upper row spans the empty cells to its right (`Kinh phí (triệu đồng)` over `Tổng | NSTW | NSĐP`)."""
    width = max((len(r) for r in table.rows[:header_rows]), default=0)
    texts = [""] * width
    for r, row in enumerate(table.rows[:header_rows]):
        spanning = ""
        for i in range(width):
            cell = " ".join(fold_keep_length(row[i].text).lower().split()) if i < len(row) else ""
            if cell:
                spanning = cell
            elif r < header_rows - 1:
                cell = spanning  # an upper cell spans the columns its lower row splits
            texts[i] = f"{texts[i]} {cell}".strip()
    return texts


def _header_row_count(table: Table) -> int:
    """Rows of the header: the structure's count, else through the first row naming an amount column;
    and a row under it that splits the amount column (`Năm 2027 | Năm 2028`, `Tổng số | NSTW`: words,
    years or units only, no amount)."""
    count = table.header_rows
    if not count:
        count = next(
            (
                h + 1
                for h, row in enumerate(table.rows[:3])
                if any(_MONEY_COLUMN.search(" ".join(fold_keep_length(c.text).lower().split())) for c in row)
            ),
            0,
        )
    if count and count + 1 < len(table.rows):
        below = [" ".join(fold_keep_length(c.text).lower().split()) for c in table.rows[count]]
        filled = [c for c in below if c]
        if filled and all(_SPLIT_HEAD.search(c) and not _GROUPED_AMOUNT.match(c) for c in filled):
            count += 1
    return count


def _money_columns(table: Table, before: str) -> tuple[int, list[_MoneyColumn], int | None]:
    """(header rows, columns of amounts with their unit in đồng, source column) of a table."""
    header_rows = _header_row_count(table)
    if not header_rows:
        return 0, [], None
    heads = _header_texts(table, header_rows)
    # The unit: in the column's header (`Thành tiền (đồng)`), else a note above (`ĐVT: triệu đồng`).
    above = _UNIT_NOTE.search(fold_keep_length(before).lower())
    columns: list[_MoneyColumn] = []
    source_col = next((i for i, h in enumerate(heads) if _SOURCE_COLUMN.search(h)), None)
    for i, head in enumerate(heads):
        if not _MONEY_COLUMN.search(head) and not (columns and _COLUMN_YEAR.search(head)):
            continue
        if _NOT_MONEY_COLUMN.search(head):
            continue
        note = _SCALE_NOTE.search(head) or above
        scale = scale_of(note.group(0)) if note else None
        if scale is None:
            continue
        year = _COLUMN_YEAR.search(head)
        split = table.rows[header_rows - 1][i].text if header_rows > 1 and i < len(table.rows[header_rows - 1]) else ""
        split_folded = " ".join(fold_keep_length(split).lower().split())
        columns.append(
            _MoneyColumn(
                i,
                scale,
                int(year.group(1)) if year else None,
                source=" ".join(split.split()) if _SOURCE_WORDS.search(split_folded) else None,
                total=bool(re.match(r"tong\b", split_folded)),
            )
        )
    return header_rows, columns, source_col


def _row_label(row: list, upto: int) -> str:
    """The words naming a row's amount: the last cell with letters before it (`Chi khác`)."""
    for cell in reversed(row[:upto]):
        words = " ".join(cell.text.split())
        if sum(ch.isalpha() for ch in words) >= 3:
            return words
    return ""


def _from_tables(ctx: Context, outline: Outline, stated: Counter[int], body_start: int) -> list[Budget]:
    """Amounts in the columns of a cost table (`Thành tiền (đồng)`, `Kinh phí (triệu đồng)`), the unit
    taken from the header; a `Tổng cộng` row is the total. Rows whose cells merge or shift (group rows of
    a cost appendix) give the amounts printed with thousands groups wherever they stand. An appendix
    amount the running text already states (`stated`) is a repeat of it, counted once."""
    doc = ctx.doc
    folded_text = fold_keep_length(doc.text)
    budgets: list[Budget] = []
    for table in ctx.tables:
        if outline.in_review(table.start):
            continue
        header_rows, columns, source_col = _money_columns(table, doc.text[max(0, table.start - 200) : table.start])
        heads = _header_texts(table, header_rows)
        in_appendix = bool(_APPENDIX_HEADING.search(folded_text, body_start, table.start))
        if not columns:
            continue
        scale = columns[-1].scale
        for row in table.rows[header_rows:]:
            found: list[tuple[int, int, int | None]] = []  # (cell index, amount, year)
            by_index = {column.index: column for column in columns}
            skipped: set[int] = set()
            for column in columns:
                index = column.index
                value = _cell_amount(row, index)
                if value is None:
                    continue
                # A row shifted one cell right puts the unit price under the money header and the
                # amount after it (price, then price × quantity): the larger number is the amount.
                after = next((k for k in range(index + 1, len(row)) if row[k].text.strip()), None)
                larger = _cell_amount(row, after) if after is not None and after not in by_index else None
                if (
                    after is not None
                    and larger is not None
                    and larger > value
                    and _GROUPED_AMOUNT.match(row[after].text.strip())
                ):
                    skipped.add(index)
                    index, value = after, larger
                found.append((index, int((value * column.scale).to_integral_value()), column.year))
            money_cells = {index for index, _, _ in found} | skipped
            # A merged or shifted row (group rows of a cost appendix, a row missing its first cell) puts
            # its amounts in other columns: every amount printed with thousands groups there, except a
            # unit price (the number right before a larger one: price, then price × quantity). Beside a
            # filled money cell, only those of a million or more in columns not of prices or quantities.
            shifted = not found
            for i, cell in enumerate(row):
                raw = cell.text.strip()
                if i in money_cells or not _GROUPED_AMOUNT.match(raw) or find_money(cell.text):
                    continue
                value = parse_vn_decimal(raw)
                if not value:
                    continue
                if not shifted and (raw.count(".") < 2 or (i < len(heads) and _NOT_MONEY_COLUMN.search(heads[i]))):
                    continue
                following = next((c.text.strip() for c in row[i + 1 :] if c.text.strip()), "")
                next_value = parse_vn_decimal(following) if _GROUPED_AMOUNT.match(following) else None
                if next_value is not None and next_value > value:
                    continue
                found.append((i, int((value * scale).to_integral_value()), None))
            for index, vnd, year in found:
                if vnd < _MIN_AMOUNT:
                    continue
                if in_appendix and stated[vnd] > 0:
                    stated[vnd] -= 1  # an appendix restating an amount of the plan's text
                    continue
                named = table.roles.get("task", table.roles.get("target"))
                label = (
                    _row_label(row[named : named + 1], 1)
                    if index in money_cells and named is not None and named < min(index, len(row))
                    else ""
                ) or _row_label(row, index)
                row_text = " ".join(c.text for c in row[:index])
                is_total = bool(_TOTAL_ROW.search(" ".join(fold_keep_length(row_text).split()).lower()))
                money_column = by_index.get(index)
                is_total = is_total or bool(money_column and money_column.total)
                source = (
                    (money_column.source if money_column else None)
                    or (row[source_col].text.strip() if source_col is not None and source_col < len(row) else "")
                    or label
                )
                cell = row[index]
                budgets.append(
                    Budget(
                        text=cell.text.strip(),
                        amount_vnd=vnd,
                        year=year or outline.heading_year(table.start) or ctx.plan_year,
                        role="total" if is_total else "component",
                        source=" ".join(source.split()) or None,
                        span=doc.span(cell.start, cell.end),
                    )
                )
    return budgets


def _cell_amount(row: list, index: int) -> Decimal | None:
    """A bare number in a money column (an amount printed with its own unit is read in running text)."""
    if index >= len(row) or find_money(row[index].text):
        return None
    value = parse_vn_decimal(row[index].text.strip())
    return value if value is not None and value > 0 else None
