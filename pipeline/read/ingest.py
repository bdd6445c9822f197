"""Ingestion: a source file → its pages (RawPage), from the text layer, OCR, plain text, or the
paragraphs and tables of a Word file, web page or markdown file (pipeline/read/richtext.py).

Born-digital PDF pages are read with pdfium (fast); pages where pdfium sees ruling lines are
re-read with pdfplumber to write their tables as pipe rows. Pages without a usable text layer
(empty, unmapped glyphs, legacy font encodings) and images are OCR'd with Tesseract in a pool of
worker processes, each worker opening the source itself so only small job descriptions and the
resulting text cross process boundaries.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from PIL import Image, UnidentifiedImageError

from normalizers.unicode_text import text_layer_problem
from pipeline.model.errors import (
    CorruptFileError,
    EncryptedDocumentError,
    InputFileError,
    NoContentError,
    UnsupportedTypeError,
    VnplanError,
)
from pipeline.model.pages import RawPage, Word
from pipeline.read.encodings import decode_text
from pipeline.read.engines import pdfium, tesseract
from pipeline.read.ocr_tables import layout_text, prepare_page
from pipeline.read.ocr_workers import OcrWorkers, file_stamp, kept_for_run
from pipeline.read.ocr_workers import current as current_ocr_workers
from pipeline.read.page_foot import closing_columns, read_columns_apart, split_notes
from pipeline.read.stamps import set_apart_stamps

if TYPE_CHECKING:
    from multiprocessing.synchronize import Semaphore

    from pipeline.model.contract import PageOrigin

PDF = "application/pdf"
TEXT = "text/plain"
MARKDOWN = "text/markdown"
HTML = "text/html"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOC = "application/msword"
ZIP = "application/zip"
OLE = "application/x-ole-storage"  # a compound file: legacy .doc/.xls, or an encrypted .docx
ENCRYPTED_OFFICE = "application/x-encrypted-office"  # Office's "Encrypt with password"
IMAGE_TYPES = {"image/png", "image/jpeg", "image/tiff"}
RENDER_DPI = 300
MIN_NATIVE_DPI = 150  # an embedded scan at least this dense is OCR'd as is, without re-rendering
_SNIFF_BYTES = 8192
# A page with this many vector paths and no text is probably text drawn as outlines.
_OUTLINED_TEXT_PATHS = 200
_NOTE_RULE = "―――――"  # written above each footnote moved after the body (normalization drops it as layout)

_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
_EXTENSION_TYPES = {
    ".pdf": PDF,
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".txt": TEXT,
    ".md": MARKDOWN,
    ".markdown": MARKDOWN,
    ".html": HTML,
    ".htm": HTML,
    ".docx": DOCX,
    ".doc": DOC,
}
# Text files whose name says how to read them (markdown, HTML); their bytes alone say only "text".
_TEXT_KINDS = {MARKDOWN, HTML}


def _sniff(head: bytes) -> str | None:
    """The media type the leading bytes prove, or None."""
    if b"%PDF-" in head[:1024]:
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "image/tiff"
    if head.startswith(b"PK\x03\x04"):
        return DOCX if b"word/" in head else ZIP
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return OLE
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return TEXT
    if head and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:  # merely a character cut at the sniff boundary
                return TEXT
        else:
            return TEXT
        return TEXT if _looks_like_cp1258(head) else None
    return None


def _looks_like_cp1258(head: bytes) -> bool:
    """Vietnamese Windows text: decodes as cp1258 with almost no control characters."""
    try:
        text = head.decode("cp1258")
    except UnicodeDecodeError:
        return False
    controls = sum(1 for c in text if c < " " and c not in "\n\r\t\f")
    return controls <= len(text) * 0.01


def media_type(path: Path) -> str:
    """The file's media type from its leading bytes (the extension only names what it claims)."""
    path = Path(path)
    with path.open("rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    sniffed = _sniff(head)
    claimed = _EXTENSION_TYPES.get(path.suffix.lower(), TEXT)
    if sniffed == TEXT and _looks_like_html(head):
        return HTML
    if sniffed == TEXT and claimed in _TEXT_KINDS:
        return claimed
    if sniffed == TEXT and claimed != TEXT:
        # Bytes that happen to decode (e.g. a tiny file) do not make a .pdf or .png a text file.
        return "application/octet-stream"
    if sniffed == ZIP and _zip_holds(path, "word/document.xml"):
        return DOCX  # a Word file whose first entries are not under word/
    if sniffed == OLE:
        kind = _ole_kind(path)
        return DOC if kind == OLE and claimed == DOC else kind  # a .doc cut short: LibreOffice tells
    return sniffed or "application/octet-stream"


def _looks_like_html(head: bytes) -> bool:
    start = head[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html"))


def _zip_holds(path: Path, name: str) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            return name in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


# An encrypted Word file (Office "Encrypt with password") is a compound file holding these streams.
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_OLE_SCAN_BYTES = 64 << 20  # the stream names sit in the directory sectors, anywhere in the file


def _ole_kind(path: Path) -> str:
    """A compound file: an encrypted Office package, a legacy Word document, or something else."""
    with path.open("rb") as fh:
        data = fh.read(_OLE_SCAN_BYTES)
    if _ENCRYPTED_STREAM in data:
        return ENCRYPTED_OFFICE
    if _WORD_STREAM in data:
        return DOC
    return OLE


def _check_file(path: Path) -> None:
    if not path.exists():
        raise InputFileError(f"{path}: no such file")
    if not path.is_file():
        raise InputFileError(f"{path}: not a regular file")
    try:
        size = path.stat().st_size
        with path.open("rb"):
            pass
    except OSError as exc:
        raise InputFileError(f"{path}: cannot be read ({exc.strerror})") from exc
    if size == 0:
        raise InputFileError(f"{path}: file is empty (0 bytes)")


def read_pages(path: Path, *, ocr_workers: int | None = None) -> list[RawPage]:
    """Every page of a document, in order. Raises typed VnplanErrors on bad input."""
    return read_source(path, ocr_workers=ocr_workers)[1]


def read_source(path: Path, *, ocr_workers: int | None = None) -> tuple[str, list[RawPage]]:
    """The file's media type (found once, from its bytes) and every page of it, in order: PDF,
    image, plain text, markdown, HTML or Word. Raises typed VnplanErrors on bad input."""
    path = Path(path)
    _check_file(path)
    kind = media_type(path)
    claimed = _EXTENSION_TYPES.get(path.suffix.lower())
    if kind == PDF:
        pages = _read_pdf(path, ocr_workers)
    elif kind in IMAGE_TYPES:
        pages = _read_image(path, ocr_workers)
    elif kind == TEXT:
        pages = _read_text(path)
    elif kind in (MARKDOWN, HTML, DOCX, DOC, ENCRYPTED_OFFICE):
        pages = _read_rich(path, kind)
    elif claimed == TEXT:
        raise UnsupportedTypeError(f"{path.name}: not readable text (not UTF-8, UTF-16 or Windows-1258)")
    elif claimed is not None:
        raise CorruptFileError(f"{path.name}: not a valid {claimed} file (content does not match its name)")
    else:
        raise UnsupportedTypeError(
            f"{path.name}: unsupported file type {kind}; expected PDF, PNG, JPEG, TIFF, Word (.docx, .doc), "
            "HTML, markdown or plain text"
        )
    if not any(p.text.strip() for p in pages):
        raise NoContentError(f"{path.name}: no readable text on any of its {len(pages)} page(s)")
    _notes_after_body(pages)
    return kind, pages


def _notes_after_body(pages: list[RawPage]) -> None:
    """Footnotes read at the foot of scanned pages go after the body, at the end of the last page
    with text, each a paragraph opening with its number (as a Word file's footnotes are read).
    Plans number their notes through the document: a mark the OCR did not read as a number takes
    the one after the note before. Each note stands under a separator rule, as on the page, so that
    normalization runs no note on into the text before it."""
    texts: list[str] = []
    number = 0
    for page in pages:
        for note in page.notes:
            number = note.number if note.number is not None else number + 1
            texts.append(f"{_NOTE_RULE}\n{number} {note.text}")
    if texts:
        last = [p for p in pages if p.text.strip()][-1]
        last.text = last.text.rstrip("\n") + "\n\n" + "\n".join(texts)


# --- PDF -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OcrJob:
    """One page to OCR, described by where to find it (workers open the file themselves)."""

    path: str
    source: Literal["pdf", "image"]
    index: int  # 0-based page or frame
    number: int  # 1-based page number in the output


def _read_pdf(path: Path, ocr_workers: int | None) -> list[RawPage]:
    pages, table_pages, jobs = _read_text_layer(path)
    if table_pages:
        from pipeline.read.engines import plumber  # pdfminer: imported by the processes that need it

        with plumber.open_plumber(path) as pdf:
            for index in table_pages:
                try:
                    text, words, n_tables = plumber.table_page(pdf, index)
                except Exception:  # pdfminer on a malformed page: keep pdfium's text
                    continue
                page = pages[index]
                page.words = words
                if n_tables:
                    page.text = text
    for raw in _run_ocr(jobs, ocr_workers):
        pages[raw.number - 1] = raw
    return [pages[i] for i in sorted(pages)]


def _read_text_layer(path: Path) -> tuple[dict[int, RawPage], list[int], list[OcrJob]]:
    """pdfium's pass over every page: the text-layer pages, which of them are ruled (tables), and
    the pages to OCR."""
    pages: dict[int, RawPage] = {}
    table_pages: list[int] = []
    garbled: dict[int, tuple[float, float]] = {}  # page index → its size, for font-table decoding
    pictures: list[int] = []
    with pdfium.document(path) as doc:
        try:
            n_pages = len(doc)
            if n_pages == 0:
                raise NoContentError(f"{path.name}: PDF has no pages")
            for index in range(n_pages):
                page = doc[index]
                try:
                    objects = pdfium.page_objects(page)
                    text = pdfium.page_text(page)
                finally:
                    page.close()
                problem = text_layer_problem(text)
                if problem is None:
                    pages[index] = RawPage(index + 1, "native", text, objects.width, objects.height)
                    if objects.looks_ruled:
                        table_pages.append(index)
                elif problem != "no text layer":
                    garbled[index] = (objects.width, objects.height)
                elif objects.images or objects.paths >= _OUTLINED_TEXT_PATHS:
                    pictures.append(index)  # a picture of text: OCR what the page shows
                else:  # a blank page, or one with a stray mark or page number
                    pages[index] = RawPage(index + 1, "native", text, objects.width, objects.height)
        except VnplanError:
            raise
        except Exception as exc:  # pdfium raises on damaged page trees
            raise CorruptFileError(f"{path.name}: PDF page cannot be read ({exc})") from exc
    pages.update(_decode_through_fonts(path, garbled))
    to_ocr = sorted([*pictures, *(index for index in garbled if index not in pages)])
    jobs = [OcrJob(str(path), "pdf", index, index + 1) for index in to_ocr]
    return pages, table_pages, jobs


def _decode_through_fonts(path: Path, garbled: dict[int, tuple[float, float]]) -> dict[int, RawPage]:
    """Garbled text-layer pages read again with glyph codes decoded through the embedded fonts'
    own tables (fonts without a ToUnicode map), where that yields a usable text layer."""
    if not garbled:
        return {}
    from pipeline.read.engines import font_tables, plumber

    decoded: dict[int, RawPage] = {}
    try:
        with font_tables.open_decoding(path) as (pdf, manager):
            for index, (width, height) in garbled.items():
                text, words, _ = plumber.table_page(pdf, index)
                if manager.decoded and text_layer_problem(text) is None:
                    decoded[index] = RawPage(index + 1, "font_tables", text, width, height, words)
    except Exception:  # pdfminer or fontTools on a malformed file: OCR reads these pages
        return decoded
    return decoded


# --- OCR -------------------------------------------------------------------------------------------


def _ocr_image(image: Image.Image, dpi: int, number: int, to_points: float) -> RawPage:
    page_image, stamps = set_apart_stamps(image, dpi)  # red stamps and seals: read on their own
    layout = prepare_page(page_image, dpi)  # levelled; ruled tables cut out into a mosaic of cells
    ocr_words = tesseract.recognize(layout.image, dpi=dpi)
    ocr_words, notes = split_notes(ocr_words, layout.image, dpi)  # footnotes: after the document's body
    closing = closing_columns(ocr_words, dpi)  # Nơi nhận | signature: each column read on its own
    if closing is not None and not any(closing.overlaps(g.top, g.bottom) for g in layout.grids):
        ocr_words = read_columns_apart(
            ocr_words, layout.image, closing, lambda crop: tesseract.recognize(crop, dpi=dpi, block=True), dpi
        )
    if layout.cells is not None:
        cell_words = tesseract.recognize(layout.cells.image, dpi=dpi, block=True)
        ocr_words += layout.cells.to_page(cell_words)
    text, _ = layout_text(ocr_words, layout)
    gray = layout.image
    words = [
        Word(w.text, w.left * to_points, w.top * to_points, w.right * to_points, w.bottom * to_points, w.conf)
        for w in ocr_words
    ]
    stamp_texts = [" ".join(w.text for w in tesseract.recognize(stamp.image, dpi=dpi, block=True)) for stamp in stamps]
    return RawPage(
        number,
        "ocr",
        text,
        gray.width * to_points,
        gray.height * to_points,
        words,
        stamps=[t for t in stamp_texts if t],
        notes=notes,
    )


def ocr_job(job: OcrJob) -> RawPage:
    """OCR one page (runs in a worker process): PDF pages in points, image pages in pixels."""
    path = Path(job.path)
    if job.source == "pdf":
        with pdfium.document(path) as doc:
            page = doc[job.index]
            found = pdfium.sole_image(page, MIN_NATIVE_DPI)
            image, dpi = found if found else (pdfium.render(page, RENDER_DPI), float(RENDER_DPI))
            page.close()
        return _ocr_image(image, round(dpi), job.number, 72 / dpi)
    with Image.open(path) as img:
        img.seek(job.index)
        dpi = _image_dpi(img)
        frame = img.convert("RGB" if img.mode in ("RGB", "RGBA", "P", "CMYK") else "L")  # colour: stamps
    return _ocr_image(frame, dpi, job.number, 1.0)


def _image_dpi(img: Image.Image) -> int:
    """The resolution the image declares, or 300 when it declares none or an implausible one."""
    declared = img.info.get("dpi")
    try:
        dpi = round(float(declared[0])) if declared else 0
    except (TypeError, ValueError, IndexError):
        dpi = 0
    return dpi if 70 <= dpi <= 1200 else RENDER_DPI


def _ready() -> None:
    """A no-op run in each new OCR worker: unpickling it imports the pipeline there."""


def ocr_workers(size: int | None = None) -> OcrWorkers[OcrJob, RawPage]:
    """OCR processes for a run (`size`: how many, else one per core and one more), not yet started."""
    return OcrWorkers(ocr_job, size)


def page_threads(turns: Semaphore) -> OcrWorkers[OcrJob, RawPage]:
    """A document worker's OCR: its pages read in threads, each holding one of the run's page `turns`."""
    return OcrWorkers(ocr_job, turns=turns)


def run_ocr_workers(size: int | None = None) -> AbstractContextManager[OcrWorkers[OcrJob, RawPage]]:
    """`with run_ocr_workers():` the current run's OCR workers, or new ones for the code inside."""
    return kept_for_run(lambda: ocr_workers(size))


def start_ocr_workers(workers: OcrWorkers[OcrJob, RawPage]) -> None:
    """Start the OCR worker processes now rather than when the first scanned page arrives: each
    takes ~0.6 s to start and import the pipeline, which can overlap the caller's own start-up."""
    workers.start(_ready)


def needs_ocr(path: Path) -> bool:
    """An image, or a PDF whose first page has no usable text layer (a few ms)."""
    if path.suffix.lower() in _IMAGE_SUFFIXES:
        return True
    if path.suffix.lower() != ".pdf":
        return False
    try:
        with pdfium.document(path) as doc:
            return bool(len(doc)) and text_layer_problem(pdfium.page_text(doc[0])) is not None
    except (VnplanError, OSError, ValueError):
        return False  # a bad file is reported when it is processed


def looks_scanned(paths: Sequence[Path], sample: int = 4) -> bool:
    """Whether a batch seems to hold scans (batches tend to be of one kind): an image file, or
    one of its first `sample` PDFs without a text layer on page 1."""
    if any(path.suffix.lower() in _IMAGE_SUFFIXES for path in paths):
        return True
    return any(needs_ocr(path) for path in [p for p in paths if p.suffix.lower() == ".pdf"][:sample])


def _run_ocr(jobs: list[OcrJob], workers: int | None) -> list[RawPage]:
    """The pages of `jobs`, OCR'd by the current run's workers, else by workers of this document's own."""
    if not jobs:
        return []
    tesseract.check_available()
    stamp = file_stamp(jobs[0].path)
    run_workers = current_ocr_workers()
    if run_workers is not None:
        return run_workers.run(jobs, stamp)
    with ocr_workers(workers) as own:
        return own.run(jobs, stamp)


def read_ahead(path: Path, workers: OcrWorkers[OcrJob, RawPage]) -> int:
    """Start OCR of a document's pages now, e.g. the first scan of a batch while Prefect starts;
    read_pages later takes the results from `workers` instead of starting them. The number of pages
    started (0 when the file needs no OCR or cannot be read: its processing reports that)."""
    path = Path(path)
    stamp = file_stamp(str(path))
    if workers.size == 1 or stamp is None:
        return 0
    try:
        kind = media_type(path)
        if kind == PDF:
            jobs = _read_text_layer(path)[2]
        elif kind in IMAGE_TYPES:
            with Image.open(path) as img:
                jobs = _image_jobs(path, getattr(img, "n_frames", 1))
        else:
            return 0
    except (VnplanError, OSError, ValueError, SyntaxError, UnidentifiedImageError, Image.DecompressionBombError):
        return 0
    return workers.read_ahead(jobs, stamp)


# --- Images ----------------------------------------------------------------------------------------


def _read_image(path: Path, ocr_workers: int | None) -> list[RawPage]:
    try:
        with Image.open(path) as img:
            frames = getattr(img, "n_frames", 1)
            img.seek(frames - 1)
            img.load()  # decode the last frame: catches a file cut short
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise CorruptFileError(f"{path.name}: image cannot be decoded ({exc})") from exc
    return _run_ocr(_image_jobs(path, frames), ocr_workers)


def _image_jobs(path: Path, frames: int) -> list[OcrJob]:
    """One OCR job per frame of an image file (a multi-page TIFF has several)."""
    return [OcrJob(str(path), "image", i, i + 1) for i in range(frames)]


# --- Plain text ------------------------------------------------------------------------------------


# --- Word, HTML, markdown -------------------------------------------------------------------------


def _read_rich(path: Path, kind: str) -> list[RawPage]:
    """Documents that are paragraphs and tables (pipeline.read.richtext): each page one paragraph (or
    table row) per line, so normalization keeps their paragraphs as the file has them.

    Word and HTML pages are "native" (the file encodes the characters and says where paragraphs
    and tables are, like a PDF text layer); markdown is "plain" (a text file, read like .txt)."""
    from pipeline.read import richtext

    if kind == ENCRYPTED_OFFICE:
        raise EncryptedDocumentError(
            f"{path.name}: the document is password-protected (Office encryption); "
            "save it without a password and process that copy"
        )
    if kind == DOCX:
        from pipeline.read.engines import word

        blocks = word.read_blocks(path)
    elif kind == DOC:
        from pipeline.read.engines import libreoffice

        blocks = libreoffice.read_doc_blocks(path)
    elif kind == HTML:
        from pipeline.read.engines import web_page

        blocks = web_page.read_blocks(path.read_bytes(), path.name)
    else:
        from pipeline.read.engines import markdown_text

        text = decode_text(path.read_bytes(), path.name)
        if markdown_text.unbroken(text):
            return [RawPage(1, "plain", markdown_text.wrapped_text(text))]
        blocks = markdown_text.read_blocks(text)
    origin: PageOrigin = "plain" if kind == MARKDOWN else "native"
    texts = richtext.render(blocks)
    return [RawPage(i + 1, origin, text, paragraph_lines=True) for i, text in enumerate(texts)]


def _read_text(path: Path) -> list[RawPage]:
    text = decode_text(path.read_bytes(), path.name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    chunks = text.split("\f")
    if len(chunks) > 1 and not chunks[-1].strip():
        chunks.pop()  # a file ending in a form feed has no page after it
    return [RawPage(i + 1, "plain", chunk) for i, chunk in enumerate(chunks)]
