"""The command line: extract and build per CONTRACT.md, exit statuses, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policy_ie.pipeline.cli import app

runner = CliRunner()


def records(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def test_extract_prints_one_record_per_article_in_input_order(seeds_dir: Path) -> None:
    res = runner.invoke(app, ["extract", str(seeds_dir), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    recs = records(res.stdout)
    assert [r["id"] for r in recs] == sorted(p.stem for p in seeds_dir.glob("*.txt"))
    for rec in recs:
        text = (seeds_dir / f"{rec['id']}.txt").read_text(encoding="utf-8")
        for field in ("metrics", "programmes", "dates", "regions", "documents"):
            for item in rec[field]:
                assert text[item["start"]:item["end"]] == item["text"]


def test_document_titles_are_a_list_of_their_own(seeds_dir: Path) -> None:
    res = runner.invoke(app, ["extract", str(seeds_dir / "004_e8e4a0f7f357a65b.txt")])
    (rec,) = records(res.stdout)
    assert rec["documents"] and all(d["text"].startswith("《") for d in rec["documents"])
    assert not any(p["name"].startswith("关于") for p in rec["programmes"])


def test_extract_reports_the_seed_metadata(seeds_dir: Path) -> None:
    res = runner.invoke(app, ["extract", str(seeds_dir / "002_2ab6596263cc6e8e.txt")])
    (rec,) = records(res.stdout)
    assert rec["title"] == "脱贫攻坚党旗红——昌都市“三三四”党建扶贫模式扫描"
    assert (rec["published"], rec["outlet"], rec["authors"]) == ("2016-10-06", "西藏日报", ["陈志强"])


def test_skipped_inputs_give_exit_1_and_a_count_on_stderr(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("某县扶贫纪实\n全县脱贫1.2万人。", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    res = runner.invoke(app, ["extract", str(tmp_path)])
    assert res.exit_code == 1
    assert len(records(res.stdout)) == 2
    assert "1 of 2 inputs skipped" in res.stderr
    assert "empty.txt" in res.stderr


def test_missing_input_is_a_usage_error(tmp_path: Path) -> None:
    res = runner.invoke(app, ["extract", str(tmp_path / "missing")])
    assert res.exit_code == 2 and "no such file" in res.stderr


def test_unknown_format_is_a_usage_error(seeds_dir: Path) -> None:
    assert runner.invoke(app, ["extract", str(seeds_dir), "--format", "xml"]).exit_code == 2


def test_table_format_is_for_people(seeds_dir: Path) -> None:
    res = runner.invoke(app, ["extract", str(seeds_dir), "--format", "table"])
    assert res.exit_code == 0 and "published" in res.stdout


def test_build_writes_articles_jsonl(tmp_path: Path, seeds_dir: Path) -> None:
    out = tmp_path / "out"
    res = runner.invoke(app, ["build", "--input", str(seeds_dir), "--output", str(out), "--jobs", "1"])
    assert res.exit_code == 0, res.output
    assert len(records((out / "articles.jsonl").read_text(encoding="utf-8"))) == 5
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    res = runner.invoke(app, ["compare", "--output", str(out), "--by", "year"])
    assert res.exit_code == 0, res.output
    assert "Panel by year" in res.output and (out / "panel.parquet").is_file()
    assert runner.invoke(app, ["compare", "--output", str(out), "--by", "month"]).exit_code == 2


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_build_to_an_unwritable_folder_fails_before_any_work(tmp_path: Path, seeds_dir: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    res = runner.invoke(app, ["build", "--input", str(seeds_dir), "--output", str(ro / "out")])
    assert res.exit_code == 2 and "cannot write" in res.stderr


def test_build_to_a_path_that_is_a_file_fails_clearly(tmp_path: Path, seeds_dir: Path) -> None:
    f = tmp_path / "file"
    f.write_text("x")
    res = runner.invoke(app, ["build", "--input", str(seeds_dir), "--output", str(f)])
    assert res.exit_code == 2 and "cannot write" in res.stderr


def test_version_and_help() -> None:
    assert runner.invoke(app, ["--version"]).stdout.startswith("policy-ie ")
    for args in (["--help"], ["extract", "--help"], ["build", "--help"]):
        assert runner.invoke(app, args).exit_code == 0


def test_python_dash_m_pipeline_is_the_same_program(seeds_dir: Path) -> None:
    res = subprocess.run([sys.executable, "-m", "pipeline", "extract",
                          str(seeds_dir / "004_e8e4a0f7f357a65b.txt")],
                         capture_output=True, text=True, check=False)
    assert res.returncode == 0, res.stderr
    (rec,) = records(res.stdout)
    assert rec["id"] == "004_e8e4a0f7f357a65b"


def test_jobs_2_gives_the_same_records_in_the_same_order(seeds_dir: Path) -> None:
    one = runner.invoke(app, ["extract", str(seeds_dir), "--jobs", "1"]).stdout
    two = runner.invoke(app, ["extract", str(seeds_dir), "--jobs", "2"]).stdout
    assert one == two


def test_eval_scores_the_seeds_against_their_gold(shared: Path) -> None:
    res = runner.invoke(app, ["eval", str(shared / "gold" / "seeds.json"), str(shared / "seeds"), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["summary"]["regions"]["f1"] >= 0.95 and out["summary"]["span_integrity"]["bad"] == 0


def test_eval_with_a_missing_gold_file_is_a_usage_error(tmp_path: Path, seeds_dir: Path) -> None:
    res = runner.invoke(app, ["eval", str(tmp_path / "none.json"), str(seeds_dir)])
    assert res.exit_code == 2 and "no such gold file" in res.stderr


# -- exit statuses and hostile inputs (issue 19) ----------------------------------------------
def test_help_documents_the_four_exit_statuses() -> None:
    for args in (["--help"], ["extract", "--help"], ["build", "--help"]):
        text = " ".join(runner.invoke(app, args).stdout.split())
        assert "Exit status: 0 every input was read; 1 some inputs were skipped" in text, args
        assert "2 usage error; 3 the command failed" in text, args


def test_a_failed_build_exits_3_and_keeps_the_old_dataset(tmp_path: Path, seeds_dir: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from policy_ie.pipeline import dataset

    out = tmp_path / "out"
    assert runner.invoke(app, ["build", "-i", str(seeds_dir), "-o", str(out), "-j", "1"]).exit_code == 0
    before = (out / "articles.jsonl").read_bytes()

    def broken(docs: object, output: Path, **kw: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(dataset, "write_dataset", broken)
    res = runner.invoke(app, ["build", "-i", str(seeds_dir), "-o", str(out), "-j", "1", "--force"])
    assert res.exit_code == 3
    assert "error: the build of" in res.stderr and "RuntimeError: disk on fire" in res.stderr
    assert (out / "articles.jsonl").read_bytes() == before


def test_a_failed_extract_exits_3_not_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from policy_ie.pipeline import cli

    (tmp_path / "a.txt").write_text("全县脱贫1.2万人。", encoding="utf-8")

    def broken(record: dict) -> str:
        raise ValueError("cannot serialise")

    monkeypatch.setattr(cli, "record_line", broken)
    res = runner.invoke(app, ["extract", str(tmp_path)])
    assert res.exit_code == 3 and "error: extract failed (ValueError: cannot serialise)" in res.stderr


def test_a_build_beside_a_fifo_finishes_and_names_it(tmp_path: Path) -> None:
    import threading

    corpus, out = tmp_path / "in", tmp_path / "out"
    corpus.mkdir()
    (corpus / "good.txt").write_text("某县扶贫纪实\n全县脱贫1.2万人。", encoding="utf-8")
    os.mkfifo(corpus / "pipe.txt")
    box: list = []
    worker = threading.Thread(target=lambda: box.append(
        runner.invoke(app, ["build", "-i", str(corpus), "-o", str(out), "-j", "1"])), daemon=True)
    worker.start()
    worker.join(60)
    assert box, "the build hung on a FIFO"
    res = box[0]
    assert res.exit_code == 1 and "pipe.txt: skipped: a FIFO" in res.stderr
    ids = [r["id"] for r in records((out / "articles.jsonl").read_text(encoding="utf-8"))]
    assert ids == ["good", "pipe"]


def test_a_build_over_a_garbled_cache_writes_a_clean_builds_dataset(tmp_path: Path, seeds_dir: Path,
                                                                     monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the build time the codebook records: one for both
    clean, out = tmp_path / "clean", tmp_path / "out"
    assert runner.invoke(app, ["build", "-i", str(seeds_dir), "-o", str(clean), "-j", "1", "--no-cache"]).exit_code == 0
    assert runner.invoke(app, ["build", "-i", str(seeds_dir), "-o", str(out), "-j", "1"]).exit_code == 0
    (out / ".cache" / "cache.sqlite").write_bytes(b"not a database at all" * 100)
    res = runner.invoke(app, ["build", "-i", str(seeds_dir), "-o", str(out), "-j", "1", "--force"])
    assert res.exit_code == 0 and "the cache could not be read" in res.stderr and "moved aside" in res.stderr
    for name in ("articles.jsonl", "facts.csv", "comparison.csv", "comparison.md"):
        assert (out / name).read_bytes() == (clean / name).read_bytes(), name


def test_a_second_build_into_a_busy_folder_stops_clearly(tmp_path: Path, seeds_dir: Path) -> None:
    from policy_ie.pipeline.write import lock_folder

    out = tmp_path / "out"
    with lock_folder(out):  # as a build in another process holds it
        res = runner.invoke(app, ["build", "-i", str(seeds_dir), "-o", str(out), "-j", "1"])
    assert res.exit_code == 3
    assert f"another build (process {os.getpid()}) is writing to {out}" in res.stderr
    assert not (out / "articles.jsonl").exists()
    assert runner.invoke(app, ["build", "-i", str(seeds_dir), "-o", str(out), "-j", "1"]).exit_code == 0


def test_a_killed_builds_temporary_files_are_removed_by_the_next(tmp_path: Path, seeds_dir: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for name in (".articles.jsonl.k3j_x9a2.tmp", ".report.html.Zz09aaaa.tmp"):
        (out / name).write_text("half", encoding="utf-8")
    (out / "notes.tmp").write_text("mine", encoding="utf-8")  # not ours: kept
    res = runner.invoke(app, ["build", "-i", str(seeds_dir), "-o", str(out), "-j", "1"])
    assert res.exit_code == 0 and "removed 2 temporary files a killed build left" in res.stderr
    assert sorted(p.name for p in out.iterdir() if p.name.endswith(".tmp")) == ["notes.tmp"]


def test_one_build_over_every_hostile_input_keeps_the_good_and_names_the_bad(tmp_path: Path) -> None:
    """The folder of issue 19: each bad input beside good articles."""
    import csv
    import socket
    import zipfile

    story = "某县扶贫纪实\n全县贫困人口由3.2万人减少到1200人，累计投入扶贫资金1.45亿元。\n"
    corpus, out = tmp_path / "in", tmp_path / "out"
    corpus.mkdir()
    (corpus / "good1.txt").write_text(story, encoding="utf-8")
    (corpus / os.fsdecode(b"\xb9\xe3.txt")).write_text(story.replace("某县", "另县"), encoding="utf-8")
    (corpus / "deep.html").write_text("<html><body>" + "<div>" * 3000 + f"<p>{story}</p>" + "</div>" * 3000
                                      + "</body></html>", encoding="utf-8")
    (corpus / "absurd.txt").write_text("某县扶贫\n全县累计投入扶贫资金" + "9" * 40 + "亿元。\n", encoding="utf-8")
    (corpus / "formula.txt").write_text("=HYPERLINK(\"http://x\")\n“=cmd|' /C calc'!A0”工程推进，全县脱贫1.2万人。\n",
                                        encoding="utf-8")
    lines = [*({"id": f"m{i}", "title": "无正文"} for i in range(3)), {"id": "late", "text": story},
             {"id": "sur", "text": story + "\ud800"}, {"id": "auth", "authors": 5, "text": story}]
    (corpus / "arch.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    (corpus / "wide.jsonl").write_bytes((json.dumps({"id": "u16", "text": story}, ensure_ascii=False) + "\n")
                                        .encode("utf-16"))
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "notes.pdf").write_bytes(b"%PDF-1.4")
    (corpus / "gone.txt").symlink_to(corpus / "nowhere.txt")
    os.mkfifo(corpus / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(corpus / "sock.txt"))
    try:
        res = runner.invoke(app, ["build", "-i", str(corpus), "-o", str(out), "-j", "2"])
    finally:
        sock.close()
    assert res.exit_code == 1, res.stderr
    recs = {r["id"]: r for r in records((out / "articles.jsonl").read_text(encoding="utf-8"))}
    for good in ("good1", "\\xb9\\xe3", "deep", "late", "auth", "u16", "formula"):
        assert recs[good]["metrics"] or recs[good]["programmes"], good
    assert "authors" in recs["auth"]["warnings"][0]
    assert "lone surrogates" in recs["sur"]["warnings"][0] and recs["sur"]["metrics"]
    assert "left out" in recs["absurd"]["warnings"][0]
    for bad, why in (("empty", "empty"), ("notes", "unknown kind"), ("gone", "link to"), ("pipe", "FIFO"),
                     ("sock", "socket"), ("m0", "no 'text'")):
        assert why in recs[bad]["warnings"][0], bad
        assert why in res.stderr, bad
    with zipfile.ZipFile(out / "comparison.xlsx") as z:
        assert not any("<f>" in z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/"))
    for name in ("facts.csv", "comparison.csv", "comparison_sources.csv"):
        with (out / name).open(encoding="utf-8", newline="") as fh:
            assert not [c for row in csv.reader(fh) for c in row if c[:1] in ("=", "+", "@", "\t", "\r")
                        or (c[:1] == "-" and not c.lstrip("-").replace(".", "", 1).isdigit())], name


def test_inputs_without_any_article_exit_1_saying_why(tmp_path: Path) -> None:
    empty = tmp_path / "in"
    empty.mkdir()
    (empty / "README.md").write_text("# notes", encoding="utf-8")  # passed over: the folder's documentation
    for args in (["extract", str(empty)], ["build", "--input", str(empty), "--output", str(tmp_path / "out")]):
        res = runner.invoke(app, args)
        assert res.exit_code == 1, args
        assert "no article found in the inputs" in res.stderr


def test_build_leaves_an_article_off_the_topic_out_of_the_comparison_and_says_so(
        tmp_path: Path, seeds_dir: Path) -> None:
    from policy_ie.extractors.topic import WEIGHTS, config

    if not WEIGHTS.exists():
        pytest.skip("no topic model (make topic-model)")
    folder = tmp_path / "in"
    folder.mkdir()
    seed = sorted(seeds_dir.glob("*.txt"))[0]
    (folder / seed.name).write_text(seed.read_text("utf-8"), "utf-8")
    (folder / "film.txt").write_text(  # written for this test: a film festival in a county
        "城固县电影节开幕\n2019年5月8日，第三届城固县电影节开幕，共展映影片86部，8名电影艺术家获得表彰，"
        "演员和导演走上红毯，观众在影院排起长队。\n", "utf-8")
    res = runner.invoke(app, ["build", "--input", str(folder), "--output", str(tmp_path / "out"), "--jobs", "1"])
    assert res.exit_code == 0, res.output
    assert "the figures of 1 article off the topic (--all-topics keeps them)" in res.output
    records = {json.loads(line)["id"]: json.loads(line) for line in
               (tmp_path / "out" / "articles.jsonl").read_text("utf-8").splitlines()}
    assert records["film"]["topic"] < config().threshold <= records[seed.stem]["topic"]
    sources = (tmp_path / "out" / "comparison_sources.csv").read_text("utf-8")
    facts = (tmp_path / "out" / "facts.csv").read_text("utf-8")
    assert "film" not in sources and "film," in facts  # out of the table, kept in the facts
    res = runner.invoke(app, ["build", "--input", str(folder), "--output", str(tmp_path / "all"), "--jobs", "1",
                              "--all-topics"])
    assert res.exit_code == 0 and "off the topic" not in res.output
