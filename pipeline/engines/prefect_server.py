"""Prefect's temporary API server, started as a subprocess without importing Prefect's server code.

Prefect starts the same server itself (`SubprocessASGIServer`) when no API is configured, but
launching it that way imports `prefect.server` into the calling process first: 2–3 s of imports
before the subprocess even starts, paid again by the server itself. Here the uvicorn command that
Prefect runs is started straight away, so the server boots while the caller imports the pipeline
and loads its models. Its output goes to a log file: it prints tracebacks of its own event
flushing when stopped, which are no business of a vnplan user's terminal.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from pipeline.errors import OrchestrationError

_HOST = "127.0.0.1"
_POLL_S = 0.05
# Server loops that serve deployments, schedules, automations and paused or cancelled runs: a batch
# run's flows use none of them, and their polling took CPU from OCR next to it. (Event and task-run
# recording stay on: the runs are still recorded as Prefect records them.)
_IDLE_SERVICES = ("SCHEDULER", "LATE_RUNS", "FOREMAN", "TRIGGERS", "PAUSE_EXPIRATIONS", "REPOSSESSOR",
                  "CANCELLATION_CLEANUP")
# Exit status of uvicorn when its port was taken between choosing it and binding it.
_PORT_IN_USE = 3


def log_path() -> Path:
    return Path(tempfile.gettempdir()) / f"vnplan-prefect-server-{os.getuid()}.log"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((_HOST, 0))
        return int(sock.getsockname()[1])


def _prefect_dir() -> Path:
    spec = importlib.util.find_spec("prefect")  # finds the package without importing it
    if spec is None or spec.origin is None:
        raise OrchestrationError("prefect is not installed (pip install -e .)")
    return Path(spec.origin).parent


class TemporaryServer:
    """`start()` returns at once; `wait_ready()` blocks until the API answers; `stop()` ends it."""

    def __init__(self) -> None:
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._launched_at = 0.0

    @property
    def api_url(self) -> str:
        return f"http://{_HOST}:{self.port}/api"

    def start(self) -> None:
        self.port = _free_port()
        self._launched_at = self._launched_at or time.monotonic()
        env = dict(os.environ)
        # What Prefect's own SubprocessASGIServer sets: no UI, and the server knows it is temporary.
        env.update({"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"})
        env.pop("PREFECT_API_URL", None)
        for service in _IDLE_SERVICES:  # the user's own settings win
            env.setdefault(f"PREFECT_SERVER_SERVICES_{service}_ENABLED", "false")
        command = [sys.executable, "-m", "uvicorn", "--app-dir", str(_prefect_dir().parent), "--factory",
                   "prefect.server.api.server:create_app", "--host", _HOST, "--port", str(self.port),
                   "--log-level", "error", "--lifespan", "on"]
        with log_path().open("ab") as log:
            self._process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                             stdin=subprocess.DEVNULL)

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
                raise OrchestrationError(f"the Prefect server exited with status {code} while starting; "
                                         f"see {log_path()}")
            try:
                with urllib.request.urlopen(f"{self.api_url}/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() >= deadline:
                break
            time.sleep(_POLL_S)
        self.stop()
        raise OrchestrationError(f"the Prefect server did not answer within {timeout:g} s "
                                 f"(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS); see {log_path()}")

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
