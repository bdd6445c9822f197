"""How a batch reports each finished document to whoever started it (the CLI's progress bar).

The reporter belongs to the run: a context variable set by `pipeline.run.runs` for the run's
duration, seen by the flow and by its task threads (Prefect copies the context into them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

Reporter = Callable[[str, Any], None]
_reporter: ContextVar[Reporter | None] = ContextVar("vnplan_progress", default=None)


@contextmanager
def reporting(fn: Reporter | None) -> Iterator[None]:
    token = _reporter.set(fn)
    try:
        yield
    finally:
        _reporter.reset(token)


def report(event: str, payload: Any = None) -> None:
    fn = _reporter.get()
    if fn is not None:
        fn(event, payload)
