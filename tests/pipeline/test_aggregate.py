"""The comparison table: rows by region, the cell rule, rates apart, conflicts kept, sources."""

from __future__ import annotations

from typing import Any

import pytest

from policy_ie.pipeline.aggregate import Aggregator, compare, reference_date
from policy_ie.pipeline.facts import facts_of
from policy_ie.text.document import Document


def _facts(hand_docs: list[Document]) -> list[dict[str, Any]]:
    return [row for d in hand_docs for row in facts_of(d)]


def _row(comp, code: str) -> dict[str, Any]:
    return next(r for r in comp.rows if r["region_code"] == code)


def metric(value: float, key: str = "poor_population", article: str = "a", **kw: Any) -> dict[str, Any]:
    """A metric fact row of an article about 商洛市 (fields not given are null)."""
    row = {"article_id": article, "kind": "metric", "key": key, "value": value, "unit": "人",
           "text": f"{key}{value}", "start": 10, "end": 20, "sentence": "…", "confidence": 1.0,
           "article_region_code": "611000", "article_region_name": "商洛市",
           "article_province": "陕西省", "article_level": "city", "published": "2016-06-08"}
    row.update(kw)
    return row


def test_one_row_per_region_including_regions_metrics_are_attached_to(hand_docs: list[Document]) -> None:
    comp = compare(_facts(hand_docs), use_gazetteer=False)
    assert {r["region_code"] for r in comp.rows} == {"611000", "611023", "520300", "520303"}
    shangnan = _row(comp, "611023")
    # 商南县 is named from the region mentions of the facts when no gazetteer is used
    assert shangnan["region_name"] == "商南县" and shangnan["level"] == "county"
    assert shangnan["investment"] == 120000000 and shangnan["projects"] == 120
    shangluo = _row(comp, "611000")
    assert shangluo["investment"] == 500000000  # the 1.2亿 of 商南县 is not in 商洛's cell
    assert shangluo["projects"] is None
    huichuan = _row(comp, "520303")
    assert huichuan["poor_population"] == 11000
    assert _row(comp, "520300")["poor_population"] == 924000


def test_names_of_attached_regions_from_a_resolver(hand_docs: list[Document]) -> None:
    names = {"611023": ("商南县", "county", "陕西省"), "520303": ("汇川区", "county", "贵州省")}
    comp = compare(_facts(hand_docs), resolver=lambda code: names.get(code, (None, None, None)))
    assert _row(comp, "611023")["province"] == "陕西省"
    assert _row(comp, "520303")["province"] == "贵州省"


def test_gazetteer_names_regions_when_present(hand_docs: list[Document]) -> None:
    pytest.importorskip("policy_ie.extractors.gazetteer")
    comp = compare(_facts(hand_docs))
    assert _row(comp, "611023")["region_name"] == "商南县"
    assert _row(comp, "611023")["province"] == "陕西省"


def test_conflict_latest_reference_date_wins_and_others_stay_visible(hand_docs: list[Document]) -> None:
    comp = compare(_facts(hand_docs), use_gazetteer=False)
    row = _row(comp, "611000")
    assert row["poor_population"] == 302000  # 2017-12 (sl-2) beats the 2016 figure of sl-1
    assert "poor_population:2" in row["conflicts"]
    cell = comp.cell_sources("611000", "poor_population")
    assert [(s["value"], s["chosen"]) for s in cell] == [(302000, True), (489000, False)]
    assert all(s["n_values"] == 2 for s in cell)
    assert comp.chosen("611000", "poor_population")["article_id"] == "sl-2"


def test_rates_and_totals_never_share_a_column(hand_docs: list[Document]) -> None:
    comp = compare(_facts(hand_docs), use_gazetteer=False)
    keys = [c.key for c in comp.columns]
    assert "income_per_person" in keys and "income" not in keys
    row = _row(comp, "611000")
    assert row["income_per_person"] == 1000
    comp = compare([metric(5e8, "investment", unit="元"), metric(1e7, "investment", unit="元", per="year")],
                   use_gazetteer=False)
    row = comp.rows[0]
    assert row["investment"] == 5e8 and row["investment_per_year"] == 1e7
    assert row["conflicts"] is None
    rate = next(c for c in comp.columns if c.per)
    assert rate.label == "投资额（每年）" and not rate.main


