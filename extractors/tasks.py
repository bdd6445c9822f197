"""Tasks: who must do what, by when — one task per duty.

The document's structure (`ctx.structure`, computed once in pipeline.structure.document) says where a plan assigns work:
- task tables (appendix `STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn | Sản phẩm`, columns in
  any order and named otherwise): one task per numbered row; group rows skipped; rows continued across pages
  and group headings; rows whose number is centred regrouped; a row under a spanning task cell with its own
  lead is that body's own duty;
- the implementation section (`Tổ chức thực hiện`, however worded): under an agency heading each lettered item
  and each bullet is a duty of the heading's first agency unless it names another subject; a heading over
  plain paragraphs is one duty; an item whose paragraphs each name a subject gives one per paragraph; plus a
  closing reporting duty (`trước ngày 10 tháng 12 hằng năm ... báo cáo`);
- the task sections: dated items (`2.2.1. ... a) ... Thời gian thực hiện tháng 9-11/2021`), items headed by
  nothing but an agency's name, and paragraphs whose subject is an agency (`Sở X chủ trì ...`, `Giao Sở X ...`),
  with the bullets under such a subject's intro.
Agencies are read with open vocabulary (normalizers.agencies: lexicon names, heads of organisation names and
their boundaries); cooperating bodies come from the heading and `phối hợp với ...`.
In a centrally-run city's plan the bodies are the city's (`... thành phố`). Ids are the row number or the outline
numbers as printed (`IV.1.a`, bullets counted: `V.2-3`). Tasks are returned in reading order.
"""

from __future__ import annotations

import re
from collections import Counter
from contextvars import ContextVar

from extractors.context import Context
from normalizers.agencies import (
    ORG_HEAD,
    Mention,
    canonical_agency,
    find_agencies,
    folded,
    for_city,
    head_alone,
    split_agencies,
)
from normalizers.deadlines import Found, find_deadline, parse_deadline
from pipeline.model.contract import Deadline, Task, Warning
from pipeline.structure.document import Cell, Table, column_role
from pipeline.structure.outline import OutlineNode, ancestors, own_text_end, parse_outline

# Bodies a plan reports to or acts for, never the ones doing a task.
_SUPERIORS = re.compile(
    r"^(?:Ủy ban nhân dân tỉnh|Hội đồng nhân dân|Bộ (?!Chỉ huy)|Chính phủ|Thủ tướng|Tỉnh ủy|"
    r"Ban Chỉ đạo)"
)
# A central plan (issued by the Government, the Prime Minister, a ministry or a central body) assigns its duties to
# the ministries a provincial plan reports to. Set per document by `extract`.
_CENTRAL_ISSUER = re.compile(r"^(?:Chính phủ|Thủ tướng|Bộ |Văn phòng Chính phủ)|\btrung ương\b", re.I)
_CENTRAL_PLAN: ContextVar[bool] = ContextVar("central_plan", default=False)


# A party committee's plan directs the council of its level (`Chỉ đạo HĐND xã ...`, `Trình Hội đồng nhân dân xã`):
# there the council is a body doing the work, not one the plan reports to. Set per document by `extract`.
_PARTY_ISSUER = re.compile(
    r"^(?:Ban Thường vụ |Ban Chấp hành )?(?:Đảng ủy|Đảng bộ|Tỉnh ủy|Huyện ủy|Thành ủy|Quận ủy|Thị ủy)\b"
)
_PARTY_PLAN: ContextVar[bool] = ContextVar("party_plan", default=False)


def _superior(name: str) -> bool:
    if _PARTY_PLAN.get() and name.startswith("Hội đồng nhân dân"):
        return False
    return bool(_SUPERIORS.match(name)) and not (_CENTRAL_PLAN.get() and name.startswith("Bộ "))


# Named after the specific ones when a sentence lists both.
_GENERIC = {"Các cơ quan, đơn vị liên quan"}
_ORGANIZATION = re.compile(r"to chuc thuc hien|phan cong (?:nhiem vu|thuc hien)|trach nhiem (?:cua|thuc hien)")
# Sections whose items describe, evaluate or aim rather than assign.
_NOT_ASSIGNING = re.compile(
    r"danh gia|tinh hinh|ket qua|muc dich|yeu cau|muc tieu|quan diem|dinh huong|can cu|"
    r"chi tieu|doi tuong|pham vi"
)
# `Trong quá trình thực hiện, nếu có ...`: the rule for problems met on the way, no duty.
_DURING = r"Trong quá trình (?:tổ chức )?(?:triển khai|thực hiện)[^,\n]{0,40}"
# The closing paragraph of a section; text repair may have glued it to the last item's sentence.
_CLOSING = re.compile(
    r"(?:^[ \t]*|(?<=[.;])[ \t]+)(?:Trên đây là|Nơi nhận|TM\.|KT\.|"
    r"Căn cứ (?:nội dung )?(?:Kế hoạch|kế hoạch) này,|"
    rf"{_DURING}?,? nếu có)",
    re.M,
)
_IF_PROBLEMS = re.compile(rf"{_DURING}, nếu có\b")
_END_OF_BODY = re.compile(r"^\s*(?:Trên đây là|Nơi nhận)", re.M)
_LEAD_CUE = re.compile(r"(?:Giao\s+)?(.{0,80}?)\s*(?:chủ trì|làm đầu mối)", re.S)
_STRONG_TIME = re.compile(r"thoi (?:gian|han)|truoc ngay")
_WEAK_TIME = re.compile(r"trong nam (?:19|20)\d\d|hang nam")
_BULLET_PREFIX = re.compile(r"(?m)^\s*[-–•+*]\s*")

# The verbs a duty's subject is followed by (genre formulae of assignment).
_DUTY_VERB = re.compile(
    r"\s+(?:chủ trì|phối hợp|tham mưu|tham gia|thực hiện|triển khai|tổ chức|xây dựng|hướng dẫn|chỉ đạo|"
    r"có trách nhiệm|chịu trách nhiệm|chủ động|theo dõi|báo cáo|rà soát|bố trí|huy động|quyết định|ban hành|"
    r"làm đầu mối|là cơ quan|là đầu mối|là đơn vị|căn cứ|đưa|tăng cường|đẩy mạnh|tiếp tục|nghiên cứu|cử|thành lập|họp|"
    r"kiểm tra|đánh giá|cập nhật|tuyên truyền|vận động|bảo đảm|đảm bảo|quan tâm|trình|"
    r"cung cấp|chuẩn bị|phổ biến|thông báo|đôn đốc|tiếp nhận)\b(?<!tổ chức(?=[,;]))"
    # `cử` (send) is no verb inside the nouns `bầu cử`, `ứng cử` (an election body: `Ủy ban bầu cử xã`) or `cử tri`
    r"(?<![Bb]ầu cử)(?<!ứng cử)(?<!đề cử)(?<!\scử(?=\stri))"
)


def _clean(text: str) -> str:
    """One line of running text: bullet marks dropped, whitespace collapsed."""
    text = _BULLET_PREFIX.sub("", text.replace("\f", " "))
    return " ".join(text.split()).strip(" ;")


def _doers(mentions: list[Mention]) -> list[str]:
    """Canonical names that can carry a task, in order, without superiors or repeats."""
    names = [m.name for m in mentions if not _superior(m.name)]
    return list(dict.fromkeys(names))


def _issuing_body(name: str, issuer: str | None) -> bool:
    """`name` is the plan's issuer or the body it is the standing organ of, maybe without its place (`Ban Thường
    trực Ủy ban MTTQ Việt Nam xã` in the plan of `... xã Lương Minh`, `Ủy ban MTTQ Việt Nam phường`)."""
    if not issuer:
        return False
    low = folded(name).lower()
    for whole in (issuer, _STANDING.sub("", issuer)):
        rest = whole[len(name) :] if folded(whole).lower().startswith(low) else None
        if rest is not None and (not rest or (rest[:1] == " " and rest.strip()[:1].isupper())):
            return True
    return False


# A body after these words is the owner, object or addressee of the duty (`hoạt động của Ủy ban bầu cử`, `đối với
# Ban X`, `báo cáo Sở Y`), not a body doing it with the lead (one a duty hands its work to, `chuyển giao ... cho Sở
# X`, `gửi Sở X tổng hợp`, takes part in it).
_NOT_PARTNER_BEFORE = re.compile(r"(?<![a-z])(?:cua|doi voi|bao cao)\s*$", re.I)


def _mentioned(ctx: Context, text: str) -> list[str]:
    """The doers a duty's text names. The issuer named in a duty is whom it reports to or who directs it (`phản ánh
    ... với Ban Thường trực`, `theo phân công của Ủy ban MTTQ phường`), not a cooperating body: that takes
    `phối hợp với` (read by `_cooperators`)."""
    named = [
        m for m in find_agencies(text) if not _NOT_PARTNER_BEFORE.search(folded(text[max(0, m.start - 16) : m.start]))
    ]
    return [n for n in _doers(named) if not _issuing_body(n, ctx.metadata.issuer)]


def _pick_lead(names: list[str]) -> str | None:
    specific = [n for n in names if n not in _GENERIC]
    return next(iter(specific or names), None)


def _task(
    ctx: Context,
    task_id: str | None,
    text: str,
    lead: str | None,
    coop: list[str],
    deadline: Deadline | None,
    output: str | None,
    start: int,
    end: int,
    partners: tuple[str, ...] = (),
) -> Task:
    """`partners`: bodies the duty names as cooperating in so many words (`phối hợp với UBND tỉnh`), kept even when
    they are the issuing level."""
    return Task(
        id=task_id,
        text=text,
        lead_agency=lead,
        cooperating_agencies=[
            c
            for c in dict.fromkeys(coop)
            if c != lead and not _every_level(c) and (c in partners or not _ISSUING_LEVEL.match(c))
        ],
        deadline=deadline,
        output=output or None,
        span=ctx.doc.span(start, end),
    )


# --- tables -----------------------------------------------------------------------------------------

# A row number: `3`, `3.`, or hierarchical (`1.2`, `2.3.1`) in tables that number rows under their groups.
_STT = re.compile(r"^\s*(\d{1,3}(?:\.\d{1,3}){0,3})\s*[.,]?\s*$")


def _as_written(cell: str) -> list[str]:
    """A lead cell naming no body the grammar knows (`Doanh nghiệp, nhà cung cấp dịch vụ`): kept as written."""
    text = " ".join(cell.split()).strip(" ,;.")
    return [text[:1].upper() + text[1:]] if len(text) > 3 and any(ch.isalpha() for ch in text) else []


def _header_spans(table: Table) -> dict[str, tuple[int, int]]:
    """Columns each role covers: the empty header columns go to the nearest named one (ties to the right), so
    a text layer that splits a wide column into several cells, or shifts the body by a cell against the
    header, still gives a role its text."""
    if not table.header_rows:
        return {role: (i, i + 1) for role, i in table.roles.items()}
    header_rows = table.rows[: table.header_rows]
    named = sorted({i for row in header_rows for i, cell in enumerate(row) if cell.text.strip()})
    spans = {}
    for role, i in table.roles.items():
        k = named.index(i) if i in named else None
        if k is None:
            spans[role] = (i, i + 1)
            continue
        left = (named[k - 1] + i + 1) // 2 if k > 0 else i
        right = (i + named[k + 1] + 1) // 2 if k + 1 < len(named) else max(i + 1, table.n_cols)
        spans[role] = (min(left, i), max(right, i + 1))
    return spans


def _centered_rows(table: Table) -> list[list[Cell]]:
    """The body's rows, regrouped when the layout centres each row's number in its row (a born-digital PDF
    whose text layer gives one line per cell line): the lines above a row's number belong to it too.

    Detected when lines with text stand between a group heading (`I. ...`) and the first numbered row; each
    line then joins the numbered row nearest to it (ties to the earlier one), never across a group heading."""
    body = table.body
    stt = table.roles.get("stt")
    if stt is None:
        return body

    def stt_text(row: list[Cell]) -> str:
        return row[stt].text.strip() if stt < len(row) else ""

    numbered = [i for i, row in enumerate(body) if _STT.match(stt_text(row))]
    groups = {i for i, row in enumerate(body) if stt_text(row) and not _STT.match(stt_text(row))}
    if not numbered or not groups or min(groups) > numbered[0]:
        return body
    if not any(
        i not in groups and any(c.text for c in body[i])
        for i in range(max(groups & set(range(numbered[0]))), numbered[0])
    ):
        return body
    owner = _blocks_by_first_lines(table, body, numbered, groups) or _nearest_owner(body, numbered, groups)
    out: list[list[Cell]] = []
    for i, row in enumerate(body):
        if i in groups:
            out.append(row)
        elif i in owner:
            lines = sorted([i, *owner[i]])
            merged = []
            for col in range(len(row)):
                cells = [body[j][col] for j in lines if col < len(body[j]) and body[j][col].text]
                text = " ".join(c.text for c in cells)
                merged.append(
                    Cell(
                        text=text,
                        start=cells[0].start if cells else row[col].start,
                        end=cells[-1].end if cells else row[col].end,
                    )
                )
            out.append(merged)
    return out


