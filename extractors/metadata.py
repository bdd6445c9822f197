"""Metadata from the header and signature blocks: province, type, number, date, issuer, title, signer.

A Vietnamese administrative document opens with a two-column block (issuer and `Số:` left, the
national motto and `<Place>, ngày .. tháng .. năm ..` right), then the type in capitals (`KẾ HOẠCH`)
and the title under it; it closes with `Nơi nhận:` and the signature (`TM. ỦY BAN NHÂN DÂN /
KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / <name>`). Text extraction reads the two columns one after the other
or interleaved on the same line, so every field is found by its own pattern rather than by position.
Patterns run on folded text (no diacritics) so a scan that lost its accents still matches.
"""

from __future__ import annotations

import itertools
import re

from normalizers.numbers import canonical_doc_number
from normalizers.places import CITIES, PROVINCES, place_key
from normalizers.unicode_text import fix_lookalike_eth
from normalizers.vndates import DATE_WORDS_FOLDED, find_date, fold_keep_length, parse_date
from pipeline.model.contract import Metadata
from pipeline.model.doctext import DocText

# Folded heading word → the type as it is named in sentence case.
DOC_TYPES: dict[str, str] = {
    "KE HOACH HANH DONG": "Kế hoạch",
    "KE HOACH": "Kế hoạch",
    "CHUONG TRINH HANH DONG": "Chương trình hành động",
    "CHUONG TRINH": "Chương trình",
    "DE AN": "Đề án",
    "QUYET DINH": "Quyết định",
    "NGHI QUYET": "Nghị quyết",
    "CHI THI": "Chỉ thị",
    "HUONG DAN": "Hướng dẫn",
    "BAO CAO": "Báo cáo",
    "THONG BAO": "Thông báo",
    "NGHI DINH": "Nghị định",
    "THONG TU": "Thông tư",
    "CONG VAN": "Công văn",
}

_MAX_PROVINCE_WORDS = max(len(k.split()) for k in PROVINCES)

# Signer titles, folded capitals → as written in running text.
SIGNER_TITLES: dict[str, str] = {
    "PHO CHU TICH": "Phó Chủ tịch",
    "CHU TICH": "Chủ tịch",
    "PHO GIAM DOC": "Phó Giám đốc",
    "GIAM DOC": "Giám đốc",
    "PHO BI THU": "Phó Bí thư",
    "BI THU": "Bí thư",
    "PHO TRUONG BAN": "Phó Trưởng ban",
    "TRUONG BAN": "Trưởng ban",
    "PHO CHANH VAN PHONG": "Phó Chánh Văn phòng",
    "CHANH VAN PHONG": "Chánh Văn phòng",
    "PHO THU TUONG": "Phó Thủ tướng",
    "THU TUONG": "Thủ tướng",
    "BO TRUONG": "Bộ trưởng",
    "THU TRUONG": "Thứ trưởng",
}
# Titles read only by the generic signature reading (a title line under `KT.`/`TM.`), so the known-title
# pattern above keeps its behaviour on interleaved columns.
_MORE_TITLES: dict[str, str] = {
    "TO TRUONG": "Tổ trưởng",
    "TRUONG DOAN": "Trưởng đoàn",
    "CUC TRUONG": "Cục trưởng",
    "VU TRUONG": "Vụ trưởng",
    "TRUONG PHONG": "Trưởng phòng",
    "CHANH THANH TRA": "Chánh Thanh tra",
    "THUONG TRUC": "Thường trực",
}
# Military and academic ranks before a signer's name (`Đại tá Bùi Duy Hưng`, `TS. Lê Văn A`).
_RANK = re.compile(
    r"^(?:(?:Dai|Thuong|Trung|Thieu)\s+(?:tuong|ta|uy)|(?:GS|PGS|TS|ThS|BS|KS)\s*\.(?:\s*(?:TS|ThS)\s*\.)?)\s+",
    re.I,
)
# `KT.TỔ TRƯỞNG`: OCR may glue the title to the proxy's dot.
_PROXY_LINE = re.compile(r"^[ \t]*(?:TM|KT|TL|TUQ|Q|T/M)[ \t]*(?:[.:][ \t]*|[ \t]+)\S", re.M)
_TITLE_RE = re.compile(
    r"(?P<proxy>\b(?:KT|TM|TL|TUQ|Q)\s*\.\s*)?\b(?P<title>"
    + "|".join(k.replace(" ", r"\s+") for k in sorted(SIGNER_TITLES, key=len, reverse=True))
    + r")\b"
)
_CLOSING_TITLE = re.compile(
    r"^[ \t]*(?:(?:TM|KT|TL|TUQ|Q)\s*\.\s*)?(?:[A-Z]+\s+){0,4}"
    r"(?:UY\s+BAN|CHU\s+TICH|GIAM\s+DOC|BI\s+THU|TRUONG\s+BAN|THU\s+TUONG|BO\s+TRUONG)\b",
    re.M,
)
# Common Vietnamese family names (folded), to tell a name from other words on an interleaved line.
_SURNAMES = frozenset(
    [
        "nguyen",
        "tran",
        "le",
        "pham",
        "hoang",
        "huynh",
        "phan",
        "vu",
        "vo",
        "dang",
        "bui",
        "do",
        "ho",
        "ngo",
        "duong",
        "ly",
        "giang",
        "lo",
        "vang",
        "sung",
        "ha",
        "luong",
        "dinh",
        "trinh",
        "doan",
        "mai",
        "lam",
        "ta",
        "trieu",
        "chu",
        "cao",
        "dao",
        "nong",
        "thao",
        "hau",
        "la",
        "lu",
        "luu",
        "quach",
        "tong",
        "vuong",
        "van",
        "kieu",
        "khuat",
        "tang",
        "thai",
        "truong",
        "tat",
        "cam",
        "dieu",
        "quang",
        "mua",
        "tan",
        "chau",
        "lau",
        "hang",
        "sinh",
        "vi",
        "leo",
        "ma",
        "phung",
        "be",
        "ca",
        "vy",
        "au",
        "diep",
        "ton",
        "thach",
        "lai",
    ]
)

