"""The Prefect API server process: `python -m pipeline.run.prefect_api_process --port N`.

The same app and server as the `uvicorn --factory prefect.server.api.server:create_app` command
Prefect runs for its own temporary server, started with the cyclic garbage collector off while
Prefect's server imports and builds its app. Those imports create some 450,000 objects (pydantic
models, SQLAlchemy tables, FastAPI routes) that live as long as the server; collecting over them
again and again while they are made took a sixth of the server's start. They are then frozen
(`gc.freeze()`): the collector, switched back on, no longer walks them while the server runs.

A database this Prefect already migrated to head is not checked again (pipeline.run.prefect_db).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import sys
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Message = MutableMapping[str, Any]
ASGIApp = Callable[
    [MutableMapping[str, Any], Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="run Prefect's API server for vnplan's runs")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    gc.disable()
    import uvicorn
    from prefect.server.api.server import create_app
    from prefect.settings import PREFECT_API_DATABASE_CONNECTION_URL, PREFECT_API_DATABASE_MIGRATE_ON_START

    from pipeline.run import prefect_db

    settings = contextlib.ExitStack()
    app: ASGIApp
    with settings:
        database = prefect_db.sqlite_file(str(PREFECT_API_DATABASE_CONNECTION_URL.value() or ""))
        migrating = bool(PREFECT_API_DATABASE_MIGRATE_ON_START.value())
        if migrating and prefect_db.at_head(database):
            from prefect.settings import temporary_settings

            # Read by the app's lifespan (server.create_app's run_migrations), in uvicorn's loop below,
            # which inherits this context.
            settings.enter_context(temporary_settings(updates={PREFECT_API_DATABASE_MIGRATE_ON_START: False}))
            migrating = False
            print(f"vnplan: {database} is at this Prefect's head revision: no migration check", file=sys.stderr)
        # Frozen before the app is made too: Prefect's last server in a process collects garbage once
        # its routes are built (PREFECT__SERVER_FINAL), a walk over every object that only needs the new ones.
        gc.freeze()
        app = create_app()  # what uvicorn's --factory would call; its settings come from the environment
        gc.freeze()
        gc.enable()
        if migrating:
            app = _after_startup(app, lambda: prefect_db.remember_head(database))
        # uvicorn exits with status 3 when the port is taken (prefect_server._PORT_IN_USE)
        uvicorn.run(app, host=args.host, port=args.port, log_level="error", lifespan="on")
    return 0


def _after_startup(app: ASGIApp, then: Callable[[], None]) -> ASGIApp:
    """`app`, calling `then()` once its lifespan's startup completed (ASGI's lifespan protocol)."""

    async def wrapped(
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[Message]],
        send: Callable[[Message], Awaitable[None]],
    ) -> None:
        if scope["type"] != "lifespan":
            await app(scope, receive, send)
            return

        async def send_then(message: Message) -> None:
            if message["type"] == "lifespan.startup.complete":
                then()
            await send(message)

        await app(scope, receive, send_then)

    return wrapped


if __name__ == "__main__":
    sys.exit(main())
