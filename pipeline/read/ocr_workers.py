"""The OCR processes of one run, and the pages read ahead for it.

A run (`pipeline.run.runs`) makes one, starts it while Prefect comes up, reads its first scans ahead and
makes it the current one for the documents it processes (`in_use`; Prefect's task threads inherit it);
a document read outside a run (`vnplan extract`) gets one for itself. Nothing of it outlives the run
that made it: its processes stop, and pages read ahead but never asked for are dropped, when it closes.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from contextvars import ContextVar
from multiprocessing import current_process, get_context
from typing import TYPE_CHECKING, Generic, TypeVar

from pipeline.compute.cpu_turn import waiting
from pipeline.compute.parent_watch import exit_with_parent
from pipeline.model.errors import OcrError

if TYPE_CHECKING:
    from multiprocessing.synchronize import Semaphore

Job = TypeVar("Job", bound=Hashable)
Page = TypeVar("Page")
FileStamp = tuple[int, int]  # (mtime ns, size): pages read ahead serve only the same bytes


def default_size() -> int:
    """One OCR process per core, and one more: each spends ~10% of a page between Tesseract calls
    (decoding, levelling, table search), when a core would idle without a third process."""
    cores = os.cpu_count() or 1
    return cores + 1 if cores > 1 else 1


def pool_size(workers: int | None) -> int:
    """OCR processes to use: `workers`, else the default; 1 means OCR in this process, as in a
    daemonic process (a Dask worker), which may have no children."""
    return 1 if current_process().daemon else max(1, workers or default_size())


def file_stamp(path: str) -> FileStamp | None:
    """What identifies a file's version, or None when it cannot be read."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def page_turns() -> Semaphore:
    """The turns of a run's document worker processes at reading a page: one per core, shared by all
    of them (handed to each when it starts), so the pages of every document in flight are read on
    every core, and a document still being read when the others are done has all of them."""
    return get_context("spawn").Semaphore(os.cpu_count() or 1)


class OcrWorkers(Generic[Job, Page]):
    """`size` processes running `recognize(job)` (1: in the caller's process), and the pages already
    started for files not yet read. With `turns` (a document worker's: page_turns), the pages run in
    up to one thread per core of the caller's process instead, each holding a turn while it is read:
    Tesseract runs in its own process, so threads read pages side by side."""

    def __init__(
        self, recognize: Callable[[Job], Page], size: int | None = None, turns: Semaphore | None = None
    ) -> None:
        self._turns = turns
        self.size = (os.cpu_count() or 1) if turns is not None else pool_size(size)
        self._recognize = recognize
        self._threads: ThreadPoolExecutor | None = None
        self._pool: ProcessPoolExecutor | None = None
        self._ahead: dict[tuple[Job, FileStamp], Future[Page]] = {}
        self._lock = threading.Lock()

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                # spawn, not fork: the caller runs threads (Prefect) that fork would copy mid-lock
                self._pool = ProcessPoolExecutor(
                    max_workers=self.size, mp_context=get_context("spawn"), initializer=exit_with_parent
                )
            return self._pool

    def start(self, ready: Callable[[], None]) -> None:
        """Start the processes now, alongside the caller's own start-up: unpickling `ready` imports its
        module (and what that imports) in each, ~0.6 s that would otherwise fall on the first scan."""
        if self.size > 1 and self._turns is None:
            pool = self._executor()
            for _ in range(self.size):
                pool.submit(ready)

    def read_ahead(self, jobs: list[Job], stamp: FileStamp) -> int:
        """Start these pages now (a file's pages, `stamp` its version); `run` takes them later."""
        if self.size == 1 or self._turns is not None:
            return 0
        pool = self._executor()
        with self._lock:
            for job in jobs:
                self._ahead[(job, stamp)] = pool.submit(self._recognize, job)
        return len(jobs)

    def run(self, jobs: list[Job], stamp: FileStamp | None) -> list[Page]:
        """Every job's page, in order: those read ahead for the same file version taken, not run twice."""
        if not jobs:
            return []
        if self._turns is not None:
            return self._run_in_turns(jobs)
        if self.size == 1:
            with waiting():  # mostly waiting for the tesseract subprocess
                return [self._recognize(job) for job in jobs]
        pool = self._executor()
        with self._lock:
            started = [self._ahead.pop((job, stamp), None) if stamp else None for job in jobs]
        try:
            futures = [future or pool.submit(self._recognize, job) for future, job in zip(started, jobs, strict=True)]
            with waiting():  # another document in flight may compute meanwhile
                return [future.result() for future in futures]
        except BrokenProcessPool as exc:
            self._discard(pool)  # a dead worker breaks the pool for good: the next document gets a new one
            raise OcrError(f"an OCR worker process died ({exc})") from exc

    def _run_in_turns(self, jobs: list[Job]) -> list[Page]:
        with self._lock:
            if self._threads is None:
                self._threads = ThreadPoolExecutor(max_workers=self.size, thread_name_prefix="ocr-page")
            threads = self._threads
        futures = [threads.submit(self._in_turn, job) for job in jobs]
        try:
            with waiting():
                return [future.result() for future in futures]
        finally:  # a page that failed fails the document: its pages not yet started are not read
            for future in futures:
                future.cancel()

    def _in_turn(self, job: Job) -> Page:
        assert self._turns is not None
        with self._turns:
            return self._recognize(job)

    @property
    def pages_ahead(self) -> int:
        """Pages started ahead and not yet taken."""
        with self._lock:
            return len(self._ahead)

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None
                self._ahead.clear()

    def close(self) -> None:
        """Stop the processes and drop the pages nobody asked for."""
        with self._lock:
            pool, self._pool = self._pool, None
            threads, self._threads = self._threads, None
            self._ahead.clear()
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        if threads is not None:
            threads.shutdown(wait=False, cancel_futures=True)

    def __enter__(self) -> OcrWorkers[Job, Page]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


_current: ContextVar[OcrWorkers | None] = ContextVar("vnplan_ocr_workers", default=None)


def current() -> OcrWorkers | None:
    """The OCR workers of the run this code is part of, if any."""
    return _current.get()


@contextmanager
def in_use(workers: OcrWorkers) -> Iterator[OcrWorkers]:
    """Make `workers` the current run's OCR workers for the code inside (and the threads it starts
    with a copy of its context, as Prefect's task runner does)."""
    token = _current.set(workers)
    try:
        yield workers
    finally:
        _current.reset(token)


@contextmanager
def kept_for_run(make: Callable[[], OcrWorkers]) -> Iterator[OcrWorkers]:
    """The run's OCR workers: the current ones when the caller made them (e.g. started while Prefect
    came up), else new ones from `make`, current for the code inside and closed after it."""
    existing = current()
    if existing is not None:
        yield existing
        return
    with make() as workers, in_use(workers):
        yield workers


def keep_in_this_thread(workers: OcrWorkers) -> None:
    """Make `workers` current for the rest of this thread's life: a document worker process is one
    run's, so its OCR processes live as long as it does."""
    _current.set(workers)