def _blocks_by_first_lines(
    table: Table, body: list[list[Cell]], numbered: list[int], groups: set[int]
) -> dict[int, list[int]] | None:
    """Lines to rows by each row's first line, where its cells begin: the lead cell and another cell beside the
    task (cooperating, output, deadline) open with a capital or a digit, as a cell's first words do and its
    wrapped lines (`vụ, Bộ`, `ngành, địa`) do not. A row runs to the next first line or group heading; a block
    without a row number continues the row before (a page break). None when that does not give each number
    one block."""
    lead = table.roles.get("lead")
    others = [table.roles[r] for r in ("coop", "output", "deadline") if r in table.roles]
    if lead is None or not others:
        return None

    def opens(i: int, col: int) -> bool:
        text = body[i][col].text.strip() if col < len(body[i]) else ""
        return bool(text) and (text[0].isupper() or text[0].isdigit())

    starts = [i for i in range(len(body)) if i not in groups and opens(i, lead) and any(opens(i, c) for c in others)]
    owner: dict[int, list[int]] = {}
    last: int | None = None
    for k, start in enumerate(starts):
        stop = starts[k + 1] if k + 1 < len(starts) else len(body)
        stop = min([g for g in groups if start < g < stop] or [stop])
        block = [i for i in range(start, stop) if any(c.text for c in body[i])]
        numbers = [n for n in numbered if start <= n < stop]
        if len(numbers) > 1:
            return None
        if numbers:
            last = numbers[0]
            owner[last] = [i for i in block if i != last]
        elif last is not None and not any(last < g < start for g in groups):
            owner[last].extend(block)
    return owner if set(owner) == set(numbered) else None


def _nearest_owner(body: list[list[Cell]], numbered: list[int], groups: set[int]) -> dict[int, list[int]]:
    owner: dict[int, list[int]] = {n: [] for n in numbered}
    for i, row in enumerate(body):
        if i in groups or i in owner or not any(c.text for c in row):
            continue
        # the numbered rows this line may belong to: none across a group heading
        candidates = [n for n in numbered if not any(min(i, n) < g < max(i, n) for g in groups)]
        if candidates:
            owner[min(candidates, key=lambda n: (abs(n - i), n))].append(i)
    return owner


def table_tasks(ctx: Context, table: Table) -> list[Task]:
    """One task per numbered row of a task table; rows without a number continue the row before."""
    rows: list[dict[str, object]] = []
    spans = _header_spans(table)
    for row in _centered_rows(table):
        stt_cell = table.cell(row, "stt")
        texts = {
            role: " ".join(row[c].text for c in range(*spans[role]) if c < len(row) and row[c].text)
            if role in spans
            else ""
            for role in ("task", "lead", "coop", "deadline", "output")
        }
        number = _STT.match(stt_cell.text) if stt_cell else None
        start, end = row[0].start, row[-1].end
        stt = number.group(1) if number else None
        if (
            not stt
            and stt_cell
            and len(stt_cell.text.strip()) == 1
            and texts["task"]
            and texts["lead"]
            and texts["deadline"]
            and rows
            and str(rows[-1]["id"]).isdigit()
            and ctx.doc.pages[ctx.doc.page_index(start)].origin == "ocr"
        ):
            stt = str(int(str(rows[-1]["id"])) + 1)  # a row number OCR misread (`5` → `b`): it follows the last
        if stt:
            rows.append({"id": stt, "start": start, "end": end, **texts})
        elif (
            rows
            and not texts["task"]
            and rows[-1]["lead"]
            and texts["lead"][:1].isupper()
            and (texts["deadline"] or texts["output"])
            and split_agencies(texts["lead"])
            and not (stt_cell and stt_cell.text.strip())
        ):
            # a row under a task cell spanning two rows: the same task, another body's own duty (its lead,
            # output and time in the row's cells)
            last = rows[-1]
            rows.append(
                {**texts, "task": last["task"], "id": f"{str(last['id']).rstrip('b')}b", "start": start, "end": end}
            )
        elif rows and not (stt_cell and stt_cell.text.strip()):
            last = rows[-1]
            for role, value in texts.items():
                if value:
                    last[role] = f"{last[role]} {value}".strip()
            last["end"] = end
        # a row numbered otherwise (I, II, A) is a group heading, not a task
    tasks = []
    for k, r in enumerate(rows):
        text = _clean(str(r["task"]))
        if not text:
            continue
        if not any(r[role] for role in ("lead", "coop", "deadline", "output")) and (
            (k + 1 < len(rows) and rows[k + 1]["id"] == r["id"])
            or any(str(o["id"]).startswith(f"{r['id']}.") for o in rows[k + 1 :])
        ):
            # a group heading: numbered by a digit OCR read for its numeral (`I` → `1`, then row `1`), or the
            # parent of hierarchically numbered rows (`1.` over `1.1`, `1.2`); nobody's duty
            continue
        lead_cell = str(r["lead"])
        # `Theo phân công tại Phương án số ...`: the cell points elsewhere and names no lead
        # a collective written out (`Các Bộ, ngành, địa phương`) leads as written
        leads = (
            []
            if folded(lead_cell).lower().lstrip().startswith("theo ")
            else _collective_heading(" ".join(lead_cell.split())) or split_agencies(lead_cell) or _as_written(lead_cell)
        )
        coop = split_agencies(str(r["coop"])) + leads[1:]
        deadline = parse_deadline(str(r["deadline"]), table.header_year or ctx.plan_year)
        tasks.append(
            _task(
                ctx,
                str(r["id"]),
                text,
                leads[0] if leads else None,
                coop,
                deadline,
                _clean(str(r["output"])) or None,
                int(r["start"]),  # type: ignore[call-overload]
                int(r["end"]),  # type: ignore[call-overload]
            )
        )
    return tasks


# --- Tổ chức thực hiện -------------------------------------------------------------------------------


def _body_end(ctx: Context) -> int:
    m = _END_OF_BODY.search(ctx.doc.text)
    return m.start() if m else len(ctx.doc.text)


def _subject(text: str) -> list[str]:
    """Agencies an item opens with (`Sở A, Sở B và ...: làm gì` or `Giao Sở A chủ trì`)."""
    mentions = find_agencies(text[:400])
    opening: list[Mention] = []
    pos = 0
    for m in mentions:
        gap = folded(text[pos : m.start]).lower().strip(" ,;:.-")
        if gap and gap not in {"va", "giao", "cac", "yeu cau", "de nghi"}:
            break
        opening.append(m)
        pos = m.end
    if opening:
        return _doers(opening)
    cue = _LEAD_CUE.match(text[:200])
    if cue:
        return _doers(find_agencies(cue.group(1)))
    return []


def organization_tasks(ctx: Context, nodes: list[OutlineNode]) -> list[Task]:
    """One task per duty of `Tổ chức thực hiện` (however its heading words it: the structure's
    implementation sections): each lettered item or bullet under an agency heading, or the heading's own
    text when it has none; plus a closing reporting duty if there is one."""
    tasks: list[Task] = []
    structure = ctx.structure
    body_end = structure.body_end if structure else _body_end(ctx)
    sections = [nodes[s.node] for s in structure.with_role("implementation") if s.node is not None] if structure else []
    if structure is None:
        sections = [
            n for n in nodes if n.kind in ("section", "part", "item") and _ORGANIZATION.search(folded(n.title).lower())
        ]
    for section in sections:
        si = nodes.index(section)
        if section.start >= body_end:
            continue
        end = min(section.end, body_end)
        found = _section_duties(ctx, nodes, si, end)
        if not found and ctx.structure is not None:
            ctx.warnings.append(
                Warning(
                    code="implementation_without_tasks",
                    message=f'the implementation section "{section.title[:80]}" yielded no task',
                    span=ctx.doc.span(section.start, end),
                )
            )
        tasks.extend(found)
    return tasks


def _children(nodes: list[OutlineNode], index: int, end: int, kinds: tuple[str, ...]) -> list[int]:
    return [
        j
        for j in range(index + 1, len(nodes))
        if nodes[j].parent == index and nodes[j].kind in kinds and nodes[j].start < end
    ]


def _duty_id(section_marker: str, marker: str) -> str:
    """A duty's id as the outline prints it under its section: `IV.1`, `3.2` (already under `3.`)."""
    prefix = re.sub(r"^(?:Phần|PHẦN)\s+", "", section_marker)
    return marker if marker.startswith(f"{prefix}.") else f"{prefix}.{marker}"


def _section_duties(ctx: Context, nodes: list[OutlineNode], si: int, end: int) -> list[Task]:
    section = nodes[si]
    tasks: list[Task] = []
    children = _children(nodes, si, end, ("item",)) or _children(nodes, si, end, ("letter",))
    for ci in children:
        tasks.extend(_agency_duties(ctx, nodes, ci, end, _duty_id(section.marker, nodes[ci].marker)))
    if not children:  # a section of bullets only: each that names its subject is that body's duty
        for k, bi in enumerate(_children(nodes, si, end, ("bullet",)), start=1):
            if not _CLOSING.match(ctx.doc.text[nodes[bi].body_start : nodes[bi].end]):
                tasks.extend(_agency_duties(ctx, nodes, bi, end, f"{section.marker}-{k}"))
    trailer_start = nodes[children[-1]].body_start if children else section.body_start
    trailer = ctx.doc.text[trailer_start:end]
    closing = _CLOSING.search(trailer, _closing_from(trailer) if children else 1)
    if closing and (duty := _closing_duty(ctx, section, trailer_start + closing.start(), end)):
        tasks.append(duty)
    return tasks


_DUTY_KINDS = ("item", "letter", "bullet", "subbullet")


def _own_end(nodes: list[OutlineNode], index: int, end: int) -> int:
    """Where a node's own text stops: at its first child, else its end."""
    node = nodes[index]
    first_child = next(
        (
            nodes[j].start
            for j in range(index + 1, len(nodes))
            if nodes[j].parent == index and nodes[j].start < min(node.end, end)
        ),
        None,
    )
    return min(first_child if first_child is not None else node.end, node.end, end)


def _trim_closing(content: str) -> str:
    closing = _CLOSING.search(content, _closing_from(content))
    return content[: closing.start()] if closing else content


# A catch-all duty: bodies told to carry out the plan and nothing more (`Các sở ... trong phạm vi chức năng,
# nhiệm vụ của mình tổ chức triển khai thực hiện Kế hoạch.`).
_CATCH_ALL = re.compile(
    r"^[^.;:]{0,160}?(?:tổ chức )?(?:triển khai )?thực hiện (?:có hiệu quả )?(?:nội dung )?"
    r"(?:Kế hoạch|Chương trình|Đề án)(?: này)?\s*[.;]?$",
    re.I,
)


# A recipient of the plan in the list after it (`Bộ Y tế (để báo cáo);`), even when OCR lost `Nơi nhận`.
_RECIPIENT = re.compile(r"\((?:để|đề|đê|de) (?:báo cáo|bảo cáo|biết|thực hiện|chỉ đạo|phối hợp|theo dõi)\)")


