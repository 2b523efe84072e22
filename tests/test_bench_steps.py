"""The step-by-step benchmark times every step of extraction and writing (on a few articles
written here: the figures themselves are for the benchmark, never asserted)."""

from __future__ import annotations

import gc
import json
from collections import defaultdict
from pathlib import Path

import pytest

from bench import steps

ARTICLES = [
    "某县扶贫纪实\n本报讯 今年全县投入专项扶贫资金3200万元，实施产业项目46个，带动建档立卡贫困户1800户增收。"
    "县长李小红说，2019年底全县贫困发生率降至0.8%。",
    "记者从市扶贫办获悉，全市贫困人口由2.3万人减少到1200人，易地扶贫搬迁安置点建成住房620套。",
    "",
]


def _write(tmp_path: Path) -> Path:
    path = tmp_path / "a.jsonl"
    path.write_text("".join(json.dumps({"id": str(k), "text": t}, ensure_ascii=False) + "\n"
                            for k, t in enumerate(ARTICLES)), encoding="utf-8")
    return path


def test_every_step_is_timed(tmp_path: Path) -> None:
    totals: dict[str, float] = defaultdict(float)
    steps.one_pass(_write(tmp_path), totals)
    for step in ("cleaning", "segment (sentences)", "metrics", "dates", "regions", "people",
                 "signature", "to_record", "JSON of the record"):
        assert step in totals and totals[step] >= 0.0


def test_the_benchmark_prints_each_pass_and_restores_the_collector(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    steps.main([str(_write(tmp_path)), "--passes", "3"])
    out = capsys.readouterr().out
    assert "3 warm passes" in out and gc.isenabled()
    metrics_line = next(line for line in out.splitlines() if line.strip().startswith("metrics "))
    assert len(metrics_line.split()) == 4  # the step and one figure per pass
    assert out.splitlines()[-1].strip().startswith("in all")
