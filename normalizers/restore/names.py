"""Names printed without marks (`Vo Ngoc Hiep`, `Truong Minh Tuan`): a cased name model for name slots.

A person's name usually appears once in a plan, on its signer line, with no context the syllable model
can use; the model, which learned lower-case syllables from running text, then gives each syllable its
most frequent word (`Vô`, `Trường`, `Mình`, `Tuần`). Names have their own distribution: the family name
opens them (`Võ`, `Trương`), given names are a vocabulary of their own (`Minh`, `Tuấn`).

The name model is learned from the corpus by `vnplan train-restorer --names`: every run of two to four
capitalized syllables that closes a clause (punctuation or the line's end right after it: `ông Võ Văn
Thành,`, a signature line, `đường Trương Định;`, `tỉnh Lâm Đồng.`) counts its syllables, by position
(the run's first syllable apart) and pairwise. No person's name is typed in: the corpus's documents supply them.
Counts are over distinct names (a minister who signs a hundred circulars is one name), and a run with
a pair of neighbours the corpus writes in small letters (`Trưởng Ban`: `trưởng ban`) is a capitalized
phrase, not a name, and is left out. It is used only where a line printed without marks is nothing
but 3–4 capitalized syllables (the signer line of a closing block): of the likeliest readings of its
words, the one with the best syllable-model score plus the name model's evidence wins (`Vo Ngoc Hiep`
→ `Võ Ngọc Hiệp`). Its first word is a family name, a closed class (general knowledge of the language,
like the heads of organisation names) of which the corpus names few people: that word's prior puts most
of its mass on the readings that are family names (normalizers/restore/family_names.py), so `Kieu Van
Khoa` is `Kiều`, not the word `Kiểu`. Measured on the held-out corpus documents' name runs before it was
wired in (bench/names_bench.py): two-word runs (places, heads of names) are read better by the syllable
model alone, so two-word lines are left to it.
"""

from __future__ import annotations

import itertools
import json
import math
import pathlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator

from normalizers.restore.decode import Restorer, apply_case
from normalizers.restore.family_names import first_syllable_prior
from normalizers.restore.lexer import split_token
from normalizers.restore.syllables import candidates_by_fold, fold, is_syllable

FILE = "names.json"
MIN_WORDS, MAX_WORDS = 2, 4
NAME_LINE_WORDS = 3  # the fewest words of a line the name model reads
MIN_COUNT = 1  # forms and pairs in fewer distinct names are not kept
MAX_SMALL = 3  # a run with a pair of neighbours written in small letters this often is a phrase, no name
BACKOFF = 2.0  # pseudo-counts of the syllable model's prior in each position's estimate
TOP_READINGS = 6  # readings of each word tried (by the names' counts, then the syllable model's prior)


def _title(core: str) -> bool:
    return len(core) > 1 and core[0].isupper() and core[1:].islower() and core.isalpha() and is_syllable(core.lower())


def name_runs(text: str) -> Iterator[list[str]]:
    """Runs of 2–4 capitalized syllables (lower case, marks kept) that close a clause (the line ends
    after the run, or its last word carries punctuation) and stand after a word in small letters or
    alone on their line."""
    for line in text.split("\n"):
        tokens = [split_token(t) for t in line.split()]
        i = 0
        while i < len(tokens):
            if not _title(tokens[i][1]):
                i += 1
                continue
            run: list[str] = []
            j = i
            while j < len(tokens) and _title(tokens[j][1]) and (j == i or not tokens[j][0]):
                run.append(tokens[j][1].lower())
                j += 1
                if tokens[j - 1][2]:
                    break
            closes = bool(tokens[j - 1][2]) or j == len(tokens)
            # Mid-clause after a word in small letters (`ông`, `tỉnh`, `đường`), or a line of its own (a
            # signature): not a heading's or a sentence's capitalized opening (`Trưởng Ban Chỉ đạo,`).
            placed = j == len(tokens) if i == 0 else (tokens[i - 1][1].islower() and not tokens[i - 1][2])
            if closes and placed and MIN_WORDS <= len(run) <= MAX_WORDS:
                yield run
            i = j


