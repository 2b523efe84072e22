"""extractors/lexicon.py: literal word lists as regex alternations."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from policy_ie.text.lexicon import alternation


def test_longest_word_first_and_literal() -> None:
    assert alternation(["全县", "全县域", "全县"]) == "全县域|全县"
    assert re.fullmatch(alternation(["5+2", "a.b"]), "5+2") and not re.fullmatch(alternation(["a.b"]), "axb")
    assert alternation([]) == ""


@given(st.lists(st.text(alphabet="全县村乡镇+.*", min_size=1, max_size=4), min_size=1, max_size=8),
       st.text(alphabet="全县村乡镇+.*", max_size=12))
def test_a_match_at_a_place_is_the_longest_word_there(words: list[str], text: str) -> None:
    pattern = re.compile(alternation(words))
    for i in range(len(text)):
        m = pattern.match(text, i)
        there = [w for w in words if text.startswith(w, i)]
        assert (m.group() if m else None) == (max(there, key=len) if there else None)
