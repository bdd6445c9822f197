"""Reading the cells of a table row that OCR read row-interleaved, from the raw OCR lines.

Without a layout, OCR reads a ruled table line by line across all columns: one line holds the pieces of
neighbouring cells in column order (STT | task | lead | cooperating | deadline | product), a `|` where
the OCR kept a rule. Cells are centred vertically in their row, so the short cells (row number, lead
agency, deadline) sit on the lines around the row number, while the long task text spreads above and
below. A row's lead agency and deadline are therefore chosen by a small score over every candidate the
lines near its number name: nearness to the number, being the first agency of its line (the lead column
comes before the cooperating one), not following another agency's words. Matching runs on the raw OCR
text, folded to ASCII, so diacritic restoration cannot garble what is matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from normalizers.agencies import Mention, agency_words, department_tails, find_agencies, folded
from normalizers.deadlines import parse_deadline


@dataclass(frozen=True, slots=True)
class RawLine:
    """One OCR line of a table: its raw text and offset in the page's raw text."""

    pos: int
    text: str

    @property
    def low(self) -> str:
        return folded(self.text).lower()


@dataclass(frozen=True, slots=True)
class CellPick:
    """What a row's cells name: the lead agency, the other agencies, the deadline (as cell text)."""

    lead: str
    others: list[str]
    deadline: str


# Words in the task text that put the agency after them in the task, not in an agency column.
_IN_TASK = re.compile(r"(?:cua|voi|cho|tai|den|giua|thuoc|truc thuoc|theo|tu)\s*$")
_NUMBER_AT_START = re.compile(r"^\s*\|?\s*\d{1,3}\s*[.,:|]?\s*")


def _window(marks: list[int], j: int, n_lines: int, reach: int) -> list[int]:
    """Lines within `reach` of row j's number line that are at least as near to it as to a neighbour's."""
    a = marks[j]
    prev_a = marks[j - 1] if j else None
    next_a = marks[j + 1] if j + 1 < len(marks) else None
    out = []
    for line in range(max(0, a - reach), min(n_lines, a + reach + 1)):
        if prev_a is not None and (line <= prev_a or line - prev_a < a - line):
            continue
        if next_a is not None and (line >= next_a or next_a - line < line - a):
            continue
        out.append(line)
    return out


def _agency_like(word: str) -> bool:
    """A word of an agency's name, allowing OCR damage and a cut end (`Con`, `Cone`, `nohé` ...)."""
    vocab = agency_words()
    if word in vocab:
        return True
    return len(word) >= 4 and any(v.startswith(word) or (len(v) >= 3 and fuzz.ratio(word, v) >= 75) for v in vocab)


def _prefix_is_agency_words(line: str, start: int) -> bool:
    """The words just before `start` (back to a `|`, at most two) continue an agency name of another cell."""
    before = _NUMBER_AT_START.sub("", line[:start]) if line[:start].strip() else ""
    piece = before.rsplit("|", 1)[-1]
    words = re.findall(r"[a-z&]+", folded(piece).lower())[-2:]
    return bool(words) and all(_agency_like(w) for w in words)


# The plan's issuer and the council above it: named in products (`Kế hoạch của UBND tỉnh`), never a doer.
_ISSUERS = {"Ủy ban nhân dân tỉnh", "Hội đồng nhân dân tỉnh"}


def _mentions(line: str) -> list[Mention]:
    low = folded(line).lower()
    return [
        m
        for m in find_agencies(line, fragments=True)
        if m.name not in _ISSUERS and not _IN_TASK.search(low[max(0, m.start - 12) : m.start])
    ]


def _tails(line: str) -> list[Mention]:
    """The `và Công` of a wrapped department name, as a mention of that department."""
    low = folded(line).lower()
    return [
        Mention(m.start(), m.end(), name, line[m.start() : m.end()])
        for pattern, name in department_tails()
        for m in pattern.finditer(low)
    ]


def _alone_in_cell(line: str, m: Mention) -> bool:
    """The mention is all a `| … |` stretch of the line holds: a one-agency cell the OCR kept ruled."""
    left, right = line.rfind("|", 0, m.start), line.find("|", m.end)
    if left < 0 or right < 0:
        return False
    return not re.search(r"[^\W\d_]{2,}", line[left + 1 : m.start] + line[m.end : right])


