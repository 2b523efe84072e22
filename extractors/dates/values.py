"""The ISO 8601 value of each kind of date mention, and the matches that are not dates.

A match of a pattern of :mod:`.forms` becomes a value here: years, months and days in
digits or numerals, relative words resolved against the publication date or the year the
sentence gave last (:class:`Ctx`), parts of years as month ranges, ranges as ``a/b``.
A 4-digit number + 年 that is a count or a duration (5000年文明, 长达1000年) is no date
(:data:`SKIP`); an unresolvable mention has value ``None``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from policy_ie.extractors.dates.forms import alt
from policy_ie.extractors.dates.vocab import vocab

#: The value of a match that is not a date mention at all (dropped by the scanner).
SKIP = object()


def _cn_small(s: str) -> int | None:
    """Value of a small Chinese or Arabic numeral (1..31)."""
    if s.isdigit():
        return int(s)
    nums = vocab().small_numerals
    if not s or any(c not in nums for c in s):
        return None
    if "十" not in s:
        return nums[s] if len(s) == 1 else None
    tens_s, _, unit_s = s.partition("十")
    tens = nums[tens_s] if tens_s else 1
    unit = nums[unit_s] if unit_s else 0
    return tens * 10 + unit


def _year_value(s: str) -> int | None:
    v = vocab()
    if s.isdigit():
        y = int(s)
    elif all(c in v.year_digits for c in s):
        y = int("".join(str(v.year_digits[c]) for c in s))
    else:
        return None
    return y if v.year_lo <= y <= v.year_hi else None


def _grp(g: dict[str, str | None], name: str) -> str | None:
    """The first non-empty of group ``name`` and its renamed repeats (``name_b``, ...)."""
    k = name
    while k in g:
        if g[k]:
            return g[k]
        k += "_b"
    return None


def _iso(y: int, m: int | None = None, d: int | None = None) -> str | None:
    """ISO text of a year, month or day; None when it is not a date we read."""
    if not vocab().year_lo <= y <= vocab().year_hi:
        return None
    if m is None:
        return f"{y:04d}"
    if not 1 <= m <= 12:
        return None
    if d is None:
        return f"{y:04d}-{m:02d}"
    if not 1 <= d <= calendar.monthrange(y, m)[1]:
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def parse_pub(published: str | None) -> dt.date | None:
    if not published:
        return None
    try:
        day = dt.date.fromisoformat(str(published)[:10])
    except ValueError:
        return None
    # a date outside the calendar years we read resolves nothing (and cannot overflow)
    return day if vocab().year_lo <= day.year <= vocab().year_hi else None


def _shift_month(y: int, m: int, k: int) -> tuple[int, int]:
    n = y * 12 + (m - 1) + k
    return n // 12, n % 12 + 1


def _year_for_month(m: int, d: int | None, pub: dt.date | None) -> int | None:
    """The year of a month named without one: the publication year, or the year before
    when that would put the month far after the publication date."""
    if pub is None:
        return None
    ahead = m - pub.month
    return pub.year - 1 if ahead > vocab().future_months_limit else pub.year


def _range(a: str | None, b: str | None) -> str | None:
    if a is None or b is None:
        return None
    if a == b:
        return a
    # compare on the common precision: an end before the start is not a range
    n = min(len(a), len(b))
    if b[:n] < a[:n]:
        return None
    return f"{a}/{b}"


@dataclass(slots=True)
class Ctx:
    pub: dt.date | None
    year: int | None = None  # the last year given earlier in the sentence
    month: int | None = None  # ... and its month, when given
    #: the last year given anywhere before by a mention that names it (not by 同年 itself):
    #: 同年8月 after ……2017年年底……。 in a sentence before (``context_years_across``)
    last_year: int | None = None


def _end_value(g: dict[str, str | None], n: str, ctx: Ctx,
               base: tuple[int | None, int | None] = (None, None)) -> tuple[
                   int | None, int | None, int | None, bool]:
    """(year, month, day, resolved) of one end of a main-pattern match.

    ``n`` is the group suffix (``''`` first end, ``'2'`` second); ``base`` is the year
    and month of the first end, which the second end inherits.
    """
    v = vocab()
    y: int | None = None
    has_year = False
    if _grp(g, "y" + n):
        y = _year_value(_grp(g, "y" + n) or "")
        has_year = True
        if y is None:
            return None, None, None, False
    elif ry := _grp(g, "ry" + n):
        has_year = True
        y = ctx.pub.year + v.relative_years[ry] if ctx.pub else None
    elif cy := _grp(g, "cy" + n):
        has_year = True
        base = ctx.year or (ctx.last_year if cy in v.context_years_across else None)
        y = base + v.context_years[cy] if base else None
    m_s, rm_s, d_s = _grp(g, "m" + n), _grp(g, "rm" + n), _grp(g, "d" + n)
    m = _cn_small(m_s) if m_s else None
    d = _cn_small(d_s) if d_s else None
    if rm_s:
        if ctx.pub is None:
            return None, None, None, False
        y, m = _shift_month(ctx.pub.year, ctx.pub.month, v.relative_months[rm_s])
        has_year = True
    if not has_year:
        if n == "2" and base[0] is not None:
            y = base[0]
            if m is None:
                m = base[1]
        elif ctx.year is not None and m is not None:
            y = ctx.year
        elif m is not None:
            y = _year_for_month(m, d, ctx.pub)
        elif d is not None and ctx.year is not None and ctx.month is not None:
            y, m = ctx.year, ctx.month
    return y, m, d, y is not None


def _main_value(g: dict[str, str | None], ctx: Ctx) -> tuple[str | None, int | None, int | None]:
    """Value of a main-pattern match (its ``groupdict``), and the (year, month) it leaves as
    context."""
    v = vocab()
    part = g.get("part") or g.get("spart") or g.get("sincepart") or g.get("bypart")
    if g.get("spart") or g.get("sincepart") or g.get("bypart"):
        if ctx.pub is None:
            return None, None, None
        y: int | None = ctx.pub.year
        m = d = None
    else:
        y, m, d, ok = _end_value(g, "", ctx)
        if not ok or y is None:
            return None, None, None
    if g.get("fm"):
        n = _cn_small(g["fm"] or "")
        if n is None or not 1 <= n <= 12:
            return None, y, None
        return _range(_iso(y, 1), _iso(y, n)), y, None
    if part:
        lo, hi = v.year_parts[part]
        val = _iso(y, lo) if lo == hi else _range(_iso(y, lo), _iso(y, hi))
        return val, y, None
    a = _iso(y, m, d)
    if g.get("second"):
        y2, m2, d2, ok2 = _end_value(g, "2", ctx, (y, m))
        if not ok2 or y2 is None:
            return None, y, m
        # the second end has the first's precision at most where it inherited
        if m is None and m2 is not None and not _grp(g, "y2"):
            return None, y, m
        return _range(a, _iso(y2, m2, d2)), y, m
    return a, y, m


def blocked_before(text: str, start: int, words: tuple[str, ...]) -> bool:
    """Whether one of ``words`` ends right at ``start`` (looking back 4 characters)."""
    return _ending_re(words).search(text, max(0, start - 4), start) is not None


@cache
def _ending_re(words: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern of one of ``words`` at the end of the text searched."""
    return re.compile(rf"(?:{alt(words)})\Z" if words else "(?!)")


