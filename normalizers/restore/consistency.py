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
from collections.abc import Callable
from functools import cache, lru_cache
from itertools import chain, count
from operator import attrgetter
from typing import NamedTuple

import numpy as np

from normalizers.restore.decode import apply_case, split_keep_space
from normalizers.restore.lexer import split_token
from normalizers.restore.syllables import candidates_by_fold, fold

_ROMAN = re.compile(r"^[IVXL]+$")
MAX_WORDS = 4
MIN_SEEN = 3  # occurrences of a phrase before the document's spelling of it is trusted
MIN_SHARE = 0.6  # the dominant spelling's share of them
PRIOR_LOGP = 2.5  # how much less likely (log) than the decoded spelling the document's may be in a line

# A token's traits as bits, so that a text's tokens become one numpy array.
_SYLLABLE = 1  # a syllable's letters: a word of a phrase
_HEAD = 2  # a capitalized syllable, no punctuation after it: the head of a name if one follows
_FOLLOWS_HEAD = 4  # no punctuation before it, and a word or abbreviation that can follow a head
_NAME = 8  # a word rather than an abbreviation (after a head: `Tài`, not `TT&TT`)
_CAPITAL = 16
_OPENS = 32  # punctuation before it (`(Sở`): a phrase cannot run on into it
_CLOSES = 64  # punctuation after it (`Sở,`): punctuation after a word ends its phrase


class _Token(NamedTuple):
    """What the pass needs of one whitespace token, worked out once per distinct token (a document
    repeats its words: a 40 k-word text has a few thousand distinct ones)."""

    prefix: str
    core: str
    suffix: str
    lower: str
    folded: int  # the core's letters without marks, lower case (its number): what phrases are keyed by
    spelled: int  # a syllable's lower-case letters (their number, else -1): what spellings are counted by
    traits: int


_TRAITS = attrgetter("traits")
_FOLDED = attrgetter("folded")
_SPELLED = attrgetter("spelled")
# Every lower-case syllable form met, numbered (a bounded set: syllable letters with marks; next() is
# atomic across threads, so two forms never share a number).
_spellings: dict[str, int] = {}
_next_spelling = count()


@cache
def _folded_numbers() -> dict[str, int]:
    return {letters: i for i, letters in enumerate(candidates_by_fold())}


@lru_cache(maxsize=65_536)
def _token(part: str) -> _Token:
    prefix, core, suffix = split_token(part)
    lower = core.lower()
    folded = _folded_numbers().get(fold(lower), -1)
    syllable = core.isalpha() and folded >= 0
    capital = core[:1].isupper()
    traits = (
        _SYLLABLE * syllable
        | _HEAD * (syllable and not suffix and capital and core[1:].islower())
        | _FOLLOWS_HEAD * (not prefix and _names_something(core))
        | _NAME * (core.isalpha() and not core.isupper())
        | _CAPITAL * capital
        | _OPENS * bool(prefix)
        | _CLOSES * bool(suffix)
    )
    spelled = _spellings.setdefault(lower, next(_next_spelling)) if syllable else -1
    return _Token(prefix, core, suffix, lower, folded, spelled, traits)


def _names_something(core: str) -> bool:
    """A word or abbreviation that can follow the head of a name (`Tài`, `TT&TT`), not a number or an
    outline numeral (`I/2026` after `Quý`)."""
    return core[:1].isupper() and not any(ch.isdigit() for ch in core) and not _ROMAN.match(core)


