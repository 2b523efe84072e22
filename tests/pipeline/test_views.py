"""`policy-ie compare` and `policy-ie show` as functions over a built dataset."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from policy_ie.pipeline.dataset import write_dataset
from policy_ie.pipeline.views import ViewError, compare, compare_by_year, marked_text, show
from policy_ie.text.document import Document


def _console() -> tuple[Console, io.StringIO]:
    buf = io.StringIO()
    return Console(file=buf, width=250, color_system=None), buf


@pytest.fixture
def built(tmp_path: Path, hand_docs: list[Document]) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for d in hand_docs:  # the inputs the records point to, as a build would have read them
        (folder / f"{d.id}.txt").write_text(d.text, encoding="utf-8")
        d.path = str(folder / f"{d.id}.txt")
    write_dataset(hand_docs, tmp_path / "outputs", use_gazetteer=False)
    return tmp_path / "outputs"


def test_compare_prints_every_region(built: Path) -> None:
    con, buf = _console()
    rows = compare(built, console=con)
    assert {r["region_code"] for r in rows} == {"611000", "611023", "520300", "520303"}
    out = buf.getvalue()
    assert "贫困人口（人）" in out and "poor_population" in out and "302,000 †2 (2017)" in out  # unit, year
    assert "poor_population_year" not in out  # the year is beside the value, not a metric of its own


def test_compare_filters_by_metric_key_or_label_and_region(built: Path) -> None:
    con, _ = _console()
    rows = compare(built, metric="investment", console=con)
    assert {r["region_code"] for r in rows} == {"611000", "611023"}
    assert "poor_population" not in rows[0] and "investment" in rows[0]
    rows = compare(built, metric="收入", console=con)
    assert [k for k in rows[0] if k.startswith("income")] == ["income_per_person"]
    rows = compare(built, region="商南", console=con)
    assert [r["region_name"] for r in rows] == ["商南县"]
    rows = compare(built, region="611000", metric="poor_population", console=con)
    assert [r["poor_population"] for r in rows] == ["302000"]
    with pytest.raises(ViewError, match="choose one of"):
        compare(built, metric="gdp", console=con)


def test_compare_from_facts_when_the_table_is_missing(built: Path) -> None:
    (built / "comparison.csv").unlink()
    con, _ = _console()
    rows = compare(built, metric="poor_population", region="商洛", console=con)
    assert [r["poor_population"] for r in rows] == ["302000"]


def test_compare_without_a_dataset(tmp_path: Path) -> None:
    with pytest.raises(ViewError, match="policy-ie build"):
        compare(tmp_path)


def test_show_marks_mentions_with_labels(built: Path) -> None:
    con, buf = _console()
    text = show("sl-1", built, console=con)
    plain = text.plain
    assert "贫困人口48.9万人[poor_population]" in plain
    assert "“十百千”工程[PROG★]" in plain
    assert "商南县[REGION 611023]" in plain
    out = buf.getvalue()
    assert "商洛:“十百千”工程抓党建促脱贫" in out and "48.9万" in out and "489,000" in out


def test_show_unknown_article_or_missing_input(built: Path, hand_docs: list[Document]) -> None:
    with pytest.raises(ViewError, match="no article"):
        show("nope", built, console=_console()[0])
    Path(hand_docs[1].path).unlink()
    with pytest.raises(ViewError, match="not here"):
        show("sl-2", built, console=_console()[0])


def test_marked_text_skips_overlaps_and_stale_offsets() -> None:
    rec = {"metrics": [{"metric": "poor_population", "start": 0, "end": 6, "text": "贫困人口3万"}],
           "regions": [{"code": "1", "start": 2, "end": 4, "text": "人口"},
                       {"code": "2", "start": 7, "end": 9, "text": "不对"}]}
    assert marked_text("贫困人口3万。全县", rec).plain == "贫困人口3万[poor_population]。全县"


def test_compare_by_year_prints_the_panel_filtered(built: Path) -> None:
    con, buf = _console()
    rows = compare_by_year(built, metric="贫困人口", region="商洛", console=con)
    assert rows and {r["column"] for r in rows} == {"poor_population"}
    assert {r["region_code"] for r in rows} == {"611000"}
    assert any(r["year"] == "2017" and r["value"] == "302000" for r in rows)
    assert "302,000" in buf.getvalue() and "sl-2 [" in buf.getvalue()


def test_compare_all_topics_re_aggregates_the_facts_with_every_article(
        tmp_path: Path, hand_docs: list[Document]) -> None:
    for d in hand_docs:
        d.topic = 0.01 if d.region and d.region.code.startswith("52") else 0.99  # 遵义 off the topic
    write_dataset(hand_docs, tmp_path, use_gazetteer=False)
    codes = {r["region_code"] for r in compare(tmp_path, console=_console()[0])}
    assert not codes & {"520300", "520303"} and "611000" in codes
    every = {r["region_code"] for r in compare(tmp_path, console=_console()[0], all_topics=True)}
    assert {"520300", "520303", "611000"} <= every
    (tmp_path / "facts.csv").unlink()
    with pytest.raises(ViewError, match=r"no facts\.csv to re-aggregate with --all-topics"):
        compare(tmp_path, console=_console()[0], all_topics=True)