def pick_agencies(lines: list[RawLine], marks: list[int], j: int, block: range) -> tuple[str, list[str]]:
    """(lead, other agencies) of row j: lead by score over the lines near the row number (see module doc),
    the others every agency the row's block of lines names besides the lead, in reading order.

    Score of a candidate: minus its distance in lines from the row number; +1 as the first agency of its
    line; -2.5 after another cell's agency words (`… và Công | Sở Tài chính`); -0.5 when another agency
    follows it on the line (a list: the cooperating column); -0.5 in lower case (a cell starts with a
    capital; the task text names agencies in lower case); -0.3 for a generic group, -1.5 for a national
    body; +1 alone between two `|`; +1 when its name goes on on the next lines (`Sở Khoa học` /
    `và Công`); a name's middle alone (`và Công`) counts, 1 less than a full one."""
    a = marks[j]
    window = _window(marks, j, len(lines), 2)
    best: tuple[float, int, int, str] | None = None
    for li in window:
        line = lines[li].text
        mentions = _mentions(line)
        tails = [t for t in _tails(line) if not any(m.start <= t.start < m.end for m in mentions)]
        for m in sorted(mentions + tails, key=lambda m: m.start):
            is_tail = m in tails
            k = sum(1 for o in mentions if o.start < m.start)
            score = -1.0 * abs(li - a) + (1.0 if k == 0 else 0.0) - (1.0 if is_tail else 0.0)
            if _prefix_is_agency_words(line, m.start):
                score -= 2.5
            if any(o.start >= m.end for o in mentions):
                score -= 0.5
            if not is_tail and m.text[:1].islower():
                score -= 0.5
            if m.name.startswith(("Các ", "Ủy ban nhân dân cấp")):
                score -= 0.3
            if _alone_in_cell(line, m):
                score += 1.0
            if m.name.startswith("Bộ ") or "Quốc gia" in m.name:
                score -= 1.5  # a national body: a partner of a provincial plan, not its lead
            goes_on = [t for ln in window if li < ln <= li + 2 for t in _tails(lines[ln].text)]
            if not is_tail and any(t.name == m.name for t in goes_on):
                score += 1.0
            key = (score, -li, -m.start, m.name)
            if best is None or key[:3] > best[:3]:
                best = key
    lead = best[3] if best else ""
    others: list[str] = []
    for li in block:
        for m in _mentions(lines[li].text):
            if m.name != lead and m.name not in others:
                others.append(m.name)
    return lead, others


# --- deadlines ------------------------------------------------------------------------------------------
#
# A deadline cell is one or two short lines (`Q4/2025 –` / `Q2/2026`, `Hằng năm từ` / `2026`), and OCR
# damages it in known ways: a Q read as 0, a roman I dropped (`Quy /2026`) or read as 1 (`Quy I1/2026`).

