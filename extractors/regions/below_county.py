"""Rules: towns and villages, below the counties the text names.

Towns of the named counties (``红石镇`` in 柳河县; a city named brings the towns of all its
counties) and villages of the towns found, in the ``village_window`` characters after each,
are searched by full name (``town_suffixes``, ``village_suffixes`` in ``regions.yaml``). A
town or village is reported with its 9- or 12-digit code when the hierarchy leaves one
candidate: the division right before it, then the counties named, narrow the candidates of
a name many counties share.
"""

from __future__ import annotations

from policy_ie.extractors.gazetteer import Division, Gazetteer, region_data
from policy_ie.extractors.regions.boundaries import Boundaries
from policy_ie.extractors.regions.scan import Hit
from policy_ie.extractors.regions.spans import Taken, overlaps
from policy_ie.extractors.regions.suffix_search import (
    find_all,
    find_towns,
    searchable_entry,
    searchable_memo,
    suffix_ends,
)


def below_county(gz: Gazetteer, text: str, mentions: list[Hit], ym: str | None,
                 taken: list[tuple[int, int]], bounds: Boundaries) -> list[Hit]:
    """Towns of the named counties, then villages of the named towns."""
    data = region_data()
    counties = {h.div.code for h in mentions if h.div and h.div.level == "county"}
    cities = {h.div.code for h in mentions if h.div and h.div.level == "city"}
    for city in cities:
        counties.update(c for c in gz.children.get(city, []))
    if not counties:
        return []
    suffixes = tuple(data["town_suffixes"])
    ends_of_suffixes = suffix_ends(text, suffixes)
    if not ends_of_suffixes:  # no town name ends anywhere, so no town and no village of one
        return []
    named_counties = {h.div.code for h in mentions if h.div and h.div.level == "county"}
    taken_ix = Taken(taken)
    ends = {h.end: h for h in mentions}
    out: list[Hit] = []
    table = searchable_memo(gz, suffixes)
    searchable: dict[str, frozenset[str]] = {}
    lengths: set[int] = set()
    for c in counties:
        entry = table.get(c) or searchable_entry(gz, c, suffixes)
        searchable[c] = entry[0]
        lengths |= entry[1]
    for s, e, name in find_towns(text, searchable, suffixes, lengths, ends_of_suffixes):
        if taken_ix.hits(s, e):
            continue
        towns = [t for c, names in searchable.items() if name in names for t in gz.towns_of(c) if t.name == name]
        cands = {t.code: t for t in gz.at_date(towns, ym)}
        prev = ends.get(s)
        if prev is not None and prev.div is not None:
            near = [t for t in cands.values() if t.code.startswith(prev.div.code[:6])
                    and gz.is_within(t.code[:6], prev.div.code)]
            if near:
                cands = {t.code: t for t in near}
        if len(cands) > 1:
            in_named = [t for t in cands.values() if t.code[:6] in named_counties]
            cands = {t.code: t for t in in_named}
        # a town name must start a word (文明村镇 holds no 明村镇), unless a division ends there
        if len(cands) == 1 and (s in ends or bounds.starts(s)):
            t = next(iter(cands.values()))
            out.append(Hit(s, e, name, [], t, "full"))
    # villages of the towns just found, searched in the text after each town
    vsuf = tuple(data["village_suffixes"])
    town_hits = sorted(out, key=lambda h: h.start)
    for th in town_hits:
        window = text[th.end:th.end + data["village_window"]]
        if not any(suf in window for suf in vsuf):  # no village name can end in it
            continue
        town = th.div.code
        villages = gz.village_codes_of(town, vsuf)  # name -> code; a record only for a hit
        for s, e, name in find_all(window, villages, vsuf):
            s, e = s + th.end, e + th.end
            if not taken_ix.hits(s, e) and not overlaps(s, e, [(h.start, h.end) for h in out]) \
                    and (s == th.end or bounds.starts(s)):
                village = Division(villages[name], name, "village", town, "", "")
                out.append(Hit(s, e, name, [], village, "full"))
    return out
