"""Tests of extractors/dates.py: the case table, the extractor on documents, properties."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_ie.extractors import dates
from policy_ie.text.document import CleanView, Document, Metadata

CASES = yaml.safe_load(
    (Path(__file__).parent / "cases" / "dates.yaml").read_text(encoding="utf-8"))["cases"]
ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?$")


def _valid_iso(v: str) -> bool:
    """ISO shape and a real calendar date for each end."""
    if not ISO.match(v):
        return False
    import datetime as dt

    for end in v.split("/"):
        parts = [int(x) for x in end.split("-")]
        try:
            dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
        except ValueError:
            return False
    return True


@pytest.mark.parametrize(
    "case",
    [pytest.param(c, marks=pytest.mark.xfail(strict=True, reason="known gap"))
     if c.get("known_gap") else c for c in CASES],
    ids=[c["text"][:20] for c in CASES],
)
def test_case_table(case: dict) -> None:
    doc = Document(id="t", path="t", text=case["text"],
                   meta=Metadata(published=case.get("published")))
    got = [[m.text, m.value] for m in dates.extract(doc)]
    assert got == case["expect"]
    for m in doc.dates or dates.extract(doc):
        assert doc.text[m.start:m.end] == m.text


def test_vocab_loads_and_validates() -> None:
    v = dates.vocab()
    assert v.plan_periods["十三五"] == (2016, 2020)
    assert v.relative_years["去年"] == -1


@pytest.mark.parametrize(("expr", "pub", "value"), [
    ("2019年底", None, "2019-12"),
    ("十四五", None, "2021/2025"),
    ("今年6月份", "2016-06-08", "2016-06"),
    ("今年6月份", None, None),
    ("2016年-2018年", None, "2016/2018"),
    ("近年来", "2016-06-08", None),
    ("1至3年", None, None),
    ("2016年 以及", None, None),  # not one expression
    ("", None, None),
])
def test_normalise(expr: str, pub: str | None, value: str | None) -> None:
    assert dates.normalise(expr, pub) == value


def test_raw_offsets_through_a_clean_view() -> None:
    """Matches on the clean view, reports raw offsets: furniture removed before the date."""
    raw = "广告行\n２０１６年６月，全县脱贫。"
    clean = "2016年6月，全县脱贫。"
    view = CleanView(clean, [(0, 4, len(clean))])
    doc = Document(id="t", path="t", text=raw, clean=view)
    (m,) = dates.extract(doc)
    assert (m.start, m.end, m.text, m.value) == (4, 11, "２０１６年６月", "2016-06")


def test_bad_publication_date_is_ignored() -> None:
    doc = Document(id="t", path="t", text="去年，2016年。", meta=Metadata(published="n/a"))
    assert [(m.text, m.value) for m in dates.extract(doc)] == [("去年", None), ("2016年", "2016")]


def test_seeds_gold_values(shared: Path) -> None:
    """Every required gold date of the seeds is found (publication date added as score.py)."""
    gold = json.loads((shared / "gold" / "seeds.json").read_text(encoding="utf-8"))["articles"]
    for aid, g in gold.items():
        text = (shared / "seeds" / f"{aid}.txt").read_text(encoding="utf-8")
        doc = Document(id=aid, path=aid, text=text, meta=Metadata(published=g["published"]))
        found = {m.value for m in dates.extract(doc) if m.value}
        found |= {g["published"]} if g["published"] else set()
        missing = [v for v, s in g["dates"] if s == "req" and v not in found]
        assert not missing, (aid, missing)


TIME_CHARS = st.sampled_from(list("0123456789０１２３年月日号至到-—~/.今去明前后上下半季度初底末"
                                  "以来近每十一二三四五〇○零旬中次同个岁内 ，。\n"))


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(max_size=60), st.lists(TIME_CHARS, max_size=40).map("".join)),
       pub=st.one_of(st.none(), st.dates().map(lambda d: d.isoformat()),
                     st.text(max_size=12)))
def test_properties(text: str, pub: str | None) -> None:
    """Never raises; values are valid ISO 8601; offsets lie inside the text and match."""
    v = dates.normalise(text, pub)
    assert v is None or _valid_iso(v)
    doc = Document(id="p", path="p", text=text, meta=Metadata(published=pub))
    for m in dates.extract(doc):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text
        assert m.value is None or _valid_iso(m.value), m
