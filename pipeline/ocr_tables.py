"""Page text from OCR word boxes, with ruled tables rebuilt as pipe rows.

Tesseract reads a ruled table cell by cell in whatever order its layout analysis picks, which
interleaves rows. Here the ruling lines are found in the image with run-length tests on numpy
projections, each grid of lines becomes a table, every word is placed in the cell holding its
center, and the table is written as pipe rows (pipeline.pages) at its vertical place among the
other lines. Words outside tables keep Tesseract's reading order, one line per Tesseract line.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from pipeline.engines.plumber import pipe_row
from pipeline.engines.tesseract import OcrWord

_DARK = 140  # gray level below which a pixel is ink
_COLUMN_GAP = 3.0  # a gap wider than this many word heights separates side-by-side columns
_MAX_COLUMN_RUN = 4  # lines; longer runs of split lines are left row by row


@dataclass(slots=True)
class Rule:
    """A ruling line: `pos` across it, [start, end) along it, in pixels."""

    pos: float
    start: int
    end: int


@dataclass(slots=True)
class Grid:
    """A ruled table: row bands between horizontal rules, and the vertical rules."""

    left: int
    right: int
    rows: list[tuple[float, float]]
    verticals: list[Rule]
    cells: list[list[list[OcrWord]]] = field(default_factory=list)

    @property
    def top(self) -> float:
        return self.rows[0][0]

    @property
    def bottom(self) -> float:
        return self.rows[-1][1]

    def contains(self, x: float, y: float) -> bool:
        return self.left <= x <= self.right and self.top <= y <= self.bottom


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of each run of True in a 1-D boolean array."""
    padded = np.concatenate(([False], mask, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def find_rules(ink: np.ndarray, min_len: int) -> list[Rule]:
    """Horizontal ruling lines in a boolean ink image (transpose it for vertical ones)."""
    # Tolerate a slight skew: a pixel counts if it or a vertical neighbour is ink.
    thick = ink.copy()
    thick[1:] |= ink[:-1]
    thick[:-1] |= ink[1:]
    cs = np.zeros((thick.shape[0], thick.shape[1] + 1), dtype=np.int32)
    np.cumsum(thick, axis=1, out=cs[:, 1:])
    full = (cs[:, min_len:] - cs[:, :-min_len]) == min_len  # window of min_len all ink
    rule_rows = np.flatnonzero(full.any(axis=1))
    pieces: list[Rule] = []
    for y in rule_rows.tolist():
        for start, end in _runs(full[y]):
            pieces.append(Rule(float(y), start, end + min_len))
    # Merge the rows one thick line occupies.
    merged: list[Rule] = []
    for piece in pieces:
        for rule in reversed(merged[-8:]):
            if piece.pos - rule.pos <= 6 and piece.start < rule.end and rule.start < piece.end:
                rule.pos = (rule.pos + piece.pos) / 2
                rule.start = min(rule.start, piece.start)
                rule.end = max(rule.end, piece.end)
                break
        else:
            merged.append(piece)
    return merged


def find_grids(horizontals: list[Rule], verticals: list[Rule], tol: float) -> list[Grid]:
    """Chains of horizontal rules joined by at least two vertical rules each: the ruled tables."""
    hs = sorted(horizontals, key=lambda r: r.pos)
    grids: list[Grid] = []
    current: list[Rule] = []

    def spanning(upper: Rule, lower: Rule) -> list[Rule]:
        lo, hi = max(upper.start, lower.start) - tol, min(upper.end, lower.end) + tol
        return [v for v in verticals
                if lo <= v.pos <= hi and v.start <= upper.pos + tol and v.end >= lower.pos - tol]

    def close() -> None:
        if len(current) >= 2:
            rows = [(a.pos, b.pos) for a, b in itertools.pairwise(current)]
            left = min(r.start for r in current)
            right = max(r.end for r in current)
            vs = [v for v in verticals
                  if left - tol <= v.pos <= right + tol and v.end >= rows[0][0] and v.start <= rows[-1][1]]
            grids.append(Grid(left, right, rows, vs))

    for rule in hs:
        if current and len(spanning(current[-1], rule)) >= 2:
            current.append(rule)
            continue
        if current and rule.pos - current[-1].pos <= tol:
            continue  # a double line under a header
        close()
        current = [rule]
    close()
    return grids


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


def _cell_text(words: list[OcrWord]) -> str:
    """Words of one cell in reading order: lines by vertical position, then left to right."""
    if not words:
        return ""
    height = float(np.median([w.height for w in words]))
    lines: list[list[OcrWord]] = []
    for word in sorted(words, key=lambda w: w.top):
        if lines and word.top - lines[-1][0].top <= height * 0.6:
            lines[-1].append(word)
        else:
            lines.append([word])
    return " ".join(w.text for line in lines for w in sorted(line, key=lambda w: w.left))


_RULE_GLYPHS = frozenset("|¦‖[]!")


def _is_rule_glyph(word: OcrWord, edges: list[float], tol: float) -> bool:
    """A vertical rule that Tesseract read as `|` (or `[`, `!`): a bar glyph sitting on a column edge."""
    if not set(word.text) <= _RULE_GLYPHS:
        return False
    cx = word.left + word.width / 2
    return any(abs(cx - x) <= tol * 2 for x in edges)


def _table_rows(grid: Grid, words: list[OcrWord], tol: float) -> list[str]:
    rows: list[list[str]] = []
    for top, bottom in grid.rows:
        edges = _column_edges(grid, top, bottom, tol)
        cells: list[list[OcrWord]] = [[] for _ in range(max(len(edges) - 1, 1))]
        for word in words:
            cy = word.top + word.height / 2
            if not top <= cy < bottom:
                continue
            cx = word.left + word.width / 2
            if _is_rule_glyph(word, edges, tol):
                continue
            col = max(0, min(len(cells) - 1, int(np.searchsorted(edges, cx)) - 1))
            cells[col].append(word)
        texts = [_cell_text(c) for c in cells]
        if any(texts):
            rows.append(texts)
    # A column empty in every row (header included) is a detection artefact, not data.
    if rows and len({len(r) for r in rows}) == 1:
        keep = [j for j in range(len(rows[0])) if any(r[j] for r in rows)]
        rows = [[r[j] for j in keep] for r in rows]
    return [pipe_row(r) for r in rows]


def estimate_skew(gray: Image.Image, max_angle: float = 3.0) -> float:
    """The rotation (degrees, counter-clockwise) that makes the page's text lines horizontal.

    Text lines and rules give sharp peaks in the row-ink profile only when level, so the angle
    whose profile varies most between neighbouring rows wins: a coarse search in 0.5° steps,
    then 0.1° around the best, on a ~800 px wide copy.
    """
    scale = min(1.0, 800 / max(gray.width, 1))
    small = gray.convert("L").resize((max(1, int(gray.width * scale)), max(1, int(gray.height * scale))))
    ink = Image.fromarray(((np.asarray(small) < _DARK) * 255).astype(np.uint8))

    def sharpness(angle: float) -> float:
        profile = np.asarray(ink.rotate(angle, resample=Image.NEAREST)).sum(axis=1, dtype=np.int64)
        return float(np.square(np.diff(profile)).sum())

    coarse = max(np.arange(-max_angle, max_angle + 0.25, 0.5), key=lambda a: sharpness(float(a)))
    fine = max(np.arange(coarse - 0.4, coarse + 0.45, 0.1), key=lambda a: sharpness(float(a)))
    return round(float(fine), 2)


def deskew(gray: Image.Image, min_angle: float = 0.3) -> Image.Image:
    """The page rotated level when it is skewed by more than `min_angle` degrees."""
    angle = estimate_skew(gray)
    if abs(angle) < min_angle:
        return gray
    return gray.rotate(angle, resample=Image.BILINEAR, fillcolor=255, expand=False)


def detect_grids(gray: Image.Image, dpi: int) -> list[Grid]:
    ink = np.asarray(gray.convert("L")) < _DARK
    h_min = max(40, int(dpi * 0.5))   # a table's rules run far longer than any glyph
    v_min = max(30, int(dpi * 0.22))  # at least one text line of a row, longer than a letter
    horizontals = find_rules(ink, h_min)
    verticals = find_rules(np.ascontiguousarray(ink.T), v_min)
    return find_grids(horizontals, verticals, tol=dpi * 0.04)


def _segments(line_words: list[OcrWord]) -> list[str]:
    """A Tesseract line split where a gap far wider than a word space separates two columns."""
    ordered = sorted(line_words, key=lambda w: w.left)
    height = float(np.median([w.height for w in ordered]))
    segments: list[list[OcrWord]] = [[ordered[0]]]
    for prev, word in itertools.pairwise(ordered):
        if word.left - prev.right > _COLUMN_GAP * height:
            segments.append([word])
        else:
            segments[-1].append(word)
    return [" ".join(w.text for w in seg) for seg in segments]


def layout_text(words: Sequence[OcrWord], gray: Image.Image, dpi: int) -> tuple[str, int]:
    """The page text: Tesseract lines outside tables, pipe rows for each ruled table; and the table count."""
    grids = detect_grids(gray, dpi)
    tol = dpi * 0.04
    in_table: list[list[OcrWord]] = [[] for _ in grids]
    lines: dict[tuple[int, int, int], list[OcrWord]] = {}
    for word in words:
        cx, cy = word.left + word.width / 2, word.top + word.height / 2
        for i, grid in enumerate(grids):
            if grid.contains(cx, cy):
                in_table[i].append(word)
                break
        else:
            lines.setdefault(word.line_key, []).append(word)

    tables = [(grid.top, _table_rows(grid, in_table[i], tol)) for i, grid in enumerate(grids)]
    tables = [t for t in tables if t[1]]
    out: list[str] = []
    run: list[list[str]] = []  # consecutive lines split into side-by-side segments
    last_block: int | None = None

    def flush_run() -> None:
        # A short run is a two-column block (issuer | national motto, Nơi nhận | signature): read
        # each column down. A long run is more likely a borderless table: keep it row by row.
        if len(run) <= _MAX_COLUMN_RUN:
            out.extend(seg[c] for c in range(max(map(len, run), default=0)) for seg in run if c < len(seg))
        else:
            out.extend(s for segs in run for s in segs)
        run.clear()

    def emit_table(rows: list[str]) -> None:
        flush_run()
        if out and out[-1] != "":
            out.append("")
        out.extend(rows)
        out.append("")

    for key, line_words in lines.items():
        top = min(w.top for w in line_words)
        while tables and tables[0][0] <= top:
            emit_table(tables.pop(0)[1])
        segments = _segments(line_words)
        if len(segments) > 1:
            run.append(segments)
            last_block = key[0]
            continue
        flush_run()
        if last_block is not None and key[0] != last_block and out and out[-1] != "":
            out.append("")  # Tesseract blocks: a blank line, as in text extracted from scans
        last_block = key[0]
        out.append(segments[0])
    flush_run()
    for _, rows in tables:
        emit_table(rows)
    return "\n".join(out).strip("\n"), len(grids)
