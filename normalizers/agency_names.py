"""The bodies a provincial plan assigns work to, and the spellings derived from their names.

Abbreviations are not listed one by one: Vietnamese administrative writing abbreviates a name by the
initials of its syllables, `&` standing for "và" (`Khoa học và Công nghệ` → `KH&CN`, `Lao động - Thương
binh và Xã hội` → `LĐ-TB&XH`, `Văn hóa, Thể thao và Du lịch` → `VHTT&DL`, `Ủy ban nhân dân` → `UBND`).
`initials_pattern` derives that form from a name, `name_pattern` the written-out name with any of the
joiners writers use (`và`, `&`, `,`, `-`). Everything here is over folded text (no diacritics, lower case,
`đ` → `d`), the form `normalizers.agencies` matches on.

- `DEPARTMENTS`: the departments (`Sở ...`) of a provincial People's Committee, before and after the
  2025 merger.
- `BODIES`: other provincial bodies, each with how a place may follow its name (`Báo Đồng Tháp`).
- `department_patterns(name)`, `body_patterns(body)`: every folded regex that spells the name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum


class Place(Enum):
    """What may follow a body's name: the province is part of some names (`Báo Gia Lai`)."""

    NONE = "none"  # a national or unique body: nothing is looked for
    PROVINCIAL = "provincial"  # `tỉnh` or a province name may follow; `tỉnh` is added when none does
    REQUIRED = "required"  # the name is one only with `tỉnh` or a province after it (`Công an tỉnh`)
    LOCAL = "local"  # a body of any level: the level (and place) after it when written, nothing added when none


# Usual ones first: an abbreviation two names share (`NV`: Nội vụ, Ngoại vụ) goes to the first.
DEPARTMENTS: tuple[str, ...] = (
    "Khoa học và Công nghệ",
    "Kế hoạch và Đầu tư",
    "Tài chính",
    "Nội vụ",
    "Tư pháp",
    "Công Thương",
    "Giáo dục và Đào tạo",
    "Y tế",
    "Xây dựng",
    "Nông nghiệp và Phát triển nông thôn",
    "Nông nghiệp và Môi trường",
    "Tài nguyên và Môi trường",
    "Thông tin và Truyền thông",
    "Văn hóa, Thể thao và Du lịch",
    "Văn hóa và Thể thao",
    "Lao động - Thương binh và Xã hội",
    "Giao thông vận tải - Xây dựng",
    "Giao thông vận tải",
    "Ngoại vụ",
    "Du lịch",
    "Dân tộc và Tôn giáo",
    "Quy hoạch - Kiến trúc",
)
# Spellings neither the written-out name nor its initials give (`NgV`: Ngoại vụ, whose `NV` is Nội vụ's).
_DEPARTMENT_VARIANTS: dict[str, tuple[str, ...]] = {"Ngoại vụ": ("ngv",)}


@dataclass(frozen=True, slots=True)
class Body:
    name: str  # canonical, without the place: "Đài Phát thanh và Truyền hình"
    head: int  # words naming the kind of body ("Đài" 1, "Ban Quản lý" 3): kept whole
    place: Place = Place.PROVINCIAL
    variants: tuple[str, ...] = ()  # folded regexes for spellings the derivation does not reach

    def canonical(self, place: str | None = None) -> str:
        """The full name with `place` (`tỉnh`, `Đồng Tháp`), or with `tỉnh` when a provincial body has none."""
        if place:
            return f"{self.name} {place}"
        return f"{self.name} tỉnh" if self.place not in (Place.NONE, Place.LOCAL) else self.name


