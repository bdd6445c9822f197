"""Page text from OCR word boxes, with tables rebuilt as pipe rows.

Tesseract reads a ruled table cell by cell in whatever order its layout analysis picks, which
interleaves rows. Here the page is levelled and its ruled grids found (pipeline.read.rulings), each grid
becomes a table, every word is placed in the cell holding its centre, and the table is written as pipe rows
(pipeline.model.pages) at its vertical place among the other lines. The rules are erased from the image
Tesseract reads, so it neither reads them as `|` nor lets them split or join its lines.
Lines outside grids keep Tesseract's reading order; a run of lines whose words fall into the same
columns (a table drawn without rules) is written as pipe rows too.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image

from pipeline.model.pages import pipe_row
from pipeline.read.engines.tesseract import OcrWord
from pipeline.read.rulings import (
    MIN_SKEW,
    Grid,
    deskew,
    detect_grids,
    erase_rules,
    grids_in_ink,
    ink_mask,
    level_ink,
    paper_level,
    skew_of_ink,
)

_COLUMN_GAP = 3.0  # a gap wider than this many word heights separates side-by-side columns
_MAX_COLUMN_RUN = 4  # lines; longer runs of split lines are a borderless table, not a header block
_MIN_BORDERLESS_ROWS = 3
_CELL_BLOCK = 10_000  # Tesseract block ids of mosaic cells start here


@dataclass(slots=True)
class CellMosaic:
    """The cells of a page's ruled tables cut out and set again far apart, so that one Tesseract
    call reads every cell on its own. Read in place, Tesseract's page layout analysis joins and
    splits cells unpredictably and misreads shaded or narrow ones. The cells, each cut to its ink,
    stand one under another, except that a narrow cell (a row number) leads the line of the cell
    after it: alone, a digit has no line height to be read against and comes back as a stray mark.
    (Whole rows side by side would give every cell that context, but Tesseract then sizes word
    spaces from the wide gaps between cells and glues words together.)"""

    image: Image.Image
    # per cell: its box in the mosaic (left, top, right, bottom) and the shift back to the page
    placements: list[tuple[tuple[int, int, int, int], tuple[int, int]]]

    def to_page(self, words: Sequence[OcrWord]) -> list[OcrWord]:
        """Mosaic words moved back to their page position; each cell a Tesseract block of its own."""
        placed: list[OcrWord] = []
        for word in words:
            cx, cy = _center(word)
            for i, ((left, top, right, bottom), (dx, dy)) in enumerate(self.placements):
                if left <= cx <= right and top <= cy <= bottom:
                    placed.append(replace(word, left=word.left + dx, top=word.top + dy, block=_CELL_BLOCK + i))
                    break
        return placed


@dataclass(slots=True)
class PageLayout:
    """A page prepared for OCR: levelled, its ruled tables found and cut out into a cell mosaic."""

    image: Image.Image  # what Tesseract reads for the text outside tables (tables blanked)
    grids: list[Grid]
    dpi: int
    skew: float  # degrees the page was turned to level it (0: OCR'd as scanned)
    cells: CellMosaic | None = None  # the tables' cells, to OCR separately


def _ink_box(ink: np.ndarray, box: tuple[int, int, int, int], min_ink: int) -> tuple[int, int, int, int] | None:
    """The part of `box` holding ink, or None for an empty cell (a few specks at most)."""
    left, top, right, bottom = box
    cell = ink[top:bottom, left:right]
    if cell.sum() < min_ink:
        return None
    rows, cols = np.flatnonzero(cell.any(axis=1)), np.flatnonzero(cell.any(axis=0))
    return left + int(cols[0]), top + int(rows[0]), left + int(cols[-1]) + 1, top + int(rows[-1]) + 1


def _first_baseline(ink: np.ndarray, dpi: int) -> int:
    """The row just below the first text line's letter bodies in a cell's ink: its baseline.

    Letter bodies fill the rows between baseline and x-height densely; accents above and descenders
    below are sparse, so the first dense band of the row profile ends on the baseline. (Serif
    letters are thinner halfway up the x-height; a short thin stretch does not end the band.)
    """
    profile = ink.sum(axis=1)
    if not profile.any():
        return ink.shape[0]
    dense = np.flatnonzero(profile >= 0.3 * profile.max())
    breaks = np.flatnonzero(np.diff(dense) > max(4, dpi // 25))
    return int(dense[breaks[0]] if len(breaks) else dense[-1]) + 1


def cell_mosaic(gray: Image.Image, grids: Sequence[Grid], dpi: int) -> CellMosaic | None:
    """The grids' non-empty cells of `gray` (rules erased), a line of cells per table row."""
    pixels = np.asarray(gray)
    ink = ink_mask(pixels)
    paper = int(paper_level(pixels))
    # Near-paper greys (light shading, what is left of an erased rule) become plain paper; glyph
    # edges are kept, as Tesseract reads anti-aliased strokes better than hard-cut ones.
    flat = Image.fromarray(np.where(pixels > paper - 16, np.uint8(paper), pixels))
    inset = max(2, round(dpi / 100)) + max(3, round(dpi * 0.02)) // 2
    gap = max(20, dpi // 4)  # blank paper between rows
    gap_x = max(10, dpi // 4)  # between a row number and its neighbour: several word spaces
    pad = max(2, dpi // 50)  # paper kept around a cell's ink
    tol = dpi * 0.04
    short = dpi * 0.25  # narrower ink than this: a row number or a mark, read with its neighbour
    lines: list[list[tuple[int, int, int, int]]] = []
    for grid in grids:
        for _, row_cells in itertools.groupby(grid_cells(grid, tol), key=lambda c: c.row):
            row = [
                (round(c.left) + inset, round(c.top) + inset, round(c.right) - inset, round(c.bottom) - inset)
                for c in row_cells
            ]
            found = [_ink_box(ink, box, dpi // 10) for box in row if box[2] > box[0] and box[3] > box[1]]
            boxes = [(x0 - pad, y0 - pad, x1 + pad, y1 + pad) for x0, y0, x1, y1 in filter(None, found)]
            # Each cell on a line of its own, except that a narrow one leads the next cell's line.
            pending: list[tuple[int, int, int, int]] = []
            for box in boxes:
                pending.append(box)
                if box[2] - box[0] >= short:
                    lines.append(pending)
                    pending = []
            if pending:
                lines.append(pending)
    if not lines:
        return None
    # Vertical offset of each box in its line: a narrow cell sits on the baseline of the first text
    # line of the cell it leads (set level with the top of `Ứng`, a digit would stand above it).
    offsets: list[list[int]] = []
    for line in lines:
        anchor = line[-1]
        baseline = _first_baseline(ink[anchor[1] : anchor[3], anchor[0] : anchor[2]], dpi)
        raw = [baseline - (b[3] - b[1] - pad) for b in line[:-1]] + [0]
        offsets.append([o - min(raw) for o in raw])
    width = max(sum(b[2] - b[0] + gap_x for b in line) for line in lines) + gap
    height = (
        sum(
            max(o + b[3] - b[1] for o, b in zip(offs, line, strict=True)) + gap
            for offs, line in zip(offsets, lines, strict=True)
        )
        + gap
    )
    mosaic = Image.new("L", (width, height), paper)
    placements: list[tuple[tuple[int, int, int, int], tuple[int, int]]] = []
    y = gap
    for offs, line in zip(offsets, lines, strict=True):
        x = gap
        for offset, box in zip(offs, line, strict=True):
            w, h = box[2] - box[0], box[3] - box[1]
            mosaic.paste(flat.crop(box), (x, y + offset))
            placements.append(((x, y + offset, x + w, y + offset + h), (box[0] - x, box[1] - y - offset)))
            x += w + gap_x
        y += max(o + b[3] - b[1] for o, b in zip(offs, line, strict=True)) + gap
    return CellMosaic(mosaic, placements)


_HALF_PROBE_DPI = 250  # below this, halving would thin a table's rules and rows past detection


def _half(ink: np.ndarray) -> np.ndarray:
    h, w = ink.shape[0] // 2 * 2, ink.shape[1] // 2 * 2
    return ink[0:h:2, 0:w:2] | ink[1:h:2, 0:w:2] | ink[0:h:2, 1:w:2] | ink[1:h:2, 1:w:2]


def prepare_page(image: Image.Image, dpi: int) -> PageLayout:
    """Find the page's ruled tables; level a page that has some, cut their cells out for OCR and
    blank them on the page.

    The tables are looked for in the page's ink turned level (cheap); only a page with tables is
    itself levelled (grid rows must be horizontal to cut cells). A page without goes to Tesseract
    as it is: it levels text lines itself, and the words keep the scan's own coordinates.
    """
    gray = image.convert("L")
    ink = ink_mask(np.asarray(gray))
    angle = skew_of_ink(ink)
    if abs(angle) < MIN_SKEW:
        angle = 0.0
    # The look runs at half resolution on dense scans (2×2 blocks: ink if any pixel is), ~4× cheaper.
    probe, probe_dpi = (_half(ink), dpi // 2) if dpi >= _HALF_PROBE_DPI else (ink, dpi)
    if not grids_in_ink(level_ink(probe, angle), probe_dpi):
        return PageLayout(gray, [], dpi, 0.0)
    gray, angle = deskew(gray, angle=angle)
    grids = detect_grids(gray, dpi)
    if not grids:
        return PageLayout(gray, grids, dpi, angle)
    cells = cell_mosaic(erase_rules(gray, grids, dpi), grids, dpi)
    page = gray.copy()
    paper = int(paper_level(np.asarray(gray)))
    for grid in grids:
        page.paste(paper, (grid.left, round(grid.top), grid.right + 1, round(grid.bottom) + 1))
    return PageLayout(page, grids, dpi, angle, cells)


# --- text ------------------------------------------------------------------------------------------


def _column_edges(grid: Grid, top: float, bottom: float, tol: float) -> list[float]:
    mid = (top + bottom) / 2
    xs = sorted(v.pos for v in grid.verticals if v.start - tol <= mid <= v.end + tol)
    # A table without outer vertical borders: its horizontal rules give the outer edges. (A skewed
    # scan moves rule ends a little, hence the wider tolerance.)
    if not xs or xs[0] - grid.left > 4 * tol:
        xs.insert(0, float(grid.left))
    if grid.right - xs[-1] > 4 * tol:
        xs.append(float(grid.right))
    edges = [xs[0]]
    for x in xs[1:]:
        if x - edges[-1] > tol:
            edges.append(x)
    return edges


@dataclass(slots=True)
class _Cell:
    row: int  # the grid row it starts in
    left: float
    top: float
    right: float
    bottom: float


def _closed_below(grid: Grid, bottom: float, left: float, right: float, tol: float) -> bool:
    """Whether a horizontal rule closes the cell [left, right] at `bottom`."""
    mid = (left + right) / 2
    return any(abs(h.pos - bottom) <= tol and h.start - tol <= mid <= h.end + tol for h in grid.horizontals)


def grid_cells(grid: Grid, tol: float) -> list[_Cell]:
    """The grid's cells row by row, each left to right. A cell no rule closes from below runs on
    into the row under it (a merged cell: one agency or deadline for several rows), so its text is
    neither cut through between rows nor split over them."""
    cells: list[_Cell] = []
    running: list[_Cell] = []
    last = len(grid.rows) - 1
    for r, (top, bottom) in enumerate(grid.rows):
        carried = running
        running = []
        for left, right in itertools.pairwise(_column_edges(grid, top, bottom, tol)):
            cell = next((c for c in carried if abs(c.left - left) <= tol and abs(c.right - right) <= tol), None)
            if cell is None:
                cell = _Cell(r, left, top, right, bottom)
                cells.append(cell)
            cell.bottom = bottom
            if r < last and grid.horizontals and not _closed_below(grid, bottom, left, right, tol):
                running.append(cell)
    return sorted(cells, key=lambda c: (c.row, c.left))


def _center(word: OcrWord) -> tuple[float, float]:
    return word.left + word.width / 2, word.top + word.height / 2


def text_lines(words: Sequence[OcrWord]) -> list[list[OcrWord]]:
    """Words grouped into lines by vertical centre, top to bottom, each left to right."""
    if not words:
        return []
    height = float(np.median([w.height for w in words]))
    lines: list[list[OcrWord]] = []
    for word in sorted(words, key=lambda w: _center(w)[1]):
        if lines and _center(word)[1] - _center(lines[-1][0])[1] <= height * 0.6:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w.left) for line in lines]


def _cell_text(words: list[OcrWord]) -> str:
    """Words of one cell in reading order: line by line, each left to right.

    Tesseract sometimes reads the blank beside a lone number as `_`; plan tables hold no
    underscores, so they are dropped from word ends.
    """
    texts = (w.text.strip("_") for line in text_lines(words) for w in line)
    return " ".join(t for t in texts if t)


_RULE_GLYPHS = frozenset("|¦‖[]!")


def _is_rule_glyph(word: OcrWord, edges: list[float], tol: float) -> bool:
    """A vertical rule that Tesseract read as `|` (or `[`, `!`): a bar glyph sitting on a column edge."""
    if not set(word.text) <= _RULE_GLYPHS:
        return False
    cx = word.left + word.width / 2
    return any(abs(cx - x) <= tol * 2 for x in edges)


def _grid_columns(grid: Grid, tol: float) -> list[float]:
    """The x of every column edge of the grid (rules crossing only some rows included)."""
    edges: list[float] = []
    for top, bottom in grid.rows:
        for x in _column_edges(grid, top, bottom, tol):
            if all(abs(x - e) > tol for e in edges):
                edges.append(x)
    return sorted(edges)


def _table_rows(grid: Grid, words: list[OcrWord], tol: float) -> list[str]:
    columns = _grid_columns(grid, tol)
    n_cols = max(len(columns) - 1, 1)
    cells = grid_cells(grid, tol)
    content: list[list[OcrWord]] = [[] for _ in cells]
    for word in words:
        cx, cy = _center(word)
        band = next(((t, b) for t, b in grid.rows if t <= cy < b), None)
        if band is None or _is_rule_glyph(word, _column_edges(grid, *band, tol), tol):
            continue
        holding = [k for k, c in enumerate(cells) if c.top <= cy < c.bottom]
        if holding:
            k = min(
                holding,
                key=lambda k: (
                    0
                    if cells[k].left <= cx < cells[k].right
                    else min(abs(cx - cells[k].left), abs(cx - cells[k].right))
                ),
            )
            content[k].append(word)
    rows: list[list[str]] = []
    for _, group in itertools.groupby(zip(cells, content, strict=True), key=lambda pair: pair[0].row):
        # A cell spanning several grid columns goes in the first of them; the others stay empty,
        # as pdfplumber writes merged cells.
        texts = [""] * n_cols
        for cell, cell_words in group:
            index = min(range(len(columns)), key=lambda j: abs(columns[j] - cell.left))
            texts[min(index, n_cols - 1)] = _cell_text(cell_words)
        if any(texts):
            rows.append(texts)
    # A column empty in every row (header included) is a detection artefact, not data.
    keep = [j for j in range(n_cols) if any(r[j] for r in rows)]
    return [pipe_row([r[j] for j in keep]) for r in rows]


def _segments(line_words: list[OcrWord]) -> list[list[OcrWord]]:
    """A Tesseract line split where a gap far wider than a word space separates two columns."""
    ordered = sorted(line_words, key=lambda w: w.left)
    height = float(np.median([w.height for w in ordered]))
    segments: list[list[OcrWord]] = [[ordered[0]]]
    for prev, word in itertools.pairwise(ordered):
        if word.left - prev.right > _COLUMN_GAP * height:
            segments.append([word])
        else:
            segments[-1].append(word)
    return segments


def _joined(segment: list[OcrWord]) -> str:
    return " ".join(w.text for w in segment)


def _aligned_columns(run: list[list[list[OcrWord]]], tol: float) -> list[float] | None:
    """Column left edges shared by every line of the run (a borderless table), else None.

    Each line's segments must start at the same column edges; a line may leave cells empty.
    """
    starts = sorted(seg[0].left for segs in run for seg in segs)
    columns: list[list[int]] = []
    for x in starts:
        if columns and x - columns[-1][-1] <= tol:
            columns[-1].append(x)
        else:
            columns.append([x])
    # every edge must be used by most lines, or the alignment is chance
    if len(columns) < 2 or any(len(c) < 0.6 * len(run) for c in columns):
        return None
    return [float(np.median(c)) for c in columns]


def _borderless_rows(run: list[list[list[OcrWord]]], columns: list[float]) -> list[str]:
    rows: list[str] = []
    for segs in run:
        cells = [""] * len(columns)
        for seg in segs:
            index = min(range(len(columns)), key=lambda j: abs(columns[j] - seg[0].left))
            cells[index] = f"{cells[index]} {_joined(seg)}".strip()
        rows.append(pipe_row(cells))
    return rows


def _column_of(
    segment: list[OcrWord], run: list[list[list[OcrWord]]], tail: list[tuple[int, list[OcrWord]]], tol: float
) -> int | None:
    """Which column of a short two-column run (0 left, 1 right) a one-segment line below it
    continues, or None: it crosses the gap between the columns, or lies far below (the Nơi nhận
    list runs on under the signer's title; the signer's name stands under the title)."""
    if not run or len(run) > _MAX_COLUMN_RUN or any(len(segs) > 2 for segs in run):
        return None
    split = min(segs[1][0].left for segs in run if len(segs) > 1)
    lines = [w for segs in run for seg in segs for w in seg] + [w for _, seg in tail for w in seg]
    height = float(np.median([w.height for w in lines]))
    if min(w.top for w in segment) - max(w.bottom for w in lines) > 3 * height:
        return None
    if max(w.right for w in segment) < split - tol:
        return 0
    if segment[0].left >= split - 2 * tol:
        return 1
    return None


def layout_text(words: Sequence[OcrWord], page: PageLayout) -> tuple[str, int]:
    """The page text: Tesseract lines outside tables, pipe rows for each table; and the table count."""
    dpi = page.dpi
    tol = dpi * 0.04
    grids = page.grids
    in_table: list[list[OcrWord]] = [[] for _ in grids]
    lines: dict[tuple[int, int, int], list[OcrWord]] = {}
    for word in words:
        cx, cy = _center(word)
        for i, grid in enumerate(grids):
            if grid.contains(cx, cy):
                in_table[i].append(word)
                break
        else:
            lines.setdefault(word.line_key, []).append(word)

    tables = [(grid.top, _table_rows(grid, in_table[i], tol)) for i, grid in enumerate(grids)]
    tables = [t for t in tables if t[1]]
    n_tables = len(tables)
    out: list[str] = []
    run: list[list[list[OcrWord]]] = []  # consecutive lines split into side-by-side segments
    tail: list[tuple[int, list[OcrWord]]] = []  # lines after a two-column run, within one column
    last_block: int | None = None

    def flush_run() -> None:
        nonlocal n_tables
        columns = _aligned_columns(run, tol * 2) if len(run) >= _MIN_BORDERLESS_ROWS else None
        if columns is not None and (len(run) > _MAX_COLUMN_RUN or len(columns) > 2):
            emit_table(_borderless_rows(run, columns))
            n_tables += 1
        elif len(run) <= _MAX_COLUMN_RUN:
            # A short two-column block (issuer | national motto, Nơi nhận | signature): read each
            # column down, with the lines that continue one column below the other's end.
            width = max(map(len, run), default=0)
            out.extend(_joined(segs[c]) for c in range(width) for segs in run if c < len(segs))
            if tail:
                at = len(out) - sum(len(segs) > 1 for segs in run)  # where the left column ends
                out[at:at] = [_joined(seg) for col, seg in tail if col == 0]
                out.extend(_joined(seg) for col, seg in tail if col == 1)
        else:
            out.extend(_joined(s) for segs in run for s in segs)
        run.clear()
        tail.clear()

    def emit_table(rows: list[str]) -> None:
        if out and out[-1] != "":
            out.append("")
        out.extend(rows)
        out.append("")

    for key, line_words in lines.items():
        top = min(w.top for w in line_words)
        while tables and tables[0][0] <= top:
            flush_run()
            emit_table(tables.pop(0)[1])
        segments = _segments(line_words)
        if len(segments) > 1:
            if tail:
                flush_run()
            run.append(segments)
            last_block = key[0]
            continue
        column = _column_of(segments[0], run, tail, tol)
        if column is not None:
            tail.append((column, segments[0]))
            continue
        flush_run()
        if last_block is not None and key[0] != last_block and out and out[-1] != "":
            out.append("")  # Tesseract blocks: a blank line, as in text extracted from scans
        last_block = key[0]
        out.append(_joined(segments[0]))
    flush_run()
    for _, rows in tables:
        emit_table(rows)
    return "\n".join(out).strip("\n"), n_tables
