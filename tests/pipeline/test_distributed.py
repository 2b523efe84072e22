"""The distributed build: partitions read as one process reads the whole input, near-duplicates
decided as the one-index deduplicator decides them, and a build on a real dask cluster (a
scheduler and two worker processes on 127.0.0.1) byte for byte the process pool's, with a
reviewer's verdicts and an article off the topic, with and without ``all_topics``."""

from __future__ import annotations

import csv
import importlib.util
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_ie.pipeline.codebook import provenance
from policy_ie.pipeline.dataset import OUTPUT_FILES, write_dataset
from policy_ie.pipeline.dedupe import NUM_PERM, Deduplicator
from policy_ie.pipeline.facts import facts_of
from policy_ie.pipeline.ingest import iter_documents, list_inputs
from policy_ie.pipeline.options import Options
from policy_ie.pipeline.partitioned import plan, read_part
from policy_ie.pipeline.run import run
from policy_ie.pipeline.verdicts import REQUIRED, read_verdicts
from policy_ie.text.document import Document

STORIES = [
    "商洛市扶贫办消息：2019年全市贫困人口由12.5万人减少到3.1万人，贫困发生率降至1.4%。",
    "商南县今年投入扶贫资金2.3亿元，实施产业扶贫项目86个，带动贫困户4100户增收。",
    "遵义市汇川区2018年实现1.2万贫困人口脱贫，易地扶贫搬迁安置3200人。",
    "记者从陕西省扶贫办获悉，截至2019年底，全省贫困人口减少到17万人。",
]
#: an article off the topic (its score below topic.yaml's threshold) with a figure of a city
OFF_TOPIC = "商洛市第五届电影节昨日开幕，本届电影节投入资金3000万元，8名艺术家担任评委，120部影片参展。"

#: the in-memory near-duplicate resolution of conftest (rows, ids, signatures -> copies)
Resolution = Callable[[list[tuple[int, str, bytes]]], dict[int, str]]


def _article(i: int) -> dict[str, str]:
    text = STORIES[i % len(STORIES)] + f"据统计，第{i}批帮扶干部已全部到位。" * (1 + i % 3)
    return {"id": f"n{i}", "title": f"扶贫简报{i}", "published": f"2020-0{1 + i % 9}-15", "text": text}


def _archive(tmp_path: Path, n: int = 14) -> Path:
    lines = [json.dumps(_article(i), ensure_ascii=False) for i in range(n)]
    lines.insert(5, "")  # a blank line keeps its number
    lines.insert(7, "{not json")  # a bad line is a record of its own, numbered as in the file
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_partitions_read_the_articles_of_the_whole_file_numbered_as_in_it(tmp_path: Path) -> None:
    files = list_inputs([_archive(tmp_path)])
    whole = [(d.id, d.text, d.warnings) for d in iter_documents([], files=files)]
    parts = plan(files, 4)
    assert len(parts) == 4 and all(p.span is not None for p in parts)  # 16 lines
    cut = [(d.id, d.text, d.warnings) for p in parts for d in read_part(p, 1 << 20)]
    assert cut == whole
    assert any("news.jsonl:8" in w for _, _, ws in cut for w in ws)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 20), st.sampled_from("abcdefgh")), min_size=1, max_size=25))
def test_resolving_the_similar_pairs_marks_what_the_one_index_deduplicator_marks(
        in_memory_resolution: Resolution, spec: list[tuple[int, int, str]]) -> None:
    rng = np.random.default_rng(7)
    bases = rng.integers(0, 2**32, size=(6, NUM_PERM), dtype=np.uint64)
    docs, items = [], []
    for n, (base, noise, aid) in enumerate(spec):
        sig = bases[base].copy()
        sig[:noise] = rng.integers(0, 2**32, size=noise, dtype=np.uint64)  # noise changes: less alike
        docs.append(Document(id=aid, path="p", text="x", signature=sig.tolist()))
        items.append((n, aid, sig.astype(np.uint32).tobytes()))
    dedup = Deduplicator()
    expected = {n: d.duplicate_of for n, d in enumerate(docs) if dedup.mark(d).duplicate_of}
    assert in_memory_resolution(items) == expected


