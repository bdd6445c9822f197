"""The processing entry point: one source file → one PlanDocument plus its page texts."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pipeline.compute.cpu_turn import cpu_turn
from pipeline.model.contract import (
    PageRecord,
    PipelineInfo,
    PlanDocument,
    Source,
    TextFile,
    TextOrigin,
    Warning,
)
from pipeline.model.doctext import DocText
from pipeline.model.errors import InputFileError, VnplanError
from pipeline.model.pages import PageText, RawPage
from pipeline.model.version import __version__

PIPELINE_VERSION = __version__
# Trained artifacts whose change alters results without a version bump (reprocess notices them).
MODEL_DIRS = (Path(__file__).resolve().parent.parent / "normalizers" / "restore" / "model",)


@functools.cache
def pipeline_fingerprint() -> str:
    """Version + a digest of the trained models: what a stored record must match to be current."""
    digest = hashlib.sha256(PIPELINE_VERSION.encode())
    for folder in MODEL_DIRS:
        for path in sorted(folder.glob("*")) if folder.is_dir() else []:
            if path.is_file() and not path.name.startswith("."):
                digest.update(path.name.encode())
                digest.update(file_sha256(path).encode())
    return f"{PIPELINE_VERSION}+{digest.hexdigest()[:12]}"


@dataclass
class ProcessedDocument:
    document: PlanDocument
    pages: list[PageText]

    def text_file(self) -> TextFile:
        return TextFile(
            doc_id=self.document.doc_id,
            pages=[PageRecord(page=p.number, origin=p.origin, raw=p.raw, text=p.text) for p in self.pages],
        )


def file_sha256(path: Path) -> str:
    """Hex sha256 of the file's bytes (the document's identity)."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except FileNotFoundError as exc:
        raise InputFileError(f"{path}: no such file") from exc
    except IsADirectoryError as exc:
        raise InputFileError(f"{path}: is a directory, not a document") from exc
    except OSError as exc:
        raise InputFileError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    return digest.hexdigest()


def doc_id_for(sha256: str) -> str:
    return sha256[:16]


def _text_origin(pages: list[PageText]) -> TextOrigin:
    # A text layer decoded through its fonts' tables is still the document's own text layer (the
    # contract's "native"); the page origin and a warning say how it was read.
    origins = {"native" if p.origin == "font_tables" else p.origin for p in pages}
    if len(origins) == 1:
        return next(iter(origins))
    return "mixed"


def _reading_warnings(pages: list[PageText]) -> list[Warning]:
    """What a reviewer should know about how the text was read."""
    decoded = [p.number for p in pages if p.origin == "font_tables"]
    if not decoded:
        return []
    return [
        Warning(
            code="text_layer_decoded_from_fonts",
            message=f"page(s) {', '.join(map(str, decoded))}: the text layer's fonts carry no usable "
            "Unicode map; the glyph codes were decoded through the embedded fonts' own tables",
        )
    ]


def _stamp_warnings(raw_pages: list[RawPage]) -> list[Warning]:
    """Red stamps and seals read apart from the text (pipeline.read.stamps): what they say, per page."""
    return [
        Warning(
            code="stamp_text_set_apart",
            message=f"page {p.number}: a red stamp or seal, read apart from the text: {text}",
        )
        for p in raw_pages
        for text in p.stamps
    ]


def warm_up(*, model: bool = True) -> None:
    """Import the stages and (with `model`) load the restorer's model now, e.g. while a Prefect
    server starts, so the first document does not pay for them."""
    import extractors  # noqa: F401
    import normalizers.text_repair  # noqa: F401
    import pipeline.read.ingest  # noqa: F401

    if model:
        from normalizers.restore import restore_text

        restore_text("a")
    pipeline_fingerprint()


def first_document_loads() -> list[Callable[[], object]]:
    """What most plans' first document loads on first use, step by step, to be done while waiting
    for something else (a Prefect server starting) as long as that wait lasts: the agency name
    patterns, then underthesea's word segmenter and tagger (about 1 s in all). A document that
    needs none of them would not pay for them, hence steps the waiter may stop between."""

    def agency_patterns() -> None:
        from normalizers.agencies import find_agencies

        find_agencies("Sở Kế hoạch và Đầu tư chủ trì, phối hợp với Ủy ban nhân dân các huyện")

    def word_tagger() -> None:
        from normalizers.vi_words import tag_words

        tag_words("Sở chủ trì thực hiện 10 nhiệm vụ")

    return [agency_patterns, word_tagger]


def convert_file(path: Path | str, *, ocr_workers: int | None = None) -> ProcessedDocument:
    """Read, normalize and extract one document. Raises VnplanError subclasses on bad input."""
    path = Path(path)
    with cpu_turn():
        return _process(path, ocr_workers)


def _process(path: Path, ocr_workers: int | None) -> ProcessedDocument:
    from extractors import extract_all
    from normalizers.text_repair import normalize_pages
    from pipeline.read.ingest import needs_ocr, read_source

    sha = file_sha256(path)
    if needs_ocr(path):  # OCR'd pages are corrected with the restorer's model: load it meanwhile
        from normalizers.restore import load_in_background

        load_in_background()
    kind, raw_pages = read_source(path, ocr_workers=ocr_workers)
    pages = normalize_pages(raw_pages)
    doc = DocText(pages)
    try:
        records = extract_all(doc)
    except VnplanError:
        raise
    except Exception as exc:  # an extractor bug must not lose the document's text or stop a batch
        raise VnplanError(f"{path.name}: extraction failed ({type(exc).__name__}: {exc})", stage="extract") from exc
    document = PlanDocument(
        doc_id=doc_id_for(sha),
        source=Source(
            path=str(path),
            sha256=sha,
            media_type=kind,
            pages=len(pages),
            text_origin=_text_origin(pages),
            diacritics_restored=any(p.diacritics_restored for p in pages),
        ),
        pipeline=PipelineInfo(
            version=PIPELINE_VERSION,
            fingerprint=pipeline_fingerprint(),
            processed_at=datetime.now(UTC).isoformat(timespec="seconds"),
        ),
        **dict(records),
    )
    document.warnings[:0] = [*_reading_warnings(pages), *_stamp_warnings(raw_pages)]
    return ProcessedDocument(document=document, pages=pages)