def _dense(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """One number per pair (a[i], b[i]) of non-negative ints: the same for the same pair, below len(a)."""
    if not len(a):
        return a
    return np.unique(a * (int(b.max()) + 1) + b, return_inverse=True)[1].reshape(-1)


def _windows(ids: np.ndarray) -> dict[int, np.ndarray]:
    """Every run of 1..MAX_WORDS consecutive ids, as one number per start (equal runs, equal numbers)."""
    out = {1: ids}
    for size in range(2, MAX_WORDS + 1):
        half, starts = size // 2, max(0, len(ids) - size + 1)
        out[size] = _dense(out[half][:starts], out[size - half][half : half + starts])
    return out


def _dominant(keys: np.ndarray, spellings: np.ndarray) -> np.ndarray:
    """For each key (a phrase's letters), the index of an occurrence spelled the dominant way, or -1.
    Occurrence i is the phrase keys[i] spelled spellings[i]; a spelling dominates when the phrase is
    seen MIN_SEEN times or more, MIN_SHARE of them spelled so, more often than any other way."""
    if not len(keys):
        return np.zeros(0, np.int64)
    pairs = _dense(keys, spellings)
    key_of_pair = np.zeros(len(pairs), np.int64)
    key_of_pair[pairs] = keys
    key_of_pair = key_of_pair[: int(pairs.max()) + 1]
    count = np.bincount(pairs)
    total = np.bincount(keys)[key_of_pair]
    passing = (total >= MIN_SEEN) & (count / total >= MIN_SHARE)
    best = np.zeros(int(keys.max()) + 1, np.int64)
    np.maximum.at(best, key_of_pair[passing], count[passing])
    top = passing & (count == best[key_of_pair])
    # Spellings as frequent as the best pass too (MIN_SHARE > 0.5 lets only one through): a tie has none.
    winner = top & (np.bincount(key_of_pair[top], minlength=len(best))[key_of_pair] == 1)
    occurrence = np.full(len(winner), -1, np.int64)
    occurrence[pairs] = np.arange(len(pairs))
    chosen = np.full(len(best), -1, np.int64)
    chosen[key_of_pair[winner]] = occurrence[winner]
    return chosen


def harmonize(
    lines: list[str], editable: list[bool], text_logp: Callable[[list[str]], float] | None = None
) -> list[str]:
    """`lines` with each phrase of an editable (restored) line spelled as the lines spell it most
    often, where `text_logp` (the model's score of a line's tokens) does not find that spelling far
    less likely there than the one decoded; same tokens, only letters change.

    A long text has a hundred thousand phrases: they are found, counted and voted on as numpy arrays
    over the text's tokens (one number per token and trait), and Python works only on the phrases
    whose spelling the document settles."""
    if not any(editable):
        return list(lines)
    words = [line.split() for line in lines]
    tokens = list(map(_token, chain.from_iterable(words)))
    n = len(tokens)
    if n < 2:
        return lines
    traits = np.fromiter(map(_TRAITS, tokens), np.int64, n)
    folded = np.fromiter(map(_FOLDED, tokens), np.int64, n)
    lowered = np.fromiter(map(_SPELLED, tokens), np.int64, n)
    counts = np.fromiter(map(len, words), np.int64, len(words))
    line_of = np.repeat(np.arange(len(words)), counts)
    same_line = line_of[1:] == line_of[:-1]  # [g]: tokens g and g + 1 are neighbours on a line

    def has(trait: int) -> np.ndarray:
        return (traits & trait) != 0

    # Phrases: runs of 2+ syllable words with no punctuation between them; `flat` holds their tokens.
    syllable = has(_SYLLABLE)
    linked = same_line & syllable[:-1] & syllable[1:] & ~has(_CLOSES)[:-1] & ~has(_OPENS)[1:]
    in_phrase = np.zeros(n, bool)
    in_phrase[:-1] |= linked
    in_phrase[1:] |= linked
    flat = np.flatnonzero(in_phrase)
    opens = in_phrase.copy()
    opens[1:] &= ~linked
    firsts = np.flatnonzero(opens[flat])
    phrase_of = np.cumsum(opens[flat]) - 1
    left = np.append(firsts[1:], len(flat))[phrase_of] - np.arange(len(flat))  # words to the phrase's end
    capital = has(_CAPITAL)[flat]
    keys, spellings = _windows(folded[flat]), _windows(lowered[flat])
    # Every phrase worth a vote, each run's longest first: names of 2+ capitalized words, other
    # phrases of 3+, up to MAX_WORDS; each size is voted on apart (a key holds its length).
    found: list[tuple[np.ndarray, int, np.ndarray]] = []  # (starts, size, starts of the chosen spelling)
    for size in range(MAX_WORDS, 1, -1):
        fits = left[: len(keys[size])] >= size
        if size == 2:
            fits &= capital[:-1] & capital[1:]
        starts = np.flatnonzero(fits)
        chosen = _dominant(keys[size][starts], spellings[size][starts])
        pick = chosen[keys[size][starts]] if len(chosen) else np.zeros(0, np.int64)
        settled_by = pick >= 0
        found.append((starts[settled_by], size, starts[pick[settled_by]]))
    # Heads: a capitalized syllable right before a name or an abbreviation (`So Tai chinh`, `So TT&TT`),
    # the head of an organisation's name, whose spelling there the document keeps. Only those before a
    # word vote, and only they are judged by the model: it reads a head well before the words of a name
    # and poorly before an abbreviation (one token for unknown ones).
    heads = np.flatnonzero(same_line & has(_HEAD)[:-1] & has(_FOLLOWS_HEAD)[1:])
    before_name = has(_NAME)[heads + 1]
    named, abbreviated = heads[before_name], heads[~before_name]
    chosen = _dominant(folded[named], lowered[named])
    head_picks = []
    for group in (named, abbreviated):
        pick = np.full(len(group), -1, np.int64)
        known = folded[group] < len(chosen)
        pick[known] = chosen[folded[group][known]]
        head_picks.append((group[pick >= 0], named[pick[pick >= 0]]))
    if not any(len(starts) for starts, _, _ in found) and not any(len(g) for g, _ in head_picks):
        return lines
    # In the order a longer phrase settles its words before a shorter one: phrases by run, longest
    # first, then heads before names, then heads before abbreviations. Each as (first token, size,
    # first token of its chosen spelling, judged by the model).
    starts = np.concatenate([flat[s] for s, _, _ in found])
    sizes = np.concatenate([np.full(len(s), size) for s, size, _ in found])
    order = np.lexsort((starts, -sizes, phrase_of[np.concatenate([s for s, _, _ in found])]))
    chosen_at = np.concatenate([flat[c] for _, _, c in found])
    candidates = [
        *zip(
            starts[order].tolist(), sizes[order].tolist(), chosen_at[order].tolist(), [True] * len(order), strict=True
        ),
        *((g, 1, c, True) for g, c in zip(*(a.tolist() for a in head_picks[0]), strict=True)),
        *((g, 1, c, False) for g, c in zip(*(a.tolist() for a in head_picks[1]), strict=True)),
    ]
    line_at = line_of.tolist()
    line_start = (np.cumsum(counts) - counts).tolist()
    settled = bytearray(n)  # tokens a longer phrase already decided
    changed: set[int] = set()
    for g, size, c, judged in candidates:
        li = line_at[g]
        if not editable[li] or settled.find(1, g, g + size) >= 0:
            continue
        line, k = words[li], g - line_start[li]
        before = line[k : k + size]
        after = [
            t.prefix + apply_case(t.core, s.lower) + t.suffix
            for t, s in zip(tokens[g : g + size], tokens[c : c + size], strict=True)
        ]
        if after != before and text_logp is not None and judged:
            # The document's spelling is a prior, not a verdict: where the words around the phrase
            # make it much less likely than the spelling decoded there, the context wins (`Luật Đấu
            # thầu` stays, though the document names `Luật Đầu tư` more often).
            old = text_logp(line)
            line[k : k + size] = after
            if text_logp(line) < old - PRIOR_LOGP:
                line[k : k + size] = before
                continue
        settled[g : g + size] = b"\x01" * size
        if after != before:
            line[k : k + size] = after
            changed.add(li)
    out = list(lines)
    for li in changed:
        written = iter(words[li])
        out[li] = "".join(p if p.isspace() else next(written) for p in split_keep_space(lines[li]))
    return out
