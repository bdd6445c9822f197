"""The report's data: the dataset's tables reduced, in pandas, to what the page's charts and lists need.

Everything the page filters on (province, year of issue, issuer, document) is a property of a document,
so every figure is kept per document: counts grouped by (document, bucket), never one row per record,
and lists (tasks due soon, recurring duties, targets) carry short text and a link, not the source
sentences (those are in the per-document pages, see pipeline.report.sources). Strings go through one
vocabulary, so each distinct name is in the page once and rows hold small integers.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.dataset.writer import TABLE_SCHEMAS
from pipeline.model.errors import InputFileError
from pipeline.report.sources import COMPARATOR_WORDS, ORIGIN_LABELS

REPORT_TABLES = ("documents", "budgets", "targets", "tasks")
DUE_WINDOW_DAYS = 90
LIST_TEXT_CHARS = 160  # a listed task's or target's text is cut here; the document page has it whole
MAX_LISTED = 3000  # rows of one list (due tasks, recurring duties) carried by the page

UNIT_FAMILIES = ("Tỷ lệ (%)", "Số lượng", "Tiền (đồng)", "Không rõ đơn vị")
COMPARATORS = ("=", ">", ">=", "<", "<=")
ORIGINS = ("native", "ocr", "plain", "mixed")
_MONEY_UNIT = re.compile(r"\b(đồng|tỷ|triệu|nghìn|ngàn)\b|vnđ|vnd", re.IGNORECASE)
_NOT_KEY = re.compile(r"[^\w%]+")
# An indicator as extracted may still hold its value ("… đạt 30% vào năm 2030"), a leading count
# ("02 doanh nghiệp …") or a horizon ("đến năm 2030, …"): the key is the noun phrase without them.
_LEADING_HORIZON = re.compile(
    r"^(?:(?:phấn đấu|đến|trong|tới|vào)\s+)*(?:năm|giai đoạn)\s+[\d\s–-]+,?\s*", re.IGNORECASE
)
_LEADING_COUNT = re.compile(r"^\W*\d[\d.,]*\s*")
_VALUE_CLAUSE = re.compile(
    r"\s(?:(?:đạt|tăng|giảm|lên|còn|là)\s+)?"
    r"(?:(?:từ|trên|dưới|ít nhất|tối thiểu|tối đa|khoảng|hơn|không quá)\s+)?\d",
    re.IGNORECASE,
)


class Vocabulary:
    """Distinct strings of the page, each stored once; rows refer to them by index (-1: none)."""

    def __init__(self) -> None:
        self.words: list[str] = []
        self._index: dict[str, int] = {}

    def code(self, value: Any) -> int:
        if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
            return -1
        text = str(value)
        found = self._index.get(text)
        if found is None:
            found = self._index[text] = len(self.words)
            self.words.append(text)
        return found

    def codes(self, values: pd.Series) -> list[int]:
        uniques = values.dropna().unique()
        mapping = {v: self.code(v) for v in uniques}
        return [
            mapping.get(v, -1) if v is not None and not (isinstance(v, float) and pd.isna(v)) else -1
            for v in values.tolist()
        ]


def read_tables(root: Path) -> dict[str, pa.Table]:
    """The tables the report draws from; a folder that was never ingested is a clear error."""
    folder = root / "tables"
    if not (folder / "documents.parquet").is_file():
        raise InputFileError(
            f"{root}: not a vnplan dataset folder (no tables/documents.parquet; "
            f"run `vnplan ingest … --out {root}` first)"
        )
    tables = {}
    for name in REPORT_TABLES:
        path = folder / f"{name}.parquet"
        try:
            tables[name] = pq.read_table(path) if path.is_file() else TABLE_SCHEMAS[name].empty_table()
        except (OSError, pa.ArrowException) as exc:
            raise InputFileError(f"{path}: not a readable Parquet table ({exc.__class__.__name__})") from None
    return tables


def _conformed(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """The writer's columns only (the API adds its own), nulls for any an older writer did not have."""
    return pa.table(
        {
            field.name: table[field.name].cast(field.type)
            if field.name in table.column_names
            else pa.nulls(table.num_rows, field.type)
            for field in schema
        }
    )


def unit_family(unit: Any) -> int:
    """0 percent, 1 counts (any other unit), 2 money, 3 no unit — by the unit's own words."""
    if not isinstance(unit, str) or not unit.strip():
        return 3
    if "%" in unit:
        return 0
    if _MONEY_UNIT.search(unit):
        return 2
    return 1