def _agency_duties(
    ctx: Context, nodes: list[OutlineNode], index: int, end: int, task_id: str, inherited: list[str] | None = None
) -> list[Task]:
    """The duties of one item of the implementation section. Under an agency heading (`2. Sở Tài chính`,
    `3. Đề nghị Hội A, Hội B:`), every lettered item and bullet is a duty of the heading's first agency
    (the others cooperate) unless it names another subject; a heading with none is one duty. An item
    whose heading names no agency but opens with a subject (`Giao Sở A chủ trì ...`) is that agency's."""
    node = nodes[index]
    stop = min(node.end, end)
    own = _trim_closing(ctx.doc.text[node.body_start : _own_end(nodes, index, end)])
    duties = _children(nodes, index, stop, _DUTY_KINDS)
    names = _opening_agencies(own) if own.strip() else []
    if not names and duties and "\n" not in own.strip() and len(own) < 250 and not own.rstrip().endswith("."):
        names = _subject(own) or _plural_heading(own)  # a heading line over duties that opens with its agencies
    head, sep, after = own.partition(":")
    if names:
        if sep and len(head) < 250 and _agency_list(head):
            rest, rest_start = after, node.body_start + len(head) + 1
        else:
            first_line, _, after_line = own.partition("\n")
            rest, rest_start = after_line, node.body_start + len(first_line) + 1
    else:
        rest, rest_start = own, node.body_start
    heading = names or inherited or []
    tasks: list[Task] = []
    rest_text = _clean(rest)
    if _PERSON.match(rest_text) and not names:
        return []  # `Đồng chí Phó Chủ tịch ... chỉ đạo ...`: a person's duty, not a body's
    if not names and not duties and _IF_PROBLEMS.match(rest_text):
        return []  # `Trong quá trình thực hiện, nếu có vướng mắc, ... báo cáo`: a rule for what may arise, no duty
    if (
        not names
        and not duties
        and (_agency_list(rest_text) or _CATCH_ALL.search(rest_text) or _RECIPIENT.search(rest_text))
    ):
        return []  # a line naming bodies and nothing to do (a recipient), or `... tổ chức thực hiện Kế hoạch.`
    if not names and not duties and not inherited and (own_duties := _paragraph_duties(ctx, rest, rest_start, task_id)):
        return own_duties  # `1. Công tác triển khai` over paragraphs that each name their subject
    if rest_text and not (duties and rest_text.endswith(":") and len(rest_text.split()) < 40):
        subject = [] if names else (_subject(rest) or _prose_names(rest))
        if inherited and all(_generic(n) for n in subject):
            subject = []  # `Căn cứ ..., các cơ quan, đơn vị chủ động ...` under a heading: the heading's bodies again
        lead = _pick_lead(subject or heading)
        if lead is not None:
            # several bodies as the subject: the first leads, the rest cooperate (`Khoa A, Khoa B và Khoa C phối hợp`)
            others = [n for n in [*subject, *heading] if n != lead]
            tasks.append(_duty(ctx, task_id, rest, rest_start, lead, others))
    elif not names and not inherited and rest_text and duties:
        # `Đề nghị các đơn vị ...:` over bullets: the intro's subject leads them
        heading = _subject(rest) or _prose_names(rest)
    if not duties:
        return tasks
    for k, di in enumerate(duties, start=1):
        child = nodes[di]
        # ids as the outline prints them under the section (`IV.1.a`), bullets counted (`V.2-3`)
        child_id = (
            f"{task_id}.{child.marker.rsplit('.', 1)[-1]}" if child.kind in ("item", "letter") else f"{task_id}-{k}"
        )
        tasks.extend(_agency_duties(ctx, nodes, di, stop, child_id, heading or None))
    return tasks


# A collective made only of generic nouns (`các cơ quan, đơn vị, địa phương`, `các sở, ngành liên quan`): in
# running prose it names nobody in particular, so it is no cooperating agency.
_GENERIC_WORDS = {
    "cac",
    "co",
    "quan",
    "don",
    "vi",
    "dia",
    "phuong",
    "so",
    "bo",
    "ban",
    "nganh",
    "to",
    "chuc",
    "lien",
    "tinh",
    "thanh",
    "pho",
    "va",
    "ca",
    "nhan",
    "doan",
    "the",
    # a party's cells in general (`các chi, đảng bộ`, `các đảng bộ`)
    "chi",
    "dang",
}


def _generic(name: str) -> bool:
    words = re.findall(r"[a-z]+", folded(name).lower())
    return bool(words) and words[0] == "cac" and set(words) <= _GENERIC_WORDS


# The province's own council and committee: the plan's issuer and its superior, never a cooperating body.
_ISSUING_LEVEL = re.compile(r"^(?:Ủy ban nhân dân|Hội đồng nhân dân) (?:tỉnh|thành phố)$")


def _every_level(name: str) -> bool:
    """The bodies of every level together (`các cơ quan, đơn vị, địa phương`), or of a kind with no place (`các bộ,
    ngành`): they cooperate with nobody in particular (gold drops them from cooperating lists; as a lead they
    stay). The departments of the province (`Các sở, ban, ngành tỉnh`) are named bodies."""
    return _generic(name) and (name.endswith("địa phương") or not re.search(r"\b(?:tỉnh|thành phố)$", name))


_COOPERATE = re.compile(r"\bphối hợp(?:\s+chặt chẽ)?(?:\s+với)?\s+", re.I)
# Where the list of cooperating bodies ends: the next duty verb, a purpose or a clause.
_LIST_END = re.compile(r"\s+(?:để|trong|nhằm|theo|về|tại|trên|khi|vào|cho|của|đối với)\s|[.;:(]|" + _DUTY_VERB.pattern)


def _before_echo(name: str) -> str:
    """A name followed by a verb that repeats one of its words (`Quỹ đầu tư nước ngoài đầu tư ...`, `các tổ
    chức chi trả thực hiện chi trả`): the name ends before the echo."""
    words = name.split()
    for i in range(2, len(words) - 1):
        pair = (words[i].lower(), words[i + 1].lower())
        if words[i - 1].lower() in ("và", "các"):
            continue  # `... khu công nghệ cao và khu công nghiệp`: a coordination inside the name
        if any((words[j].lower(), words[j + 1].lower()) == pair for j in range(i - 1)):
            return " ".join(words[:i])
    return name


def _cooperators(text: str) -> list[str]:
    """Open vocabulary: the bodies named after `phối hợp với`, to the verb that ends the list (`phối hợp với
    các Ngân hàng thương mại thực hiện ...` → `Các ngân hàng thương mại`); lexicon names and names with an
    organisation head, each as written when the lexicon does not know it."""
    out: list[str] = []
    for cue in _COOPERATE.finditer(text):
        window = text[cue.end() : cue.end() + 250]
        stop = _LIST_END.search(window)
        if stop and window[: stop.start()].strip().lower() == "các":
            stop = _LIST_END.search(window, stop.end())  # `các tổ chức chi trả`: after `các` a noun, not a verb
        listed = window[: stop.start()] if stop else window
        known = find_agencies(listed)
        for k, m in reversed(list(enumerate(known))):  # the lexicon's names stand in the list as they are
            listed = f"{listed[: m.start]} , \x00{k} , {listed[m.end :]}"
        # `và 05 khoa liên quan`: a counted set of bodies after `và` is a piece of its own (and ends the names)
        for piece in re.split(r"\s*,\s*|\s+và\s+(?=[A-ZĐÀ-Ỹ\d]|các\s)", listed):
            piece = re.sub(r"\s+(?:và|cùng|với)$", "", " ".join(piece.split()))
            if not piece:
                continue
            if piece.startswith("\x00"):
                name = known[int(piece[1:])].name
                if not _superior(name):
                    out.append(name)
                continue
            capital = _before_echo(piece[:1].upper() + piece[1:])
            if not (ORG_HEAD.match(capital) and len(capital.split()) >= 2):
                break  # the list of bodies has ended (`... thu hút các doanh nghiệp, quỹ ...`)
            out.append(canonical_agency(capital))
    return out


def _paragraph_duties(ctx: Context, rest: str, rest_start: int, task_id: str) -> list[Task]:
    """One duty per paragraph when two or more paragraphs of an item each open with their own subject."""
    found: list[tuple[int, str, list[str]]] = []
    pos = 0
    for paragraph in rest.split("\n"):
        start, pos = pos, pos + len(paragraph) + 1
        if len(_clean(paragraph)) >= 20 and (subject := _prose_subject(" ".join(paragraph.split()))):
            found.append((start, paragraph, subject[0]))
    if len(found) < 2:
        return []
    return [
        _duty(ctx, f"{task_id}-{k}", paragraph, rest_start + start, names[0], names[1:])
        for k, (start, paragraph, names) in enumerate(found, start=1)
        if names
    ]


# Verbs that give a body a part in the duty (`chỉ đạo Phòng X ...`, `trình Hội đồng nhân dân ...`, `phối hợp với
# ...`): the bodies right after them cooperate; a body only mentioned (`... giữa các cơ quan Đảng với Mặt trận`)
# does not.
_ADDRESSING = re.compile(
    r"\b(?:phối hợp(?: chặt chẽ)?(?: với)?|chỉ đạo|giao(?: cho)?|trình|đề nghị|yêu cầu|hướng dẫn|cùng với|"
    r"Phối hợp(?: chặt chẽ)?(?: với)?|Chỉ đạo|Giao(?: cho)?|Trình|Đề nghị|Yêu cầu|Hướng dẫn)\s"
)


def _addressed(text: str, mentions: list[Mention]) -> list[str]:
    """The lexicon's bodies (`mentions`, found in `text`) a duty addresses: in the list right after a verb that gives
    them a part (`Chỉ đạo các bộ phận chuyên môn, Công an xã ...`, `phối hợp với Văn phòng ...`), before the next
    verb or clause."""
    out: list[Mention] = []
    for m in mentions:
        clause = re.split(r"[.;:\n]", text[: m.start])[-1]
        cues = list(_ADDRESSING.finditer(clause))
        if cues and not _DUTY_VERB.search(clause, cues[-1].end() - 1):
            out.append(m)
    return _doers(out)


def _duty(ctx: Context, task_id: str, rest: str, rest_start: int, lead: str, heading_others: list[str]) -> Task:
    text = _clean(rest)
    partners = _issuing_partners(rest)
    mentions = find_agencies(rest)
    not_recipients = set(_doers(_not_recipients(rest, mentions)))
    mentioned = [
        n
        for n in [*(a for a in _addressed(rest, mentions) if a in not_recipients), *_cooperators(rest)]
        if not _generic(n) and not _issuing_body(n, ctx.metadata.issuer)
    ]
    found = find_deadline(rest, ctx.plan_year)
    deadline = found.deadline if found and _is_time_cue(rest, found) else None
    stripped = rest.rstrip()
    start = rest_start + len(rest) - len(rest.lstrip())
    return _task(
        ctx,
        task_id,
        text,
        lead,
        [*heading_others, *mentioned, *partners],
        deadline,
        None,
        start,
        max(start, rest_start + len(stripped)),
        partners,
    )


# A body a duty's result is sent or submitted to (`báo cáo ..., gửi Bộ X để tổng hợp`): a recipient, not a partner.
_TO_RECIPIENT = re.compile(r"(?:\bgửi(?:\s+về)?|\btrình)\s+$", re.I)


def _not_recipients(text: str, mentions: list[Mention]) -> list[Mention]:
    """The mentions that may be partners: not a recipient, nor the unit in parentheses of the body named just
    before (`Văn phòng UBND tỉnh (Trung tâm Phục vụ hành chính công)`: the body's own unit that does the duty)."""
    kept = []
    for k, m in enumerate(mentions):
        if _TO_RECIPIENT.search(text, max(0, m.start - 12), m.start):
            continue
        if k and text[mentions[k - 1].end : m.start].strip() == "(":
            continue
        kept.append(m)
    return kept


def _issuing_partners(text: str) -> tuple[str, ...]:
    """The issuing level's committee or council named right after `phối hợp (với)` (`Chủ trì phối hợp UBND tỉnh, Sở
    X ...`): a body the duty cooperates with in so many words, though a plan's issuer is otherwise no cooperating
    body."""
    found = []
    for cue in _COOPERATE.finditer(text):
        mentions = find_agencies(text[cue.end() : cue.end() + 120])
        if mentions and mentions[0].start == 0 and _ISSUING_LEVEL.match(mentions[0].name):
            found.append(mentions[0].name)
    return tuple(found)


