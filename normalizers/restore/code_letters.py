"""Capital-letter runs inside abbreviations and document codes, restored from how the corpus spells them.

Stripping diacritics turns `QĐ-TTg` into `QD-TTg` and `HĐND` into `HDND`. The language model keys
abbreviations by their folded form, so it cannot put the Đ back; this table can: for each run of two
or more capitals, the accented spelling the corpus uses for it (`QD` → `QĐ`, `HDND` → `HĐND`,
`BCD` → `BCĐ`), kept only where the corpus writes that run accented nearly always (`SXD`, `KCN`,
`DT` stay as they are). Runs that spell a syllable are words in capitals, left to the language
model. Learned by `vnplan train-restorer` with the model (`code_letters.json`).
"""

from __future__ import annotations

import json
import pathlib
import re
from collections import Counter
from collections.abc import Iterable

from normalizers.restore.syllables import candidates_by_fold, fold

FILE = "code_letters.json"
MIN_COUNT = 20  # a run seen fewer times than this in the corpus is left alone
MIN_ACCENTED_SHARE = 0.95
# A whole run of letters between non-letters (`QĐ` and `UBND` in `66/2018/QĐ-UBND`, `HĐND` in `(HĐND)`).
_LETTER_RUN = re.compile(r"[^\W\d_]{2,}")


def runs(text: str) -> Iterable[str]:
    """The capital runs of a text (each of 2+ letters, all upper case)."""
    return (m.group(0) for m in _LETTER_RUN.finditer(text) if m.group(0).isupper())


def learn(texts: Iterable[str]) -> dict[str, str]:
    """Folded run → its accented spelling, where the corpus nearly always accents it."""
    seen: Counter[str] = Counter()
    for text in texts:
        seen.update(runs(text))
    return table_of(seen)


def table_of(seen: Counter[str]) -> dict[str, str]:
    """The table from counts of capital runs as written."""
    by_fold: dict[str, Counter[str]] = {}
    for run, count in seen.items():
        by_fold.setdefault(fold(run), Counter())[run] = count
    table: dict[str, str] = {}
    for key, spellings in by_fold.items():
        if key.lower() in candidates_by_fold():
            continue  # a word in capitals (a heading): the language model restores it in context
        best, best_count = spellings.most_common(1)[0]
        total = sum(spellings.values())
        if best != key and total >= MIN_COUNT and best_count >= MIN_ACCENTED_SHARE * total:
            table[key] = best
    return dict(sorted(table.items()))


def save(table: dict[str, str], path: pathlib.Path) -> None:
    path.write_text(json.dumps(table, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")


def load(path: pathlib.Path) -> dict[str, str]:
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}  # a model without the table restores codes as before: left as they are


def restore(core: str, table: dict[str, str]) -> str:
    """`66/2018/QD-UBND` → `66/2018/QĐ-UBND`: each stripped capital run the table knows, put back."""
    if not table or not core.isascii():
        return core
    return _LETTER_RUN.sub(lambda m: table.get(m.group(0), m.group(0)), core)  # keys are all capitals
