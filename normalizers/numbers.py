"""Vietnamese numbers and money amounts.

Vietnamese writes `.` between thousands and `,` before decimals (`63.569,9`), so `3.000` is three
thousand and `2,5` is two and a half. Money comes with a scale word: `63.569,9 triệu đồng` →
63 569 900 000 đồng.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from normalizers.unicode_text import fix_lookalike_eth
from normalizers.vndates import fold_keep_length

# A number as printed: thousands groups with `.` (or a space in some scans), optional `,` decimals.
NUMBER_PATTERN = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_NUMBER = re.compile(rf"^(?:{NUMBER_PATTERN})$")

# Scale words in folded (accent-free, lowercase) form → multiplier in đồng.
_SCALES: dict[str, int] = {
    "dong": 1,
    "vnd": 1,
    "d": 1,
    "nghin": 1_000,
    "ngan": 1_000,
    "trieu": 1_000_000,
    "tr": 1_000_000,
    "trd": 1_000_000,
    "ty": 1_000_000_000,
    "ti": 1_000_000_000,
}

# An amount of money in folded text: number, scale word(s), currency word. Group `num` and `scale`.
MONEY_FOLDED = re.compile(
    rf"(?<![\w.,])(?P<num>{NUMBER_PATTERN})\s*"
    r"(?P<scale>(?:nghin|ngan|trieu|ty|ti)\s*(?:dong|vnd|d\b)|trd\b|tr\.d\b|dong|vnd)"
    r"(?![^\W\d_])",
    re.IGNORECASE,
)
# `đồng` followed by these is a different word (đồng chí, đồng bộ ...), not money.
_NOT_MONEY_AFTER = re.compile(r"\s*(?:chi|bo|thoi|bao|hanh|tinh|deu|y|nghiep|ruong|ho|loat|dang|nhat|tam|lua)\b", re.I)


def parse_vn_number(text: str) -> int | float | None:
    """`63.569,9` → 63569.9; `3.000` → 3000; `02` → 2; `37,6` → 37.6. None when not a number."""
    value = parse_vn_decimal(text)
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def parse_vn_decimal(text: str) -> Decimal | None:
    """The exact decimal value of a Vietnamese-printed number (None when not a number)."""
    cleaned = text.strip()
    if not _NUMBER.match(cleaned):
        return None
    try:
        return Decimal(cleaned.replace(".", "").replace(",", "."))
    except InvalidOperation:
        return None


def scale_of(unit_text: str) -> int | None:
    """Multiplier in đồng for a scale phrase (`triệu đồng` → 10**6, `tỷ đồng` → 10**9, `đồng` → 1)."""
    words = re.findall(r"[a-z]+", fold_keep_length(unit_text).lower())
    if not words:
        return None
    for word in words:
        if word in ("nghin", "ngan", "trieu", "ty", "ti", "trd"):
            return _SCALES[word]
    return 1 if words[0] in ("dong", "vnd", "d") else None


def amount_to_vnd(number_text: str, unit_text: str) -> int | None:
    """`63.569,9`, `triệu đồng` → 63569900000. None when either part is not understood."""
    value = parse_vn_decimal(number_text)
    scale = scale_of(unit_text)
    if value is None or scale is None:
        return None
    return int((value * scale).to_integral_value())


def find_money(text: str) -> list[tuple[int, int, int]]:
    """Every money amount in `text`: (start, end, amount in đồng), offsets into `text`."""
    folded = fold_keep_length(text)
    found: list[tuple[int, int, int]] = []
    for m in MONEY_FOLDED.finditer(folded):
        scale = m.group("scale").lower()
        if scale == "dong" and _NOT_MONEY_AFTER.match(folded, m.end()):
            continue
        # Without a scale word, `dong`/`trd` in unaccented text is too often another word (đóng,
        # động, trở): take it only when the document printed the đ.
        if scale in ("dong", "trd", "tr.d") and "đ" not in text[m.start("scale") : m.end("scale")].lower():
            continue
        amount = amount_to_vnd(m.group("num"), m.group("scale"))
        if amount is not None and amount > 0:
            found.append((m.start(), m.end(), amount))
    return found


# ------------------------------------------------------------------------------ document numbers

# Code parts of Vietnamese legal document numbers (`08/2014/NĐ-CP`, `57-NQ/TW`, `45/TTr-SKHCN`) that are
# not plain capitals: document types and issuing bodies with Đ or a lowercase letter. Diacritic-stripped
# or OCR text prints them as `ND`, `QD`, `TTG`; the list gives them back. Codes made only of plain capitals
# (NQ, TT, CT, KH, BC, TB, UBND, TW, TU, BTC, BNV, CP ...) are already canonical. `HD` stays: it is both
# Hướng dẫn (HD) and Hội đồng (HĐ).
DOC_CODES: tuple[str, ...] = (
    # document types
    "NĐ",
    "QĐ",
    "ĐA",
    "CTr",
    "TTr",
    "TTg",
    "HĐ",
    "NQLT",
    "TTLT",
    "QĐi",
    "VBHN",
    "KH",
    "NQ",
    "TT",
    "CT",
    "BC",
    "TB",
    "KL",
    "QC",
    "QH",
    "CV",
    # issuing bodies
    "HĐND",
    "BCĐ",
    "ĐU",
    "ĐUK",
    "BKHĐT",
    "SKHĐT",
    "KHĐT",
    "ĐTN",
    "ĐHQG",
    "BCĐTW",
    "VPCP",
    "UBND",
    "TW",
    "TU",
    "BKHCN",
    "SKHCN",
    "BTC",
    "STC",
    "BNV",
    "SNV",
    "BTTTT",
    "STTTT",
    "BGDĐT",
    "SGDĐT",
    "GDĐT",
    "BNNPTNT",
    "SNNPTNT",
    "BNNMT",
    "SNNMT",
    "BLĐTBXH",
    "SLĐTBXH",
    "LĐTBXH",
    "BCT",
    "SCT",
    "BYT",
    "SYT",
    "BXD",
    "SXD",
    "BTP",
    "STP",
    "BCA",
    "CA",
    "BQP",
    "BTNMT",
    "STNMT",
    "BVHTTDL",
    "SVHTTDL",
    "BGTVT",
    "SGTVT",
    "VP",
    "CP",
    "ĐĐBQH",
    "MTTQ",
    "BTGTU",
    "BDVTU",
    "HU",
    "TU",
    "ĐCS",
    # bodies set up to carry out a Đề án (Tổ công tác triển khai Đề án, Ban chỉ đạo / điều hành Đề án)
    "TCTTKĐA",
    "TCTĐA",
    "BCĐĐA",
    "BĐHĐA",
)


def _fold_code(code: str) -> str:
    return fold_keep_length(code).upper()


# Only the codes whose printed form differs from their folded capitals need a lookup.
_CODE_BY_FOLD: dict[str, str] = {_fold_code(c): c for c in DOC_CODES if c != _fold_code(c) and c != "HĐ"}
_CODE_PART = re.compile(r"[^\W\d_][\w&]*", re.U)


def canonical_doc_number(number: str) -> str:
    """A document number with its codes as Vietnamese numbering prints them: `08/2014/ND-CP` →
    `08/2014/NĐ-CP`, `569/QD-TTG` → `569/QĐ-TTg`, OCR's `Ð` (U+00D0) → `Đ`. Unknown codes are kept."""
    number = fix_lookalike_eth(number)

    def fix(m: re.Match[str]) -> str:
        part = m.group(0)
        canonical = _CODE_BY_FOLD.get(_fold_code(part))
        if canonical is None:
            return part
        # A part already printed with its Đ is right as printed, apart from letter case (`TTG`).
        if not part.isascii() and [c == "Đ" for c in part.upper()] != [c == "Đ" for c in canonical.upper()]:
            return part
        return canonical

    return _CODE_PART.sub(fix, number)
