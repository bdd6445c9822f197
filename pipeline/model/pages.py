"""Internal currency between stages: pages as read, and pages as normalized.

Tables travel inside the page text as pipe rows, one table row per line:
`| 1 | Xây dựng ... | Sở KH&CN | Sở Tài chính | Quý II/2026 | Kế hoạch |`
(a `|` inside a cell is written as `¦`). Ingestion writes them that way for born-digital tables
(pdfplumber) and for tables rebuilt from OCR word boxes; repair keeps such lines intact; the
structure parser (pipeline.structure.document) reads them back with exact cell spans.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pydantic is not needed by OCR worker processes
    from pipeline.model.contract import PageOrigin


def pipe_row(cells: Sequence[str | None]) -> str:
    """One table row as `| a | b |`: newlines in a cell become spaces, `|` becomes `¦`."""
    cleaned = [" ".join((c or "").split()).replace("|", "¦") for c in cells]
    return "| " + " | ".join(cleaned) + " |"


@dataclass(slots=True)
class Word:
    """A word with its box in PDF points (or pixels for images), top-left origin."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    conf: float | None = None  # OCR confidence 0..100; None for a text layer


@dataclass(slots=True)
class Note:
    """A footnote read at the foot of a scanned page: its number when the OCR read it as one."""

    number: int | None
    text: str


@dataclass(slots=True)
class RawPage:
    """One page as read from the source: text layer, OCR, or plain text."""

    number: int  # 1-based
    origin: PageOrigin
    text: str
    width: float = 0.0
    height: float = 0.0
    words: list[Word] = field(default_factory=list)  # filled where positions were read
    # Each line is a whole paragraph or table row (Word, HTML, markdown): normalization must not
    # rejoin lines as it rejoins the hard-wrapped lines of a PDF or text file.
    paragraph_lines: bool = False
    # Text of red stamps and seals on an OCR'd page, read apart from the page's own text.
    stamps: list[str] = field(default_factory=list)
    # Footnotes of an OCR'd page, taken out of its text (ingestion puts them after the body).
    notes: list[Note] = field(default_factory=list)


@dataclass(slots=True)
class PageText:
    """One page after repair and restoration. Spans of extracted values index `text`."""

    number: int
    origin: PageOrigin
    raw: str
    text: str
    # raw_offsets[i] is the offset in `raw` of text[i] (len(text)+1 entries, the last maps the end)
    raw_offsets: list[int] = field(default_factory=list)
    diacritics_restored: bool = False
