"""The metric catalogue: which metrics there are, in which order, and what each one is.

Every metric is described once, in ``data/metrics.yaml`` (key, Chinese and English label,
unit, whether the report charts it, definition, what it is not, both also in Chinese, a summary
of its cues). The
cue rules, the report and the xlsx, model training and evaluation read the metrics here, so
that adding a metric touches that file, the cue file and a test, and no code.

May import: :mod:`policy_ie.text` only (it is read by the whole extractors layer and above).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from policy_ie.text.lexicon import load_data

DATA = Path(__file__).parent / "data" / "metrics.yaml"
FIELDS = ("key", "label", "label_en", "unit", "main", "definition", "not", "cues")
#: fields an entry may have besides :data:`FIELDS` (the Chinese of its definition and exclusions)
OPTIONAL = ("definition_zh", "not_zh")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class Metric:
    """One metric of the catalogue."""

    key: str  # machine name (MetricMention.metric, gold files)
    label: str  # Chinese name
    label_en: str  # English name
    unit: str  # base unit of its values (人, 户, 个, %, 元)
    main: bool  # a headline metric: the report charts it
    definition: str  # what it counts
    excludes: str  # what it is not
    cues: str  # how a text says it (summary; the rules are in metric_cues.yaml)
    definition_zh: str = ""  # what it counts, in Chinese ("" when the catalogue does not say)
    excludes_zh: str = ""  # what it is not, in Chinese


@cache
def catalogue() -> dict[str, Metric]:
    """The metrics by key, in catalogue order, loaded and validated once."""
    entries = load_data(DATA).get("metrics")
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"{DATA.name}: 'metrics' must be a non-empty list")
    out: dict[str, Metric] = {}
    for k, e in enumerate(entries):
        if not isinstance(e, dict) or not set(FIELDS) <= set(e) <= {*FIELDS, *OPTIONAL}:
            raise ValueError(f"{DATA.name}: entry {k + 1} must have the fields {', '.join(FIELDS)} "
                             f"(and may have {', '.join(OPTIONAL)}), no others")
        key = e["key"]
        if not isinstance(key, str) or not _KEY.match(key):
            raise ValueError(f"{DATA.name}: entry {k + 1}: key {key!r} is not a snake_case name")
        if key in out:
            raise ValueError(f"{DATA.name}: metric {key!r} listed twice")
        if not isinstance(e["main"], bool):
            raise ValueError(f"{DATA.name}: {key}: main must be true or false")
        texts = [f for f in (*FIELDS, *OPTIONAL) if f not in ("key", "main") and f in e]
        for f in texts:
            if not isinstance(e[f], str) or not e[f].strip():
                raise ValueError(f"{DATA.name}: {key}: {f} must be a non-empty text")
        out[key] = Metric(key, e["label"], e["label_en"], e["unit"], e["main"],
                          e["definition"], e["not"], e["cues"], e.get("definition_zh", ""), e.get("not_zh", ""))
    return out


def metric_keys() -> tuple[str, ...]:
    """The metric keys, in catalogue order."""
    return tuple(catalogue())


def metric(key: str) -> Metric:
    """The catalogue entry of ``key`` (KeyError for a key not in the catalogue)."""
    return catalogue()[key]
