"""Markdown (.md) as web-to-markdown converters leave a document: paragraphs and tables.

Paragraphs are separated by blank lines and hard-wrapped at about 80 characters: their lines are
joined again (a bullet opening a line after a finished sentence starts a new paragraph, as lists
are written without blank lines). Emphasis marks (`**`, `*`, `__`), link targets, images and
backslash escapes are dropped; headings (`#`) keep their text. Tables come in two shapes:

- pipe-cell blocks: a line holding only `|` separates cells, every cell's text on the lines
  between; a row ends with a `|` line right after another one, so with n columns every (n+1)-th
  gap is empty; a blank line after a `|` ends the table;
- GitHub tables: `| a | b |` lines, with a `|---|---|` rule under the header.

A conversion without any blank line (some converters lay a whole page out in one table) has no
paragraph or cell boundaries to trust: it is read as hard-wrapped text (`wrapped_text`).
"""

from __future__ import annotations

import html
import re

from pipeline.read.richtext import Block, Table

_RULE = re.compile(r"^\s*(?:[-_=*~―─]\s*){3,}$")
_GFM_ROW = re.compile(r"^\s*\|.*\|\s*$")
_GFM_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_ITEM = re.compile(r"^\s*(?:[-+*•]|\d{1,2}[.)])\s+(\S)")
_SENTENCE_END = re.compile(r"[.;:!?…][\"”’)\]*_]*$")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_STRONG = re.compile(r"\*\*|__")
# A lone `*` touching a word on one side opens or closes emphasis; ` * ` between spaces is a sign.
_EM = re.compile(r"(?<=\S)\*|\*(?=\S)")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


def clean_inline(text: str) -> str:
    """Text without markdown's inline marks."""
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _STRONG.sub("", text)
    text = _EM.sub("", text)
    text = _ESCAPE.sub(r"\1", text)
    return html.unescape(text)


def _inside_emphasis(text: str) -> bool:
    """Whether `text` ends inside a `**bold**` or `*italic*` span."""
    return text.count("**") % 2 == 1 or len(_EM.findall(text.replace("**", ""))) % 2 == 1


def _paragraphs(lines: list[str], *, cell: bool = False) -> list[str]:
    """Lines of one block joined into paragraphs: a new one only where a list item starts after a
    finished sentence (or at the block's first line). In a table `cell` the converter keeps the
    cell's own short lines (a header block's `ỦY BAN NHÂN DÂN` / `TỈNH X`): a line starts anew
    unless the one before ends inside an emphasis span or it starts in lower case."""
    out: list[list[str]] = []
    for raw in lines:
        line = _HEADING.sub("", raw).strip()
        if not line or _RULE.match(line):
            continue
        item = _ITEM.match(clean_inline(line))
        cell_line = cell and out and not _inside_emphasis(" ".join(out[-1])) and not clean_inline(line)[:1].islower()
        if not out or cell_line or (item and not item.group(1).islower() and _SENTENCE_END.search(out[-1][-1])):
            out.append([line])
        else:
            out[-1].append(line)
    joined = [clean_inline(" ".join(parts)) for parts in out]
    return [" ".join(p.split()) for p in joined if p.strip(" *_")]


def _cell_table(lines: list[str]) -> Table:
    """A pipe-cell block (its lines from the first `|` to the last) as a table."""
    gaps: list[list[str]] = []
    for line in lines[1:]:
        if line.strip() == "|":
            gaps.append([])
        elif gaps:
            gaps[-1].append(line)
        else:
            gaps.append([line])
    if gaps and not gaps[-1]:
        gaps.pop()  # the closing `|` of the last row opens nothing
    cells = [_paragraphs(gap, cell=True) for gap in gaps]
    return Table([row + [[] for _ in range(width - len(row))] for width, row in _rows(cells)])


_MAX_COLUMNS = 16
# What a cutting costs: each short row 1, each empty cell a little more. Two group-heading rows
# `A | Title` and `I | Title` are then not one short row glued across the empty gap between them
# (1 + 1.1 > 2), while a full row with n empty cells still beats n + 1 short rows.
_EMPTY_CELL = 1.1


