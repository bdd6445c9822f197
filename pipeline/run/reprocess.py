"""Reprocessing: re-run stored documents whose pipeline (version or models) has changed since.

The previous record is kept under history/<doc_id>/<fingerprint>.json and a change record says,
field by field, what the new pipeline extracts differently (pipeline.run.batch does both). A document
whose source is gone becomes an error record; its stored record stays as it was.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.convert import pipeline_fingerprint
from pipeline.dataset.writer import Dataset, ManifestEntry
from pipeline.run.batch import Change, failed_entry, run_document, stored_document


def stale_entries(out: Path | str, *, only: list[str] | None = None, since: str | None = None) -> list[ManifestEntry]:
    """Manifest entries made by another pipeline fingerprint; optionally only these doc_ids or
    file names, or only documents processed before `since` (an ISO date or time)."""
    dataset = Dataset(out)
    current = pipeline_fingerprint()
    chosen = []
    for entry in dataset.read_manifest().values():
        if only and entry.doc_id not in only and Path(entry.path).name not in only:
            continue
        stored = stored_document(dataset, entry.doc_id)
        fingerprint = stored.pipeline.fingerprint if stored else entry.fingerprint
        if fingerprint == current:
            continue
        if since and stored and stored.pipeline.processed_at >= since:
            continue
        chosen.append(entry)
    return chosen


def reprocess_document(
    entry: ManifestEntry, out: Path | str, ocr_workers: int | None = None
) -> tuple[ManifestEntry, Change | None]:
    """Re-run one stored document from its source: (new manifest entry, change record or None)."""
    source = Path(entry.path)
    if not source.exists():
        return failed_entry(
            source,
            "reprocess",
            "SourceMissing",
            f"{source}: source file is gone; the stored record is kept",
            entry.sha256,
        ), None
    previous = stored_document(Dataset(out), entry.doc_id)
    return run_document(source, out, ocr_workers=ocr_workers, force=True, previous=previous)
