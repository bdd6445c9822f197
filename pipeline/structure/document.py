"""Document structure: tables (from pipe rows in page text) and the outline.

Tables: ingestion writes every table row as one line `| a | b | c |` (see pipeline.model.pages); rows
that follow each other form one table, and a table continued on the next page (same column count,
no header) joins the table before it. Cells keep their global offsets into DocText.text.

Outline: parts (A.), sections (I.), items (1., 1.1., 2.2.1.), letters (a)), bullets, appendices
(Phụ lục) — built by `parse_outline`.

`build_structure` puts both together with the plan's parts by role (header, preamble, purpose, objectives,
tasks, funding, implementation, review, signature, appendix): computed once per document and handed to every
extractor in `extractors.context.Context.structure`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from normalizers.agencies import find_agencies, folded
from normalizers.deadlines import find_deadline
from pipeline.model.doctext import DocText
from pipeline.structure.interleaved import CellPick, RawLine, pick_agencies, pick_deadline
from pipeline.structure.outline import OutlineNode, parse_outline

# One table row per line; a form feed (page break) also ends a line, so rows never run across pages.
_ROW = re.compile(r"(?:^|(?<=\f))[ \t]*\|([^\n\f]*)\|[ \t]*(?=$|\f)", re.M)


@dataclass(slots=True)
class Cell:
    text: str
    start: int  # global offsets into DocText.text
    end: int


@dataclass(slots=True)
class Table:
    rows: list[list[Cell]] = field(default_factory=list)
    start: int = 0
    end: int = 0
    header_rows: int = 0  # leading rows that are the header (0: none found)
    roles: dict[str, int] = field(default_factory=dict)  # column role → column index (see COLUMN_ROLES)
    recovered: bool = False  # rebuilt from row-interleaved text; cell spans cover the whole row block
    header_year: int | None = None  # a year the header gives its dates (`Thời gian (Năm 2026)`)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    @property
    def kind(self) -> str:
        """ "tasks" (a task assignment table), "targets" (a target table) or "other"."""
        if "task" in self.roles and ("lead" in self.roles or "deadline" in self.roles):
            return "tasks"
        if "target" in self.roles:
            return "targets"
        return "other"

    @property
    def body(self) -> list[list[Cell]]:
        return self.rows[self.header_rows :]

    def cell(self, row: list[Cell], role: str) -> Cell | None:
        index = self.roles.get(role)
        if index is None or index >= len(row):
            return None
        return row[index]


def _split_row(line: str, line_start: int) -> list[Cell]:
    """Cells of one `| a | b |` line with their global offsets (text stripped)."""
    cells: list[Cell] = []
    inner_start = line.index("|") + 1
    inner_end = line.rindex("|")
    pos = inner_start
    for part in line[inner_start:inner_end].split("|"):
        stripped = part.strip()
        lead = len(part) - len(part.lstrip())
        s = line_start + pos + lead
        cells.append(Cell(text=stripped, start=s, end=s + len(stripped)))
        pos += len(part) + 1
    return cells


# Column vocabulary of plan tables, checked in order on folded header text.
COLUMN_ROLES: list[tuple[str, re.Pattern[str]]] = [
    ("stt", re.compile(r"^(?:stt|tt|so tt|so thu tu)$")),
    # one column for both (`Đơn vị chủ trì/phối hợp`): the first body named leads, the others cooperate
    ("lead", re.compile(r"chu tri\s*(?:/|,|-|va|hoac)\s*(?:\w+\s+)?phoi hop")),
    ("coop", re.compile(r"phoi hop")),
    ("monitor", re.compile(r"theo doi|tong hop")),
    (
        "lead",
        re.compile(
            r"chu tri|(?:co quan|don vi) (?:thuc hien|dau moi)|trach nhiem(?: thuc hien)?$|"
            r"^(?:co quan|don vi)$|phu trach"
        ),
    ),
    ("deadline", re.compile(r"thoi han|thoi gian|tien do|hoan thanh")),
    ("output", re.compile(r"san pham|ket qua|dau ra")),
    ("value", re.compile(r"(?:muc tieu|chi tieu|ke hoach)\s*(?:nam\s*)?(?:19|20)\d\d|gia tri|^nam\s*(?:19|20)\d\d")),
    ("unit", re.compile(r"don vi tinh|^dvt$")),
    ("task", re.compile(r"nhiem vu|noi dung|hoat dong|ten (?:de an|du an|chuong trinh)|giai phap")),
    ("target", re.compile(r"muc tieu|chi tieu")),
]
# What may stand between two parts of one table split across pages: a page number, a running header.
_PAGE_NOISE = re.compile(r"^[\s\d\f\-–—./]*(?:trang\s*\d+[\s\d/]*)?$", re.I)
# A group heading printed between a table's rows as a line of its own (`II. HOÀN THIỆN THỂ CHẾ`).
_GROUP_HEADING = re.compile(r"^[ \t]*(?:[IVXL]{1,5}|[A-H]|\d{1,2})[.)/]?[ \t]+\S[^\n]{0,300}$")
_HEADER_YEAR = re.compile(r"\b(?:nam|năm)\s*((?:19|20)\d\d)\b", re.I)


def _between_rows(text: str) -> bool:
    """True when what stands between two blocks of rows continues one table: page noise, or at most two
    short group-heading lines."""
    if "\f" in text and _PAGE_NOISE.match(text):
        return True
    lines = [line for line in text.replace("\f", "\n").split("\n") if line.strip()]
    return 0 < len(lines) <= 2 and all(
        _GROUP_HEADING.match(line) or (line.strip().isupper() and len(line) < 300) or _PAGE_NOISE.match(line)
        for line in lines
    )


def column_role(header: str) -> str | None:
    """The role of a column from its header text (`Cơ quan chủ trì` → "lead"), None if unknown."""
    low = " ".join(folded(header).lower().split())
    if not low or len(low) > 80:
        return None
    return next((role for role, pattern in COLUMN_ROLES if pattern.search(low)), None)


def header_roles(row: list[Cell]) -> dict[str, int]:
    """Column roles if `row` reads as a header row (two or more known columns), else {}."""
    roles: dict[str, int] = {}
    for i, cell in enumerate(row):
        role = column_role(cell.text)
        if role and role not in roles:
            roles[role] = i
    if len(roles) >= 2 and roles.keys() & {"task", "target", "lead", "deadline"}:
        return roles
    return {}


def _pipe_blocks(doc: DocText) -> list[Table]:
    """Runs of consecutive pipe rows (blank lines and page breaks between rows allowed)."""
    tables: list[Table] = []
    current: Table | None = None
    last_end = -1
    for m in _ROW.finditer(doc.text):
        cells = _split_row(m.group(0), m.start())
        between = doc.text[last_end : m.start()] if last_end >= 0 else None
        contiguous = between is not None and between.strip("\n\f \t") == ""
        if current is not None and contiguous:
            current.rows.append(cells)
            current.end = m.end()
        else:
            current = Table(rows=[cells], start=m.start(), end=m.end())
            tables.append(current)
        last_end = m.end()
    return tables


def _split_at_headers(blocks: list[Table]) -> list[Table]:
    """A block of rows is cut where a header row starts again with other columns: a table continued on the
    next page whose text layer gives that page its own column grid (`STT | Tên nhiệm vụ | Cơ quan chủ trì`
    over 13 cells on one page, 6 on the next) takes its column roles from its own header."""
    out: list[Table] = []
    for block in blocks:
        cuts = [i for i, row in enumerate(block.rows) if i > 0 and header_roles(row) and len(row) != len(block.rows[0])]
        if not cuts:
            out.append(block)
            continue
        for a, b in zip([0, *cuts], [*cuts, len(block.rows)], strict=True):
            rows = block.rows[a:b]
            out.append(Table(rows=rows, start=rows[0][0].start, end=rows[-1][-1].end))
    return out


_HEADER_FRAGMENT = re.compile(r"^\D{1,31}$")  # header words, no row number


def _third_header_line(table: Table, joined: list[Cell]) -> None:
    """A header printed on three lines (`Cơ quan` / `TT | Tên nhiệm vụ` / `chủ trì | phối hợp`): the third line,
    short words under the columns and no row number, completes the roles it adds (`Cơ quan phối hợp`)."""
    k = table.header_rows
    if k >= len(table.rows):
        return
    line = table.rows[k]
    filled = [c.text.strip() for c in line if c.text.strip()]
    if not filled or not all(_HEADER_FRAGMENT.match(t) and len(t.split()) <= 3 for t in filled):
        return
    three = header_roles(
        [
            Cell(f"{c.text} {line[j].text}".strip() if j < len(line) else c.text, c.start, c.end)
            for j, c in enumerate(joined)
        ]
    )
    if len(three) > len(table.roles) and table.roles.keys() <= three.keys():
        table.header_rows, table.roles = k + 1, three


def find_tables(doc: DocText) -> list[Table]:
    """Every table in the document, in reading order, with cell offsets into doc.text.

    A header row (found by column vocabulary) gives the table its column roles; a block without a
    header that follows a table with the same column count across a page break (only page noise
    between) continues that table, and a header repeated on the next page is dropped.
    When the document holds no pipe rows, tables read row-interleaved by OCR are recovered
    (`recover_interleaved_tables`).
    """
    merged: list[Table] = []
    for table in _split_at_headers(_pipe_blocks(doc)):
        for i, row in enumerate(table.rows[:3]):
            roles = header_roles(row)
            if roles:
                table.header_rows, table.roles = i + 1, roles
                # a header printed on two lines (`Cơ quan chủ` / `trì thực hiện`): read them together
                if i + 1 < len(table.rows) and not re.match(r"^\s*\d", table.rows[i + 1][0].text):
                    nxt = table.rows[i + 1]
                    joined = [
                        Cell(f"{c.text} {nxt[k].text}".strip() if k < len(nxt) else c.text, c.start, c.end)
                        for k, c in enumerate(row)
                    ]
                    two = header_roles(joined)
                    if len(two) > len(roles) or (two and two != roles and len(two) == len(roles)):
                        table.header_rows, table.roles = i + 2, two
                        _third_header_line(table, joined)
                break
        if table.roles:
            if "deadline" in table.roles and (
                year := _HEADER_YEAR.search(table.rows[table.header_rows - 1][table.roles["deadline"]].text)
            ):
                table.header_year = int(year.group(1))
            # the header repeated at the top of the next page, read as rows of the same block
            header = [c.text for c in table.rows[table.header_rows - 1]]
            table.rows = table.rows[: table.header_rows] + [r for r in table.body if [c.text for c in r] != header]
        prev = merged[-1] if merged else None
        between = doc.text[prev.end : table.start] if prev else ""
        if (
            prev is not None
            and prev.roles
            and table.n_cols == prev.n_cols
            and _between_rows(between)
            and (not table.roles or table.roles == prev.roles)
        ):
            prev.rows.extend(table.body)
            prev.end = table.end
            continue
        merged.append(table)
    if not merged:
        merged = recover_interleaved_tables(doc)
    return merged


# --- recovery of tables OCR read row-interleaved ------------------------------------------------------
#
# Without a layout, OCR reads a ruled table line by line across all columns: the cells of one row come
# out mixed over several lines, and the row number (STT, printed in the middle of its row) on a line of
# its own or at the start of one. The handles left are the header line (column vocabulary), the row
# numbers (they run 1, 2, 3 ...), agency names and deadline forms. Each row becomes the block of lines
# around its number (halfway to the neighbouring numbers); its cells are rebuilt from what the block
# names. Cell spans cover the block, so a reviewer sees the row the values came from.

_HEADER_WORDS = {
    "stt": re.compile(r"\bstt\b"),
    "task": re.compile(r"nhiem vu"),
    "lead": re.compile(r"\bch[uiơ]t? tr[iu]"),
    "coop": re.compile(r"phoi hop"),
    "deadline": re.compile(r"hoan thanh|thoi han"),
    "output": re.compile(r"san pham|ket qua"),
    "target": re.compile(r"muc tieu"),
    "monitor": re.compile(r"theo doi|tong hop"),
}
_GROUP_LINE = re.compile(r"^\s*(?:[IVX]{1,4}|[1l]{2,3}|[1l]V)\s*[|.]?\s+\S")
_NUMBER_AT_START = re.compile(r"^\s*\|?\s*(\d{1,3})\s*(?:[.,:|]|(?=\s))")
_VALUE = re.compile(r"(?<![\w/])[<>≥≤=~-]*\s*\d+(?:[.,]\d+)?\s*%?(?![\w/])")
_JUNK = re.compile(r"^(?:[^\wÀ-ỹ]+|\w|\d+)$")


def _header_kind(line: str) -> str | None:
    low = " ".join(folded(line).lower().split())
    found = {k for k, pattern in _HEADER_WORDS.items() if pattern.search(low)}
    if "stt" not in found or len(found) < 3:
        return None
    if "task" in found and found & {"coop", "deadline", "output"}:
        return "tasks"
    if "target" in found:
        return "targets"
    return None


def _lines(text: str, start: int, end: int) -> list[tuple[int, str]]:
    out, pos = [], start
    for line in text[start:end].split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def _row_numbers(lines: list[tuple[int, str]], expected: int = 1) -> list[tuple[int, str] | tuple[int, None]]:
    """(line index, row number) of each row in order; (line index, None) marks a group row (I, II ...)."""
    marks: list[tuple[int, str] | tuple[int, None]] = []
    restart = expected == 1
    for i, (_, line) in enumerate(lines):
        clean = line.replace("\f", " ")
        if _GROUP_LINE.match(clean) and not _NUMBER_AT_START.match(clean):
            marks.append((i, None))
            restart = True
            continue
        m = _NUMBER_AT_START.match(clean)
        number = int(m.group(1)) if m else None
        if number is None or not (number == expected or (restart and number == 1 and expected > 1)):
            mid = re.search(rf"(?<=\s){expected}(?:[.,]\s|\s*\|)", clean)
            if mid is None:
                continue
            number = expected
        marks.append((i, str(number)))
        expected, restart = number + 1, False
    return marks


def _strip_noise(text: str) -> str:
    words = [w for w in text.replace("|", " ").split() if not _JUNK.match(w)]
    return " ".join(words)


def _recovered_row(
    doc: DocText, kind: str, number: str, start: int, end: int, picked: CellPick | None = None
) -> list[Cell]:
    """The cells of one recovered row; `picked` (read from the raw OCR lines) gives a task row's lead,
    other agencies and deadline, the block's normalized text its task text."""
    block = doc.text[start:end]
    mentions = [
        m
        for m in find_agencies(block, fragments=True)
        if not folded(block[max(0, m.start - 6) : m.start]).lower().strip().endswith("cua")
    ]
    names = list(dict.fromkeys(m.name for m in mentions))
    lead, others = (names[0] if names else ""), names[1:]
    if picked is not None:
        lead, others = picked.lead, picked.others
    rest = block
    for m in sorted(mentions, key=lambda m: -m.start):
        rest = rest[: m.start] + " " + rest[m.end :]
    # the row number, at the start of whichever line of the block holds it
    rest = re.sub(rf"(?m)^[ \t]*\|?[ \t]*{number}[ \t]*[.,:|]?(?=\s)", " ", rest, count=1)
    if kind == "tasks":
        found = _deadline_in_row(rest)
        deadline = found[0] if found else ""
        for a, b in sorted(found[1] if found else [], reverse=True):
            rest = rest[:a] + " " + rest[b:]
        if picked is not None:
            deadline = picked.deadline
        texts = [number, _strip_noise(rest), lead, ", ".join(others), deadline, ""]
    else:
        value = next((v.group(0).strip() for v in _VALUE.finditer(rest) if v.group(0).strip() != number), "")
        texts = [number, _strip_noise(rest), value, lead, ", ".join(others)]
    return [Cell(text=t, start=start, end=end) for t in texts]


