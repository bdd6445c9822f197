"""One document at a time on the CPU per process, however many documents are in flight.

A worker keeps a second document in flight (batch.DOCUMENTS_IN_FLIGHT_PER_WORKER) so that one can
be read, extracted and written while the other waits for its pages' OCR or for Prefect's API. Two
documents computing at once in one process only fight over the GIL (born-digital batches ran
~25% slower), so the CPU-bound part of processing a document holds the process's turn, and gives
it up while it waits for OCR worker processes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

_turn = threading.Lock()
_holding = threading.local()


@contextmanager
def cpu_turn() -> Iterator[None]:
    """Hold the process's CPU turn (re-entrant within one thread)."""
    if getattr(_holding, "depth", 0):
        _holding.depth += 1
        try:
            yield
        finally:
            _holding.depth -= 1
        return
    with _turn:
        _holding.depth = 1
        try:
            yield
        finally:
            _holding.depth = 0


@contextmanager
def waiting() -> Iterator[None]:
    """Let another document have the turn while this thread waits (for OCR processes)."""
    depth = getattr(_holding, "depth", 0)
    if not depth:
        yield
        return
    _holding.depth = 0
    _turn.release()
    try:
        yield
    finally:
        _turn.acquire()
        _holding.depth = depth