def _is_time_cue(text: str, found: object) -> bool:
    """A deadline found in a duty's prose counts when the prose announces a time: a recurrence (`Hằng năm,
    tổ chức ...`, `Thường xuyên rà soát ...`), a window after `Thời gian`,
    `trước ngày`, `chậm nhất`, a quarter or month — not the date of a cited document (`ngày 11 tháng 12
    năm 2020`) or a year inside a name (`dự toán năm 2026`)."""
    start, end = found.start, found.end  # type: ignore[attr-defined]
    deadline = found.deadline  # type: ignore[attr-defined]
    before = folded(text[max(0, start - 40) : start]).lower()
    if re.match(r"\s*(?:giai doan|thoi ky)", folded(text[start:end]).lower()) or re.search(
        r"(?:giai doan|thoi ky)\s*$", before
    ):
        return False  # a period the duty belongs to, not its deadline
    if re.search(r"ngay\s*\d{1,2}\s*$|(?:so|ngay)\s*[\d/]*$|\b(?:moi|hang)\s*$", before) and not re.search(
        r"\b(?:tu|den|truoc|sau|vao|cham nhat(?: la)?)\s*ngay\s*[\d/]*$", before
    ):
        return False  # the date of a cited document; `mỗi tháng 02 chuyên mục` (a count per month)
    announced = bool(_STRONG_TIME.search(before) or re.search(r"\b(?:cham nhat|dinh ky|tu ngay)\b", before))
    if deadline.recurrence == "continuous":
        # `Thường xuyên rà soát ...`, `..., thực hiện thường xuyên.`, `Thời gian: thường xuyên`: the duty's time; not
        # an adverb inside it (`cập nhật thường xuyên số lượng`) or a kind of spending (`chi thường xuyên`)
        lead_in = re.sub(r"^(?:[a-zđ]\)|\d+[.)])\s*", "", folded(text[:start]).lower().strip(" -–•+*\n\t"))
        return (
            announced
            or not lead_in
            or not text[end:].strip(" .;\n")
            or re.search(r"\b(?:thuc hien|trien khai|to chuc)\s*$", before) is not None
        )
    if deadline.recurrence:
        return True
    if not (deadline.start and deadline.end):
        return True
    cue = folded(text[max(0, start - 40) : end]).lower()
    return announced or bool(re.search(r"\b(?:quy\s+(?:[ivx]+|\d)|cham nhat)\b", cue))


def _closing_from(content: str) -> int:
    """Where a duty's closing paragraph may begin: past its first line of text when its heading is only an
    agency's name."""
    first_line = content.partition("\n")[0]
    return len(first_line) + 2 if _agency_list(first_line) else 1


def _opening_agencies(content: str) -> list[str]:
    """The agencies a duty's heading lists (`Sở A, Sở B:` or a first line that is only names), else []."""
    head, sep, _ = content.partition(":")
    if sep and len(head) < 250 and (names := _agency_list(head)):
        return names
    return _agency_list(content.partition("\n")[0])


# Words that introduce the agencies of a duty's heading (`Đối với Sở A:`, `Trách nhiệm của Sở A`).
_LEAD_IN = re.compile(r"^\s*(?:doi voi|trach nhiem cua|nhiem vu cua|giao(?: cho)?|de nghi|yeu cau)\s+")
_PARENTHESES = re.compile(r"\([^()\n]{0,80}\)")
# Words a list of agencies may hold besides the names (`Sở A tỉnh X và các ...`).
_LIST_WORDS = {"va", "cac", "-", "–", "tinh", "cua", "thanh", "pho", "to", "chuc", "ca", "nhan", "co", "lien", "quan"}


def _agency_list(text: str) -> list[str]:
    return [cell for name in _listed_names(text) for cell in _party_cells(name)]


def _listed_names(text: str) -> list[str]:
    """The canonical names when `text` is nothing but a list of agencies (`Sở A, Sở B và Báo C`), else [].
    A remark in parentheses (`Sở A (cơ quan thường trực)`) is not part of the list. A heading line whose first
    body runs on past what the lexicon reads (`Viện Văn hóa, Nghệ thuật, Thể thao và Du lịch Việt Nam`, `Các cơ
    quan trực thuộc Bộ ...`) names that body whole."""
    # `Đề nghị Ủy ban nhân dân xã phối hợp`: the heading's verb is no part of the body's name
    text = re.sub(r"\s+(?:phối hợp|thực hiện|chủ trì)\s*(?=:?\s*$)", "", text)
    names = _listed_agencies(text)
    whole = _heading_bodies(text)
    first = folded(whole[0]).lower() if whole else ""
    if whole and not names:
        return whole
    if whole and whole[0] != names[0] and first.startswith(folded(names[0]).lower()):
        return [whole[0], *[n for n in names if not first.startswith(folded(n).lower())]]
    return names


def _heading_bodies(text: str) -> list[str]:
    """The bodies a one-line heading names, as written: a new body at each piece that opens with the head of an
    organisation name; any other piece after a comma continues the name before it (`Sở Văn hóa, Thể thao và Du
    lịch`, `Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương`)."""
    line = " ".join(_PARENTHESES.sub(" ", text).split()).strip(" :;,")
    if (
        not line
        or "\n" in text.strip()
        or len(line) > 150
        or line.endswith(".")
        or _verb_after_name(line)
        or _PERSON.match(line)
        or _LEAD_IN.match(folded(line).lower())
    ):
        return []
    names: list[str] = []
    for piece in re.split(r"\s*[,;]\s*|\s+và\s+(?=\w+\s)", line):
        opens = ORG_HEAD.match(piece) or (piece.startswith("Các ") and ORG_HEAD.match(piece[4:5].upper() + piece[5:]))
        joined = line.find(piece) > 0 and line[: line.find(piece)].rstrip().endswith("và")
        if names and joined and piece.startswith("các ") and ORG_HEAD.match(piece[:1].upper() + piece[1:]):
            names.append(piece[:1].upper() + piece[1:])  # `... và các cấp ủy`: a collective after the names
        elif opens and piece[:1].isupper():
            names.append(piece)
        elif names and names[-1].startswith("Các ") and _GENERIC_PIECE.match(piece) and len(names) > 1:
            names[-1] += f", {piece}"  # `các cấp ủy, tổ chức Đảng trực thuộc`: generic nouns under one `các`
        elif not names or _GENERIC_PIECE.match(piece):
            break  # `..., tổ chức, cá nhân có liên quan`: bodies in general, no part of a name
        else:
            names[-1] += f" và {piece}" if joined else f", {piece}"
    if not names:
        return []
    return _doers([Mention(0, 0, canonical_agency(n), n) for n in names])


# A party cell and the units it is set up in (`Chi bộ Công an, Quân sự xã`), the level written once after them.
_PARTY_CELLS = re.compile(
    r"^(?P<head>Chi bộ|Đảng bộ|Đảng ủy)\s+(?P<units>[A-ZĐÀ-Ỹ][^,;]*(?:(?:,\s*|\s+và\s+)[A-ZĐÀ-Ỹ][^,;]*?)+?)"
    r"(?P<level>\s+(?:xã|phường|thị trấn|đặc khu|huyện|quận|thị xã|tỉnh|thành phố))?$"
)


def _party_cells(name: str) -> list[str]:
    """`Chi bộ Công an, Quân sự xã` → `Chi bộ Công an xã`, `Chi bộ Quân sự xã`: a party cell is set up in each unit,
    so a cell named over a list of units is one cell per unit; any other name comes back as it is."""
    m = _PARTY_CELLS.match(name)
    if m is None:
        return [name]
    units = re.split(r",\s*|\s+và\s+", m.group("units"))
    return [f"{m.group('head')} {unit.strip()}{m.group('level') or ''}" for unit in units]


def _verb_after_name(text: str) -> re.Match[str] | None:
    """The first duty verb of `text` that follows a name, not one a head takes as its own word (`Các cơ quan tham
    mưu ...`, `Ban xây dựng Đảng`)."""
    for verb in _DUTY_VERB.finditer(text):
        before = re.split(r"[,;]", text[: verb.start()])
        piece = before[-1] if before[-1].strip() or len(before) < 2 else before[-2]  # `Các cơ quan, tham mưu ...`
        if not before[-1].strip() and text[verb.end() :].lstrip()[:1].isupper():
            continue  # `..., tổ chức Đảng trực thuộc`: a noun opening a piece of the list, a name after it
        if not _names_word(text, verb, piece):
            return verb
    return None


def _names_word(text: str, verb: re.Match[str], before: str) -> bool:
    """A verb right after the head of a name (`before` is nothing but the head) that the name goes on past to a
    proper noun (`Ban xây dựng Đảng chủ trì`, `Các tổ chức Đảng tổ chức ...`, `Các cơ quan tham mưu giúp việc Đảng
    ủy`) is a word of the name, not the duty's verb (`Đoàn kiểm tra trong quá trình ...` is a verb)."""
    if not head_alone(before):
        return False
    stretch = re.split(r"[,.;:()]", text[verb.end() :], maxsplit=1)[0]
    if (after := _DUTY_VERB.search(stretch)) is not None:
        stretch = stretch[: after.start()]
    return any(word[:1].isupper() for word in stretch.split())


_GENERIC_PIECE = re.compile(r"^(?:các\s+)?(?:tổ chức|cá nhân|cơ quan|đơn vị|doanh nghiệp|địa phương|người)\b")


def _listed_agencies(text: str) -> list[str]:
    text = _PARENTHESES.sub(lambda m: " " * len(m.group(0)), text)
    if lead_in := _LEAD_IN.match(folded(text).lower()):
        text = " " * lead_in.end() + text[lead_in.end() :]
    mentions = find_agencies(text)
    residual = text
    for m in reversed(mentions):
        residual = residual[: m.start] + " " + residual[m.end :]
    unknown = split_agencies(residual)
    for name in unknown:
        residual = residual.replace(name, " ").replace(name.lower(), " ")
    words = set(folded(residual).lower().replace(",", " ").replace(";", " ").split()) - _LIST_WORDS
    if words and mentions and not unknown and (collective := _collective_to_end(text, mentions)):
        return _doers([*mentions[:-1], collective])
    if words or not (mentions or unknown):
        return _named_bodies(text) or _collective_heading(text)
    # in the order the heading names them: its first body leads
    low = text.lower()
    named = [
        *mentions,
        *(
            Mention(p if (p := low.find(n.lower()[:12])) >= 0 else len(text), 0, n, n)
            for n in unknown
            if n not in {m.name for m in mentions}
        ),
    ]
    return _doers(sorted(named, key=lambda m: m.start))


# People by their post (`Đồng chí ...`, `các đ/c ...`, `Các Phó Chủ tịch ...`, `Cán bộ phụ trách ...`): their duties
# are not a body's.
_PERSON = re.compile(
    r"^(?:(?:các\s+)?(?:đồng chí|đ/c)\b|(?:các\s+)?(?:phó\s+)?chủ tịch\s+(?!(?:ủy|uỷ) ban|hội đồng)|"
    r"(?:các\s+)?(?:cán bộ|chuyên viên)\b|người đứng đầu\s+(?:các\s+)?(?:cấp ủy|cơ quan|đơn vị)\b)",
    re.I,
)
# A heading naming a collective by its plural (`Các Bộ, ngành`, `Các Khu Công nghệ cao, Khu ... và hiệp hội`):
# `Các` and a capitalised name or an organisation's head.
_COLLECTIVE_HEADING = re.compile(
    r"^Các\s+(?:(?P<capital>\w)|(?:cơ quan|đơn vị|tổ chức|bộ|sở|ban|ngành|hội|trường|"
    r"doanh nghiệp|địa phương)\b)"
)


# `Các Bộ: NN&MT, Xây dựng`: fields listed after the opener, one ministry or department each (split_agencies).
_FIELDS_OPENER = re.compile(r"^Các\s+(?:Bộ|bộ|Sở|sở)\s*:")
_HEADS_IN_LINE = r"(?:Ủy ban|Uỷ ban|UBND|Sở|Bộ|Ban|Trung tâm|Văn phòng|Công an|Hội đồng)\s+[A-ZĐÀ-Ỹa-zà-ỹđ]"


def _collective_heading(text: str) -> list[str]:
    """A one-line heading that is a collective written out, its names as written: a lower-case piece after a
    comma (`ngành`, `hiệp hội, doanh nghiệp liên quan`) continues the piece before it."""
    line = " ".join(text.split()).strip(" :;,")
    collective = _COLLECTIVE_HEADING.match(line)
    if (
        not collective
        or _FIELDS_OPENER.match(line)
        or (collective.group("capital") or "A").islower()
        or _PERSON.match(line)
        or "\n" in text.strip()
        or len(line) > 150
        or line.endswith(".")
        or _verb_after_name(line)
    ):
        return []
    names: list[str] = []
    # a wrapped cell's lines run together without a comma (`Các Bộ, cơ quan Ủy ban nhân dân ...`): a capitalised
    # organisation head after a lower-case word opens another body
    line = re.sub(r"(?<=[a-zà-ỹđ])\s+(?=" + _HEADS_IN_LINE + r")", ", ", line)
    for piece in re.split(r"(,\s*|\s+và\s+)", line):
        if (names and not piece[:1].isupper()) or re.fullmatch(r",\s*|\s+và\s+", piece):
            names[-1] += piece
        else:
            names.append(piece)
    return _doers([Mention(0, 0, canonical_agency(n), n) for n in _plural_names(names)])


