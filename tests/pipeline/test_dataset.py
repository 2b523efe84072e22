"""The dataset files: all written, consistent with each other, and replaced atomically."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from policy_ie.extractors.catalogue import catalogue
from policy_ie.pipeline import dataset
from policy_ie.pipeline.aggregate import PANEL_COLUMNS, REGION_COLUMNS, TAIL_COLUMNS
from policy_ie.pipeline.codebook import provenance
from policy_ie.pipeline.dataset import OUTPUT_FILES as FILES
from policy_ie.pipeline.dataset import write_dataset
from policy_ie.text.document import Document

REPO = Path(__file__).resolve().parents[2]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_every_file_is_written(tmp_path: Path, hand_docs: list[Document]) -> None:
    summary = write_dataset(hand_docs, tmp_path / "out", use_gazetteer=False)
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    assert summary.articles == 3 and summary.regions == 4
    assert summary.facts == sum(len(d.metrics) + len(d.programmes) + len(d.dates) + len(d.regions)
                                for d in hand_docs)

    records = [json.loads(x) for x in (out / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["sl-1", "sl-2", "zy-1"]

    table = pq.read_table(out / "facts.parquet")
    assert table.num_rows == summary.facts
    with (out / "facts.csv").open(encoding="utf-8") as fh:
        facts = list(csv.DictReader(fh))
    assert len(facts) == summary.facts
    assert table.column("sentence").to_pylist() == [f["sentence"] for f in facts]
    texts = {d.id: d.text for d in hand_docs}
    for f in facts:
        assert texts[f["article_id"]][int(f["start"]):int(f["end"])] == f["text"]

    with (out / "comparison.csv").open(encoding="utf-8") as fh:
        rows = {r["region_code"]: r for r in csv.DictReader(fh)}
    assert rows["611000"]["poor_population"] == "302000"
    assert rows["611023"]["investment"] == "120000000"
    assert rows["611000"]["conflicts"] == "poor_population:2"
    with (out / "comparison_sources.csv").open(encoding="utf-8") as fh:
        sources = list(csv.DictReader(fh))
    chosen = [s for s in sources if s["column"] == "poor_population" and s["region_code"] == "611000"]
    assert [(s["value"], s["chosen"], s["article_id"]) for s in chosen] == [
        ("302000", "True", "sl-2"), ("489000", "False", "sl-1")]

    md = (out / "comparison.md").read_text(encoding="utf-8")
    assert "| 贫困人口（人） poor_population |" in md and "302,000 †2" in md
    assert "489,000 in sl-1" in md
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "商南县" in html


def test_xlsx_headers_frozen_row_number_formats_and_sources(tmp_path: Path, hand_docs: list[Document]) -> None:
    write_dataset(hand_docs, tmp_path, use_gazetteer=False)
    wb = load_workbook(tmp_path / "comparison.xlsx")
    assert wb.sheetnames == ["comparison", "sources", "about"]
    ws = wb["comparison"]
    header = [c.value for c in ws[1]]
    assert header[:2] == ["区划代码 region_code", "地区 region_name"]
    assert "贫困人口（人） poor_population" in header and "投资额（元） investment" in header
    assert "收入（人均，元） income_per_person" in header and "贫困人口年份 poor_population_year" in header
    assert ws.freeze_panes == "C2"
    col = header.index("投资额（元） investment") + 1
    cells = [ws.cell(row=i, column=col) for i in range(2, ws.max_row + 1)]
    assert all(c.number_format == "#,##0" for c in cells)
    pop = header.index("贫困人口（人） poor_population") + 1
    conflicted = [ws.cell(row=i, column=pop) for i in range(2, ws.max_row + 1)
                  if ws.cell(row=i, column=pop).comment is not None]
    assert len(conflicted) == 1 and conflicted[0].value == 302000
    assert "489,000" in conflicted[0].comment.text
    src = [c.value for c in wb["sources"][1]]
    assert src[:3] == ["region_code", "region_name", "column"] and "article_id" in src and "start" in src
    chosen = [r[src.index("chosen")] for r in wb["sources"].iter_rows(min_row=2, values_only=True)]
    assert chosen == sorted(chosen, reverse=True)  # every cell's own source first


def test_xlsx_streamed_keeps_widths_formats_comments_and_sizes(tmp_path: Path, hand_docs: list[Document]) -> None:
    """The write-only workbook has what a normal one had: widths, formats of empty cells too,
    a comment on each conflicting cell only, unit formats in the sources sheet, and each
    sheet's size for readers that stream it."""
    write_dataset(hand_docs, tmp_path, use_gazetteer=False)
    wb = load_workbook(tmp_path / "comparison.xlsx")
    ws = wb["comparison"]
    at = {c.value.split()[-1]: c.column_letter for c in ws[1]}  # machine key -> column letter
    for key, letter in at.items():
        plain = key in REGION_COLUMNS or key in TAIL_COLUMNS
        year = key.endswith(("_year", "_year_source", "_review"))
        assert ws.column_dimensions[letter].width == (18 if plain else 10 if year else 14), key
    empty = [c for c in ws[at["projects"]][1:] if c.value is None]
    assert empty and all(c.number_format == "#,##0" for c in empty)  # formatted though empty
    comments = [c for row in ws.iter_rows() for c in row if c.comment is not None]
    assert len(comments) == 1 and comments[0].comment.author == "policy-ie"
    assert comments[0].comment.text.startswith("review: conflict;single\n2 values\n302,000 ✓: sl-2 [")
    src = wb["sources"]
    assert src.freeze_panes == "A2"
    cols = [c.value for c in src[1]]
    for row in src.iter_rows(min_row=2):
        unit, value = row[cols.index("unit")].value, row[cols.index("value")]
        assert value.number_format == ("#,##0" if unit in {"人", "元", "个"} else "General")
    streamed = load_workbook(tmp_path / "comparison.xlsx", read_only=True)
    for name in ("comparison", "sources", "about"):
        assert (streamed[name].max_row, streamed[name].max_column) == (wb[name].max_row, wb[name].max_column)
    assert wb["about"]["A1"].value.startswith("说明 About")


