"""Programmes: named models, mechanisms, campaigns and slogans of policy practice.

Finds the genre's programme names (quoted numeric slogans such as “五在村”, “十百千”工程,
“两不愁三保障”; quoted names followed by a kind word such as “红色引擎”工程; formulas such
as “党建+电商”; unquoted numeric slogans such as 五措并举), decides which one the article
is about (``headline``) and what each stands for (``components``).

Whether a quoted phrase is a programme is decided from features of the phrase and its
context, all described in ``data/programmes.yaml``: numerals, a ``+`` formula, a kind word
after the quotes (or at the end of the name), a trigger verb before it, the shape of an
enumeration of short parallel phrases, and negative features (a clause of speech, a title
of a person, a catch-phrase, a single word). Matching runs on the cleaned view; offsets are
raw. Names in 《》 are documents, returned by :func:`documents`, never programmes.
"""

from __future__ import annotations

import bisect
import itertools
import logging
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from policy_ie.extractors.programme_parts import (
    assign_components,
    expected_counts,
    numeral_tokens,
    split_enumeration,
)
from policy_ie.extractors.registry import register
from policy_ie.text.document import Document, Mention, ProgrammeMention
from policy_ie.text.lexicon import alternation

DATA_FILE = Path(__file__).with_name("data") / "programmes.yaml"

_REQUIRED_KEYS = (
    "quotes", "numerals", "strong_kinds", "frame_kinds", "suffix_kinds", "max_modifier",
    "modifier_stop", "trigger_verbs", "clause_markers", "enum_separators", "max_enum_part",
    "max_name", "person_suffixes", "catch_phrases", "definition_cues", "content_links",
    "ordinal_chars", "unquoted_patterns", "national_slogans", "quantity_units",
    "measure_units", "numeral_led_words", "numeral_classifiers", "sentence_marks", "series_label",
)


@dataclass(frozen=True, eq=False)
class ProgrammeData:
    """The validated contents of ``programmes.yaml`` plus the regexes built from them.

    Compared and hashed by identity (``eq=False``): :func:`load_data` makes one per file, and
    per-name results are cached against it.
    """

    raw: dict[str, Any]
    numerals: dict[str, int]
    num_class: str
    kind_after: re.Pattern[str]
    strong_kinds: frozenset[str]
    suffix_kinds: tuple[str, ...]
    trigger_verbs: tuple[str, ...]
    clause_markers: frozenset[str]
    person_suffixes: tuple[str, ...]
    catch_phrases: frozenset[str]
    unquoted: re.Pattern[str]
    plus_formula: re.Pattern[str]
    quantity: re.Pattern[str]
    numbered_kind: re.Pattern[str]  # “A、B、C”五个脱贫攻坚模式: a numbered kind after quotes
    numbered_kind_curly: re.Pattern[str]  # the same after ” only (for a text without 」)
    led_words: tuple[str, ...]  # numeral_led_words, in the file's order
    led_any: re.Pattern[str]  # does a name hold one of them?
    numeral_any: re.Pattern[str]  # a numeral or a decimal digit (else a name has no numerals)
    quote_res: tuple[tuple[str, re.Pattern[str]], ...]  # per quote pair: (opening mark, a
    # quoted stretch on one line)
    enum_sep: re.Pattern[str]  # an enumeration separator
    plain: re.Pattern[str]  # what a plain name lacks: a separator, a numeral, a digit, + or 等
    trigger_end: re.Pattern[str]  # does a text end with a trigger verb?
    series_label: re.Pattern[str]  # the name of a column or series in a title

    # what names alone say (:func:`_shape`), kept for names seen before; a plain dict, emptied
    # when full (cheaper per name than an LRU cache: most names are new)
    shapes: dict[str, _Shape] = field(default_factory=dict, repr=False)

    def __getitem__(self, key: str) -> Any:
        return self.raw[key]


