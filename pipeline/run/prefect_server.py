"""Prefect's API server for vnplan's runs, started as a subprocess without importing Prefect's server code.

Prefect starts the same server itself (`SubprocessASGIServer`) when no API is configured, but
launching it that way imports `prefect.server` into the calling process first: 2–3 s of imports
before the subprocess even starts, paid again by the server itself. Here the same app and uvicorn
server are started straight away (pipeline.run.prefect_api_process, which boots it with the
garbage collector off), so the server boots while the caller imports the pipeline and loads its
models. Its output goes to a log file: it prints tracebacks of its own event flushing when
stopped, which are no business of a vnplan user's terminal.

The server is kept between runs (`KeptServer`): a small keeper process (`python -m
pipeline.run.prefect_server --keep`) runs it, records it in a state file, and stops it after an
idle time without runs, or on `vnplan server stop`. A run holds a shared lock on the in-use file for
as long as it talks to the server, so the keeper never stops a server under a run; starting is
serialized by a lock file, held from the launch until the server answers (`KeptServerLaunch`: a
command launches first thing and waits later), so two runs starting at once share one server; a
state file left by a dead keeper is recognized (its process or its API is gone) and replaced.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from pipeline.dataset.atomic import atomic_write_text, pid_alive
from pipeline.model.errors import OrchestrationError

_HOST = "127.0.0.1"
# How often a starting server is asked whether it is up (and a run, whether its keeper said so): on a
# first run every poll's wait is added to the run (half of _POLL_S on average, twice over), and a
# poll while the server does not listen yet costs a refused connect (~20 µs).
_POLL_S = 0.01
# Server loops that serve deployments, schedules, automations and paused or cancelled runs: a batch
# run's flows use none of them, and their polling took CPU from OCR next to it. (Event and task-run
# recording stay on: the runs are still recorded as Prefect records them.)
_IDLE_SERVICES = (
    "SCHEDULER",
    "LATE_RUNS",
    "FOREMAN",
    "TRIGGERS",
    "PAUSE_EXPIRATIONS",
    "REPOSSESSOR",
    "CANCELLATION_CLEANUP",
    "CLEANUP_RECONCILER",  # workers' cleanup deliveries; runs only on a server that is not ephemeral (the UI's)
)
# Prefect's task run recorder writes each task run's state events to the database one event per
# transaction by default (batch size 1): ~20 ms of the server's CPU per document, a third of a
# two-worker run's CPU beside the workers on two cores. Batched, it upserts them in bulk (Prefect's own
# settings for it, bulk upserts tested by Prefect on SQLite); a task run reaches the API and the UI up
# to a flush interval (1 s; Prefect reads it as whole seconds) after its state changed, and a stopping
# server flushes what it holds.
_BATCHED_RECORDING = (
    ("PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE", "100"),
    ("PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_FLUSH_INTERVAL", "1"),
)
# py-key-value (docket's result store, which Prefect's server imports) has beartype rewrite and compile
# each of its modules from source on import to add run-time type checks that warn: 0.2 s of CPU of the
# server's start. Its own switch turns the checks off (they only ever warn); tests/test_prefect_server.py
# fails if the switch is gone.
_NO_BEARTYPE = ("PY_KEY_VALUE_DISABLE_BEARTYPE", "true")
# What a caller does while a server boots; it may ask the function it is given whether the server
# answers yet, to stop filling a wait that is over.
WhileStarting = Callable[[Callable[[], bool]], object]
# Exit status of uvicorn when its port was taken between choosing it and binding it.
_PORT_IN_USE = 3


def log_path() -> Path:
    return Path(tempfile.gettempdir()) / f"vnplan-prefect-server-{os.getuid()}.log"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((_HOST, 0))
        return int(sock.getsockname()[1])


class TemporaryServer:
    """`start()` returns at once; `wait_ready()` blocks until the API answers; `stop()` ends it."""

    def __init__(self, *, ui: bool = False) -> None:
        self.port = 0
        self.ui = ui
        self._process: subprocess.Popen[bytes] | None = None
        self._launched_at = 0.0

    @property
    def api_url(self) -> str:
        return f"http://{_HOST}:{self.port}/api"

    def start(self) -> None:
        self.port = _free_port()
        self._launched_at = self._launched_at or time.monotonic()
        env = dict(os.environ)
        # What Prefect's own SubprocessASGIServer sets: no UI, and the server knows it is temporary (it
        # then runs only the services a temporary server needs). Prefect mounts its UI only on a server
        # that is not ephemeral (server.create_ui_app), so one started with the UI runs as
        # `prefect server start` does, less the services below.
        env.update({"PREFECT_UI_ENABLED": "1" if self.ui else "0", "PREFECT__SERVER_FINAL": "1"})
        if self.ui:
            env.pop("PREFECT__SERVER_EPHEMERAL", None)
            env.setdefault("PREFECT_UI_API_URL", self.api_url)  # the UI's calls; Prefect's default is port 4200
        else:
            env["PREFECT__SERVER_EPHEMERAL"] = "1"
        env.pop("PREFECT_API_URL", None)
        for service in _IDLE_SERVICES:  # the user's own settings win
            env.setdefault(f"PREFECT_SERVER_SERVICES_{service}_ENABLED", "false")
        for name, value in (_NO_BEARTYPE, *_BATCHED_RECORDING):
            env.setdefault(name, value)
        command = [sys.executable, "-m", "pipeline.run.prefect_api_process", "--host", _HOST, "--port", str(self.port)]
        with log_path().open("ab") as log:
            self._process = subprocess.Popen(
                command, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )

    def wait_ready(self, timeout: float) -> None:
        """Block until GET /api/health answers 200, at most `timeout` seconds after the launch (the
        caller may have done other work meanwhile); a server that exits or stays silent is an error."""
        deadline = self._launched_at + timeout
        retried = False
        while True:  # asked at least once, however long the caller took
            assert self._process is not None, "start() first"
            code = self._process.poll()
            if code == _PORT_IN_USE and not retried:
                retried = True
                self.start()
                continue
            if code is not None:
                raise OrchestrationError(
                    f"the Prefect server exited with status {code} while starting; see {log_path()}"
                )
            if _listening(self.port) and answers(self.api_url):
                return
            if time.monotonic() >= deadline:
                break
            time.sleep(_POLL_S)
        self.stop()
        raise OrchestrationError(
            f"the Prefect server did not answer within {timeout:g} s "
            f"(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS); see {log_path()}"
        )

    @property
    def exited(self) -> bool:
        return self._process is None or self._process.poll() is not None

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5)


def _listening(port: int) -> bool:
    """Whether something accepts connections on the port: uvicorn listens only once Prefect's app
    has started, so until then this refused connect spares a poll the HTTP request of `answers`."""
    try:
        socket.create_connection((_HOST, port), timeout=1).close()
    except OSError:
        return False
    return True


def answers(api_url: str, timeout: float = 2.0) -> bool:
    """Whether a Prefect API answers its health check at `api_url`."""
    import urllib.request  # here: a command and the keeper launch their process before they need it (~20 ms)

    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=timeout) as response:
            return bool(response.status == 200)
    except (ConnectionError, TimeoutError, OSError):  # urllib's URLError is an OSError
        return False


# -- a server kept between runs --------------------------------------------------------------------


def state_dir() -> Path:
    """Where the kept server's state, locks and log live (one server per user and state folder)."""
    given = os.environ.get("VNPLAN_STATE_DIR")
    folder = (
        Path(given) if given else Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "vnplan"
    )
    if folder.exists() and not folder.is_dir():
        raise OrchestrationError(f"the state folder {folder} (VNPLAN_STATE_DIR) is a file, not a folder")
    return folder


