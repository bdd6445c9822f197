"""Agency names → one canonical full name each (`Sở KH&CN` → `Sở Khoa học và Công nghệ`).

A lexicon of the bodies a provincial plan assigns work to (departments before and after the 2025
merger, the provincial office, mass organisations, local People's Committees, the generic "all
departments" groups) is matched on folded text (no diacritics, lower case), so abbreviations, OCR
output and imperfect diacritic restoration all land on the same name. The names and the abbreviations
derived from them are in `normalizers.agency_names`. Longest match wins, which keeps `Sở Văn hóa, Thể
thao và Du lịch` or `Báo và Phát thanh, Truyền hình Lào Cai` whole although they hold a comma. Names are
kept as the document gives them: a merged department is not renamed, and a province written after a
body's name stays in it (`Báo Đồng Tháp`, `Đài PT-TH Bình Định` → `Đài Phát thanh và Truyền hình Bình
Định`); with none, a provincial body is `... tỉnh`. Departments listed without `Sở` next to one with it
(`Sở Nội vụ, Công thương và Xây dựng`) are departments too.

- `canonical_agency(name)`: one name → its canonical form (unknown names: tidied, kept).
- `split_agencies(text)`: a table cell or phrase → the canonical names it lists, in order.
- `find_agencies(text)`: every lexicon agency mentioned in running text, with offsets.
- `for_city(name, province)`: a provincial body's name in a centrally-run city's plan (`... thành phố`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from normalizers.agency_names import BODIES, DEPARTMENTS, Body, Place, body_patterns, department_patterns, fold
from normalizers.places import CITIES, PROVINCES
from normalizers.vndates import fold_keep_length


def folded(text: str) -> str:
    """`text` without diacritics (đ→d), same length, so offsets carry over to the original."""
    return fold_keep_length(text)


# The canonical name of a collective body is the document's wording, its abbreviations spelled out.
AS_WRITTEN = "<as written>"
COUNCIL = "<council as written>"
COLLECTIVE = "<collective>"
# The words of a set of local levels, spelled out from their folded or abbreviated form (grammar words of
# administrative levels, so a diacritic-stripped or abbreviated mention gets the same name).
_LEVEL_WORDS = {
    "cac": "các",
    "cap": "cấp",
    "huyen": "huyện",
    "xa": "xã",
    "phuong": "phường",
    "thi": "thị",
    "tran": "trấn",
    "thanh": "thành",
    "pho": "phố",
    "dac": "đặc",
    "khu": "khu",
    "va": "và",
    "tx": "thị xã",
    "tp": "thành phố",
    "tinh": "tỉnh",
    "truc": "trực",
    "thuoc": "thuộc",
    "trung": "Trung",
    "uong": "ương",
}
_COMMITTEE_WORDS = re.compile(r"^\s*(?:uy ban nhan dan|ubnd|hoi dong nhan dan|hdnd)\s*")


def written_name(text: str, head: str = "Ủy ban nhân dân") -> str:
    """A set of local committees named as written (`UBND các xã, phường, đặc khu` → `Ủy ban nhân dân các xã,
    phường, đặc khu`, `Uy ban nhan dan cac huyen` → `Ủy ban nhân dân các huyện`): abbreviations spelled out."""
    low = folded(" ".join(text.split())).lower()
    low = _COMMITTEE_WORDS.sub("", low)
    words = [
        (_LEVEL_WORDS.get(w.strip(","), w.strip(",")) + ("," if w.endswith(",") else ""))
        for w in low.replace(",", ", ").replace("/", " / ").split()
    ]
    name = " ".join(words).strip(" ,").replace(" / ", "/")  # `xã/phường`: either level
    if set(re.split(r",\s*|\s+và\s+", name.removeprefix("các "))) == {"huyện", "thị xã", "thành phố"}:
        name = "các huyện, thị xã, thành phố"  # the district level's set formula, in its usual order
    return f"{head} {name}"


# Patterns are regexes over folded lower-case text; spaces match any run of whitespace.
_S = r"(?:so|s[0o6&d¢e]|5[0o])"  # the word "Sở", also as OCR reads it: S0, S6, S&, S¢, 50 ...
_PROVINCIAL = r"(?:\s+(?:cua\s+)?tinh)?"

# Departments as (name after "Sở", patterns): the first pattern spells the name out.
_DEPARTMENTS: list[tuple[str, list[str]]] = []
_taken_initials: set[str] = set()
for _name in DEPARTMENTS:
    _DEPARTMENTS.append((_name, department_patterns(_name, _taken_initials)))

_UBND = r"(?:uy ban nhan dan|ubnd)"
_HDND = r"(?:hoi dong nhan dan|hdnd)"

# Groups and councils, each (canonical name, patterns); named bodies are in agency_names.BODIES.
_GROUPS: list[tuple[str, list[str]]] = [
    # the local committees of a set of places: a collective body, named as the document writes it
    # (`UBND các xã, phường, đặc khu` → `Ủy ban nhân dân các xã, phường, đặc khu`)
    (
        AS_WRITTEN,
        [
            _UBND + r" (?:cac |cap )?(?:huyen|xa|phuong|thi xa|thi tran|tx|tp|dac khu)"
            r"(?:(?:\s*/\s*|,? (?:va )?)(?:huyen|xa|phuong|thi xa|thanh pho|thi tran|dac khu|tx|tp)(?![a-z]))*",
            _UBND + r" cac cap",
            _UBND + r" (?:cac |cap )?tinh,? thanh pho truc thuoc trung uong",
            _UBND + r" cap tinh",
        ],
    ),
    # the bodies of every level together (`các cơ quan, đơn vị, địa phương`), as written
    (
        COLLECTIVE,
        [
            r"cac (?:co quan|don vi|so|bo)(?:,? (?:co quan|don vi|to chuc|ban|nganh))*,? (?:va )?dia phuong"
            r"(?! (?:co )?lien quan)"
        ],
    ),
    ("Ủy ban nhân dân tỉnh", [_UBND + r" tinh"]),
    (
        COUNCIL,
        [
            _HDND + r" (?:cac |cap )?(?:huyen|xa|phuong|thi xa|thi tran|tx|tp|dac khu|tinh|thanh pho)"
            r"(?:,? (?:va )?(?:huyen|xa|phuong|thi xa|thanh pho|thi tran|dac khu|tx|tp)(?![a-z]))*",
            _HDND + r" cac cap",
        ],
    ),
    ("Hội đồng nhân dân tỉnh", [_HDND]),
    # the departments together: one body of the province however a plan words it (`Các Sở, ban ngành của tỉnh`)
    (
        "Các sở, ban, ngành tỉnh",
        [
            r"cac so,? (?:ban,? )?nganh(?:,? (?:doan the|don vi))?(?: (?:cua |thuoc |cap )?tinh)?"
            r"(?:,? (?:co )?lien quan)?"
        ],
    ),
    (
        "Các sở, ban, ngành thành phố",
        [
            r"cac so,? (?:ban,? )?nganh(?:,? (?:doan the|don vi))? (?:cua |thuoc |cap )?thanh pho"
            r"(?:,? (?:co )?lien quan)?"
        ],
    ),
    (
        "Các cơ quan, đơn vị liên quan",
        [
            r"cac co quan,? don vi(?:,? to chuc)? (?:co )?lien quan",
            r"cac don vi,? to chuc(?:,? ca nhan)? (?:co )?lien quan",
            r"cac don vi (?:co )?lien quan",
            r"cac co quan,? don vi,? dia phuong(?: co)? lien quan",
            r"cac (?:co quan|don vi|to chuc)(?:,? (?:co quan|don vi|to chuc|ca nhan|dia phuong))*,? (?:co )?lien quan",
            r"cac bo(?:,? (?:nganh|co quan|don vi|dia phuong))*,? (?:co )?lien quan",
        ],
    ),
    # a branch named by its region, as written (`Ngân hàng Nhà nước chi nhánh Khu vực 14`)
    (COLLECTIVE, [r"ngan hang nha nuoc(?: viet nam)? chi nhanh khu vuc \d{1,2}"]),
    # one group although it holds a comma; `trên địa bàn` stays in the name when written, of the province
    # unless it names the city
    ("Các trường đại học, cao đẳng trên địa bàn tỉnh", [r"cac truong dai hoc,? cao dang tren dia ban(?: tinh)?"]),
    ("Các trường đại học, cao đẳng trên địa bàn thành phố", [r"cac truong dai hoc,? cao dang tren dia ban thanh pho"]),
    ("Các trường đại học, cao đẳng", [r"cac truong dai hoc,? cao dang"]),
    (COLLECTIVE, [r"cac to chuc chinh tri\s*-\s*xa hoi(?: (?:cua |cap )?(?:tinh|thanh pho|xa|phuong|huyen))?"]),
    ("Ban Chỉ đạo cấp tỉnh", [r"ban chi dao(?: (?:cap )?tinh)?"]),
    ("Thuế tỉnh", [r"(?:cuc )?thue tinh"]),
]


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str  # canonical (for a body with a place: as written with no place)
    pattern: str  # over folded lower-case text
    body: Body | None = None  # set when a place may follow the name


@lru_cache(maxsize=1)
def _entries() -> list[_Entry]:
    entries: list[_Entry] = []
    for name, patterns in _DEPARTMENTS:
        # not `cơ sở` (a facility: `cơ sở Văn hóa và Thể thao`), whose second word folds to the same `so`
        entries.extend(_Entry(f"Sở {name}", r"(?<!co\s)" + _S + r"\s+" + p) for p in patterns)
        # the ministry of the same field (`Bộ Khoa học và Công nghệ`, `Bộ VHTT&DL`): its name holds commas and
        # `và` that would otherwise cut it
        entries.extend(_Entry(f"Bộ {name}", r"bo\s+" + p) for p in patterns)
    for name, patterns in _GROUPS:
        entries.extend(_Entry(name, p) for p in patterns)
    for body in BODIES:
        entries.extend(
            _Entry(body.canonical(), p, body if body.place is not Place.NONE else None) for p in body_patterns(body)
        )
    return entries


def _lexicon() -> list[tuple[str, str]]:
    return [(e.name, e.pattern) for e in _entries()]


def _words(name: str) -> list[str]:
    """The folded words of a name, punctuation dropped (`lao dong thuong binh va xa hoi`)."""
    return re.findall(r"[a-z0-9]+", fold(name))


def _relax_spaces(pattern: str) -> str:
    return pattern.replace(" ", r"\s+")


_GROUP = re.compile(r"\((?:[^()\\]|\\.)*\)")  # innermost (...) group
_LETTER_RUN = re.compile(r"[a-z]{2,}")


def required_words(pattern: str) -> tuple[str, ...]:
    """Letter runs every match of `pattern` must contain: text holding none of them is skipped
    without running the regex (most lexicon entries appear in no given snippet)."""
    rest = pattern
    while True:  # groups may be optional or alternatives: nothing inside them is required
        stripped = _GROUP.sub(" ", rest)
        if stripped == rest:
            break
        rest = stripped
    if "|" in rest:  # a top-level alternative: no single word is required
        return ()
    rest = re.sub(r"\[(?:[^\]\\]|\\.)*\]", " ", rest)  # character classes
    rest = re.sub(r"\\.", " ", rest)  # escapes (\s, \b, ...)
    rest = re.sub(r"[a-z](?=[?*]|\{0)", " ", rest)  # optional letters
    return tuple(_LETTER_RUN.findall(rest))


@lru_cache(maxsize=1)
def _matchers() -> list[tuple[_Entry, re.Pattern[str], tuple[str, ...]]]:
    return [
        (e, re.compile(r"(?<![a-z0-9])(?:" + _relax_spaces(e.pattern) + r")(?![a-z0-9])"), required_words(e.pattern))
        for e in _entries()
    ]


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    name: str  # canonical
    text: str  # as written


@lru_cache(maxsize=1)
def _fragment_matchers() -> list[tuple[str, re.Pattern[str]]]:
    """`Sở` + the first two words of a department's name, where they name one department only: a table
    cell wrapped over several lines shows that much of the name on one line."""
    starts: dict[str, list[str]] = {}
    for name in DEPARTMENTS:
        words = _words(name)
        if len(words) > 2:
            starts.setdefault(" ".join(words[:2]), []).append(f"Sở {name}")
    return [
        (names[0], re.compile(r"(?<![a-z0-9])" + _S + r"\s+" + _relax_spaces(start) + r"(?![a-z0-9])"))
        for start, names in starts.items()
        if len(names) == 1
    ]


# What OCR makes of the word "Sở" at the head of a department's name in a table cell (S0, S6, 36, 86 ...).
_OCR_HEAD = re.compile(r"(?<![a-z0-9])(?:s[a-z0-9&¢]?|5[o0]|[38>][6o0¢&])\s+(?=[a-z])")
# Generic groups as a wrapped cell shows them, before the line ends (`các đơn vị, tổ chức có` / `liên quan`).
_GROUP_FRAGMENTS: list[tuple[str, re.Pattern[str]]] = [
    # names a wrapped cell cuts, with the letters OCR confuses in them (Đ read as P or DP)
    ("Trường Chính trị tỉnh", re.compile(r"(?<![a-z])[lt]r[a-z]{2,4}\s+chinh\s*tri(?:\s+tinh)?(?![a-z])")),
    ("Liên minh Hợp tác xã tỉnh", re.compile(r"(?<![a-z])lien minh(?![a-z])")),
    ("Hiệp hội Doanh nghiệp tỉnh", re.compile(r"(?<![a-z])hiep h[a-z]{1,2}\s+doanh(?:\s+nghiep)?(?![a-z])")),
    ("Ban Quản lý Khu kinh tế tỉnh", re.compile(r"(?<![a-z])(?:ban\s+)?quan ly khu kinh te(?![a-z])")),
    ("Trung tâm Đổi mới sáng tạo", re.compile(r"(?<![a-z])trung tam d?p?mst(?![a-z])")),
    (
        "Các sở, ban, ngành tỉnh",
        re.compile(r"(?<![a-z0-9])c[ae]c s[o0&6d¢e]{1,2}(?:,?\s*(?:ban,?\s*)?nganh)?(?=[,\s]|$)"),
    ),
    (
        "Các cơ quan, đơn vị liên quan",
        re.compile(
            r"(?<![a-z0-9])cac (?:co quan,? )?don vi,? t[o0]\s?ch[a-z]{1,3}c(?:,? ca nhan)?(?: c[o0-9])?"
            r"(?: lien quan)?(?![a-z0-9])"
        ),
    ),
]


# A digit OCR read for a letter inside a word (`Ho1` → hoi, `Nong0` → nongo); same length, offsets hold.
_OCR_DIGIT = re.compile(r"(?<=[a-z])[10](?=[a-z]|\b)(?![0-9])")
_DIGIT_LETTER = {"1": "i", "0": "o"}


@lru_cache(maxsize=1)
def _department_keys() -> list[tuple[str, str]]:
    """(spaceless opening of a department's name, canonical name), for matching names OCR garbled: the
    first two words (shared openings go to the first department listed, the usual one) and, for longer
    names, the first four, which tell `Nông nghiệp và Môi trường` from `Nông nghiệp và Phát triển ...`."""
    keys: dict[str, list[str]] = {}
    for name in DEPARTMENTS:
        words = _words(name)
        keys.setdefault("".join(words[:2]), []).append(f"Sở {name}")
        if len(words) >= 4:
            keys.setdefault("".join(words[:4]), []).append(f"Sở {name}")
    return [(key, names[0]) for key, names in keys.items() if len(key) >= 5]


def _ocr_departments(low: str) -> list[tuple[int, int, str]]:
    """`S0 KhOAa hoc`, `S& Vanhod`: a head read as "Sở" and a name within OCR distance of a department's."""
    from rapidfuzz import fuzz

    hits: list[tuple[int, int, str]] = []
    for head in _OCR_HEAD.finditer(low):
        after = low[head.end() : head.end() + 30]
        letters = [i for i, ch in enumerate(after) if ch.isalpha()]
        best: tuple[float, int, str] | None = None
        for key, name in _department_keys():
            for size in (len(key) - 1, len(key), len(key) + 1):
                if size > len(letters):
                    continue
                cut = letters[size - 1] + 1
                if cut < len(after) and after[cut].isalpha():
                    continue  # the name must end where a word ends
                candidate = "".join(after[i] for i in letters[:size])
                score = fuzz.ratio(candidate, key)
                # a garbled first letter (`I‘(hoAa` for Khoa) is allowed when the rest is close
                if (candidate[0] == key[0] or size >= 7) and score >= 80 and (best is None or (score, cut) > best[:2]):
                    best = (score, cut, name)
        if best:
            hits.append((head.start(), head.end() + best[1], best[2]))
    return hits


@lru_cache(maxsize=1)
def department_tails() -> list[tuple[re.Pattern[str], str]]:
    """(pattern over folded text, canonical name) for the `và X` middle of a department's name that only
    one department has (`và Công` → Sở Khoa học và Công nghệ): what a wrapped cell shows on its second line."""
    tails: dict[str, list[str]] = {}
    for name in DEPARTMENTS:
        words = _words(name)
        for i, word in enumerate(words[1:-1], start=1):
            if word == "va":
                tails.setdefault(words[i + 1][:3], []).append(f"Sở {name}")
    return [
        (re.compile(rf"(?<![a-z])va\s+{re.escape(stem)}[a-z]{{0,3}}(?![a-z])"), names[0])
        for stem, names in tails.items()
        if len(names) == 1
    ]


@lru_cache(maxsize=1)
def agency_words() -> frozenset[str]:
    """Every word of the lexicon's names, abbreviations included (`khoa`, `nganh`, `htx`, `lhpn` ...), folded."""
    names = [name for name, _ in _lexicon()] + ["các sở ban ngành địa phương đơn vị tổ chức có liên quan cấp xã"]
    words = {w for n in names for w in re.findall(r"[a-z&]+", folded(n).lower())}
    # abbreviations from the alias patterns (regex syntax stripped first)
    for _, pattern in _lexicon():
        plain = re.sub(r"\\[a-z]|\[[^]]*\]|\(\?[:<!=]+|[(){}?*+|,]", " ", pattern)
        words.update(w for w in plain.split() if w.isalpha() and len(w) >= 2)
    return frozenset(words)


_GAP = r"(?:[ \t]+|[ \t]*\n[ \t]*)"
_TINH_AFTER = re.compile(_GAP + r"(?:cua" + _GAP + r")?tinh(?![a-z0-9])")


@lru_cache(maxsize=1)
def _province_after() -> tuple[re.Pattern[str], dict[str, str]]:
    """A province name after a gap (folded), and folded name → spelling."""
    keys = sorted(PROVINCES, key=len, reverse=True)
    alternatives = "|".join(r"[\s-]+".join(map(re.escape, k.split())) for k in keys)
    return re.compile(_GAP + r"(" + alternatives + r")(?![a-z0-9])"), PROVINCES


def _province_at(text: str, low: str, pos: int) -> tuple[int, str] | None:
    """(end, spelling) of a capitalized province name right after `pos`."""
    pattern, names = _province_after()
    m = pattern.match(low, pos)
    if not m or not text[m.start(1)].isupper():
        return None
    return m.end(), names[" ".join(re.findall(r"[a-z]+", m.group(1)))]


def _with_place(text: str, low: str, start: int, end: int, body: Body) -> tuple[int, str] | None:
    """(end, canonical name) of a body whose name a place may follow: `Báo Đồng Tháp`, `Đài PT-TH tỉnh`,
    `Hội Nông dân` (→ `... tỉnh`); None when the body needs a place and has none (`báo cáo`, `công an`)."""
    if len(body.name.split()) == 1 and not text[start].isupper():
        return None  # a one-word name (`Báo`) is a body only when capitalized: not `thông báo`
    if _SAME_LEVEL.match(low, end):
        return None  # `Ủy ban MTTQ Việt Nam cùng cấp`: the body of whichever level is in question, no body named
    if _inside_names_province(low, start, end):
        province = _province_at(text, low, end)  # `Tỉnh đoàn Gia Lai`: the name has its `tỉnh` already
        return (province[0] if province else end), body.canonical("tỉnh")
    tinh = _TINH_AFTER.match(low, end)
    if tinh and text[tinh.end() - 4 : tinh.end()].lower() not in ("tỉnh", "tinh"):
        tinh = None  # `tính`, `tình`: another word
    province = _province_at(text, low, tinh.end() if tinh else end)
    if tinh and province:
        return province[0], body.canonical(f"tỉnh {province[1]}")
    if tinh:
        return tinh.end(), body.canonical("tỉnh")
    if province:
        return province[0], body.canonical(province[1])
    level = _LEVEL_AFTER.match(low, end)
    if level and body.place is Place.LOCAL and level.group(1) == "cac cap":
        return None  # `Ủy ban bầu cử các cấp`: the bodies of every level, none in particular
    if level and (len(body.name.split()) > 1 or text[start].isupper()):
        # another level than the province's (`Công an xã`, `Ủy ban MTTQ Việt Nam phường Bắc Cam Ranh`,
        # `... cấp trên`): the level as written, and the place after it when one is named
        place_end = level.end() if level.group(1).startswith("ca") else _capitalized_words_end(text, level.end())
        written = " ".join(text[level.start(1) : place_end].split())
        return place_end, body.canonical(written[:1].lower() + written[1:])
    if body.place is Place.LOCAL:
        return (end, body.canonical()) if _written_as_name(text, start, end) else None
    if body.place is not Place.PROVINCIAL or not _written_as_name(text, start, end):
        return None
    return end, body.canonical()


# `... cùng cấp`, `... cấp tổ chức hội nghị`: a body of whichever level a case concerns, not one the plan names.
_SAME_LEVEL = re.compile(
    r"(?:[ \t]+viet nam)?[ \t]+(?:cung cap(?![a-z])|cap[ \t]+(?!(?:tren|tinh|huyen|xa|co so|trung uong)(?![a-z]))[a-z])"
)
# A level other than the province's after a body's name, and the capitalized place name after it.
_LEVEL_AFTER = re.compile(
    _GAP + r"(thanh pho|thi xa|thi tran|dac khu|xa(?! hoi)|phuong(?! (?:an|thuc|tien|phap|cham))|"
    r"huyen|quan(?! (?:ly|tam|he|diem|trong|doi|su))|cap (?:tren|tinh|huyen|xa|co so)|cac cap)"
    r"(?![a-z0-9])"
)
_WORD_AFTER = re.compile(r"(?:[ \t]+|[ \t]*-[ \t]*)([^\s,;.():]+)")


def _capitalized_words_end(text: str, pos: int) -> int:
    """Where the run of capitalized words (a place's name: `Bắc Cam Ranh`, `Xuân Hương - Đà Lạt`, `3`) right
    after `pos` ends; `pos` when there is none."""
    while (word := _WORD_AFTER.match(text, pos)) and (word.group(1)[0].isupper() or word.group(1)[0].isdigit()):
        pos = word.end()
    return pos


def _inside_names_province(low: str, start: int, end: int) -> bool:
    return bool(re.search(r"(?<![a-z])tinh(?![a-z])", low[start:end]))


def _written_as_name(text: str, start: int, end: int) -> bool:
    """A body named with no place is a proper name: written with a capital (`Hội Nông dân`, `Đoàn thanh
    niên`, `HHDN`), unlike the same words as a common noun (`hội viên hội nông dân`)."""
    return text[start:end][:1].isupper()


@lru_cache(maxsize=1)
def _bare_departments() -> list[tuple[str, re.Pattern[str]]]:
    return [
        (f"Sở {name}", re.compile(r"(?<![a-z0-9])" + patterns[0] + r"(?![a-z0-9])")) for name, patterns in _DEPARTMENTS
    ]


_LIST_GAP = re.compile(r"\s*(?:[,;&]|\s(?:va|cung)(?=\s))?\s*")
_LIST_OPENER = re.compile(r"(?<![a-z])(?:cac\s+)?so\s*:\s*$")


# The field of a ministry or another body (`Bộ Y tế`, `Cục Văn hóa`), not a department named without `Sở`.
_OTHER_HEAD_BEFORE = re.compile(r"(?<![a-z])(?:bo|cuc|tong cuc|chi cuc|vien|truong|hoc vien|trung tam)\s+$")


# `Các Bộ:`, `các Sở:` opening a list of fields, each the name of one ministry or department.
_FIELD_LIST_OPENER = re.compile(r"(?<![a-z])cac\s+(bo|so)\s*:\s*")
_FIELD_GAP = re.compile(r"\s*(?:[,;]|\s(?:va)(?=\s))\s*")


@lru_cache(maxsize=1)
def _field_patterns() -> list[tuple[str, re.Pattern[str]]]:
    return [
        (name, re.compile(r"(?:" + _relax_spaces(p) + r")(?![a-z0-9])"))
        for name, patterns in _DEPARTMENTS
        for p in patterns
    ]


def _opened_list(text: str, low: str) -> list[tuple[int, int, str]]:
    """`Các Bộ: NN&MT, Xây dựng, Công thương, Y tế` → Bộ Nông nghiệp và Môi trường, Bộ Xây dựng, ...: the fields
    after `Các Bộ:` / `các Sở:`, written out or by their initials, each capitalized."""
    found: list[tuple[int, int, str]] = []
    for opener in _FIELD_LIST_OPENER.finditer(low):
        head = "Bộ" if opener.group(1) == "bo" else "Sở"
        pos = opener.end()
        while pos < len(low) and text[pos].isupper():
            best = max(
                ((m.end(), name) for name, pattern in _field_patterns() if (m := pattern.match(low, pos))), default=None
            )
            if best is None:
                break
            found.append((pos, best[0], f"{head} {best[1]}"))
            gap = _FIELD_GAP.match(low, best[0])
            if gap is None or gap.end() == best[0]:
                break
            pos = gap.end()
    return found


def _listed_departments(text: str, low: str, hits: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Departments named without `Sở` in a list that has one with it or opens with `các Sở:` (`Sở Tài
    nguyên và Môi trường, Công thương, Kế hoạch và Đầu tư`; `các Sở: Tài chính, Nội vụ`): each written out
    and capitalized, joined to the list by a comma, `;` or `và` only."""
    bare = [
        (m.start(), m.end(), name)
        for name, pattern in _bare_departments()
        for m in pattern.finditer(low)
        if text[m.start()].isupper()
        and not any(a <= m.start() < b for a, b, _ in hits)
        and not _OTHER_HEAD_BEFORE.search(low, 0, m.start())
    ]
    if not bare:
        return []
    anchors = [(a, b) for a, b, name in hits if name.startswith("Sở ")]
    found: list[tuple[int, int, str]] = []
    changed = True
    while changed:
        changed = False
        for hit in bare:
            if hit in found:
                continue
            start, end = hit[0], hit[1]
            joined = _LIST_OPENER.search(low[max(0, start - 12) : start]) or any(
                (b <= start and _LIST_GAP.fullmatch(low[b:start])) or (end <= a and _LIST_GAP.fullmatch(low[end:a]))
                for a, b in anchors
            )
            if joined:
                found.append(hit)
                anchors.append((start, end))
                changed = True
    return found


# An organ of a body written before the body's name (`Thường trực HĐND xã`, `Ban Thường trực Ủy ban MTTQ`,
# `Văn phòng Cơ quan Ủy ban MTTQ`): the organ is the agency, named with its body.
_ORGAN_BEFORE = re.compile(r"(?<![a-z])(?:ban thuong truc|thuong truc|van phong co quan|co quan)[ \t]+$")


def _with_organ(text: str, low: str, hit: tuple[int, int, str]) -> tuple[int, int, str]:
    start, end, name = hit
    organ = _ORGAN_BEFORE.search(low, max(0, start - 25), start)
    if organ is None or not text[organ.start()].isupper() or name.startswith(("Các ", "Văn phòng", "Ban ")):
        return hit
    return organ.start(), end, f"{' '.join(text[organ.start() : start].split())} {name}"


# A lexicon entry that is only the head of a longer proper name (`Ban Chỉ đạo Phòng thủ dân sự quốc gia`): the
# capitalized word after it opens the rest of the name, so the name is read whole as written elsewhere.
_BARE_HEADS = {"Ban Chỉ đạo cấp tỉnh"}
_CAPITALIZED_AFTER = re.compile(r"[ \t]+[A-ZĐÀ-Ỹ][a-zà-ỹđ]")


def _named_after(text: str, hit: tuple[int, int, str]) -> bool:
    _, end, name = hit
    return name in _BARE_HEADS and bool(_CAPITALIZED_AFTER.match(text, end))


# A national body's name with the country after it (`Ngân hàng Nhà nước Việt Nam`, `Thông tấn xã Việt Nam`).
_COUNTRY_AFTER = re.compile(r"[ \t]+Việt Nam(?![\wÀ-ỹ])")


def _with_country(text: str, hit: tuple[int, int, str]) -> tuple[int, int, str]:
    start, end, name = hit
    country = _COUNTRY_AFTER.match(text, end)
    if country is None or name.endswith("Việt Nam") or name.startswith(("Sở ", "Ủy ban nhân dân", "Các ")):
        return hit
    return start, country.end(), f"{name} Việt Nam"


# `có liên quan` after a collective: a hedge, not part of its name.
_GENERIC_TAIL = re.compile(r",?\s+(?:có\s+|co\s+)?(?:liên quan|lien quan)$", re.I)


def find_agencies(text: str, fragments: bool = False) -> list[Mention]:
    """Every lexicon agency in `text`, leftmost-longest, non-overlapping, in order.

    `fragments` is for OCR'd table cells: it also accepts the opening words of a department's name (text
    cut by cell wraps), OCR-garbled department names after a head read as "Sở", and generic groups cut
    before their last words."""
    low = folded(text).lower()
    if fragments:
        low = _OCR_DIGIT.sub(lambda m: _DIGIT_LETTER[m.group(0)], low)
    hits: list[tuple[int, int, str]] = []
    for entry, pattern, words in _matchers():
        if words and not all(w in low for w in words):
            continue
        for m in pattern.finditer(low):
            if entry.name == AS_WRITTEN:
                hits.append((m.start(), m.end(), written_name(text[m.start() : m.end()])))
            elif entry.name == COUNCIL:
                hits.append((m.start(), m.end(), written_name(text[m.start() : m.end()], "Hội đồng nhân dân")))
            elif entry.name == COLLECTIVE:
                written = _GENERIC_TAIL.sub("", " ".join(text[m.start() : m.end()].split()))
                written = re.sub(r"\s(?:của|cua)\s(?=\S+(?:\s\S+)?$)", " ", written)  # `... của tỉnh` → `... tỉnh`
                # `Các sở, ban, ngành và địa phương`: the list written with its commas, one name however joined
                written = re.sub(r",?\s+(?:và|va)\s+(?=(?:địa phương|dia phuong)$)", ", ", written)
                written = _house_spelling(written)
                hits.append((m.start(), m.end(), written[:1].upper() + written[1:]))
            elif entry.body is None:
                hits.append((m.start(), m.end(), entry.name))
            elif placed := _with_place(text, low, m.start(), m.end(), entry.body):
                end, name = placed
                written = text[m.start() : m.end()]
                if ", " in entry.body.name and "," not in written and re.search(r"\w\s*-\s*\w", written):
                    name = name.replace(", ", " - ", 1)  # `Báo và Phát thanh - Truyền hình`: the joiner as written
                hits.append((m.start(), end, name))
    for name, pattern in _fragment_matchers() + _GROUP_FRAGMENTS if fragments else []:
        hits.extend((m.start(), m.end(), name) for m in pattern.finditer(low))
    if fragments:
        hits.extend(_ocr_departments(low))
    hits.extend(_opened_list(text, low))
    hits.extend(_listed_departments(text, low, hits))
    hits = [_with_organ(text, low, hit) for hit in hits if not _named_after(text, hit)]
    hits = [_with_country(text, hit) for hit in hits]
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    places = _named_localities(text)
    out: list[Mention] = list(places)
    last_end = -1
    for start, end, name in hits:
        if start < last_end or any(p.start <= start < p.end for p in places):
            continue
        out.append(Mention(start, end, name, text[start:end]))
        last_end = end
    out.sort(key=lambda m: m.start)
    return _shared_level(text, _joined(text, out))


# One local level ending a name (`... xã`), not a set of levels (`các xã, phường, đặc khu`).
_LOCAL_LEVEL = re.compile(r"(?<!,)(?<!\bcác)(?<!\bvà)\s(xã|phường|thị trấn|đặc khu|huyện|quận|thị xã)$")


def _shared_level(text: str, mentions: list[Mention]) -> list[Mention]:
    """A level written once after two bodies joined by `và` (`Ủy ban MTTQ Việt Nam và các tổ chức chính trị - xã
    hội xã`) is the first body's level too: the body named without one is not the province's then."""
    out = list(mentions)
    for k in range(len(out) - 1):
        first, second = out[k], out[k + 1]
        level = _LOCAL_LEVEL.search(second.name)
        if (
            level
            and _LOCAL_LEVEL.search(" " + " ".join(second.text.split()))
            and re.fullmatch(r"\s+và\s+", text[first.end : second.start])
            and first.name.endswith(" tỉnh")
            and not first.name.startswith("Các ")
            and not re.search(r"(?i)\btỉnh\b", first.text)
        ):
            out[k] = Mention(first.start, first.end, f"{first.name[: -len('tỉnh')]}{level.group(1)}", first.text)
    return out


# Units of a body named through their relation to it (`Các cơ quan trực thuộc Bộ X`, `các đơn vị thuộc Sở Y`,
# `Các tổ chức thành viên của Ủy ban MTTQ ...`): the units are the agency, named with the body.
_UNITS_BEFORE = re.compile(
    r"(?<![\wÀ-ỹ])(?i:các)\s+(?i:cơ quan|đơn vị|tổ chức|khoa|phòng|trường|doanh nghiệp|cơ sở|"
    r"ban|hội)(?:\s+[^\s,;.:()|/]+){0,3}?\s+(?:trực thuộc|thuộc|của|trong)\s+$"
)
_SLASH = re.compile(r"[ \t]*/[ \t]*")
# The levels a body named by either of two names is of (`... tỉnh, thành phố trực thuộc Trung ương`).
_LEVELS_AFTER = re.compile(
    r"\s+(?:tỉnh|thành phố)(?:,?\s+(?:tỉnh|thành phố))*(?:\s+trực thuộc Trung ương)?"
    r"(?=[\s,;.:|]|$)"
)


def _joined(text: str, mentions: list[Mention]) -> list[Mention]:
    """Mentions that name one body together: a body by either of two names (`Sở Văn hóa, Thể thao và Du lịch/Sở
    Văn hóa và Thể thao tỉnh, thành phố trực thuộc Trung ương`) and units named through a body (`Các cơ quan trực
    thuộc Bộ X`), each kept as written, its names canonical."""
    out: list[Mention] = []
    for m in mentions:
        if out and (slash := _SLASH.fullmatch(text, out[-1].end, m.start)) is not None and slash.group(0):
            first = out.pop()
            end, name = m.end, f"{first.name}/{m.name}"
            if levels := _LEVELS_AFTER.match(text, end):
                end, name = levels.end(), name + " " + " ".join(levels.group(0).split())
            m = Mention(first.start, end, name, text[first.start : end])
        elif units := _UNITS_BEFORE.search(text, max(out[-1].end if out else 0, m.start - 80), m.start):
            written = " ".join(text[units.start() : m.start].split())
            body = m.name
            if body.startswith("Ủy ban ") and not folded(m.text).lower().startswith(("uy ban", "ub")):
                body = body.removeprefix("Ủy ban ")  # `tổ chức thành viên của MTTQ`: of the Front, not its committee
            m = Mention(units.start(), m.end, f"{written[:1].upper()}{written[1:]} {body}", text[units.start() : m.end])
        out.append(m)
        if (level := _BY_LEVEL.match(m.name)) is not None:
            # `Ủy ban nhân dân cấp tỉnh, cấp xã`: the same body at another level, written without its head
            pos = m.end
            while (more := _MORE_LEVEL.match(text, pos)) is not None:
                out.append(
                    Mention(
                        more.start(1),
                        more.end(),
                        f"{level.group(1)} cấp {more.group(2)}",
                        text[more.start(1) : more.end()],
                    )
                )
                pos = more.end()
    return out


_BY_LEVEL = re.compile(r"^(.+) cấp (?:tỉnh|huyện|xã)$")
_MORE_LEVEL = re.compile(r"[ \t]*(?:,|và)[ \t]*((?i:cấp))[ \t]+(tỉnh|huyện|xã)(?![\wÀ-ỹ])")


# `UBND các huyện Điện Biên, Mường Ảng` names one committee per place.
_PLACE_WORD = r"(?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*|\d{1,2})"
_PLACE_NAME = _PLACE_WORD + r"(?:(?:\s+|\s*-\s*)" + _PLACE_WORD + r")*"
_PLACE_LIST = re.compile(
    r"(?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND)\s+(?:các\s+)?((?i:huyện|thị xã|thành phố|xã|phường))\s+"
    r"((?=[A-ZĐÀ-Ỹ\d])" + _PLACE_NAME + r"(?:\s*(?:,|và)\s*(?!(?:Ủy|Uỷ|UBND|Sở|Ban|Hội|Trung|Công|"
    r"Văn|Phòng)\b)(?=[A-ZĐÀ-Ỹ])" + _PLACE_NAME + r")*)"
)


def _named_localities(text: str) -> list[Mention]:
    found: list[Mention] = []
    for m in _PLACE_LIST.finditer(text):
        kind = m.group(1).lower()
        places: list[tuple[str, int]] = []
        for piece in re.finditer(r"[^,]+?(?=\s*,|\s+và\s+|$)", m.group(2)):
            place = piece.group(0).strip()
            if place.startswith("và "):
                place = place[3:]
            if not place or _ORG_HEAD.match(place):
                break  # the list of places ends where the next agency begins
            places.append((place, m.start(2) + piece.end()))
        for place, _ in places:
            found.append(Mention(m.start(), places[-1][1], f"Ủy ban nhân dân {kind} {place}", m.group(0)))
    return found


# Heads of organisation names, for names outside the lexicon (table cells, agency headings).
ORG_HEAD = _ORG_HEAD = re.compile(
    # a head, not the same word opening a verb or a common noun (`Ban hành`, `Báo cáo`, `Hội nghị`, `Bộ tiêu
    # chí`, `Cơ sở dữ liệu`, `Trường hợp`, `Phòng chống`)
    r"^(?:Sở|Ban(?! hành)|Hội(?! nghị| thảo| thi| chợ| viên| nhập| đồng\s+(?:thi|chấm|xét))|Hiệp hội|Trung tâm|"
    r"Trường(?! hợp)|Phân hiệu|Viện|Cục|Chi cục|Đài|Báo(?! cáo| chí)|Công ty|Tổng công ty|Quỹ|"
    r"Liên hiệp|Liên minh|Liên đoàn|Bộ(?! trưởng| tiêu chí| chỉ số| phận| máy| công cụ| dữ liệu| hồ sơ| thủ tục| quy)|"
    r"Ngân hàng|Văn phòng|Tỉnh đoàn|Công an|Kho bạc|Bảo hiểm|Bệnh viện|"
    r"Đại học|Học viện|Ủy ban|Uỷ ban|UBND|Hội đồng|Đoàn(?! kết| viên)|Tổ công tác|Đảng ủy|Đảng uỷ|Tỉnh ủy|Tỉnh uỷ|"
    r"Chi bộ|Đảng bộ|Đảng đoàn|Ban cán sự|"
    r"Huyện ủy|Thành ủy|Bộ Chỉ huy|Bộ đội|Tập đoàn|Tạp chí|Nhà xuất bản|Cơ quan|"
    r"Cơ sở(?! dữ liệu| vật chất| hạ tầng| pháp lý| để| khoa học)|Thanh tra|Chi nhánh|Cảng vụ|Trạm|Hạt|"
    r"Khoa(?! học)(?=\s+[A-ZĐÀ-Ỹ])|Cổng (?i:thông tin)|Thông tấn xã|"
    r"Phòng(?! ngừa| chống| thủ| cháy| họp| làm việc)|Vườn quốc gia|"
    r"Các (?i:cơ quan|đơn vị|tổ chức|trường|viện|hội|doanh nghiệp|ngân hàng|bộ|sở|cơ sở|hợp tác xã|"
    # a party's bodies (`Các cấp ủy`, `Các chi, đảng bộ`: chi bộ and đảng bộ)
    r"cấp ủy|cấp uỷ|đảng ủy|đảng uỷ|chi bộ|đảng bộ|chi, đảng bộ))\b"
)


# Abbreviations written inside a name the lexicon does not hold (`Trung tâm Hỗ trợ khởi nghiệp ĐMST`).
_INNER_ABBREVIATIONS = {
    "ĐMST": "đổi mới sáng tạo",
    "KH&CN": "khoa học và công nghệ",
    "CNTT": "công nghệ thông tin",
    "KCN": "khu công nghiệp",
    "KKT": "khu kinh tế",
    "CĐS": "chuyển đổi số",
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
}
_INNER_ABBREVIATION = re.compile(r"(?<![\w&])(" + "|".join(map(re.escape, _INNER_ABBREVIATIONS)) + r")(?![\w&])")


# Verbs of a duty, written after a subject with no comma (`Trung tâm Quản lý chất lượng thông báo kế hoạch`):
# where a name read as written ends. Two-syllable verbs only, in lower case: a name's own words are nouns.
_DUTY_AFTER_NAME = re.compile(
    r"\s+(?:thông báo|tổng hợp|chuẩn bị|thực hiện|triển khai|phối hợp|chủ trì|tham mưu|"
    r"báo cáo|cung cấp|hướng dẫn|theo dõi|rà soát|ban hành|phổ biến|đôn đốc|chịu trách nhiệm|"
    r"có trách nhiệm|chủ động|tiếp nhận|xây dựng kế hoạch)(?=\s|$)"
)


def _before_duty(name: str) -> str:
    """`Trung tâm Quản lý chất lượng thông báo kế hoạch, ...` → `Trung tâm Quản lý chất lượng`: the words
    from a duty verb on are the duty, not the name (kept whole when the verb would leave under two words)."""
    verb = _DUTY_AFTER_NAME.search(name)
    if (
        verb is None or len(name[: verb.start()].split()) < 2 or name[:4].lower() == "các "
    ):  # `Các tổ chức cung cấp ...`
        return name
    return name[: verb.start()].rstrip(" ,;")


def _house_spelling(name: str) -> str:
    """One spelling of a name's joiners: a dash spaced on one side only (`chính trị -xã hội`) spaced on both, and
    the Party's term for its committees' staff bodies with its comma where it belongs, however the document put
    it (`cơ quan, tham mưu giúp việc`, `cơ quan tham mưu giúp việc` → `cơ quan tham mưu, giúp việc`)."""
    name = re.sub(r"(?<=\w)\s+-(?=\w)|(?<=\w)-\s+(?=\w)|(?<=[a-zà-ỹđ])-(?=[a-zà-ỹđ])", " - ", name)
    return re.sub(r"\b(cơ quan),?\s+(tham mưu),?\s+(giúp việc)\b", r"\1 \2, \3", name, flags=re.I)


def _tidy(name: str) -> str:
    name = unicodedata.normalize("NFC", " ".join(name.split())).strip(" ,;.:-–")
    name = _house_spelling(name)
    name = re.sub(r"(?<=\w)\.\s+(?=[a-zà-ỹđ])", " ", name)  # `Quản lý. chất lượng`: OCR's stray dot
    name = re.sub(r"\s*/\s*", "/", name)
    name = _before_duty(name)
    name = _INNER_ABBREVIATION.sub(lambda m: _INNER_ABBREVIATIONS[m.group(1)], name)
    return name[:1].upper() + name[1:] if name else name


def canonical_agency(name: str) -> str:
    """The canonical full name of one agency; a name outside the lexicon comes back tidied."""
    cleaned = _tidy(name)
    mentions = find_agencies(cleaned)
    if mentions:
        first = mentions[0]
        rest = (cleaned[: first.start] + cleaned[first.end :]).strip(" ,;.:-–")
        # The whole name is one lexicon agency (allowing a trailing "của tỉnh"/"có liên quan").
        if not rest or folded(rest).lower() in {"tinh", "cua tinh", "co lien quan", "lien quan"}:
            return first.name
    return cleaned


def for_city(name: str, province: str | None) -> str:
    """In the plan of a centrally-run city (`Cần Thơ`, `Hà Nội`), a body the lexicon names after the
    province (`Văn phòng Ủy ban nhân dân tỉnh`) is the city's: `... thành phố`."""
    if province not in CITIES:
        return name
    return re.sub(r"(?<=\s)(?<!cấp )tỉnh$", "thành phố", name)


# Administrative levels whose name a place follows (`tỉnh Lâm Đồng`, `xã Lương Minh`), longest first.
_LEVELS = ("thành phố", "đặc khu", "thị trấn", "thị xã", "tỉnh", "huyện", "quận", "xã", "phường")
_LEVEL = "|".join(_LEVELS)
_PROPER_WORD = r"(?:[^\W_][^\s,;.()]*)"
# The level and place an issuer is named after (`Ủy ban nhân dân tỉnh Đắk Lắk`, `... phường Bắc Cam Ranh`).
_ISSUER_PLACE = re.compile(
    r"(?<!\w)(?i:(" + _LEVEL + r"))\s+(" + _PROPER_WORD + r"(?:(?:\s+|\s*-\s*)" + _PROPER_WORD + r")*)"
)
# A body named by its level only: the level word ends the name, not after `cấp`, `các`, a comma or `và`.
_ENDS_WITH_LEVEL = re.compile(r"(?<!cấp)(?<!các)(?<!,)(?<!và)(?<!địa bàn)\s(" + _LEVEL + r")$")


# A line of the header naming the issuing body's level and place in capitals (`ĐẢNG ỦY XÃ CÔNG HẢI`).
_HEADER_LEVEL = re.compile(
    r"^[ \t]*[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ \t]*?\b(XÃ|PHƯỜNG|THỊ TRẤN|ĐẶC KHU|HUYỆN|QUẬN|THỊ XÃ)[ \t]+"
    r"([A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ]*(?:[ \t]+[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ]*){0,3})[ \t]*$",
    re.M,
)
_DOC_TYPE = re.compile(r"^[ \t]*(?:KẾ HOẠCH|CHƯƠNG TRÌNH|ĐỀ ÁN)\b", re.M)


def header_places(text: str) -> dict[str, str]:
    """The level and place of the issuing body as its header prints them in capitals (`ĐẢNG ỦY XÃ CÔNG HẢI` →
    {"xã": "Công Hải"}), spelled as the document writes the place elsewhere (`Công Hải, ngày ...`)."""
    doc_type = _DOC_TYPE.search(text, 0, 3000)
    header = text[: doc_type.start()] if doc_type else ""
    places: dict[str, str] = {}
    for m in _HEADER_LEVEL.finditer(header):
        capitals = " ".join(m.group(2).split())
        pattern = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, capitals.split())) + r"(?!\w)", re.I)
        written = next((w.group(0) for w in pattern.finditer(text) if not w.group(0).isupper()), None)
        places.setdefault(m.group(1).lower(), " ".join(written.split()) if written else capitals.title())
    return places