def _without_hedge(name: str) -> str:
    """`Khu B và hiệp hội, doanh nghiệp liên quan` → `Khu B`: bodies in general after a name, written in lower case
    to a closing `liên quan`, are a hedge, no part of it."""
    if not re.search(r"\sliên quan$", name):
        return name
    for joint in re.finditer(r"(?:,|\s+và)\s+", name):
        if name[joint.end() :].islower():
            return name[: joint.start()]
    return name


def _plural_names(names: list[str]) -> list[str]:
    """The names of a collective heading (`Các Khu A, Khu B và hiệp hội liên quan`): a later name of the same kind
    (its first word the plural's noun) that is no organisation's name of its own shares the heading's plural (`Các
    Khu B`); a hedge after it is dropped."""
    first = names[0].split() if names else []
    kind = first[1] if len(first) > 2 and first[0] == "Các" and first[1][:1].isupper() else None
    out: list[str] = []
    for name in (n.strip(" ,") for n in names):
        if out and name:
            name = _without_hedge(name)
            if kind and name.split()[0] == kind and not ORG_HEAD.match(name):
                name = f"Các {name}"
        if name:
            out.append(name)
    return out


# A heading naming the units of a kind by their plural common noun (`Các khoa tham gia khảo sát`, `Các phòng chuyên
# môn`): the units of an organisation, in lower case after `Các`.
_PLURAL_UNITS = re.compile(
    r"^Các\s+(?:khoa|phòng|ban|trung tâm|đơn vị|cơ quan|tổ chức|trường|viện|hội|chi hội|đoàn thể|tổ|đội|bộ phận)\s+\S"
)


def _plural_heading(text: str) -> list[str]:
    """A one-line heading over duties that names a set of units as the plan words it (`Các khoa tham gia khảo sát`):
    one collective, as written, even when a clause of it holds a verb (`tham gia`); a heading's own role verb at its
    end (`... phối hợp`) is no part of it."""
    line = " ".join(text.split()).strip(" :;")
    line = re.sub(r"\s+(?:phối hợp|thực hiện|chủ trì)$", "", line)
    if not _PLURAL_UNITS.match(line) or "," in line or line.endswith(".") or len(line.split()) > 10:
        return []
    return [line]


def _collective_to_end(text: str, mentions: list[Mention]) -> Mention | None:
    """A heading ending in a collective body whose wording runs on (`UBND các xã, thị trấn ven biển`): the
    collective keeps the document's words to the end of the heading."""
    last = mentions[-1]
    tail = " ".join(text[last.end :].split()).strip(" :.;,")
    if not (
        last.name.startswith(("Ủy ban nhân dân các", "Các "))
        and tail
        and "\n" not in text.strip()
        and len(tail) < 60
        and not tail.endswith(".")
    ):
        return None
    before = folded(text[: mentions[0].start]).lower().strip(" -–")
    if before and before not in {"giao", "de nghi", "doi voi"}:
        return None
    return Mention(last.start, len(text), f"{last.name} {tail}", text[last.start :])


def _named_bodies(text: str) -> list[str]:
    """Open vocabulary: a heading that lists organisation names the lexicon does not hold whole (`Ngân hàng
    Nhà nước chi nhánh khu vực 14`, `Trung tâm Dịch vụ việc làm`): each piece opens with the head of an
    organisation name and the name runs to the piece's end; the names are kept as written."""
    line = " ".join(text.split()).strip(" :.;,")
    if not line or len(line) > 200 or line.endswith(".") or "\n" in text.strip():
        return []
    if text.rstrip().endswith(".") and _DUTY_VERB.search(line):
        return []  # a sentence whose subject lists bodies (`Khoa A, Khoa B và Khoa C phối hợp ...`), not a heading
    pieces = [p for p in re.split(r"\s*[,;]\s*|\s+và\s+(?=[A-ZĐÀ-Ỹ]|các\s)", line) if p.strip()]
    if not pieces or not all(ORG_HEAD.match(p) for p in pieces):
        return []
    return _doers([Mention(0, 0, canonical_agency(p), p) for p in pieces])


def _agency_item_tasks(ctx: Context, node: OutlineNode, content: str, task_id: str | None = None) -> list[Task]:
    task_id = task_id or node.marker
    head, sep, after_colon = content.partition(":")
    first_line, _, after_line = content.partition("\n")
    if sep and len(head) < 250 and (names := _agency_list(head)):
        header_names, rest = names, after_colon
    elif names := _agency_list(first_line):
        header_names, rest = names, after_line
    else:
        header_names, rest = _subject(content), content
    text = _clean(rest)
    if not header_names or not text:
        return []
    lead = _pick_lead(header_names)
    others = [n for n in header_names if n != lead]
    rest_start = node.body_start + len(content) - len(rest)
    dated = _dated_bullets(ctx, rest)
    if dated:
        return [
            _task(
                ctx,
                f"{task_id}.{k}",
                _clean(rest[a:b]),
                lead,
                others + _mentioned(ctx, rest[a:b]),
                deadline,
                None,
                rest_start + a,
                rest_start + len(rest[:b].rstrip()),
            )
            for k, (a, b, deadline) in enumerate(dated, start=1)
        ]
    mentioned = _mentioned(ctx, rest)
    found = find_deadline(rest, ctx.plan_year)
    return [
        _task(
            ctx,
            task_id,
            text,
            lead,
            others + mentioned,
            found.deadline if found else None,
            None,
            node.start,
            node.body_start + len(content.rstrip()),
        )
    ]


_BULLET_START = re.compile(r"(?m)^[ \t]*[-–•+*][ \t]*(?=\S)")


def _dated_bullets(ctx: Context, rest: str) -> list[tuple[int, int, Deadline | None]]:
    """(start, end, deadline) of each bullet of an agency item when two or more carry their own deadline
    (`- Xây dựng ... Thời hạn: Quý III/2027; - Tổ chức ... hằng năm`): then each bullet is a task of its
    own. [] when the item is one duty (its bullets undated, or one time for all)."""
    starts = [m.start() for m in _BULLET_START.finditer(rest)]
    intro = rest[: starts[0]].strip() if starts else ""
    if len(starts) < 2 or (intro and not intro.endswith(":")):
        return []  # bullets continuing a sentence, not a list of duties
    bullets = []
    for a, b in zip(starts, [*starts[1:], len(rest)], strict=True):
        found = find_deadline(rest[a:b], ctx.plan_year)
        bullets.append((a, b, found.deadline if found else None))
    return bullets if sum(d is not None for _, _, d in bullets) >= 2 else []


def _closing_duty(ctx: Context, section: OutlineNode, start: int, end: int) -> Task | None:
    """The closing paragraph of `Tổ chức thực hiện` when it sets a reporting duty with a time."""
    tail = ctx.doc.text[start:end]
    stop = re.search(r"\./\.|^\s*(?:Trên đây là|Nơi nhận)", tail, re.M)
    tail = tail[: stop.start() + (3 if stop and stop.group(0) == "./." else 0)] if stop else tail
    found = find_deadline(tail, ctx.plan_year)
    if found is None or "báo cáo" not in tail.lower():
        return None
    names = _doers(find_agencies(tail))
    lead = _pick_lead(names)
    if lead is None:
        return None
    return _task(ctx, section.marker, _clean(tail), lead, names, found.deadline, None, start, start + len(tail))


# --- dated items in the task sections -----------------------------------------------------------------


def _item_id(nodes: list[OutlineNode], index: int) -> str:
    node = nodes[index]
    if node.kind == "letter":
        parent = next((a for a in ancestors(nodes, index) if nodes[a].kind == "item"), None)
        return f"{nodes[parent].marker}.{node.marker}" if parent is not None else node.marker
    return node.marker


def coordinator(tasks: list[Task]) -> str | None:
    """The agency a plan's undated work falls to: the specific agency leading most tasks so far."""
    leads = Counter(t.lead_agency for t in tasks if t.lead_agency and not t.lead_agency.startswith(("Các", "Ủy ban")))
    return leads.most_common(1)[0][0] if leads else None


# `* Thời gian thực hiện:` (or `Thời hạn`, `Tiến độ`) opening the block that dates an item.
_TIME_LABEL = re.compile(
    r"^[ \t]*[-+*•]?[ \t]*(?:Thời gian(?: thực hiện| hoàn thành| triển khai)?|Thời hạn|Tiến độ)"
    r"[ \t]*:",
    re.M,
)


def _labelled_time(content: str, plan_year: int | None) -> Found | None:
    """The window an item's time label gives: its own line and the lines under it (`+ Đợt 1: từ ngày ... đến ngày
    ...`, `+ Đợt 2: ...`); rounds of dated days span from the first day to the last."""
    label = _TIME_LABEL.search(content)
    if label is None:
        return None
    block_end = re.search(r"\n[ \t]*(?![-+*•]|Đợt|đợt)\S", content[label.end() :])
    block = content[label.end() : label.end() + block_end.start()] if block_end else content[label.end() :]
    windows: list[Found] = []
    pos = 0
    while (found := find_deadline(block[pos:], plan_year)) is not None:
        windows.append(Found(label.end() + pos + found.start, label.end() + pos + found.end, found.deadline))
        pos += found.end
    dated = [w for w in windows if w.deadline.start and w.deadline.end and not w.deadline.recurrence]
    if len(dated) >= 2:
        first, last = min(dated, key=lambda w: str(w.deadline.start)), max(dated, key=lambda w: str(w.deadline.end))
        text = " ".join(block.split()).strip(" ;.")
        return Found(
            dated[0].start,
            dated[-1].end,
            Deadline(text=text, start=first.deadline.start, end=last.deadline.end, recurrence=None),
        )
    return dated[0] if dated else (windows[0] if windows else None)


def dated_item_tasks(ctx: Context, nodes: list[OutlineNode], default_lead: str | None) -> list[Task]:
    """Items and letters outside `Tổ chức thực hiện` that carry a time (or a recurring agency duty)."""
    candidates: list[tuple[bool, Task]] = []
    body_end = _body_end(ctx)
    for i, node in enumerate(nodes):
        if node.kind not in ("item", "letter") or node.start >= body_end:
            continue
        lineage = [nodes[a] for a in ancestors(nodes, i)]
        if any(_ORGANIZATION.search(folded(a.title).lower()) or a.kind == "appendix" for a in lineage):
            continue
        if ctx.structure is not None and ctx.structure.in_role(node.start, "implementation"):
            continue  # its duties are read by organization_tasks
        headings = [
            a
            for a in [*lineage, node]
            if a.kind in ("part", "section") or (a.kind == "item" and len(a.title.split()) <= 10)
        ]
        if any(_NOT_ASSIGNING.search(folded(a.title).lower()) for a in headings):
            continue
        has_children = any(n.parent == i and n.kind in ("item", "letter") for n in nodes[i + 1 : i + 40])
        if has_children:
            continue
        if ctx.structure is not None and ctx.structure.role_at(node.start) == "scope":
            continue  # `3.4. Thời gian khảo sát` under `3. Đối tượng, phạm vi ...`: whom and when, no one's duty
        if any(t.kind == "tasks" and node.body_start <= t.start < node.end for t in ctx.tables):
            continue  # `6. Tiến độ thực hiện` over a task table: its rows are the tasks
        content = ctx.doc.text[node.body_start : min(own_text_end(nodes, i), body_end)]
        heading, _, duties = content.partition("\n")
        if ":" not in heading and _clean(duties) and _agency_list(heading):
            # `3.1. Công an tỉnh` over its duties: they are that agency's, dated or not, one per dated bullet
            candidates.extend((True, t) for t in _agency_item_tasks(ctx, node, content, _item_id(nodes, i)))
            continue
        found = _labelled_time(content, ctx.plan_year) or find_deadline(content, ctx.plan_year)
        if found is None:
            continue
        cue = folded(content[max(0, found.start - 40) : found.end]).lower()
        strong = bool(_STRONG_TIME.search(cue))
        if not strong and not _WEAK_TIME.search(cue):
            continue
        names = _mentioned(ctx, content)
        subject = _subject(content) or _subject(re.sub(r"^[^,]*,[^,]*,\s*", "", content[:300]))
        lead_cue = _LEAD_CUE.search(content[:300])
        cue_names = _doers(find_agencies(lead_cue.group(1))) if lead_cue else []
        lead = _pick_lead(cue_names or subject) or default_lead
        if lead is None:
            continue
        if not (cue_names or subject) and found.deadline.recurrence and not found.deadline.start:
            continue  # a bare "hằng năm" in an item that assigns nobody
        candidates.append(
            (
                strong,
                _task(
                    ctx,
                    _item_id(nodes, i),
                    _clean(content),
                    lead,
                    names,
                    found.deadline,
                    None,
                    node.start,
                    node.body_start + len(content.rstrip()),
                ),
            )
        )
    # A weak time cue ("trong năm 2023") marks a task only in a plan that dates its items explicitly.
    dated_plan = sum(strong for strong, _ in candidates) >= 2
    return [
        task
        for strong, task in candidates
        if strong or dated_plan or (task.deadline and task.deadline.recurrence and task.lead_agency)
    ]


