"""The on-disk near-duplicate index: the in-memory Deduplicator's decisions, its database bounded."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from policy_ie.pipeline.dedupe import BANDS, NUM_PERM, ROWS, Deduplicator, signature
from policy_ie.pipeline.dedupe_disk import CACHE_KB, DiskDeduplicator
from policy_ie.text.document import Document

STORY = ("今年以来，某县围绕产业扶贫持续发力，新建蔬菜大棚360座，带动贫困户1850户增收，"
         "人均年收入由2900元提高到6400元，村集体经济收入全部突破5万元。")

#: a few base signatures; each article copies bands of one of them and draws the rest, so that
#: exact copies, near copies (sharing most values) and strangers all occur
_BASES = st.lists(st.lists(st.integers(0, 2**32 - 1), min_size=NUM_PERM, max_size=NUM_PERM),
                  min_size=1, max_size=3)


def _article(bases: list[list[int]], pick: int, bands: list[bool], noise: list[int]) -> list[int]:
    base = bases[pick % len(bases)]
    out = list(noise)
    for b, keep in enumerate(bands):
        if keep:
            out[b * ROWS:(b + 1) * ROWS] = base[b * ROWS:(b + 1) * ROWS]
    out[BANDS * ROWS:] = base[BANDS * ROWS:]  # the values past the bands: shared, raising similarity
    return out


_ARTICLES = st.lists(
    st.tuples(st.integers(0, 2), st.lists(st.booleans(), min_size=BANDS, max_size=BANDS),
              st.lists(st.integers(0, 2**32 - 1), min_size=NUM_PERM, max_size=NUM_PERM),
              st.integers(0, 12), st.booleans()),
    min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(_BASES, _ARTICLES, st.integers(1, 8))
def test_decisions_are_the_in_memory_deduplicators(bases: list[list[int]], articles: list, spill_at: int) -> None:
    # a small spill_at: the index moves from memory to the database within the run
    memory, disk = Deduplicator(), DiskDeduplicator(spill_at=spill_at)
    try:
        for pick, bands, noise, ident, signed in articles:
            sig = _article(bases, pick, bands, noise) if signed else None
            a = Document(id=f"a{ident}", path="", text="x")
            b = Document(id=f"a{ident}", path="", text="x")
            a.signature, b.signature = sig, list(sig) if sig else None
            assert disk.mark(b).duplicate_of == memory.mark(a).duplicate_of
    finally:
        disk.close()


def test_copies_are_marked_and_a_repeated_id_is_not_indexed_twice() -> None:
    with DiskDeduplicator(spill_at=1) as dedup:
        docs = [Document(id=i, path="", text=t) for i, t in
                (("a", STORY), ("b", STORY + "（完）"), ("a", STORY[5:] + "某地讯"), ("c", "短"))]
        for d in docs:
            d.signature = signature(d.text)
        assert [dedup.mark(d).duplicate_of for d in docs] == [None, "a", "a", None]
        assert dedup._count == 1


def test_no_database_until_spill_at_articles_are_indexed_and_none_after_close() -> None:
    dedup = DiskDeduplicator(spill_at=2)
    dedup.mark(Document(id="x", path="", text=""))
    for ident, text in (("y", STORY), ("z", STORY + "（完）")):
        d = Document(id=ident, path="", text=text)
        d.signature = signature(text)
        dedup.mark(d)
    assert dedup._db is None  # z is a copy: one article indexed, in memory
    d = Document(id="w", path="", text="")
    d.signature = [7] * NUM_PERM
    dedup.mark(d)
    assert dedup._db is not None and dedup._memory is None
    assert dedup._db.execute("SELECT count(*) FROM art").fetchone()[0] == 2
    dedup.close()
    assert dedup._db is None


def test_the_page_cache_is_bounded_whatever_the_number_of_articles() -> None:
    # the structure that stays in memory: SQLite's page cache, at most CACHE_KB
    with DiskDeduplicator(spill_at=1) as dedup:
        d = Document(id="y", path="", text=STORY)
        d.signature = signature(STORY)
        dedup.mark(d)
        assert dedup._db is not None
        assert dedup._db.execute("PRAGMA cache_size").fetchone()[0] == -CACHE_KB
        for i in range(3000):
            e = Document(id=f"n{i}", path="", text="x")
            e.signature = [(i * 7919 + j * 104729) % 2**32 for j in range(NUM_PERM)]
            dedup.mark(e)
        assert dedup._count == 3001
        pages = dedup._db.execute("PRAGMA page_count").fetchone()[0]
        size = dedup._db.execute("PRAGMA page_size").fetchone()[0]
        assert pages * size > 3000 * NUM_PERM * 4  # the signatures are in the file, not in memory
