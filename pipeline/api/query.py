"""The dataset's Parquet tables in memory (pyarrow), reloaded when the writer replaces a file.

Before every query the six table files' (mtime, size, inode) are compared with the loaded ones;
when any changed, all six are read again into a new snapshot that replaces the old one in a single
assignment, so a new ingest is served without a restart and a request never mixes two ingests'
tables. The writer replaces files atomically, so a reload never sees half a table.

At load time each table gets the columns its filters compare (prefixed `_`): folded keys, so that
`lao cai` finds `Lào Cai` and `so kh&cn` finds a task led by `Sở Khoa học và Công nghệ` (whose
alias the document gives), the document's province and year on every record, and month-only dates
widened to their first and last day. A query is then one vectorized pass over in-memory columns:
its cost is bounded by the table's size, and no request can start a long-running query.
"""

from __future__ import annotations

import os
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeAlias

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from normalizers.vndates import fold_keep_length
from pipeline.dataset.writer import TABLE_SCHEMAS
from pipeline.model.contract import RECORD_LISTS

TABLES = tuple(TABLE_SCHEMAS)
Stamp = tuple[int, int, int] | None
Mask: TypeAlias = pa.ChunkedArray | pa.Array
Predicate = Callable[[pa.Table], Mask]


class TableUnavailable(Exception):
    """A table file exists but cannot be read (the API answers 503)."""


@lru_cache(maxsize=65536)
def fold_key(text: str) -> str:
    """`Sở  Khoa học` → `so khoa hoc`: how filter values and stored names are compared."""
    return " ".join(fold_keep_length(unicodedata.normalize("NFC", text)).lower().split())


def _keys(values: Iterable[str | None]) -> pa.Array:
    return pa.array([fold_key(v) if v else None for v in values], pa.string())


def _month_start(dates: Iterable[str | None]) -> pa.Array:
    """`2026-04` → `2026-04-01` (ISO dates compare as strings)."""
    return pa.array([d + "-01" if d and len(d) == 7 else d for d in dates], pa.string())


def _month_end(dates: Iterable[str | None]) -> pa.Array:
    """`2026-04` → `2026-04-31`: sorts after every real day of that month."""
    return pa.array([d + "-31" if d and len(d) == 7 else d for d in dates], pa.string())


def _conformed(name: str, table: pa.Table) -> pa.Table:
    """The writer's columns in the writer's order; a table from an older writer gets nulls for new ones."""
    schema = TABLE_SCHEMAS[name]
    columns = [table[f.name] if f.name in table.column_names else pa.nulls(table.num_rows, f.type) for f in schema]
    return pa.Table.from_arrays(columns, names=schema.names)


