"""Date mentions: calendar times in the text, normalised to ISO 8601.

Finds absolute dates (``2016年06月08日``, ``2015年12月``, ``2016-10-06``, ``二〇一九年``),
ranges (``2016年-2018年`` is ``2016/2018``), parts of years (``2019年底``, ``上半年``),
deadlines (``2020年前`` is ``2020``), times relative to the publication date (``今年6月份``,
``去年``, ``年初以来``), vague times with no value (``近年来``) and the periods of five-year
plans (``十三五`` is ``2016/2020``). Durations (``1至3年``, ``两年内``), ages, recurring
times (``每年3月前``) and counts (``5000年文明``) are not dates.

The vocabulary lives in ``data/dates.yaml``; this module only builds patterns from it. The
extractor matches the cleaned view and reports raw offsets. :func:`normalise` reads one
expression on its own and is what other modules use; :func:`find_dates` scans a text.
Nothing here raises on odd input: a mention that cannot be resolved has value ``None``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from policy_ie.extractors.registry import register
from policy_ie.text.document import DateMention, Document

DATA = Path(__file__).with_name("data") / "dates.yaml"

# Same-length folding of full-width digits and separators, so that the raw text can be
# matched directly (offsets stay the same).
_FOLD = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)} | {
    "\uff0d": "-", "\uff0f": "/", "\uff0e": ".", "\u3000": " "})
# folding is skipped when none of its characters occurs (a scan is cheaper than translate)
_FOLDED_CHARS = re.compile("[" + re.escape("".join(map(chr, _FOLD))) + "]")


# ----------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class Vocab:
    """The validated contents of ``dates.yaml``."""

    year_lo: int
    year_hi: int
    year_digits: dict[str, int]
    small_numerals: dict[str, int]
    relative_years: dict[str, int]
    context_years: dict[str, int]
    relative_months: dict[str, int]
    relative_days: dict[str, int]
    vague: tuple[str, ...]
    year_parts: dict[str, tuple[int, int]]
    parts_need_since: frozenset[str]
    parts_standalone: tuple[str, ...]
    part_blockers: dict[str, str]
    month_parts: tuple[str, ...]
    suffixes: tuple[str, ...]
    since_words: tuple[str, ...]
    range_separators: tuple[str, ...]
    recurring_before: tuple[str, ...]
    duration_before: tuple[str, ...]
    count_after: tuple[str, ...]
    plan_periods: dict[str, tuple[int, int]]
    plan_blockers: str
    word_blockers: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]
    centuries: dict[str, int]
    decade_default_century: int
    decade_min_without_century: int
    day_blockers: tuple[str, ...]
    sentence_ends: str
    future_months_limit: int
    future_days_limit: int
    first_months: tuple[str, tuple[str, ...]]


def _words(raw: dict[str, Any], key: str) -> tuple[str, ...]:
    val = raw.get(key)
    if not isinstance(val, list) or not all(isinstance(w, str) and w for w in val):
        raise ValueError(f"dates.yaml: {key} must be a list of non-empty strings")
    return tuple(val)


def _int_map(raw: dict[str, Any], key: str) -> dict[str, int]:
    val = raw.get(key)
    if not isinstance(val, dict) or not all(
        isinstance(k, str) and k and isinstance(v, int) for k, v in val.items()
    ):
        raise ValueError(f"dates.yaml: {key} must map words to integers")
    return dict(val)


def _pair_map(raw: dict[str, Any], key: str, lo: int, hi: int) -> dict[str, tuple[int, int]]:
    val = raw.get(key)
    if not isinstance(val, dict):
        raise ValueError(f"dates.yaml: {key} must be a mapping")
    out = {}
    for k, v in val.items():
        if not (isinstance(v, list) and len(v) == 2 and all(isinstance(x, int) for x in v)
                and lo <= v[0] <= v[1] <= hi):
            raise ValueError(f"dates.yaml: {key}.{k} must be [first, last] in {lo}..{hi}")
        out[str(k)] = (v[0], v[1])
    return out


def _blockers(raw: dict[str, Any]) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    val = raw.get("word_blockers")
    if not isinstance(val, dict):
        raise ValueError("dates.yaml: word_blockers must be a mapping")
    out = {}
    for w, spec in val.items():
        if not isinstance(spec, dict) or set(spec) - {"before", "after"}:
            raise ValueError(f"dates.yaml: word_blockers.{w} must have before/after lists")
        out[str(w)] = (_words(spec, "before") if spec.get("before") else (),
                       _words(spec, "after") if spec.get("after") else ())
    return out


@cache
def vocab() -> Vocab:
    """Load and validate ``data/dates.yaml`` (once)."""
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    lo, hi = raw["year_range"]
    if not (isinstance(lo, int) and isinstance(hi, int) and 1000 <= lo < hi <= 9999):
        raise ValueError("dates.yaml: year_range must be two 4-digit years")
    blockers = raw.get("part_blockers") or {}
    parts = _pair_map(raw, "year_parts", 1, 12)
    need_since = frozenset(_words(raw, "parts_need_since"))
    standalone = _words(raw, "parts_standalone")
    for w in (*need_since, *standalone, *blockers):
        if w not in parts:
            raise ValueError(f"dates.yaml: part {w!r} is not in year_parts")
    suffixes = _words(raw, "suffixes")
    limit = raw.get("future_months_limit")
    if not isinstance(limit, int) or not 0 <= limit <= 12:
        raise ValueError("dates.yaml: future_months_limit must be 0..12")
    digits = _int_map(raw, "year_digits")
    if any(not 0 <= v <= 9 or len(k) != 1 for k, v in digits.items()):
        raise ValueError("dates.yaml: year_digits must map one character to 0..9")
    return Vocab(
        year_lo=lo,
        year_hi=hi,
        year_digits=digits,
        small_numerals=_int_map(raw, "small_numerals"),
        relative_years=_int_map(raw, "relative_years"),
        context_years=_int_map(raw, "context_years"),
        relative_months=_int_map(raw, "relative_months"),
        relative_days=_int_map(raw, "relative_days"),
        vague=_words(raw, "vague"),
        year_parts=parts,
        parts_need_since=need_since,
        parts_standalone=standalone,
        part_blockers={k: "".join(v) for k, v in blockers.items()},
        month_parts=_words(raw, "month_parts"),
        suffixes=suffixes,
        since_words=tuple(w for w in suffixes if w in ("以来", "至今")),
        range_separators=_words(raw, "range_separators"),
        recurring_before=_words(raw, "recurring_before"),
        duration_before=_words(raw, "duration_before"),
        count_after=_words(raw, "count_after"),
        plan_periods=_pair_map(raw, "plan_periods", lo, hi),
        plan_blockers="".join(_words(raw, "plan_blockers")),
        word_blockers=_blockers(raw),
        centuries=_int_map(raw, "centuries"),
        decade_default_century=int(raw["decade_default_century"]),
        decade_min_without_century=int(raw["decade_min_without_century"]),
        day_blockers=_words(raw, "day_blockers"),
        sentence_ends="".join(_words(raw, "sentence_ends")),
        future_months_limit=limit,
        future_days_limit=int(raw["future_days_limit"]),
        first_months=(str(raw["first_months"]["before"]), _words(raw["first_months"], "after")),
    )


# ----------------------------------------------------------------------------- patterns


def _alt(words: tuple[str, ...] | list[str] | set[str] | frozenset[str]) -> str:
    """A regex alternation of literal words, longest first."""
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


def _guarded(words: Any) -> str:
    """Alternation of words, each with lookarounds for the blockers of ``word_blockers``.

    Each word comes first and its lookbehinds after it (``(?<!过去年)`` after ``去年`` rather
    than ``(?<!过)`` before it, the same test): an alternative that opens with a literal is
    skipped by the regex engine at one compare, where leading lookbehinds were tried at
    every position of the text.
    """
    blockers = vocab().word_blockers
    out = []
    for w in sorted(words, key=lambda w: (-len(w), w)):
        before, after = blockers.get(w, ((), ()))
        look = "".join(f"(?<!{re.escape(b + w)})" for b in before)
        ahead = f"(?!{_alt(after)})" if after else ""
        out.append(re.escape(w) + look + ahead)
    return "|".join(out)


def _part_alt(words: list[str], blockers: dict[str, str]) -> str:
    """Alternation of year parts, each with a lookahead that rejects its blockers."""
    out = []
    for w in sorted(words, key=lambda w: (-len(w), w)):
        b = blockers.get(w)
        out.append(re.escape(w) + (f"(?![{re.escape(b)}])" if b else ""))
    return "|".join(out)


@dataclass(frozen=True, slots=True)
class Patterns:
    """Compiled patterns, one per kind of mention (tried in the order of ``_KINDS`` where
    ``any`` matches), and the scanner's own."""

    main: re.Pattern[str]
    numeric: re.Pattern[str]
    dmy: re.Pattern[str]
    plan: re.Pattern[str]
    decade: re.Pattern[str]
    vague: re.Pattern[str]
    rel_day: re.Pattern[str]
    day: re.Pattern[str]
    start: re.Pattern[str]  # characters where a mention may start, and sentence ends
    any: re.Pattern[str]  # a start character where one of the kinds above matches
    ends: re.Pattern[str]  # a sentence end
    # per start character, the (kind, pattern) that can match there, in the order tried
    by_char: dict[str, tuple[tuple[str, re.Pattern[str]], ...]]

    def kinds(self) -> tuple[tuple[str, re.Pattern[str]], ...]:
        """(kind, pattern) in the order they are tried at a position."""
        return tuple((k, getattr(self, k)) for k in _KINDS)


