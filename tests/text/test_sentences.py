"""Sentences: the linear-time pattern gives the spans of the pattern it replaced, and its
time grows in proportion to the text, whatever runs of spaces the text holds."""

from __future__ import annotations

import re
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from policy_ie.text.sentences import sentences

#: The pattern before issue 19, kept as the reference: right, but cubic on runs of spaces.
_OLD = re.compile(r"\s*([^。！？!?；;\n]*[。！？!?；;]+[”’」』）)]*"
                  r"|[^。！？!?；;\n]*[^\s。！？!?；;](?=[^\S\n]*(?:\n|\Z)))")

ALPHABET = list("扶贫攻坚脱县村户万人元") + list("。！？；!?;,") + list("”’」』）)") + [" ", "\t", "\n", "\u3000", "\r"]


def _old_spans(text: str) -> list[tuple[int, int]]:
    return [m.span(1) for m in _OLD.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(ALPHABET), max_size=80))
def test_the_same_spans_as_the_old_pattern(text: str) -> None:
    assert [(s.start, s.end) for s in sentences(text)] == _old_spans(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet=st.sampled_from(ALPHABET), max_size=12),
                          st.sampled_from([" ", "\t", "\n", " \n "]), st.integers(0, 40)), max_size=6))
def test_the_same_spans_around_runs_of_spaces(parts: list[tuple[str, str, int]]) -> None:
    text = "".join(words + space * n for words, space, n in parts)
    assert [(s.start, s.end) for s in sentences(text)] == _old_spans(text)


def _seconds(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        sentences(text)
        best = min(best, time.perf_counter() - t0)
    return best


def test_trailing_spaces_cost_little() -> None:
    """An article of 2 KB with 3,000 trailing spaces (50 s with the old pattern)."""
    article = "全县贫困人口由3.2万人减少到1200人。" * 100
    assert _seconds(article + " " * 3000) <= 3 * _seconds(article) + 0.002
    assert len(sentences(article + " " * 100_000)) == 100
