"""Prefect flows, thin over pipeline/: one Prefect task per document, never per page.

`ingest` caches each document on (file sha256, pipeline fingerprint, output folder) once its
record is on disk: re-running unchanged input does nothing. A failing document becomes an error
record and the flow completes.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from prefect import Flow, task
from prefect.context import TaskRunContext
from prefect.futures import PrefectFuture, as_completed
from prefect.states import Failed
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from pipeline.convert import doc_id_for, file_sha256, pipeline_fingerprint
from pipeline.dataset.writer import Dataset, ManifestEntry
from pipeline.model.errors import OrchestrationError, VnplanError
from pipeline.read import ingest as reading
from pipeline.run import document_workers, progress, reprocess
from pipeline.run.batch import (
    DOCUMENTS_IN_FLIGHT_PER_WORKER,
    collect_inputs,
    failed_entry,
    largest_first,
    run_document,
)
from pipeline.run.document_workers import CLUSTER_LOST, Workers, ocr_processes_per_worker

P = ParamSpec("P")
R = TypeVar("R")


class _PlainParametersFlow(Flow[P, R]):
    """A flow whose parameters are JSON as they are (strings, numbers, lists of strings, None): sent to
    the API as they are. Prefect's own `serialize_parameters` runs them through FastAPI's
    `jsonable_encoder`, which returns such values unchanged but imports FastAPI on every run's first
    flow (0.2 s of CPU). Anything else still goes through Prefect's."""

    def serialize_parameters(self, parameters: dict[str, Any]) -> dict[str, Any]:
        if all(_plain_json(value) for value in parameters.values()):
            return dict(parameters)
        return super().serialize_parameters(parameters)

    def with_options(self, **options: Any) -> _PlainParametersFlow[P, R]:
        changed = super().with_options(**options)
        changed.__class__ = type(self)  # Prefect's copy is a plain Flow; it has no state of its own to add
        return changed  # type: ignore[return-value]


def _plain_json(value: object) -> bool:
    if value is None or isinstance(value, str | int | float):
        return True
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _flow(name: str) -> Callable[[Callable[P, R]], _PlainParametersFlow[P, R]]:
    """`@prefect.flow(name=..., validate_parameters=False)`, its parameters sent as they are."""

    def decorate(fn: Callable[P, R]) -> _PlainParametersFlow[P, R]:
        return _PlainParametersFlow(fn=fn, name=name, validate_parameters=False)

    return decorate


def _document_cache_key(_: TaskRunContext, params: dict[str, Any]) -> str | None:
    sha = params.get("sha256")
    if not sha:
        return None
    if document_workers.started_ahead(params["path"], sha, params["out"]):
        return None  # this run is computing it already (its record may be on disk by now): take that
    fingerprint = pipeline_fingerprint()
    if not Dataset(params["out"]).has_document(doc_id_for(sha), fingerprint):
        return None  # the record must be (re)written: never answer from the cache
    return f"{sha}:{fingerprint}:{os.path.abspath(params['out'])}"


@task(name="process-document", cache_key_fn=_document_cache_key, persist_result=True, task_run_name="{path}")
def process_document(
    path: str, out: str, sha256: str | None, ocr_workers: int | None, workers: int = 1, dask_address: str | None = None
) -> dict[str, Any]:
    entry, change = Workers(workers, dask_address).run(
        Path(path), sha256, out, run_document, path, out, sha256=sha256, ocr_workers=ocr_workers
    )
    return {"entry": entry.to_json(), "change": change}


def _result_or_failure(future: PrefectFuture[dict[str, Any]], path: str, stage: str) -> dict[str, Any]:
    """The task's result; a task that died (worker killed, pool broken) becomes an error record, so
    the flow completes and a re-run retries the document."""
    try:
        return future.result()
    except Exception as exc:
        entry = failed_entry(
            Path(path),
            stage,
            "WorkerLost",
            f"{Path(path).name}: the worker processing it stopped ({type(exc).__name__}: {exc}); run again to retry",
            None,
        )
        return {"entry": entry.to_json(), "change": None}


def task_runner_for(workers: Workers) -> TaskRunner[Any]:
    """Task runs are threads of this process; the documents compute where `Workers` puts them (this
    process, N local processes, a Dask cluster), DOCUMENTS_IN_FLIGHT_PER_WORKER per place one can
    compute, so no worker idles between documents. (In this process, pipeline/compute/cpu_turn.py keeps the
    two from computing at once.)"""
    return ThreadPoolTaskRunner(max_workers=DOCUMENTS_IN_FLIGHT_PER_WORKER * workers.slots())


@_flow("vnplan-ingest")
def ingest(
    paths: list[str], out: str, ocr_workers: int | None = None, workers: int = 1, dask_address: str | None = None
) -> dict[str, int]:
    """Process every document under `paths` into the dataset folder `out`."""
    with _run_processes(ocr_workers):
        return _ingest(paths, out, ocr_workers, workers, dask_address)


@contextmanager
def _run_processes(ocr_workers: int | None) -> Iterator[None]:
    """The worker processes of this run (kept by the caller when it started them early, else here)."""
    with reading.run_ocr_workers(ocr_workers), document_workers.kept_for_run():
        yield


