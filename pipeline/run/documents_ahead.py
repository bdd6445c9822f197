"""A small one-worker batch computed in a process of its own while the command loads Prefect.

With `--workers N` the batch's first documents go to the worker processes as soon as they start
(document_workers.Workers.start_ahead). A one-worker run computes its documents in the command's own
process, and only once Prefect's client is imported (~1.5 s of CPU) and the flow run is open (and, in
a first run, once the server it started answers): for the plan that arrived today that start is most
of the run, while the machine's second core idles. So when all of a one-worker batch's new documents
are few enough to be in flight at once (DOCUMENTS_IN_FLIGHT_PER_WORKER) and a core is spare
(`core_to_spare`; VNPLAN_DOCUMENTS_AHEAD=1 or 0 decides instead), one spawned process loads the
pipeline and computes them, one after the other, while this process loads Prefect and opens the flow
run; this process then loads no models. `vnplan ingest` starts that process first thing (`start_early`),
so that it imports the pipeline while the command parses its options; a run that does not need it
stops it (`stop_early`).

The process only computes (`convert_file`): each document's task run takes its computed document
(`computed`) and does the rest in this process as before, the record and its page text written, the
history kept, the change line and the manifest entry, so what is recorded is the same. A document
whose file changed since it was listed gets another sha256 in its task run: it finds nothing to take
and is read again, and the stale computation is dropped (nothing of it was written). A batch with
more new documents runs as before: for it the start is a small part, and a second interpreter and
its model loads would be paid for the first documents only.
"""

from __future__ import annotations

import gc
import os
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from multiprocessing import get_context, resource_tracker
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pipeline.compute import ctrl_c
from pipeline.run import workers_early

if TYPE_CHECKING:  # imported where used: the new process unpickles this module's functions first
    from pipeline.convert import ProcessedDocument

Key = tuple[str, str, str]
T = TypeVar("T")
# Niceness of the process while the server boots (start_early): the CFS weight of nice 5 is a third of
# nice 0's, so the server keeps most of a core it shares with it. (Nice 10 gave the same first runs, 2.38 s
# against 2.37 s over 5 rounds, and finished the document later than the server's answer more often.)
BOOT_NICENESS = 5
SETTING = "VNPLAN_DOCUMENTS_AHEAD"  # "1": always, "0": never; unset: when a core is spare (`core_to_spare`)

_lock = threading.Lock()
_early: ProcessPoolExecutor | None = None  # started by `vnplan ingest` first thing (start_early)
_started: dict[Key, tuple[Future[ProcessedDocument], ProcessPoolExecutor]] = {}


def core_to_spare() -> bool:
    """Whether a second process would have a core to itself now: at least two cores, and a load
    average that leaves one idle. On a busy machine it would only add its own start (a second
    interpreter and the pipeline's imports, ~0.5 s of CPU) to the run."""
    setting = os.environ.get(SETTING, "").strip()
    if setting in ("0", "1"):
        return setting == "1"
    cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except OSError:  # not known here
        return False
    return cores >= 2 and load < cores - 0.5


def _key(path: Path | str, sha256: str, out: Path | str) -> Key:
    return os.path.abspath(path), sha256, os.path.abspath(out)


def start_early(options: list[str], *, server_booting: bool = False) -> None:
    """First thing in `vnplan ingest` (cli.main), before its options are parsed and the pipeline is
    imported: start the process and let it import the pipeline, when the options ask for one local
    worker and a core is spare. The run hands it its documents (`computing`) or stops it (`stop_early`).

    `server_booting`: the command has just launched the Prefect server its run waits for. That boot
    (~1.7 s of CPU, all of it before the server answers) is then the run's critical path, while this
    process's import and document (~1 s) are not: it runs at a lower priority (BOOT_NICENESS), so that
    of three processes on two cores the server is not the one kept waiting."""
    global _early
    if _early is None and _one_local_worker(options) and core_to_spare():
        _early = _new_process(BOOT_NICENESS if server_booting else 0)
        if _submit(_early, _load_pipeline) is None:
            stop_early()