@pytest.mark.parametrize(("facts", "expected"), [
    # planned targets rank below reported figures, even when dated later
    ([metric(100), metric(0, qualifier="planned", ref_date="2020")], 100),
    # the latest reference date: its own date, else the article's publication date
    ([metric(100, ref_date="2015"), metric(200, published="2014-01-01")], 100),
    ([metric(100, ref_date="2015"), metric(200, ref_date="2015-06")], 200),
    ([metric(100, ref_date="2014/2016"), metric(200, ref_date="2015")], 100),
    # at the same date, the end a change reaches before the one it starts from (由近70%降至0.77%)
    ([metric(70, end_of="from"), metric(0.77, end_of="to")], 0.77),
    ([metric(70, end_of="from", ref_date="2019"), metric(0.77, end_of="to", ref_date="2014")], 70),
    # totals over parts: a figure narrowed to a group loses at the same date
    ([metric(900, subject="因病致贫"), metric(500, confidence=0.5)], 500),
    # then confidence, then the larger value
    ([metric(300, confidence=0.6), metric(200, confidence=0.9)], 200),
    ([metric(300), metric(200)], 300),
    # equal in every way: the first seen
    ([metric(300, article="a"), metric(300, article="b")], 300),
])
def test_cell_rule(facts: list[dict[str, Any]], expected: float) -> None:
    comp = compare(facts, use_gazetteer=False)
    assert comp.rows[0]["poor_population"] == expected


def test_same_value_twice_is_no_conflict_and_counts_mentions_and_articles() -> None:
    comp = compare([metric(300, article="a"), metric(300, article="a", start=40, end=50),
                    metric(300, article="b")], use_gazetteer=False)
    assert comp.rows[0]["conflicts"] is None
    (src,) = comp.cell_sources("611000", "poor_population")
    assert (src["mentions"], src["articles"], src["article_id"], src["start"]) == (3, 2, "a", 10)
    assert comp.rows[0]["n_articles"] == 2


def test_unassigned_metrics_are_counted_not_placed() -> None:
    lone = metric(7, article_region_code=None, article_region_name=None, article_province=None,
                  article_level=None)
    comp = compare([lone], use_gazetteer=False)
    assert comp.rows == [] and comp.unassigned == 1


def test_every_cell_traces_to_article_and_offsets(hand_docs: list[Document]) -> None:
    by_id = {d.id: d for d in hand_docs}
    comp = compare(_facts(hand_docs), use_gazetteer=False)
    n = 0
    for row in comp.rows:
        for col in comp.columns:
            if row[col.key] is None:
                continue
            src = comp.chosen(row["region_code"], col.key)
            assert src is not None and src["value"] == row[col.key]
            assert by_id[src["article_id"]].text[src["start"]:src["end"]] == src["text"]
            n += 1
    assert n >= 8
    progs = [s for s in comp.sources if s["column"] == "programmes"]
    assert {s["value"] for s in progs} == {"十百千", "五在村"}
    for s in progs:
        assert by_id[s["article_id"]].text[s["start"]:s["end"]] == s["text"]


def test_row_columns_programmes_dates_articles(hand_docs: list[Document]) -> None:
    comp = compare(_facts(hand_docs), use_gazetteer=False)
    row = _row(comp, "611000")
    assert row["published"] == "2016-06-08/2018-01-10"
    assert row["n_articles"] == 2 and row["articles"] == "sl-1 sl-2"
    assert row["programmes"] == "十百千"
    assert _row(comp, "611023")["articles"] == "sl-1"
    assert comp.header[:4] == ["region_code", "region_name", "province", "level"]
    assert comp.labelled_header()[comp.header.index("poor_population")] == "贫困人口 poor_population"


def test_headline_programmes_first() -> None:
    def prog(name: str, article: str, headline: bool) -> dict[str, Any]:
        return {**metric(0, article=article), "kind": "programme", "key": name, "value": None,
                "headline": headline}
    facts = [prog("五个一批", "a", False), prog("五个一批", "b", False), prog("十百千", "c", True)]
    assert compare(facts, use_gazetteer=False).rows[0]["programmes"] == "十百千；五个一批"


def test_rows_from_strings_as_read_back_from_csv() -> None:
    row = {k: ("" if v is None else str(v)) for k, v in metric(489000.0).items()}
    row.update(per="", qualifier="", subject="", ref_date="")
    comp = compare([row], use_gazetteer=False)
    assert comp.rows[0]["poor_population"] == 489000
    assert [c.key for c in comp.columns] == ["poor_population"]


def test_reference_date() -> None:
    assert reference_date(None, "2016-06-08") == "2016-06-08"
    assert reference_date("2015/2017", "2016-06-08") == "2017"
    assert reference_date(None, None) == ""


def test_articles_without_facts_still_count_in_their_row() -> None:
    agg = Aggregator(use_gazetteer=False)
    agg.add_article(metric(0, article="quiet"))
    comp = agg.result()
    assert comp.rows[0]["n_articles"] == 1 and comp.rows[0]["region_name"] == "商洛市"