def _ingest(
    paths: list[str], out: str, ocr_workers: int | None, workers: int, dask_address: str | None
) -> dict[str, int]:
    files = largest_first(collect_inputs(paths))
    progress.report("start", len(files))
    submitted: list[tuple[PrefectFuture[dict[str, Any]], str]] = []
    entries: list[ManifestEntry] = []
    for file in files:
        try:
            sha = file_sha256(file)
        except VnplanError as exc:
            entry = failed_entry(file, exc.stage, type(exc).__name__, exc.message, None)
            entries.append(entry)
            progress.report("done", entry)
            continue
        future = process_document.submit(str(file), str(out), sha, ocr_workers, workers, dask_address)
        submitted.append((future, str(file)))
    return _gather(submitted, out, "ingest", entries)


def _gather(
    submitted: list[tuple[PrefectFuture[dict[str, Any]], str]], out: str, stage: str, entries: list[ManifestEntry]
) -> dict[str, int]:
    """Collect the document tasks' results as they finish, then commit them to the dataset at once."""
    paths_of = {id(future): path for future, path in submitted}
    changes = []
    lost: str | None = None
    for future in as_completed([future for future, _ in submitted]):
        result = _result_or_failure(future, paths_of[id(future)], stage)
        entry = ManifestEntry.from_json(result["entry"])
        if entry.error == CLUSTER_LOST:
            lost = lost or entry.message
            continue
        entries.append(entry)
        if result["change"]:
            changes.append(result["change"])
        progress.report("done", entry)
    if lost:
        # The batch stops whole: no manifest entry or error record for documents that never ran.
        # (The documents finished before are on disk; the re-run finds them and only commits them.)
        # A failed state, not an exception: the flow run shows Failed without a logged traceback,
        # and calling the flow raises this error, which the CLI prints as one line.
        return Failed(message=lost, data=OrchestrationError(lost))  # type: ignore[return-value]
    if entries or stage == "ingest":
        Dataset(out).commit(entries, changes=sorted(changes, key=lambda c: c["path"]))
    summary = {
        "documents": len(entries),
        "ok": sum(e.status == "ok" for e in entries),
        "failed": sum(e.status == "failed" for e in entries),
        "not_a_plan": sum(bool(e.extra.get("not_a_plan")) for e in entries if e.status == "ok"),
    }
    progress.report("end", summary)
    return summary


@task(name="reprocess-document", task_run_name="{entry[path]}")
def reprocess_document(
    entry: dict[str, Any], out: str, ocr_workers: int | None, workers: int = 1, dask_address: str | None = None
) -> dict[str, Any]:
    stored = ManifestEntry.from_json(entry)
    new_entry, change = Workers(workers, dask_address).run(
        Path(stored.path), stored.sha256, out, reprocess.reprocess_document, stored, out, ocr_workers
    )
    return {"entry": new_entry.to_json(), "change": change}


@_flow("vnplan-reprocess")
def reprocess_flow(
    out: str,
    only: list[str] | None = None,
    since: str | None = None,
    ocr_workers: int | None = None,
    workers: int = 1,
    dask_address: str | None = None,
) -> dict[str, int]:
    """Re-run the stored documents whose pipeline fingerprint differs from the current one."""
    with _run_processes(ocr_workers):
        return _reprocess(out, only, since, ocr_workers, workers, dask_address)


def _reprocess(
    out: str, only: list[str] | None, since: str | None, ocr_workers: int | None, workers: int, dask_address: str | None
) -> dict[str, int]:
    stale = reprocess.stale_entries(out, only=only, since=since)
    stale = largest_first(stale, lambda entry: Path(entry.path))
    progress.report("start", len(stale))
    submitted = [
        (reprocess_document.submit(e.to_json(), str(out), ocr_workers, workers, dask_address), e.path) for e in stale
    ]
    return _gather(submitted, out, "reprocess", [])


def run_reprocess(
    out: str | Path,
    *,
    only: list[str] | None = None,
    since: str | None = None,
    workers: int = 1,
    dask_address: str | None = None,
) -> dict[str, int]:
    placement = Workers(workers, dask_address)
    with _run_processes(None):
        return reprocess_flow.with_options(task_runner=task_runner_for(placement))(
            out=str(out),
            only=only,
            since=since,
            ocr_workers=ocr_processes_per_worker(workers),
            workers=workers,
            dask_address=dask_address,
        )


def run_ingest(
    paths: Sequence[str | Path],
    out: str | Path,
    *,
    workers: int = 1,
    dask_address: str | None = None,
    ocr_workers: int | None = None,
) -> dict[str, int]:
    """Run the ingest flow, its documents on `workers` local processes or the Dask cluster."""
    placement = Workers(workers, dask_address)
    with _run_processes(ocr_workers):
        return ingest.with_options(task_runner=task_runner_for(placement))(
            paths=[str(p) for p in paths],
            out=str(out),
            ocr_workers=ocr_workers or ocr_processes_per_worker(workers),
            workers=workers,
            dask_address=dask_address,
        )