def issuer_places(issuer: str | None, province: str | None, text: str = "") -> dict[str, str]:
    """The place of each administrative level the plan is issued at, from its metadata: the province (or
    centrally-run city) and the levels the issuer's name carries (`Ban Thường trực Ủy ban MTTQ Việt Nam xã
    Lương Minh` → {"xã": "Lương Minh"}), else the header of the document `text` (`ĐẢNG ỦY XÃ CÔNG HẢI`). Read
    from the document, never from a list of bodies."""
    places: dict[str, str] = {}
    if province:
        places["thành phố" if province in CITIES else "tỉnh"] = province
    for m in _ISSUER_PLACE.finditer(issuer or ""):
        level, words = m.group(1).lower(), re.split(r"(\s*-\s*|\s+)", m.group(2))
        kept = [words[0]] if words[0][:1].isupper() or words[0][:1].isdigit() else []
        for joiner, word in zip(words[1::2], words[2::2], strict=True):
            if not (kept and (word[:1].isupper() or word[:1].isdigit())):
                break
            kept += [joiner, word]
        place = "".join(kept)
        if not place:
            continue
        if level in ("tỉnh", "thành phố") and province and folded(place).lower() != folded(province).lower():
            continue  # a city inside the province (`thành phố Thái Nguyên`) is not the issuing level
        places.setdefault(level, place)
    for level, place in (header_places(text) if text else {}).items():
        places.setdefault(level, place)
    return places