def extract(ctx: Context) -> list[Task]:
    """Every task of the document: table rows, agency duties, dated items, paragraphs of the task sections
    whose subject is an agency (nothing when there is none)."""
    central = _CENTRAL_PLAN.set(bool(_CENTRAL_ISSUER.search(ctx.metadata.issuer or "")))
    party = _PARTY_PLAN.set(bool(_PARTY_ISSUER.match(ctx.metadata.issuer or "")))
    try:
        return _extract(ctx)
    finally:
        _PARTY_PLAN.reset(party)
        _CENTRAL_PLAN.reset(central)


def _extract(ctx: Context) -> list[Task]:
    structure = ctx.structure
    nodes = structure.outline if structure is not None else parse_outline(ctx.doc)
    tasks: list[Task] = []
    for table in ctx.tables:
        if table.kind == "tasks":
            found = table_tasks(ctx, table)
            if not found and structure is not None:
                ctx.warnings.append(
                    Warning(
                        code="table_without_tasks",
                        message="a task table (its header names tasks and who does them) yielded no task",
                        span=ctx.doc.span(table.start, table.end),
                    )
                )
            tasks.extend(found)
    records, recorded = field_item_tasks(ctx, nodes)
    assigned, extents = closing_assignment_tasks(ctx)
    records += assigned
    recorded += extents
    duties = organization_tasks(ctx, nodes)
    # dated items that name nobody fall to the plan's coordinator; in a plan that assigns no one (a body
    # planning its own work: a Fatherland Front committee, an inspection team) to its issuer
    tasks.extend(dated_item_tasks(ctx, nodes, coordinator(duties + tasks) or ctx.metadata.issuer))
    tasks.extend(duties)
    tasks.extend(subject_tasks(ctx, nodes, tasks))
    # an item whose bullets label its time and bodies is one task, whatever else read its lines
    tasks = [
        t
        for t in tasks
        if not (t.span and any(a <= ctx.doc.global_offset(t.span.page, t.span.start) < b for a, b in recorded))
    ] + records
    _settle_names(tasks, nodes, ctx.doc.text, ctx.metadata.issuer)
    _section_windows(ctx, nodes, tasks)
    _name_for_city(tasks, ctx.metadata.province)
    # in reading order: the body's duties before the appendix's rows
    return sorted(tasks, key=lambda t: ctx.doc.global_offset(t.span.page, t.span.start) if t.span else 0)


# --- paragraphs whose subject is an agency -------------------------------------------------------------

# Sections whose paragraphs may assign work (not the aims, the review of the past, the preamble).
_ASSIGNING_ROLES = ("tasks", "objectives", "funding", "other")
# A clause put before the subject (`Trên cơ sở kết quả ..., giao Sở Y tế ...`).
_FRONTED = re.compile(r"^(?:Trên cơ sở|Căn cứ|Theo|Để|Trong|Sau khi|Ngoài ra|Đồng thời)\b[^.;:\n]{0,200}?,\s*")
# A case put before the subject with `thì` (`Đối với vụ việc ở nơi công tác thì cơ quan ... có trách nhiệm ...`).
_CONDITION = re.compile(r"^(?:Đối với)\b[^.;:\n]{0,200}?\s+thì\s+(?=\S)")
# A fronted clause about what bodies proposed or reported (`Trên cơ sở đề xuất của các bộ, ...`).
_OWNERS = re.compile(r"^(?:Trên cơ sở|Căn cứ)\s[^,;.:\n]{0,60}?\bcủa\s+(?:các\s|[A-ZĐÀ-Ỹ])")
_LEADERS = re.compile(
    r"^(?:lãnh đạo|thủ trưởng|người đứng đầu|(?:phó\s+)?trưởng(?=\s+(?:Ban|Phòng|Đoàn|Tổ)\s))\s+"
    r"(?=các\s|[A-ZĐÀ-Ỹ])",
    re.I,
)
_ASSIGN = re.compile(r"^(?:giao(?: cho)?|đề nghị|yêu cầu)\s+", re.I)


def _prose_names(paragraph: str) -> list[str]:
    found = _prose_subject(" ".join(paragraph.split()))
    return found[0] if found else []


def _prose_subject(paragraph: str) -> tuple[list[str], int] | None:
    """The agencies a paragraph opens with as the subject of its duty (`Sở Nội vụ chủ trì ...`, `Giao Công an
    tỉnh tham mưu ...`, `Trên cơ sở ..., giao Sở Y tế thành lập ...`, `Thực hiện chi trả: UBND xã, phường phối
    hợp ...`), with where the subject starts; None when it names no subject."""
    starts = [0]
    title = re.match(r"^[^:\n]{3,120}:\s*", paragraph)
    if title:
        starts.append(title.end())
    for start in starts:
        text = paragraph[start:]
        if condition := _CONDITION.match(text):  # `Đối với vụ việc ở khu dân cư thì cơ quan ... có trách nhiệm`
            text, start = text[condition.end() :], start + condition.end()
            verb = _DUTY_VERB.search(text[:300])
            if verb and (collective := _qualified_collective(text[: verb.start()])):
                return [collective], start
        fronted = _FRONTED.match(text)
        # a fronted clause may hold commas itself (`Trên cơ sở Chỉ thị ..., Kế hoạch hành động, các Bộ ...`):
        # the subject may start after any of its first commas
        options = [(text, start)]
        if fronted:
            options = []
            commas = [m.end() for m in re.finditer(r",\s*", text[:300])]
            if _OWNERS.match(text):
                # `Trên cơ sở đề xuất của các bộ, cơ quan ..., Bộ X tổng hợp`: the bodies listed after `của` are the
                # clause's; the subject is the last of the list, the one its verb follows
                verb = _DUTY_VERB.search(text, fronted.end(), 400)
                commas = [c for c in commas if verb is None or c <= verb.start()][::-1]
            for comma in commas[:4]:
                if comma >= fronted.end():
                    options.append((text[comma:], start + comma))
        for option, option_start in options:
            names = _subject_after_cues(option)
            if names:
                return names, option_start
    return None


# `hằng năm Ban X ban hành ...`: how often, said before the subject.
_HOW_OFTEN = re.compile(r"^(?:định kỳ\s+)?(?:hằng|hàng)\s+(?:năm|quý|tháng),?\s+(?=[A-ZĐÀ-Ỹ])", re.I)


def _subject_after_cues(text: str) -> list[str]:
    text = text[often.end() :] if (often := _HOW_OFTEN.match(text)) else text
    assign = _ASSIGN.match(text)
    if assign:
        text = text[assign.end() :]
    leaders = _LEADERS.match(text)
    if leaders:  # `Đề nghị lãnh đạo các đơn vị ...`: the body is the subject
        text = text[leaders.end() :]
    return _leading_names(text)
    return None


# Words that carry a name on (`... của`, `... tỉnh`), never the verb after a subject.
_NOT_A_VERB = {
    "và",
    "của",
    "thuộc",
    "các",
    "tỉnh",
    "thành",
    "xã",
    "phường",
    "huyện",
    "quận",
    "cấp",
    "trực",
    "ở",
    "tại",
    "với",
    "hoặc",
    "cùng",
    "là",
    "được",
    "đã",
    "thị",
    "trên",
    "theo",
    "về",
    "có",
}


def _leading_names(text: str) -> list[str]:
    """Agencies at the very start of `text`, up to the duty verb after them; [] when none is its subject."""
    verb = _DUTY_VERB.search(text[:300])
    while (
        verb is not None
        and (
            (text[:1].isupper() and _names_word(text, verb, text[: verb.start()]))
            # `Các cấp ủy, tổ chức đảng, ...`, `... và các tổ chức ...`: a noun of the list, no verb
            or re.search(r"(?:,|\b[Cc]ác|\bnhững)$", text[: verb.start()]) is not None
        )
    ):
        verb = _DUTY_VERB.search(text[:300], verb.end())
    known = find_agencies(text[:200])
    if known and known[0].start == 0 and (verb is None or verb.start() > known[0].end + 1):
        # a body the lexicon knows, then a verb of any kind (`Ban Thường trực ... trao đổi với ...`)
        after = text[known[0].end :].split()
        # past the body's place (`phường`, `xã Lương Minh`), as the lexicon may leave it out of the name
        if (after and after[0] in ("tỉnh", "huyện", "quận", "xã", "phường")) or after[:2] in (
            ["thành", "phố"],
            ["thị", "xã"],
        ):
            after = after[2:] if after[0] in ("thành", "thị") else after[1:]
            while after and after[0][:1].isupper():
                after = after[1:]
        word = re.match(r"(\w+)", after[0]) if after else None
        if word and word.group(1).islower() and word.group(1) not in _NOT_A_VERB and len(after) >= 3:
            return _subjects(known[:1])
    if verb is None or verb.start() == 0:
        return []
    # a circumstance between the subject and its verb (`..., theo chức năng, nhiệm vụ được giao, xây dựng`)
    subject = re.split(r",?\s+(?:theo chức năng|trong phạm vi|căn cứ)\b", text[: verb.start()])[0]
    if len(text[verb.end() :].split()) < 3:
        return []  # `Các tổ chức ... tham gia.`: a subject and a verb with nothing to do
    if len(re.split(r"\s+[-–]\s+", subject, maxsplit=1)[0].split()) > 25 or _EVERY_LEVEL.search(subject):
        return []
    mentions = find_agencies(subject)
    pos = 0
    opening: list[Mention] = []
    for m in mentions:
        gap = folded(subject[pos : m.start]).lower().strip(" ,;:.-")
        if gap and gap not in {"va", "cac"}:
            break
        opening.append(m)
        pos = m.end
    rest = subject[pos:].strip(" ,;")
    if opening and (not rest or _LEVEL_ELLIPSIS.fullmatch(rest)):
        return _subjects(opening)  # `Ủy ban nhân dân cấp tỉnh, cấp xã đưa ...`
    head = subject.strip()
    capitalised = head[:1].upper() + head[1:]
    if not opening and ORG_HEAD.match(capitalised) and len(head.split()) > 2:
        # (a head alone, `cơ quan ... phải`, is a noun of the sentence, not a body)
        chain = _unit_chain(subject)
        parts = split_agencies(capitalised) if " và " in chain or "," in chain else []
        if " và " in chain and len(parts) > 1 and all(ORG_HEAD.match(p) and len(p.split()) > 1 for p in parts):
            # `Ủy ban Kiểm tra Đảng ủy và Văn phòng Đảng ủy có trách nhiệm`: a second name's head after `và`, two
            # bodies (the first leads)
            return _subjects([Mention(0, 0, n, n) for n in parts])
        if chain != subject.strip(" ,") or "," not in chain:
            return _subjects([Mention(0, len(subject), canonical_agency(chain[:1].upper() + chain[1:]), subject)])
        return _subjects([Mention(0, 0, n, n) for n in parts])
    if opening and re.fullmatch(r"(?:\(.{0,80}\)|[A-ZĐÀ-Ỹ0-9][^,;]{0,40})", rest):
        return _subjects(opening)  # `Văn phòng UBND tỉnh (Trung tâm Phục vụ hành chính công)`
    return []


