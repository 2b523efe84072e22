"""Which region, which scope and which date a reported figure goes to.

A figure goes to the last place its sentence names before it (else the article's region),
unless its clause speaks of the whole country (全国, 我国), of the world or abroad (全球,
非洲), of a narrower whole (全县, 全村, 该公司, 一户) or of somewhere else (其他省份, 各地):
the cues of ``data/metric_scope.yaml``, found by :mod:`.scope`. Its ``scope`` records which
(:func:`attach_region`). A figure goes to the nearest date mention before it in
its sentence (:func:`date_source` says whether that date is in the figure's clause or only
in its sentence, or that the figure has none and its reference time is the article's
publication date). Mentions are found by their start in the clean text.
"""

from __future__ import annotations

import bisect
from typing import Any

from policy_ie.extractors.metrics.scope import LEVEL, PLAIN, scope_cues
from policy_ie.extractors.numbers import SENTENCE_END, Quantity, boundary_left, boundary_right
from policy_ie.extractors.regions import dateline_spans
from policy_ie.text.document import LEVEL_RANK, NATIONAL_CODE, DateMention, Document, RegionMention


def sentence_of(text: str, i: int) -> tuple[int, int]:
    """Start and end of the sentence of ``text`` around offset ``i``."""
    return boundary_left(text, i, SENTENCE_END), boundary_right(text, i, SENTENCE_END)


class Before:
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


def attach_date(dates: Before, s0: int, q_start: int) -> str | None:
    """The date of a figure at ``q_start``: the last date mention of its sentence (from
    ``s0``) before it, else none."""
    return dates.get(s0, q_start)


def date_source(dates: Before, s0: int, c0: int, q_start: int, published: str | None) -> str | None:
    """Where the reference time of a figure at ``q_start`` comes from: ``clause`` (a date
    mention of its clause, from ``c0``, before it: 2019年全县脱贫1.2万人), ``sentence`` (one
    earlier in its sentence, from ``s0``: 2019年，…，全县脱贫1.2万人 across a comma), else
    ``published`` (the article's publication date, when it has one), else None. The figure's
    ``date`` stays the sentence's date or none: the publication date is a fallback the facts
    and the comparison apply, not something the text says."""
    if dates.get(max(s0, c0), q_start) is not None:
        return "clause"
    if dates.get(s0, q_start) is not None:
        return "sentence"
    return "published" if published else None


#: The word that pairs a list of places with a list of figures, in order (甲县、乙县分别为x和y).
RESPECTIVELY = "分别"
#: How far before 分别 the list of places may end (甲县、乙县的贫困人口分别: its subject).
RESPECTIVELY_REACH = 16


def respective_place(places: Before, text: str, s0: int, q: Quantity,
                     figures: list[Quantity]) -> tuple[str | None, str | None] | None:
    """The place a figure ``q`` goes to by 分别 (甲县、乙县的贫困人口分别为1200人和900人: 1200人
    is 甲县's, 900人 乙县's), or None when its sentence pairs none.

    The places are the list (names joined by the scope file's joiners) that ends at most
    :data:`RESPECTIVELY_REACH` characters before the last 分别 of the sentence before ``q``;
    the figures are those of ``q``'s unit class after that 分别 in the sentence, a range or
    change counting once. Only lists as long as the figures pair: else None (the caller
    keeps the last place named)."""
    k = text.rfind(RESPECTIVELY, s0, q.start)
    if k < 0:
        return None
    listed = places.between(s0, k)
    if len(listed) < 2 or k - listed[-1][3] > RESPECTIVELY_REACH or any(
            ch in SENTENCE_END for ch in text[listed[-1][3]:k]):
        return None
    s = scope_cues()
    run = [listed[-1]]
    for p in reversed(listed[:-1]):
        if not s.joined(text, p[3], run[0][2]):
            break
        run.insert(0, p)
    e = boundary_right(text, k, SENTENCE_END)
    items = [o for o in figures if k <= o.start < e and o.unit_class == q.unit_class and o.role != "to"]
    head = next((o for o in items if q.group is not None and o.group == q.group), q)
    if len(run) < 2 or len(run) != len(items) or head not in items:
        return None
    return run[items.index(head)][:2]


