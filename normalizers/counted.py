"""What a number counts: the noun phrase after it, found by grammar, not looked up in a list.

A Vietnamese count is `<number> <head noun> <modifiers>`: `05 điểm du lịch cộng đồng`, `10 doanh
nghiệp sản xuất trên địa bàn`, `02 lớp tập huấn cho cán bộ`. The unit a target keeps is the head
word (words as underthesea segments them: `doanh nghiệp`, `hợp tác xã`), because what follows it
narrows the things counted without changing what they are. A one-syllable head names a kind only
with its first modifier (`lớp tập huấn`, `hộ kinh doanh`, `khu xử lý`), and so does an acronym
(`UBND xã`) or a generic institution noun (`cơ sở ươm tạo`); persons and administrative units do not
(`người hưởng chính sách` counts people, `xã đạt chuẩn` communes). Heads joined by `,` or `/` form one
unit (`đề tài, dự án`, `sáng kiến/mô hình/giải pháp`). A unit of measure stands alone (`120 ha`).
"""

from __future__ import annotations

import re

from normalizers.vi_words import Word, tag_words
from normalizers.vndates import fold_keep_length

# Word sets are written with accents; a word printed without any (a stripped or OCR'd text) is
# compared by its folded form.
# Time words after a number make a date or a duration, never a count of things.
_TIME_WORDS = (
    "năm",
    "tháng",
    "ngày",
    "tuần",
    "quý",
    "giờ",
    "phút",
    "giây",
    "tuổi",
    "buổi",
    "kỳ",
    "thời kỳ",
    "giai đoạn",
    "lần thứ",
    "năm học",
)
# Words that open no noun phrase (determiners, quantifiers, particles) even when tagged as nouns.
_NOT_HEAD = (
    "các",
    "những",
    "mỗi",
    "từng",
    "số",
    "tổng số",
    "tối thiểu",
    "tối đa",
    "ít nhất",
    "trên",
    "dưới",
    "khoảng",
    "gần",
    "hơn",
    "mức",
    "tỷ lệ",
    "chỉ tiêu",
    "còn",
    "sau",
    "trước",
    # numerals: `1 triệu căn hộ` is a number written in words, not a count of `triệu`
    "triệu",
    "nghìn",
    "ngàn",
    "tỷ",
    "trăm",
    "chục",
    "vạn",
    "mươi",
    "lăm",
)
# Heads complete without a modifier: persons take a relative clause, administrative units a predicate.
_COMPLETE_HEADS = (
    "người",
    "xã",
    "phường",
    "huyện",
    "tỉnh",
    "thôn",
    "bản",
    "ấp",
    "làng",
    "tổ",
    "thị trấn",
    "thị xã",
    "thành phố",
    "quận",
)
# Generic nouns that name an institution only with their qualifier (`cơ sở ươm tạo`, `trung tâm dữ liệu`).
_GENERIC_HEADS = ("cơ sở", "trung tâm", "không gian")
# Predicate and auxiliary verbs and prepositions end a noun phrase: `xã đạt chuẩn`, `người được hỗ trợ`.
_PREDICATES = (
    "được",
    "bị",
    "có",
    "là",
    "đạt",
    "đã",
    "sẽ",
    "đang",
    "phải",
    "cần",
    "tham gia",
    "hoàn thành",
    "trở lên",
    "trở xuống",
    "mới",
    "thuộc",
    "của",
    "về",
    "cho",
    "tại",
    "trong",
    "trên",
    "với",
    "và",
    "hoặc",
    "để",
    "theo",
    "từ",
    "đến",
    "nhằm",
    "kèm",
    "gồm",
    "như",
    "qua",
    "sang",
    "vào",
    "ra",
)