# `... từ Trung ương đến địa phương`, `từ tỉnh đến cơ sở`: bodies of every level, nobody in particular.
_EVERY_LEVEL = re.compile(r"\btừ (?:Trung ương|trung ương|tỉnh|huyện) (?:đến|tới) (?:địa phương|cơ sở|xã|các)\b")


# Nouns of bodies listed under one qualifier (`cơ quan, tổ chức, đơn vị trực tiếp quản lý người ứng cử`).
_QUALIFIED_NOUNS = re.compile(
    r"^(?:các\s+)?(?:cơ quan|tổ chức|đơn vị|cá nhân)(?:\s*,\s*(?:cơ quan|tổ chức|đơn vị|cá nhân))+"
    r"\s+(?P<qualifier>\S.*)$",
    re.I,
)


def _qualified_collective(subject: str) -> str | None:
    """Nouns of bodies listed under one qualifier that says which (`cơ quan, tổ chức, đơn vị giới thiệu người ứng
    cử`): one collective, as written; None when no qualifier follows or it only hedges (`... có liên quan`)."""
    m = _QUALIFIED_NOUNS.match(" ".join(subject.split()).strip(" ,"))
    if m is None or len(m.group("qualifier").split()) < 2 or re.match(r"(?:có\s+)?liên quan\b", m.group("qualifier")):
        return None
    return m.group(0)[:1].upper() + m.group(0)[1:]


# `..., cấp xã`: a second level of the same committees, written without repeating the body.
_LEVEL_ELLIPSIS = re.compile(r"(?:(?:,|và)?\s*cấp (?:tỉnh|huyện|xã))+")
# A provincial plan reports to these; as the subject of a duty only the local councils and committees of the
# issuing level are not doers (a ministry that is the subject of a duty in a central plan does it).
_NOT_SUBJECTS = re.compile(r"^(?:Ủy ban nhân dân tỉnh$|Hội đồng nhân dân tỉnh$|Chính phủ|Thủ tướng|Tỉnh ủy)")


def _subjects(mentions: list[Mention]) -> list[str]:
    return list(dict.fromkeys(m.name for m in mentions if not _NOT_SUBJECTS.match(m.name)))


# Heads by level, for a unit named with the bodies above it (`Phòng 5, Cục Cảnh sát ..., Bộ Công an`).
_HEAD_RANK = [
    (re.compile(r"^(?:Phòng|Đội|Trạm|Tổ|Ban)\b"), 1),
    (re.compile(r"^(?:Chi cục|Trung tâm)\b"), 2),
    (re.compile(r"^(?:Cục|Vụ|Sở|Viện)\b"), 3),
    (re.compile(r"^Tổng cục\b"), 4),
    (re.compile(r"^Bộ\b"), 5),
]


def _rank(piece: str) -> int | None:
    return next((rank for pattern, rank in _HEAD_RANK if pattern.match(piece)), None)


def _unit_chain(subject: str) -> str:
    """A subject that names a unit with the bodies above it (`Phòng 5, Cục ..., Bộ Công an - đơn vị thường
    trực ...`) is one name, its appositive dropped; any other subject comes back as it is."""
    name = re.split(r"\s+[-–]\s+", subject.strip(" ,"), maxsplit=1)[0]
    pieces = [p.strip() for p in name.split(",")]
    ranks = [_rank(p) for p in pieces]
    if len(pieces) >= 2 and all(r is not None for r in ranks) and ranks == sorted(set(ranks)):  # type: ignore[type-var]
        return ", ".join(pieces)
    return subject.strip(" ,")


def _anaphor(paragraph: str, collectives: list[str]) -> tuple[list[str], int] | None:
    """A duty whose subject is the bare noun of units a heading names as a set (`Bước 4: Khoa phổ biến ...`, `Các
    khoa phối hợp ...` in a plan with the heading `Các khoa tham gia khảo sát`): that set, when one heading has it."""
    title = re.match(r"^[^:\n]{3,40}:\s*", paragraph)
    text = paragraph[title.end() :] if title else paragraph
    found = [
        name
        for name in collectives
        if re.match(rf"(?:[Cc]ác\s+)?(?i:{re.escape(name.split()[1])})\s+[a-zà-ỹđ]\S*\s+\S+\s+\S+", text)
        and text[:1].isupper()
    ]
    return (found, title.end() if title else 0) if len(found) == 1 else None


# A heading on whom or what the plan covers (`2. Đối tượng áp dụng`, `Phạm vi điều chỉnh`).
_SCOPE_HEADING = re.compile(r"^\s*(?:doi tuong|pham vi)\b")


def subject_tasks(ctx: Context, nodes: list[OutlineNode], found: list[Task]) -> list[Task]:
    """One task per paragraph of the task sections whose subject is an agency (gold: `Giao Sở X…`, `Sở X tham
    mưu…`), where no other reading made one of it."""
    structure = ctx.structure
    if structure is None:
        return []
    seen = {" ".join(t.text.split())[:60] for t in found}
    covered = [(t.span.page, t.span.start) for t in found if t.span]
    collectives = [name for n in nodes if n.kind in ("item", "letter") for name in _plural_heading(n.title)]
    tasks: list[Task] = []
    for i, node in enumerate(nodes):
        if node.kind not in ("item", "letter", "bullet", "subbullet") or node.start >= structure.body_end:
            continue
        role = structure.role_at(node.start)
        if role not in _ASSIGNING_ROLES or structure.in_role(node.start, "implementation", "purpose", "review"):
            continue
        if any(_SCOPE_HEADING.match(folded(nodes[a].title).lower()) for a in ancestors(nodes, i)):
            continue  # `2. Đối tượng áp dụng`: whom the plan covers, not who does what
        own = ctx.doc.text[node.body_start : _own_end(nodes, i, structure.body_end)]
        bullets = _children(nodes, i, min(node.end, structure.body_end), ("bullet", "subbullet", "letter"))
        intro = _clean(own)
        if bullets and intro.endswith(":") and (subject := _prose_subject(intro)):
            # `3. Các đơn vị, địa phương tham mưu, triển khai ... như:` over bullets: each bullet is its duty
            lead = _pick_lead(subject[0])
            for k, bi in enumerate(bullets, start=1):
                bullet = nodes[bi]
                text = ctx.doc.text[bullet.body_start : _own_end(nodes, bi, structure.body_end)]
                if lead is not None and len(_clean(text)) >= 20 and _clean(text)[:60] not in seen:
                    tasks.append(
                        _duty(
                            ctx,
                            f"{_item_id(nodes, i)}-{k}",
                            text,
                            bullet.body_start,
                            lead,
                            [n for n in subject[0] if n != lead],
                        )
                    )
                    seen.add(_clean(text)[:60])
            continue
        pos = node.body_start
        for k, paragraph in enumerate(own.split("\n")):
            start = pos
            pos += len(paragraph) + 1
            clean = _clean(paragraph)
            if len(clean) < 20 or clean[:60] in seen:
                continue
            subject = _prose_subject(paragraph.strip()) or _anaphor(paragraph.strip(), collectives)
            if subject is None:
                continue
            names, _ = subject
            lead = _pick_lead(names)
            if lead is None:
                continue
            lead_start = start + len(paragraph) - len(paragraph.lstrip())
            span = ctx.doc.span(lead_start, start + len(paragraph.rstrip()))
            if (span.page, span.start) in covered:
                continue
            others = [n for n in names if n != lead]
            task_id = _item_id(nodes, i) if k == 0 else f"{_item_id(nodes, i)}-{k}"
            tasks.append(_duty(ctx, task_id, paragraph, start, lead, others))
            seen.add(clean[:60])
    return tasks


def _name_for_city(tasks: list[Task], province: str | None) -> None:
    """A centrally-run city's bodies are the city's (`Văn phòng Ủy ban nhân dân thành phố`), not a province's."""
    for t in tasks:
        t.lead_agency = for_city(t.lead_agency, province) if t.lead_agency else None
        t.cooperating_agencies = list(dict.fromkeys(for_city(c, province) for c in t.cooperating_agencies))


# --- names the document states on their own ---------------------------------------------------------------

_PLACE_WORD = re.compile(r"^(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn|đặc khu|cấp|các|và|trực thuộc)\b")


def _stated_names(nodes: list[OutlineNode]) -> dict[str, str]:
    """Bodies the document names in a heading of their own (`5.1. Trung tâm Quản lý chất lượng`), by the forms
    a sentence or a table cell may write them in: whole, and abbreviated to the head and the initials of the rest
    (`Trung tâm QLCL`). Keys are folded and lower case."""
    stated: dict[str, str] = {}
    for node in nodes:
        title = " ".join(node.title.split()).strip(" :;.")
        head = ORG_HEAD.match(title)
        if (
            node.kind not in ("item", "letter", "section")
            or not head
            or len(title) > 80
            or "," in title
            or _DUTY_VERB.search(title)
            or " và " in title
        ):
            continue
        stated.setdefault(folded(title).lower(), title)
        rest = title[head.end() :].split()
        if len(rest) >= 2:
            stated.setdefault(folded(f"{title[: head.end()].strip()} {''.join(w[0] for w in rest)}").lower(), title)
    return stated


def _settle_name(name: str, stated: dict[str, str]) -> str:
    """A body as the document states it: an abbreviation of a stated name spelled out, and a name that ran on into
    its verb (`Trung tâm Quản lý chất lượng thông báo kế hoạch`) cut back to the stated name it starts with."""
    name = re.sub(r"\s*/\s*", "/", name)  # `các xã /phường`
    key = folded(name.replace(".", " ")).lower()
    key = " ".join(key.split())
    if key in stated:
        return stated[key]
    for stated_key, stated_name in stated.items():
        if key.startswith(stated_key + " "):
            rest = name.replace(".", " ").split()[len(stated_key.split()) :]
            if rest and rest[0][:1].islower() and not _PLACE_WORD.match(" ".join(rest)):
                return stated_name
    return name


_ACRONYM = re.compile(r"\b[A-ZĐ]{3,6}\b")


def _spelled_out(name: str, text: str, cache: dict[str, str | None]) -> str:
    """A name with an abbreviation the document coined (`Các cơ sở sản xuất giống, NTTS thương phẩm`) spelled out
    by the words whose initials it takes that the document writes most often (`nuôi trồng thủy sản`)."""

    def expand(m: re.Match[str]) -> str:
        acronym = m.group(0)
        if acronym not in cache:
            initials = folded(acronym).lower()
            words = list(re.finditer(r"\w+", text))
            found: Counter[str] = Counter()
            for k in range(len(words) - len(initials) + 1):
                run = words[k : k + len(initials)]
                if (
                    all(folded(w.group(0)[:1]).lower() == c for w, c in zip(run, initials, strict=True))
                    and not any(w.group(0).isupper() for w in run)
                    and "\n" not in text[run[0].start() : run[-1].end()]
                ):
                    found[text[run[0].start() : run[-1].end()]] += 1
            best = found.most_common(1)
            cache[acronym] = best[0][0] if best and best[0][1] >= 2 else None
        return cache[acronym] or acronym

    return _ACRONYM.sub(expand, name)


def _as_issuer(name: str, issuer: str | None) -> str:
    """The issuer doing its own duty, named without its place (`Ban Thường trực Ủy ban MTTQ Việt Nam phường` in
    the plan of `... phường Bắc Cam Ranh`): the issuer."""
    if not issuer or name == issuer:
        return name
    rest = issuer[len(name) :] if folded(issuer).lower().startswith(folded(name).lower() + " ") else ""
    return issuer if rest.strip()[:1].isupper() else name


def _settle_names(tasks: list[Task], nodes: list[OutlineNode], text: str, issuer: str | None = None) -> None:
    cache: dict[str, str | None] = {}
    for t in tasks:
        t.lead_agency = _as_issuer(_spelled_out(t.lead_agency, text, cache), issuer) if t.lead_agency else None
        t.cooperating_agencies = [_spelled_out(c, text, cache) for c in t.cooperating_agencies]
    stated = _stated_names(nodes)
    for t in tasks:
        t.lead_agency = _settle_name(t.lead_agency, stated) if t.lead_agency else None
        t.cooperating_agencies = list(
            dict.fromkeys(n for c in t.cooperating_agencies if (n := _settle_name(c, stated)) != t.lead_agency)
        )


