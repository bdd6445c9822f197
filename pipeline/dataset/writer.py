"""The dataset writer: the contract's output folder.

<out>/documents/<doc_id>.json, <out>/text/<doc_id>.json are written per document as soon as it is
processed (atomically), so a killed batch keeps what it finished. The manifest, errors.jsonl and the
tables are rebuilt from those files under a folder lock at the end of a run, merged with what other
runs recorded, and written only where their bytes change.
"""

from __future__ import annotations

import contextlib
import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pyarrow as pa
import pyarrow.json as pa_json
import pyarrow.parquet as pq

from pipeline.compute import ctrl_c
from pipeline.dataset.atomic import (
    atomic_output,
    atomic_write_bytes,
    atomic_write_text,
    folder_lock,
    remove_stale_temps,
)
from pipeline.model.contract import RECORD_LISTS, PlanDocument, TextFile

if TYPE_CHECKING:
    import pandas as pd

Status = Literal["ok", "failed"]

_SPAN_FIELDS = [("span_page", pa.int32()), ("span_start", pa.int32()), ("span_end", pa.int32())]

TABLE_SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema(
        [
            ("doc_id", pa.string()),
            ("path", pa.string()),
            ("sha256", pa.string()),
            ("media_type", pa.string()),
            ("pages", pa.int32()),
            ("text_origin", pa.string()),
            ("diacritics_restored", pa.bool_()),
            ("pipeline_version", pa.string()),
            ("processed_at", pa.string()),
            ("province", pa.string()),
            ("doc_type", pa.string()),
            ("doc_number", pa.string()),
            ("issued_date", pa.string()),
            ("issuer", pa.string()),
            ("title", pa.string()),
            ("signer_name", pa.string()),
            ("signer_title", pa.string()),
            ("n_legal_basis", pa.int32()),
            ("n_budgets", pa.int32()),
            ("n_targets", pa.int32()),
            ("n_tasks", pa.int32()),
            ("n_agencies", pa.int32()),
            ("n_warnings", pa.int32()),
        ]
    ),
    "legal_basis": pa.schema(
        [
            ("doc_id", pa.string()),
            ("number", pa.string()),
            ("date", pa.string()),
            ("issuer", pa.string()),
            ("text", pa.string()),
            *_SPAN_FIELDS,
        ]
    ),
    "budgets": pa.schema(
        [
            ("doc_id", pa.string()),
            ("text", pa.string()),
            ("amount_vnd", pa.int64()),
            ("year", pa.int32()),
            ("role", pa.string()),
            ("source", pa.string()),
            *_SPAN_FIELDS,
        ]
    ),
    "targets": pa.schema(
        [
            ("doc_id", pa.string()),
            ("text", pa.string()),
            ("indicator", pa.string()),
            ("comparator", pa.string()),
            ("value", pa.float64()),
            ("unit", pa.string()),
            ("year", pa.int32()),
            ("baseline", pa.string()),
            *_SPAN_FIELDS,
        ]
    ),
    "tasks": pa.schema(
        [
            ("doc_id", pa.string()),
            ("id", pa.string()),
            ("text", pa.string()),
            ("lead_agency", pa.string()),
            ("cooperating_agencies", pa.list_(pa.string())),
            ("deadline_text", pa.string()),
            ("deadline_start", pa.string()),
            ("deadline_end", pa.string()),
            ("recurrence", pa.string()),
            ("output", pa.string()),
            *_SPAN_FIELDS,
        ]
    ),
    "agencies": pa.schema(
        [
            ("doc_id", pa.string()),
            ("name", pa.string()),
            ("aliases", pa.list_(pa.string())),
            ("roles", pa.list_(pa.string())),
        ]
    ),
}


@dataclass
class ManifestEntry:
    path: str
    sha256: str | None
    doc_id: str | None
    pipeline_version: str
    status: Status
    fingerprint: str | None = None  # pipeline version + model digest that produced the record
    stage: str | None = None
    error: str | None = None
    message: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "doc_id": self.doc_id,
            "path": self.path,
            "sha256": self.sha256,
            "pipeline_version": self.pipeline_version,
            "fingerprint": self.fingerprint,
            "status": self.status,
        }
        if self.status == "failed":
            data.update(stage=self.stage, error=self.error, message=self.message)
        data.update(self.extra)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ManifestEntry:
        known = {"doc_id", "path", "sha256", "pipeline_version", "fingerprint", "status", "stage", "error", "message"}
        return cls(
            path=data["path"],
            sha256=data.get("sha256"),
            doc_id=data.get("doc_id"),
            pipeline_version=data.get("pipeline_version", ""),
            fingerprint=data.get("fingerprint"),
            status=data.get("status", "ok"),
            stage=data.get("stage"),
            error=data.get("error"),
            message=data.get("message"),
            extra={k: v for k, v in data.items() if k not in known},
        )


