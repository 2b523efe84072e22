"""rjieba with partial dictionaries (:mod:`policy_ie.extractors.dictionary_index`) against the full ones.

An index is built into a temporary folder from the installed jieba and rjieba and the real
domain dictionary; a partial dictionary made from it must cut and tag every text as rjieba
with the whole dictionary does (domain words on), and cut it without HMM and tell its words
as rjieba with jieba's dictionary alone does (domain words off).
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_ie.extractors import dictionary_index as di
from policy_ie.extractors import words as W

# Sentences in the genre's style, written for these tests: officials' names (tagged by
# rjieba's HMM), domain words, places, figures, Latin runs and quoted names.
PROSE = [
    "县委书记张明远、副县长李卫东带队深入柳河县红石镇调研脱贫攻坚工作。",
    "全县建档立卡贫困户由5200户减少到300户，贫困发生率降至0.6%，人均纯收入达到8600元。",
    "市委探索推行“三带三促”工程和“是什么”工程，推动易地扶贫搬迁群众稳得住、能致富。",
    "驻村工作队队长王海峰介绍，村里引进ABC农业公司，建成3.5万亩猕猴桃基地和10个扶贫车间。",
    "常在久远处望去，新乡村里的新民主主义展览馆人来人往，北京人民大会堂也在电视里。",
    "省扶贫办主任陈立新说：要坚持精准扶贫、精准脱贫，确保2020年现行标准下农村贫困人口全部脱贫。",
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> di.Index:
    path = tmp_path_factory.mktemp("index") / "jieba_dict.index"
    entries = [(e.word, e.freq, e.pos) for e in W.user_dictionary()]
    di.build(entries, W._rjieba_class(), out=path)
    got = di.load(di.key(entries), path)
    assert got is not None
    return got


def fresh(index: di.Index, domain: bool = True) -> di.Partial:
    return di.Partial(index, W._rjieba_class(), domain)


@pytest.mark.parametrize("text", PROSE)
def test_a_partial_dictionary_cuts_and_tags_as_the_full_one(index: di.Index, text: str) -> None:
    part = fresh(index)
    assert part.ready(text)
    full = W._rjieba()
    assert part.jieba.cut(text) == full.cut(text)
    assert part.jieba.tag(text) == full.tag(text)
    assert part.jieba.cut(text, False) == full.cut(text, False)


@pytest.mark.parametrize("text", PROSE)
def test_without_domain_words_it_is_jiebas_own_dictionary(index: di.Index, text: str) -> None:
    part = fresh(index, domain=False)
    assert part.ready(text)
    plain = W.plain_rjieba()
    assert part.jieba.cut(text, False) == plain.cut(text, False)
    assert part.jieba.cut(text) == plain.cut(text)
    subs = {text[a:b] for a in range(len(text)) for b in range(a + 1, min(len(text), a + 8) + 1)}
    assert {s for s in subs if part.jieba.has_word(s)} == {s for s in subs if plain.has_word(s)}


def test_domain_words_are_in_one_and_not_the_other(index: di.Index) -> None:
    text = "脱贫攻坚战"
    with_domain, without = fresh(index), fresh(index, domain=False)
    assert with_domain.ready(text) and without.ready(text)
    assert with_domain.jieba.has_word("脱贫攻坚") and not without.jieba.has_word("脱贫攻坚")
    assert with_domain.jieba.cut(text, False) != without.jieba.cut(text, False)


def test_one_partial_dictionary_serves_text_after_text(index: di.Index) -> None:
    part = fresh(index)
    full = W._rjieba()
    for text in PROSE + PROSE[::-1]:
        assert part.ready(text)
        assert part.jieba.tag(text) == full.tag(text)


_GENRE = "县委书记张王李扶贫脱攻坚村镇乡户人口万元年的了是在和有新民主义北京常久远贫困发生率0123456789.%ABc，。“”、 "


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=_GENRE, max_size=40))
def test_any_text_is_cut_and_tagged_as_with_the_full_dictionary(index: di.Index, text: str) -> None:
    part, plain_part = fresh(index), fresh(index, domain=False)
    assert part.ready(text) and plain_part.ready(text)
    assert part.jieba.tag(text) == W._rjieba().tag(text)
    assert plain_part.jieba.cut(text, False) == W.plain_rjieba().cut(text, False)


def test_a_text_holding_the_filler_word_is_refused(index: di.Index) -> None:
    assert not fresh(index).ready(f"全县{di.FILLER[0]}脱贫")


def test_an_index_built_for_other_entries_or_broken_is_not_used(index: di.Index, tmp_path: Path) -> None:
    entries = [(e.word, e.freq, e.pos) for e in W.user_dictionary()]
    path = tmp_path / "jieba_dict.index"
    di.build(entries[:10], W._rjieba_class(), out=path)
    assert di.load(di.key(entries[:10]), path) is not None
    assert di.load(di.key(entries), path) is None  # the domain dictionary changed since
    assert di.load(di.key(entries), tmp_path / "missing.index") is None
    broken = tmp_path / "broken.index"
    broken.write_bytes(path.read_bytes()[:100])
    assert di.load(di.key(entries[:10]), broken) is None


def test_rjieba_for_loads_the_full_dictionary_past_its_budget(index: di.Index, monkeypatch: pytest.MonkeyPatch) -> None:
    """Until the budget is spent, cutting goes through the partial dictionary; then through
    the full one, and from then on always (the same words both ways)."""
    part = fresh(index)
    monkeypatch.setattr(W, "_partial_rjieba", lambda domain=True: part)
    monkeypatch.setattr(W, "_partial_spent", [0])
    monkeypatch.setattr(W, "_PARTIAL_BUDGET", len(PROSE[0]) + len(PROSE[1]))
    W._rjieba.cache_clear()
    try:
        assert W.rjieba_for(PROSE[0]) is part.jieba
        assert W.rjieba_for(PROSE[1]) is part.jieba
        assert W._rjieba.cache_info().currsize == 0
        assert W.rjieba_for(PROSE[2]) is not part.jieba  # past the budget
        assert W._rjieba.cache_info().currsize == 1
        assert W.rjieba_for("县") is not part.jieba  # the full dictionary is loaded: it serves
    finally:
        W._rjieba.cache_clear()


def test_past_its_budget_the_partial_dictionaries_are_let_go(index: di.Index,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch that spends the budget gives the partial dictionaries' memory back (8-13 MB each
    in rjieba, more as they learn words): the full ones serve from then on, even a short text
    that would still fit in what is left of the budget."""
    made: list[object] = []

    @functools.cache
    def partial(domain: bool = True) -> object:
        made.append(domain)
        return fresh(index)

    monkeypatch.setattr(W, "_partial_rjieba", partial)
    monkeypatch.setattr(W, "_partial_spent", [0])
    monkeypatch.setattr(W, "_PARTIAL_BUDGET", len(PROSE[0]) + 1)
    W._rjieba.cache_clear()
    try:
        first = W.rjieba_for(PROSE[0])
        assert first is partial(True).jieba and partial.cache_info().currsize == 1
        assert W.rjieba_for(PROSE[1]) is not first  # past the budget: the full dictionary
        assert partial.cache_info().currsize == 0  # and the partial one let go
        assert W.rjieba_for("县") is W._rjieba() and made == [True]  # never made again
    finally:
        W._rjieba.cache_clear()
