"""python-docx, for Word files (.docx): the body as paragraphs and tables, in document order.

What Word shows is what is read: automatic numbering and bullets are rendered from numbering.xml
(each level's number format and text, counted through the document as Word counts them), deleted
revisions and hidden text are left out, tables keep their grid (a merged cell's text stands once,
in its first grid cell; a header row repeated on every printed page is in the file once). Running
headers and footers live in their own parts and are not read. Footnotes follow the body, each as
a paragraph starting with its number, as in the repository's reference texts.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.model.errors import CorruptFileError
from pipeline.read.richtext import PAGE_BREAK, Block, Table

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _q(tag: str) -> str:
    prefix, _, local = tag.partition(":")
    return f"{{{_MC if prefix == 'mc' else _W}}}{local}"


_P, _R, _T, _TBL, _TR, _TC = _q("w:p"), _q("w:r"), _q("w:t"), _q("w:tbl"), _q("w:tr"), _q("w:tc")
_VAL = _q("w:val")
# Containers whose content Word shows as part of the paragraph or body around them.
_TRANSPARENT = {
    _q(t)
    for t in (
        "w:hyperlink",
        "w:ins",
        "w:smartTag",
        "w:customXml",
        "w:fldSimple",
        "w:sdt",
        "w:sdtContent",
        "w:moveTo",
        "w:dir",
        "w:bdo",
    )
}
_SKIPPED = {_q(t) for t in ("w:del", "w:moveFrom", "w:pPr", "w:rPr", "w:sdtPr", "w:sdtEndPr", "mc:Fallback")}
# Bullet characters that read as themselves; any other bullet glyph (Symbol/Wingdings private-use
# characters, Courier's `o`, ...) is written as a dash.
_TEXT_BULLETS = set("-+•–—·*")


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _child_val(element: Any, tag: str) -> str | None:
    child = element.find(_q(tag)) if element is not None else None
    return child.get(_VAL) if child is not None else None


# --- numbering -------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None  # restart after this (0-based) level is used; None: after any higher
    legal: bool = False  # isLgl: every number shown in decimal
    suffix: str = " "


def _level(element: Any) -> _Level:
    restart = _child_val(element, "w:lvlRestart")
    suff = _child_val(element, "w:suff")
    return _Level(
        start=_int(_child_val(element, "w:start"), 1),
        fmt=_child_val(element, "w:numFmt") or "decimal",
        text=_child_val(element, "w:lvlText") or "",
        restart=_int(restart, 0) - 1 if restart is not None else None,
        legal=element.find(_q("w:isLgl")) is not None,
        suffix="" if suff == "nothing" else " ",
    )


def _roman(n: int) -> str:
    out = ""
    for value, letters in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while n >= value:
            out, n = out + letters, n - value
    return out


def _letters(n: int) -> str:
    """Word's letter numbering: a..z, then aa..zz, aaa.. (the letter repeated)."""
    n = max(n, 1)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        text = _letters(n)
        return text.upper() if fmt == "upperLetter" else text
    if fmt in ("lowerRoman", "upperRoman"):
        text = _roman(n)
        return text.upper() if fmt == "upperRoman" else text
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)  # decimal and the formats of other scripts, read as numbers


