"""Exact trigram Viterbi over per-token candidate syllables, keeping every non-letter as it is.

A paragraph (lines joined where a hard wrap continues a clause) is one decoding sequence, so
context crosses line breaks; the answer is written back token by token, so lines, whitespace
and token counts never change.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from normalizers.restore import lexer
from normalizers.restore.lm import NgramModel
from normalizers.restore.syllables import candidates_by_fold, fold

MAX_CANDIDATES = 10
_SPACE_SPLIT = re.compile(r"(\s+)")


@dataclass
class Choice:
    """Candidates for one syllable position: LM ids, their surface forms, channel log-scores."""
    ids: np.ndarray
    forms: list[str]
    emit: np.ndarray


# A candidate generator: (core of a token) → Choice, or None to leave the token as it is.
CandidateFn = Callable[[str], "Choice | None"]


class Restorer:
    def __init__(self, model: NgramModel) -> None:
        self.model = model
        self.bos = model.index[lexer.BOS]
        self.eos = model.index[lexer.EOS]
        self._fold_choices: dict[str, Choice] = {}
        uni = model.uni_lp
        for key, forms in candidates_by_fold().items():
            ids = [model.index[f] for f in forms if f in model.index]
            ids.sort(key=lambda i: -uni[i])
            ids = ids[:MAX_CANDIDATES]
            self._fold_choices[key] = Choice(np.array(ids, np.int64), [model.vocab[i] for i in ids],
                                             np.zeros(len(ids)))
        self._fixed: dict[str, int] = {}

    # -- candidates ------------------------------------------------------------------------
    def plain_choice(self, core: str) -> Choice | None:
        """Candidates for a diacritics-less word; None if it is not a Vietnamese syllable."""
        if not core.isalpha() or not lexer.is_wordlike_case(core):
            return None
        lower = core.lower()
        if fold(lower) != lower:
            return None
        return self._fold_choices.get(lower)

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
            self._fixed[token] = ids  # type: ignore[assignment]
        return ids  # type: ignore[return-value]

    # -- decoding --------------------------------------------------------------------------
    def restore_tokens(self, tokens: list[str], choose: CandidateFn) -> list[str]:
        """Restore one running text given as whitespace tokens; returns tokens 1:1."""
        # In running mixed-case text an all-caps word is an abbreviation (TU, HĐND), not a word.
        cores = [lexer.split_token(t)[1] for t in tokens]
        long_alpha = [c for c in cores if len(c) > 1 and c.isalpha()]
        caps_text = sum(c.isupper() for c in long_alpha) * 2 >= len(long_alpha)
        slots: list[Choice | int] = []
        where: list[tuple[int, int, str, str, str]] = []  # (token idx, slot idx, prefix, core, suffix)
        for ti, token in enumerate(tokens):
            prefix, core, suffix = lexer.split_token(token)
            keep = not core or (not caps_text and len(core) > 1 and core.isupper())
            choice = None if keep else choose(core)
            if choice is None or len(choice.ids) == 0:
                slots.extend(self.fixed_ids(token))
                continue
            if "(" in prefix:
                slots.append(self.model.index["("])
            where.append((ti, len(slots), prefix, core, suffix))
            slots.append(choice)
            if suffix:
                mark = lexer.LM_PUNCT.get(suffix.rstrip("\"'”’»")[-1:] or suffix[0])
                if mark:
                    slots.append(self.model.index[mark])
        if not where:
            return tokens
        best = self._viterbi(slots)
        out = list(tokens)
        for ti, si, prefix, core, suffix in where:
            choice = slots[si]
            assert isinstance(choice, Choice)
            out[ti] = prefix + apply_case(core, choice.forms[best[si]]) + suffix
        return out

    def _viterbi(self, slots: list[Choice | int]) -> list[int]:
        model = self.model
        seq_ids = [np.array([self.bos]), np.array([self.bos])]
        emits: list[np.ndarray | None] = [None, None]
        for s in slots:
            if isinstance(s, Choice):
                seq_ids.append(s.ids)
                emits.append(s.emit)
            else:
                seq_ids.append(np.array([s], np.int64))
                emits.append(None)
        seq_ids.append(np.array([self.eos]))
        emits.append(None)
        delta = np.zeros((1, 1))
        backs: list[np.ndarray] = []
        for i in range(2, len(seq_ids)):
            a, b, c = seq_ids[i - 2], seq_ids[i - 1], seq_ids[i]
            scores = model.score(a[:, None, None], b[None, :, None], c[None, None, :])
            total = delta[:, :, None] + scores
            bp = total.argmax(axis=0)
            delta = np.take_along_axis(total, bp[None], axis=0)[0]
            emit = emits[i]
            if emit is not None:
                delta = delta + emit[None, :]
            backs.append(bp)
        # delta: (k_last_slot, 1 for </s>); walk back through (prev, cur) states.
        n = len(seq_ids)
        choice = [0] * n
        flat = int(delta.argmax())
        choice[n - 2], choice[n - 1] = divmod(flat, delta.shape[1])
        for i in range(n - 1, 2, -1):
            choice[i - 2] = int(backs[i - 2][choice[i - 1], choice[i]])
        return choice[2:-1]


def apply_case(source: str, word: str) -> str:
    """Give `word` the casing of `source` (UPPER, Title, lower, or letter by letter)."""
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