_KINDS = ("numeric", "dmy", "decade", "main", "plan", "vague", "rel_day", "day")


@cache
def patterns() -> Patterns:
    """Build the patterns from the vocabulary (once)."""
    v = vocab()
    cn_year = "[" + re.escape("".join(v.year_digits)) + "]"
    ynum = rf"(?<![\d.{cn_year[1:-1]}])(?:\d{{4}}|{cn_year}{{4}})(?!\d)"
    mnum = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
    dnum = r"(?:3[01]|[12]\d|0?[1-9]|三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九])"
    sep = rf"[ ]?(?:{_alt(v.range_separators)})[ ]?"
    rel_y = _guarded(v.relative_years)
    ctx_y = _guarded(v.context_years)
    rel_m = _alt(v.relative_months)
    parts = _part_alt(list(v.year_parts), v.part_blockers)
    nums = re.escape("".join(v.small_numerals))
    fm_before, fm_after = v.first_months
    first_months = (rf"{re.escape(fm_before)}(?P<fm>1[0-2]|[1-9]|[{nums}]{{1,2}})"
                    rf"(?:{_alt(fm_after)})")
    standalone = _part_alt(list(v.parts_standalone), v.part_blockers)
    need_since = _alt(v.parts_need_since - {"初", "底", "末"})
    since = _alt(v.since_words)
    mparts = _part_alt(list(v.month_parts), v.part_blockers)
    suffix = _alt(v.suffixes)

    def year(n: str) -> str:
        # a year word; a bare number may stand without 年 only before a range (2016-2018年)
        return (rf"(?:(?P<y{n}>{ynum})[ ]?(?:年|(?={sep}{ynum}[ ]?年))"
                rf"|(?P<ry{n}>{rel_y})|(?P<cy{n}>{ctx_y}))")

    def month(n: str) -> str:
        return (rf"(?:(?P<m{n}>(?<![\d.]){mnum})[ ]?(?:月份?|(?={sep}{mnum}[ ]?月))"
                rf"|(?P<rm{n}>{rel_m}))")

    def day(n: str) -> str:
        return rf"(?P<d{n}>{dnum})[ ]?(?:[日号]|(?={sep}{dnum}[ ]?[日号]))"

    first = (
        rf"(?:{year('')}[ ]?(?:{first_months}|(?P<part>{parts})|{month('')}(?:{day('')})?)?"
        rf"|{month('')}(?:{day('')})?"
        rf"|(?P<spart>{standalone})"
        rf"|(?P<sincepart>{need_since})(?=(?:{since})))"
    )
    second = (
        rf"(?:{year('2')}(?:{month('2')}(?:{day('2')})?)?"
        rf"|{month('2')}(?:{day('2')})?|{day('2')})"
    )
    # what ``first`` opens with, without its lookarounds (a necessary condition, cheap to test
    # where most start characters are digits and numerals of other numbers): four year
    # digits, a month number before 月 or a range separator, or one of its words
    opening = (rf"\d{{4}}|{cn_year}{{4}}|{mnum}[ ]{{0,2}}(?:月|{_alt(v.range_separators)})|"
               + _alt([*v.relative_years, *v.context_years, *v.relative_months,
                       *v.parts_standalone])
               + (f"|{need_since}" if need_since else ""))
    main_src = (
        rf"(?P<first>{first})(?P<mpart>{mparts})?"
        rf"(?:{sep}(?P<second>{second})(?P<mpart2>{mparts})?)?(?P<suffix>{suffix})?"
    )
    numeric = re.compile(
        r"(?<![\d.])(?P<y>(?:19|20)\d{2})(?P<s>[-/.])(?P<m>1[0-2]|0?[1-9])(?P=s)"
        r"(?P<d>3[01]|[12]\d|0?[1-9])(?![\d.])"
    )
    dmy = re.compile(
        r"(?<![\d.])(?P<a>3[01]|[12]\d|0?[1-9])(?P<s>[./])(?P<b>3[01]|[12]\d|0?[1-9])(?P=s)"
        r"(?P<y>(?:19|20)\d{2})(?![\d.])"
    )
    plan = re.compile(rf"(?:{_alt(v.plan_periods)})(?![{re.escape(v.plan_blockers)}])")
    rel_day = re.compile(_guarded(v.relative_days))
    decade = re.compile(
        rf"(?:(?P<cent>{_alt(v.centuries)})?(?P<dec>[1-9]0|[一二三四五六七八九]十)"
        rf"|(?P<dec4>(?:19|20)\d0))年代")
    # a day alone (国家主席31日在……): not after a month, a digit or a year
    dnum_a = r"(?:3[01]|[12]\d|[1-9])"
    dayonly = re.compile(rf"(?<![\d月年.\-/])(?P<d>{dnum_a})(?:日|(?={sep}{dnum_a}日))"
                         rf"(?:{sep}(?P<d2>{dnum_a})日)?(?!{_alt(v.day_blockers)})")
    kinds = {
        "main": re.compile(_dedupe_groups(main_src)),
        "numeric": numeric,
        "dmy": dmy,
        "plan": plan,
        "vague": re.compile(_guarded(v.vague)),
        "decade": decade,
        "rel_day": rel_day,
        "day": dayonly,
    }
    starts = _start_chars(v)
    firsts = {k: chars & starts for k, chars in _first_chars(v).items()}
    return Patterns(
        **kinds,
        start=re.compile(_char_class(starts)),
        any=_any_kind(kinds, firsts, {"main": opening}),
        by_char={ch: tuple((k, kinds[k]) for k in _KINDS if ch in firsts[k]) for ch in starts},
        ends=re.compile("[" + re.escape(v.sentence_ends) + "]"),
    )


