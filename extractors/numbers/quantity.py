"""The quantity around one number: its unit, qualifier (约, 余, 左右 ...) and rate (人均, /年 ...).

:func:`read_quantity` applies the rules of ``units.yaml`` to the text around a number the
scanner found: a bare Chinese numeral or a determiner before a unit (一个村) is part of a
word, not a count; an ordinal, rank or code is refused; the qualifier and rate words
before, between and after are read. The look-ups it uses come from :mod:`.lookups`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from policy_ie.extractors.numbers.grammar import as_number
from policy_ie.extractors.numbers.lookups import ScanTables
from policy_ie.extractors.numbers.tables import Numerals, Unit, UnitTable

#: How far back in its clause a cue (计划, 每) still qualifies a number, in characters: real
#: clauses are far shorter, and a bound keeps a clause dense in numbers linear.
CUE_WINDOW = 256

#: Unit classes that are calendar times or ages: never counts, never range ends of counts.
TIME_CLASSES = ("time", "age")


@dataclass(slots=True)
class Quantity:
    """A quantity expression: offsets into the scanned text, value in base units."""

    start: int
    end: int
    text: str
    value: int | float
    unit: str | None
    unit_class: str
    qualifier: str | None = None
    per: str | None = None
    group: int | None = None
    role: str | None = None
    number_start: int = 0
    number_end: int = 0
    chinese: bool = False


def read_quantity(text: str, s: int, e: int, val: int | float, vague: bool,
                  t: UnitTable, n: Numerals, c0: int, x: ScanTables) -> Quantity | None:
    """Build the quantity around the number ``text[s:e]`` or ``None`` if it is not one.

    ``c0`` is the start of the number's clause; ``x`` the look-ups of ``t`` and ``n``.
    """
    chinese = text[s] in n.chars
    if chinese and ((e < len(text) and text[e] in n.digits) or (s > 0 and text[s - 1] in n.digits)):
        return None  # 十三五: a name made of numerals
    pos = e
    qualifier = "approx" if vague else None
    if text[pos:pos + 1] in x.infix.first:
        val, qualifier, pos = _infix(text, pos, val, qualifier, t, n, x.infix.words)
    um = t.unit_re.match(text, pos)
    unit: Unit | None = None
    if um:
        unit = t.unit_by_text[um.group()]
        pos = um.end()
        if chinese and text[s:e] in t.determiners:
            return None  # 一个村, 一批: a determiner, not a count
    elif chinese and x.large.isdisjoint(text[s:pos]):
        return None  # bare Chinese numeral: part of a word (三农, 五措并举); not 二十多万
    if t.not_before.search(text[max(0, s - 8):s]) or t.not_after.search(text[e:e + 4]):
        return None  # an ordinal, a rank or part of a code (the cheaper refusals come first)
    per = None
    if unit is None:
        # 8亿多贫困人口, 500多贫困人口, 2000多贫困户: the infix qualifies a bare count before
        # its noun (a Chinese numeral without 万 or 亿 was refused above)
        if text[pos:pos + 1] in t.infix_q:
            qualifier = qualifier or t.infix_q[text[pos]]
            pos += 1
    elif text[pos:pos + 1] in x.after_unit:
        pos, per, qualifier = _unit_suffixes(text, pos, qualifier, t, x)
    # the clause before the number, at most NEAR characters of it: a cue further back in one
    # clause does not qualify the number, and a clause dense in numbers (2019年1月2日 repeated
    # with no comma) read whole before each one was quadratic
    before = text[max(c0, s - CUE_WINDOW):s]
    if before[-1:] in x.prefix.last:
        pk = _longest_suffix(before, x.prefix.words)
        if pk:
            qualifier = t.prefix_q[pk]
    if t.planned.search(before):
        qualifier = "planned"
    if per is None and x.per_prefix_any.search(before):
        # a rate word does not reach past a sum that closes a modifier (人均收入不足1000元的
        # 贫困村下发的100万扶贫款: the rate is 1000元's; 100万 is no sum per person)
        closed = _CLOSED_SUM.search(before)
        per = _nearest_rate(before[closed.end():] if closed else before, t.per_prefix)
    # positional (cheaper than keywords): ..., qualifier, per, group, role, number_start, number_end, chinese
    if unit is None:
        return Quantity(s, pos, text[s:pos], _integral(val), None, "bare", qualifier, per,
                        None, None, s, e, chinese)
    value = as_number(Decimal(str(val)) * unit.factor) if unit.factor != 1 else _integral(val)
    return Quantity(s, pos, text[s:pos], value, unit.base, unit.cls, qualifier, per, None, None, s, e, chinese)


_CLOSED_SUM = re.compile(r"[\d万亿](?:元|元以上|元以下|元左右)的(?!.*[\d万亿](?:元|元以上|元以下|元左右)的)", re.S)


def _integral(v: int | float) -> int | float:
    """``v``, as an int when it is a whole float."""
    return int(v) if isinstance(v, float) and v.is_integer() else v


def _unit_suffixes(text: str, pos: int, qualifier: str | None, t: UnitTable,
                   x: ScanTables) -> tuple[int, str | None, str | None]:
    """``(position, rate, qualifier)`` after the rate and qualifier words that follow a unit (万元/年, 5000元左右)."""
    per = None
    if text[pos:pos + 1] in x.per_suffix.first:
        k = _starting(text, pos, x.per_suffix.words)
        if k is not None:
            per = t.per_suffix[k]
            pos += len(k)
    if text[pos:pos + 1] in x.suffix.first:
        k = _starting(text, pos, x.suffix.words)
        if k is not None:
            qualifier = qualifier or t.suffix_q[k]
            pos += len(k)
    return pos, per, qualifier


def _infix(text: str, pos: int, val: int | float, qualifier: str | None, t: UnitTable,
           n: Numerals, words: tuple[str, ...]) -> tuple[int | float, str | None, int]:
    """``(value, qualifier, position)`` after an infix qualifier at ``pos`` (3200余个)."""
    for k in words:
        j = pos + len(k)
        # 280多万 (but 3200余万元 is number, qualifier, unit 万元)
        if (text.startswith(k, pos) and j < len(text) and text[j] in n.large
                and t.unit_re.match(text, j) is None):
            val = as_number(Decimal(str(val)) * n.large[text[j]])
            qualifier = qualifier or t.infix_q[k]
            pos = j + 1
            break
    for k in words:
        if text.startswith(k, pos) and t.unit_re.match(text, pos + len(k)):
            qualifier = qualifier or t.infix_q[k]
            pos += len(k)
            break
    return val, qualifier, pos


def _starting(text: str, pos: int, words: tuple[str, ...]) -> str | None:
    """The longest of ``words`` that ``text`` has at ``pos``, or None."""
    for k in words:
        if text.startswith(k, pos):
            return k
    return None


def _longest_suffix(s: str, words: tuple[str, ...]) -> str | None:
    for k in words:
        if s.endswith(k):
            return k
    return None


def _nearest_rate(before: str, per_prefix: dict[str, str]) -> str | None:
    """The rate of the per-prefix word ending last in ``before`` (the first listed on a tie)."""
    best, per = -1, None
    for k, v in per_prefix.items():
        i = before.rfind(k)
        if i >= 0 and i + len(k) > best:
            best, per = i + len(k), v
    return per