def indicator_name(text: Any) -> str:
    """What an extracted indicator measures: its noun phrase, without value, leading count or horizon."""
    if not isinstance(text, str):
        return ""
    name = " ".join(unicodedata.normalize("NFC", text).split())
    name = _LEADING_COUNT.sub("", _LEADING_HORIZON.sub("", name))
    value = _VALUE_CLAUSE.search(name)
    if value:
        name = name[: value.start()]
    name = name.strip(" ,;:.-")
    return name[:1].upper() + name[1:]


def indicator_key(text: Any) -> str:
    """Two plans' indicators are the same when their names read the same up to case and punctuation."""
    return " ".join(_NOT_KEY.sub(" ", indicator_name(text).casefold()).split())


def _short(text: Any, limit: int = LIST_TEXT_CHARS) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _year(value: Any) -> int:
    """Year of an ISO date (YYYY, YYYY-MM or YYYY-MM-DD); 0 when unknown."""
    if isinstance(value, str) and len(value) >= 4 and value[:4].isdigit():
        return int(value[:4])
    return 0


def _month(value: Any) -> int:
    """Months since year 0 of an ISO date (a deadline's month on the timeline); -1 when unknown."""
    if isinstance(value, str) and re.match(r"\d{4}-\d{2}", value):
        return int(value[:4]) * 12 + int(value[5:7]) - 1
    return -1


def _int_list(series: pd.Series) -> list[int]:
    return [int(v) for v in series.fillna(0).tolist()]


def build_report_data(tables: dict[str, pa.Table], as_of: date) -> dict[str, Any]:
    """The page's data: documents, per-document aggregates, short lists; JSON-ready."""
    vocab = Vocabulary()
    tables = {name: _conformed(tables[name], TABLE_SCHEMAS[name]) for name in REPORT_TABLES}
    docs = tables["documents"].to_pandas()
    doc_index = pd.Index(docs["doc_id"])

    def frame(name: str) -> pd.DataFrame:
        """A record table with each row's document number (rows of unknown documents dropped)."""
        data = tables[name].to_pandas()
        data["doc"] = doc_index.get_indexer(data["doc_id"])
        data = data[data["doc"] >= 0].copy()
        data["k"] = data.groupby("doc", sort=False).cumcount() + 1  # its anchor in the document's page
        return data

    documents = _documents(docs, vocab)
    targets = frame("targets")
    tasks = frame("tasks")
    tasks["lead"] = vocab.codes(tasks["lead_agency"].fillna("(chưa rõ cơ quan chủ trì)"))
    return {
        "as_of": as_of.isoformat(),
        "due_to": (as_of + timedelta(days=DUE_WINDOW_DAYS)).isoformat(),
        "families": list(UNIT_FAMILIES),
        "comparator_words": [COMPARATOR_WORDS[c] for c in COMPARATORS],
        "origins": [ORIGIN_LABELS[o] for o in ORIGINS],
        "documents": documents,
        "targets": _target_rows(targets, vocab),
        "compare": _matched_indicators(targets, docs, documents["year"], vocab),
        **_deadlines(tasks, as_of, vocab),
        "agencies": _agency_counts(tasks, vocab),
        "budgets": _budget_rows(frame("budgets"), vocab),
        "words": vocab.words,
    }


def _documents(docs: pd.DataFrame, vocab: Vocabulary) -> dict[str, list[Any]]:
    """What the filters and lists need of each document."""
    return {
        "id": docs["doc_id"].tolist(),
        "label": [
            number if isinstance(number, str) and number else Path(str(path)).name
            for number, path in zip(docs["doc_number"], docs["path"], strict=True)
        ],
        "file": [Path(str(p)).name for p in docs["path"]],
        "title": [_short(t, 200) for t in docs["title"]],
        "province": vocab.codes(docs["province"]),
        "issuer": vocab.codes(docs["issuer"]),
        "year": [_year(d) for d in docs["issued_date"]],
        "origin": [ORIGINS.index(o) if o in ORIGINS else 0 for o in docs["text_origin"]],
        "restored": [int(bool(r)) for r in docs["diacritics_restored"]],
        "warnings": _int_list(docs["n_warnings"]),
        "tasks": _int_list(docs["n_tasks"]),
    }


def _target_rows(targets: pd.DataFrame, vocab: Vocabulary) -> dict[str, list[Any]]:
    """One short row per target: the charts count them, the list shows them."""
    return {
        "doc": targets["doc"].tolist(),
        "k": targets["k"].tolist(),
        "year": _int_list(targets["year"]),
        "family": [unit_family(u) for u in targets["unit"]],
        "indicator": vocab.codes(targets["indicator"].map(lambda t: _short(t, 120), na_action="ignore")),
        "unit": vocab.codes(targets["unit"]),
        "value": [float(v) if pd.notna(v) else None for v in targets["value"]],
        "cmp": [COMPARATORS.index(c) if c in COMPARATORS else 0 for c in targets["comparator"]],
    }


