"""One document of a batch, start to finish, never raising: the unit a Prefect task runs.

Finding inputs, processing one file into an output folder, and turning any failure into a
manifest entry (path, stage, error, message) so one bad document never stops a batch.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from pipeline.errors import VnplanError
from pipeline.process import PIPELINE_VERSION, doc_id_for, file_sha256, process_file
from pipeline.writer import Dataset, ManifestEntry

DOCUMENT_SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".txt"}
# Found in folders so that they get an error record rather than silence.
REPORTED_SUFFIXES = {".doc", ".docx", ".odt", ".rtf", ".xls", ".xlsx", ".bmp", ".gif", ".webp"}
IGNORE_MARKER = ".vnplanignore"  # a folder holding this file is skipped by folder walks


def collect_inputs(paths: Iterable[Path | str]) -> list[Path]:
    """Files named directly, plus documents found under folders (sorted, deduplicated)."""
    found: dict[str, Path] = {}
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                if IGNORE_MARKER in files:
                    dirs[:] = []
                    continue
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    suffix = Path(name).suffix.lower()
                    if name.startswith(".") or suffix not in DOCUMENT_SUFFIXES | REPORTED_SUFFIXES:
                        continue
                    file = Path(root) / name
                    found.setdefault(str(file.resolve()), file)
        else:
            found.setdefault(str(path.resolve()), path)
    return sorted(found.values(), key=lambda p: str(p))


def run_document(path: Path | str, out: Path | str, *, sha256: str | None = None,
                 ocr_workers: int | None = None, force: bool = False) -> ManifestEntry:
    """Process one file into the output folder; returns its manifest entry, never raises."""
    path = Path(path)
    dataset = Dataset(out)
    try:
        sha = sha256 or file_sha256(path)
        doc_id = doc_id_for(sha)
        if not force and dataset.has_document(doc_id, PIPELINE_VERSION):
            return ManifestEntry(path=str(path), sha256=sha, doc_id=doc_id,
                                 pipeline_version=PIPELINE_VERSION, status="ok")
        result = process_file(path, ocr_workers=ocr_workers)
        dataset.write_document(result.document, result.text_file())
        return ManifestEntry(path=str(path), sha256=sha, doc_id=doc_id,
                             pipeline_version=PIPELINE_VERSION, status="ok")
    except VnplanError as exc:
        return failed_entry(path, exc.stage, type(exc).__name__, exc.message, sha256)
    except MemoryError:
        return failed_entry(path, "process", "MemoryError", f"{path.name}: out of memory", sha256)
    except Exception as exc:  # a bug on one document must not stop the batch
        return failed_entry(path, "process", type(exc).__name__,
                            f"{path.name}: unexpected error: {exc}", sha256)


def failed_entry(path: Path, stage: str, error: str, message: str, sha256: str | None) -> ManifestEntry:
    if sha256 is None:
        try:
            sha256 = file_sha256(path)
        except VnplanError:
            sha256 = None
    return ManifestEntry(
        path=str(path), sha256=sha256, doc_id=doc_id_for(sha256) if sha256 else None,
        pipeline_version=PIPELINE_VERSION, status="failed", stage=stage, error=error,
        message=" ".join(message.split()),
    )
