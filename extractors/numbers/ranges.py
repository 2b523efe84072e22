"""Ranges and changes: two quantities read as the two ends of one (由329万减少到25.5万, 1至3年).

A span (1至3年, 3-5万元) joins its ends with a connector of ``units.yaml``; a change needs
its opener before (由, 从) and its verb between (减少到). The first end of a span takes the
unit, rate and magnitude of the second when it has none (3-5万元: 30000 to 50000).
"""

from __future__ import annotations

import itertools
from decimal import Decimal

from policy_ie.extractors.numbers.grammar import as_number
from policy_ie.extractors.numbers.quantity import TIME_CLASSES, Quantity
from policy_ie.extractors.numbers.tables import UnitTable, numerals

#: Magnitudes a calendar time never has (101.5万 before 2016年 is a count, not a year).
_LARGE = frozenset("万亿")


def link_ranges(text: str, qs: list[Quantity], t: UnitTable) -> None:
    """Link the two ends of ranges and changes (由329万减少到25.5万, 1至3年).

    A second pass skips calendar times between the ends (从2021年的14051元增长至2024年的
    17522元). It tries only pairs that have such a time between them: a pair next to each
    other was tried in the first pass and reads the same now (only a link changes what
    the test reads, and a linked end is skipped).
    """
    counts = [(k, q) for k, q in enumerate(qs) if q.unit_class not in TIME_CLASSES]
    group = 0
    for a, b in itertools.pairwise(qs):
        group = try_link(text, a, b, group, t)
    for (i, a), (j, b) in itertools.pairwise(counts):
        if j > i + 1:
            group = try_link(text, a, b, group, t)


def try_link(text: str, a: Quantity, b: Quantity, group: int, t: UnitTable) -> int:
    """Link ``a`` and ``b`` as group ``group + 1`` if they are a range or change; the last group."""
    if a.group is not None or b.group is not None:
        return group
    if not (a.unit is None or a.unit_class == b.unit_class):
        return group  # neither a change nor a span joins two kinds
    if a.unit is None and b.unit_class in TIME_CLASSES and not _LARGE.isdisjoint(a.text):
        return group  # 从2011年101.5万减少到2016年的41.8万: 101.5万 is no time (万年 is none)
    gap = text[a.end:b.start]
    is_span = t.span_join.fullmatch(gap) is not None
    if not is_span and not (t.change_verb.fullmatch(gap)
                            and t.change_open_re.search(text[max(0, a.start - 10):a.start])):
        return group  # a change needs its verb between and its opener before (由/从)
    _link(text, a, b, group + 1, is_span, t)
    return group + 1


def _link(text: str, a: Quantity, b: Quantity, group: int, is_span: bool, t: UnitTable) -> None:
    a.group = b.group = group
    a.role, b.role = "from", "to"
    if a.unit is None and b.unit is not None:
        a.unit, a.unit_class = b.unit, b.unit_class
        big = _trailing_factor(text[b.number_start:b.number_end]) * _unit_factor(b, t)
        if is_span and big > 1 and a.value * big <= b.value:
            a.value = as_number(Decimal(str(a.value)) * big)
    if a.per is None:
        a.per = b.per
    if b.per is None:
        b.per = a.per
    if a.qualifier == "planned" or b.qualifier == "planned":
        b.qualifier = b.qualifier or a.qualifier


def _trailing_factor(num: str) -> int:
    n = numerals()
    f = 1
    for ch in reversed(num):
        if ch in n.large:
            f *= n.large[ch]
        elif ch in n.small:
            f *= n.small[ch]
        else:
            break
    return f


def _unit_factor(q: Quantity, t: UnitTable) -> int:
    for u in t.units:
        if q.text[q.number_end - q.number_start:].startswith(u.text):
            return u.factor
    return 1