_YEAR = r"(?:19|20)\d\d"
_QNUM = r"(?:iv|iii|ii|i|[il1]{1,3}|[il1]v|[1-4])"
_QUARTER = (
    r"(?:quy|q|0(?=[1-4]\s*[-–—/]))\s*\.?\s*" + _QNUM + r"?\s*(?:[-–—]\s*(?:0?q|0)?\s*" + _QNUM + r"\s*)?/\s*" + _YEAR
)
_DL_START = re.compile(
    r"(?<![a-z0-9])(?:"
    + _QUARTER
    + r"(?:\s*[-–—]\s*(?:quy|q|0)\s*\.?\s*"
    + _QNUM
    + r"\s*/\s*"
    + _YEAR
    + ")?"
    + r"|th[aeo]{1,2}ng\s*\d{1,2}(?:\s*[-–—]\s*\d{1,2})?\s*/\s*"
    + _YEAR
    + r"|h[aie]n[ge]?\s+n[a-z]m(?:\s+t[uir]{1,2}r?)?(?:\s+(?:nam\s+)?"
    + _YEAR
    + r")?"
    + r"|thuo\W?ng(?:\s+xuyen)?"
    + r"|t[uir]{1,2}r?\s+(?:n[aiu]m\s+)?(?:q\s*[1-4]\s*/\s*)?"
    + _YEAR
    + r"(?:\s+tr[oe0-9]+(?:\s+di)?)?"
    + r"|(?:ca\s+)?n[aiu]m\s+"
    + _YEAR
    + r"(?![\d/-])"
    + r"|sau khi(?: c[o0-9])?"
    + r"|th[aeo]{1,2}ng(?:\s*(?:\d{1,2}|s)\s*[-–—])?(?!\s*\d)"
    + r")"
)
# Pieces that finish a deadline begun on a line before.
_CONTINUATION = [
    (re.compile(r"th[aeo]{1,2}ng\s*(?:\d{1,2}|s)\s*[-–—]\s*$"), re.compile(r"(?<![\w/])\d{1,2}\s*/\s*" + _YEAR)),
    (re.compile(r"[-–—]\s*$"), re.compile(r"(?<![a-z0-9])(?:q|quy|0)\s*\.?\s*" + _QNUM + r"\s*/\s*" + _YEAR)),
    (re.compile(r"t[uir]{1,2}r?\s*$"), re.compile(r"(?<![\d/])" + _YEAR + r"(?![\d/])")),
    (re.compile(r"tr[oe0-9]+\s*$"), re.compile(r"(?<![a-z])di(?![a-z])")),
    (re.compile(r"thuo\W?ng\s*$"), re.compile(r"(?<![a-z])xuyen(?![a-z])")),
    (re.compile(r"th[aeo]{1,2}ng\s*$"), re.compile(r"(?<![\w/])\d{1,2}(?:\s*[-–—]\s*\d{1,2})?\s*/\s*" + _YEAR)),
]
_OPEN_END = re.compile(r"(?:[-–—]|t[uir]{1,2}r?|tr[oe0-9]+|thuo\W?ng|th[aeo]{1,2}ng)\s*$")
_DATED = re.compile(r"^(?:quy|q|thang)\s*\S+\s*/\s*\d{4}$")
# Deadline words with their accents, for the cell text (matching runs on folded text).
_ACCENTED = [
    (r"\bquy\b", "Quý"),
    (r"\bthang\b", "Tháng"),
    (r"\bhang nam\b", "Hằng năm"),
    (r"\btu\b", "từ"),
    (r"\btro di\b", "trở đi"),
    (r"\bthuong xuyen\b", "Thường xuyên"),
    (r"\bnam\b", "năm"),
    (r"\bca\b", "Cả"),
    (r"\bsau khi c[o0-9]\b", "Sau khi có"),
]


@dataclass(frozen=True, slots=True)
class _Found:
    lines: tuple[int, ...]  # the lines its pieces came from
    start: int  # offset of its first piece in its first line
    text: str  # canonical folded text, e.g. "q4/2025 - q2/2026"
    strong: bool  # a form no running sentence uses (quarter, month, annual, continuous, from-year)


def _repair(piece: str) -> str:
    """Undo OCR damage inside a deadline piece (Q read as 0, a roman I dropped or read as 1, `tur` for
    `từ`) and spell its words the one way parse_deadline reads them."""
    piece = re.sub(r"(?<![a-z0-9])0(?=[1-4]\s*(?:[-–—/]))", "q", piece)
    piece = re.sub(r"(?<![a-z0-9])0(?=q)", "", piece)  # `1-0q2` → `1-q2`
    piece = re.sub(r"\bquy\s*/", "quy i/", piece)
    piece = re.sub(r"\b(quy\s*)([il1]{2,3})(?=\s*/)", lambda m: m.group(1) + "i" * len(m.group(2)), piece)
    for pattern, word in (
        (r"th[aeo]{1,2}ng", "thang"),
        (r"h[aie]n[ge]? n[a-z]m", "hang nam"),
        (r"t[uir]{1,2}r?", "tu"),
        (r"tr[oe0-9]+", "tro"),
        (r"thuo\W?ng", "thuong"),
        (r"n[aiu]m", "nam"),
    ):
        piece = re.sub(rf"\b{pattern}\b", word, piece)
    piece = re.sub(r"\b(thang\s*)s(?=\s*[-–—])", r"\g<1>5", piece)
    piece = re.sub(r"\s*[-–—]\s*", " - ", piece)
    return " ".join(piece.split())


