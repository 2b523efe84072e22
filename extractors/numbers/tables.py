"""The numeral and unit tables: ``data/numerals.yaml`` and ``data/units.yaml``, loaded and
validated once, and the one-for-one folding of full-width digits and signs they define.

A mistake in either file (a missing key, an unknown qualifier, a pattern only the
``regex`` engine reads) is a ``ValueError`` naming the file when it is first loaded.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from policy_ie.text.lexicon import alternation, load_data

DATA = Path(__file__).parent.parent / "data"
QUALIFIERS = ("approx", "at_least", "at_most", "planned")


@dataclass(frozen=True, slots=True)
class Numerals:
    """The numeral table of ``numerals.yaml``."""

    digits: dict[str, int]
    small: dict[str, int]
    large: dict[str, int]
    vague: frozenset[str]
    fullwidth: dict[int, str]
    large_desc: tuple[tuple[str, int], ...] = ()
    chars: str = ""  # every numeral character
    point: str = ""  # the decimal point of numerals (点)
    fraction: frozenset[str] = frozenset()  # the digits that may follow it
    lone_before: dict[str, str | None] = field(default_factory=dict)  # see lone_large
    lone_after: tuple[str, ...] = ()  # ... right after the magnitude or after its unit
    lone_joined: frozenset[str] = frozenset()  # ... before-words that belong to the numeral


@dataclass(frozen=True, slots=True)
class Unit:
    """One unit of ``units.yaml``."""

    text: str
    cls: str
    base: str
    factor: int = 1


@dataclass(frozen=True, slots=True)
class UnitTable:
    """Units, qualifier words, rate words and range connectors of ``units.yaml``."""

    units: tuple[Unit, ...]
    prefix_q: dict[str, str]
    infix_q: dict[str, str]
    suffix_q: dict[str, str]
    planned: Any
    per_prefix: dict[str, str]
    per_suffix: dict[str, str]
    change_open: tuple[str, ...]
    change_verb: Any
    span_join: Any
    not_before: Any
    not_after: Any
    quotes: tuple[tuple[str, str, int], ...]
    determiners: frozenset[str]
    unit_re: Any = field(default=None)
    unit_by_text: dict[str, Unit] = field(default_factory=dict)
    change_open_re: Any = field(default=None)


def _load(name: str) -> dict[str, Any]:
    return load_data(DATA / name)


@cache
def numerals() -> Numerals:
    """The numeral table, loaded and validated once."""
    d = _load("numerals.yaml")
    for key in ("digits", "small_units", "large_units", "vague", "fullwidth"):
        if key not in d:
            raise ValueError(f"numerals.yaml: missing {key!r}")
    fw = {}
    for k, v in d["fullwidth"].items():
        if len(str(k)) != 1 or len(str(v)) != 1:
            raise ValueError(f"numerals.yaml: fullwidth entry {k!r} must map one char to one")
        fw[ord(str(k))] = str(v)
    digits = {str(k): int(v) for k, v in d["digits"].items()}
    if any(not 0 <= v <= 9 for v in digits.values()):
        raise ValueError("numerals.yaml: digits must be 0..9")
    point, fraction = str(d.get("decimal_point", "")), frozenset(map(str, d.get("decimal_digits", ())))
    if point and (len(point) != 1 or point in digits or not fraction or not fraction <= set(digits)):
        raise ValueError("numerals.yaml: decimal_point must be one character that is no digit, "
                         "with decimal_digits taken from digits")
    return Numerals(digits, {str(k): int(v) for k, v in d["small_units"].items()},
                    {str(k): int(v) for k, v in d["large_units"].items()},
                    frozenset(d["vague"]), fw,
                    tuple(sorted(((str(k), int(v)) for k, v in d["large_units"].items()),
                                 key=lambda kv: -kv[1])),
                    "".join(map(str, [*d["digits"], *d["small_units"], *d["large_units"],
                                      *d["vague"]])),
                    point, fraction, *_lone_large(d.get("lone_large") or {}))


def _lone_large(d: dict[str, Any]) -> tuple[dict[str, str | None], tuple[str, ...], frozenset[str]]:
    """``lone_large`` of numerals.yaml: the words before a lone magnitude with their
    qualifiers, the words that may follow it (or its unit), and the before-words that are
    part of the numeral."""
    before = {str(k): (str(v) if v else None) for k, v in (d.get("before") or {}).items()}
    joined = frozenset(map(str, d.get("joined") or []))
    if not joined <= set(before) or any(len(w) != 1 for w in before):
        raise ValueError("numerals.yaml: lone_large: before-words are single characters; joined ones among them")
    return before, tuple(map(str, [*(d.get("after") or []), *(d.get("after_unit") or [])])), joined


def alt(words: list[str] | dict[str, Any]) -> str:
    """An alternation of plain words, longest first, for the standard ``re`` engine.

    Alternations of plain words and character classes are compiled with ``re``: it finds
    them with less overhead per call than ``regex``, and they mean the same to both.
    """
    return alternation(words)


def _pattern(p: str) -> Any:
    """A pattern of ``units.yaml``, in the syntax of Python's ``re`` (searched per number, where
    ``re`` has less overhead per call than ``regex``); anything else is an error of the file.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a nested set or the like: regex syntax, not re
            return re.compile(p)
    except (re.error, FutureWarning) as err:
        raise ValueError(f"units.yaml: {p!r} is not a Python re pattern: {err}") from err


