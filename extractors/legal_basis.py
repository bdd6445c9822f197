"""Legal basis: the documents the plan says it is based on, from its opening paragraphs.

The preamble sits between the title and the first outline heading (`I. MỤC ĐÍCH...`, `A. ĐÁNH GIÁ`)
and cites documents as `Căn cứ / Thực hiện / Triển khai <type> số <number> ngày <date> của <issuer>`.
Numbers take many shapes: `569/QĐ-TTg`, `06-ĐA/TU`, `267/2025/NĐ-CP`, `683/BKHCN-KHTC`, `57-NQ/TW`;
OCR adds spaces (`57- NQ/TW`). The plan's own number (`Số: 52/KH-UBND`) is in the header, above the
title, so it is never read.
"""

from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein

from extractors.context import Context
from extractors.metadata import PREAMBLE_CUE, find_type_heading, title_and_end
from normalizers.agencies import canonical_agency
from normalizers.numbers import canonical_doc_number
from normalizers.vndates import find_date, fold_keep_length
from pipeline.model.contract import LegalBasis
from pipeline.model.doctext import DocText
from pipeline.structure.outline import misread_first_section

# `<number>[/<year>]` then `-` or `/` then 1–4 code parts; letters may carry Đ and a final lowercase
# letter (`TTg`). Matched on folded text, so Đ is D there; the original text is read back by offset.
_CODE_PART = r"[A-Z][A-Z0-9&]*[a-z]?"
# A slash may be printed as the fraction slash (U+2044), and a code part may wrap after its hyphen
# (`52-\nCT/TW`). A hand-filled or OCR'd number may carry one stray space among its digits
# (`21 4/QĐ-DCT`): taken only when the digits run straight into the slash.
_SLASH = "[/\u2044]"
_JOIN = rf"[ \t]*(?:-[ \t]*\n?|{_SLASH})[ \t]*"
DOC_NUMBER_FOLDED = re.compile(
    rf"(?<![\w/.-])(?P<num>\d{{1,3}} \d{{1,3}}(?={_SLASH})|\d{{1,5}})"
    rf"(?:[ \t]*{_SLASH}[ \t]*(?:19|20)\d\d)?{_JOIN}{_CODE_PART}"
    rf"(?:{_JOIN}{_CODE_PART}){{0,3}}(?![\w])"
)
# Words that name a kind of document just before its number (folded, lower case).
_DOC_KIND_FOLDED = re.compile(
    r"(?:nghi\s+quyet|quyet\s+dinh|ke\s+hoach|van\s+ban|cong\s+van|thong\s+tu|nghi\s+dinh|chi\s+thi|"
    r"luat|de\s+an|chuong\s+trinh|huong\s+dan|thong\s+bao|ket\s+luan|quy\s+dinh|phuong\s+an|quy\s+che|"
    r"cong\s+dien|thong\s+tri|chi\s+dao|\bs[a-z0-9&§]?)\W{0,3}$",
    re.I,
)
# A department's proposal (`Theo đề nghị của Sở ... tại Tờ trình số 15/TTr-SKHCN`) asks for the plan; it is
# not a basis the plan rests on.
# A Tờ trình (TTr) is a proposal whatever words introduce it.
_PROPOSAL_CODE = re.compile(r"(?:^|[-/])\d*TTr(?:$|[-/])")
_PROPOSAL = re.compile(r"(?:theo|xet)\s+de\s+nghi[^;]*$|to\s+trinh\W{0,3}(?:so\W{0,3})?$", re.I)
# Where a citing clause starts: after `;`, a full stop, a colon closing a line, or a line that opens
# with a bracket or a cue of its own (wrapped lines continue the clause they are in).
_CLAUSE_BOUNDARY = re.compile(
    r";|\.(?=\s)|:[ \t]*\n|\n(?=[ \t]*[(\[])"
    r"|\n(?=[ \t]*(?:Can\s+cu|Thuc\s+hien|Trien\s+khai|Theo\s+de\s+nghi|Xet\s|Tren\s+co\s+so|Tiep\s+tuc|"
    r"Kem\s+theo|Ban\s+hanh\s+kem|Dieu\s+\d+\s*\.))"
)
# Clauses whose documents are not a basis: a proposal asking for the plan (`Theo đề nghị của Bộ trưởng
# ... tại các văn bản số ..., số ... và số ...`), the decision the plan is attached to (`(Kèm theo Quyết
# định số ...)`, `Điều 1. Ban hành kèm theo ...`).
_NOT_BASIS_CLAUSE = re.compile(
    r"[(\[\s]*(?:(?:theo|xet)\s+de\s+nghi|(?:ban\s+hanh\s+)?kem\s+theo|dieu\s+\d+\s*\.)", re.I
)
# A line that opens a basis paragraph inside what the title reader took (`Tiếp tục thực hiện Nghị quyết
# số ...` right under the title).
_BASIS_LINE = re.compile(r"[ \t]*(?:Can\s+c[a-z]{0,2}\b|(?:Tiep\s+tuc\s+|De\s+)?(?:thuc\s+hien|trien\s+khai)\b)", re.I)
# Issuers that a number's code names on its own (`/QH15` the National Assembly, `-TTg` the Prime Minister).
_ISSUER_BY_CODE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"/QH\d*$"), "Quốc hội"),
    (re.compile(r"-TTg$"), "Thủ tướng Chính phủ"),
    (re.compile(r"[-/]CP$"), "Chính phủ"),
)
_OUTLINE_HEADING = re.compile(r"^[ \t]*(?:[IVX]{1,4}|[A-D])[ \t]*[.)][ \t]*\S", re.M)
_ISSUER_FOLDED = re.compile(r"^[ \t\n]*[,(]?[ \t\n]*cua[ \t\n]+", re.I)
# Where an issuer's name stops: the subject (`về ...`), an aside, or the next clause.
_ISSUER_STOP_FOLDED = re.compile(
    r"[,;:()]|\s(?:ve|ban\s+hanh|sua\s+doi|phe\s+duyet|trien\s+khai|huong\s+dan|quy\s+dinh|thuc\s+hien|"
    r"tai|nam\s+\d{4}|giai\s+doan|da|dot)\b",
    re.I,
)


