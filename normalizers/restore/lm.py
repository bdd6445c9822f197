"""Syllable trigram language model: interpolated Kneser-Ney, stored in backoff form as numpy arrays.

N-grams are packed into int64 keys (21 bits per token id) and kept sorted, so a whole batch of
trigram queries is a few `searchsorted` calls. Probabilities are quantized to 8-bit codebooks.
"""

from __future__ import annotations

import io
import pathlib
from dataclasses import dataclass

import numpy as np

from normalizers.restore.unpacked import cached_arrays

BITS = 21
MASK = (1 << BITS) - 1
MASK2 = (1 << (2 * BITS)) - 1


def _discounts(counts: np.ndarray) -> np.ndarray:
    """Per-entry discount of modified Kneser-Ney (Chen & Goodman): D1, D2, D3+ by count."""
    n = [int((counts == k).sum()) for k in (1, 2, 3, 4)]
    if min(n) == 0:
        return np.full(len(counts), 0.5)
    y = n[0] / (n[0] + 2 * n[1])
    d = [1 - 2 * y * n[1] / n[0], 2 - 3 * y * n[2] / n[1], 3 - 4 * y * n[3] / n[2]]
    return np.select([counts == 1, counts == 2], d[:2], d[2]).astype(np.float64)


def _group_sum(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For sorted `keys`: unique keys, per-key sum of values, per-key number of rows."""
    uniq, start, n = np.unique(keys, return_index=True, return_counts=True)
    sums = np.add.reduceat(values, start) if len(values) else values
    return uniq, sums, n


def _lookup(
    table_keys: np.ndarray, table_vals: np.ndarray, keys: np.ndarray, default: float, order: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Values of `keys` in a sorted table (default where absent). `order`, an argsort of the
    flattened keys, makes the search walk the table in order: several times faster."""
    flat = keys.ravel()
    if order is None and flat.size > 256:
        order = np.argsort(flat)
    if order is not None:
        idx = np.empty(flat.size, np.int64)
        idx[order] = np.searchsorted(table_keys, flat[order])
    else:
        idx = np.searchsorted(table_keys, flat)
    np.minimum(idx, len(table_keys) - 1, out=idx)
    found = table_keys[idx] == flat
    vals = np.where(found, table_vals[idx], default)
    return vals.reshape(keys.shape), found.reshape(keys.shape)


def _quantize(values: np.ndarray, levels: int = 256) -> tuple[np.ndarray, np.ndarray]:
    """Codes (uint8) and codebook (float32) placing levels at quantiles of the values."""
    if len(values) == 0:
        return np.zeros(0, np.uint8), np.zeros(1, np.float32)
    qs = np.quantile(values, np.linspace(0, 1, levels))
    book = np.unique(qs.astype(np.float32))
    mids = (book[1:] + book[:-1]) / 2
    codes = np.searchsorted(mids, values).astype(np.uint8)
    # Recentre each level on the mean of what it codes.
    sums = np.bincount(codes, weights=values, minlength=len(book))
    cnts = np.bincount(codes, minlength=len(book))
    book = np.where(cnts > 0, sums / np.maximum(cnts, 1), book).astype(np.float32)
    return codes, book


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


class HashIndex:
    """Open-addressing hash (linear probing) from int64 keys to their row in a sorted array.

    Built once at load; a batch lookup is a few vectorized probes instead of a binary search
    of ~21 cache-missing steps per key.
    """

    def __init__(self, keys: np.ndarray) -> None:
        bits = max(4, int(np.ceil(np.log2(max(len(keys), 1) * 2.2))))
        self.shift = np.uint64(64 - bits)
        self.mask = (1 << bits) - 1
        self.slots = np.full(1 << bits, -1, np.int64)  # stored key
        self.rows = np.zeros(1 << bits, np.int32)  # its row in the sorted table
        home = self._home(keys)
        pending = np.arange(len(keys))
        probe = 0
        while len(pending):
            pos = (home[pending] + probe) & self.mask
            free = self.slots[pos] == -1
            cand, cand_pos = pending[free], pos[free]
            _, first = np.unique(cand_pos, return_index=True)
            placed = cand[first]
            self.slots[cand_pos[first]] = keys[placed]
            self.rows[cand_pos[first]] = placed
            done = np.zeros(len(keys), bool)
            done[placed] = True
            pending = pending[~done[pending]]
            probe += 1
        self.max_probe = probe

    def _home(self, keys: np.ndarray) -> np.ndarray:
        return ((keys.astype(np.uint64) * _GOLDEN) >> self.shift).astype(np.int64)

    def find(self, keys: np.ndarray) -> np.ndarray:
        """Row of each key, or -1 where absent (any shape)."""
        flat = keys.ravel()
        out = np.full(flat.size, -1, np.int64)
        active = np.arange(flat.size)
        pos = self._home(flat)
        for _ in range(self.max_probe + 1):
            if not len(active):
                break
            stored = self.slots[pos]
            want = flat[active]
            hit = stored == want
            out[active[hit]] = self.rows[pos[hit]]
            go_on = ~hit & (stored != -1)
            active, pos = active[go_on], (pos[go_on] + 1) & self.mask
        return out.reshape(keys.shape)


class KeyIndex:
    """Row of int64 keys in a sorted table: binary search while few keys are asked for, then a
    HashIndex. Building the hash costs ~0.4 s per million keys, which a one-line restore would pay
    many times over; a document's decoding asks millions of keys and wins it back quickly."""

    HASH_AFTER = 3_000_000  # lookups served by binary search before the hash is built

    def __init__(self, keys: np.ndarray) -> None:
        self.keys = keys
        self._hash: HashIndex | None = None
        self._asked = 0

    def find(self, wanted: np.ndarray) -> np.ndarray:
        """Row of each key, or -1 where absent (any shape)."""
        if self._hash is None:
            self._asked += wanted.size
            if self._asked <= self.HASH_AFTER:
                return self._search(wanted)
            self._hash = HashIndex(self.keys)
        return self._hash.find(wanted)

    def _search(self, wanted: np.ndarray) -> np.ndarray:
        if not len(self.keys):
            return np.full(wanted.shape, -1, np.int64)
        pos = np.minimum(np.searchsorted(self.keys, wanted), len(self.keys) - 1)
        return np.where(self.keys[pos] == wanted, pos, -1)


@dataclass
class NgramModel:
    vocab: list[str]
    uni_lp: np.ndarray  # natural-log P(w), float32 [V]
    uni_bow: np.ndarray  # backoff weight (log) of w as a bigram context
    bi_keys: np.ndarray  # sorted int64 (a<<21 | b)
    bi_lp: np.ndarray
    bi_bow: np.ndarray  # backoff weight of (a, b) as a trigram context
    tri_keys: np.ndarray  # sorted int64 (a<<42 | b<<21 | c)
    tri_lp: np.ndarray
    # Per bigram row, whether some stored trigram has it as context (and False in an extra last entry,
    # where a lookup that found no bigram lands); the trigram contexts that are no stored bigram
    # (`<s> <s>`). Derived from the keys (`trigram_contexts`).
    tri_contexts: np.ndarray | None = None
    odd_contexts: np.ndarray | None = None

    def __post_init__(self) -> None:
        self.index = {w: i for i, w in enumerate(self.vocab)}
        self._tri = KeyIndex(self.tri_keys)
        self._bi = KeyIndex(self.bi_keys)
        if self.tri_contexts is None or self.odd_contexts is None:
            self.tri_contexts, self.odd_contexts = trigram_contexts(self.bi_keys, self.tri_keys)

    # -- queries ---------------------------------------------------------------------------
    def score(self, a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
        """log P(c | a b) for equal-shape int64 arrays of token ids."""
        return self.trigram_or(a, b, c, self.context_backoff(a, b) + self.bigram(b, c))

    def trigram_or(
        self, a: np.ndarray, b: np.ndarray, c: np.ndarray, backoff: np.ndarray, at: np.ndarray | None = None
    ) -> np.ndarray:
        """log P(c | a b) where the trigram is stored, else `backoff` (its context's backoff weight plus
        log P(c | b)). The decoder computes the backoff once per pair of neighbours, not once per trigram,
        and asks only for the trigrams whose context has any (`at`: their indexes in `backoff`)."""
        r3 = self._tri.find((a << (2 * BITS)) | (b << BITS) | c)
        if at is None:
            return np.where(r3 >= 0, self.tri_lp[r3], backoff)
        out = backoff.copy()
        hit = r3 >= 0
        out[at[hit]] = self.tri_lp[r3[hit]]
        return out

    def context_backoff(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Backoff weight (log) of (a, b) as a trigram context; 0 for a context never seen."""
        r_ab = self._bi.find((a << BITS) | b)
        return np.where(r_ab >= 0, self.bi_bow[r_ab], 0.0)

    def context(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """`context_backoff`, and whether any trigram with that context is stored."""
        keys = (a << BITS) | b
        r_ab = self._bi.find(keys)
        assert self.tri_contexts is not None and self.odd_contexts is not None
        has_trigrams = self.tri_contexts[r_ab]
        for odd in self.odd_contexts.tolist():  # one or two (`<s> <s>`)
            has_trigrams |= keys == odd
        return np.where(r_ab >= 0, self.bi_bow[r_ab], 0.0), has_trigrams

    def bigram(self, b: np.ndarray, c: np.ndarray) -> np.ndarray:
        """log P(c | b) (backing off to the unigram)."""
        r_bc = self._bi.find((b << BITS) | c)
        return np.where(r_bc >= 0, self.bi_lp[r_bc], self.uni_bow[b] + self.uni_lp[c])

    def unigram(self, ids: np.ndarray) -> np.ndarray:
        return self.uni_lp[ids]

    # -- building --------------------------------------------------------------------------
    @classmethod
    def build(
        cls, vocab: list[str], tri_keys: np.ndarray, tri_counts: np.ndarray, min_tri_count: int = 2
    ) -> NgramModel:
        """Interpolated modified Kneser-Ney from unique trigram keys (sorted) and their counts."""
        v = len(vocab)
        d3 = _discounts(tri_counts)
        ab = tri_keys >> BITS
        ab_keys, ab_total, _ = _group_sum(ab, tri_counts.astype(np.float64))
        _, ab_discounted, _ = _group_sum(ab, d3)
        # Continuation counts for bigrams: distinct left words a for each (b, c).
        bc = tri_keys & MASK2
        order = np.argsort(bc, kind="stable")
        bc_keys, _, bc_cont = np.unique(bc[order], return_index=True, return_counts=True)
        d2 = _discounts(bc_cont)
        b_of = bc_keys >> BITS
        b_keys, b_total, _ = _group_sum(b_of, bc_cont.astype(np.float64))
        _, b_discounted, _ = _group_sum(b_of, d2)
        c_of = bc_keys & MASK
        uni_cont = np.bincount(c_of, minlength=v).astype(np.float64)
        uni_p = (uni_cont + 0.1) / (uni_cont.sum() + 0.1 * v)
        uni_lp = np.log(uni_p)

        b_total_full = np.zeros(v)
        b_disc_full = np.zeros(v)
        b_total_full[b_keys] = b_total
        b_disc_full[b_keys] = b_discounted
        gamma_b = np.where(b_total_full > 0, b_disc_full / np.maximum(b_total_full, 1), 1.0)
        uni_bow = np.log(gamma_b)
        p2 = (np.maximum(bc_cont - d2, 0) / b_total_full[b_of]) + gamma_b[b_of] * uni_p[c_of]
        bi_lp = np.log(p2)

        gamma_ab = ab_discounted / ab_total
        # Trigram probabilities (interpolated); keep frequent ones only.
        keep = tri_counts >= min_tri_count
        tk = tri_keys[keep]
        tc = tri_counts[keep].astype(np.float64)
        ctx_idx = np.searchsorted(ab_keys, tk >> BITS)
        p2_of, _found = _lookup(bc_keys, p2, tk & MASK2, 0.0)
        p3 = np.maximum(tc - d3[keep], 0) / ab_total[ctx_idx] + gamma_ab[ctx_idx] * p2_of
        tri_lp = np.log(p3)

        # Backoff weights of (a, b) contexts live beside bigram probabilities; a context that
        # is not itself a stored bigram cannot occur (every bigram ends some trigram).
        bi_bow = np.zeros(len(bc_keys))
        pos = np.searchsorted(bc_keys, ab_keys)
        pos = np.minimum(pos, len(bc_keys) - 1)
        ok = bc_keys[pos] == ab_keys
        bi_bow[pos[ok]] = np.log(gamma_ab[ok])
        return cls(
            vocab,
            uni_lp.astype(np.float32),
            uni_bow.astype(np.float32),
            bc_keys,
            bi_lp.astype(np.float32),
            bi_bow.astype(np.float32),
            tk,
            tri_lp.astype(np.float32),
        )

    # -- storage ---------------------------------------------------------------------------
    def save(self, path: pathlib.Path) -> None:
        arrays: dict[str, np.ndarray] = {
            "vocab": np.frombuffer("\n".join(self.vocab).encode("utf-8"), dtype=np.uint8),
            "uni_lp": self.uni_lp,
            "uni_bow": self.uni_bow,
        }
        for name, keys, vals in (
            ("bi", self.bi_keys, (self.bi_lp, self.bi_bow)),
            ("tri", self.tri_keys, (self.tri_lp,)),
        ):
            arrays[f"{name}_hi"], arrays[f"{name}_lo"] = _pack_keys(keys)
            for j, val in enumerate(vals):
                arrays[f"{name}_q{j}"], arrays[f"{name}_book{j}"] = _quantize(val)
        buf = io.BytesIO()
        # numpy types the keyword arrays as its allow_pickle flag
        np.savez_compressed(buf, **arrays)  # type: ignore[arg-type]
        path.write_bytes(buf.getvalue())

    @classmethod
    def load(cls, path: pathlib.Path) -> NgramModel:
        """The model saved at `path`, its arrays memory-mapped from an unpacked copy in the user's
        cache when there is one (`unpacked`): a few ms instead of ~0.17 s of decompressing."""
        z = cached_arrays(path, lambda: _unpack(path), version=UNPACKED_VERSION)
        vocab = bytes(z["vocab"]).decode("utf-8").split("\n")
        fields = [
            "uni_lp",
            "uni_bow",
            "bi_keys",
            "bi_lp",
            "bi_bow",
            "tri_keys",
            "tri_lp",
            "tri_contexts",
            "odd_contexts",
        ]
        return cls(vocab, *(z[name] for name in fields))


UNPACKED_VERSION = 2  # of `_unpack`'s arrays: bump when they change


def _unpack(path: pathlib.Path) -> dict[str, np.ndarray]:
    """The arrays of a saved model: keys unpacked, quantized scores decoded, and what is derived."""
    with np.load(path) as z:
        arrays = {
            "vocab": z["vocab"],
            "uni_lp": z["uni_lp"],
            "uni_bow": z["uni_bow"],
            "bi_keys": _unpack_keys(z["bi_hi"], z["bi_lo"]),
            "bi_lp": z["bi_book0"][z["bi_q0"]],
            "bi_bow": z["bi_book1"][z["bi_q1"]],
            "tri_keys": _unpack_keys(z["tri_hi"], z["tri_lo"]),
            "tri_lp": z["tri_book0"][z["tri_q0"]],
        }
    arrays["tri_contexts"], arrays["odd_contexts"] = trigram_contexts(arrays["bi_keys"], arrays["tri_keys"])
    return arrays


def trigram_contexts(bi_keys: np.ndarray, tri_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per bigram row, whether a stored trigram has that bigram as context, plus a last entry False
    (index -1, where a lookup that found no bigram lands); and the sorted trigram contexts that are
    no stored bigram."""
    out = np.zeros(len(bi_keys) + 1, bool)
    contexts = tri_keys >> BITS
    if len(contexts):
        contexts = contexts[np.r_[True, contexts[1:] != contexts[:-1]]]
    if not len(bi_keys) or not len(contexts):
        return out, contexts
    row = np.minimum(np.searchsorted(bi_keys, contexts), len(bi_keys) - 1)
    found = bi_keys[row] == contexts
    out[row[found]] = True
    return out, contexts[~found]


def _pack_keys(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted keys as (distinct high parts with run lengths, low 21 bits) — compresses well."""
    hi = keys >> BITS
    lo = (keys & MASK).astype(np.uint32)
    uniq, counts = np.unique(hi, return_counts=True)
    return np.stack([np.diff(uniq, prepend=0), counts]).astype(np.int64), lo


def _unpack_keys(hi_runs: np.ndarray, lo: np.ndarray) -> np.ndarray:
    hi = np.cumsum(hi_runs[0])
    return (np.repeat(hi, hi_runs[1]) << BITS) | lo.astype(np.int64)