@dataclass
class Numbering:
    """numbering.xml: list definitions, list instances and the counters Word keeps while it lays out."""

    abstract: dict[str, dict[int, _Level]] = field(default_factory=dict)
    nums: dict[str, str] = field(default_factory=dict)  # numId → abstractNumId
    overrides: dict[str, dict[int, int | None]] = field(default_factory=dict)  # numId → level → start
    # abstractNumId → numbering style: a list defined by a numbering style takes that style's levels
    style_links: dict[str, str] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)  # abstractNumId → level → count
    started: set[str] = field(default_factory=set)  # numIds whose start overrides were applied

    @classmethod
    def read(cls, root: Any | None) -> Numbering:
        numbering = cls()
        if root is None:
            return numbering
        for abstract in root.iter(_q("w:abstractNum")):
            levels = {_int(lvl.get(_q("w:ilvl")), 0): _level(lvl) for lvl in abstract.iter(_q("w:lvl"))}
            abstract_id = abstract.get(_q("w:abstractNumId")) or ""
            numbering.abstract[abstract_id] = levels
            link = _child_val(abstract, "w:numStyleLink")
            if link:
                numbering.style_links[abstract_id] = link
        for num in root.iter(_q("w:num")):
            num_id = num.get(_q("w:numId")) or ""
            numbering.nums[num_id] = _child_val(num, "w:abstractNumId") or ""
            starts: dict[int, int | None] = {}
            for override in num.iter(_q("w:lvlOverride")):
                ilvl = _int(override.get(_q("w:ilvl")), 0)
                start = _child_val(override, "w:startOverride")
                lvl = override.find(_q("w:lvl"))
                if lvl is not None:  # a whole level redefined for this list instance
                    levels = dict(numbering.abstract.get(numbering.nums[num_id], {}))
                    levels[ilvl] = _level(lvl)
                    numbering.abstract[f"{num_id}*"] = levels
                    numbering.nums[num_id] = f"{num_id}*"
                starts[ilvl] = _int(start, 1) if start is not None else None
            numbering.overrides[num_id] = starts
        return numbering

    def label(self, num_id: str, ilvl: int) -> str:
        """The text Word shows before the next paragraph of list `num_id` at level `ilvl`, counting it."""
        abstract_id = self.nums.get(num_id)
        levels = self.abstract.get(abstract_id or "")
        if not levels or ilvl not in levels:
            return ""
        counts = self.counters.setdefault(abstract_id or "", {})
        if num_id not in self.started:
            self.started.add(num_id)
            for overridden, start in self.overrides.get(num_id, {}).items():
                if start is not None:
                    counts[overridden] = start - 1
        level = levels[ilvl]
        counts[ilvl] = counts[ilvl] + 1 if ilvl in counts else level.start
        for deeper in [k for k in counts if k > ilvl]:
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart >= 0 and ilvl <= restart):
                del counts[deeper]
        if level.fmt == "bullet":
            text = level.text if level.text in _TEXT_BULLETS else "-"
            return text + " "
        out = level.text
        for k in range(8, -1, -1):
            if f"%{k + 1}" in out:
                shown = levels.get(k, _Level())
                value = counts.get(k, shown.start)
                fmt = "decimal" if level.legal and shown.fmt != "none" else shown.fmt
                out = out.replace(f"%{k + 1}", format_number(value, fmt))
        return out + level.suffix if out.strip() else ""


def _resolve_style_links(numbering: Numbering, styles: dict[str, tuple[str | None, Any]]) -> None:
    """Lists defined as `numStyleLink` to a numbering style use the levels of the list that style
    names (Word's list styles)."""
    for abstract_id, style in numbering.style_links.items():
        num_pr = styles.get(style, (None, None))[1]
        target = numbering.nums.get(_child_val(num_pr, "w:numId") or "") if num_pr is not None else None
        if target and target != abstract_id and not numbering.abstract.get(abstract_id):
            numbering.abstract[abstract_id] = numbering.abstract.get(target, {})


def _styles(root: Any | None) -> dict[str, tuple[str | None, Any]]:
    """Paragraph styles: id → (the style it is based on, its numPr or None)."""
    styles: dict[str, tuple[str | None, Any]] = {}
    if root is None:
        return styles
    for style in root.iter(_q("w:style")):
        ppr = style.find(_q("w:pPr"))
        num_pr = ppr.find(_q("w:numPr")) if ppr is not None else None
        styles[style.get(_q("w:styleId")) or ""] = (_child_val(style, "w:basedOn"), num_pr)
    return styles


# --- body ------------------------------------------------------------------------------------------