def preamble_bounds(doc: DocText) -> tuple[int, int]:
    """Global [start, end) of the preamble: after the title, before the first outline heading."""
    heading = find_type_heading(doc)
    start = 0
    if heading:
        _, start = title_and_end(doc, heading)
        start = _basis_line_in_title(doc, heading.end(), start)
    first = _OUTLINE_HEADING.search(doc.text, start, start + 6000)
    misread = _misread_first_section(doc.text, start, first.start() if first else start + 6000)
    if misread is not None:
        return start, misread
    if first:
        return start, first.start()
    # No outline: the preamble ends where it says so (`... như sau:`), else after the run of
    # paragraphs that open with a cue word (continuation lines start in lower case).
    folded = fold_keep_length(doc.text[start : start + 6000])
    closing = re.search(r"nhu\s+sau\s*:", folded, re.I)
    if closing:
        return start, start + closing.end()
    end = start
    for line in re.finditer(r"[^\n]*\n?", folded):
        body = line.group(0).strip()
        if not body:
            continue
        if not (PREAMBLE_CUE.match(body) or body[:1].islower()):
            break
        end = start + line.end()
    return start, end


def _misread_first_section(text: str, lo: int, hi: int) -> int | None:
    """Where a line in [lo, hi) opens the first section with its numeral misread by OCR (`L MỤC TIÊU`)."""
    for line in re.finditer(r"^[ \t]*([^\n]*)", text[lo:hi], re.M):
        if misread_first_section(line.group(1)):
            return lo + line.start(1)
    return None


def _basis_line_in_title(doc: DocText, lo: int, hi: int) -> int:
    """Where a basis paragraph starts inside [lo, hi) (the title's lines), past the title's first
    line; else `hi`."""
    folded = fold_keep_length(doc.text[lo:hi])
    lines = [m for m in re.finditer(r"[^\n]+", folded) if m.group(0).strip()]
    for line in lines[1:]:
        if _BASIS_LINE.match(line.group(0)) and DOC_NUMBER_FOLDED.search(line.group(0)):
            return lo + line.start()
    return hi


def _not_basis_clause(folded: str, lo: int, pos: int) -> bool:
    """True when the clause holding the number at `pos` proposes or attaches rather than bases."""
    begin = max((m.end() for m in _CLAUSE_BOUNDARY.finditer(folded, lo, pos)), default=lo)
    return bool(_NOT_BASIS_CLAUSE.match(folded, begin))


def _issuer_at(doc: DocText, pos: int, province: str | None) -> tuple[str | None, int]:
    """The issuer named by `của X` right at `pos` (global), canonical; and where it ends."""
    window = doc.text[pos : pos + 200]
    folded = fold_keep_length(window)
    lead = _ISSUER_FOLDED.match(folded)
    if not lead:
        return None, pos
    rest_start = lead.end()
    # Issuer names run over hard wraps, so whitespace (newlines too) is just a space here.
    stop = _ISSUER_STOP_FOLDED.search(folded, rest_start)
    stop_at = stop.start() if stop else min(len(folded), rest_start + 80)
    name = " ".join(window[rest_start:stop_at].split()).strip(" ,;.")
    if not name:
        return None, pos
    return _canonical_issuer(name, province), pos + stop_at