# Units named through their body (`Các đơn vị thuộc Công an tỉnh`): the body's level takes its place.
_UNITS_OF = re.compile(r"\s(?:trực thuộc|thuộc|của|trong)\s+[A-ZĐÀ-Ỹ]")


def with_place(name: str, places: dict[str, str]) -> str:
    """A body named by its level takes the issuer's place at that level (`Công an tỉnh` → `Công an tỉnh Lâm
    Đồng`, `Ủy ban nhân dân xã` → `Ủy ban nhân dân xã Lương Minh`); collectives (`Các sở, ban, ngành tỉnh`),
    sets of levels (`Ủy ban nhân dân xã, phường`, `... cấp tỉnh`) and names with a place keep their wording."""
    if not name or (name[:4].lower() == "các " and not _UNITS_OF.search(name)) or not places:
        return name
    m = _ENDS_WITH_LEVEL.search(name)
    if m is None or m.group(1) not in places:
        return name
    return f"{name} {places[m.group(1)]}"


# A body's leadership stands for the body (`Lãnh đạo Sở Công Thương` → `Sở Công Thương`).
_LEADERSHIP = re.compile(
    r"(?:(?<=^)|(?<=[,;]\s)|(?<=\svà\s))(?:Lãnh đạo|lãnh đạo|Thủ trưởng|thủ trưởng|Người đứng đầu|"
    r"người đứng đầu)\s+(?=[A-ZĐÀ-Ỹ]|các\s)"
)