@cache
def load_data(path: Path = DATA_FILE) -> ProgrammeData:
    """Load and validate the programme lexicon (once)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    missing = [k for k in _REQUIRED_KEYS if k not in raw]
    if missing:
        raise ValueError(f"{path}: missing keys {missing}")
    for pair in raw["quotes"]:
        if len(pair) != 2 or not all(isinstance(q, str) and len(q) == 1 for q in pair):
            raise ValueError(f"{path}: bad quote pair {pair!r}")
    nums = {str(k): int(v) for k, v in raw["numerals"].items()}
    if any(len(k) != 1 for k in nums):
        raise ValueError(f"{path}: numerals must be single characters")
    num_class = "[" + "".join(nums) + "0-9]"
    kinds = list(raw["strong_kinds"]) + list(raw["frame_kinds"])
    stop = re.escape(raw["modifier_stop"])
    mod = int(raw["max_modifier"])
    # after the closing quote: optional parenthetical, 等, 的, a short modifier, the kind word
    kind_after = re.compile(
        rf"(?P<paren>[(（][^()（）\n]{{1,80}}[)）])?(?:等)?(?:的)?"
        rf"(?P<mod>[^\s{stop}\d{''.join(nums)}]{{0,{mod}}}?)(?P<kind>{alternation(kinds)})"
    )
    for p in raw["unquoted_patterns"]:
        if "{num}" not in p:
            raise ValueError(f"{path}: unquoted pattern without {{num}}: {p!r}")
    plus = re.compile(r"^[\w·]{1,8}(?:\+[\w·]{1,8})*\+(?:[\w·]{1,8})?$")
    quantity = re.compile(rf"^{num_class}+(?:个|多)?[{re.escape(raw['quantity_units'])}]$")
    num = num_class.replace("0-9", "")
    numbered = rf"((?:{num})(?:个|大|项|种|条)[^\s{stop}]{{0,{mod}}}?({alternation(list(raw['strong_kinds']))}))"
    led_words = tuple(raw["numeral_led_words"])
    return ProgrammeData(
        raw=raw,
        numerals=nums,
        num_class=num_class,
        kind_after=kind_after,
        strong_kinds=frozenset(raw["strong_kinds"]),
        suffix_kinds=tuple(sorted(raw["suffix_kinds"], key=len, reverse=True)),
        trigger_verbs=tuple(raw["trigger_verbs"]),
        clause_markers=frozenset(raw["clause_markers"]),
        person_suffixes=tuple(raw["person_suffixes"]),
        catch_phrases=frozenset(raw["catch_phrases"]),
        unquoted=_unquoted_re(raw, num),
        plus_formula=plus,
        quantity=quantity,
        numbered_kind=re.compile(f"[”」]{numbered}"),
        # a scan for one character is much faster than for either of two
        numbered_kind_curly=re.compile(f"”{numbered}"),
        led_words=led_words,
        led_any=re.compile(alternation(list(led_words)) or "(?!)"),
        numeral_any=re.compile(rf"[{re.escape(''.join(nums))}]|\d"),
        enum_sep=re.compile(f"[{re.escape(raw['enum_separators'])}]" if raw["enum_separators"] else "(?!)"),
        plain=re.compile(f"[{re.escape(raw['enum_separators'] + ''.join(nums) + '+等')}]|\\d"),
        quote_res=tuple((op, re.compile(f"{re.escape(op)}[^{re.escape(op + cl)}\n]*{re.escape(cl)}"))
                        for op, cl in raw["quotes"]),
        trigger_end=re.compile(rf"(?:{alternation(list(raw['trigger_verbs']))})\Z" if raw["trigger_verbs"] else "(?!)"),
        series_label=re.compile(raw["series_label"]),
    )


def _unquoted_re(raw: dict[str, Any], num: str) -> re.Pattern[str]:
    r"""Unquoted slogans (templates with ``{num}``, national slogans), not inside quotes and
    not after a numeral or 第.

    Written so that the pattern opens with a character class (the first characters of all
    slogans): the regex engine then jumps from one such character to the next instead of
    trying every alternative at every position. The test "not after" moves behind that first
    character (``(?<![…][\s\S])``), and each alternative matches the rest of its slogan first
    (a literal the engine rejects at one compare) and then looks back at the whole of it: the
    same matches as ``(?<![…])(?:A|B|…)(?![…])``.
    """
    numerals = "".join(str(k) for k in raw["numerals"])
    firsts: dict[str, None] = {}  # first characters, in order
    alts = []
    for p in [*raw["unquoted_patterns"], *raw["national_slogans"]]:
        head, rest = ("{num}", p[5:]) if p.startswith("{num}") else (p[0], p[1:])
        firsts.update(dict.fromkeys(numerals if head == "{num}" else head))
        first = num if head == "{num}" else re.escape(head)
        rest_re = re.escape(rest).replace(re.escape("{num}"), num)
        alts.append(f"{rest_re}(?<={first}{rest_re})")
    block = re.escape("“\"「" + numerals + "第")
    return re.compile(rf"[{re.escape(''.join(firsts))}](?<![{block}][\s\S])(?:{'|'.join(alts)})"
                      r"(?![”\"」])")


@dataclass(slots=True)
class Candidate:
    """A possible programme mention in the clean text, with its features."""

    name: str
    start: int  # clean span of the whole mention (quotes and kind word included)
    end: int
    content_start: int  # clean span of the name itself
    content_end: int
    quoted: bool = True
    kind: str | None = None
    kind_strength: str | None = None  # "strong", "frame", "suffix"
    paren: str | None = None  # a parenthetical between the name and its kind word
    modifier: str = ""  # words between the name and its kind word (党建扶贫)
    parts: list[str] = field(default_factory=list)  # enumeration parts of the name
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    components: list[str] = field(default_factory=list)
    # the clause test (the last feature) is not applied yet: see _features and settle
    clause_pending: bool = field(default=False, compare=False, repr=False)

    def settle(self, data: ProgrammeData) -> None:
        """Apply the clause test that a lazy scoring left for later (the score and reasons
        become what eager scoring gives)."""
        if self.clause_pending:
            self.clause_pending = False
            _apply_clause(self, data)


@lru_cache(maxsize=1 << 12)
def norm_name(s: str) -> str:
    """The key under which mentions of one programme are merged (NFKC, no quotes/space)."""
    s = unicodedata.normalize("NFKC", s)
    return "".join(ch for ch in s if not ch.isspace() and ch not in "“”\"'‘’「」『』《》")


def _quote_spans(text: str, data: ProgrammeData) -> list[tuple[int, int]]:
    """(open, close) index pairs of quoted stretches on one line, in text order.

    A closing mark closes the last opening mark before it on its line; an opening mark with no
    closing mark on its line opens nothing. One regex per quote pair (an opening mark, no
    quote mark or line end, the closing mark) scans the text once.
    """
    out = [(m.start(), m.end() - 1) for op, pat in data.quote_res if op in text
           for m in pat.finditer(text)]
    out.sort()
    return out


def _overlapping(spans: list[tuple[int, int]]) -> Any:
    """A test ``(start, end) -> bool``: does a span ``(s, e)`` hold ``start`` (s <= start < e)
    or ``end`` (s < end <= e)? One bisect over the spans sorted by start, with the running
    maximum of their ends, instead of a walk over every span."""
    ordered = sorted(spans)
    starts = [a for a, _ in ordered]
    reach: list[int] = []
    for _, b in ordered:
        reach.append(max(b, reach[-1]) if reach else b)

    def test(start: int, end: int) -> bool:
        k = bisect.bisect_right(starts, start) - 1  # spans with s <= start
        if k >= 0 and reach[k] > start:
            return True
        k = bisect.bisect_left(starts, end) - 1  # spans with s < end
        return k >= 0 and reach[k] >= end

    return test


def _after_numerals(text: str, numerals: dict[str, int]) -> list[str]:
    """The character after each run of numeral characters of ``text`` ("" at its end)."""
    return [text[i + 1:i + 2] for i, ch in enumerate(text)
            if ch in numerals and (i + 1 == len(text) or text[i + 1] not in numerals)]


def _is_numeric_slogan(name: str, data: ProgrammeData) -> bool:
    """A short name built on numerals: 五在村, 十百千, 两不愁三保障, 1个10%, 5+2.

    Not: quantities (“二十年”, “百里画廊”), dates (“七一”), words that merely begin with a
    numeral character (“百姓”, “四川省...”), phrases with 的 (“一代人有一代人的使命”),
    sentences of speech (“我掏一万。”), phrases whose every number counts a measure
    (“饱一顿饥一顿”).
    """
    if len(name) > 12 or not data.numeral_any.search(name):  # (no numerals: no tokens below)
        return False
    if data.quantity.match(name) or "的" in name:
        return False
    if any(mark in name for mark in data["sentence_marks"]):  # speech (“我掏一万。”)
        return False
    if name.startswith(data.led_words):
        return False
    bare = name
    if data.led_any.search(name):  # (a word not in the name is not in it after replacements)
        for w in data.led_words:
            bare = bare.replace(w, "_" * len(w))
    toks = numeral_tokens(bare, data.numerals) if data.numeral_any.search(bare) else []
    if any(t.isdigit() for t, _ in toks):
        return bool(_DIGIT_SLOGAN.search(name)) and not _YEAR_LIKE.search(name)
    if not toks:
        return False
    if len(name) == 2 and all(ch in data.numerals for ch in name):
        return False  # 七一, 五一, 八一: a date
    if all(ch and ch in data["measure_units"] for ch in _after_numerals(bare, data.numerals)):
        return False  # every number counts a measure: 饱一顿饥一顿, 养活三四百头牦牛
    first = name[0]
    if len(toks) == 1:
        after = bare[bare.index(toks[0][0]) + 1:][:1]
        if after and after in data["measure_units"]:
            return False
        if len(name) >= 6 and after not in data["numeral_classifiers"]:
            return False
    return (first in data.numerals and first != "一") or len(toks) >= 2


_DIGIT_SLOGAN = re.compile(r"[个+%＋]")
_SENTENCE_PUNCT = re.compile("[。？！?!]")
_YEAR_LIKE = re.compile(r"\d{4}")


def _is_clause(name: str, data: ProgrammeData) -> bool:
    """Whether the quoted text reads as a clause of speech rather than a name."""
    if _SENTENCE_PUNCT.search(name):
        return True
    # a word of the name is a marker only if the marker occurs in it: most names hold
    # none, and need no segmentation. jieba cuts a text block by block (runs of Chinese
    # characters, letters and digits; the characters between), each on its own, so only the
    # blocks that hold a marker are segmented, and the answer is the same
    markers = _markers_re(data.clause_markers)
    if not markers.search(name):
        return False
    return any(w in data.clause_markers
               for block in _blocks(name) if markers.search(block) for w in _words(block))


@cache
def _markers_re(markers: frozenset[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(m) for m in sorted(markers, key=len, reverse=True))
                      or "(?!)")


@cache
def _jieba() -> Any:
    """The jieba module, imported (lazily: only quotes with words are segmented) and quieted once."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def _blocks(text: str) -> list[str]:
    """The blocks jieba cuts ``text`` into before segmenting each (its own split)."""
    return [b for b in _jieba().re_han_default.split(text) if b]