def test_xlsx_percent_as_percent_and_money_with_separators(tmp_path: Path, hand_docs: list[Document],
                                                          doc_factory) -> None:
    """A percent value keeps its number (0.77 means 0.77%, as in comparison.csv) and shows a
    % sign; money and counts get thousands separators, decimals only when there are some."""
    text = "某县贫困发生率降至0.77%，投入资金1234.5元，贫困人口12000人。"
    doc = doc_factory("p-1", text, published="2019-01-01", region=hand_docs[0].region,
                      metrics=[("贫困发生率降至0.77%", "poverty_rate", 0.77, {"unit": "%"}),
                               ("投入资金1234.5元", "investment", 1234.5, {"unit": "元"}),
                               ("贫困人口12000人", "poor_population", 12000, {"unit": "人"})])
    write_dataset([doc], tmp_path, use_gazetteer=False)
    ws = load_workbook(tmp_path / "comparison.xlsx")["comparison"]
    at = {c.value.split()[-1]: c.column - 1 for c in ws[1]}
    row = ws[2]
    assert (row[at["poverty_rate"]].value, row[at["poverty_rate"]].number_format) == (0.77, '0.0#"%"')
    assert (row[at["investment"]].value, row[at["investment"]].number_format) == (1234.5, "#,##0.00")
    assert (row[at["poor_population"]].value, row[at["poor_population"]].number_format) == (12000, "#,##0")
    assert ws[1][at["poverty_rate"]].value == "贫困发生率（%） poverty_rate"
    with (tmp_path / "comparison.csv").open(encoding="utf-8") as fh:
        assert next(csv.DictReader(fh))["poverty_rate"] == "0.77"  # the data keeps the number


