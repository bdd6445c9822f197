"""Stamps and seals in red ink, set apart from the page's own text before OCR.

A plan is printed in black; what lands on the paper later is not: the receiving office's
incoming-mail stamp (boxed, red, with its number and date filled in by pen), the issuer's round red
seal over the signature. Read as part of the page, their text interleaves with the title and the
signature block ("ĐẾN Ngày 0212016 Phối hợp ..."). Red ink is recognised on the colour scan by its
hue before the page is turned grey: a stamp is a cluster of red ink. On the page Tesseract reads,
a stamp's ink is whitened, with the pen strokes of other colours inside its box (the filled-in
number and date); the stamp is read on its own as a block set apart. Black strokes under a seal
(the signer's title) are dark, not red, and stay on the page. Pen ink outside a stamp (a number
filled into the document's own "Số: /KH" blank) stays too. So does red ink in the shape of one line
of text: the signer's title and name are often stamped in red under the signature, and they are
the document's own words (its signer), not a stamp's.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np
from PIL import Image

_RED_MARGIN = 40  # red channel above both others by this much: red (or pink) ink
_COLOUR_MARGIN = 40  # any channel this far above another: coloured ink (pen, stamp pad)
_CELL = 1 / 12  # inch: the grid on which red ink is clustered into stamps
_MIN_STAMP = 0.35  # inch: a stamp's smaller side at least this (a red underline or tick is no stamp)
_MIN_FILL = 0.02  # share of a stamp's box that is red ink
_PALE = 150  # grey level above which a pixel in a stamp's box is no black stroke
_LINE_STAMP = 0.5  # inch: red ink no taller than this and twice as wide is a stamped line of text
_PAD = 0.06  # inch around a stamp's red ink still belonging to it (halo, pen strokes over its rim)


@dataclass(slots=True)
class Stamp:
    """One stamp: its box in page pixels and its ink as black on white, for OCR."""

    box: tuple[int, int, int, int]
    image: Image.Image


def _clusters(cells: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Boxes (row0, col0, row1, col1, exclusive) of 8-connected groups of True cells."""
    seen = np.zeros_like(cells)
    boxes = []
    for r0, c0 in zip(*np.nonzero(cells), strict=True):
        if seen[r0, c0]:
            continue
        seen[r0, c0] = True
        queue = deque([(r0, c0)])
        top, left, bottom, right = r0, c0, r0, c0
        while queue:
            r, c = queue.popleft()
            top, left, bottom, right = min(top, r), min(left, c), max(bottom, r), max(right, c)
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    rr, cc = r + dr, c + dc
                    if 0 <= rr < cells.shape[0] and 0 <= cc < cells.shape[1] and cells[rr, cc] and not seen[rr, cc]:
                        seen[rr, cc] = True
                        queue.append((rr, cc))
        boxes.append((int(top), int(left), int(bottom) + 1, int(right) + 1))
    return boxes


def set_apart_stamps(image: Image.Image, dpi: int) -> tuple[Image.Image, list[Stamp]]:
    """The page as a grey image with its red stamps and seals whitened, and the stamps.

    A grey or black-and-white scan has no colour to tell a stamp by: it is returned grey, as is.
    """
    if image.mode not in ("RGB", "RGBA", "P", "CMYK"):
        return image.convert("L"), []
    rgb = np.asarray(image.convert("RGB"))
    r, g, b = (rgb[..., k].astype(np.int16) for k in range(3))
    red = (r - np.maximum(g, b)) > _RED_MARGIN
    gray = image.convert("L")
    if red.sum() < (dpi * _MIN_STAMP) ** 2 * _MIN_FILL:
        return gray, []
    cell = max(1, round(dpi * _CELL))
    rows, cols = red.shape[0] // cell, red.shape[1] // cell
    counts = red[: rows * cell, : cols * cell].reshape(rows, cell, cols, cell).sum(axis=(1, 3))
    occupied = counts >= max(2, cell * cell // 50)
    out = np.asarray(gray).copy()
    paper = int(np.percentile(out[::8, ::8], 90))
    pad = round(dpi * _PAD)
    stamps = []
    for top, left, bottom, right in _clusters(occupied):
        y0, x0 = max(0, top * cell - pad), max(0, left * cell - pad)
        y1, x1 = min(red.shape[0], bottom * cell + pad), min(red.shape[1], right * cell + pad)
        if min(y1 - y0, x1 - x0) < dpi * _MIN_STAMP or red[y0:y1, x0:x1].mean() < _MIN_FILL:
            continue
        if y1 - y0 <= dpi * _LINE_STAMP and x1 - x0 >= 2 * (y1 - y0):
            continue  # a line of text stamped in red (the signer's name): stays on the page
        crop = rgb[y0:y1, x0:x1]
        ink = (crop.max(axis=2).astype(np.int16) - crop.min(axis=2)) > _COLOUR_MARGIN
        region = out[y0:y1, x0:x1]
        # A stroke's anti-aliased rim is paler and less coloured: the pale pixels of the box go
        # too (the black strokes a seal lies over are dark, and stay).
        region[ink | (region > _PALE)] = paper
        stamps.append(Stamp((x0, y0, x1, y1), Image.fromarray(np.where(ink, 0, 255).astype(np.uint8))))
    return Image.fromarray(out), stamps
