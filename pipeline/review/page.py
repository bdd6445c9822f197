"""The review page: `review/index.html`, one self-contained file a person opens to see how good extraction is.

On top, the scores per document and field (from report.json); below, per document and field, gold and
extracted values side by side, mismatches marked, each extracted value with the page text around its span
and the value highlighted. No server, no network: inline CSS, a few lines of inline JS for filtering, and
a Content-Security-Policy that forbids loading anything.
"""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.dataset.atomic import atomic_write_text
from pipeline.review.score import METADATA_FIELDS, SCORE_KEYS, norm, score_tasks
from pipeline.review.source import (
    DocRef,
    Snippet,
    list_documents,
    read_document,
    read_json,
    read_pages,
    search_snippet,
    span_snippet,
)

Pages = dict[int, str] | None

# The key each list field is scored on, to pair items for display.
ITEM_KEYS = SCORE_KEYS

FIELD_TITLES = {
    "metadata": "Metadata",
    "legal_basis": "Legal basis",
    "budgets": "Budgets",
    "targets": "Targets",
    "tasks": "Tasks",
    "agencies": "Agencies",
}
STATUS_LABELS = {"ok": "✓ match", "wrong": "✗ differs", "missing": "✗ missed", "extra": "✗ extra"}


@dataclass
class Row:
    """One line of a field's side-by-side table."""

    status: str  # ok | wrong | missing | extra
    gold: Any
    pred: Any
    diff: frozenset[str] = frozenset()  # attributes that differ in a paired-but-wrong row


# -- pairing gold and extracted items, the way the scores count them -----------------------------------


def pair_by_key(field: str, gold: list[Any], pred: list[Any]) -> list[Row]:
    """Matched items side by side, then gold items nobody extracted, then extracted items not in gold."""
    key = ITEM_KEYS[field]
    if field == "agencies":  # scored as sets: a repeated name counts once
        gold = list({key(x): x for x in gold}.values())
        pred = list({key(x): x for x in pred}.values())
    unused = list(range(len(pred)))
    rows, missing = [], []
    for g in gold:
        hit = next((i for i in unused if key(pred[i]) == key(g)), None)
        if hit is None:
            missing.append(Row("missing", g, None))
        else:
            unused.remove(hit)
            rows.append(Row("ok", g, pred[hit]))
    return rows + missing + [Row("extra", None, pred[i]) for i in unused]


def pair_tasks(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> list[Row]:
    """score_tasks run on index-tagged copies, so its pairs name the items they pair."""
    score = score_tasks(
        [{**p, "id": str(i)} for i, p in enumerate(pred)], [{**g, "id": str(j)} for j, g in enumerate(gold)]
    )
    rows = []
    for pair in score.matched + score.missing:
        if "pred_id" not in pair:
            rows.append(Row("missing", gold[int(pair["gold_id"])], None))
            continue
        diff = frozenset(name for name, ok in (("lead", pair["lead_ok"]), ("deadline", pair["deadline_ok"])) if not ok)
        rows.append(Row("wrong" if diff else "ok", gold[int(pair["gold_id"])], pred[int(pair["pred_id"])], diff))
    rows += [Row("extra", None, pred[int(x["pred_id"])]) for x in score.extra]
    order = {"ok": 0, "wrong": 1, "missing": 2, "extra": 3}
    return sorted(rows, key=lambda r: order[r.status])


# -- formatting values --------------------------------------------------------------------------------


def fmt(value: Any) -> str:
    """A value as a person reads it (escaped)."""
    if value is None or value == [] or value == "":
        return '<span class="null">—</span>'
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, list):
        return html.escape("; ".join(str(v) for v in value))
    return html.escape(str(value))


