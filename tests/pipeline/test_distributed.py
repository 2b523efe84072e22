"""The distributed build: partitions read as one process reads the whole input, near-duplicates
decided as the one-index deduplicator decides them, and a build on a real dask cluster (a
scheduler and two worker processes on 127.0.0.1) byte for byte the process pool's."""

from __future__ import annotations

import importlib.util
import json
import zipfile
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_ie.pipeline.dataset import OUTPUT_FILES, write_dataset
from policy_ie.pipeline.dedupe import NUM_PERM, Deduplicator
from policy_ie.pipeline.ingest import iter_documents, list_inputs
from policy_ie.pipeline.options import Options
from policy_ie.pipeline.partitioned import band_rows, pairs_in_group, plan, read_part, resolve
from policy_ie.pipeline.run import run
from policy_ie.text.document import Document

STORIES = [
    "商洛市扶贫办消息：2019年全市贫困人口由12.5万人减少到3.1万人，贫困发生率降至1.4%。",
    "商南县今年投入扶贫资金2.3亿元，实施产业扶贫项目86个，带动贫困户4100户增收。",
    "遵义市汇川区2018年实现1.2万贫困人口脱贫，易地扶贫搬迁安置3200人。",
    "记者从陕西省扶贫办获悉，截至2019年底，全省贫困人口减少到17万人。",
]


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
        spec: list[tuple[int, int, str]]) -> None:
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
    groups = defaultdict(list)
    for item in items:
        for key, row in band_rows(item):
            groups[key].append((key, row))
    pairs = [p for g in groups.items() for p in pairs_in_group(g)]
    by_id = defaultdict(list)
    for n, aid, _ in items:
        by_id[aid].append(n)
    assert resolve(pairs, [(a, s) for a, s in by_id.items() if len(s) > 1]) == expected


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


@pytest.mark.skipif(importlib.util.find_spec("distributed") is None,
                    reason="the dask extra is not installed (pip install 'policy-ie[dask]')")
def test_a_build_on_a_dask_cluster_is_byte_for_byte_the_process_pools(tmp_path: Path) -> None:
    from dask.distributed import Client, LocalCluster

    from policy_ie.pipeline import distributed

    path = _archive(tmp_path, 20)
    (tmp_path / "copy.jsonl").write_text(  # a syndicated copy in another file: a near-duplicate
        json.dumps(dict(_article(3), id="copy3", title="转载"), ensure_ascii=False) + "\n", encoding="utf-8")
    files = list_inputs([path, tmp_path / "copy.jsonl"])
    pooled = tmp_path / "pool"
    docs = run(iter_documents([], files=files), Options(), jobs=2, engine="processes", batch=2)
    write_dataset(docs, pooled)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        summary, done = distributed.build(files, tmp_path / "dask", client, Options(), 1 << 20, rows=4)
    assert done.partitions >= 5 and done.duplicates >= 1 and summary.articles == 22
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
