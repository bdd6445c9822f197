"""Exact trigram Viterbi over per-token candidate syllables, keeping every non-letter as it is.

A paragraph (lines joined where a hard wrap continues a clause) is one decoding sequence, so
context crosses line breaks; the answer is written back token by token, so lines, whitespace
and token counts never change.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from normalizers.restore import code_letters, lexer
from normalizers.restore.lm import NgramModel
from normalizers.restore.syllables import candidates_by_fold, fold

MAX_CANDIDATES = 16
MAX_KEPT_TOKENS = 200_000  # distinct tokens whose split, candidates and lattice plan are kept
PRUNE_LOGP = float(os.environ.get("VNPLAN_RESTORE_PRUNE", "5.0"))
PRUNE_LOCAL = float(os.environ.get("VNPLAN_RESTORE_PRUNE_LOCAL", "8.0"))
STRAY_MARK_BONUS = 3.0  # log-odds for the marks a stray-marked word was read with (a tie-breaker)
_SPACE_SPLIT = re.compile(r"(\s+)")

# Calendar words of Vietnamese date and deadline expressions, and the shape of the number that makes
# each one a date: `năm 2024`, `tháng 5/2024`, `tháng 9-11/2024`, `ngày 30/6/2025`, `quý II/2024`.
# The model has one class for all numbers (`<num>`), so before a number it may prefer another word of
# the same letters (`: nam <num>`, as in `Giới tính: Nam`); the number's shape settles it.
_YEAR = r"(?:19|20)\d\d"
_DATE_WORDS: dict[str, tuple[str, re.Pattern[str]]] = {
    "nam": ("năm", re.compile(rf"^{_YEAR}(?:[-–]{_YEAR})?$")),
    "thang": ("tháng", re.compile(rf"^(?:0?[1-9]|1[0-2])(?:[-–](?:0?[1-9]|1[0-2]))?(?:/{_YEAR})?$")),
    "ngay": ("ngày", re.compile(rf"^(?:0?[1-9]|[12]\d|3[01])(?:/(?:0?[1-9]|1[0-2]))?(?:/{_YEAR})?$")),
    "quy": ("quý", re.compile(rf"^(?:I{{1,3}}|IV|[1-4])(?:/{_YEAR})?$")),
}


@dataclass
class Choice:
    """Candidates for one syllable position: LM ids, their surface forms, channel log-scores."""

    ids: np.ndarray
    forms: list[str]
    emit: np.ndarray


@dataclass
class Placed:
    """A token the decoder chooses for: its words' slots in the lattice (one, or one per word of
    `đợt/năm`) and the punctuation around them."""

    run: int
    token: int
    prefix: str
    suffix: str
    parts: list[tuple[int, str]]  # (slot, the word as written)


# A candidate generator: (core of a token) → Choice, or None to leave the token as it is.
CandidateFn = Callable[[str], "Choice | None"]


@dataclass(frozen=True)
class _Plan:
    """What a token adds to the lattice: `fixed` ids (context only), or `choice` (one slot), after a
    `(` when `paren`, before the id of its closing punctuation `mark`."""

    fixed: tuple[int, ...] | None = None
    paren: bool = False
    prefix: str = ""
    core: str = ""
    suffix: str = ""
    choice: Choice | None = None
    mark: int | None = None


class Restorer:
    def __init__(self, model: NgramModel, capital_runs: dict[str, str] | None = None) -> None:
        self.model = model
        self.capital_runs = capital_runs or {}  # code_letters: QD → QĐ inside codes kept as they are
        self.bos = model.index[lexer.BOS]
        self.eos = model.index[lexer.EOS]
        self._fold_choices: dict[str, Choice] = {}
        uni = model.uni_lp
        for key, forms in candidates_by_fold().items():
            ids = [model.index[f] for f in forms if f in model.index]
            ids.sort(key=lambda i: -uni[i])
            # Candidates far less likely than the best one a priori almost never win in
            # context; dropping them shrinks the trigram lattice (k³ lookups per position).
            ids = [i for i in ids[:MAX_CANDIDATES] if uni[i] >= uni[ids[0]] - PRUNE_LOGP]
            self._fold_choices[key] = Choice(np.array(ids, np.int64), [model.vocab[i] for i in ids], np.zeros(len(ids)))
        self._fixed: dict[str, list[int]] = {}
        # Per distinct token, what does not depend on its neighbours (a document repeats its words).
        self._plain: dict[str, Choice | None] = {}
        self._stray: dict[str, Choice | None] = {}
        self._pieces: dict[str, tuple[str, str, str, int]] = {}
        self._codes: dict[str, str] = {}
        # What a token adds to the lattice, for the candidate generators of this class, in running
        # text and in a text in capitals (`_plan`).
        self._plans: dict[tuple[CandidateFn, bool], dict[str, _Plan | None]] = {}
        self._one: dict[int, np.ndarray] = {}  # a token id as a lattice position of one candidate
        self._bos_arr = np.array([self.bos], np.int64)
        self._eos_arr = np.array([self.eos], np.int64)

    # -- candidates ------------------------------------------------------------------------
    def plain_choice(self, core: str) -> Choice | None:
        """Candidates for a diacritics-less word; None if it is not a Vietnamese syllable."""
        try:
            return self._plain[core]
        except KeyError:
            choice = self._plain[core] = self._plain_choice(core)
            return choice

    def _plain_choice(self, core: str) -> Choice | None:
        if not core.isalpha() or not lexer.is_wordlike_case(core):
            return None
        lower = core.lower()
        if fold(lower) != lower:
            return None
        return self._fold_choices.get(lower)

    def stray_mark_choice(self, core: str) -> Choice | None:
        """Candidates for a word of a text without marks, where a word that has some got them by
        mistake (an OCR reading of a bare print): every syllable of its letters, the form as read
        slightly favoured."""
        try:
            return self._stray[core]
        except KeyError:
            choice = self._stray[core] = self._stray_mark_choice(core)
            return choice

    def _stray_mark_choice(self, core: str) -> Choice | None:
        plain = self.plain_choice(core)
        if plain is not None or not core.isalpha() or not lexer.is_wordlike_case(core):
            return plain
        lower = core.lower()
        choice = self._fold_choices.get(fold(lower))
        if choice is None or lower not in choice.forms:
            return choice
        emit = choice.emit.copy()
        emit[choice.forms.index(lower)] += STRAY_MARK_BONUS
        return Choice(choice.ids, choice.forms, emit)

    def text_logp(self, tokens: list[str]) -> float:
        """The model's log-probability of a run of whitespace tokens as written (one text)."""
        ids = [self.bos, self.bos, *(i for token in tokens for i in self.fixed_ids(token)), self.eos]
        arr = np.array(ids, np.int64)
        return float(self.model.score(arr[:-2], arr[1:-1], arr[2:]).sum())

    def texts_logp(self, texts: list[list[str]]) -> list[float]:
        """`text_logp` of each text (the same numbers), all looked up in one batch."""
        runs = [
            [self.bos, self.bos, *(i for token in tokens for i in self.fixed_ids(token)), self.eos] for tokens in texts
        ]
        if not runs:
            return []
        a = np.array([i for ids in runs for i in ids[:-2]], np.int64)
        b = np.array([i for ids in runs for i in ids[1:-1]], np.int64)
        c = np.array([i for ids in runs for i in ids[2:]], np.int64)
        scores = self.model.score(a, b, c)
        ends = np.cumsum([len(ids) - 2 for ids in runs]).tolist()
        # Each text's scores summed as an array of their own, as `text_logp` sums them (numpy's pairwise
        # sum depends on the length).
        return [float(scores[end - len(ids) + 2 : end].copy().sum()) for ids, end in zip(runs, ends, strict=True)]

    def fixed_ids(self, token: str) -> list[int]:
        """LM ids for a token kept as it is (context only)."""
        ids = self._fixed.get(token)
        if ids is None:
            ids = []
            for tok in lexer.lm_tokens_of(token, None):
                i = self.model.index.get(tok)
                if i is None:
                    i = self.model.index[lexer.ABBR if tok[:1].isalpha() and tok.isupper() else lexer.FOREIGN]
                ids.append(i)
            self._fixed[token] = ids
        return ids

    # -- decoding --------------------------------------------------------------------------
    def restore_tokens(self, tokens: list[str], choose: CandidateFn) -> list[str]:
        """Restore one running text given as whitespace tokens; returns tokens 1:1."""
        return self.restore_runs([tokens], choose)[0]

    def restore_runs(self, runs: list[list[str]], choose: CandidateFn, cut_ends: bool = False) -> list[list[str]]:
        """Restore several independent running texts in one lattice (sentence boundaries
        between them), which saves per-call overhead; returns tokens 1:1 for each.

        With `cut_ends`, a run that stops mid-sentence (`stops_mid_sentence`) gets no sentence end
        scored after it: the words read before a cut (a page's foot, a line cut off) keep their
        reading unless their own context says otherwise. Measured: correct `vie` readings left
        unchanged 99.88% → 99.91% (1,200 held-out lines, more misreadings fixed too); for stripped
        text it gains nothing (held-out documents 99.38% → 99.36%), so restoration keeps the end.
        """
        if len(self._pieces) > MAX_KEPT_TOKENS:  # a long batch of documents: start the memos afresh
            for memo in (self._fixed, self._plain, self._stray, self._pieces, self._codes, self._plans):
                memo.clear()
        slots: list[Choice | int] = []
        where: list[Placed] = []
        cuts: list[int] = []  # lattice positions (slot + 2: <s> <s> come first) of </s> not scored
        for ri, tokens in enumerate(runs):
            if ri:
                if cut_ends and stops_mid_sentence(runs[ri - 1]):
                    cuts.append(len(slots) + 2)
                slots.extend((self.eos, self.bos, self.bos))
            self._add_slots(ri, tokens, choose, slots, where)
        if cut_ends and runs and stops_mid_sentence(runs[-1]):
            cuts.append(len(slots) + 2)
        # Tokens the decoder does not choose for keep their letters, but codes get their Đ back.
        out = [[self._code_letters(token) for token in tokens] for tokens in runs]
        if not where:
            return out
        best = self._viterbi(slots, cuts)
        for placed in where:
            if len(placed.parts) == 1:  # most tokens: one word
                si, core = placed.parts[0]
                form = slots[si].forms[best[si]]  # type: ignore[union-attr]
                out[placed.run][placed.token] = placed.prefix + apply_case(core, form) + placed.suffix
                continue
            words = []
            for si, core in placed.parts:
                choice = slots[si]
                assert isinstance(choice, Choice)
                words.append(apply_case(core, choice.forms[best[si]]))
            out[placed.run][placed.token] = placed.prefix + "/".join(words) + placed.suffix
        return out

    def _code_letters(self, token: str) -> str:
        try:
            return self._codes[token]
        except KeyError:
            restored = self._codes[token] = code_letters.restore(token, self.capital_runs)
            return restored

    def _split(self, token: str) -> tuple[str, str, str, int]:
        """(prefix, core, suffix, word) of a token; `word`: 1 for a word that spells a syllable, 2 for one in
        capitals, 0 for anything else (`lexer.split_token`)."""
        try:
            return self._pieces[token]
        except KeyError:
            prefix, core, suffix = lexer.split_token(token)
            word = len(core) > 1 and core.isalpha() and fold(core.lower()) in self._fold_choices
            pieces = self._pieces[token] = (prefix, core, suffix, 2 if word and core.isupper() else int(word))
            return pieces

    def _add_slots(
        self, ri: int, tokens: list[str], choose: CandidateFn, slots: list[Choice | int], where: list[Placed]
    ) -> None:
        # In running mixed-case text an all-caps word is an abbreviation (TU, HĐND), not a word.
        known = self._pieces
        pieces = [known.get(t) or self._split(t) for t in tokens]
        flags = [piece[3] for piece in pieces]
        n_caps = flags.count(2)
        caps_text = n_caps >= 2 and n_caps * 2 > len(flags) - flags.count(0)
        # A generator of this class gives a token the same candidates anywhere: its plan is kept.
        plans = self._plans.setdefault((choose, caps_text), {}) if getattr(choose, "__self__", None) is self else None
        add, place = slots.append, where.append
        for ti, token in enumerate(tokens):
            if plans is not None:
                plan = plans[token] if token in plans else plans.setdefault(token, self._plan(token, choose, caps_text))
                if plan is not None:
                    if plan.fixed is not None:
                        slots.extend(plan.fixed)
                        continue
                    if plan.paren:
                        add(self.model.index["("])
                    place(Placed(ri, ti, plan.prefix, plan.suffix, [(len(slots), plan.core)]))
                    add(plan.choice)
                    if plan.mark is not None:
                        add(plan.mark)
                    continue
            prefix, core, suffix, _ = pieces[ti]
            if token == "|":
                slots.extend((self.eos, self.bos, self.bos))  # a table cell border ends a text
                continue
            # Short all-caps words in running text are abbreviations (TU, CN); longer ones that
            # spell syllables are words of a heading squeezed into the line (TINH LAO CAI).
            keep = not core or (not caps_text and len(core) == 2 and core.isalpha() and core.isupper())
            # Words joined by slashes (đợt/năm, người/vạn dân) are words in a row, not a code.
            parts = core.split("/") if not keep and "/" in core else [core]
            if len(parts) > 1 and not all(part.isalpha() and part.islower() for part in parts):
                parts = [core]
            choices = [None if keep else choose(part) for part in parts]
            if len(parts) == 1 and choices[0] is not None and core.lower() in _DATE_WORDS:
                following = tokens[ti + 1] if ti + 1 < len(tokens) else ""
                before = pieces[ti - 1][:3] if ti else ("", "", "")
                choices[0] = self._date_word(before, core, following, choices[0])
            if any(choice is None or len(choice.ids) == 0 for choice in choices):
                slots.extend(self.fixed_ids(token))
                continue
            if "(" in prefix:
                slots.append(self.model.index["("])
            placed = Placed(ri, ti, prefix, suffix, [])
            for part, choice in zip(parts, choices, strict=True):
                placed.parts.append((len(slots), part))
                slots.append(choice)  # type: ignore[arg-type]
            where.append(placed)
            if suffix:
                mark = lexer.LM_PUNCT.get(suffix.rstrip("\"'”’»")[-1:] or suffix[0])
                if mark:
                    slots.append(self.model.index[mark])

    def _plan(self, token: str, choose: CandidateFn, caps_text: bool) -> _Plan | None:
        """What `_add_slots` adds for `token` where its neighbours do not matter: its fixed ids, or one
        slot of candidates with the tokens around it; None for words joined by slashes and calendar
        words (`_add_slots` works those out in place)."""
        prefix, core, suffix, _ = self._split(token)
        if token == "|":
            return _Plan(fixed=(self.eos, self.bos, self.bos))
        keep = not core or (not caps_text and len(core) == 2 and core.isalpha() and core.isupper())
        if not keep and ("/" in core or core.lower() in _DATE_WORDS):
            return None
        choice = None if keep else choose(core)
        if choice is None or len(choice.ids) == 0:
            return _Plan(fixed=tuple(self.fixed_ids(token)))
        mark = lexer.LM_PUNCT.get(suffix.rstrip("\"'”’»")[-1:] or suffix[0]) if suffix else None
        return _Plan(None, "(" in prefix, prefix, core, suffix, choice, self.model.index[mark] if mark else None)

    @staticmethod
    def _date_word(before: tuple[str, str, str], core: str, following: str, choice: Choice) -> Choice:
        """The calendar word alone when `core` spells one and the next token is a date of its shape
        (`thang 5/2024` is `tháng`), unless a capital right after a capitalized word makes it part of
        a name (`Viet Nam 2024`)."""
        date_word = _DATE_WORDS.get(core.lower())
        if date_word is None:
            return choice
        _, previous, punct = before
        if not core.islower() and previous[:1].isupper() and not punct:
            return choice
        word, shape = date_word
        number = lexer.split_token(following)[1]
        if not shape.match(number) or word not in choice.forms:
            return choice
        k = choice.forms.index(word)
        return Choice(choice.ids[k : k + 1], [word], choice.emit[k : k + 1])

    def _viterbi(self, slots: list[Choice | int], cuts: Sequence[int] = ()) -> list[int]:
        """Best candidate index per slot: prune the lattice, then exact trigram Viterbi; the
        sentence ends at positions `cuts` are not scored.

        The lattice is kept flat (all candidates of all positions in one array, `sizes` per
        position) and every n-gram score is looked up in one batch: numpy call overhead, not
        arithmetic, is what costs here. Where two neighbouring positions have one candidate each
        the best path must pass through them, so the lattice falls into independent segments
        (a dozen positions on average); `_Lattice.best_paths` steps through all of them at once.
        """
        parts: list[np.ndarray] = [self._bos_arr, self._bos_arr]
        emit_parts: list[np.ndarray] = [_ZERO1, _ZERO1]
        # What each position holds (a candidate list, or one token), numbered: neighbours recur.
        kind_of: dict[int, int] = {~self.bos: 0}
        kinds = [0, 0]
        for s in slots:
            if isinstance(s, Choice):
                parts.append(s.ids)
                emit_parts.append(s.emit)
                kinds.append(kind_of.setdefault(id(s.ids), len(kind_of)))
            else:
                one = self._one.get(s)
                if one is None:
                    one = self._one[s] = np.array([s], np.int64)
                parts.append(one)
                emit_parts.append(_ZERO1)
                kinds.append(kind_of.setdefault(~s, len(kind_of)))  # ~s < 0: never an id()
        parts.append(self._eos_arr)
        emit_parts.append(_ZERO1)
        kinds.append(kind_of.setdefault(~self.eos, len(kind_of)))
        sizes = np.fromiter((len(x) for x in parts), np.int64, len(parts))
        if sizes.max() == 1:
            return [0] * (len(sizes) - 3)  # nothing to choose
        flat = np.concatenate(parts)
        emit = np.concatenate(emit_parts)
        local = np.arange(len(flat)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        pre = _Pairs(sizes)
        if len(kind_of) * 2 > len(kinds):  # a line or two: few pairs recur
            pre_bigram = self.model.bigram(flat[pre.left], flat[pre.right])
        else:  # log P(right | left) for every pair, each recurring pair of neighbours looked up once
            kind = np.array(kinds, np.int64)
            pair_kind = kind[:-1] * len(kind_of) + kind[1:]
            _, first, which = np.unique(pair_kind, return_index=True, return_inverse=True)
            once = _Pairs(sizes, first)
            pre_bigram = self.model.bigram(flat[once.left], flat[once.right])
            pre_bigram = pre_bigram[np.repeat(once.off[which] - pre.off, pre.kb * pre.kc) + np.arange(len(pre.left))]
        keep = self._prune(emit, sizes, pre, pre_bigram)
        flat, emit, local = flat[keep], emit[keep], local[keep]
        sizes = np.add.reduceat(keep, pre.starts).astype(np.int64)
        starts = np.cumsum(sizes) - sizes
        if sizes.max() == 1:
            return local[starts[2:-1]].tolist()  # pruning left one candidate everywhere
        lattice = _Lattice(sizes)
        # Scores of pairs of neighbours: log P(right | left) (kept from pruning) and the backoff
        # weight of (left, right) as a context; each trigram backs off to one of each.
        post = _Pairs(sizes)
        owner = post.owner
        left_local, right_local = local[post.left], local[post.right]
        lower = pre_bigram[pre.off[owner] + left_local * pre.kc[owner] + right_local]
        ctx, has_trigrams = self.model.context(flat[post.left], flat[post.right])
        st = lattice.step_pos
        a, b, c, ab_pair, bc_pair = lattice.trigrams(post.off)
        # Only a third of the trigrams have a context the model stores any trigram for: look up those.
        asked = np.flatnonzero(has_trigrams[ab_pair])
        a, b, c = flat[a[asked]], flat[b[asked]], flat[c[asked]]
        scores = self.model.trigram_or(a, b, c, ctx[ab_pair] + lower[bc_pair], asked)
        if len(cuts):
            # P(</s> | x y) and P(<s> | y </s>) at a cut: no sentence ends there.
            at_cut = np.isin(st, cuts) | np.isin(st - 1, cuts)
            scores = np.where(at_cut[lattice.entry_step()], 0.0, scores)
        group_emit = np.where(sizes[lattice.group_c_pos] > 1, emit[lattice.group_c], 0.0)
        if lattice.sums_exact(scores, group_emit):
            choice = lattice.best_paths(scores.astype(np.float64), group_emit)
        else:
            choice = lattice.best_paths_in_order(scores, emit)
        return local[starts[2:-1] + choice[2:-1]].tolist()

    def _prune(self, emit: np.ndarray, sizes: np.ndarray, pairs: _Pairs, bigram: np.ndarray) -> np.ndarray:
        """Drop candidates that even their best bigram neighbours on both sides rate far below
        the position's best: shrinks the k³ trigram lattice several-fold at no measurable cost
        in accuracy. Returns the candidates kept (a mask over the flat lattice)."""
        kb, kc = sizes[:-1], sizes[1:]
        owner = pairs.owner
        r = np.arange(len(owner)) - pairs.off[owner]
        kco = kc[owner]
        kbo = kb[owner]
        # Best right neighbour of each left candidate: contiguous runs of length kc.
        best_right = np.maximum.reduceat(bigram, np.cumsum(np.repeat(kc, kb)) - np.repeat(kc, kb))
        # Best left neighbour of each right candidate: the same scores in (pair, right, left) order.
        perm = pairs.off[owner] + (r % kbo) * kco + r // kbo
        best_left = np.maximum.reduceat(bigram[perm], np.cumsum(np.repeat(kb, kc)) - np.repeat(kb, kc))
        score = emit.copy()
        score[: len(emit) - sizes[-1]] += best_right
        score[sizes[0] :] += best_left
        top = np.maximum.reduceat(score, pairs.starts)
        return score >= np.repeat(top, sizes) - PRUNE_LOCAL


class _Pairs:
    """Every pair of candidates of neighbouring positions p, p+1 of a flat lattice (of the positions
    `left_of`, all by default), in (p, left, right) order: `left`, `right` index the flat lattice;
    `off[k]` is where the k-th pair of positions begins, `owner` the pair of positions of each."""

    def __init__(self, sizes: np.ndarray, left_of: np.ndarray | None = None) -> None:
        self.starts = np.cumsum(sizes) - sizes
        p = np.arange(len(sizes) - 1) if left_of is None else left_of
        self.kb, self.kc = sizes[p], sizes[p + 1]
        m = self.kb * self.kc
        self.off = np.cumsum(m) - m
        # One run of `kc` pairs per left candidate: built with np.repeat, no index arithmetic per pair.
        run_pair = np.repeat(np.arange(len(p)), self.kb)
        run_left = (
            self.starts[p][run_pair] + np.arange(len(run_pair)) - np.repeat(np.cumsum(self.kb) - self.kb, self.kb)
        )
        run_len = self.kc[run_pair]
        self.owner = np.repeat(run_pair, run_len)
        self.left = np.repeat(run_left, run_len)
        within = np.arange(int(m.sum())) - np.repeat(np.cumsum(run_len) - run_len, run_len)
        self.right = np.repeat(self.starts[p + 1][run_pair], run_len) + within


class _Lattice:
    """The trigram steps of a pruned lattice, grouped into independent segments and ordered for
    stepping through all segments at once.

    Step i scores positions (i-2, i-1, i) and leaves a best score per state (candidate of i-1,
    candidate of i). Where positions i-1 and i both have one candidate there is one state: the
    steps after it depend on those before it only through a constant, so a segment ends there.
    Steps over three single-candidate positions change nothing and are left out. Segments are
    ranked longest first and the steps ordered by (place in segment, rank): the steps of block j are
    the j-th steps of segments 0..A_j-1, so every state array of a block is a prefix of the last one.
    Each step's trigrams are laid out (state (b, c), then a): a group of `ka` entries per state.
    """

    def __init__(self, sizes: np.ndarray) -> None:
        self.sizes = sizes
        self.starts = np.cumsum(sizes) - sizes
        n = len(sizes)
        single = sizes == 1
        pinch = np.zeros(n, bool)
        pinch[1:] = single[:-1] & single[1:]
        steps = np.arange(2, n)
        steps = steps[~(single[:-2] & single[1:-1] & single[2:])]
        seg_id = np.cumsum(pinch)[steps - 1]
        _, first, length = np.unique(seg_id, return_index=True, return_counts=True)
        seg = np.repeat(np.arange(len(length)), length)
        place = np.arange(len(steps)) - first[seg]
        rank = np.empty(len(length), np.int64)
        rank[np.argsort(-length, kind="stable")] = np.arange(len(length))
        order = np.argsort(place * len(length) + rank[seg])
        self.step_pos = steps[order]  # the position i of each step, in stepping order
        self.place = place[order]
        self.rank = rank[seg][order]
        self.block_size = np.bincount(self.place)  # A_j: segments still running at their j-th step
        self.block_start = np.cumsum(self.block_size) - self.block_size
        i = self.step_pos
        self.ka, self.kb, self.kc = sizes[i - 2], sizes[i - 1], sizes[i]
        m = self.ka * self.kb * self.kc
        g = self.kb * self.kc
        self.entry_off = np.cumsum(m) - m
        self.group_off = np.cumsum(g) - g
        # Each state group (step, b, c) and its `ka` entries; what entries share is computed per group
        # and repeated (np.repeat is far cheaper than index arithmetic over every entry).
        gs = self.group_step = np.repeat(np.arange(len(i)), g)
        bc = np.arange(int(g.sum())) - self.group_off[gs]
        self.group_b, group_c = bc // self.kc[gs], bc % self.kc[gs]
        self.group_ka = self.ka[gs]
        self.group_first = np.cumsum(self.group_ka) - self.group_ka  # its first entry
        self.group_c_pos = i[gs]
        self.group_c = self.starts[self.group_c_pos] + group_c
        self.entry_group = np.repeat(np.arange(len(gs)), self.group_ka)
        self.a = np.arange(int(m.sum())) - np.repeat(self.group_first, self.group_ka)  # candidate a, local
        self.a_kb = self.a * np.repeat(self.kb[gs], self.group_ka)  # a's row among the (a, b) states

    def entry_step(self) -> np.ndarray:
        """The step of every trigram entry."""
        return np.repeat(np.arange(len(self.step_pos)), self.ka * self.kb * self.kc)

    def trigrams(self, pair_off: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Flat-lattice indexes (a, b, c) of every trigram, and the indexes of its pairs (a, b) and
        (b, c) among the lattice's neighbour pairs (`_Pairs`, whose `off` is `pair_off`)."""
        gs, ka, b = self.group_step, self.group_ka, self.group_b
        i = self.group_c_pos
        return (
            np.repeat(self.starts[i - 2], ka) + self.a,
            np.repeat(self.starts[i - 1] + b, ka),
            np.repeat(self.group_c, ka),
            np.repeat(pair_off[i - 2] + b, ka) + self.a_kb,
            np.repeat(pair_off[i - 1] + b * self.kc[gs] + (self.group_c - self.starts[i]), ka),
        )

    def sums_exact(self, scores: np.ndarray, group_emit: np.ndarray) -> bool:
        """Whether every path score is an exact float64 sum, so that a segment's choices do not depend
        on the constant it starts from: all scores are multiples of 2^g (float32 values) and no path
        sum reaches 2^(52+g). Holds for the committed model by far (g = -30, sums < 2^19)."""
        nonzero = scores[scores != 0]
        if not len(nonzero):
            return True
        g = int(np.frexp(nonzero)[1].min()) - 24
        scaled = np.ldexp(group_emit, -g)
        if not np.array_equal(scaled, np.round(scaled)):
            return False
        bound = np.maximum.reduceat(np.abs(scores), self.entry_off).sum() + np.abs(group_emit).sum()
        return bool(bound < 2.0 ** (52 + g))

    def best_paths(self, scores: np.ndarray, group_emit: np.ndarray) -> np.ndarray:
        """Best candidate per position (local index after pruning), all segments stepped together:
        block j updates the j-th step of every segment still running with a dozen numpy calls."""
        n = len(self.sizes)
        starts, sizes = self.block_start.tolist(), self.block_size.tolist()
        # Where each step's states (a, b) sit in the state array the previous block left.
        prev_place = np.maximum(self.place - 1, 0)
        prev_block = self.block_start[prev_place]
        state_base = np.where(
            self.place > 0, self.group_off[prev_block + self.rank] - self.group_off[prev_block], self.rank
        )
        state = np.repeat(state_base[self.group_step] + self.group_b, self.group_ka) + self.a_kb
        entry_bounds = np.append(self.entry_off, len(scores)).tolist()
        group_bounds = np.append(self.group_off, len(group_emit)).tolist()
        back = np.empty(len(group_emit), np.int64)
        last = int(np.argmax(self.step_pos))
        final = np.zeros(1)
        delta = np.zeros(sizes[0])
        for s0, k in zip(starts, sizes, strict=True):
            e0, e1 = entry_bounds[s0], entry_bounds[s0 + k]
            g0, g1 = group_bounds[s0], group_bounds[s0 + k]
            total = delta[state[e0:e1]] + scores[e0:e1]
            firsts = self.group_first[g0:g1] - e0
            best = np.maximum.reduceat(total, firsts)
            hit = total == best[self.entry_group[e0:e1] - g0]
            back[g0:g1] = np.minimum.reduceat(np.where(hit, self.a[e0:e1], _NO_CANDIDATE), firsts)
            delta = best + group_emit[g0:g1]
            if s0 <= last < s0 + k:
                first = int(self.group_off[last]) - g0
                final = delta[first : first + int(self.kb[last] * self.kc[last])]
        choice = np.zeros(n, np.int64)
        # Each segment ends on one state (0, 0), but the last one may end at </s> after a choice.
        end_b = np.zeros(sizes[0], np.int64)
        end_c = np.zeros(sizes[0], np.int64)
        if self.step_pos[last] == n - 1:
            choice[n - 2] = end_b[self.rank[last]] = int(final.argmax())  # the state (b, </s>)
        for s0, k in reversed(list(zip(starts, sizes, strict=True))):
            a = back[self.group_off[s0 : s0 + k] + end_b[:k] * self.kc[s0 : s0 + k] + end_c[:k]]
            choice[self.step_pos[s0 : s0 + k] - 2] = a
            end_c[:k] = end_b[:k]
            end_b[:k] = a
        return choice

    def best_paths_in_order(self, scores: np.ndarray, emit: np.ndarray) -> np.ndarray:
        """The same, position by position through the whole lattice, adding scores in the order
        the paths run: for scores whose sums float64 does not hold exactly."""
        n = len(self.sizes)
        at = np.full(n, -1, np.int64)
        at[self.step_pos] = np.arange(len(self.step_pos))
        sz = self.sizes.tolist()
        st = self.starts.tolist()
        delta = np.zeros((1, 1))
        backs: list[np.ndarray | None] = []
        for i in range(2, n):
            na, nb, nc = sz[i - 2], sz[i - 1], sz[i]
            if at[i] < 0:
                backs.append(None)  # delta stays (1, 1): a constant offset changes no choice
                continue
            e0 = int(self.entry_off[at[i]])
            t = scores[e0 : e0 + na * nb * nc].reshape(nb, nc, na).transpose(2, 0, 1)
            if na == 1:
                delta = delta.reshape(nb, 1) + t[0]
                backs.append(None)
            else:
                total = delta[:, :, None] + t
                backs.append(total.argmax(axis=0))
                delta = total.max(axis=0)
            if nc > 1:
                delta = delta + emit[st[i] : st[i] + nc]
        # delta: (k_last_slot, 1 for </s>); walk back through (prev, cur) states.
        choice = [0] * n
        choice[n - 2], choice[n - 1] = divmod(int(delta.argmax()), delta.shape[1])
        for i in range(n - 1, 2, -1):
            bp = backs[i - 2]
            choice[i - 2] = 0 if bp is None else int(bp[choice[i - 1], choice[i]])
        return np.array(choice, np.int64)


_NO_CANDIDATE = np.int64(1 << 40)


_ZERO1 = np.zeros(1)
_SENTENCE_SIGNS = frozenset(".!?:;")


def stops_mid_sentence(tokens: list[str]) -> bool:
    """A run whose last word is in small letters with no closing sign after it was cut there (a
    sentence, an item or a heading in capitals ends otherwise)."""
    if not tokens:
        return False
    _, core, suffix = lexer.split_token(tokens[-1])
    return core[:1].isalpha() and core.islower() and not set(suffix) & _SENTENCE_SIGNS


def apply_case(source: str, word: str) -> str:
    """Give `word` the casing of `source` (UPPER, Title, lower, or letter by letter)."""
    if source.islower():
        return word
    if source[0].isupper() and (len(source) == 1 or source[1:].islower()):
        return word[:1].upper() + word[1:]
    n_upper = sum(ch.isupper() for ch in source)
    if n_upper >= 2 and n_upper * 3 >= 2 * sum(ch.isalpha() for ch in source):
        return word.upper()  # PiCH (OCR'd ĐÍCH) is an upper-case word
    if len(source) == len(word):
        return "".join(w.upper() if s.isupper() else w for s, w in zip(source, word, strict=True))
    if source.isupper() and len(source) > 1:
        return word.upper()
    if source[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def split_keep_space(line: str) -> list[str]:
    """'a  b' → ['a', '  ', 'b']: tokens with the exact whitespace between them."""
    return [p for p in _SPACE_SPLIT.split(line) if p != ""]