def fmt_amount(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return html.escape(f"{value:,}".replace(",", ".") + " đ")
    return fmt(value)


def snippet_html(snippet: Snippet | None, pages: Pages, *, has_span: bool) -> str:
    if snippet is not None:
        how = "" if snippet.located == "span" else ' <span class="how">(found by search: no span)</span>'
        return f'<div class="snip">{snippet.html()}{how}</div>'
    if pages is None:
        return ""  # said once per document, not on every value
    if has_span:
        return '<div class="snip warn">span does not point into the page text</div>'
    return ""


def _window(task: dict[str, Any]) -> tuple[Any, Any, Any]:
    if "deadline_start" in task or "deadline_end" in task or "recurrence" in task:
        return task.get("deadline_start"), task.get("deadline_end"), task.get("recurrence")
    d = task.get("deadline") or {}
    return d.get("start"), d.get("end"), d.get("recurrence")


def _deadline_text(task: dict[str, Any]) -> Any:
    return task.get("deadline_text") if "deadline_text" in task else (task.get("deadline") or {}).get("text")


def _kv(name: str, value: str, cls: str = "") -> str:
    return f'<div class="kv {cls}"><span class="k">{name}</span> {value}</div>'


def item_html(field: str, item: dict[str, Any] | str, diff: frozenset[str] = frozenset()) -> str:
    """The attributes of one item of a field that matter for its score first, the rest after."""
    if isinstance(item, str):
        return f'<div class="main">{fmt(item)}</div>'
    if field == "legal_basis":
        return (
            f'<div class="main">{fmt(item.get("number"))}</div>'
            + _kv("date", fmt(item.get("date")))
            + _kv("issuer", fmt(item.get("issuer")))
        )
    if field == "budgets":
        return (
            f'<div class="main">{fmt_amount(item.get("amount_vnd"))}</div>'
            + _kv("as written", fmt(item.get("text")))
            + _kv("year", fmt(item.get("year")))
            + _kv("role", fmt(item.get("role")))
            + _kv("source", fmt(item.get("source")))
        )
    if field == "targets":
        goal = f"{fmt(item.get('comparator'))} {fmt(item.get('value'))} {fmt(item.get('unit'))}"
        return (
            f'<div class="main">{goal} <span class="k">by</span> {fmt(item.get("year"))}</div>'
            + _kv("indicator", fmt(item.get("indicator")))
            + _kv("baseline", fmt(item.get("baseline")))
        )
    if field == "agencies":
        return f'<div class="main">{fmt(item.get("name"))}</div>' + _kv("roles", fmt(item.get("roles")))
    return (
        f'<div class="task"><span class="k">#{fmt(item.get("id"))}</span> {_short(item.get("text"))}</div>'
        + _kv("lead", fmt(item.get("lead_agency")), "diff" if "lead" in diff else "")
        + _kv("deadline", _deadline_html(item), "diff" if "deadline" in diff else "")
        + _kv("with", fmt(item.get("cooperating_agencies")))
    )


def _short(text: Any, limit: int = 240) -> str:
    """A long task text cut for the table (whole in the tooltip; the snippet shows the source)."""
    if not isinstance(text, str) or len(text) <= limit:
        return fmt(text)
    return f'<span title="{html.escape(text, quote=True)}">{html.escape(text[:limit].rstrip())}…</span>'


def _deadline_html(task: dict[str, Any]) -> str:
    """As printed, then the window it denotes: what scoring compares."""
    start, end, recurrence = _window(task)
    text = _deadline_text(task)
    if text is None and start is None and end is None and recurrence is None:
        return fmt(None)
    window = f"{fmt(start)} → {fmt(end)}" if start or end else ""
    parts = [p for p in (fmt(text) if text else "", window, fmt(recurrence) if recurrence else "") if p]
    return " · ".join(parts)


def _search_value(field: str, item: dict[str, Any] | str) -> Any:
    """What to look for in the text to show where a value without a span comes from."""
    if isinstance(item, str):
        return item
    if field == "legal_basis":
        return item.get("number")
    if field == "agencies":
        return item.get("name")
    return item.get("text")


# -- the page -----------------------------------------------------------------------------------------


def _score_class(score: float | None) -> str:
    if score is None:
        return "s-none"
    return "s-hi" if score >= 0.9 else "s-mid" if score >= 0.6 else "s-lo"


def _score_cell(score: float | None, title: str = "") -> str:
    text = "—" if score is None else f"{score:.2f}"
    tip = f' title="{html.escape(title)}"' if title else ""
    return f'<td class="num {_score_class(score)}"{tip}>{text}</td>'


def summary_html(report: dict[str, Any]) -> str:
    fields = report["fields"]
    head = "".join(f"<th>{FIELD_TITLES.get(f, f)}</th>" for f in fields)
    body = []
    for i, row in enumerate(report["documents"]):
        scores = [row["scores"][f] for f in fields]
        cells = "".join(
            _score_cell(s["score"], f"{s['tp']} right of {s['pred']} extracted, {s['gold']} in gold") for s in scores
        )
        mean = sum(s["score"] for s in scores) / len(scores)
        body.append(
            f'<tr><td><a href="#doc-{i}">{html.escape(row["doc"])}</a>'
            f'<div class="sub">{html.escape(row["gold"])}</div></td>{cells}{_score_cell(mean)}</tr>'
        )
    summary = report.get("summary") or {}
    means = [summary.get(f) for f in fields]
    known = [m for m in means if m is not None]
    overall = sum(known) / len(known) if known else None
    foot = (
        '<tr class="mean"><td>mean of documents</td>'
        + "".join(_score_cell(m) for m in means)
        + _score_cell(overall)
        + "</tr>"
    )
    return (
        f'<table class="summary" id="summary"><thead><tr><th>document / gold</th>{head}<th>all fields</th>'
        f"</tr></thead><tbody>{''.join(body)}</tbody><tfoot>{foot}</tfoot></table>"
    )


def _metadata_table(gold: dict[str, Any], pred: dict[str, Any], pages: Pages) -> str:
    rows = []
    for name in METADATA_FIELDS:
        g, p = gold.get(name), pred.get(name)
        status = "ok" if norm(g) == norm(p) else "wrong"
        found = search_snippet(pages, p)
        rows.append(
            f'<tr class="{status}"><td class="st">{STATUS_LABELS[status]}</td><td class="k">{name}</td>'
            f"<td>{fmt(g)}</td><td>{fmt(p)}{snippet_html(found, pages, has_span=False)}</td></tr>"
        )
    return (
        '<table class="side"><thead><tr><th></th><th>field</th><th>gold</th><th>extracted</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _list_table(field: str, gold: list[Any], pred: list[Any], pages: Pages) -> str:
    rows = pair_tasks(gold, pred) if field == "tasks" else pair_by_key(field, gold, pred)
    if not rows:
        return '<p class="empty">nothing in gold, nothing extracted</p>'
    out = []
    for row in rows:
        gold_cell = pred_cell = '<span class="null">—</span>'
        if row.gold is not None:
            # Gold has no spans: show where its value appears in the text, which helps explain a miss.
            found = search_snippet(pages, _search_value(field, row.gold)) if row.status == "missing" else None
            gold_cell = item_html(field, row.gold, row.diff) + snippet_html(found, pages, has_span=False)
        if row.pred is not None:
            span = row.pred.get("span") if isinstance(row.pred, dict) else None
            snip = span_snippet(pages, span) if span else search_snippet(pages, _search_value(field, row.pred))
            pred_cell = item_html(field, row.pred, row.diff) + snippet_html(snip, pages, has_span=bool(span))
        css = "ok" if row.status == "ok" else f"bad {row.status}"
        out.append(
            f'<tr class="{css}"><td class="st">{STATUS_LABELS[row.status]}</td>'
            f'<td class="gold">{gold_cell}</td><td class="pred">{pred_cell}</td></tr>'
        )
    return (
        '<table class="side"><thead><tr><th></th><th>gold</th><th>extracted (with its source text)</th></tr>'
        f"</thead><tbody>{''.join(out)}</tbody></table>"
    )


def document_html(
    index: int, row: dict[str, Any], gold: dict[str, Any], pred: dict[str, Any], ref: DocRef | None, pages: Pages
) -> str:
    if pages is not None and ref is not None and ref.text_path is not None:
        text_note = f"snippets from {html.escape(ref.text_path.name)} (normalized page text)"
    else:
        text_note = (
            '<span class="warn">snippets unavailable: no page text published beside this document '
            f"(looked for text/{html.escape(str(row.get('doc_id')))}.json)</span>"
        )
    perfect = " perfect" if all(s["score"] == 1.0 for s in row["scores"].values()) else ""
    parts = [
        f'<section class="doc{perfect}" id="doc-{index}" data-name="{html.escape(row["doc"].casefold())}">',
        f"<h2>{html.escape(row['doc'])}</h2>",
        f'<p class="sub">gold {html.escape(row["gold"])} · doc_id {html.escape(str(row.get("doc_id")))} · '
        f'{text_note} · <a href="#summary">back to summary</a></p>',
    ]
    for field, score in row["scores"].items():
        title = (
            f'{FIELD_TITLES.get(field, field)} <span class="badge {_score_class(score["score"])}">'
            f'{score["score"]:.2f}</span> <span class="sub">{score["tp"]} right · {score["pred"]} extracted · '
            f"{score['gold']} in gold</span>"
        )
        if field == "metadata":
            body = _metadata_table(gold.get("metadata") or {}, pred.get("metadata") or {}, pages)
        else:
            body = _list_table(field, gold.get(field) or [], pred.get(field) or [], pages)
        perfect = " perfect" if score["score"] == 1.0 else ""
        parts.append(f'<details open class="field{perfect}"><summary>{title}</summary>{body}</details>')
    parts.append("</section>")
    return "\n".join(parts)


CSS = """
:root { --ok:#e7f5ea; --okb:#2e7d32; --bad:#fdecea; --badb:#c62828; --mark:#ffe066; --ink:#1d2430; }
* { box-sizing: border-box; }
body { font: 14px/1.45 "DejaVu Sans", "Noto Sans", "Segoe UI", Arial, sans-serif; color: var(--ink);
       margin: 0; background: #f4f6f9; }
header { background: #1f3a5f; color: #fff; padding: 14px 28px; position: sticky; top: 0; z-index: 2;
         display: flex; gap: 24px; align-items: center; flex-wrap: wrap; }
header h1 { font-size: 19px; margin: 0; font-weight: 600; }
header label { font-size: 13px; } header input[type=search] { padding: 3px 8px; width: 220px; }
main { padding: 18px 28px; max-width: 1500px; }
h2 { font-size: 17px; margin: 0 0 2px; } .sub { color: #5b6573; font-size: 12px; }
.card, section.doc { background: #fff; border-radius: 8px; box-shadow: 0 1px 3px #0002; padding: 14px 18px;
                     margin-bottom: 18px; }
table { border-collapse: collapse; width: 100%; }
th { text-align: left; font-weight: 600; background: #eef1f5; font-size: 12.5px; }
th, td { padding: 6px 9px; border-bottom: 1px solid #e3e7ed; vertical-align: top; }
table.summary td.num { text-align: center; font-variant-numeric: tabular-nums; font-weight: 600; width: 10%; }
table.summary th:not(:first-child) { text-align: center; }
tfoot tr.mean td { border-top: 2px solid #9aa5b4; font-weight: 700; }
.s-hi { background: #c8e6c9; } .s-mid { background: #fff3c4; } .s-lo { background: #f8c9c4; }
.s-none { background: #eee; color: #888; }
details.field { margin: 10px 0; } details.field > summary { cursor: pointer; font-weight: 600; font-size: 15px;
  padding: 4px 0; }
.badge { display: inline-block; padding: 0 7px; border-radius: 10px; font-size: 12.5px; }
table.side td.st { width: 92px; white-space: nowrap; font-size: 12px; font-weight: 600; }
table.side td.gold { width: 38%; }
tr.ok td.st { color: var(--okb); } tr.ok { background: var(--ok); }
tr.bad td.st { color: var(--badb); } tr.bad { background: var(--bad); }
tr.wrong td.st { color: var(--badb); }
td.k, span.k { color: #5b6573; font-size: 12px; }
.kv { font-size: 12.5px; } .kv.diff { background: #f8c9c4; border-radius: 3px; padding: 0 4px; font-weight: 600; }
.main { font-weight: 600; } .task { font-size: 13.5px; }
.null { color: #9aa5b4; }
.snip { margin-top: 4px; padding: 5px 8px; background: #fbfbf7; border-left: 3px solid #c9b458;
        font: 12.5px/1.5 "DejaVu Serif", Georgia, serif; color: #3a3f47; }
.snip .nl { color: #b9a650; font-size: 10px; }
.snip mark { background: var(--mark); color: #000; padding: 0 1px; border-radius: 2px; }
.snip-page { font: 11px "DejaVu Sans Mono", monospace; color: #8a6d00; }
.how { font: 11px "DejaVu Sans", sans-serif; color: #8a6d00; }
.warn { color: #a15c00; }
.empty { color: #5b6573; font-style: italic; }
body.only-bad tr.ok, body.only-bad .perfect { display: none; }
ul.nogold li { margin: 3px 0; }
table.sheet tr.first td { border-top: 2px solid #c3ccd8; }
table.sheet td.box { width: 70px; }
"""

JS = """
const onlyBad = document.getElementById('only-bad'), find = document.getElementById('find');
if (onlyBad && new URLSearchParams(location.search).get('only') === 'mismatches') {
  onlyBad.checked = true; document.body.classList.add('only-bad');
}
if (onlyBad) onlyBad.addEventListener('change', () => document.body.classList.toggle('only-bad', onlyBad.checked));
if (find) find.addEventListener('input', () => {
  const q = find.value.trim().toLowerCase();
  for (const s of document.querySelectorAll('section.doc, tr[data-name]'))
    s.hidden = q !== '' && !s.dataset.name.includes(q);
  for (const r of document.querySelectorAll('#summary tbody tr')) r.hidden = q !== '' &&
      !r.cells[0].textContent.toLowerCase().includes(q);
});
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"


def page_html(title: str, header_extra: str, body: str) -> str:
    """A self-contained HTML page (shared with the review sheet)."""
    return (
        f'<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head>\n"
        f"<body><header><h1>{html.escape(title)}</h1>{header_extra}</header>\n<main>{body}</main>\n"
        f"<script>{JS}</script></body></html>\n"
    )


FILTERS = (
    '<label><input type="checkbox" id="only-bad"> only mismatches</label>'
    '<label>document <input type="search" id="find" placeholder="filter by name"></label>'
)


def _load_pred(row: dict[str, Any], docs_dir: Path, refs: dict[str, DocRef]) -> tuple[dict[str, Any], DocRef | None]:
    ref = refs.get(str(row.get("doc_id")))
    if ref is not None:
        return read_document(ref), ref
    fallback = DocRef(row["doc"], str(row.get("doc_id")), docs_dir / row["doc"], None)
    return read_document(fallback), None


def _no_gold_html(docs: Sequence[DocRef], covered: set[str], sheets: Sequence[Path], out_dir: Path) -> str:
    rest = [d for d in docs if d.doc_id not in covered]
    if not rest:
        return ""
    by_stem = {p.name.split(".sheet.")[0]: p for p in sheets if p.suffix == ".html"}
    items = []
    for d in rest:
        sheet = by_stem.get(d.stem)
        link = f' — <a href="{html.escape(os.path.relpath(sheet, out_dir))}">review sheet</a>' if sheet else ""
        items.append(f'<li>{html.escape(d.label)} <span class="sub">{d.doc_id}</span>{link}</li>')
    return (
        f'<div class="card"><h2>Documents without gold ({len(rest)})</h2><p class="sub">Not scored. '
        "Mark their review sheets (CSV: y/n and corrections) and import them with "
        "<code>vnplan review --import-sheet</code> to add them to the gold set.</p>"
        f'<ul class="nogold">{"".join(items)}</ul></div>'
    )


def write_review_page(
    report: dict[str, Any], docs_dir: Path, gold_dir: Path, out_dir: Path, sheets: Sequence[Path] = ()
) -> Path:
    """Write out_dir/index.html for a report of pipeline.review.score.review_folder; returns its path."""
    docs = list_documents(docs_dir)
    refs = {d.doc_id: d for d in docs}
    sections = []
    for i, row in enumerate(report["documents"]):
        gold = read_json(gold_dir / row["gold"])
        pred, ref = _load_pred(row, docs_dir, refs)
        pages = read_pages(ref) if ref is not None else None
        sections.append(document_html(i, row, gold, pred, ref, pages))
    n = len(report["documents"])
    intro = (
        f'<div class="card"><h2>Scores per document and field</h2><p class="sub">{n} document(s) scored '
        f"against gold in {html.escape(str(gold_dir))}; F1 for lists, share of 8 fields for metadata, "
        "as the contract counts them. Hover a score for its counts.</p>"
        f"{summary_html(report) if n else '<p class=empty>no document matched a gold file</p>'}</div>"
    )
    covered = {str(r.get("doc_id")) for r in report["documents"]}
    body = intro + "\n".join(sections) + _no_gold_html(docs, covered, sheets, out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "index.html"
    atomic_write_text(path, page_html("vnplan accuracy review", FILTERS, body))
    return path
