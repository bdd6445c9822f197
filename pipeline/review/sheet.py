"""Review sheets for documents without gold, and turning a marked sheet into gold.

A sheet lists every extracted value of one document, one row per attribute, with the page text it came
from. The CSV (UTF-8 with BOM, for spreadsheets) is the editable artifact: a reviewer fills `correct`
with y/n and, where a value is wrong, writes the right one in `corrected_value`. The HTML sheet beside
it is read-only: the same rows with the source text highlighted, to read while marking the CSV.

Import rules (import_sheet):
- the first row of an item (its `main` attribute, e.g. a budget's amount_vnd, a task's text) decides
  whether the item is real: `n` without a correction drops the whole item; it must be marked;
- a metadata row must be marked; `n` without a correction makes the field null;
- other attribute rows: blank or `y` keeps the extracted value, `n` makes it null (an empty list);
- a non-empty `corrected_value` replaces the value whatever `correct` says;
- rows with a new item number (e.g. `new1`) add an item the extractor missed, from their corrected_value;
- agencies named in tasks are added to `agencies` (the contract's rule), so gold stays consistent.
Values kept as extracted are taken from the document, not from the CSV, so a spreadsheet's reformatting
of numbers and dates cannot corrupt gold.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from normalizers.numbers import find_money, parse_vn_number
from pipeline.dataset.atomic import atomic_write_bytes, atomic_write_text
from pipeline.model.errors import InputFileError, OutputError
from pipeline.review.page import page_html
from pipeline.review.score import METADATA_FIELDS
from pipeline.review.source import (
    DocRef,
    Snippet,
    find_document,
    list_documents,
    read_document,
    read_pages,
    search_snippet,
    span_snippet,
)

# Attributes of each field in GOLD-FORMAT order; the first one listed in MAIN_ATTRIBUTE decides the item.
GOLD_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "metadata": METADATA_FIELDS,
    "legal_basis": ("number", "date", "issuer"),
    "budgets": ("text", "amount_vnd", "year", "role", "source"),
    "targets": ("text", "indicator", "comparator", "value", "unit", "year", "baseline"),
    "tasks": (
        "id",
        "text",
        "lead_agency",
        "cooperating_agencies",
        "deadline_text",
        "deadline_start",
        "deadline_end",
        "recurrence",
        "output",
    ),
    "agencies": ("name",),
}
MAIN_ATTRIBUTE = {
    "legal_basis": "number",
    "budgets": "amount_vnd",
    "targets": "text",
    "tasks": "text",
    "agencies": "name",
}
LIST_FIELDS = tuple(MAIN_ATTRIBUTE)
COLUMNS = (
    "row",
    "doc_id",
    "source",
    "field",
    "item",
    "attribute",
    "value",
    "page",
    "snippet",
    "correct",
    "corrected_value",
)
YES = {"y", "yes", "đ", "đúng", "dung", "1", "true", "x", "✓", "ok"}
NO = {"n", "no", "s", "sai", "0", "false", "✗"}
ENUMS = {
    "comparator": {"=", ">", ">=", "<", "<="},
    "role": {"total", "component"},
    "recurrence": {"annual", "continuous"},
}
DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def sheet_attributes(field: str) -> tuple[str, ...]:
    """The sheet's row order for a field: the deciding attribute first."""
    attrs = GOLD_ATTRIBUTES[field]
    main = MAIN_ATTRIBUTE.get(field)
    return attrs if main is None else (main, *(a for a in attrs if a != main))


def gold_item(field: str, record: dict[str, Any] | str) -> dict[str, Any]:
    """An extracted record (contract shape) in GOLD-FORMAT's shape: flat deadline, no span."""
    if field == "agencies":
        return {"name": record.get("name") if isinstance(record, dict) else record}
    assert isinstance(record, dict)
    if field == "tasks" and "deadline_text" not in record:
        deadline = record.get("deadline") or {}
        record = {
            **record,
            "deadline_text": deadline.get("text"),
            "deadline_start": deadline.get("start"),
            "deadline_end": deadline.get("end"),
            "recurrence": deadline.get("recurrence"),
        }
    return {a: record.get(a) for a in GOLD_ATTRIBUTES[field]}


# -- writing sheets ----------------------------------------------------------------------------------