def _word_set(words: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    return frozenset(words), frozenset(fold_keep_length(w) for w in words)


_SETS = {
    name: _word_set(words)
    for name, words in (
        ("time", _TIME_WORDS),
        ("not_head", _NOT_HEAD),
        ("complete", _COMPLETE_HEADS),
        ("generic", _GENERIC_HEADS),
        ("predicate", _PREDICATES),
    )
}


def _in(word: Word, name: str) -> bool:
    key = " ".join(word.text.lower().split())
    accented, folded = _SETS[name]
    return key in accented or (key.isascii() and key in folded)


_NOUN_TAGS = frozenset(("N", "Nc", "Nu", "Ny", "Nb"))
# Right after a number only a noun can stand, whatever the tagger guessed (`5 nhà đầu tư` tagged V).
_LOOSE_TAGS = frozenset(("V", "A", "M"))
# A footnote mark stuck to a word (`dự án2`); not the power of a unit symbol (`m2`, `km2`, `m3`).
_FOOTNOTE_MARK = re.compile(r"(?<![^\W\d_])(?!(?:k|c|d|m)?m\d)([^\W\d_]+)(\d{1,2})\b")
# Units of area and volume written with their power (`m2`, `km2`, `m3`).
_AREA_OR_VOLUME = re.compile(r"(?:k|c|d|m|h)?m[23²³]")
_WINDOW = 120
_CONTEXT = 40
# A phrase never runs over these.
_HARD_STOP = re.compile(r"[;:.()\[\]\"“”!?]|\n[ \t]*\n|\|")


def _letters(word: Word) -> bool:
    return bool(re.fullmatch(r"[^\W\d_]+(?: [^\W\d_]+)*", word.text))


def _is_noun(word: Word, tags: frozenset[str] = _NOUN_TAGS) -> bool:
    return (
        word.tag in tags
        and _letters(word)
        and not _in(word, "not_head")
        and not _in(word, "time")
        and not _in(word, "predicate")
    )


def _takes_qualifier(word: Word) -> bool:
    if _in(word, "complete"):
        return False
    return " " not in word.text.strip() or _in(word, "generic") or (word.text.isupper() and len(word.text) > 1)


def _adjacent(text: str, a: Word, b: Word) -> bool:
    return not text[a.end : b.start].strip()


def _item(text: str, words: tuple[Word, ...], i: int, loose: bool = False) -> tuple[str, int] | None:
    """The head at words[i] with its qualifier when it needs one: (printed unit, index after it).
    `loose`: the word is a head by its place (right after a number, the object of a leading verb), whatever
    its tag."""
    head = words[i]
    if _AREA_OR_VOLUME.fullmatch(head.text):
        return head.text, i + 1
    if not _is_noun(head, _NOUN_TAGS | _LOOSE_TAGS if loose else _NOUN_TAGS):
        return None
    if head.tag == "Nu":
        return head.text, i + 1
    nxt = words[i + 1] if i + 1 < len(words) else None
    if (
        _takes_qualifier(head)
        and nxt is not None
        and _adjacent(text, head, nxt)
        and (nxt.tag in _NOUN_TAGS or nxt.tag == "V")
        and not _in(nxt, "predicate")
        and not _in(nxt, "not_head")
        and not _in(nxt, "time")
        and _letters(nxt)
    ):
        return f"{head.text} {nxt.text}", i + 2
    return head.text, i + 1


def _window(text: str, pos: int) -> tuple[str, int]:
    """The stretch of `text` to tag around a phrase starting at `pos`, and where `pos` falls in it: a few
    words before (the tagger reads a word by its neighbours) and the rest of the phrase after."""
    after = text[pos : pos + _WINDOW]
    stop = _HARD_STOP.search(after)
    if stop:
        after = after[: stop.start()]
    before = text[max(0, pos - _CONTEXT) : pos]
    cut = max((m.end() for m in _HARD_STOP.finditer(before)), default=0)
    before = before[cut:]
    space = before.find(" ") if len(before) == _CONTEXT else -1
    before = before[space + 1 :] if space >= 0 else before
    window = (before + after).replace("\n", " ").replace("\f", " ")
    # A footnote mark stuck to a word (`dự án2 thuộc`) is no part of it.
    window = _FOOTNOTE_MARK.sub(lambda m: m.group(1) + " " * len(m.group(2)), window)
    return window, len(before)


def _words_from(window: str, offset: int) -> tuple[Word, ...]:
    words = tag_words(window)
    return tuple(w for w in words if w.start >= offset)


def counted_noun(text: str, pos: int, loose: bool = True) -> tuple[str, int] | None:
    """The unit a number ending at `pos` counts, and where it ends in `text`; None when the number is
    followed by no noun (a date, a time, a predicate). `loose`: the first word is a noun by its place,
    whatever its tag."""
    window, offset = _window(text, pos)
    rest = window[offset:]
    lead = len(rest) - len(rest.lstrip(" \t"))
    if lead > 3 or not rest[lead : lead + 1].isalpha():
        return None
    words = _words_from(window, offset)
    if not words or words[0].start != offset + lead:
        return None
    first = _item(window, words, 0, loose)
    if first is None:
        return None
    unit, i = first
    end = words[i - 1].end
    parts = [unit]
    while len(parts) < 5 and i + 1 < len(words):
        sep = words[i]
        if sep.text not in (",", "/") or not _adjacent(window, words[i - 1], sep):
            break
        nxt = _item(window, words, i + 1)
        if nxt is None:
            break
        joiner = ", " if sep.text == "," else "/"
        parts.append(joiner + nxt[0])
        i = nxt[1]
        end = words[i - 1].end
    unit = " ".join("".join(parts).split())
    if unit[:1].isupper() and not unit.split()[0].isupper():
        unit = unit[0].lower() + unit[1:]
    return unit, pos + end - offset


def names_things(text: str, pos: int) -> bool:
    """A noun phrase follows `pos` (after `số`, `các`, `những`): `100% số người`, `15% các cơ quan`."""
    window, offset = _window(text, pos)
    words = _words_from(window, offset)
    for word in words[:3]:
        if " ".join(word.text.lower().split()) in ("số", "các", "những", "tổng số", "số lượng", "tổng"):
            continue
        return _is_noun(word)
    return False


def first_counted_noun(text: str) -> str | None:
    """The thing an indicator's name counts: after `Số (lượng)` or its first noun (`Số doanh nghiệp
    khởi nghiệp` → doanh nghiệp, `Phát triển tổ chức khoa học` → tổ chức)."""
    words = tag_words(text.replace("\n", " "))
    for k, word in enumerate(words):
        if fold_keep_length(" ".join(word.text.lower().split())) in ("so", "so luong", "tong so"):
            continue
        # `Phát triển tổ chức khoa học`: the object of a leading verb, whatever the tagger made of it.
        loose = k == 1 and words[0].tag == "V"
        if _is_noun(word, _NOUN_TAGS | _LOOSE_TAGS if loose else _NOUN_TAGS) and (k == 0 or words[k - 1].tag != "E"):
            found = counted_noun(text, word.start, loose)
            return found[0] if found else None
    return None
