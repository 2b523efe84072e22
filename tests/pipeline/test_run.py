"""The batch runner: order, engines, cache, near-duplicates, failures, hostile input."""

from __future__ import annotations

import importlib.util
import json
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policy_ie.pipeline.cache as cache_mod
from policy_ie.extractors.registry import REGISTRY, Extractor
from policy_ie.pipeline import run as run_mod
from policy_ie.pipeline.cache import Cache
from policy_ie.pipeline.run import Options, RunStats, process, run
from policy_ie.text.document import Document

STORY = ("某县：党建引领脱贫攻坚\n2019年10月17日 来源：某某日报\n"
         "  近年来，某县坚持把党建工作与脱贫攻坚深度融合，全县贫困人口由3.2万人减少到1200人，"
         "累计投入扶贫资金1.45亿元，实施扶贫项目232个，选派第一书记128名，"
         "贫困发生率由12.5%下降到0.8%。“五个一批”扎实推进，群众获得感不断增强。\n")
OTHER = ("另一县：产业扶贫见实效\n2020年5月3日\n"
         "  今年以来，另一县依托特色产业，带动贫困户增收，建成扶贫车间45个，吸纳就业2300人，"
         "发放小额信贷8000万元，易地扶贫搬迁安置点配套完善，搬迁群众稳得住、能致富。\n")


def make_docs() -> list[Document]:
    return [Document(id=f"a{i}", path=f"a{i}.txt", text=t) for i, t in enumerate([STORY, OTHER, STORY + "（完）"])]


def records(docs: list[Document]) -> list[dict]:
    return [d.to_record() for d in docs]


def test_processes_engine_keeps_input_order_and_results() -> None:
    local = records(list(run(make_docs(), jobs=1)))
    pooled = records(list(run(make_docs(), jobs=2, engine="processes", window=2)))
    assert local == pooled
    assert [r["id"] for r in local] == ["a0", "a1", "a2"]


def test_near_duplicates_are_marked_with_the_first_copy() -> None:
    out = list(run(make_docs()))
    assert [d.duplicate_of for d in out] == [None, None, "a0"]
    assert [d.duplicate_of for d in run(make_docs(), dedupe=False)] == [None, None, None]


def test_cache_hit_miss_and_one_changed_article(tmp_path: Path) -> None:
    c = Cache(tmp_path)
    stats = RunStats()
    first = records(list(run(make_docs(), cache_=c, stats=stats)))
    assert (stats.processed, stats.cached) == (3, 0)
    stats = RunStats()
    again = records(list(run(make_docs(), cache_=c, stats=stats)))
    assert (stats.processed, stats.cached) == (0, 3)
    assert again == first
    docs = make_docs()
    docs[1].text = docs[1].text.replace("45个", "46个")
    stats = RunStats()
    list(run(docs, cache_=c, stats=stats))
    assert (stats.processed, stats.cached) == (1, 2)
    c.close()


def test_cache_is_invalidated_by_a_new_pipeline_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    c = Cache(tmp_path)
    list(run(make_docs(), cache_=c))
    monkeypatch.setattr(cache_mod, "fingerprint", lambda: "another-version")
    stats = RunStats()
    list(run(make_docs(), cache_=c, stats=stats))
    assert (stats.processed, stats.cached) == (3, 0)
    c.close()


def test_a_damaged_cache_entry_is_extracted_again(tmp_path: Path) -> None:
    c = Cache(tmp_path)
    list(run(make_docs(), cache_=c))
    c._db.execute("UPDATE docs SET state = X'00'")
    stats = RunStats()
    list(run(make_docs(), cache_=c, stats=stats))
    assert stats.processed == 3
    c.close()


def test_a_cache_entry_leaves_out_the_text_its_key_holds(tmp_path: Path) -> None:
    c = Cache(tmp_path)
    list(run(make_docs(), cache_=c))
    (blob,) = c._db.execute("SELECT state FROM docs LIMIT 1").fetchone()
    stored = zlib.decompress(blob[cache_mod.CHECK:]).decode("utf-8")
    assert "近年来，某县坚持" not in stored and "今年以来，另一县依托" not in stored
    c.close()


