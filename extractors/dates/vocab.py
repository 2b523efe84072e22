"""The vocabulary of calendar times: ``data/dates.yaml``, loaded and validated once.

Every list and mapping is checked on load (types, ranges, no empty words, parts that
exist); a mistake is a ``ValueError`` naming the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from policy_ie.text.lexicon import load_data

DATA = Path(__file__).parent.parent / "data" / "dates.yaml"


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
    #: words before a part of ``parts_need_since`` that make it the current year's (到年底)
    by_words: tuple[str, ...]
    #: suffixes after such a part that do the same (年底前)
    deadline_words: tuple[str, ...]
    #: context years that read the last year given before their sentence too (同年)
    context_years_across: frozenset[str]
    #: every context-year word (a mention opening with one gives no year to carry across)
    context_words: tuple[str, ...]
    #: words of "from" that may close the first end of a range (今年起到2017年)
    range_from_words: tuple[str, ...]
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
    #: what after a relative year makes it a person's age now (今年54岁): a regex
    age_after: str = "(?!)"


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
    raw = load_data(DATA)
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
    since = _words(raw, "since_words")
    if not set(since) <= set(suffixes):
        raise ValueError("dates.yaml: since_words must be suffixes")
    deadline = _words(raw, "deadline_words") if raw.get("deadline_words") else ()
    if not set(deadline) <= set(suffixes):
        raise ValueError("dates.yaml: deadline_words must be suffixes")
    if raw.get("context_years_across") and not set(_words(raw, "context_years_across")) <= set(
            raw.get("context_years") or {}):
        raise ValueError("dates.yaml: context_years_across must be context_years")
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
        since_words=since,
        by_words=_words(raw, "by_words") if raw.get("by_words") else (),
        deadline_words=deadline,
        context_years_across=frozenset(_words(raw, "context_years_across")) if raw.get("context_years_across")
        else frozenset(),
        context_words=tuple(_int_map(raw, "context_years")),
        range_from_words=_words(raw, "range_from_words") if raw.get("range_from_words") else (),
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
        age_after=str(raw.get("age_after") or "(?!)"),
    )

