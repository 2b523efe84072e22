"""``make bench``'s pipeline benchmark runs and prints every figure the issue asks for (on a
handful of articles: the figures themselves are for the benchmark, never asserted here)."""

from __future__ import annotations

import pytest

from bench import bench_pipeline


def test_the_pipeline_benchmark_prints_its_figures(monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(bench_pipeline, "LIMIT", 6)
    monkeypatch.setattr(bench_pipeline, "ROUNDS", 1)
    bench_pipeline.main()
    out = capsys.readouterr().out
    for figure in ("articles/s", "MB/s", "speed-up --jobs 2 over --jobs 1", "the machine's ceiling",
                   "jieba.lcut alone", "ratio pipeline/jieba time", "peak RSS"):
        assert figure in out