def test_near_duplicate_articles_add_nothing() -> None:
    comp = compare([metric(300, article="a"), metric(999, article="copy", duplicate_of="a"),
                    metric(999, article="copy", key="cadres", duplicate_of="a")], use_gazetteer=False)
    row = comp.rows[0]
    assert row["poor_population"] == 300 and row["conflicts"] is None and row["n_articles"] == 1
    assert "cadres" not in row and comp.duplicates == 1


def test_sources_are_made_when_read_and_every_cell_looks_up_its_own(hand_docs: list[Document]) -> None:
    """The drill-down is a view of the cells: re-iterable, in table order, one cell at a time alike."""
    comp = compare(_facts(hand_docs), use_gazetteer=False)
    rows = list(comp.sources)
    assert rows and rows == list(comp.sources)  # a second reading gives the same rows
    order = [r["region_code"] for r in comp.rows]
    seen = [s["region_code"] for s in rows]
    assert sorted(seen, key=order.index) == seen  # row by row, as the table
    by_cell: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for s in rows:
        if s["column"] != "programmes":
            by_cell.setdefault((s["region_code"], s["column"]), []).append(s)
    assert len(by_cell) >= 8
    for (code, column), streamed in by_cell.items():
        assert comp.cell_sources(code, column) == streamed
        assert streamed[0]["chosen"] and not any(s["chosen"] for s in streamed[1:])
        assert all(s["sentence"] and s["text"] in s["sentence"] for s in streamed)  # kept with its sentence
    assert comp.cell_sources("611000", "programmes") == []
    assert comp.cell_sources("999999", "poor_population") == [] and comp.chosen("611000", "no_such") is None


def test_sources_carry_the_sentence_of_each_distinct_value() -> None:
    comp = compare([metric(300, article="a", sentence="全县贫困人口300人。"),
                    metric(200, article="b", sentence="全县贫困人口降至200人。", published="2017-01-01")],
                   use_gazetteer=False)
    assert [(s["value"], s["chosen"], s["sentence"]) for s in comp.sources] == [
        (200, True, "全县贫困人口降至200人。"), (300, False, "全县贫困人口300人。")]


def test_every_row_carries_the_divisions_above_it() -> None:
    # a county figure, and one of a town the division lists lack (its code still places it)
    facts = [metric(120, key="projects", region_code="611023"),
             metric(30, key="projects", region_code="330382101", article="b")]
    comp = compare(facts)
    county = _row(comp, "611023")
    assert (county["province"], county["city"], county["county"]) == ("陕西省", "商洛市", "商南县")
    assert (county["province_code"], county["city_code"], county["county_code"]) == ("610000", "611000", "611023")
    town = _row(comp, "330382101")
    assert (town["province"], town["city"], town["county"]) == ("浙江省", "温州市", "乐清市")
    assert town["county_code"] == "330382"
    city = _row(comp, "611000")
    assert city["city"] == "商洛市" and city["county"] is None and city["county_code"] is None


def test_without_the_gazetteer_the_hierarchy_is_left_empty(hand_docs: list[Document]) -> None:
    comp = compare(_facts(hand_docs), use_gazetteer=False)
    assert all(r["city_code"] is None and r["county"] is None for r in comp.rows)


def test_figures_of_the_whole_country_go_to_one_national_row_first() -> None:
    facts = [metric(98_990_000, region_code="100000"), metric(12_000, region_code="611023", article="b")]
    comp = compare(facts, use_gazetteer=True)
    national = comp.rows[0]
    assert (national["region_code"], national["region_name"], national["level"]) == ("100000", "全国", "country")
    assert national["poor_population"] == 98_990_000
    assert _row(comp, "611023")["poor_population"] == 12_000
    assert _row(comp, "611000")["poor_population"] is None  # not the article's region


def test_figures_of_the_world_a_narrower_whole_or_elsewhere_go_to_no_row_and_are_counted() -> None:
    facts = [metric(700_000_000, scope="world"), metric(45, key="poor_households", scope="narrower"),
             metric(5_000_000, scope="unknown"),
             metric(120_000_000, key="investment", scope="division", region_code="611023"),
             metric(16, key="poor_households", scope="narrower", article="b"),
             metric(2300, scope="article", article="c")]  # an article's rows come together
    comp = compare(facts, use_gazetteer=False)
    shangluo = _row(comp, "611000")
    assert shangluo["poor_population"] == 2300 and "poor_households" not in comp.header
    assert [s["value"] for s in comp.cell_sources("611000", "poor_population")] == [2300]
    assert _row(comp, "611023")["investment"] == 120_000_000
    assert comp.out_of_scope == {"narrower": 2, "unknown": 1, "world": 1}
    assert comp.unassigned == 0
    assert shangluo["n_articles"] == 3  # the articles still count in their region's row


