"""What changed between two versions of a document's record, field by field."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pipeline.model.contract import PlanDocument

# The identity of an item within its list: an item whose key survives but whose other fields differ
# is "changed"; otherwise it is "removed" from the old record or "added" to the new one.
ITEM_KEYS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "legal_basis": lambda x: x["number"],
    "budgets": lambda x: (x["amount_vnd"], x.get("year")),
    "targets": lambda x: (x.get("indicator") or x["text"], x.get("year")),
    "tasks": lambda x: (x.get("id"), x["text"][:80]),
    "agencies": lambda x: x["name"],
}


def _without_span(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k != "span"}  # moved text is not a changed value


def _diff_list(
    old: list[dict[str, Any]], new: list[dict[str, Any]], key: Callable[[dict[str, Any]], Any]
) -> dict[str, list[Any]]:
    old_by = {json.dumps(key(x), ensure_ascii=False): _without_span(x) for x in old}
    new_by = {json.dumps(key(x), ensure_ascii=False): _without_span(x) for x in new}
    result: dict[str, list[Any]] = {
        "added": [new_by[k] for k in new_by if k not in old_by],
        "removed": [old_by[k] for k in old_by if k not in new_by],
        "changed": [{"old": old_by[k], "new": new_by[k]} for k in new_by if k in old_by and old_by[k] != new_by[k]],
    }
    return {k: v for k, v in result.items() if v}


def diff_documents(old: PlanDocument, new: PlanDocument) -> dict[str, Any]:
    """{field: {...}} for every field whose content differs; {} when the records say the same."""
    a, b = old.model_dump(mode="json"), new.model_dump(mode="json")
    fields: dict[str, Any] = {}
    meta = {
        k: {"old": a["metadata"][k], "new": b["metadata"][k]}
        for k in b["metadata"]
        if a["metadata"].get(k) != b["metadata"][k]
    }
    if meta:
        fields["metadata"] = meta
    for name, key in ITEM_KEYS.items():
        diff = _diff_list(a[name], b[name], key)
        if diff:
            fields[name] = diff
    return fields
