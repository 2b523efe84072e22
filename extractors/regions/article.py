"""Rules: the article's own region, the division it is about.

The most specific division named in the title (``贵州遵义`` -> 遵义; a list of peers, the
division they all lie in: ``平武县、青川县等8县`` -> 四川省, also when the title names one
member and the body the list: ``龙江等10个县`` -> 黑龙江省; among other unrelated ones the
best supported by the body; a province or city with a village the body places in one of its
counties, that county: ``福建下党村`` -> 寿宁县); without a title or a region in it, the
counties and above of a kicker or subtitle (``side_headings`` in ``regions.yaml``); else the
place the opening names after its dateline, when it names one place (or one chain of places)
that the article is about (``opening_chars``, ``opening_quote``, ``opening_share``), or a
place inside it that most mentions lie in; else, when the opening calls a division its own
(我省, 我县: ``self_words``), the division of that level the outlet is named for (甘肃日报),
else the one most of the mentions lie in.
Province, city and county names are filled from the hierarchy. Registered as the
``article_region`` extractor, run after ``regions``.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from policy_ie.extractors.gazetteer import Division, Gazetteer, load, region_data
from policy_ie.extractors.regions.datelines import dateline_spans
from policy_ie.extractors.regions.glue import stop_after
from policy_ie.extractors.regions.lists import runs
from policy_ie.extractors.regions.mentions import article_month, find_regions
from policy_ie.extractors.regions.scan import Hit
from policy_ie.extractors.regions.spans import overlaps
from policy_ie.extractors.registry import register
from policy_ie.text.document import ArticleRegion, Document, RegionMention


def _most_specific(gz: Gazetteer, divs: list[Division], body: Counter[str]) -> Division | None:
    """The deepest of a chain (贵州遵义 -> 遵义); among unrelated ones, the best supported."""
    if not divs:
        return None
    leaves = [d for d in divs if not any(o.code != d.code and gz.is_within(o.code, d.code)
                                         for o in divs)]
    def weight(d: Division) -> int:
        return sum(v for c, v in body.items() if gz.is_within(c, d.code))
    best = max(leaves, key=lambda d: (weight(d), -divs.index(d)))
    return best


def _listed_parent(gz: Gazetteer, title: str, hits: list[Hit]) -> Division | None:
    """The division a list of peers in the title lies in: 平武县、青川县等8县退出贫困县序列 is
    about 四川省, 赤水、习水两市县 about 遵义市 (the nearest division holding every one). A
    member the mentions leave out (an everyday word: 和政、康乐、积石山三县) does not break the
    list (:func:`_title_runs`)."""
    for run in _title_runs(title, hits):
        divs = [h.div for h in run if h.div is not None]
        if len(divs) < 2 or len({d.level for d in divs}) != 1 or len({d.code for d in divs}) < 2:
            continue
        shared = [a for a in gz.ancestors(divs[0].code) if all(gz.is_within(d.code, a) for d in divs[1:])]
        if shared:
            return gz.get(shared[0])
    return None


def _title_runs(title: str, hits: list[Hit]) -> list[list[Hit]]:
    """:func:`~.lists.runs` of the title, with runs joined again across list members that are
    no mention (``title_list_gap`` in ``regions.yaml``: 和政、康乐、积石山 when 康乐 is read as
    a word)."""
    gap = _title_list_gap()
    out: list[list[Hit]] = []
    for run in runs(title, hits):
        if out and gap.fullmatch(title, out[-1][-1].end, run[0].start):
            out[-1].extend(run)
        else:
            out.append(run)
    return out


def _one_of_a_list(gz: Gazetteer, doc: Document, title: str, hits: list[Hit]) -> Division | None:
    """The division holding a list of peers the title names by one member (龙江等10个县退出
    贫困县序列: one name, then 等 and the members' shared suffix, ``list_suffix``): the nearest
    division holding every member of the body's list that names it (龙江、克东、泰来…10个县,
    counties of several cities: 黑龙江省). None when the body lists no peers with it."""
    suffix = _list_suffix()
    named = {h.div.code for h in hits if h.div is not None and h.div.level == "county"
             and (m := suffix.match(title, h.end)) is not None and m.group().startswith("等")}
    if not named:
        return None
    for run in _body_runs(doc):
        codes = list(dict.fromkeys(run))
        if len(codes) < 2 or not named & set(codes):
            continue
        divs = [d for c in codes if (d := gz.get(c)) is not None]
        if len({d.level for d in divs}) != 1:
            continue
        shared = [a for a in gz.ancestors(codes[0]) if all(gz.is_within(c, a) for c in codes[1:])]
        if shared:
            return gz.get(shared[0])
    return None


def _body_runs(doc: Document) -> list[list[str]]:
    """The codes of the text's division mentions (counties and above) in runs of neighbours
    joined by a list joiner (``list_joiners``: 龙江、克东、泰来)."""
    joiners = set(region_data()["list_joiners"])
    text = doc.view.text
    out: list[list[str]] = []
    last_end = -1
    for m in doc.regions:
        cs = doc.view.clean_index(m.start) if m.code and len(m.code) == 6 else None
        if cs is None:
            continue
        if out and text[last_end:cs] in joiners:
            out[-1].append(m.code or "")
        else:
            out.append([m.code or ""])
        last_end = cs + (m.end - m.start)
    return out


def _small_place_county(gz: Gazetteer, doc: Document, title: str, chosen: Division,
                        ym: str | None) -> Division | None:
    """The county of a place below the county that the title names with its province or city
    (福建下党村, 娄底市…黄巢村民) and the body writes right after one county of it
    (寿宁县下党村, 双峰县井字镇黄巢村: ``title_small_place``): the article is about that
    county. None when the title's division is a county or below, or the body places the
    title's small place in no county, or in several."""
    if chosen.level not in ("province", "city"):
        return None
    pattern = _title_small_place()
    text = doc.view.text
    found: set[str] = set()
    for m in doc.regions:
        code = m.code or ""
        if len(code) != 6 or code == chosen.code or not gz.is_within(code, chosen.code):
            continue
        d = gz.get(code, ym)
        cs = doc.view.clean_index(m.start)
        if d is None or d.level != "county" or cs is None:
            continue
        hit = pattern.match(text, cs + (m.end - m.start))
        if hit is not None and hit["place"] in title:
            found.add(code)
    return gz.get(found.pop(), ym) if len(found) == 1 else None


