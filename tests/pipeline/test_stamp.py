"""The build stamp: a second build with nothing changed does no work; any change rebuilds."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policy_ie.pipeline import stamp
from policy_ie.pipeline.cli import app
from policy_ie.pipeline.dataset import FILES

runner = CliRunner()


@pytest.fixture()
def corpus(tmp_path: Path, seeds_dir: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for p in sorted(seeds_dir.glob("*.txt"))[:2]:
        shutil.copy(p, folder / p.name)
    return folder


def build(corpus: Path, out: Path, *extra: str) -> str:
    res = runner.invoke(app, ["build", "--input", str(corpus), "--output", str(out), "--jobs", "1", *extra])
    assert res.exit_code == 0, res.output
    return res.output


def mtimes(out: Path) -> dict[str, int]:
    return {name: (out / name).stat().st_mtime_ns for name in FILES}


def test_a_second_build_with_nothing_changed_writes_nothing(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build(corpus, out)
    assert "wrote 2 articles" in first and (out / stamp.NAME).is_file()
    before = mtimes(out)
    second = build(corpus, out)
    assert "is up to date" in second and "2 articles" in second
    assert mtimes(out) == before


def test_a_changed_input_rebuilds_from_the_cache(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(corpus, out)
    article = sorted(corpus.glob("*.txt"))[0]
    article.write_text(article.read_text(encoding="utf-8") + "\n新增一段。", encoding="utf-8")
    again = build(corpus, out)
    assert "wrote 2 articles" in again and "1 extracted, 1 from the cache" in again


def test_an_input_touched_or_copied_without_change_is_still_up_to_date(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(corpus, out)
    before = mtimes(out)
    article = sorted(corpus.glob("*.txt"))[0]
    os.utime(article, ns=(article.stat().st_atime_ns, article.stat().st_mtime_ns + 10**9))
    assert "is up to date" in build(corpus, out)  # the times changed, the bytes did not
    assert mtimes(out) == before
    assert "is up to date" in build(corpus, out)  # and the stamp now has the new times


def test_a_new_input_file_an_option_or_force_rebuilds(corpus: Path, tmp_path: Path, seeds_dir: Path) -> None:
    out = tmp_path / "out"
    build(corpus, out)
    assert "wrote" in build(corpus, out, "--no-dedupe")  # an option that changes records
    assert "up to date" in build(corpus, out, "--no-dedupe")
    assert "wrote" in build(corpus, out, "--no-dedupe", "--force")
    shutil.copy(sorted(seeds_dir.glob("*.txt"))[2], corpus / "third.txt")
    assert "wrote 3 articles" in build(corpus, out, "--no-dedupe")


def test_all_topics_is_an_option_of_the_build(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(corpus, out)
    assert "wrote" in build(corpus, out, "--all-topics")
    assert "up to date" in build(corpus, out, "--all-topics")
    assert "wrote" in build(corpus, out)


def test_an_edited_or_missing_dataset_file_rebuilds(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(corpus, out)
    with (out / "comparison.md").open("a", encoding="utf-8") as fh:
        fh.write("edited by hand\n")
    assert "wrote" in build(corpus, out)
    (out / "report.html").unlink()
    assert "wrote" in build(corpus, out)
    assert (out / "report.html").is_file()


def test_the_stamp_is_removed_before_a_build_replaces_anything(corpus: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    build(corpus, out)
    article = sorted(corpus.glob("*.txt"))[0]
    article.write_text(article.read_text(encoding="utf-8") + "\n新增一段。", encoding="utf-8")  # work to do

    def fail(*_args: object, **_kw: object) -> None:
        assert not (out / stamp.NAME).exists()
        raise KeyboardInterrupt

    monkeypatch.setattr("policy_ie.pipeline.dataset.write_dataset", fail)
    res = runner.invoke(app, ["build", "--input", str(corpus), "--output", str(out), "--jobs", "1"])
    assert res.exit_code != 0
    assert not (out / stamp.NAME).exists()  # so the next build cannot take the folder as up to date
    monkeypatch.undo()
    assert "wrote" in build(corpus, out)


def test_a_damaged_stamp_means_a_build(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(corpus, out)
    (out / stamp.NAME).write_text("{not json", encoding="utf-8")
    assert "wrote" in build(corpus, out)
    assert stamp.up_to_date(out, "another key") is None


def test_an_up_to_date_build_loads_no_extraction_code(corpus: Path, tmp_path: Path) -> None:
    """The no-op rebuild costs little more than starting Python: the extractors, the
    gazetteer, the segmenters, numpy and the dataset writers are never imported."""
    import subprocess
    import sys

    out = tmp_path / "out"
    build(corpus, out)
    probe = ("import runpy, sys\n"
             f"sys.argv = ['policy-ie', 'build', '--input', {str(corpus)!r}, '--output', {str(out)!r}]\n"
             "try:\n    runpy.run_module('policy_ie.pipeline', run_name='__main__')\n"
             "except SystemExit as e:\n    assert e.code == 0, e.code\n"
             "print(' '.join(sorted(sys.modules)))\n")
    res = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "is up to date" in res.stderr
    loaded = set(res.stdout.split())
    heavy = {"policy_ie.pipeline.run", "policy_ie.extractors.words", "policy_ie.text.clean",
             "policy_ie.pipeline.dataset", "policy_ie.pipeline.ingest.readers", "policy_ie.extractors.regions",
             "policy_ie.extractors.gazetteer", "numpy", "pyarrow", "jieba", "rjieba"}
    assert loaded & heavy == set()
