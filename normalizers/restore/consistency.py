"""One phrase, one spelling: restored text made consistent across a document.

The restorer decodes each paragraph on its own, so a phrase without marks can come back as a more
frequent phrase of the same letters in one place and right in another (`Gia Lai` and `Giá Lại`,
`chính quyền số` and `chính quyển số`), mostly where its context is poor (after a foreign word, in a
table cell, in a title). A document names its province, issuer and agencies many times, so the way
it restores a phrase most often is a strong prior everywhere: after restoration, an occurrence of a
phrase (the same letters without marks) in a restored line takes the document's dominant spelling of
it, unless the model finds that spelling far less likely in that line than the one decoded there
(PRIOR_LOGP: `Luật Đấu thầu` stays in a plan that names `Luật Đầu tư` more often). Phrases are runs of
syllables not broken by punctuation: names of two words or more (each capitalized: `Gia Lai`, `Võ Ngọc
Hiệp`, `Sở Tài chính`), other phrases of three words or more (two common words of the same letters
are too often two different words), and the capitalized word before a name or an abbreviation (the
head of an organisation's name: `Sở` in `Sở TT&TT` as in `Sở Tài chính`; the model, which has one
token for unknown abbreviations, is not asked there). Only letters change, never tokens; lines that
kept their own marks give their spelling but are never rewritten.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from normalizers.restore.decode import apply_case, split_keep_space
from normalizers.restore.lexer import split_token
from normalizers.restore.syllables import candidates_by_fold, fold

_ROMAN = re.compile(r"^[IVXL]+$")
MAX_WORDS = 4
MIN_SEEN = 3  # occurrences of a phrase before the document's spelling of it is trusted
MIN_SHARE = 0.6  # the dominant spelling's share of them
PRIOR_LOGP = 2.5  # how much less likely (log) than the decoded spelling the document's may be in a line


@dataclass
class _Word:
    line: int
    part: int  # index into the line's split_keep_space parts
    prefix: str
    core: str
    suffix: str
    folded: str = ""  # the core's letters without marks, lower case: what phrases are keyed by
    lower: str = ""

    def __post_init__(self) -> None:
        self.lower = self.core.lower()
        self.folded = _fold_lower(self.core)


@lru_cache(maxsize=65_536)
def _fold_lower(core: str) -> str:
    return fold(core.lower())


_Token = tuple[int, str, str, str]  # (index into the line's split_keep_space parts, prefix, core, suffix)


def _tokens(parts: list[str]) -> list[_Token]:
    """A line's words (its parts without the spaces), each split into prefix, core and suffix."""
    return [(pi, *split_token(p)) for pi, p in enumerate(parts) if not p.isspace()]


def _phrases(lines: list[list[_Token]]) -> list[list[_Word]]:
    """Runs of syllable words with no punctuation between them, per line."""
    table = candidates_by_fold()
    runs: list[list[_Word]] = []
    for li, tokens in enumerate(lines):
        run: list[_Word] = []
        for pi, prefix, core, suffix in tokens:
            syllable = core.isalpha() and _fold_lower(core) in table
            if syllable and run and not prefix:
                run.append(_Word(li, pi, prefix, core, suffix))
            else:
                if len(run) > 1:
                    runs.append(run)
                run = [_Word(li, pi, prefix, core, suffix)] if syllable else []
            if suffix and run:  # punctuation after a word ends its phrase
                if len(run) > 1:
                    runs.append(run)
                run = []
        if len(run) > 1:
            runs.append(run)
    return runs


def _heads(lines: list[list[_Token]]) -> tuple[list[list[_Word]], list[list[_Word]]]:
    """Capitalized syllable words right before a name or an abbreviation (`So Tai chinh`, `So TT&TT`):
    the head of an organisation's name, whose spelling there the document keeps. Returns (those before
    a word, those before an abbreviation): only the first vote, as the model reads a head well before
    the words of a name and poorly before an abbreviation."""
    table = candidates_by_fold()
    before_names: list[list[_Word]] = []
    before_abbreviations: list[list[_Word]] = []
    for li, tokens in enumerate(lines):
        for (pi, prefix, core, suffix), (_, next_prefix, next_core, _) in pairwise(tokens):
            if suffix or next_prefix or not core.isalpha() or not core[:1].isupper() or not core[1:].islower():
                continue
            if _fold_lower(core) in table and _names_something(next_core):
                head = [_Word(li, pi, prefix, core, suffix)]
                name = next_core.isalpha() and not next_core.isupper()
                (before_names if name else before_abbreviations).append(head)
    return before_names, before_abbreviations