def test_document_state_round_trips_through_the_cache_format() -> None:
    doc = process(Document(id="x", path="x.txt", text=STORY))
    back = Document.from_state(json.loads(json.dumps(doc.to_state())), doc.text)
    assert back.to_record() == doc.to_record()
    assert back.view.text == doc.view.text and back.sentences == doc.sentences


def test_a_failing_extractor_becomes_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(doc: Document) -> list:
        raise RuntimeError("bad luck")

    monkeypatch.delitem(REGISTRY, "programmes")  # one extractor per field: boom stands in for it
    monkeypatch.setitem(REGISTRY, "boom", Extractor("boom", "programmes", boom))
    run_mod._extractors.cache_clear()
    try:
        (doc,) = run([Document(id="x", path="x.txt", text=STORY)], Options(extractors=("boom",)))
    finally:
        run_mod._extractors.cache_clear()
    assert "extractor 'boom' failed" in doc.warnings[0] and "bad luck" in doc.warnings[0]
    assert doc.meta.title == "某县：党建引领脱贫攻坚"


def test_a_batch_that_fails_in_its_worker_costs_only_the_bad_article(monkeypatch: pytest.MonkeyPatch) -> None:
    # forked workers inherit the patched registry; a result holding a lambda cannot be sent back
    def unsendable(doc: Document) -> list:
        if "另一县" in doc.text:
            doc.meta.url = lambda: None  # type: ignore[assignment]
        return []

    monkeypatch.delitem(REGISTRY, "programmes")
    monkeypatch.setitem(REGISTRY, "unsendable", Extractor("unsendable", "programmes", unsendable))
    run_mod._extractors.cache_clear()
    try:
        docs = [Document(id=d.id, path=d.path, text=d.text) for _ in range(3) for d in make_docs()]
        out = list(run(docs, Options(extractors=("unsendable",)), jobs=2, engine="processes", batch=4, dedupe=False))
    finally:
        run_mod._extractors.cache_clear()
    assert [d.id for d in out] == ["a0", "a1", "a2"] * 3
    failed = [d.id for d in out if d.warnings]
    assert failed == ["a1", "a1", "a1"]
    assert all("skipped: processing in a worker" in d.warnings[0] for d in out if d.warnings)
    assert all(d.meta.title for d in out if not d.warnings)  # the others were processed


@pytest.mark.parametrize("batch, window", [(1, None), (3, 2), (8, None)])
def test_batches_of_any_size_keep_order_and_results(batch: int, window: int | None) -> None:
    def docs() -> list[Document]:
        return [Document(id=f"{d.id}-{i}", path=d.path, text=d.text) for i in range(2) for d in make_docs()]

    local = records(list(run(docs(), jobs=1)))
    pooled = records(list(run(docs(), jobs=2, engine="processes", batch=batch, window=window)))
    assert pooled == local
    assert [r["duplicate_of"] for r in local] == [None, None, "a0-0", "a0-0", "a1-0", "a0-0"]


@pytest.mark.parametrize("text", [
    "1" * 200_000,
    "“" * 5000 + "五在村" + "”" * 5000 + "机制",
    "\x00\x01\x02贫困人口\x07\x1b[31m48.9万\x7f\u202e\ufeff",
    ("贫困村" + "、" * 2000 + "个") * 20,
    "（" * 3000 + "2016年" + "）" * 3000,
])
def test_hostile_texts_are_processed_with_offsets_inside(text: str) -> None:
    doc = process(Document(id="h", path="h.txt", text=text))
    for field in ("metrics", "programmes", "dates", "regions"):
        for m in getattr(doc, field):
            assert 0 <= m.start < m.end <= len(text) and text[m.start:m.end] == m.text


GENRE_CHARS = list("贫困人口户村县市省万亿元个名项%年月日至由到从减少增加"
                   "“”《》（）:：，。\n 0123456789０１２十百千两二三四五〇.")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(GENRE_CHARS), max_size=300))
def test_process_never_raises_and_offsets_are_inside_the_text(text: str) -> None:
    doc = process(Document(id="p", path="p.txt", text=text))
    for field in ("metrics", "programmes", "dates", "regions"):
        for m in getattr(doc, field):
            assert 0 <= m.start < m.end <= len(text) and text[m.start:m.end] == m.text


@pytest.mark.skipif(importlib.util.find_spec("distributed") is None,
                    reason="the dask extra is not installed (pip install 'policy-ie[dask]')")
