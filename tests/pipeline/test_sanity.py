"""Value sanity: figures beyond what any metric can be are dropped with a warning on the record."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from policy_ie.pipeline.run import process
from policy_ie.pipeline.sanity import bounds, drop_absurd, out_of_bounds
from policy_ie.text.document import Document, MetricMention
from policy_ie.text.lexicon import load_data

REPO = Path(__file__).resolve().parents[2]


def _metric(value: float, unit: str, metric: str = "m") -> MetricMention:
    return MetricMention("x", 0, 1, metric=metric, value=value, unit=unit)


def _metric_units() -> set[str]:
    """The unit of every metric: from the catalogue (policy_ie.extractors.catalogue) where there
    is one, else from the metric_units of metric_cues.yaml, where they were listed before it."""
    try:
        from policy_ie.extractors.catalogue import catalogue
    except ImportError:
        return set(load_data(REPO / "extractors" / "data" / "metric_cues.yaml")["metric_units"].values())
    return {m.unit for m in catalogue().values()}


def test_every_metric_unit_has_a_bound() -> None:
    units = _metric_units()
    assert units and units <= set(bounds())


@pytest.mark.parametrize("value, unit, kept", [
    (1.41e9, "人", True), (2e9, "人", False), (4.9e8, "户", True), (7e8, "户", False),
    (100, "%", True), (100.5, "%", False), (6.9e12, "%", False), (6.36e13, "元", True), (1e40, "元", False),
    (-5, "人", False), (math.inf, "元", False), (math.nan, "%", False), (3, "吨", True),
])
def test_bounds_by_unit(value: float, unit: str, kept: bool) -> None:
    assert (out_of_bounds(_metric(value, unit)) is None) is kept


def test_absurd_figures_leave_the_article_with_a_warning_each() -> None:
    text = ("某县脱贫攻坚\n全县累计投入扶贫资金" + "9" * 40 + "亿元，贫困发生率由6900000000000%下降到0.8%，"
            "贫困人口由3.2万人减少到1200人。")
    doc = process(Document(id="x", path="x.txt", text=text))
    assert sorted((m.metric, m.value) for m in doc.metrics) == [
        ("poor_population", 1200), ("poor_population", 32000), ("poverty_rate", 0.8)]
    assert len(doc.warnings) == 2
    assert doc.warnings[0].startswith("x.txt, article 'x': figure '" + "9" * 40 + "亿元' at [17:59] left out:")
    assert "more than any investment can be" in doc.warnings[0]
    assert "6.9e+12 % is more than any poverty_rate can be (at most 100 %)" in doc.warnings[1]


def test_a_document_with_sane_figures_is_left_as_it_is() -> None:
    doc = Document(id="y", path="y.txt", text="t")
    doc.metrics = [_metric(1200, "人"), _metric(0.8, "%")]
    before = list(doc.metrics)
    assert drop_absurd(doc).metrics == before and not doc.warnings
