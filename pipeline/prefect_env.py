"""Prefect settings for a local, offline tool, and one Prefect API shared by every worker.

Prefect starts a temporary server when none is configured (15–27 s here, once past its default
20 s timeout, so the timeout is raised). Worker processes (process pool, Dask) would each start
their own, so `shared_api()` starts one and points every child process at it.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_UI_ENABLED": "false",
    "OMP_THREAD_LIMIT": "1",
}


def configure() -> None:
    """Apply the defaults unless the user set them (call before prefect is imported)."""
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)


@contextlib.contextmanager
def shared_api() -> Iterator[str | None]:
    """Use PREFECT_API_URL if set; else run one temporary local server for this process tree."""
    configure()
    if os.environ.get("PREFECT_API_URL"):
        yield os.environ["PREFECT_API_URL"]
        return
    from prefect.settings import PREFECT_API_URL, temporary_settings

    server = _quiet_server()
    server.start(timeout=int(os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"]))
    os.environ["PREFECT_API_URL"] = server.api_url  # inherited by worker processes
    try:
        with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
            yield server.api_url
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        server.stop()


def server_log_path() -> Path:
    return Path(tempfile.gettempdir()) / f"vnplan-prefect-server-{os.getuid()}.log"


def _quiet_server():  # type: ignore[no-untyped-def]
    """Prefect's temporary server, its output sent to a log file: it prints tracebacks of its own
    event flushing when stopped, which are no business of a vnplan user's terminal."""
    from prefect.server.api.server import SubprocessASGIServer

    class QuietServer(SubprocessASGIServer):
        def _run_uvicorn_command(self) -> subprocess.Popen[Any]:
            real_popen = subprocess.Popen
            log = server_log_path().open("ab")

            def popen(*args: Any, **kwargs: Any) -> subprocess.Popen[Any]:
                return real_popen(*args, stdout=log, stderr=subprocess.STDOUT, **kwargs)

            subprocess.Popen = popen  # type: ignore[misc]
            try:
                return super()._run_uvicorn_command()
            finally:
                subprocess.Popen = real_popen  # type: ignore[misc]
                log.close()

    return QuietServer()
