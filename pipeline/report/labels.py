"""Readable column names of the comparison table, from ``labels.yaml`` (loaded once).

Metric keys stay the machine names of the data; the labels are what a person reads in the
xlsx, the report and the terminal (``贫困人口 poor_population``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

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
    data = yaml.safe_load(LABELS_FILE.read_text(encoding="utf-8"))
    for section in ("metrics", "per", "columns", "levels"):
        if not isinstance(data.get(section), dict):
            raise ValueError(f"{LABELS_FILE.name}: section {section!r} missing or not a mapping")
    for key, info in data["metrics"].items():
        if not isinstance(info, dict) or not {"label", "unit", "main"} <= set(info):
            raise ValueError(f"{LABELS_FILE.name}: metric {key!r} needs label, unit and main")
    return data


def metric_info(key: str) -> MetricInfo:
    """Label, unit and chart flag of a metric key (the key itself when it is not listed)."""
    info = labels()["metrics"].get(key)
    if info is None:
        return MetricInfo(key, key, "", False)
    return MetricInfo(key, str(info["label"]), str(info["unit"]), bool(info["main"]))


def metric_order(key: str) -> tuple[int, str]:
    """Sort key: metrics in the order of ``labels.yaml``, unknown ones after, by name."""
    keys = list(labels()["metrics"])
    return (keys.index(key), "") if key in keys else (len(keys), key)


def per_label(per: str) -> str:
    """Chinese for what a rate is per (``year`` -> ``每年``)."""
    return str(labels()["per"].get(per, f"每{per}"))


def column_label(key: str) -> str:
    """Chinese name of a non-metric column."""
    return str(labels()["columns"].get(key, key))


def level_label(level: str | None) -> str:
    """Chinese name of a division level."""
    return str(labels()["levels"].get(level, level or "")) if level else ""
