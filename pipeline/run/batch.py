"""One document of a batch, start to finish, never raising: the unit a Prefect task runs.

Finding inputs, processing one file into an output folder, and turning any failure into a
manifest entry (path, stage, error, message) so one bad document never stops a batch. When a
stored record made by another pipeline is replaced, it is kept under history/ and the change
record says what differs.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from pipeline.compute import ctrl_c
from pipeline.convert import PIPELINE_VERSION, convert_file, doc_id_for, file_sha256, pipeline_fingerprint
from pipeline.dataset.atomic import atomic_write_bytes
from pipeline.dataset.writer import Dataset, ManifestEntry
from pipeline.model.changes import diff_documents
from pipeline.model.contract import PlanDocument
from pipeline.model.errors import VnplanError
from pipeline.run import documents_ahead

DOCUMENT_SUFFIXES = {
    ".pdf",
    ".png",
    ".jpg",
    ".jpeg",
    ".tif",
    ".tiff",
    ".txt",
    ".md",
    ".markdown",
    ".html",
    ".htm",
    ".docx",
    ".doc",
}
OCR_SUFFIXES = {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}
# Found in folders so that they get an error record rather than silence.
REPORTED_SUFFIXES = {".odt", ".rtf", ".xls", ".xlsx", ".bmp", ".gif", ".webp"}
IGNORE_MARKER = ".vnplanignore"  # a folder holding this file is skipped by folder walks
# Documents a worker keeps in flight: while one waits for its pages' OCR or for Prefect's API, or
# travels to and from its worker process, the other is read, extracted or written (flows.py).
DOCUMENTS_IN_FLIGHT_PER_WORKER = 2

Change = dict[str, Any]
T = TypeVar("T")


def collect_inputs(paths: Iterable[Path | str]) -> list[Path]:
    """Files named directly, plus documents found under folders (sorted, deduplicated)."""
    found: dict[str, Path] = {}
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                if IGNORE_MARKER in files and Path(root) != path:  # a folder named itself is read
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


def largest_first(items: list[T], path_of: Callable[[T], Path] = Path) -> list[T]:  # type: ignore[assignment]
    """Biggest files first, so that the documents still running when a batch ends are small ones
    and no worker idles while another finishes a long document (longest-processing-time-first
    scheduling; file size stands in for the work). Equal sizes keep their order."""

    def size(item: T) -> int:
        try:
            return path_of(item).stat().st_size
        except OSError:
            return -1  # missing: it fails fast, last

    return sorted(items, key=size, reverse=True)


def new_scans(files: list[Path], out: Path | str, count: int, sample: int = 4) -> list[Path]:
    """The `count` biggest of the batch's documents that need OCR and are not in `out` yet (the
    ones a batch starts with), looking at `sample` candidates at most: worth reading ahead while
    Prefect starts."""
    from pipeline.read.ingest import needs_ocr

    candidates = [f for f in largest_first(files) if f.suffix.lower() in OCR_SUFFIXES][:sample]
    return [path for path, _ in new_documents(candidates, out, count, needs_ocr)]


def new_documents(
    files: list[Path], out: Path | str, count: int, keep: Callable[[Path], bool] | None = None
) -> list[tuple[Path, str]]:
    """The first `count` of `files` (in the order given) not in `out` yet, and kept by `keep`, with their
    sha256: the documents a batch starts with."""
    return list(itertools.islice(each_new_document(files, out, keep), count))


def each_new_document(
    files: list[Path], out: Path | str, keep: Callable[[Path], bool] | None = None
) -> Iterator[tuple[Path, str]]:
    """`files` (in the order given) not in `out` yet, and kept by `keep`, with their sha256, one by one:
    each file is read when its turn comes."""
    dataset, fingerprint = Dataset(out), pipeline_fingerprint()
    for path in files:
        try:
            sha = file_sha256(path)
            new = not dataset.has_document(doc_id_for(sha), fingerprint) and (keep is None or keep(path))
        except VnplanError:
            continue
        if new:
            yield path, sha


def run_document(
    path: Path | str,
    out: Path | str,
    *,
    sha256: str | None = None,
    ocr_workers: int | None = None,
    force: bool = False,
    previous: PlanDocument | None = None,
) -> tuple[ManifestEntry, Change | None]:
    """Process one file into the output folder: (its manifest entry, a change record or None).

    Never raises. Skips the work when a record of this pipeline is on disk (unless `force`).
    `previous` is the record this run replaces, when it is stored under another doc_id.
    """
    path = Path(path)
    dataset = Dataset(out)
    try:
        sha = sha256 or file_sha256(path)
        doc_id = doc_id_for(sha)
        fingerprint = pipeline_fingerprint()
        if not force and dataset.has_document(doc_id, fingerprint):
            return ok_entry(path, sha, fingerprint, stored_document(dataset, doc_id)), None
        old = previous or stored_document(dataset, doc_id)
        result = documents_ahead.computed(path, sha, out) or convert_file(path, ocr_workers=ocr_workers)
        ctrl_c.stop_if_seen()
        if old is not None:
            history = dataset.history_path(old.doc_id, old.pipeline.fingerprint or old.pipeline.version)
            atomic_write_bytes(history, (old.model_dump_json(indent=2) + "\n").encode("utf-8"))
        dataset.write_document(result.document, result.text_file())
        return ok_entry(path, sha, fingerprint, result.document), _change(path, old, result.document)
    except VnplanError as exc:
        ctrl_c.stop_if_seen()  # what a Ctrl-C became on its way (pydantic wraps it) is no failed document
        return failed_entry(path, exc.stage, type(exc).__name__, exc.message, sha256), None
    except MemoryError:
        return failed_entry(path, "process", "MemoryError", f"{path.name}: out of memory", sha256), None
    except Exception as exc:  # a bug on one document must not stop the batch
        ctrl_c.stop_if_seen()
        return failed_entry(path, "process", type(exc).__name__, f"{path.name}: unexpected error: {exc}", sha256), None


def stored_document(dataset: Dataset, doc_id: str | None) -> PlanDocument | None:
    if not doc_id or not dataset.document_path(doc_id).exists():
        return None
    try:
        return dataset.read_document(doc_id)
    except (OSError, ValueError):
        return None


def _change(path: Path, old: PlanDocument | None, new: PlanDocument) -> Change:
    change: Change = {
        "doc_id": new.doc_id,
        "path": str(path),
        "change": "reprocessed" if old else "added",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "from": (old.pipeline.fingerprint or old.pipeline.version) if old else None,
        "to": new.pipeline.fingerprint,
        "fields": diff_documents(old, new) if old else {},
    }
    if old is not None and old.doc_id != new.doc_id:  # the source's bytes changed under the same path
        change["replaced_doc_id"] = old.doc_id
    return change


def ok_entry(path: Path, sha256: str, fingerprint: str, document: PlanDocument | None = None) -> ManifestEntry:
    """A processed document's entry; one whose record says it is no plan is marked `not_a_plan`."""
    entry = ManifestEntry(
        path=str(path),
        sha256=sha256,
        doc_id=doc_id_for(sha256),
        pipeline_version=PIPELINE_VERSION,
        fingerprint=fingerprint,
        status="ok",
    )
    if document is not None and any(w.code == "not_a_plan" for w in document.warnings):
        entry.extra["not_a_plan"] = True
    return entry


def failed_entry(path: Path, stage: str, error: str, message: str, sha256: str | None) -> ManifestEntry:
    if sha256 is None:
        try:
            sha256 = file_sha256(path)
        except VnplanError:
            sha256 = None
    return ManifestEntry(
        path=str(path),
        sha256=sha256,
        doc_id=doc_id_for(sha256) if sha256 else None,
        pipeline_version=PIPELINE_VERSION,
        fingerprint=pipeline_fingerprint(),
        status="failed",
        stage=stage,
        error=error,
        message=" ".join(message.split()),
    )
