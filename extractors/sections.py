"""Which part of the plan an offset is in: outline headings and the parts that state no commitments.

Budgets and targets are commitments of the plan. The same numbers also appear where the plan looks
back (`A. ĐÁNH GIÁ TÌNH HÌNH THỰC HIỆN ... NĂM 2022`, `Kết quả đạt được`) or cites other documents
(the preamble), and those are not the plan's own. Headings: parts `A.`, sections `I.`, items `1.`,
`1.1.`, `2.2.1.` at a line start.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from normalizers.vndates import fold_keep_length
from pipeline.doctext import DocText

_HEADING = re.compile(
    r"^[ \t]*(?:(?P<part>[A-D])|(?P<roman>[IVX]{1,5})|(?P<arabic>\d{1,2}(?:\.\d{1,2}){0,3}))[ \t]*[.)]"
    r"(?!\d)[ \t]*(?P<title>\S[^\n]{0,200})",
    re.M,
)
# Headings of a look back at what was done (folded, lower case).
_REVIEW_HEADING = re.compile(
    r"danh gia|ket qua (?:thuc hien|dat duoc)|tinh hinh thuc hien|ket qua noi bat|"
    r"nhung (?:ton tai|han che)|nguyen nhan|bai hoc kinh nghiem"
)
_REVIEW_PHRASE = re.compile(
    r"danh gia (?:ket qua|tinh hinh|viec)|ket qua (?:thuc hien|dat duoc)|tinh hinh thuc hien"
)
_YEAR = re.compile(r"\bnam[ \t\n]+((?:19|20)\d\d)\b", re.I)


def _caps_continuation(text: str, end: int, max_lines: int = 2) -> int:
    """A heading in capitals wrapped over lines: extend `end` over following all-capital lines."""
    for _ in range(max_lines):
        m = re.compile(r"(?:[ \t]*\n)+[ \t]*([^\n]+)").match(text, end)
        if not m or not m.group(1).strip().isupper() or _HEADING.match(fold_keep_length(m.group(1))):
            break
        end = m.end()
    return end


@dataclass(frozen=True, slots=True)
class Heading:
    start: int
    end: int  # end of the heading line
    level: int  # 0 part (A.), 1 section (I.), 2+ numbered items by depth
    title: str


@dataclass
class Outline:
    headings: list[Heading]

    @classmethod
    def of(cls, doc: DocText, start: int = 0) -> Outline:
        folded = fold_keep_length(doc.text)
        heads: list[Heading] = []
        for m in _HEADING.finditer(folded, start):
            if m.group("part"):
                level = 0
            elif m.group("roman"):
                level = 1
            else:
                level = 1 + m.group("arabic").count(".") + 1
            end = _caps_continuation(doc.text, m.end()) if m.group("title").isupper() else m.end()
            heads.append(Heading(m.start(), end, level, " ".join(doc.text[m.start("title"):end].split())))
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
        """The year named by the nearest enclosing heading (`... NĂM 2023`), if any."""
        for head in reversed(self.enclosing(pos)):
            m = _YEAR.search(fold_keep_length(head.title))
            if m:
                return int(m.group(1))
        return None
