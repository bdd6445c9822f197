"""pypdfium2: open PDFs, read the text layer (2–3 ms/page), inspect page objects, render pages.

pdfium is not thread-safe, not even on different documents: every process (the main one, each
OCR worker) opens its own documents, and within a process every use of pdfium holds `lock`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from pipeline.model.errors import CorruptFileError, EncryptedPdfError

# Acrobat accepts %%EOF within the last 1024 bytes; a file cut short loses it.
_EOF_WINDOW = 2048
# A stroke or filled bar thinner than this (points) and longer than _RULE_MIN_LEN is a ruling line.
_RULE_MAX_THICKNESS = 3.0
_RULE_MIN_LEN = 15.0

lock = threading.RLock()


@dataclass(slots=True)
class PageObjects:
    """What a page is made of, counted cheaply from its object list."""

    width: float
    height: float
    images: int
    paths: int
    horizontal_rules: int
    vertical_rules: int
    largest_image_share: float  # area of the largest image / page area

    @property
    def looks_ruled(self) -> bool:
        """Enough horizontal and vertical rules to frame at least a 2x2 grid of cells."""
        return self.horizontal_rules >= 3 and self.vertical_rules >= 3


def open_pdf(path: Path) -> pdfium.PdfDocument:
    """Open a PDF, mapping pdfium's failures to typed errors."""
    with path.open("rb") as fh:
        fh.seek(max(0, path.stat().st_size - _EOF_WINDOW))
        tail = fh.read()
    if b"%%EOF" not in tail:
        raise CorruptFileError(f"{path.name}: PDF is truncated or damaged (no end-of-file marker)")
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedPdfError(f"{path.name}: PDF is password-protected") from exc
        raise CorruptFileError(f"{path.name}: PDF cannot be read ({exc})") from exc


@contextmanager
def document(path: Path) -> Iterator[pdfium.PdfDocument]:
    """An open PDF (open_pdf), used under this process's pdfium `lock` and closed after."""
    with lock:
        doc = open_pdf(path)
        try:
            yield doc
        finally:
            doc.close()


def page_text(page: pdfium.PdfPage) -> str:
    """The text layer in content order, lines separated by `\\n`."""
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
    finally:
        textpage.close()
    # pdfium writes CRLF between lines and U+0002 for a hyphen it saw at a line end.
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x02", "-")


def page_objects(page: pdfium.PdfPage) -> PageObjects:
    width, height = page.get_size()
    images = paths = h_rules = v_rules = 0
    largest_image = 0.0
    for obj in page.get_objects(max_depth=2):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images += 1
            x0, y0, x1, y1 = obj.get_bounds()
            largest_image = max(largest_image, (x1 - x0) * (y1 - y0))
        elif obj.type == pdfium_c.FPDF_PAGEOBJ_PATH:
            paths += 1
            x0, y0, x1, y1 = obj.get_bounds()
            w, h = x1 - x0, y1 - y0
            if h <= _RULE_MAX_THICKNESS and w >= _RULE_MIN_LEN:
                h_rules += 1
            elif w <= _RULE_MAX_THICKNESS and h >= _RULE_MIN_LEN:
                v_rules += 1
            elif w >= _RULE_MIN_LEN and h >= _RULE_MIN_LEN:
                # A stroked rectangle (cell border) counts as two rules each way.
                h_rules += 2
                v_rules += 2
    area = max(width * height, 1.0)
    return PageObjects(width, height, images, paths, h_rules, v_rules, largest_image / area)


def render(page: pdfium.PdfPage, dpi: int) -> Image.Image:
    """The page as a grayscale image at `dpi`."""
    bitmap = page.render(scale=dpi / 72, grayscale=True)
    return bitmap.to_pil().convert("L")


def sole_image(page: pdfium.PdfPage, min_dpi: float) -> tuple[Image.Image, float] | None:
    """The page's single full-page image at its native resolution, if it is one and dense enough.

    Scans are usually one image per page; decoding it directly skips resampling and is cheaper
    than rendering at 300 dpi. Returns (image, dpi) or None when the page is anything else; the
    image is grey, or RGB when the scan is in colour.
    """
    if page.get_rotation() != 0:
        return None
    width, height = page.get_size()
    images = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))
    if len(images) != 1:
        return None
    image = images[0]
    x0, y0, x1, y1 = image.get_bounds()
    if (x1 - x0) * (y1 - y0) < 0.9 * width * height:
        return None
    px_w, px_h = image.get_px_size()
    dpi = min(px_w / ((x1 - x0) / 72), px_h / ((y1 - y0) / 72))
    if dpi < min_dpi:
        return None
    matrix = image.get_matrix().get()
    if matrix[1] != 0 or matrix[2] != 0 or matrix[0] < 0 or matrix[3] < 0:
        return None  # rotated or mirrored placement: let the renderer apply it
    picture = image.get_bitmap(render=not _plain_photo(image)).to_pil()
    # A colour scan stays in colour: red stamps and seals are told apart by it (pipeline.read.stamps).
    return (picture if picture.mode == "RGB" else picture.convert("L")), dpi


def _plain_photo(image: pdfium.PdfImage) -> bool:
    """A JPEG of grey or RGB pixels: its decoded bitmap is the picture as is, ~20 ms a page
    cheaper than pdfium's render pass, which is needed to apply a 1-bit image's stencil mask or
    decode array (bilevel scans, inverted images)."""
    filters, metadata = image.get_filters(), image.get_metadata()
    return (
        bool(filters)
        and filters[-1] == "DCTDecode"
        and metadata.bits_per_pixel in (8, 24)
        and metadata.colorspace in (pdfium_c.FPDF_COLORSPACE_DEVICEGRAY, pdfium_c.FPDF_COLORSPACE_DEVICERGB)
    )