_ROW_QUARTER = re.compile(r"\b(?:quy|q)\s*\.?\s*(?:iv|iii|ii|i|[1-4])\s*/\s*(?:19|20)\d\d")
_ROW_MONTH = re.compile(r"\bthang\s*(?:1[0-2]|0?[1-9])\s*/\s*(?:19|20)\d\d")
_DASH = re.compile(r"^\s*[-–—]")
_ANNUAL_FROM = re.compile(r"\b(?:hang|hàng) nam tu\b")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _deadline_in_row(text: str) -> tuple[str, list[tuple[int, int]]] | None:
    """The deadline of a recovered row as cell text, and the stretches of `text` it was read from.

    The cell's lines are interleaved with other columns, so a range (`Q4/2025 —` / `Q2/2026`) or
    `Hằng năm từ` / `2026` arrives in pieces: pieces are joined first; a year named inside the task
    text (`giai đoạn 2026 - 2030`) is not the deadline."""
    low = folded(text).lower()
    for pattern in (_ROW_QUARTER, _ROW_MONTH):
        pieces = list(pattern.finditer(low))
        # one row has one deadline cell: two dates close together are the two ends of its range
        if len(pieces) >= 2 and (_DASH.match(low[pieces[0].end() :]) or pieces[1].start() - pieces[0].end() < 200):
            a, b = pieces[0], pieces[1]
            joined = f"{text[a.start() : a.end()]} – {text[b.start() : b.end()]}"
            return joined, [(a.start(), a.end()), (b.start(), b.end())]
    annual = _ANNUAL_FROM.search(low)
    if annual:
        year = _YEAR.search(low, annual.end(), annual.end() + 120)
        if year:
            return (
                f"{text[annual.start() : annual.end()]} {year.group(0)}",
                [(annual.start(), annual.end()), (year.start(), year.end())],
            )
    for m in re.finditer(r"(?:quy|q|thang|hang nam|tu|nam|ca nam|thuong xuyen|sau khi)\b", low):
        head = low[max(0, m.start() - 12) : m.start()]
        if "giai doan" in head or "ke hoach" in head:
            continue
        window = text[m.start() : m.start() + 40]
        found = find_deadline(window) or find_deadline("thoi han " + window)
        if found is None:
            continue
        shift = m.start() - (0 if find_deadline(window) else len("thoi han "))
        return text[shift + found.start : shift + found.end], [(shift + found.start, shift + found.end)]
    return None


