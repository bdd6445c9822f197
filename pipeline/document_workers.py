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

import threading
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline import progress
from pipeline.batch import Change, failed_entry
from pipeline.errors import OrchestrationError
from pipeline.process import warm_up
from pipeline.process_pools import ProcessPools
from pipeline.writer import ManifestEntry

if TYPE_CHECKING:
    from distributed import Client

ATTEMPTS = 2
Outcome = tuple[ManifestEntry, Change | None]
_pools = ProcessPools()
_clients: dict[str, Client] = {}
_clients_lock = threading.Lock()


@dataclass(frozen=True)
class Workers:
    """`count` local worker processes (1: the task's own thread), or the cluster at `dask_address`."""

    count: int = 1
    dask_address: str | None = None

    def slots(self) -> int:
        """Documents that can compute at once."""
        if self.dask_address:
            return max(1, sum(_dask_client(self.dask_address).nthreads().values()))
        return self.count

    def start(self) -> None:
        """Get the workers ready now (started, the pipeline imported), e.g. while Prefect's server starts."""
        if self.dask_address:
            _dask_client(self.dask_address).run(_ready, wait=False)
        elif self.count > 1:
            _pools.start(self.count, _ready)

    def run(self, source: Path, sha256: str | None, work: Callable[..., Outcome], /, *args: Any,
            **kwargs: Any) -> Outcome:
        """`work(*args, **kwargs)`, the processing of one document (`source`), on these workers.
        `work` never raises; neither does this."""
        if self.dask_address:
            return _on_dask(self.dask_address, source, sha256, work, *args, **kwargs)
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
    from distributed import Client

    with _clients_lock:
        client = _clients.get(address)
        if client is None:
            try:
                client = _clients[address] = Client(address, set_as_default=False)
            except (OSError, ValueError) as exc:  # unreachable, or not an address
                raise OrchestrationError(f"cannot reach the Dask scheduler at {address} ({exc})") from None
        return client


def _on_dask(address: str, source: Path, sha256: str | None, work: Callable[..., Outcome], /, *args: Any,
             **kwargs: Any) -> Outcome:
    from distributed import KilledWorker

    try:
        return _dask_client(address).submit(work, *args, pure=False, **kwargs).result()
    except KilledWorker as exc:
        return _worker_lost(source, sha256, f"died each time the cluster tried it ({exc})")


def _worker_lost(source: Path, sha256: str | None, what: str) -> Outcome:
    return failed_entry(source, "process", "WorkerLost",
                        f"{source.name}: the worker processing it {what}; run again to retry", sha256), None
