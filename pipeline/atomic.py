"""Atomic file writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


def atomic_write_bytes(path: Path, data: bytes, *, only_if_changed: bool = True) -> bool:
    """Write `data` to `path` via a temp file in the same folder + fsync + rename.

    Returns False (and touches nothing) when the file already holds exactly `data`, so that
    re-running unchanged input changes no file, not even its mtime.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if only_if_changed and path.exists():
        try:
            if path.stat().st_size == len(data) and path.read_bytes() == data:
                return False
        except OSError:
            pass
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return True


def atomic_write_text(path: Path, text: str, *, only_if_changed: bool = True) -> bool:
    return atomic_write_bytes(path, text.encode("utf-8"), only_if_changed=only_if_changed)


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive advisory lock on an output folder, so concurrent runs update it in turn."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".vnplan.lock").open("a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
