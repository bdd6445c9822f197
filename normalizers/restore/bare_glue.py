"""Words a scan of a print without marks ran together (`Chitieu` for `Chi tieu`), set apart again.

Tesseract drops the narrow space between two short bare words now and then, most often in bold
headings and table headers (`Chi tieu` read `Chitieu`, `So Y te` read `So Yte`). Without marks such a
token looks like any foreign word (`Chatbot`, `Internet`, `Zalo`), so no spelling rule can tell them
apart; the syllable language model can. A token of a bare page that is no Vietnamese syllable, but
reads as two or three bare syllables one after another, is split when the model, restoring a few
words either side, likes the syllables far better than the token kept as a foreign word
(SPLIT_GAIN), or, where the document writes the same syllables apart elsewhere as words (its own heading
`Chi tieu cu the` above the table; not `Viet Nam` for a glued `Vietnam`, whose capital makes it a
name), when the model does not find the split far worse (APART_GAIN): a table cell or a heading
gives the model little context, and there a foreign word is about as likely as two words.
Mixed-case tokens (`eGov`), tokens with digits or symbols (`QĐ-UBND`, addresses, e-mail) and all-caps
tokens of running text (`CNTT`, `KH`) are never split; all-caps tokens only inside a line in capitals.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from normalizers.restore.decode import Restorer, split_keep_space
from normalizers.restore.lexer import split_token
from normalizers.restore.syllables import candidates_by_fold, fold

MIN_LETTERS = 4  # `Yte` has 3: see MIN_LETTERS_APART
MIN_LETTERS_APART = 3
MAX_LETTERS = 14
MAX_PARTS = 3
CONTEXT = 3  # words restored either side of the token when the model judges it
SPLIT_GAIN = 3.0  # nats the split must gain over the token as a foreign word
APART_GAIN = -10.0  # ... when the document writes the same syllables apart elsewhere
_WORD = re.compile(r"[^\W\d_]+")
_ROMAN = re.compile(r"^[IVXLC]+$")  # an outline number (`III.`), no word


@lru_cache(maxsize=65_536)
def segmentations(word: str, parts: int = MAX_PARTS) -> tuple[tuple[str, ...], ...]:
    """Every way to cut `word` (lower case, no marks) into 2..parts bare syllables, fewest first."""
    keys = candidates_by_fold()

    def cut(rest: str, n: int) -> list[tuple[str, ...]]:
        if n == 1:
            return [(rest,)] if rest in keys else []
        out: list[tuple[str, ...]] = []
        for i in range(1, len(rest)):
            if rest[:i] in keys:
                out.extend((rest[:i], *tail) for tail in cut(rest[i:], n - 1))
        return out

    return tuple(seg for n in range(2, parts + 1) for seg in cut(word, n))


def _cased(source: str, pieces: tuple[str, ...]) -> list[str]:
    """The pieces in the token's casing: `Chitieu` → `Chi tieu`, `CHITIEU` → `CHI TIEU`."""
    if source.isupper():
        return [p.upper() for p in pieces]
    if source[:1].isupper():
        return [pieces[0][:1].upper() + pieces[0][1:], *pieces[1:]]
    return list(pieces)


def _caps_line(cores: list[str]) -> bool:
    words = [c for c in cores if len(c) > 1 and c.isalpha()]
    return len(words) >= 2 and sum(c.isupper() for c in words) * 2 > len(words)


def _candidate(core: str, caps_line: bool) -> bool:
    """A token that may be bare syllables run together: letters only, no marks, lower, Title or (in a
    line in capitals) upper case, and no syllable itself."""
    if not (MIN_LETTERS_APART <= len(core) <= MAX_LETTERS) or not core.isalpha() or not core.isascii():
        return False
    if core.isupper():
        if not caps_line or _ROMAN.match(core):
            return False
    elif not (core.islower() or core[1:].islower()):
        return False
    return core.lower() not in candidates_by_fold()