def _state_file(folder: Path) -> Path:
    return folder / "prefect-server.json"


@dataclass(frozen=True)
class KeptServer:
    pid: int  # the keeper process
    port: int
    idle_seconds: float  # 0: stops only when told
    started: float  # time.time() when it answered first
    ui: bool = False

    @property
    def api_url(self) -> str:
        return f"http://{_HOST}:{self.port}/api"

    @property
    def last_used(self) -> float | None:
        with contextlib.suppress(OSError):
            return (state_dir() / "prefect-server.used").stat().st_mtime
        return None


def _read_state(folder: Path) -> KeptServer | None:
    try:
        return KeptServer(**json.loads(_state_file(folder).read_text("utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def kept_server(folder: Path | None = None) -> KeptServer | None:
    """The kept server if its keeper lives and its API answers; a stale record is removed."""
    folder = folder or state_dir()
    found = _read_state(folder)
    if found is None:
        return None
    if pid_alive(found.pid) and answers(found.api_url, timeout=3):
        return found
    if not pid_alive(found.pid):
        _state_file(folder).unlink(missing_ok=True)  # a keeper that died without cleaning up
    return None


@contextlib.contextmanager
def _locked(path: Path, mode: int) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, mode)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def in_use(folder: Path | None = None) -> Iterator[None]:
    """Held by a run for as long as it talks to the kept server: the keeper does not stop it meanwhile."""
    folder = folder or state_dir()
    with _locked(folder / "prefect-server.inuse", fcntl.LOCK_SH):
        _touch(folder / "prefect-server.used")
        try:
            yield
        finally:
            _touch(folder / "prefect-server.used")


def _touch(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.touch()


def start_kept_server(
    idle_seconds: float, timeout: float, *, ui: bool = False, while_starting: WhileStarting | None = None
) -> KeptServer:
    """The running kept server, or a new one (its keeper detached from this process); one at a time."""
    return KeptServerLaunch(idle_seconds, timeout, ui=ui).wait(while_starting)


class KeptServerLaunch:
    """The kept server found running, or launched by this process at construction and awaited by
    `wait()`; from launch to answer this process holds the start lock, so that two runs starting
    at once share one server. A launch never awaited is ended by `abandon()`."""

    def __init__(self, idle_seconds: float, timeout: float, *, ui: bool = False) -> None:
        self.folder = state_dir()
        self.timeout = timeout
        self.found: KeptServer | None = None
        self._keeper: subprocess.Popen[bytes] | None = None
        self._lock = contextlib.ExitStack()
        self._lock.enter_context(_locked(self.folder / "prefect-server.lock", fcntl.LOCK_EX))
        try:
            self.found = kept_server(self.folder)
            if self.found is not None:
                self._lock.close()
                return
            _state_file(self.folder).unlink(missing_ok=True)
            # The keeper waits a little longer than this process, which decides and says when it is too long.
            command = [
                sys.executable,
                "-m",
                "pipeline.run.prefect_server",
                "--keep",
                "--state-dir",
                str(self.folder),
                "--idle",
                str(idle_seconds),
                "--timeout",
                str(timeout + 5),
            ] + (["--ui"] if ui else [])
            env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
            self._launched = time.monotonic()
            with (self.folder / "prefect-server.log").open("ab") as log:
                self._keeper = subprocess.Popen(
                    command,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    start_new_session=True,
                )
        except BaseException:
            self._lock.close()
            raise

    def wait(self, while_starting: WhileStarting | None = None) -> KeptServer:
        """The server once it answers. `while_starting` runs meanwhile (not when one was found running)."""
        if self.found is not None:
            return self.found
        keeper = self._keeper
        assert keeper is not None, "wait() once"
        try:
            if while_starting is not None:
                while_starting(lambda: self._answered(keeper))
            while True:  # asked at least once, however long `while_starting` took
                found = _read_state(self.folder)
                if found is not None and found.pid == keeper.pid:
                    self.found, self._keeper = found, None
                    return found
                if time.monotonic() - self._launched >= self.timeout:  # first: the keeper may have given up too
                    self.abandon()
                    raise OrchestrationError(
                        f"the Prefect server did not answer within {self.timeout:g} s "
                        f"(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS); "
                        f"see {self.folder / 'prefect-server.log'}"
                    )
                code = keeper.poll()
                if code is not None:
                    raise OrchestrationError(
                        f"the Prefect server exited with status {code} while starting; "
                        f"see {self.folder / 'prefect-server.log'}"
                    )
                time.sleep(_POLL_S)
        finally:
            self._lock.close()

    def _answered(self, keeper: subprocess.Popen[bytes]) -> bool:
        found = _read_state(self.folder)
        return found is not None and found.pid == keeper.pid

    def abandon(self) -> None:
        """Stop a server launched here and never awaited (the run stopped before it needed one)."""
        keeper, self._keeper = self._keeper, None
        try:
            if keeper is not None:
                _end(keeper)
        finally:
            self._lock.close()


def _end(keeper: subprocess.Popen[bytes]) -> None:
    keeper.terminate()
    try:
        keeper.wait(timeout=15)
    except subprocess.TimeoutExpired:
        keeper.kill()
        keeper.wait(timeout=5)


def stop_kept_server(timeout: float = 20.0) -> KeptServer | None:
    """Stop the kept server (after the runs using it end); what was stopped, or None."""
    folder = state_dir()
    found = _read_state(folder)
    if found is None or not pid_alive(found.pid):
        _state_file(folder).unlink(missing_ok=True)
        return None
    os.kill(found.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while pid_alive(found.pid) and time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(found.pid, os.WNOHANG)  # reap it when this process started it
        time.sleep(_POLL_S)
    if pid_alive(found.pid):
        raise OrchestrationError(f"the Prefect server (pid {found.pid}) did not stop within {timeout:g} s")
    return found


def _keep(folder: Path, idle_seconds: float, timeout: float, ui: bool) -> int:
    """The keeper: run the server, record it, stop it when idle (no run holds it) or when told."""
    stopping = False
    ready = False

    def on_term(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True
        if not ready:  # the starter gave up waiting: go now (the server is stopped below)
            raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    server = TemporaryServer(ui=ui)
    inuse = (folder / "prefect-server.inuse").open("a")
    record: KeptServer | None = None
    try:
        server.start()
        try:
            server.wait_ready(timeout)
        except OrchestrationError as exc:
            print(exc.message, file=sys.stderr)
            return 1
        ready = True
        used = folder / "prefect-server.used"
        _touch(used)
        record = KeptServer(pid=os.getpid(), port=server.port, idle_seconds=idle_seconds, started=time.time(), ui=ui)
        atomic_write_text(_state_file(folder), json.dumps(asdict(record)), only_if_changed=False)
        threading.Thread(target=_first_request, args=(record.api_url,), daemon=True).start()
        while not stopping and not server.exited:
            time.sleep(0.5)
            if idle_seconds <= 0 or time.time() - used.stat().st_mtime < idle_seconds:
                continue
            try:  # idle long enough; stop only if no run holds the server
                fcntl.flock(inuse, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue
            break
        return 0
    finally:  # the record goes first: a run that finds it then finds a server
        if record is not None and _read_state(folder) == record:
            _state_file(folder).unlink(missing_ok=True)
        server.stop()
        inuse.close()


def _first_request(api_url: str) -> None:
    """Ask the new server what a run's client asks first. FastAPI builds its routes' request
    handling on the first request that walks them (most of Prefect's API, some 0.3 s): here while
    the run that started the server still loads, rather than on that run's first call."""
    import urllib.request

    with contextlib.suppress(ConnectionError, TimeoutError, OSError):  # urllib's URLError is an OSError
        urllib.request.urlopen(f"{api_url}/admin/version", timeout=30).close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="keep a Prefect API server for vnplan's runs")
    parser.add_argument("--keep", action="store_true", required=True)
    parser.add_argument("--state-dir", type=Path, required=True)
    parser.add_argument("--idle", type=float, required=True, help="seconds without a run before it stops (0: never)")
    parser.add_argument("--timeout", type=float, required=True, help="seconds the server may take to start")
    parser.add_argument("--ui", action="store_true", help="serve Prefect's UI too")
    args = parser.parse_args(argv)
    return _keep(args.state_dir, args.idle, args.timeout, args.ui)


if __name__ == "__main__":
    sys.exit(main())
