"""Table rows (the writer's flat columns) back into the contract's shapes.

Plain dicts: the endpoint's response_model validates them once, on the way out.
"""

from __future__ import annotations

from typing import Any

from pipeline.model.contract import METADATA_FIELDS, RECORD_LISTS

Row = dict[str, Any]


def _span(row: Row) -> dict[str, Any]:
    return {"page": row["span_page"], "start": row["span_start"], "end": row["span_end"]}


def _number(value: float | None) -> float | int | None:
    """30.0 → 30: the table stores every value as a double, the document as written."""
    if value is not None and float(value).is_integer():
        return int(value)
    return value


def document_summary(row: Row) -> Row:
    return {
        "doc_id": row["doc_id"],
        "source": {
            "path": row["path"],
            "sha256": row["sha256"],
            "media_type": row["media_type"],
            "pages": row["pages"],
            "text_origin": row["text_origin"],
            "diacritics_restored": row["diacritics_restored"],
        },
        "pipeline": {"version": row["pipeline_version"], "processed_at": row["processed_at"]},
        "metadata": {k: row[k] for k in METADATA_FIELDS},
        "counts": {k: row[f"n_{k}"] for k in (*RECORD_LISTS, "warnings")},
    }


def target_record(row: Row) -> Row:
    return {
        "doc_id": row["doc_id"],
        "text": row["text"],
        "indicator": row["indicator"],
        "comparator": row["comparator"],
        "value": _number(row["value"]),
        "unit": row["unit"],
        "year": row["year"],
        "baseline": row["baseline"],
        "span": _span(row),
    }


def budget_record(row: Row) -> Row:
    return {
        "doc_id": row["doc_id"],
        "text": row["text"],
        "amount_vnd": row["amount_vnd"],
        "year": row["year"],
        "role": row["role"],
        "source": row["source"],
        "span": _span(row),
    }


def task_record(row: Row) -> Row:
    has_deadline = any(row[k] is not None for k in ("deadline_text", "deadline_start", "deadline_end", "recurrence"))
    deadline = (
        {
            "text": row["deadline_text"] or "",
            "start": row["deadline_start"],
            "end": row["deadline_end"],
            "recurrence": row["recurrence"],
        }
        if has_deadline
        else None
    )
    return {
        "doc_id": row["doc_id"],
        "id": row["id"],
        "text": row["text"],
        "lead_agency": row["lead_agency"],
        "cooperating_agencies": row["cooperating_agencies"] or [],
        "deadline": deadline,
        "output": row["output"],
        "span": _span(row),
    }


def agency_record(row: Row) -> Row:
    return {
        "doc_id": row["doc_id"],
        "name": row["name"],
        "aliases": row["aliases"] or [],
        "roles": row["roles"] or [],
    }