@lru_cache(maxsize=1 << 12)
def _words(text: str) -> tuple[str, ...]:
    """jieba's words of a quoted name or a block of it (cached: slogans recur)."""
    return tuple(_jieba().lcut(text))


class _Shape(NamedTuple):
    """What the name of a quoted candidate alone says about it (see :func:`_shape`)."""

    parts: tuple[str, ...]  # enumeration parts (the name alone for a one-slogan list)
    is_enum: bool
    numeric: bool
    plus: bool
    suffix: str | None  # a kind word the (short, single) name ends with
    enum_short: bool  # every enumeration part is short
    long: bool  # a single name too long for a programme
    catch: bool
    person: bool  # ends like a title of a person
    clause_test: bool  # the clause test applies (not to numeric or + names)


_SHAPES_KEPT = 1 << 12  # names whose shapes are kept at most (bounded memory)


def _shape_of(name: str, data: ProgrammeData) -> _Shape:
    """:func:`_shape`, remembered (names recur within and across articles)."""
    sh = data.shapes.get(name)
    if sh is None:
        if len(data.shapes) >= _SHAPES_KEPT:
            data.shapes.clear()
        sh = data.shapes[name] = _shape(name, data)
    return sh


def _shape(name: str, data: ProgrammeData) -> _Shape:
    """The features of a quoted name that do not depend on its context. The clause test,
    which segments the name, is apart (:func:`_clause`): a lazy scoring skips it where it
    cannot matter."""
    raw = data.raw
    stripped = name.strip()
    if data.plain.search(name) is None:  # most names: one part, no numerals, no +
        parts = [stripped] if stripped else []
        is_enum = numeric = plus = False
    else:
        if data.enum_sep.search(name) is None and not stripped.endswith("等"):
            parts = [stripped] if stripped else []  # (what split_enumeration gives)
        else:
            parts = split_enumeration(name, raw["enum_separators"])
        is_enum = len(parts) >= 2
        numeric = _is_numeric_slogan(name, data) if not is_enum else all(
            _is_numeric_slogan(p, data) for p in parts)
        if is_enum and numeric:  # “两不愁、三保障”: one slogan written as a list
            parts = [name]
            is_enum = False
        plus = not is_enum and "+" in name and bool(data.plus_formula.match(name))
    suffix = None
    if not is_enum and len(name) <= raw["max_name"] and name.endswith(data.suffix_kinds):
        suffix = next((k for k in data.suffix_kinds if name.endswith(k) and len(name) >= len(k) + 2),
                      None)
    return _Shape(  # (positional: the fields' order)
        tuple(parts),
        is_enum,
        numeric,
        plus,
        suffix,
        is_enum and max(map(len, parts)) <= raw["max_enum_part"],
        len(name) > raw["max_name"],
        name in data.catch_phrases,
        name.endswith(data.person_suffixes),
        not numeric and not plus,
    )