BODIES: tuple[Body, ...] = (
    Body("Văn phòng Ủy ban nhân dân", 2),
    Body(
        "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân",
        2,
        variants=(r"van phong doan (?:dbqh|dai bieu quoc hoi) va (?:hoi dong nhan dan|hdnd)",),
    ),
    Body("Thanh tra", 2, Place.REQUIRED),
    Body("Công an", 2, Place.REQUIRED),
    Body("Bộ Chỉ huy Quân sự", 1, variants=(r"bchqs",)),
    Body("Ban Quản lý Khu kinh tế", 3, variants=(r"ban quan ly cac khu kinh te",)),
    Body("Ban Quản lý các khu công nghiệp", 3, variants=(r"(?:ban quan ly|bql) (?:cac )?(?:khu cong nghiep|kcn)",)),
    Body("Ban Dân tộc", 1, Place.REQUIRED),
    Body("Báo và Phát thanh, Truyền hình", 1, variants=(r"bao va pt,?\s*th",)),
    Body("Đài Phát thanh và Truyền hình", 1, variants=(r"dai truyen hinh,? dai phat thanh",)),
    Body("Báo", 1, Place.REQUIRED),
    Body("Hội Liên hiệp Phụ nữ", 1, variants=(r"hoi phu nu",)),
    Body(
        "Đoàn Thanh niên Cộng sản Hồ Chí Minh",
        1,
        variants=(r"doan thanh nien", r"doan tn(?:\s*cs)?(?:\s*hcm)?", r"tinh doan"),
    ),
    Body("Hội Nông dân", 1),
    Body("Hội Cựu chiến binh", 1),
    Body("Liên đoàn Lao động", 2),
    Body("Hiệp hội Doanh nghiệp", 2),
    Body("Hội Doanh nghiệp trẻ", 1),
    Body("Hiệp hội Du lịch", 2),
    Body("Liên minh Hợp tác xã", 2),
    Body("Liên hiệp các Hội Khoa học và Kỹ thuật", 4),
    Body(
        "Ủy ban Mặt trận Tổ quốc Việt Nam",
        2,
        variants=(r"uy ban mat tran to quoc", r"(?:uy ban |ub)?mttq(?:\s*vn|\s+viet nam)?"),
    ),
    # the bodies that run an election at each level (`Ủy ban bầu cử xã`, `Ban bầu cử`, `Tổ bầu cử`)
    Body("Ủy ban bầu cử", 2, Place.LOCAL),
    Body("Ban bầu cử", 1, Place.LOCAL),
    Body("Tổ bầu cử", 1, Place.LOCAL),
    Body("Hội đồng Tư vấn khoa học và công nghệ", 3),
    Body("Hội đồng Khoa học và Công nghệ", 2),
    Body("Quỹ Phát triển khoa học và công nghệ", 3, Place.REQUIRED),  # also an enterprise's fund
    Body("Trường Chính trị", 1),
    Body("Bảo hiểm xã hội", 0, Place.REQUIRED),
    Body("Kho bạc Nhà nước", 2, Place.REQUIRED),
    Body("Trung tâm Phục vụ hành chính công", 2),
    Body("Trung tâm Ứng dụng tiến bộ khoa học và công nghệ", 2, Place.NONE),
    Body("Trung tâm Đổi mới sáng tạo Quốc gia", 2, Place.NONE, variants=(r"nic",)),
    Body("Trung tâm Đổi mới sáng tạo", 2, Place.NONE),
    Body("Cục Hải quan", 1, Place.NONE),
    Body("Cục Thống kê", 1, Place.NONE),
    Body("Ngân hàng Nhà nước chi nhánh", 2, Place.REQUIRED),  # the province's branch: `... chi nhánh tỉnh X`
    Body("Ngân hàng Nhà nước Việt Nam", 2, Place.NONE, variants=(r"ngan hang nha nuoc", r"nhnn")),  # its full name
    # the national news agency and broadcasters, which plans name by their call signs in table cells
    Body("Đài Truyền hình Việt Nam", 1, Place.NONE, variants=(r"vtv",)),
    Body("Đài Tiếng nói Việt Nam", 1, Place.NONE, variants=(r"vov",)),
    Body("Thông tấn xã Việt Nam", 3, Place.NONE, variants=(r"ttxvn",)),
)


def fold(text: str) -> str:
    """Folded lower case: no diacritics, `đ` → `d`."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower()


# Between the parts of a name: `và`, `&`, a comma, a hyphen or nothing but a space.
_JOIN = r"(?:\s+va\s+|\s*[&,-]\s*|\s+)"
# Between the initials of two parts: the same, or nothing at all (`KHCN`).
_JOIN_INITIALS = r"(?:\s+va\s+|\s*[&,-]\s*|\s*)"
_PARTS = re.compile(r"\s*,\s*|\s+-\s+|(?:^|\s+)va\s+")


def _parts(name: str) -> list[list[str]]:
    """The name's parts (split at `,`, ` - `, `và`), each a list of folded syllables."""
    return [part.split() for part in _PARTS.split(fold(name)) if part.strip()]


def name_pattern(name: str) -> str:
    """The written-out name, any joiner between its parts (`Khoa học, công nghệ`, `Phát thanh - Truyền hình`)."""
    return _JOIN.join(r"\s+".join(map(re.escape, words)) for words in _parts(name))


def initials_pattern(name: str) -> str | None:
    """The name by its initials (`tai chinh` → `tc`, `lao dong - thuong binh va xa hoi` → `ld-tb&xh`), or
    None when that is under two letters (too short to tell from a word)."""
    parts = ["".join(w[0] for w in words) for words in _parts(name)]
    if sum(map(len, parts)) < 2:
        return None
    return _JOIN_INITIALS.join(map(re.escape, parts))


def initials(name: str) -> str:
    """The bare initials (`khcn`), the key that tells whether two names would share an abbreviation."""
    return "".join(w[0] for words in _parts(name) for w in words)


def department_patterns(name: str, taken: set[str]) -> list[str]:
    """The folded regexes of a department's name after `Sở`: written out, its initials unless an earlier
    department in `taken` has the same ones, and the listed variants. Adds its initials to `taken`."""
    patterns = [name_pattern(name)]
    key = initials(name)
    abbreviation = initials_pattern(name)
    if abbreviation and key not in taken:
        patterns.append(abbreviation)
        taken.add(key)
    return patterns + list(_DEPARTMENT_VARIANTS.get(name, ()))


def body_patterns(body: Body) -> list[str]:
    """The folded regexes of a body's name: written out; the kind written out or by its initials (when
    it has two words or more: `BQL`, `VP`, `LĐ`) before the rest written out or by its initials
    (`Đài PT-TH`, `Hội LHPN`, `VP UBND`, `BQL KKT`, `LĐLĐ`, `HHDN`); and the listed variants."""
    words = body.name.split()
    kind, rest = " ".join(words[: body.head]), " ".join(words[body.head :])
    patterns = [name_pattern(body.name)]
    if rest:
        kinds = [name_pattern(kind)] if kind else [""]
        kind_initials = initials_pattern(kind) if len(kind.split()) >= 2 else None
        rests = [name_pattern(rest)] + ([r] if (r := initials_pattern(rest)) else [])
        for k in kinds:
            patterns.extend(f"{k}\\s+{r}" if k else r for r in rests[1:])
        if kind_initials:
            patterns.extend(f"{kind_initials}\\s*{r}" for r in rests)
    patterns.extend(body.variants)
    return list(dict.fromkeys(patterns))
