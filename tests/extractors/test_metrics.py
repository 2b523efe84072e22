"""Tests of extractors/metrics/: hard cases, attachment to date and region, offsets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_ie.extractors import metrics as M
from policy_ie.extractors.catalogue import metric_keys
from policy_ie.extractors.metric_cues import cues
from policy_ie.extractors.metrics.classify import rule_left
from policy_ie.extractors.numbers import CLAUSE_END, boundary_left
from policy_ie.extractors.registry import REGISTRY
from policy_ie.text.document import ArticleRegion, CleanView, DateMention, Document, Metadata, RegionMention

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "metrics.yaml").read_text("utf-8"))
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"


def _doc(text: str, **kw) -> Document:
    return Document(id="t", path="t", text=text, **kw)


def _mark(row: dict) -> list:
    return [pytest.mark.xfail(strict=True, reason="known gap")] if row.get("known_gap") else []


@pytest.mark.parametrize("row", [pytest.param(r, marks=_mark(r), id=r["text"][:24])
                                 for r in CASES])
def test_metric_table(row: dict) -> None:
    doc = _doc(row["text"])
    got = M.extract(doc)
    assert [[m.metric, m.value] for m in got] == row["expected"]
    if "fields" in row:
        assert [[m.qualifier, m.per] for m in got] == row["fields"]
    for m in got:
        assert doc.text[m.start:m.end] == m.text
        assert m.extractor == "rules" and 0 < m.confidence <= 1


def test_registered_with_requirements() -> None:
    ex = REGISTRY["metrics"]
    assert ex.assigns == "metrics"
    assert set(ex.requires) == {"dates", "regions", "article_region"}


def test_region_and_date_attachment() -> None:
    text = "截至2020年4月30日，柳河县贫困人口2300人。全市投入资金5000万元。"
    doc = _doc(text, dates=[DateMention("2020年4月30日", 2, 12, "2020-04-30")],
               regions=[RegionMention("柳河县", 13, 16, "220524", "柳河县", "county")],
               region=ArticleRegion("220500", "通化市", "city", "吉林省", "通化市"))
    a, b = M.extract(doc)
    assert (a.metric, a.region_code, a.date) == ("poor_population", "220524", "2020-04-30")
    assert (b.metric, b.region_code, b.date) == ("investment", "220500", None)


def test_reference_time_source_clause_sentence_published_or_none() -> None:
    text = "2019年全县贫困人口2300人。2020年，经过努力，全县投入资金5000万元。全县贫困村12个。"
    dates = [DateMention("2019年", 0, 5, "2019"), DateMention("2020年", 17, 22, "2020")]
    doc = _doc(text, dates=dates, meta=Metadata(published="2021-03-02"))
    got = [(m.value, m.date, m.ref_source) for m in M.extract(doc)]
    assert got == [(2300, "2019", "clause"), (50000000, "2020", "sentence"),
                   (12, None, "published")]  # the figure's date stays what its sentence says
    assert [m.ref_source for m in M.extract(_doc(text, dates=dates))][-1] is None


def test_a_figure_of_the_whole_country_goes_to_the_country() -> None:
    text = "柳河县：全县贫困人口2300人，全国贫困人口551万人，柳河县投入资金5000万元。"
    doc = _doc(text, regions=[RegionMention("柳河县", 0, 3, "220524", "柳河县", "county"),
                              RegionMention("柳河县", text.rindex("柳河县"), text.rindex("柳河县") + 3,
                                            "220524", "柳河县", "county")],
               region=ArticleRegion("220524", "柳河县", "county", "吉林省", "通化市", "柳河县"))
    county, country, money = M.extract(doc)
    assert (county.value, county.region_code) == (2300, "220524")
    assert (country.value, country.region_code) == (5510000, "100000")  # the country's, not the county's
    assert (money.value, money.region_code) == (50000000, "220524")  # a place named after 全国


def test_a_figure_of_a_narrower_whole_goes_to_a_place_of_its_level_or_to_none() -> None:
    province = ArticleRegion("530000", "云南省", "province", "云南省")
    text = "如今，全村建档立卡的贫困户16户71人已全部脱贫。全省投入资金5亿元。"
    households, people, money = M.extract(_doc(text, region=province))
    assert (households.value, households.region_code) == (16, None)  # a village's, not the province's
    assert (people.value, people.region_code) == (71, None)
    assert (money.value, money.region_code) == (500000000, "530000")
    text = "西吉县地处宁夏南部山区，全县238个贫困村已全部出列。"
    doc = _doc(text, regions=[RegionMention("西吉县", 0, 3, "640422", "西吉县", "county"),
                              RegionMention("宁夏", 5, 7, "640000", "宁夏回族自治区", "province")])
    (villages,) = M.extract(doc)
    assert (villages.metric, villages.value, villages.region_code) == ("poor_villages", 238, "640422")


def test_the_city_of_a_dateline_is_not_the_region_of_a_figure() -> None:
    text = "本报北京2月20日电  记者从国务院扶贫办获悉，2019年贫困发生率下降到0.6%。"
    doc = _doc(text, regions=[RegionMention("北京", 2, 4, "110000", "北京市", "province")])
    (m,) = M.extract(doc)
    assert (m.metric, m.value, m.region_code) == ("poverty_rate", 0.6, None)


def test_works_without_other_extractors() -> None:
    (m,) = M.extract(_doc("2019年底，全县贫困人口2300人。"))
    assert m.region_code is None and m.date is None and m.subject.endswith("贫困人口")


def test_offsets_map_through_clean_view() -> None:
    raw = "导航栏\n全县有贫困村１２个。"
    clean_text = "全县有贫困村12个。"
    view = CleanView(clean_text, [(0, 4, len(clean_text))])
    doc = _doc(raw, clean=view)
    (m,) = M.extract(doc)
    assert raw[m.start:m.end] == m.text == "１２个" and m.value == 12


def test_value_twice_reported_twice() -> None:
    got = M.extract(_doc("全市871个贫困村。资金向871个贫困村倾斜。"))
    assert [(m.metric, m.value) for m in got] == [("poor_villages", 871)] * 2


def test_empty_and_odd_text() -> None:
    assert M.extract(_doc("")) == []
    assert M.extract(_doc("“”，。1 2 3 亿 万 ％")) == []


def test_seed_gold() -> None:
    """Metrics of the five seed articles against the shared gold (skipped without shared/)."""
    gold_path = SHARED / "gold" / "seeds.json"
    if not gold_path.exists():
        pytest.skip("shared/ not present")
    gold = json.loads(gold_path.read_text("utf-8"))["articles"]
    tp = n_pred = req_found = n_req = 0
    for aid, g in gold.items():
        text = (SHARED / "seeds" / f"{aid}.txt").read_text("utf-8")
        doc = _doc(text)
        pred = {(m.metric, m.value) for m in M.extract(doc)}
        allowed = {(m, v) for m, v, _ in g["metrics"]}
        req = {(m, v) for m, v, s in g["metrics"] if s == "req"}
        tp += len(pred & allowed)
        n_pred += len(pred)
        req_found += len(req & pred)
        n_req += len(req)
    p, r = tp / max(n_pred, 1), req_found / max(n_req, 1)
    assert 2 * p * r / (p + r) >= 0.95


def test_data_files_refuse_duplicate_keys(tmp_path: Path) -> None:
    from policy_ie.text.lexicon import load_data

    bad = tmp_path / "bad.yaml"
    bad.write_text("a:\n  metric: 1\n  metric: 2\n", "utf-8")
    with pytest.raises(ValueError, match="duplicate key"):
        load_data(bad)


def test_cue_lexicon_is_consistent() -> None:
    c = cues()
    assert set(c.metric_units) == set(metric_keys()) and len(metric_keys()) >= 11
    for cat in c.categories.values():
        assert cat.nouns and cat.metric, cat.name


GENRE = "0123456789.万亿个名户人元%余多约近贫困人口户村县脱贫减项目资金投入干部第一书记收入人均，。、由从到“”"


@given(st.text(alphabet=GENRE, max_size=120))
@settings(max_examples=200, deadline=None)
def test_never_raises_and_spans_hold(text: str) -> None:
    doc = _doc(text)
    for m in M.extract(doc):
        assert doc.text[m.start:m.end] == m.text
        assert m.metric in cues().metric_units and m.unit == cues().metric_units[m.metric]


def test_rule_left_runs_on_into_the_clause_a_part_of_clause_singles_out_of() -> None:
    text = "合作社带动农户60户，其中贫困户24户。"
    q = text.index("24户")
    c0 = text.index("其中")
    assert rule_left(text, c0, q) == "合作社带动农户60户其中贫困户"
    plain = "合作社带动农户60户，贫困户24户。"  # no 其中: the clause alone
    assert rule_left(plain, plain.index("贫困户"), plain.index("24户")) == "贫困户"
    opening = "其中贫困户24户。"  # 其中 at the start of the text: nothing before it
    assert rule_left(opening, 0, opening.index("24户")) == "其中贫困户"


@given(st.text(alphabet="其中，,。贫困户带动24", max_size=30), st.data())
def test_rule_left_is_text_of_the_two_clauses(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    c0 = boundary_left(text, start, CLAUSE_END)
    left = rule_left(text, c0, start)
    assert left.endswith(text[c0:start])
    assert len(left) <= start  # drawn from before the figure, one comma left out at most


def test_the_ends_of_a_change_are_marked_and_left_out_of_the_record() -> None:
    a, b, c = M.extract(_doc("全县贫困人口由3.29万减少到2550人，贫困村56个。"))
    assert [(m.value, m.end_of) for m in (a, b, c)] == [(32900, "from"), (2550, "to"), (56, None)]
    doc = _doc("x", metrics=[a])
    assert "end_of" not in doc.to_record()["metrics"][0]  # the contract's record is unchanged
