"""Where a document is processed: here, in N local worker processes, or on a Dask cluster.

Prefect's task runs stay in threads of the flow's process and hand their document to plain workers
that only run the pipeline (`batch.run_document`). Prefect's own process-pool and Dask task runners
rebuilt Prefect's settings, API client and run context in the worker for every task, and sent its
events back from there: two local workers gave 1.5–1.6× the throughput of one (the same documents in
a bare process pool: 1.85×), and a Dask cluster of two 0.9× of that. Dask workers also no longer
need to reach the Prefect API.

A local worker that dies (killed, out of memory, a crash inside a native library) breaks its pool,
and every document in it then fails. Like Dask with a lost worker, the batch goes on in a new pool
and each of those documents is tried again; a document lost `ATTEMPTS` times is recorded as
`WorkerLost` (on Dask: once the scheduler gives it up, `KilledWorker`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import CancelledError
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pipeline.compute.process_pools import ProcessPools
from pipeline.convert import warm_up
from pipeline.dataset.writer import Dataset, ManifestEntry
from pipeline.model.errors import OrchestrationError
from pipeline.run import progress
from pipeline.run.batch import Change, failed_entry

if TYPE_CHECKING:
    from distributed import Client, Future

ATTEMPTS = 2
WAIT_FOR_WORKERS_S = 60.0  # a cluster being started: its workers may join a little after the scheduler
Outcome = tuple[ManifestEntry, Change | None]
_pools = ProcessPools()
_clients: dict[str, Client] = {}
_clients_lock = threading.Lock()
_warmups: list[Future] = []  # held until the client closes (see _warm_dask_workers)
_lost: dict[str, str] = {}  # scheduler address -> what the user is told (see _lose)
CLUSTER_LOST = "ClusterLost"  # the error of a document a run could not finish: its scheduler went
T = TypeVar("T")
_SAME_PATHS = ("every worker must see the documents and the output folder at the same paths as the machine "
               "running vnplan")


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
            _pools.start(self.count, _ready)

    def run(self, source: Path, sha256: str | None, out: Path | str, work: Callable[..., Outcome], /, *args: Any,
            **kwargs: Any) -> Outcome:
        """`work(*args, **kwargs)`, the processing of one document (`source`) into the dataset folder
        `out`, on these workers. `work` never raises; neither does this."""
        if self.dask_address:
            return _on_dask(self.dask_address, source, sha256, Path(out), work, *args, **kwargs)
        if self.count <= 1:
            return work(*args, **kwargs)
        return _in_pool(self.count, source, sha256, work, *args, **kwargs)


def _ready() -> None:
    """Run in each new worker: the stages are imported now rather than on its first document (the
    restorer's model still loads only for a document that needs it)."""
    warm_up(model=False)


def _in_pool(size: int, source: Path, sha256: str | None, work: Callable[..., Outcome], /, *args: Any,
             **kwargs: Any) -> Outcome:
    lost: BrokenProcessPool | None = None
    for attempt in range(ATTEMPTS):
        if attempt:
            progress.report("retry", f"{source.name}: its worker process stopped; trying it again")
        pool = _pools.get(size)
        try:
            return pool.submit(work, *args, **kwargs).result()
        except BrokenProcessPool as exc:
            _pools.discard(pool)
            lost = exc
    return _worker_lost(source, sha256, f"stopped {ATTEMPTS} times ({lost})")


def _dask_client(address: str) -> Client:
    """One client per cluster for the life of the process."""
    import logging

    from distributed import Client

    with _clients_lock:
        if address in _lost:
            raise OrchestrationError(_lost[address])
        client = _clients.get(address)
        if client is None:
            # vnplan says what went wrong in one line (or one error record per document); the client's
            # own log lines (reconnect attempts, tracebacks of closed connections) would bury it.
            logging.getLogger("distributed").setLevel(logging.CRITICAL)
            try:
                client = _clients[address] = Client(address, set_as_default=False)
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
        raise OrchestrationError(f"the Dask scheduler at {client.scheduler.address} has no workers (waited "
                                 f"{wait:g} s): start `dask worker {client.scheduler.address}` on the worker "
                                 "machines") from None
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
    futures = [client.submit(_ready, pure=False, workers=[address], allow_other_workers=False)
               for address in _worker_threads(client)]
    with _clients_lock:
        _warmups.extend(futures)


def _on_dask(address: str, source: Path, sha256: str | None, out: Path, work: Callable[..., Outcome], /,
             *args: Any, **kwargs: Any) -> Outcome:
    """The document on the cluster. Dask replaces a worker that dies and reschedules its documents;
    one it gives up on is `WorkerLost`. A scheduler that has gone stops the batch: every document
    still to go is `ClusterLost` at once, and flows.py then commits nothing. A record the worker wrote
    where this machine does not see it is an error, not an entry pointing at nothing."""
    from distributed import KilledWorker

    if address in _lost:
        return _cluster_lost(source, sha256, _lost[address])
    try:
        client = _dask_client(address)
        future = client.submit(_on_worker, source, source.exists(), sha256, work, *args, pure=False, **kwargs)
        entry, change = future.result()
        if entry.status == "ok" and entry.doc_id and not Dataset(out).document_path(entry.doc_id).exists():
            message = (f"{source.name}: the Dask worker wrote its record into a folder {out} that this machine "
                       f"does not see; {_SAME_PATHS}")
            return failed_entry(source, "write", "OutputError", message, sha256), None
        return entry, change
    except KilledWorker as exc:
        return _worker_lost(source, sha256, f"died each time the cluster tried it ({exc})")
    except OrchestrationError as exc:
        return _cluster_lost(source, sha256, exc.message)
    except (OSError, CancelledError) as exc:  # the connection closed, and its futures were cancelled
        return _cluster_lost(source, sha256, _lose(address, exc))
    except Exception as exc:  # e.g. a worker without vnplan cannot unpickle the work: this document fails
        return failed_entry(source, "process", type(exc).__name__,
                            f"{source.name}: the Dask cluster could not process it: {exc}", sha256), None


def _on_worker(source: Path, seen_by_client: bool, sha256: str | None, work: Callable[..., Outcome], /,
               *args: Any, **kwargs: Any) -> Outcome:
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
    message = (f"lost the Dask scheduler at {address} ({detail}); nothing of this run was recorded in "
               "the dataset's manifest and tables: run the command again to finish it")
    with _clients_lock:
        return _lost.setdefault(address, message)


def _cluster_lost(source: Path, sha256: str | None, message: str) -> Outcome:
    return failed_entry(source, "orchestrate", CLUSTER_LOST, message, sha256), None


def _worker_lost(source: Path, sha256: str | None, what: str) -> Outcome:
    return failed_entry(source, "process", "WorkerLost",
                        f"{source.name}: the worker processing it {what}; run again to retry", sha256), None
