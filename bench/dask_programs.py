"""A Dask cluster as the README's recipe starts one, on this machine's loopback: `dask scheduler`,
then `dask worker tcp://…:PORT --nworkers 2 --nthreads 1` (a nanny per worker process), each a
separate program in its own session. The bench measures `vnplan ingest --dask-address` against it
and tests/test_dask_cli.py runs the CLI on it, kills its workers and its scheduler."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1"
START_TIMEOUT_S = 120.0


def program(name: str) -> str:
    """An installed console script (`dask`, `vnplan`, `prefect`) of this interpreter's environment."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"`{name}` is not installed")
    return found


def user_env(**extra: str) -> dict[str, str]:
    """This environment as a user's shell has it: no Prefect API inherited from a test or bench
    (vnplan then starts its temporary one), one thread per Tesseract; and this checkout's code first
    on the path, so that the CLI and every worker run the same vnplan whatever the environment's
    editable install points at."""
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "VNPLAN_TEMPORARY_PREFECT_API")}
    paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and Path(p).resolve() != ROOT]
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *paths])
    env["OMP_THREAD_LIMIT"] = "1"
    env.update(extra)
    return env


class Program:
    """A program started in its own session, its output in a log file; `stop()` ends it and every
    process under it (nanny workers, their OCR processes)."""

    def __init__(self, argv: Sequence[str], log: Path, env: dict[str, str]) -> None:
        self.log = log
        with log.open("ab") as sink:
            self.process = subprocess.Popen(
                list(argv),
                stdout=sink,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                start_new_session=True,
            )

    def output(self) -> str:
        return self.log.read_text("utf-8", errors="replace")

    def wait_for(self, pattern: str, timeout: float = START_TIMEOUT_S) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(pattern, self.output())
            if found:
                return found
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(f"{pattern!r} never appeared in {self.log}:\n{self.output()[-3000:]}")

    def descendants(self) -> list[psutil.Process]:
        try:
            return psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []

    def stop(self, sig: signal.Signals = signal.SIGTERM) -> None:
        """`sig` to the program's whole session, then SIGKILL to whatever of its tree is left."""
        tree = self.descendants()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=15)
        for proc in tree:  # any that left the session
            with contextlib.suppress(psutil.NoSuchProcess):
                proc.kill()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=15)


class Cluster:
    """`dask scheduler` and one `dask worker … --nworkers N --nthreads 1` on loopback. `port` 0: any
    free one (the address is read from the scheduler's log). `worker_prefix` runs the worker program
    under another (e.g. `unshare`); `scheduler_env`: settings of the scheduler (DASK_… variables)."""

    def __init__(
        self,
        folder: Path,
        *,
        port: int = 0,
        nworkers: int = 2,
        worker_prefix: Sequence[str] = (),
        scheduler_env: dict[str, str] | None = None,
    ) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder, self.port, self.nworkers, self.worker_prefix = folder, port, nworkers, tuple(worker_prefix)
        self.scheduler_env = scheduler_env or {}
        self.address = ""
        self.programs: list[Program] = []

    def start(self) -> Cluster:
        try:
            self.scheduler = self._start(
                ["scheduler", "--host", LOOPBACK, "--port", str(self.port), "--dashboard-address", f"{LOOPBACK}:0"],
                "scheduler.log",
                env=self.scheduler_env,
            )
            self.address = self.scheduler.wait_for(r"Scheduler at:\s+(tcp://\S+)").group(1)
            self.port = int(self.address.rsplit(":", 1)[1])
            if not self.nworkers:
                return self
            self.workers = self._start(
                [
                    "worker",
                    self.address,
                    "--nworkers",
                    str(self.nworkers),
                    "--nthreads",
                    "1",
                    "--host",
                    LOOPBACK,
                    "--dashboard-address",
                    f"{LOOPBACK}:0",
                    "--local-directory",
                    str(self.folder / "scratch"),
                ],
                "workers.log",
                prefix=self.worker_prefix,
            )
            deadline = time.monotonic() + START_TIMEOUT_S
            while self.workers.output().count("Registered to:") < self.nworkers:
                if self.workers.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the Dask workers did not start:\n{self.workers.output()[-3000:]}")
                time.sleep(0.1)
        except BaseException:
            self.stop()
            raise
        return self

    def _start(
        self, args: list[str], log: str, prefix: Sequence[str] = (), env: dict[str, str] | None = None
    ) -> Program:
        started = Program([*prefix, program("dask"), *args], self.folder / log, user_env(**(env or {})))
        self.programs.append(started)
        return started

    def worker_processes(self) -> list[psutil.Process]:
        """The worker processes (spawned by the `dask worker` program's nannies)."""
        return [p for p in self.workers.descendants() if _is_nanny_child(p)]

    def stop(self) -> None:
        for started in reversed(self.programs):
            started.stop()
        self.programs.clear()

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()


def _is_nanny_child(proc: psutil.Process) -> bool:
    try:
        parent = proc.parent()
        return (
            "spawn_main" in " ".join(proc.cmdline())
            and parent is not None
            and any(Path(arg).name == "dask" for arg in parent.cmdline())
        )
    except psutil.Error:
        return False
