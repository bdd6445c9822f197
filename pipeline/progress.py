"""A process-wide hook through which a batch reports each finished document (the CLI's progress bar)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_reporter: Callable[[str, Any], None] | None = None


def set_reporter(fn: Callable[[str, Any], None] | None) -> None:
    global _reporter
    _reporter = fn


def report(event: str, payload: Any = None) -> None:
    if _reporter is not None:
        _reporter(event, payload)
