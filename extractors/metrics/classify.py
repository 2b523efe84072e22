"""Which metric a quantity reports: its subject's category, then the ordered context rules.

:func:`classify` reads the noun the quantity counts (:mod:`.subject`), maps its category and
the unit class to a metric, then tries the rules of ``data/metric_cues.yaml`` in order; the
first whose conditions all hold decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from policy_ie.extractors.metric_cues import UNSET, Cues, Rule, cues
from policy_ie.extractors.metrics.subject import LARGE_UNITS, joined, keyed, subject_after, subject_of
from policy_ie.extractors.numbers import CLAUSE_END, SENTENCE_END, Quantity, boundary_left, boundary_right

COUNT_CLASSES = ("person", "household", "item", "org")
#: Unit classes of a quantity right after a count with which the count shares its noun
#: (183户724人, 23万户67万建档立卡贫困人口); not a percent (两个100%).
PAIRED_CLASSES = (*COUNT_CLASSES, "bare")
#: The category of place nouns: one read before a count of a keyed list is the item's key.
KEY_CATEGORY = "county"
#: The unit of the household metrics (metrics.yaml).
HOUSEHOLD = "户"
_LARGE = frozenset(LARGE_UNITS)


@dataclass(slots=True)
class Classified:
    """The outcome for one quantity (``metric`` None: not a metric)."""

    metric: str | None
    category: str | None
    subject: str | None
    confidence: float
    rule: str | None = None


def static_applies(r: Rule, q: Quantity, metric: str | None, category: str | None,
                   allotment: bool, side: str | None, ucls: str | None = None) -> bool:
    """Whether the conditions of ``r`` on the quantity itself hold (all but left and right);
    ``ucls`` is the unit class the rules read (``q``'s own when None)."""
    if r.allotment is not UNSET and bool(r.allotment) != allotment:
        return False
    if r.qualifier is not UNSET and q.qualifier not in r.qualifier:
        return False
    if r.value is not UNSET and q.value not in r.value:
        return False
    if r.side is not UNSET and side != r.side:
        return False
    if r.magnitude is not UNSET and bool(r.magnitude) != any(ch in LARGE_UNITS for ch in q.text):
        return False
    if r.metric is not UNSET and metric not in r.metric:
        return False
    if r.category is not UNSET and category not in r.category:
        return False
    if r.unit is not UNSET and (ucls or q.unit_class) not in r.unit:
        return False
    if r.per is not UNSET and q.per not in r.per:
        return False
    return not (r.role is not UNSET and bool(r.role) != (q.role is not None))


def candidates(c: Cues, q: Quantity, metric: str | None, category: str | None,
               allotment: bool, side: str | None, ucls: str | None = None) -> tuple[Rule, ...]:
    """The rules, in order, whose conditions on the quantity itself hold.

    Those conditions read a few fields that take few values (a value matters only when
    some rule lists it), so the rules for each combination are worked out once and kept;
    only the left and right patterns are then tried per quantity.
    """
    value = q.value if q.value in c.rule_values else UNSET
    ucls = ucls or q.unit_class
    key = (allotment, q.qualifier, value, side, not _LARGE.isdisjoint(q.text),
           metric, category, ucls, q.per, q.role is not None)
    got = c.candidates.get(key)
    if got is None:
        got = tuple(r for r in c.rules if static_applies(r, q, metric, category, allotment, side, ucls))
        c.candidates[key] = got
    return got


def classify(q: Quantity, text: str, prev: Quantity | None = None,
             nxt: Quantity | None = None, partner: Classified | None = None,
             clause_mates: tuple[Quantity, ...] = (), c0: int | None = None,
             c1: int | None = None, list_end: Quantity | None = None) -> Classified:
    """The metric of quantity ``q`` of ``text`` (clean text), from its context.

    ``clause_mates`` are the other quantities of the same clause (a count of one among
    them makes the clause an allotment: 3名党员干部共同帮助1户贫困户); ``c0`` and ``c1``
    are the start of that clause and its end after ``q`` when the caller knows them.
    ``list_end`` is the last count of a list that ``q`` opens or is in (subject.joined):
    with no noun of its own after it, ``q`` shares the noun and verb after that count.
    """
    c = cues()
    if q.unit_class in ("time", "age", "ordinal"):
        return Classified(None, None, None, 0.0)
    if c0 is None:
        c0 = boundary_left(text, q.start, CLAUSE_END)
    prev_end = prev.end if prev else 0
    next_start = nxt.start if nxt else len(text)
    category, subject, side = subject_of(q, text, prev_end, next_start, c, c0, c1)
    r_from = q.end
    if (nxt is not None and nxt.start == q.end and nxt.group is None and q.group is None
            and nxt.unit_class in PAIRED_CLASSES):  # (两个100%: a count of the figures after it)
        r_from = nxt.end  # 183户724人建档立卡贫困户顺利脱贫: the pair shares its noun
        if category is None:
            category, subject = subject_after(q, text, nxt, c)
    if list_end is not None and r_from == q.end and (side != "right" or category in c.list_verb_categories):
        r_from = list_end.end  # 帮助2.1万户、6.5万人摆脱了贫困: the list shares its verb
        if category is None:
            category, subject = subject_after(q, text, list_end, c)
    # a count with no noun, or with only a place before it (the place keys it: 册亨县20个),
    # takes the noun of the count it continues
    open_ = category is None or (category == KEY_CATEGORY and side == "left")
    has_partner = partner is not None and partner.metric is not None  # a figure reported
    if open_ and has_partner and prev is not None and keyed(prev, q, text, c, place=category is not None):
        category, subject = partner.category, partner.subject  # 甲县20个、乙县12个: 甲县 keys 20个
        open_ = False
    if category is None and prev is not None and partner is not None and (
            prev.end == q.start or joined(prev, q, text, c)):
        category, subject = partner.category, partner.subject  # 12712户61620人, 260户、749人
    if category is None and q.role == "to" and partner is not None:
        category, subject = partner.category, partner.subject  # 由329万减少到25.5万
    if open_ and category is not None and category != KEY_CATEGORY:
        open_ = False  # a noun of its own was found since (a list's, a change's)
    if open_ and has_partner and back_reference(q, text, prev, c, c0):
        category, subject = partner.category, partner.subject  # ……贫困县，贵州就有9个
    elif (open_ and has_partner and partner.metric in c.comparison_metrics  # type: ignore[union-attr]
          and back_reference(q, text, prev, c, c0, c.comparison_reference)):
        category, subject = partner.category, partner.subject  # 人均收入6500元，比去年增长1600元
        if q.per is None:
            q.per = prev.per  # type: ignore[union-attr]  # (the growth of a rate is one too)
    metric = c.categories[category].metric.get(q.unit_class) if category else None
    conf = c.categories[category].confidence if category else 0.7
    allotment = q.value != 1 and bool(clause_mates) and any(
        o.value == 1 and o.group is None and o.unit_class in COUNT_CLASSES and
        o.unit_class != q.unit_class and not o.chinese and o.qualifier is None
        for o in clause_mates)  # 1项以上 is a threshold, not an allotment of one
    left = right = after = None  # the clause around q, cut only when a rule reads it
    # the person count of a household-person pair reads the clause before the pair
    # (减贫10170户37811人: 减贫 governs both)
    l_end = prev.start if prev is not None and prev.end == q.start and (
        prev.unit_class, q.unit_class) == ("household", "person") else q.start
    # a count of households in 家 (36家贫困户) is read by the rules as one in 户
    ucls = "household" if q.unit_class == "org" and c.metric_units.get(metric or "") == HOUSEHOLD \
        else q.unit_class
    for r in candidates(c, q, metric, category, allotment, side, ucls):
        if r.left is not UNSET:
            if left is None:
                left = rule_left(text, c0, l_end)
            if not r.left.search(left):
                continue
        if r.right is not UNSET:
            if right is None:
                r_end = c1 if c1 is not None and r_from == q.end else boundary_right(text, r_from, CLAUSE_END)
                right = text[r_from:r_end]
            if not r.right.search(right):
                continue
        if r.next_clause is not UNSET:
            if after is None:
                after = next_clause(text, r_from, c1 if r_from == q.end else None)
            if not r.next_clause.search(after):
                continue
        then = r.then
        if isinstance(then, dict):
            # a bare count of households (2000多贫困户脱贫) takes the household branch
            bare_households = q.unit_class == "bare" and c.metric_units.get(metric or "") == HOUSEHOLD
            then = then.get("household" if bare_households and "household" in then else ucls)
        return Classified(then, category, subject, conf if then else 0.0, r.name)
    return Classified(metric, category, subject, conf)


def back_reference(q: Quantity, text: str, prev: Quantity | None, c: Cues, c0: int,
                   pattern: Any = None) -> bool:
    """Whether ``q``, a count with no noun, refers back to the noun of ``prev``: the count
    before it in the same sentence, in the same unit and outside any range, when the clause
    of ``q`` opens with a place or a part and a verb of having (全国52个未摘帽的贫困县，贵州就有
    9个; 其中有7个) that the lexicon's ``back_reference`` pattern reads, or ``pattern`` when
    given (``comparison_reference``: 比去年增长1600元 after an income)."""
    pattern = pattern if pattern is not None else c.back_reference
    if (pattern is None or prev is None or prev.unit is None or prev.unit != q.unit
            or q.group is not None or prev.group is not None or prev.end > c0):
        return False
    if any(ch in SENTENCE_END for ch in text[prev.end:c0]):
        return False
    return pattern.search(text[c0:q.start]) is not None


def next_clause(text: str, start: int, end: int | None = None) -> str:
    """The clause after the one that runs from ``start`` to ``end`` (found when None), when
    a comma ends that one (else empty): the rules' ``next`` patterns read it."""
    if end is None:
        end = boundary_right(text, start, CLAUSE_END)
    if end >= len(text) or text[end] not in _COMMAS:
        return ""
    return text[end + 1:boundary_right(text, end + 1, CLAUSE_END)]


#: A clause opening with this singles out part of the clause before it (带动农户50户，其中
#: 贫困户20户): what the rules read on the left runs on into that clause.
PART_OF = "其中"
_COMMAS = "，,"


def rule_left(text: str, c0: int, start: int) -> str:
    """The text the rules' left patterns read for a figure at ``start`` whose clause begins
    at ``c0``: the clause up to the figure, preceded, when the clause opens with
    :data:`PART_OF` after a comma, by the clause before it without that comma (so
    ``[^，]``-bounded patterns see 带动农户50户其中贫困户 as one stretch)."""
    if c0 > 0 and text[c0 - 1] in _COMMAS and text.startswith(PART_OF, c0):
        p0 = boundary_left(text, c0 - 1, CLAUSE_END)
        return text[p0:c0 - 1] + text[c0:start]
    return text[c0:start]