# Weight of each feature in a candidate's score, and the reason recorded for it.
_WEIGHTS = {"numeric": 2, "plus": 2, "kind": 2, "frame": 1, "suffix": 2, "enum": 1,
            "long-parts": -2, "long": -2, "trigger": 1, "catch": -5, "person": -3, "single": -3,
            "clause": -3}
_REASONS = {k: f"{k}{n:+d}" for k, n in _WEIGHTS.items()}


@lru_cache(maxsize=1 << 12)
def _clause(name: str, data: ProgrammeData) -> bool:
    """:func:`_is_clause`, cached (names recur within and across articles)."""
    return _is_clause(name, data)


def _apply_clause(c: Candidate, data: ProgrammeData) -> None:
    if _clause(c.name, data):
        c.score += _WEIGHTS["clause"]
        c.reasons.append(_REASONS["clause"])


def _features(c: Candidate, text: str, data: ProgrammeData, lazy: bool = False) -> None:
    """Score a quoted candidate from its own shape and its context.

    ``lazy``: leave the clause test (the last feature, -3) pending when the score is already
    below 2, where it cannot decide whether the candidate is kept; :meth:`Candidate.settle`
    applies it when something reads the reasons.
    """
    name = c.name
    sh = _shape_of(name, data)
    c.parts = list(sh.parts)
    found: list[str] = []
    if sh.numeric:
        found.append("numeric")
    if sh.plus:
        found.append("plus")
    if c.kind_strength == "strong":
        found.append("kind")
    elif c.kind_strength == "frame" and (sh.numeric or sh.plus or sh.is_enum):
        found.append("frame")
    if sh.suffix is not None:
        found.append("suffix")
        if c.kind is None:
            c.kind, c.kind_strength = sh.suffix, "suffix"
    if sh.is_enum:
        found.append("enum" if sh.enum_short else "long-parts")
    elif sh.long:
        found.append("long")
    if data.trigger_end.search(text, max(0, c.start - 4), c.start):
        found.append("trigger")
    if sh.catch:
        found.append("catch")
    if (c.kind_strength != "strong" or c.modifier) and sh.person:
        found.append("person")
    if len(name) <= 1:
        found.append("single")
    for k in found:
        c.score += _WEIGHTS[k]
        c.reasons.append(_REASONS[k])
    if sh.clause_test:
        if lazy and c.score < 2:
            c.clause_pending = True
        else:
            _apply_clause(c, data)


