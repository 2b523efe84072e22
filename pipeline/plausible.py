"""Plausibility of a comparison value for its row: bounds by metric and division level.

``data/plausible.yaml`` gives, per metric (or rate column) and row level (country, province,
city, county, town, village), the range a real figure of such a division falls in, each with
its reasoning. A value outside it is most likely another region's figure given to this row
(the whole country's poor population on a county row, a province's poor counties on a
county): :mod:`pipeline.aggregate` keeps it out of the cell, in the drill-down with the reason,
and marks the cell for review. Unlike :mod:`pipeline.sanity` (figures no region can hold,
dropped from the article), nothing here removes a fact.

The file also sets the confidence below which a chosen value is marked ``low_confidence``.
"""

from __future__ import annotations

import math
from functools import cache, lru_cache
from pathlib import Path

from policy_ie.text.document import LEVELS, NATIONAL_LEVEL
from policy_ie.text.lexicon import load_data

PLAUSIBLE_FILE = Path(__file__).with_name("data") / "plausible.yaml"
#: the row levels the bounds are given for, from the top
BOUND_LEVELS = (NATIONAL_LEVEL, *LEVELS)


@cache
def _data() -> tuple[dict[str, dict[str, tuple[float, float, str]]], float]:
    """The bounds (column or metric -> level -> (min, max, why)) and the confidence threshold,
    read once and checked: an error names the file, the entry and what is wrong."""
    data = load_data(PLAUSIBLE_FILE)
    bounds: dict[str, dict[str, tuple[float, float, str]]] = {}
    for key, levels in data["bounds"].items():
        unknown = set(levels) - set(BOUND_LEVELS)
        if unknown:
            raise ValueError(f"{PLAUSIBLE_FILE}: {key}: unknown level(s) {sorted(unknown)}; use {BOUND_LEVELS}")
        out = bounds[str(key)] = {}
        for level, entry in levels.items():
            low, high, why = float(entry.get("min", 0)), float(entry["max"]), str(entry.get("why") or "")
            if not low <= high or not why:
                raise ValueError(f"{PLAUSIBLE_FILE}: {key}.{level}: min {low:g} above max {high:g}, or no `why`")
            out[level] = (low, high, why)
    return bounds, float(data["low_confidence"])


def low_confidence() -> float:
    """The extractor confidence below which a chosen value is marked ``low_confidence``."""
    return _data()[1]


@lru_cache(maxsize=1 << 14)
def implausible(column: str, metric: str, level: str | None, value: float) -> str | None:
    """Why ``value`` cannot be the figure of a ``level`` row in ``column`` (a metric or one of
    its rates, ``metric``), or None when it may be; no bound for an unknown level or metric."""
    bounds = _data()[0]
    entry = bounds.get(column) or bounds.get(metric)
    if entry is None or level not in entry or not math.isfinite(value):
        return None
    low, high, why = entry[level]
    if value > high:
        return f"implausible: {value:g} above {high:g} for a {level} ({why})"
    if value < low:
        return f"implausible: {value:g} below {low:g} for a {level} ({why})"
    return None
