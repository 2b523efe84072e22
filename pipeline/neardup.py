"""The distributed build's near-duplicate step with the signatures on disk (:mod:`pipeline.distributed`).

What travels between the workers stays small whatever the archive's size; what grows with it
is on the build's shared storage:

1. :func:`sign_part` (a task per partition) writes each article's MinHash signature to
   ``sigs/part-NNNNN.sig`` (row i: the partition's article i, 128 packed 32-bit values; zeros
   for an article without one) and the articles' ids to ``sigs/part-NNNNN.ids``, and gives
   (seq, id, band keys) per article: no signature goes into the shuffle;
2. the band keys are grouped by key (:func:`band_seqs`, a task shuffle of (key, seq) rows), and
   :func:`similar_in_groups` reads the signatures of the articles sharing a key back from disk
   and keeps the pairs alike enough, as three numpy columns (later seq, earlier seq, similarity);
3. :func:`resolve_spilled` decides in input order which article copies which, by the rule of
   :func:`pipeline.partitioned.resolve` (one article at a time, over arrays, not dicts of
   tuples), and writes each partition's copies to ``dups/part-NNNNN.npy`` (index in the
   partition, the original's seq);
4. :meth:`SpilledDups.for_part` gives a partition's copies with the originals' ids, read from
   the ``.ids`` files of the partitions they are in (:func:`pipeline.partitioned.write_part`).

A signature is 512 bytes against about 100 of a (key, seq) row: before this, every article's
signature went through the shuffle once per band (five times), and the pairs with both ids
were gathered in one task.
"""

from __future__ import annotations

import json
import os
import zlib
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from policy_ie.pipeline.dedupe import NUM_PERM, THRESHOLD, band_keys

SHIFT = 32  # as pipeline.partitioned's: an article's seq is its partition << SHIFT | its index
SIG_BYTES = NUM_PERM * 4
#: the columns of the similar pairs
PAIRS = np.dtype([("later", np.int64), ("earlier", np.int64), ("sim", np.float64)])
#: open signature files kept by one task at most (an archive of many partitions has more)
OPEN_FILES = 64


def _name(folder: str | Path, kind: str, index: int, suffix: str) -> Path:
    return Path(folder) / kind / f"part-{index:05d}.{suffix}"


def write_signatures(folder: str | Path, index: int, sigs: list[bytes | None], ids: list[str]) -> None:
    """A partition's signature and ids files (``sigs[i]``: article i's packed signature, or None)."""
    path = _name(folder, "sigs", index, "sig")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        for sig in sigs:
            fh.write(sig if sig is not None else bytes(SIG_BYTES))
    _name(folder, "sigs", index, "ids").write_text(json.dumps(ids, ensure_ascii=False), encoding="utf-8")


def sign_part(part: Any, max_bytes: int, folder: str) -> list[tuple[int, str, tuple[int, ...]]]:
    """(seq, id, band keys) of each article of a partition that has a signature (the signature
    :func:`pipeline.run.process` gives, of the cleaned text); the signatures and every article's
    id written to the partition's files under ``folder/sigs``."""
    from policy_ie.pipeline.partitioned import signed

    out = []
    sigs: list[bytes | None] = []
    ids: list[str] = []
    for i, doc, sig in signed(part, max_bytes):
        ids.append(doc.id)
        sigs.append(None if sig is None else sig.tobytes())
        if sig is not None:
            out.append(((part.index << SHIFT) | i, doc.id, tuple(band_keys(sig.tolist()))))
    write_signatures(folder, part.index, sigs, ids)
    return out


def band_seqs(item: tuple[int, str, tuple[int, ...]]) -> list[tuple[int, int]]:
    """One (band key, seq) row per LSH band of an article."""
    return [(key, item[0]) for key in item[2]]