_JOINERS = ("", "、", "和", "与", "及", ",", ",")  # what may stand between quotes of one group


def _kind_groups(spans: list[tuple[int, int]], text: str) -> list[list[int]]:
    """Indices of quotes standing side by side (“A”“B”、“C”) that share a kind word."""
    groups: list[list[int]] = []
    for i, (o, _c) in enumerate(spans):
        if groups:
            prev_close = spans[groups[-1][-1]][1]
            # (each joiner is one character at most: no slice of a longer gap)
            if o <= prev_close + 2 and text[prev_close + 1:o] in _JOINERS:
                groups[-1].append(i)
                continue
        groups.append([i])
    return groups


def quoted_candidates(text: str, data: ProgrammeData | None = None) -> list[Candidate]:
    """Every quoted stretch of ``text`` as a scored :class:`Candidate`."""
    return _quoted_candidates(text, data or load_data(), lazy=False)


def _quoted_candidates(text: str, data: ProgrammeData, lazy: bool) -> list[Candidate]:
    """:func:`quoted_candidates`; ``lazy`` as for :func:`_features`."""
    spans = _quote_spans(text, data)
    kinds = _kinds_after(spans, text, data)
    cands: list[Candidate] = []
    for i, (o, cl) in enumerate(spans):
        name = text[o + 1:cl].strip()
        if not name:
            continue
        c = Candidate(name, o, cl + 1, o + 1, cl)
        k = kinds.get(i)
        if k is not None:
            c.kind, c.kind_strength, c.modifier, end, c.paren = k
            c.end = end if end is not None else c.end
        _features(c, text, data, lazy)
        cands.append(c)
    return cands


