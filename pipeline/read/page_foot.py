"""The foot of an OCR'd page: its footnotes, and the two-column block that closes a plan.

Footnotes stand under a short rule at the foot of a page, in smaller type. Read with the page, they
land between its last body line and the next page's first, inside the sentence the page break cuts.
They are found by the rule (starting at the text's left edge, shorter than the text is wide, in the
lower half of the page) with smaller type under it than above it, and taken out of the page's words;
pipeline.read.ingest puts them after the document's body, as a Word file's footnotes are read.

A plan closes with two columns side by side: the Nơi nhận list on the left; the signer's title,
signature and name on the right, often under a seal. Tesseract's page layout analysis mixes their
lines around the seal and the signature stroke. The block is found in the word boxes of the page's
first reading: from its last text line upward, the lines leave a vertical corridor free of words,
with words on both sides, until a line (the body's full width) covers it. Each column is then cut
out and read on its own (`read_columns_apart`), the left one first; the new reading is kept when
the right column's lines are set centred on one axis, as a signer's title and name are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image

from pipeline.model.pages import Note
from pipeline.read.engines.tesseract import OcrWord
from pipeline.read.ocr_tables import text_lines
from pipeline.read.rulings import find_rules, ink_mask

_MIN_CONF = 50  # a word read with less confidence may be a stroke or a speck read as letters
_STRAY_CONF = 60  # signs without a letter or digit read with less confidence: a stroke, a speck
_NOTE_RULE = (0.8, 0.6)  # a footnote rule: at least this many inches, at most this share of the text width
_RULE_AT_MARGIN = 0.4  # inch from the text's left edge
_RULE_CLEAR = 0.03  # inch of paper between a footnote rule and the words over and under it
_SMALL_TYPE = 0.9  # footnote words at most this share of the body words' height (median)
_RAISED = 0.25  # a note's mark ends above the next word's bottom by this share of its height
_CENTRED = 0.15  # inch: the right column's lines share one centre within this
_PAD = 0.03  # inch of paper kept above and below a column cut out
_MARGIN = 0.25  # inch of paper kept beside the block's outer words (a wider word the first reading missed)
LEFT_COLUMN_BLOCK, RIGHT_COLUMN_BLOCK = 20_000, 30_000  # Tesseract block ids of the columns read apart


def _is_text(word: OcrWord, letters: int = 1) -> bool:
    """A confidently read word with at least `letters` letters or digits (not a stroke read as `—`)."""
    return word.conf >= _MIN_CONF and sum(c.isalnum() for c in word.text) >= letters


def _mid_y(word: OcrWord) -> float:
    return word.top + word.height / 2


def _read_lines(words: Sequence[OcrWord]) -> list[list[OcrWord]]:
    """The words' lines as Tesseract read them, top to bottom, each left to right."""
    by_line: dict[tuple[int, int, int], list[OcrWord]] = {}
    for word in words:
        by_line.setdefault((word.block, word.par, word.line), []).append(word)
    lines = [sorted(line, key=lambda w: w.left) for line in by_line.values()]
    return sorted(lines, key=lambda line: float(np.median([_mid_y(w) for w in line])))


def _lines_above_page_number(
    words: Sequence[OcrWord], group: Callable[[Sequence[OcrWord]], list[list[OcrWord]]] = text_lines
) -> list[list[OcrWord]]:
    """The words' lines, top to bottom, without a page number standing alone under them."""
    lines = group(words)
    while lines and len(lines[-1]) == 1 and lines[-1][0].text.isdigit():
        lines.pop()
    return lines


def split_notes(words: Sequence[OcrWord], image: Image.Image, dpi: int) -> tuple[list[OcrWord], list[Note]]:
    """The page's words without its footnotes, and the footnotes (none when the page has none)."""
    text = [w for w in words if _is_text(w)]
    if len(text) < 10:
        return list(words), []
    lines = _lines_above_page_number(text)
    if not lines or np.median([w.height for w in lines[-1]]) > _SMALL_TYPE * np.median([w.height for w in text]):
        return list(words), []  # the page does not end in small type: no image search (~0.4 s a page)
    left = float(np.percentile([w.left for w in text], 5))
    width = float(np.percentile([w.right for w in text], 95)) - left
    gray = np.asarray(image.convert("L"))
    half = gray.shape[0] // 2
    rules = find_rules(ink_mask(gray[half:]), round(dpi * _NOTE_RULE[0]), dpi)
    for rule in sorted(rules, key=lambda r: r.pos):
        y = rule.pos + half
        if rule.end - rule.start > _NOTE_RULE[1] * width or abs(rule.start - left) > _RULE_AT_MARGIN * dpi:
            continue
        if any(_beside(w, y, rule.start, rule.end, dpi) for w in text):
            continue  # an underline, or a rule with text beside it: not a footnote separator
        above = [w.height for w in text if _mid_y(w) < y]
        below = [w.height for w in text if _mid_y(w) > y]
        if not above or not below or np.median(below) > _SMALL_TYPE * np.median(above):
            continue
        return [w for w in words if _mid_y(w) < y], _notes([w for w in words if _mid_y(w) > y])
    return list(words), []


def _beside(word: OcrWord, y: float, start: int, end: int, dpi: int) -> bool:
    """Whether `word` stands on the line of a rule at `y`, or just over it (a word it underlines)."""
    clear = _RULE_CLEAR * dpi
    if word.top <= y <= word.bottom:
        return True
    return word.top - clear < y < word.bottom + clear and word.left < end and word.right > start


