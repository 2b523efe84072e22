"""Merging partial aggregators: a stream cut anywhere, merged in any order of neighbours, gives
the comparison of one aggregator fed the whole stream (with figures of no row by their scope,
articles off the topic, and a reviewer's verdicts, stale ones included)."""

from __future__ import annotations

import copy
import itertools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policy_ie.pipeline.aggregate import Aggregator, Comparison
from policy_ie.pipeline.verdicts import ACCEPT, REJECT, Verdict, Verdicts

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
                "duplicate_of": draw(st.sampled_from([None, None, "x"])),
                # below topic.yaml's threshold (0.32), above it, no score
                "topic": draw(st.sampled_from([None, 0.9, 0.9, 0.1]))}
        for _ in range(draw(st.integers(0, 4))):
            kind = draw(st.sampled_from(["metric", "metric", "programme", "region"]))
            row = dict(base, kind=kind, start=draw(st.integers(0, 9)), end=20, text="t", sentence="s")
            if kind == "metric":
                # 5e9 poor people: implausible at every level, in the running only if accepted
                row.update(key=draw(st.sampled_from(KEYS)), value=float(draw(st.sampled_from([1, 2, 3, 5e9]))),
                           scope=draw(st.sampled_from([None, "division", "world", "narrower"])),
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


def _seen(agg: Aggregator) -> tuple[Any, ...]:
    comp: Comparison = agg.result()
    stale = None if agg.verdicts is None else [v.key for v in agg.verdicts.stale()]
    return ([c.key for c in comp.columns], comp.rows, list(comp.sources), list(comp.panel),
            comp.unassigned, comp.duplicates, comp.out_of_scope, agg.off_topic, stale)


def _verdicts(rows: list[dict[str, Any]], data: Any) -> Verdicts | None:
    """Verdicts on some of the metric mentions (accept or reject), and one on no mention (stale)."""
    metrics = [r for r in rows if r["kind"] == "metric"]
    if not data.draw(st.booleans()):
        return None
    given: dict[tuple[Any, ...], Verdict] = {}
    for r in metrics:
        key = (r["article_id"], r["start"], r["end"], r["value"])
        verdict = data.draw(st.sampled_from([None, ACCEPT, REJECT, REJECT]))
        if verdict is not None and key not in given:
            given[key] = Verdict(*key, verdict, line=len(given) + 2)
    return Verdicts([*given.values(), Verdict("gone", 0, 1, 7.0, REJECT, line=len(given) + 2)])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=articles(), data=st.data())
def test_a_stream_cut_anywhere_and_merged_gives_the_whole_streams_table(rows: list[dict[str, Any]],
                                                                         data: Any) -> None:
    verdicts, all_topics = _verdicts(rows, data), data.draw(st.booleans())

    def aggregator(origin: int = 0) -> Aggregator:  # each its own copy of the verdicts, as on a worker
        return Aggregator(use_gazetteer=False, verdicts=copy.deepcopy(verdicts), all_topics=all_topics,
                          origin=origin)

    whole = _feed(aggregator(), rows)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(rows)), max_size=4)))
    bounds = [0, *cuts, len(rows)]
    parts = [_feed(aggregator(i), rows[a:b]) for i, (a, b) in enumerate(itertools.pairwise(bounds))]
    while len(parts) > 1:  # neighbours merged in a random order, either one into the other
        i = data.draw(st.integers(0, len(parts) - 2))
        left, right = parts[i], parts[i + 1]
        merged = left.merge(right) if data.draw(st.booleans()) else right.merge(left)
        parts[i:i + 2] = [merged]
    assert _seen(parts[0]) == _seen(whole)


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


def _metric(aid: str, value: float, **extra: Any) -> dict[str, Any]:
    return {"article_id": aid, "article_region_code": "611023", "article_region_name": "商南县",
            "article_level": "county", "kind": "metric", "key": "poor_population", "unit": "人",
            "value": value, "start": 3, "end": 9, "text": "t", "sentence": "s", **extra}


def test_an_off_topic_article_cut_between_two_parts_is_counted_once() -> None:
    rows = [_metric("a", 1.0, topic=0.1), _metric("a", 2.0, topic=0.1), _metric("b", 3.0, topic=0.1)]
    early = _feed(Aggregator(use_gazetteer=False, origin=0), rows[:1])
    late = _feed(Aggregator(use_gazetteer=False, origin=1), rows[1:])
    merged = late.merge(early)
    assert merged.off_topic == 2 and merged.result().rows == []


def test_verdicts_and_scopes_of_parts_add_up() -> None:
    """A value rejected in one part and given again in the next stays out only when every mention
    of it is rejected; a verdict found in either part is not stale; scopes add up."""
    verdicts = Verdicts([Verdict("a", 3, 9, 2.0, REJECT, line=2), Verdict("b", 3, 9, 5e9, ACCEPT, line=3),
                         Verdict("c", 3, 9, 1.0, REJECT, line=4)])
    early = _feed(Aggregator(use_gazetteer=False, verdicts=copy.deepcopy(verdicts), origin=0),
                  [_metric("d", 5e9), _metric("a", 2.0), _metric("a", 1.0, scope="world")])
    late = _feed(Aggregator(use_gazetteer=False, verdicts=copy.deepcopy(verdicts), origin=1),
                 [_metric("b", 5e9), _metric("b", 2.0, start=11), _metric("b", 1.0, scope="world")])
    merged = early.merge(late)
    comp = merged.result()
    assert comp.out_of_scope == {"world": 2}
    assert merged.verdicts is not None and [v.line for v in merged.verdicts.stale()] == [4]
    cell = {s["value"]: s for s in comp.cell_sources("611023", "poor_population")}
    # implausible, but one of its two mentions (in the later part) accepted
    assert cell[5e9]["chosen"] and cell[5e9]["check"].startswith("accepted") and cell[5e9]["mentions"] == 2
    # one of two mentions rejected: in the running, its best the mention not rejected
    assert cell[2.0]["check"] is None and cell[2.0]["mentions"] == 2 and cell[2.0]["article_id"] == "b"
    assert comp.rows[0]["poor_population_review"] == "conflict;accepted"
