"""Numbers and quantity expressions of Chinese news text.

Two layers, both pure functions of strings:

* :func:`parse_number` reads one number written in Arabic digits, full-width digits,
  Chinese numerals or a mixture with 万/亿 (``"1.45亿" -> 145000000``, ``"一千二百万" ->
  12000000``) and returns ``None`` (never raises) for anything that is not one number.
* :func:`find_quantities` finds every quantity expression in a text: the number, its unit,
  qualifier (约/余/近/超过/预计 ...), rate (每年, 人均, /年 ...) and the ranges or changes it
  belongs to (``由329万减少到25.5万`` gives two linked quantities). Ordinals (第一书记),
  numbers inside names and short quotes (十三五, “五个一批”), codes and times are not
  quantities.

The numeral and unit tables live in ``data/numerals.yaml`` and ``data/units.yaml``;
offsets are Python string indices into the text as given (full-width characters are
normalised one for one, so offsets never shift).
"""

from __future__ import annotations

import bisect
import itertools
import re
import threading
import warnings
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import regex

from policy_ie.text.lexicon import load_data

DATA = Path(__file__).parent / "data"
QUALIFIERS = ("approx", "at_least", "at_most", "planned")

# clause and sentence boundaries (structural, not language data)
CLAUSE_END = "，,。；;！!？?\n：:"
_ARABIC = regex.compile(r"\d+(?:\.\d+)?")
_PLAIN = regex.compile(r"[\d.]+")
TIME_CLASSES = ("time", "age")
_THOUSANDS = regex.compile(r"(?<=\d),(?=\d{3}(?!\d))")
SENTENCE_END = "。；;！!？?\n"
MAX_NUMBER = 60  # > 40 characters + one thousands comma per four: see find_quantities


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
    return Numerals(digits, {str(k): int(v) for k, v in d["small_units"].items()},
                    {str(k): int(v) for k, v in d["large_units"].items()},
                    frozenset(d["vague"]), fw,
                    tuple(sorted(((str(k), int(v)) for k, v in d["large_units"].items()),
                                 key=lambda kv: -kv[1])),
                    "".join(map(str, [*d["digits"], *d["small_units"], *d["large_units"],
                                      *d["vague"]])))


def _alt(words: list[str] | dict[str, Any]) -> str:
    """An alternation of plain words, longest first, for the standard ``re`` engine.

    Alternations of plain words and character classes are compiled with ``re``: it finds
    them with less overhead per call than ``regex``, and they mean the same to both.
    """
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


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
        unit_re=re.compile(_alt([u.text for u in units])),
        unit_by_text={u.text: u for u in units},
        change_open_re=re.compile(f"(?:{_alt(r['change_open'])})[^，,。；;]{{0,8}}$"),
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


# ---------------------------------------------------------------------------- parsing