def _to_text_offset(raw_offsets: list[int], raw_pos: int) -> int:
    """The text offset whose character came from raw offset `raw_pos` (or the next one that did)."""
    if not raw_offsets:
        return raw_pos
    return min(bisect.bisect_left(raw_offsets, raw_pos), len(raw_offsets) - 1)


def recover_interleaved_tables(doc: DocText) -> list[Table]:
    """Task and target tables rebuilt from text that OCR read row-interleaved (no pipe rows).

    Rows are found on each page's raw text, where the lines are still the lines OCR read (repair may
    have joined them), and mapped to the normalized text for their cells and spans."""
    tables: list[Table] = []
    expected = {"tasks": 1, "targets": 1}
    for index, page in enumerate(doc.pages):
        raw = page.raw if page.raw_offsets or page.raw == page.text else page.text
        offsets = page.raw_offsets if raw is page.raw else []
        base = doc.page_start(index)
        all_lines = _lines(raw, 0, len(raw))
        headers = [(pos, pos + len(line), kind) for pos, line in all_lines if (kind := _header_kind(line))]
        for h, (_, header_end, kind) in enumerate(headers):
            seg_end = headers[h + 1][0] if h + 1 < len(headers) else len(raw)
            lines = _lines(raw, header_end + 1, seg_end) if header_end < seg_end else []
            marks = _row_numbers(lines, expected[kind])
            numbers = [n for _, n in marks if n is not None]
            if numbers:
                expected[kind] = int(numbers[-1]) + 1
            rows: list[list[Cell]] = []
            raw_lines = [RawLine(pos, line) for pos, line in lines]
            mark_lines = [li for li, _ in marks]
            for j, (_, number) in enumerate(marks):
                if number is None:
                    continue
                first, last = _block(marks, j, len(lines))
                raw_start = lines[first][0]
                raw_end = lines[last - 1][0] + len(lines[last - 1][1])
                start = base + _to_text_offset(offsets, raw_start)
                end = base + _to_text_offset(offsets, raw_end) if raw_end < len(raw) else base + len(page.text)
                picked = None
                if kind == "tasks":
                    lead, others = pick_agencies(raw_lines, mark_lines, j, range(first, last))
                    picked = CellPick(lead, others, pick_deadline(raw_lines, mark_lines, j))
                rows.append(_recovered_row(doc, kind, number, start, max(end, start), picked))
            if rows:
                _add_rows(tables, kind, rows)
    return tables