def _any_kind(kinds: dict[str, re.Pattern[str]], firsts: dict[str, set[str]],
              openings: dict[str, str]) -> re.Pattern[str]:
    """One pattern that matches where any kind matches (at a start character): the scanner
    jumps from one such position to the next with one search.

    Each kind is tried only where it can start (``firsts``; ``openings``: a cheap necessary
    lookahead), a failed test of one character where its whole pattern would be tried.
    """
    alts = [f"(?={_char_class(firsts[k])})" + (f"(?={openings[k]})" if k in openings else "")
            + f"(?:{_own_groups(k, kinds[k].pattern)})" for k in _KINDS if firsts[k]]
    if not alts:
        return re.compile("(?!)")
    return re.compile(f"(?={_char_class(set().union(*firsts.values()))})(?:{'|'.join(alts)})")


def _own_groups(kind: str, src: str) -> str:
    """``src`` with its group names (and references to them) prefixed by ``kind``, so that
    the patterns of all kinds can stand side by side in one alternation."""
    src = re.sub(r"\(\?P=(\w+)\)", lambda mt: f"(?P={kind}_{mt.group(1)})", src)
    return re.sub(r"\(\?P<(\w+)>", lambda mt: f"(?P<{kind}_{mt.group(1)}>", src)


def _start_chars(v: Vocab) -> set[str]:
    """Every character a mention can start with, and the sentence ends (where the context
    year is reset): the positions a plain scan would try (see :func:`_any_kind`)."""
    words = [*v.relative_years, *v.context_years, *v.relative_months, *v.relative_days,
             *v.vague, *v.parts_standalone, *v.parts_need_since, *v.centuries,
             *v.plan_periods]
    return (set("0123456789") | set(v.year_digits) | set(v.small_numerals)
            | {w[0] for w in words} | set(v.sentence_ends))