def _below(s: str, n: Numerals) -> tuple[Decimal, bool]:
    """Value of a number below the first large unit (digits, 十百千, Arabic runs)."""
    if not s:
        raise ValueError("empty")
    if _ARABIC.fullmatch(s):
        return Decimal(s), False
    toks: list[tuple[str, Decimal]] = []
    i, vague = 0, False
    while i < len(s):
        m = _ARABIC.match(s, i)
        if m:
            toks.append(("d", Decimal(m.group())))
            i = m.end()
            continue
        ch = s[i]
        if ch in n.digits:
            toks.append(("z" if n.digits[ch] == 0 else "d", Decimal(n.digits[ch])))
        elif ch in n.small:
            toks.append(("u", Decimal(n.small[ch])))
        elif ch in n.vague:
            vague = True
            toks.append(("v", Decimal(0)))
        else:
            raise ValueError(f"not a numeral: {ch!r}")
        i += 1
    if all(t == "d" or t == "z" for t, _ in toks):
        # digit-by-digit form (二〇一六): only with a zero, else 三五/三四 are vague pairs
        if len(toks) > 1 and any(t == "z" for t, _ in toks) and all(v < 10 for _, v in toks):
            return Decimal("".join(str(int(v)) for _, v in toks)), False
        if len(toks) == 1 and toks[0][0] == "d":
            return toks[0][1], False
        if len(toks) == 1:
            return Decimal(0), False  # 零
        raise ValueError("digit sequence")
    if all(t == "v" for t, _ in toks):
        raise ValueError("only vague digits")
    total = Decimal(0)
    pending: Decimal | None = None
    last_unit: Decimal | None = None
    zero = False
    for j, (kind, v) in enumerate(toks):
        if kind in ("d", "v"):
            if pending is not None:
                raise ValueError("two digits")
            nxt = toks[j + 1][0] if j + 1 < len(toks) else None
            pending = (Decimal(1) if nxt == "u" else Decimal(0)) if kind == "v" else v
        elif kind == "z":
            if pending is not None:
                raise ValueError("digit before zero")
            zero = True
        else:
            if last_unit is not None and v >= last_unit:
                raise ValueError("units out of order")
            if pending is None:
                if total == 0 and last_unit is None and v == 10 and not zero:
                    pending = Decimal(1)
                else:
                    raise ValueError("unit without digit")
            total += pending * v
            last_unit, pending, zero = v, None, False
    if pending is not None:
        if zero or last_unit is None or last_unit == 10:
            total += pending
        else:
            total += pending * last_unit / 10  # 一百五 is 150
    return total, vague


def _parse(s: str, n: Numerals) -> tuple[Decimal, bool]:
    for ch, unit in n.large_desc:
        i = s.rfind(ch)
        if i < 0:
            continue
        high, low = s[:i], s[i + 1:]
        if not high:
            raise ValueError("large unit without digit")
        hv, hvague = _parse(high, n)
        if unit == 10000 and hv >= 10000 and not _PLAIN.fullmatch(high):
            raise ValueError("万 over 万 in Chinese numerals")
        u = Decimal(unit)
        if not low:
            return hv * u, hvague
        if len(low) == 1 and (low in n.digits or low.isdigit()) and low not in "零〇":
            lv = Decimal(n.digits[low]) if low in n.digits else Decimal(low)
            return hv * u + lv * u / 10, hvague  # 两万五 is 25000
        lv, lvague = _parse(low, n)
        if lv >= u:
            raise ValueError("low part too large")
        return hv * u + lv, hvague or lvague
    return _below(s, n)


def _as_number(v: Decimal) -> int | float:
    return int(v) if v == v.to_integral_value() else float(v)


def parse_number_ex(s: str) -> tuple[int | float, bool] | None:
    """``(value, vague)`` of one number written any way, or ``None``; never raises."""
    if not isinstance(s, str):
        return None
    return _parse_clean(normalise(s).strip())


@lru_cache(maxsize=1 << 12)
def _parse_clean(t: str) -> tuple[int | float, bool] | None:
    """:func:`parse_number_ex` for text already normalised and stripped.

    Remembered (bounded): news text repeats its numbers (years, 一, 10, 100), and the
    answer is an immutable pair that depends on the string alone.
    """
    n = numerals()
    if "," in t:
        t = _THOUSANDS.sub("", t)
    if not t or len(t) > 40:
        return None
    try:
        v, vague = _parse(t, n)
    except (ValueError, InvalidOperation, ArithmeticError, KeyError, IndexError):
        return None
    return _as_number(v), vague


def parse_number(s: str) -> int | float | None:
    """The value of one number (``"1.45亿" -> 145000000``), or ``None``; never raises."""
    r = parse_number_ex(s)
    return None if r is None else r[0]


