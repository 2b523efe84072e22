"""Value sanity: figures no metric can hold are dropped with a warning, not emitted.

A misread number (40 nines in a row, an id taken for a count) must not become 1e40 yuan of
investment or a poverty rate of 6.9e12 % in the comparison. Each metric figure is checked
against the bounds of its unit (``data/bounds.yaml``, with the reasoning for each bound);
one out of bounds, or not a finite number, is left out of the article, and its record says
which figure it was and why.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

from policy_ie.text.document import Document, MetricMention
from policy_ie.text.lexicon import load_data

BOUNDS_FILE = Path(__file__).with_name("data") / "bounds.yaml"


@cache
def bounds() -> dict[str, tuple[float, float]]:
    """``(min, max)`` by unit, read once from :data:`BOUNDS_FILE` (checked when read)."""
    out = {}
    for unit, entry in load_data(BOUNDS_FILE)["bounds"].items():
        low, high = float(entry.get("min", 0)), float(entry["max"])
        if not low < high:
            raise ValueError(f"{BOUNDS_FILE}: unit {unit!r}: min {low} is not below max {high}")
        out[str(unit)] = (low, high)
    return out


def out_of_bounds(m: MetricMention) -> str | None:
    """Why ``m``'s value is no real figure, or None when it may be one."""
    value = m.value
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return f"{value!r} is not a finite number"
    low, high = bounds().get(m.unit, (-math.inf, math.inf))
    if value < low:
        return f"{value:g} {m.unit} is below {low:g}"
    if value > high:
        return f"{value:g} {m.unit} is more than any {m.metric} can be (at most {high:g} {m.unit})"
    return None


def drop_absurd(doc: Document) -> Document:
    """Leave out of ``doc`` the metric figures out of bounds, with a warning for each."""
    kept = []
    for m in doc.metrics:
        why = out_of_bounds(m)
        if why is None:
            kept.append(m)
        else:
            doc.warnings.append(f"{doc.path}, article {doc.id!r}: figure {m.text!r} at [{m.start}:{m.end}] "
                                f"left out: {why} (bounds: pipeline/data/bounds.yaml); check the article")
    if len(kept) != len(doc.metrics):
        doc.metrics = kept
    return doc