class NameModel:
    """Counts of readings: of two-word runs (`Lâm Đồng`, `Thanh Hóa`: mostly places) and of longer runs
    (`Trương Minh Tuấn`: mostly people) apart, first syllables (family names) apart from later ones; and
    pairs of neighbours."""

    def __init__(
        self,
        first2: dict[str, int],
        first3: dict[str, int],
        later2: dict[str, int],
        later3: dict[str, int],
        pairs: dict[str, int],
    ):
        self.first2 = first2
        self.first3 = first3
        self.later2 = later2
        self.later3 = later3
        self.pairs = pairs  # "prev next" → count

    @classmethod
    def learn(cls, runs: Iterable[list[str]]) -> NameModel:
        """Counts over distinct names: a signer who signs a hundred circulars (`Lương Tam Quang`) is one
        name, not a hundred votes for `Tam` over `Tâm`."""
        distinct = sorted({tuple(run) for run in runs})
        first2: Counter[str] = Counter()
        first3: Counter[str] = Counter()
        later2: Counter[str] = Counter()
        later3: Counter[str] = Counter()
        pairs: Counter[str] = Counter()
        for run in distinct:
            (first2 if len(run) == 2 else first3)[run[0]] += 1
            (later2 if len(run) == 2 else later3).update(run[1:])
            pairs.update(f"{a} {b}" for a, b in itertools.pairwise(run))

        def kept(c: Counter[str]) -> dict[str, int]:
            return {k: v for k, v in sorted(c.items()) if v >= MIN_COUNT}

        return cls(kept(first2), kept(first3), kept(later2), kept(later3), kept(pairs))

    def save(self, path: pathlib.Path) -> None:
        data = {
            "first2": self.first2,
            "first3": self.first3,
            "later2": self.later2,
            "later3": self.later3,
            "pairs": self.pairs,
        }
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")

    @classmethod
    def load(cls, path: pathlib.Path) -> NameModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["first2"], data["first3"], data["later2"], data["later3"], data["pairs"])

    def counts(self, words: int, position: int) -> dict[str, int]:
        """The counts for a word at `position` of a name of `words` words."""
        if words == 2:
            return self.first2 if position == 0 else self.later2
        return self.first3 if position == 0 else self.later3

    def logp(
        self, name: list[str], prior: dict[str, float], memo: dict[tuple[int, int, str, str], float] | None = None
    ) -> float:
        """Log-probability of a reading of a name (lower-case syllables) among the readings of its letters:
        per position, the names' counts of each reading (the first position's own, then pairs with the
        reading before) smoothed by `prior` (a reading's share among its letters' readings). `memo`
        keeps each position's term for the other readings of the same name (the same `prior`)."""
        table = candidates_by_fold()
        total_lp = 0.0
        for i, form in enumerate(name):
            key = (len(name), i, name[i - 1] if i else "", form)
            term = memo.get(key) if memo is not None else None
            if term is None:
                forms = table.get(fold(form), (form,))
                position = self.counts(len(name), i)
                total = sum(position.get(f, 0) for f in forms)
                shares = name_prior(len(name), i, forms, prior)
                p_uni = (position.get(form, 0) + BACKOFF * shares.get(form, 0.0)) / (total + BACKOFF)
                if i:
                    prev = name[i - 1]
                    pair_total = sum(self.pairs.get(f"{prev} {g}", 0) for g in forms)
                    p_uni = (self.pairs.get(f"{prev} {form}", 0) + BACKOFF * p_uni) / (pair_total + BACKOFF)
                term = math.log(p_uni or 1e-12)
                if memo is not None:
                    memo[key] = term
            total_lp += term
        return total_lp


def name_prior(words: int, position: int, forms: tuple[str, ...], prior: dict[str, float]) -> dict[str, float]:
    """The prior of the readings `forms` of a name's word: the first of a person's name (3–4 words) is a
    family name (normalizers/restore/family_names.py); two-word runs are mostly places, left to `prior`."""
    return first_syllable_prior(forms, prior) if position == 0 and words > 2 else prior


def reading_prior(restorer: Restorer, forms: Iterable[str]) -> dict[str, float]:
    """Each reading's share among the readings of its letters by the syllable model's unigram."""
    model = restorer.model
    weights = {f: math.exp(float(model.uni_lp[model.index[f]])) if f in model.index else 0.0 for f in forms}
    total = sum(weights.values()) or 1.0
    return {f: w / total for f, w in weights.items()}