def _rows(cells: list[list[list[str]]] | list[list[str]]) -> list[tuple[int, list]]:
    """The gaps between `|` lines cut into rows: (the table's width, one row's cells) each.

    An empty gap is an empty cell or the end of a row, and a row may be short (cells merged
    across columns, e.g. a group heading spanning the table). The width is the first row's when
    the gaps can be cut that way (a header row has every cell filled); else, of the widths that
    explain the gaps, the one whose cutting costs least (on a tie, the narrower table). A cutting
    costs its short rows and its empty cells (see the costs above).
    Headers of two levels (cells merged down and across) stay ambiguous in this format."""
    count = len(cells)
    header = next((i for i, cell in enumerate(cells) if not cell), count)  # a header row is full
    widths = [header] if header >= 2 else []
    widths += [w for w in range(1, min(_MAX_COLUMNS, count) + 1) if w != header]
    best: tuple[float, int, list[tuple[int, int]]] | None = None
    for width in widths:
        # cost[i]: cheapest cutting of cells[i:] when a row starts at i; cut[i]: that row's length
        cost: list[float] = [float("inf")] * (count + 1)
        cut = [0] * (count + 1)
        cost[count] = 0
        for i in range(count - 1, -1, -1):
            for k in range(min(width, count - i), 0, -1):
                end = i + k
                if end < count and cells[end]:
                    continue  # a row must end at the table's end or at an empty gap
                after = cost[end + 1] if end < count else 0
                total = after + (k != width) + _EMPTY_CELL * sum(not c for c in cells[i:end])
                if total < cost[i]:
                    cost[i], cut[i] = total, k
        if cost[0] == float("inf"):
            continue
        if best is None or cost[0] < best[0] or width == header:
            spans, i = [], 0
            while i < count:
                spans.append((i, i + cut[i]))
                i += cut[i] + 1
            best = (cost[0], width, spans)
            if width == header:
                break
    if best is None:
        return [(count, list(cells))]
    return [(best[1], list(cells[a:b])) for a, b in best[2]]


def _gfm_table(lines: list[str]) -> Table:
    rows = []
    for line in lines:
        if _GFM_RULE.match(line):
            continue
        inner = line.strip()[1:-1]
        parts = re.split(r"(?<!\\)\|", inner)
        rows.append([_paragraphs([part]) for part in parts])
    return Table(rows)


_UNBROKEN_MIN_LINES = 40


def unbroken(text: str) -> bool:
    """A conversion that kept no blank line between paragraphs (a whole page laid out in one
    table): its lines cannot be told apart as paragraphs or cells, only read as wrapped text."""
    lines = text.splitlines()
    return len(lines) >= _UNBROKEN_MIN_LINES and not any(not line.strip() for line in lines)


def wrapped_text(text: str) -> str:
    """An unbroken conversion as hard-wrapped plain text: cell separators and inline marks
    dropped, lines kept for normalization to rejoin as it rejoins a PDF's lines."""
    lines = (clean_inline(_HEADING.sub("", line)).strip() for line in _BR.sub("\n", text).splitlines())
    return "\n".join(line for line in lines if line.strip("|#*_ ") and not _RULE.match(line))


def read_blocks(text: str) -> list[Block]:
    """The markdown text as paragraphs and tables (pipeline.read.richtext)."""
    lines = _BR.sub("\n", text.replace("\r\n", "\n").replace("\r", "\n")).split("\n")
    blocks: list[Block] = []
    paragraph: list[str] = []

    def flush() -> None:
        blocks.extend(_paragraphs(paragraph))
        paragraph.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip() == "|":  # a pipe-cell table: up to a blank line after a `|`
            flush()
            j = i + 1
            last_bar = i
            while j < len(lines):
                if lines[j].strip() == "|":
                    last_bar = j
                elif not lines[j].strip() and last_bar == j - 1:
                    break
                j += 1
            blocks.append(_cell_table(lines[i : last_bar + 1]))
            i = last_bar + 1
        elif _GFM_ROW.match(line) and line.strip() != "|":
            flush()
            j = i
            while (
                j < len(lines) and lines[j].strip() != "|" and (_GFM_ROW.match(lines[j]) or _GFM_RULE.match(lines[j]))
            ):
                j += 1
            blocks.append(_gfm_table(lines[i:j]))
            i = j
        elif not line.strip():
            flush()
            i += 1
        else:
            if _HEADING.match(line):  # a heading is a paragraph of its own
                flush()
                paragraph.append(line)
                flush()
            else:
                paragraph.append(line)
            i += 1
    flush()
    return blocks