@dataclass
class _Reader:
    numbering: Numbering
    styles: dict[str, tuple[str | None, Any]]
    footnotes: dict[str, str]
    notes_used: list[str] = field(default_factory=list)

    def paragraph_numbering(self, p: Any) -> tuple[str, int] | None:
        ppr = p.find(_q("w:pPr"))
        num_pr = ppr.find(_q("w:numPr")) if ppr is not None else None
        style = _child_val(ppr, "w:pStyle") if ppr is not None else None
        ilvl = _int(_child_val(num_pr, "w:ilvl"), -1) if num_pr is not None else -1
        num_id = _child_val(num_pr, "w:numId") if num_pr is not None else None
        seen: set[str] = set()
        while num_id is None and style and style not in seen:  # numbering inherited from the style
            seen.add(style)
            based_on, style_num = self.styles.get(style, (None, None))
            if style_num is not None:
                num_id = _child_val(style_num, "w:numId")
                if ilvl < 0:
                    ilvl = _int(_child_val(style_num, "w:ilvl"), -1)
                if ilvl < 0:  # the level that names this style, else the first
                    abstract = self.numbering.abstract.get(self.numbering.nums.get(num_id or "", ""), {})
                    ilvl = next((k for k, _ in abstract.items()), 0)
            style = based_on
        if not num_id or num_id == "0":
            return None
        return num_id, max(ilvl, 0)

    def runs(self, element: Any, out: list[Any], boxes: list[Any]) -> None:
        """Text of a paragraph's content in order: strings, and PAGE_BREAK where one is forced."""
        for child in element:
            tag = child.tag
            if tag in _SKIPPED:
                continue
            if tag == _R:
                rpr = child.find(_q("w:rPr"))
                if (
                    rpr is not None
                    and rpr.find(_q("w:vanish")) is not None
                    and _child_val(rpr, "w:vanish") not in ("0", "false")
                ):
                    continue  # hidden text
                self.run(child, out, boxes)
            elif tag in _TRANSPARENT or tag == _q("mc:AlternateContent") or tag == _q("mc:Choice"):
                self.runs(child, out, boxes)

    def run(self, run: Any, out: list[Any], boxes: list[Any]) -> None:
        for node in run:
            tag = node.tag
            if tag == _T:
                out.append(node.text or "")
            elif tag in (_q("w:tab"), _q("w:ptab")):
                out.append(" ")
            elif tag == _q("w:br"):
                out.append(PAGE_BREAK if node.get(_q("w:type")) == "page" else "\n")
            elif tag == _q("w:cr"):
                out.append("\n")
            elif tag == _q("w:noBreakHyphen"):
                out.append("-")
            elif tag == _q("w:footnoteReference"):
                note = node.get(_q("w:id")) or ""
                if note in self.footnotes and note not in self.notes_used:
                    self.notes_used.append(note)
            elif tag in (_q("w:drawing"), _q("w:pict"), _q("mc:AlternateContent"), _q("w:object")):
                # text boxes: their paragraphs follow the paragraph that anchors them
                for content in node.iter(_q("w:txbxContent")):
                    if not any(a.tag == _q("mc:Fallback") for a in content.iterancestors()):
                        boxes.append(content)

    def paragraph(self, p: Any) -> list[str | Any]:
        """The paragraph as pieces: its text (numbering label first), page breaks, text boxes' blocks."""
        out: list[Any] = []
        boxes: list[Any] = []
        ppr = p.find(_q("w:pPr"))
        if (
            ppr is not None
            and ppr.find(_q("w:pageBreakBefore")) is not None
            and _child_val(ppr, "w:pageBreakBefore") not in ("0", "false")
        ):
            out.append(PAGE_BREAK)
        self.runs(p, out, boxes)
        numbered = self.paragraph_numbering(p)
        has_text = any(isinstance(piece, str) and piece.strip() for piece in out)
        if numbered is not None and has_text:  # Word numbers an empty paragraph too, but shows nothing
            label = self.numbering.label(*numbered)
            first = next(i for i, piece in enumerate(out) if isinstance(piece, str))
            out.insert(first, label)
        pieces: list[Any] = []
        text = ""
        for piece in out:
            if isinstance(piece, str):
                text += piece
            else:
                pieces.append(text)
                pieces.append(piece)
                text = ""
        pieces.append(text)
        for box in boxes:
            pieces.extend(self.blocks(box))
        return pieces

    def blocks(self, container: Any) -> list[Block]:
        """Paragraphs and tables of the body (or a cell, a text box) in document order."""
        blocks: list[Block] = []
        for child in container:
            tag = child.tag
            if tag == _P:
                blocks.extend(self.paragraph(child))
            elif tag == _TBL:
                cells = [tc for tr in _rows(child) for tc in _cells(tr)]
                if len(cells) == 1:  # a one-cell table frames its content: read what it holds
                    blocks.extend(self.blocks(cells[0]))
                else:
                    blocks.append(self.table(child))
            elif tag in _TRANSPARENT:
                blocks.extend(self.blocks(child))
        return blocks

    def table(self, tbl: Any) -> Table:
        table = Table()
        for tr in _rows(tbl):
            trpr = tr.find(_q("w:trPr"))
            row: list[list[str]] = [[] for _ in range(_int(_child_val(trpr, "w:gridBefore"), 0))]
            for tc in _cells(tr):
                tcpr = tc.find(_q("w:tcPr"))
                span = max(1, _int(_child_val(tcpr, "w:gridSpan"), 1))
                v_merge = tcpr.find(_q("w:vMerge")) if tcpr is not None else None
                h_merge = tcpr.find(_q("w:hMerge")) if tcpr is not None else None
                covered = (v_merge is not None and v_merge.get(_VAL, "continue") == "continue") or (
                    h_merge is not None and h_merge.get(_VAL, "continue") == "continue"
                )
                paragraphs = [] if covered else self.cell_paragraphs(tc)
                row.append(paragraphs)
                row.extend([] for _ in range(span - 1))
            row.extend([] for _ in range(_int(_child_val(trpr, "w:gridAfter"), 0)))
            table.rows.append(row)
        return table

    def cell_paragraphs(self, tc: Any) -> list[str]:
        """A cell's paragraphs; a line break inside one starts a new line of the cell, as shown."""
        lines: list[str] = []
        for block in self.blocks(tc):
            if isinstance(block, Table):  # a table inside a cell: each of its rows one line
                lines.extend(" ".join(" ".join(cell) for cell in row) for row in block.rows)
            elif isinstance(block, str):
                lines.extend(part for part in block.split("\n") if part.strip())
        return lines


