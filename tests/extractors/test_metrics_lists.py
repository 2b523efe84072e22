"""Tests of the list readings of extractors/metrics/ (issue 15): counts keyed by places,
back-references to the count before, predicates of the next clause and 分别 lists that pair
places with figures (attach.respective_place)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from policy_ie.extractors import metrics as M
from policy_ie.extractors.metric_cues import cues
from policy_ie.extractors.metrics.classify import back_reference, next_clause
from policy_ie.extractors.metrics.subject import keyed
from policy_ie.extractors.numbers import CLAUSE_END, boundary_left, find_quantities
from policy_ie.text.document import Document, RegionMention

COUNTIES = {"望谟县": "522326", "册亨县": "522327", "贞丰县": "522325"}


def _doc(text: str, **kw) -> Document:
    return Document(id="t", path="t", text=text, **kw)


def _places(text: str) -> list[RegionMention]:
    out = []
    for name, code in COUNTIES.items():
        k = text.find(name)
        while k >= 0:
            out.append(RegionMention(name, k, k + len(name), code, name, "county"))
            k = text.find(name, k + 1)
    return sorted(out, key=lambda m: m.start)


def _attached(text: str) -> list[tuple[str, int | float, str | None]]:
    return [(m.metric, m.value, m.region_code) for m in M.extract(_doc(text, regions=_places(text)))]


def test_respectively_pairs_each_figure_with_its_place() -> None:
    text = "望谟县、册亨县的贫困人口分别为1200人和900人。"
    assert _attached(text) == [("poor_population", 1200, "522326"), ("poor_population", 900, "522327")]
    text = "望谟县、册亨县和贞丰县分别有贫困村20个、12个和8个。"
    assert _attached(text) == [("poor_villages", 20, "522326"), ("poor_villages", 12, "522327"),
                               ("poor_villages", 8, "522325")]


def test_respectively_counts_a_change_once() -> None:
    text = "望谟县、册亨县的贫困人口分别由3200人减少到1200人和由2000人减少到900人。"
    assert _attached(text) == [("poor_population", 3200, "522326"), ("poor_population", 1200, "522326"),
                               ("poor_population", 2000, "522327"), ("poor_population", 900, "522327")]


def test_respectively_without_a_matching_list_keeps_the_last_place() -> None:
    # one figure for two places: no pairing, the figure goes to the last place named
    assert _attached("望谟县、册亨县的贫困人口分别为1200人。") == [("poor_population", 1200, "522327")]
    # a list far before 分别 is not its subject
    text = "望谟县、册亨县今年组织了很多场技能培训和产销对接活动，贫困人口分别为1200人和900人。"
    assert [c for _, _, c in _attached(text)] == ["522327", "522327"]


def _clause_start(text: str, i: int) -> int:
    return boundary_left(text, i, CLAUSE_END)


def test_back_reference_needs_the_same_sentence_and_unit() -> None:
    c = cues()
    text = "全国共有40个深度贫困县，云南就有7个。"
    a, b = find_quantities(text)
    assert back_reference(b, text, a, c, _clause_start(text, b.start))
    text = "全国共有40个深度贫困县。云南就有7个。"
    a, b = find_quantities(text)
    assert not back_reference(b, text, a, c, _clause_start(text, b.start))  # another sentence
    text = "全国共有40个深度贫困县，云南就有7户。"
    a, b = find_quantities(text)
    assert not back_reference(b, text, a, c, _clause_start(text, b.start))  # another unit
    text = "全国共有40个深度贫困县，云南新建了7个。"
    a, b = find_quantities(text)
    assert not back_reference(b, text, a, c, _clause_start(text, b.start))  # no verb of having


def test_next_clause_only_after_a_comma() -> None:
    text = "村里有65户村民，都是贫困户。全县120户。"
    assert next_clause(text, text.index("户") + 1) == "都是贫困户"
    assert next_clause(text, text.index("贫困户。") + 3) == ""  # a full stop ends the sentence
    assert next_clause(text, len(text)) == ""


def test_keyed_lists_need_a_name_key_and_a_place_to_override_a_noun() -> None:
    c = cues()
    text = "贫困人口3000人(望谟1200人、册亨900人)"
    a, b, d = find_quantities(text)
    assert keyed(a, b, text, c) and keyed(b, d, text, c)
    assert keyed(a, b, text, c, place=True)  # 望谟 is a division of the gazetteer
    text = "贫困户300户、边缘户100户"
    a, b = find_quantities(text)
    assert not keyed(a, b, text, c)  # a noun of households is no key
    text = "贫困县20个、地级市8个"
    a, b = find_quantities(text)
    assert keyed(a, b, text, c) and not keyed(a, b, text, c, place=True)


NAMES = ["望谟", "册亨", "贞丰", "安龙", "兴仁", "晴隆"]


@given(st.lists(st.tuples(st.sampled_from(NAMES), st.integers(min_value=2, max_value=99999)),
                min_size=1, max_size=5))
@settings(max_examples=80, deadline=None)
def test_every_item_of_a_keyed_breakdown_takes_the_noun(items: list[tuple[str, int]]) -> None:
    total = sum(n for _, n in items) + 1
    text = f"全州{total}名建档立卡贫困人口(" + "、".join(f"{k}{n}人" for k, n in items) + ")。"
    got = [(m.metric, m.value) for m in M.extract(_doc(text))]
    assert got == [("poor_population", total)] + [("poor_population", n) for _, n in items]
