"""Tests of extractors/metrics/scope.py and the scope part of attach.py: what whole a figure is of.

Each scope cue of ``data/metric_scope.yaml`` is checked twice: the lexicon finds every word as
its kind, and sentences in the genre's style give the figure the scope and region expected,
including sentences whose cue must NOT move the figure (全县 in a county's article).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_ie.extractors import metrics as M
from policy_ie.extractors.metrics.scope import DATA, HIDDEN, LEVEL, scope_cues
from policy_ie.text.document import SCOPES, ArticleRegion, Document, RegionMention
from policy_ie.text.lexicon import load_data

COUNTY = ArticleRegion("220524", "柳河县", "county", "吉林省", "通化市", "柳河县")
CITY = ArticleRegion("220500", "通化市", "city", "吉林省", "通化市")
PROVINCE = ArticleRegion("220000", "吉林省", "province", "吉林省")
#: places the tests name, with the code and level a region mention of them carries (None: a
#: village the division lists lack)
PLACES = {"柳河县": ("220524", "county"), "通化市": ("220500", "city"), "吉林省": ("220000", "province"),
          "甘肃省": ("620000", "province"), "安口镇": ("220524101", "town"), "青山沟村": (None, None),
          "辉南县": ("220523", "county"), "集安市": ("220582", "county")}


def _doc(text: str, region: ArticleRegion | None) -> Document:
    """A document whose region mentions are the :data:`PLACES` its text names."""
    mentions = []
    for name, (code, level) in PLACES.items():
        k = text.find(name)
        while k >= 0:
            mentions.append(RegionMention(name, k, k + len(name), code, name if code else None, level))
            k = text.find(name, k + 1)
    mentions.sort(key=lambda m: m.start)
    return Document(id="t", path="t", text=text, regions=mentions, region=region)


def _scoped(text: str, region: ArticleRegion | None = COUNTY) -> list[tuple[float, str | None, str | None]]:
    return [(m.value, m.region_code, m.scope) for m in M.extract(_doc(text, region))]


# -- the lexicon ------------------------------------------------------------------------

def test_every_cue_of_the_data_file_is_found_as_its_kind() -> None:
    data, cues = load_data(DATA), scope_cues()
    lists = {"national": "national", "world": "world", "unknown": "unknown", "narrower": "narrower"}
    n = 0
    for name, kind in lists.items():
        for word in data[name]:
            got = cues.find(f"据悉，{word}。", 0, len(word) + 4)
            assert [(k, m.group()) for k, m in got] == [(kind, word)], word
            n += 1
    for word, level in data["levels"].items():
        (got,) = cues.find(word, 0, len(word))
        assert got[0] == LEVEL and cues.level[word] == level
    for word in data["not_cues"]:  # a word that holds a cue hides it
        assert cues.find(word, 0, len(word)) == [] and cues.kind[word] == HIDDEN
    assert n > 40


def test_a_word_listed_twice_or_an_unknown_level_is_an_error_naming_the_file(tmp_path: Path) -> None:
    twice = tmp_path / "twice.yaml"
    twice.write_text("world: [全球]\nunknown: [全球]\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"twice\.yaml: '全球' is in unknown and in world"):
        scope_cues(twice)
    level = tmp_path / "level.yaml"
    level.write_text("levels: {全组: group}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"level\.yaml: levels: 全组: unknown level 'group'"):
        scope_cues(level)
    words = tmp_path / "words.yaml"
    words.write_text("narrower: 该公司\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"words\.yaml: narrower: expected a list"):
        scope_cues(words)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="全国球世界各地村县该公司一户银行，。的有贫困人口万", max_size=30))
def test_cues_found_are_in_order_inside_the_window_and_never_hidden(text: str) -> None:
    cues = scope_cues()
    got = cues.find(text, 2, len(text))
    starts = [m.start() for _, m in got]
    assert starts == sorted(starts)
    for kind, m in got:
        assert m.start() >= 2 and m.end() <= len(text) and kind != HIDDEN
        assert cues.kind[m.group()] == kind


# -- national, world, unknown --------------------------------------------------------------

def test_a_national_figure_in_a_county_article_goes_to_the_country() -> None:
    got = _scoped("截至2012年底，我国农村贫困人口9899万人。全县贫困人口由2300人减少到120人。")
    assert got == [(98990000, "100000", "national"), (2300, "220524", "article"), (120, "220524", "article")]


@pytest.mark.parametrize("text, value", [
    ("据世界银行测算，全球贫困人口7.3亿人。", 730000000),
    ("世界上还有贫困人口7亿多人。", 700000000),
    ("非洲贫困人口达4.2亿人。", 420000000),
    ("美国贫困人口3800万人。", 38000000),
    ("在非洲，贫困人口达4.2亿人。", 420000000),  # a short topic clause before the figure's
    ("全球范围内，贫困人口减少了1亿人。", 100000000),
])
def test_figures_of_the_world_or_abroad_get_no_region(text: str, value: int) -> None:
    (got,) = [g for g in _scoped(text) if g[0] == value]
    assert got == (value, None, "world")


@pytest.mark.parametrize("text", [
    "柳河县利用世界银行贷款投入资金5000万元。",  # 世界银行 is no cue
    "柳河县蔬菜远销全国60多个大中城市，带动贫困户1200户脱贫。",  # a long clause is no topic
    "柳河县产品出口美国、日本等地，全县带动贫困户1200户脱贫。",  # the cue is in an earlier clause
])
def test_words_that_only_look_like_cues_leave_the_figure_where_it_was(text: str) -> None:
    assert [g[1:] for g in _scoped(text)] == [("220524", "division")]


@pytest.mark.parametrize("text", [
    "其他省份还有贫困人口500万人。",
    "各地累计投入资金30亿元。",
    "东部地区投入帮扶资金30亿元。",
    "片区内贫困人口12万人。",
    "“三区三州”还有贫困人口172万人。",
])
def test_figures_of_somewhere_else_that_no_division_names_are_unknown(text: str) -> None:
    assert [g[1:] for g in _scoped(text, CITY)] == [(None, "unknown")]


def test_a_place_named_after_the_cue_wins_over_it() -> None:
    got = _scoped("全国832个贫困县中，甘肃省有贫困县75个。", PROVINCE)
    assert got[-1] == (75, "620000", "division")


# -- narrower wholes --------------------------------------------------------------------

@pytest.mark.parametrize("text, region", [
    ("如今，全村建档立卡贫困户16户已全部脱贫。", PROVINCE),  # no village named: not the province's
    ("该村贫困户45户。", COUNTY),
    ("村里贫困户45户。", CITY),
    ("全乡贫困户45户。", COUNTY),
    ("全镇贫困人口2300人。", CITY),
    ("全县贫困人口2300人。", CITY),  # a county's figure in a city's article, no county named
    ("该公司带动贫困户120户脱贫。", COUNTY),
    ("该合作社带动35户贫困户脱贫。", COUNTY),
    ("这家企业投入资金500万元。", COUNTY),
    ("该校投入资金50万元。", COUNTY),
    ("他家人均纯收入3万元。", COUNTY),
    ("青山沟村贫困户45户。", COUNTY),  # a village the division lists lack
])
def test_figures_of_a_narrower_whole_get_no_region(text: str, region: ArticleRegion) -> None:
    got = _scoped(text, region)
    assert got and all(g[1:] == (None, "narrower") for g in got)


def test_a_narrower_whole_goes_to_a_place_of_its_level_when_the_sentence_names_one() -> None:
    assert _scoped("安口镇地处山区，全镇贫困户45户。", COUNTY) == [(45, "220524101", "division")]


def test_one_household_of_a_method_is_no_household() -> None:
    assert [g[2] for g in _scoped("全县实行一户一策，帮助贫困户1200户脱贫。")] == ["article"]


# -- what must not change ----------------------------------------------------------------

@pytest.mark.parametrize("text, region, code", [
    ("全县贫困人口由2300人减少到120人。", COUNTY, "220524"),
    ("全市投入扶贫资金5亿元。", CITY, "220500"),
    ("全省贫困人口7万人。", PROVINCE, "220000"),
    ("全县实现脱贫1200户。", PROVINCE, None),  # no article region to fall back to is still a narrower whole
])
def test_a_whole_as_large_as_the_article_region_stays_the_article_region(
        text: str, region: ArticleRegion, code: str | None) -> None:
    got = _scoped(text, region)
    assert got and all(g[1:] == (code, "narrower" if code is None else "article") for g in got)


def test_a_county_named_in_a_city_article_is_that_division() -> None:
    assert _scoped("柳河县贫困人口2300人。全市投入资金5亿元。", CITY) == [
        (2300, "220524", "division"), (500000000, "220500", "article")]


def test_no_cue_and_no_region_is_the_article_scope_without_a_code() -> None:
    assert _scoped("贫困人口2300人。", None) == [(2300, None, "article")]


def test_every_figure_gets_a_scope_of_the_data_model() -> None:
    text = ("柳河县扎实推进脱贫攻坚。截至2012年底，我国贫困人口9899万人，全球贫困人口7亿人。"
            "其他省份贫困人口500万人。全村贫困户45户。全县投入资金5000万元。")
    got = M.extract(_doc(text, CITY))
    assert {m.scope for m in got} <= set(SCOPES) and len({m.scope for m in got}) == 4


Scoped = tuple[float, str | None, str | None]


# -- groups of places -------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    # the last of a list before 等 or a count of divisions: the group's figure, not that place's
    ("通化市在辉南县、柳河县等县实施扶贫项目120个。", [(120, None, "unknown")]),
    ("辉南县、柳河县、集安市三县市共有贫困人口1.2万人。", [(12000, None, "unknown")]),
    ("辉南县和柳河县两县今年投入扶贫资金3亿元。", [(300000000, None, "unknown")]),
    ("近年来，柳河县等地累计投入扶贫资金2亿元。", [(200000000, None, "unknown")]),
    # not a group: a list whose last place stands alone, a place before a count of its own parts
    ("在辉南县、柳河县调研时了解到，柳河县有贫困人口1.2万人。", [(12000, "220524", "division")]),
])
def test_a_figure_after_a_group_of_places_is_the_groups(text: str, expected: list[Scoped]) -> None:
    assert _scoped(text, CITY) == expected


def test_a_place_before_a_count_of_its_own_divisions_keeps_its_figure() -> None:
    got = _scoped("通化市5个县中，贫困县有2个。", PROVINCE)
    assert (2, "220500", "division") in got