def _same(a: Path, b: Path) -> None:
    for name in OUTPUT_FILES:
        if name.endswith(".xlsx"):  # the same but for its creation time
            with zipfile.ZipFile(a / name) as x, zipfile.ZipFile(b / name) as y:
                assert sorted(x.namelist()) == sorted(y.namelist())
                for member in x.namelist():
                    if member != "docProps/core.xml":
                        assert x.read(member) == y.read(member), member
        else:
            assert (a / name).read_bytes() == (b / name).read_bytes(), name


def _reviews(docs: list[Document], path: Path) -> Path:
    """A verdicts file on the first figure of articles: every mention of the second story's
    rejected (the value out of its cell), one of the first's rejected (the value stays), the
    third's accepted, and, last, a verdict on a mention no article gives (stale)."""
    rows = []
    for doc in docs:
        n = int(doc.id[1:]) if doc.id[0] == "n" and doc.id[1:].isdigit() else -1
        if n % 4 == 1 or n in (0, 2):
            metric = next(f for f in facts_of(doc) if f["kind"] == "metric")
            rows.append({**{k: metric[k] for k in ("article_id", "start", "end", "value")},
                         "verdict": "accept" if n == 2 else "reject"})
    rows.append({"article_id": "gone", "start": 0, "end": 3, "value": 7, "verdict": "reject"})
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, REQUIRED)
        w.writeheader()
        w.writerows(rows)
    return path


@pytest.mark.skipif(importlib.util.find_spec("distributed") is None,
                    reason="the dask extra is not installed (pip install 'policy-ie[dask]')")
@pytest.mark.parametrize("all_topics", [False, True])
def test_a_build_on_a_dask_cluster_is_byte_for_byte_the_process_pools(tmp_path: Path, all_topics: bool) -> None:
    from dask.distributed import Client, LocalCluster

    from policy_ie.pipeline import distributed

    path = _archive(tmp_path, 20)
    (tmp_path / "copy.jsonl").write_text(  # a syndicated copy in another file: a near-duplicate
        json.dumps(dict(_article(3), id="copy3", title="转载"), ensure_ascii=False) + "\n"
        + json.dumps({"id": "film", "title": "电影节开幕", "published": "2020-03-01", "text": OFF_TOPIC},
                     ensure_ascii=False) + "\n", encoding="utf-8")
    files = list_inputs([path, tmp_path / "copy.jsonl"])
    pooled = tmp_path / "pool"
    docs = list(run(iter_documents([], files=files), Options(), jobs=2, engine="processes", batch=2))
    reviews = _reviews(docs, tmp_path / "reviews.csv")
    # stale: the last line's, and those on a near-duplicate's figures (the table leaves them out)
    stale = sorted(i + 2 for i, d in enumerate(read_verdicts(reviews).by_key.values())
                   if d.article_id == "gone" or any(x.id == d.article_id and x.duplicate_of for x in docs))
    prov = provenance([str(path)], {"all_topics": all_topics})  # one build time for both
    one = write_dataset(docs, pooled, provenance=prov, verdicts=read_verdicts(reviews), all_topics=all_topics)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        summary, done = distributed.build(files, tmp_path / "dask", client, Options(), 1 << 20, rows=4,
                                          provenance=prov, verdicts=read_verdicts(reviews), all_topics=all_topics)
    assert done.partitions >= 5 and done.duplicates >= 1 and summary.articles == 23
    assert (summary.off_topic, one.off_topic) == ((0, 0) if all_topics else (1, 1))
    assert [v.line for v in summary.stale] == [v.line for v in one.stale] == stale
    assert summary.verdicts == one.verdicts == 8 and summary.out_of_scope == one.out_of_scope
    # the verdicts reached the table: a value rejected, a cell accepted
    assert ",rejected," in (pooled / "comparison_sources.csv").read_text(encoding="utf-8")
    assert "accepted" in (pooled / "comparison.csv").read_text(encoding="utf-8")
    _same(pooled, tmp_path / "dask")
    assert sorted(p.name for p in (tmp_path / "dask" / "parts" / "facts").iterdir())[0] == "part-00000.parquet"


