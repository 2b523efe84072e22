"""The cell's choice among plausible values, the review codes, and verdicts applied to cells."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from policy_ie.pipeline.aggregate import Aggregator, compare
from policy_ie.pipeline.cellcheck import REVIEW_CODES
from policy_ie.pipeline.verdicts import Verdict, Verdicts


def fact(value: float, key: str = "poor_population", article: str = "a", start: int = 10, **kw: Any) -> dict[str, Any]:
    """A metric fact row of an article about 汉阴县 (a county)."""
    row = {"article_id": article, "kind": "metric", "key": key, "value": value, "unit": "人",
           "text": f"{value:g}人", "start": start, "end": start + 6, "sentence": "…", "confidence": 0.9,
           "extractor": "rules", "article_region_code": "610921", "article_region_name": "汉阴县",
           "article_province": "陕西省", "article_level": "county", "published": "2019-03-01"}
    row.update(kw)
    return row


def _cell(comp: Any, key: str = "poor_population") -> tuple[Any, str | None, list[dict[str, Any]]]:
    row = comp.rows[0]
    return row[key], row[f"{key}_review"], comp.cell_sources(row["region_code"], key)


def test_an_implausible_value_is_left_out_and_kept_in_the_drill_down() -> None:
    # the country's 9,899万 given to the county: a later date, so the cell rule would pick it
    facts = [fact(12000, article="a", ref_date="2018"), fact(98_990_000, article="b", ref_date="2019")]
    comp = compare(facts, use_gazetteer=False)
    value, review, src = _cell(comp)
    assert value == 12000 and comp.rows[0]["poor_population_year"] == 2018
    assert review == "implausible;single"
    assert [(s["value"], s["chosen"], s["n_values"]) for s in src] == [(12000, True, 1), (98_990_000, False, 1)]
    assert src[0]["check"] is None and src[1]["check"].startswith("implausible: 9.899e+07 above 1e+06 for a county")
    assert comp.rows[0]["conflicts"] is None  # one value in the running
    assert [(p["year"], p["value"]) for p in comp.panel] == [(2018, 12000)]  # the panel passes it over too


def test_a_cell_with_no_plausible_value_is_empty_but_its_sources_stay() -> None:
    comp = compare([fact(3, key="poor_counties", unit="个")], use_gazetteer=False)
    value, review, src = _cell(comp, "poor_counties")
    assert value is None and comp.rows[0]["poor_counties_year"] is None
    assert review == "implausible"
    assert len(src) == 1 and not src[0]["chosen"] and "a county has no poor counties" in src[0]["check"]
    assert list(comp.panel) == [] and comp.chosen("610921", "poor_counties") is None


def test_review_codes_each_in_their_order() -> None:
    facts = [fact(500, article="a"), fact(500, article="b"),  # confirmed: no code
             fact(7, key="projects", unit="个"),  # one mention: single
             fact(30, key="cadres", article="a", start=40), fact(40, key="cadres", article="b", start=40,
                                                                 confidence=0.7, extractor="model", ref_date="2020")]
    row = compare(facts, use_gazetteer=False).rows[0]
    assert row["poor_population_review"] is None
    assert row["projects_review"] == "single"
    assert row["cadres"] == 40 and row["cadres_review"] == "conflict;single;model;low_confidence"
    assert set(REVIEW_CODES) >= {c for k, v in row.items() if k.endswith("_review") and v for c in v.split(";")}


def test_an_unknown_level_has_no_bound() -> None:
    comp = compare([fact(98_990_000, article_level=None, article_region_code="999999")], use_gazetteer=False)
    assert comp.rows[0]["poor_population"] == 98_990_000


def _verdicts(*items: tuple[str, int, float, str]) -> Verdicts:
    return Verdicts([Verdict(a, s, s + 6, v, verdict, i + 2) for i, (a, s, v, verdict) in enumerate(items)], "r.csv")


def test_a_rejected_mention_leaves_its_cell_and_an_accepted_one_is_marked() -> None:
    facts = [fact(12000, article="a", ref_date="2018"), fact(9000, article="b", ref_date="2019")]
    verdicts = _verdicts(("b", 10, 9000, "reject"), ("a", 10, 12000, "accept"), ("gone", 5, 1, "reject"))
    comp = compare(facts, use_gazetteer=False, verdicts=verdicts)
    value, review, src = _cell(comp)
    assert value == 12000 and review == "single;accepted"
    assert [(s["value"], s["chosen"], s["check"]) for s in src] == [(12000, True, "accepted"),
                                                                   (9000, False, "rejected")]
    assert [v.article_id for v in verdicts.stale()] == ["gone"]


def test_a_value_rejected_in_one_article_stays_when_another_gives_it() -> None:
    facts = [fact(9000, article="a"), fact(9000, article="b", start=30)]
    comp = compare(facts, use_gazetteer=False, verdicts=_verdicts(("a", 10, 9000, "reject")))
    value, review, src = _cell(comp)
    assert value == 9000 and review == "single" and src[0]["article_id"] == "b"


def test_an_accepted_implausible_value_goes_back_into_its_cell() -> None:
    facts = [fact(3, key="poor_counties", unit="个", article="a")]
    comp = compare(facts, use_gazetteer=False, verdicts=_verdicts(("a", 10, 3, "accept")))
    value, review, src = _cell(comp, "poor_counties")
    assert value == 3 and review == "single;accepted"
    assert src[0]["check"].startswith("accepted (implausible: 3 above 0")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([800, 12000, 5e6, 9.9e7]), st.sampled_from(["2016", "2018", None]),
                          st.integers(0, 3)), min_size=1, max_size=8), st.randoms())
def test_the_choice_and_codes_do_not_depend_on_the_order_of_articles(mentions: list, rnd: random.Random) -> None:
    """What a merge of partial cells needs: the cell's answers come from its additive state."""
    facts = [fact(v, article=f"a{i}", start=10 + k, ref_date=d) for i, (v, d, k) in enumerate(mentions)]
    shuffled = facts[:]
    rnd.shuffle(shuffled)
    one, two = Aggregator(use_gazetteer=False), Aggregator(use_gazetteer=False)
    a, b = one.add_all(facts).result(), two.add_all(shuffled).result()
    keys = ("poor_population", "poor_population_year", "poor_population_review", "conflicts")
    assert [a.rows[0][k] for k in keys] == [b.rows[0][k] for k in keys]
    assert a.rows[0]["poor_population"] in (None, 800, 12000)  # never above a county's bound
