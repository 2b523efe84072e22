"""jieba's words rebuilt from rjieba's path (extractors/programmes/segment.py) are jieba's."""

from __future__ import annotations

import logging

import jieba
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_ie.extractors.programmes import segment

jieba.setLogLevel(logging.WARNING)

#: pieces that make jieba's path and its HMM matter: dictionary words, runs of single
#: characters that are no word (忠心常在久相随: jieba's HMM cuts 常/在/久, rjieba's 常在/久),
#: letters and digits, and the signs inside jieba's blocks
PIECES = ["是", "就是", "我们", "要", "重要", "常在久", "忠心", "相随", "在", "久", "能力", "不能",
          "了", "什么", "他们", "着力", "驻村", "帮扶", "书记", "坚持", "村", "一带一路", "扶贫",
          "a", "Wi", "Fi6", "5", "3C", "T恤", "-", "+", ".", "%", "2020年", "NSA", "卡拉OK", "厅"]
BLOCKS = st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join)


@settings(max_examples=300, deadline=None)
@given(block=BLOCKS)
def test_words_are_jiebas(block: str) -> None:
    got = segment.jieba_words(block)
    if got is not None:  # None: a dictionary word of letters (jieba is asked instead)
        assert got == jieba.lcut(block)


def test_hmm_of_jieba_not_rjieba() -> None:
    # jieba's HMM cuts 常在久 into three; rjieba's would join 常在
    assert segment.jieba_words("忠心常在久相随") == ["忠心", "常", "在", "久", "相随"]


def test_runs_without_a_character_of_the_set_stay_single() -> None:
    chars = frozenset("是")
    assert segment.jieba_words("常在久", chars) == ["常", "在", "久"]
    assert segment.jieba_words("常在久", None) == jieba.lcut("常在久")


def test_letters_and_digits_as_jieba_cuts_them() -> None:
    # rjieba with its HMM keeps 1900-1 and Wi-Fi6 whole; jieba cuts at the signs
    assert segment.jieba_words("1900-1") == ["1900", "-", "1"]
    assert segment.jieba_words("Wi-Fi6芯片") == ["Wi", "-", "Fi6", "芯片"]


def test_holds_word_by_block() -> None:
    words = frozenset({"是", "就是", "要"})
    assert segment.holds_word("这就是我们的路", words)
    assert not segment.holds_word("重要的事情", words)  # 重要 is one word: no 要
    assert not segment.holds_word("五在村", words)


def test_blocks_are_jiebas() -> None:
    text = "“五在村”a-1 就是，NSA+Wi-Fi6芯片。"
    assert segment._blocks(text) == [b for b in jieba.re_han_default.split(text) if b]
