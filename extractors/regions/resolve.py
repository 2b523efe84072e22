"""Rules: which division a found form names, and whether it is a mention at all.

Candidates of a form are scored (:func:`score`) by the hierarchy (a parent named right
before: ``四平市铁东区``), by time (the record valid at the article's month), by anchors
named elsewhere in the article (the division itself, its city, its children), then by level.
Then a hit is accepted (:func:`resolve`): full names are mentions; short names of provinces
and cities are too, unless they are common words (``大同``: ``context_short_names``) with no
support in the article; suffix-less county forms (``汇川``) need their city, or the county
itself, named in the article; a short form must also sit on word boundaries.
"""

from __future__ import annotations

from collections import Counter

from policy_ie.extractors.gazetteer import Division, Gazetteer, region_data
from policy_ie.extractors.regions.boundaries import Boundaries
from policy_ie.extractors.regions.candidates import form_rank, word_sets
from policy_ie.extractors.regions.memo import Looked, lookup, memo, near_ancestors
from policy_ie.extractors.regions.scan import Hit
from policy_ie.text.document import LEVEL_RANK


def support(gz: Gazetteer, code: str, anchors: Counter[str], near: bool = False) -> int:
    """Anchor mentions naming ``code`` or an ancestor (``near``: only itself or its city)."""
    if not anchors:
        return 0
    n = anchors.get(code, 0)
    for a in (near_ancestors(gz, code) if near else gz.ancestors(code)):
        n += anchors.get(a, 0)
    return n


def descendant_counts(gz: Gazetteer, anchors: Counter[str]) -> dict[str, int]:
    """For each code, the anchor mentions of the divisions below it (computed once per
    article: asking every candidate to walk every anchor costs their product)."""
    below: dict[str, int] = {}
    for c, v in anchors.items():
        for a in gz.ancestors(c):
            if a != c:
                below[a] = below.get(a, 0) + v
    return below


def child_support(gz: Gazetteer, code: str, below: dict[str, int]) -> int:
    """Anchor mentions of divisions below ``code`` (``below``: :func:`descendant_counts`)."""
    return below.get(code, 0)


def score(gz: Gazetteer, div: Division, kind: str, ym: str | None, prev: Division | None,
          anchors: Counter[str], below: dict[str, int]) -> tuple[float, ...]:
    """Rank candidates: a parent right before, validity at the date, the division itself
    or its city named, children named, then higher levels, province support, fuller forms
    (support counted up to ``support_cap``)."""
    adjacent = 1 if prev is not None and prev.code in gz.ancestors(div.code) else 0
    valid = 0 if gz.valid_at(div, ym) else 1
    near = support(gz, div.code, anchors, near=True) + child_support(gz, div.code, below)
    wide = support(gz, div.code, anchors)
    cap = region_data()["support_cap"]
    return (adjacent, -valid, min(near, cap), -LEVEL_RANK[div.level], min(wide, cap),
            -form_rank(kind))


def resolve(gz: Gazetteer, hits: list[Hit], ym: str | None, anchors: Counter[str],
            bounds: Boundaries, looked: list[Looked] | None = None) -> list[Hit]:
    """Pick each hit's division and keep the hits that are mentions (``hits``: not glued;
    ``looked``: each hit's :func:`~.memo.lookup`, when the caller has them)."""
    generic, contextual = word_sets()
    out: list[Hit] = []
    prev: Hit | None = None
    below = descendant_counts(gz, anchors)
    if looked is None:
        table = memo(gz, "region_candidates")
        looked = [lookup(gz, h, ym, table) for h in hits]
    leads = _leading_forms(hits, bounds.text)
    for h, (cands, _) in zip(hits, looked, strict=True):
        if not cands:
            continue
        adjacent_prev = prev.div if prev is not None and prev.end == h.start else None
        if len(cands) == 1:
            div, kind = cands[0]
        else:
            div, kind = max(cands, key=lambda c: score(gz, c[0], c[1], ym, adjacent_prev, anchors, below))
        # support is asked for only where it decides (most hits are full names)
        if kind == "full":
            # a one-character stem (和县, 任县) is often a piece of other words (市委和县委,
            # 挂任县区委): it needs word boundaries and its province or city in the article
            if len(h.surface) <= 2 and not ((h.surface in leads or supported(gz, div, adjacent_prev, anchors, below))
                                            and bounds.ok(h.start, h.end)):
                continue
            ok = h.surface not in generic or county_support(gz, div, anchors, adjacent_prev, "")
        else:
            if div.level == "county" or div.kind == "stat_zone":
                ok = supported(gz, div, adjacent_prev, anchors, below) \
                    and county_support(gz, div, anchors, adjacent_prev, h.surface)
            else:
                ok = h.surface not in contextual or supported(gz, div, adjacent_prev, anchors, below)
            # word boundaries last: they may need the words cut
            compound = len(h.surface) >= 3 or div.level in ("province", "city")
            ok = ok and bounds.ok(h.start, h.end, compound)
        if ok:
            h.div, h.kind = div, kind
            out.append(h)
            prev = h
    return out


def _leading_forms(hits: list[Hit], text: str) -> frozenset[str]:
    """Short full names (成县, 和县) that open a line, the title's or a paragraph's: a line
    does not start inside another word (市委和县委), so the article is about the place and
    its other mentions need no province or city named (成县以“四个精准”推进扶贫攻坚). A part
    of the title opens a line too (盘活资源 ——彬县“三变”改革调查: ``title_part_marks``)."""
    marks = region_data().get("title_part_marks") or ""
    title_end = text.find("\n")
    title_end = len(text) if title_end < 0 else title_end
    return frozenset(h.surface for h in hits if len(h.surface) <= 2 and (
        h.start == 0 or text[h.start - 1] == "\n"
        or (h.start < title_end and text[h.start - 1] in marks)))


def supported(gz: Gazetteer, div: Division, adjacent_prev: Division | None, anchors: Counter[str],
              below: dict[str, int]) -> bool:
    """A parent named right before, or an anchor at, above or below the division."""
    return (adjacent_prev is not None and adjacent_prev.code in gz.ancestors(div.code)) \
        or support(gz, div.code, anchors) > 0 or child_support(gz, div.code, below) > 0


def county_support(gz: Gazetteer, div: Division, anchors: Counter[str],
                   adjacent_prev: Division | None, surface: str) -> bool:
    """A suffix-less county form needs its city, or itself, named (its province if 3+ chars)."""
    if adjacent_prev is not None and adjacent_prev.code in gz.ancestors(div.code):
        return True
    if anchors.get(div.code):
        return True
    anc = gz.ancestors(div.code)
    # the city above, or the municipality (上海 for 长宁区) when the county hangs under it
    city = next((a for a in anc if (gz.get(a) or div).level == "city"), anc[0] if anc else None)
    if city and anchors.get(city):
        return True
    return len(surface) >= 3 and any(anchors.get(a) for a in anc)


def anchor_counts(gz: Gazetteer, hits: list[Hit], ym: str | None,
                  looked: list[Looked] | None = None) -> Counter[str]:
    """Codes named unambiguously and reliably: full names, province and city short names
    (``hits``: not glued; each hit's code is memoised with its candidates; ``looked``: each
    hit's :func:`~.memo.lookup`, when the caller has them)."""
    if looked is None:
        table = memo(gz, "region_candidates")
        looked = [lookup(gz, h, ym, table) for h in hits]
    return Counter([code for _, code in looked if code is not None])
