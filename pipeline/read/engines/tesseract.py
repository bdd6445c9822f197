"""Tesseract through pytesseract: word boxes with confidences for one image.

Tesseract's own OpenMP threads make a page ~3x slower on a busy machine (~10 s vs ~3 s/page), so
every call runs with OMP_THREAD_LIMIT=1 and parallelism comes from a process pool (pipeline.read.ingest).
A call that hangs is killed after VNPLAN_OCR_PAGE_TIMEOUT seconds (default 180) and a failed call
is tried once more, so one bad page cannot stall a batch: the second failure is an OcrError.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from functools import cache
from typing import Any

from PIL import Image

from pipeline.model.errors import OcrError


def _import_pytesseract():
    """pytesseract imports pandas (0.5 s, ~40 MB) for a DataFrame output never asked for here; an
    OCR worker process would pay that at start. Hidden while pytesseract loads, unless loaded."""
    hide = "pandas" not in sys.modules
    if hide:
        sys.modules["pandas"] = None  # `import pandas` raises ImportError
    try:
        import pytesseract
    finally:
        if hide and sys.modules.get("pandas", 0) is None:
            del sys.modules["pandas"]
    return pytesseract


pytesseract = _import_pytesseract()

LANG = "vie"
TIMEOUT_ENV = "VNPLAN_OCR_PAGE_TIMEOUT"
DEFAULT_TIMEOUT = 180.0  # seconds; a dense 300 dpi page takes ~10 s on a busy machine
# pytesseract runs the tesseract binary as a child process, which inherits this environment.
os.environ["OMP_THREAD_LIMIT"] = "1"


@dataclass(slots=True)
class OcrWord:
    """One recognized word in image pixels, with Tesseract's layout ids."""

    text: str
    left: int
    top: int
    width: int
    height: int
    conf: float
    block: int
    par: int
    line: int

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height

    @property
    def line_key(self) -> tuple[int, int, int]:
        return (self.block, self.par, self.line)


@cache
def check_available() -> None:
    """Fail early, once, with a clear message when tesseract or its Vietnamese data is missing."""
    try:
        langs = pytesseract.get_languages(config="")
    except (pytesseract.TesseractNotFoundError, OSError) as exc:
        raise OcrError("tesseract is not installed (apt-get install tesseract-ocr-vie)") from exc
    except pytesseract.TesseractError as exc:
        raise OcrError(f"tesseract does not run: {exc}") from exc
    if LANG not in langs:
        raise OcrError(f"tesseract has no '{LANG}' language data (apt-get install tesseract-ocr-vie)")


def page_timeout() -> float:
    """Seconds one Tesseract call may take (VNPLAN_OCR_PAGE_TIMEOUT, else 180)."""
    raw = os.environ.get(TIMEOUT_ENV, "")
    try:
        value = float(raw) if raw.strip() else DEFAULT_TIMEOUT
    except ValueError as exc:
        raise OcrError(f"{TIMEOUT_ENV}={raw!r} is not a number of seconds") from exc
    if value <= 0:
        raise OcrError(f"{TIMEOUT_ENV}={raw!r} must be a positive number of seconds")
    return value


def _image_to_data(image: Image.Image, config: str, timeout: float) -> dict[str, list[Any]]:
    """pytesseract's image_to_data, tried twice: a crash or a stall is often transient (memory
    pressure on a busy machine); the second failure becomes an OcrError."""
    failure = ""
    # Handed over as an uncompressed BMP: pytesseract would write a PNG, and compressing a noisy
    # scan costs 0.1–0.3 s a page; Tesseract (leptonica) also reads BMP faster than PNG or PNM
    # (12 pages: BMP 19.8 s, PNG 20.4 s, PNM 20.5 s; same words).
    with tempfile.NamedTemporaryFile(prefix="vnplan-ocr-", suffix=".bmp") as handle:
        image.convert("L" if image.mode in ("1", "L", "LA", "P") else "RGB").save(handle, format="BMP")
        handle.flush()
        for _attempt in range(2):
            try:
                data: dict[str, list[Any]] = pytesseract.image_to_data(
                    handle.name, lang=LANG, config=config, output_type=pytesseract.Output.DICT, timeout=timeout
                )
                return data
            except pytesseract.TesseractNotFoundError as exc:
                raise OcrError(f"tesseract could not be run: {exc}") from exc
            except pytesseract.TesseractError as exc:
                failure = f"tesseract failed: {' '.join(str(exc).split())[:200]}"
            except RuntimeError as exc:  # pytesseract's "Tesseract process timeout"
                if "timeout" not in str(exc).lower():
                    raise
                failure = f"tesseract took longer than {timeout:g} s on a page (set {TIMEOUT_ENV} to allow more)"
            except OSError as exc:
                failure = f"tesseract could not be run: {exc}"
    raise OcrError(f"{failure}; gave up after 2 attempts")


def recognize(image: Image.Image, *, dpi: int, block: bool = False) -> list[OcrWord]:
    """Words on `image` (grayscale preferred), in Tesseract's reading order.

    `block`: read the image as one block of text lines (no page layout analysis), for images
    built of text pieces such as a mosaic of table cells.
    """
    check_available()
    psm = 6 if block else 3
    data = _image_to_data(image, f"--psm {psm} --dpi {dpi}", page_timeout())
    words: list[OcrWord] = []
    for i, text in enumerate(data["text"]):
        text = text.strip()
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        words.append(
            OcrWord(
                text=text,
                left=int(data["left"][i]),
                top=int(data["top"][i]),
                width=int(data["width"][i]),
                height=int(data["height"][i]),
                conf=conf,
                block=int(data["block_num"][i]),
                par=int(data["par_num"][i]),
                line=int(data["line_num"][i]),
            )
        )
    return words
