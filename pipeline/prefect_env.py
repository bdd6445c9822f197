"""Prefect settings for a local, offline tool, and one Prefect API shared by every worker.

With no PREFECT_API_URL, Prefect would start a temporary server in every process that runs a
flow or task (the CLI, each worker of a pool, each Dask worker). `shared_api()` starts one
(pipeline.engines.prefect_server) and points every child process at it, and lets the caller load
the pipeline while it boots (`while_starting`), so that start-up is paid once, mostly hidden.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator

DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    # A start once took past Prefect's default 20 s on a busy machine.
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
def shared_api(while_starting: Callable[[], object] | None = None) -> Iterator[str]:
    """Use PREFECT_API_URL if set; else run one temporary local server for this process tree.

    `while_starting` runs while the server boots (imports, model loads, which otherwise happen on
    first use); with a server already configured there is no wait to fill and it is not called.
    """
    configure()
    if os.environ.get("PREFECT_API_URL"):
        yield os.environ["PREFECT_API_URL"]
        return
    from pipeline.engines.prefect_server import TemporaryServer

    server = TemporaryServer()
    server.start()
    try:
        if while_starting is not None:
            while_starting()
        server.wait_ready(_startup_timeout())
        os.environ["PREFECT_API_URL"] = server.api_url  # inherited by worker processes
        from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

        # Heartbeats let a long-lived server notice crashed flow runs; this one ends with the run,
        # and stopping the heartbeat thread costs up to 1 s at the end of every flow.
        with temporary_settings(updates={PREFECT_API_URL: server.api_url, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            yield server.api_url
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        server.stop()


def _startup_timeout() -> float:
    raw = os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "")
    try:
        return max(1.0, float(raw))
    except ValueError:
        return float(DEFAULTS["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"])
