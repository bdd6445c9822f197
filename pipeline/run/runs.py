"""The public entry to batches: `ingest(paths, out)` and `reprocess(out)`.

The command line, the bench and Python callers all run a batch through these, so each gets the same
run: document workers started (or the cluster reached) and, for a batch of scans, OCR workers
started and the first scans' pages read ahead, all while Prefect's API comes up and the pipeline
loads; then the Prefect flow (pipeline.run.flows) over one shared API.
"""

from __future__ import annotations

import contextlib
import functools
import gc
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from pipeline.convert import first_document_loads, warm_up
from pipeline.dataset.writer import Dataset
from pipeline.model.errors import InputFileError
from pipeline.read import ingest as reading
from pipeline.run import document_workers, documents_ahead, prefect_env, progress
from pipeline.run.batch import (
    DOCUMENTS_IN_FLIGHT_PER_WORKER,
    collect_inputs,
    each_new_document,
    largest_first,
    new_documents,
    new_scans,
    run_document,
)
from pipeline.run.document_workers import Workers

ProgressFn = Callable[[str, Any], None]
NO_DOCUMENTS = "no documents found (looked for .pdf .png .jpg .tif .txt .md .html .docx .doc)"


def ingest(
    paths: Sequence[Path | str],
    out: Path | str,
    *,
    workers: int = 1,
    dask_address: str | None = None,
    on_progress: ProgressFn | None = None,
) -> dict[str, int]:
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
    placement = Workers(workers, dask_address)

    def run() -> dict[str, int]:
        from pipeline.run.flows import run_ingest  # Prefect: imported while its server starts

        return run_ingest(paths, out, workers=workers, dask_address=dask_address)

    def start_ahead() -> None:
        """Local workers: the new documents, in the flow's order (biggest first), go to them at once."""
        in_flight = placement.count * DOCUMENTS_IN_FLIGHT_PER_WORKER
        placement.start_ahead(each_new_document(largest_first(files), out), out, run_document, in_flight)

    def small_batch() -> AbstractContextManager[None] | None:
        """One worker: the batch's new documents computed ahead, when they are few enough to go all."""
        if not documents_ahead.core_to_spare():
            return None
        new = new_documents(largest_first(files), out, DOCUMENTS_IN_FLIGHT_PER_WORKER + 1)
        if not new or len(new) > DOCUMENTS_IN_FLIGHT_PER_WORKER:
            return None
        return documents_ahead.computing(new, out)

    # the documents the flow starts with: their scanned pages are read while Prefect comes up
    return _run(
        run,
        placement,
        files,
        on_progress,
        ahead=lambda: new_scans(files, out, DOCUMENTS_IN_FLIGHT_PER_WORKER),
        start_ahead=start_ahead,
        small_batch=small_batch,
    )


def reprocess(
    out: Path | str,
    *,
    only: list[str] | None = None,
    since: str | None = None,
    workers: int = 1,
    dask_address: str | None = None,
    on_progress: ProgressFn | None = None,
) -> dict[str, int]:
    """Re-run the stored documents of `out` whose pipeline fingerprint (version, models) changed;
    `only` doc_ids or file names, `since` only records processed before that ISO date."""
    if not (Path(out) / "manifest.json").exists():
        raise InputFileError(f"{out}: not a vnplan dataset folder (no manifest.json)")

    def run() -> dict[str, int]:
        from pipeline.run.flows import run_reprocess  # Prefect: imported while its server starts

        return run_reprocess(out, only=only, since=since, workers=workers, dask_address=dask_address)

    files = [Path(p) for p in Dataset(out).read_manifest()]
    return _run(run, Workers(workers, dask_address), files, on_progress, ahead=list)


def _load_pipeline(server_answers: Callable[[], bool], *, documents_here: bool = True) -> None:
    """Imports and model loads that would otherwise fall on the first document, while Prefect's
    server starts; then what the first document would load on first use, as long as it still starts.
    Only Prefect's imports when the documents compute elsewhere (workers, a cluster): the models
    would load for nothing, on the cores the workers and the booting server share."""
    import pipeline.run.flows  # noqa: F401  (Prefect itself: ~1.5 s of imports)

    _import_flow_engine()
    if not documents_here:
        return
    warm_up()
    for load in first_document_loads():
        if server_answers():
            return
        load()


def _import_flow_engine() -> None:
    """What Prefect imports only when a flow is called (its flow and task engines, concurrency, the
    run-graph module and its graphviz, anyio's backend; ~40 ms of CPU): on a first run, while the
    server boots, instead of after it answered."""
    import anyio._backends._asyncio  # noqa: F401
    import prefect.flow_engine
    import prefect.task_engine
    import prefect.utilities.visualization  # noqa: F401


def _collect_garbage_from_here() -> None:
    """The command line loads a run with the cyclic garbage collector off (cli._server_early): the
    imports' hundreds of thousands of lasting objects, walked again and again while they were
    made, cost a tenth of a small run. They are kept out of the collector's walks (frozen) and the
    collector is on for the documents."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def _run(
    run: Callable[[], dict[str, int]],
    placement: Workers,
    files: list[Path],
    on_progress: ProgressFn | None,
    ahead: Callable[[], list[Path]],
    start_ahead: Callable[[], None] | None = None,
    small_batch: Callable[[], AbstractContextManager[None] | None] | None = None,
) -> dict[str, int]:
    """Run a flow under one shared Prefect API (booting while the pipeline loads), reporting progress.

    Documents computed in this process (one worker) share the run's OCR processes, started at once
    when the batch looks scanned, with the first scans' pages read ahead; other workers and the
    cluster have their own. A one-worker batch of a few new documents that are not scans is computed
    in a process of its own meanwhile (`small_batch`, pipeline.run.documents_ahead)."""
    with contextlib.ExitStack() as run_scope:
        run_scope.enter_context(document_workers.kept_for_run())
        ocr = run_scope.enter_context(reading.run_ocr_workers())
        documents_here = placement.count <= 1 and not placement.dask_address
        if not documents_here:
            placement.start()
            if start_ahead is not None:
                start_ahead()
        elif reading.looks_scanned(files):
            reading.start_ocr_workers(ocr)
            for scan in ahead():
                reading.read_ahead(scan, ocr)
        elif small_batch is not None and (computing := small_batch()) is not None:
            run_scope.enter_context(computing)
            documents_here = False
        documents_ahead.stop_early()  # started by the command, and not needed for this batch
        run_scope.enter_context(progress.reporting(on_progress))
        load = functools.partial(_load_pipeline, documents_here=documents_here)
        run_scope.enter_context(prefect_env.shared_api(while_starting=load))
        _collect_garbage_from_here()
        return run()
