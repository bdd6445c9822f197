"""Train the restorer's language model from accented text files.

Streams the corpus once, maps whitespace tokens to LM tokens (memoized: tokens repeat a lot),
counts trigrams with numpy and writes `lm.npz`, `code_letters.json` (how capital runs in codes are
accented) and `holdout.json` (the corpus documents kept out of training for the benchmark) into the
model directory.
"""

from __future__ import annotations

import hashlib
import json
import os
import pathlib
import random
import time
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator

import numpy as np

from normalizers.restore import code_letters, lexer
from normalizers.restore.corpus import clean_document, doc_digest, iter_documents, open_text
from normalizers.restore.lm import BITS, MASK, NgramModel
from normalizers.restore.ocr_channel import build_channel
from normalizers.restore.syllables import inventory
from normalizers.tone import normalize_tone_style

MODEL_DIR = pathlib.Path(__file__).parent / "model"
HOLDOUT_EVERY = 25  # every 25th document of each corpus file is held out for measuring
HOLDOUT_OFFSET = 3
MIN_ABBR_COUNT = 20
LEXICON_REPEAT = int(os.environ.get("VNPLAN_LEXICON_REPEAT", "3"))


def is_holdout(doc_index: int) -> bool:
    return doc_index % HOLDOUT_EVERY == HOLDOUT_OFFSET


def lexicon_lines() -> Iterator[str]:
    """Accented names and words shipped in installed packages: place names from underthesea's
    2025 administrative mapping, pyvi's MIT-licensed word list."""
    try:
        import underthesea.address as address

        mapping = pathlib.Path(address.__file__).parent / "data" / "mapping.json"
        data = json.loads(mapping.read_text(encoding="utf-8"))
        names: set[str] = set()
        for rec in data.get("ward_mapping", []):
            for key in ("old_province", "old_district", "old_ward", "new_province", "new_ward"):
                if rec.get(key):
                    names.add(str(rec[key]))
        yield from sorted(names)
    except (ImportError, OSError, ValueError):
        pass
    try:
        import pyvi

        words = pathlib.Path(pyvi.__file__).parent / "models" / "words.txt"
        yield from (w.strip() for w in words.read_text(encoding="utf-8").splitlines() if w.strip())
    except (ImportError, OSError):
        pass


class _Encoder:
    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        for tok in lexer.CLASS_TOKENS + tuple(lexer.LM_PUNCT.values()):
            self.id_of(tok)
        for syl in sorted(inventory()):
            self.id_of(syl)
        self.memo: dict[str, list[int]] = {}
        self.abbr_counts: Counter[str] = Counter()
        self.stream = array("i")

    def id_of(self, tok: str) -> int:
        i = self.ids.get(tok)
        if i is None:
            i = self.ids[tok] = len(self.ids)
        return i

    def add_sequence(self, text: str) -> None:
        bos, eos = self.ids[lexer.BOS], self.ids[lexer.EOS]
        out = [bos, bos]
        memo = self.memo
        for token in text.split():
            ids = memo.get(token)
            if ids is None:
                toks = lexer.lm_tokens_of(token, None)
                ids = memo[token] = [self.id_of(t) for t in toks]
            out.extend(ids)
        out.append(eos)
        if len(out) > 3:
            self.stream.extend(out)


def _sources(corpus: Iterable[pathlib.Path], extra: Iterable[pathlib.Path]) -> Iterator[tuple[str, int, str]]:
    for path in corpus:
        for i, doc in enumerate(iter_documents(path)):
            yield path.name, i, doc
    for path in extra:
        yield path.name, -1, "".join(open_text(path))


