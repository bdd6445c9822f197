"""Ruled tables in page images: ink, ruling lines, the grids they form, and page skew.

The ruling lines of a scanned table are long thin runs of ink (numpy run lengths along rows and
columns), with the ink threshold taken from the page's own paper and ink levels, so grey JPEG scans
with faint 0.5 pt rules work. Lines that cross form a grid: one table.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

_INK_SHARE = 0.6  # the ink threshold sits this far from the darkest ink towards the paper


@dataclass(slots=True)
class Rule:
    """A ruling line: `pos` across it, [start, end) along it, in pixels."""

    pos: float
    start: int
    end: int
    weight: int = 0  # pixels of the runs merged into it (weights `pos`)


@dataclass(slots=True)
class Grid:
    """A ruled table: row bands between horizontal rules, and the vertical rules."""

    left: int
    right: int
    rows: list[tuple[float, float]]
    verticals: list[Rule]
    horizontals: list[Rule] = field(default_factory=list)

    @property
    def top(self) -> float:
        return self.rows[0][0]

    @property
    def bottom(self) -> float:
        return self.rows[-1][1]

    def contains(self, x: float, y: float) -> bool:
        return self.left <= x <= self.right and self.top <= y <= self.bottom


# --- ink -------------------------------------------------------------------------------------------


def percentiles(gray: np.ndarray, qs: Sequence[float]) -> list[float]:
    """np.percentile(gray, q) for each q (same linear interpolation, same values), read off one
    histogram of the 8-bit grey levels: a few ms a page where sorting millions of pixels took ~20."""
    flat = np.asarray(gray).ravel()
    if flat.dtype != np.uint8 or not flat.size:
        return [float(np.percentile(flat, q)) for q in qs]
    # PIL's histogram: ~3x faster than np.bincount, which widens every pixel to an int64 first.
    cumulative = np.cumsum(Image.fromarray(flat.reshape(1, -1)).histogram())

    def order_statistic(k: int) -> int:  # the k-th smallest value (0-based)
        return int(np.searchsorted(cumulative, k, side="right"))

    values = []
    for q in qs:
        position = q / 100 * (flat.size - 1)
        below = int(np.floor(position))
        low, high = order_statistic(below), order_statistic(min(below + 1, flat.size - 1))
        values.append(low + (high - low) * (position - below))
    return values


def paper_level(gray: np.ndarray) -> float:
    """The page's paper grey: its median pixel."""
    return percentiles(gray, [50])[0]


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Pixels darker than a threshold between this page's paper (median) and ink (0.5th percentile).

    A fixed threshold misses faint rules on grey scans (paper ~225, a blurred 0.5 pt rule ~145).
    """
    paper, ink = percentiles(gray, [50, 0.5])
    threshold = min(ink + _INK_SHARE * (paper - ink), paper - 30)
    return gray < threshold


# --- ruling lines ----------------------------------------------------------------------------------


def _row_runs(mask: np.ndarray, max_gap: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, start, end) of every run of True along the rows, gaps up to `max_gap` bridged."""
    height, width = mask.shape
    padded = np.zeros((height, width + 2), dtype=bool)
    padded[:, 1:-1] = mask
    # Where a row changes value: in row-major order a run's start, then its end, then the next start.
    edges = np.flatnonzero(padded[:, 1:] != padded[:, :-1])
    ys, starts = np.divmod(edges[0::2], width + 1)
    ends = edges[1::2] % (width + 1)
    if not len(ys):
        return ys, starts, ends
    new = np.ones(len(ys), dtype=bool)
    new[1:] = (ys[1:] != ys[:-1]) | (starts[1:] - ends[:-1] > max_gap)
    first = np.flatnonzero(new)
    last = np.append(first[1:] - 1, len(ys) - 1)
    return ys[first], starts[first], ends[last]