@cache
def _list_suffix() -> re.Pattern[str]:
    return re.compile(region_data()["list_suffix"])


@cache
def _title_small_place() -> re.Pattern[str]:
    return re.compile(region_data()["title_small_place"])


@cache
def _title_list_gap() -> re.Pattern[str]:
    return re.compile(region_data()["title_list_gap"])


@register("article_region", assigns="region", requires=("regions", "metadata"))
def extract_article_region(doc: Document) -> ArticleRegion | None:
    """The division the title, a kicker or subtitle, or the opening presents as the article's subject."""
    gz = load()
    ym = article_month(doc)
    body = Counter(m.code for m in doc.regions if m.code)
    title = (doc.meta.title or "").strip()
    chosen: Division | None = None
    if title:
        hits = [h for h in find_regions(title, ym, None, body, unknown=False) if h.div]
        chosen = (_listed_parent(gz, title, hits) or _one_of_a_list(gz, doc, title, hits)
                  or _most_specific(gz, [h.div for h in hits], body))
        if chosen is not None:
            chosen = _small_place_county(gz, doc, title, chosen, ym) or chosen
    for heading in _side_headings(doc) if chosen is None else ():
        # as the opening is read: counties and above (a heading often goes down to a village)
        hits = find_regions(heading, ym, None, body, unknown=False)
        chosen = _most_specific(gz, [h.div for h in hits if h.div and len(h.div.code) == 6], body)
        if chosen is not None:
            break
    if chosen is None:
        chosen = _opening_region(gz, doc, ym)
    if chosen is None:
        chosen = _self_named_region(gz, doc, ym)
    if chosen is None:
        return None
    return _article_region(gz, chosen, ym)


