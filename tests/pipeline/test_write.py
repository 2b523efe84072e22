"""Writing article records: one JSON line each, as ``json.dumps`` without ASCII escapes writes it."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from policy_ie.pipeline.write import record_line

_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.text(max_size=8), _VALUES, max_size=6))
def test_a_record_line_is_json_dumps_of_it(record: dict[str, object]) -> None:
    line = record_line(record)
    assert line == json.dumps(record, ensure_ascii=False) + "\n"
    assert line.count("\n") == 1


def test_chinese_stays_as_it_is() -> None:
    assert record_line({"title": "脱贫攻坚", "value": 489000}) == '{"title": "脱贫攻坚", "value": 489000}\n'
