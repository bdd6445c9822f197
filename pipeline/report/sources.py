"""One page per document (`report/van-ban/<doc_id>.html`): its records, each in its source sentence.

The overview links every target, task and budget here (`#muc-tieu-3`, `#nhiem-vu-12`, `#kinh-phi-1`),
so the overview itself never carries the sentences: 5,000 documents' worth would make it tens of
megabytes. Each page is self-contained and small; the sentence is cut from the page text the record's
span points into, and the span is marked.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from pipeline.report.numbers import format_number, format_vnd

SENTENCE_REACH = 400  # characters looked at either side of a span for the sentence's ends
# A sentence ends at a line break, or at . ; ! ? followed by a space (not inside 9.000 or 12,5), except
# the full stop of an outline number that opens a line ("1. ", "II. ", "2.3. ").
_SENTENCE_END = re.compile(r"\n|[.;!?](?=\s)")
_OUTLINE_NUMBER = re.compile(r"(?:^|\n)[ \t]*(?:\d+|[IVXLC]+)(?:\.\d+)*$")


def _sentence_ends(text: str, lo: int, hi: int) -> list[int]:
    return [
        m.end()
        for m in _SENTENCE_END.finditer(text, lo, hi)
        if m.group() == "\n" or not _OUTLINE_NUMBER.search(text, max(0, m.start() - 12), m.start())
    ]


SECTION_ANCHORS = {"targets": "muc-tieu", "tasks": "nhiem-vu", "budgets": "kinh-phi"}
ORIGIN_LABELS = {
    "native": "Văn bản số (lớp chữ của PDF)",
    "ocr": "Ảnh quét, nhận dạng chữ (OCR)",
    "plain": "Tệp văn bản",
    "mixed": "Vừa lớp chữ vừa OCR",
}
COMPARATOR_WORDS = {"=": "", ">": "trên", ">=": "ít nhất", "<": "dưới", "<=": "tối đa"}
RECURRENCE_LABELS = {"annual": "hằng năm", "continuous": "thường xuyên"}
METADATA_LABELS = (
    ("doc_type", "Loại văn bản"),
    ("doc_number", "Số hiệu"),
    ("issued_date", "Ngày ban hành"),
    ("issuer", "Cơ quan ban hành"),
    ("province", "Tỉnh/thành phố"),
    ("title", "Trích yếu"),
    ("signer_name", "Người ký"),
    ("signer_title", "Chức vụ người ký"),
)


def sentence_around(text: str, start: int, end: int) -> tuple[str, str, str] | None:
    """(before, marked, after): the sentence holding text[start:end], the span itself marked."""
    if not 0 <= start <= end <= len(text):
        return None
    lo = max(0, start - SENTENCE_REACH)
    lo = max(lo, text.rfind("\n", lo, start) + 1)  # a line break always ends a sentence: look after it only
    # (up to start + 1: a full stop just before the span needs the space after it to count)
    ends_before = [e for e in _sentence_ends(text, lo, min(len(text), start + 1)) if e <= start]
    first = ends_before[-1] if ends_before else lo
    hi = min(len(text), end + SENTENCE_REACH + 1)
    line_end = text.find("\n", end, hi)
    ends_after = _sentence_ends(text, max(end, first), line_end + 1 if line_end >= 0 else hi)
    after_end = ends_after[0] if ends_after else None
    last = after_end if after_end is not None else min(len(text), end + SENTENCE_REACH)
    # White space at the span's edges (a span may start on the line before) is shown unmarked.
    start += len(text[start:end]) - len(text[start:end].lstrip())
    end = max(start, end - (len(text[start:end]) - len(text[start:end].rstrip())))
    before, after = text[first:start].lstrip(), text[end:last].rstrip()
    if first == lo and lo > 0 and text[lo - 1] != "\n":
        before = "…" + before
    if after_end is None and last < len(text):
        after += "…"
    return before, text[start:end], after


def _sentence_html(pages: dict[int, str], span: dict[str, Any] | None) -> str:
    if not span or span.get("page") not in pages:
        return '<p class="src none">Không có câu nguồn (bản ghi không có vị trí trong văn bản).</p>'
    cut = sentence_around(pages[span["page"]], int(span.get("start", -1)), int(span.get("end", -1)))
    if cut is None:
        return '<p class="src none">Vị trí của bản ghi nằm ngoài trang văn bản.</p>'
    before, marked, after = (html.escape(part) for part in cut)
    return (
        f'<blockquote class="src"><span class="pg">tr. {span["page"]}</span> '
        f"{before}<mark>{marked}</mark>{after}</blockquote>"
    )


def _value(value: Any) -> str:
    if value is None or value == "":
        return '<span class="null">—</span>'
    return html.escape(str(value))


def target_summary(target: dict[str, Any]) -> str:
    words = COMPARATOR_WORDS.get(target.get("comparator") or "=", "")
    value = " ".join(x for x in (words, format_number(target.get("value")), target.get("unit") or "") if x)
    year = f" (năm {target['year']})" if target.get("year") else ""
    return f"{target.get('indicator') or target.get('text') or ''}: {value}{year}"


def _deadline(task: dict[str, Any]) -> str:
    deadline = task.get("deadline") or {}
    parts = [deadline.get("text") or ""]
    if deadline.get("start") or deadline.get("end"):
        parts.append(f"({deadline.get('start') or '…'} → {deadline.get('end') or '…'})")
    if deadline.get("recurrence"):
        parts.append(f"[{RECURRENCE_LABELS.get(deadline['recurrence'], deadline['recurrence'])}]")
    return " ".join(p for p in parts if p) or "—"


def _records(kind: str, items: list[dict[str, Any]], pages: dict[int, str]) -> str:
    anchor = SECTION_ANCHORS[kind]
    if not items:
        return '<p class="empty">Không có.</p>'
    out = []
    for k, item in enumerate(items, 1):
        if kind == "targets":
            head = html.escape(target_summary(item))
            facts = [("Mốc so sánh", item.get("baseline"))]
        elif kind == "budgets":
            role = "Tổng kinh phí" if item.get("role") == "total" else "Thành phần"
            head = f"{role}: {html.escape(format_vnd(item.get('amount_vnd')))}"
            facts = [("Nguồn", item.get("source")), ("Năm", item.get("year"))]
        else:
            head = html.escape(item.get("text") or "")
            facts = [
                ("Chủ trì", item.get("lead_agency")),
                ("Phối hợp", "; ".join(item.get("cooperating_agencies") or [])),
                ("Thời hạn", _deadline(item)),
                ("Sản phẩm", item.get("output")),
            ]
        dl = "".join(f"<dt>{name}</dt><dd>{_value(v)}</dd>" for name, v in facts)
        out.append(
            f'<section class="rec" id="{anchor}-{k}"><h3><a href="#{anchor}-{k}">{k}.</a> {head}</h3>'
            f"<dl>{dl}</dl>{_sentence_html(pages, item.get('span'))}</section>"
        )
    return "".join(out)


def document_page_html(doc: dict[str, Any], pages: dict[int, str], css: str, csp: str) -> str:
    """The page of one PlanDocument (as stored JSON) with its page text by page number."""
    meta = doc.get("metadata") or {}
    source = doc.get("source") or {}
    name = Path(str(source.get("path") or doc.get("doc_id"))).name
    title = meta.get("doc_number") or name
    rows = "".join(f"<tr><th>{label}</th><td>{_value(meta.get(key))}</td></tr>" for key, label in METADATA_LABELS)
    origin = str(source.get("text_origin") or "")
    quality = [ORIGIN_LABELS.get(origin, origin)]
    if source.get("diacritics_restored"):
        quality.append("dấu tiếng Việt đã được khôi phục tự động")
    warnings = "".join(
        f"<li><code>{html.escape(w.get('code') or '')}</code> {html.escape(w.get('message') or '')}</li>"
        for w in doc.get("warnings") or []
    )
    sections = "".join(
        f'<h2 id="{SECTION_ANCHORS[kind]}">{heading} ({len(doc.get(kind) or [])})</h2>'
        f"{_records(kind, doc.get(kind) or [], pages)}"
        for kind, heading in (("targets", "Mục tiêu, chỉ tiêu"), ("budgets", "Kinh phí"), ("tasks", "Nhiệm vụ"))
    )
    return (
        f'<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)} — nguồn</title><style>{css}</style></head>\n"
        f'<body class="docpage"><header><h1>{html.escape(title)}</h1>'
        f'<a class="back" href="../index.html">← Tổng quan</a></header><main>'
        f'<p class="sub">Tệp nguồn: {html.escape(name)} · mã {html.escape(str(doc.get("doc_id")))} · '
        f"{html.escape(', '.join(quality))}</p>"
        f'<table class="meta">{rows}</table>'
        + (
            f'<h2>Cảnh báo ({len(doc.get("warnings") or [])})</h2><ul class="warnings">{warnings}</ul>'
            if warnings
            else ""
        )
        + f"{sections}</main></body></html>\n"
    )


def read_pages(text_path: Path) -> dict[int, str]:
    """Normalized page text by page number; none when the text file is missing or unreadable."""
    try:
        data = json.loads(text_path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {int(p["page"]): p.get("text") or "" for p in data.get("pages", []) if "page" in p}