def _side_headings(doc: Document) -> list[str]:
    """The kicker and the subtitle in the opening (lines that end or begin with a dash),
    in text order, without the dash."""
    found = _side_heading_re().finditer(doc.view.text, 0, region_data()["opening_chars"])
    return [(m.group("sub") or m.group("kicker")).strip() for m in found]


@cache
def _side_heading_re() -> re.Pattern[str]:
    return re.compile(region_data()["side_headings"])


def _opening_region(gz: Gazetteer, doc: Document, ym: str | None) -> Division | None:
    """The region the opening names, when it names one place (or one chain of places).

    The opening is the first ``opening_chars`` of the text, not counting the words it quotes
    (:func:`opening_end`). Datelines are skipped. When the opening names unrelated places (a round-up of
    provinces), or its place is a minor one of the article, there is no article region:
    the place must be named, with its parents and children, in ``opening_share`` of the
    article's coded mentions.
    """
    data = region_data()
    text = doc.view.text
    limit = opening_end(text)
    skip = dateline_spans(text)
    coded: list[RegionMention] = []
    opening: list[RegionMention] = []
    for m in doc.regions:
        if not m.code or len(m.code) != 6:  # before the offset's look-up: towns are many
            continue
        cs = doc.view.clean_index(m.start)
        if cs is None or overlaps(cs, cs + 1, skip):
            continue
        coded.append(m)
        if cs < limit:
            opening.append(m)
    if not opening:
        return None
    opening = _without_trips_to_the_capital(gz, opening)
    first = opening[0]
    for nxt in opening[1:]:
        # one place, or one chain written in one piece (甘肃省定西市 -> 定西市); places
        # inside it named later do not make it narrower, unrelated ones make a round-up
        if gz.is_within(nxt.code or "", first.code or ""):
            if nxt.start == first.end:
                first = nxt
        elif not gz.is_within(first.code or "", nxt.code or ""):
            return None
    code = first.code or ""
    capital = _capital_trip(gz, code)
    related = sum(1 for m in coded if gz.is_within(m.code or "", code)
                  or gz.is_within(code, m.code or "") or m.code == capital)
    if related < data["opening_share"] * len(coded):
        return None
    code = _mostly_within(gz, code, opening, coded, data["opening_share"]) or code
    return gz.get(code, ym)


def _mostly_within(gz: Gazetteer, code: str, opening: list[RegionMention], coded: list[RegionMention],
                   share: float) -> str | None:
    """The deepest place the opening names inside ``code`` (after it, apart: 福建省最偏远的山区
    贫困县——宁德市寿宁县) that ``share`` of the article's coded mentions lie in, itself or its
    parts: the story is that place's (宁德市), though the opening starts wider."""
    best: str | None = None
    for m in opening:
        c = m.code or ""
        if c == code or not gz.is_within(c, code) or (best is not None and not gz.is_within(c, best)):
            continue
        if sum(1 for x in coded if gz.is_within(x.code or "", c)) >= share * len(coded):
            best = c
    return best


def opening_end(text: str) -> int:
    """The end of a clean text's opening: ``opening_chars`` characters, not counting the
    long quotations in them (``opening_quote``: a leader's words quoted before the story's
    place, 习近平总书记指出：“……” 辽宁省建昌县是…), so that a quoted preamble does not push
    the place the story opens with out of the opening."""
    chars = limit = region_data()["opening_chars"]
    for m in _opening_quote().finditer(text):
        if m.start() >= chars:  # quotations that begin in the opening only: the end is bounded
            break
        limit += m.end() - m.start()
    return limit


@cache
def _opening_quote() -> re.Pattern[str]:
    return re.compile(region_data()["opening_quote"])