def _first_chars(v: Vocab) -> dict[str, set[str]]:
    """Per kind of mention, every character a match of its pattern can start with (each set
    read off the pattern built in :func:`patterns`)."""
    digits = set("0123456789")
    cn_digits = set("一二三四五六七八九")

    def heads(*lists: Any) -> set[str]:
        return {w[0] for words in lists for w in words}

    return {
        "numeric": digits,
        "dmy": digits,
        "decade": digits | cn_digits | heads(v.centuries),
        # a year (digits, year digits, a relative year), a month (digits, 十, 一..九, a
        # relative month), a part of the year alone
        "main": digits | set(v.year_digits) | cn_digits | {"十"}
        | heads(v.relative_years, v.context_years, v.relative_months, v.parts_standalone,
                v.parts_need_since),
        "plan": heads(v.plan_periods),
        "vague": heads(v.vague),
        "rel_day": heads(v.relative_days),
        "day": digits,
    }


def _char_class(chars: set[str]) -> str:
    """A regex class of ``chars``."""
    return "[" + re.escape("".join(sorted(chars))) + "]"


def _dedupe_groups(src: str) -> str:
    """Rename repeated named groups: the k-th repeat of ``m`` becomes ``m`` + k x ``_b``
    (a month after a year and a month alone are alternatives); :func:`_grp` reads them."""
    seen: dict[str, int] = {}

    def ren(mt: re.Match[str]) -> str:
        name = mt.group(1)
        k = seen.get(name, 0)
        seen[name] = k + 1
        return f"(?P<{name}{'_b' * k}>"

    return re.sub(r"\(\?P<(\w+)>", ren, src)


