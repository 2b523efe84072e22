"""The region mentions of a text: scan, filter, resolve, then search below the county.

:func:`find_regions` runs the steps in order (each in its module) and :func:`extract`, the
``regions`` extractor, reports the hits with raw offsets. The article's month
(:func:`article_month`) picks the record of a division valid at the time of writing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from policy_ie.extractors.gazetteer import load
from policy_ie.extractors.regions.below_county import below_county
from policy_ie.extractors.regions.boundaries import Boundaries
from policy_ie.extractors.regions.glue import glued
from policy_ie.extractors.regions.lists import listed_places
from policy_ie.extractors.regions.memo import lookup, memo
from policy_ie.extractors.regions.resolve import anchor_counts, resolve
from policy_ie.extractors.regions.scan import Hit, scan
from policy_ie.extractors.regions.spans import Taken
from policy_ie.extractors.regions.unknown import tagged_places, unknown_after
from policy_ie.extractors.registry import register
from policy_ie.text.document import Document, RegionMention, Token

DATE_VALUE = re.compile(r"^(\d{4})(?:-(\d{2}))?")


def article_month(doc: Document) -> str | None:
    """The article's time as ``YYYY-MM``: its publication date, else its latest date mention."""
    pub = doc.meta.published
    m = DATE_VALUE.match(pub or "")
    if m:
        return f"{m.group(1)}-{m.group(2) or '06'}"
    best = None
    for d in doc.dates or []:
        m = DATE_VALUE.match(d.value or "")
        if m and 1949 < int(m.group(1)) < 2100:
            ym = f"{m.group(1)}-{m.group(2) or '06'}"
            best = ym if best is None or ym > best else best
    return best


def find_regions(text: str, ym: str | None = None, tokens: Sequence[Token] | None = None,
                 extra_anchors: Counter[str] | None = None, unknown: bool = True) -> list[Hit]:
    """All region hits of ``text`` (clean offsets), resolved; ``div`` is None when unknown.

    Without ``unknown`` the places the lists lack (``div`` None) are not searched for: the
    same hits as with it, less those (the title asks only for divisions; the POS tagger
    the search for them runs costs more than the rest of a title's look-up).
    """
    gz = load()
    hits = [h for h in scan(text) if not glued(text, h)]
    table = memo(gz, "region_candidates")
    looked = [lookup(gz, h, ym, table) for h in hits]  # each hit's candidates, asked once
    anchors = anchor_counts(gz, hits, ym, looked)
    if extra_anchors:
        anchors.update(extra_anchors)
    bounds = Boundaries(text, tokens)
    mentions = resolve(gz, hits, ym, anchors, bounds, looked)
    mentions = sorted(mentions + listed_places(gz, text, hits, mentions, ym, bounds), key=lambda h: h.start)
    taken = [(h.start, h.end) for h in mentions]
    below = below_county(gz, text, mentions, ym, taken, bounds)
    taken += [(h.start, h.end) for h in below]
    known = sorted(mentions + below, key=lambda h: h.start)
    if not unknown:
        return known
    after = unknown_after(text, known, taken)
    tagged = tagged_places(text, bounds, Taken(taken + [(h.start, h.end) for h in after]))
    return sorted(known + after + tagged, key=lambda h: h.start)


@register("regions", assigns="regions", requires=("dates", "metadata"))
def extract(doc: Document) -> list[RegionMention]:
    """Region mentions of the document, with raw offsets."""
    view = doc.view
    text = view.text
    if not text:
        return []
    ym = article_month(doc)
    out: list[RegionMention] = []
    for h in find_regions(text, ym, doc.tokens or None):
        s, e = view.to_raw(h.start, h.end)
        d = h.div
        out.append(RegionMention(text=doc.text[s:e], start=s, end=e,
                                 code=d.code if d else None, name=d.name if d else None,
                                 level=d.level if d else None))
    return out
