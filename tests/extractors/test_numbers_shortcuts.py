"""The shortcuts of extractors/numbers.py give the answers of the plain computations they replace.

Timing is never asserted here (bench/bench_quantities.py measures it).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.numbers import _parse_clean, find_quantities, normalise, numerals

WIDE = "０１２３４５６７８９．％／～－（）0123456789.%万元人，。a"
SOUP = "0123456789.,万亿千百十一二两三四五六七八九零〇几余多来"


@given(st.text(alphabet=WIDE, max_size=80) | st.text(max_size=80))
@settings(max_examples=300, deadline=None)
def test_normalise_is_the_table_translation(text: str) -> None:
    assert normalise(text) == text.translate(numerals().fullwidth)


@given(st.text(alphabet=SOUP, max_size=24))
@settings(max_examples=300, deadline=None)
def test_remembered_parse_is_the_parse(text: str) -> None:
    assert _parse_clean(text) == _parse_clean.__wrapped__(text)


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