# ----------------------------------------------------------------------------- values


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


def _parse_pub(published: str | None) -> dt.date | None:
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
class _Ctx:
    pub: dt.date | None
    year: int | None = None  # the last year given earlier in the sentence
    month: int | None = None  # ... and its month, when given


def _end_value(g: dict[str, str | None], n: str, ctx: _Ctx,
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
        y = ctx.year + v.context_years[cy] if ctx.year else None
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


def _main_value(g: dict[str, str | None], ctx: _Ctx) -> tuple[str | None, int | None, int | None]:
    """Value of a main-pattern match (its ``groupdict``), and the (year, month) it leaves as
    context."""
    v = vocab()
    part = g.get("part") or g.get("spart") or g.get("sincepart")
    if g.get("spart") or g.get("sincepart"):
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


# ----------------------------------------------------------------------------- scanning


@dataclass(frozen=True, slots=True)
class Found:
    """A date found in a text: clean offsets, the matched text and its value."""

    start: int
    end: int
    text: str
    value: str | None


def _blocked_before(text: str, start: int, words: tuple[str, ...]) -> bool:
    """Whether one of ``words`` ends right at ``start`` (looking back 4 characters)."""
    return _ending_re(words).search(text, max(0, start - 4), start) is not None


@cache
def _ending_re(words: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern of one of ``words`` at the end of the text searched."""
    return re.compile(rf"(?:{_alt(words)})\Z" if words else "(?!)")


def _is_count(text: str, mt: re.Match[str], g: dict[str, str | None]) -> bool:
    """A 4-digit number + 年 that is a duration or a count, not a year (``g``: the match's
    ``groupdict``)."""
    v = vocab()
    if not _grp(g, "y") or _grp(g, "m") or g.get("part") or g.get("second"):
        return False
    after = text[mt.end():mt.end() + 3]
    if mt.group("suffix") is None and after.startswith(v.count_after):
        return True
    return _blocked_before(text, mt.start(), v.duration_before)


def find_dates(text: str, published: str | None = None) -> list[Found]:
    """All date mentions of ``text`` (clean offsets), left to right, not overlapping."""
    if not isinstance(text, str) or not text:
        return []
    v = vocab()
    pats = patterns()
    folded = text.translate(_FOLD) if _FOLDED_CHARS.search(text) else text
    ctx = _Ctx(pub=_parse_pub(published))
    out: list[Found] = []
    i, n = 0, len(folded)
    ends = v.sentence_ends
    by_char = pats.by_char
    while i < n:
        # the next start character where some kind matches; the start characters skipped
        # on the way match nothing, and only a sentence end among them counts
        hit = pats.any.search(folded, i)
        if hit is None:
            break
        p = hit.start()
        if ctx.year is not None and pats.ends.search(folded, i, p):  # (no year: no month either)
            ctx.year = ctx.month = None
        i = p
        best: tuple[int, int, str | None, tuple[int | None, int | None]] | None = None
        for kind, pat in by_char[folded[i]]:
            mt = pat.match(folded, i)
            if mt is None or mt.end() <= i:
                continue
            val, keep = _value_of(kind, mt, folded, ctx)
            if val is _SKIP:
                continue
            if best is None or mt.end() > best[1]:
                best = (mt.start(), mt.end(), val, keep)  # type: ignore[assignment]
        if best is None:
            if folded[i] in ends:
                ctx.year = ctx.month = None
            i += 1
            continue
        s, e, val, keep = best
        if _blocked_before(folded, s, v.recurring_before):
            i = e
            continue
        out.append(Found(s, e, text[s:e], val))
        if keep[0] is not None:
            ctx.year, ctx.month = keep
        i = e
    return out


_SKIP = object()


def _value_of(kind: str, mt: re.Match[str], text: str, ctx: _Ctx) -> tuple[Any, tuple[
        int | None, int | None]]:
    """(value, context (year, month) it sets) of one match; value ``_SKIP`` to drop it."""
    v = vocab()
    if kind == "numeric":
        y, m, d = int(mt["y"]), int(mt["m"]), int(mt["d"])
        if not v.year_lo <= y <= v.year_hi:
            return _SKIP, (None, None)
        return _iso(y, m, d), (y, m)
    if kind == "dmy":
        y, a, b = int(mt["y"]), int(mt["a"]), int(mt["b"])
        if not v.year_lo <= y <= v.year_hi:
            return _SKIP, (None, None)
        return _dmy_value(y, a, b, ctx.pub), (y, None)
    if kind == "main":
        g = mt.groupdict()
        if _is_count(text, mt, g):
            return _SKIP, (None, None)
        y_s = _grp(g, "y")
        if y_s and _year_value(y_s) is None:
            return _SKIP, (None, None)
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
    return _SKIP, (None, None)


def _day_value(d: int, d2: int | None, ctx: _Ctx) -> str | None:
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


def normalise(expr: str, published: str | None = None) -> str | None:
    """The ISO 8601 value of one date expression (``2019年底`` -> ``2019-12``), or None.

    ``published`` (ISO) resolves relative expressions. Returns None for anything that is
    not exactly one date expression; never raises.
    """
    if not isinstance(expr, str):
        return None
    s = expr.strip()
    try:
        found = find_dates(s, published)
    except (ValueError, KeyError, IndexError, OverflowError):  # pragma: no cover - defensive
        return None
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(s):
        return found[0].value
    return None


# ----------------------------------------------------------------------------- extractor


@register("dates", assigns="dates", requires=("metadata",))
def extract(doc: Document) -> list[DateMention]:
    """Date mentions of the document, with raw offsets."""
    view = doc.view
    out: list[DateMention] = []
    for f in find_dates(view.text, doc.meta.published):
        s, e = view.to_raw(f.start, f.end)
        out.append(DateMention(text=doc.text[s:e], start=s, end=e, value=f.value))
    return out
