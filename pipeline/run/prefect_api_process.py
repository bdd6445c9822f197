"""The Prefect API server process: `python -m pipeline.run.prefect_api_process --port N`.

The same app and server as the `uvicorn --factory prefect.server.api.server:create_app` command
Prefect runs for its own temporary server, started with the cyclic garbage collector off while
Prefect's server imports and builds its app. Those imports create some 450,000 objects (pydantic
models, SQLAlchemy tables, FastAPI routes) that live as long as the server; collecting over them
again and again while they are made took a sixth of the server's start. They are then frozen
(`gc.freeze()`): the collector, switched back on, no longer walks them while the server runs.
"""

from __future__ import annotations

import argparse
import gc
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="run Prefect's API server for vnplan's runs")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    gc.disable()
    import uvicorn
    from prefect.server.api.server import create_app

    # Frozen before the app is made too: Prefect's last server in a process collects garbage once
    # its routes are built (PREFECT__SERVER_FINAL), a walk over every object that only needs the new ones.
    gc.freeze()
    app = create_app()  # what uvicorn's --factory would call; its settings come from the environment
    gc.freeze()
    gc.enable()
    # uvicorn exits with status 3 when the port is taken (prefect_server._PORT_IN_USE)
    uvicorn.run(app, host=args.host, port=args.port, log_level="error", lifespan="on")
    return 0


if __name__ == "__main__":
    sys.exit(main())
