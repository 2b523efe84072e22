"""bench/__main__.py: `make bench` runs every benchmark module in a process of its own."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from bench import __main__ as runner


def test_every_benchmark_runs_in_its_own_process(monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    calls: list[list[str]] = []

    def fake_run(cmd: list[str], check: bool = False) -> Any:
        calls.append(cmd)
        return subprocess.CompletedProcess(cmd, 1 if cmd[-1] == "bench.bench_build" else 0)

    monkeypatch.setattr(runner.subprocess, "run", fake_run)
    names = runner.modules()
    assert "bench_pipeline" in names and "bench_build" in names and names == sorted(names)
    assert runner.main() == 1  # one failed: reported, the others still run
    assert calls == [[sys.executable, "-m", f"bench.{n}"] for n in names]
    out = capsys.readouterr()
    assert out.out.count("== bench_") == len(names) and "failed: exit status 1" in out.err