def _notes(words: list[OcrWord]) -> list[Note]:
    """Footnotes from their words, line by line: a line whose first word is a raised mark (the
    note's number in small type) starts a note."""
    notes: list[Note] = []
    lines: dict[tuple[int, int, int], list[OcrWord]] = {}
    for word in words:  # Tesseract's lines: small type under a skew mixes lines told apart by height
        lines.setdefault(word.line_key, []).append(word)
    for line in (sorted(ws, key=lambda w: w.left) for ws in lines.values()):
        first = line[0]
        raised = (
            len(line) > 1 and first.bottom < line[1].bottom - _RAISED * line[1].height and first.height < line[1].height
        )
        rest = " ".join(w.text for w in (line[1:] if raised else line))
        if raised or not notes:
            mark = first.text.strip()
            number = int(mark) if raised and mark.isdigit() else None
            notes.append(Note(number, rest))
        else:
            notes[-1].text += "\n" + rest
    return notes


def _free_gaps(words: Sequence[OcrWord], min_gap: float) -> list[tuple[int, int]]:
    """The vertical corridors no word covers, at least `min_gap` wide, between the words' extremes."""
    spans = sorted((w.left, w.right) for w in words)
    gaps = []
    reach = spans[0][1]
    for left, right in spans[1:]:
        if left - reach >= min_gap:
            gaps.append((reach, left))
        reach = max(reach, right)
    return gaps


@dataclass(frozen=True, slots=True)
class ClosingBlock:
    """The two-column block that closes a page, in page pixels; `split` lies in the corridor
    between its columns."""

    left: int
    top: int
    right: int
    bottom: int
    split: int

    def overlaps(self, top: float, bottom: float) -> bool:
        return top < self.bottom and bottom > self.top


def closing_columns(words: Sequence[OcrWord], dpi: int) -> ClosingBlock | None:
    """The two-column block that closes the page, or None when the page does not end in one."""
    text = [w for w in words if _is_text(w, 2)]
    if len(text) < 6:
        return None
    # Tesseract's own lines, which follow the page's skew: grouped by height alone, the end of a
    # tilted body line fell into a line of its own beside the block and was read as one of its columns.
    lines = _lines_above_page_number(text, _read_lines)
    min_gap = float(np.median([w.height for w in text]))
    block: list[list[OcrWord]] = []
    gaps: list[tuple[int, int]] = []
    for line in reversed(lines):
        found = _free_gaps([w for ln in [line, *block] for w in ln], min_gap)
        if gaps and not found:
            break  # a line across the corridor: the body above the block
        block.insert(0, line)
        gaps = found
    for lo, hi in sorted(gaps, key=lambda g: g[0] - g[1]):  # the widest corridor first
        n_right = sum(any(w.left >= hi for w in line) for line in block)
        n_left = sum(any(w.right <= lo for w in line) for line in block)
        if n_right < 2 or n_left < 2:
            continue
        inside = [w for line in block for w in line]
        return ClosingBlock(
            min(w.left for w in inside),
            min(w.top for w in inside),
            max(w.right for w in inside),
            max(w.bottom for w in inside),
            (lo + hi) // 2,
        )
    return None


def _centred(words: Sequence[OcrWord], dpi: int) -> bool:
    """Whether most lines of these words share one centre and not one left edge: a title and a
    name set centred, as a signer's are."""
    lines = text_lines([w for w in words if _is_text(w, 2)])
    if len(lines) < 2:
        return False
    centres = [(line[0].left + line[-1].right) / 2 for line in lines]
    axis = float(np.median(centres))
    on_axis = [line for line, c in zip(lines, centres, strict=True) if abs(c - axis) <= _CENTRED * dpi]
    lefts = [line[0].left for line in on_axis]
    return 3 * len(on_axis) >= 2 * len(lines) and len(on_axis) >= 2 and max(lefts) - min(lefts) > _CENTRED * dpi


def read_columns_apart(
    words: Sequence[OcrWord],
    image: Image.Image,
    block: ClosingBlock,
    read: Callable[[Image.Image], list[OcrWord]],
    dpi: int,
) -> list[OcrWord]:
    """The page's words with those of the closing block replaced by its two columns' words, each
    column cut out and read on its own (`read`), the left column's lines before the right's; the
    words as they were when the right column, so read, is not set centred."""
    top, bottom = block.top, block.bottom
    pad, margin = round(dpi * _PAD), round(dpi * _MARGIN)
    y0, y1 = max(0, top - pad), min(image.height, bottom + pad)
    # Cut at the text's edges, not the image's: a scan's dark border would be read as `|`.
    left, right = max(0, block.left - margin), min(image.width, block.right + margin)

    def read_apart(x0: int, x1: int, base: int) -> list[OcrWord]:
        return [
            replace(w, left=w.left + x0, top=w.top + y0, block=base + w.block)
            for w in read(image.crop((x0, y0, x1, y1)))
            if w.conf >= _STRAY_CONF or any(c.isalnum() for c in w.text)  # not a piece of the signature stroke
        ]

    right_column = read_apart(block.split, right, RIGHT_COLUMN_BLOCK)
    if not _centred(right_column, dpi):
        return list(words)  # not a signer's title and name (a borderless table's column, a picture)
    columns = read_apart(left, block.split, LEFT_COLUMN_BLOCK) + right_column
    inside = [top <= _mid_y(w) <= bottom for w in words]
    at = inside.index(True) if any(inside) else len(words)
    kept = [w for w, within in zip(words, inside, strict=True) if not within]
    return kept[:at] + columns + kept[at:]
