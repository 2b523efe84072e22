"""Parsing one number as given: full-width folded, stripped, read by :mod:`.grammar`, remembered.

News text repeats its numbers (years, 一, 10, 100), so the reading of a folded string is
remembered in a bounded table; the answer is an immutable pair that depends on the string
alone, so the table never changes a result.
"""

from __future__ import annotations

from functools import lru_cache

from policy_ie.extractors.numbers.grammar import read
from policy_ie.extractors.numbers.tables import normalise


@lru_cache(maxsize=1 << 12)
def parse_clean(t: str) -> tuple[int | float, bool] | None:
    """:func:`parse_number_ex` for text already normalised and stripped (remembered)."""
    return read(t)


def parse_number_ex(s: str) -> tuple[int | float, bool] | None:
    """``(value, vague)`` of one number written any way, or ``None``; never raises."""
    if not isinstance(s, str):
        return None
    return parse_clean(normalise(s).strip())


def parse_number(s: str) -> int | float | None:
    """The value of one number (``"1.45亿" -> 145000000``), or ``None``; never raises."""
    r = parse_number_ex(s)
    return None if r is None else r[0]
