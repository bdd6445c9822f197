"""The overview page (`report/index.html`) and the report folder: written by `vnplan report`, served by `vnplan serve`.

The page is one file: plotly.js from the plotly package (its offline bundle, no CDN), the aggregates
of pipeline.report.aggregate as JSON, and report.js, which filters and draws. Each document's page
(pipeline.report.sources) sits beside it in `van-ban/`.
"""

from __future__ import annotations

import html
import json
import os
import re
import threading
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipeline.dataset.atomic import atomic_write_text, remove_stale_temps
from pipeline.model.errors import OutputError
from pipeline.report.aggregate import DUE_WINDOW_DAYS, build_report_data, read_tables
from pipeline.report.sources import document_page_html, read_pages

# Plotly draws with inline styles and SVG; its heat maps are data: images. Nothing is fetched.
CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
REPORT_FOLDER = "report"
DOCUMENT_FOLDER = "van-ban"
_SLOT = re.compile(r"@@([A-Z_]+)@@")


def _resource(name: str) -> str:
    return resources.files("pipeline.report").joinpath(name).read_text("utf-8")


@cache
def plotly_js() -> str:
    """plotly.min.js as the plotly package ships it for offline use."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs().replace("</script", "<\\/script")


@cache
def stylesheet() -> str:
    return _resource("report.css")


def _json_for_script(data: Any) -> str:
    """JSON that cannot close its <script> element early."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _day(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"


def index_html(data: dict[str, Any]) -> str:
    """The overview page for the report data of build_report_data."""
    count = len(data["documents"]["id"])
    slots = {
        "CSP": CSP,
        "CSS": stylesheet(),
        "PLOTLY": plotly_js(),
        "APP": _resource("report.js"),
        "DATA": _json_for_script(data),
        "DUE_DAYS": str(DUE_WINDOW_DAYS),
        "AS_OF": _day(data["as_of"]),
        "DUE_TO": _day(data["due_to"]),
        "GENERATED": html.escape(f"{count:,}".replace(",", ".") + f" văn bản; mốc tính hạn {_day(data['as_of'])}."),
    }
    return _SLOT.sub(lambda m: slots[m.group(1)], _resource("report.html"))


def document_page(root: Path, doc_id: str) -> str | None:
    """The page of one stored document, or None when the dataset does not hold it."""
    try:
        doc = json.loads((root / "documents" / f"{doc_id}.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return document_page_html(doc, read_pages(root / "text" / f"{doc_id}.json"), stylesheet(), CSP)


def write_report(root: Path, as_of: date) -> Path:
    """Write `root/report/` (one page per document, then index.html) and return index.html's path.

    Each file is replaced whole (temp file + rename) and only when its bytes change, so a second run
    over the same dataset touches nothing; pages of documents no longer in the dataset are removed."""
    tables = read_tables(root)
    page = index_html(build_report_data(tables, as_of))
    folder = root / REPORT_FOLDER
    pages = folder / DOCUMENT_FOLDER
    try:
        pages.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(folder)
        doc_ids = tables["documents"].column("doc_id").to_pylist()
        for doc_id in doc_ids:
            doc_page = document_page(root, doc_id)
            if doc_page is not None:
                _replace_if_changed(pages / f"{doc_id}.html", doc_page.encode("utf-8"))
        kept = {f"{doc_id}.html" for doc_id in doc_ids}
        for old in pages.glob("*.html"):
            if old.name not in kept:
                old.unlink()
        atomic_write_text(folder / "index.html", page)
    except OSError as exc:
        raise OutputError(f"cannot write the report into {folder}: {exc.strerror or exc}") from None
    return folder / "index.html"


def _replace_if_changed(path: Path, data: bytes) -> None:
    """A document page, replaced whole when its bytes change. Without fsync, unlike the dataset's files:
    the pages are a view that the next `vnplan report` rebuilds, and 5,000 fsyncs would cost more than
    the whole report."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    except FileNotFoundError:
        pass
    temp = path.with_name(f".{path.name}.{os.getpid()}.w.tmp")  # pid where remove_stale_temps looks
    try:
        temp.write_bytes(data)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


class ReportSite:
    """The report as `vnplan serve` answers it: built in memory from the tables the API holds.

    The overview is rebuilt only when the tables change (or another as-of date is asked for); the
    document pages are made per request. Nothing is written into the dataset folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._cached: tuple[Any, str, bytes] | None = None
        self._lock = threading.Lock()

    def index(self, stamps: Any, tables: dict[str, pa.Table], as_of: date) -> bytes:
        key = (stamps, as_of.isoformat())
        cached = self._cached
        if cached is not None and cached[:2] == key:
            return cached[2]
        with self._lock:
            if self._cached is None or self._cached[:2] != key:
                page = index_html(build_report_data(tables, as_of)).encode("utf-8")
                self._cached = (*key, page)
            return self._cached[2]

    def document(self, doc_id: str) -> str | None:
        return document_page(self.root, doc_id)
