"""The dataset's Parquet tables in an embedded DuckDB, reloaded when the writer replaces a file.

Each table is read into memory once and queried with SQL; before every query the table file's
(mtime, size, inode) is compared with the loaded one, so a new ingest is served without a restart.
The writer replaces files atomically, so a reload never sees half a table. Filters that users type
(province, doc_type, agency) are compared accent- and case-insensitively on folded key columns
computed at load time, so `lao cai` finds `Lào Cai` and `so kh&cn` finds `Sở KH&CN`.
"""

from __future__ import annotations

import os
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from normalizers.vndates import fold_keep_length
from pipeline.writer import TABLE_SCHEMAS

TABLES = tuple(TABLE_SCHEMAS)
ROW = "_row"  # file order: a stable sort key, so pages never skip or repeat rows


class TableUnavailable(Exception):
    """A table file exists but cannot be read (the API answers 503)."""


class QueryTimeout(Exception):
    """A query ran longer than the configured limit and was interrupted (the API answers 503)."""


@lru_cache(maxsize=65536)
def fold_key(text: str) -> str:
    """`Sở  Khoa học` → `so khoa hoc`: how filter values and stored names are compared."""
    return " ".join(fold_keep_length(unicodedata.normalize("NFC", text)).lower().split())


def _folded(values: Iterable[str | None]) -> pa.Array:
    return pa.array([fold_key(v) if v else None for v in values], pa.string())


def _joined_keys(columns: Sequence[Sequence[Any]]) -> pa.Array:
    """One searchable string per row from several name columns (scalars or lists), newline-separated."""
    keys: list[str] = []
    for values in zip(*columns, strict=True):
        names: list[str] = []
        for value in values:
            if isinstance(value, list):
                names.extend(v for v in value if v)
            elif value:
                names.append(value)
        keys.append("\n".join(fold_key(n) for n in names))
    return pa.array(keys, pa.string())


def _with_keys(name: str, table: pa.Table) -> pa.Table:
    """Add the row order and the folded filter keys of table `name`."""
    table = table.append_column(ROW, pa.array(range(table.num_rows), pa.int64()))
    if name == "documents":
        table = table.append_column("_province_key", _folded(table["province"].to_pylist()))
        table = table.append_column("_doc_type_key", _folded(table["doc_type"].to_pylist()))
    elif name == "tasks":
        table = table.append_column("_agency_key", _joined_keys(
            [table["lead_agency"].to_pylist(), table["cooperating_agencies"].to_pylist()]))
    elif name == "agencies":
        table = table.append_column("_agency_key", _joined_keys(
            [table["name"].to_pylist(), table["aliases"].to_pylist()]))
    return table


@dataclass(frozen=True)
class Selection:
    """A WHERE clause (conjunction of SQL conditions) and its parameters."""

    conditions: tuple[str, ...] = ()
    params: tuple[Any, ...] = ()

    def where(self) -> str:
        return " WHERE " + " AND ".join(self.conditions) if self.conditions else ""

    def plus(self, condition: str, *params: Any) -> Selection:
        return Selection((*self.conditions, condition), (*self.params, *params))


def _month_start(column: str) -> str:
    """A `YYYY-MM` date read as its first day (dates compare as ISO strings)."""
    return f"(CASE WHEN length({column}) = 7 THEN {column} || '-01' ELSE {column} END)"


def _month_end(column: str) -> str:
    """A `YYYY-MM` date read as its last possible day ('-31' sorts after every real day)."""
    return f"(CASE WHEN length({column}) = 7 THEN {column} || '-31' ELSE {column} END)"


def _iso(day: date) -> str:
    return day.isoformat()


