"""Where a document is processed: here, in N local worker processes, or on a Dask cluster.

Prefect's task runs stay in threads of the flow's process and hand their document to plain workers
that only run the pipeline (`batch.run_document`). Prefect's own process-pool and Dask task runners
rebuilt Prefect's settings, API client and run context in the worker for every task, and sent its
events back from there: two local workers gave 1.5–1.6× the throughput of one (the same documents in
a bare process pool: 1.85×), and a Dask cluster of two 0.9× of that. Dask workers also no longer
need to reach the Prefect API.

With local workers, the batch's first documents are handed to them as soon as they are started
(`Workers.start_ahead`), while this process still imports Prefect and opens the flow run; their task
runs, once they start, take those documents' outcomes instead of handing them out again. Local
workers are forked from a fork server that loaded the pipeline and the first document's models once
(pipeline.run.workers_early, pipeline.compute.process_pools; the command starts it first thing): two
workers no longer load them twice, and a worker exits at once when its run ends, instead of tearing
its interpreter down while the run waits.

A local worker that dies (killed, out of memory, a crash inside a native library) breaks its pool,
and every document in it then fails. Like Dask with a lost worker, the batch goes on in a new pool
and each of those documents is tried again; a document lost `ATTEMPTS` times is recorded as
`WorkerLost` (on Dask: once the scheduler gives it up, `KilledWorker`).
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError, ProcessPoolExecutor
from concurrent.futures import Future as LocalFuture
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pipeline.compute.process_pools import ProcessPools
from pipeline.convert import warm_up
from pipeline.dataset.writer import Dataset, ManifestEntry
from pipeline.model.errors import OrchestrationError
from pipeline.read.ingest import page_threads
from pipeline.read.ocr_workers import keep_in_this_thread, page_turns
from pipeline.run import progress
from pipeline.run.batch import Change, failed_entry
from pipeline.run.workers_early import PRELOAD

if TYPE_CHECKING:
    from multiprocessing.synchronize import Semaphore

    from distributed import Client, Future

ATTEMPTS = 2
WAIT_FOR_WORKERS_S = 60.0  # a cluster being started: its workers may join a little after the scheduler
Outcome = tuple[ManifestEntry, Change | None]
CLUSTER_LOST = "ClusterLost"  # the error of a document a run could not finish: its scheduler went
T = TypeVar("T")
_SAME_PATHS = (
    "every worker must see the documents and the output folder at the same paths as the machine running vnplan"
)


@dataclass
class _RunPlaces:
    """What one run keeps of the places its documents compute: local worker pools, Dask clients."""

    pools: ProcessPools
    clients: dict[str, Client] = field(default_factory=dict)
    warmups: list[Future] = field(default_factory=list)  # held until the client closes (_warm_dask_workers)
    lost: dict[str, str] = field(default_factory=dict)  # scheduler address -> what the user is told (_lose)
    # documents started ahead of their task runs (start_ahead): their outcome to come, and its pool
    ahead: dict[tuple[str, str, str], tuple[LocalFuture[Outcome], ProcessPoolExecutor]] = field(default_factory=dict)
    # set (under `lock`) when the flow's task runs first ask for their documents: none is handed out ahead after
    flow_asked: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def close(self, *, wait: bool = False) -> None:
        """`wait`: for the local workers to exit (a run that ended normally; they exit at once)."""
        self.pools.shutdown(wait=wait)
        for address, client in self.clients.items():
            if address not in self.lost:  # a client of a scheduler gone would only log its reconnect failing
                with contextlib.suppress(Exception):
                    client.close(timeout=5)


_run_places: ContextVar[_RunPlaces | None] = ContextVar("vnplan_run_places", default=None)


@dataclass(frozen=True)
class Workers:
    """`count` local worker processes (1: the task's own thread), or the cluster at `dask_address`."""

    count: int = 1
    dask_address: str | None = None

    def slots(self) -> int:
        """Documents that can compute at once."""
        if self.dask_address:
            return max(1, sum(_cluster_call(self.dask_address, _worker_threads).values()))
        return self.count

    def start(self) -> None:
        """Get the workers ready now (started, the pipeline imported), e.g. while Prefect's server starts."""
        if self.dask_address:
            _cluster_call(self.dask_address, _warm_dask_workers)
        elif self.count > 1:
            _pools().start(self.count, _ready)

    def start_ahead(
        self, documents: Iterator[tuple[Path, str]], out: Path | str, work: Callable[..., Outcome], in_flight: int
    ) -> None:
        """Hand `documents` (path, sha256; taken one by one) to the local workers now, ahead of their task
        runs, `in_flight` at a time, until the flow's task runs first ask for theirs: `work(path, out,
        sha256=..., ocr_workers=...)` as the task would run it (batch.run_document); the task run of each
        then takes its outcome (`run`). On a first run the flow opens only once the Prefect server it
        started answers (~2 s): the workers compute the batch meanwhile rather than its first documents only."""
        if self.dask_address or self.count <= 1:
            return
        places = _places()
        pool = places.pools.get(self.count)
        slots = threading.Semaphore(in_flight)

        def hand_out() -> None:
            """In a thread: the first submit waits for the workers' fork server to have loaded."""
            while True:
                while not slots.acquire(timeout=0.05):  # a slot first: no file is read for a slot to come
                    if places.flow_asked:
                        return
                path, sha = next(documents, (None, ""))
                if path is None:
                    return
                outcome: LocalFuture[Outcome] = LocalFuture()
                with places.lock:  # known to the task runs from now on, unless they already asked
                    if places.flow_asked:
                        return
                    places.ahead[_ahead_key(path, sha, out)] = (outcome, pool)
                outcome.add_done_callback(lambda _: slots.release())
                try:
                    future = pool.submit(
                        work, str(path), str(out), sha256=sha, ocr_workers=ocr_processes_per_worker(self.count)
                    )
                except (BrokenProcessPool, RuntimeError) as exc:  # broken, or shut down: the task run retries
                    outcome.set_exception(exc if isinstance(exc, BrokenProcessPool) else BrokenProcessPool(str(exc)))
                    continue
                future.add_done_callback(functools.partial(_pass_on, outcome))

        threading.Thread(target=hand_out, name="vnplan-documents-ahead", daemon=True).start()

    def run(
        self,
        source: Path,
        sha256: str | None,
        out: Path | str,
        work: Callable[..., Outcome],
        /,
        *args: Any,
        **kwargs: Any,
    ) -> Outcome:
        """`work(*args, **kwargs)`, the processing of one document (`source`) into the dataset folder
        `out`, on these workers. `work` never raises; neither does this."""
        if self.dask_address:
            return _on_dask(self.dask_address, source, sha256, Path(out), work, *args, **kwargs)
        if self.count <= 1:
            return work(*args, **kwargs)
        return _in_pool(self.count, source, sha256, work, *args, _started=_take_ahead(source, sha256, out), **kwargs)


def _places() -> _RunPlaces:
    """The current run's worker pools and cluster clients (see kept_for_run)."""
    places = _run_places.get()
    if places is None:
        raise RuntimeError("document workers used outside a run (enter document_workers.kept_for_run())")
    return places


def _pools() -> ProcessPools:
    return _places().pools


@contextmanager
def kept_for_run() -> Iterator[None]:
    """The run's document worker processes and cluster clients: the current ones when the caller made
    them (started while Prefect came up), else new ones for the code inside, closed after it."""
    if _run_places.get() is not None:
        yield
        return
    places = _RunPlaces(ProcessPools(initializer=_worker_started, shared=lambda: (page_turns(),), preload=PRELOAD))
    token = _run_places.set(places)
    ended = False
    try:
        yield
        ended = True
    finally:
        _run_places.reset(token)
        places.close(wait=ended)


def ocr_processes_per_worker(workers: int) -> int | None:
    """OCR processes per document worker: the cores shared out, so N workers do not oversubscribe them."""
    return max(1, (os.cpu_count() or 1) // workers) if workers > 1 else None


def _worker_started(workers: int, turns: Semaphore) -> None:
    """First thing in each new document worker process (one of `workers`): its OCR, kept while it
    lives (a worker serves one run). Its pages are read in threads holding the run's page `turns`,
    one per core shared by the pool's workers: no core idles while any document has pages to read
    (with one OCR process per worker, the last document's pages went one at a time on one core), and
    no worker starts OCR processes of its own."""
    keep_in_this_thread(page_threads(turns))


def _ready() -> None:
    """Run in each new worker: the stages are imported now rather than on its first document (the
    restorer's model still loads only for a document that needs it)."""
    warm_up(model=False)


def _ahead_key(path: Path | str, sha256: str | None, out: Path | str) -> tuple[str, str, str]:
    return os.path.abspath(path), sha256 or "", os.path.abspath(out)


def started_ahead(source: Path | str, sha256: str | None, out: Path | str) -> bool:
    """Whether this run handed the document to its workers ahead of its task run (start_ahead)."""
    places = _run_places.get()
    if places is None or not sha256:
        return False
    with places.lock:
        places.flow_asked = True
        return _ahead_key(source, sha256, out) in places.ahead


def _pass_on(outcome: LocalFuture[Outcome], future: LocalFuture[Outcome]) -> None:
    """The worker's outcome of a document started ahead, to the future its task run holds."""
    if future.cancelled():
        outcome.cancel()
    elif (exc := future.exception()) is not None:
        outcome.set_exception(exc)
    else:
        outcome.set_result(future.result())


def _take_ahead(
    source: Path, sha256: str | None, out: Path | str
) -> tuple[LocalFuture[Outcome], ProcessPoolExecutor] | None:
    """The document's outcome to come when it was started ahead of its task run (start_ahead)."""
    if not sha256:
        return None
    places = _places()
    with places.lock:
        places.flow_asked = True
        return places.ahead.pop(_ahead_key(source, sha256, out), None)


def _in_pool(
    size: int,
    source: Path,
    sha256: str | None,
    work: Callable[..., Outcome],
    /,
    *args: Any,
    _started: tuple[LocalFuture[Outcome], ProcessPoolExecutor] | None = None,
    **kwargs: Any,
) -> Outcome:
    lost: BrokenProcessPool | None = None
    for attempt in range(ATTEMPTS):
        if attempt:
            progress.report("retry", f"{source.name}: its worker process stopped; trying it again")
        pools = _pools()
        if _started is not None and not attempt:
            future, pool = _started
        else:
            pool = pools.get(size)
            future = pool.submit(work, *args, **kwargs)
        try:
            return future.result()
        except BrokenProcessPool as exc:
            pools.discard(pool)
            lost = exc
    return _worker_lost(source, sha256, f"stopped {ATTEMPTS} times ({lost})")


def _dask_client(address: str) -> Client:
    """One client per cluster for the run."""
    import logging

    from distributed import Client

    places = _places()
    with places.lock:
        if address in places.lost:
            raise OrchestrationError(places.lost[address])
        client = places.clients.get(address)
        if client is None:
            # vnplan says what went wrong in one line (or one error record per document); the client's
            # own log lines (reconnect attempts, tracebacks of closed connections) would bury it.
            logging.getLogger("distributed").setLevel(logging.CRITICAL)
            try:
                client = places.clients[address] = Client(address, set_as_default=False)
            except (OSError, ValueError) as exc:  # unreachable, or not an address
                raise OrchestrationError(f"cannot reach the Dask scheduler at {address} ({exc})") from None
        return client


def _cluster_call(address: str, call: Callable[[Client], T]) -> T:
    """`call(client)`; a scheduler that has gone (connection closed or refused) is an OrchestrationError."""
    try:
        return call(_dask_client(address))
    except OSError as exc:  # distributed's CommClosedError is one
        raise OrchestrationError(_lose(address, exc)) from None


def _worker_threads(client: Client) -> dict[str, int]:
    """Threads per worker; a scheduler without workers gets `VNPLAN_DASK_WAIT_FOR_WORKERS_S` (60 s)
    for one to join, then the run stops with one line rather than waiting for ever."""
    threads = client.nthreads()
    if threads:
        return threads
    wait = _wait_for_workers_s()
    try:
        client.wait_for_workers(1, timeout=wait)
    except TimeoutError:  # distributed's own (WorkerStartTimeoutError since 2024.x) derive from it
        raise OrchestrationError(
            f"the Dask scheduler at {client.scheduler.address} has no workers (waited "
            f"{wait:g} s): start `dask worker {client.scheduler.address}` on the worker "
            "machines"
        ) from None
    return client.nthreads()


def _wait_for_workers_s() -> float:
    raw = os.environ.get("VNPLAN_DASK_WAIT_FOR_WORKERS_S", "")
    try:
        return max(0.1, float(raw))
    except ValueError:
        return WAIT_FOR_WORKERS_S


def _warm_dask_workers(client: Client) -> None:
    """`_ready` as the first task of each worker the cluster has now: a fresh worker imports the
    pipeline (~3 s) while Prefect starts rather than on its first document; one that has run vnplan
    before has it already, and the task returns at once.

    A task, not `client.run`: `run` calls a plain function in the worker's event loop, blocking its
    heartbeats while it imports, and `run(..., wait=False)` takes only coroutine functions
    (AssertionError 'Combination not supported', on every `distributed` release). The futures are
    kept, not fire-and-forget: a worker that leaves before its warm-up runs leaves no task waiting on
    the scheduler once this process's client closes. (A cluster without workers stops the run here,
    before Prefect starts: `_worker_threads`.)"""
    futures = [
        client.submit(_ready, pure=False, workers=[address], allow_other_workers=False)
        for address in _worker_threads(client)
    ]
    places = _places()
    with places.lock:
        places.warmups.extend(futures)


def _on_dask(
    address: str,
    source: Path,
    sha256: str | None,
    out: Path,
    work: Callable[..., Outcome],
    /,
    *args: Any,
    **kwargs: Any,
) -> Outcome:
    """The document on the cluster. Dask replaces a worker that dies and reschedules its documents;
    one it gives up on is `WorkerLost`. A scheduler that has gone stops the batch: every document
    still to go is `ClusterLost` at once, and flows.py then commits nothing. A record the worker wrote
    where this machine does not see it is an error, not an entry pointing at nothing."""
    from distributed import KilledWorker

    lost = _places().lost
    if address in lost:
        return _cluster_lost(source, sha256, lost[address])
    try:
        client = _dask_client(address)
        future = client.submit(_on_worker, source, source.exists(), sha256, work, *args, pure=False, **kwargs)
        entry, change = future.result()
        if entry.status == "ok" and entry.doc_id and not Dataset(out).document_path(entry.doc_id).exists():
            message = (
                f"{source.name}: the Dask worker wrote its record into a folder {out} that this machine "
                f"does not see; {_SAME_PATHS}"
            )
            return failed_entry(source, "write", "OutputError", message, sha256), None
        return entry, change
    except KilledWorker as exc:
        return _worker_lost(source, sha256, f"died each time the cluster tried it ({exc})")
    except OrchestrationError as exc:
        return _cluster_lost(source, sha256, exc.message)
    except (OSError, CancelledError) as exc:  # the connection closed, and its futures were cancelled
        return _cluster_lost(source, sha256, _lose(address, exc))
    except Exception as exc:  # e.g. a worker without vnplan cannot unpickle the work: this document fails
        return failed_entry(
            source,
            "process",
            type(exc).__name__,
            f"{source.name}: the Dask cluster could not process it: {exc}",
            sha256,
        ), None


def _on_worker(
    source: Path, seen_by_client: bool, sha256: str | None, work: Callable[..., Outcome], /, *args: Any, **kwargs: Any
) -> Outcome:
    """Run on a Dask worker: `work`, unless the worker cannot see a document that the client sees (a
    worker machine without the shared folder), which is said as such rather than as a missing file."""
    if seen_by_client and not source.exists():
        from distributed import get_worker

        try:
            where = f"the Dask worker {get_worker().address}"
        except ValueError:
            where = "a Dask worker"
        message = f"{source.name}: {source} is not visible on {where}; {_SAME_PATHS}"
        return failed_entry(source, "ingest", "InputFileError", message, sha256), None
    return work(*args, **kwargs)


def _lose(address: str, exc: BaseException) -> str:
    """Remember that the scheduler at `address` has gone, so every document still to go fails at once,
    and say so (the first cause seen is the one told)."""
    if isinstance(exc, CancelledError):  # its str is the task's key; since 2024.x it has a reason
        detail = str(getattr(exc, "reason", None) or "its documents were cancelled").replace("-", " ")
    else:
        detail = (str(exc).splitlines() or [type(exc).__name__])[0]
    message = (
        f"lost the Dask scheduler at {address} ({detail}); nothing of this run was recorded in "
        "the dataset's manifest and tables: run the command again to finish it"
    )
    places = _places()
    with places.lock:
        return places.lost.setdefault(address, message)


def _cluster_lost(source: Path, sha256: str | None, message: str) -> Outcome:
    return failed_entry(source, "orchestrate", CLUSTER_LOST, message, sha256), None


def _worker_lost(source: Path, sha256: str | None, what: str) -> Outcome:
    return failed_entry(
        source, "process", "WorkerLost", f"{source.name}: the worker processing it {what}; run again to retry", sha256
    ), None
