"""Merging partial aggregators: a stream cut anywhere, merged in any order of neighbours, gives
the comparison of one aggregator fed the whole stream."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policy_ie.pipeline.aggregate import Aggregator, Comparison

REGIONS = [("611000", "商洛市", "city"), ("611023", "商南县", "county"), (None, None, None)]
KEYS = ["poor_population", "investment"]


@st.composite
def articles(draw: Any) -> list[dict[str, Any]]:
    """Fact rows of a few articles, each with an id of its own."""
    rows: list[dict[str, Any]] = []
    for n in range(draw(st.integers(1, 7))):
        aid = f"a{n}"
        code, name, level = draw(st.sampled_from(REGIONS))
        base = {"article_id": aid, "article_region_code": code,
                "article_region_name": draw(st.sampled_from([name, None])),
                "article_province": "陕西省", "article_level": level,
                "published": draw(st.sampled_from(["2019-01-01", "2020-05-01", None])),
                "duplicate_of": draw(st.sampled_from([None, None, "x"]))}
        for _ in range(draw(st.integers(0, 4))):
            kind = draw(st.sampled_from(["metric", "metric", "programme", "region"]))
            row = dict(base, kind=kind, start=draw(st.integers(0, 9)), end=20, text="t", sentence="s")
            if kind == "metric":
                row.update(key=draw(st.sampled_from(KEYS)), value=float(draw(st.sampled_from([1, 2, 3]))),
                           region_code=draw(st.sampled_from(["611023", "100000", None])),
                           qualifier=draw(st.sampled_from([None, "planned"])),
                           ref_date=draw(st.sampled_from([None, "2018", "2020"])),
                           subject=draw(st.sampled_from([None, "农户"])),
                           confidence=draw(st.sampled_from([1.0, 0.9])), unit="人",
                           per=draw(st.sampled_from([None, None, "year"])))
            elif kind == "programme":
                row.update(key=draw(st.sampled_from(["五个一批", "两不愁"])), headline=draw(st.booleans()))
            else:
                row.update(region_code=draw(st.sampled_from(["611023", "611024"])), region_name="某县", level="county")
            rows.append(row)
        if not rows or rows[-1]["article_id"] != aid or draw(st.booleans()):
            rows.append(dict(base, kind="article"))  # an article counted by its fields alone
    return rows


def _feed(agg: Aggregator, rows: list[dict[str, Any]]) -> Aggregator:
    for r in rows:
        if r["kind"] == "article":
            agg.add_article(r)
        else:
            agg.add(r)
    return agg


def _seen(comp: Comparison) -> tuple[Any, ...]:
    return ([c.key for c in comp.columns], comp.rows, list(comp.sources), list(comp.panel),
            comp.unassigned, comp.duplicates)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=articles(), data=st.data())
def test_a_stream_cut_anywhere_and_merged_gives_the_whole_streams_table(rows: list[dict[str, Any]],
                                                                         data: Any) -> None:
    whole = _feed(Aggregator(use_gazetteer=False), rows).result()
    cuts = sorted(data.draw(st.lists(st.integers(0, len(rows)), max_size=4)))
    bounds = [0, *cuts, len(rows)]
    parts = [_feed(Aggregator(use_gazetteer=False, origin=i), rows[a:b])
             for i, (a, b) in enumerate(itertools.pairwise(bounds))]
    while len(parts) > 1:  # neighbours merged in a random order, either one into the other
        i = data.draw(st.integers(0, len(parts) - 2))
        left, right = parts[i], parts[i + 1]
        merged = left.merge(right) if data.draw(st.booleans()) else right.merge(left)
        parts[i:i + 2] = [merged]
    assert _seen(parts[0].result()) == _seen(whole)


def test_first_seen_is_decided_by_position_not_by_merge_order() -> None:
    row = {"article_region_code": "611000", "article_region_name": "商洛市", "kind": "metric",
           "key": "poor_population", "unit": "人", "start": 0, "end": 1, "text": "t", "sentence": "s"}
    early = _feed(Aggregator(use_gazetteer=False, origin=0), [dict(row, article_id="a", value=5.0)])
    late = _feed(Aggregator(use_gazetteer=False, origin=1), [dict(row, article_id="b", value=5.0)])
    comp = late.merge(early).result()
    chosen = comp.chosen("611000", "poor_population")
    assert chosen is not None and chosen["article_id"] == "a" and chosen["articles"] == 2


def test_an_article_cut_between_two_parts_is_counted_once() -> None:
    row = {"article_id": "a", "article_region_code": "611000", "article_region_name": "商洛市", "kind": "programme",
           "key": "五个一批", "headline": True, "start": 0, "end": 1, "text": "t"}
    early = _feed(Aggregator(use_gazetteer=False, origin=0), [row])
    late = _feed(Aggregator(use_gazetteer=False, origin=1), [row])
    comp = early.merge(late).result()
    assert comp.rows[0]["n_articles"] == 1
    assert [s["articles"] for s in comp.sources] == [1]