def find_rules(ink: np.ndarray, min_len: int, dpi: int) -> list[Rule]:
    """Horizontal ruling lines in a boolean ink image (pass the transpose for vertical ones).

    A rule is a run of at least `min_len` ink pixels along a row, tolerating a residual skew (each
    row also counts the ink a few pixels above and below it) and specks of JPEG noise (short gaps
    bridged), and thin: a run inside a dark band (a shaded cell, a filled bar) is not a rule, only
    the band's edges are.
    """
    reach = max(1, round(dpi / 100))  # rows of skew tolerance each way
    band = ink.copy()
    for s in range(1, reach + 1):
        band[s:] |= ink[:-s]
        band[:-s] |= ink[s:]
    ys, starts, ends = _row_runs(band, max_gap=max(2, round(dpi * 0.01)))
    long = ends - starts >= min_len
    ys, starts, ends = ys[long], starts[long], ends[long]
    if not len(ys):
        return []
    # Thick: ink both `thick` rows above and below. A run mostly thick lies inside a dark band.
    # (Worked out only on the rows that hold a long run.)
    thick = max(3, round(dpi * 0.02))
    rows, row_of = np.unique(ys, return_inverse=True)
    inner = (rows >= thick) & (rows < ink.shape[0] - thick)
    inside = np.zeros((len(rows), ink.shape[1]), dtype=bool)
    inside[inner] = ink[rows[inner] - thick] & ink[rows[inner] + thick]
    inside_cs = np.zeros((len(rows), ink.shape[1] + 1), dtype=np.int32)
    np.cumsum(inside, axis=1, out=inside_cs[:, 1:])
    inside_share = (inside_cs[row_of, ends] - inside_cs[row_of, starts]) / (ends - starts)
    pieces = [
        Rule(float(y), int(s), int(e), int(e - s))
        for y, s, e, share in zip(ys.tolist(), starts.tolist(), ends.tolist(), inside_share.tolist(), strict=True)
        if share < 0.5
    ]
    return _merge_pieces(pieces, near=2 * reach + thick, gap=max(4, round(dpi * 0.03)))


def _merge_pieces(pieces: list[Rule], near: float, gap: int) -> list[Rule]:
    """One rule per line: the runs of neighbouring rows (a line is several pixels thick, more once
    widened for skew) and the pieces a broken line leaves along one row."""
    rules: list[Rule] = []
    last_row: list[float] = []  # the row of the last piece merged into each rule
    for piece in sorted(pieces, key=lambda p: (p.pos, p.start)):
        touching = [
            i
            for i, rule in enumerate(rules)
            if piece.pos - last_row[i] <= near and piece.start <= rule.end + gap and rule.start <= piece.end + gap
        ]
        if not touching:
            rules.append(piece)
            last_row.append(piece.pos)
            continue
        # The piece may bridge rules begun as separate pieces of one line: join them all.
        target = rules[touching[0]]
        for other in [piece, *(rules[i] for i in touching[1:])]:
            total = target.weight + other.weight
            target.pos = (target.pos * target.weight + other.pos * other.weight) / total
            target.weight = total
            target.start, target.end = min(target.start, other.start), max(target.end, other.end)
        last_row[touching[0]] = piece.pos
        for i in reversed(touching[1:]):
            del rules[i], last_row[i]
    return rules


def find_grids(horizontals: list[Rule], verticals: list[Rule], tol: float) -> list[Grid]:
    """Chains of horizontal rules joined by at least two vertical rules each: the ruled tables."""
    hs = sorted(horizontals, key=lambda r: r.pos)
    grids: list[Grid] = []
    current: list[Rule] = []

    def spanning(upper: Rule, lower: Rule) -> list[Rule]:
        lo, hi = max(upper.start, lower.start) - tol, min(upper.end, lower.end) + tol
        return [v for v in verticals if lo <= v.pos <= hi and v.start <= upper.pos + tol and v.end >= lower.pos - tol]

    def close() -> None:
        if len(current) >= 2:
            rows = [(a.pos, b.pos) for a, b in itertools.pairwise(current)]
            left = min(r.start for r in current)
            right = max(r.end for r in current)
            vs = [
                v
                for v in verticals
                if left - tol <= v.pos <= right + tol and v.end >= rows[0][0] and v.start <= rows[-1][1]
            ]
            grids.append(Grid(left, right, rows, vs, list(current)))

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


def detect_grids(gray: Image.Image, dpi: int) -> list[Grid]:
    """The ruled tables on a (levelled) page."""
    return grids_in_ink(ink_mask(np.asarray(gray.convert("L"))), dpi)


def grids_in_ink(ink: np.ndarray, dpi: int) -> list[Grid]:
    """The ruled tables in a (levelled) ink mask."""
    h_min = max(60, int(dpi * 0.8))  # a table's rules run the table's width, longer than any word
    v_min = max(30, int(dpi * 0.22))  # at least one text line of a row, taller than a letter
    horizontals = find_rules(ink, h_min, dpi)
    if len(horizontals) < 2:  # a grid needs two: the (costlier) vertical search can be skipped
        return []
    verticals = find_rules(np.ascontiguousarray(ink.T), v_min, dpi)
    return find_grids(horizontals, verticals, tol=dpi * 0.04)