@cache
def unit_table() -> UnitTable:
    """The unit table, loaded and validated once."""
    d = _load("units.yaml")
    units = []
    for u in d["units"]:
        if not {"text", "class", "base"} <= set(u):
            raise ValueError(f"units.yaml: unit {u!r} needs text, class and base")
        units.append(Unit(str(u["text"]), str(u["class"]), str(u["base"]), int(u.get("factor", 1))))
    q = d["qualifiers"]
    for part in ("prefix", "infix", "suffix"):
        bad = [k for k, v in q[part].items() if v not in QUALIFIERS]
        if bad:
            raise ValueError(f"units.yaml: unknown qualifier for {bad}")
    r = d["ranges"]
    units.sort(key=lambda u: len(u.text), reverse=True)
    return UnitTable(
        units=tuple(units),
        prefix_q=dict(q["prefix"]), infix_q=dict(q["infix"]), suffix_q=dict(q["suffix"]),
        planned=_pattern("|".join(f"(?:{p})" for p in q["planned"])),
        per_prefix=dict(d["per"]["prefix"]), per_suffix=dict(d["per"]["suffix"]),
        change_open=tuple(r["change_open"]),
        change_verb=_pattern(r["change_verb"]),
        span_join=_pattern(r["span_join"]),
        not_before=_pattern("|".join(f"(?:{p})" for p in d["not_a_count_before"])),
        not_after=_pattern("|".join(f"(?:{p})" for p in d["not_a_count_after"])),
        quotes=tuple((x["open"], x["close"], int(x["max_len"])) for x in d["name_quotes"]),
        determiners=frozenset(d["determiners"]),
        unit_re=re.compile(alt([u.text for u in units])),
        unit_by_text={u.text: u for u in units},
        change_open_re=re.compile(f"(?:{alt(r['change_open'])})[^，,。；;]{{0,8}}$"),
    )


def normalise(text: str) -> str:
    """Full-width digits and signs to ASCII, one character for one (offsets unchanged).

    ``str.translate`` looks every character of a Chinese text up in the table; a
    ``str.replace`` per table character that occurs is a scan in C and some twenty times
    cheaper. Both give the same text as long as no replacement is itself replaced (checked
    once: a chained table falls back to ``translate``).
    """
    pairs = _replace_pairs()
    if pairs is None:
        return text.translate(numerals().fullwidth)
    for old, new in pairs:
        if old in text:
            text = text.replace(old, new)
    return text


@cache
def _replace_pairs() -> tuple[tuple[str, str], ...] | None:
    """The full-width table as (old, new) pairs, or None when one's output is another's input."""
    table = numerals().fullwidth
    pairs = tuple((chr(k), v) for k, v in table.items())
    if any(ord(v) in table for _, v in pairs):
        return None
    return pairs
