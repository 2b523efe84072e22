"""The gazetteer scan finds the same forms whether its candidate positions come from numpy or not."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_ie.extractors.regions import scan as S

SENTENCES = [
    "贵州省黔东南州雷山县今年实施易地扶贫搬迁，安置群众三千余人。",
    "甘肃省定西市安定区、临洮县两地共建扶贫车间42个，带动就业1100人。",
    "据县扶贫办介绍，云南省怒江州贡山县独龙江乡整乡脱贫，人均纯收入明显提高。",
    "河北省张家口市阜平县与北京市海淀区开展结对帮扶，引进企业十五家。",
]


def _both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[list[tuple[int, int, str]], ...]:
    out = []
    for numpy_way in (True, False):
        monkeypatch.setattr(S, "use_numpy", lambda n, way=numpy_way: way)
        out.append([(h.start, h.end, h.surface) for h in S.scan(text)])
    return tuple(out)


def test_the_plain_positions_find_what_numpy_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "　　" + "".join(SENTENCES) * 2  # longer than the short-text limit
    assert len(text) >= S.SHORT_TEXT
    with_numpy, plain = _both(text, monkeypatch)
    assert with_numpy == plain
    assert ("雷山县" in {s for _, _, s in plain}) and len(plain) >= 10


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([*SENTENCES, "。", "县", "省市", "扶贫"]), min_size=1, max_size=12))
def test_any_text_scans_the_same_both_ways(parts: list[str]) -> None:
    text = "".join(parts)
    with pytest.MonkeyPatch.context() as mp:
        with_numpy, plain = _both(text, mp)
    assert with_numpy == plain
