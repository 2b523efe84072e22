"""The shortcuts of extractors/numbers/ give the answers of the plain computations they replace.

Timing is never asserted here (bench/bench_quantities.py measures it).
"""

from __future__ import annotations

import copy
import itertools
from unittest import mock

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_ie.extractors import numbers as N
from policy_ie.extractors.numbers import find_quantities, normalise, numerals, ranges, scan, tables
from policy_ie.extractors.numbers.parse import parse_clean

WIDE = "０１２３４５６７８９．％／～－（）0123456789.%万元人，。a"
SOUP = "0123456789.,万亿千百十一二两三四五六七八九零〇几余多来"


@given(st.text(alphabet=WIDE, max_size=80) | st.text(max_size=80))
@settings(max_examples=300, deadline=None)
def test_normalise_is_the_table_translation(text: str) -> None:
    assert normalise(text) == text.translate(numerals().fullwidth)


@given(st.text(alphabet=SOUP, max_size=24))
@settings(max_examples=300, deadline=None)
def test_remembered_parse_is_the_parse(text: str) -> None:
    assert parse_clean(text) == parse_clean.__wrapped__(text)


@given(st.lists(st.sampled_from(["约", "人均", "计划", "，", "。", "3", "二十", "一", "万", "个",
                                 "人", "余", "左右", "/年", "每年", "由", "到", "贫困户", "、"]),
                max_size=30))
@settings(max_examples=300, deadline=None)
def test_context_is_read_from_the_clause_alone(parts: list[str]) -> None:
    """What comes before a clause never changes the qualifier or rate of its quantities."""
    text = "".join(parts)
    head = "预计人均约3万人以上，"
    plain = [(q.start, q.text, q.value, q.qualifier, q.per) for q in find_quantities("，" + text)]
    after = [(q.start - len(head), q.text, q.value, q.qualifier, q.per)
             for q in find_quantities(head + "，" + text) if q.start >= len(head)]
    assert after == plain


def _plain_link_ranges(text: str, qs: list, t: N.UnitTable) -> None:
    """Both passes over every pair (the second over the quantities that are not times)."""
    group = 0
    counts = [q for q in qs if q.unit_class not in N.TIME_CLASSES]
    for seq in (qs, counts):
        for a, b in itertools.pairwise(seq):
            group = ranges.try_link(text, a, b, group, t)


PIECE = st.tuples(st.sampled_from(["", "由", "从", "，"]), st.sampled_from(["", "2021年的", "3月"]),
                  st.sampled_from(["3", "20", "1.5", "三"]), st.sampled_from(["", "万", "人", "万元", "年", "户"]),
                  st.sampled_from(["", "到", "至", "增长至", "减少到", "-", "的"]),
                  st.sampled_from(["", "2024年的", "2024年", "5天"])).map("".join)


@given(st.lists(PIECE, max_size=8))
@settings(max_examples=400, deadline=None)
def test_second_link_pass_skips_only_pairs_already_tried(pieces: list[str]) -> None:
    text = "".join(pieces)
    with mock.patch.object(scan, "link_ranges", lambda *a: None):
        raw = find_quantities(text)
    fast, plain = copy.deepcopy(raw), copy.deepcopy(raw)
    ranges.link_ranges(text, fast, N.unit_table())
    _plain_link_ranges(text, plain, N.unit_table())
    assert fast == plain


PATTERN_TEXT = "第排名位列前后之分一体 \n\t.:：aZ09２到至为增加减少降-~—－如今的年底末预计划目标拟将要争取20年前x"


@given(st.text(alphabet=PATTERN_TEXT, max_size=14))
@settings(max_examples=500, deadline=None)
def test_unit_table_patterns_mean_the_same_to_regex(text: str) -> None:
    """The patterns of units.yaml run on re; regex, which read them before, finds the same."""
    t = N.unit_table()
    for p in (t.planned, t.change_verb, t.span_join, t.not_before, t.not_after):
        same = regex.compile(p.pattern)
        for fn in ("search", "fullmatch"):
            a, b = getattr(p, fn)(text), getattr(same, fn)(text)
            assert (a and a.span()) == (b and b.span())


@pytest.mark.parametrize("pattern", [r"\p{Han}", "[[:alpha:]]", "(?<=a+)b"])
def test_a_pattern_only_regex_reads_is_refused(pattern: str) -> None:
    with pytest.raises(ValueError, match="not a Python re pattern"):
        tables._pattern(pattern)
