"""A model's arrays unpacked once into a user cache file and memory-mapped by every later process.

The committed model is small and compressed (`lm.npz`); decompressing and unpacking it costs about
0.17 s per process, over half of a one-line `vnplan restore`. The unpacked copy (~30 MB) lives in
`$XDG_CACHE_HOME/vnplan` (or `~/.cache/vnplan`), named after the model file's path, size and time, so
a retrained model gets a new copy; copies of older states and of model files that are gone are removed.
Layout: 8 bytes of header length, a JSON header (the model file's path; per array its dtype, shape and
offset), then each array's bytes. Anything wrong with the copy (missing, cut short, read-only cache)
only means the arrays are unpacked from the model file again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import mmap
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

FORMAT = 2  # of the file layout; what the arrays are is the caller's `version`
_ALIGN = 64


def cached_arrays(source: Path, unpack: Callable[[], dict[str, np.ndarray]], version: int = 0) -> dict[str, np.ndarray]:
    """`unpack()`'s arrays for the model file `source`, memory-mapped from the cache when it holds them
    (read-only arrays), else unpacked now and stored for the next process. `version`: of what `unpack`
    returns (a new version, a new copy)."""
    try:
        stored = cache_path(source, version)
    except (OSError, RuntimeError):  # RuntimeError: no home folder to be found
        return unpack()
    arrays = _read(stored)
    if arrays is not None:
        return arrays
    arrays = unpack()
    with contextlib.suppress(OSError):  # a read-only home only costs the unpacking next time
        _write(stored, arrays, source)
        _drop_stale_copies(stored)
    return arrays


def cache_path(source: Path, version: int = 0) -> Path:
    """`<cache>/vnplan/<stem>-<the model file's path>-<its size, time and version>.unpacked` (hashed)."""
    stat = source.stat()
    where = _digest(str(source.resolve()))[:8]
    key = _digest(f"{stat.st_size}|{stat.st_mtime_ns}|{FORMAT}|{version}")[:16]
    cache_home = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache_home) / "vnplan" / f"{source.stem}-{where}-{key}.unpacked"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _drop_stale_copies(path: Path) -> None:
    """Copies of an earlier state of the same model file (retrained, or a new version) go, and so do
    copies of model files that no longer exist (a test's model, a removed checkout): the cache keeps
    one copy per model file there is. A process still mapping one keeps reading it."""
    family = path.name.rsplit("-", 1)[0]
    for old in path.parent.glob("*.unpacked"):
        if old == path:
            continue
        source = _source_of(old)
        if old.name.startswith(f"{family}-") or source is None or not Path(source).exists():
            with contextlib.suppress(OSError):
                old.unlink()


def _source_of(path: Path) -> str | None:
    """The model file a copy was unpacked from (None for a copy not in this layout)."""
    try:
        with open(path, "rb") as f:
            size = int.from_bytes(f.read(8), "little")
            source = json.loads(f.read(min(size, 1 << 20)).decode("utf-8"))["source"]
        return source if isinstance(source, str) else None
    except (OSError, ValueError, TypeError, KeyError, UnicodeDecodeError):
        return None


def _write(path: Path, arrays: dict[str, np.ndarray], source: Path) -> None:
    header: dict[str, tuple[str, list[int], int]] = {}
    offset = 0
    for name, array in arrays.items():
        header[name] = (array.dtype.str, list(array.shape), offset)
        offset += -(-array.nbytes // _ALIGN) * _ALIGN
    head = json.dumps({"source": str(source.resolve()), "arrays": header}).encode("utf-8")
    start = -(-(8 + len(head)) // _ALIGN) * _ALIGN
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as out:
            out.write(len(head).to_bytes(8, "little") + head)
            for name, array in arrays.items():
                out.seek(start + header[name][2])
                out.write(np.ascontiguousarray(array).tobytes())
            out.truncate(start + offset)
        tmp.replace(path)  # another process sees the whole file or none
    finally:
        tmp.unlink(missing_ok=True)


def _read(path: Path) -> dict[str, np.ndarray] | None:
    try:
        with open(path, "rb") as f:
            buffer = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # absent, or empty (mmap refuses a 0-byte file)
        return None
    try:
        size = int.from_bytes(buffer[:8], "little")
        header = json.loads(buffer[8 : 8 + size].decode("utf-8"))["arrays"]
        start = -(-(8 + size) // _ALIGN) * _ALIGN
        arrays = {}
        for name, (dtype, shape, offset) in header.items():
            count = int(np.prod(shape))
            array = np.frombuffer(buffer, np.dtype(dtype), count, start + offset)
            arrays[name] = array.reshape(shape)
        return arrays
    except (ValueError, TypeError, KeyError, UnicodeDecodeError):  # cut short or not ours: unpack again
        return None