def _rows(tbl: Any) -> Iterator[Any]:
    for child in tbl:
        if child.tag == _TR:
            yield child
        elif child.tag in _TRANSPARENT:
            yield from _rows(child)


def _cells(tr: Any) -> Iterator[Any]:
    for child in tr:
        if child.tag == _TC:
            yield child
        elif child.tag in _TRANSPARENT:
            yield from _cells(child)


def _footnotes(package: Any) -> dict[str, str]:
    """Footnote id → its text (separators left out)."""
    from lxml import etree

    notes: dict[str, str] = {}
    for part in package.parts:
        if str(part.partname) != "/word/footnotes.xml":
            continue
        root = etree.fromstring(part.blob)
        for note in root.iter(_q("w:footnote")):
            if note.get(_q("w:type")) in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            text = " ".join("".join(t.text or "" for t in p.iter(_T)) for p in note.iter(_P))
            if text.strip():
                notes[note.get(_q("w:id")) or ""] = text
    return notes


def read_blocks(path: Path) -> list[Block]:
    """The document body as blocks (pipeline.read.richtext). Raises CorruptFileError when the file is
    not a readable Word document."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise CorruptFileError(f"{path.name}: not a readable Word document, damaged or cut short ({exc})") from exc
    except Exception as exc:  # lxml's XMLSyntaxError and the like on a damaged part
        raise CorruptFileError(f"{path.name}: Word document is damaged ({type(exc).__name__}: {exc})") from exc
    part = document.part
    try:
        numbering_root = part.numbering_part.element
    except (KeyError, NotImplementedError):
        numbering_root = None
    try:
        styles_root = part.styles.element
    except (KeyError, NotImplementedError):
        styles_root = None
    numbering, styles = Numbering.read(numbering_root), _styles(styles_root)
    _resolve_style_links(numbering, styles)
    reader = _Reader(numbering, styles, _footnotes(part.package))
    blocks = reader.blocks(document.element.body)
    for number, note in enumerate(reader.notes_used, start=1):
        blocks.append(f"{number} {reader.footnotes[note]}")
    return blocks
