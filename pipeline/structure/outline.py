"""The outline of a plan: parts (A., Phần I), sections (I., I/, Mục 1), items (1., 1.1., 2.2.1., 1/), letters
(a), đ), a/), bullets (-, +, *), appendices (Phụ lục) — each node with its extent in DocText.text and its parent.

Headings are recognised by the marker that opens a line, so the parser works on hard-wrapped text
and on text whose paragraphs were rejoined alike. Pipe rows (tables) are not outline lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.model.doctext import DocText

# Rank: smaller is higher in the hierarchy. Items take 20 + depth (1. → 21, 1.1. → 22, ...).
_RANK = {"appendix": 0, "part": 1, "section": 2, "letter": 40, "bullet": 50, "subbullet": 51}

_APPENDIX = re.compile(r"^(PH[UỤ]\s*L[UỤ]C|Ph[uụ]\s*l[uụ]c)\b[ \t]*([0-9IVXLivx]*)", re.U)
_PART = re.compile(r"^((?:PHẦN|Phần)\s+[IVX]+|PHẦN\s+(?:THỨ\s+)?[A-ZÀ-Ỹ]+|[A-H])[.:]?\s+(?=\S)")
_SECTION = re.compile(r"^([IVXL]{1,5})\s*[.:/]\s*(?=\S)")
# A Roman numeral as OCR reads it (`HI.` for III, `Il.` for II) before a heading in capitals.
_OCR_SECTION = re.compile(r"^((?=[IlH1]*[IlH])[IlH1]{2,4})\s*\.\s*(?=[A-ZĐÀ-Ỹ]{2,}\s)")
# `L MỤC TIÊU`: a bold `I.` read as one letter, its dot swallowed, before a heading all in capitals.
_OCR_FIRST_SECTION = re.compile(r"^[Ll|][ \t]+(?=\w\w)")
# `Điều 2. Tổ chức thực hiện`: an article of the decision that issues a plan ranks with its sections; its marker
# is `Đ2` (the plan's own sections keep their numerals).
_ARTICLE = re.compile(r"^(?:Điều|ĐIỀU)\s+(\d{1,3})\s*[.:]\s*(?=\S)")
# `Mục 1.` heads a section under a `Phần`; its marker is the number.
_MUC = re.compile(r"^(?:MỤC|Mục)\s+(\d{1,2}|[IVX]{1,4})\s*[.:]\s*(?=\S)")
# `1/ ` and `a/ ` only with a space after the slash: `1/2021` and `3/QĐ` are not markers.
_ITEM = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,4})(?:(?:\.|\))\s*|/[ \t]+)(?=[^\d\s./%-])")
# `7.1 Tổng kết`: a numbered heading whose last dot the author left out, before a capital
_BARE_ITEM = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,4})[ \t]+(?=\w\w)")
# `$.2.`: OCR's reading of `5.2.` (a dollar sign never opens a line of a plan)
_OCR_ITEM = re.compile(r"^\$(\.\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(?=[^\d\s./%-])")
_LETTER = re.compile(r"^([a-hđ])(?:\)\s*|/[ \t]+)(?=\S)")
# `—` and OCR's `~` (a dash it misread) open bullets too
_BULLET = re.compile(r"^([-–—•*]|~(?=\s)|\+)\s*(?=\S)")


@dataclass(slots=True)
class OutlineNode:
    kind: str  # "appendix" | "part" | "section" | "item" | "letter" | "bullet" | "subbullet"
    marker: str  # as printed, without the trailing dot/parenthesis: "IV", "2.2.1", "a", "-"
    title: str  # the heading's own text (its first line, up to a colon)
    start: int  # global offset of the marker in DocText.text
    end: int  # end of the node's extent (children included)
    body_start: int  # first character after the marker
    level: int  # depth in the tree (0 = top)
    parent: int | None  # index of the parent node in the list, None at the top

    @property
    def rank(self) -> int:
        if self.kind == "item":
            return 20 + self.marker.count(".")
        return _RANK[self.kind]


def _classify(line: str) -> tuple[str, str, int] | None:
    """(kind, marker, length of the marker prefix) for a line that opens an outline node."""
    stripped = line.lstrip()
    indent = len(line) - len(stripped)
    if not stripped or stripped.startswith("|"):
        return None
    if m := _APPENDIX.match(stripped):
        return "appendix", (m.group(0).strip()), indent + m.end()
    if m := _SECTION.match(stripped):
        return "section", m.group(1), indent + m.end()
    if m := _OCR_SECTION.match(stripped):
        return "section", "I" * len(m.group(1)), indent + m.end()
    if m := misread_first_section(stripped):
        return "section", "I?", indent + m.end()
    if m := _ARTICLE.match(stripped):
        return "section", f"Đ{m.group(1)}", indent + m.end()
    if m := _MUC.match(stripped):
        return "section", m.group(1), indent + m.end()
    if (m := _PART.match(stripped)) and (len(m.group(1)) > 1 or stripped[m.end() : m.end() + 1].isupper()):
        return "part", m.group(1), indent + m.end()
    if m := _ITEM.match(stripped):
        return "item", m.group(1), indent + m.end()
    if (m := _BARE_ITEM.match(stripped)) and stripped[m.end()].isupper() and stripped[m.end() + 1].islower():
        return "item", m.group(1), indent + m.end()
    if m := _OCR_ITEM.match(stripped):
        return "item", f"5{m.group(1)}", indent + m.end()
    if m := _LETTER.match(stripped):
        return "letter", m.group(1), indent + m.end()
    if m := _BULLET.match(stripped):
        return ("subbullet" if m.group(1) == "+" else "bullet"), m.group(1), indent + m.end()
    return None


def misread_first_section(line: str) -> re.Match[str] | None:
    """The marker of `L MỤC TIÊU` (see `_OCR_FIRST_SECTION`) when the rest of the line is a heading
    in capitals (two words or more), not a sentence; the caller decides whether it comes first."""
    m = _OCR_FIRST_SECTION.match(line)
    if m is None:
        return None
    words = line[m.end() :].split()
    return m if len(words) >= 2 and line[m.end() :].isupper() and sum(w.isalpha() for w in words) >= 2 else None


_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def _next_roman(previous: str) -> str:
    return _ROMAN[_ROMAN.index(previous) + 1] if previous in _ROMAN[:-1] else "I"


def _title(line: str) -> str:
    head = line.split(":", 1)[0] if ":" in line[:200] else line
    return " ".join(head.split())[:300]


def parse_outline(doc: DocText) -> list[OutlineNode]:
    """Every heading-like node of the document in reading order, with extents and parents."""
    text = doc.text
    nodes: list[OutlineNode] = []
    stack: list[int] = []
    pos = 0
    last_section = ""
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        found = _classify(line.replace("\f", " "))
        if found is None:
            continue
        kind, marker, prefix = found
        if kind == "section" and marker == "I?":
            if last_section:
                continue  # only the first section's `I.` is read so; a later `L` is not a heading
            marker = "I"
        elif kind == "section" and set(marker) == {"I"} and not _SECTION.match(line.lstrip()):
            marker = _next_roman(last_section)  # a numeral OCR misread follows the section before it
        if kind == "section":
            last_section = marker
        node = OutlineNode(
            kind=kind,
            marker=marker,
            title=_title(line[prefix:]),
            start=line_start + len(line) - len(line.lstrip()),
            end=len(text),
            body_start=line_start + prefix,
            level=0,
            parent=None,
        )
        while stack and nodes[stack[-1]].rank >= node.rank:
            nodes[stack.pop()].end = line_start
        node.parent = stack[-1] if stack else None
        node.level = len(stack)
        stack.append(len(nodes))
        nodes.append(node)
    return nodes


def node_text(doc: DocText, node: OutlineNode) -> str:
    """The node's whole extent after its marker (children included)."""
    return doc.text[node.body_start : node.end]


def own_text_end(
    nodes: list[OutlineNode], index: int, kinds: tuple[str, ...] = ("part", "section", "item", "letter")
) -> int:
    """Where the node's own text stops: at its first child of `kinds` (bullets belong to it), else its end."""
    for j in range(index + 1, len(nodes)):
        if nodes[j].parent == index and nodes[j].kind in kinds:
            return nodes[j].start
        if nodes[j].start >= nodes[index].end:
            break
    return nodes[index].end


def ancestors(nodes: list[OutlineNode], index: int) -> list[int]:
    """Indices of the node's ancestors, nearest first."""
    out: list[int] = []
    parent = nodes[index].parent
    while parent is not None:
        out.append(parent)
        parent = nodes[parent].parent
    return out


def section_of(nodes: list[OutlineNode], index: int, kinds: tuple[str, ...] = ("section",)) -> int | None:
    """The nearest ancestor of one of `kinds`."""
    return next((a for a in ancestors(nodes, index) if nodes[a].kind in kinds), None)
