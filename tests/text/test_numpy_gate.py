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
    assert [use_numpy(300) for _ in range(BUDGET)] == [False] * BUDGET
    assert use_numpy(300) and use_numpy(10)  # the budget spent: numpy from now on


def test_a_long_text_takes_numpy_at_once_and_spends_nothing(without_numpy: None) -> None:
    assert use_numpy(LONG) and use_numpy(LONG * 10)
    assert numpy_gate._spared == 0
    assert not use_numpy(LONG - 1)


def test_once_numpy_is_imported_every_text_takes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy  # noqa: F401

    monkeypatch.setattr(numpy_gate, "_spared", 0)
    assert use_numpy(1) and use_numpy(0)
    assert numpy_gate._spared == 0
