"""Accuracy review against gold, scored exactly as docs/CONTRACT.md says.

- metadata: each of the 8 fields exact (null equals null);
- legal_basis: F1 over document numbers; budgets: F1 over amount_vnd;
- targets: F1 over (value, unit, year); agencies: F1 over canonical names;
- tasks: predicted and gold tasks paired by text similarity (token-set ratio ≥ 60, best pair first);
  a pair counts when lead_agency and the deadline window (start, end, recurrence) both agree.
Strings are compared after NFC and whitespace collapsing, case-insensitively.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from pipeline.dataset.atomic import atomic_write_text
from pipeline.model.contract import METADATA_FIELDS, RECORD_LISTS
from pipeline.model.errors import InputFileError

FIELDS = ("metadata", *RECORD_LISTS)
TASK_PAIR_THRESHOLD = 60


def norm(value: Any) -> Any:
    """NFC, whitespace collapsed, case-folded; other values unchanged."""
    if isinstance(value, str):
        return " ".join(unicodedata.normalize("NFC", value).split()).casefold()
    return value


def norm_code(value: Any) -> Any:
    """Document numbers: also drop spaces (`57- NQ/TW` is `57-NQ/TW`)."""
    return norm(value).replace(" ", "") if isinstance(value, str) else value


def norm_number(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return round(float(value), 6)
    return value


@dataclass
class FieldScore:
    score: float
    tp: int
    n_pred: int
    n_gold: int
    matched: list[Any]
    missing: list[Any]  # in gold, not predicted
    extra: list[Any]  # predicted, not in gold

    def to_json(self) -> dict[str, Any]:
        return {
            "score": round(self.score, 4),
            "tp": self.tp,
            "pred": self.n_pred,
            "gold": self.n_gold,
            "matched": self.matched,
            "missing": self.missing,
            "extra": self.extra,
        }


def f1(tp: int, n_pred: int, n_gold: int) -> float:
    if n_pred == 0 and n_gold == 0:
        return 1.0
    if tp == 0:
        return 0.0
    precision, recall = tp / n_pred, tp / n_gold
    return 2 * precision * recall / (precision + recall)


def multiset_score(pred: Iterable[Hashable], gold: Iterable[Hashable]) -> FieldScore:
    p, g = Counter(pred), Counter(gold)
    common = p & g
    tp = sum(common.values())
    return FieldScore(
        score=f1(tp, sum(p.values()), sum(g.values())),
        tp=tp,
        n_pred=sum(p.values()),
        n_gold=sum(g.values()),
        matched=list(common.elements()),
        missing=list((g - p).elements()),
        extra=list((p - g).elements()),
    )


def score_metadata(pred: dict[str, Any], gold: dict[str, Any]) -> FieldScore:
    matched: list[dict[str, Any]] = []
    missing: list[dict[str, Any]] = []
    for name in METADATA_FIELDS:
        (matched if norm(pred.get(name)) == norm(gold.get(name)) else missing).append(
            {"field": name, "gold": gold.get(name), "pred": pred.get(name)}
        )
    n = len(METADATA_FIELDS)
    return FieldScore(
        score=len(matched) / n, tp=len(matched), n_pred=n, n_gold=n, matched=matched, missing=missing, extra=[]
    )


def _deadline_window(task: dict[str, Any]) -> tuple[Any, Any, Any]:
    """(start, end, recurrence) of a task in either shape: gold's flat fields or the contract's Deadline."""
    if "deadline_start" in task or "deadline_end" in task or "recurrence" in task:
        return task.get("deadline_start"), task.get("deadline_end"), task.get("recurrence")
    deadline = task.get("deadline") or {}
    return deadline.get("start"), deadline.get("end"), deadline.get("recurrence")


def score_tasks(pred: list[dict[str, Any]], gold: list[dict[str, Any]]) -> FieldScore:
    candidates = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            ratio = fuzz.token_set_ratio(norm(p.get("text") or ""), norm(g.get("text") or ""))
            if ratio >= TASK_PAIR_THRESHOLD:
                candidates.append((ratio, i, j))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_p: set[int] = set()
    used_g: set[int] = set()
    matched: list[dict[str, Any]] = []
    wrong: list[dict[str, Any]] = []
    for ratio, i, j in candidates:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        p, g = pred[i], gold[j]
        lead_ok = norm(p.get("lead_agency")) == norm(g.get("lead_agency"))
        window_ok = _deadline_window(p) == _deadline_window(g)
        pair = {
            "gold_id": g.get("id"),
            "pred_id": p.get("id"),
            "similarity": round(ratio, 1),
            "lead_ok": lead_ok,
            "deadline_ok": window_ok,
            "gold_lead": g.get("lead_agency"),
            "pred_lead": p.get("lead_agency"),
            "gold_deadline": list(_deadline_window(g)),
            "pred_deadline": list(_deadline_window(p)),
        }
        (matched if lead_ok and window_ok else wrong).append(pair)
    tp = len(matched)
    missing = [{"gold_id": g.get("id"), "text": g.get("text")} for j, g in enumerate(gold) if j not in used_g]
    extra = [{"pred_id": p.get("id"), "text": p.get("text")} for i, p in enumerate(pred) if i not in used_p]
    return FieldScore(
        score=f1(tp, len(pred), len(gold)),
        tp=tp,
        n_pred=len(pred),
        n_gold=len(gold),
        matched=matched,
        missing=wrong + missing,
        extra=extra,
    )


def _target_key(target: dict[str, Any]) -> tuple[Any, Any, Any]:
    return norm_number(target.get("value")), norm(target.get("unit")), target.get("year")


def _agency_key(agency: Any) -> Any:
    return norm(agency.get("name") if isinstance(agency, dict) else agency)


# The key each list field is scored on (tasks are paired by text similarity instead).
SCORE_KEYS: dict[str, Callable[[Any], Hashable]] = {
    "legal_basis": lambda x: norm_code(x.get("number")),
    "budgets": lambda x: x.get("amount_vnd"),
    "targets": _target_key,
    "agencies": _agency_key,
}


def score_document(pred: dict[str, Any], gold: dict[str, Any]) -> dict[str, FieldScore]:
    """Scores of one predicted PlanDocument (as JSON) against one gold annotation."""
    return {
        "metadata": score_metadata(pred.get("metadata") or {}, gold.get("metadata") or {}),
        "legal_basis": _list_score("legal_basis", pred, gold),
        "budgets": _list_score("budgets", pred, gold),
        "targets": _list_score("targets", pred, gold),
        "tasks": score_tasks(pred.get("tasks", []), gold.get("tasks", [])),
        # agencies are a set: a name counts once however often it is listed
        "agencies": multiset_score(
            set(map(_agency_key, pred.get("agencies", []))), set(map(_agency_key, gold.get("agencies", [])))
        ),
    }


def _list_score(name: str, pred: dict[str, Any], gold: dict[str, Any]) -> FieldScore:
    key = SCORE_KEYS[name]
    return multiset_score(map(key, pred.get(name, [])), map(key, gold.get(name, [])))


def _docs_for(stem: str, docs: Path) -> list[tuple[str, Path]]:
    """(label, PlanDocument path) pairs for a gold stem: files named <stem>*, or a dataset's sources."""
    found = [
        (p.name, p) for p in sorted(docs.iterdir()) if p.is_file() and p.name.startswith(stem) and p.suffix == ".json"
    ]
    manifest = docs / "manifest.json"
    if manifest.exists():
        entries = json.loads(manifest.read_text("utf-8")).get("documents", [])
        for e in entries:
            name = Path(e["path"]).name
            if e.get("status") == "ok" and e.get("doc_id") and name.startswith(stem):
                found.append((name, docs / "documents" / f"{e['doc_id']}.json"))
    return found