def format_chinese(n: int) -> str:
    """An integer ``0 <= n < 10**16`` in standard Chinese numerals (一千二百万)."""
    if n < 0 or n >= 10 ** 16:
        raise ValueError(n)
    digits = "零一二三四五六七八九"

    def small(x: int, lead: bool) -> str:
        out, gap = "", False
        for unit, ch in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = x // unit % 10
            if d == 0:
                gap = gap or bool(out)
                continue
            if gap:
                out += "零"
                gap = False
            out += ("" if d == 1 and unit == 10 and lead and not out else digits[d]) + ch
        return out

    def fmt(x: int, lead: bool) -> str:
        for unit, ch in ((10 ** 8, "亿"), (10 ** 4, "万")):
            if x >= unit:
                high, low = divmod(x, unit)
                out = fmt(high, lead) + ch
                if low:
                    out += ("零" if low < unit // 10 else "") + fmt(low, False)
                return out
        return small(x, lead)

    return "零" if n == 0 else fmt(n, True)


# --------------------------------------------------------------------------- scanning


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


def _number_re(n: Numerals, follow: frozenset[str], determiners: frozenset[str]) -> Any:
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
    # the look-ahead lets the engine skip to the next digit or numeral at once
    return re.compile(
        rf"(?=[\d{cn}])(?:{arabic}(?:[{big}]+(?:\d+(?:\.\d+)?[{big}]*)*)?|[{cn}]{{2,}}|{single})")


def _quote_spans(text: str, t: UnitTable) -> list[tuple[int, int]]:
    spans = []
    for op, cl, max_len in t.quotes:
        i = 0
        while True:
            a = text.find(op, i)
            if a < 0:
                break
            b = text.find(cl, a + 1)
            if b < 0:
                break
            if b - a - 1 <= max_len:
                spans.append((a, b + 1))
            i = b + 1
    return spans


_INDEX = threading.local()


@cache
def _ends_re(ends: str, reverse: bool = False) -> Any:
    return regex.compile("[" + regex.escape(ends) + "]", regex.REVERSE if reverse else 0)


def boundary_positions(text: str, ends: str) -> list[int]:
    """Sorted offsets of the characters of ``ends`` in ``text``.

    Built once per text and set of ends (kept while the same text object is asked about,
    per thread), for clauses longer than ``NEAR``: a walk to the clause's end per figure
    costs the square of a long clause.
    """
    cached = getattr(_INDEX, "v", None)
    if cached is None or cached[0] is not text:
        cached = (text, {})
        _INDEX.v = cached
    pos = cached[1].get(ends)
    if pos is None:
        pos = [m.start() for m in _ends_re(ends).finditer(text)]
        cached[1][ends] = pos
    return pos


NEAR = 256  # characters searched around a figure before the index of the text is used


def boundary_left(text: str, i: int, ends: str) -> int:
    """Offset after the last character of ``ends`` before ``i`` (0 when there is none)."""
    lo = max(0, i - NEAR)
    m = _ends_re(ends, True).search(text, lo, i)
    if m is not None:
        return m.start() + 1
    if lo == 0:
        return 0
    pos = boundary_positions(text, ends)
    k = bisect.bisect_left(pos, i) - 1
    return pos[k] + 1 if k >= 0 else 0


def boundary_right(text: str, i: int, ends: str) -> int:
    """Offset of the first character of ``ends`` at or after ``i`` (``len(text)`` if none)."""
    hi = i + NEAR
    m = _ends_re(ends).search(text, i, hi)
    if m is not None:
        return m.start()
    if hi >= len(text):
        return len(text)
    pos = boundary_positions(text, ends)
    k = bisect.bisect_left(pos, i)
    return pos[k] if k < len(pos) else len(text)


@dataclass(frozen=True, slots=True)
class _Words:
    """Words of one table of ``units.yaml``, longest first, with their first and last characters.

    A word can start (or end) only with one of those: one set look-up per number replaces a
    ``startswith`` per word for the great majority of numbers, which have no such word.
    """

    words: tuple[str, ...]
    first: frozenset[str]
    last: frozenset[str]


def _words(table: dict[str, str], what: str) -> _Words:
    words = tuple(sorted(table, key=len, reverse=True))
    if any(not isinstance(w, str) or not w for w in words):
        raise ValueError(f"units.yaml: {what} words must be non-empty strings")
    return _Words(words, frozenset(w[0] for w in words), frozenset(w[-1] for w in words))


@dataclass(frozen=True, slots=True)
class _ScanTables:
    """Look-ups derived once from a :class:`UnitTable` for the scan of each number."""

    infix: _Words
    suffix: _Words
    per_suffix: _Words
    prefix: _Words
    per_prefix_any: Any  # a clause without any rate word skips the search for the nearest
    unit_or_infix: frozenset[str]  # first characters of units and infix qualifiers
    large: frozenset[str]  # 万, 亿
    numbers: Any  # candidate numbers (_number_re)
    after_unit: frozenset[str]  # first characters of rate and qualifier words after a unit


_DERIVED: list[tuple[UnitTable, Numerals, _ScanTables]] = []


def _scan_tables(t: UnitTable, n: Numerals) -> _ScanTables:
    """The :class:`_ScanTables` of ``t`` and ``n`` (built on first use, kept for those tables)."""
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
    x = _ScanTables(infix, suffix, per_suffix, _words(t.prefix_q, "prefix"),
                    re.compile(_alt(words) or "(?!)"), follow, frozenset(n.large),
                    _number_re(n, follow, t.determiners), suffix.first | per_suffix.first)
    _DERIVED[:] = [(t, n, x)]
    return x


def _scan_one(text: str, s: int, e: int, val: int | float, vague: bool,
              t: UnitTable, n: Numerals, c0: int, x: _ScanTables) -> Quantity | None:
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
    elif chinese and x.large.isdisjoint(text[s:e]):
        return None  # bare Chinese numeral: part of a word (三农, 五措并举)
    if t.not_before.search(text[max(0, s - 8):s]) or t.not_after.search(text[e:e + 4]):
        return None  # an ordinal, a rank or part of a code (the cheaper refusals come first)
    per = None
    if unit is None:
        if text[e - 1] in n.large and text[pos:pos + 1] in t.infix_q:
            qualifier = qualifier or t.infix_q[text[pos]]  # 8亿多贫困人口
            pos += 1
    elif text[pos:pos + 1] in x.after_unit:
        pos, per, qualifier = _unit_suffixes(text, pos, qualifier, t, x)
    before = text[c0:s]
    if before[-1:] in x.prefix.last:
        pk = _longest_suffix(before, x.prefix.words)
        if pk:
            qualifier = t.prefix_q[pk]
    if t.planned.search(before):
        qualifier = "planned"
    if per is None and x.per_prefix_any.search(before):
        per = _nearest_rate(before, t.per_prefix)
    # positional (cheaper than keywords): ..., qualifier, per, group, role, number_start, number_end, chinese
    if unit is None:
        return Quantity(s, pos, text[s:pos], _integral(val), None, "bare", qualifier, per,
                        None, None, s, e, chinese)
    value = _as_number(Decimal(str(val)) * unit.factor) if unit.factor != 1 else _integral(val)
    return Quantity(s, pos, text[s:pos], value, unit.base, unit.cls, qualifier, per, None, None, s, e, chinese)


def _integral(v: int | float) -> int | float:
    """``v``, as an int when it is a whole float."""
    return int(v) if isinstance(v, float) and v.is_integer() else v


def _unit_suffixes(text: str, pos: int, qualifier: str | None, t: UnitTable,
                   x: _ScanTables) -> tuple[int, str | None, str | None]:
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
            val = _as_number(Decimal(str(val)) * n.large[text[j]])
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


def _link_ranges(text: str, qs: list[Quantity], t: UnitTable) -> None:
    """Link the two ends of ranges and changes (由329万减少到25.5万, 1至3年).

    A second pass skips calendar times between the ends (从2021年的14051元增长至2024年的
    17522元). It tries only pairs that have such a time between them: a pair next to each
    other was tried in the first pass and reads the same now (only a link changes what
    the test reads, and a linked end is skipped).
    """
    counts = [(k, q) for k, q in enumerate(qs) if q.unit_class not in TIME_CLASSES]
    group = 0
    for a, b in itertools.pairwise(qs):
        group = _try_link(text, a, b, group, t)
    for (i, a), (j, b) in itertools.pairwise(counts):
        if j > i + 1:
            group = _try_link(text, a, b, group, t)


def _try_link(text: str, a: Quantity, b: Quantity, group: int, t: UnitTable) -> int:
    """Link ``a`` and ``b`` as group ``group + 1`` if they are a range or change; the last group."""
    if a.group is not None or b.group is not None:
        return group
    if not (a.unit is None or a.unit_class == b.unit_class):
        return group  # neither a change nor a span joins two kinds
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
            a.value = _as_number(Decimal(str(a.value)) * big)
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


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity expression of ``text``, in order; never raises on any string."""
    if not isinstance(text, str) or not text:
        return []
    n, t = numerals(), unit_table()
    x = _scan_tables(t, n)
    norm = normalise(text)
    quotes = _merged_quotes(norm, t)
    q_starts = [a for a, _ in quotes]
    clause_end = _ends_re(CLAUSE_END, True)
    c0 = seen = 0  # start of the clause of the last number scanned, and where it was
    out: list[Quantity] = []
    for m in x.numbers.finditer(norm):
        s, e = m.span()
        parsed = _parse_clean(norm[s:e]) if e - s <= MAX_NUMBER else None  # the number as found
        if parsed is not None:
            value, vague = parsed
        else:
            got = _parse_at(norm, s, e)  # else its longest part that parses
            if got is None:
                continue
            e, value, vague = got
        if norm[e:e + 1] not in x.unit_or_infix and norm[s] in n.chars and x.large.isdisjoint(norm[s:e]):
            continue  # a Chinese numeral without a unit or magnitude is part of a word (一些, 三农)
        if quotes:
            k = bisect.bisect_right(q_starts, s) - 1
            if k >= 0 and s < quotes[k][1]:
                continue
        # numbers come in order: the clause end before this one is after the last number
        # or the last one's clause start stands (each stretch of text is searched once)
        b = clause_end.search(norm, seen, s)
        if b is not None:
            c0 = b.start() + 1
        seen = s
        q = _scan_one(norm, s, e, value, vague, t, n, c0, x)
        if q is not None:
            if norm is not text:
                q.text = text[q.start:q.end]  # the text as given, not as normalised
            out.append(q)
    _link_ranges(norm, out, t)
    return out


def _merged_quotes(norm: str, t: UnitTable) -> list[tuple[int, int]]:
    """The short quoted stretches of ``norm``, merged, so one bisect finds the cover."""
    quotes: list[tuple[int, int]] = []
    for a, b in sorted(_quote_spans(norm, t)):
        if quotes and a < quotes[-1][1]:
            quotes[-1] = (quotes[-1][0], max(b, quotes[-1][1]))
        else:
            quotes.append((a, b))
    return quotes


def _parse_at(norm: str, s: int, e: int) -> tuple[int, int | float, bool] | None:
    """``(end, value, vague)`` of the longest number of ``norm[s:e]`` from ``s``, or None.

    A number of more than MAX_NUMBER characters never parses (at most 40 once thousands
    commas are gone), so the shortening starts there: a line of a million digits is one
    slice, not a million.
    """
    e = min(e, s + MAX_NUMBER)
    while e > s:
        parsed = _parse_clean(norm[s:e])
        if parsed is not None:
            return e, parsed[0], parsed[1]
        e -= 1
    return None