def stop_early() -> None:
    """Stop the process started early when no run took it (a bigger batch, scans, bad options)."""
    global _early
    pool, _early = _early, None
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


def _one_local_worker(options: list[str]) -> bool:
    """Whether `ingest`'s options leave one local worker (read as workers_early reads them)."""
    return workers_early.local_workers(options) == 1


def _new_process(niceness: int = 0) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=1, mp_context=get_context("spawn"), initializer=_process_started, initargs=(niceness,)
    )


def _submit(pool: ProcessPoolExecutor, work: Callable[..., T], *args: Any) -> Future[T] | None:
    """`pool.submit`, which starts the process on its first call: with Ctrl-C held back meanwhile (not
    lost: it is delivered here right after), so that the new interpreter starts with it held back too
    and meets it only once `_process_started` has said what Ctrl-C does there (a Ctrl-C while Python
    starts up prints 'Fatal Python error' and a traceback). The resource tracker multiprocessing starts
    with the first process lets Ctrl-C through again once it has started (it blocks and then unblocks
    it around its own start): started before, it leaves the mask alone."""
    resource_tracker.ensure_running()
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        return pool.submit(work, *args)
    except BrokenProcessPool:
        return None  # the process already ended (a Ctrl-C it met first, or killed): nothing computed ahead
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


@contextmanager
def computing(documents: list[tuple[Path, str]], out: Path | str) -> Iterator[None]:
    """Compute `documents` (path, sha256) in one process now (the one started early, else a new one),
    for the task runs of the code inside to take (`computed`); the process ends with it, and
    computations not taken are dropped."""
    global _early
    if not documents:
        yield
        return
    pool, _early = _early or _new_process(), None
    keys = []
    try:
        with _lock:
            for path, sha in documents:
                future = _submit(pool, _compute, str(path))
                if future is None:
                    break  # its process ended: the task runs compute these documents themselves
                key = _key(path, sha, out)
                _started[key] = future, pool
                keys.append(key)
        yield
    finally:
        with _lock:
            for key in keys:
                _started.pop(key, None)
        # A computation nobody took (its file changed) finishes in the process, which then exits.
        pool.shutdown(wait=False, cancel_futures=True)


def computed(path: Path | str, sha256: str | None, out: Path | str) -> ProcessedDocument | None:
    """The document as this run's process computed it ahead, or None when it did not (or its process
    died: the caller computes it then); raises what computing it raised, as `convert_file` would."""
    if not sha256:
        return None
    with _lock:
        future, pool = _started.pop(_key(path, sha256, out), (None, None))
        if pool is not None and all(other is not pool for _, other in _started.values()):
            pool.shutdown(wait=False)  # its last document: the process ends once it is computed
    if future is None:
        return None
    try:
        return future.result()
    except BrokenProcessPool:
        ctrl_c.stop_if_seen()  # it ended with the user's Ctrl-C: nothing is computed in its place
        return None


def _process_started(niceness: int = 0) -> None:
    """First thing in the new process. Ctrl-C reaches it with the command: it writes nothing, so it
    ends at once and quietly (not with a traceback of whatever it was importing). The stages are
    imported with the collector off, as the command loads them (cli.main)."""
    from pipeline.compute.parent_watch import exit_with_parent

    signal.signal(signal.SIGINT, lambda signum, frame: os._exit(128 + signum))
    if niceness:
        with suppress(OSError):  # a priority is a preference: the process computes the same without it
            os.nice(niceness)
    exit_with_parent()  # and ends with a command killed outright
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # held back while it started (_submit)
    gc.disable()


def _load_pipeline() -> None:
    """In the spawned process: the stages imported (the restorer's model loads only for a document
    that needs it)."""
    from pipeline.convert import warm_up

    warm_up(model=False)


def _compute(path: str) -> ProcessedDocument:
    """In the spawned process: the document, the collector on for it and the imports' objects kept
    out of its walks."""
    from pipeline.convert import convert_file

    if not gc.isenabled():
        _load_pipeline()
        gc.freeze()
        gc.enable()
    return convert_file(path)