def apart_phrases(texts: Iterable[str]) -> set[str]:
    """Runs of two and three words that the texts write apart, without marks and in lower case: after
    `=` every run, after `~` the runs whose later words are in small letters (or all in capitals), the
    evidence that a glued lower-case or Title-case token of the same letters is those words (a glued
    `Vietnam` is not the `Viet Nam` of the same document: a name keeps its capitals)."""
    seen: set[str] = set()
    for text in texts:
        for line in text.split("\n"):
            words = [fold(w) for w in _WORD.findall(line)]
            for n in (2, 3):
                for i in range(len(words) - n + 1):
                    run = words[i : i + n]
                    phrase = " ".join(run).lower()
                    seen.add("=" + phrase)
                    if all(w.islower() for w in run[1:]) or all(w.isupper() for w in run):
                        seen.add("~" + phrase)
    return seen


def _seen_apart(core: str, pieces: list[str], apart: set[str] | frozenset[str]) -> bool:
    """Whether the document writes these pieces apart: as words (`Chi tieu`, `CHI TIEU`) for a lower-case
    or Title-case token, in any casing for a token in capitals."""
    return ("=" if core.isupper() else "~") + " ".join(pieces).lower() in apart


def split_gain(restorer: Restorer, left: list[str], token: str, pieces: list[str], right: list[str]) -> float:
    """How much more likely (nats) the model finds the words around `token`, restored, with `pieces`
    in its place than with the token kept as it is."""
    glued = restorer.restore_tokens([*left, token, *right], restorer.plain_choice)
    split = restorer.restore_tokens([*left, *pieces, *right], restorer.plain_choice)
    return restorer.text_logp(split) - restorer.text_logp(glued)


def best_split(
    restorer: Restorer, left: list[str], token: str, right: list[str], apart: set[str] | frozenset[str] = frozenset()
) -> list[str] | None:
    """The pieces `token` should be split into in this context, or None to keep it."""
    prefix, core, suffix = split_token(token)
    lower = core.lower()
    best: tuple[float, list[str]] | None = None
    for seg in segmentations(lower):
        pieces = _cased(core, seg)
        seen_apart = _seen_apart(core, pieces, apart)
        if len(core) < MIN_LETTERS and not seen_apart:
            continue
        pieces[0] = prefix + pieces[0]
        pieces[-1] = pieces[-1] + suffix
        gain = split_gain(restorer, left, token, pieces, right)
        if gain >= (APART_GAIN if seen_apart else SPLIT_GAIN) and (best is None or gain > best[0]):
            best = (gain, pieces)
    return best[1] if best is not None else None


def glue_cuts(restorer: Restorer, text: str, apart: set[str] | frozenset[str] = frozenset()) -> list[int]:
    """Offsets in `text` where a space sets glued bare syllables apart (before the letter there)."""
    cuts: list[int] = []
    start = 0
    for line in text.split("\n"):
        parts = split_keep_space(line)
        offsets = [sum(map(len, parts[:k])) for k in range(len(parts))]
        words = [k for k, p in enumerate(parts) if not p.isspace()]
        cores = [split_token(parts[k])[1] for k in words]
        caps = _caps_line(cores)
        for j, k in enumerate(words):
            if not _candidate(cores[j], caps):
                continue
            # The context stops at a table cell's border: the next cell is another text.
            left = [parts[m] for m in words[max(0, j - CONTEXT) : j]]
            right = [parts[m] for m in words[j + 1 : j + 1 + CONTEXT]]
            left = left[len(left) - left[::-1].index("|") :] if "|" in left else left
            right = right[: right.index("|")] if "|" in right else right
            pieces = best_split(restorer, left, parts[k], right, apart)
            if pieces is not None:
                at = start + offsets[k]
                for piece in pieces[:-1]:
                    at += len(piece)
                    cuts.append(at)
        start += len(line) + 1
    return cuts


def insert_spaces(text: str, cuts: list[int]) -> tuple[str, list[int]]:
    """`text` with a space before each offset of `cuts`, and the index of each of its characters in
    `text` (an inserted space points at the letter after it), plus one for the end."""
    pieces: list[str] = []
    index: list[int] = []
    done = 0
    for cut in sorted(cuts):
        pieces.extend((text[done:cut], " "))
        index.extend((*range(done, cut), cut))
        done = cut
    pieces.append(text[done:])
    index.extend(range(done, len(text) + 1))
    return "".join(pieces), index
