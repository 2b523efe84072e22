"""The near-duplicate step with its signatures on disk: the copies it writes per partition are
those the one-index deduplicator marks (and those :func:`pipeline.partitioned.resolve` decides
from the pairs held in memory), and what it moves between tasks does not carry signatures."""

from __future__ import annotations

import pickle
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_ie.pipeline.dedupe import BANDS, NUM_PERM, Deduplicator, band_keys
from policy_ie.pipeline.neardup import (
    PAIRS,
    SHIFT,
    SpilledDups,
    _candidates,
    band_seqs,
    bucket_pairs,
    bucketed,
    resolve_buckets,
    resolve_spilled,
    sign_part,
    similar_in_groups,
    write_signatures,
)
from policy_ie.pipeline.partitioned import Part
from policy_ie.text.document import Document

SPEC = st.lists(st.tuples(st.integers(0, 5), st.integers(0, 20), st.sampled_from("abcdefgh"), st.booleans()),
                min_size=1, max_size=25)

#: the in-memory near-duplicate resolution of conftest (rows, ids, signatures -> copies)
Resolution = Callable[[list[tuple[int, str, bytes]]], dict[int, str]]


def _spilled(folder: Path, sigs: list[np.ndarray | None], ids: list[str], per_part: int,
             shuffle_parts: int) -> dict[int, str]:
    """The copies the on-disk step finds, seq (n-th article) -> original's id, through partitions
    of ``per_part`` articles and a shuffle into ``shuffle_parts`` groups of band keys."""
    items, seqs = [], []
    for start in range(0, len(sigs), per_part):
        index = start // per_part
        chunk = sigs[start:start + per_part]
        write_signatures(folder, index, [None if s is None else s.astype(np.uint32).tobytes() for s in chunk],
                         ids[start:start + per_part])
        for i, sig in enumerate(chunk):
            seqs.append((index << SHIFT) | i)
            if sig is not None:
                items.append((seqs[-1], ids[start + i], tuple(band_keys(sig.tolist()))))
    groups: list[dict[int, list[tuple[int, int]]]] = [defaultdict(list) for _ in range(shuffle_parts)]
    for item in items:
        for key, seq in band_seqs(item):
            groups[hash(key) % shuffle_parts][key].append((key, seq))
    pairs = [similar_in_groups(g.items(), str(folder)) for g in groups]
    by_id = defaultdict(list)
    for seq, aid, _ in items:
        by_id[aid].append(seq)
    found = resolve_spilled(pairs, [[(a, s) for a, s in by_id.items() if len(s) > 1]], str(folder))
    out = {}
    for index in range(-(-len(sigs) // per_part)):
        out.update(found.for_part(index))
    assert found.count == len(out)
    return {seqs.index(seq): aid for seq, aid in out.items()}


def _bucketed(folder: Path, sigs: list[np.ndarray | None], ids: list[str], per_part: int,
              buckets: int) -> dict[int, str]:
    """As :func:`_spilled`, through the dask build's shuffle of arrays: each partition's rows as
    one item per bucket (:func:`bucketed`), grouped by bucket, each bucket's pairs and shared ids
    (:func:`bucket_pairs`), resolved (:func:`resolve_buckets`)."""
    grouped: dict[int, list[tuple[int, object]]] = defaultdict(list)
    seqs = []
    for start in range(0, len(sigs), per_part):
        index = start // per_part
        chunk = sigs[start:start + per_part]
        write_signatures(folder, index, [None if s is None else s.astype(np.uint32).tobytes() for s in chunk],
                         ids[start:start + per_part])
        items = []
        for i, sig in enumerate(chunk):
            seqs.append((index << SHIFT) | i)
            if sig is not None:
                items.append((seqs[-1], ids[start + i], tuple(band_keys(sig.tolist()))))
        for b, row in bucketed(items, buckets):
            grouped[b].append((b, row))
    found = resolve_buckets([[bucket_pairs(g, str(folder)) for g in grouped.items()]], str(folder))
    out = {}
    for index in range(-(-len(sigs) // per_part)):
        out.update(found.for_part(index))
    return {seqs.index(seq): aid for seq, aid in out.items()}


@settings(max_examples=60, deadline=None)
@given(SPEC, st.integers(1, 7), st.integers(1, 4))
def test_the_copies_written_to_disk_are_those_the_one_index_deduplicator_marks(
        tmp_path_factory: pytest.TempPathFactory, in_memory_resolution: Resolution,
        spec: list[tuple[int, int, str, bool]], per_part: int, shuffle_parts: int) -> None:
    rng = np.random.default_rng(7)
    bases = rng.integers(0, 2**32, size=(6, NUM_PERM), dtype=np.uint64)
    docs, sigs, ids, items = [], [], [], []
    for n, (base, noise, aid, signed) in enumerate(spec):
        sig = bases[base].copy()
        sig[:noise] = rng.integers(0, 2**32, size=noise, dtype=np.uint64)  # noise changes: less alike
        docs.append(Document(id=aid, path="p", text="x", signature=sig.tolist() if signed else None))
        sigs.append(sig if signed else None)
        ids.append(aid)
        if signed:
            items.append((n, aid, sig.astype(np.uint32).tobytes()))
    dedup = Deduplicator()
    expected = {n: d.duplicate_of for n, d in enumerate(docs) if dedup.mark(d).duplicate_of}
    # the in-memory resolution of the same pairs (pipeline.partitioned) agrees
    assert in_memory_resolution(items) == expected
    assert _spilled(tmp_path_factory.mktemp("sigs"), sigs, ids, per_part, shuffle_parts) == expected
    assert _bucketed(tmp_path_factory.mktemp("sigs"), sigs, ids, per_part, shuffle_parts) == expected


def test_a_pair_found_by_several_bands_and_shuffle_partitions_counts_once(tmp_path: Path) -> None:
    sig = np.arange(NUM_PERM, dtype=np.uint32)
    write_signatures(tmp_path, 0, [sig.tobytes(), sig.tobytes()], ["a", "b"])
    keys = band_keys(sig.tolist())
    groups = [(k, [(k, 0), (k, 1)]) for k in keys]
    pairs = [similar_in_groups(groups[:2], str(tmp_path)), similar_in_groups(groups[2:], str(tmp_path))]
    assert [p.tolist() for p in pairs] == [[(1, 0, 1.0)], [(1, 0, 1.0)]] and pairs[0].dtype == PAIRS
    found = resolve_spilled(pairs, [], str(tmp_path))
    assert found.count == 1 and found.for_part(0) == {1: "a"} and found.for_part(1) == {}


def test_what_the_shuffle_moves_carries_no_signature(tmp_path: Path) -> None:
    """An article's rows in the shuffle are its band keys and its place: a few dozen bytes each,
    not the 512 of its signature once per band (as before the signatures went to disk)."""
    text = "商洛市扶贫办消息：2019年全市贫困人口由12.5万人减少到3.1万人，贫困发生率降至1.4%。" * 3
    path = tmp_path / "news.jsonl"
    path.write_text("".join(f'{{"id": "n{i}", "text": "{text}第{i}批"}}\n' for i in range(6)), encoding="utf-8")
    from policy_ie.pipeline.ingest import list_inputs

    part = Part(3, tuple(list_inputs([path])))
    items = sign_part(part, 1 << 20, str(tmp_path))
    assert [seq for seq, _, _ in items] == [(3 << SHIFT) | i for i in range(6)]
    rows = [row for item in items for row in band_seqs(item)]
    assert len(rows) == 6 * BANDS and all(isinstance(k, int) and isinstance(s, int) for k, s in rows)
    assert len(pickle.dumps(rows)) / len(rows) < NUM_PERM * 4 / 8
    assert (tmp_path / "sigs" / "part-00003.sig").stat().st_size == 6 * NUM_PERM * 4
    # the copies of the same text are found from the signatures on disk
    pairs = similar_in_groups(_grouped(rows).items(), str(tmp_path))
    assert len(pairs) and SpilledDups(str(tmp_path)).for_part(3) == {}
    assert resolve_spilled([pairs], [], str(tmp_path)).for_part(3)[(3 << SHIFT) | 1] == "n0"


def _grouped(rows: list[tuple[int, int]]) -> dict[int, list[tuple[int, int]]]:
    out: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for key, seq in rows:
        out[key].append((key, seq))
    return out


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(0, (1 << 40) - 1), max_size=6), max_size=12))
def test_the_candidate_pairs_are_every_pair_sharing_a_key_once_in_order(groups: list[list[int]]) -> None:
    # the set of (later, earlier) tuples that _candidates replaced, sorted
    want: set[tuple[int, int]] = set()
    for seqs in groups:
        ordered = sorted(set(seqs))
        want.update((ordered[j], ordered[i]) for j in range(1, len(ordered)) for i in range(j))
    got = _candidates([(k, [(k, s) for s in seqs]) for k, seqs in enumerate(groups)])
    assert got.dtype == np.int64 and got.shape == (len(want), 2)
    assert [tuple(row) for row in got.tolist()] == sorted(want)