def read_name(restorer: Restorer, names: NameModel, words: list[str]) -> list[str]:
    """The reading of a name printed without marks (its words as written, capitalized): of the few
    likeliest readings of each word, the name the syllable model likes best with the name model's
    evidence added (the log-ratio of a reading's probability as a name to its prior share)."""
    table = candidates_by_fold()
    folded = [w.lower() for w in words]
    prior: dict[str, float] = {}
    for f in folded:
        prior.update(reading_prior(restorer, table.get(f, (f,))))

    def ranked(i: int, f: str) -> list[str]:
        counts = names.counts(len(folded), i)
        forms = table.get(f, (f,))
        shares = name_prior(len(folded), i, forms, prior)
        return sorted(forms, key=lambda form: counts.get(form, 0) + shares.get(form, 0.0), reverse=True)

    options = [ranked(i, f)[:TOP_READINGS] for i, f in enumerate(folded)]
    readings = [list(reading) for reading in itertools.product(*options)]
    all_cased = [[apply_case(w, r) for w, r in zip(words, name, strict=True)] for name in readings]
    memo: dict[tuple[int, int, str, str], float] = {}
    best: tuple[float, list[str]] | None = None
    for name, cased, text_lp in zip(readings, all_cased, restorer.texts_logp(all_cased), strict=True):
        # The names' evidence for this reading over what the syllable model already counts (its prior).
        evidence = names.logp(name, prior, memo) - sum(math.log(prior.get(f) or 1e-12) for f in name)
        score = text_lp + evidence
        if best is None or score > best[0]:
            best = (score, cased)
    return best[1] if best is not None else words


def train_names(corpus: list[pathlib.Path], out_dir: pathlib.Path, held_out: Callable[[int], bool]) -> int:
    """Learn names.json from the corpus's documents but the held-out ones (`held_out(index)`, the
    language model's split); returns the number of distinct names learned from.

    Two passes: the name runs, then how often each pair of neighbours in them is written in small
    letters; a run with a pair the corpus writes small (`Trưởng Ban`: `trưởng ban`) is a phrase
    capitalized as a title, not a name (`Trương Minh`, `Võ Văn` are never written small)."""
    from normalizers.restore.corpus import iter_documents
    from normalizers.tone import normalize_tone_style

    def documents() -> Iterator[str]:
        for path in corpus:
            for i, doc in enumerate(iter_documents(path)):
                if not held_out(i):
                    yield normalize_tone_style(doc)

    runs = {tuple(run) for doc in documents() for run in name_runs(doc)}
    pairs = {pair for run in runs for pair in itertools.pairwise(run)}
    small: Counter[tuple[str, str]] = Counter()
    for doc in documents():
        for line in doc.split("\n"):
            words = [split_token(t)[1] for t in line.split()]
            small.update(p for p in itertools.pairwise(words) if p in pairs)
    names = [list(run) for run in runs if all(small[p] < MAX_SMALL for p in itertools.pairwise(run))]
    NameModel.learn(names).save(out_dir / FILE)
    return len(names)


def written_name_line(line: str) -> bool:
    """A line that is nothing but 3–4 capitalized syllables, marks or not (a signer line as restored)."""
    tokens = line.split()
    return NAME_LINE_WORDS <= len(tokens) <= MAX_WORDS and all(
        len(t) > 1 and t.isalpha() and t[0].isupper() and t[1:].islower() and fold(t.lower()) in candidates_by_fold()
        for t in tokens
    )


def name_line(line: str) -> bool:
    """A line that is nothing but a person's name without marks: 3–4 capitalized words whose letters
    are syllables, no punctuation (the signer line of a closing block). Two-word lines are mostly places
    and heads of names, which the syllable model reads better alone (bench/names_bench.py)."""
    tokens = line.split()
    table = candidates_by_fold()
    return NAME_LINE_WORDS <= len(tokens) <= MAX_WORDS and all(
        len(t) > 1 and t.isalpha() and t.isascii() and t[0].isupper() and t[1:].islower() and t.lower() in table
        for t in tokens
    )
