"""Resident memory of a process tree over time: a background thread sums RSS of a process and all
its descendants (Prefect server, OCR pool, task-runner workers) every `interval` seconds."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType

import psutil

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Sample:
    seconds: float  # since sampling started
    rss: int  # bytes, the whole tree
    label: int | None  # what `probe` said at that moment (e.g. documents finished)


@dataclass
class TreeRss:
    """Use as a context manager around the work; `peak` and `samples` afterwards.

    probe: optional callable sampled with each reading, so readings can be attributed (to a document
    index, a batch). Note psutil's RSS counts shared pages once per process, as `ps` does.
    """

    pid: int
    interval: float = 0.2
    probe: Callable[[], int | None] | None = None
    samples: list[Sample] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> TreeRss:
        self._start = time.perf_counter()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self._read()  # one last reading (a very short run still gets one)

    @property
    def peak(self) -> int:
        return max((s.rss for s in self.samples), default=0)

    def peak_where(self, keep: Callable[[Sample], bool]) -> int:
        return max((s.rss for s in self.samples if keep(s)), default=0)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._read()

    def _read(self) -> None:
        rss = tree_rss(self.pid)
        if rss is None:
            return
        label = self.probe() if self.probe else None
        self.samples.append(Sample(time.perf_counter() - self._start, rss, label))


def tree_rss(pid: int) -> int | None:
    """RSS of `pid` plus its descendants, in bytes; None once the process is gone."""
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return None
    total = 0
    for proc in procs:
        try:
            total += proc.memory_info().rss
        except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
            continue  # a child that ended between listing and reading
    return total
