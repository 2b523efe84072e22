"""The codebook every output carries: what each metric counts, what the columns mean, where the build came from.

Nothing here is written a second time: the metrics come from the metric catalogue
(``extractors/data/metrics.yaml``: label, unit, definition, cues, what it is not, from
ANNOTATION.md's table), the columns from the descriptions ``policy-ie serve`` gives Datasette
(``data/datasette.yaml``: ``columns`` by name, ``conventions`` by ending, such as
``<column>_year``). This module turns them into plain rows (tuples of text) that the xlsx's
``about`` sheet, ``comparison.md`` and ``report.html`` each lay out in their own way, with the
build's :class:`Provenance` (time, version, inputs, options, number of articles).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from policy_ie.extractors.catalogue import catalogue
from policy_ie.pipeline.version import fingerprint
from policy_ie.text.lexicon import load_data

DATASETTE_FILE = Path(__file__).parent / "data" / "datasette.yaml"
#: the headers of the metric table (Chinese / English)
METRIC_HEADER = ("指标 metric", "中文名 label", "English", "单位 unit", "含义 what it counts",
                 "线索 cues", "不包括 what it is not")
COLUMN_HEADER = ("列 column", "说明 meaning")
PROVENANCE_HEADER = ("项目 item", "值 value")
#: how one value of a cell is chosen among several (README, *Aggregation*)
CELL_RULE = ("单元格取值规则：实际数先于计划数，参照日期最新者优先，总数先于部分，置信度高者优先，数值大者优先 / "
             "cell rule: reported before planned, the latest reference date, totals before parts, "
             "the higher confidence, the larger value (README, Aggregation)")
UNITS_NOTE = ("数值均为基本单位：人、户、个、元（不是万元）、%（百分点：0.77 即 0.77%）/ "
              "values are in base units: people, households, items, yuan (not 10,000 yuan), "
              "percent (0.77 means 0.77%)")


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a build came from: when, by which version, from which inputs and options."""

    built: str = ""
    version: str = ""
    fingerprint: str = ""
    inputs: tuple[str, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)
    articles: int | None = None

    def rows(self) -> list[tuple[str, str]]:
        """The provenance as (item, value) rows, bilingual item names."""
        opts = "; ".join(f"{k}={v}" for k, v in self.options.items() if v not in (None, [], ""))
        return [("生成时间 built (UTC)", self.built), ("版本 policy-ie version", self.version),
                ("流水线指纹 pipeline fingerprint", self.fingerprint),
                ("输入 input", "; ".join(self.inputs) or "-"), ("选项 options", opts or "-"),
                ("文章数 articles", "" if self.articles is None else str(self.articles))]


def provenance(inputs: Sequence[str | os.PathLike[str]] = (), options: Mapping[str, Any] | None = None,
               articles: int | None = None) -> Provenance:
    """The provenance of a build starting now (``SOURCE_DATE_EPOCH``, when set, gives the time,
    so that a build can be made reproducible)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    when = datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else datetime.now(UTC)
    return Provenance(when.strftime("%Y-%m-%dT%H:%M:%SZ"), package_version(), fingerprint(),
                      tuple(os.fspath(p) for p in inputs), dict(options or {}), articles)


def package_version() -> str:
    """The installed policy-ie's version (``unknown`` when it runs from an uninstalled tree)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("policy-ie")
    except PackageNotFoundError:
        return "unknown"


@cache
def _descriptions() -> tuple[dict[str, str], dict[str, str]]:
    data = load_data(DATASETTE_FILE)
    columns, conventions = data.get("columns"), data.get("conventions")
    if not isinstance(columns, dict) or not isinstance(conventions, dict):
        raise ValueError(f"{DATASETTE_FILE}: sections 'columns' and 'conventions' must be mappings")
    return {str(k): str(v) for k, v in columns.items()}, {str(k): str(v) for k, v in conventions.items()}