_LINE = re.compile(r"[^\n]*")
# Longest first, so `KẾ HOẠCH HÀNH ĐỘNG` is one type and not `KẾ HOẠCH` with a title `HÀNH ĐỘNG`.
_TYPE_ALT = "|".join(k.replace(" ", r"[ \t]+") for k in sorted(DOC_TYPES, key=len, reverse=True))
_HEADING_LINE_FOLDED = re.compile(
    r"^[ \t]*(?P<type>" + _TYPE_ALT + r")\b[ \t]*(?P<rest>.*)$",
    re.M,
)
_HEADING_ALONE_FOLDED = re.compile(
    r"^[ \t]*(?P<type>" + _TYPE_ALT + r")[ \t]*(?P<rest>)$",
    re.M | re.I,
)
_HEADING_INLINE_FOLDED = re.compile(
    r"(?:\bnam[ \t]+(?:19|20)\d\d|Hanh[ \t]+phuc|VIET[ \t]+NAM)[ \t]+(?P<type>"
    + _TYPE_ALT
    + r")\b[ \t]*(?P<rest>[^\n]*)$",
    re.M,
)
PREAMBLE_CUE = re.compile(
    r"^\s*(?:Can\s+c[a-z]{0,2}\b|(?:Tiep\s+tuc\s+)?Thuc\s+hien|Tiep\s+tuc\s+trien\s+khai|Trien\s+khai|"
    r"Theo\s+de\s+nghi|Xet\s|Tren\s+co\s+so|Nham\s|De\s)",
    re.I,
)
_CUE_INSIDE = re.compile(
    r"(?<=[^\W\d_]|\d)\s+(?=(?:Can\s+cu|Tiep\s+tuc\s+thuc\s+hien|Thuc\s+hien|"
    r"Trien\s+khai|Theo\s+de\s+nghi|Xet)\s)"
)
_OUTLINE_HEAD = re.compile(r"^\s*(?:[IVX]+|[A-D]|\d+)\s*[.)]\s+\S")
# `Số: 52/KH-UBND`; OCR reads Số as S6, So, Sb.
_NUMBER_FOLDED = re.compile(
    r"\bS[o0-9bB]{0,2}\s*:\s*(?P<num>\d*)(?:[ \t]*/[ \t]*(?:19|20)\d\d)?[ \t]*(?P<sep>[/-])[ \t]*"
    r"(?P<code>[A-Z][A-Za-z]*(?:[ \t]*[-/][ \t]*[A-Za-z][A-Za-z0-9]*)*)"
)
_PLACE_DATE_FOLDED = re.compile(r"(?P<place>(?:[A-Z][a-z]*[ \t]+){0,3}[A-Z][a-z]*)[ \t]*,[ \t]*ngay\b")
# The right column of an interleaved header starts with the motto; `Số:` starts the number line.
_RULE_RUN = re.compile(r"\s*[-_=*~―─━═–—\u2500-\u257f]{3,}\s*$")
_MOTTO_STARTS = frozenset({"CONG HOA", "DOC LAP"})


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each line of text[start:end]."""
    return [(m.start(), m.end()) for m in _LINE.finditer(text, start, end) if m.start() < end]


def find_type_heading(doc: DocText, limit: int = 6000) -> re.Match[str] | None:
    """The `KẾ HOẠCH` line (in capitals) near the top of the document."""
    folded = fold_keep_length(doc.text[:limit])
    caps_title: re.Match[str] | None = None
    for m in _HEADING_LINE_FOLDED.finditer(folded):
        rest = m.group("rest")
        # The heading stands alone or is followed by the title in sentence case (rejoined text).
        if not rest.strip() or not rest.strip()[:12].isupper():
            return m
        # `KẾ HOẠCH PHÁT TRIỂN ...` on one line: the title in capitals, taken near the top only.
        if caps_title is None and m.start() < 1500:
            caps_title = m
    if caps_title is None:
        # Header lines run together (`Số: 12/KH-UBND <Place>, ngày ... năm 2024 KẾ HOẠCH`): the type in
        # capitals right after the date or the motto.
        caps_title = _HEADING_INLINE_FOLDED.search(folded[:3000])
    if caps_title is None:
        # Some sources set the type in sentence case (`Kế hoạch`) on a line of its own.
        caps_title = _HEADING_ALONE_FOLDED.search(folded[:3000])
    if caps_title is None:
        caps_title = _ocr_doubled_heading(folded[:3000])
    return caps_title


_DOUBLED_LETTER = re.compile(r"([A-Z]) ?\1")  # `KEE`, or `KE E` once glued syllables were set apart


def _ocr_doubled_heading(folded: str) -> re.Match[str] | None:
    """A type line in capitals where OCR read a stacked mark as a second letter (`KẾ` → `KÉẺ`, folded
    `KEE`, or `KE E` once glued syllables were set apart): the doubled letter blanked (same length, so
    offsets hold) gives the type's own words."""
    for line in _LINE.finditer(folded):
        text = line.group()
        if not text.strip() or len(text) > 40 or not text.isupper() or not _DOUBLED_LETTER.search(text):
            continue
        blanked = (
            folded[: line.start()]
            + _DOUBLED_LETTER.sub(lambda d: d.group(1).ljust(len(d.group())), text)
            + folded[line.end() :]
        )
        m = _HEADING_ALONE_FOLDED.match(blanked, line.start())
        if m and m.end() == line.end():
            return m
    return None


