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
from dataclasses import dataclass

from extractors.context import Context
from extractors.legal_basis import preamble_bounds
from extractors.sections import Outline
from normalizers.numbers import find_money, parse_vn_decimal, scale_of
from normalizers.vndates import fold_keep_length
from pipeline.models import Budget
from pipeline.structure import Table

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
_PER_BENEFICIARY = re.compile(r"[ \t]*/[ \t]*(?:(?:nam|thang)[ \t]*/[ \t]*)?(?!nam\b|thang\b|quy\b)[^\W\d_]", re.I)


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
    if colon < 0 or window[colon + 1:].strip(" \t\n").lower() not in ("", "khoang", "la", "du kien"):
        return _inline_label(text, window, window_start)
    head = window[:colon]
    # The clause holding the label starts after the last sentence end or line start.
    cuts = [m.end() for m in re.finditer(r"[.;!?]\s|\n\s*(?=[-+•*–]|\d+[.)]|[A-ZĐ])", head)]
    begin = cuts[-1] if cuts else 0
    raw = text[window_start + begin: window_start + colon]
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
    label = " ".join(text[window_start + cut + begin:window_start + cut + len(piece)].split())
    if not 1 < len(label.split()) <= 12 or not label[:1].isalpha():
        return None, window_start + len(window)
    return label, window_start + cut + begin


def extract(ctx: Context) -> list[Budget]:
    doc = ctx.doc
    text = doc.text
    folded = fold_keep_length(text)
    outline = Outline.of(doc)
    _, body_start = preamble_bounds(doc)
    amounts: list[_Amount] = []
    for start, end, vnd in find_money(text[body_start:]):
        start, end = start + body_start, end + body_start
        if vnd < _MIN_AMOUNT:
            continue
        if outline.in_review(start):
            continue
        clause_start = max((m.end() for m in _CLAUSE_START.finditer(folded, max(0, start - 200), start)),
                           default=max(0, start - 200))
        if _PAST_CUE.search(folded, clause_start, start):
            continue
        # `tối đa 2 tỷ đồng/doanh nghiệp`: a cap per beneficiary in a policy, not money of the plan.
        if _PER_BENEFICIARY.match(folded, end):
            continue
        label, label_start = _label_before(text, folded, start, body_start)
        year_in = _YEAR.search(fold_keep_length(label)) if label else None
        year = int(year_in.group(1)) if year_in else None
        amounts.append(_Amount(start, end, vnd, label, label_start, year))

    budgets: list[Budget] = _from_tables(ctx, outline)
    totals = {b.amount_vnd for b in budgets if b.role == "total"}
    for group in _groups(amounts, outline):
        roles = _roles(group, folded)
        group_year = next((a.year for a in group if a.year), None)
        for amount, role in zip(group, roles, strict=True):
            if role == "total" and amount.vnd in totals:
                continue  # the same total stated again (in a summary or an appendix)
            if role == "total":
                totals.add(amount.vnd)
            year = (amount.year or group_year or outline.heading_year(amount.start) or ctx.plan_year)
            budgets.append(Budget(
                text=" ".join(text[amount.start:amount.end].split()), amount_vnd=amount.vnd, year=year,
                role=role, source=amount.label, span=doc.span(amount.start, amount.end),
            ))
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


def _roles(group: list[_Amount], folded: str) -> list[str]:
    first, rest = group[0], group[1:]
    if not rest:
        return ["total"]
    says_total = bool(first.label and _TOTAL_CUE.search(fold_keep_length(first.label)))
    breakdown = bool(_BREAKDOWN_AFTER.match(folded, first.end))
    sums = abs(sum(a.vnd for a in rest) - first.vnd) <= first.vnd * 0.01
    if says_total or breakdown or sums:
        return ["total"] + ["component"] * len(rest)
    return ["component"] * len(group)


# ---------------------------------------------------------------------------------------- tables

_MONEY_COLUMN = re.compile(r"kinh phi|du toan|tong von|nguon von|ngan sach|tong muc dau tu|thanh tien|so tien|"
                           r"tong tien")
# A unit price column is no amount of the plan; a grouped number (`1.311.038.946`) is an amount.
_PRICE_COLUMN = re.compile(r"don gia|muc chi|dinh muc")
_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?")
_SCALE_NOTE = re.compile(r"(?:trieu|ty|ti|nghin|ngan)\s*(?:dong|vnd)|\bdong\b|\btrd\b", re.I)
_TOTAL_ROW = re.compile(r"^(?:tong|cong)\b|\btong (?:cong|so|kinh phi)\b", re.I)


def _money_column(table: Table, before: str) -> tuple[int, int, int] | None:
    """(header rows, column, scale in đồng) of a column of amounts whose unit the header gives."""
    for h, row in enumerate(table.rows[:3]):
        for i, cell in enumerate(row):
            head = " ".join(fold_keep_length(cell.text).lower().split())
            if not _MONEY_COLUMN.search(head):
                continue
            # The unit: in the header cell (`Kinh phí (triệu đồng)`) or a note above (`ĐVT: triệu đồng`).
            note = _SCALE_NOTE.search(head) or _SCALE_NOTE.search(fold_keep_length(before).lower())
            scale = scale_of(note.group(0)) if note else None
            if scale:
                return h + 1, i, scale
    return None


def _from_tables(ctx: Context, outline: Outline) -> list[Budget]:
    """Amounts in a table column headed `Kinh phí (triệu đồng)`: components, `Tổng cộng` row the total."""
    doc = ctx.doc
    budgets: list[Budget] = []
    for table in ctx.tables:
        if outline.in_review(table.start):
            continue
        layout = _money_column(table, doc.text[max(0, table.start - 200):table.start])
        if layout is None:
            continue
        header_rows, col, scale = layout
        label_col = table.roles.get("task", table.roles.get("target", 1 if col != 1 else 0))
        price_cols = {i for r in table.rows[:header_rows] for i, c in enumerate(r)
                      if _PRICE_COLUMN.search(fold_keep_length(c.text).lower())}
        for row in table.rows[header_rows:]:
            if col < len(row) and find_money(row[col].text):
                continue  # an amount with its own unit is found in the running text
            cells = [row[col]] if col < len(row) and parse_vn_decimal(row[col].text.strip()) else [
                # A group row whose merged cells shifted its amount out of the column: its grouped numbers.
                c for k, c in enumerate(row) if k not in price_cols and k != 0 and _GROUPED.fullmatch(c.text.strip())]
            label_cell = row[label_col] if label_col < len(row) else None
            label = " ".join(label_cell.text.split()) if label_cell else ""
            row_text = " ".join(c.text for c in row[:col])
            is_total = bool(_TOTAL_ROW.search(fold_keep_length(row_text).strip().lower()))
            for cell in cells:
                value = parse_vn_decimal(cell.text.strip())
                if value is None or value <= 0:
                    continue
                budgets.append(Budget(
                    text=cell.text.strip(), amount_vnd=int((value * scale).to_integral_value()),
                    year=outline.heading_year(table.start) or ctx.plan_year,
                    role="total" if is_total else "component", source=label or None,
                    span=doc.span(cell.start, cell.end),
                ))
    return budgets