def test_a_fact_row_without_scope_is_placed_as_before_scopes_existed() -> None:
    facts = [metric(2300), metric(12_000, region_code="611023", article="b", scope=None),
             metric(5, key="poor_villages", scope="")]  # an older facts.csv: empty text
    comp = compare(facts, use_gazetteer=False)
    assert _row(comp, "611000")["poor_population"] == 2300
    assert _row(comp, "611000")["poor_villages"] == 5
    assert _row(comp, "611023")["poor_population"] == 12_000
    assert comp.out_of_scope == {}


def test_a_rate_of_the_article_scope_stays_a_rate() -> None:
    comp = compare([metric(3000, key="income", unit="元", per="person", scope="article"),
                    metric(3000, key="income", unit="元", per="person", scope="narrower", article="b")],
                   use_gazetteer=False)
    row = _row(comp, "611000")
    assert row["income_per_person"] == 3000 and "income" not in row
    assert comp.out_of_scope == {"narrower": 1}


def test_every_metric_column_has_its_year_and_where_the_year_comes_from() -> None:
    comp = compare([metric(2300, ref_date="2019-12"), metric(12, key="poor_villages"),
                    metric(5, key="projects", ref_date="2015/2018", published=None),
                    metric(7, key="cadres", published=None)], use_gazetteer=False)
    assert comp.header[comp.header.index("poor_population"):][:3] == [
        "poor_population", "poor_population_year", "poor_population_year_source"]
    assert "贫困人口年份 poor_population_year" in comp.labelled_header()
    row = _row(comp, "611000")
    assert (row["poor_population"], row["poor_population_year"], row["poor_population_year_source"]) == (
        2300, 2019, "text")
    assert (row["poor_villages_year"], row["poor_villages_year_source"]) == (2016, "published")
    assert (row["projects_year"], row["projects_year_source"]) == (2018, "text")  # a range's end
    assert (row["cadres"], row["cadres_year"], row["cadres_year_source"]) == (7, None, None)  # no date at all


def test_the_panel_has_a_row_per_region_column_and_year_chosen_by_the_cell_rule() -> None:
    comp = compare([metric(2300, ref_date="2019-06", start=1), metric(2100, ref_date="2019-12", start=2),
                    metric(2100, ref_date="2019-12", article="b", start=3), metric(900, ref_date="2020"),
                    metric(12, key="poor_villages"), metric(7, key="cadres", published=None)],
                   use_gazetteer=False)
    got = [(r["column"], r["year"], r["year_source"], r["value"], r["n_values"], r["article_id"], r["start"])
           for r in comp.panel]
    assert got == [("poor_population", 2019, "text", 2100, 2, "a", 2),  # the latest of the year
                   ("poor_population", 2020, "text", 900, 1, "a", 10),
                   ("poor_villages", 2016, "published", 12, 1, "a", 10)]  # no year at all: no row
    assert _row(comp, "611000")["poor_population"] == 900  # the comparison keeps its latest value


def test_articles_off_the_topic_add_nothing_unless_all_topics() -> None:
    facts = [metric(300, article="a", topic=0.9), metric(8, article="film", key="cadres", topic=0.02),
             metric(999, article="film", topic=0.02), metric(50, article="unscored", key="projects")]
    agg = Aggregator(use_gazetteer=False)
    agg.add_article(facts[1])  # the article part first, as the dataset writer feeds it
    agg.add_all(facts)
    row = agg.result().rows[0]
    assert row["poor_population"] == 300 and "cadres" not in row and row["conflicts"] is None
    assert row["projects"] == 50  # no score: kept
    assert row["n_articles"] == 2 and agg.off_topic == 1
    everything = compare(facts, use_gazetteer=False, all_topics=True).rows[0]
    assert everything["cadres"] == 8 and everything["n_articles"] == 3
    assert everything["conflicts"] == "poor_population:2"


def test_topic_scores_read_back_from_csv_and_the_threshold_is_inclusive() -> None:
    from policy_ie.extractors.topic import config

    th = config().threshold
    rows = [{k: ("" if v is None else str(v)) for k, v in metric(v, article=a, topic=t).items()}
            for v, a, t in ((1, "at", th), (2, "below", round(th - 0.01, 4)), (3, "blank", None))]
    agg = Aggregator(use_gazetteer=False)
    agg.add_all(rows)
    assert agg.off_topic == 1
    assert agg.result().rows[0]["conflicts"] == "poor_population:2"