def erase_rules(gray: Image.Image, grids: Sequence[Grid], dpi: int) -> Image.Image:
    """`gray` with the grids' rules painted over in the paper's colour (text untouched)."""
    if not grids:
        return gray
    pixels = np.array(gray.convert("L"))
    ink = ink_mask(pixels)
    # A blurred rule's grey fringe is lighter than ink; take it with the rule.
    median = paper_level(pixels)
    fringe = pixels < median - 20
    paper = np.uint8(median)
    half = max(2, round(dpi / 100)) + max(3, round(dpi * 0.02)) // 2
    for grid in grids:
        for rule, across in [*((r, True) for r in grid.horizontals), *((r, False) for r in grid.verticals)]:
            lo, hi = max(round(rule.pos) - half, 0), round(rule.pos) + half + 1
            if across:
                window = (slice(lo, hi), slice(rule.start, rule.end))
            else:
                window = (slice(rule.start, rule.end), slice(lo, hi))
            near_ink = fringe[window] & _grow(ink[window], 1)
            pixels[window][near_ink] = paper
    return Image.fromarray(pixels)


def _grow(mask: np.ndarray, by: int) -> np.ndarray:
    grown = mask.copy()
    for s in range(1, by + 1):
        grown[s:] |= mask[:-s]
        grown[:-s] |= mask[s:]
        grown[:, s:] |= mask[:, :-s]
        grown[:, :-s] |= mask[:, s:]
    return grown


# --- skew ------------------------------------------------------------------------------------------


def estimate_skew(gray: Image.Image, max_angle: float = 3.0) -> float:
    """The rotation (degrees, counter-clockwise) that makes the page's text lines horizontal."""
    return skew_of_ink(ink_mask(np.asarray(gray.convert("L"))), max_angle)


def skew_of_ink(ink: np.ndarray, max_angle: float = 3.0) -> float:
    """The rotation (degrees, counter-clockwise) that levels the text lines of an ink mask.

    Text lines and rules give sharp peaks in the row-ink profile only when level, so the angle
    whose profile varies most between neighbouring rows wins: a coarse search in 0.5° steps,
    then 0.1° around the best, on every n-th pixel of a ~800 px wide view. Each trial turns the
    ink pixels' coordinates and counts them per row (what rotating the image and summing its rows
    gives, ~10× faster).
    """
    step = max(1, round(ink.shape[1] / 800))
    small = ink[::step, ::step]
    height, width = small.shape
    ys, xs = np.nonzero(small)
    if not len(ys):
        return 0.0
    dx, dy = xs - (width - 1) / 2, ys - (height - 1) / 2

    def sharpness(angle: float) -> float:
        theta = np.deg2rad(angle)
        rows = np.rint(dy * np.cos(theta) - dx * np.sin(theta) + (height - 1) / 2).astype(np.int64)
        profile = np.bincount(rows[(rows >= 0) & (rows < height)], minlength=height)
        return float(np.square(np.diff(profile)).sum())

    coarse = max(np.arange(-max_angle, max_angle + 0.25, 0.5), key=lambda a: sharpness(float(a)))
    fine = max(np.arange(coarse - 0.4, coarse + 0.45, 0.1), key=lambda a: sharpness(float(a)))
    return round(float(fine), 2)


def level_ink(ink: np.ndarray, angle: float) -> np.ndarray:
    """The ink mask turned by `angle` degrees as `Image.rotate` turns the page (nearest pixel:
    a quick look for ruled tables, ~7 ms where levelling the grey page takes ~35)."""
    if not angle:
        return ink
    turned = Image.fromarray(ink.view(np.uint8)).rotate(angle, resample=Image.Resampling.NEAREST, fillcolor=0)
    return np.asarray(turned).astype(bool)


MIN_SKEW = 0.3  # degrees; a page skewed less is left as it is


def deskew(gray: Image.Image, min_angle: float = MIN_SKEW, angle: float | None = None) -> tuple[Image.Image, float]:
    """The page rotated level when it is skewed by more than `min_angle` degrees, and the angle
    (measured here unless the caller already knows it)."""
    if angle is None:
        angle = estimate_skew(gray)
    if abs(angle) < min_angle:
        return gray, 0.0
    paper = int(paper_level(np.asarray(gray.convert("L"))))
    return gray.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=paper, expand=False), angle
