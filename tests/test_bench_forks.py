"""bench/forks.py: work in a forked child gives its result back and leaves this process as it was."""

from __future__ import annotations

import os

import pytest

from bench import forks

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")

_STATE = {"runs": 0}


def _work() -> dict[str, int]:
    _STATE["runs"] += 1
    return {"pid": os.getpid(), "runs": _STATE["runs"]}


def test_a_child_runs_from_this_state_and_returns_its_result() -> None:
    first, second = forks.finish(forks.start(_work)), forks.finish(forks.start(_work))
    assert first["runs"] == second["runs"] == 1  # the child's change stayed with the child
    assert first["pid"] != os.getpid() and _STATE["runs"] == 0


def test_a_failing_child_is_an_error() -> None:
    def boom() -> None:
        raise ValueError("no")

    with pytest.raises(RuntimeError, match="failed"):
        forks.finish(forks.start(boom))
