"""Noisy channel from what Tesseract's English model wrote to the accented syllable it saw.

Learned, not hand-listed: accented corpus lines are drawn with DejaVu Serif (PIL) and read back
with `tesseract -l eng`, which reproduces the look of English-OCR'd scans (`s6` for số, `ciia` for
của, `B§` for Bộ). Each true letter emits a string of 0–2 OCR characters; emission counts come
from letter alignments of the (OCR token, syllable) pairs. At run time an OCR token's candidates
are the syllables whose folded form is within a small edit distance of a cleaned-up guess,
scored by P(ocr | syllable) with a dynamic programme over the emissions.
"""

from __future__ import annotations

import json
import math
import os
import pathlib
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from normalizers.restore.syllables import candidates_by_fold, fold

if TYPE_CHECKING:
    from normalizers.restore.decode import Choice, Restorer

FONT = pathlib.Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
MAX_EMIT = 2  # a true letter may become 0, 1 or 2 OCR characters
TOP_K = 16
NEAR_FOLDS = int(os.environ.get("VNPLAN_NEAR_FOLDS", "100"))
SMOOTH = 3.0
PRIOR_FLOOR = 0.1
_LOG_FLOOR = math.log(PRIOR_FLOOR)


# -- rendering and reading ---------------------------------------------------------------------
def render_and_read(lines: Sequence[str], seed: int = 0, block: int = 12) -> list[str | None]:
    """OCR each line as Tesseract `eng` reads it from a DejaVu Serif rendering; None where the
    line could not be matched back (Tesseract merged or dropped lines)."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    import pytesseract
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    rng = random.Random(seed)
    out: list[str | None] = []
    for start in range(0, len(lines), block):
        chunk = [ln.strip() for ln in lines[start : start + block]]
        # Half the blocks clean renders at 22–30 px; half big renders shrunk to 40–50 % with
        # noise, which looks like a low-resolution scan (more s6 / ciia / B§-style errors).
        degraded = rng.random() < 0.5
        size = rng.choice((36, 40, 44)) if degraded else rng.choice((22, 24, 26, 28, 30))
        blur = rng.choice((0.0, 0.3, 0.6)) if degraded else rng.choice((0.0, 0.4, 0.7))
        font = ImageFont.truetype(str(FONT), size)
        height = int(size * 1.9)
        width = max(int(font.getlength(ln)) for ln in chunk) + 60 if chunk else 100
        img = Image.new("L", (width, height * len(chunk) + 40), 255)
        draw = ImageDraw.Draw(img)
        for i, ln in enumerate(chunk):
            draw.text((30, 20 + i * height), ln, font=font, fill=0)
        if blur:
            img = img.filter(ImageFilter.GaussianBlur(blur))
        if degraded:
            scale = rng.choice((0.4, 0.45, 0.5))
            img = img.resize((int(img.width * scale), int(img.height * scale)), Image.Resampling.BILINEAR)
            noise = np.random.default_rng(rng.randrange(1 << 30)).normal(
                0, rng.choice((0, 10, 20)), (img.height, img.width)
            )
            img = Image.fromarray(np.clip(np.asarray(img, float) + noise, 0, 255).astype(np.uint8))
        text = pytesseract.image_to_string(img, lang="eng", config="--psm 6")
        got = [ln for ln in text.splitlines() if ln.strip()]
        if len(got) == len(chunk):
            out.extend(got)
        else:
            out.extend([None] * len(chunk))
    return out


def token_pairs(truth: Sequence[str], ocr: Sequence[str | None]) -> list[tuple[str, str]]:
    """(OCR core, true core) for lines whose token counts agree."""
    from normalizers.restore.lexer import core_kind, split_token

    pairs: list[tuple[str, str]] = []
    for t_line, o_line in zip(truth, ocr, strict=True):
        if o_line is None:
            continue
        t_toks, o_toks = t_line.split(), o_line.split()
        if len(t_toks) != len(o_toks):
            continue
        for t, o in zip(t_toks, o_toks, strict=True):
            t_core, o_core = split_token(t)[1], split_token(o)[1]
            if t_core and o_core and core_kind(t_core) == "syl":
                pairs.append((o_core.lower(), t_core.lower()))
    return pairs


# -- estimation --------------------------------------------------------------------------------
def _align(truth: str, ocr: str) -> list[str]:
    """For each true letter, the OCR substring aligned to it (Levenshtein on folded letters)."""
    n, m = len(truth), len(ocr)
    cost = np.zeros((n + 1, m + 1))
    cost[:, 0] = np.arange(n + 1)
    cost[0, :] = np.arange(m + 1)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            sub = 0.0 if fold(truth[i - 1]) == fold(ocr[j - 1]) else 1.0
            cost[i, j] = min(cost[i - 1, j - 1] + sub, cost[i - 1, j] + 1, cost[i, j - 1] + 1)
    emits = [""] * n
    i, j = n, m
    pending = ""
    while i > 0 or j > 0:
        sub = 0.0 if i and j and fold(truth[i - 1]) == fold(ocr[j - 1]) else 1.0
        if i and j and cost[i, j] == cost[i - 1, j - 1] + sub:
            emits[i - 1] = ocr[j - 1] + pending
            pending = ""
            i, j = i - 1, j - 1
        elif j and cost[i, j] == cost[i, j - 1] + 1:
            pending = ocr[j - 1] + pending  # an extra OCR letter joins its neighbour
            j -= 1
        else:
            emits[i - 1] = pending
            pending = ""
            i -= 1
    if pending and n:
        emits[0] = pending + emits[0]
    return emits


def estimate(pairs: Iterable[tuple[str, str]]) -> dict[str, dict[str, int]]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for ocr, truth in pairs:
        if not truth or len(ocr) > 2 * len(truth) + 2:
            continue
        for t, e in zip(truth, _align(truth, ocr), strict=True):
            if len(e) <= MAX_EMIT:
                counts[t][e] += 1
    return {t: dict(c) for t, c in counts.items()}


# -- the channel at run time -------------------------------------------------------------------
@lru_cache(maxsize=50_000)
def _prior_logp(t: str, e: str) -> float:
    """What any letter is read as, before data: itself unmarked, rarely anything else."""
    if len(e) == 1 and fold(e) == fold(t):
        return math.log(0.3)
    if len(e) == 1:
        return math.log(0.002)
    if not e:
        return math.log(0.01)
    return math.log(0.0005)


def _smoothed_logp(counts: dict[str, dict[str, int]]) -> dict[tuple[str, str], float]:
    """log P(e | t), each letter's counts backed off to its tone family (ổ → ô ồ ố ổ ỗ ộ), then
    to its folded family (o ô ơ and their tones), then to the prior: the OCR engine treats
    letters of one family alike, and per-letter counts are sparse."""
    from normalizers.restore.syllables import split_tone

    def pooled(key: Callable[[str], str]) -> dict[str, Counter[str]]:
        out: dict[str, Counter[str]] = defaultdict(Counter)
        for t, emits in counts.items():
            out[key(t)].update(emits)
        return out

    tone_family = pooled(lambda t: split_tone(t)[0])
    fold_family = pooled(fold)
    emissions = {e for emits in counts.values() for e in emits}
    letters = set(counts) | {ch for syl in candidates_by_fold().values() for f in syl for ch in f}
    table: dict[tuple[str, str], float] = {}
    for t in letters:
        own, fam, fol = (
            counts.get(t, {}),
            tone_family.get(split_tone(t)[0], Counter()),
            fold_family.get(fold(t), Counter()),
        )
        n_own, n_fam, n_fol = sum(own.values()), sum(fam.values()), sum(fol.values())
        for e in emissions | {t, fold(t), ""}:
            p = math.exp(_prior_logp(t, e))
            p = (fol.get(e, 0) + SMOOTH * p) / (n_fol + SMOOTH)
            p = (fam.get(e, 0) + SMOOTH * p) / (n_fam + SMOOTH)
            p = (own.get(e, 0) + SMOOTH * p) / (n_own + SMOOTH)
            # A floor at a tenth of the prior: rare confusions unseen in the renders (¢ for ệ)
            # must stay possible, and as likely as an emission never seen at all.
            table[(t, e)] = math.log((1 - PRIOR_FLOOR) * p + PRIOR_FLOOR * math.exp(_prior_logp(t, e)))
    return table


class OcrChannel:
    def __init__(self, counts: dict[str, dict[str, int]], restorer: Restorer) -> None:
        self.restorer = restorer
        self.logp = _smoothed_logp(counts)
        # Cleaned-up guess of each OCR character's folded letter, for candidate search.
        best: dict[str, tuple[int, str]] = {}
        for t, emits in counts.items():
            for e, c in emits.items():
                if len(e) == 1 and c > best.get(e, (0, ""))[0]:
                    best[e] = (c, fold(t))
        self.guess = {e: t for e, (_, t) in best.items()}
        model = restorer.model
        seen = model.uni_lp > np.min(model.uni_lp) + 1e-3
        self.by_fold: dict[str, list[tuple[str, int]]] = {}
        for key, forms in candidates_by_fold().items():
            ids = [(f, model.index[f]) for f in forms if f in model.index and seen[model.index[f]]]
            if ids:
                self.by_fold[key] = ids
        self.fold_keys = sorted(self.by_fold)  # sorted: ties in the fuzzy search break the same way every run

    @classmethod
    def load(cls, path: pathlib.Path, restorer: Restorer) -> OcrChannel:
        return cls(json.loads(path.read_text(encoding="utf-8")), restorer)

    def emit_logp(self, t: str, e: str) -> float:
        lp = self.logp.get((t, e))
        return lp if lp is not None else _prior_logp(t, e) + _LOG_FLOOR

    def score(self, ocr: str, syllable: str) -> float:
        """log P(ocr | syllable): best split of `ocr` into per-letter emissions of 0–2 chars."""
        return self.score_many(ocr, [(syllable, -1)])[0]

    def score_many(self, ocr: str, forms: list[tuple[str, int]]) -> list[float]:
        """score(ocr, form) for forms sorted by spelling: DP rows of a shared prefix are reused."""
        m = len(ocr)
        neg = -1e9
        # Per letter: log P(emit ocr[j-k:j]) for k = 0, 1, 2, as lists aligned on j (k = 1, 2
        # start at j = 1, 2), so a DP row is three list additions and a max (MAX_EMIT = 2).
        memo: dict[str, tuple[list[float], list[float], list[float]]] = {}
        rows: list[list[float]] = [[0.0] + [neg] * m]
        prev_form = ""
        out: list[float] = []
        for form, _ in forms:
            common = 0
            for x, y in zip(prev_form, form, strict=False):
                if x != y:
                    break
                common += 1
            del rows[common + 1 :]
            for t in form[common:]:
                em = memo.get(t)
                if em is None:
                    em = memo[t] = (
                        [self.emit_logp(t, "") for _ in range(m + 1)],
                        [self.emit_logp(t, ocr[j - 1 : j]) for j in range(1, m + 1)],
                        [self.emit_logp(t, ocr[j - 2 : j]) for j in range(2, m + 1)],
                    )
                prev = rows[-1]
                r0 = [p + e for p, e in zip(prev, em[0], strict=True)]
                r1 = [neg, *[p + e for p, e in zip(prev, em[1], strict=False)]]
                r2 = [neg, neg, *[p + e for p, e in zip(prev, em[2], strict=False)]][: m + 1]
                rows.append(list(map(max, r0, r1, r2)))
            out.append(rows[-1][m])
            prev_form = form
        return out

    @lru_cache(maxsize=200_000)  # noqa: B019 - one channel per process, bounded cache
    def choices(self, core: str) -> Choice | None:
        """Candidate syllables for an OCR'd word core, with channel log-scores."""
        from normalizers.restore.decode import Choice

        if not core or len(core) > 9 or not any(ch.isalpha() for ch in core):
            return None
        if core.isalpha() and core.isupper() and len(core) > 1 and fold(core).lower() not in self.by_fold:
            return None  # an abbreviation (UBND), not a garbled syllable
        if sum(ch.isdigit() for ch in core) > 1 or "/" in core:
            return None  # 52/KH, 2026a: codes and numbers
        lower = core.lower()
        guess = "".join(self.guess.get(ch, fold(ch)) for ch in lower).lower()
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        limit = 1 if len(guess) <= 2 else 2
        near = process.extract(guess, self.fold_keys, scorer=Levenshtein.distance, score_cutoff=limit, limit=NEAR_FOLDS)
        uni = self.restorer.model.uni_lp
        forms = sorted(f for key, _dist, _ in near for f in self.by_fold[key])
        scored = [(lp, form, idx) for (form, idx), lp in zip(forms, self.score_many(lower, forms), strict=True)]
        if not scored:
            return None
        scored.sort(key=lambda s: -(s[0] + 0.5 * float(uni[s[2]])))
        top = scored[:TOP_K]
        return Choice(np.array([s[2] for s in top], np.int64), [s[1] for s in top], np.array([s[0] for s in top]))


def build_channel(lines: Sequence[str], out_path: pathlib.Path, seed: int = 0) -> int:
    """Render, OCR and estimate; writes the emission counts as JSON. Returns the pair count."""
    ocr = render_and_read(lines, seed=seed)
    pairs = token_pairs(lines, ocr)
    out_path.write_text(json.dumps(estimate(pairs), ensure_ascii=False, sort_keys=True), encoding="utf-8")
    return len(pairs)
