"""Vietnamese family names: a closed class, the first syllable of a person's name.

A Vietnamese name is family name + (middle name) + given name, and the family names are a small closed
class (some hundred in use; fourteen cover nine people in ten), the way the heads of organisation names
are: general knowledge of the language, not of any document. The name model's own counts come from a
legal corpus that names few people, so a family name it never met (`Truong Van Khoa`) is read as the
word its letters most often spell (`Trường`); knowing that the first of three or four syllables of a
signer line is a family name settles it.

`SHARES`: the share of the population bearing each family name, in per cent: the fourteen commonest
from the usual census-based estimates (`Hoàng`/`Huỳnh` and `Vũ`/`Võ` are one name each, written apart
in the north and the south: their share is split), then the others in common use (of the Kinh and of the
larger ethnic minorities: Tày, Thái, Mường, H'Mông, Khmer, Hoa) at a small equal share. Forms whose
letters also spell a frequent word are kept only where they are a surname in common use.
"""

from __future__ import annotations

COMMON: dict[str, float] = {
    "nguyễn": 38.4,
    "trần": 11.0,
    "lê": 9.5,
    "phạm": 7.1,
    "hoàng": 2.6,
    "huỳnh": 2.5,
    "phan": 4.5,
    "vũ": 2.0,
    "võ": 1.9,
    "đặng": 2.1,
    "bùi": 2.0,
    "đỗ": 1.4,
    "hồ": 1.3,
    "ngô": 1.3,
    "dương": 1.0,
    "lý": 0.5,
}

OTHER_SHARE = 0.2
OTHERS: tuple[str, ...] = (
    # Kinh and Hoa family names in common use.
    "âu", "bạch", "bành", "cao", "cù", "chu", "châu", "chung", "diệp", "doãn", "đàm", "đào", "đinh",
    "đoàn", "đồng", "giang", "giáp", "hà", "hàn", "hứa", "kha", "khổng", "khúc", "khuất", "khương",
    "kiều", "kim", "la", "lã", "lạc", "lại", "lâm", "lục", "lưu", "lữ", "lương", "mã", "mạc", "mai",
    "nghiêm", "ninh", "nông", "ông", "phí", "phó", "phùng", "phương", "quách", "quan", "tạ", "tăng",
    "thạch", "thái", "thân", "tiêu", "tô", "tôn", "tống", "trịnh", "triệu", "trương", "từ", "văn",
    "vi", "viên", "vương", "yên",
    # Family names of the larger ethnic minorities (Tày, Nùng, Thái, Mường, H'Mông, Khmer).
    "bế", "cầm", "danh", "điểu", "giàng", "hầu", "lò", "lường", "lầu", "ma", "mùa", "quàng", "sơn",
    "sùng", "thào", "tòng", "vàng", "xa",
)  # fmt: skip

SHARES: dict[str, float] = {**{name: OTHER_SHARE for name in OTHERS}, **COMMON}

SURNAME_WEIGHT = 0.9  # the prior's mass on family-name readings of a name's first syllable, when it has any


def first_syllable_prior(forms: tuple[str, ...], prior: dict[str, float]) -> dict[str, float]:
    """The prior of the readings `forms` of the first syllable of a 3–4-syllable name: most of its mass
    on the readings that are family names, the rest as `prior` (the syllable model's shares). Letters no
    family name spells keep `prior` as it is. Among family names spelt by the same letters (`Đoàn`,
    `Doãn`; `Hồ`, `Hờ`) the population shares are weighed by `prior`: where they tell the names apart
    little (the small equal share of the less common ones), a flat split would hand the name model's
    evidence, which is measured against `prior`, to the rarer word."""
    if not any(f in SHARES for f in forms):
        return prior
    surnames = {f: SHARES[f] * prior.get(f, 0.0) for f in forms if f in SHARES}
    if not any(surnames.values()):  # no reading the syllable model knows: the shares alone
        surnames = {f: SHARES[f] for f in forms if f in SHARES}
    total = sum(surnames.values())
    return {
        f: SURNAME_WEIGHT * surnames.get(f, 0.0) / total + (1.0 - SURNAME_WEIGHT) * prior.get(f, 0.0) for f in forms
    }
