"""lxml.html, for a saved web page of a document (.html/.htm): the text a reader sees, in blocks.

Scripts, styles, forms, hidden elements and the page's chrome (nav, menus, asides, the site's
header and footer, lists or boxes made mostly of links) are left out; when the page marks its
main content (`<main>`, `role=main`, or one `<article>` holding most of the text) only that is
read. Block elements (p, div, headings, list items...) and `<br>` end a line; ordered and
unordered list items get the marker a browser shows (`1.`, `a.`, `-`); tables keep their grid (a
cell spanning columns or rows stands once, in its first grid cell).
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.model.errors import CorruptFileError
from pipeline.read.encodings import decode_text
from pipeline.read.richtext import Block, Table

_DROPPED = {
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "title",
    "meta",
    "link",
    "iframe",
    "object",
    "embed",
    "svg",
    "canvas",
    "form",
    "button",
    "select",
    "input",
    "textarea",
    "nav",
    "menu",
    "aside",
    "dialog",
    "map",
}
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "search", "menu", "menubar", "complementary"}
_BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "address",
    "figure",
    "figcaption",
    "hr",
    "center",
    "body",
    "html",
    "header",
    "footer",
    "caption",
    "details",
    "summary",
    "fieldset",
    "legend",
}
_LINK_CONTAINERS = {"ul", "ol", "div", "section", "table", "dl"}
_MIN_LINKS = 3
_LINK_SHARE = 0.7
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def decode(data: bytes, name: str) -> str:
    """The page's text: the charset its <meta> declares, else UTF-8 or Windows-1258."""
    declared = _CHARSET.search(data[:4096])
    if declared and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data, name)


def _hidden(element: Any) -> bool:
    return (
        element.get("hidden") is not None
        or element.get("aria-hidden") == "true"
        or bool(_HIDDEN_STYLE.search(element.get("style") or ""))
    )


def _letters(n: int, upper: bool) -> str:
    text = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
    return text.upper() if upper else text


def _roman(n: int, upper: bool) -> str:
    from pipeline.read.engines.word import format_number

    return format_number(n, "upperRoman" if upper else "lowerRoman")


def _marker(kind: str, n: int) -> str:
    if kind in ("a", "A"):
        return _letters(n, kind == "A") + "."
    if kind in ("i", "I"):
        return _roman(n, kind == "I") + "."
    return f"{n}."


class _Collector:
    """Blocks in reading order: text gathered into the line under way, ended by block elements."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.line: list[str] = []

    def text(self, text: str | None) -> None:
        if text:
            self.line.append(text)

    def end_line(self) -> None:
        line = " ".join("".join(self.line).split())
        if line:
            self.blocks.append(line)
        self.line = []

    def table(self, table: Table) -> None:
        self.end_line()
        self.blocks.append(table)


def _words(element: Any) -> int:
    return len("".join(element.itertext()).split())


def _link_list(element: Any) -> bool:
    """A menu, breadcrumb or list of related pages written without nav/aside: a list or box made
    mostly of links (a paragraph is never one: its citations may all be links)."""
    if element.tag not in _LINK_CONTAINERS:
        return False
    links = element.findall(".//a")
    if len(links) < _MIN_LINKS:
        return False
    words = _words(element)
    return words > 0 and sum(_words(a) for a in links) >= _LINK_SHARE * words


def _walk(element: Any, out: _Collector) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if not tag or tag in _DROPPED or _hidden(element) or (element.get("role") or "") in _CHROME_ROLES:
        return
    if _link_list(element):
        return
    if tag == "br":
        out.end_line()
        return
    if tag == "table":
        cells = [cell for row in _table_rows(element) for cell in _cells(row)]
        if len(cells) != 1:
            out.table(_table(element))
            return
        element = cells[0]  # a one-cell table frames its content (old page layouts): read what it holds
        tag = "td"
    block = tag in _BLOCKS or tag in ("tr", "td", "th")
    if block:
        out.end_line()
    if tag == "li":
        out.text(element.get("data-marker") or "- ")
    if tag == "ol":
        _number_items(element)
    out.text(element.text)
    for child in element:
        _walk(child, out)
        out.text(child.tail)
    if block:
        out.end_line()


def _number_items(ol: Any) -> None:
    """The marker a browser shows before each item of an ordered list."""
    kind = ol.get("type") or "1"
    try:
        n = int(ol.get("start") or 1)
    except ValueError:
        n = 1
    for li in ol:
        if not isinstance(li.tag, str) or li.tag != "li":
            continue
        if (li.get("value") or "").strip().isdigit():
            n = int(li.get("value"))
        li.set("data-marker", _marker(kind, n) + " ")
        n += 1


def _cells(element: Any) -> list[Any]:
    return [c for c in element if isinstance(c.tag, str) and c.tag in ("td", "th")]


def _table_rows(table: Any) -> list[Any]:
    rows: list[Any] = []
    for child in table:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(r for r in child if isinstance(r.tag, str) and r.tag == "tr")
    return rows


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


def _table(element: Any) -> Table:
    grid: list[list[list[str] | None]] = []
    for r, tr in enumerate(_table_rows(element)):
        while len(grid) <= r:
            grid.append([])
        row = grid[r]
        col = 0
        for td in _cells(tr):
            while col < len(row) and row[col] is not None:
                col += 1  # covered by a cell spanning rows from above
            paragraphs = _cell_paragraphs(td)
            colspan, rowspan = _span(td.get("colspan")), _span(td.get("rowspan"))
            for dr in range(rowspan):
                while len(grid) <= r + dr:
                    grid.append([])
                target = grid[r + dr]
                while len(target) < col + colspan:
                    target.append(None)
                for dc in range(colspan):
                    target[col + dc] = paragraphs if (dr, dc) == (0, 0) else []
            col += colspan
    return Table([[cell or [] for cell in row] for row in grid])


def _cell_paragraphs(td: Any) -> list[str]:
    out = _Collector()
    out.text(td.text)
    for child in td:
        _walk(child, out)
        out.text(child.tail)
    out.end_line()
    lines: list[str] = []
    for block in out.blocks:
        if isinstance(block, Table):
            lines.extend(" ".join(" ".join(cell) for cell in row) for row in block.rows)
        elif isinstance(block, str):
            lines.append(block)
    return lines


def _content_root(root: Any) -> Any:
    """The element holding the document: the page's marked main content when it has one."""
    body = root.find("body")
    body = body if body is not None else root
    main = root.xpath("//main|//*[@role='main']")
    if main:
        return main[0]
    articles = root.xpath("//article")
    if articles:
        biggest = max(articles, key=_words)
        if _words(biggest) >= 0.5 * _words(body):
            return biggest
    for chrome in body.iter("header", "footer"):
        chrome.set("hidden", "")  # skipped like hidden elements; the text after it is still read
    return body


def read_blocks(data: bytes, name: str) -> list[Block]:
    """The page's document as blocks (pipeline.read.richtext)."""
    import lxml.etree
    import lxml.html

    text = _XML_DECLARATION.sub("", decode(data, name))
    if not text.strip():
        return []
    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise CorruptFileError(f"{name}: HTML cannot be parsed ({exc})") from exc
    out = _Collector()
    _walk(_content_root(root), out)
    out.end_line()
    return out.blocks
