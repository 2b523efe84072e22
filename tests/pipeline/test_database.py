"""policy_ie.sqlite and ``policy-ie serve``: the build as one database, browsed in a real Datasette."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from policy_ie.pipeline.database import METADATA_NAME, NAME, datasette_metadata
from policy_ie.pipeline.dataset import write_dataset
from policy_ie.pipeline.report.render import SERVE_URL, sources_url
from policy_ie.text.document import Document


@pytest.fixture
def built(tmp_path: Path, hand_docs: list[Document]) -> Path:
    write_dataset(hand_docs, tmp_path, use_gazetteer=False)
    return tmp_path


def test_every_table_with_its_rows_indexes_search_and_links(built: Path, hand_docs: list[Document]) -> None:
    con = sqlite3.connect(built / NAME)
    tables = {r[0] for r in con.execute("select name from sqlite_master where type = 'table'")}
    assert {"comparison", "panel", "sources", "facts", "articles", "facts_fts", "articles_fts"} <= tables
    assert con.execute("select count(*) from articles").fetchone()[0] == len(hand_docs)
    text = con.execute("select text from articles where id = ?", (hand_docs[0].id,)).fetchone()[0]
    assert text == hand_docs[0].text  # the evidence is in the database
    n_facts = sum(len(d.metrics) + len(d.programmes) + len(d.dates) + len(d.regions) for d in hand_docs)
    assert con.execute("select count(*) from facts").fetchone()[0] == n_facts
    value = con.execute("select investment from comparison where region_code = '611023'").fetchone()[0]
    assert value == 120000000
    start, end, aid, mention = con.execute(
        "select start, \"end\", article_id, text from sources where region_code = '611023' "
        "and \"column\" = 'investment' and chosen = 1").fetchone()
    article = con.execute("select text from articles where id = ?", (aid,)).fetchone()[0]
    assert article[start:end] == mention and "1.2亿元" in mention  # the cell's evidence, by its offsets
    indexes = {r[0] for r in con.execute("select name from sqlite_master where type = 'index'")}
    assert {"facts_region_code", "facts_key", "facts_article_id", "sources_metric"} <= indexes
    links = {(r[2], r[3], r[4]) for r in con.execute("pragma foreign_key_list(facts)")}
    assert ("articles", "article_id", "id") in links
    hits = con.execute("select facts.article_id from facts_fts join facts on facts.rowid = facts_fts.rowid "
                       "where facts_fts match '\"扶贫资金\"'").fetchall()
    assert hits
    assert [r[1] for r in con.execute("pragma table_info(panel)")][:3] == ["region_code", "region_name", "column"]


def test_comparison_columns_are_typed_so_filters_compare_numbers(built: Path) -> None:
    con = sqlite3.connect(built / NAME)
    types = {r[1]: r[2] for r in con.execute("pragma table_info(comparison)")}
    assert (types["investment"], types["investment_year"], types["investment_year_source"]) == ("REAL", "INTEGER",
                                                                                                "TEXT")
    assert types["n_articles"] == "INTEGER" and types["region_name"] == "TEXT"
    stored = {r[0] for r in con.execute("select typeof(investment_year) from comparison")}
    assert stored <= {"integer", "null"} and "integer" in stored
    years = [r[0] for r in con.execute("select investment_year from comparison where investment_year >= 1000")]
    assert years and all(isinstance(y, int) for y in years)  # compared as numbers, not text


def test_a_failed_build_leaves_the_old_database(built: Path, hand_docs: list[Document]) -> None:
    before = (built / NAME).read_bytes()

    def failing():  # type: ignore[no-untyped-def]
        yield hand_docs[0]
        raise RuntimeError("disk gone")

    with pytest.raises(RuntimeError):
        write_dataset(failing(), built, use_gazetteer=False)
    assert (built / NAME).read_bytes() == before
    assert not list(built.glob(f".{NAME}.*"))


def test_the_metadata_describes_every_table_and_metric_and_has_the_queries() -> None:
    meta = datasette_metadata()["databases"]["policy_ie"]
    assert set(meta["tables"]) == {"comparison", "sources", "facts", "articles", "panel"}
    cols = meta["tables"]["comparison"]["columns"]
    assert cols["poor_population"].startswith("贫困人口 / poor population (人)")
    assert "region_code" in cols and "/" in meta["tables"]["facts"]["description"]
    assert set(meta["queries"]) == {"region_figures_by_year", "metric_across_province", "cell_sources",
                                    "values_left_out"}


def test_every_canned_query_runs_on_a_build(built: Path) -> None:
    con = sqlite3.connect(built / NAME)
    params = {"region_code": "611023", "column": "investment", "metric": "investment", "province": "陕西省"}
    for name, q in datasette_metadata()["databases"]["policy_ie"]["queries"].items():
        rows = con.execute(q["sql"], params).fetchall()
        assert name == "values_left_out" or rows, name  # nothing is implausible in the hand-made articles


def test_the_metadata_describes_the_comparisons_year_columns_by_their_convention() -> None:
    cols = datasette_metadata(["region_code", "poor_population", "poor_population_year",
                               "investment_per_year", "investment_per_year_year_source"])
    cols = cols["databases"]["policy_ie"]["tables"]["comparison"]["columns"]
    year = cols["poor_population_year"]
    assert year.startswith("数值所属年份") and "publication year" in year
    assert cols["investment_per_year_year_source"].startswith("年份来源")
    rate = cols["investment_per_year"]
    assert rate.startswith("投资额 / investment (元)") and "a rate" in rate


def test_serve_without_a_build_says_what_to_do(tmp_path: Path) -> None:
    res = subprocess.run([sys.executable, "-m", "policy_ie", "serve", "--output", str(tmp_path)],
                         capture_output=True, text=True)
    assert res.returncode == 2 and "policy-ie build --output" in res.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 30.0) -> object:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                return json.loads(r.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path):  # type: ignore[no-untyped-def]
    """``policy-ie serve`` on a build of the five seed articles: the base URL of its database."""
    pytest.importorskip("datasette")
    out = tmp_path_factory.mktemp("served") / "out"
    subprocess.run([sys.executable, "-m", "policy_ie", "build", "--input", str(seeds_dir), "--output", str(out),
                    "--jobs", "1"], check=True, capture_output=True)
    assert (out / METADATA_NAME).is_file()
    port = _free_port()
    log = out.parent / "serve.log"
    with log.open("wb") as err:
        server = subprocess.Popen([sys.executable, "-m", "policy_ie", "serve", "--output", str(out), "--port",
                                   str(port)], stdout=subprocess.DEVNULL, stderr=err)
    try:
        base = f"http://127.0.0.1:{port}/policy_ie"
        _get(f"{base}.json")  # up
        _SERVE_LOGS[base] = log
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


#: what each ``served`` server said on stderr, by its base URL
_SERVE_LOGS: dict[str, Path] = {}


def test_serve_on_another_port_says_how_to_open_the_report_with_its_links(served: str) -> None:
    said = _SERVE_LOGS[served].read_text(encoding="utf-8")
    assert "serving " in said and f"report.html?datasette={served}" in said


def test_serve_answers_a_region_and_its_evidence_in_datasette(served: str) -> None:
    rows = _get(f"{served}/comparison.json?_shape=array&region_code=611000")
    assert isinstance(rows, list) and rows[0]["region_name"] == "商洛市" and rows[0]["poor_population"] == 489000
    src = _get(f"{served}/cell_sources.json?_shape=array&region_code=611000&column=poor_population")
    assert isinstance(src, list) and src[0]["chosen"] == 1 and "48.9万" in src[0]["sentence"]
    found = _get(f"{served}/facts.json?_shape=array&_search=" + urllib.parse.quote("十百千工程"))
    assert isinstance(found, list) and found


def test_the_reports_link_of_a_cell_opens_its_sources_in_datasette(served: str) -> None:
    """The address report.html gives a cell whose article it does not embed (``sources_url``,
    on the default port) finds the cell's sources in the served database."""
    url = sources_url("611000", "poor_population")
    assert url.startswith(f"{SERVE_URL}/sources?")
    rows = _get(url.replace(SERVE_URL, served).replace("/sources?", "/sources.json?_shape=array&"))
    assert isinstance(rows, list) and rows and {r["region_code"] for r in rows} == {"611000"}
    assert any(r["chosen"] == 1 and "48.9万" in r["sentence"] for r in rows)


def test_a_region_row_followed_to_its_evidence_in_chromium(served: str, chromium) -> None:  # type: ignore[no-untyped-def]
    page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{served}/comparison/611000")
    assert page.locator("body").inner_text().count("商洛市") >= 1
    assert "489000" in page.locator("body").inner_text().replace(",", "")
    # the cell's sources, then the article the chosen value comes from, by its link
    page.goto(f"{served}/sources?region_code=611000&column=poor_population&chosen=1")
    page.locator("td.col-article_id a").first.click()
    page.wait_for_load_state("load")
    assert "/policy_ie/articles/" in page.url
    assert "48.9万" in page.locator("body").inner_text()
