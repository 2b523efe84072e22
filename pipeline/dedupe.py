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

from functools import cache

import numpy as np
import regex

from policy_ie.text.document import Document

NUM_PERM = 64
SHINGLE = 5
THRESHOLD = 0.8
#: datasketch's optimal (bands, rows) for THRESHOLD and NUM_PERM, equal weight to misses
#: and false candidates (candidates are verified against the signatures anyway)
BANDS, ROWS = 5, 11
#: Texts with fewer shingles than this are too short to call copies of anything.
MIN_SHINGLES = 40
_SKIP = regex.compile(r"[\s\p{P}\p{S}]+")
_SKIP_ONE = regex.compile(r"[\s\p{P}\p{S}]")  # one character of _SKIP
_SEED = 20240601


_RNG = np.random.default_rng(_SEED)
_A = _RNG.integers(1, 2**63, size=(NUM_PERM, 1), dtype=np.uint64) | np.uint64(1)
_B = _RNG.integers(0, 2**63, size=(NUM_PERM, 1), dtype=np.uint64)
_BASE = np.uint64(1_000_003)
_CHUNK = 1 << 15


@cache
def _kept() -> np.ndarray:
    """For every code point of the Basic Multilingual Plane, whether a signature keeps it
    (not a space, punctuation or symbol: exactly what ``_SKIP`` removes). One pass of the
    pattern over all of them, each it removes made a space (itself removed): a third of the
    time of asking of each character (start-up time)."""
    marked = _SKIP_ONE.sub(" ", "".join(map(chr, range(0x10000))))
    return np.frombuffer(marked.encode("utf-32-le", "surrogatepass"), dtype=np.uint32) != ord(" ")


def _core_codes(text: str) -> np.ndarray:
    """The code points of ``text`` without spaces, punctuation and symbols."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if codes.size and int(codes.max()) >= 0x10000:  # astral characters: the regex decides
        core = _SKIP.sub("", text)
        return np.frombuffer(core.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return codes[_kept()[codes]]


def signature(text: str) -> list[int] | None:
    """MinHash signature of ``text`` (its letters, digits and Han characters), or None if short.

    Vectorised with numpy rather than datasketch's per-shingle hashing, which would cost as
    much as segmenting the text: a polynomial hash of each character 5-gram, then
    ``NUM_PERM`` multiply-shift hash functions, keeping each one's minimum. Repeated
    shingles are hashed again rather than removed first: they change no minimum, and
    sorting them out (``np.unique``) costs more than hashing them. The shift to the top 32
    bits is applied to the minima only (it keeps order, so the minimum of the shifted
    values is the shifted minimum).
    """
    codes = _core_codes(text).astype(np.uint64)
    n = len(codes) - SHINGLE + 1
    if n < MIN_SHINGLES:
        return None
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(SHINGLE):
            h = h * _BASE + codes[k:k + n]
        mins = np.full(NUM_PERM, np.iinfo(np.uint64).max, dtype=np.uint64)
        for a in range(0, len(h), _CHUNK):  # bounded memory for a multi-megabyte article
            hv = _A * h[a:a + _CHUNK]
            hv += _B
            np.minimum(mins, hv.min(axis=1), out=mins)
    return (mins >> np.uint64(32)).tolist()


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
        probe = np.array(keys, dtype=np.int64)
        for run_keys, run_pos in self._runs:
            lo = np.searchsorted(run_keys, probe, "left")
            hi = np.searchsorted(run_keys, probe, "right")
            for a, b in zip(lo.tolist(), hi.tolist(), strict=True):
                if b > a:
                    out.update(run_pos[a:b].tolist())
        return out

    def _flush(self) -> None:
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
        self._sigs = bytearray()

    def _signature(self, position: int) -> np.ndarray:
        return np.frombuffer(self._sigs, dtype=np.uint32, count=NUM_PERM, offset=position * NUM_PERM * 4)

    def mark(self, doc: Document) -> Document:
        """Set ``doc.duplicate_of`` (or leave it None) and remember ``doc`` as a possible original."""
        if doc.signature is None:
            return doc
        keys = band_keys(doc.signature)
        best: tuple[float, int] | None = None
        candidates = self._index.lookup(keys)
        sig = np.asarray(doc.signature, dtype=np.uint32)  # multiply-shift values fit 32 bits
        for position in candidates:
            sim = float(np.mean(self._signature(position) == sig))
            if sim >= self.threshold and (best is None or (sim, -position) > best):
                best = (sim, -position)
        if best is not None:
            doc.duplicate_of = self._ids[-best[1]]
        elif doc.id not in self._known:
            self._index.add(keys, len(self._ids))
            self._ids.append(doc.id)
            self._known.add(doc.id)
            self._sigs += sig.tobytes()
        return doc