def test_the_fact_files_put_together_from_partitions_are_the_one_writers(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from policy_ie.pipeline import dataset, partitioned

    for module in (dataset, partitioned):  # row groups smaller than a partition's facts
        monkeypatch.setattr(module, "ROW_GROUP", 7)
    files = list_inputs([_archive(tmp_path)])
    write_dataset(run(iter_documents([], files=files), dedupe=False), tmp_path / "one")
    folder = str(tmp_path / "parts")
    results = [partitioned.write_part(p, {}, folder, Options(), 1 << 20, None, 300).meta() for p in plan(files, 4)]
    assert partitioned.assemble_facts(results, folder) > 7 * len(results)
    for name in ("facts.parquet", "facts.csv"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "parts" / name).read_bytes(), name


def test_the_merged_aggregators_files_are_made_from_one_result_of_it_without_copies(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """assemble_merged writes what the three assembling functions write, each from its own deep
    copy, from the one aggregator it is given: it never copies it (a copy grows with the distinct
    values of every cell) and asks for its result once."""
    import copy

    from policy_ie.pipeline import partitioned
    from policy_ie.pipeline.aggregate import Aggregator

    files = list_inputs([_archive(tmp_path)])
    prov = provenance(["news.jsonl"], {})

    def merged_agg(folder: str) -> tuple[list[partitioned.PartResult], Aggregator]:
        results = [partitioned.write_part(p, {}, folder, Options(), 1 << 20, None, 3) for p in plan(files, 4)]
        aggs = [r.agg for r in results]
        agg = aggs[0]
        for other in aggs[1:]:
            agg = partitioned.merge_parts(agg, other)
        return [r.meta() for r in results], agg

    apart = str(tmp_path / "apart")
    metas, agg = merged_agg(apart)
    tables = partitioned.assemble_tables(agg, apart, metas, prov)
    shown = partitioned.assemble_report(metas, agg, apart, 3, prov)
    partitioned.assemble_database(metas, agg, apart)
    together = str(tmp_path / "together")
    metas, agg = merged_agg(together)
    results = []
    real = Aggregator.result

    def counted(self: Aggregator) -> object:
        results.append(self)
        return real(self)

    monkeypatch.setattr(Aggregator, "result", counted)
    monkeypatch.setattr(copy, "deepcopy", lambda *a: pytest.fail("the merged aggregator was copied"))
    assert partitioned.assemble_merged(agg, together, metas, 3, prov) == (tables, shown)
    assert results == [agg]
    names = ["comparison.csv", "comparison_sources.csv", "panel.csv", "panel.parquet", "comparison.md",
             "report.html", "policy_ie.sqlite"]
    for name in names:
        assert (tmp_path / "apart" / name).read_bytes() == (tmp_path / "together" / name).read_bytes(), name


def test_a_trimmed_task_returns_its_functions_value_and_gives_memory_back_after_it(monkeypatch) -> None:
    from policy_ie.pipeline import distributed

    calls: list[str] = []
    monkeypatch.setattr(distributed, "release_memory", lambda: calls.append("trim") or True)

    def double(x: int, *, by: int = 2) -> int:
        calls.append("task")
        if x < 0:
            raise ValueError("negative")
        return x * by

    task = distributed.Trimmed(double)
    assert task(21) == 42 and task(2, by=5) == 10
    assert calls == ["task", "trim", "task", "trim"]
    with pytest.raises(ValueError, match="negative"):
        task(-1)
    assert calls[-2:] == ["task", "trim"]  # a failing task gives its memory back too
    assert task.__name__ == "double"  # the graph's keys keep the function's name


def test_releasing_memory_gives_freed_heap_pages_back_on_glibc() -> None:
    import platform

    from policy_ie.pipeline.distributed import release_memory

    if platform.libc_ver()[0] != "glibc":
        assert release_memory() is False or release_memory() is True
        return
    blocks = [bytearray(100_000) for _ in range(1000)]  # 100 MB under glibc's mmap threshold
    del blocks[::2]  # holes between the kept blocks: only malloc_trim gives those pages back
    assert release_memory() is True
    del blocks


@pytest.mark.skipif(importlib.util.find_spec("distributed") is None,
                    reason="the dask extra is not installed")
def test_the_local_clusters_workers_keep_no_profile_of_every_second() -> None:
    import dask

    from policy_ie.pipeline.run import _dask_client

    with _dask_client(1, None) as client:
        enabled = client.run(lambda: dask.config.get("distributed.worker.profile.enabled"))
    assert list(enabled.values()) == [False]
    assert dask.config.get("distributed.worker.profile.enabled") is True  # the client's own is as it was