def split_agencies(text: str) -> list[str]:
    """The canonical names listed in a cell or phrase (`Sở KH&CN, Sở Tài chính và UBND cấp xã`)."""
    text = unicodedata.normalize("NFC", " ".join((text or "").split()))
    text = _LEADERSHIP.sub("", text)
    names: list[str] = []
    mentions = find_agencies(text)
    pos = 0
    for piece_start, piece_end, name in [(m.start, m.end, m.name) for m in mentions] + [(len(text), len(text), "")]:
        gap = text[pos:piece_start]
        names.extend(_house_spelling(n) for n in _unknown_names(gap))
        if name:
            names.append(name)
        pos = max(pos, piece_end)
    return list(dict.fromkeys(names))


# An abbreviation inside a name (`Trung tâm QLCL`, `Ban Chỉ huy PTDS các cấp`): capitals, `&` for `và`.
_ABBREVIATION = re.compile(r"(?<![\w&])([A-ZĐ][A-ZĐ&]{2,})(?![\w&])")
_WORD = re.compile(r"[^\W\d_]+")
_BETWEEN_WORDS = re.compile(r"[\s,\-–]*")


class Spellings:
    """The written-out words a document abbreviates by their initials (`QLCL` → `Quản lý chất lượng` where the
    document also writes the name out): read from the document itself, the most frequent spelling first."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        self._initials = "".join(folded(text[a]).lower() for a, _ in self._words)
        self._cache: dict[str, str | None] = {}

    def spelled(self, abbreviation: str) -> str | None:
        if abbreviation not in self._cache:
            self._cache[abbreviation] = self._find(abbreviation)
        return self._cache[abbreviation]

    def _find(self, abbreviation: str) -> str | None:
        key = folded(abbreviation).lower().replace("&", "v")
        counts: dict[str, int] = {}
        i = self._initials.find(key)
        while i >= 0:
            span = self._words[i : i + len(key)]
            if all(_BETWEEN_WORDS.fullmatch(self._text[a_end:b_start]) for (_, a_end), (b_start, _) in pairwise(span)):
                written = " ".join(self._text[span[0][0] : span[-1][1]].split())
                if written[:1].isalpha() and len(written.split()) == len(key):
                    counts[written] = counts.get(written, 0) + 1
            i = self._initials.find(key, i + 1)
        return max(counts, key=lambda w: counts[w]) if counts else None

    def name(self, name: str) -> str:
        """`name` with each abbreviation the document spells out written out (`Trung tâm Quản lý chất lượng`)."""
        return _ABBREVIATION.sub(lambda m: self.spelled(m.group(1)) or m.group(1), name)


# Nouns of generic bodies: a lower-case piece that opens with one is a body of its own, not part of a name.
_GENERIC_OPENING = re.compile(
    r"^(?:các|cơ quan|cơ sở|tổ chức|đơn vị|địa phương|cá nhân|bộ|ngành|sở|ban|doanh nghiệp|"
    r"đoàn thể|hội|người|chủ)\b"
)
# Where a name written in a cell ends: a function verb or preposition after it (`Cơ sở khám bệnh trình cấp có
# thẩm quyền`, `Sở Y tế đối với ...`, `UBND cấp tỉnh ở địa phương`).
_NAME_END = re.compile(
    r"\s+(?:trình|chủ trì|phối hợp|thực hiện|đối với|theo|về|để|tham mưu|báo cáo|ở địa phương|"
    r"có trách nhiệm|chịu trách nhiệm)\b"
)
# A committee named by its field (`Ủy ban Quốc gia về ...`, `Ban Chỉ đạo ... về ...`, `Hội đồng ... về ...`): there
# `về` is part of the name, not where it ends.
_COMMITTEE_ABOUT = re.compile(r"(?:Ủy ban|Uỷ ban|Hội đồng|Ban Chỉ đạo|Ban chỉ đạo|Tổ công tác)(?:\s+\S+){1,3}$")


def _name_end(part: str) -> str:
    """`part` up to the function verb or preposition that ends the name written in it: not a verb the name's
    head takes as its own word (`Ban xây dựng Đảng`), nor the `về` of a committee named by its field."""
    for end in _NAME_END.finditer(part):
        if end.group(0).strip() == "về" and _COMMITTEE_ABOUT.search(part, 0, end.start()):
            continue
        if head_alone(part[: end.start()]):
            continue
        return part[: end.start()]
    return part


_GENERIC_ONLY = re.compile(r"^Các (?i:cơ quan|đơn vị|tổ chức|sở|ban|ngành|bộ|cấp ủy|cấp uỷ|chi bộ|đảng bộ)$")


def head_alone(words: str) -> bool:
    """Nothing but the head of an organisation name (`Ban`, `Các cơ quan`, `Các`): the words after it are its
    name, even a word that is also a verb (`Ban xây dựng Đảng`, `Các cơ quan tham mưu ...`, `Các tổ chức Đảng`)."""
    words = " ".join(words.split()).strip(" ,;")
    head = _ORG_HEAD.match(words[:1].upper() + words[1:])
    return words.lower() == "các" or bool(head and head.end() == len(words))


_OPENER = re.compile(r"^\s*(?i:các)\s+(?i:bộ|sở|cơ quan|đơn vị)(?:,?\s+(?i:ngành|ban))*\s*:\s*$")


def _unknown_names(gap: str) -> list[str]:
    """Organisation names outside the lexicon in a stretch of a cell (split on `,`, `;`, ` và `). A piece in
    lower case after a name continues it (`Trung tâm Xúc tiến đầu tư, thương mại và du lịch tỉnh`) unless it
    opens with the noun of another body (`cơ quan, tổ chức có liên quan`)."""
    out: list[str] = []
    previous_named = collective = False
    joiner = ", "
    # (`chi, đảng bộ` is one noun: chi bộ and đảng bộ)
    for part in re.split(r"(?<!\bchi)\s*([,;])\s*|\s+((?i:và))\s+(?=[A-ZĐÀ-Ỹ0-9]|các\b|hệ thống\s)", gap):
        if part is None or part.lower() in {",", ";", "và"}:
            joiner = {"và": " và ", ";": "; "}.get(part.lower() if part else "", ", ") if part else joiner
            continue
        if joiner == " và " and out and part.startswith("hệ thống "):
            out.append(_tidy(part))  # `Cổng X và hệ thống truyền thanh cơ sở`: the stations are a body of their own
            previous_named, collective = True, False
            continue
        if _OPENER.match(part):
            continue  # `Các Bộ:` opens a list of bodies; it is not one
        part = _name_end(re.sub(r"\s*\([^)]*$", "", part))  # a remark cut off by the cell
        lower = part.strip()[:1].islower()
        untidy = part
        part = _tidy(re.sub(r"^\s*(?:và|cùng|với)\s+|\s+(?:(?i:và)|cùng|với)\s*$", "", part))
        if _DUTY_AFTER_NAME.search(untidy) and part[:4].lower() != "các " and _ORG_HEAD.match(part):
            out.append(part)  # the name ends where its duty begins, and the list with it
            break
        head = _ORG_HEAD.match(part)
        if (
            part
            and previous_named
            and out
            and not head
            and untidy.strip()[:1].isupper()
            and len(part.split()) <= 6
            and not _GENERIC_OPENING.match(part[:1].lower() + part[1:])
        ):
            # `Viện Văn hóa, Nghệ thuật, Thể thao và Du lịch Việt Nam`: capitalized parts of one proper name
            out[-1] = f"{out[-1]}{joiner}{part}"
            continue
        if (
            previous_named
            and lower
            and out
            and 2 <= len(part.split()) <= 10
            and (_GENERIC_ONLY.match(out[-1]) or collective)
            and _GENERIC_OPENING.match(part.lower())
        ):
            # `Các cơ quan, đơn vị trực tiếp sử dụng ngân sách`, `Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính
            # phủ`: generic nouns listed under one `Các` are one collective
            out[-1] = f"{out[-1]}, {part[:1].lower()}{part[1:]}"
            collective = True
        elif len(part) > 3 and head and (head.end() < len(part) or part.startswith("Các ")):
            out.append(part)
            previous_named, collective = True, False
        elif (
            previous_named
            and lower
            and out
            and 2 <= len(part.split()) <= 8
            and not _GENERIC_OPENING.match(part[:1].lower() + part[1:])
        ):
            out[-1] = f"{out[-1]}, {part[:1].lower()}{part[1:]}"
        else:
            previous_named = False
    return out