class Tables:
    """The six tables of one output folder, fresh on every query."""

    def __init__(self, root: Path, *, query_timeout: float = 5.0) -> None:
        self.root = root
        self.query_timeout = query_timeout
        self._con = duckdb.connect(":memory:", config={"threads": "2", "memory_limit": "2GB"})
        self._stamps: dict[str, tuple[int, int, int] | None] = {}
        self._lock = threading.Lock()

    def path(self, name: str) -> Path:
        return self.root / "tables" / f"{name}.parquet"

    def _stamp(self, name: str) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.path(name))
        except FileNotFoundError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def fresh(self, *names: str) -> None:
        """Reload each named table whose file changed since it was loaded (or was never loaded)."""
        for name in names:
            stamp = self._stamp(name)
            if name in self._stamps and self._stamps[name] == stamp:
                continue
            with self._lock:
                stamp = self._stamp(name)
                if name in self._stamps and self._stamps[name] == stamp:
                    continue
                self._load(name, stamp)

    def _load(self, name: str, stamp: tuple[int, int, int] | None) -> None:
        if stamp is None:  # no ingest yet: an empty table with the writer's columns
            table = TABLE_SCHEMAS[name].empty_table()
        else:
            try:
                table = pq.read_table(self.path(name))
            except (OSError, pa.ArrowException) as exc:
                raise TableUnavailable(f"table {name} cannot be read: {exc}") from None
        staging = f"_staging_{name}"
        self._con.register(staging, _with_keys(name, table))
        try:
            self._con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {staging}")
        finally:
            self._con.unregister(staging)
        self._stamps[name] = stamp

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run one query on a per-request cursor, interrupted after `query_timeout` seconds."""
        cursor = self._con.cursor()
        timed_out = threading.Event()

        def interrupt() -> None:
            timed_out.set()
            cursor.interrupt()

        timer = threading.Timer(self.query_timeout, interrupt)
        timer.start()
        try:
            result = cursor.execute(sql, list(params))
            columns = [d[0] for d in result.description]
            return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]
        except duckdb.InterruptException:
            raise QueryTimeout(f"query took longer than {self.query_timeout:g} s") from None
        except duckdb.Error:
            if timed_out.is_set():
                raise QueryTimeout(f"query took longer than {self.query_timeout:g} s") from None
            raise
        finally:
            timer.cancel()
            cursor.close()

    def page(self, name: str, selection: Selection, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        """One page of table `name` in file order, and the number of rows that match in all."""
        self.fresh(*TABLES)  # filters join other tables; a stat per table costs microseconds
        columns = ", ".join(TABLE_SCHEMAS[name].names)
        where = selection.where()
        total = self.rows(f"SELECT count(*) AS n FROM {name}{where}", selection.params)[0]["n"]
        if offset >= total:
            return [], total
        items = self.rows(f"SELECT {columns} FROM {name}{where} ORDER BY {ROW} LIMIT ? OFFSET ?",
                          (*selection.params, limit, offset))
        return items, total


# -- filters: each endpoint's query parameters → a Selection ----------------------------------------

def _in_province(selection: Selection, province: str | None) -> Selection:
    if province is None:
        return selection
    return selection.plus("doc_id IN (SELECT doc_id FROM documents WHERE _province_key = ?)", fold_key(province))


def _for_doc(selection: Selection, doc_id: str | None) -> Selection:
    return selection if doc_id is None else selection.plus("doc_id = ?", doc_id)


def document_selection(*, province: str | None = None, doc_type: str | None = None, year: int | None = None,
                       issued_from: date | None = None, issued_to: date | None = None) -> Selection:
    s = Selection()
    if province is not None:
        s = s.plus("_province_key = ?", fold_key(province))
    if doc_type is not None:
        s = s.plus("_doc_type_key = ?", fold_key(doc_type))
    if year is not None:
        s = s.plus("substr(issued_date, 1, 4) = ?", f"{year:04d}")
    # A month-only date might be any day of its month: it matches when that month meets the range.
    if issued_from is not None:
        s = s.plus(f"{_month_end('issued_date')} >= ?", _iso(issued_from))
    if issued_to is not None:
        s = s.plus(f"{_month_start('issued_date')} <= ?", _iso(issued_to))
    return s


def dated_record_selection(*, doc_id: str | None = None, province: str | None = None,
                           year: int | None = None) -> Selection:
    """Targets and budgets: `year` is the record's own year."""
    s = _in_province(_for_doc(Selection(), doc_id), province)
    return s if year is None else s.plus("year = ?", year)


def task_selection(*, doc_id: str | None = None, province: str | None = None, year: int | None = None,
                   agency: str | None = None, deadline_before: date | None = None,
                   deadline_after: date | None = None, recurrence: str | None = None) -> Selection:
    s = _in_province(_for_doc(Selection(), doc_id), province)
    start, end = _month_start("deadline_start"), _month_end("deadline_end")
    if year is not None:  # the deadline window overlaps that year (recurring tasks run every year)
        s = s.plus(f"(deadline_start IS NOT NULL OR deadline_end IS NOT NULL OR recurrence IS NOT NULL) "
                   f"AND coalesce({start}, '0000-01-01') <= ? AND coalesce({end}, '9999-12-31') >= ?",
                   f"{year:04d}-12-31", f"{year:04d}-01-01")
    if agency is not None:  # by name, or by an alias the same document gives that agency
        key = fold_key(agency)
        s = s.plus("(contains(_agency_key, ?) OR EXISTS (SELECT 1 FROM agencies a WHERE a.doc_id = tasks.doc_id "
                   "AND contains(a._agency_key, ?) AND (a.name = tasks.lead_agency "
                   "OR list_contains(tasks.cooperating_agencies, a.name))))", key, key)
    if deadline_before is not None:  # the window closes on or before that day
        s = s.plus(f"{end} <= ?", _iso(deadline_before))
    if deadline_after is not None:  # the window is still open on that day (open-ended ones always are)
        s = s.plus(f"({end} >= ? OR (deadline_end IS NULL AND (deadline_start IS NOT NULL "
                   f"OR recurrence IS NOT NULL)))", _iso(deadline_after))
    if recurrence == "none":
        s = s.plus("recurrence IS NULL")
    elif recurrence is not None:
        s = s.plus("recurrence = ?", recurrence)
    return s


def agency_selection(*, doc_id: str | None = None, province: str | None = None, year: int | None = None,
                     agency: str | None = None) -> Selection:
    """Agencies have no date of their own: `year` is their document's issue year."""
    s = _in_province(_for_doc(Selection(), doc_id), province)
    if year is not None:
        s = s.plus("doc_id IN (SELECT doc_id FROM documents WHERE substr(issued_date, 1, 4) = ?)", f"{year:04d}")
    if agency is not None:
        s = s.plus("contains(_agency_key, ?)", fold_key(agency))
    return s
