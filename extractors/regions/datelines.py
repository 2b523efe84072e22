"""Rules: datelines, where a story was filed (本报北京6月1日电), not what it is about.

The pattern is ``dateline`` in ``regions.yaml``; it is looked for in the opening of the text
(``opening_chars``, and ``dateline_margin`` more). The article region skips the places named there, and
so do the metrics' regions (:mod:`policy_ie.extractors.metrics`).
"""

from __future__ import annotations

import re
from functools import cache

from policy_ie.extractors.gazetteer import region_data


def dateline_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the datelines in the opening of a clean text (本报北京6月1日电): the place
    there is where the story was filed, not what it is about."""
    data = region_data()
    limit = data["opening_chars"] + data["dateline_margin"]
    return [(m.start(), m.end()) for m in _dateline().finditer(text[:limit])]


@cache
def _dateline() -> re.Pattern[str]:
    return re.compile(region_data()["dateline"])