def test_dask_engine_on_a_local_cluster_gives_the_same_records() -> None:
    local = records(list(run(make_docs())))
    on_dask = records(list(run(make_docs(), jobs=2, engine="dask")))
    assert on_dask == local


def test_the_collector_threshold_is_raised_during_a_run_and_restored_after() -> None:
    import gc

    before = gc.get_threshold()
    seen = []
    for doc in run(make_docs(), jobs=1):
        seen.append(gc.get_threshold()[0])
        assert doc.id
    assert all(t >= 50_000 for t in seen)
    assert gc.get_threshold() == before


# -- the per-article guard (issue 19) ---------------------------------------------------------
def test_a_stage_that_fails_skips_its_article_and_the_batch_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    real = run_mod.segment

    def segment(doc: Document, backend: str) -> None:
        if "另一县" in doc.text:
            raise RecursionError("maximum recursion depth exceeded")
        real(doc, backend)

    monkeypatch.setattr(run_mod, "segment", segment)
    out = list(run(make_docs(), jobs=1, dedupe=False))
    assert [d.id for d in out] == ["a0", "a1", "a2"]
    assert out[0].metrics and out[2].metrics
    bad = out[1]
    assert bad.text == "" and not bad.metrics
    assert bad.warnings[-1].startswith("a1.txt, article 'a1': skipped: processing failed (RecursionError")
    assert "please report this article" in bad.warnings[-1]
    assert bad.to_record()["warnings"] == bad.warnings


# -- a cache that heals (issue 19) ------------------------------------------------------------
def test_a_garbled_cache_file_is_moved_aside_and_the_output_is_a_clean_builds(tmp_path: Path) -> None:
    clean = records(list(run(make_docs(), jobs=1)))
    c = Cache(tmp_path)
    list(run(make_docs(), cache_=c))
    c.close()
    data = (tmp_path / "cache.sqlite").read_bytes()
    (tmp_path / "cache.sqlite").write_bytes(b"garbage!" * 64 + data[512:])  # the header overwritten
    c = Cache(tmp_path)
    assert len(c.warnings) == 1 and "moved aside to cache.sqlite.corrupt-" in c.warnings[0]
    assert any(p.name.startswith("cache.sqlite.corrupt-") for p in tmp_path.iterdir())
    stats = RunStats()
    assert records(list(run(make_docs(), cache_=c, stats=stats))) == clean
    assert stats.processed == 3
    c.close()


def test_a_truncated_cache_file_is_recovered_from(tmp_path: Path) -> None:
    c = Cache(tmp_path)
    list(run(make_docs(), cache_=c))
    c.close()
    path = tmp_path / "cache.sqlite"
    path.write_bytes(path.read_bytes()[:100])
    c = Cache(tmp_path)
    assert c.warnings and records(list(run(make_docs(), cache_=c))) == records(list(run(make_docs(), jobs=1)))
    c.close()


def test_a_cache_that_fails_mid_build_is_set_aside(tmp_path: Path) -> None:
    import sqlite3

    c = Cache(tmp_path)

    class Broken:
        def execute(self, *a: object) -> object:
            raise sqlite3.DatabaseError("database disk image is malformed")

        def close(self) -> None:
            pass

    c._db = Broken()  # type: ignore[assignment]
    stats = RunStats()
    assert records(list(run(make_docs(), cache_=c, stats=stats))) == records(list(run(make_docs(), jobs=1)))
    assert stats.processed == 3 and "failed during the build" in c.warnings[0] and len(c.warnings) == 1
    c.close()


def test_an_entry_edited_by_hand_is_not_trusted(tmp_path: Path) -> None:
    c = Cache(tmp_path)
    list(run(make_docs(), cache_=c))
    c.commit()
    for key, blob in c._db.execute("SELECT key, state FROM docs").fetchall():
        state = json.loads(zlib.decompress(blob[cache_mod.CHECK:]))
        state["mentions"]["metrics"] = []  # a plausible edit, well-formed JSON
        body = zlib.compress(json.dumps(state, ensure_ascii=False).encode("utf-8"))
        c._db.execute("UPDATE docs SET state = ? WHERE key = ?", (blob[:cache_mod.CHECK] + body, key))
    stats = RunStats()
    out = list(run(make_docs(), cache_=c, stats=stats))
    assert stats.processed == 3 and all(d.metrics for d in out)
    c.close()