def _with_filter_columns(raw: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """Each table plus the `_` columns its filters read."""
    docs = raw["documents"]
    issued = docs["issued_date"].to_pylist()
    province_keys = _keys(docs["province"].to_pylist())
    years = pa.array([d[:4] if d else None for d in issued], pa.string())
    out = {
        "documents": docs.append_column("_province_key", province_keys)
        .append_column("_doc_type_key", _keys(docs["doc_type"].to_pylist()))
        .append_column("_doc_year", years)
        .append_column("_issued_lo", _month_start(issued))
        .append_column("_issued_hi", _month_end(issued))
    }

    aliases: dict[tuple[str, str], list[str]] = defaultdict(list)
    agencies = raw["agencies"]
    for doc_id, name, names in zip(
        agencies["doc_id"].to_pylist(), agencies["name"].to_pylist(), agencies["aliases"].to_pylist(), strict=True
    ):
        aliases[(doc_id, name)].extend(names or [])

    def agency_keys(doc_ids: list[str], names_per_row: Iterable[list[str | None]]) -> pa.Array:
        """All names a row's agencies go by in its document, folded, newline-separated."""
        keys = []
        for doc_id, names in zip(doc_ids, names_per_row, strict=True):
            every = [n for name in names if name for n in (name, *aliases.get((doc_id, name), []))]
            keys.append("\n".join(fold_key(n) for n in every))
        return pa.array(keys, pa.string())

    for name in RECORD_LISTS:
        table = raw[name]
        ids = table["doc_id"].to_pylist()
        row_doc = pc.index_in(table["doc_id"], value_set=docs["doc_id"])  # each row's document (a join)
        table = table.append_column("_province_key", province_keys.take(row_doc)).append_column(
            "_doc_year", years.take(row_doc)
        )
        if name == "tasks":
            named = [
                [lead, *(coop or [])]
                for lead, coop in zip(
                    table["lead_agency"].to_pylist(), table["cooperating_agencies"].to_pylist(), strict=True
                )
            ]
            table = (
                table.append_column("_agency_key", agency_keys(ids, named))
                .append_column("_start_lo", _month_start(table["deadline_start"].to_pylist()))
                .append_column("_end_hi", _month_end(table["deadline_end"].to_pylist()))
            )
        elif name == "agencies":
            table = table.append_column("_agency_key", agency_keys(ids, [[n] for n in table["name"].to_pylist()]))
        out[name] = table
    return out


@dataclass(frozen=True)
class Snapshot:
    """All six tables as loaded at one moment."""

    stamps: tuple[Stamp, ...]
    tables: dict[str, pa.Table]


@dataclass(frozen=True)
class Selection:
    """The rows every predicate keeps (a null answer drops the row)."""

    predicates: tuple[Predicate, ...] = ()

    def plus(self, predicate: Predicate) -> Selection:
        return Selection((*self.predicates, predicate))

    def rows(self, table: pa.Table) -> pa.Array | None:
        """Indices of the rows kept, in order (None: every row)."""
        if not self.predicates:
            return None
        mask = self.predicates[0](table)
        for predicate in self.predicates[1:]:
            mask = pc.and_kleene(mask, predicate(table))
        return pc.indices_nonzero(pc.fill_null(mask, False))


class Tables:
    """The six tables of one output folder, fresh on every query."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()

    def path(self, name: str) -> Path:
        return self.root / "tables" / f"{name}.parquet"

    def _stamps(self) -> tuple[Stamp, ...]:
        stamps: list[Stamp] = []
        for name in TABLES:
            try:
                st = os.stat(self.path(name))
                stamps.append((st.st_mtime_ns, st.st_size, st.st_ino))
            except FileNotFoundError:
                stamps.append(None)
        return tuple(stamps)

    def snapshot(self) -> Snapshot:
        """The current tables, reloaded first if any file changed since the last load."""
        stamps = self._stamps()
        current = self._snapshot
        if current is not None and current.stamps == stamps:
            return current
        with self._lock:  # one reload at a time; the others wait for it rather than repeat it
            if self._snapshot is None or self._snapshot.stamps != stamps:
                self._snapshot = Snapshot(
                    stamps,
                    _with_filter_columns(
                        {name: self._read(name, stamp) for name, stamp in zip(TABLES, stamps, strict=True)}
                    ),
                )
            return self._snapshot

    def _read(self, name: str, stamp: Stamp) -> pa.Table:
        if stamp is None:  # no ingest yet: an empty table with the writer's columns
            return TABLE_SCHEMAS[name].empty_table()
        try:
            return _conformed(name, pq.read_table(self.path(name)))
        except (OSError, pa.ArrowException) as exc:
            raise TableUnavailable(f"table {name} cannot be read: {exc}") from None

    def page(self, name: str, selection: Selection, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        """One page of table `name` in file order, and the number of rows that match in all."""
        table = self.snapshot().tables[name]
        kept = selection.rows(table)
        columns = table.select(TABLE_SCHEMAS[name].names)
        if kept is None:
            return columns.slice(offset, limit).to_pylist(), table.num_rows
        # Only the page's rows are materialized, not every match.
        return columns.take(kept[offset : offset + limit]).to_pylist(), len(kept)

    def column(self, name: str, *columns: str) -> list[tuple[Any, ...]]:
        """Whole columns of a table, row by row."""
        table = self.snapshot().tables[name]
        return list(zip(*(table[c].to_pylist() for c in columns), strict=True))


# -- filters: each endpoint's query parameters → a Selection ----------------------------------------


def _equals(column: str, value: Any) -> Predicate:
    return lambda t: pc.equal(t[column], value)


def _contains(column: str, value: str) -> Predicate:
    return lambda t: pc.match_substring(t[column], value)


def _common(doc_id: str | None, province: str | None) -> Selection:
    s = Selection()
    if doc_id is not None:
        s = s.plus(_equals("doc_id", doc_id))
    if province is not None:
        s = s.plus(_equals("_province_key", fold_key(province)))
    return s


def document_selection(
    *,
    province: str | None = None,
    doc_type: str | None = None,
    year: int | None = None,
    issued_from: date | None = None,
    issued_to: date | None = None,
) -> Selection:
    s = _common(None, province)
    if doc_type is not None:
        s = s.plus(_equals("_doc_type_key", fold_key(doc_type)))
    if year is not None:
        s = s.plus(_equals("_doc_year", f"{year:04d}"))
    # A month-only date might be any day of its month: it matches when that month meets the range.
    if issued_from is not None:
        s = s.plus(lambda t: pc.greater_equal(t["_issued_hi"], issued_from.isoformat()))
    if issued_to is not None:
        s = s.plus(lambda t: pc.less_equal(t["_issued_lo"], issued_to.isoformat()))
    return s


def dated_record_selection(
    *, doc_id: str | None = None, province: str | None = None, year: int | None = None
) -> Selection:
    """Targets and budgets: `year` is the record's own year."""
    s = _common(doc_id, province)
    return s if year is None else s.plus(_equals("year", year))


def _overlaps_year(year: int) -> Predicate:
    """The deadline window meets that year (a recurring one, dated or not, meets every year it runs)."""
    first, last = f"{year:04d}-01-01", f"{year:04d}-12-31"

    def predicate(t: pa.Table) -> Mask:
        dated = pc.or_(
            pc.or_(pc.is_valid(t["deadline_start"]), pc.is_valid(t["deadline_end"])), pc.is_valid(t["recurrence"])
        )
        starts = pc.less_equal(pc.coalesce(t["_start_lo"], pa.scalar("0000-01-01")), last)
        ends = pc.greater_equal(pc.coalesce(t["_end_hi"], pa.scalar("9999-12-31")), first)
        return pc.and_(dated, pc.and_(starts, ends))

    return predicate


def _open_on(day: str) -> Predicate:
    """The window is still open on `day`: it ends then or later, or has no end but has begun or recurs."""

    def predicate(t: pa.Table) -> Mask:
        open_ended = pc.and_(
            pc.is_null(t["deadline_end"]), pc.or_(pc.is_valid(t["deadline_start"]), pc.is_valid(t["recurrence"]))
        )
        return pc.or_kleene(pc.greater_equal(t["_end_hi"], day), open_ended)

    return predicate


def task_selection(
    *,
    doc_id: str | None = None,
    province: str | None = None,
    year: int | None = None,
    agency: str | None = None,
    deadline_before: date | None = None,
    deadline_after: date | None = None,
    recurrence: str | None = None,
) -> Selection:
    s = _common(doc_id, province)
    if year is not None:
        s = s.plus(_overlaps_year(year))
    if agency is not None:  # the lead or a cooperating agency, by name or by an alias its document gives
        s = s.plus(_contains("_agency_key", fold_key(agency)))
    if deadline_before is not None:  # the window closes on or before that day
        s = s.plus(lambda t: pc.less_equal(t["_end_hi"], deadline_before.isoformat()))
    if deadline_after is not None:
        s = s.plus(_open_on(deadline_after.isoformat()))
    if recurrence == "none":
        s = s.plus(lambda t: pc.is_null(t["recurrence"]))
    elif recurrence is not None:
        s = s.plus(_equals("recurrence", recurrence))
    return s


def agency_selection(
    *, doc_id: str | None = None, province: str | None = None, year: int | None = None, agency: str | None = None
) -> Selection:
    """Agencies have no date of their own: `year` is their document's issue year."""
    s = _common(doc_id, province)
    if year is not None:
        s = s.plus(_equals("_doc_year", f"{year:04d}"))
    if agency is not None:
        s = s.plus(_contains("_agency_key", fold_key(agency)))
    return s
