"""Atomic file writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_umask()  # what open() would give: mkstemp's 0600 would hide outputs from others


def _temp_in(folder: Path, name: str) -> tuple[int, str]:
    """A temp file beside the target, named with our pid so a later run can tell ours from a live one's."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.{os.getpid()}.", suffix=".tmp", dir=folder)
    os.fchmod(fd, _FILE_MODE)
    return fd, tmp


def _same_content(a: Path, b: Path) -> bool:
    try:
        if a.stat().st_size != b.stat().st_size:
            return False
        with a.open("rb") as fa, b.open("rb") as fb:
            while True:
                x, y = fa.read(1 << 20), fb.read(1 << 20)
                if x != y:
                    return False
                if not x:
                    return True
    except OSError:
        return False


@contextlib.contextmanager
def atomic_output(path: Path, *, only_if_changed: bool = True) -> Iterator[Path]:
    """Yield a temp path to write `path`'s new content to (streaming); on success it replaces `path`
    atomically, unless the content is unchanged; on failure `path` is untouched and the temp removed."""
    fd, tmp = _temp_in(path.parent, path.name)
    os.close(fd)
    try:
        yield Path(tmp)
        if only_if_changed and path.exists() and _same_content(Path(tmp), path):
            os.unlink(tmp)
            return
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def remove_stale_temps(folder: Path) -> int:
    """Delete temp files left by killed processes (their pid no longer runs); returns how many."""
    removed = 0
    for tmp in folder.rglob(".*.tmp") if folder.exists() else []:
        parts = tmp.name.split(".")
        pid = int(parts[-3]) if len(parts) >= 4 and parts[-3].isdigit() else None
        if pid is not None and pid_alive(pid):
            continue
        with contextlib.suppress(OSError):
            tmp.unlink()
            removed += 1
    return removed


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists (one of another user counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def atomic_write_bytes(path: Path, data: bytes, *, only_if_changed: bool = True) -> bool:
    """Write `data` to `path` via a temp file in the same folder + fsync + rename.

    Returns False (and touches nothing) when the file already holds exactly `data`, so that
    re-running unchanged input changes no file, not even its mtime.
    """
    if only_if_changed and path.exists():
        try:
            if path.stat().st_size == len(data) and path.read_bytes() == data:
                return False
        except OSError:
            pass
    with atomic_output(path, only_if_changed=False) as tmp:
        tmp.write_bytes(data)
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