class _Signatures:
    """Signatures read back from the partitions' files, a few files open at a time."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = folder
        self.open: OrderedDict[int, int] = OrderedDict()

    def __call__(self, seq: int) -> np.ndarray:
        part, row = seq >> SHIFT, seq & ((1 << SHIFT) - 1)
        fd = self.open.pop(part, None)
        if fd is None:
            fd = os.open(_name(self.folder, "sigs", part, "sig"), os.O_RDONLY)
            if len(self.open) >= OPEN_FILES:
                os.close(self.open.popitem(last=False)[1])
        self.open[part] = fd
        return np.frombuffer(os.pread(fd, SIG_BYTES, row * SIG_BYTES), dtype=np.uint32)

    def close(self) -> None:
        for fd in self.open.values():
            os.close(fd)
        self.open.clear()


def _candidates(groups: Iterable[tuple[int, list[tuple[int, int]]]]) -> np.ndarray:
    """Every pair of articles sharing a band key, once, as rows (later seq, earlier seq) in
    ascending order. numpy rows, not a set of tuples: at 100,000 items a task's set held over a
    hundred thousand pairs as small objects, whose memory the worker kept after the task."""
    chunks = []
    for _, rows in groups:
        if len(rows) < 2:
            continue
        seqs = np.unique(np.fromiter((seq for _, seq in rows), dtype=np.int64, count=len(rows)))
        if len(seqs) > 1:
            earlier, later = np.triu_indices(len(seqs), 1)
            chunks.append(np.stack([seqs[later], seqs[earlier]], axis=1))
    if not chunks:
        return np.zeros((0, 2), dtype=np.int64)
    return np.unique(np.concatenate(chunks), axis=0)


def similar_in_groups(groups: Iterable[tuple[int, list[tuple[int, int]]]], folder: str) -> np.ndarray:
    """The pairs of articles sharing a band key that are alike enough (:data:`PAIRS`: later seq,
    earlier seq, similarity), each pair once, the signatures read from ``folder/sigs``."""
    pairs = _candidates(groups)
    sims = np.zeros(len(pairs), dtype=np.float64)
    read = _Signatures(folder)
    try:
        later_seq, later = None, None
        for start in range(0, len(pairs), 1 << 16):  # a list of a chunk's rows at a time
            for at, (late, early) in enumerate(pairs[start:start + (1 << 16)].tolist(), start):
                if late != later_seq:
                    later_seq, later = late, read(late)
                sims[at] = float(np.mean(read(early) == later))
    finally:
        read.close()
    keep = sims >= THRESHOLD
    out = np.zeros(int(keep.sum()), dtype=PAIRS)
    out["later"], out["earlier"], out["sim"] = pairs[keep, 0], pairs[keep, 1], sims[keep]
    return out


def bucketed(items: list[tuple[int, str, tuple[int, ...]]], buckets: int) -> list[tuple[int, Any]]:
    """A partition's :func:`sign_part` rows as one item per bucket of the shuffle, with arrays:
    ``(bucket, (band rows, ids, their seqs))``: the (band key, seq) rows of the keys in the bucket
    (two int64 rows) and the ids hashed to it with their seqs. A few arrays a partition go
    through the shuffle, not a tuple per band of each article: at 100,000 items those tuples
    were half a million small objects, and a worker kept their memory after the shuffle."""
    keys = np.array([k for it in items for k in it[2]], dtype=np.int64)
    seqs = np.array([it[0] for it in items], dtype=np.int64)
    band_seq = np.repeat(seqs, [len(it[2]) for it in items]) if items else seqs
    which = keys % buckets
    ids = np.empty(len(items), dtype=object)
    ids[:] = [it[1] for it in items]
    id_bucket = np.array([zlib.crc32(it[1].encode("utf-8", "surrogatepass")) % buckets for it in items],
                         dtype=np.int64)
    return [(b, (np.stack([keys[which == b], band_seq[which == b]]), ids[id_bucket == b], seqs[id_bucket == b]))
            for b in range(buckets)]


def bucket_pairs(group: tuple[int, list[tuple[int, Any]]],
                 folder: str) -> tuple[np.ndarray, list[tuple[str, list[int]]]]:
    """One bucket of the shuffle (:func:`bucketed` items of every partition): the similar pairs
    of the articles sharing a band key (:func:`similar_in_groups`) and the ids given more than
    once with their seqs."""
    rows = [r for _, r in group[1]]
    bands = np.concatenate([r[0] for r in rows], axis=1)
    order = np.argsort(bands[0], kind="stable")
    keys, seqs = bands[0][order], bands[1][order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.zeros(0, dtype=np.int64)
    ends = np.r_[starts[1:], len(keys)].astype(np.int64)
    several = (ends - starts) >= 2
    groups = ((0, [(0, q) for q in seqs[s:e].tolist()])
              for s, e in zip(starts[several].tolist(), ends[several].tolist(), strict=True))
    pairs = similar_in_groups(groups, folder)
    ids = np.concatenate([r[1] for r in rows])
    id_seqs = np.concatenate([r[2] for r in rows])
    shared: list[tuple[str, list[int]]] = []
    if len(ids):
        unique, inverse, counts = np.unique(ids, return_inverse=True, return_counts=True)
        inverse = inverse.reshape(-1)
        mine = np.flatnonzero(counts[inverse] > 1)
        mine = mine[np.argsort(inverse[mine], kind="stable")]
        for u in np.unique(inverse[mine]).tolist():
            shared.append((str(unique[u]), id_seqs[mine[inverse[mine] == u]].tolist()))
    return pairs, shared


def resolve_buckets(found: Iterable[Any], folder: str) -> SpilledDups:
    """:func:`resolve_spilled` of the buckets' :func:`bucket_pairs` (lists of them: a bag's
    partitions)."""
    results = [r for part in found for r in part]
    return resolve_spilled([p for p, _ in results], [g for _, shared in results for g in shared], folder)


@dataclass(frozen=True)
class SpilledDups:
    """Which articles are near-copies, on disk: :meth:`for_part` gives one partition's."""

    folder: str
    count: int = 0

    def for_part(self, index: int) -> dict[int, str]:
        """seq -> the original's id, of the articles of partition ``index`` that are copies."""
        path = _name(self.folder, "dups", index, "npy")
        if not path.exists():
            return {}
        rows = np.load(path)
        by_part: dict[int, list[tuple[int, int]]] = {}
        for k, (_, earlier) in enumerate(rows.tolist()):
            by_part.setdefault(earlier >> SHIFT, []).append((k, earlier & ((1 << SHIFT) - 1)))
        ids: dict[int, str] = {}
        for part, wanted in by_part.items():
            names = json.loads(_name(self.folder, "sigs", part, "ids").read_text(encoding="utf-8"))
            ids.update((k, names[row]) for k, row in wanted)
        return {(index << SHIFT) | int(i): ids[k] for k, (i, _) in enumerate(rows.tolist())}


