"""The noun a quantity counts (its subject): after it first, then before it in its clause.

See the comments of ``data/metric_cues.yaml`` for the reading: nouns of a category that
accepts the quantity's unit class, the head of a compound after the figure, the last noun
before it, nouns paired by 分别.
"""

from __future__ import annotations

from typing import Any

import regex

from policy_ie.extractors import gazetteer
from policy_ie.extractors.metric_cues import Cues
from policy_ie.extractors.numbers import CLAUSE_END, Quantity, boundary_left, boundary_right, unit_table
from policy_ie.text.punctuation import chars

RIGHT_WINDOW = 30
LEFT_WINDOW = 24
LARGE_UNITS = "万亿"
_LARGE = frozenset(LARGE_UNITS)
SUBJECT_STOPS = "的了和与及、 共有为在是等"
RESPECTIVELY = "分别"
LIST_SEPARATORS = ("、", "和", "及")
CHAIN_GAP = 3
LIST_COMMA = chars("list_comma")
RIGHT_ENDS = CLAUSE_END + LIST_COMMA  # a noun after a figure is read up to the next list item


def subject_of(q: Quantity, text: str, prev_end: int, next_start: int, c: Cues,
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
        r_end = min(boundary_right(text, q.end, RIGHT_ENDS), next_start, q.end + RIGHT_WINDOW)
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
        head = _right_head(right_nouns(q, text, right, c), right, c.chain_breaks)
        if head is not None:
            subj = right[:head.end()]
            if "的" in subj and len(subj) > 12:
                subj = subj[subj.rfind("的") + 1:]
            return c.noun_cat[head.group()], subj, "right"
    if c0 is None:
        c0 = boundary_left(text, q.start, CLAUSE_END)
    l_start = max(c0, prev_end, q.start - LEFT_WINDOW)
    left = text[l_start:q.start]
    paired = _respectively(text, q, c, c0) if text.rfind(RESPECTIVELY, c0, q.start) >= 0 else None
    if paired is not None:
        return c.noun_cat[paired], paired, "left"
    m = _last_compatible(left, ucls, c) if not starts.isdisjoint(left) else None
    if m is None or (q.unit is None and not c.bare_link.match(left[m.end():])):
        return None, None, None
    if c.making is not None and c.making.match(left, m.end()):
        return None, None, None  # 在贫困县新建文化广场400个: the count is of what is made
    a = m.start()
    while a > 0 and m.end() - a < 10 and left[a - 1] not in SUBJECT_STOPS:
        a -= 1
    subj = left[a:m.end()]
    v = c.subject_verb.search(subj[: m.start() - a]) if m.start() > a else None
    if v:
        subj = subj[v.end():]
    return c.noun_cat[m.group()], subj, "left"


def right_nouns(q: Quantity, text: str, right: str, c: Cues) -> list[Any]:
    """The nouns after ``q`` in ``right`` of a category that takes its unit class.

    A bare number counts the noun after it only with a magnitude (16.8万贫困人口), and only
    a noun right after it: a bare integer before a noun is a code or a name
    (12582专家咨询服务平台); one with a qualifier after its digits (500多贫困人口, 100余贫困村)
    is a count. The first match of a scan that starts at 0 is the match at 0,
    so a bare number needs one anchored match rather than every match of the window.
    """
    ucls = q.unit_class
    if q.unit is None:
        if _LARGE.isdisjoint(text[q.start:q.end]) and not 0 < q.number_end < q.end:
            return []
        m = c.noun_re.match(right)
        return [m] if m is not None and ucls in c.noun_classes[m.group()] else []
    return [m for m in c.noun_re.finditer(right) if ucls in c.noun_classes[m.group()] and (
        m.start() == 0 or ucls not in c.next_only.get(m.group(), ()))]


def _last_compatible(left: str, ucls: str, c: Cues) -> Any:
    found = None
    for m in c.noun_re.finditer(left):
        if ucls in c.noun_classes[m.group()] and ucls not in c.next_only.get(m.group(), ()):
            found = m
    return found


def _respectively(text: str, q: Quantity, c: Cues, c0: int | None = None) -> str | None:
    """The noun paired with ``q`` by 分别 (A、B分别达到x和y: x is A's, y is B's), or None."""
    if c0 is None:
        c0 = boundary_left(text, q.start, CLAUSE_END)
    clause = text[c0:q.start]
    k = clause.rfind(RESPECTIVELY)
    if k < 0:
        return None
    if _last_compatible(clause[k:], q.unit_class, c) is not None:
        return None  # 甲县、乙县分别有贫困村20个、12个: the noun after 分别 is what is counted
    items = regex.split("|".join(LIST_SEPARATORS), clause[:k])
    nouns = [ms[-1].group() for ms in (list(c.noun_re.finditer(it)) for it in items) if ms]
    idx = sum(clause[k:].count(sep) for sep in LIST_SEPARATORS)
    if len(nouns) < 2 or idx >= len(nouns):
        return None
    noun = nouns[idx]
    return noun if q.unit_class in c.categories[c.noun_cat[noun]].metric else None


def subject_after(q: Quantity, text: str, nxt: Quantity,
                  c: Cues) -> tuple[str | None, str | None]:
    """Subject of ``q`` read after the adjacent quantity ``nxt`` (12712户61620人贫困人口)."""
    probe = Quantity(nxt.end, nxt.end, "", q.value, q.unit, q.unit_class)
    probe.unit = q.unit or "x"
    cat, subj, side = subject_of(probe, text, nxt.end, len(text), c)
    if cat is None or side != "right":
        return None, None
    return cat, subj


def joined(a: Quantity, b: Quantity, text: str, c: Cues) -> bool:
    """Whether ``b`` is the next item of a list of counts that ``a`` is in.

    Items are joined by one of the lexicon's list joiners (1.2万户、4.3万名), or, for a
    household count and the person count after it, by nothing or a pair joiner
    (1300户4700人, 贫困户260户，749人); ranges and changes are not lists, nor are bare
    numbers (12316、12582专家咨询服务平台: codes).
    """
    if a.group is not None or b.group is not None or a.unit is None or (
            b.unit is None and _LARGE.isdisjoint(b.text)):  # (7.26万贫困人口 is a count)
        return False
    gap = text[a.end:b.start]
    if b.qualifier is not None and gap[1:] in unit_table().prefix_q:
        gap = gap[:1]  # 1.28万户、约7.26万贫困人口: the second item's qualifier stands in the gap
    if gap in c.list_joiners:
        return True
    if gap[-1:] in c.list_joiners and c.noun_cat.get(gap[:-1]) in c.list_verb_categories:
        return True  # 486户建档立卡贫困户、1044名贫困人口实现脱贫: items with nouns of their own
    return a.unit_class == "household" and b.unit_class == "person" and (
        gap == "" or gap in c.pair_joiners)


def keyed(a: Quantity, b: Quantity, text: str, c: Cues, place: bool = False) -> bool:
    """Whether ``b`` follows ``a`` in a list of counts keyed by names (甲县1800人、乙县900人),
    or opens such a list in parentheses after ``a``'s noun (40个贫困村(甲县20个、……)): one
    unit class, no range, and between them only the lexicon's ``keyed_gap``; with ``place``,
    only when its key is a division of the gazetteer (册亨县20个)."""
    if c.keyed_gap is None or a.group is not None or b.group is not None or a.unit is None:
        return False
    m = c.keyed_gap.match(text[a.end:b.start]) if a.unit_class == b.unit_class else None
    return m is not None and (not place or bool(gazetteer.load().lookup(m.group("key"))))


def list_ends(qs: list[Quantity], text: str, c: Cues) -> list[Quantity | None]:
    """For each quantity of ``qs`` (in text order), the last item of the list it is joined
    to by :func:`joined`, or None when the next quantity is not joined to it."""
    ends: list[Quantity | None] = [None] * len(qs)
    for k in range(len(qs) - 2, -1, -1):
        if joined(qs[k], qs[k + 1], text, c):
            ends[k] = ends[k + 1] or qs[k + 1]
    return ends


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
