"""Officials named with a title: names from POS tags, offsets, no names where none stand."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_ie.extractors.people import _han, extract, name_after
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


def _name_tagging_every_window(window: str, max_name: int) -> str | None:
    """:func:`name_after` without its test of the first character (the tagger decides)."""
    from policy_ie.extractors.words import BACKENDS

    toks = BACKENDS["rjieba-pos"](window)
    if not toks or toks[0].start != 0 or toks[0].pos != "nr" or not _han(toks[0].text):
        return None
    name = toks[0].text
    for t in toks[1:]:
        joined = name + t.text
        if t.start != len(name) or not _han(t.text) or len(joined) > min(3, max_name):
            break
        if t.pos == "nr" or len(name) == 1:
            name = joined
        else:
            break
    return name if 2 <= len(name) <= max_name else None


def test_a_window_not_starting_with_han_is_not_tagged(monkeypatch: pytest.MonkeyPatch) -> None:
    from policy_ie.extractors import words

    def refuse(text: str) -> list[object]:
        raise AssertionError(f"tagged {text!r}")

    monkeypatch.setitem(words.BACKENDS, "rjieba-pos", refuse)
    for window in ("，李小红说", "1名干部", "“张三”", ""):
        assert name_after(window, 4) is None


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("李王张小红明金育辉说指出，。 1a“")), max_size=8))
def test_the_first_character_test_changes_no_name(window: str) -> None:
    assert name_after(window, 4) == _name_tagging_every_window(window, 4)
