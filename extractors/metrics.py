"""Metrics: which quantities of an article report a metric of ANNOTATION.md, and about what.

Each quantity found by :mod:`extractors.numbers` in the cleaned text is classified from its
context with the cue lexicon of ``data/metric_cues.yaml`` (see the comments there): first
the noun it counts (its subject), which gives a metric by unit class, then ordered context
rules (脱贫 governing the people, beneficiary verbs, per-capita pay-outs ...). A quantity
whose metric is unclear is not reported: precision matters more than recall here.

Each reported figure is attached to the region its sentence names before it (else the
article's region) and to the nearest date mention before it in the same sentence. A value
mentioned twice is reported at each place; comparison deduplicates.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import regex

from policy_ie.extractors.catalogue import catalogue
from policy_ie.extractors.numbers import (
    CLAUSE_END,
    SENTENCE_END,
    TIME_CLASSES,
    Quantity,
    boundary_left,
    boundary_right,
    find_quantities,
)
from policy_ie.extractors.regions import dateline_spans
from policy_ie.extractors.registry import register
from policy_ie.text.document import LEVELS, DateMention, Document, MetricMention, RegionMention
from policy_ie.text.lexicon import alternation, load_data

DATA = Path(__file__).parent / "data" / "metric_cues.yaml"
#: Levels of divisions, widest first (as the gazetteer names them).
RIGHT_WINDOW = 30
LEFT_WINDOW = 24
_NULL = object()
COUNT_CLASSES = ("person", "household", "item", "org")
LARGE_UNITS = "万亿"
_LARGE = frozenset(LARGE_UNITS)
SUBJECT_STOPS = "的了和与及、 共有为在是等"
RESPECTIVELY = "分别"
LIST_SEPARATORS = ("、", "和", "及")
CHAIN_GAP = 3  # "this rule condition does not apply"
LIST_COMMA = "、"
RIGHT_ENDS = CLAUSE_END + LIST_COMMA  # a noun after a figure is read up to the next list item


@dataclass(frozen=True, slots=True)
class Category:
    """A kind of counted noun and the metric it gives for each unit class."""

    name: str
    nouns: tuple[str, ...]
    metric: dict[str, str | None]
    confidence: float


@dataclass(frozen=True, slots=True)
class Rule:
    """A context rule; unset conditions are ``_NULL``."""

    name: str
    metric: Any
    category: Any
    unit: Any
    per: Any
    role: Any
    left: Any
    right: Any
    allotment: Any
    qualifier: Any
    value: Any
    side: Any
    magnitude: Any
    then: Any


@dataclass(frozen=True, slots=True)
class Cues:
    """The loaded lexicon."""

    categories: dict[str, Category]
    noun_re: Any
    noun_cat: dict[str, str]
    rules: tuple[Rule, ...]
    metric_units: dict[str, str]
    right_stop: Any
    subject_verb: Any
    chain_breaks: tuple[str, ...] = ("的",)
    bare_link: Any = None
    noun_classes: dict[str, frozenset[str]] = field(default_factory=dict)  # unit classes a noun counts
    counted: frozenset[str] = frozenset()  # unit classes some noun counts
    noun_starts: dict[str, frozenset[str]] = field(default_factory=dict)  # first characters of each class's nouns
    rule_values: frozenset[Any] = frozenset()  # every value a rule's ``value`` lists
    candidates: dict[tuple[Any, ...], tuple[Rule, ...]] = field(default_factory=dict)  # see _candidates
    national: Any = None  # words that make a figure the whole country's (全国, 我国)
    scope: Any = None  # words that make a figure a whole division's (全村, 全县)
    scope_level: dict[str, str] = field(default_factory=dict)  # ... and that division's level


@cache
def cues() -> Cues:
    """The cue lexicon, loaded and validated once."""
    d = load_data(DATA)
    units = {key: m.unit for key, m in catalogue().items()}  # every metric named must be one of these
    cats: dict[str, Category] = {}
    noun_cat: dict[str, str] = {}
    for name, c in d["categories"].items():
        metric = {str(k): v for k, v in (c.get("metric") or {}).items()}
        for m in metric.values():
            if m is not None and m not in units:
                raise ValueError(f"metric_cues.yaml: {name}: unknown metric {m!r} (not in metrics.yaml)")
        cats[name] = Category(name, tuple(c["nouns"]), metric, float(c.get("confidence", 0.8)))
        for n in c["nouns"]:
            if n in noun_cat and noun_cat[n] != name:
                raise ValueError(f"metric_cues.yaml: noun {n!r} in {noun_cat[n]} and {name}")
            noun_cat[n] = name
    rules = []
    for r in d.get("rules") or []:
        if not isinstance(r.get("value", []), list):
            raise ValueError(f"metric_cues.yaml: rule {r.get('name')}: value must be a list")
        then = r.get("then")
        targets = [*(then.values() if isinstance(then, dict) else [then]), *(r.get("metric") or [])]
        for m in targets:
            if m is not None and m not in units:
                raise ValueError(f"metric_cues.yaml: rule {r.get('name')}: unknown {m!r} (not in metrics.yaml)")
        for c in r.get("category") or []:
            if c not in cats:
                raise ValueError(f"metric_cues.yaml: rule {r.get('name')}: unknown category {c}")
        rules.append(Rule(
            name=str(r.get("name")),
            metric=r.get("metric", _NULL),
            category=r.get("category", _NULL),
            unit=r.get("unit", _NULL),
            per=r.get("per", _NULL),
            role=r.get("role", _NULL),
            left=regex.compile(r["left"]) if "left" in r else _NULL,
            right=regex.compile(r["right"]) if "right" in r else _NULL,
            allotment=r.get("allotment", _NULL),
            qualifier=r.get("qualifier", _NULL),
            value=r.get("value", _NULL),
            side=r.get("side", _NULL),
            magnitude=r.get("magnitude", _NULL),
            then=then,
        ))
    noun_classes = {n: frozenset(cats[k].metric) for n, k in noun_cat.items()}
    # alternations of plain words: the standard engine finds them several times faster
    alt = alternation(noun_cat)
    stops = "|".join(re.escape(x) for x in d.get("right_stops") or []) or "(?!)"
    verbs = "|".join(re.escape(x) for x in d.get("subject_verbs") or []) or "(?!)"
    national = alternation(d.get("national_scope") or []) or "(?!)"
    scope_level = {str(w): str(v) for w, v in (d.get("scope_levels") or {}).items()}
    for w, v in scope_level.items():
        if v not in LEVELS:
            raise ValueError(f"metric_cues.yaml: scope_levels: {w}: unknown level {v!r}")
    return Cues(cats, re.compile(alt), noun_cat, tuple(rules), units, re.compile(stops),
                re.compile(f".*(?:{verbs})"), tuple(d.get("chain_breaks") or ["的"]),
                regex.compile(d.get("bare_link") or "^$"),
                noun_classes, frozenset().union(*noun_classes.values()), _noun_starts(noun_classes),
                frozenset(v for r in rules if r.value is not _NULL for v in r.value),
                national=re.compile(national), scope=re.compile(alternation(scope_level) or "(?!)"),
                scope_level=scope_level)


def _noun_starts(noun_classes: dict[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    """For each unit class, the first characters of the nouns that count it.

    A window without any of them holds no noun of the class (a noun of another class found
    there is dropped anyway), so the noun search is skipped.
    """
    starts: dict[str, set[str]] = {}
    for noun, classes in noun_classes.items():
        for cls in classes:
            starts.setdefault(cls, set()).add(noun[0])
    return {cls: frozenset(chars) for cls, chars in starts.items()}


@dataclass(slots=True)
class Classified:
    """The outcome for one quantity (``metric`` None: not a metric)."""

    metric: str | None
    category: str | None
    subject: str | None
    confidence: float
    rule: str | None = None


# clause and sentence ends are found by bisect over an index of the text (numbers.py)
_boundary_left = boundary_left
_boundary_right = boundary_right


def _subject(q: Quantity, text: str, prev_end: int, next_start: int, c: Cues,
             c0: int | None = None, c1: int | None = None) -> tuple[str | None, str | None, str | None]:
    """``(category, subject text, side)`` of the noun that ``q`` counts.

    ``side`` is ``"right"`` when the noun follows the quantity, ``"left"`` when it precedes
    it; all three are ``None`` when no noun of a category that takes the unit is found.
    ``c0`` and ``c1`` are the start of the clause of ``q`` and its end after ``q`` when the
    caller knows them.
    """
    ucls = q.unit_class
    if ucls not in c.counted:
        return None, None, None  # no noun counts this unit (公里, 吨, 倍): none can be found
    if c1 is None:
        r_end = min(_boundary_right(text, q.end, RIGHT_ENDS), next_start, q.end + RIGHT_WINDOW)
    else:  # the first of RIGHT_ENDS is the clause end or a list comma before it
        r_end = min(c1, next_start, q.end + RIGHT_WINDOW)
        k = text.find(LIST_COMMA, q.end, r_end)
        r_end = k if k >= 0 else r_end
    starts = c.noun_starts[ucls]
    right = text[q.end:r_end]
    if not starts.isdisjoint(right):  # else no noun of the class can be in the window
        stop = c.right_stop.search(right)
        if stop:
            right = right[:stop.start()]
        head = _right_head(_right_nouns(q, text, right, c), right, c.chain_breaks)
        if head is not None:
            subj = right[:head.end()]
            if "的" in subj and len(subj) > 12:
                subj = subj[subj.rfind("的") + 1:]
            return c.noun_cat[head.group()], subj, "right"
    if c0 is None:
        c0 = _boundary_left(text, q.start, CLAUSE_END)
    l_start = max(c0, prev_end, q.start - LEFT_WINDOW)
    left = text[l_start:q.start]
    paired = _respectively(text, q, c, c0) if text.rfind(RESPECTIVELY, c0, q.start) >= 0 else None
    if paired is not None:
        return c.noun_cat[paired], paired, "left"
    m = _last_compatible(left, ucls, c) if not starts.isdisjoint(left) else None
    if m is None or (q.unit is None and not c.bare_link.match(left[m.end():])):
        return None, None, None
    a = m.start()
    while a > 0 and m.end() - a < 10 and left[a - 1] not in SUBJECT_STOPS:
        a -= 1
    subj = left[a:m.end()]
    v = c.subject_verb.search(subj[: m.start() - a]) if m.start() > a else None
    if v:
        subj = subj[v.end():]
    return c.noun_cat[m.group()], subj, "left"


def _right_nouns(q: Quantity, text: str, right: str, c: Cues) -> list[Any]:
    """The nouns after ``q`` in ``right`` of a category that takes its unit class.

    A bare number counts the noun after it only with a magnitude (16.8万贫困人口), and only
    a noun right after it: a bare integer before a noun is a code or a name
    (12582专家咨询服务平台). The first match of a scan that starts at 0 is the match at 0,
    so a bare number needs one anchored match rather than every match of the window.
    """
    ucls = q.unit_class
    if q.unit is None:
        if _LARGE.isdisjoint(text[q.start:q.end]):
            return []
        m = c.noun_re.match(right)
        return [m] if m is not None and ucls in c.noun_classes[m.group()] else []
    return [m for m in c.noun_re.finditer(right) if ucls in c.noun_classes[m.group()]]


def _last_compatible(left: str, ucls: str, c: Cues) -> Any:
    found = None
    for m in c.noun_re.finditer(left):
        if ucls in c.noun_classes[m.group()]:
            found = m
    return found


def _respectively(text: str, q: Quantity, c: Cues, c0: int | None = None) -> str | None:
    """The noun paired with ``q`` by 分别 (A、B分别达到x和y: x is A's, y is B's), or None."""
    if c0 is None:
        c0 = _boundary_left(text, q.start, CLAUSE_END)
    clause = text[c0:q.start]
    k = clause.rfind(RESPECTIVELY)
    if k < 0:
        return None
    items = regex.split("|".join(LIST_SEPARATORS), clause[:k])
    nouns = [ms[-1].group() for ms in (list(c.noun_re.finditer(it)) for it in items) if ms]
    idx = sum(clause[k:].count(sep) for sep in LIST_SEPARATORS)
    if len(nouns) < 2 or idx >= len(nouns):
        return None
    noun = nouns[idx]
    return noun if q.unit_class in c.categories[c.noun_cat[noun]].metric else None


def _subject_after(q: Quantity, text: str, nxt: Quantity,
                   c: Cues) -> tuple[str | None, str | None]:
    """Subject of ``q`` read after the adjacent quantity ``nxt`` (12712户61620人贫困人口)."""
    probe = Quantity(nxt.end, nxt.end, "", q.value, q.unit, q.unit_class)
    probe.unit = q.unit or "x"
    cat, subj, side = _subject(probe, text, nxt.end, len(text), c)
    if cat is None or side != "right":
        return None, None
    return cat, subj


def _right_head(matches: list[Any], right: str, breaks: tuple[str, ...] = ("的",)) -> Any:
    """The head noun among noun matches after a quantity.

    A noun right after the unit heads the phrase (10个深度贫困县之一的偏关县); else the
    first noun not followed by 的 (modifiers: ……特长的优秀党员干部). Nouns chained with at
    most ``CHAIN_GAP`` characters and no 的 between form a compound whose head is the last
    (全产业链开发项目).
    """
    start = None
    for k, m in enumerate(matches):
        nxt = matches[k + 1].start() if k + 1 < len(matches) else len(right)
        if m.start() == 0 or "的" not in right[m.end():nxt] or k + 1 == len(matches):
            start = k
            break
    if start is None:
        return None
    head = matches[start]
    for m in matches[start + 1:]:
        gap = right[head.end():m.start()]
        if len(gap) > CHAIN_GAP or any(b in gap for b in breaks):
            break
        head = m
    return head


def _static_applies(r: Rule, q: Quantity, metric: str | None, category: str | None,
                    allotment: bool, side: str | None) -> bool:
    """Whether the conditions of ``r`` on the quantity itself hold (all but left and right)."""
    if r.allotment is not _NULL and bool(r.allotment) != allotment:
        return False
    if r.qualifier is not _NULL and q.qualifier not in r.qualifier:
        return False
    if r.value is not _NULL and q.value not in r.value:
        return False
    if r.side is not _NULL and side != r.side:
        return False
    if r.magnitude is not _NULL and bool(r.magnitude) != any(ch in LARGE_UNITS for ch in q.text):
        return False
    if r.metric is not _NULL and metric not in r.metric:
        return False
    if r.category is not _NULL and category not in r.category:
        return False
    if r.unit is not _NULL and q.unit_class not in r.unit:
        return False
    if r.per is not _NULL and q.per not in r.per:
        return False
    return not (r.role is not _NULL and bool(r.role) != (q.role is not None))


def _candidates(c: Cues, q: Quantity, metric: str | None, category: str | None,
                allotment: bool, side: str | None) -> tuple[Rule, ...]:
    """The rules, in order, whose conditions on the quantity itself hold.

    Those conditions read a few fields that take few values (a value matters only when
    some rule lists it), so the rules for each combination are worked out once and kept;
    only the left and right patterns are then tried per quantity.
    """
    value = q.value if q.value in c.rule_values else _NULL
    key = (allotment, q.qualifier, value, side, not _LARGE.isdisjoint(q.text),
           metric, category, q.unit_class, q.per, q.role is not None)
    got = c.candidates.get(key)
    if got is None:
        got = tuple(r for r in c.rules if _static_applies(r, q, metric, category, allotment, side))
        c.candidates[key] = got
    return got


def classify(q: Quantity, text: str, prev: Quantity | None = None,
             nxt: Quantity | None = None, partner: Classified | None = None,
             clause_mates: tuple[Quantity, ...] = (), c0: int | None = None,
             c1: int | None = None) -> Classified:
    """The metric of quantity ``q`` of ``text`` (clean text), from its context.

    ``clause_mates`` are the other quantities of the same clause (a count of one among
    them makes the clause an allotment: 3名党员干部共同帮助1户贫困户); ``c0`` and ``c1``
    are the start of that clause and its end after ``q`` when the caller knows them.
    """
    c = cues()
    if q.unit_class in ("time", "age", "ordinal"):
        return Classified(None, None, None, 0.0)
    if c0 is None:
        c0 = _boundary_left(text, q.start, CLAUSE_END)
    prev_end = prev.end if prev else 0
    next_start = nxt.start if nxt else len(text)
    category, subject, side = _subject(q, text, prev_end, next_start, c, c0, c1)
    r_from = q.end
    if nxt is not None and nxt.start == q.end and nxt.group is None and q.group is None:
        r_from = nxt.end  # 183户724人建档立卡贫困户顺利脱贫: the pair shares its noun
        if category is None:
            category, subject = _subject_after(q, text, nxt, c)
    if category is None and prev is not None and prev.end == q.start and partner is not None:
        category, subject = partner.category, partner.subject  # 12712户61620人
    if category is None and q.role == "to" and partner is not None:
        category, subject = partner.category, partner.subject  # 由329万减少到25.5万
    metric = c.categories[category].metric.get(q.unit_class) if category else None
    conf = c.categories[category].confidence if category else 0.7
    allotment = q.value != 1 and bool(clause_mates) and any(
        o.value == 1 and o.group is None and o.unit_class in COUNT_CLASSES and
        o.unit_class != q.unit_class and not o.chinese for o in clause_mates)
    left = right = None  # the clause around q, cut only when a rule reads it
    for r in _candidates(c, q, metric, category, allotment, side):
        if r.left is not _NULL:
            if left is None:
                left = _rule_left(text, c0, q.start)
            if not r.left.search(left):
                continue
        if r.right is not _NULL:
            if right is None:
                r_end = c1 if c1 is not None and r_from == q.end else _boundary_right(text, r_from, CLAUSE_END)
                right = text[r_from:r_end]
            if not r.right.search(right):
                continue
        then = r.then
        if isinstance(then, dict):
            then = then.get(q.unit_class)
        return Classified(then, category, subject, conf if then else 0.0, r.name)
    return Classified(metric, category, subject, conf)


#: A clause opening with this singles out part of the clause before it (带动农户50户，其中
#: 贫困户20户): what the rules read on the left runs on into that clause.
PART_OF = "其中"
_COMMAS = "，,"


def _rule_left(text: str, c0: int, start: int) -> str:
    """The text the rules' left patterns read for a figure at ``start`` whose clause begins
    at ``c0``: the clause up to the figure, preceded, when the clause opens with
    :data:`PART_OF` after a comma, by the clause before it without that comma (so
    ``[^，]``-bounded patterns see 带动农户50户其中贫困户 as one stretch)."""
    if c0 > 0 and text[c0 - 1] in _COMMAS and text.startswith(PART_OF, c0):
        p0 = _boundary_left(text, c0 - 1, CLAUSE_END)
        return text[p0:c0 - 1] + text[c0:start]
    return text[c0:start]


@cache
def _clause_end_re() -> Any:
    """Clause ends, searched backwards (the last before a figure)."""
    return regex.compile("[" + regex.escape(CLAUSE_END) + "]", regex.REVERSE)


def _sentence_of(text: str, i: int) -> tuple[int, int]:
    return _boundary_left(text, i, SENTENCE_END), _boundary_right(text, i, SENTENCE_END)


class _Before:
    """The last of some (start, value) pairs starting in ``[s0, q_start)`` with a value.

    The pairs are indexed once by start (a bisect per figure, not a walk over every date
    of the article); pairs given out of order fall back to the walk, which takes the last
    in the order given.
    """

    def __init__(self, pairs: list[tuple[int, Any]]) -> None:
        self.pairs = [(a, v) for a, v in pairs if v]
        self.starts = [a for a, _ in self.pairs]
        self.ordered = all(x <= y for x, y in zip(self.starts, self.starts[1:], strict=False))

    def between(self, s0: int, q_start: int) -> list[Any]:
        """The values of the pairs starting in ``[s0, q_start)``, in order."""
        if not self.ordered:
            return [v for a, v in self.pairs if s0 <= a < q_start]
        lo, hi = bisect.bisect_left(self.starts, s0), bisect.bisect_left(self.starts, q_start)
        return [v for _, v in self.pairs[lo:hi]]

    def get(self, s0: int, q_start: int, default: Any = None) -> Any:
        if not self.ordered:
            best = default
            for a, v in self.pairs:
                if s0 <= a < q_start:
                    best = v
            return best
        k = bisect.bisect_left(self.starts, q_start) - 1
        return self.pairs[k][1] if k >= 0 and self.starts[k] >= s0 else default


def _attach_date(dates: _Before, s0: int, q_start: int) -> str | None:
    return dates.get(s0, q_start)


def _attach_region(regions: _Before, text: str, s0: int, c0: int, q_start: int,
                   default: tuple[str, str | None] | None, c: Cues) -> str | None:
    """The region of a figure: the last place named in its sentence before it, else the
    article's (``regions`` and ``default`` give codes with levels). None when the figure's
    clause speaks of the whole country after the last place (截至2018年底，全国还有农村贫困
    人口1660万人). When it speaks of a narrower whole than that region (全县, 全村), the
    figure goes to the last place of that level named before in its sentence, else to none
    (全村贫困户16户71人 in an article about a province)."""
    k = max(c0, s0)
    last = None
    while (m := c.national.search(text, k, q_start)) is not None:
        last, k = m, m.end()
    if last is not None and regions.get(last.end(), q_start) is None:
        return None
    got = regions.get(s0, q_start, default)
    if got is None:
        return None
    code, level = got
    if level in LEVELS:
        for m in c.scope.finditer(text, max(c0, s0), q_start):
            scope = c.scope_level[m.group()]
            if LEVELS.index(scope) > LEVELS.index(level):  # 西吉县地处宁夏南部，全县238个贫困村
                same = [cd for cd, lv in regions.between(s0, m.start()) if lv == scope]
                return same[-1] if same else None
    return code


@dataclass(frozen=True, slots=True)
class _CleanIndex:
    """The pieces of a clean view by raw offset, built once per document."""

    raw_to_clean: dict[tuple[int, int], int]
    spans: list[tuple[tuple[int, int], int]]
    raw_starts: list[int]
    disjoint: bool


def _clean_index(doc: Document) -> _CleanIndex:
    raw_to_clean = {}
    for c0, r0, n in doc.view.pieces:
        raw_to_clean[(r0, r0 + n)] = c0
    spans = sorted(raw_to_clean.items())
    raw_starts = [r0 for (r0, _), _ in spans]
    # pieces of a view follow each other without overlap: one bisect finds the piece
    disjoint = all(r1 <= nxt for ((_, r1), _), nxt in zip(spans, raw_starts[1:], strict=False))
    return _CleanIndex(raw_to_clean, spans, raw_starts, disjoint)


def _clean_spans(doc: Document, mentions: list[Any],
                 index: _CleanIndex | None = None) -> list[tuple[int, Any]]:
    """Mentions with their start in clean-text coordinates (raw offsets mapped back)."""
    ix = index or _clean_index(doc)
    spans, raw_starts = ix.spans, ix.raw_starts
    out = []
    for m in mentions:
        if ix.disjoint:
            k = bisect.bisect_right(raw_starts, m.start) - 1
            while k >= 0 and spans[k][0][0] == spans[k][0][1]:
                k -= 1  # an empty piece holds nothing
            if k >= 0 and m.start < spans[k][0][1]:
                out.append((spans[k][1] + m.start - spans[k][0][0], m))
            continue
        for (r0, r1), c0 in ix.raw_to_clean.items():
            if r0 <= m.start < r1:
                out.append((c0 + m.start - r0, m))
                break
    return out


def _anchors(doc: Document) -> tuple[_Before, _Before]:
    """The date and region mentions of ``doc`` by clean start (built only for an article with a figure)."""
    ix = _clean_index(doc)
    dates = _Before([(s, m.value) for s, m in _clean_spans(doc, list(doc.dates or []), ix)
                     if isinstance(m, DateMention)])
    filed = dateline_spans(doc.view.text)  # where the story was filed, not what it is about
    regions = _Before([(s, (m.code, m.level) if m.code else None)
                       for s, m in _clean_spans(doc, list(doc.regions or []), ix)
                       if isinstance(m, RegionMention) and not any(a <= s < b for a, b in filed)])
    return dates, regions


def _single_counts(qs: list[Quantity]) -> list[int]:
    """Running count of the counts of one (1户, 1名) among ``qs``: ``[0, ...]``, one longer.

    A clause without such a count makes no allotment, so its figures need no list of
    clause mates (see :func:`classify`).
    """
    run = [0]
    for o in qs:
        one = o.value == 1 and o.group is None and o.unit_class in COUNT_CLASSES and not o.chinese
        run.append(run[-1] + one)
    return run


def metrics_of(doc: Document) -> list[MetricMention]:
    """Every metric figure of ``doc``, in text order."""
    text = doc.view.text
    # calendar times and ages never report a metric, and must not cut the windows of
    # the figures around them (人均可支配收入从2021年的14051元)
    qs = [q for q in find_quantities(text) if q.unit_class not in TIME_CLASSES]
    c = cues()
    anchors: list[tuple[_Before, _Before]] = []  # dates and regions, indexed at the first figure
    q_starts = [q.start for q in qs]  # in text order
    singles = _single_counts(qs)
    default_region = (doc.region.code, doc.region.level) if doc.region else None
    out: list[MetricMention] = []
    done: list[Classified] = []
    groups: dict[int, Classified] = {}
    clause_end = _clause_end_re()
    c0 = seen = 0  # as in find_quantities: each stretch of text is searched once for c0
    c1, prev_end = -1, 0  # c1 holds for a figure that ends in [prev_end, c1]
    model = _model().consulted() if qs else False
    for k, q in enumerate(qs):
        prev = qs[k - 1] if k else None
        nxt = qs[k + 1] if k + 1 < len(qs) else None
        partner = groups.get(q.group) if q.group is not None else (done[-1] if done else None)
        b = clause_end.search(text, seen, q.start)  # quantities come in order of start
        if b is not None:
            c0 = b.start() + 1
        seen = q.start
        if not prev_end <= q.end <= c1:
            c1 = _boundary_right(text, q.end, CLAUSE_END)
        prev_end = q.end
        lo, hi = bisect.bisect_left(q_starts, c0), bisect.bisect_left(q_starts, c1)
        mates: tuple[Quantity, ...] = ()
        if singles[hi] - singles[lo] > singles[k + 1] - singles[k]:  # a count of one besides q
            mates = tuple(o for o in qs[lo:hi] if o is not q)
        cl = classify(q, text, prev, nxt, partner, mates, c0, c1)
        cl, by = _second_opinion(q, text, cl) if model else (cl, "rules")
        done.append(cl)
        if q.group is not None and q.role == "from":
            groups[q.group] = cl
        if cl.metric is None:
            continue
        if not anchors:
            anchors.append(_anchors(doc))
        dates, regions = anchors[0]
        s0, _ = _sentence_of(text, q.start)
        rs, re_ = doc.view.to_raw(q.start, q.end)
        out.append(MetricMention(
            text=doc.text[rs:re_], start=rs, end=re_, metric=cl.metric, value=q.value,
            unit=c.metric_units[cl.metric], qualifier=q.qualifier, per=q.per,
            region_code=_attach_region(regions, text, s0, c0, q.start, default_region, c),
            date=_attach_date(dates, s0, q.start), subject=cl.subject, extractor=by,
            confidence=round(cl.confidence, 2), end_of=q.role))
    return out


@cache
def _model() -> Any:
    """policy_ie.extractors.model, imported late (it imports this module) and once."""
    from policy_ie.extractors import model

    return model


def _second_opinion(q: Quantity, text: str, cl: Classified) -> tuple[Classified, str]:
    """The statistical model's answer where the rules leave ``q`` open (extractors.model)."""
    got = _model().second_opinion(q, text, cl)
    if got is None:
        return cl, "rules"
    return Classified(got[0], cl.category, cl.subject, got[1], "model"), "model"


@register("metrics", assigns="metrics", requires=("dates", "regions", "article_region"))
def extract(doc: Document) -> list[MetricMention]:
    """Registered extractor: the metric figures of one article."""
    return metrics_of(doc)