def _block(marks: list[tuple[int, str] | tuple[int, None]], j: int, n_lines: int) -> tuple[int, int]:
    """Lines [first, last) of row j: halfway to the neighbouring rows' numbers, up to group rows."""
    li = marks[j][0]
    prev_li = marks[j - 1][0] if j else -1
    has_next = j + 1 < len(marks)
    next_li = marks[j + 1][0] if has_next else min(n_lines, li + max(2, li - prev_li))
    if j == 0 or marks[j - 1][1] is None:
        first = prev_li + 1 if j else max(0, li - (li + 1) // 2 - 1) if li > 4 else 0
    else:
        first = prev_li + (li - prev_li + 1) // 2
    last = next_li if not has_next or marks[j + 1][1] is None else li + (next_li - li + 1) // 2
    return max(0, min(first, li)), min(n_lines, max(last, li + 1))


def _add_rows(tables: list[Table], kind: str, rows: list[list[Cell]]) -> None:
    roles = (
        {"stt": 0, "task": 1, "lead": 2, "coop": 3, "deadline": 4, "output": 5}
        if kind == "tasks"
        else {"stt": 0, "target": 1, "value": 2, "lead": 3, "monitor": 4}
    )
    prev = tables[-1] if tables else None
    if prev is not None and prev.roles == roles:
        prev.rows.extend(rows)
        prev.end = rows[-1][0].end
    else:
        tables.append(Table(rows=rows, start=rows[0][0].start, end=rows[-1][0].end, roles=roles, recovered=True))


# --- the document's parts by role ---------------------------------------------------------------------
#
# A plan is written in parts whose headings vary in wording and numbering (`I. MỤC ĐÍCH, YÊU CẦU`,
# `Phần thứ hai. NHIỆM VỤ VÀ GIẢI PHÁP`, `5. Tổ chức thực hiện`) but whose roles do not. The structure is
# computed once per document and read by every extractor from the extraction context.

ROLES = (
    "header",
    "preamble",
    "purpose",
    "objectives",
    "tasks",
    "funding",
    "implementation",
    "review",
    "scope",
    "other",
    "signature",
    "appendix",
    "decision",
)
# `decision`: an article (`Điều 1.`, `Điều 3.`) of the decision that issues the plan, other than one that organises
# its implementation: approval, entry into force, who enforces the decision — it assigns no duty.
# Words of a heading that give its role (folded, lower case); the earliest in the heading decides
# (`MỤC TIÊU, NHIỆM VỤ` is objectives, `NHIỆM VỤ VÀ GIẢI PHÁP` tasks).
_ROLE_WORDS: list[tuple[str, re.Pattern[str]]] = [
    (
        "implementation",
        re.compile(
            r"to chuc thuc hien|phan cong (?:nhiem vu|thuc hien|trach nhiem)|"
            r"trach nhiem (?:cua|thuc hien)"
        ),
    ),
    ("funding", re.compile(r"kinh phi|nguon (?:von|luc tai chinh)|co che tai chinh|du toan")),
    ("objectives", re.compile(r"muc tieu|chi tieu")),
    ("purpose", re.compile(r"muc dich|yeu cau|quan diem|su can thiet")),
    (
        "review",
        re.compile(
            r"danh gia (?:ket qua|tinh hinh|thuc trang)|ket qua (?:thuc hien|dat duoc)|"
            r"tinh hinh thuc hien|thuc trang"
        ),
    ),
    ("tasks", re.compile(r"nhiem vu|giai phap|noi dung|hoat dong|chuong trinh|phuong an|de an|du an")),
    # whom or what the plan covers (`II. ĐỐI TƯỢNG KIỂM TRA, GIÁM SÁT`, `Phạm vi, đối tượng`): it assigns no duty
    ("scope", re.compile(r"doi tuong|pham vi")),
]
_DOC_TYPE_LINE = re.compile(
    r"^[ \t]*(?:KẾ HOẠCH|CHƯƠNG TRÌNH(?: HÀNH ĐỘNG)?|ĐỀ ÁN|QUYẾT ĐỊNH|KẾ HOẠCH HÀNH ĐỘNG)"
    r"[ \t]*$",
    re.M,
)
# Where the signature block begins: the recipients list, the end mark, a signing formula on its own line.
_SIGNATURE_START = re.compile(
    r"^[ \t]*(?:Nơi nhận|NƠI NHẬN)\b|\./\.|^[ \t]*(?:TM|T/M|KT|Q|TL|TUQ)\.[ \t]*[A-ZÀ-Ỹ]", re.M
)


def heading_roles(title: str) -> tuple[str, ...]:
    """The roles a section heading names, in the order it names them."""
    low = " ".join(folded(title).lower().split())
    found = sorted((m.start(), role) for role, pattern in _ROLE_WORDS if (m := pattern.search(low)))
    return tuple(role for _, role in found)


def heading_role(title: str) -> str | None:
    """The role a section heading names first (`IV. TỔ CHỨC THỰC HIỆN` → "implementation"), None if none."""
    roles = heading_roles(title)
    return roles[0] if roles else None


@dataclass(slots=True)
class Section:
    role: str
    start: int  # global offsets into DocText.text
    end: int
    title: str = ""
    node: int | None = None  # index of the heading in DocumentStructure.outline
    roles: tuple[str, ...] = ()  # every role the heading names (`CHỈ TIÊU, NHIỆM VỤ`: objectives, tasks)

    def __post_init__(self) -> None:
        if not self.roles:
            self.roles = heading_roles(self.title) or (self.role,)


@dataclass
class DocumentStructure:
    """The outline, the tables and the parts of the plan by role, computed once per document."""

    outline: list[OutlineNode]
    tables: list[Table]
    sections: list[Section]
    body_end: int  # where the plan's running text ends (the signature block or the first appendix)

    def with_role(self, role: str) -> list[Section]:
        return [s for s in self.sections if s.role == role]

    def role_at(self, pos: int) -> str:
        """The role of the innermost section holding `pos` ("other" outside every section)."""
        best: Section | None = None
        for s in self.sections:
            if s.start <= pos < s.end and (best is None or s.end - s.start <= best.end - best.start):
                best = s
        return best.role if best else "other"

    def in_role(self, pos: int, *roles: str) -> bool:
        """True when a section holding `pos` names one of `roles`."""
        return any(s.start <= pos < s.end for s in self.sections if set(s.roles) & set(roles))


def _top_sections(nodes: list[OutlineNode], start: int, end: int) -> list[int]:
    """Indices of the nodes that divide the body into its parts: parts (`A.`, `Phần I`) where there are
    any, else Roman sections, else top-level numbered items (the sections inside a part are found below)."""
    inside = [i for i, n in enumerate(nodes) if start <= n.start < end]
    for kinds in (("part",), ("section",)):
        chosen = [i for i in inside if nodes[i].kind in kinds and nodes[i].parent is None]
        if chosen:
            return chosen
    return [i for i in inside if nodes[i].kind == "item" and "." not in nodes[i].marker and nodes[i].parent is None]


def build_structure(doc: DocText) -> DocumentStructure:
    """Header, preamble, the body's sections by role, the signature block and the appendices."""
    text = doc.text
    nodes = parse_outline(doc)
    tables = find_tables(doc)
    type_line = _DOC_TYPE_LINE.search(text, 0, min(len(text), 6000))
    header_end = type_line.start() if type_line else 0
    appendix_nodes = [i for i, n in enumerate(nodes) if n.kind == "appendix" and n.start > len(text) // 4]
    appendix_start = nodes[appendix_nodes[0]].start if appendix_nodes else len(text)
    top = _top_sections(nodes, header_end, appendix_start)
    first_section = nodes[top[0]].start if top else header_end
    signature = None
    search_from = nodes[top[-1]].body_start if top else first_section
    for m in _SIGNATURE_START.finditer(text, search_from, appendix_start):
        signature = m.start() if not m.group(0).startswith("./.") else m.end()
        break
    body_end = signature if signature is not None else appendix_start
    sections: list[Section] = []
    if header_end:
        sections.append(Section("header", 0, header_end))
    if first_section > header_end:
        sections.append(Section("preamble", header_end, first_section))
    for k, i in enumerate(top):
        node = nodes[i]
        end = min(nodes[top[k + 1]].start if k + 1 < len(top) else body_end, body_end)
        role = heading_role(node.title) or "other"
        if node.marker.startswith("Đ") and role != "implementation":
            role = "decision"
        sections.append(Section(role, node.start, max(end, node.start), node.title, i))
        if role == "other" or node.kind == "part":
            # a part's own sections, or items of an unnamed section, may name their roles
            for j, child in enumerate(nodes):
                if child.parent == i and child.kind in ("section", "item") and child.start < end:
                    child_role = heading_role(child.title)
                    if child_role:
                        sections.append(Section(child_role, child.start, min(child.end, end), child.title, j))
    if body_end < appendix_start:
        sections.append(Section("signature", body_end, appendix_start))
    for k, i in enumerate(appendix_nodes):
        end = nodes[appendix_nodes[k + 1]].start if k + 1 < len(appendix_nodes) else len(text)
        sections.append(Section("appendix", nodes[i].start, end, nodes[i].title, i))
    return DocumentStructure(outline=nodes, tables=tables, sections=sections, body_end=body_end)