def _json_bytes(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


class Dataset:
    """An output folder in the contract's layout."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    # -- per document ---------------------------------------------------------------------------
    def document_path(self, doc_id: str) -> Path:
        return self.root / "documents" / f"{doc_id}.json"

    def text_path(self, doc_id: str) -> Path:
        return self.root / "text" / f"{doc_id}.json"

    def write_document(self, document: PlanDocument, text: TextFile) -> None:
        """Text first, then the record: a record on disk always has its page text beside it."""
        ctrl_c.stop_if_seen()
        atomic_write_bytes(self.text_path(document.doc_id), _json_bytes(text.model_dump(mode="json")))
        atomic_write_bytes(self.document_path(document.doc_id), _json_bytes(document.model_dump(mode="json")))

    def read_document(self, doc_id: str) -> PlanDocument:
        return PlanDocument.model_validate_json(self.document_path(doc_id).read_text("utf-8"))

    def has_document(self, doc_id: str, fingerprint: str) -> bool:
        """Whether a record made by this exact pipeline (version + models) is on disk."""
        path = self.document_path(doc_id)
        if not (path.exists() and self.text_path(doc_id).exists()):
            return False
        try:
            stored = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return False
        return stored.get("pipeline", {}).get("fingerprint") == fingerprint

    def history_path(self, doc_id: str, fingerprint: str) -> Path:
        return self.root / "history" / doc_id / f"{fingerprint}.json"

    @property
    def changes_path(self) -> Path:
        return self.root / "changes.jsonl"

    # -- manifest -------------------------------------------------------------------------------
    @property
    def manifest_path(self) -> Path:
        return self.root / "manifest.json"

    def read_manifest(self) -> dict[str, ManifestEntry]:
        """Entries by source path."""
        if not self.manifest_path.exists():
            return {}
        try:
            data = json.loads(self.manifest_path.read_text("utf-8"))
        except ValueError:
            return {}
        return {e["path"]: ManifestEntry.from_json(e) for e in data.get("documents", [])}

    def commit(self, entries: Iterable[ManifestEntry], changes: Iterable[dict[str, Any]] = ()) -> None:
        """Merge `entries` into the manifest, append `changes`, rebuild errors.jsonl and tables (locked)."""
        ctrl_c.stop_if_seen()
        with folder_lock(self.root):
            remove_stale_temps(self.root)
            changes = list(changes)
            if changes:
                old = self.changes_path.read_bytes() if self.changes_path.exists() else b""
                new = "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in changes).encode("utf-8")
                atomic_write_bytes(self.changes_path, old + new)
            manifest = self.read_manifest()
            for entry in entries:
                manifest[entry.path] = entry
            ordered = [manifest[p] for p in sorted(manifest)]
            atomic_write_bytes(
                self.manifest_path,
                _json_bytes(
                    {
                        "schema_version": "1.0",
                        "documents": [e.to_json() for e in ordered],
                    }
                ),
            )
            errors = "".join(
                json.dumps(
                    {"path": e.path, "stage": e.stage, "error": e.error, "message": e.message, "sha256": e.sha256},
                    ensure_ascii=False,
                )
                + "\n"
                for e in ordered
                if e.status == "failed"
            )
            atomic_write_text(self.root / "errors.jsonl", errors)
            self._write_tables([e for e in ordered if e.status == "ok" and e.doc_id])

    # -- tables ---------------------------------------------------------------------------------
    def _write_tables(self, entries: list[ManifestEntry]) -> None:
        """Stream every stored record into the tables, a row group per chunk of documents, so memory
        stays flat however large the dataset."""
        doc_ids = list(dict.fromkeys(e.doc_id for e in entries if e.doc_id))
        tables = self.root / "tables"
        with contextlib.ExitStack() as stack:
            writers: dict[str, tuple[pq.ParquetWriter, Any]] = {}
            for name, schema in TABLE_SCHEMAS.items():
                parquet_tmp = stack.enter_context(atomic_output(tables / f"{name}.parquet"))
                csv_tmp = stack.enter_context(atomic_output(tables / f"{name}.csv"))
                parquet = stack.enter_context(pq.ParquetWriter(parquet_tmp, schema, compression="zstd"))
                csv = stack.enter_context(csv_tmp.open("w", encoding="utf-8-sig", newline=""))
                csv.write(",".join(schema.names) + "\n")
                writers[name] = (parquet, csv)
            for chunk_start in range(0, max(len(doc_ids), 1), _DOCS_PER_ROW_GROUP):
                rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLE_SCHEMAS}
                for doc_id in doc_ids[chunk_start : chunk_start + _DOCS_PER_ROW_GROUP]:
                    if not self.document_path(doc_id).exists():
                        continue
                    for name, table_rows in table_rows_of(self.read_document(doc_id)).items():
                        rows[name].extend(table_rows)
                for name, schema in TABLE_SCHEMAS.items():
                    table = _arrow_table(rows[name], schema)
                    parquet, csv = writers[name]
                    parquet.write_table(table)
                    _append_csv(table, schema, csv)


_DOCS_PER_ROW_GROUP = 256


def _arrow_table(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    """`rows` as a table of `schema`, the same as `pa.Table.from_pylist(rows, schema=schema)`.

    They go through Arrow's JSON reader instead: pyarrow's conversion of Python objects asks, on
    its first use in a process, whether they are pandas objects, and imports pandas to know
    (0.3 s of CPU in a run that never needs pandas). The reader never does, and its numbers come
    back exactly (floats are written as their repr)."""
    if not rows:
        return pa.Table.from_batches([], schema=schema)
    lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode("utf-8")
    options = pa_json.ParseOptions(explicit_schema=schema, unexpected_field_behavior="ignore")
    return pa_json.read_json(pa.BufferReader(lines), parse_options=options).select(schema.names)


def _append_csv(table: pa.Table, schema: pa.Schema, out: Any) -> None:
    """The rows of `table` as CSV, in the text the tables have always had (they were written through
    pandas' `to_csv`; pandas is no longer imported for it: 0.3 s of CPU in every run). A list is
    "a; b" for spreadsheet users; an empty cell is ""; an integer is written as one also beside an
    empty cell of its column (pandas had turned such a column into floats: a year read "2030.0")."""
    if table.num_rows == 0:
        return
    columns = [_csv_cells(table.column(name), typ) for name, typ in zip(schema.names, schema.types, strict=True)]
    csv.writer(out, lineterminator="\n").writerows(zip(*columns, strict=True))


def _csv_cells(column: pa.ChunkedArray, typ: pa.DataType) -> list[str]:
    values = column.to_pylist()
    if pa.types.is_list(typ):
        return ["; ".join(v) if v is not None else "" for v in values]
    if pa.types.is_floating(typ):
        return ["" if v is None or v != v else repr(float(v)) for v in values]
    return ["" if v is None else str(v) for v in values]


def _span(span: Any) -> dict[str, int | None]:
    if span is None:
        return {"span_page": None, "span_start": None, "span_end": None}
    return {"span_page": span.page, "span_start": span.start, "span_end": span.end}


def table_rows_of(doc: PlanDocument) -> dict[str, list[dict[str, Any]]]:
    """One document's rows for each table, each with its doc_id."""
    d = doc.doc_id
    m = doc.metadata
    return {
        "documents": [
            {
                "doc_id": d,
                "path": doc.source.path,
                "sha256": doc.source.sha256,
                "media_type": doc.source.media_type,
                "pages": doc.source.pages,
                "text_origin": doc.source.text_origin,
                "diacritics_restored": doc.source.diacritics_restored,
                "pipeline_version": doc.pipeline.version,
                "processed_at": doc.pipeline.processed_at,
                **m.model_dump(),
                **{f"n_{name}": len(getattr(doc, name)) for name in (*RECORD_LISTS, "warnings")},
            }
        ],
        "legal_basis": [
            {"doc_id": d, "number": x.number, "date": x.date, "issuer": x.issuer, "text": x.text, **_span(x.span)}
            for x in doc.legal_basis
        ],
        "budgets": [
            {
                "doc_id": d,
                "text": x.text,
                "amount_vnd": x.amount_vnd,
                "year": x.year,
                "role": x.role,
                "source": x.source,
                **_span(x.span),
            }
            for x in doc.budgets
        ],
        "targets": [
            {
                "doc_id": d,
                "text": x.text,
                "indicator": x.indicator,
                "comparator": x.comparator,
                "value": float(x.value),
                "unit": x.unit,
                "year": x.year,
                "baseline": x.baseline,
                **_span(x.span),
            }
            for x in doc.targets
        ],
        "tasks": [
            {
                "doc_id": d,
                "id": x.id,
                "text": x.text,
                "lead_agency": x.lead_agency,
                "cooperating_agencies": list(x.cooperating_agencies),
                "deadline_text": x.deadline.text if x.deadline else None,
                "deadline_start": x.deadline.start if x.deadline else None,
                "deadline_end": x.deadline.end if x.deadline else None,
                "recurrence": x.deadline.recurrence if x.deadline else None,
                "output": x.output,
                **_span(x.span),
            }
            for x in doc.tasks
        ],
        "agencies": [
            {"doc_id": d, "name": a.name, "aliases": list(a.aliases), "roles": list(a.roles)} for a in doc.agencies
        ],
    }


def frame(root: Path | str, name: str) -> pd.DataFrame:
    """A dataset table as a DataFrame (for users and tests)."""
    import pandas as pd

    return pd.read_parquet(Path(root) / "tables" / f"{name}.parquet")
