"""The fork server of a run's local document workers, started first thing by `vnplan ingest --workers N`.

The workers are forked from a server that loads the pipeline and the first document's models once
(pipeline.run.worker_preload, ~1.3 s of CPU); the first worker can only start once it has. Started by
the command before it parses its options and imports Prefect (cli.main), the server loads on the core
the command leaves idle meanwhile. A command that stops before its run uses it (bad options or input)
stops it on the way out (`stop_early`).
"""

from __future__ import annotations

from pipeline.compute.process_pools import start_fork_server, stop_unused_fork_server

PRELOAD = "pipeline.run.worker_preload"  # the module the server imports


def local_workers(options: list[str]) -> int | None:
    """The local workers `ingest`/`reprocess` options ask for (None: a Dask cluster, or a count typer
    will reject; typer parses the options properly afterwards: this only decides what to start early)."""
    count = 1
    for i, option in enumerate(options):
        if option.startswith("--dask-address"):
            return None
        if option == "--workers" or option.startswith("--workers="):
            value = option.partition("=")[2] if "=" in option else (options[i + 1 : i + 2] or [""])[0]
            try:
                count = int(value)
            except ValueError:
                return None
    return count


def start_early(options: list[str]) -> None:
    """Start the server now when the options ask for more than one local worker."""
    if (local_workers(options) or 1) > 1:
        start_fork_server(PRELOAD)


def stop_early() -> None:
    """On the command's way out: stop the server when no run used it (a run stops its own)."""
    stop_unused_fork_server()