def _sorted_pairs(parts: Iterable[np.ndarray]) -> np.ndarray:
    pairs = np.concatenate([np.asarray(p, dtype=PAIRS) for p in parts] or [np.empty(0, PAIRS)])
    pairs = pairs[np.lexsort((pairs["earlier"], pairs["later"]))]
    if len(pairs) > 1:  # a pair found in two shuffle partitions (by two band keys) once
        keep = np.ones(len(pairs), dtype=bool)
        keep[1:] = (pairs["later"][1:] != pairs["later"][:-1]) | (pairs["earlier"][1:] != pairs["earlier"][:-1])
        pairs = pairs[keep]
    return pairs


def _chunks(values: np.ndarray, size: int = 1 << 16) -> Iterator[Any]:
    """The values of an array as Python numbers, converted a chunk at a time."""
    for at in range(0, len(values), size):
        yield from values[at:at + size].tolist()


def resolve_seqs(pairs: np.ndarray, shared: dict[int, str]) -> tuple[np.ndarray, np.ndarray]:
    """The copies and their originals' seqs, by :func:`pipeline.partitioned.resolve`'s rule, from
    the similar pairs (:data:`PAIRS`, sorted by later then earlier, each once) and ``shared``
    (seq -> id, of the articles whose id another article has)."""
    looked = np.unique(np.concatenate([pairs["later"], pairs["earlier"],
                                       np.fromiter(shared, dtype=np.int64, count=len(shared))]))
    original = np.ones(len(looked), dtype=bool)
    earlier_at = np.searchsorted(looked, pairs["earlier"])
    known: set[str] = set()
    dup_seq, dup_of = [], []
    rows = zip(_chunks(pairs["later"]), _chunks(pairs["earlier"]), _chunks(pairs["sim"]),
               _chunks(earlier_at), strict=True)
    head = next(rows, None)
    for at, seq in enumerate(_chunks(looked)):
        best: tuple[float, int] | None = None
        while head is not None and head[0] == seq:
            _, earlier, sim, where = head
            if original[where] and (best is None or (sim, -earlier) > best):
                best = (sim, -earlier)
            head = next(rows, None)
        if best is not None:
            dup_seq.append(seq)
            dup_of.append(-best[1])
            original[at] = False
            continue
        aid = shared.get(seq)
        original[at] = aid is None or aid not in known
        if aid is not None and original[at]:
            known.add(aid)
    return np.array(dup_seq, dtype=np.int64), np.array(dup_of, dtype=np.int64)


def resolve_spilled(pairs: Iterable[np.ndarray], id_groups: Iterable[Any], folder: str) -> SpilledDups:
    """Which article copies which (:func:`resolve_seqs`), written per partition under
    ``folder/dups`` (``pairs``: :func:`similar_in_groups`' arrays; ``id_groups``: (id, seqs) of
    the ids given more than once, or lists of them)."""
    groups = list(id_groups)
    if groups and isinstance(groups[0], list):
        groups = [g for part in groups for g in part]
    shared = {seq: aid for aid, seqs in groups for seq in seqs}
    dup_seq, dup_of = resolve_seqs(_sorted_pairs(pairs), shared)
    (Path(folder) / "dups").mkdir(parents=True, exist_ok=True)
    parts = dup_seq >> SHIFT
    for part in np.unique(parts).tolist():
        mine = parts == part
        rows = np.stack([dup_seq[mine] & ((1 << SHIFT) - 1), dup_of[mine]], axis=1)
        np.save(_name(folder, "dups", part, "npy"), rows)
    return SpilledDups(folder, len(dup_seq))
