"""Which texts take numpy's form: none of the first short ones of a process without numpy."""

from __future__ import annotations

import sys

import pytest

from policy_ie.text import numpy_gate
from policy_ie.text.numpy_gate import BUDGET, LONG, use_numpy


@pytest.fixture
def without_numpy(monkeypatch: pytest.MonkeyPatch) -> None:
    """A process that has not imported numpy, and has spared none yet (restored afterwards)."""
    monkeypatch.delitem(sys.modules, "numpy", raising=False)
    monkeypatch.setattr(numpy_gate, "_spared", 0)


def test_short_texts_go_plain_until_the_budget_is_spent(without_numpy: None) -> None:
    n = BUDGET // 1000
    assert [use_numpy(1000) for _ in range(n)] == [False] * n
    assert numpy_gate._spared == BUDGET
    assert use_numpy(1) and use_numpy(1000)  # the budget spent: numpy from now on


def test_small_pieces_count_by_their_length(without_numpy: None) -> None:
    assert not any(use_numpy(12) for _ in range(100))  # an article's numbers, one by one
    assert numpy_gate._spared == 1200
    rest = BUDGET - 1200
    assert not any(use_numpy(1000) for _ in range(rest // 1000))
    assert not use_numpy(rest % 1000)
    assert numpy_gate._spared == BUDGET and use_numpy(1)


def test_a_long_text_takes_numpy_at_once_and_spends_nothing(without_numpy: None) -> None:
    assert use_numpy(LONG) and use_numpy(LONG * 10)
    assert numpy_gate._spared == 0
    assert not use_numpy(LONG - 1)


def test_once_numpy_is_imported_every_text_takes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy  # noqa: F401

    monkeypatch.setattr(numpy_gate, "_spared", 0)
    assert use_numpy(1) and use_numpy(0)
    assert numpy_gate._spared == 0
