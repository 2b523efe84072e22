"""The shared data model: offset map of the cleaned view, record serialisation."""

from __future__ import annotations

import pickle
from dataclasses import asdict, dataclass, fields
from typing import ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policy_ie.text.document import (
    MENTION_LISTS,
    ArticleRegion,
    CleanView,
    DateMention,
    Document,
    MetricMention,
    ProgrammeMention,
    Span,
    Spans,
    attr,
    fact_columns,
    record_of,
)


def test_identity_view_maps_each_offset_to_itself() -> None:
    v = CleanView.identity("贫困人口48.9万")
    assert v.to_raw(4, 9) == (4, 9)


def test_view_with_a_removed_span_maps_across_it() -> None:
    raw = "首页>正文\n贫困村699个"
    # keep raw[0:0] nothing of the first line, then the second line
    view = CleanView(raw[6:], [(0, 6, len(raw) - 6)])
    s, e = view.to_raw(view.text.index("699"), view.text.index("699") + 3)
    assert raw[s:e] == "699"


def test_to_raw_rejects_spans_outside_the_text() -> None:
    v = CleanView.identity("abc")
    with pytest.raises(ValueError):
        v.to_raw(2, 5)
    with pytest.raises(ValueError):
        v.to_raw(1, 1)


@given(st.text(max_size=60), st.data())
def test_piecewise_views_map_back_to_the_same_characters(raw: str, data: st.DataObject) -> None:
    cuts = sorted(data.draw(st.lists(st.integers(0, len(raw)), max_size=6)))
    # keep every other stretch between cuts
    bounds = [0, *cuts, len(raw)]
    pieces, parts, pos = [], [], 0
    for i in range(0, len(bounds) - 1, 2):
        a, b = bounds[i], bounds[i + 1]
        if b > a:
            pieces.append((pos, a, b - a))
            parts.append(raw[a:b])
            pos += b - a
    view = CleanView("".join(parts), pieces)
    for i, ch in enumerate(view.text):
        assert raw[view.raw_index(i)] == ch


def test_record_has_the_contract_fields_and_integer_values() -> None:
    doc = Document(id="a", path="a.txt", text="贫困人口48.9万")
    doc.metrics.append(MetricMention("贫困人口48.9万", 0, 10, metric="poor_population",
                                     value=489000.0, unit="人"))
    doc.dates.append(DateMention("x", 0, 1, value=None))
    rec = doc.to_record()
    for key in ("id", "path", "title", "published", "outlet", "authors", "region", "metrics",
                "programmes", "dates", "regions", "warnings"):
        assert key in rec
    assert rec["metrics"][0]["value"] == 489000 and isinstance(rec["metrics"][0]["value"], int)
    assert rec["metrics"][0]["text"] == doc.text[rec["metrics"][0]["start"]:rec["metrics"][0]["end"]]