def attach_region(regions: Before, places: Before, text: str, s0: int, c0: int, q_start: int,
                  default: tuple[str, str | None] | None,
                  respective: tuple[str | None, str | None] | None = None) -> tuple[str | None, str]:
    """The region code and the scope of a figure at ``q_start`` (one of
    :data:`policy_ie.text.document.SCOPES`).

    ``regions`` gives the codes and levels of the places the text resolves, ``places``
    every place it names as ``(code, level, start, end)`` (code and level None for one it
    cannot resolve), ``default`` the article's region. In order:

    1. the last cue of ``data/metric_scope.yaml`` in the figure's clause before it (or in a
       short topic clause before that: 在非洲，…), when it is not a division word (全村) and
       no place is named after it: ``national`` (the country's code, :data:`NATIONAL_CODE`:
       截至2018年底，全国还有农村贫困人口1660万人), ``world``, ``unknown`` or ``narrower``
       (no region);
    2. the place a 分别 list pairs with the figure, when ``respective`` gives one
       (:func:`respective_place`): ``division``;
    3. a place named before the figure in its sentence that the text cannot resolve
       (黄土坡村贫困户30户): ``narrower``, no region; the last of a group of places (上饶、
       临沧等地; 从江、榕江、雷山三县: ``group`` in the data file): ``unknown``, no region;
    4. the last place named before it in its sentence (``division``), else the article's
       region (``article``); but a division word of a level below that region's in the
       clause (全村 in an article about a province) sends the figure to the last place of
       that level named before the word in its sentence (``division``: 西吉县地处宁夏南部，
       全县238个贫困村), else to none (``narrower``). 全县 in an article about a county
       changes nothing.
    """
    s = scope_cues()
    found = s.find(text, max(c0, s0), q_start)
    topic = s.topic(text, s0, c0) if c0 > s0 else []
    if topic or found:
        kind, m = (topic + found)[-1]
        if kind != LEVEL and places.get(m.end(), q_start) is None:
            return (NATIONAL_CODE if kind == "national" else None), PLAIN[kind]
    if respective is not None and respective[0] is not None:
        return respective[0], "division"
    listed = places.between(s0, q_start)
    named = listed[-1] if listed else None
    if named is not None and named[0] is None:
        return None, "narrower"  # a village or town the division lists lack
    if named is not None and s.group(text, named[3], len(listed) > 1 and s.joined(text, listed[-2][3], named[2])):
        return None, "unknown"  # 上饶、临沧等地…累计23.8万个项目: the group's, not 临沧's
    got = named[:2] if named else default
    words = [(s.level[m.group()], m) for kind, m in found if kind == LEVEL]
    if got is None:
        return None, "narrower" if words else "article"
    code, level = got
    if level in LEVEL_RANK:
        for lv, m in words:
            if LEVEL_RANK[lv] > LEVEL_RANK[level]:
                same = [cd for cd, v in regions.between(s0, m.start()) if v == lv]
                return (same[-1], "division") if same else (None, "narrower")
    return code, "division" if named else "article"


def _clean_spans(doc: Document, mentions: list[Any]) -> list[tuple[int, Any]]:
    """Mentions with their start in clean-text coordinates (those cleaning kept)."""
    view = doc.view
    return [(c, m) for m in mentions if (c := view.clean_index(m.start)) is not None]


def anchors(doc: Document) -> tuple[Before, Before, Before]:
    """The date mentions, the resolved region mentions and every region mention of ``doc``
    by clean start (an unresolved one as ``(None, None)``), built only for an article with
    a figure."""
    dates = Before([(s, m.value) for s, m in _clean_spans(doc, list(doc.dates or []))
                     if isinstance(m, DateMention)])
    filed = dateline_spans(doc.view.text)  # where the story was filed, not what it is about
    named = [(s, (m.code, m.level if m.code else None, s, s + len(m.text)))
             for s, m in _clean_spans(doc, list(doc.regions or []))
             if isinstance(m, RegionMention) and not any(a <= s < b for a, b in filed)]
    return dates, Before([(s, v[:2]) for s, v in named if v[0]]), Before(named)