def display(value: Any, attribute: str = "") -> str:
    """A value as text for a sheet cell."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if attribute == "amount_vnd" and isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return str(value)


@dataclass
class SheetRow:
    field: str
    item: str
    attribute: str
    value: Any
    snippet: Snippet | None


def sheet_rows(doc: dict[str, Any], pages: dict[int, str] | None) -> list[SheetRow]:
    """Every extracted value of a document, each with the text it came from where that is known."""
    rows = [
        SheetRow(
            "metadata",
            "",
            name,
            (doc.get("metadata") or {}).get(name),
            search_snippet(pages, (doc.get("metadata") or {}).get(name)),
        )
        for name in METADATA_FIELDS
    ]
    for field in LIST_FIELDS:
        for n, record in enumerate(doc.get(field) or [], start=1):
            item = gold_item(field, record)
            span = record.get("span") if isinstance(record, dict) else None
            whole = span_snippet(pages, span) if span else search_snippet(pages, item.get("name"))
            for k, attribute in enumerate(sheet_attributes(field)):
                value = item[attribute]
                # The item's own text on its first row; on the others the attribute inside it, when it is there.
                snippet = whole if k == 0 else (search_snippet(pages, display(value), within=whole) if whole else None)
                rows.append(SheetRow(field, str(n), attribute, value, snippet))
    return rows


def _csv_bytes(ref: DocRef, rows: list[SheetRow]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for i, r in enumerate(rows, start=1):
        writer.writerow(
            [
                i,
                ref.doc_id,
                ref.label,
                r.field,
                r.item,
                r.attribute,
                display(r.value, r.attribute),
                r.snippet.page if r.snippet else "",
                r.snippet.plain() if r.snippet else "",
                "",
                "",
            ]
        )
    return buf.getvalue().encode("utf-8-sig")


def _sheet_html(ref: DocRef, rows: list[SheetRow], csv_name: str, has_text: bool) -> str:
    body = []
    for i, r in enumerate(rows, start=1):
        first = r.field == "metadata" or r.attribute == MAIN_ATTRIBUTE.get(r.field)
        snippet = f'<div class="snip">{r.snippet.html()}</div>' if r.snippet else ""
        value = html.escape(display(r.value, r.attribute)) or '<span class="null">—</span>'
        name = html.escape(f"{r.field} {r.attribute} {display(r.value)}".casefold(), quote=True)
        body.append(
            f'<tr class="{"first" if first else "attr"}" data-name="{name}"><td class="num">{i}</td>'
            f'<td>{r.field}</td><td class="num">{r.item}</td><td class="k">{r.attribute}</td>'
            f'<td class="{"main" if first else ""}">{value}{snippet}</td><td class="box"></td></tr>'
        )
    text_note = (
        "" if has_text else '<p class="warn">Snippets unavailable: no page text was published beside this document.</p>'
    )
    intro = (
        f'<div class="card"><h2>{html.escape(ref.label)}</h2><p class="sub">doc_id {ref.doc_id} · '
        f"{len(rows)} values. This page is read-only: mark the rows in <b>{html.escape(csv_name)}</b> "
        "(same row numbers). In <code>correct</code> write <b>y</b> or <b>n</b>; where a value is wrong, "
        "write the right one in <code>corrected_value</code>. The bold first row of an item decides it: "
        "<b>n</b> there drops the item. Other rows left blank keep their value. Add a missed item with "
        "rows numbered <code>new1</code>, <code>new2</code>… Then run <code>vnplan review --import-sheet "
        f"{html.escape(csv_name)}</code>.</p>{text_note}</div>"
    )
    table = (
        '<div class="card"><table class="sheet"><thead><tr><th>row</th><th>field</th><th>item</th>'
        "<th>attribute</th><th>extracted value and its source text</th><th>correct?</th></tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )
    filters = '<label>find <input type="search" id="find" placeholder="field, attribute or value"></label>'
    return page_html(f"Review sheet — {ref.label}", filters, intro + table)


def _has_marks(sheet_csv: Path) -> bool:
    if not sheet_csv.is_file():
        return False
    try:
        rows = read_sheet(sheet_csv)
    except InputFileError:
        return True  # not a sheet we wrote: leave it alone
    return any((r.get("correct") or "").strip() or (r.get("corrected_value") or "").strip() for r in rows)


def write_review_sheet(docs_dir: Path, out_dir: Path, doc_ids: Sequence[str] | None = None) -> list[Path]:
    """<stem>.sheet.csv and <stem>.sheet.html per document (all, or those in doc_ids); returns the paths.

    A sheet whose CSV already holds marks is kept as it is, so re-running the review loses no work.
    """
    refs = list_documents(docs_dir)
    if doc_ids is not None:
        wanted = set(doc_ids)
        refs = [r for r in refs if r.doc_id in wanted]
    written: list[Path] = []
    for ref in refs:
        csv_path, html_path = out_dir / f"{ref.stem}.sheet.csv", out_dir / f"{ref.stem}.sheet.html"
        if _has_marks(csv_path):  # a reviewer's work in progress is never overwritten by a re-run
            written += [csv_path, html_path]
            continue
        pages = read_pages(ref)
        rows = sheet_rows(read_document(ref), pages)
        atomic_write_bytes(csv_path, _csv_bytes(ref, rows))
        atomic_write_text(html_path, _sheet_html(ref, rows, csv_path.name, pages is not None))
        written += [csv_path, html_path]
    return written


def documents_without_gold(docs_dir: Path, gold_dir: Path) -> list[str]:
    """doc_ids of the documents no <stem>.gold.json applies to (the pairing pipeline.review.score uses)."""
    stems = [p.name[: -len(".gold.json")] for p in gold_dir.glob("*.gold.json")] if gold_dir.is_dir() else []
    return [r.doc_id for r in list_documents(docs_dir) if not any(r.label.startswith(s) for s in stems)]


# -- importing a marked sheet --------------------------------------------------------------------------


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _parse_amount(text: str) -> int | None:
    digits = text.replace(" ", "")
    if digits.isdigit():
        return int(digits)
    number = parse_vn_number(digits)
    if isinstance(number, int):
        return number
    money = find_money(text)  # "63.569,9 triệu đồng"
    return money[0][2] if len(money) == 1 else None


def _parse_number(text: str) -> int | float | None:
    number = parse_vn_number(text)
    if number is None:
        try:
            number = float(text)
        except ValueError:
            return None
    return int(number) if float(number).is_integer() else number


def _parse_year(text: str) -> int | None:
    return int(text) if re.fullmatch(r"\d{4}", text) else None


PARSERS: dict[str, Callable[[str], Any]] = {"amount_vnd": _parse_amount, "value": _parse_number, "year": _parse_year}


def parse_value(attribute: str, text: str) -> Any:
    """A reviewer's corrected value as gold wants it; raises ValueError with the reason when it cannot be."""
    text = _clean(text)
    if attribute == "cooperating_agencies":
        return [p for p in (_clean(x) for x in text.split(";")) if p]
    if attribute in PARSERS:
        value = PARSERS[attribute](text)
        if value is None:
            raise ValueError(f"{attribute} must be a number, got {text!r}")
        return value
    if attribute in ENUMS and text not in ENUMS[attribute]:
        raise ValueError(f"{attribute} must be one of {', '.join(sorted(ENUMS[attribute]))}, got {text!r}")
    if (attribute.endswith("_date") or attribute in ("date", "deadline_start", "deadline_end")) and not DATE.match(
        text
    ):
        raise ValueError(f"{attribute} must be a date YYYY-MM-DD or YYYY-MM, got {text!r}")
    return text