def test_xlsx_about_sheet_and_markdown_carry_the_codebook(tmp_path: Path, hand_docs: list[Document]) -> None:
    """Every metric of the catalogue with its unit, definition, cues and what it is not; the
    column conventions; the provenance given to the build, with its article count."""
    prov = provenance(["corpus/a.jsonl"], {"dedupe": True})
    write_dataset(hand_docs, tmp_path, use_gazetteer=False, provenance=prov)
    about = [[c for c in r if c is not None] for r in
             load_workbook(tmp_path / "comparison.xlsx")["about"].iter_rows(values_only=True)]
    md = (tmp_path / "comparison.md").read_text(encoding="utf-8")
    for m in catalogue().values():
        assert [m.key, m.label, m.label_en, m.unit, f"{m.definition_zh} / {m.definition}", m.cues,
                f"{m.excludes_zh} / {m.excludes}"] in about
        assert f"| {m.key} | {m.label} | {m.label_en} | {m.unit} | {m.definition_zh} / {m.definition} |" in md
    rows = {r[0]: r[1:] for r in about if r}
    assert rows["输入 input"] == ["corpus/a.jsonl"] and rows["文章数 articles"] == ["3"]
    assert rows["选项 options"] == ["dedupe=True"] and rows["版本 policy-ie version"] == [prov.version]
    assert rows["生成时间 built (UTC)"] == [prov.built]
    assert "published" in rows["<column>_year_source"][0] and "conflicts" in rows
    assert "## 说明 Codebook" in md and "| &lt;column>_year |" in md
    assert f"Built {prov.built} by policy-ie {prov.version} from corpus/a.jsonl (3 articles)" in md


def test_xlsx_lists_conflicts_up_to_a_cap(tmp_path: Path, hand_docs: list[Document], monkeypatch) -> None:
    monkeypatch.setattr(dataset, "XLSX_CONFLICTS", 0)
    write_dataset(hand_docs, tmp_path, use_gazetteer=False)
    wb = load_workbook(tmp_path / "comparison.xlsx")
    assert all(r[7] is True for r in wb["sources"].iter_rows(min_row=2, values_only=True))
    assert any("first 0 of 1" in (r[0] or "") for r in wb["about"].iter_rows(values_only=True))