# --- duties assigned in a closing parenthesis ----------------------------------------------------------------

# `... trên địa bàn xã. (Giao Ban X chủ trì, phối hợp với Y tham mưu trong quý II/2026).`: a paragraph that states
# the work and closes by assigning it (a party committee's programme of inspections writes every item so).
_CLOSING_ASSIGNMENT = re.compile(
    r"\(\s*(?:[Gg]iao(?: cho)?|[Pp]hân công|[Đđ]ề nghị)\s+(?P<inside>[^()\n]{5,300}?)\s*\)\s*[.;]?[ \t]*$", re.M
)
# What the assigned body does in the parenthesis: its role verb must be there.
_ASSIGNED_ROLE = re.compile(r"\b(?:chủ trì|tham mưu|thực hiện|phối hợp|theo dõi|làm đầu mối)\b")
# `cơ quan Ủy ban ...`: the body by its office, as `Lãnh đạo Sở X` is `Sở X`.
_OFFICE_OF = re.compile(r"^(?:cơ quan|lãnh đạo|thường trực)\s+(?=[A-ZĐÀ-Ỹ])")
_LINE_MARKER = re.compile(r"[ \t]*(?:(?:\d{1,2}\.)+|\d{1,2}\)|[a-zđ]\)|[-–•+*])?[ \t]*")


def closing_assignment_tasks(ctx: Context) -> tuple[list[Task], list[tuple[int, int]]]:
    """One task per paragraph of the body that closes with the body it is given to (`(Giao X chủ trì, phối hợp
    với Y, tham mưu trong quý II/2026)`): the paragraph without the parenthesis is the duty, X leads, the bodies
    after `phối hợp với` cooperate, the parenthesis' time is the deadline. With the extents of the paragraphs."""
    structure = ctx.structure
    body_end = structure.body_end if structure else _body_end(ctx)
    text = ctx.doc.text
    tasks: list[Task] = []
    extents: list[tuple[int, int]] = []
    for m in _CLOSING_ASSIGNMENT.finditer(text, 0, body_end):
        inside = m.group("inside")
        if not _ASSIGNED_ROLE.search(inside):
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        if structure is not None and structure.role_at(line_start) in ("header", "preamble", "signature"):
            continue
        marker = _LINE_MARKER.match(text, line_start)
        start = marker.end() if marker else line_start
        duty = _clean(text[start : m.start()])
        role = _ASSIGNED_ROLE.search(inside)
        subject = _OFFICE_OF.sub("", inside[: role.start() if role else 0].strip(" ,"))
        names = split_agencies(subject) if subject else []
        if len(duty) < 20 or not names:
            continue
        lead = names[0]
        found = find_deadline(inside, ctx.plan_year)
        tasks.append(
            _task(
                ctx,
                (marker.group(0).strip(" .-–•+*") or None) if marker else None,
                duty,
                lead,
                [*names[1:], *(c for c in _cooperators(inside) if not _generic(c))],
                found.deadline if found else None,
                None,
                start,
                m.end(),
            )
        )
        extents.append((line_start, m.end()))
    return tasks, extents


# --- items whose bullets label their fields -----------------------------------------------------------------

# `- Đơn vị chủ trì: ...`, `- Thời gian hoàn thành: ...`: a bullet that labels one field of its item, the label
# named as a task table's column header would be.
_FIELD = re.compile(r"^\s*([^:\n]{3,40}):\s*(.*)$", re.S)
# A person's post (`Đồng chí Phó Chủ tịch Thường trực`, `các đ/c Trưởng ban`): the duty is the post's body's.
_POST = re.compile(r"^(?:(?:các\s+)?(?:đồng chí|đ/c)\s+|(?:Phó\s+)?(?:Chủ tịch|Trưởng|Giám đốc|Bí thư)\b)", re.I)
# The standing organ of a body (`Ban Thường trực Ủy ban MTTQ ...`): its chair and deputies are the body's.
_STANDING = re.compile(r"^(?:Ban\s+)?Thường trực\s+(?=[A-ZĐÀ-Ỹ])")


def _field(ctx: Context, nodes: list[OutlineNode], index: int, end: int) -> tuple[str, str] | None:
    """(role, value) of a bullet that labels a field of its item, else None."""
    text = ctx.doc.text[nodes[index].body_start : _own_end(nodes, index, end)]
    m = _FIELD.match(text)
    if not m or len(m.group(1).split()) > 6:
        return None
    role = column_role(m.group(1))
    return (role, " ".join(m.group(2).split()).strip(" ;.")) if role in ("lead", "coop", "deadline", "output") else None


# The head of a body named by the post (`Trưởng đoàn thể xã`, `Giám đốc Trung tâm X`): the post stands for the body.
_HEAD_POST = re.compile(
    r"^(?:các\s+)?(?:đồng chí|đ/c)?\s*(?:Trưởng|Thủ trưởng|Giám đốc|Chủ tịch|Bí thư)\s+(?P<body>.+)$", re.I
)
# The common nouns of bodies a post may head, written in lower case (`đoàn thể`, `chi hội`, `tổ`).
_BODY_NOUN = re.compile(r"^(?:các\s+)?(?:đoàn thể|tổ chức|cơ quan|đơn vị|chi hội|hội|ban|phòng|khoa|tổ|đội)\b")


def _posts_bodies(text: str, leads: list[str]) -> list[str]:
    """The bodies a list of posts names through their heads (`Các đ/c Phó chủ tịch, Trưởng đoàn thể xã, các đồng chí
    Chuyên viên` → `Các đoàn thể xã`): deputies and staff are the lead body's own people; the head of another body
    stands for it, a body written as a common noun for all of its kind (`Các đoàn thể xã`)."""
    bodies: list[str] = []
    for piece in re.split(r"\s*[,;]\s*", " ".join(text.split())):
        post = _HEAD_POST.match(piece)
        if post is None:
            continue
        body = post.group("body").strip(" .")
        if body[:1].isupper():
            names = split_agencies(body)
        elif _BODY_NOUN.match(body):
            names = [body[:1].upper() + body[1:] if body.startswith("các ") else f"Các {body}"]
        else:
            names = []
        bodies.extend(n for n in names if n not in leads)
    return bodies


def _post_body(ctx: Context) -> str | None:
    """The body whose posts a plan assigns its duties to: the issuer, its standing organ's parent body."""
    issuer = ctx.metadata.issuer
    return _STANDING.sub("", issuer) if issuer else None


def field_item_tasks(ctx: Context, nodes: list[OutlineNode]) -> tuple[list[Task], list[tuple[int, int]]]:
    """One task per item whose bullets label its fields (`1.1. Xây dựng ...` over `- Thời gian hoàn thành: ...`,
    `- Đơn vị chủ trì: ...`, `- Đơn vị phối hợp: ...`, `- Kết quả: ...`), with the extents of the items read.
    The item's text and its other bullets are the duty; items right before it with no bullets of their own
    share its fields (`3.1.`, `3.2.`, `3.3.` over one block). A lead that is a person's post is the post's body."""
    structure = ctx.structure
    body_end = structure.body_end if structure else _body_end(ctx)
    tasks: list[Task] = []
    recorded: list[tuple[int, int]] = []
    for i, node in enumerate(nodes):
        if node.kind not in ("item", "letter") or node.start >= body_end:
            continue
        stop = min(node.end, body_end)
        bullets = _children(nodes, i, stop, ("bullet", "subbullet"))
        fields = {j: f for j in bullets if (f := _field(ctx, nodes, j, stop))}
        roles = {f[0] for f in fields.values()}
        if len(fields) < 2 or not roles & {"lead", "deadline"}:
            continue
        values = {role: " ".join(v for r, v in fields.values() if r == role) for role in roles}
        # the first field naming who leads gives the lead (`- Cơ quan chủ trì:`); a later one names bodies that
        # carry the work out under it (`- Cơ quan thực hiện:`), who cooperate
        lead_fields = [v for r, v in fields.values() if r == "lead"]
        lead_text = lead_fields[0] if lead_fields else ""
        if lead_text and _POST.match(lead_text):
            leads = [body] if (body := _post_body(ctx)) else []
        else:
            leads = split_agencies(lead_text) or _as_written(lead_text) if lead_text else []
        coop_text = values.get("coop", "")
        carrying = [n for v in lead_fields[1:] for n in split_agencies(v) or _as_written(v)]
        coop = (
            (_posts_bodies(coop_text, leads) if _POST.match(coop_text) else split_agencies(coop_text))
            + leads[1:]
            + carrying
        )
        deadline = parse_deadline(values["deadline"], ctx.plan_year) if "deadline" in values else None
        # the items before it that hold nothing but their own line share its block
        group = [i]
        k = i - 1
        while (
            k >= 0
            and nodes[k].parent == node.parent
            and nodes[k].kind == node.kind
            and not any(n.parent == k for n in nodes[k + 1 : i])
        ):
            group.insert(0, k)
            k -= 1
        for g in group:
            member = nodes[g]
            own_end = _own_end(nodes, g, body_end)
            parts = [ctx.doc.text[member.body_start : own_end]]
            if g == i:
                parts += [
                    ctx.doc.text[nodes[j].body_start : _own_end(nodes, j, stop)] for j in bullets if j not in fields
                ]
            text = _clean(" ".join(_clean(p) for p in parts if _clean(p)))
            if not text:
                continue
            # bodies the fields name are the item's; the duty's prose only says what is done (its `phối hợp
            # với ...` counts where no field names a body)
            mentioned = [n for n in _cooperators(" ".join(parts)) if not _generic(n)]
            tasks.append(
                _task(
                    ctx,
                    _item_id(nodes, g),
                    text,
                    leads[0] if leads else None,
                    coop + mentioned,
                    deadline,
                    values.get("output"),
                    member.start,
                    own_end if g != i else stop,
                )
            )
            recorded.append((member.start, stop if g == i else own_end))
    return tasks, recorded


# A section's opening paragraph that dates all its work (`Việc tổ chức hội nghị ... được thực hiện trong khoảng từ
# ngày 04/02/2026 đến ngày 08/02/2026.`).
_SECTION_TIME = re.compile(r"thoi gian|trong khoang|tu ngay")


# An item that only sets the time by which the section's work must be done (`4. Chậm nhất là ngày 08 tháng 02 năm
# 2026, việc xác minh ... phải được tiến hành xong.`).
_SECTION_DEADLINE = re.compile(r"^\s*(?:Chậm nhất|Trước ngày|Thời hạn)", re.I)


def _section_deadline(ctx: Context, nodes: list[OutlineNode], index: int) -> Deadline | None:
    """The deadline an item of section `index` that names no body gives all of the section's work."""
    for j in _children(nodes, index, nodes[index].end, ("item",)):
        own = ctx.doc.text[nodes[j].body_start : _own_end(nodes, j, nodes[index].end)]
        if not _SECTION_DEADLINE.match(own) or _doers(find_agencies(own)):
            continue
        found = find_deadline(own, ctx.plan_year)
        if found is not None and found.deadline.end and found.start < 60:
            return found.deadline
    return None


def _section_windows(ctx: Context, nodes: list[OutlineNode], tasks: list[Task]) -> None:
    """Undated duties in a section whose opening paragraph gives a window of days take that window; or the deadline
    an item of the section sets for all its work."""
    for i, node in enumerate(nodes):
        if node.kind in ("section", "part") and (deadline := _section_deadline(ctx, nodes, i)):
            for t in tasks:
                if (
                    t.deadline is None
                    and t.span
                    and node.start <= ctx.doc.global_offset(t.span.page, t.span.start) < node.end
                ):
                    t.deadline = deadline
    for i, node in enumerate(nodes):
        if node.kind not in ("section", "part"):
            continue
        intro = ctx.doc.text[node.body_start : _own_end(nodes, i, node.end)]
        intro = intro.partition("\n")[2] if "\n" in intro.strip() else ""  # the heading line is not the intro
        found = find_deadline(intro, ctx.plan_year)
        if (
            found is None
            or not (found.deadline.start and found.deadline.end)
            or found.deadline.recurrence
            or not _SECTION_TIME.search(folded(intro[max(0, found.start - 40) : found.end]).lower())
        ):
            continue
        for t in tasks:
            if (
                t.deadline is None
                and t.span
                and (node.start <= ctx.doc.global_offset(t.span.page, t.span.start) < node.end)
            ):
                t.deadline = found.deadline
