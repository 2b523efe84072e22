"""The forms of a date mention, one pattern per kind, built from the vocabulary.

Kinds, in the order tried at a position (:data:`KINDS`): numeric dates (2016-10-06),
day.month.year (01.06.2016), decades (20世纪50年代), the main form (a year, month and day
in words or digits, parts of the year such as 2019年底, ranges 2016年-2018年, suffixes
such as 以来 or 前), five-year plans (十三五), vague times (近年来), days relative to the
publication date (昨天) and a day named alone (31日). Every word comes from
``data/dates.yaml`` (:mod:`.vocab`); the scanner (:mod:`.scan`) combines these patterns.
"""

from __future__ import annotations

import re
from typing import Any

from policy_ie.extractors.dates.vocab import Vocab, vocab

KINDS = ("numeric", "dmy", "decade", "main", "plan", "vague", "rel_day", "day")


def alt(words: tuple[str, ...] | list[str] | set[str] | frozenset[str]) -> str:
    """A regex alternation of literal words, longest first."""
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


def _guarded(words: Any, ahead_also: str = "") -> str:
    """Alternation of words, each with lookarounds for the blockers of ``word_blockers``
    (and the lookahead ``(?!ahead_also)`` when one is given).

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
        ahead = f"(?!{alt(after)})" if after else ""
        if ahead_also:
            ahead += f"(?!{ahead_also})"
        out.append(re.escape(w) + look + ahead)
    return "|".join(out)


def _part_alt(words: list[str], blockers: dict[str, str]) -> str:
    """Alternation of year parts, each with a lookahead that rejects its blockers."""
    out = []
    for w in sorted(words, key=lambda w: (-len(w), w)):
        b = blockers.get(w)
        out.append(re.escape(w) + (f"(?![{re.escape(b)}])" if b else ""))
    return "|".join(out)


def forms() -> tuple[dict[str, re.Pattern[str]], str]:
    """The pattern of each kind, and what the main form opens with (a cheap necessary
    lookahead for the scanner)."""
    v = vocab()
    cn_year = "[" + re.escape("".join(v.year_digits)) + "]"
    ynum = rf"(?<![\d.{cn_year[1:-1]}])(?:\d{{4}}|{cn_year}{{4}})(?!\d)"
    mnum = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
    dnum = r"(?:3[01]|[12]\d|0?[1-9]|三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九])"
    sep = rf"[ ]?(?:{alt(v.range_separators)})[ ]?"
    rel_y = _guarded(v.relative_years, v.age_after)  # 今年54岁 is an age, not a time
    ctx_y = _guarded(v.context_years)
    rel_m = alt(v.relative_months)
    parts = _part_alt(list(v.year_parts), v.part_blockers)
    nums = re.escape("".join(v.small_numerals))
    fm_before, fm_after = v.first_months
    first_months = (rf"{re.escape(fm_before)}(?P<fm>1[0-2]|[1-9]|[{nums}]{{1,2}})"
                    rf"(?:{alt(fm_after)})")
    standalone = _part_alt(list(v.parts_standalone), v.part_blockers)
    need_since = alt(v.parts_need_since)
    since = alt((*v.since_words, *v.deadline_words))
    # (each word its own look-behind: Python's are of one width)
    by = "|".join(f"(?<={re.escape(w)})" for w in v.by_words) or "(?!)"
    mparts = _part_alt(list(v.month_parts), v.part_blockers)
    suffix = alt(v.suffixes)
    # a word of "from" may close the first end of a range (2016年1月起至2018年2月)
    from_ = f"(?:{alt(v.range_from_words)})?" if v.range_from_words else ""

    def year(n: str) -> str:
        # a year word; a bare number may stand without 年 only before a range (2016-2018年)
        return (rf"(?:(?P<y{n}>{ynum})[ ]?(?:年|(?={sep}{ynum}[ ]?年))"
                rf"|(?P<ry{n}>{rel_y})|(?P<cy{n}>{ctx_y}))")

    def month(n: str) -> str:
        # (not after another numeral: 七八月 is two months of no year said, not 八月)
        return (rf"(?:(?P<m{n}>(?<![\d.{nums}]){mnum})[ ]?(?:月份?|(?={sep}{mnum}[ ]?月))"
                rf"|(?P<rm{n}>{rel_m}))")

    def day(n: str) -> str:
        return rf"(?P<d{n}>{dnum})[ ]?(?:[日号]|(?={sep}{dnum}[ ]?[日号]))"

    first = (
        rf"(?:{year('')}[ ]?(?:{first_months}|(?P<part>{parts})|{month('')}(?:{day('')})?)?"
        rf"|{month('')}(?:{day('')})?"
        rf"|(?P<spart>{standalone})"
        rf"|(?P<sincepart>{need_since})(?=(?:{since}))"
        rf"|(?:{by})(?P<bypart>{need_since}))"
    )
    second = (
        rf"(?:{year('2')}(?:{month('2')}(?:{day('2')})?)?"
        rf"|{month('2')}(?:{day('2')})?|{day('2')})"
    )
    # what ``first`` opens with, without its lookarounds (a necessary condition, cheap to test
    # where most start characters are digits and numerals of other numbers): four year
    # digits, a month number before 月 or a range separator, or one of its words
    opening = (rf"\d{{4}}|{cn_year}{{4}}|{mnum}[ ]{{0,2}}(?:月|{alt(v.range_separators)})|"
               + alt([*v.relative_years, *v.context_years, *v.relative_months,
                       *v.parts_standalone])
               + (f"|{need_since}" if need_since else ""))
    main_src = (
        rf"(?P<first>{first})(?P<mpart>{mparts})?"
        rf"(?:{from_}{sep}(?P<second>{second})(?P<mpart2>{mparts})?)?(?P<suffix>{suffix})?"
    )
    numeric = re.compile(
        r"(?<![\d.])(?P<y>(?:19|20)\d{2})(?P<s>[-/.])(?P<m>1[0-2]|0?[1-9])(?P=s)"
        r"(?P<d>3[01]|[12]\d|0?[1-9])(?![\d.])"
    )
    dmy = re.compile(
        r"(?<![\d.])(?P<a>3[01]|[12]\d|0?[1-9])(?P<s>[./])(?P<b>3[01]|[12]\d|0?[1-9])(?P=s)"
        r"(?P<y>(?:19|20)\d{2})(?![\d.])"
    )
    plan = re.compile(rf"(?:{alt(v.plan_periods)})(?![{re.escape(v.plan_blockers)}])")
    rel_day = re.compile(_guarded(v.relative_days))
    decade = re.compile(
        rf"(?:(?P<cent>{alt(v.centuries)})?(?P<dec>[1-9]0|[一二三四五六七八九]十)"
        rf"|(?P<dec4>(?:19|20)\d0))年代")
    # a day alone (国家主席31日在……): not after a month, a digit or a year
    dnum_a = r"(?:3[01]|[12]\d|[1-9])"
    dayonly = re.compile(rf"(?<![\d月年.\-/])(?P<d>{dnum_a})(?:日|(?={sep}{dnum_a}日))"
                         rf"(?:{sep}(?P<d2>{dnum_a})日)?(?!{alt(v.day_blockers)})")
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
    return kinds, opening


def start_chars(v: Vocab) -> set[str]:
    """Every character a mention can start with, and the sentence ends (where the context
    year is reset): the positions a plain scan would try (see :func:`.scan.any_kind`)."""
    words = [*v.relative_years, *v.context_years, *v.relative_months, *v.relative_days,
             *v.vague, *v.parts_standalone, *v.parts_need_since, *v.centuries,
             *v.plan_periods]
    return (set("0123456789") | set(v.year_digits) | set(v.small_numerals)
            | {w[0] for w in words} | set(v.sentence_ends))


def first_chars(v: Vocab) -> dict[str, set[str]]:
    """Per kind of mention, every character a match of its pattern can start with (each set
    read off the pattern built in :func:`forms`)."""
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


def char_class(chars: set[str]) -> str:
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

