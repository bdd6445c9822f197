"""A Ctrl-C the run remembers, not only one it is told about once.

Python turns Ctrl-C into a KeyboardInterrupt raised wherever the main thread happens to be, and code
in between can turn it into something else: pydantic-core's serializer wraps it in a
PydanticSerializationError (an ordinary exception, which a batch records as one failed document), and
Prefect's flow engine drops a BaseException raised once the flow's own code has returned. A run
interrupted there went on and finished with exit 0. So the command's handler also records that the
user pressed Ctrl-C: the dataset writes nothing after it (`stop_if_seen`), and the command ends as
interrupted whatever became of the exception (cli.main).
"""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType

_seen = threading.Event()


def install() -> None:
    """Ctrl-C raises KeyboardInterrupt in the main thread as by default, and is remembered."""
    signal.signal(signal.SIGINT, _on_ctrl_c)


def _on_ctrl_c(signum: int, frame: FrameType | None) -> None:
    _seen.set()
    # What the interrupted run's libraries log on their way out is no business of the user's terminal:
    # Prefect reported each interrupted task run and the flow run as ERROR lines ("Crash detected!
    # ... CancelledError") above `vnplan: interrupted`. (The command writes nothing after a Ctrl-C.)
    logging.disable(logging.CRITICAL)
    raise KeyboardInterrupt


def seen() -> bool:
    """Whether the user pressed Ctrl-C during this command."""
    return _seen.is_set()


def stop_if_seen() -> None:
    """Raise KeyboardInterrupt (in any thread) when the user pressed Ctrl-C: no work or write starts after it."""
    if _seen.is_set():
        raise KeyboardInterrupt
