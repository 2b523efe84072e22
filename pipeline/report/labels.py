"""Readable column names of the comparison table (loaded once).

Metric keys stay the machine names of the data; the labels are what a person reads in the
xlsx, the report and the terminal (``贫困人口 poor_population``). A metric's label, unit and
chart flag come from the metric catalogue (:mod:`policy_ie.extractors.catalogue`); what is
not per metric (rates, other columns, levels) from ``labels.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from policy_ie.extractors.catalogue import catalogue, metric_keys
from policy_ie.text.lexicon import load_data

LABELS_FILE = Path(__file__).resolve().parent / "labels.yaml"
#: units shown with thousands separators
GROUPED_UNITS = frozenset({"元", "人", "户", "个"})


@dataclass(frozen=True, slots=True)
class MetricInfo:
    """A metric key's label, unit and whether it gets a chart."""

    key: str
    label: str
    unit: str
    main: bool


@cache
def labels() -> dict[str, Any]:
    """The parsed ``labels.yaml``, checked for the sections and fields the code reads."""
    data = load_data(LABELS_FILE)
    for section in ("per", "columns", "levels"):
        if not isinstance(data.get(section), dict):
            raise ValueError(f"{LABELS_FILE.name}: section {section!r} missing or not a mapping")
    return data


def metric_info(key: str) -> MetricInfo:
    """Label, unit and chart flag of a metric key (the key itself when it is not listed)."""
    m = catalogue().get(key)
    if m is None:
        return MetricInfo(key, key, "", False)
    return MetricInfo(key, m.label, m.unit, m.main)


def metric_order(key: str) -> tuple[int, str]:
    """Sort key: metrics in the order of the catalogue, unknown ones after, by name."""
    keys = metric_keys()
    return (keys.index(key), "") if key in keys else (len(keys), key)


def per_label(per: str) -> str:
    """Chinese for what a rate is per (``year`` -> ``每年``)."""
    return str(labels()["per"].get(per, f"每{per}"))


def unit_label(metric: str, per: str | None = None) -> str:
    """A metric column's name with its unit (and what a rate is per): ``贫困人口（人）``,
    ``投资额（每年，元）``: the headers of the xlsx, comparison.md and the report."""
    info = metric_info(metric)
    inside = [per_label(per)] if per else []
    inside += [info.unit] if info.unit else []
    return f"{info.label}（{'，'.join(inside)}）" if inside else info.label


def column_label(key: str) -> str:
    """Chinese name of a non-metric column."""
    return str(labels()["columns"].get(key, key))


def level_label(level: str | None) -> str:
    """Chinese name of a division level."""
    return str(labels()["levels"].get(level, level or "")) if level else ""
