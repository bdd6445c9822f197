"""Prefect settings for a local, offline tool, and one Prefect API shared by every worker.

With no PREFECT_API_URL, Prefect would start a temporary server in every process that runs a
flow or task (the CLI, each worker of a pool, each Dask worker). `shared_api()` starts one
(pipeline.run.prefect_server) and points every child process at it, and lets the caller load
the pipeline while it boots (`while_starting`), so that start-up is paid once, mostly hidden.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.model.errors import VnplanError

if TYPE_CHECKING:
    from pipeline.run.prefect_server import KeptServerLaunch, TemporaryServer, WhileStarting

DEFAULTS = {
    # vnplan runs offline: neither Prefect's server nor its client (which, in a terminal, printed its
    # telemetry notice into a run's output and queued usage events for the network) reports usage.
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
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
def shared_api(while_starting: WhileStarting | None = None) -> Iterator[str]:
    """Use PREFECT_API_URL if set; else vnplan's kept local server (started if none runs, stopped
    after VNPLAN_PREFECT_IDLE_MINUTES without runs); with that set to 0, a temporary server for this
    process tree only.

    `while_starting(server_answers)` runs while a server boots (imports, model loads, which
    otherwise happen on first use; `server_answers()` says whether the wait is over); with a server
    already there is no wait to fill and it is not called.
    """
    configure()
    if os.environ.get("PREFECT_API_URL"):
        url = os.environ["PREFECT_API_URL"]
        try:
            if url == os.environ.get(_TEMPORARY_API):  # a vnplan process above this one started it
                with _for_temporary_server(url):
                    yield url
            else:
                yield url
        finally:
            _deliver_pending()
        return
    early = _take_early() or _launch()
    with early.scope:
        if early.temporary is not None:
            from pipeline.run.prefect_server import answers

            server = early.temporary
            if while_starting is not None:
                while_starting(lambda: answers(server.api_url, timeout=0.5))
            server.wait_ready(startup_timeout())
            with _pointed_at(server.api_url):
                yield server.api_url
            return
        assert early.kept is not None
        kept = early.kept.wait(while_starting)
        with _pointed_at(kept.api_url):
            yield kept.api_url


@dataclass
class _Launch:
    """A server being started for this process's run: kept (the launch, under the run's in-use lock
    in `scope`) or temporary (stopped when `scope` closes)."""

    scope: contextlib.ExitStack
    kept: KeptServerLaunch | None = None
    temporary: TemporaryServer | None = None


_early: _Launch | None = None


def _launch() -> _Launch:
    """Start the server a run needs (no PREFECT_API_URL): vnplan's kept server, found or launched,
    or with VNPLAN_PREFECT_IDLE_MINUTES=0 a temporary one."""
    from pipeline.run import prefect_server

    scope = contextlib.ExitStack()
    try:
        idle_seconds = idle_minutes() * 60
        if idle_seconds > 0:
            scope.enter_context(prefect_server.in_use())
            kept = prefect_server.KeptServerLaunch(idle_seconds, startup_timeout())
            scope.callback(kept.abandon)  # a no-op once it answered
            return _Launch(scope, kept=kept)
        server = prefect_server.TemporaryServer()
        scope.callback(server.stop)
        server.start()
        return _Launch(scope, temporary=server)
    except BaseException:
        scope.close()
        raise


@contextlib.contextmanager
def server_started_early() -> Iterator[None]:
    """Start the Prefect server this command's run will need now, first thing, so that it boots
    while the command loads the pipeline and reads its input; `shared_api()` then takes it. When
    the command stops before that (bad input), a server launched here is stopped on the way out.
    Nothing is started when PREFECT_API_URL is set, and a failure here is left for `shared_api()`
    to meet and report."""
    global _early
    configure()
    if os.environ.get("PREFECT_API_URL") or _early is not None:
        yield
        return
    with contextlib.suppress(VnplanError, OSError):
        _early = _launch()
    try:
        yield
    finally:
        left, _early = _early, None
        if left is not None:
            left.scope.close()


def server_booting() -> bool:
    """Whether this command has just launched the server its run will wait for (a first run), rather
    than found one running or been given PREFECT_API_URL."""
    early = _early
    return early is not None and (early.temporary is not None or (early.kept is not None and early.kept.found is None))


def _take_early() -> _Launch | None:
    global _early
    early, _early = _early, None
    return early


@contextlib.contextmanager
def _pointed_at(url: str) -> Iterator[None]:
    """This process and its children use the server vnplan started at `url` (light settings)."""
    os.environ["PREFECT_API_URL"] = os.environ[_TEMPORARY_API] = url  # inherited by children
    _light_ca_file()
    try:
        with _for_temporary_server(url):
            yield
    finally:
        _deliver_pending()
        os.environ.pop("PREFECT_API_URL", None)
        os.environ.pop(_TEMPORARY_API, None)
        if os.environ.get(_CA_ENV) == str(_LIGHT_CA):
            os.environ.pop(_CA_ENV)


IDLE_ENV = "VNPLAN_PREFECT_IDLE_MINUTES"
DEFAULT_IDLE_MINUTES = 15.0


def idle_minutes() -> float:
    """Minutes a vnplan-started Prefect server stays up without runs (0: a temporary server per run)."""
    raw = os.environ.get(IDLE_ENV, "")
    try:
        return max(0.0, float(raw)) if raw else DEFAULT_IDLE_MINUTES
    except ValueError:
        return DEFAULT_IDLE_MINUTES


_TEMPORARY_API = "VNPLAN_TEMPORARY_PREFECT_API"


def _deliver_pending(timeout: float = 10.0) -> None:
    """Send the run events and logs Prefect still holds while their server is up. Its senders live
    as long as the process and keep the address they started with: stopped here, the next server
    of this process (tests, the bench) gets new ones instead of a sender retrying a dead one."""
    if "prefect" not in sys.modules:
        return
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for sender in (EventsWorker, APILogWorker):
        # Their "Still processing items" notes while they drain are no business of the user's terminal.
        logging.getLogger(sender.__name__).setLevel(logging.ERROR)
        sender.drain_all(timeout=timeout, at_exit=False)


@contextlib.contextmanager
def _for_temporary_server(url: str) -> Iterator[None]:
    """Settings for a server vnplan started (in this process and its children).

    Heartbeats let a server notice crashed flow runs through its late-runs loop, which vnplan's
    servers do not run (engines.prefect_server); stopping the heartbeat thread costs up to 1 s at the
    end of every flow.
    """
    from prefect.settings import (
        PREFECT_API_SSL_CERT_FILE,
        PREFECT_API_URL,
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        temporary_settings,
    )

    updates = {PREFECT_API_URL: url, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}
    if os.environ.get(_CA_ENV) == str(_LIGHT_CA):
        updates[PREFECT_API_SSL_CERT_FILE] = str(_LIGHT_CA)
    with temporary_settings(updates=updates):
        yield


_CA_ENV = "PREFECT_API_SSL_CERT_FILE"
_LIGHT_CA = Path(tempfile.gettempdir()) / f"vnplan-loopback-ca-{os.getuid()}.pem"


def _light_ca_file() -> None:
    """Point Prefect's client at a one-certificate CA file, for the temporary server only.

    That API is plain HTTP on loopback, so no certificate is ever checked; but every Prefect client
    parses its CA bundle when created (~25 ms, certifi's 150 certificates), and a worker process
    creates several clients per task: a third of Prefect's own time per document with 2 workers.
    """
    if os.environ.get(_CA_ENV):
        return  # the user's choice
    try:
        import certifi

        bundle = Path(certifi.where()).read_text("ascii")
        end = bundle.index("-----END CERTIFICATE-----") + len("-----END CERTIFICATE-----\n")
        first = bundle[bundle.index("-----BEGIN CERTIFICATE-----") : end]
        if not _LIGHT_CA.exists() or _LIGHT_CA.read_text("ascii") != first:
            tmp = _LIGHT_CA.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(first, "ascii")
            tmp.replace(_LIGHT_CA)
    except (ImportError, OSError, ValueError):
        return  # Prefect then reads the full bundle: slower, not wrong
    os.environ[_CA_ENV] = str(_LIGHT_CA)  # inherited by worker processes


def startup_timeout() -> float:
    raw = os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "")
    try:
        return max(1.0, float(raw))
    except ValueError:
        return float(DEFAULTS["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"])
