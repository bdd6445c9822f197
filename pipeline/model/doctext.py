"""A document-wide view of the normalized pages, for extractors.

Extractors search one string (`DocText.text`, pages joined by PAGE_BREAK) and turn global offsets
back into per-page spans with `span()`, so every value carries where it came from.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from pipeline.model.contract import Span
from pipeline.model.pages import PageText

PAGE_BREAK = "\n\f\n"


@dataclass
class DocText:
    pages: list[PageText]
    text: str = field(init=False)
    _starts: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        starts: list[int] = []
        pos = 0
        for page in self.pages:
            starts.append(pos)
            pos += len(page.text) + len(PAGE_BREAK)
        self._starts = starts
        self.text = PAGE_BREAK.join(p.text for p in self.pages)

    def page_index(self, offset: int) -> int:
        """Index into `pages` of the page holding global `offset` (a break belongs to the page before)."""
        if not self.pages:
            raise ValueError("document has no pages")
        return max(0, bisect.bisect_right(self._starts, offset) - 1)

    def page_start(self, index: int) -> int:
        return self._starts[index]

    def span(self, start: int, end: int) -> Span:
        """The span of global [start, end), clipped to the page where it starts."""
        i = self.page_index(start)
        page_len = len(self.pages[i].text)
        local_start = min(max(start - self._starts[i], 0), page_len)
        local_end = min(max(end - self._starts[i], local_start), page_len)
        return Span(page=self.pages[i].number, start=local_start, end=local_end)

    def span_text(self, span: Span) -> str:
        page = next(p for p in self.pages if p.number == span.page)
        return page.text[span.start : span.end]

    def global_offset(self, page_number: int, local: int) -> int:
        for i, page in enumerate(self.pages):
            if page.number == page_number:
                return self._starts[i] + local
        raise KeyError(page_number)
