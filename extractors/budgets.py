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
from normalizers.numbers import find_money
from normalizers.vndates import fold_keep_length
from pipeline.models import Budget

_GROUP_GAP = 400  # characters between amounts listed together
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
        return None, pos
    head = window[:colon]
    # The clause holding the label starts after the last sentence end or line start.
    cuts = [m.end() for m in re.finditer(r"[.;!?]\s|\n\s*(?=[-+•*–]|\d+[.)]|[A-ZĐ])", head)]
    begin = cuts[-1] if cuts else 0
    raw = text[window_start + begin: window_start + colon]
    prefix = _LABEL_PREFIX.match(raw)
    skip = prefix.end() if prefix else 0
    label = " ".join(raw[skip:].split()).strip(" ,;:")
    return (label or None), window_start + begin + skip


def extract(ctx: Context) -> list[Budget]:
    doc = ctx.doc
    text = doc.text
    folded = fold_keep_length(text)
    outline = Outline.of(doc)
    _, body_start = preamble_bounds(doc)
    amounts: list[_Amount] = []
    for start, end, vnd in find_money(text[body_start:]):
        start, end = start + body_start, end + body_start
        if outline.in_review(start):
            continue
        clause_start = max((m.end() for m in _CLAUSE_START.finditer(folded, max(0, start - 200), start)),
                           default=max(0, start - 200))
        if _PAST_CUE.search(folded, clause_start, start):
            continue
        label, label_start = _label_before(text, folded, start, body_start)
        year_in = _YEAR.search(fold_keep_length(label)) if label else None
        year = int(year_in.group(1)) if year_in else None
        amounts.append(_Amount(start, end, vnd, label, label_start, year))

    budgets: list[Budget] = []
    for group in _groups(amounts):
        roles = _roles(group, folded)
        group_year = next((a.year for a in group if a.year), None)
        for amount, role in zip(group, roles, strict=True):
            year = (amount.year or group_year or outline.heading_year(amount.start) or ctx.plan_year)
            budgets.append(Budget(
                text=" ".join(text[amount.start:amount.end].split()), amount_vnd=amount.vnd, year=year,
                role=role, source=amount.label, span=doc.span(amount.start, amount.end),
            ))
    return budgets


def _groups(amounts: list[_Amount]) -> list[list[_Amount]]:
    groups: list[list[_Amount]] = []
    for amount in amounts:
        if groups and amount.start - groups[-1][-1].end < _GROUP_GAP:
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
