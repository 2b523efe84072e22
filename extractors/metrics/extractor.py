"""The registered extractor: every metric figure of an article, classified and attached.

:func:`metrics_of` walks the quantities of the clean text in order, classifies each
(:mod:`.classify`), asks the statistical model (:mod:`policy_ie.extractors.model`) where the
rules leave one open and the model is consulted, and attaches each figure reported to its
region and date (:mod:`.attach`).
"""

from __future__ import annotations

import bisect
from functools import cache
from typing import Any

import regex

from policy_ie.extractors import model
from policy_ie.extractors.metric_cues import cues
from policy_ie.extractors.metrics.attach import (
    RESPECTIVELY,
    Before,
    anchors,
    attach_date,
    attach_region,
    date_source,
    respective_place,
    sentence_of,
)
from policy_ie.extractors.metrics.classify import COUNT_CLASSES, Classified, classify
from policy_ie.extractors.metrics.subject import list_ends
from policy_ie.extractors.numbers import CLAUSE_END, TIME_CLASSES, Quantity, boundary_right, find_quantities
from policy_ie.extractors.registry import register
from policy_ie.text.document import Document, MetricMention


@cache
def _clause_end_re() -> Any:
    """Clause ends, searched backwards (the last before a figure)."""
    return regex.compile("[" + regex.escape(CLAUSE_END) + "]", regex.REVERSE)


def _single_counts(qs: list[Quantity]) -> list[int]:
    """Running count of the counts of one (1户, 1名) among ``qs``: ``[0, ...]``, one longer.

    A clause without such a count makes no allotment, so its figures need no list of
    clause mates (see :func:`classify`).
    """
    run = [0]
    for o in qs:
        one = (o.value == 1 and o.group is None and o.unit_class in COUNT_CLASSES and not o.chinese
               and o.qualifier is None)
        run.append(run[-1] + one)
    return run


def metrics_of(doc: Document) -> list[MetricMention]:
    """Every metric figure of ``doc``, in text order."""
    text = doc.view.text
    # calendar times and ages never report a metric, and must not cut the windows of
    # the figures around them (人均可支配收入从2021年的14051元)
    qs = [q for q in find_quantities(text) if q.unit_class not in TIME_CLASSES]
    c = cues()
    found: list[tuple[Before, Before, Before]] = []  # dates, regions, places: at the first figure
    q_starts = [q.start for q in qs]  # in text order
    singles = _single_counts(qs)
    ends = list_ends(qs, text, c)  # the last count of the list each one is in
    default_region = (doc.region.code, doc.region.level) if doc.region else None
    out: list[MetricMention] = []
    done: list[Classified] = []
    groups: dict[int, Classified] = {}
    clause_end = _clause_end_re()
    c0 = seen = 0  # as in find_quantities: each stretch of text is searched once for c0
    c1, prev_end = -1, 0  # c1 holds for a figure that ends in [prev_end, c1]
    ask_model = model.consulted() if qs else False
    for k, q in enumerate(qs):
        prev = qs[k - 1] if k else None
        nxt = qs[k + 1] if k + 1 < len(qs) else None
        partner = groups.get(q.group) if q.group is not None else (done[-1] if done else None)
        b = clause_end.search(text, seen, q.start)  # quantities come in order of start
        if b is not None:
            c0 = b.start() + 1
        seen = q.start
        if not prev_end <= q.end <= c1:
            c1 = boundary_right(text, q.end, CLAUSE_END)
        prev_end = q.end
        lo, hi = bisect.bisect_left(q_starts, c0), bisect.bisect_left(q_starts, c1)
        mates: tuple[Quantity, ...] = ()
        if singles[hi] - singles[lo] > singles[k + 1] - singles[k]:  # a count of one besides q
            mates = tuple(o for o in qs[lo:hi] if o is not q)
        cl = classify(q, text, prev, nxt, partner, mates, c0, c1, ends[k])
        cl, by = _second_opinion(q, text, cl) if ask_model else (cl, "rules")
        done.append(cl)
        if q.group is not None and q.role == "from":
            groups[q.group] = cl
        if cl.metric is None:
            continue
        if not found:
            found.append(anchors(doc))
        dates, regions, places = found[0]
        s0, _ = sentence_of(text, q.start)
        rs, re_ = doc.view.to_raw(q.start, q.end)
        resp = respective_place(places, text, s0, q, qs) if RESPECTIVELY in text[s0:q.start] else None
        code, scope = attach_region(regions, places, text, s0, c0, q.start, default_region, resp)
        out.append(MetricMention(
            text=doc.text[rs:re_], start=rs, end=re_, metric=cl.metric, value=q.value,
            unit=c.metric_units[cl.metric], qualifier=q.qualifier, per=q.per,
            region_code=code, scope=scope,
            date=attach_date(dates, s0, q.start),
            ref_source=date_source(dates, s0, c0, q.start, doc.meta.published), subject=cl.subject, extractor=by,
            confidence=round(cl.confidence, 2), end_of=q.role))
    return out


def _second_opinion(q: Quantity, text: str, cl: Classified) -> tuple[Classified, str]:
    """The statistical model's answer where the rules leave ``q`` open (extractors.model)."""
    got = model.second_opinion(q, text, cl)
    if got is None:
        return cl, "rules"
    return Classified(got[0], cl.category, cl.subject, got[1], "model"), "model"


@register("metrics", assigns="metrics", requires=("dates", "regions", "article_region"))
def extract(doc: Document) -> list[MetricMention]:
    """Registered extractor: the metric figures of one article."""
    return metrics_of(doc)
