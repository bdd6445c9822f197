"""The public entry to batches: `ingest(paths, out)` and `reprocess(out)`.

The command line, the bench and Python callers all run a batch through these, so each gets the same
run: document workers started (or the cluster reached) and, for a batch of scans, OCR workers
started and the first scans' pages read ahead, all while Prefect's API comes up and the pipeline
loads; then the Prefect flow (pipeline.run.flows) over one shared API.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pipeline.model.errors import InputFileError
from pipeline.run import prefect_env, progress
from pipeline.run.batch import DOCUMENTS_IN_FLIGHT_PER_WORKER, collect_inputs, new_scans
from pipeline.run.document_workers import Workers

ProgressFn = Callable[[str, Any], None]
NO_DOCUMENTS = "no documents found (looked for .pdf .png .jpg .tif .txt .md .html .docx .doc)"


def ingest(paths: Sequence[Path | str], out: Path | str, *, workers: int = 1, dask_address: str | None = None,
           on_progress: ProgressFn | None = None) -> dict[str, int]:
    """Process every document under `paths` (files and folders) into the dataset folder `out`.

    `on_progress(event, payload)` hears "start" (document count), "done" (each ManifestEntry), "retry"
    and "end" (the summary). Returns the summary: documents, ok, failed, not_a_plan. Raises
    VnplanError subclasses for what stops the whole batch (no inputs, the cluster lost); a bad
    document never does: it becomes an error record."""
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        raise InputFileError(f"no such file or folder: {', '.join(missing)}")
    files = collect_inputs(paths)
    if not files:
        raise InputFileError(NO_DOCUMENTS)
    read_ahead: list[Path] = []
    if workers > 1 or dask_address:
        Workers(workers, dask_address).start()
    elif _start_ocr_if_scanned(files):
        read_ahead = new_scans(files, out, DOCUMENTS_IN_FLIGHT_PER_WORKER)  # the documents the flow starts with

    def run() -> dict[str, int]:
        from pipeline.run.flows import run_ingest  # Prefect: imported while its server starts

        return run_ingest(paths, out, workers=workers, dask_address=dask_address)

    return _run(run, on_progress, read_ahead)


def reprocess(out: Path | str, *, only: list[str] | None = None, since: str | None = None, workers: int = 1,
              dask_address: str | None = None, on_progress: ProgressFn | None = None) -> dict[str, int]:
    """Re-run the stored documents of `out` whose pipeline fingerprint (version, models) changed;
    `only` doc_ids or file names, `since` only records processed before that ISO date."""
    from pipeline.dataset.writer import Dataset

    if not (Path(out) / "manifest.json").exists():
        raise InputFileError(f"{out}: not a vnplan dataset folder (no manifest.json)")
    if workers > 1 or dask_address:
        Workers(workers, dask_address).start()
    else:
        _start_ocr_if_scanned([Path(p) for p in Dataset(out).read_manifest()])

    def run() -> dict[str, int]:
        from pipeline.run.flows import run_reprocess  # Prefect: imported while its server starts

        return run_reprocess(out, only=only, since=since, workers=workers, dask_address=dask_address)

    return _run(run, on_progress, [])


def _start_ocr_if_scanned(files: list[Path]) -> bool:
    """When the batch looks scanned, start the OCR worker processes now, alongside Prefect's start."""
    from pipeline.read import ingest as reading

    if not reading.looks_scanned(files):
        return False
    reading.start_ocr_workers()
    return True


def _load_pipeline() -> None:
    """Imports and model loads that would otherwise fall on the first document."""
    import fastapi.encoders  # noqa: F401  (Prefect imports it lazily to send a flow's parameters)

    import pipeline.run.flows  # noqa: F401  (Prefect itself: ~1.5 s of imports)
    from pipeline.convert import warm_up

    warm_up()


def _run(run: Callable[[], dict[str, int]], on_progress: ProgressFn | None, read_ahead: list[Path]) -> dict[str, int]:
    """Run a flow under one shared Prefect API (booting while the pipeline loads), reporting progress."""
    if read_ahead:
        from pipeline.read import ingest as reading

        for scan in read_ahead:
            reading.read_ahead(scan)
    with progress.reporting(on_progress), prefect_env.shared_api(while_starting=_load_pipeline):
        return run()
