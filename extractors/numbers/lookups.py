"""Look-ups derived once from the tables, so that the scan of each number is cheap.

Nothing here is a rule: the candidate-number pattern and the first and last characters
of the qualifier and rate words are read off ``numerals.yaml`` and ``units.yaml``
(:mod:`.tables`) and rebuilt whenever those tables are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from policy_ie.extractors.numbers.tables import Numerals, UnitTable, alt


def number_re(n: Numerals, follow: frozenset[str], determiners: frozenset[str]) -> Any:
    """Candidate numbers: Arabic (with 万/亿 and the like) or runs of Chinese numerals.

    A single Chinese numeral is a candidate only before a character in ``follow``: alone
    and before anything else it is part of a word (一些, 统一), never a quantity, and most
    numerals of a text are such (a run of two or more is still taken whole: its end may not
    parse, and the part that does may stand before a unit). A single determiner (一) is
    never one: before a unit it is a determiner (一个村), else part of a word.
    """
    cn = re.escape(n.chars)
    big = re.escape("".join(n.small) + "".join(n.large))
    arabic = r"\d+(?:,\d{3})*(?:\.\d+)?"
    alone = "".join(ch for ch in n.chars if ch not in determiners or ch in n.large)
    single = (rf"[{re.escape(alone)}](?=[{re.escape(''.join(sorted(follow)))}])"
              if follow and alone else "(?!)")
    # a decimal in numerals (四十八点九万): its digits taken whole (possessive), and none
    # when a small unit or another point follows them (八点三十分 is a time, 一点一点 a word)
    decimal = (rf"[{cn}]+{re.escape(n.point)}[{re.escape(''.join(sorted(n.fraction)))}]++"
               rf"(?![{re.escape(''.join(n.small) + n.point)}])[{re.escape(''.join(n.large))}]*|"
               if n.point else "")
    # the look-ahead lets the engine skip to the next digit or numeral at once
    return re.compile(
        rf"(?=[\d{cn}])(?:{arabic}(?:[{big}]+(?:\d+(?:\.\d+)?[{big}]*)*)?|{decimal}[{cn}]{{2,}}|{single})")


@dataclass(frozen=True, slots=True)
class Words:
    """Words of one table of ``units.yaml``, longest first, with their first and last characters.

    A word can start (or end) only with one of those: one set look-up per number replaces a
    ``startswith`` per word for the great majority of numbers, which have no such word.
    """

    words: tuple[str, ...]
    first: frozenset[str]
    last: frozenset[str]


def _words(table: dict[str, str], what: str) -> Words:
    words = tuple(sorted(table, key=len, reverse=True))
    if any(not isinstance(w, str) or not w for w in words):
        raise ValueError(f"units.yaml: {what} words must be non-empty strings")
    return Words(words, frozenset(w[0] for w in words), frozenset(w[-1] for w in words))


@dataclass(frozen=True, slots=True)
class ScanTables:
    """Look-ups derived once from a :class:`UnitTable` for the scan of each number."""

    infix: Words
    suffix: Words
    per_suffix: Words
    prefix: Words
    per_prefix_any: Any  # a clause without any rate word skips the search for the nearest
    unit_or_infix: frozenset[str]  # first characters of units and infix qualifiers
    large: frozenset[str]  # 万, 亿
    numbers: Any  # candidate numbers (number_re)
    after_unit: frozenset[str]  # first characters of rate and qualifier words after a unit


_DERIVED: list[tuple[UnitTable, Numerals, ScanTables]] = []


def scan_tables(t: UnitTable, n: Numerals) -> ScanTables:
    """The :class:`ScanTables` of ``t`` and ``n`` (built on first use, kept for those tables)."""
    if _DERIVED and _DERIVED[0][0] is t and _DERIVED[0][1] is n:
        return _DERIVED[0][2]
    words = [w for w in t.per_prefix if isinstance(w, str) and w]
    if len(words) != len(t.per_prefix):
        raise ValueError("units.yaml: per prefix words must be non-empty strings")
    infix = _words(t.infix_q, "infix")
    if any(not u.text for u in t.units):
        raise ValueError("units.yaml: unit texts must be non-empty")
    follow = infix.first | {u.text[0] for u in t.units}
    suffix, per_suffix = _words(t.suffix_q, "suffix"), _words(t.per_suffix, "per suffix")
    x = ScanTables(infix, suffix, per_suffix, _words(t.prefix_q, "prefix"),
                   re.compile(alt(words) or "(?!)"), follow, frozenset(n.large),
                   number_re(n, follow, t.determiners), suffix.first | per_suffix.first)
    _DERIVED[:] = [(t, n, x)]
    return x
