"""Pools of worker processes kept for one run, one per size.

Starting a worker costs 0.3–1 s (a new interpreter importing the pipeline), so a pool serves every
document of a run; the run shuts them down when it ends. A worker that dies breaks its pool for good;
`discard` forgets it and the next `get` starts a new one.

With `preload` (a module name), the workers are forked from a fork server that imported that module
once (multiprocessing's "forkserver"): what every worker would load for itself (the pipeline's imports,
the models its first document loads, ~1.3 s of CPU each) is loaded once for all of them and shared,
and a pool that replaces a broken one starts at once. The server is a clean process of its own, never
this one: the caller may run threads (Prefect, Dask) that a plain fork would copy mid-lock. Without
`preload`, each worker is a new interpreter ("spawn").
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import signal
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import forkserver, get_context
from multiprocessing.context import BaseContext
from typing import Any

from pipeline.compute.parent_watch import exit_with_parent


class ProcessPools:
    def __init__(
        self,
        initializer: Callable[..., None] | None = None,
        shared: Callable[[], tuple[Any, ...]] = tuple,
        preload: str | None = None,
    ) -> None:
        """`initializer(size, *shared())` runs first in each new worker of a pool of `size` workers;
        `shared()` is called once per pool (e.g. a semaphore its workers share, made anew with the
        pool that replaces a broken one); `preload`: the module the fork server imports (above)."""
        self._pools: dict[int, ProcessPoolExecutor] = {}
        self._lock = threading.Lock()
        self._initializer = initializer
        self._shared = shared
        self._preload = preload
        self._forked = False  # a pool of this run's used the fork server: stopped with the run

    def get(self, size: int) -> ProcessPoolExecutor:
        """The pool of `size` workers (made now; its processes start with its first tasks)."""
        with self._lock:
            pool = self._pools.get(size)
            if pool is None:
                started = functools.partial(_started, self._initializer, size, *self._shared())
                pool = ProcessPoolExecutor(max_workers=size, mp_context=self._context(), initializer=started)
                self._pools[size] = pool
            return pool

    def _context(self) -> BaseContext:
        if self._preload is None:
            return get_context("spawn")
        context = get_context("forkserver")
        context.set_forkserver_preload([self._preload])  # read when the server starts (if none runs)
        self._forked = True
        return context

    def start(self, size: int, ready: Callable[[], None]) -> None:
        """Start `size` workers now, alongside the caller's own start-up: each runs `ready`, whose
        unpickling imports its module (and what that imports) in the worker. Returns at once: with
        a fork server, starting the first worker waits for the server's imports."""
        pool = self.get(size)

        def submit() -> None:
            try:
                for _ in range(size):
                    pool.submit(ready)
            except RuntimeError:  # the run ended (or the pool broke) meanwhile: nothing to start
                return

        threading.Thread(target=submit, name="vnplan-start-workers", daemon=True).start()

    def discard(self, pool: ProcessPoolExecutor) -> None:
        """Forget a broken pool (once, however many of its tasks report it)."""
        with self._lock:
            for size, known in list(self._pools.items()):
                if known is pool:
                    del self._pools[size]

    def shutdown(self, *, wait: bool = False) -> None:
        """Stop every pool (`wait`: until their workers have exited), then the fork server they came
        from. Waiting costs nothing at the end of a run (a worker exits at once, see `_started`), and
        the workers' CPU is then counted as this process's children's, as it was with spawned workers."""
        with self._lock:
            pools, self._pools = list(self._pools.values()), {}
            forked, self._forked = self._forked, False
        for pool in pools:
            pool.shutdown(wait=wait, cancel_futures=True)
        if forked:
            _stop_fork_server()


def start_fork_server(preload: str) -> None:
    """Start this process's fork server now, importing `preload` (what `ProcessPools(preload=...)`
    would start with its first worker), so that it loads while the caller does something else."""
    get_context("forkserver").set_forkserver_preload([preload])
    forkserver.ensure_running()


def stop_unused_fork_server() -> None:
    """Stop a fork server started early (`start_fork_server`) that no pool stopped, i.e. no run used:
    killed, not asked (it only listens once it has loaded), and reaped."""
    server = forkserver._forkserver
    pid = server._forkserver_pid  # type: ignore[attr-defined]  # (not in typeshed)
    if pid is None:
        return
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    _stop_fork_server()


def _stop_fork_server() -> None:
    """Stop this process's fork server and reap it, so that nothing of the run outlives it (its
    workers, forked from it, are gone or end with it: parent_watch)."""
    server = forkserver._forkserver  # multiprocessing's one server per process, as its own stop uses
    try:
        server._stop()  # type: ignore[attr-defined]  # (not in typeshed)
    except (OSError, ChildProcessError):
        return


def _started(initializer: Callable[..., None] | None, size: int, *shared: Any) -> None:
    """First thing in a new worker: it ends with the run (see `parent_watch`) and ends at once
    (`exit_without_teardown`), then `initializer`."""
    atexit.register(exit_without_teardown)  # first registered: run last, after every later handler
    exit_with_parent()
    if initializer is not None:
        initializer(size, *shared)


def exit_without_teardown() -> None:
    """The last thing a worker (or the fork server) does when its run ends it. Its interpreter would then
    collect and free every object of the pipeline's imports and models one by one: 0.4–1.2 s in
    which the run waits for it (a run ends by joining its workers), the batch's serial tail.
    Everything a worker writes is written and closed by then (records are temp file + rename, each
    in its own `with`), its own threads and child processes are joined (atexit handlers run after
    both), and every atexit handler registered after this one, i.e. by whatever the worker imported,
    has run. (A worker forked from the fork server ends with `os._exit` anyway.)"""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            continue
    os._exit(0)