_PLAN_TYPES = ("Kế hoạch", "Chương trình hành động", "Chương trình", "Đề án")
_ISSUES_A_PLAN = re.compile(
    r"^(?:ve viec\s+)?(?:ban hanh|phe duyet|ve)\b.{0,40}?\b(?P<type>ke hoach|"
    r"chuong trinh hanh dong|chuong trinh|de an)\b",
    re.I,
)
# The attached plan's type line, alone or naming its issuer (`CHƯƠNG TRÌNH HÀNH ĐỘNG CỦA CHÍNH PHỦ`).
_ATTACHED_TYPE = re.compile(r"^[ \t]*(?P<type>" + _TYPE_ALT + r")(?:[ \t]+CUA[ \t]+[A-Z ]+)?[ \t]*(?P<rest>)$", re.M)


def _attached_plan(doc: DocText, doc_type: str | None, title: str | None, title_end: int) -> re.Match[str] | None:
    """The plan-type heading (`KẾ HOẠCH HÀNH ĐỘNG` on a line of its own) of the plan a decision or
    resolution issues (`Ban hành Kế hoạch ...`), attached after it; None for any other document."""
    if doc_type in _PLAN_TYPES or not title or not _ISSUES_A_PLAN.match(fold_keep_length(title)):
        return None
    folded = fold_keep_length(doc.text)
    for m in _ATTACHED_TYPE.finditer(folded, title_end):
        if DOC_TYPES[" ".join(m.group("type").upper().split())] in _PLAN_TYPES:
            return m
    return None


def canonical_province(candidate: str) -> str | None:
    """A province name from printed words (any case, accents or not): longest gazetteer prefix."""
    words = place_key(candidate).split()
    for n in range(min(len(words), _MAX_PROVINCE_WORDS), 0, -1):
        name = PROVINCES.get(" ".join(words[:n]))
        if name:
            return name
    return None


