"""Fact rows: one per mention, with raw offsets, the raw sentence and the article's fields."""

from __future__ import annotations

from policy_ie.extractors.words import segment
from policy_ie.pipeline.facts import FACT_COLUMNS, facts_of
from policy_ie.text.clean import clean
from policy_ie.text.document import CleanView, Document, MetricMention


def test_one_row_per_mention_with_article_fields(hand_docs: list[Document]) -> None:
    d = hand_docs[0]
    rows = list(facts_of(d))
    n = len(d.metrics) + len(d.programmes) + len(d.dates) + len(d.regions)
    assert len(rows) == n
    assert all(tuple(r) == FACT_COLUMNS for r in rows)
    assert {r["kind"] for r in rows} == {"metric", "programme", "date", "region"}
    for r in rows:
        assert d.text[r["start"]:r["end"]] == r["text"]
        assert r["article_id"] == "sl-1"
        assert r["article_region_code"] == "611000" and r["article_province"] == "陕西省"
        assert r["published"] == "2016-06-08"
        assert r["extractor"]


def test_values_by_kind(hand_docs: list[Document]) -> None:
    rows = list(facts_of(hand_docs[0]))
    inv = next(r for r in rows if r["key"] == "investment")
    assert inv["value"] == 120000000 and inv["unit"] == "元" and inv["region_code"] == "611023"
    income = next(r for r in rows if r["key"] == "income")
    assert income["per"] == "person"
    prog = next(r for r in rows if r["kind"] == "programme")
    assert prog["key"] == "十百千" and prog["headline"] is True and prog["programme_kind"] == "工程"
    date = next(r for r in rows if r["kind"] == "date")
    assert date["key"] == "2015"
    region = next(r for r in rows if r["kind"] == "region" and r["key"] == "611023")
    assert region["region_name"] == "商南县" and region["level"] == "county"
    assert prog["value"] is None and date["value"] is None


def test_sentence_is_the_raw_sentence_holding_the_mention(hand_docs: list[Document]) -> None:
    d = hand_docs[0]
    rows = list(facts_of(d))
    pop = next(r for r in rows if r["key"] == "poor_population")
    assert pop["sentence"] == "全市有贫困村699个,贫困人口48.9万人,2015年减贫16.8万人。"
    assert d.text[pop["sentence_start"]:pop["sentence_end"]] == pop["sentence"]
    assert pop["sentence_start"] <= pop["start"] < pop["end"] <= pop["sentence_end"]


def test_sentences_of_the_clean_view_are_mapped_to_raw_offsets() -> None:
    # full-width digits and an ideographic space: the clean view normalises them one for one;
    # a furniture line above shifts nothing in the raw text.
    text = "当前版:04版\n\u3000\u3000全县贫困人口１２３４人。脱贫攻坚成效明显。"
    doc = Document(id="fw", path="fw.txt", text=text)
    clean(doc)
    segment(doc, "none")
    a = text.index("贫困人口")
    b = text.index("人。") + 1
    doc.metrics = [MetricMention(text[a:b], a, b, metric="poor_population", value=1234, unit="人")]
    (row,) = facts_of(doc)
    assert row["sentence"] == "全县贫困人口１２３４人。"
    assert text[row["sentence_start"]:row["sentence_end"]] == row["sentence"]


def test_mention_outside_every_sentence_gets_its_line() -> None:
    # the first line was cut out of the clean view (furniture): no sentence covers it
    text = "当前版:04版 贫困户300户\n全县脱贫攻坚成效明显。"
    doc = Document(id="x", path="x", text=text)
    body = text.index("全县")
    doc.clean = CleanView(text[body:], [(0, body, len(text) - body)])
    a = text.index("贫困户")
    doc.metrics = [MetricMention("贫困户300户", a, a + 7, metric="poor_households", value=300, unit="户")]
    (row,) = facts_of(doc)
    assert row["sentence"] == "当前版:04版 贫困户300户"
    assert (row["sentence_start"], row["sentence_end"]) == (0, body - 1)


def test_article_without_region_or_mentions() -> None:
    doc = Document(id="empty", path="e", text="")
    assert list(facts_of(doc)) == []
    doc = Document(id="noreg", path="n", text="贫困户300户。")
    doc.metrics = [MetricMention("贫困户300户", 0, 7, metric="poor_households", value=300)]
    (row,) = facts_of(doc)
    assert row["article_region_code"] is None and row["published"] is None


def test_fact_columns_cover_every_declared_mention_field() -> None:
    from policy_ie.pipeline.facts import FACT_TYPES, KIND_LISTS
    from policy_ie.text.document import fact_columns

    assert set(KIND_LISTS) == {"metric", "programme", "date", "region"}
    for _, kind in KIND_LISTS.values():
        for _, cols, _ in fact_columns(kind):
            assert set(cols) <= set(FACT_TYPES)