def _deadlines(tasks: pd.DataFrame, as_of: date, vocab: Vocabulary) -> dict[str, Any]:
    """The timeline (one-off tasks per document, month and lead), the tasks due after `as_of`, recurring duties."""
    one_off = tasks[tasks["recurrence"].isna()].copy()
    one_off["month"] = [
        _month(end) if _month(end) >= 0 else _month(start)
        for end, start in zip(one_off["deadline_end"], one_off["deadline_start"], strict=True)
    ]
    one_off = one_off[one_off["month"] >= 0]
    timeline = one_off.groupby(["doc", "month", "lead"], sort=True).size().reset_index(name="n")

    due_from, due_to = as_of.isoformat(), (as_of + timedelta(days=DUE_WINDOW_DAYS)).isoformat()
    ends = tasks["deadline_end"].fillna("")
    # A month-only end (YYYY-MM) is due through that month's last day: compare on the month's end.
    ends = ends.where(ends.str.len() != 7, ends + "-31")
    due = tasks[(ends >= due_from) & (ends <= due_to) & (ends != "")].assign(end=ends)
    due = due.sort_values(["end", "doc", "k"], kind="stable")
    recurring = tasks[tasks["recurrence"].notna()]
    counts = recurring.groupby(["doc", "lead", "recurrence"], sort=True).size().reset_index(name="n")

    def listed(rows: pd.DataFrame, extra: dict[str, list[Any]]) -> dict[str, Any]:
        kept = rows.head(MAX_LISTED)
        return {
            "total": len(rows),
            "doc": kept["doc"].tolist(),
            "k": kept["k"].tolist(),
            "lead": kept["lead"].tolist(),
            "text": [_short(t) for t in kept["text"]],
            "when": vocab.codes(kept["deadline_text"]),
            **{name: values[:MAX_LISTED] for name, values in extra.items()},
        }

    return {
        "timeline": {c: timeline[c].tolist() for c in ("doc", "month", "lead", "n")},
        "due": listed(due, {"end": due["end"].tolist()}),
        "recurring": listed(recurring, {"rec": [int(r == "annual") for r in recurring["recurrence"]]}),
        "recurring_counts": {
            "doc": counts["doc"].tolist(),
            "lead": counts["lead"].tolist(),
            "annual": [int(r == "annual") for r in counts["recurrence"]],
            "n": counts["n"].tolist(),
        },
    }


def _agency_counts(tasks: pd.DataFrame, vocab: Vocabulary) -> dict[str, list[int]]:
    """Tasks per document, agency and role (0 leads, 1 cooperates)."""
    roles = pd.concat(
        [
            tasks[["doc", "lead_agency"]].dropna().rename(columns={"lead_agency": "agency"}).assign(role=0),
            tasks[["doc", "cooperating_agencies"]]
            .explode("cooperating_agencies")
            .dropna()
            .rename(columns={"cooperating_agencies": "agency"})
            .assign(role=1),
        ]
    )
    roles["agency"] = vocab.codes(roles["agency"])
    counts = roles.groupby(["doc", "agency", "role"], sort=True).size().reset_index(name="n")
    return {c: counts[c].tolist() for c in ("doc", "agency", "role", "n")}


def _budget_rows(budgets: pd.DataFrame, vocab: Vocabulary) -> dict[str, list[int]]:
    return {
        "doc": budgets["doc"].tolist(),
        "total": [int(r == "total") for r in budgets["role"]],
        "source": vocab.codes(budgets["source"]),
        "amount": _int_list(budgets["amount_vnd"]),
    }


def _matched_indicators(
    targets: pd.DataFrame, docs: pd.DataFrame, doc_years: list[int], vocab: Vocabulary
) -> list[dict[str, Any]]:
    """The same indicator (and unit) in a province's plans of different years: its name and target rows."""
    if targets.empty:
        return []
    names = [indicator_name(t) for t in targets["indicator"]]
    frame = pd.DataFrame(
        {
            "row": range(len(targets)),
            "province": docs["province"].to_numpy()[targets["doc"].to_numpy()],
            "plan_year": [doc_years[d] for d in targets["doc"]],
            "key": [" ".join(_NOT_KEY.sub(" ", n.casefold()).split()) for n in names],
            "unit": targets["unit"].fillna("").to_numpy(),
        }
    )
    frame = frame[(frame["key"] != "") & (frame["plan_year"] > 0) & frame["province"].notna()]
    groups = frame.groupby(["province", "key", "unit"], sort=True)
    years = groups["plan_year"].nunique()
    series = []
    for group in years[years >= 2].index:
        rows = groups.get_group(group).sort_values(["plan_year", "row"])["row"].tolist()
        series.append({"name": vocab.code(_short(names[rows[-1]], 120)), "rows": rows})
    return series
