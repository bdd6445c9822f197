"""Page text repair: RawPage → PageText, keeping a map from every repaired character to the raw text.

Steps, each one pass over the page (no per-character rescans):
0. Unicode NFC, lookalike Ð (U+00D0) made Đ and an OCR-doubled Đ collapsed;
1. one tone-mark style (normalizers.tone), diacritic restoration (normalizers.restore)
   — both keep lines and tokens, so their offsets compose token by token;
2. lines: runs of spaces collapsed, page numbers and running headers/footers (lines repeating in
   the margins of several pages) dropped;
3. paragraphs: hard-wrapped lines rejoined (a line ending mid-sentence continues on the next),
   words hyphenated at a line end rejoined, stray blank lines dropped; outline items (`I.`, `1.1.`,
   `a)`, `-`), capitalised headings and table pipe rows (`| a | b |`) always start their own line.

The result has one paragraph (or heading, or table row) per line.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from normalizers.glued_syllables import split_glued, vietnamese_pair
from normalizers.restore import correct_ocr_page as _correct_ocr_page
from normalizers.restore import document_phrases, harmonize_pages, page_is_bare
from normalizers.restore import restore_page as _restore_page
from normalizers.restore import split_bare_glued as _split_bare_glued
from normalizers.tone import normalize_tone_style as _tone_style
from normalizers.unicode_text import eth_mapped, nfc_mapped
from normalizers.vndates import fold_keep_length
from pipeline.model.pages import PageText, RawPage

log = logging.getLogger(__name__)

RestoreFn = Callable[[str], tuple[str, bool]]
SplitFn = Callable[[str], tuple[str, list[int]]]  # text → (text with spaces inserted, index into the old)

_TOKEN = re.compile(r"[^\s\u200b\ufeff]+")
_PIPE_ROW = re.compile(r"^\|.*\|$")
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*)?\d{1,3}(?:\s*[-–—])?$|^(?:trang|page)\s+\d{1,3}(?:\s*/\s*\d{1,3})?$|^\d{1,3}\s*/\s*\d{1,3}$",
    re.IGNORECASE,
)
# Outline markers: A. / IV. / 1. / 1.2. / 1.2 / a) / đ) / - + * • and named parts.
_OUTLINE = re.compile(
    r"^(?:[A-ZĐ]\.|[IVXLC]{1,6}\.|\d{1,2}(?:\.\d{1,2})+\.?|\d{1,2}[.)]|[a-zđ][.)/]"
    r"|(?:Phần|Chương|Mục|Điều|Phụ lục|PHẦN|CHƯƠNG|MỤC|ĐIỀU|PHỤ LỤC)\s+[\dIVXLC]+)(?=\s|$)"
)
_BULLET = re.compile(r"^[-+*•–—·▪●○]\s*")
# Words that open a paragraph of a plan's preamble or body (folded, capitalised as printed): after a
# title or heading line, a line starting with one is a new paragraph even when the line before is full.
# Multi-word cues are matched without accents too; `Nhằm`, `Để` only as printed (`Đề án` folds like `Để`).
_PARAGRAPH_CUE = re.compile(r"^(?:Can cu|Thuc hien|Trien khai|Xet de nghi|Theo de nghi)\b")
_PARAGRAPH_CUE_PRINTED = re.compile(r"^(?:Nhằm|Để)\b")
# Words that leave a sentence open: a line ending in one is continued whatever the next line says.
_OPEN_END = re.compile(
    r"(?:\b(?:va|cua|ve|tai|theo|voi|cac|nhung|cho|so|la|de|nham|hoac|trong|tren|thuoc|nhu)|[,(\-–“\"])$"
)
_TERMINAL = re.compile(r"[.!?:;…][\"”’)\]]*$")
_HYPHEN_END = re.compile(r"[^\W_]-$")
# Separator rules under a header or title (`―――――`, `_____`, `-----`, `***`, box drawing): layout, not text.
_RULE_CHARS = r"\-_=*~―─━═–—\u2500-\u257f"
_RULE_LINE = re.compile(rf"^(?:[{_RULE_CHARS}][ ]?){{3,}}$")
_TRAILING_RULE = re.compile(rf"[ ]+[{_RULE_CHARS}]{{3,}}$")
# Header lines of an administrative document each stand alone: `Số: 12/KH-UBND`, the national motto,
# `<Place>, ngày .. tháng .. năm ....` and the type (`KẾ HOẠCH`). Matched on folded text.
_HEADER_START = re.compile(r"^(?:So\s*:|CONG HOA XA HOI|Doc lap\s*-)")
_PLACE_DATE_END = re.compile(r",\s*ngay\b.{0,12}\bthang\b.{0,8}\bnam\s+(?:19|20)\d\d$")
_DOC_TYPE_LINE = re.compile(
    r"^(?:KE HOACH|CHUONG TRINH(?: HANH DONG)?|DE AN|QUYET DINH|NGHI QUYET|CHI THI|HUONG DAN|BAO CAO|THONG BAO)$"
)
# An outline item glued to the sentence before it (`... địa lý.c) Không dưới ...`, `... Long.Mục 2. Chỉ
# tiêu`): after a sentence end, a letter marker or a named part followed by a capitalised word.
_GLUED_ITEM = re.compile(
    r"(?<=[.;])[ ]?(?=(?:[a-zđ][)/]|(?:Phần|Chương|Mục|PHẦN|CHƯƠNG|MỤC)[ ][\dIVXLC]{1,4}\.)[ ]?[^\W\d_])"
)
_MARGIN_LINES = 3  # lines at the top and bottom of a page where headers/footers live
# The national motto (`CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM`, `Độc lập - Tự do - Hạnh phúc`) near a page's
# top: the page opens a document (a Quyết định, then the Kế hoạch it issues). Matched on folded text.
_MOTTO = re.compile(r"\bCONG HOA XA HOI CHU NGHIA\b|\bDoc lap\s*-\s*Tu do\b", re.IGNORECASE)
_HEAD_LINES = 8  # lines at the top of a page where a document's head (issuer, motto) sits
_LONG_LINE = 0.72  # share of the page's usual line length from which a line counts as full


@dataclass(slots=True)
class _Line:
    text: str  # whitespace collapsed, stripped
    index: list[int]  # index into the page's restored text of each character of `text`
    end: int  # index just past the line in the restored text (its newline)
    blank_before: bool
    rule_before: bool = False  # a separator rule stood above it: never a continuation


# --- offsets ----------------------------------------------------------------------------------------


def _compose(outer: list[int], inner: list[int]) -> list[int]:
    """Offsets through two maps: inner maps new→mid, outer maps mid→raw."""
    return [outer[i] for i in inner]


def _token_map(old: str, new: str) -> list[int] | None:
    """Index map new→old for texts with the same lines and tokens, or None if they differ."""
    old_tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(old)]
    new_tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(new)]
    if len(old_tokens) != len(new_tokens) or old.count("\n") != new.count("\n"):
        return None
    index: list[int] = []
    old_prev = new_prev = 0
    for (os_, oe), (ns, ne) in zip(
        [*old_tokens, (len(old), len(old))], [*new_tokens, (len(new), len(new))], strict=True
    ):
        for span_old, span_new in (((old_prev, os_), (new_prev, ns)), ((os_, oe), (ns, ne))):
            o0, o1 = span_old
            n0, n1 = span_new
            if o1 - o0 == n1 - n0:
                index.extend(range(o0, o1))
            else:  # a token that changed length: spread it over the old token
                olen = max(o1 - o0, 1)
                index.extend(min(o0 + (j * olen) // max(n1 - n0, 1), max(o1 - 1, o0)) for j in range(n1 - n0))
        old_prev, new_prev = oe, ne
    index.append(len(old))
    return index


def _apply_token_preserving(text: str, offsets: list[int], fn: Callable[[str], str]) -> tuple[str, list[int]]:
    """Apply a token-preserving rewrite, composing offsets; a rewrite that breaks tokens is refused."""
    new = fn(text)
    if new == text:
        return text, offsets
    index = _token_map(text, new)
    if index is None:
        log.warning("rewrite changed the page's tokens; kept the text before it")
        return text, offsets
    return new, _compose(offsets, index)


# --- lines ------------------------------------------------------------------------------------------


def _split_lines(text: str) -> list[_Line]:
    """Lines with whitespace collapsed and the index of each kept character; blank lines folded."""
    lines: list[_Line] = []
    blank = False
    pos = 0
    for raw_line in text.split("\n"):
        end = pos + len(raw_line)
        parts: list[str] = []
        index: list[int] = []
        prev_end = 0
        for m in _TOKEN.finditer(raw_line):
            if parts:
                parts.append(" ")
                index.append(pos + prev_end)
            token = m.group().replace("\xad", "")  # soft hyphens: invisible break hints
            parts.append(token)
            if len(token) == m.end() - m.start():
                index.extend(range(pos + m.start(), pos + m.end()))
            else:
                index.extend(pos + m.start() + j for j, c in enumerate(m.group()) if c != "\xad")
            prev_end = m.end()
        if parts:
            lines.append(_Line("".join(parts), index, end, blank))
            blank = False
        else:
            blank = True
        pos = end + 1
    return lines


def _cut(line: _Line, at: int) -> tuple[_Line, _Line]:
    """`line` split before character `at` (a space at the cut is dropped)."""
    head_end = at - 1 if at > 0 and line.text[at - 1] == " " else at
    head = _Line(line.text[:head_end], line.index[:head_end], line.index[at], line.blank_before, line.rule_before)
    return head, _Line(line.text[at:], line.index[at:], line.end, False)


def _separate(lines: list[_Line]) -> list[_Line]:
    """Separator rules dropped (the line after one starts afresh), outline items glued to the sentence
    before them put on their own line."""
    out: list[_Line] = []
    rule = False
    for line in lines:
        if _RULE_LINE.match(line.text):
            rule = True
            continue
        trailing = _TRAILING_RULE.search(line.text)
        if trailing:
            line = _Line(
                line.text[: trailing.start()],
                line.index[: trailing.start()],
                line.end,
                line.blank_before,
                line.rule_before,
            )
        line.rule_before = line.rule_before or rule
        rule = bool(trailing)
        while True:
            glued = next(
                (m for m in _GLUED_ITEM.finditer(line.text, 1) if _item_body_capitalised(line.text, m.end())), None
            )
            if glued is None:
                break
            head, line = _cut(line, glued.end())
            out.append(head)
        out.append(line)
    return out


def _item_body_capitalised(text: str, at: int) -> bool:
    """After the marker at `at` (`c) Không`, `Mục 2. Chỉ`) the item opens with a capital."""
    m = re.match(r"(?:[a-zđ][)/]|\S+ [\dIVXLC]{1,4}\.) ?(\w)", text[at:])
    return m is not None and m.group(1).isupper()


def _margin_key(line: str) -> str:
    return re.sub(r"\d+", "#", line.casefold())


def _margins(lines: list[_Line]) -> list[_Line]:
    """Lines at the top and bottom of a page that could be running headers or footers.

    Body text that happens to repeat there is not: outline items, lines continuing a sentence
    (lowercase start), full-width wrapped lines, and table rows are never candidates.
    """
    head = lines[:_MARGIN_LINES]
    tail = lines[-_MARGIN_LINES:] if len(lines) > _MARGIN_LINES else []
    full = _usual_length(lines)
    candidates: list[_Line] = []
    for line in head + [t for t in tail if all(t is not h for h in head)]:
        text = line.text
        if _PIPE_ROW.match(text) or _OUTLINE.match(text) or _BULLET.match(text):
            continue
        if text[:1].islower() or len(text) >= 0.9 * full:
            continue
        candidates.append(line)
    return candidates


def repeated_margin_lines(pages: list[list[_Line]]) -> set[str]:
    """Keys of lines found in the top or bottom margin of many pages: running headers and footers."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    on_body_pages: set[str] = set()
    for lines in pages:
        keys = {_margin_key(ln.text) for ln in _margins(lines)}
        counts.update(keys)
        if not _opens_document(lines):
            on_body_pages |= keys
    needed = max(2, math.ceil(0.4 * len(pages)))
    # The heads of two documents in one file (a decision and the plan it issues) repeat the issuer
    # and the motto at the top of their first pages; a running header also runs over body pages.
    return {key for key, n in counts.items() if n >= needed and key in on_body_pages}


