"""`vnplan serve`: run the API with uvicorn, safe by default (loopback, limits, optional token)."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import sys
from pathlib import Path

import uvicorn

from pipeline.api.app import create_app
from pipeline.api.query import TableUnavailable
from pipeline.model.errors import ServeError

# At most this many requests in flight; more get 503 rather than queueing without bound.
MAX_CONCURRENT_REQUESTS = 64
KEEP_ALIVE_SECONDS = 5


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before uvicorn starts so a taken port is a one-line error."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError, OverflowError) as exc:
        raise ServeError(f"cannot resolve host {host!r}: {exc}") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def serve(out: Path, host: str = "127.0.0.1", port: int = 8000, token: str | None = None) -> None:
    """Serve output folder `out` read-only over HTTP until interrupted (Ctrl-C)."""
    app = create_app(out, token=token)
    with contextlib.suppress(TableUnavailable):  # load now, not on the first request (a bad table: on each)
        app.state.tables.snapshot()
    sock = bind(host, port)
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    print(
        f"vnplan: serving {out} at http://{shown}:{bound_port} ({'token required' if token else 'no token'})",
        file=sys.stderr,
        flush=True,
    )
    if token is None and not _is_loopback(host):
        print(
            "vnplan: warning: listening beyond loopback without --token: anyone who can reach this "
            "address can read the dataset",
            file=sys.stderr,
            flush=True,
        )
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        server_header=False,
        proxy_headers=False,
        limit_concurrency=MAX_CONCURRENT_REQUESTS,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        timeout_graceful_shutdown=5,
    )
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn re-raises Ctrl-C after shutting down: that is the normal way out
        pass
    finally:
        sock.close()