def test_a_processed_document_survives_pickling_as_a_worker_sends_it() -> None:
    """Results come back from worker processes pickled: every field, every mention class
    and the view's offset map must arrive as they left."""
    import pickle

    from policy_ie.pipeline.run import process

    doc = process(Document(id="a", path="x.txt", text="2019年，全县减少贫困人口1.2万人，实施扶贫项目320个。\n"
                           "“三三四”模式在甘肃省定西市推广。"))
    assert doc.metrics and doc.dates and doc.regions and doc.programmes
    back = pickle.loads(pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == doc
    assert [type(m) for m in back.metrics + back.dates] == [type(m) for m in doc.metrics + doc.dates]
    assert back.view.to_raw(0, 4) == doc.view.to_raw(0, 4)
    assert back.to_record() == doc.to_record()


def test_pickling_keeps_every_init_field_of_each_class() -> None:
    import pickle

    m = MetricMention("1.2万人", 3, 8, metric="poor_population", value=12000, unit="人", qualifier="约",
                      per=None, region_code="620000", date="2019", subject="全县", confidence=0.5)
    assert pickle.loads(pickle.dumps(m)) == m
    d = DateMention("2019年", 0, 5, value="2019")
    assert type(pickle.loads(pickle.dumps(d))) is DateMention


def test_spans_are_a_sequence_of_span_stored_in_columns() -> None:
    spans = Spans([0, 25], [24, 56])
    assert len(spans) == 2 and bool(spans) and not Spans()
    assert spans[1] == Span(25, 56) and spans[-1] == Span(25, 56)
    assert list(spans) == [Span(0, 24), Span(25, 56)] == spans  # equal to the list of its spans
    assert spans[1:] == Spans([25], [56]) and spans != [Span(0, 24)]
    assert Spans.of([Span(3, 9)]) == [Span(3, 9)] == Spans.of_pairs([(3, 9)])
    assert repr(Spans([1], [2])) == "Spans([Span(start=1, end=2)])"
    with pytest.raises(ValueError, match="one entry per span"):
        Spans([1, 2], [3])


@given(st.lists(st.tuples(st.integers(0, 2**40), st.integers(0, 2**40)), max_size=50))
def test_spans_pickle_as_they_were(pairs: list[tuple[int, int]]) -> None:
    spans = Spans((a for a, _ in pairs), (b for _, b in pairs))
    back = pickle.loads(pickle.dumps(spans, protocol=5))
    assert isinstance(back, Spans) and back == spans and list(back) == [Span(a, b) for a, b in pairs]


def test_every_record_name_is_a_field_of_its_kind() -> None:
    for _, kind in MENTION_LISTS:
        names = {f.name for f in fields(kind)}
        assert set(kind.RECORD) <= names, kind.__name__


def test_a_field_declared_on_a_kind_reaches_record_and_facts_columns() -> None:
    # A new field is one declaration: its fact column and type come from attr() and its annotation.
    @dataclass(slots=True)
    class Counted(MetricMention):
        RECORD: ClassVar[tuple[str, ...]] = (*MetricMention.RECORD, "households")
        households: int | None = attr(None, fact="household_count")

    m = Counted(text="1300户", start=0, end=5, metric="poor_households", value=1300.0, households=1300)
    assert record_of(m)["households"] == 1300
    assert record_of(m)["value"] == 1300 and isinstance(record_of(m)["value"], int)
    cols = {name: (c, t) for name, c, t in fact_columns(Counted)}
    assert cols["households"] == (("household_count",), "str")  # "int | None" is not a plain int column
    assert cols["metric"] == (("key",), "str") and cols["date"] == (("ref_date",), "str")
    assert cols["value"] == (("value",), "float")


def test_clean_index_inverts_raw_index_and_gives_none_for_removed_text() -> None:
    raw = "导航 首页\n全县贫困人口1.2万人。"
    v = CleanView(raw[6:], [(0, 6, len(raw) - 6)])
    assert v.clean_index(6) == 0 and v.clean_index(raw.index("1.2")) == v.text.index("1.2")
    assert v.clean_index(0) is None and v.clean_index(len(raw)) is None


def test_clean_index_of_overlapping_pieces_takes_the_first_in_clean_order() -> None:
    v = CleanView("abcab", [(0, 0, 3), (3, 0, 2)])
    assert v.clean_index(1) == 1 and v.clean_index(2) == 2


@given(st.text(alphabet="贫困人口万。 \\n", max_size=40), st.data())
def test_clean_index_is_the_inverse_of_raw_index(raw: str, data: st.DataObject) -> None:
    cuts = sorted(data.draw(st.lists(st.integers(0, len(raw)), max_size=6)))
    pieces, parts, pos, c = [], [], 0, 0
    for a, b in zip(cuts[::2], cuts[1::2], strict=False):
        if a > pos:
            pieces.append((c, pos, a - pos))
            parts.append(raw[pos:a])
            c += a - pos
        pos = max(pos, b)
    if pos < len(raw):
        pieces.append((c, pos, len(raw) - pos))
        parts.append(raw[pos:])
    v = CleanView("".join(parts), pieces)
    for i in range(len(v.text)):
        assert v.clean_index(v.raw_index(i)) == i
    kept = {v.raw_index(i) for i in range(len(v.text))}
    assert all(v.clean_index(r) is None for r in range(len(raw)) if r not in kept)


def test_a_record_copies_lists_and_writes_integral_values_as_ints() -> None:
    p = ProgrammeMention(text="“五个一批”工程", start=3, end=11, name="五个一批", kind="工程",
                         components=["发展生产", "易地搬迁"])
    rec = record_of(p)
    assert list(rec) == list(ProgrammeMention.RECORD)
    assert rec["components"] == p.components and rec["components"] is not p.components
    m = MetricMention(text="48.9万人", start=0, end=6, metric="poor_population", value=489000.0,
                      confidence=1.0)
    rec = record_of(m)
    assert rec["value"] == 489000 and isinstance(rec["value"], int)
    assert rec["confidence"] == 1.0 and isinstance(rec["confidence"], float)  # not an integral field
    m.value = 2.5
    assert record_of(m)["value"] == 2.5


def test_an_article_record_has_its_region_as_a_plain_dict() -> None:
    doc = Document(id="a", path="a.txt", text="某县脱贫。",
                   region=ArticleRegion("610000", "陕西省", "province"))
    assert doc.to_record()["region"] == asdict(doc.region)
    assert Document(id="b", path="b.txt", text="").to_record()["region"] is None