def _caps_words_after(folded: str, pos: int) -> str:
    """The run of all-capital words starting at `pos` (stops at the motto of the right column)."""
    words: list[str] = []
    line = folded[pos : pos + 80].split("\n", 1)[0]
    tokens = re.findall(r"[A-Za-z&]+", line)
    for i, word in enumerate(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if not word.isupper() or f"{word} {following}".upper() in _MOTTO_STARTS or word == "SO":
            break
        words.append(word)
    return " ".join(words)


def _province_in_header(header: str) -> str | None:
    folded = fold_keep_length(header)
    for m in re.finditer(r"\b(?:TINH|THANH PHO|TP\.)[ \t]+", folded):
        name = canonical_province(_caps_words_after(folded, m.end()))
        if name:
            return name
    return None


def _province_in_text(text: str) -> str | None:
    """The province most named as `tỉnh X` / `thành phố X` in the text (capitalized X)."""
    folded = fold_keep_length(text)
    counts: dict[str, int] = {}
    for m in re.finditer(r"\b(?:tinh|thanh pho)\s+((?:[A-Z][a-z]*\s*){1,4})", folded, re.I):
        if m.group(0)[0].isupper() and not m.group(0).isupper():
            continue  # `Tỉnh ủy`, sentence starts: not a place
        name = canonical_province(m.group(1))
        if name:
            counts[name] = counts.get(name, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None


def _department_in_header(header: str) -> str | None:
    """A provincial department issuing the plan (`UBND TỈNH X` / `SỞ KHOA HỌC VÀ CÔNG NGHỆ`)."""
    from normalizers.agencies import canonical_agency

    folded = fold_keep_length(header)
    for m in re.finditer(r"^[ \t]*SO[ \t]+", folded, re.M):
        words = _caps_words_after(folded, m.end())
        if not words:
            continue
        printed = header[m.start() : m.end() + len(words) + 8].split("\n")[0]
        name = canonical_agency(" ".join(printed.split()[: 1 + len(words.split())]))
        if not name.isupper():  # recognised: the lexicon gives it in proper case
            return name
    return None


def _organ(header: str, body_start: str, signature: str) -> str | None:
    """Which body issued the plan: from the header, the signature (`TM. ...`), or `... ban hành`."""
    organs = (
        (r"UY\s+BAN\s+NHAN\s+DAN|UBND", "Ủy ban nhân dân"),
        (r"HOI\s+DONG\s+NHAN\s+DAN|HDND", "Hội đồng nhân dân"),
        (r"TINH\s+UY|THANH\s+UY", "Tỉnh ủy"),
    )
    for text, flags in ((header, 0), (signature, 0), (body_start, re.I)):
        folded = fold_keep_length(text)
        for pattern, name in organs:
            if text is body_start:
                pattern = rf"(?:{pattern})\s+(?:tinh|thanh\s+pho)\s+(?:[A-Z]\w*\s+){{0,3}}ban\s+hanh"
            if re.search(pattern, folded, flags):
                return name
    return None


# The receiving office's stamp on an incoming copy (`ĐẾN Số: ... Ngày: ... Chuyển: ... Số và ký hiệu HS: ...`),
# printed across the title of a scan: its fields and their filled-in or dotted blanks.
_RECEIPT_FIELD = re.compile(
    r"\bDEN\b(?=[ \t]+(?:So|Ngay)\b)|\b(?:Ngay|Gio)[ \t]*:?[ \t]*[\d/.,:]+(?=\s|$)|"
    r"\b(?:Chuyen|Luu ho so so)[ \t]*:|(?<!\w)[S8]o va ky hieu(?:[ \t]+HS)?[ \t]*:?"
)
_BLANK = re.compile(r"\S*\.{2,}\S*")


def _without_receipt_stamp(title: str) -> str:
    """The title without a receipt stamp's fields; a title with none is returned as it is."""
    folded = fold_keep_length(title)
    fields = list(_RECEIPT_FIELD.finditer(folded))
    if not fields or not any(m.group(0).startswith(("Chuyen", "DEN")) for m in fields):
        return title
    for m in reversed(fields):
        title = title[: m.start()] + " " * (m.end() - m.start()) + title[m.end() :]
    title = _BLANK.sub(" ", title)
    # what is left of a blank: marks and lone capitals (`À \``)
    tokens = [
        t for t in title.split() if t in ("-", "–") or (re.search(r"\w", t) and not (len(t) == 1 and t.isupper()))
    ]
    return " ".join(tokens)


def title_and_end(doc: DocText, heading: re.Match[str]) -> tuple[str | None, int]:
    """The title under the type heading, one line; and where it ends (global offset)."""
    text = doc.text
    parts: list[str] = []
    pos = heading.start("rest")
    if heading.group("rest").strip():
        first_end = heading.end("rest")
        parts.append(text[pos:first_end])
        pos = first_end
    else:
        pos = heading.end()
    end = pos
    for start, stop in _lines(text, pos, min(len(text), pos + 1500)):
        line = text[start:stop].strip()
        if not line:
            continue
        folded = fold_keep_length(line)
        if parts and (PREAMBLE_CUE.match(folded) or _OUTLINE_HEAD.match(folded)):
            break
        if re.match(r"^[-_=*.]{3,}$", line) or line.startswith("("):
            break
        if line == "\f" or len(parts) >= 4:
            break
        # Rejoined text may run the title into the preamble: cut at a capitalized cue word.
        cue = _CUE_INSIDE.search(folded, 10)
        if cue:
            parts.append(line[: cue.start()])
            end = start + (len(text[start:stop]) - len(text[start:stop].lstrip())) + cue.start()
            break
        parts.append(line)
        end = stop
    # A separator rule printed under the title is layout (`―――――`, `_____`), never part of it.
    title = fix_lookalike_eth(_RULE_RUN.sub("", " ".join(" ".join(parts).split())).strip())
    title = _without_receipt_stamp(title)
    # The issuer's line run into a title in sentence case (`... thiên tai CHÍNH PHỦ`) is no part of it.
    words = title.split()
    if words and not words[0].isupper():
        tail = 0
        while tail < len(words) - 1 and words[-1 - tail].isupper() and words[-1 - tail].isalpha():
            tail += 1
        if tail >= 2:
            title = " ".join(words[:-tail])
    return (title or None), end


def signature_region(doc: DocText) -> tuple[int, int]:
    """Where the closing block lies: after the last `./.` (or `Nơi nhận`) before any appendix."""
    text = doc.text
    folded = fold_keep_length(text)
    appendix = re.search(
        r"^\W{0,3}(?:PHU\s+LUC|PHU\s+\d|DANH\s+MUC)\b|^[ \t]*Phu\s+luc[ \t]*(?:[IVX\d]+[ \t]*)?$",
        folded[len(folded) // 3 :],
        re.M,
    )
    end = len(text) // 3 + appendix.start() if appendix else len(text)
    # `./.` closes the last sentence; a run of dots (`É.../......`, a form's blank) is none.
    ends = [m.end() for m in re.finditer(r"(?<!\.)\./\.(?!\.)|Noi\s*nh[a-z]*\s*:", folded[:end], re.I)]
    if not ends:
        # No closing marks: the block starts at the signer titles (`TM. ỦY BAN ...`, `CHỦ TỊCH`).
        # The signature closes the text: a title in the header (`UBND TỈNH ...` stamped on a scan) is no closing.
        titles = [m.start() for m in _CLOSING_TITLE.finditer(folded, end // 2, end)]
        if not titles:
            return end, end
        first = titles[-1]
        for pos in reversed(titles):
            if first - pos > 200:
                break
            first = pos
        return folded.rfind("\n", 0, first) + 1, end
    start = ends[-1]
    # `Nơi nhận` comes after `./.`; take the earlier so the title lines beside the list are kept.
    dot_ends = [m.end() for m in re.finditer(r"(?<!\.)\./\.(?!\.)", folded[:end])]
    if dot_ends and dot_ends[-1] < start and start - dot_ends[-1] < 400:
        start = dot_ends[-1]
    return start, end


def _name_of(words: str) -> str | None:
    """A personal name: 2–5 capitalized letter-only words; a two-word one must start with a family name
    (`Cơ Quan` on a line of its own is not a person)."""
    tokens = words.split()
    if not 2 <= len(tokens) <= 5:
        return None
    if not all(re.fullmatch(r"[^\W\d_]+", t) and t[0].isupper() for t in tokens):
        return None
    surname = fold_keep_length(tokens[0]).lower() in _SURNAMES
    # Two words, or a line in capitals (a heading such as `KẾ HOẠCH HÀNH ĐỘNG`), must open with a family name.
    if (len(tokens) == 2 or words.isupper()) and not surname:
        return None
    # Names are written `Ngô Hạnh Phúc`; OCR and capitals in the source give `NGÔ`, `NgÔ`.
    return " ".join(t[0] + t[1:].lower() for t in tokens)


def _signer(doc: DocText, body_from: int = 0) -> tuple[str | None, str | None]:
    """Who signs: in the closing block; else in an earlier one (a Quyết định signed before the plan it
    issues); else, when OCR lost the closing marks, in the last lines before any appendix. The header
    (before `body_from`, the title's end) names the issuer, never the signer."""
    start, end = signature_region(doc)
    if start >= end:
        name, title = _generic_signer(doc.text[max(0, end - 1500) : end])
    else:
        name, title = _signer_in(doc.text[start:end])
    if name is None:
        folded = fold_keep_length(doc.text[:start])
        for mark in reversed(list(re.finditer(r"(?<!\.)\./\.(?!\.)|Noi\s*nh[a-z]*\s*:", folded, re.I))):
            earlier = _signer_in(doc.text[mark.end() : mark.end() + 1500])
            if earlier[0]:
                return earlier
        # No closing marks at all: the last `KT.`/`TM.` block of the text.
        generic = _generic_signer(doc.text[body_from:end])
        if generic[0] and generic[1]:
            return generic
    return name, title


def _signer_in(text: str) -> tuple[str | None, str | None]:
    folded = fold_keep_length(text)
    all_titles = list(_TITLE_RE.finditer(folded))
    titles = [m for m in all_titles if not m.group("proxy")]
    if titles:
        # A title with a name under it: the attached plan's header (`THỦ TƯỚNG CHÍNH PHỦ`) has none.
        last = next((m for m in reversed(titles) if _name_below(text, m.end())), titles[-1])
        title = SIGNER_TITLES[" ".join(last.group("title").split())]
        # `PHÓ BÍ THƯ THƯỜNG TRỰC`: the rest of the title's line in capitals belongs to the title.
        line_end = text.find("\n", last.end())
        rest = text[last.end() : len(text) if line_end < 0 else line_end].strip()
        if rest and rest.isupper() and len(rest.split()) <= 3 and re.fullmatch(r"[^\W\d_ ]+(?: [^\W\d_]+)*", rest):
            title = title_case(text[last.start("title") : last.end()] + " " + rest)
    else:
        # OCR lost the line under `KT. CHỦ TỊCH`: who signs for (ký thay) the head is a deputy.
        proxied = [m for m in all_titles if re.match(r"KT\b", m.group("proxy"))]
        if not proxied:
            return _generic_signer(text)
        last = proxied[-1]
        key = " ".join(last.group("title").split())
        title = SIGNER_TITLES.get(key if key.startswith("PHO ") else f"PHO {key}", SIGNER_TITLES[key])
    name: str | None = None
    tail_lines = text[last.end() :].split("\n")
    for line in tail_lines:
        stripped = line.strip()
        if not stripped or stripped.startswith(("-", "+", "(")):
            # An interleaved line: the recipients list on the left, the name at its right end.
            fragment = stripped.rsplit(";", 1)[-1].strip() if ";" in stripped else ""
            candidate = _name_of(fragment) if fragment else None
            if candidate and fold_keep_length(candidate.split()[0]).lower() in _SURNAMES:
                name = candidate
                break
            continue
        if _TITLE_RE.search(fold_keep_length(stripped)) or re.match(r"(?i)noi\s*nh", fold_keep_length(stripped)):
            continue
        # OCR leaves stray marks around a name (`Nguyễn Văn A.`, `' Trần Thị B`).
        candidate = _name_of(stripped) or _name_of(stripped.strip(" .,:;'\"`~_|-*")) or _name_after_rank(stripped)
        if candidate:
            name = candidate
            break
    return name, title


def _name_below(text: str, pos: int) -> bool:
    """A personal name on one of the few lines under `pos`."""
    lines = [line.strip() for line in text[pos:].split("\n")[1:6] if line.strip()]
    return any(_name_of(line.strip(" .,:;'\"`~_|-*")) or _name_after_rank(line) for line in lines[:4])


def title_case(caps: str) -> str:
    """A signer's title in capitals as written in running text: `PHÓ TỔ TRƯỞNG THƯỜNG TRỰC` → `Phó Tổ
    trưởng Thường trực`: known titles as listed, other words capitalized word by word (underthesea
    segments the syllables into words)."""
    words = caps.split()
    folded = fold_keep_length(" ".join(words)).upper()
    if folded.startswith("PHO ") and len(words) > 1:
        return "Phó " + title_case(" ".join(words[1:]))
    known = {**SIGNER_TITLES, **_MORE_TITLES}
    for key in sorted(known, key=len, reverse=True):
        if folded == key or folded.startswith(key + " "):
            rest = words[len(key.split()) :]
            return " ".join([known[key], *([title_case(" ".join(rest))] if rest else [])])
    from underthesea import word_tokenize

    return " ".join(w[:1].upper() + w[1:] for w in word_tokenize(" ".join(words).lower()))


def _name_after_rank(line: str) -> str | None:
    stripped = line.strip(" .,:;'\"`~_|-*")
    m = _RANK.match(fold_keep_length(stripped))
    return _name_of(stripped[m.end() :]) if m else None


def _generic_signer(text: str) -> tuple[str | None, str | None]:
    """The signature read by its shape: the first capitals line under the last `TM.`/`KT.`/`TL.`/`Q.`/
    `T/M` line is the title (any title), the first name after it the signer (a rank before it dropped).
    Without such a line, a ranked name alone (`Đại tá ...`) is still the signer."""
    folded = fold_keep_length(text)
    proxies = list(_PROXY_LINE.finditer(folded))
    title: str | None = None
    name: str | None = None
    if proxies:
        lines = [line.strip() for line in text[proxies[-1].end() :].split("\n")][1:]
        for k, line in enumerate(lines[:8]):
            letters = [c for c in line if c.isalpha()]
            if title is None and letters and all(c.isupper() for c in letters) and len(letters) > 3:
                title = title_case(line)
                continue
            if title is not None:
                name = _name_of(line.strip(" .,:;'\"`~_|-*")) or _name_after_rank(line)
                if name or k > 6:
                    break
    if name is None and not proxies:
        # A head signing in person (`TRƯỞNG ĐOÀN`): the last line in capitals with a name under it.
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        for k in range(len(lines) - 2, -1, -1):
            letters = [c for c in lines[k] if c.isalpha()]
            if not letters or not all(c.isupper() for c in letters) or len(letters) < 4:
                continue
            below = next(
                (
                    n
                    for n in (
                        _name_of(line.strip(" .,:;'\"`~_|-*")) or _name_after_rank(line)
                        for line in lines[k + 1 : k + 3]
                    )
                    if n
                ),
                None,
            )
            if below:
                return below, title_case(lines[k])
    if name is None:
        for line in reversed(text.split("\n")):
            name = _name_after_rank(line)
            if name:
                break
    return name, title


def _province_spelled(text: str, province: str) -> str:
    """The province's name (after `tỉnh` / `thành phố`) as the gazetteer spells it where restored accents
    got it wrong (`tỉnh Hà Tính`)."""
    key = fold_keep_length(province).lower()
    folded = fold_keep_length(text).lower()
    for m in reversed(list(re.finditer(rf"(?:(?<=\btinh )|(?<=\bpho )){re.escape(key)}\b", folded))):
        text = text[: m.start()] + province + text[m.end() :]
    return text


def _header_text(doc: DocText, heading: re.Match[str] | None) -> str:
    return doc.text[: heading.start("type")] if heading else ""


# ------------------------------------------------------------------------------------ issuers

# Abbreviations in issuer lines → words (an abbreviation table, not a lexicon of bodies).
_ISSUER_ABBREVIATIONS: dict[str, str] = {
    "TW": "trung ương",
    "UBND": "ủy ban nhân dân",
    "HĐND": "hội đồng nhân dân",
    "BCĐ": "ban chỉ đạo",
    "MTTQ": "mặt trận tổ quốc",
    "BTV": "ban thường vụ",
    "ĐTTP": "điều tra tội phạm",
}
# Heads whose own name has more capitals (the Front's full name).
_HEAD_SPELLING = {
    "ủy ban mặt trận tổ quốc việt nam": "Ủy ban Mặt trận Tổ quốc Việt Nam",
    "ủy ban mặt trận tổ quốc": "Ủy ban Mặt trận Tổ quốc",
}
# Heads of organisation names printed with one capital (Nghị định 30: `Ủy ban nhân dân`, `Tỉnh ủy`); after a
# party committee comes its place.
_ONE_CAPITAL_HEADS = (
    "ủy ban nhân dân",
    "hội đồng nhân dân",
    "ủy ban mặt trận tổ quốc",
    "thủ tướng",
    "tỉnh ủy",
    "huyện ủy",
    "thành ủy",
    "quận ủy",
    "thị ủy",
    "đảng ủy",
    "chi cục",
    "tổng cục",
    "văn phòng",
    "ban quản lý",
    "ban thường vụ",
    "ban chấp hành",
    "trung tâm",
)
# First words of organisation names (their heads), to undo OCR's tone-mark confusions on them.
_NAME_HEADS = (
    "sở",
    "ban",
    "tổ",
    "bộ",
    "đoàn",
    "cục",
    "chi",
    "phòng",
    "hội",
    "viện",
    "trường",
    "ủy",
    "văn",
    "trung",
    "thủ",
    "tỉnh",
    "huyện",
    "thành",
    "đảng",
    "công",
    "tổng",
    "quỹ",
    "kho",
    "đài",
    "báo",
)
_PARTY_COMMITTEES = ("tỉnh ủy", "huyện ủy", "thành ủy", "quận ủy", "thị ủy")
# Administrative levels: the words after one are a place name.
_LEVELS = ("thành phố", "thị xã", "thị trấn", "tỉnh", "huyện", "quận", "xã", "phường")
_CENTRAL = re.compile(
    r"^(?:BO\b|CHINH PHU|THU TUONG|QUOC HOI|VAN PHONG CHINH PHU|BAN CHAP HANH TRUNG UONG)|"
    r"\b(?:TW|TRUNG UONG)\b"
)
_MOTTO_AT = re.compile(r"\b(?:CONG\s+HOA|DOC\s+LAP|DANG\s+CONG\s+SAN)\b")


# Heads of the names of bodies under a committee, in capitals as printed (a name's first words).
_BODY_HEADS = (
    "SỞ",
    "BAN",
    "TỔ",
    "ĐOÀN",
    "CHI CỤC",
    "CỤC",
    "PHÒNG",
    "VĂN PHÒNG",
    "TRUNG TÂM",
    "TRƯỜNG",
    "HỘI ĐỒNG",
    "HỘI",
    "ỦY BAN",
    "UỶ BAN",
    "BỘ CHỈ HUY",
    "CÔNG AN",
    "ĐẢNG ỦY",
    "ĐẢNG UỶ",
    "BỆNH VIỆN",
    "QUỸ",
    "KHO BẠC",
    "VIỆN",
    "ĐÀI",
    "BÁO",
    "TỈNH ỦY",
    "HUYỆN ỦY",
    "THÀNH ỦY",
    "QUẬN ỦY",
    "THỊ ỦY",
    "TỈNH UỶ",
    "HUYỆN UỶ",
    "THÀNH UỶ",
    "QUẬN UỶ",
    "THỊ UỶ",
)
_LEVEL_WORDS = ("THÀNH PHỐ", "THỊ XÃ", "THỊ TRẤN", "TỈNH", "HUYỆN", "QUẬN", "XÃ", "PHƯỜNG")


def _split_bodies(printed: str) -> list[str]:
    """An issuer line that ran two bodies together (`UBND TỈNH ĐIỆN BIÊN SỞ XÂY DỰNG`, as rejoined text
    leaves the two header lines): split where the head of a second name follows a place (a level and at
    least one word of its name) or a whole name; the name after the head has a word at least."""
    from normalizers.agencies import canonical_agency

    words = printed.split()
    place_from: int | None = None  # index of the first word of a place's name
    for k in range(len(words)):
        # `SỞ GIÁO DỤC VÀ ĐÀO TẠO TRƯỜNG ...`: the words before the head are a whole name the
        # abbreviation table spells out (nothing left in capitals).
        before = canonical_agency(" ".join(words[:k])) if k >= 2 else ""
        whole_name = bool(before) and not any(w.isupper() and len(w) > 1 for w in before.split())
        if whole_name or (place_from is not None and k > place_from):
            for head in _BODY_HEADS:
                n = len(head.split())
                if " ".join(words[k : k + n]) == head and k + n < len(words):
                    return [" ".join(words[:k]), *_split_bodies(" ".join(words[k:]))]
        for level in _LEVEL_WORDS:
            n = len(level.split())
            if " ".join(words[k : k + n]) == level:
                place_from = k + n
                break
    return [printed]


def _issuer_lines(header: str) -> list[str]:
    """The issuer block of the header (left column, capitals, before `Số:`), one entry per body: a line
    naming a level (`TỈNH LÂM ĐỒNG`) continues the line above."""
    folded = fold_keep_length(header)
    # `Số:`, or a party body's `Số 45-KH/ĐU`, `Số -KH/ĐU` (no colon; the number left blank)
    number = re.search(r"\bS[o0-9bB]{0,2}(?:\s*:|[ \t]+[-–]?[ \t]*\d*[ \t]*[-–]?[ \t]*[A-Za-z]{1,8}[ \t]*/)", folded)
    stop = number.start() if number else len(header)
    lines: list[str] = []
    for start, end in _lines(header, 0, stop):
        line_folded = folded[start:end]
        motto = _MOTTO_AT.search(line_folded)
        if motto:
            end = start + motto.start()
            line_folded = folded[start:end]
        printed = header[start:end].strip(" \t|*_-–")
        letters = [c for c in printed if c.isalpha()]
        if not letters or sum(c.isupper() for c in letters) < 0.8 * len(letters) or len(letters) < 2:
            continue
        if any(
            not re.search(r"\w", token) or any(a.islower() and b.isupper() for a, b in itertools.pairwise(token))
            for token in printed.split()
            if token not in ("-", "–", "&")
        ):
            continue  # a stamp or OCR debris (`SE ` ẼeL 4`): a mark alone or a word in mixed case is no name
        wrapped = lines and (re.match(r"\s*VA\b", line_folded) or lines[-1].rstrip().endswith(","))
        if lines and (
            wrapped
            or re.match(
                r"\s*[|*_]*\s*(?:TINH|THANH PHO|HUYEN|QUAN|THI XA|XA|PHUONG|THI TRAN)\b(?!\s+UY\b)", line_folded
            )
        ):
            lines[-1] = f"{lines[-1]} {printed}"
        else:
            lines.append(printed)
    return [body for line in lines for body in _split_bodies(line)]


def _capitalized(word: str) -> str:
    return word[:1].upper() + word[1:]


def issuer_name(printed: str) -> str:
    """An issuer line in capitals as the name is written: `TỔ CÔNG TÁC LIÊN NGÀNH TW` → `Tổ Công tác liên
    ngành trung ương`, `HUYỆN ỦY ĐỨC TRỌNG` → `Huyện ủy Đức Trọng`, `ỦY BAN NHÂN DÂN HUYỆN BẢO LÂM` →
    `Ủy ban nhân dân huyện Bảo Lâm`: the head, the first word of the proper name, each word after `và`
    and the words of a place take a capital."""
    words = [_ISSUER_ABBREVIATIONS.get(w, w) for w in re.findall(r"[^\s,;:()]+,?", printed)]
    words = [_ISSUER_ABBREVIATIONS.get(w.rstrip(","), w.rstrip(",")) + ("," if w.endswith(",") else "") for w in words]
    syllables = " ".join(words).lower().replace("uỷ", "ủy").replace("hoá", "hóa").split()
    if syllables and syllables[0] not in _NAME_HEADS:
        # OCR confuses tone marks on capitals (`TỎ CÔNG TÁC`): the head of a name is one of few words.
        syllables[0] = next(
            (h for h in _NAME_HEADS if fold_keep_length(h) == fold_keep_length(syllables[0])), syllables[0]
        )
    out: list[str] = []
    i = 0
    head = next(
        (h for h in sorted(_ONE_CAPITAL_HEADS, key=len, reverse=True) if " ".join(syllables[: len(h.split())]) == h),
        None,
    )
    if head:
        out.extend([_capitalized(syllables[0]), *syllables[1 : len(head.split())]])
        i = len(head.split())
        place = head in _PARTY_COMMITTEES
    else:
        out.append(_capitalized(syllables[0]) if syllables else "")
        i = 1
        place = False
    proper_start = not place
    while i < len(syllables):
        level = next((lv for lv in _LEVELS if " ".join(syllables[i : i + len(lv.split())]) == lv), None)
        if level and i + len(level.split()) < len(syllables):
            out.extend(syllables[i : i + len(level.split())])
            i += len(level.split())
            place, proper_start = True, False
            continue
        word = syllables[i]
        if re.fullmatch(r"[ivxl]+", word) and len(word) > 1:
            out.append(word.upper())  # a Roman numeral (`khu vực XV`)
        elif place:
            out.append(_capitalized(word))
        elif proper_start:
            out.append(_capitalized(word))
            proper_start = False
        else:
            out.append(word)
            proper_start = word == "và" or word.endswith(",")
        i += 1
    name = " ".join(out)
    for plain, spelled in _HEAD_SPELLING.items():
        if name.lower().startswith(plain):
            name = spelled + name[len(plain) :]
    for level in _LEVELS:  # the gazetteer spells the province (`Lâm Đồng`, `Bà Rịa - Vũng Tàu`)
        m = re.search(rf"\b{level} (.+)$", name)
        if m and level in ("tỉnh", "thành phố"):
            province = canonical_province(m.group(1))
            if province:
                name = name[: m.start(1)] + province
            break
    return name


def _issuer_from_block(lines: list[str]) -> str | None:
    """The body that issues the plan: the last entry of the issuer block (a department under its
    committee, a working group under its ministry), a bare party committee with the place above it."""
    if not lines:
        return None
    last = lines[-1]
    folded = fold_keep_length(last).upper()
    if re.fullmatch(r"\s*(?:TINH|HUYEN|THANH|QUAN|THI|DANG)\s+UY\s*", folded) and len(lines) > 1:
        place = re.search(r"\b(?:TINH|HUYEN|THANH PHO|QUAN|THI XA|XA)\s+(.+)$", fold_keep_length(lines[-2]).upper())
        if place:
            last = f"{last} {lines[-2][place.start(1) :]}"
    name = issuer_name(last)
    # `BAN THƯỜNG TRỰC` under `ỦY BAN MTTQ VIỆT NAM XÃ ...`: a standing body is named by its parent.
    if len(lines) > 1 and re.fullmatch(r"\s*(?:BAN\s+)?THUONG\s+(?:TRUC|VU)\s*", folded):
        name = f"{name} {issuer_name(lines[-2])}"
    return name


def _is_central(lines: list[str]) -> bool:
    return any(_CENTRAL.search(fold_keep_length(line).upper()) for line in lines[:2])


# ------------------------------------------------------------------------------------ extract


def extract(doc: DocText) -> Metadata:
    """Metadata as printed; a field the document does not show stays None."""
    heading = find_type_heading(doc)
    header = _header_text(doc, heading)
    folded_header = fold_keep_length(header)

    doc_type = DOC_TYPES[" ".join(heading.group("type").upper().split())] if heading else None
    title, title_end = title_and_end(doc, heading) if heading else (None, 0)
    attached = _attached_plan(doc, doc_type, title, title_end)
    named = _ISSUES_A_PLAN.match(fold_keep_length(title or ""))
    if attached is None and named and doc_type not in _PLAN_TYPES:
        # `NGHỊ QUYẾT Về Kế hoạch ...`, `QUYẾT ĐỊNH Phê duyệt Đề án ...` with the plan in its articles.
        doc_type = DOC_TYPES[named.group("type").upper()]
    if attached is not None:
        # `QUYẾT ĐỊNH Ban hành Kế hoạch ...` with the plan after it: the plan is the document's content;
        # number, date and signer stay the decision's.
        doc_type = DOC_TYPES[" ".join(attached.group("type").upper().split())]
        title = title_and_end(doc, attached)[0] or title

    doc_number: str | None = None
    number = _NUMBER_FOLDED.search(folded_header)
    if number and number.group("num"):
        doc_number = canonical_doc_number(re.sub(r"\s+", "", header[number.start("num") : number.end("code")]))

    issued_date: str | None = None
    place: str | None = None
    place_date = _PLACE_DATE_FOLDED.search(folded_header)
    if place_date:
        found = find_date(header, place_date.start())
        if found and found[0] - place_date.end() < 12:
            issued_date = found[2]
        place = canonical_province(place_date.group("place"))
    if issued_date is None and heading is not None:
        # A date line without the place (`ngày 06 tháng 02 năm 2026`) still dates the plan.
        words = DATE_WORDS_FOLDED.search(folded_header)
        if words:
            issued_date = parse_date(header[words.start() : words.end()])

    body_start = doc.text[title_end : title_end + 4000]
    sig_start, sig_end = signature_region(doc)
    signature = doc.text[sig_start:sig_end]
    province = _province_in_header(header) or place or _province_in_text(body_start) or _province_in_text(doc.text)
    organ = _organ(header, body_start, signature)
    issuer = _department_in_header(header)
    block = _issuer_lines(header)
    national = re.search(r"^[ \t]*(?:BO|CHINH PHU|THU TUONG|QUOC HOI|VAN PHONG)\b", folded_header, re.M)
    central = _is_central(block)
    last = fold_keep_length(block[-1]).upper() if block else ""
    provincial_committee = re.match(
        r"(?:UY BAN NHAN DAN|UBND|HOI DONG NHAN DAN|HDND)(?:\s+(?:TINH|THANH PHO)\b|\s*$)", last
    )
    if issuer is None and organ and province and not national and (provincial_committee or not block):
        issuer = f"{organ} {'thành phố' if province in CITIES else 'tỉnh'} {province}"
    if issuer is None and block:
        issuer = _issuer_from_block(block)
    if central:
        province = None  # a ministry or the Government: the place in the date line is only where it sits
    signer_name, signer_title = _signer(doc, title_end)
    if title and province:
        title = _province_spelled(title, province)
    return Metadata(
        province=province,
        doc_type=doc_type,
        doc_number=doc_number,
        issued_date=issued_date,
        issuer=issuer,
        title=title,
        signer_name=signer_name,
        signer_title=signer_title,
    )


def plan_year(doc: DocText, meta: Metadata) -> int | None:
    """The year the plan is for: `năm 2026` in the title (not a horizon `đến năm 2030`), else the
    issue year."""
    if meta.title:
        folded = fold_keep_length(meta.title)
        years = [
            int(m.group(2))
            for m in re.finditer(r"(\w+)?\s*nam\s+((?:19|20)\d\d)\b", folded, re.I)
            if (m.group(1) or "").lower() not in ("den", "toi", "doan")
        ]
        if years:
            return years[-1]
    if meta.issued_date:
        return int(meta.issued_date[:4])
    return None