def _names_something(core: str) -> bool:
    """A word or abbreviation that can follow the head of a name (`Tài`, `TT&TT`), not a number or an
    outline numeral (`I/2026` after `Quý`)."""
    return core[:1].isupper() and not any(ch.isdigit() for ch in core) and not _ROMAN.match(core)


def _spans(runs: list[list[_Word]]) -> list[tuple[int, int, int]]:
    """Every phrase worth a vote as (run, start, end): names of 2+ words, other phrases of 3+, up to
    MAX_WORDS, each run's longest first."""
    out = []
    for ri, run in enumerate(runs):
        capital = [w.core[:1].isupper() for w in run]
        for size in range(MAX_WORDS, 1, -1):
            for start in range(len(run) - size + 1):
                if size >= 3 or all(capital[start : start + size]):
                    out.append((ri, start, start + size))
    return out


def _key(words: list[_Word]) -> tuple[str, ...]:
    """The phrase's letters without marks; a head alone is keyed apart from the word elsewhere."""
    key = tuple(w.folded for w in words)
    return key if len(key) > 1 else ("<head>", *key)


def harmonize(
    lines: list[str], editable: list[bool], text_logp: Callable[[list[str]], float] | None = None
) -> list[str]:
    """`lines` with each phrase of an editable (restored) line spelled as the lines spell it most
    often, where `text_logp` (the model's score of a line's tokens) does not find that spelling far
    less likely there than the one decoded; same tokens, only letters change."""
    parts = [split_keep_space(line) for line in lines]
    tokens = [_tokens(p) for p in parts]  # each line split once, for phrases, heads and the rewrite
    before_names, before_abbreviations = _heads(tokens)
    runs = _phrases(tokens)
    folded = [[w.folded for w in run] for run in runs]
    lowered = [[w.lower for w in run] for run in runs]
    # Keys and spellings as tuples of strings cut from per-run lists, counted in one Counter: a long
    # text has a hundred thousand phrases, and per-phrase Python work was most of this pass's time.
    spans = [(tuple(folded[ri][a:b]), tuple(lowered[ri][a:b]), ri, a, b) for ri, a, b in _spans(runs)]
    heads = [(_key(words), tuple(w.lower for w in words), words) for words in before_names]
    votes: dict[tuple[str, ...], Counter[tuple[str, ...]]] = defaultdict(Counter)
    for (key, forms), n in Counter([(key, forms) for key, forms, *_ in spans] + [h[:2] for h in heads]).items():
        votes[key][forms] += n
    dominant: dict[tuple[str, ...], tuple[str, ...]] = {}
    for key, seen in votes.items():
        total = sum(seen.values())
        (best, count), *rest = seen.most_common()
        if total >= MIN_SEEN and count / total >= MIN_SHARE and count > (rest[0][1] if rest else 0):
            dominant[key] = best
    if not dominant:
        return lines
    candidates = [
        *(runs[ri][a:b] for key, _, ri, a, b in spans if key in dominant),
        *(words for key, _, words in heads if key in dominant),
        *(words for words in before_abbreviations if _key(words) in dominant),
    ]
    settled: set[tuple[int, int]] = set()  # words a longer phrase already decided
    unjudged = {id(words) for words in before_abbreviations}  # no context the model reads well
    for words in candidates:  # longest phrases first, heads last
        if not editable[words[0].line]:
            continue
        spelling = dominant[_key(words)]
        if any((w.line, w.part) in settled for w in words):
            continue
        line = parts[words[0].line]
        before = [line[w.part] for w in words]
        after = [w.prefix + apply_case(w.core, spelled) + w.suffix for w, spelled in zip(words, spelling, strict=True)]
        if after != before and text_logp is not None and id(words) not in unjudged:
            # The document's spelling is a prior, not a verdict: where the words around the phrase
            # make it much less likely than the spelling decoded there, the context wins (`Luật Đấu
            # thầu` stays, though the document names `Luật Đầu tư` more often).
            old = text_logp([p for p in line if not p.isspace()])
            for w, token in zip(words, after, strict=True):
                line[w.part] = token
            if text_logp([p for p in line if not p.isspace()]) < old - PRIOR_LOGP:
                for w, token in zip(words, before, strict=True):
                    line[w.part] = token
                continue
        for w, token in zip(words, after, strict=True):
            settled.add((w.line, w.part))
            line[w.part] = token
    return ["".join(p) for p in parts]
