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

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)


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


def find_tables(doc: DocText) -> list[Table]:
    """Every table in the document, in reading order, with cell offsets into doc.text."""
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
