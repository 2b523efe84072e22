"""Officials named with a title: names from POS tags, offsets, no names where none stand."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_ie.extractors.people import extract
from policy_ie.text.clean import clean
from policy_ie.text.document import Document


def people(text: str) -> list[tuple[str, str]]:
    doc = Document(id="t", path="t", text=text)
    clean(doc)
    out = extract(doc)
    for p in out:
        assert text[p.start:p.end] == p.text and p.text.endswith(p.name)
    return [(p.title, p.name) for p in out]


@pytest.mark.parametrize("text, expected", [
    ("市委书记金育辉强调指出，要发挥基层党组织作用。", [("市委书记", "金育辉")]),
    ("面对现状，某市委书记胡润泽如是说。", [("市委书记", "胡润泽")]),
    ("县长李小红说，今年全县脱贫3200人。", [("县长", "李小红")]),
    ("省委书记陈敏尔指出，基层要履行主推责任。", [("省委书记", "陈敏尔")]),
])
def test_title_then_name(text: str, expected: list[tuple[str, str]]) -> None:
    assert people(text) == expected


@pytest.mark.parametrize("text", [
    "总书记指出，农村工作千头万绪。",
    "各级书记要带头抓党建。",
    "选派第一书记128名。",
])
def test_a_title_without_a_name_gives_nobody(text: str) -> None:
    assert people(text) == []


def test_offsets_point_into_the_raw_text_through_cleaning() -> None:
    raw = "首页 > 新闻 > 正文\n县长李小红说，全县脱贫。"
    doc = Document(id="t", path="t", text=raw)
    clean(doc)
    (p,) = extract(doc)
    assert raw[p.start:p.end] == "县长李小红"


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("市委书记县长李王张小红明说指出，。 \n")), max_size=80))
def test_never_raises_and_offsets_are_inside(text: str) -> None:
    doc = Document(id="t", path="t", text=text)
    for p in extract(doc):
        assert 0 <= p.start < p.end <= len(text) and text[p.start:p.end] == p.text
