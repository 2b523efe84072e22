"""The codebook: one source for the metrics (the catalogue) and the columns (datasette.yaml),
described for every column a comparison has, with the build's provenance."""

from __future__ import annotations

import re
from pathlib import Path

from policy_ie.extractors.catalogue import catalogue
from policy_ie.pipeline import codebook
from policy_ie.pipeline.codebook import column_rows, describe, metric_column, provenance


def test_provenance_records_time_version_inputs_and_options(monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    p = provenance([Path("corpus/news.jsonl"), "more"], {"dedupe": True, "time_limit": None}, articles=12)
    rows = dict(p.rows())
    assert p.built == "2023-11-14T22:13:20Z" == rows["生成时间 built (UTC)"]
    assert rows["输入 input"] == "corpus/news.jsonl; more" and rows["选项 options"] == "dedupe=True"
    assert rows["文章数 articles"] == "12" and re.fullmatch(r"[0-9a-f]{16}", rows["流水线指纹 pipeline fingerprint"])
    assert rows["版本 policy-ie version"] == codebook.package_version() != ""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not a number")  # ignored: the time of the build
    assert re.fullmatch(r"20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ", provenance().built)


def test_columns_are_described_by_name_metric_or_convention() -> None:
    assert describe("region_code").startswith("区划代码 / ")
    assert describe("poor_population").startswith("贫困人口 / poor population (人): people registered")
    assert describe("poor_population_year").startswith("数值所属年份")
    assert describe("investment_per_year_year_source").startswith("年份来源")  # a rate's, not a "_year" column
    assert "a rate" in describe("investment_per_year")
    assert metric_column("investment_per_year") == "investment" and metric_column("investment_per_fortnight") is None
    assert describe("poor_population_review").startswith("核查") and describe("nothing_known") is None
    assert describe("poor_population_flagged") is None


def test_column_rows_list_each_plain_column_once_and_a_new_column_never_silently() -> None:
    header = ["region_code", "poor_population", "poor_population_year", "poor_population_year_source",
              "poor_population_flagged", "investment", "investment_flagged", "conflicts", "new_column"]
    rows = dict(column_rows(header))
    assert "poor_population" not in rows and "poor_population_year" not in rows  # the metrics table, the conventions
    assert rows["<column>_flagged"] == "-" and rows["new_column"] == "-"  # once, not per metric
    assert rows["conflicts"].startswith("冲突值") and "poor_population_flagged" not in rows
    assert {"<column>_year", "<column>_year_source", "<metric>_per_<per>"} <= rows.keys()


def test_every_metric_of_the_catalogue_is_in_the_codebook() -> None:
    rows = {r[0]: r for r in codebook.metric_rows()}
    assert list(rows) == list(catalogue())
    for key, m in catalogue().items():
        assert rows[key] == (key, m.label, m.label_en, m.unit, f"{m.definition_zh} / {m.definition}", m.cues,
                             f"{m.excludes_zh} / {m.excludes}")
        assert m.definition_zh and m.excludes_zh  # every metric described in both languages
    assert len(codebook.METRIC_HEADER) == len(rows["poor_population"])


def test_the_codebooks_metrics_and_units_are_annotation_mds(shared: Path) -> None:
    """The catalogue the codebook reads agrees with ANNOTATION.md's metric table: keys and units."""
    text = (shared / "ANNOTATION.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| ([a-z_]+) \| (\S+) \|", text, flags=re.M))
    table.pop("metric")  # the table's header
    assert {r[0]: r[3] for r in codebook.metric_rows()} == table
