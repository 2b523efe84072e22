"""Engine: spans already taken by a mention, asked whether a new one overlaps them."""

from __future__ import annotations

import bisect
from itertools import accumulate


class Taken:
    """Spans already taken, asked whether any overlaps ``[s, e)``: a bisect over the spans
    sorted by start with the running maximum of their ends (spans added later, few, are
    walked), not a walk over every mention of a long page."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [a for a, _ in ordered]
        self.reach: list[int] = list(accumulate((b for _, b in ordered), max))  # running maximum
        self.extra: list[tuple[int, int]] = []

    def add(self, a: int, b: int) -> None:
        self.extra.append((a, b))

    def hits(self, s: int, e: int) -> bool:
        k = bisect.bisect_left(self.starts, e) - 1  # spans starting before e
        return (k >= 0 and self.reach[k] > s) or overlaps(s, e, self.extra)


def overlaps(s: int, e: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``[s, e)`` overlaps any of ``spans`` (a plain walk)."""
    return any(s < b and a < e for a, b in spans)