def _kinds_after(spans: list[tuple[int, int]], text: str, data: ProgrammeData) -> dict[
        int, tuple[str, str, str, int | None, str | None]]:
    """Per index of a quoted span followed (alone or in a group) by a kind word: (kind,
    strength, modifier, end of the mention, parenthetical); the last of a group takes the
    kind word and the parenthetical into its span."""
    out: dict[int, tuple[str, str, str, int | None, str | None]] = {}
    for grp in _kind_groups(spans, text):
        last_close = spans[grp[-1]][1]
        m = data.kind_after.match(text, last_close + 1)
        if not m:
            continue
        kind = m.group("kind")
        strength = "strong" if kind in data.strong_kinds else "frame"
        if m.group("mod") and text[last_close + 1:m.start("mod")].endswith("的"):
            strength = "frame"  # “X”的打击行动: the kind word belongs to another phrase
        for gi in grp:
            last = gi == grp[-1]
            out[gi] = (kind, strength, m.group("mod"), m.end() if last else None,
                       m.group("paren") if last else None)
    return out


def unquoted_candidates(text: str, data: ProgrammeData | None = None) -> list[Candidate]:
    """Numeric slogans without quotes: 五措并举, a numbered kind after an enumeration."""
    data = data or load_data()
    out = [Candidate(name=m.group(), start=m.start(), end=m.end(), content_start=m.start(),
                     content_end=m.end(), quoted=False, score=2, reasons=["unquoted"])
           for m in data.unquoted.finditer(text)]
    # “A、B、C、D、E”五个脱贫攻坚模式: a numbered kind right after a quoted enumeration
    numbered = data.numbered_kind if "」" in text else data.numbered_kind_curly
    for m in numbered.finditer(text):
        out.append(Candidate(name=m.group(1), start=m.start(1), end=m.end(1),
                             content_start=m.start(1), content_end=m.end(1), quoted=False,
                             kind=m.group(2), kind_strength="strong", score=2,
                             reasons=["numbered-kind"]))
    return out


