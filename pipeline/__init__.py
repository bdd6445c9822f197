"""vnplan: Vietnamese provincial plan documents → a normalized dataset.

The public API: `convert_file(path)` (one document → PlanDocument and its page texts),
`ingest(paths, out)` and `reprocess(out)` (batches into a dataset folder). The command line, the
flows, the bench and the tests go through them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pipeline.model.version import __version__

if TYPE_CHECKING:
    from pipeline.convert import convert_file
    from pipeline.run.runs import ingest, reprocess

__all__ = ["__version__", "convert_file", "ingest", "reprocess"]


def __getattr__(name: str) -> Any:
    # Imported on first use: a worker process importing pipeline.read or pipeline.model must not
    # load the whole pipeline (and Prefect) with this package.
    if name == "convert_file":
        from pipeline.convert import convert_file

        return convert_file
    if name in ("ingest", "reprocess"):
        from pipeline.run import runs

        return getattr(runs, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
