"""Near-duplicate articles: syndicated copies of one story, found with MinHash LSH.

The same story runs on several pages and sites, lightly edited (another headline, a
dateline, a paragraph cut). Each article gets a MinHash signature of the character
5-grams of its cleaned text (in the per-article function, so workers compute it); the
batch then keeps an LSH index (datasketch) and marks an article ``duplicate_of`` the first
earlier article whose estimated Jaccard similarity reaches the threshold. The order of
the input decides which copy is the original, so results are deterministic.
"""

from __future__ import annotations

import numpy as np
import regex
from datasketch import LeanMinHash, MinHashLSH

from pipeline.document import Document

NUM_PERM = 64
SCHEME = "affine32"  # datasketch 2's default; named so signatures rebuild the same way
SHINGLE = 5
THRESHOLD = 0.8
#: Texts with fewer shingles than this are too short to call copies of anything.
MIN_SHINGLES = 40
_SKIP = regex.compile(r"[\s\p{P}\p{S}]+")
_SEED = 20240601


_RNG = np.random.default_rng(_SEED)
_A = _RNG.integers(1, 2**63, size=(NUM_PERM, 1), dtype=np.uint64) | np.uint64(1)
_B = _RNG.integers(0, 2**63, size=(NUM_PERM, 1), dtype=np.uint64)
_BASE = np.uint64(1_000_003)
_CHUNK = 1 << 15


def signature(text: str) -> list[int] | None:
    """MinHash signature of ``text`` (its letters, digits and Han characters), or None if short.

    Vectorised with numpy rather than datasketch's per-shingle hashing, which would cost as
    much as segmenting the text: a polynomial hash of each character 5-gram, then
    ``NUM_PERM`` multiply-shift hash functions, keeping each one's minimum. Repeated
    shingles are hashed again rather than removed first: they change no minimum, and
    sorting them out (``np.unique``) costs more than hashing them.
    """
    core = _SKIP.sub("", text)
    n = len(core) - SHINGLE + 1
    if n < MIN_SHINGLES:
        return None
    codes = np.frombuffer(core.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(SHINGLE):
            h = h * _BASE + codes[k:k + n]
        mins = np.full(NUM_PERM, np.iinfo(np.uint64).max, dtype=np.uint64)
        for a in range(0, len(h), _CHUNK):  # bounded memory for a multi-megabyte article
            hv = (_A * h[a:a + _CHUNK] + _B) >> np.uint64(32)
            np.minimum(mins, hv.min(axis=1), out=mins)
    return mins.tolist()


class Deduplicator:
    """Marks documents that nearly repeat an earlier one, in the order they are given."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._sigs: dict[str, np.ndarray] = {}

    def mark(self, doc: Document) -> Document:
        """Set ``doc.duplicate_of`` (or leave it None) and remember ``doc`` as a possible original."""
        if doc.signature is None:
            return doc
        sig = np.asarray(doc.signature, dtype=np.uint64)
        mh = LeanMinHash(seed=_SEED, hashvalues=sig, scheme=SCHEME)  # no permutation tables to build
        best = None
        for key in self._lsh.query(mh):
            sim = float(np.mean(self._sigs[key] == sig))
            if sim >= self.threshold and (best is None or (sim, key) > best):
                best = (sim, key)
        if best is not None:
            doc.duplicate_of = best[1]
        elif doc.id not in self._sigs:
            self._lsh.insert(doc.id, mh)
            self._sigs[doc.id] = sig
        return doc