def review_folder(gold_dir: Path, docs_dir: Path, out_dir: Path) -> dict[str, Any]:
    """Score every <stem>.gold.json against the matching documents; write out_dir/report.json."""
    gold_files = sorted(gold_dir.glob("*.gold.json"))
    if not gold_files:
        raise InputFileError(f"{gold_dir}: no *.gold.json files")
    rows = []
    for gold_file in gold_files:
        stem = gold_file.name[: -len(".gold.json")]
        gold = json.loads(gold_file.read_text("utf-8"))
        for label, doc_path in _docs_for(stem, docs_dir):
            if not doc_path.exists():
                continue
            pred = json.loads(doc_path.read_text("utf-8"))
            scores = score_document(pred, gold)
            rows.append(
                {
                    "gold": gold_file.name,
                    "doc": label,
                    "doc_id": pred.get("doc_id"),
                    "scores": {k: v.to_json() for k, v in scores.items()},
                }
            )
    summary = {f: round(sum(r["scores"][f]["score"] for r in rows) / len(rows), 4) if rows else None for f in FIELDS}
    report = {"fields": list(FIELDS), "documents": rows, "summary": summary}
    out_dir.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out_dir / "report.json", json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    return report


def render_table(report: dict[str, Any]) -> str:
    """A markdown table: one row per scored document, one column per field, and the mean."""
    head = "| document | " + " | ".join(FIELDS) + " |"
    lines = [head, "|" + "---|" * (len(FIELDS) + 1)]
    for row in report["documents"]:
        cells = [f"{row['scores'][f]['score']:.2f}" for f in FIELDS]
        lines.append(f"| {row['doc']} | " + " | ".join(cells) + " |")
    if report["documents"]:
        lines.append("| **mean** | " + " | ".join(f"**{report['summary'][f]:.2f}**" for f in FIELDS) + " |")
    else:
        lines.append("(no document matched a gold file)")
    return "\n".join(lines)
