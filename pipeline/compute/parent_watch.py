"""Worker processes that end with the process that started them.

A pool worker blocks on its task queue, and holds that queue's write end itself, so it never sees the
end of its input when the run that started it is killed outright (SIGKILL, the OOM killer): it would
finish its page, then wait for ever. Each worker watches its parent instead: once it has been given to
another parent (the run is gone), it stops its own children (a Tesseract run, OCR processes of its own)
and exits. Not `PR_SET_PDEATHSIG`: that fires when the *thread* that started the worker ends, and pools
start workers from whichever thread submits first.
"""

from __future__ import annotations

import os
import threading
import time

POLL_S = 0.5


def exit_with_parent(poll_s: float = POLL_S) -> None:
    """Start watching this process's parent (once per process); exit when it is gone."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(poll_s)
        _stop_children()
        os._exit(1)

    threading.Thread(target=watch, name="vnplan-parent-watch", daemon=True).start()


def _stop_children() -> None:
    import psutil  # only now: a worker whose run ended normally never needs it

    for child in psutil.Process().children(recursive=True):
        try:
            child.kill()
        except psutil.Error:
            continue
