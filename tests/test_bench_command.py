"""``make bench``'s command benchmark runs its children and prints both ratios (on three
articles: the figures themselves are for the benchmark, never asserted here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import bench_command


def test_the_command_benchmark_prints_both_ratios(monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(bench_command, "N", 3)
    monkeypatch.setattr(bench_command, "ROUNDS", 1)
    monkeypatch.setattr(bench_command, "START_ROUNDS", 1)
    bench_command.main()
    out = capsys.readouterr().out
    for figure in ("cold extract", "over --version", "(target <= 3)", "first 3 articles",
                   "over the jieba.lcut loop", "(target <= 0.35)", "CPU"):
        assert figure in out


def test_children_keep_compiled_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    env = bench_command.environment(tmp_path)
    assert "PYTHONDONTWRITEBYTECODE" not in env and env["PYTHONPYCACHEPREFIX"] == str(tmp_path)


def test_the_articles_are_the_first_lines(tmp_path: Path) -> None:
    path, where = bench_command.articles(tmp_path, 4)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 and "first 4 articles" in where
    if bench_command.SAMPLE.is_file():
        with bench_command.SAMPLE.open(encoding="utf-8") as fh:
            assert lines == [next(fh).rstrip("\n") for _ in range(4)]


def test_the_short_article_is_short(tmp_path: Path) -> None:
    path, _ = bench_command.short_article(tmp_path)
    assert 0 < len(path.read_text(encoding="utf-8")) <= bench_command.SHORT[1]