def column_descriptions() -> dict[str, str]:
    """Columns described by name (``data/datasette.yaml``, section ``columns``)."""
    return dict(_descriptions()[0])


def conventions() -> dict[str, str]:
    """Columns described by pattern (``<column>_year`` …), section ``conventions``."""
    return dict(_descriptions()[1])


def both(zh: str, en: str) -> str:
    """A text in Chinese and English (``zh / en``), or the English alone when there is no Chinese."""
    return f"{zh} / {en}" if zh else en


def metric_description(key: str) -> str:
    """One line about a metric: labels, unit, what it counts, what it is not."""
    m = catalogue()[key]
    text = f"{m.label} / {m.label_en} ({m.unit}): {m.definition}; not: {m.excludes}"
    return f"{text}（{m.definition_zh}；不包括：{m.excludes_zh}）" if m.definition_zh else text


def metric_column(column: str) -> str | None:
    """The metric of a metric column (``poor_population``, the rate ``investment_per_year``), else None."""
    from policy_ie.pipeline.report.labels import labels

    if column in catalogue():
        return column
    metric, sep, per = column.partition("_per_")
    return metric if sep and metric in catalogue() and per in labels()["per"] else None


def _named_after(column: str) -> tuple[str, str] | None:
    """(metric column, ending) of a column named after a metric column (``poor_population_year``)."""
    best = None
    for i, ch in enumerate(column):
        if ch == "_" and metric_column(column[:i]) is not None:
            best = (column[:i], column[i:])  # the longest metric column it starts with
    return best


def describe(column: str) -> str | None:
    """What a comparison column means: by its name, as a metric column, or by the convention
    its ending matches (``poor_population_year``); None for a column described nowhere."""
    named = column_descriptions()
    if column in named:
        return named[column]
    metric = metric_column(column)
    if metric is not None:
        text = metric_description(metric)
        return text if metric == column else f"{text}; {conventions().get('<metric>_per_<per>', '')}"
    after = _named_after(column)
    return conventions().get(f"<column>{after[1]}") if after else None


def metric_rows() -> list[tuple[str, ...]]:
    """Every metric of the catalogue as a row under :data:`METRIC_HEADER`."""
    return [(m.key, m.label, m.label_en, m.unit, both(m.definition_zh, m.definition), m.cues,
             both(m.excludes_zh, m.excludes)) for m in catalogue().values()]


def column_rows(header: Sequence[str]) -> list[tuple[str, str]]:
    """The columns of ``header`` with their meaning: the region and other columns by name, the
    metric columns once by their conventions (``<column>_year`` …, not per metric: the metrics
    have their own table); a column described nowhere still gets a row, so that a new column
    is never left out silently."""
    rows: dict[str, str] = {}
    for col in header:
        if metric_column(col) is not None:
            continue  # the metrics table and the conventions describe it
        after = _named_after(col)
        if after is None:
            rows[col] = describe(col) or "-"
        elif f"<column>{after[1]}" not in conventions():  # a kind of column no convention describes yet
            rows[f"<column>{after[1]}"] = "-"
    return [*rows.items(), *conventions().items()]


Section = tuple[str, tuple[str, ...], list[tuple[str, ...]]]


def sections(header: Sequence[str], provenance: Provenance, notes: Iterable[str] = ()) -> list[Section]:
    """The codebook of a comparison with columns ``header`` as (title, header, rows) sections:
    provenance, metrics, columns, notes (a note is a row of one cell)."""
    return [("来源 Provenance", PROVENANCE_HEADER, list(provenance.rows())),
            ("指标 Metrics", METRIC_HEADER, metric_rows()),
            ("列 Columns", COLUMN_HEADER, list(column_rows(header))),
            ("注 Notes", ("note",), [(n,) for n in notes])]


def notes() -> list[str]:
    """The notes that are not about one column: units, the cell rule."""
    return [UNITS_NOTE, CELL_RULE]
