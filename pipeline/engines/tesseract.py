"""Tesseract through pytesseract: word boxes with confidences for one image.

Tesseract's own OpenMP threads make a page ~3x slower on a busy machine (~10 s vs ~3 s/page), so
every call runs with OMP_THREAD_LIMIT=1 and parallelism comes from a process pool (pipeline.ingest).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

import pytesseract
from PIL import Image

from pipeline.errors import OcrError

LANG = "vie"
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


def recognize(image: Image.Image, *, dpi: int) -> list[OcrWord]:
    """Words on `image` (grayscale preferred), in Tesseract's reading order."""
    check_available()
    try:
        data = pytesseract.image_to_data(
            image, lang=LANG, config=f"--psm 3 --dpi {dpi}", output_type=pytesseract.Output.DICT
        )
    except pytesseract.TesseractError as exc:
        raise OcrError(f"tesseract failed: {' '.join(str(exc).split())[:200]}") from exc
    except (pytesseract.TesseractNotFoundError, OSError) as exc:
        raise OcrError(f"tesseract could not be run: {exc}") from exc
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
