"""Tests of pipeline/partitioned.py's choice of the report's articles (``report_ids``): it reads
each partition's bookkeeping from its file and keeps only what can be shown, and chooses what
the choice over every partition's lists held at once chose."""

from __future__ import annotations

import pickle
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_ie.pipeline.partitioned import PartResult, part_name, report_ids

IDS = st.sampled_from("abcdefghij")
CELLS = st.sampled_from([("r1", "m"), ("r1", "n"), ("r2", "m")])
PART = st.tuples(
    st.lists(st.tuples(IDS, st.integers(0, 99), st.integers(1, 9)), max_size=6),  # shown
    st.lists(st.tuples(IDS, CELLS, st.tuples(st.integers(0, 5))), max_size=5),  # cited
    st.dictionaries(CELLS, st.tuples(st.integers(0, 5)), max_size=3),  # bests
)


def _held(comp: Any, parts: list[tuple[Any, Any, Any]], cap: int) -> list[tuple[str, int, int, int]]:
    """The choice as made before, every partition's lists in memory at once (the reference)."""
    where: dict[str, tuple[int, int, int]] = {}
    firsts: list[str] = []
    cited: set[str] = set()
    running: dict[Any, Any] = {}
    for index, (shown, cites, bests) in enumerate(parts):
        for aid, at, n in shown:
            if aid not in where:
                where[aid] = (index, at, n)
                if len(firsts) < cap:
                    firsts.append(aid)
        for aid, key, rank in cites:
            if key not in running or rank > running[key]:
                cited.add(aid)
        for key, rank in bests.items():
            if key not in running or rank > running[key]:
                running[key] = rank
    kept = cited.union(firsts)
    ids: dict[str, None] = {}
    for s in comp.sources:
        if s["chosen"] and s["article_id"] in where and s["article_id"] in kept:
            ids.setdefault(s["article_id"])
    for aid in firsts:
        ids.setdefault(aid)
    return [(aid, *where[aid]) for aid in list(ids)[:cap]]


@settings(max_examples=80, deadline=None)
@given(st.lists(PART, min_size=1, max_size=5), st.lists(st.tuples(IDS, st.booleans()), max_size=8),
       st.integers(0, 6))
def test_the_articles_chosen_are_those_of_every_list_held_at_once(
        tmp_path_factory: pytest.TempPathFactory, parts: list[Any], sources: list[tuple[str, bool]],
        cap: int) -> None:
    folder = tmp_path_factory.mktemp("parts")
    (folder / "report").mkdir()
    results = []
    for index, part in enumerate(parts):
        with open(folder / part_name("report", index, "pkl"), "wb") as fh:
            pickle.dump(part, fh)
        results.append(PartResult(index, str(folder)))
    comp = SimpleNamespace(sources=[{"article_id": aid, "chosen": chosen} for aid, chosen in sources])
    got = [(aid, r.index, at, n) for aid, r, at, n in report_ids(comp, results[::-1], cap)]
    assert got == _held(comp, parts, cap)


def test_a_partition_without_its_file_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="part-00003"):
        report_ids(SimpleNamespace(sources=[]), [PartResult(3, str(tmp_path))], 5)
