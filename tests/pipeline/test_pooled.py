"""The pooled build (``build --jobs N``): the partitioned plan on a local process pool gives, byte
for byte, the dataset one process gives (near-duplicates across partitions and files, a bad
input line, a reviewer's verdicts, articles off the topic with and without ``all_topics``), reads
and writes the cache in its workers, and costs a worker killed by the OS only its article."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policy_ie.pipeline import pooled
from policy_ie.pipeline import run as run_mod
from policy_ie.pipeline.cli import app
from policy_ie.pipeline.codebook import provenance
from policy_ie.pipeline.dataset import write_dataset
from policy_ie.pipeline.ingest import iter_documents, list_inputs
from policy_ie.pipeline.options import Options
from policy_ie.pipeline.partitioned import plan
from policy_ie.pipeline.run import run
from policy_ie.pipeline.verdicts import read_verdicts
from tests.pipeline.test_distributed import OFF_TOPIC, _archive, _article, _reviews, _same

runner = CliRunner()


def _dies(*args: object) -> None:
    os._exit(9)  # a worker killed by the OS


def _inputs(tmp_path: Path, n: int = 20) -> list[Path]:
    """An archive (a blank and a bad line among its articles) and a file with a syndicated copy
    of its fourth article (a near-duplicate across files and partitions) and one off the topic."""
    path = _archive(tmp_path, n)
    other = tmp_path / "copy.jsonl"
    other.write_text(json.dumps(dict(_article(3), id="copy3", title="转载"), ensure_ascii=False) + "\n"
                     + json.dumps({"id": "film", "title": "电影节开幕", "published": "2020-03-01",
                                   "text": OFF_TOPIC}, ensure_ascii=False) + "\n", encoding="utf-8")
    return [path, other]


@pytest.mark.parametrize("all_topics", [False, True])
def test_the_pooled_build_is_byte_for_byte_one_process(tmp_path: Path, all_topics: bool,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    paths = _inputs(tmp_path)
    files = list_inputs(paths)
    prov = provenance([os.fspath(p) for p in paths], {})
    docs = list(run(iter_documents([], files=files), Options(), jobs=1))
    assert any(d.duplicate_of == "n3" for d in docs if d.id == "copy3")  # the test sees a near-duplicate
    reviews = read_verdicts(_reviews(docs, tmp_path / "reviews.csv"))
    write_dataset(iter(docs), tmp_path / "one", provenance=prov, verdicts=reviews, all_topics=all_topics)
    parts = plan(files, 4)  # 7 partitions over 2 workers: merges of 8 and of 1, several buckets
    mine = read_verdicts(tmp_path / "reviews.csv")
    said: list[str] = []
    summary, got = pooled.build(files, parts, tmp_path / "pool", 2, Options(), 1 << 20, provenance=prov,
                                verdicts=mine, all_topics=all_topics, say=said.append)
    _same(tmp_path / "one", tmp_path / "pool")
    assert mine.found == reviews.found and summary.stale and len(summary.stale) == len(reviews.stale())
    dups = sum(d.duplicate_of is not None for d in docs)
    assert (got.processed, got.duplicates, got.skipped, got.cached) == (len(docs), dups, 1, 0) and dups > 1
    assert said == [w for d in docs for w in d.warnings] and any("news.jsonl:8" in w for w in said)
    assert (tmp_path / "pool" / "parts" / "facts" / "part-00006.parquet").is_file()
    assert not list((tmp_path / "pool").glob(".policy-ie-parts.*"))  # its temporary folder is gone


def test_build_jobs_2_is_the_pooled_build_with_the_cache_in_its_workers(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    paths = _inputs(tmp_path, 70)  # 72 articles: enough for a pool of two (LEAST_PER_WORKER)
    args = [a for p in paths for a in ("--input", str(p))]
    one = runner.invoke(app, ["build", *args, "--output", str(tmp_path / "one"), "--jobs", "1", "--no-cache"])
    assert pooled.partitions(list_inputs(paths), 2) is not None
    two = runner.invoke(app, ["build", *args, "--output", str(tmp_path / "two"), "--jobs", "2"])
    assert one.exit_code == two.exit_code == 1  # the bad line is an input skipped
    _same(tmp_path / "one", tmp_path / "two")
    assert (tmp_path / "two" / "parts").is_dir() and not (tmp_path / "one" / "parts").exists()
    said = [next(x for x in r.stderr.splitlines() if x.startswith("wrote")) for r in (one, two)]
    assert said[0].replace("/one", "/two") == said[1] and "(73 extracted, 0 from the cache, " in said[1]
    dups = said[1].split(" from the cache, ")[1].split(" ")[0]
    assert one.stderr.count("warning: ") == two.stderr.count("warning: ") == 1
    assert "1 of 73 inputs skipped" in two.stderr
    # the workers stored every article read: a forced rebuild reads them back (on a terminal: with a bar)
    from rich.console import Console

    from policy_ie.pipeline import cli

    monkeypatch.setattr(cli, "err", Console(stderr=True, force_terminal=True, soft_wrap=True, highlight=False))
    again = runner.invoke(app, ["build", *args, "--output", str(tmp_path / "two"), "--jobs", "2", "--force"])
    assert "near-duplicates" in again.stderr.split("warning:")[0] and "building" in again.stderr
    assert f"(1 extracted, 72 from the cache, {dups} near-duplicates" in again.stderr, again.stderr
    _same(tmp_path / "one", tmp_path / "two")
    # the entries carry the signatures of the near-duplicate pass: one process marks the same copies
    three = runner.invoke(app, ["build", *args, "--output", str(tmp_path / "three"), "--jobs", "1",
                                "--cache-dir", str(tmp_path / "two" / ".cache")])
    assert f"(1 extracted, 72 from the cache, {dups} near-duplicates" in three.stderr, three.stderr
    _same(tmp_path / "one", tmp_path / "three")
    same = runner.invoke(app, ["build", *args, "--output", str(tmp_path / "two"), "--jobs", "2"])
    assert same.exit_code == 1 and "is up to date" in same.stderr


def test_a_few_articles_or_one_archive_keep_the_article_by_article_pool(tmp_path: Path) -> None:
    small = _archive(tmp_path, 20)
    assert pooled.partitions(list_inputs([small]), 2) is None  # fewer than 32 a worker
    packed = tmp_path / "big.jsonl.gz"
    import gzip

    packed.write_bytes(gzip.compress((small.read_text(encoding="utf-8") * 5).encode("utf-8")))
    assert pooled.partitions(list_inputs([packed]), 2) is None  # one partition: nothing to share


@pytest.mark.parametrize("step", ["segment", "clean"])
def test_a_killed_worker_costs_only_its_article(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str) -> None:
    """The article its worker dies on (alone, on a fresh pool) is skipped with the article-by-article
    pool's warning; every other article of its partition, and of the partition that ran beside it,
    is written as one process writes it. ``clean``: it dies in the near-duplicate pass too."""
    import policy_ie.text.clean as clean_mod

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    real = getattr(run_mod, step)

    def dies(doc: object, *args: object) -> None:
        if "杀" in doc.text:  # type: ignore[attr-defined]
            os._exit(9)  # the worker dies as if killed by the OS
        real(doc, *args)

    path = _archive(tmp_path, 16)
    lines = path.read_text(encoding="utf-8").splitlines()
    killer = dict(_article(30), id="k", text="杀" + _article(30)["text"])
    lines.insert(10, json.dumps(killer, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    files = list_inputs([path])
    prov = provenance([os.fspath(path)], {})
    monkeypatch.setattr(run_mod, step, dies)
    if step == "clean":
        monkeypatch.setattr(clean_mod, "clean", dies)
    old = list(run(iter_documents([], files=files), Options(), jobs=2, engine="processes", batch=2))
    killed = next(d for d in old if d.id == "k")
    assert not killed.text and "skipped: processing in a worker (run again with --jobs 1" in killed.warnings[-1]
    write_dataset(iter(old), tmp_path / "old", provenance=prov)
    said: list[str] = []
    _, got = pooled.build(files, plan(files, 5), tmp_path / "pool", 2, Options(), 1 << 20, provenance=prov,
                          say=said.append)
    _same(tmp_path / "old", tmp_path / "pool")
    assert said == [w for d in old for w in d.warnings] and (got.read, got.skipped) == (16, 2)


def test_a_task_that_kills_its_worker_outside_any_article_fails_the_build(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    files = list_inputs([_archive(tmp_path, 12)])
    monkeypatch.setattr(pooled, "merge", _dies)
    with pytest.raises(RuntimeError, match="died twice running the task merge"):
        pooled.build(files, plan(files, 4), tmp_path / "out", 2, Options(), 1 << 20)
    assert not list((tmp_path / "out").glob(".policy-ie-parts.*"))


def test_an_article_over_the_time_limit_is_skipped_in_its_worker(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    real = run_mod.segment

    def slow(doc: object, backend: str) -> None:
        if "慢" in doc.text:  # type: ignore[attr-defined]
            time.sleep(3)
        real(doc, backend)  # type: ignore[arg-type]

    path = _archive(tmp_path, 12)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(dict(_article(31), id="slow", text="慢" + _article(31)["text"]), ensure_ascii=False) + "\n")
    files = list_inputs([path])
    prov = provenance([os.fspath(path)], {})
    # warm: a limit that fires while an extractor loads its data (here under 0.5 s) may cost that
    # article some results rather than skip it (an extractor's own fallback catches it)
    list(run(iter_documents([], files=files), Options(), jobs=1))
    monkeypatch.setattr(run_mod, "segment", slow)
    old = list(run(iter_documents([], files=files), Options(), jobs=1, time_limit=0.5))
    assert any("over the time limit of 0.5 s" in w for d in old if d.id == "slow" for w in d.warnings)
    write_dataset(iter(old), tmp_path / "old", provenance=prov)
    said: list[str] = []
    _, got = pooled.build(files, plan(files, 4), tmp_path / "pool", 2, Options(), 1 << 20, time_limit=0.5,
                          provenance=prov, say=said.append)
    _same(tmp_path / "old", tmp_path / "pool")
    assert said == [w for d in old for w in d.warnings] and got.skipped == 2
