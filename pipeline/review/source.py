"""Where a reviewed value came from: the documents of a docs folder, their page text, and snippets.

A docs folder is either a dataset folder (manifest.json, documents/, text/) or a folder of PlanDocument
JSON files. Page text (`text/<doc_id>.json`) is looked for in the dataset layout; without it the review
still works, only without snippets, and says so.
"""

from __future__ import annotations

import html
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.model.errors import InputFileError

SNIPPET_CONTEXT = 80  # characters shown either side of a span
MAX_MARKED = 360  # a long span (a whole task) is shown cut in the middle beyond this


@dataclass(frozen=True)
class DocRef:
    """One PlanDocument on disk and the page text its spans point into (None when not published)."""

    label: str  # the name a person knows it by: the source file's name
    doc_id: str
    path: Path
    text_path: Path | None

    @property
    def stem(self) -> str:
        """Gold stem of the document: its source file name without the last suffix."""
        return Path(self.label).stem


def _lines(text: str) -> str:
    """Escaped, with line breaks shown as a small mark: snippets stay a few lines tall."""
    return '<span class="nl">⏎</span> '.join(html.escape(line) for line in text.split("\n"))


@dataclass(frozen=True)
class Snippet:
    """Text around a value: before + marked + after, plain (not escaped)."""

    page: int
    before: str
    marked: str
    after: str
    located: str  # "span" (from the record) or "search" (found by looking for the value)

    def html(self) -> str:
        return (
            f'<span class="snip-page">p.{self.page}</span> {_lines(self.before)}'
            f"<mark>{_lines(self.marked)}</mark>{_lines(self.after)}"
        )

    def plain(self) -> str:
        """For CSV cells: the value between ⟦ ⟧, lines joined."""
        return " ".join(f"{self.before}⟦{self.marked}⟧{self.after}".split())


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise InputFileError(f"{path}: not readable JSON ({exc.__class__.__name__})") from None


def _text_path_for(doc_id: str, doc_path: Path) -> Path | None:
    """text/<doc_id>.json beside the documents/ folder, or beside the file itself."""
    for folder in (doc_path.parent.parent / "text", doc_path.parent / "text"):
        candidate = folder / f"{doc_id}.json"
        if candidate.is_file():
            return candidate
    return None


def list_documents(docs_dir: Path) -> list[DocRef]:
    """Every PlanDocument in a dataset folder (via its manifest) or a folder of PlanDocument JSON files."""
    if not docs_dir.is_dir():
        raise InputFileError(f"{docs_dir}: not a folder")
    refs: list[DocRef] = []
    manifest = docs_dir / "manifest.json"
    if manifest.is_file():
        for entry in read_json(manifest).get("documents", []):
            doc_path = docs_dir / "documents" / f"{entry.get('doc_id')}.json"
            if entry.get("status") == "ok" and entry.get("doc_id") and doc_path.is_file():
                refs.append(
                    DocRef(
                        Path(entry["path"]).name, entry["doc_id"], doc_path, _text_path_for(entry["doc_id"], doc_path)
                    )
                )
        return refs
    for path in sorted(docs_dir.glob("*.json")):
        data = read_json(path)
        if not (isinstance(data, dict) and data.get("doc_id") and isinstance(data.get("source"), dict)):
            continue  # not a PlanDocument (a report, a gold file): not ours to review
        label = Path(data["source"].get("path") or path.name).name
        refs.append(DocRef(label, data["doc_id"], path, _text_path_for(data["doc_id"], path)))
    return refs


def find_document(docs_dir: Path, doc_id: str) -> DocRef:
    for ref in list_documents(docs_dir):
        if ref.doc_id == doc_id:
            return ref
    raise InputFileError(f"{docs_dir}: no document with doc_id {doc_id}")


def read_document(ref: DocRef) -> dict[str, Any]:
    return read_json(ref.path)


def read_pages(ref: DocRef) -> dict[int, str] | None:
    """Normalized text by page number, or None when the document's page text is not published."""
    if ref.text_path is None:
        return None
    return {int(p["page"]): p.get("text") or "" for p in read_json(ref.text_path).get("pages", [])}


def _cut(text: str, start: int, end: int) -> tuple[str, str, str]:
    before = text[max(0, start - SNIPPET_CONTEXT) : start]
    after = text[end : end + SNIPPET_CONTEXT]
    if start > SNIPPET_CONTEXT:
        before = "…" + before
    if end + SNIPPET_CONTEXT < len(text):
        after += "…"
    marked = text[start:end]
    if len(marked) > MAX_MARKED:
        half = MAX_MARKED // 2
        marked = f"{marked[:half]} … [{len(marked) - 2 * half} characters] … {marked[-half:]}"
    return before, marked, after


def span_snippet(pages: dict[int, str] | None, span: dict[str, Any] | None) -> Snippet | None:
    """The page text around a record's span; None when there is no text or the span is off the page."""
    if not pages or not span:
        return None
    text = pages.get(int(span.get("page", 0)))
    start, end = int(span.get("start", -1)), int(span.get("end", -1))
    if text is None or not (0 <= start <= end <= len(text)):
        return None
    return Snippet(int(span["page"]), *_cut(text, start, end), located="span")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def search_snippet(pages: dict[int, str] | None, value: Any, within: Snippet | None = None) -> Snippet | None:
    """Where a value without a span (metadata, agencies) first appears in the text, found by search.

    Only NFC and case are folded, so a value written differently in the text is not found; with
    `within`, only the text of that snippet is searched (an attribute inside its record's span).
    """
    if not pages or value is None or value == "" or isinstance(value, bool):
        return None
    needle = _fold(" ".join(str(value).split()))
    if len(needle) < 2:
        return None
    if within is not None:
        text = within.before + within.marked + within.after
        folded = _fold(text)
        if len(folded) != len(text):
            return None
        i = folded.find(needle, len(within.before))  # inside the record's own text first, then around it
        if i < 0 or i + len(needle) > len(within.before) + len(within.marked):
            i = folded.find(needle)
        if i < 0:
            return None
        return Snippet(within.page, text[:i], text[i : i + len(needle)], text[i + len(needle) :], "search")
    for number in sorted(pages):
        text = pages[number]
        i = _fold(text).find(needle)  # casefold keeps Vietnamese string lengths, so offsets line up
        if i >= 0 and len(_fold(text)) == len(text):
            return Snippet(number, *_cut(text, i, i + len(needle)), located="search")
    return None