@lru_cache(maxsize=256)
def _title_names(title: str | None, data: ProgrammeData) -> tuple[str, ...]:
    """Programme names the title presents, in order (cached: asked twice per article).

    The name of the column or series the article runs in (【……非凡“十四五”】, （全面小康，
    “三农”怎么干①）) is not what the title presents: it is left out."""
    title = data.series_label.sub("", title) if title else title
    if not title:
        return ()
    cands = [c for c in _quoted_candidates(title, data, lazy=True) + unquoted_candidates(title, data)
             if c.score >= 2 and len(c.parts) < 2]
    cands.sort(key=lambda c: c.start)
    return tuple(norm_name(c.name) for c in cands)


class _TitleNames:
    """The programme names of the title as a set, found when first asked about (section
    headings ask, and most articles have none)."""

    def __init__(self, title: str | None, data: ProgrammeData) -> None:
        self.title, self.data = title, data
        self.names: set[str] | None = None

    def __contains__(self, name: object) -> bool:
        if self.names is None:
            self.names = set(_title_names(self.title, self.data))
        return name in self.names


def _opening(text: str, title: str | None) -> tuple[int, int]:
    """Clean span of the article's opening: the first body paragraph after the title."""
    start = 0
    if title:
        i = text.find(title.strip()[:12])
        if 0 <= i < 600:
            nl = text.find("\n", i)
            start = nl + 1 if nl >= 0 else len(text)
    for line in _LINE.finditer(text[start:]):
        body = line.group()
        if _CJK_20.match(body):
            s = start + line.start()
            # the first two sentences
            ends = [m.end() for m in itertools.islice(_SENTENCE_END.finditer(body), 2)]
            e = s + (ends[1] if len(ends) > 1 else len(body))
            return s, e
    return 0, 0


_LINE = re.compile(r"[^\n]+")
_CJK_20 = re.compile(r"(?:[^\u4e00-\u9fff]*[\u4e00-\u9fff]){20}")  # 20 Chinese characters or more
_SENTENCE_END = re.compile(r"[。!?！？]")


def _choose_headline(kept: list[Candidate], text: str, title: str | None,
                     data: ProgrammeData) -> str | None:
    """The name of the programme the title or the opening presents as the subject."""
    if not kept:
        return None
    keys = [norm_name(c.name) for c in kept]
    for t in _title_names(title, data):
        for k in keys:
            if k == t or k.startswith(t) or t.startswith(k):
                return k
    counts = Counter(keys)
    named = [(c, k) for c, k in zip(kept, keys, strict=True) if counts[k] >= 2 and (
        c.kind_strength in ("strong", "suffix") or "trigger+1" in c.reasons)]
    if not named:  # (then the opening is not looked for)
        return None
    o0, o1 = _opening(text, title)
    for c, k in named:
        if o0 <= c.start < o1:
            return k
    return None


