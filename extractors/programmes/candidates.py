"""Engine: every possible programme mention of a text, as a scored :class:`.candidate.Candidate`.

Quoted stretches (:func:`quote_spans`, one regex scan per quote pair) with the kind word after
them, shared by quotes standing side by side (“A”“B”、“C”工程); unquoted numeric slogans
(五措并举, a numbered kind after an enumeration). Each quoted candidate is scored by
:mod:`.scoring`. :func:`overlapping` tests spans against the quoted ones by bisection.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from policy_ie.extractors.programmes.candidate import Candidate
from policy_ie.extractors.programmes.data import ProgrammeData, load_data
from policy_ie.extractors.programmes.scoring import score, score_list

TITLE_SUBJECT = "title-subject"  # the reason of a name the title presents (title_subjects)


def quote_spans(text: str, data: ProgrammeData) -> list[tuple[int, int]]:
    """(open, close) index pairs of quoted stretches on one line, in text order.

    A closing mark closes the last opening mark before it on its line; an opening mark with no
    closing mark on its line opens nothing. One regex per quote pair (an opening mark, no
    quote mark or line end, the closing mark) scans the text once.
    """
    out = [(m.start(), m.end() - 1) for op, pat in data.quote_res if op in text
           for m in pat.finditer(text)]
    out.sort()
    return out


def overlapping(spans: list[tuple[int, int]]) -> Callable[[int, int], bool]:
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


def _kind_groups(spans: list[tuple[int, int]], text: str, joiners: frozenset[str]) -> list[list[int]]:
    """Indices of quotes standing side by side (“A”“B”、“C”) that share a kind word."""
    groups: list[list[int]] = []
    for i, (o, _c) in enumerate(spans):
        if groups:
            prev_close = spans[groups[-1][-1]][1]
            # (each joiner is one character at most: no slice of a longer gap)
            if o <= prev_close + 2 and text[prev_close + 1:o] in joiners:
                groups[-1].append(i)
                continue
        groups.append([i])
    return groups


def quoted_candidates(text: str, data: ProgrammeData | None = None) -> list[Candidate]:
    """Every quoted stretch of ``text`` as a scored :class:`Candidate`."""
    return scored_quotes(text, data or load_data(), lazy=False)


def scored_quotes(text: str, data: ProgrammeData, lazy: bool) -> list[Candidate]:
    """:func:`quoted_candidates`; ``lazy`` as for :func:`.scoring.score`."""
    spans = quote_spans(text, data)
    groups = _kind_groups(spans, text, data.joiners)
    kinds = _kinds_after(spans, text, data, groups)
    cands: list[Candidate] = []
    by_span: dict[int, Candidate] = {}
    for i, (o, cl) in enumerate(spans):
        name = text[o + 1:cl].strip()
        if not name:
            continue
        c = Candidate(name, o, cl + 1, o + 1, cl)
        k = kinds.get(i)
        if k is not None:
            c.kind, c.kind_strength, c.modifier, end, c.paren = k
            c.end = end if end is not None else c.end
        score(c, text, data, lazy)
        cands.append(c)
        by_span[i] = c
    for grp in groups:  # “A”和“B”: a list one verb brings in (scoring.score_list)
        if len(grp) > 1:
            score_list([by_span[i] for i in grp if i in by_span], text, data)
    return cands


def _kinds_after(spans: list[tuple[int, int]], text: str, data: ProgrammeData,
                 groups: list[list[int]] | None = None) -> dict[
        int, tuple[str, str, str, int | None, str | None]]:
    """Per index of a quoted span followed (alone or in a group) by a kind word: (kind,
    strength, modifier, end of the mention, parenthetical); the last of a group takes the
    kind word and the parenthetical into its span. ``groups``: :func:`_kind_groups` of the
    spans when the caller has them."""
    out: dict[int, tuple[str, str, str, int | None, str | None]] = {}
    for grp in groups if groups is not None else _kind_groups(spans, text, data.joiners):
        last_close = spans[grp[-1]][1]
        m = data.kind_after.match(text, last_close + 1)
        if not m:
            m = _counted_kind(grp, last_close, text, data)
            if m is None:
                continue
            for gi in grp:  # “A”“B”“C”三种扶贫模式: each quote is one of the three
                last = gi == grp[-1]
                out[gi] = (m.group("kind"), "strong", m.group("mod"), m.end() if last else None, None)
            continue
        kind = m.group("kind")
        strength = "strong" if kind in data.strong_kinds else "frame"
        before_kind = text[last_close + 1:m.start("kind")]
        if (m.group("mod") and text[last_close + 1:m.start("mod")].endswith("的")
                and not data.field_modifier_end.search(m.group("mod"))):
            strength = "frame"  # “X”的打击行动: the kind word belongs to another phrase
            # (but “渔光互补”的产业扶贫模式: a kind of the field's work is the quote's own)
        elif kind in data.manner_kinds and before_kind.endswith("的"):
            strength = "frame"  # 以“托管”的方式: a manner, not the name of one
        for gi in grp:
            last = gi == grp[-1]
            out[gi] = (kind, strength, m.group("mod"), m.end() if last else None,
                       m.group("paren") if last else None)
    return out


def _counted_kind(grp: list[int], last_close: int, text: str, data: ProgrammeData) -> re.Match[str] | None:
    """A count of the quotes of a group of two or more and a strong kind right after its last
    quote (“1+9”和“3+27”两种模式), else None."""
    if len(grp) < 2:
        return None
    m = data.counted_kind.match(text, last_close + 1)
    return m if m is not None and data.numerals.get(m.group("num")) == len(grp) else None


def counted_groups(text: str, data: ProgrammeData) -> frozenset[int]:
    """Ends (the closing mark's index + 1) of the groups of quotes a count after them names
    (:func:`_counted_kind`): the counted phrase there is no programme of its own."""
    spans = quote_spans(text, data)
    return frozenset(spans[g[-1]][1] + 1 for g in _kind_groups(spans, text, data.joiners)
                     if _counted_kind(g, spans[g[-1]][1], text, data) is not None)


def unquoted_candidates(text: str, data: ProgrammeData | None = None) -> list[Candidate]:
    """Slogans without quotes: 五措并举, a numbered kind after an enumeration, a + formula
    between a trigger verb and its kind word (推行党支部+合作社+贫困户模式)."""
    data = data or load_data()
    out = [Candidate(name=m.group(), start=m.start(), end=m.end(), content_start=m.start(),
                     content_end=m.end(), quoted=False, score=data.keep_score, reasons=["unquoted"])
           for m in data.unquoted.finditer(text)]
    if "+" in text or "＋" in text:  # 推行党支部+合作社+贫困户模式: a bare + formula and its kind
        out += [Candidate(name=m.group("name"), start=m.start("name"), end=m.end(),
                          content_start=m.start("name"), content_end=m.end("name"), quoted=False,
                          kind=m.group("kind"), kind_strength="strong", modifier=m.group("mod"),
                          score=data.keep_score, reasons=["unquoted-plus"])
                for m in data.unquoted_plus.finditer(text)]
    # “A、B、C、D、E”五个脱贫攻坚模式: a numbered kind right after a quoted enumeration
    numbered = data.numbered_kind if "」" in text else data.numbered_kind_curly
    counted: frozenset[int] | None = None
    for m in numbered.finditer(text):
        if counted is None:
            counted = counted_groups(text, data)
        if m.start(1) in counted:  # “1+9”和“3+27”两种模式: the quotes are the programmes
            continue
        out.append(Candidate(name=m.group(1), start=m.start(1), end=m.end(1),
                             content_start=m.start(1), content_end=m.end(1), quoted=False,
                             kind=m.group(2), kind_strength="strong", score=data.keep_score,
                             reasons=["numbered-kind"]))
    return out


def title_subjects(text: str, title: str | None, data: ProgrammeData) -> list[Candidate]:
    """Unquoted names the title presents as its subject and the text follows with a kind
    word (title 河北:股份合作 精准扶贫走出新路径, text 股份合作机制): a part of the title
    between its separators found in the text right before one of the kind words of
    ``title_subject`` in ``data/programmes.yaml``."""
    if not title:
        return []
    rule = data.raw["title_subject"]
    title = data.series_label.sub("", title)
    out: list[Candidate] = []
    for part in data.title_split.split(title):
        if not rule["min_len"] <= len(part) <= rule["max_len"] or not data.all_han.fullmatch(part):
            continue
        i = text.find(part)
        while i >= 0:
            k = data.title_kind_at.match(text, i + len(part))
            if k is not None:
                out.append(Candidate(name=part, start=i, end=k.end(), content_start=i,
                                     content_end=i + len(part), quoted=False, kind=k.group(),
                                     kind_strength="strong", score=data.keep_score,
                                     reasons=[TITLE_SUBJECT]))
            i = text.find(part, i + 1)
    return out + _title_led(text, title, data, rule)


def _title_led(text: str, title: str, data: ProgrammeData, rule: dict) -> list[Candidate]:
    """The programme a title is itself (镇安县深入开展消费扶贫行动: 消费扶贫), or a part of
    the title opens with, its kind and then what it achieves (怀宁 党建引领扶贫工程重实效:
    党建引领扶贫), at each mention of the name with its kind in the text below the title
    line."""
    m = data.title_led.search(title) if data.title_led is not None else None
    if m is None and data.title_head is not None:
        m = data.title_head.search(title)  # 怀宁 党建引领扶贫工程重实效
    if m is None or m.group("name") in (rule.get("led_generic") or ()):
        return []
    name, named = m.group("name"), m.group("name") + m.group("kind")
    first = text.find("\n")
    line = text[:first] if first >= 0 else text
    body = (first + 1 if first >= 0 else len(text)) if line.strip() == title.strip() else 0
    out: list[Candidate] = []
    i = text.find(named, body)
    while i >= 0:
        out.append(Candidate(name=name, start=i, end=i + len(named), content_start=i,
                             content_end=i + len(name), quoted=False, kind=m.group("kind"),
                             kind_strength="strong", score=data.keep_score, reasons=[TITLE_SUBJECT]))
        i = text.find(named, i + 1)
    return out