def _capital_trip(gz: Gazetteer, code: str) -> str | None:
    """The capital of the province of a place below the city level that lies outside it
    (古浪县: 兰州市; ``provincial_capitals`` in regions.yaml): a county's article that takes
    its people to the capital is still about the county. The capital itself only: its
    counties are other places (a life told across 哈尔滨's 宾县 and 依兰 from 庆安县 is
    no article about 庆安县). None for a city or a province
    (兰州、天水 is a round-up of peers) or a place in the capital itself."""
    d = gz.get(code)
    if d is None or d.level not in ("county", "town", "village"):
        return None
    province = next((a for a in gz.ancestors(code) if (p := gz.get(a)) is not None and p.level == "province"), None)
    capital = region_data()["provincial_capitals"].get(province or "")
    return capital if capital and not gz.is_within(code, capital) else None


def _without_trips_to_the_capital(gz: Gazetteer, opening: list[RegionMention]) -> list[RegionMention]:
    """The opening's mentions less those of a provincial capital that a county of the opening
    travels to (古浪县的干部到兰州培训: 古浪县), so that the pair is one place, not a round-up."""
    capitals = {c for m in opening if (c := _capital_trip(gz, m.code or ""))}
    if not capitals:
        return opening
    kept = [m for m in opening if m.code not in capitals]
    return kept or opening


def _self_named_region(gz: Gazetteer, doc: Document, ym: str | None) -> Division | None:
    """The division a local outlet calls its own in the opening (我省, 我县: ``self_words``),
    when the article's mentions say which: the division of that level holding more than
    ``opening_share`` of the coded mentions (counties and above) that lie in one of its level."""
    data = region_data()
    words: dict[str, str] = data.get("self_words") or {}
    opening = doc.view.text[:opening_end(doc.view.text)]
    levels = [lv for w, lv in words.items() if w in opening]
    if not levels:
        return None
    level = levels[0] if len(set(levels)) == 1 else None
    if level is None:
        return None  # 我省 and 我县 in one opening: a county outlet writing of its province
    own = _outlet_division(gz, doc, level, ym)
    if own is not None:
        return own  # 来源：甘肃日报 ... 我省: 甘肃
    seen: Counter[str] = Counter()
    for m in doc.regions:
        if m.code and len(m.code) == 6:
            d = gz.hierarchy(m.code, ym).get(level)
            if d is not None:
                seen[d.code] += 1
    if not seen:
        return None
    code, n = seen.most_common(1)[0]
    if n <= data["opening_share"] * sum(seen.values()):
        return None
    return gz.get(code, ym)


def _outlet_division(gz: Gazetteer, doc: Document, level: str, ym: str | None) -> Division | None:
    """The division of ``level`` holding the place an outlet is named for (甘肃日报: 甘肃省;
    临夏日报 writing 我省: 甘肃省), the one its 我省/我市/我县 means; None when the outlet's
    name holds no place, or several unrelated ones. (The outlet's place is not a mention of
    the article: only what its self-words mean.)"""
    outlet = (doc.meta.outlet or "").strip()
    m = stop_after().search(outlet)
    if m is None:  # no outlet's word (日报, 电视台): no outlet named for a place
        return None
    outlet = outlet[:m.start()]
    found = {}
    for h in find_regions(outlet, ym, None, Counter(), unknown=False):
        if h.div is not None:
            d = gz.hierarchy(h.div.code, ym).get(level)
            if d is not None:
                found[d.code] = d
    return next(iter(found.values())) if len(found) == 1 else None


def _article_region(gz: Gazetteer, div: Division, ym: str | None) -> ArticleRegion:
    h = gz.hierarchy(div.code, ym)

    def name(level: str) -> str | None:
        d = h.get(level)
        return d.name if d else None

    return ArticleRegion(code=div.code, name=div.name, level=div.level,
                         province=name("province"), city=name("city"), county=name("county"))