def _later(second: str, first: str) -> bool:
    a, b = parse_deadline(first), parse_deadline(second)
    return bool(a and b and a.end and b.end and b.end > a.end)


def _pieces(lines: list[RawLine], window: list[int]) -> list[_Found]:
    """Deadline forms on the window's lines, a cell's pieces on the next lines joined up
    (`Q4/2025 –` + `Q2/2026`; two dates of one cell on near lines are its range even when OCR lost the
    dash); a piece joined to one before it is not a candidate of its own."""
    raw = [(li, m) for li in window for m in _DL_START.finditer(lines[li].low)]
    used: set[tuple[int, int]] = set()
    out: list[_Found] = []
    for li, m in raw:
        if (li, m.start()) in used:
            continue
        if re.fullmatch(r"th[aeo]{1,2}ng\W*", m.group(0)) and not lines[li].text[m.start()].isupper():
            continue  # `thông` inside a sentence, not a cell's `Tháng` waiting for its date
        piece, spanned = m.group(0), [li]
        tail = re.match(r"\s*(?:[-–—]\s*)?(?:t[uir]{1,2}r?\b|tr[oe0-9]+\b)?", lines[li].low[m.end() :])
        opened = piece + (tail.group(0) if tail else "")
        later = [ln for ln in window if li < ln <= li + 2]
        follow: tuple[int, re.Match[str]] | None = None
        if _OPEN_END.search(opened):
            ends_goes_on = next(((e, g) for e, g in _CONTINUATION if e.search(opened)), None)
            if ends_goes_on:
                follow = next(((ln, g) for ln in later if (g := ends_goes_on[1].search(lines[ln].low))), None)
                if follow:
                    piece = opened.rstrip() + " " + follow[1].group(0)
        elif _DATED.match(_repair(piece)):
            follow = next(
                (
                    (ln, f)
                    for ln, f in raw
                    if ln in later and _DATED.match(_repair(f.group(0))) and _later(_repair(f.group(0)), _repair(piece))
                ),
                None,
            )
            if follow:
                piece = piece + " - " + follow[1].group(0)
        if follow:
            spanned.append(follow[0])
            used.add((follow[0], follow[1].start()))
        piece = _repair(piece)
        strong = not re.match(r"ca nam|nam|sau khi", piece)
        out.append(_Found(tuple(spanned), m.start(), piece, strong))
    return out


def _accented(piece: str) -> str:
    text = piece
    for pattern, word in _ACCENTED:
        text = re.sub(pattern, word, text)
    text = re.sub(r"\bq(?=\s*\d)", "Q", text)
    text = re.sub(r"\b(iv|iii|ii|i)/", lambda m: m.group(1).upper() + "/", text)
    return text[:1].upper() + text[1:]


def _capitalised(line: RawLine, found: _Found) -> bool:
    """A cell starts with a capital; a date inside a running sentence does not."""
    return line.text[found.start : found.start + 1].isupper()


def pick_deadline(lines: list[RawLine], marks: list[int], j: int, plan_year: int | None = None) -> str:
    """The deadline cell text of row j: of the deadline forms on the lines near its number, the nearest
    one standing where a deadline column can be (not inside the task text before the line's first
    agency); '' when there is none."""
    a = marks[j]
    window = _window(marks, j, len(lines), 2)
    best: tuple[float, _Found] | None = None
    for found in _pieces(lines, window):
        li = found.lines[0]
        first_agency = next(iter(_mentions(lines[li].text)), None)
        if first_agency is not None and found.start < first_agency.start and not _capitalised(lines[li], found):
            continue
        if found.text.startswith("nam") and not _capitalised(lines[li], found):
            continue  # `năm 2026` inside a sentence
        deadline = parse_deadline(found.text, plan_year)
        if deadline is None or not (
            deadline.start or deadline.end or deadline.recurrence or found.text.startswith("sau khi")
        ):
            continue
        distance = min(abs(ln - a) for ln in found.lines)
        score = -1.0 * distance + (0.0 if found.strong else -1.5) + (0.2 if li <= a else 0.0)
        if best is None or score > best[0]:
            best = (score, found)
    return _accented(best[1].text) if best else ""
