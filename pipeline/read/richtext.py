"""Documents that arrive as paragraphs and tables (Word, web pages, markdown) → page text.

The readers in pipeline/engines (word, web_page, markdown_text) turn a file into blocks: paragraphs,
tables and page breaks. `render` writes them the way the rest of the pipeline reads PDF text: one
paragraph per line, a blank line between paragraphs, every table row as a pipe row
(`| a | b |`, see pipeline.model.pages) and pages split by form feeds.

A small table, at most three rows of at most two filled cells each, is not data but layout: the
document header (issuer and number on the left, motto and place-date on the right), the closing
block (recipients on the left, the signature on the right) or a frame around a block of text. It
is read as a reader reads it, column by column, each cell's paragraphs on their own lines, as the
header of a PDF reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.model.pages import pipe_row

LAYOUT_MAX_FILLED_CELLS = 2
LAYOUT_MAX_ROWS = 3


@dataclass(slots=True)
class Table:
    """Rows of cells on the table's grid; each cell holds its paragraphs ([] when empty, or covered
    by a cell merged from the left or from above: the text stands once, in the first cell)."""

    rows: list[list[list[str]]] = field(default_factory=list)

    def cell_text(self, row: int, col: int) -> str:
        return " ".join(self.rows[row][col])


class PageBreak:
    """A page break the document states (Word's explicit page break)."""


Block = str | Table | PageBreak
PAGE_BREAK = PageBreak()


def one_line(text: str) -> str:
    """A paragraph on one line: runs of whitespace (line breaks included) made one space."""
    return " ".join(text.split())


def _filled(table: Table) -> Table:
    """The table without rows that are empty in every cell, each row padded to the widest."""
    rows = [row for row in table.rows if any(one_line(p) for cell in row for p in cell)]
    width = max((len(row) for row in rows), default=0)
    return Table([row + [[] for _ in range(width - len(row))] for row in rows])


def _filled_cells(row: list[list[str]]) -> int:
    return sum(1 for cell in row if any(p.strip() for p in cell))


def is_layout(table: Table) -> bool:
    """At most three rows with at most two filled cells each (spacer columns aside): the header or
    signature block, or a frame around text, not data."""
    return len(table.rows) <= LAYOUT_MAX_ROWS and all(
        _filled_cells(row) <= LAYOUT_MAX_FILLED_CELLS for row in table.rows
    )


def _bands(rows: list[list[list[str]]]) -> list[list[list[list[str]]]]:
    """Runs of layout rows filled in the same columns: each is read column by column (the header's
    issuer | motto over number | date), one band after the other (then a `Kính gửi:` row below)."""
    bands: list[list[list[list[str]]]] = []
    previous: set[int] | None = None
    for row in rows:
        filled = {i for i, cell in enumerate(row) if any(p.strip() for p in cell)}
        if filled != previous:
            bands.append([])
        bands[-1].append(row)
        previous = filled
    return bands


def _table_lines(table: Table) -> list[str]:
    if is_layout(table):
        return [
            one_line(p)
            for band in _bands(table.rows)
            for col in range(len(band[0]))
            for row in band
            for p in row[col]
            if p.strip()
        ]
    return [pipe_row([" ".join(cell) for cell in row]) for row in table.rows]


def render(blocks: list[Block]) -> list[str]:
    """The text of each page: paragraphs one per line with a blank line between them, table rows
    one per line (a table's rows are consecutive lines)."""
    pages: list[list[str]] = [[]]
    for block in blocks:
        if isinstance(block, PageBreak):
            pages.append([])
        elif isinstance(block, Table):
            table = _filled(block)
            if table.rows:
                lines = _table_lines(table)
                if is_layout(table):
                    pages[-1].extend(lines)
                else:
                    pages[-1].append("\n".join(lines))
        elif block.strip():
            pages[-1].append(one_line(block))
    texts = ["\n\n".join(parts) for parts in pages]
    while len(texts) > 1 and not texts[-1].strip():
        texts.pop()  # a break at the very end opens no page
    return texts