def _is_count(text: str, mt: re.Match[str], g: dict[str, str | None]) -> bool:
    """A 4-digit number + 年 that is a duration or a count, not a year (``g``: the match's
    ``groupdict``)."""
    v = vocab()
    if not _grp(g, "y") or _grp(g, "m") or g.get("part") or g.get("second"):
        return False
    after = text[mt.end():mt.end() + 3]
    if mt.group("suffix") is None and after.startswith(v.count_after):
        return True
    return blocked_before(text, mt.start(), v.duration_before)


def value_of(kind: str, mt: re.Match[str], text: str, ctx: Ctx) -> tuple[Any, tuple[
        int | None, int | None]]:
    """(value, context (year, month) it sets) of one match; value ``SKIP`` to drop it."""
    v = vocab()
    if kind == "numeric":
        y, m, d = int(mt["y"]), int(mt["m"]), int(mt["d"])
        if not v.year_lo <= y <= v.year_hi:
            return SKIP, (None, None)
        return _iso(y, m, d), (y, m)
    if kind == "dmy":
        y, a, b = int(mt["y"]), int(mt["a"]), int(mt["b"])
        if not v.year_lo <= y <= v.year_hi:
            return SKIP, (None, None)
        return _dmy_value(y, a, b, ctx.pub), (y, None)
    if kind == "main":
        g = mt.groupdict()
        if _is_count(text, mt, g):
            return SKIP, (None, None)
        y_s = _grp(g, "y")
        if y_s and _year_value(y_s) is None:
            return SKIP, (None, None)
        val, y, m = _main_value(g, ctx)
        return val, (y, m)
    if kind == "decade":
        return _decade_value(mt), (None, None)
    if kind == "plan":
        lo, hi = v.plan_periods[mt.group(0)]
        return f"{lo:04d}/{hi:04d}", (None, None)
    if kind == "vague":
        return None, (None, None)
    if kind == "rel_day":
        if ctx.pub is None:
            return None, (None, None)
        day = ctx.pub + dt.timedelta(days=v.relative_days[mt.group(0)])
        return day.isoformat(), (day.year, day.month)
    if kind == "day":
        return _day_value(int(mt["d"]), int(mt["d2"]) if mt["d2"] else None, ctx), (None, None)
    return SKIP, (None, None)


def _day_value(d: int, d2: int | None, ctx: Ctx) -> str | None:
    """A day named alone (31日, 17日至19日): in the month the sentence gave, else in the
    publication month, or the month before when the day is after the publication day."""
    if ctx.year is not None and ctx.month is not None:
        y, m = ctx.year, ctx.month
    elif ctx.pub is None:
        return None
    else:
        y, m = ctx.pub.year, ctx.pub.month
        if d > ctx.pub.day + vocab().future_days_limit:
            y, m = _shift_month(y, m, -1)
    a = _iso(y, m, d)
    return a if d2 is None else _range(a, _iso(y, m, d2))


def _decade_value(mt: re.Match[str]) -> str | None:
    """``1950/1959`` for 20世纪50年代 (or 1950年代); None for a decade without a century
    that could be of either (20年代)."""
    v = vocab()
    if mt["dec4"]:
        lo = int(mt["dec4"])
    else:
        dec = _cn_small(mt["dec"]) if not mt["dec"].isdigit() else int(mt["dec"])
        if dec is None:
            return None
        if mt["cent"]:
            lo = v.centuries[mt["cent"]] + dec
        elif dec >= v.decade_min_without_century:
            lo = v.decade_default_century + dec
        else:
            return None
    return _range(_iso(lo), _iso(lo + 9))


def _dmy_value(y: int, a: int, b: int, pub: dt.date | None) -> str | None:
    """``DD.MM.YYYY`` (or ``MM.DD.YYYY`` when only that reads as a date, or matches the
    publication date)."""
    day_first = _iso(y, b, a)
    month_first = _iso(y, a, b)
    if pub is not None and pub.isoformat() in (day_first, month_first):
        return pub.isoformat()
    return day_first or month_first