def _opens_document(lines: list[_Line]) -> bool:
    """The page starts a document: the national motto stands among its first lines."""
    return any(_MOTTO.search(fold_keep_length(ln.text)) for ln in lines[:_HEAD_LINES])


def _drop_furniture(lines: list[_Line], repeated: set[str]) -> list[_Line]:
    """Lines without page numbers and running headers/footers."""
    candidate_ids = {id(ln) for ln in _margins(lines)}
    kept: list[_Line] = []
    for i, line in enumerate(lines):
        if _PAGE_NUMBER.match(line.text):
            at_edge = i < _MARGIN_LINES or i >= len(lines) - _MARGIN_LINES
            next_blank = i + 1 < len(lines) and lines[i + 1].blank_before
            isolated = line.blank_before and (next_blank or i + 1 == len(lines))
            if at_edge or isolated:
                continue
        if id(line) in candidate_ids and _margin_key(line.text) in repeated:
            continue
        kept.append(line)
    return kept


# --- paragraphs -------------------------------------------------------------------------------------


def _is_caps_heading(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 3:
        return False
    return sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _wrapped_dash(prev: str, text: str) -> bool:
    """ "kinh tế\n- xã hội": a dash wrapped to the line start inside a sentence, not a bullet."""
    bullet = _BULLET.match(text)
    return bullet is not None and text[bullet.end() :][:1].islower() and not _TERMINAL.search(prev)


def _starts_item(prev: str, text: str) -> bool:
    """Does `text` open an outline item or bullet (rather than continue the line before)?"""
    return bool(_OUTLINE.match(text)) or (bool(_BULLET.match(text)) and not _wrapped_dash(prev, text))


def _usual_length(lines: list[_Line]) -> float:
    lengths = sorted(len(ln.text) for ln in lines if len(ln.text) >= 20 and not _PIPE_ROW.match(ln.text))
    if len(lengths) < 4:
        return 70.0
    return float(lengths[int(0.8 * (len(lengths) - 1))])


def _header_break(prev: str, text: str) -> bool:
    """Header lines (`Số: ...`, the motto, `<Place>, ngày ...`, `KẾ HOẠCH`) are never run together."""
    p, t = fold_keep_length(prev), fold_keep_length(text)
    return bool(
        _HEADER_START.match(t)
        or _PLACE_DATE_END.search(p)
        or _DOC_TYPE_LINE.match(" ".join(t.split()))
        or _DOC_TYPE_LINE.match(" ".join(p.split()))
        or (_HEADER_START.match(p) and _is_caps_heading(t))
    )


def _continues(prev: _Line, line: _Line, full: float) -> bool:
    """Whether `line` continues the paragraph that `prev` ends."""
    p, t = prev.text, line.text
    if line.rule_before or _PIPE_ROW.match(p) or _PIPE_ROW.match(t):
        return False
    if _header_break(p, t):
        return False
    if _HYPHEN_END.search(p) and t[:1].isalnum():
        return True
    if _wrapped_dash(p, t):
        return True
    if _starts_item(p, t):
        return False
    terminal = _TERMINAL.search(p) is not None
    cue = _PARAGRAPH_CUE.match(fold_keep_length(t[:14])) or _PARAGRAPH_CUE_PRINTED.match(t)
    if not terminal and cue and not _OPEN_END.search(fold_keep_length(p[-8:]).lower()):
        return False  # a title line, then `Căn cứ ...`
    prev_caps, caps = _is_caps_heading(p), _is_caps_heading(t)
    if prev_caps and caps:
        # A heading wrapped over two lines; bold capitals fill a line with fewer characters.
        return not terminal and len(p) >= 0.5 * full
    if prev_caps:
        return False  # heading, then its body
    if t[:1].islower():
        return True  # mid-sentence, or after `;` inside one list item
    if terminal:
        return False
    # A capitalised word or a number after a full line was wrapped by the layout, not the author.
    return len(p) >= _LONG_LINE * full


def _join_pieces(prev: _Line, line: _Line) -> tuple[str, list[int]]:
    """What goes between `prev` and its continuation `line`: a space, or nothing after a hyphen."""
    if _HYPHEN_END.search(prev.text) and line.text[:1].isalnum():
        before = re.search(r"[^\W\d_]+(?=-$)", prev.text)
        after = re.match(r"[^\W\d_]+", line.text)
        if (
            prev.text[-2].isalpha()
            and line.text[:1].islower()
            and not (before and after and vietnamese_pair(before.group(), after.group()))
        ):
            prev.text = prev.text[:-1]  # "manage-\nment" style split word: drop the hyphen
            prev.index = prev.index[:-1]
        return "", []
    return " ", [prev.end]


def _paragraphs(lines: list[_Line], *, rejoin: bool = True) -> tuple[str, list[int]]:
    full = _usual_length(lines)
    parts: list[str] = []
    index: list[int] = []
    pending: _Line | None = None  # the last line, emitted once we know how the next one starts

    def flush(line: _Line) -> None:
        parts.append(line.text)
        index.extend(line.index)

    for line in lines:
        if pending is not None:
            if rejoin and _continues(pending, line, full):
                sep, sep_index = _join_pieces(pending, line)
                flush(pending)
                parts.append(sep)
                index.extend(sep_index)
            else:
                flush(pending)
                parts.append("\n")
                index.append(pending.end)
        pending = line
    if pending is not None:
        flush(pending)
    return "".join(parts), index


# --- pages ------------------------------------------------------------------------------------------


def _prepare(
    page: RawPage, restore: RestoreFn | None, correct_ocr: RestoreFn | None = None, split_glue: SplitFn | None = None
) -> tuple[str, list[int], bool]:
    """NFC, tone style, (pages printed without marks) glued bare words set apart, restoration and
    (OCR'd pages) post-OCR correction: same lines, and after the split same tokens; returns text,
    offsets, restored?"""
    text, offsets = nfc_mapped(page.text)
    text, eth_index = eth_mapped(text)
    offsets = _compose(offsets, eth_index)
    text, offsets = _apply_token_preserving(text, offsets, _tone_style)
    if split_glue is not None and restore is not None and text.strip():
        text, split_index = split_glue(text)  # `Chitieu` → `Chi tieu` before `Chỉ tiêu` is restored
        offsets = _compose(offsets, split_index)
    restored = False
    if restore is not None and text.strip():
        result: dict[str, bool] = {}

        def run(t: str) -> str:
            new, changed = restore(t)
            result["changed"] = changed
            return new

        before = text
        text, offsets = _apply_token_preserving(text, offsets, run)
        restored = bool(result.get("changed")) and text != before
    if correct_ocr is not None and text.strip():
        text, offsets = _apply_token_preserving(text, offsets, lambda t: correct_ocr(t)[0])
    if page.origin != "ocr" and not restored:
        # A converter's glue, on text whose marks are whole: OCR's odd tokens are misreadings (corrected
        # above), and text that needed its marks restored is too damaged to read glue in.
        text, glue_index = split_glued(text)
        offsets = _compose(offsets, glue_index)
        text, offsets = _apply_token_preserving(text, offsets, _tone_style)  # `uỷ` set apart from `uỷvề` → `ủy`
    return text, offsets, restored


def _replaced_by(new: str) -> Callable[[str], str]:
    return lambda _text: new


def _document_split(raw: list[RawPage]) -> SplitFn:
    """normalizers.restore.split_bare_glued with the document's words written apart as evidence,
    gathered on the first page that needs them (pages with marks never do)."""
    apart: set[str] | None = None

    def split(text: str) -> tuple[str, list[int]]:
        nonlocal apart
        if not page_is_bare(text):
            return text, list(range(len(text) + 1))
        if apart is None:
            apart = document_phrases(page.text for page in raw)
        return _split_bare_glued(text, apart)

    return split


def normalize_pages(
    raw: list[RawPage],
    *,
    restore: RestoreFn | None = None,
    correct_ocr: RestoreFn | None = None,
    split_glue: SplitFn | None = None,
) -> list[PageText]:
    """Repaired text of each page, with offsets back into its raw text.

    `restore` defaults to normalizers.restore.restore_page, `correct_ocr` (run on OCR'd pages) to
    normalizers.restore.correct_ocr_page, when that module is installed; `split_glue` (before
    restoration) to normalizers.restore.split_bare_glued with the document's words written apart as
    evidence, when `restore` is the default one.
    """
    restore_fn = restore if restore is not None else _restore_page
    correct_fn = correct_ocr if correct_ocr is not None else _correct_ocr_page
    split_fn = split_glue if split_glue is not None or restore is not None else _document_split(raw)
    prepared = [_prepare(page, restore_fn, correct_fn if page.origin == "ocr" else None, split_fn) for page in raw]
    if any(restored for _, _, restored in prepared):
        # One document, one spelling of each name: restored pages take the document's dominant one.
        texts = harmonize_pages([text for text, _, _ in prepared], [restored for _, _, restored in prepared])
        for k, ((text, offsets, restored), new) in enumerate(zip(prepared, texts, strict=True)):
            if new != text:
                prepared[k] = (*_apply_token_preserving(text, offsets, _replaced_by(new)), restored)
    page_lines = [_separate(_split_lines(text)) for text, _, _ in prepared]
    repeated = repeated_margin_lines(page_lines)
    out: list[PageText] = []
    for page, (_, offsets, restored), lines in zip(raw, prepared, page_lines, strict=True):
        # Word and web documents keep running headers apart; their lines are all body text.
        kept = lines if page.paragraph_lines else _drop_furniture(lines, repeated)
        repaired, index = _paragraphs(kept, rejoin=not page.paragraph_lines)
        raw_offsets = [offsets[i] for i in index]
        raw_offsets.append(len(page.text))
        out.append(PageText(page.number, page.origin, page.text, repaired, raw_offsets, restored))
    return out
