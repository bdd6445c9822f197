"""Vietnamese syllable inventory generated from spelling rules, and ASCII folding.

A syllable is onset + rhyme + tone. Spelling rules applied: c/k/q (k before e ê i y, q only as
qu), g/gh and ng/ngh (gh, ngh before e ê i), gi swallowing a rhyme-initial i (gì, giếng), iê
written yê without onset, and checked rhymes (-p -t -c -ch) taking only sắc or nặng. Tone marks
are placed in the old (hòa/thủy) style, the style the training corpus mostly uses.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import unicodedata
from functools import cache
from itertools import chain
from pathlib import Path

ONSETS = (
    "",
    "b",
    "c",
    "ch",
    "d",
    "đ",
    "g",
    "gh",
    "gi",
    "h",
    "k",
    "kh",
    "l",
    "m",
    "n",
    "ng",
    "ngh",
    "nh",
    "p",
    "ph",
    "qu",
    "r",
    "s",
    "t",
    "th",
    "tr",
    "v",
    "x",
)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Rhymes without tone. Those starting with o/u glide (oa, uy ...) are not used after qu, which
# already carries the glide (qua, quy, quyết).
_PLAIN_RHYMES = _words(
    "a ai ao au ay am an ang anh ap at ac ach ăm ăn ăng ăp ăt ăc âu ây âm ân âng âp ât âc "
    "e eo em en eng ep et ec ê êu êm ên ênh êp êt êch i ia iu im in inh ip it ich iêu iêm "
    "iên iêng iêp iêt iêc y ynh yt ych yêu yên yêm yêt o oi om on ong op ot oc oong ooc ô "
    "ôi ôm ôn ông ôp ôt ôc ơ ơi ơm ơn ơp ơt u ua ui um un ung up ut uc uôi uôm uôn uông "
    "uôt uôc uơ ư ưa ưi ưu ưm ưn ưng ưt ưc ươi ươu ươm ươn ương ươp ươt ươc "
)
_GLIDE_RHYMES = _words(
    "oa oai oay oan oang oanh oam oap oat oac oach oăm oăn oăng oăt oăc oe oeo oen oet uy "
    "uya uyu uynh uyt uych uyn uyên uyêt uân uâng uât uây uê uênh uêch uơ "
)

_CHECKED_CODAS = ("p", "t", "c", "ch")
_FRONT = ("e", "ê", "i", "y")
_TONED = {
    "a": "aàáảãạ",
    "ă": "ăằắẳẵặ",
    "â": "âầấẩẫậ",
    "e": "eèéẻẽẹ",
    "ê": "êềếểễệ",
    "i": "iìíỉĩị",
    "o": "oòóỏõọ",
    "ô": "ôồốổỗộ",
    "ơ": "ơờớởỡợ",
    "u": "uùúủũụ",
    "ư": "ưừứửữự",
    "y": "yỳýỷỹỵ",
}
VOWELS = frozenset(_TONED)
_MARKED_VOWELS = frozenset("ăâêôơư")

# Every accented letter → (base letter without tone, tone index 0..5).
_UNTONE: dict[str, tuple[str, int]] = {}
for _base, _forms in _TONED.items():
    for _i, _ch in enumerate(_forms):
        _UNTONE[_ch] = (_base, _i)


def fold(text: str) -> str:
    """Strip every diacritic and map đ→d: the form a diacritics-less source shows."""
    folded = text.translate(_FOLD_TABLE)
    # Letters outside the table (Greek, Cyrillic, ...) take the general road; its answer is the same.
    return folded if folded.isascii() else _fold(text)


def _fold(text: str) -> str:
    out = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    out = "".join(ch for ch in out if unicodedata.category(ch) != "Mn")
    return out.replace("\u0111", "d")


# _fold of each Latin letter with diacritics and of each combining mark, as one str.translate table:
# NFD decomposes letter by letter, so folding a text is folding its letters (~10x faster than NFD).
_FOLD_TABLE = {
    code: _fold(chr(code))
    for block in (range(0x00C0, 0x0250), range(0x0300, 0x0370), range(0x1E00, 0x1F00))
    for code in block
    if _fold(chr(code)) != chr(code)
}


def _tone_position(rhyme: str) -> int:
    """Index in `rhyme` of the vowel that carries the tone mark (old hòa/thủy style)."""
    vowel_idx = [i for i, ch in enumerate(rhyme) if ch in VOWELS]
    if not vowel_idx:
        return -1
    marked = [i for i in vowel_idx if rhyme[i] in _MARKED_VOWELS]
    if marked:
        return marked[-1]
    has_coda = vowel_idx[-1] != len(rhyme) - 1
    if has_coda:
        return vowel_idx[-1]
    if len(vowel_idx) >= 3:
        return vowel_idx[1]
    return vowel_idx[0]


def apply_tone(rhyme: str, tone: int) -> str:
    pos = _tone_position(rhyme)
    if pos < 0 or tone == 0:
        return rhyme
    return rhyme[:pos] + _TONED[rhyme[pos]][tone] + rhyme[pos + 1 :]


def _onset_fits(onset: str, rhyme: str) -> bool:
    first = rhyme[0]
    if onset in ("k", "gh", "ngh"):
        return first in _FRONT
    if onset in ("c", "g", "ng"):
        return first not in _FRONT
    if onset == "qu":
        return first not in ("o", "u", "ư")
    if rhyme.startswith("yê") or rhyme in ("y", "ynh", "yt", "ych"):
        # yê only without onset; a lone y after some onsets (ly, mỹ, kỹ, quý, sỹ) spells i.
        return (
            onset in ("", "h", "k", "l", "m", "s", "t", "v", "n", "d", "qu", "th")
            if not rhyme.startswith("yê")
            else onset in ("", "qu")
        )
    if rhyme.startswith("iê"):
        return onset != ""
    if onset == "gi" and rhyme.startswith("i"):
        return True
    return True


def _spell(onset: str, toned_rhyme: str, base_rhyme: str) -> str:
    if onset == "gi" and base_rhyme.startswith("i"):
        return "g" + toned_rhyme  # gi + ìn → gìn, gi + iếng → giếng
    if onset == "c" and base_rhyme.startswith(("o", "u")) and base_rhyme in _GLIDE_RHYMES:
        return ""  # co + a is spelled qua
    return onset + toned_rhyme


def inventory() -> frozenset[str]:
    """All lowercase accented syllables the spelling rules allow."""
    return _tables()[0]


def candidates_by_fold() -> dict[str, tuple[str, ...]]:
    """ASCII-folded syllable → all accented syllables that fold to it."""
    return _tables()[1]


@cache
def _tables() -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """The inventory and its fold table, generated once per machine and this module's rules: the
    generation takes ~0.2 s, a third of a one-line `vnplan restore`; a stored copy loads in ms."""
    stored = _stored_path()
    try:
        table = marshal.loads(stored.read_bytes())
        return frozenset(chain.from_iterable(table.values())), table
    except (OSError, EOFError, ValueError, TypeError):
        pass
    table = fold_table(generate_inventory())
    with contextlib.suppress(OSError):  # a read-only home only costs the generation next time
        stored.parent.mkdir(parents=True, exist_ok=True)
        tmp = stored.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps(table))
        tmp.replace(stored)
    return frozenset(chain.from_iterable(table.values())), table


def _stored_path() -> Path:
    rules = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]  # new rules, new tables
    cache_home = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache_home) / "vnplan" / f"syllables-{rules}.marshal"


def generate_inventory() -> frozenset[str]:
    """The syllables, from the spelling rules (what `inventory()` stores)."""
    out: set[str] = set()
    for onset in ONSETS:
        for rhyme in _PLAIN_RHYMES + _GLIDE_RHYMES:
            if not _onset_fits(onset, rhyme):
                continue
            checked = rhyme.endswith(_CHECKED_CODAS)
            for tone in (2, 5) if checked else range(6):  # sắc, nặng
                word = _spell(onset, apply_tone(rhyme, tone), rhyme)
                if word:
                    out.add(word)
    # Uy/y-initial glide rhymes with no onset spelled with u: uy, uyên, oan ... are already in.
    return frozenset(out)


def fold_table(syllables: frozenset[str]) -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}
    for syl in sorted(syllables):  # sorted: the same order in every process
        table.setdefault(fold(syl), []).append(syl)
    return {k: tuple(sorted(v)) for k, v in table.items()}


def is_syllable(word_lower: str) -> bool:
    return word_lower in inventory()


def split_tone(syllable: str) -> tuple[str, int]:
    """('thủy') → ('thuy', 3): the syllable with its tone mark removed and the tone index."""
    tone = 0
    chars = []
    for ch in syllable:
        base, t = _UNTONE.get(ch, (ch, 0))
        if t:
            tone = t
        chars.append(base)
    return "".join(chars), tone