def _canonical_names(kept: list[Candidate], data: ProgrammeData) -> dict[str, str]:
    """Merge 党员联户帮扶工程 into 党员联户帮扶 when both are mentioned."""
    keys = {norm_name(c.name) for c in kept}
    canon = {}
    for k in keys:
        canon[k] = k
        for suffix in data.suffix_kinds:
            if k.endswith(suffix) and k[: -len(suffix)] in keys:
                canon[k] = k[: -len(suffix)]
                break
    return canon


def find_programmes(text: str, title: str | None = None) -> list[Candidate]:
    """Accepted candidates of a clean text, with components, in text order."""
    return _find_programmes(text, title, lazy=True)


def _find_programmes(text: str, title: str | None, lazy: bool) -> list[Candidate]:
    """:func:`find_programmes`. A lazy scoring gives the same candidates: only those below a
    score of 2 are left with a pending clause test, and they are never kept."""
    data = load_data()
    quoted = _quoted_candidates(text, data, lazy)
    unquoted = unquoted_candidates(text, data)
    if unquoted:
        overlaps = _overlapping([(c.start, c.end) for c in quoted])
        unquoted = [u for u in unquoted if not overlaps(u.start, u.end)]
    allc = sorted(quoted + unquoted, key=lambda c: c.start)
    absorbed = assign_components(allc, text, data, _TitleNames(title, data))
    kept = [c for c in allc if c.score >= 2 and id(c) not in absorbed]
    return kept


def _to_mentions(doc: Document, kept: list[Candidate], headline: str | None,
                 canon: dict[str, str]) -> list[ProgrammeMention]:
    kinds: dict[str, Counter[str]] = {}
    comps: dict[str, list[str]] = {}
    for c in kept:
        k = canon[norm_name(c.name)]
        if c.kind and c.kind_strength in ("strong", "suffix"):
            kinds.setdefault(k, Counter())[c.kind] += 1
        if c.components and len(c.components) > len(comps.get(k, [])):
            comps[k] = list(c.components)
    out: list[ProgrammeMention] = []
    head_done = False
    for c in kept:
        k = canon[norm_name(c.name)]
        try:
            s, e = doc.view.to_raw(c.start, c.end)
        except (ValueError, IndexError):
            continue
        kind = c.kind if c.kind_strength in ("strong", "suffix") else None
        if kind is None and k in kinds:
            kind = kinds[k].most_common(1)[0][0]
        is_head = headline is not None and k == headline and not head_done
        head_done = head_done or is_head
        name = k if k != norm_name(c.name) else c.name
        out.append(ProgrammeMention(text=doc.text[s:e], start=s, end=e, name=name, kind=kind,
                                    headline=is_head, components=list(comps.get(k, []))))
    return out


@register("programmes", assigns="programmes")
def extract(doc: Document) -> list[ProgrammeMention]:
    """All programme mentions of ``doc`` with kind, headline and components."""
    data = load_data()
    text = doc.view.text
    kept = find_programmes(text, doc.meta.title)
    canon = _canonical_names(kept, data)
    head = _choose_headline(kept, text, doc.meta.title, data)
    if head is not None:
        head = canon.get(head, head)
    return _to_mentions(doc, kept, head, canon)


@register("documents", assigns="documents")
def documents(doc: Document) -> list[Mention]:
    """Titles of documents in 《》 (policies, plans, opinions): not programmes.

    They go to the record's own ``documents`` list, never to ``programmes``.
    """
    text = doc.view.text
    out: list[Mention] = []
    for m in re.finditer(r"《[^《》\n]{2,80}》", text):
        try:
            s, e = doc.view.to_raw(m.start(), m.end())
        except (ValueError, IndexError):
            continue
        out.append(Mention(text=doc.text[s:e], start=s, end=e))
    return out


__all__ = ["Candidate", "documents", "expected_counts", "extract", "find_programmes",
           "load_data", "norm_name", "quoted_candidates", "unquoted_candidates"]