def _verdict(text: str) -> bool | None:
    word = _clean(text).casefold()
    if word in YES:
        return True
    if word in NO:
        return False
    if word:
        raise ValueError(f"correct must be y or n, got {text!r}")
    return None


def read_sheet(sheet_csv: Path) -> list[dict[str, str]]:
    """The rows of a sheet CSV, saved by us or by a spreadsheet (BOM or not, `,` or `;` between cells)."""
    try:
        text = sheet_csv.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(f"{sheet_csv}: not a readable UTF-8 CSV ({exc.__class__.__name__})") from None
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    rows = list(csv.DictReader(io.StringIO(text), delimiter=delimiter))
    needed = {"doc_id", "field", "item", "attribute", "correct", "corrected_value"}
    missing = needed - set(rows[0] if rows else ())
    if missing:
        raise InputFileError(f"{sheet_csv}: not a review sheet (no column {', '.join(sorted(missing))})")
    return rows


class _Gold:
    """Gold being built from a document and the reviewer's marks."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.metadata = {n: (doc.get("metadata") or {}).get(n) for n in METADATA_FIELDS}
        self.items: dict[str, dict[str, dict[str, Any]]] = {
            f: {str(n): gold_item(f, r) for n, r in enumerate(doc.get(f) or [], start=1)} for f in LIST_FIELDS
        }
        self.dropped: set[tuple[str, str]] = set()
        self.decided: set[tuple[str, str]] = set()  # (field, item) whose deciding row was marked

    def apply(
        self, field: str, item: str, attribute: str, verdict: bool | None, correction: Any, corrected: bool
    ) -> None:
        if field == "metadata":
            if verdict is None and not corrected:
                raise ValueError("metadata rows must be marked y or n")
            self.decided.add((field, attribute))
            if corrected or verdict is False:
                self.metadata[attribute] = correction if corrected else None
            return
        items = self.items[field]
        if item not in items:  # a new item the extractor missed
            items[item] = {a: [] if a == "cooperating_agencies" else None for a in GOLD_ATTRIBUTES[field]}
            self.decided.add((field, item))
        record = items[item]
        if attribute == MAIN_ATTRIBUTE[field]:
            if verdict is None and not corrected and (field, item) not in self.decided:
                raise ValueError(f"the first row of {field} item {item} decides it: mark it y or n")
            self.decided.add((field, item))
            if verdict is False and not corrected:
                self.dropped.add((field, item))
                return
        if corrected:
            record[attribute] = correction
        elif verdict is False:
            record[attribute] = [] if attribute == "cooperating_agencies" else None

    def to_gold(self, doc_name: str) -> dict[str, Any]:
        undecided = [f"{f} item {n}" for f in LIST_FIELDS for n in self.items[f] if (f, n) not in self.decided]
        undecided += [f"metadata {a}" for a in METADATA_FIELDS if ("metadata", a) not in self.decided]
        if undecided:
            raise ValueError(f"not reviewed: {', '.join(undecided[:5])}" + (" …" if len(undecided) > 5 else ""))
        lists = {f: [r for n, r in self.items[f].items() if (f, n) not in self.dropped] for f in LIST_FIELDS}
        for field in LIST_FIELDS:
            main = MAIN_ATTRIBUTE[field]
            for record in lists[field]:
                if record.get(main) in (None, ""):
                    raise ValueError(f"a {field} item has no {main}")
        agencies = [r["name"] for r in lists["agencies"]]
        for task in lists["tasks"]:  # every agency named in a task is an agency of the plan
            for name in [task.get("lead_agency"), *(task.get("cooperating_agencies") or [])]:
                if name and name.casefold() not in {a.casefold() for a in agencies}:
                    agencies.append(name)
        return {
            "doc": doc_name,
            "metadata": self.metadata,
            **{f: lists[f] for f in LIST_FIELDS if f != "agencies"},
            "agencies": agencies,
        }


def import_sheet(sheet_csv: Path, docs_dir: Path, gold_out: Path, *, overwrite: bool = False) -> Path:
    """Turn a marked review sheet into gold_out/<stem>.gold.json (GOLD-FORMAT); returns its path."""
    rows = read_sheet(sheet_csv)
    doc_ids = {r["doc_id"].strip() for r in rows if r.get("doc_id", "").strip()}
    if len(doc_ids) != 1:
        raise InputFileError(
            f"{sheet_csv}: a sheet must cover one document (found doc_ids: {', '.join(sorted(doc_ids)) or 'none'})"
        )
    ref = find_document(docs_dir, doc_ids.pop())
    gold = _Gold(read_document(ref))
    for line, row in enumerate(rows, start=2):
        field, attribute = row["field"].strip(), row["attribute"].strip()
        item = row["item"].strip()
        try:
            if field not in GOLD_ATTRIBUTES or attribute not in GOLD_ATTRIBUTES[field]:
                raise ValueError(f"unknown field/attribute {field}/{attribute}")
            raw_correction = (row.get("corrected_value") or "").strip()
            correction = parse_value(attribute, raw_correction) if raw_correction else None
            gold.apply(field, item, attribute, _verdict(row.get("correct") or ""), correction, bool(raw_correction))
        except ValueError as exc:
            raise InputFileError(f"{sheet_csv}, line {line}: {exc}") from None
    try:
        data = gold.to_gold(ref.label)
    except ValueError as exc:
        raise InputFileError(f"{sheet_csv}: {exc}") from None
    path = gold_out / f"{ref.stem}.gold.json"
    if path.exists() and not overwrite:
        raise OutputError(f"{path} exists; gold is not overwritten (remove it first, or pass overwrite)")
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return path
