"""Near-duplicate articles: syndicated copies of one story, found with MinHash LSH.

The same story runs on several pages and sites, lightly edited (another headline, a
dateline, a paragraph cut). Each article gets a MinHash signature of the character
5-grams of its cleaned text (in the per-article function, so workers compute it); the
batch then keeps a banded LSH index and marks an article ``duplicate_of`` the earlier
article whose estimated Jaccard similarity is highest, if it reaches the threshold (the
earliest such one on a tie). The order of the input decides which copy is the original,
so results are deterministic.

The banding is datasketch's ``MinHashLSH`` for this threshold and signature length
(``BANDS`` bands of ``ROWS`` values; a test checks both against datasketch, and that the
index finds the same candidates). The index itself is ours because it must hold a whole
archive: datasketch's in-memory storage keeps a Python set per bucket, about 2 KB an
article (2 GB for a million), while :class:`BandIndex` keeps each band as an 8-byte key
and a 4-byte position in sorted numpy arrays, and signatures as packed 32-bit values:
about 320 bytes an article.
"""

from __future__ import annotations

from array import array
from operator import eq
from typing import TYPE_CHECKING

from policy_ie.pipeline.minhash import MIN_SHINGLES, NUM_PERM, SHINGLE, signature
from policy_ie.text.document import Document

if TYPE_CHECKING:
    import numpy as np

__all__ = ["BANDS", "MIN_SHINGLES", "NUM_PERM", "ROWS", "SHINGLE", "THRESHOLD", "BandIndex",
           "Deduplicator", "band_keys", "signature"]

THRESHOLD = 0.8
#: datasketch's optimal (bands, rows) for THRESHOLD and NUM_PERM, equal weight to misses
#: and false candidates (candidates are verified against the signatures anyway)
BANDS, ROWS = 5, 11


def band_keys(sig: list[int]) -> list[int]:
    """One 64-bit key per band of a signature: Python's hash of the band's values (a hash of
    a tuple of ints is the same in every process and run, unlike that of a string)."""
    return [hash((band, *sig[band * ROWS:(band + 1) * ROWS])) for band in range(BANDS)]


class BandIndex:
    """Band keys of the articles seen so far, each mapped to the article's position.

    New keys go to a small dict (the tail); a full tail becomes a sorted run of two numpy
    arrays, and runs of similar size are merged like the digits of a binary counter, so
    there are at most log2(n / TAIL) runs and every key is copied that many times. A
    lookup is a dict get and two binary searches per run.
    """

    TAIL = 4096 * BANDS

    def __init__(self) -> None:
        self._tail: dict[int, list[int]] = {}
        self._tail_size = 0
        self._runs: list[tuple[np.ndarray, np.ndarray]] = []

    def add(self, keys: list[int], position: int) -> None:
        """Index every band key of the article at ``position``."""
        for k in keys:
            self._tail.setdefault(k, []).append(position)
        self._tail_size += len(keys)
        if self._tail_size >= self.TAIL:
            self._flush()

    def lookup(self, keys: list[int]) -> set[int]:
        """Positions of the articles that share at least one band key with ``keys``."""
        out: set[int] = set()
        for k in keys:
            out.update(self._tail.get(k, ()))
        if not self._runs:
            return out
        import numpy as np  # runs exist after TAIL keys: numpy is loaded by then anyway

        probe = np.array(keys, dtype=np.int64)
        for run_keys, run_pos in self._runs:
            lo = np.searchsorted(run_keys, probe, "left")
            hi = np.searchsorted(run_keys, probe, "right")
            for a, b in zip(lo.tolist(), hi.tolist(), strict=True):
                if b > a:
                    out.update(run_pos[a:b].tolist())
        return out

    def _flush(self) -> None:
        import numpy as np

        pairs = [(k, p) for k, ps in self._tail.items() for p in ps]
        keys = np.fromiter((k for k, _ in pairs), dtype=np.int64, count=len(pairs))
        pos = np.fromiter((p for _, p in pairs), dtype=np.uint32, count=len(pairs))
        order = np.argsort(keys, kind="stable")
        self._runs.append((keys[order], pos[order]))
        self._tail, self._tail_size = {}, 0
        while len(self._runs) >= 2 and len(self._runs[-2][0]) <= 2 * len(self._runs[-1][0]):
            (k1, p1), (k2, p2) = self._runs.pop(-2), self._runs.pop()
            k, p = np.concatenate([k1, k2]), np.concatenate([p1, p2])
            order = np.argsort(k, kind="stable")
            self._runs.append((k[order], p[order]))


class Deduplicator:
    """Marks documents that nearly repeat an earlier one, in the order they are given."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._index = BandIndex()
        self._ids: list[str] = []
        self._known: set[str] = set()
        #: every indexed article's signature, ``NUM_PERM`` 32-bit values each (a plain
        #: array: marking one article needs no numpy)
        self._sigs = array("I")

    def _similarity(self, position: int, sig: array) -> float:
        """The share of equal values between ``sig`` and the signature at ``position``."""
        mine = self._sigs[position * NUM_PERM:(position + 1) * NUM_PERM]
        return sum(map(eq, mine, sig)) / NUM_PERM

    def mark(self, doc: Document) -> Document:
        """Set ``doc.duplicate_of`` (or leave it None) and remember ``doc`` as a possible original."""
        if doc.signature is None:
            return doc
        keys = band_keys(doc.signature)
        best: tuple[float, int] | None = None
        candidates = self._index.lookup(keys)
        sig = array("I", doc.signature)  # multiply-shift values fit 32 bits
        for position in candidates:
            sim = self._similarity(position, sig)
            if sim >= self.threshold and (best is None or (sim, -position) > best):
                best = (sim, -position)
        if best is not None:
            doc.duplicate_of = self._ids[-best[1]]
        elif doc.id not in self._known:
            self._index.add(keys, len(self._ids))
            self._ids.append(doc.id)
            self._known.add(doc.id)
            self._sigs.extend(sig)
        return doc
