"""Pools of worker processes kept for one run, one per size.

Starting a worker costs 0.3–1 s (a new interpreter importing the pipeline), so a pool serves every
document of a run; the run shuts them down when it ends. A worker that dies breaks its pool for good;
`discard` forgets it and the next `get` starts a new one.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any

from pipeline.compute.parent_watch import exit_with_parent


class ProcessPools:
    def __init__(
        self, initializer: Callable[..., None] | None = None, shared: Callable[[], tuple[Any, ...]] = tuple
    ) -> None:
        """`initializer(size, *shared())` runs first in each new worker of a pool of `size` workers;
        `shared()` is called once per pool (e.g. a semaphore its workers share, made anew with the
        pool that replaces a broken one)."""
        self._pools: dict[int, ProcessPoolExecutor] = {}
        self._lock = threading.Lock()
        self._initializer = initializer
        self._shared = shared

    def get(self, size: int) -> ProcessPoolExecutor:
        with self._lock:
            pool = self._pools.get(size)
            if pool is None:
                # spawn, not fork: the caller may run threads (Prefect, Dask) that fork would copy mid-lock.
                started = functools.partial(_started, self._initializer, size, *self._shared())
                pool = ProcessPoolExecutor(max_workers=size, mp_context=get_context("spawn"), initializer=started)
                self._pools[size] = pool
            return pool

    def start(self, size: int, ready: Callable[[], None]) -> None:
        """Start `size` workers now, alongside the caller's own start-up: each runs `ready`, whose
        unpickling imports its module (and what that imports) in the worker."""
        pool = self.get(size)
        for _ in range(size):
            pool.submit(ready)

    def discard(self, pool: ProcessPoolExecutor) -> None:
        """Forget a broken pool (once, however many of its tasks report it)."""
        with self._lock:
            for size, known in list(self._pools.items()):
                if known is pool:
                    del self._pools[size]

    def shutdown(self) -> None:
        with self._lock:
            for pool in self._pools.values():
                pool.shutdown(wait=False, cancel_futures=True)
            self._pools.clear()


def _started(initializer: Callable[..., None] | None, size: int, *shared: Any) -> None:
    """First thing in a new worker: it ends with the run (see `parent_watch`), then `initializer`."""
    exit_with_parent()
    if initializer is not None:
        initializer(size, *shared)
