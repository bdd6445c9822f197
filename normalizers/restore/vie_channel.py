"""Noisy channel from what Tesseract's Vietnamese model wrote to the accented syllable it saw.

Tesseract `vie` keeps the letters and almost all marks, but on printed Times-like faces it drops or
swaps a stacked mark now and then (`tổ→tô`, `chuyển→chuyên`, `để→đề`, `đẩy→đây`). Learned, not
hand-listed: accented corpus lines are drawn in the faces plans are printed in (Tinos and
Liberation Serif, the metric twins of Times New Roman; DejaVu Serif; regular, bold, italic) at the
pixel sizes of 120–300 dpi scans, with a slight rotation, blur, noise and JPEG, and read back with
`tesseract -l vie`; half the blocks have their strokes worn thin (light toner, a black-and-white
scan). Each true letter's readings are counted; a letter is read as itself with high
probability, as a letter of the same base (other marks) rarely.

At run time every syllable of an OCR'd page gets as candidates the syllables spelled with the same
base letters (any marks) whose reading the channel finds plausible; the syllable LM decides in
context. A word the channel does not doubt keeps its single candidate, itself.
"""

from __future__ import annotations

import io
import json
import math
import os
import pathlib
import random
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from normalizers.restore.syllables import candidates_by_fold, fold, split_tone

if TYPE_CHECKING:
    from normalizers.restore.decode import Choice, Restorer

FONT_DIRS = tuple(pathlib.Path("/usr/share/fonts/truetype") / d for d in ("liberation2", "croscore", "dejavu"))
FONTS = (
    "Tinos-Regular.ttf",
    "Tinos-Bold.ttf",
    "Tinos-Italic.ttf",
    "LiberationSerif-Regular.ttf",
    "LiberationSerif-Bold.ttf",
    "LiberationSerif-Italic.ttf",
    "DejaVuSerif.ttf",
    "DejaVuSerif-Bold.ttf",
    "DejaVuSerif-Italic.ttf",
)
DPIS = (120, 150, 200, 250, 300)
IDENTITY = 0.985  # prior P(a letter is read as itself)
SMOOTH = 20.0  # prior weight against a letter's own counts
MARGIN = 9.0  # candidates whose reading is this much (nats) less likely than the best are dropped


# -- rendering and reading ---------------------------------------------------------------------
def _font_file(name: str) -> pathlib.Path | None:
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return folder / name
    return None


def render_block(lines: Sequence[str], rng: random.Random) -> tuple[object, int]:
    """A block of lines as a page crop printed and scanned: (grey PIL image, its dpi)."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    fonts = [f for f in (_font_file(n) for n in FONTS) if f is not None]
    dpi = rng.choice(DPIS)
    points = rng.choice((11, 12, 13, 14))
    size = round(points / 72 * dpi)
    font = ImageFont.truetype(str(rng.choice(fonts)), size)
    height = int(size * 1.5)
    width = max(int(font.getlength(ln)) for ln in lines) + 2 * size
    img = Image.new("L", (width, height * len(lines) + 2 * size), 255)
    draw = ImageDraw.Draw(img)
    for i, ln in enumerate(lines):
        draw.text((size, size + i * height), ln, font=font, fill=rng.choice((0, 20, 45)))
    # Print and scan thin the strokes: light toner (strokes eroded) or a scanner's black-and-white
    # threshold. Thin strokes go first, and a stacked tone mark is the thinnest: these are what
    # make Times-like prints lose or swap marks (Times New Roman's are finer than Tinos's).
    wear = rng.random()
    if wear < 0.25 and dpi >= 200:
        img = img.filter(ImageFilter.MaxFilter(3))
    elif wear < 0.5:
        threshold = rng.choice((70, 90, 110))
        img = img.filter(ImageFilter.GaussianBlur(dpi / 200)).point(lambda v: 0 if v < threshold else 255)
    angle = rng.uniform(-0.8, 0.8)
    if abs(angle) > 0.1:
        img = img.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=255)
    blur = rng.choice((0.0, 0.4, 0.7, 1.0)) * dpi / 300
    if blur:
        img = img.filter(ImageFilter.GaussianBlur(blur))
    sigma = rng.choice((0, 6, 12))
    if sigma:
        noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0, sigma, (img.height, img.width))
        img = Image.fromarray(np.clip(np.asarray(img, float) + noise, 0, 255).astype(np.uint8))
    if rng.random() < 0.5:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=rng.choice((45, 60, 75, 90)))
        img = Image.open(io.BytesIO(buf.getvalue())).convert("L")
    return img, dpi


def render_and_read(lines: Sequence[str], seed: int = 0, block: int = 10) -> list[str | None]:
    """OCR each line as Tesseract `vie` reads it from a scan-like rendering; None where the block's
    lines could not be matched back (Tesseract merged or dropped lines)."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    import pytesseract

    rng = random.Random(seed)
    out: list[str | None] = []
    for start in range(0, len(lines), block):
        chunk = [ln.strip() for ln in lines[start : start + block]]
        img, dpi = render_block(chunk, rng)
        text = pytesseract.image_to_string(img, lang="vie", config=f"--psm 6 --dpi {dpi}")
        got = [ln for ln in text.splitlines() if ln.strip()]
        out.extend(got if len(got) == len(chunk) else [None] * len(chunk))
    return out