def test_empty_corpus_writes_valid_empty_files(tmp_path: Path) -> None:
    summary = write_dataset([], tmp_path, use_gazetteer=False)
    assert summary.articles == 0 and summary.regions == 0
    assert pq.read_table(tmp_path / "facts.parquet").num_rows == 0
    assert (tmp_path / "comparison.csv").read_text(encoding="utf-8").startswith("region_code,")
    assert "0 regions" in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_parquet_row_groups_as_it_goes(tmp_path: Path, hand_docs: list[Document], monkeypatch) -> None:
    monkeypatch.setattr(dataset, "ROW_GROUP", 4)
    summary = write_dataset(hand_docs, tmp_path, use_gazetteer=False)
    meta = pq.ParquetFile(tmp_path / "facts.parquet").metadata
    assert meta.num_row_groups == -(-summary.facts // 4)


def test_failure_mid_build_leaves_previous_dataset_intact(tmp_path: Path, hand_docs: list[Document]) -> None:
    write_dataset(hand_docs, tmp_path, use_gazetteer=False)
    before = _snapshot(tmp_path)

    def failing() -> Iterator[Document]:
        yield hand_docs[0]
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        write_dataset(failing(), tmp_path, use_gazetteer=False)
    assert _snapshot(tmp_path) == before  # same files, same bytes, no temporary left over


def test_failure_while_writing_the_report_leaves_previous_dataset_intact(
        tmp_path: Path, hand_docs: list[Document], monkeypatch) -> None:
    write_dataset(hand_docs, tmp_path, use_gazetteer=False)
    before = _snapshot(tmp_path)

    def broken(*args, **kwargs):
        raise OSError("no space left")

    monkeypatch.setattr(dataset, "write_report", broken)
    with pytest.raises(OSError):
        write_dataset(hand_docs[:1], tmp_path, use_gazetteer=False)
    assert _snapshot(tmp_path) == before


KILLED_BUILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from policy_ie.pipeline.dataset import write_dataset
    from policy_ie.text.document import ArticleRegion, Document, MetricMention

    def hand_docs():
        for i in range(1000):
            text = f"第{i}篇:全县贫困人口{i}人。"
            a = text.index("贫困人口")
            d = Document(id=f"k{i}", path="k", text=text,
                         region=ArticleRegion("611023", "商南县", "county", "陕西省"))
            d.metrics = [MetricMention(text[a:-1], a, len(text) - 1, metric="poor_population", value=i)]
            yield d
            if i == 500:
                Path(sys.argv[2]).write_text("half-way")
                time.sleep(60)

    write_dataset(hand_docs(), Path(sys.argv[1]), use_gazetteer=False)
""")


def test_build_killed_mid_write_leaves_previous_dataset_intact(tmp_path: Path, hand_docs: list[Document]) -> None:
    out = tmp_path / "out"
    write_dataset(hand_docs, out, use_gazetteer=False)
    before = _snapshot(out)
    marker = tmp_path / "marker"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-c", KILLED_BUILD, str(out), str(marker)], cwd=REPO, env=env)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, "the build ended before it was killed"
            assert time.monotonic() < deadline, "the build did not reach half-way"
            time.sleep(0.05)
        assert any(p.name.endswith(".tmp") for p in out.iterdir())  # it is writing right now
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    after = {name: data for name, data in _snapshot(out).items() if name in FILES}
    assert after == {name: before[name] for name in FILES}
    # the killed build's temporaries stay beside them (hidden, never under a dataset name)
    assert all(name.startswith(".") for name in _snapshot(out).keys() - set(FILES))
    # and a new build replaces everything cleanly
    write_dataset(hand_docs[2:], out, use_gazetteer=False)
    assert (out / "articles.jsonl").read_text(encoding="utf-8").count("\n") == 1


def test_seed_corpus_rows_and_gold_values(tmp_path: Path, seeds_dir: Path, shared: Path) -> None:
    """The five seeds give rows for their regions; every value they hold is a gold value."""
    from policy_ie.pipeline.ingest import iter_documents
    from policy_ie.pipeline.run import Options, run

    write_dataset(run(iter_documents([seeds_dir]), Options(segmenter="none")), tmp_path)
    gold = json.loads((shared / "gold" / "seeds.json").read_text(encoding="utf-8"))["articles"]
    with (tmp_path / "comparison.csv").open(encoding="utf-8") as fh:
        rows = {r["region_code"]: r for r in csv.DictReader(fh)}
    names = {rows[a["region"]]["region_name"] for a in gold.values() if a["region"] in rows}
    assert names == {"通化市", "商洛市", "昌都市", "石楼县", "遵义市"}
    for a in gold.values():
        row = rows[a["region"]]
        values: dict[str, set[float]] = {}
        for key, value, _ in a["metrics"]:
            values.setdefault(key, set()).add(float(value))
        for key, allowed in values.items():
            if row.get(key):
                assert float(row[key]) in allowed, (row["region_name"], key, row[key])


# -- hostile text in the outputs (issue 19) ---------------------------------------------------
FORMULA = '=HYPERLINK("http://example.invalid","点此")'


def _hostile_docs(doc_factory) -> list[Document]:
    """An article whose id, programme, region name and sentence start with formula characters."""
    from policy_ie.text.document import ArticleRegion

    text = f"-2+3 全县贫困人口1200人。“{FORMULA}”工程推进。"
    region = ArticleRegion("611099", "@SUM(A1)<script>x</script>", "county", "+陕西省", "=县")
    return [doc_factory("=1+1<script>", text, region=region, published="2019-01-01",
                        metrics=[("贫困人口1200人", "poor_population", 1200, {"unit": "人"}),
                                 ("-2", "income", -2, {"unit": "元"})],
                        programmes=[(f"“{FORMULA}”工程", FORMULA, {"kind": "工程"})])]


def test_csv_cells_that_start_like_a_formula_are_quoted(tmp_path: Path, doc_factory) -> None:
    write_dataset(_hostile_docs(doc_factory), tmp_path, use_gazetteer=False)
    for name in ("facts.csv", "comparison.csv", "comparison_sources.csv"):
        with (tmp_path / name).open(encoding="utf-8", newline="") as fh:
            cells = [c for row in csv.reader(fh) for c in row]
        risky = [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")
                 or (c.startswith("-") and not _is_number(c))]
        assert not risky, (name, risky)
        assert any(c.startswith("'=") for c in cells), name
    with (tmp_path / "facts.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    income = next(r for r in rows if r["key"] == "income")
    assert income["value"] == "-2" and income["text"] == "'-2"  # numbers stay numbers; text is text


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_xlsx_holds_no_formula_and_keeps_numbers(tmp_path: Path, doc_factory) -> None:
    import zipfile

    docs = _hostile_docs(doc_factory)
    docs[0].region.name += "\x01"  # a control character openpyxl refuses
    write_dataset(docs, tmp_path, use_gazetteer=False)
    with zipfile.ZipFile(tmp_path / "comparison.xlsx") as z:
        sheets = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any("<f>" in x or "<f " in x for x in sheets)
    wb = load_workbook(tmp_path / "comparison.xlsx")
    values = [c.value for ws in wb for row in ws.iter_rows() for c in row]
    assert FORMULA in values and "=1+1<script>" in values
    assert -2 in values  # a negative number is still a number


def test_markdown_carries_no_raw_html(tmp_path: Path, doc_factory) -> None:
    write_dataset(_hostile_docs(doc_factory), tmp_path, use_gazetteer=False)
    md = (tmp_path / "comparison.md").read_text(encoding="utf-8")
    assert "<script>" not in md and "&lt;script>" in md


def test_an_article_that_cannot_be_written_gets_a_skipped_record(tmp_path: Path, hand_docs: list[Document]) -> None:
    """A lone surrogate in the text, a value JSON cannot hold: the others are written, each bad one says why."""
    hand_docs[0].text += "\ud800"
    hand_docs[1].metrics[0].value = object()  # type: ignore[assignment]
    summary = write_dataset(hand_docs, tmp_path, use_gazetteer=False)
    assert summary.articles == 3
    lines = (tmp_path / "articles.jsonl").read_bytes().decode("utf-8").splitlines()
    recs = [json.loads(x) for x in lines]
    assert [r["id"] for r in recs] == ["sl-1", "sl-2", "zy-1"]
    assert "skipped: writing failed (UnicodeEncodeError" in recs[0]["warnings"][-1]
    assert "skipped: writing failed (TypeError" in recs[1]["warnings"][-1]
    assert recs[2]["metrics"] and not recs[2]["warnings"]
    for name in ("facts.csv", "comparison.csv", "comparison.md", "report.html"):
        (tmp_path / name).read_bytes().decode("utf-8")


_ODD = st.text(alphabet=st.sampled_from([*"扶贫县人万元%=+-@|<>&\"\\ \n\t\r", "\ud800", "\x00", "\x0b", "1", "。"]),
               max_size=12)
_VALUE = st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats(allow_nan=False) | _ODD | st.lists(_ODD,
                                                                                                              max_size=2)
_RECORD = st.fixed_dictionaries(
    {"text": st.builds(lambda a, b: "某县扶贫\n全县贫困人口由3.2万人减少到" + a + "人。" + b, _ODD, _ODD)},
    optional={f: _VALUE for f in ("id", "title", "date", "source", "authors", "url")})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_RECORD, min_size=1, max_size=3))
def test_a_build_over_jsonl_records_of_random_types_and_strings_never_crashes(tmp_path: Path,
                                                                               recs: list[dict]) -> None:
    from policy_ie.pipeline.ingest import iter_documents
    from policy_ie.pipeline.run import Options, run

    folder = tmp_path / str(len(list(tmp_path.iterdir())))
    folder.mkdir()
    (folder / "r.jsonl").write_text("\n".join(json.dumps(r) for r in recs) + "\n", encoding="utf-8")
    docs = list(run(iter_documents([folder / "r.jsonl"]), Options(segmenter="none"), dedupe=False))
    summary = write_dataset(docs, folder / "out", use_gazetteer=False)
    assert summary.articles == len(recs)
    for name in FILES:
        if not name.endswith((".parquet", ".xlsx", ".sqlite")):
            (folder / "out" / name).read_bytes().decode("utf-8")


def test_every_build_writes_the_panel(tmp_path: Path, hand_docs: list[Document]) -> None:
    write_dataset(hand_docs, tmp_path, use_gazetteer=False)
    with (tmp_path / "panel.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    table = pq.read_table(tmp_path / "panel.parquet").to_pylist()
    assert rows and len(rows) == len(table) and list(rows[0]) == list(PANEL_COLUMNS)
    sl = [r for r in table if r["region_code"] == "611000" and r["column"] == "poor_population"]
    assert (sl[-1]["year"], sl[-1]["value"], sl[-1]["article_id"]) == (2017, 302000, "sl-2")


def test_articles_off_the_topic_stay_in_the_facts_but_out_of_the_comparison(
        tmp_path: Path, hand_docs: list[Document]) -> None:
    import sqlite3

    from policy_ie.extractors.topic import config

    off = hand_docs[0]
    off.topic = round(config().threshold / 2, 4)
    for d in hand_docs[1:]:
        d.topic = 0.97
    summary = write_dataset(hand_docs, tmp_path / "default", use_gazetteer=False)
    assert summary.off_topic == 1
    facts = pq.read_table(tmp_path / "default" / "facts.parquet").to_pylist()
    assert {r["topic"] for r in facts if r["article_id"] == off.id} == {off.topic}  # every article kept
    with (tmp_path / "default" / "comparison_sources.csv").open(encoding="utf-8") as fh:
        assert off.id not in {r["article_id"] for r in csv.DictReader(fh)}
    with (tmp_path / "default" / "panel.csv").open(encoding="utf-8") as fh:
        assert off.id not in {r["article_id"] for r in csv.DictReader(fh)}
    con = sqlite3.connect(tmp_path / "default" / "policy_ie.sqlite")
    assert con.execute("select topic from articles where id = ?", (off.id,)).fetchone()[0] == off.topic
    assert json.loads((tmp_path / "default" / "articles.jsonl").read_text("utf-8").splitlines()[0])["topic"] \
        == off.topic
    everything = write_dataset(hand_docs, tmp_path / "all", use_gazetteer=False, all_topics=True)
    assert everything.off_topic == 0
    with (tmp_path / "all" / "comparison_sources.csv").open(encoding="utf-8") as fh:
        assert off.id in {r["article_id"] for r in csv.DictReader(fh)}


def test_metrics_left_out_by_their_scope_are_reported_in_the_summary_and_markdown(tmp_path: Path) -> None:
    from policy_ie.extractors import metrics as M
    from policy_ie.text.document import ArticleRegion, Document

    county = ArticleRegion("220524", "柳河县", "county", "吉林省", "通化市", "柳河县")
    text = "全县贫困人口2300人。全球贫困人口7亿人。全村贫困户45户。该村贫困户12户。"
    doc = Document(id="s1", path="s1", text=text, region=county)
    doc.metrics = M.extract(doc)
    summary = write_dataset([doc], tmp_path / "out")
    assert summary.out_of_scope == {"narrower": 2, "world": 1}
    assert dataset.scope_counts(summary.out_of_scope) == "narrower 2, world 1"
    assert dataset.scope_counts({}) == "none"
    md = (tmp_path / "out" / "comparison.md").read_text(encoding="utf-8")
    assert "Metrics of no region by their scope, left out: narrower 2, world 1." in md
    facts = pq.read_table(tmp_path / "out" / "facts.parquet").to_pylist()
    assert sorted(f["scope"] for f in facts if f["kind"] == "metric") == ["article", "narrower", "narrower", "world"]
