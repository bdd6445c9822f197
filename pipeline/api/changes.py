"""The change feed: what was added, reprocessed or removed, in order, for incremental sync.

Events come from `<out>/changes.jsonl` (one JSON object per line: doc_id, path, change, at, fields,
and from/to/replaced_doc_id when the writer records them) when it exists; a torn or foreign line
is skipped. Documents in the manifest that the log never mentions (ingested before the log
existed, or by a writer that keeps none) count as `added` at their `processed_at`. Events are
ordered by (time, line in the log, doc_id); a cursor is that key of the last event a consumer saw,
so events sharing one timestamp are neither skipped nor repeated across pages.
"""

from __future__ import annotations

import bisect
import json
import os
import re
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline.api.query import Tables
from pipeline.dataset.writer import Dataset

CHANGE_KINDS = ("added", "reprocessed", "removed")
_SYNTHESIZED = -1  # the log position given to events read from the manifest
_EXTRA_KEYS = ("from", "to", "replaced_doc_id")
_UTC_PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z"
CURSOR_PATTERN = rf"^{_UTC_PATTERN}~-?[0-9]{{1,19}}~[0-9a-f]{{0,16}}$"
CURSOR_RE = re.compile(CURSOR_PATTERN)
DOC_ID_RE = re.compile(r"[0-9a-f]{16}")


class BadCursor(ValueError):
    """A string not of the shape of the cursors this server issues."""


def utc_key(moment: datetime) -> str:
    """A timestamp as a fixed-width UTC string that sorts in time order (naive means UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _parse_time(text: Any) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


@dataclass(frozen=True, order=True)
class Position:
    """Where an event sits in the feed."""

    at: str
    seq: int
    doc_id: str

    def cursor(self) -> str:
        """`<UTC time>~<log line>~<doc_id>`: readable, and every string of that shape is a position."""
        return f"{self.at}~{self.seq}~{self.doc_id}"

    @classmethod
    def from_cursor(cls, cursor: str) -> Position:
        if not CURSOR_RE.fullmatch(cursor):
            raise BadCursor("malformed cursor")
        at, seq, doc_id = cursor.split("~")
        return cls(at, int(seq), doc_id)

    @classmethod
    def after_time(cls, moment: datetime) -> Position:
        """Just after every event at or before `moment`."""
        return cls(utc_key(moment), 10**18, "")


@dataclass(frozen=True)
class Event:
    position: Position
    doc_id: str
    path: str | None
    change: str
    at: str
    fields: dict[str, Any]
    extra: dict[str, str | None]  # from, to, replaced_doc_id when the log has them


def _read_log(path: Path) -> list[Event]:
    """The log's well-formed lines; a torn or foreign line is skipped rather than failing the feed."""
    events: list[Event] = []
    try:
        lines = path.read_text("utf-8").splitlines()
    except FileNotFoundError:
        return events
    for seq, line in enumerate(lines):
        try:
            data = json.loads(line)
        except ValueError:
            continue
        if not isinstance(data, dict):
            continue
        moment, doc_id, change = _parse_time(data.get("at")), data.get("doc_id"), data.get("change")
        if (
            moment is None
            or not isinstance(doc_id, str)
            or not DOC_ID_RE.fullmatch(doc_id)
            or change not in CHANGE_KINDS
        ):
            continue
        fields = data.get("fields")
        extra = {k: data[k] for k in _EXTRA_KEYS if isinstance(data.get(k), str)}
        events.append(
            Event(
                Position(utc_key(moment), seq, doc_id),
                doc_id,
                _text(data.get("path")),
                change,
                moment.isoformat(),
                fields if isinstance(fields, dict) else {},
                extra,
            )
        )
    return events


def _manifest_events(dataset: Dataset, processed_at: dict[str, str], logged: set[str]) -> list[Event]:
    events: list[Event] = []
    for entry in dataset.read_manifest().values():
        if entry.status != "ok" or not entry.doc_id or entry.doc_id in logged:
            continue
        moment = _parse_time(processed_at.get(entry.doc_id))
        if moment is None:
            continue
        events.append(
            Event(
                Position(utc_key(moment), _SYNTHESIZED, entry.doc_id),
                entry.doc_id,
                entry.path,
                "added",
                moment.isoformat(),
                {},
                {},
            )
        )
    return events


class ChangeFeed:
    """All events of one output folder, rebuilt when the manifest or the log changes."""

    def __init__(self, root: Path, tables: Tables) -> None:
        self.dataset = Dataset(root)
        self.tables = tables
        self._stamp: tuple[Any, ...] | None = None
        self._events: list[Event] = []
        self._lock = threading.Lock()

    def _current_stamp(self) -> tuple[Any, ...]:
        stamp: list[Any] = []
        for path in (self.dataset.manifest_path, self.dataset.changes_path, self.tables.path("documents")):
            try:
                st = os.stat(path)
                stamp.append((st.st_mtime_ns, st.st_size, st.st_ino))
            except FileNotFoundError:
                stamp.append(None)
        return tuple(stamp)

    def events(self) -> list[Event]:
        stamp = self._current_stamp()
        if stamp != self._stamp:
            with self._lock:
                if stamp != self._stamp:
                    logged = _read_log(self.dataset.changes_path)
                    processed_at = dict(self.tables.column("documents", "doc_id", "processed_at"))
                    synthesized = _manifest_events(self.dataset, processed_at, {e.doc_id for e in logged})
                    self._events = sorted(logged + synthesized, key=lambda e: e.position)
                    self._stamp = stamp
        return self._events

    def after(self, start: Position | None, limit: int) -> tuple[list[Event], bool]:
        """Up to `limit` events after `start`, and whether more follow."""
        events = self.events()
        first = 0 if start is None else bisect.bisect_right(events, start, key=lambda e: e.position)
        return events[first : first + limit], len(events) > first + limit
