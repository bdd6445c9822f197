"""Which part of the plan an offset is in, read from the outline the shared context carries
(`ctx.structure.outline`, parsed once by pipeline.structure.document.build_structure).

Budgets and targets are commitments of the plan. The same numbers also appear where the plan looks
back (`A. ĐÁNH GIÁ TÌNH HÌNH THỰC HIỆN ... NĂM 2022`, `Kết quả đạt được`) or cites other documents
(the preamble), and those are not the plan's own. This module only interprets the outline's headings
(parts, sections, numbered items, appendices); it parses nothing itself.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from normalizers.vndates import fold_keep_length
from pipeline.structure.outline import OutlineNode

# Outline kinds that head a part of the plan (letters and bullets are points inside one).
_HEADING_KINDS = ("appendix", "part", "section", "item")
# Headings of a look back at what was done (folded, lower case).
_REVIEW_HEADING = re.compile(
    r"danh gia|ket qua (?:thuc hien|dat duoc)|tinh hinh thuc hien|ket qua noi bat|"
    r"nhung (?:ton tai|han che)|nguyen nhan|bai hoc kinh nghiem"
)
_REVIEW_PHRASE = re.compile(r"danh gia (?:ket qua|tinh hinh|viec)|ket qua (?:thuc hien|dat duoc)|tinh hinh thuc hien")
# A due year in a heading (`KẾ HOẠCH NĂM 2023`, `giai đoạn 2021 - 2025` → 2025); not `so với năm 2020`.
_YEAR = re.compile(
    r"(?<!\bvoi )(?<!\btu )\b(?:nam|giai doan)[ \t\n]+((?:19|20)\d\d)(?:[ \t\n]*[-–][ \t\n]*((?:19|20)\d\d))?\b",
    re.I,
)


def _caps_continuation(text: str, end: int, max_lines: int = 2) -> int:
    """A heading in capitals wrapped over lines: extend `end` over following all-capital lines that
    open no outline node of their own."""
    for _ in range(max_lines):
        m = re.compile(r"(?:[ \t]*\n)+[ \t]*([^\n]+)").match(text, end)
        if (
            not m
            or not m.group(1).strip().isupper()
            or re.match(r"[IVXL]{1,5}\s*[.:/]|\d|[A-H][.:]\s", m.group(1).strip())
        ):
            break
        end = m.end()
    return end


@dataclass(frozen=True, slots=True)
class Heading:
    start: int
    end: int  # end of the heading's line (wrapped capital lines included)
    level: int  # 0 appendix or part (A.), 1 section (I.), 2+ numbered items by depth
    title: str


@dataclass
class Outline:
    headings: list[Heading]

    @classmethod
    def of(cls, text: str, nodes: list[OutlineNode]) -> Outline:
        """The headings among the outline `nodes` of `text` (the document structure's outline)."""
        heads: list[Heading] = []
        for node in nodes:
            if node.kind not in _HEADING_KINDS:
                continue
            line_end = text.find("\n", node.body_start)
            line_end = len(text) if line_end < 0 else line_end
            line = text[node.body_start : line_end]
            if line.strip().isupper():
                line_end = _caps_continuation(text, line_end)
            level = {"appendix": 0, "part": 0, "section": 1}.get(node.kind, 2 + node.marker.count("."))
            heads.append(Heading(node.start, line_end, level, " ".join(text[node.body_start : line_end].split())))
        return cls(heads)

    def enclosing(self, pos: int) -> list[Heading]:
        """Headings whose section holds `pos`, outermost first."""
        i = bisect_right([h.start for h in self.headings], pos)
        chain: list[Heading] = []
        level_bound = 99
        for head in reversed(self.headings[:i]):
            if head.level < level_bound:
                chain.append(head)
                level_bound = head.level
                if level_bound == 0:
                    break
        return list(reversed(chain))

    def in_review(self, pos: int) -> bool:
        """True inside a section that reviews past results (`ĐÁNH GIÁ TÌNH HÌNH THỰC HIỆN`)."""
        for head in self.enclosing(pos):
            title = fold_keep_length(head.title).lower()
            # `Đánh giá` alone also names a task (`Điều tra, đánh giá trình độ công nghệ`) deeper down.
            if (head.level <= 1 and _REVIEW_HEADING.search(title)) or _REVIEW_PHRASE.search(title):
                return True
        return False

    def heading_year(self, pos: int) -> int | None:
        """The due year named by the nearest enclosing heading above `pos` (`... NĂM 2023`), if any.

        A numbered item whose own line holds `pos` is the statement itself, not a heading over it."""
        for head in reversed(self.enclosing(pos)):
            if head.end > pos:
                continue
            m = _YEAR.search(fold_keep_length(head.title).lower())
            if m:
                return int(m.group(2) or m.group(1))
        return None
