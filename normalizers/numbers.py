"""Vietnamese numbers and money amounts.

Vietnamese writes `.` between thousands and `,` before decimals (`63.569,9`), so `3.000` is three
thousand and `2,5` is two and a half. Money comes with a scale word: `63.569,9 triệu đồng` →
63 569 900 000 đồng.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from normalizers.vndates import fold_keep_length

# A number as printed: thousands groups with `.` (or a space in some scans), optional `,` decimals.
NUMBER_PATTERN = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_NUMBER = re.compile(rf"^(?:{NUMBER_PATTERN})$")

# Scale words in folded (accent-free, lowercase) form → multiplier in đồng.
_SCALES: dict[str, int] = {
    "dong": 1, "vnd": 1, "d": 1,
    "nghin": 1_000, "ngan": 1_000,
    "trieu": 1_000_000, "tr": 1_000_000, "trd": 1_000_000,
    "ty": 1_000_000_000, "ti": 1_000_000_000,
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
        if scale in ("dong", "trd", "tr.d") and "đ" not in text[m.start("scale"):m.end("scale")].lower():
            continue
        amount = amount_to_vnd(m.group("num"), m.group("scale"))
        if amount is not None and amount > 0:
            found.append((m.start(), m.end(), amount))
    return found