def test_a_killed_worker_costs_only_its_article(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pool is renewed: the articles in flight are tried again, the killer is recorded as failed."""
    import os

    real = run_mod.segment

    def segment(doc: Document, backend: str) -> None:
        if "杀" in doc.text:
            os._exit(9)  # the worker dies as if killed by the OS
        real(doc, backend)

    monkeypatch.setattr(run_mod, "segment", segment)
    docs = [*make_docs(), Document(id="k", path="k.txt", text="杀" + STORY), *make_docs()]
    for i, d in enumerate(docs):
        d.id = f"{d.id}-{i}"
    out = list(run(docs, jobs=2, engine="processes", dedupe=False, batch=2))
    assert [d.id for d in out] == [d.id for d in docs]
    killed = out[3]
    assert not killed.text and "skipped: processing in a worker (run again with --jobs 1" in killed.warnings[-1]
    assert all(d.metrics and not d.warnings for i, d in enumerate(out) if i != 3)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            return not any(line.startswith("State:") and "Z" in line for line in fh)
    except FileNotFoundError:
        return False


def test_workers_exit_when_their_build_is_killed(tmp_path: Path) -> None:
    import subprocess
    import sys
    import time

    script = tmp_path / "killed_build.py"
    script.write_text(
        "import os, signal\n"
        "from policy_ie.pipeline.run import _RenewedPool\n"
        "pool = _RenewedPool(1)\n"
        "print(pool.submit(os.getpid).result(), flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n", encoding="utf-8")
    res = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    worker = int(res.stdout.split()[0])
    deadline = time.monotonic() + 15
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(worker), "the worker outlived its killed build"


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_article_over_the_time_limit_is_skipped_and_the_batch_goes_on(monkeypatch: pytest.MonkeyPatch,
                                                                         jobs: int) -> None:
    import time

    real = run_mod.segment

    def segment(doc: Document, backend: str) -> None:
        if "另一县" in doc.text:
            time.sleep(30)  # stalls, as a pattern gone quadratic would
        real(doc, backend)

    monkeypatch.setattr(run_mod, "segment", segment)
    t0 = time.monotonic()
    out = list(run(make_docs(), jobs=jobs, engine="processes" if jobs > 1 else "local", dedupe=False,
                   time_limit=1.0))
    assert time.monotonic() - t0 < 20
    assert [d.id for d in out] == ["a0", "a1", "a2"] and out[0].metrics and out[2].metrics
    assert not out[1].text and "ArticleTimeout: over the time limit of 1 s per article" in out[1].warnings[-1]
    assert "--time-limit" in out[1].warnings[-1]


def test_a_registry_that_does_not_fit_stops_the_run_before_any_article(monkeypatch: pytest.MonkeyPatch) -> None:
    from policy_ie.extractors.registry import RegistryError

    monkeypatch.setitem(REGISTRY, "x", Extractor("x", "warnings", lambda doc: [], ("nothing",)))
    run_mod._extractors.cache_clear()
    try:
        with pytest.raises(RegistryError, match="'x' requires 'nothing'"):
            next(run([Document(id="a", path="a.txt", text=STORY)], jobs=2, engine="processes"))
    finally:
        run_mod._extractors.cache_clear()


def test_a_handful_of_articles_is_processed_here_not_in_a_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []
    real = run_mod._engine

    def spy(engine: str, jobs: int, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append((engine, jobs))
        return real(engine, jobs, *args, **kwargs)

    monkeypatch.setattr(run_mod, "_engine", spy)
    few = [Document(id=f"a{i}", path="a.txt", text=STORY) for i in range(3)]
    out = list(run(few, jobs=2, engine="processes", batch=4, dedupe=False))
    assert [d.id for d in out] == ["a0", "a1", "a2"] and seen == [("local", 1)]
    many = [Document(id=f"b{i}", path="b.txt", text=STORY) for i in range(8)]
    assert [d.id for d in run(many, jobs=2, engine="processes", batch=4, dedupe=False)] == [f"b{i}" for i in range(8)]
    assert seen[-1] == ("processes", 2)