def train(
    corpus: list[pathlib.Path],
    out_dir: pathlib.Path | None = None,
    extra: Iterable[pathlib.Path] = (),
    *,
    min_tri_count: int = 1,
    ocr_lines: int = 1000,
) -> pathlib.Path:
    """Train on `corpus` files (holding out every 25th document) plus all of `extra`; return the
    model directory."""
    out_dir = pathlib.Path(out_dir) if out_dir is not None else MODEL_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.time()
    enc = _Encoder()
    sampler = _LineSampler(ocr_lines * 5)
    held_out: list[dict[str, object]] = []
    capital_runs: Counter[str] = Counter()
    n_docs = 0
    for name, idx, doc in _sources([pathlib.Path(p) for p in corpus], [pathlib.Path(p) for p in extra]):
        if idx >= 0 and is_holdout(idx):
            held_out.append({"file": name, "doc_index": idx, "sha16": doc_digest(doc)})
            continue
        n_docs += 1
        capital_runs.update(code_letters.runs(doc))
        for para in clean_document(doc):
            text = " ".join(para)
            enc.add_sequence(text)
            if ocr_lines and idx >= 0:
                sampler.offer(text)
    # Names and words seen once each would stay invisible next to 23 M corpus syllables.
    for line in lexicon_lines():
        for _ in range(LEXICON_REPEAT):
            enc.add_sequence(normalize_tone_style(line))

    vocab = [""] * len(enc.ids)
    for tok, i in enc.ids.items():
        vocab[i] = tok
    stream = np.frombuffer(enc.stream, dtype=np.int32).astype(np.int64)
    # Rare abbreviations become <abbr>: remap ids, then drop the unused ones from the vocab.
    counts = np.bincount(stream, minlength=len(vocab))
    keep = np.ones(len(vocab), bool)
    fixed = set(lexer.CLASS_TOKENS) | set(lexer.LM_PUNCT.values()) | inventory()
    abbr_id = enc.ids[lexer.ABBR]
    remap = np.arange(len(vocab))
    for i, tok in enumerate(vocab):
        if tok not in fixed and counts[i] < MIN_ABBR_COUNT:
            keep[i] = False
            remap[i] = abbr_id
    new_index = np.cumsum(keep) - 1
    remap = new_index[remap]
    vocab = [t for t, k in zip(vocab, keep, strict=True) if k]
    stream = remap[stream]

    a, b, c = stream[:-2], stream[1:-1], stream[2:]
    bos, eos = vocab.index(lexer.BOS), vocab.index(lexer.EOS)
    valid = (c != bos) & (a != eos) & (b != eos)
    keys = (a[valid] << (2 * BITS)) | (b[valid] << BITS) | c[valid]
    del a, b, c, valid
    tri_keys, tri_counts = np.unique(keys, return_counts=True)
    del keys
    model = NgramModel.build(vocab, tri_keys, tri_counts, min_tri_count=min_tri_count)
    model_path = out_dir / "lm.npz"
    model.save(model_path)
    code_letters.save(code_letters.table_of(capital_runs), out_dir / code_letters.FILE)
    n_pairs = 0
    if ocr_lines:
        lines = sampler.rng.sample(sampler.lines, min(ocr_lines, len(sampler.lines)))
        n_pairs = build_channel(lines, out_dir / "ocr_channel.json")
    manifest = {
        "trained_at": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()),
        "seconds": round(time.time() - started, 1),
        "corpus": [{"file": str(p), "sha256": _sha256(pathlib.Path(p))} for p in corpus],
        "extra": [{"file": str(p), "sha256": _sha256(pathlib.Path(p))} for p in extra],
        "training_documents": n_docs,
        "tokens": len(stream),
        "vocab": len(vocab),
        "trigrams_kept": len(model.tri_keys),
        "bigrams": len(model.bi_keys),
        "min_tri_count": min_tri_count,
        "ocr_lines": ocr_lines,
        "ocr_token_pairs": n_pairs,
        "held_out": held_out,
    }
    (out_dir / "holdout.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return out_dir


def train_vie_channel(
    corpus: list[pathlib.Path], out_dir: pathlib.Path | None = None, *, lines: int = 2500, seed: int = 13
) -> pathlib.Path:
    """Learn the Tesseract `vie` channel (vie_channel.json) from lines of the corpus's training
    documents (held-out documents stay unseen); the language model is left as it is."""
    from normalizers.restore.vie_channel import build_channel

    out_dir = pathlib.Path(out_dir) if out_dir is not None else MODEL_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.time()
    sampler = _LineSampler(lines * 5)
    for path in corpus:
        for idx, doc in enumerate(iter_documents(pathlib.Path(path))):
            if not is_holdout(idx):
                for para in clean_document(doc):
                    sampler.offer(" ".join(para))
    chosen = sampler.rng.sample(sampler.lines, min(lines, len(sampler.lines)))
    stats = build_channel(chosen, out_dir / "vie_channel.json", seed=seed)
    record = {
        "trained_at": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()),
        "seconds": round(time.time() - started, 1),
        "corpus": [{"file": str(p), "sha256": _sha256(pathlib.Path(p))} for p in corpus],
        "lines": len(chosen),
        "seed": seed,
        **stats,
    }
    (out_dir / "vie_channel.train.json").write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    return out_dir


class _LineSampler:
    """Reservoir of short, fully accented text pieces (one rendered line each) for the channel."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.lines: list[str] = []
        self.seen = 0
        self.rng = random.Random(57)

    def offer(self, text: str) -> None:
        words = text.split()
        for start in range(0, len(words) - 7, 40):
            piece = " ".join(words[start : start + 11])
            if len(piece) > 90:
                continue
            self.seen += 1
            if len(self.lines) < self.size:
                self.lines.append(piece)
            else:
                j = self.rng.randrange(self.seen)
                if j < self.size:
                    self.lines[j] = piece


def _sha256(path: pathlib.Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


__all__ = ["MASK", "MODEL_DIR", "is_holdout", "lexicon_lines", "train", "train_vie_channel"]