def estimate(pairs: Iterable[tuple[str, str]]) -> dict[str, dict[str, int]]:
    """Per true letter, how often each letter of the same base was read for it (NFC letters,
    pairs of equal length and base only: what this channel models)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for ocr, truth in pairs:
        if len(ocr) != len(truth) or fold(ocr) != fold(truth):
            continue
        for t, e in zip(truth, ocr, strict=True):
            counts[t][e] += 1
    return {t: dict(c) for t, c in sorted(counts.items())}


def build_channel(lines: Sequence[str], out_path: pathlib.Path, seed: int = 0) -> dict[str, int]:
    """Render, OCR and count; writes the counts as JSON. Returns how many tokens were paired and
    how many of them the OCR read wrong."""
    from normalizers.restore.ocr_channel import token_pairs

    pairs = token_pairs(lines, render_and_read(lines, seed=seed))
    counts = estimate(pairs)
    out_path.write_text(json.dumps(counts, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    return {"token_pairs": len(pairs), "misread": sum(1 for o, t in pairs if o != t)}


# -- the channel at run time -------------------------------------------------------------------
def _parts(letter: str) -> tuple[str, int]:
    """(letter without its tone mark, tone index): ể → (ê, 3)."""
    base, tone = split_tone(letter)
    return base, tone


class VieChannel:
    """P(OCR letter | true letter) for letters of one base: a letter's own counts, backed off to
    a product of two pooled confusions, of the tone mark (hook read as acute, tone lost: the same
    on every vowel) and of the vowel's other mark (circumflex, breve, horn lost or added), so that
    a confusion seen on ế also informs ể and ổ."""

    def __init__(self, counts: dict[str, dict[str, int]], restorer: Restorer) -> None:
        self.restorer = restorer
        self.counts = counts
        self.tones: dict[int, Counter[int]] = defaultdict(Counter)
        self.bases: dict[str, Counter[str]] = defaultdict(Counter)
        for t, emits in counts.items():
            t_base, t_tone = _parts(t)
            for e, n in emits.items():
                e_base, e_tone = _parts(e)
                if t_base in _VOWEL_BASES:
                    self.tones[t_tone][e_tone] += n
                self.bases[t_base][e_base] += n
        model = restorer.model
        self.by_fold: dict[str, list[tuple[str, int]]] = {}
        for key, forms in candidates_by_fold().items():
            ids = [(f, model.index[f]) for f in forms if f in model.index]
            if ids:
                self.by_fold[key] = ids
        self.one_letter = [pair for key, ids in self.by_fold.items() if len(key) == 1 for pair in ids]

    @classmethod
    def load(cls, path: pathlib.Path, restorer: Restorer) -> VieChannel:
        return cls(json.loads(path.read_text(encoding="utf-8")), restorer)

    @staticmethod
    def _pooled(counts: Counter, t: object, e: object, others: int) -> float:
        prior = IDENTITY if e == t else (1 - IDENTITY) / max(1, others)
        return (counts.get(e, 0) + SMOOTH * prior) / (sum(counts.values()) + SMOOTH)

    @lru_cache(maxsize=4096)  # noqa: B019 - one channel per process, bounded cache
    def emit_logp(self, t: str, e: str) -> float:
        """log P(OCR wrote e | the letter was t), for letters of one base."""
        if t == e and t.isascii():
            return math.log(IDENTITY)  # plain letters: no marks to lose; counts add nothing
        (t_base, t_tone), (e_base, e_tone) = _parts(t), _parts(e)
        p_tone = (
            self._pooled(self.tones.get(t_tone, Counter()), t_tone, e_tone, 5)
            if t_base in _VOWEL_BASES
            else float(t_tone == e_tone)
        )
        bases = {_parts(x)[0] for x in _letters_of_base(fold(t))}
        p_base = self._pooled(self.bases.get(t_base, Counter()), t_base, e_base, len(bases) - 1)
        own = self.counts.get(t, {})
        p = (own.get(e, 0) + SMOOTH * p_tone * p_base) / (sum(own.values()) + SMOOTH)
        return math.log(max(p, 1e-12))

    def score(self, ocr: str, syllable: str) -> float:
        return sum(self.emit_logp(t, e) for t, e in zip(syllable, ocr, strict=True))

    @lru_cache(maxsize=200_000)  # noqa: B019
    def choices(self, core: str) -> Choice | None:
        """Candidates for a word core read by Tesseract `vie`, or None to keep it as it is."""
        from normalizers.restore.decode import Choice
        from normalizers.restore.lexer import is_wordlike_case

        if stray_glyph(core) and self.one_letter:
            # Every one-letter word alike: the reading says nothing of which; the context decides.
            return Choice(
                np.array([i for _, i in self.one_letter], np.int64),
                [f for f, _ in self.one_letter],
                np.zeros(len(self.one_letter)),
            )
        if not core.isalpha() or len(core) > 8 or not is_wordlike_case(core):
            return None
        lower = core.lower()
        forms = self.by_fold.get(fold(lower))
        if not forms or len(forms) == 1:
            return None
        scored = sorted(((self.score(lower, f), f, i) for f, i in forms if len(f) == len(lower)), reverse=True)
        if not scored:
            return None
        best = scored[0][0]
        kept = [s for s in scored if s[0] >= best - MARGIN]
        if len(kept) == 1 and kept[0][1] == lower:
            return None  # nothing else is a plausible reading
        return Choice(np.array([s[2] for s in kept], np.int64), [s[1] for s in kept], np.array([s[0] for s in kept]))


_VOWEL_BASES = frozenset("aăâeêioôơuưy")
# Signs a typed plan uses standing alone; any other lone symbol in `vie` output is a letter the OCR
# could not read (`bảo hiểm \ tế` for `y tế`, `©)` for the item letter `e)`).
_TYPED_SIGNS = frozenset(".,;:!?…\"'“”‘’«»()[]{}*•·-–—/%&#@§¶|+=<>~°±×÷≤≥")


def stray_glyph(core: str) -> bool:
    """A lone symbol no plan types by itself: what Tesseract `vie` writes for a letter it lost."""
    return len(core) == 1 and unicodedata.category(core) in ("Po", "So", "Sk") and core not in _TYPED_SIGNS


@lru_cache(maxsize=64)
def _letters_of_base(base: str) -> tuple[str, ...]:
    """Every NFC letter that folds to `base` (a, à, á, ả, ã, ạ, ă, ằ ...)."""
    letters = {ch for forms in candidates_by_fold().values() for f in forms for ch in f}
    return tuple(sorted(ch for ch in letters if fold(ch) == base))