def _canonical_issuer(name: str, province: str | None) -> str:
    folded = fold_keep_length(name).lower()
    local = re.match(r"(?:uy ban nhan dan|ubnd|hoi dong nhan dan|hdnd)\s+(tinh|thanh pho)\b", folded)
    if local and province:
        organ = "Hội đồng nhân dân" if folded.startswith(("hoi", "hdnd")) else "Ủy ban nhân dân"
        return f"{organ} {'thành phố' if local.group(1) == 'thanh pho' else 'tỉnh'} {province}"
    return canonical_agency(name)


def _cited_kind_before(folded: str, pos: int) -> bool:
    """True when the number at `pos` is introduced as a document (`Quyết định số`, `Nghị quyết`)."""
    before = folded[max(0, pos - 30) : pos].rstrip()
    if re.search(r"\bS[o0-9]{0,2}\s*:$", before):
        return False  # `Số: 52/KH-UBND` is a document's own number, not a citation
    return bool(_DOC_KIND_FOLDED.search(before))


def extract(ctx: Context) -> list[LegalBasis]:
    doc = ctx.doc
    start, end = preamble_bounds(doc)
    folded = fold_keep_length(doc.text[:end])
    own_number = ctx.metadata.doc_number
    found: list[LegalBasis] = []
    for m in DOC_NUMBER_FOLDED.finditer(folded, start, end):
        if not _cited_kind_before(folded, m.start()):
            continue
        # The proposal names its letters one after another (`tại các văn bản số ..., số ... và số ...`).
        clause_start = max(folded.rfind(";", 0, m.start()), folded.rfind(".\n", 0, m.start())) + 1
        if _PROPOSAL.search(folded, max(start, clause_start, m.start() - 400), m.start()):
            continue
        if _not_basis_clause(folded, start, m.start()):
            continue
        number = canonical_doc_number(re.sub(r"\s+", "", doc.text[m.start() : m.end()]).replace("\u2044", "/"))
        if _PROPOSAL_CODE.search(number):
            continue
        # A plan attached to a decision cites that decision (`Kèm theo Quyết định số ...`): its own number.
        if own_number and number.lower() == own_number.lower():
            continue
        if _same_as_found(number, found):
            continue
        # The full number after a cut one (`569/QĐ` then `569/QĐ-TTg`): keep the full one.
        found = [b for b in found if not (number.startswith(b.number) and number[len(b.number) :][:1] in "-/")]
        cite_start = _kind_start(folded, m.start())
        tail = m.end()
        date = None
        dated = find_date(doc.text[tail : tail + 60])
        if dated and dated[0] <= 8:
            date = dated[2]
            tail += dated[1]
        issuer, issuer_end = _issuer_at(doc, tail, ctx.metadata.province)
        if issuer is None:
            issuer = next((name for code, name in _ISSUER_BY_CODE if code.search(number)), None)
        text_end = issuer_end if issuer else tail
        found.append(
            LegalBasis(
                number=number,
                date=date,
                issuer=issuer,
                text=" ".join(doc.text[cite_start:text_end].split()),
                span=doc.span(cite_start, text_end),
            )
        )
    return found


def _kind_start(folded: str, pos: int) -> int:
    """Start of `Quyết định số` before a number (the citation's first word)."""
    window = folded[max(0, pos - 40) : pos]
    m = re.search(
        r"(?:Nghi\s+quyet|Quyet\s+dinh|Ke\s+hoach|Van\s+ban|Cong\s+van|Thong\s+tu|Nghi\s+dinh|Chi\s+thi|Luat|"
        r"De\s+an|Chuong\s+trinh|Huong\s+dan|Thong\s+bao|Ket\s+luan|Quy\s+dinh)[^.;]*$",
        window,
        re.I,
    )
    return pos - len(window) + m.start() if m else pos


def _same_as_found(number: str, found: list[LegalBasis]) -> bool:
    """Already cited, allowing one misread letter in the code (`57-NO/TW` for `57-NQ/TW`)."""
    for item in found:
        if item.number == number:
            return True
        # A number cut at a line break by OCR (`569/QĐ` for `569/QĐ-TTg`).
        if item.number.startswith(number) and item.number[len(number) :][:1] in "-/":
            return True
        lead_a, lead_b = re.match(r"\d+", number), re.match(r"\d+", item.number)
        if (
            lead_a
            and lead_b
            and lead_a.group() == lead_b.group()
            and len(number) == len(item.number)
            and Levenshtein.distance(number, item.number) <= 1
        ):
            return True
    return False
