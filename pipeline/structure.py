"""Document structure: tables (from pipe rows in page text) and the outline.

Tables: ingestion writes every table row as one line `| a | b | c |` (see pipeline.pages); rows
that follow each other form one table, and a table continued on the next page (same column count,
no header) joins the table before it. Cells keep their global offsets into DocText.text.

Outline: parts (A.), sections (I.), items (1., 1.1., 2.2.1.), letters (a)), bullets, appendices
(Phụ lục) — built by `parse_outline` (owned by the extraction work).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from normalizers.agencies import folded
from pipeline.doctext import DocText

_ROW = re.compile(r"^[ \t]*\|(.*)\|[ \t]*$", re.M)


@dataclass(slots=True)
class Cell:
    text: str
    start: int  # global offsets into DocText.text
    end: int


@dataclass(slots=True)
class Table:
    rows: list[list[Cell]] = field(default_factory=list)
    start: int = 0
    end: int = 0
    header_rows: int = 0  # leading rows that are the header (0: none found)
    roles: dict[str, int] = field(default_factory=dict)  # column role → column index (see COLUMN_ROLES)
    recovered: bool = False  # rebuilt from row-interleaved text; cell spans cover the whole row block

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    @property
    def kind(self) -> str:
        """"tasks" (a task assignment table), "targets" (a target table) or "other"."""
        if "task" in self.roles and ("lead" in self.roles or "deadline" in self.roles):
            return "tasks"
        if "target" in self.roles:
            return "targets"
        return "other"

    @property
    def body(self) -> list[list[Cell]]:
        return self.rows[self.header_rows:]

    def cell(self, row: list[Cell], role: str) -> Cell | None:
        index = self.roles.get(role)
        if index is None or index >= len(row):
            return None
        return row[index]


def _split_row(line: str, line_start: int) -> list[Cell]:
    """Cells of one `| a | b |` line with their global offsets (text stripped)."""
    cells: list[Cell] = []
    inner_start = line.index("|") + 1
    inner_end = line.rindex("|")
    pos = inner_start
    for part in line[inner_start:inner_end].split("|"):
        stripped = part.strip()
        lead = len(part) - len(part.lstrip())
        s = line_start + pos + lead
        cells.append(Cell(text=stripped, start=s, end=s + len(stripped)))
        pos += len(part) + 1
    return cells


# Column vocabulary of plan tables, checked in order on folded header text.
COLUMN_ROLES: list[tuple[str, re.Pattern[str]]] = [
    ("stt", re.compile(r"^(?:stt|tt|so tt|so thu tu)$")),
    ("coop", re.compile(r"phoi hop")),
    ("monitor", re.compile(r"theo doi|tong hop")),
    ("lead", re.compile(r"chu tri|(?:co quan|don vi) (?:thuc hien|dau moi)")),
    ("deadline", re.compile(r"thoi han|thoi gian|tien do|hoan thanh")),
    ("output", re.compile(r"san pham|ket qua|dau ra")),
    ("value", re.compile(r"(?:muc tieu|chi tieu|ke hoach)\s*(?:nam\s*)?(?:19|20)\d\d|gia tri|^nam\s*(?:19|20)\d\d")),
    ("unit", re.compile(r"don vi tinh|^dvt$")),
    ("task", re.compile(r"nhiem vu|noi dung|hoat dong|ten (?:de an|du an|chuong trinh)|giai phap")),
    ("target", re.compile(r"muc tieu|chi tieu")),
]
# What may stand between two parts of one table split across pages: a page number, a running header.
_PAGE_NOISE = re.compile(r"^[\s\d\f\-–—./]*(?:trang\s*\d+[\s\d/]*)?$", re.I)


def column_role(header: str) -> str | None:
    """The role of a column from its header text (`Cơ quan chủ trì` → "lead"), None if unknown."""
    low = " ".join(folded(header).lower().split())
    if not low or len(low) > 80:
        return None
    return next((role for role, pattern in COLUMN_ROLES if pattern.search(low)), None)


def header_roles(row: list[Cell]) -> dict[str, int]:
    """Column roles if `row` reads as a header row (two or more known columns), else {}."""
    roles: dict[str, int] = {}
    for i, cell in enumerate(row):
        role = column_role(cell.text)
        if role and role not in roles:
            roles[role] = i
    if len(roles) >= 2 and roles.keys() & {"task", "target", "lead", "deadline"}:
        return roles
    return {}


def _pipe_blocks(doc: DocText) -> list[Table]:
    """Runs of consecutive pipe rows (blank lines and page breaks between rows allowed)."""
    tables: list[Table] = []
    current: Table | None = None
    last_end = -1
    for m in _ROW.finditer(doc.text):
        cells = _split_row(m.group(0), m.start())
        between = doc.text[last_end:m.start()] if last_end >= 0 else None
        contiguous = between is not None and between.strip("\n\f \t") == ""
        if current is not None and contiguous:
            current.rows.append(cells)
            current.end = m.end()
        else:
            current = Table(rows=[cells], start=m.start(), end=m.end())
            tables.append(current)
        last_end = m.end()
    return tables


def find_tables(doc: DocText) -> list[Table]:
    """Every table in the document, in reading order, with cell offsets into doc.text.

    A header row (found by column vocabulary) gives the table its column roles; a block without a
    header that follows a table with the same column count across a page break (only page noise
    between) continues that table, and a header repeated on the next page is dropped.
    When the document holds no pipe rows, tables read row-interleaved by OCR are recovered
    (`recover_interleaved_tables`).
    """
    merged: list[Table] = []
    for table in _pipe_blocks(doc):
        for i, row in enumerate(table.rows[:3]):
            roles = header_roles(row)
            if roles:
                table.header_rows, table.roles = i + 1, roles
                break
        prev = merged[-1] if merged else None
        between = doc.text[prev.end:table.start] if prev else ""
        if (prev is not None and prev.roles and table.n_cols == prev.n_cols and "\f" in between
                and _PAGE_NOISE.match(between) and (not table.roles or table.roles == prev.roles)):
            prev.rows.extend(table.body)
            prev.end = table.end
            continue
        merged.append(table)
    if not merged:
        merged = recover_interleaved_tables(doc)
    return merged


def recover_interleaved_tables(doc: DocText) -> list[Table]:
    """Tables whose rows OCR read row-interleaved (no pipes): see the recovery section below."""
    return []
