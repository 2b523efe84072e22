"""The shortcuts of extractors/metrics/ give the answers of the plain computations they replace.

Timing is never asserted here (bench/bench_quantities.py --metrics measures it).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_ie.extractors import metric_cues as CU
from policy_ie.extractors.metrics import classify as CL
from policy_ie.extractors.metrics import subject as SU
from policy_ie.extractors.numbers import Quantity

CLASSES = ["person", "household", "item", "money", "percent", "bare", "thing", "org", "person_times"]
QUALIFIERS = [None, "approx", "at_least", "at_most", "planned"]
PERS = [None, "person", "household", "year", "month"]
METRICS = [None, *sorted(CU.cues().metric_units)]
CATEGORIES = [None, *sorted(CU.cues().categories)]

quantities = st.builds(
    lambda cls, qual, per, value, text, role: Quantity(0, len(text), text, value, None, cls, qual, per,
                                                       role=role),
    st.sampled_from(CLASSES), st.sampled_from(QUALIFIERS), st.sampled_from(PERS),
    st.sampled_from([0, 1, 1.0, 2, 3.5, 100, 25000]), st.sampled_from(["1", "3万", "2亿人", "5户"]),
    st.sampled_from([None, "from", "to"]))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(quantities, st.sampled_from(METRICS), st.sampled_from(CATEGORIES),
                          st.booleans(), st.sampled_from([None, "left", "right"])), min_size=1, max_size=8))
def test_remembered_candidates_are_the_rules_that_hold(cases: list) -> None:
    c = CU.cues()
    for q, metric, category, allotment, side in cases:  # one memo across cases: keys must not collide
        plain = tuple(r for r in c.rules if CL.static_applies(r, q, metric, category, allotment, side))
        assert CL.candidates(c, q, metric, category, allotment, side) == plain


def _plain_right_nouns(q: Quantity, text: str, right: str, c: CU.Cues) -> list:
    matches = [m for m in c.noun_re.finditer(right)
               if q.unit_class in c.categories[c.noun_cat[m.group()]].metric and (
                   m.start() == 0 or q.unit_class not in c.categories[c.noun_cat[m.group()]].next_only)]
    if q.unit is None:
        big = any(ch in SU.LARGE_UNITS for ch in text[q.start:q.end]) or 0 < q.number_end < q.end
        matches = [m for m in matches if m.start() == 0 and big]
    return matches


WORDS = ["贫困人口", "贫困户", "项目", "资金", "村", "的", "和", "其中", "人", "，", "建档立卡", "x"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=8), st.sampled_from(["3", "3万", "2.5亿"]),
       st.sampled_from([None, "人", "户", "个"]), st.sampled_from(["bare", "person", "household", "item"]))
def test_right_nouns_agree_with_a_filter_of_every_match(words: list[str], num: str, unit: str | None,
                                                        cls: str) -> None:
    right = "".join(words)
    text = num + right
    q = Quantity(0, len(num), num, 1, unit, cls)
    c = CU.cues()
    got = [m.span() for m in SU.right_nouns(q, text, right, c)]
    assert got == [m.span() for m in _plain_right_nouns(q, text, right, c)]


def test_a_rule_value_must_be_a_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = CU.load_data(CU.DATA)
    data["rules"] = [{"name": "scalar", "value": 1, "then": None}]
    bad = tmp_path / "metric_cues.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(CU, "DATA", bad)
    CU.cues.cache_clear()
    try:
        with pytest.raises(ValueError, match="value must be a list"):
            CU.cues()
    finally:
        monkeypatch.undo()
        CU.cues.cache_clear()


UNCOUNTED = ["thing", "length", "area", "weight", "ratio"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*WORDS, "分别", "为", "吨", "公里", "3", "项目资金", "工资", "队员"]), max_size=10),
       st.lists(st.sampled_from([*WORDS, "分别", "为", "资金", "干部"]), max_size=8),
       st.sampled_from([*UNCOUNTED, "person", "money", "bare", "item", "household"]))
def test_subject_shortcuts_agree_with_the_full_search(left: list[str], right: list[str], cls: str) -> None:
    """The exits for unit classes no noun counts, and for windows without a first character of
    the class's nouns, give what the full search gives."""
    c = CU.cues()
    classes = [*CLASSES, *UNCOUNTED]
    any_start = frozenset(n[0] for n in c.noun_cat)
    everything = replace(c, counted=frozenset(classes), noun_starts=dict.fromkeys(classes, any_start))
    head, tail = "".join(left), "".join(right)
    text = head + "3万" + tail
    q = Quantity(len(head), len(head) + 2, "3万", 30000, None if cls == "bare" else "x", cls)
    assert SU.subject_of(q, text, 0, len(text), c) == SU.subject_of(q, text, 0, len(text), everything)
