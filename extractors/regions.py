"""Region mentions resolved to division codes, and the article's own region.

How a mention is found and resolved (language data in ``extractors/data/regions.yaml``):

1. **Scan.** One left-to-right pass over the clean text with a dictionary keyed by the
   first two characters of every surface form of the gazetteer (full names, short names,
   suffix-less and autonomy forms, manual aliases) and of the stop phrases; at each
   position the longest form wins. Much faster than a regex alternation of 7,000 names;
   the positions where a key may begin (one in a hundred) are found first for the whole
   text by a hash table of the keys (numpy), so the pass skips the others.
2. **Filter.** A form glued to an outlet, organisation or thing (``西藏日报``, ``中山大学``,
   ``延安路``), preceded by a stop word (``援``) or inside a stop phrase (``遵义会议``) is no
   mention. A short form must also sit on word boundaries (``新乡村`` is not 新乡): the
   boundaries come from ``doc.tokens`` when segmentation ran (which cut only the stretch
   asked about, see :class:`policy_ie.extractors.words.LazyTokens`), else from jieba on a small
   window around the form (only short forms are checked, so jieba stays off the hot path).
3. **Resolve.** Candidates of a form are scored by time (the record valid at the article's
   month: ``昌都`` is 542100 in 2013 and 540300 from 2015), by the hierarchy (a parent named
   right before: ``四平市铁东区``; anchors named elsewhere in the article), then by level.
4. **Accept.** Full names are mentions; short names of provinces and cities are too,
   unless they are common words (``大同``) with no support in the article; suffix-less
   county forms (``汇川``) need their city, or the county itself, named in the article.
5. **Below the county.** Towns of the named counties (``红石镇`` in 柳河县) and villages of
   the named towns are searched by full name, from the places where a town or village
   suffix ends; a town or village is reported with its 9- or 12-digit code when the
   hierarchy leaves one candidate. A place word right after a known division that the
   lists lack (``红石镇四清村``) is reported with ``level``/``code`` null, and so is one
   anywhere else when the POS tagger calls the word before a suffix a place name (``ns``:
   ``来到黄土坡村``); only there is the tagger run (:func:`_tagged_places`).

The article region (:func:`extract_article_region`) is the most specific division named in
the title (or, without a title or a region in it, the opening after the dateline), with
province/city/county names filled from the hierarchy.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, deque
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cache
from itertools import accumulate

import numpy as np

from policy_ie.extractors.gazetteer import Division, Form, Gazetteer, load, region_data
from policy_ie.extractors.registry import register
from policy_ie.text.document import LEVEL_RANK, ArticleRegion, Document, RegionMention, Token, Tokens

CJK = re.compile(r"[\u4e00-\u9fff]")
DATE_VALUE = re.compile(r"^(\d{4})(?:-(\d{2}))?")


@dataclass(slots=True)
class Hit:
    """A surface form found in the text, before and after resolution."""

    start: int
    end: int
    surface: str
    forms: list[Form]
    div: Division | None = None
    kind: str = ""


@dataclass(frozen=True, slots=True)
class Scanner:
    """Bigram-keyed index of every surface form (and stop phrase) of the gazetteer.

    ``table`` marks the hash of every key bigram, so that the positions where a form may
    begin are found for a whole text at once (numpy), not by a dictionary probe at every
    character: about one position in a hundred is a candidate.
    """

    by_bigram: dict[str, tuple[int, ...]]
    forms: dict[str, list[Form]]
    stops: frozenset[str]
    table: np.ndarray
    #: every form and stop phrase -> the forms spelled so (:data:`_STOP` for a stop phrase
    #: only): one probe per length tried, not three
    entries: dict[str, list[Form] | tuple[()]]


#: the entry of a word that is a stop phrase and no form
_STOP: tuple[()] = ()


_HASH_MASK = (1 << 20) - 1
_HASH_MUL = 40503
#: Texts shorter than this (titles) are probed at every position: numpy costs more there.
_SHORT_TEXT = 64


def _bigram_hash(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Hashes of bigrams given as code points (uint32 arrays; the product wraps)."""
    return ((first * np.uint32(_HASH_MUL)) ^ second) & np.uint32(_HASH_MASK)


@cache
def scanner() -> Scanner:
    """Build the scanning index once (forms of 2+ characters, longest first per bigram)."""
    gz = load()
    data = region_data()
    stops = frozenset(data["stop_phrases"])
    lengths: dict[str, set[int]] = {}
    for word in [*gz.forms, *stops]:
        if len(word) >= 2:
            lengths.setdefault(word[:2], set()).add(len(word))
    by_bigram = {k: tuple(sorted(v, reverse=True)) for k, v in lengths.items()}
    table = np.zeros(_HASH_MASK + 1, dtype=bool)
    keys = np.array([[ord(k[0]), ord(k[1])] for k in by_bigram], dtype=np.uint32).reshape(-1, 2)
    table[_bigram_hash(keys[:, 0], keys[:, 1])] = True
    entries: dict[str, list[Form] | tuple[()]] = dict.fromkeys(stops, _STOP)
    entries.update(gz.forms)
    return Scanner(by_bigram, gz.forms, stops, table, entries)


def _candidates_of(sc: Scanner, text: str) -> Iterable[int]:
    """Positions of ``text`` where a key bigram may begin (a superset; all of a short text)."""
    if len(text) < _SHORT_TEXT:
        return range(len(text) - 1)
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    h = codes[:-1] * np.uint32(_HASH_MUL)  # _bigram_hash, in place after the first product
    h ^= codes[1:]
    h &= np.uint32(_HASH_MASK)
    return np.flatnonzero(sc.table[h]).tolist()


def scan(text: str) -> list[Hit]:
    """Leftmost-longest occurrences of gazetteer forms (stop phrases consume their text)."""
    sc = scanner()
    hits: list[Hit] = []
    get, entry = sc.by_bigram.get, sc.entries.get
    nxt = 0  # the first position not consumed by a form or stop phrase
    for i in _candidates_of(sc, text):
        if i < nxt:
            continue
        lens = get(text[i:i + 2])
        if not lens:
            continue
        for ln in lens:
            w = text[i:i + ln]
            if len(w) == ln and (got := entry(w)) is not None:
                if got is not _STOP:
                    hits.append(Hit(i, i + ln, w, got))  # type: ignore[arg-type]
                nxt = i + ln
                break
    return hits


# -- filters --------------------------------------------------------------------------


@cache
def _stop_after() -> re.Pattern[str]:
    words = sorted(region_data()["stop_after"], key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


@cache
def _org_after() -> re.Pattern[str]:
    data = region_data()
    words = "|".join(map(re.escape, sorted(data["org_words"], key=len, reverse=True)))
    return re.compile(rf"[\u4e00-\u9fff]{{0,{data['org_gap']}}}?(?:{words})")


@cache
def _stop_before() -> tuple[str, ...]:
    return tuple(region_data()["stop_before"])


@cache
def _word_sets() -> tuple[frozenset[str], frozenset[str]]:
    """The generic full names and the short names that need context (regions.yaml)."""
    data = region_data()
    return frozenset(data["generic_full_names"]), frozenset(data["context_short_names"])


@cache
def _glue_after() -> re.Pattern[str]:
    """:func:`_stop_after` or :func:`_org_after`, in one pattern (one match call per hit)."""
    return re.compile(f"(?:{_stop_after().pattern})|(?:{_org_after().pattern})")


def _glued(text: str, h: Hit) -> bool:
    """Whether the hit is part of an outlet, organisation or phrase (stop words around)."""
    if _glue_after().match(text, h.end):
        return True
    return text[max(0, h.start - 4):h.start].endswith(_stop_before())


@cache
def _jieba():  # type: ignore[no-untyped-def]
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


class Boundaries:
    """Word boundaries of a text: from given tokens, else jieba on windows when asked."""

    def __init__(self, text: str, tokens: Sequence[Token] | None = None) -> None:
        self.text = text
        self.tokens: Tokens | None = None
        if tokens:
            self.tokens = tokens if isinstance(tokens, Tokens) else Tokens.of(tokens)

    def _words(self, start: int, end: int) -> Tokens:
        if self.tokens is not None:
            return self.tokens
        a = max(0, start - 8)
        spans = list(_jieba().tokenize(self.text[a:end + 8]))
        return Tokens([w for w, _s, _e in spans], [a + s for _w, s, _e in spans],
                      [a + e for _w, _s, e in spans])

    def word(self, start: int) -> int | None:
        """The end of the word that begins at ``start``, or None."""
        return self._words(start, start + 1).word_at(start)

    def starts(self, start: int) -> bool:
        """Whether a word begins at ``start``."""
        return self._words(start, start + 1).word_at(start) is not None

    def ok(self, start: int, end: int, compound: bool = False) -> bool:
        """Whether a name at ``start:end`` is a word of its own (or starts a compound).

        ``start`` must begin a word and ``end`` end one: 新乡村 (新/乡村) and 李长春 fail.
        With ``compound`` (provinces, cities, names of 3+ characters), a word that begins at
        ``start`` and runs on by two characters or more also passes: 北京人民大会堂 is one
        jieba word, so is 广州火车站; 新民主主义 does not pass for the county 新民.
        """
        words = self._words(start, end)
        word_end = words.word_at(start)
        if word_end is None:
            return False
        # the word at ``start`` ending at ``end`` is a word ending there: most names are
        # one word, and then the ends need not be asked for (nor when the compound passes)
        return word_end == end or (compound and word_end >= end + 2) or words.ends_at(end)


# -- resolution -----------------------------------------------------------------------


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


_CANDIDATES_MAX = 20_000


def _memo(gz: Gazetteer, key: object) -> dict:  # type: ignore[type-arg]
    """The memo ``key`` kept with the gazetteer (made empty on first use; ``setdefault``
    would make a dictionary at every look-up, and these are asked for at every hit)."""
    got = gz.memo.get(key)  # type: ignore[call-overload]
    if got is None:
        got = gz.memo[key] = {}  # type: ignore[index]
    return got


def _lookup(gz: Gazetteer, h: Hit, ym: str | None,
            memo: dict | None = None) -> tuple[tuple[tuple[Division, str], ...], str | None]:  # type: ignore[type-arg]
    """The hit's candidates (:func:`_candidates_of_forms`: distinct divisions with their best
    record at ``ym`` and form kind) and the code it anchors (:func:`_anchor_of`).

    Memoised with the gazetteer by (surface, month), the hit's forms being the gazetteer's
    forms of its surface: a batch asks for the same names in the same months again and again.
    """
    if memo is None:
        memo = _memo(gz, "region_candidates")
    key = (h.surface, ym)
    got = memo.get(key)
    if got is None:
        if len(memo) >= _CANDIDATES_MAX:
            memo.clear()
        cands = tuple(_candidates_of_forms(gz, h.forms, ym))
        got = memo[key] = (cands, _anchor_of(gz, h.surface, h.forms, cands, ym))
    return got


def _candidates_of_forms(gz: Gazetteer, forms: list[Form], ym: str | None) -> list[tuple[Division, str]]:
    by_code: dict[str, tuple[Division, str]] = {}
    for f in forms:
        code = f.division.code
        if code not in by_code or _form_rank(f.kind) < _form_rank(by_code[code][1]):
            by_code[code] = (f.division, f.kind)
    out = []
    for code, (div, kind) in by_code.items():
        recs = [d for d in gz.records.get(code, [div]) if d.name == div.name] or [div]
        out.append((gz.at_date(recs, ym)[0], kind))
    return out


def _form_rank(kind: str) -> int:
    return {"full": 0, "alias": 1, "autonomy": 2, "short": 3}.get(kind, 4)


def _support(gz: Gazetteer, code: str, anchors: Counter[str], near: bool = False) -> int:
    """Anchor mentions naming ``code`` or an ancestor (``near``: only itself or its city)."""
    if not anchors:
        return 0
    n = anchors.get(code, 0)
    for a in (_near_ancestors(gz, code) if near else gz.ancestors(code)):
        n += anchors.get(a, 0)
    return n


def _near_ancestors(gz: Gazetteer, code: str) -> list[str]:
    """The ancestors of ``code`` below the province level (kept with the gazetteer)."""
    memo = _memo(gz, "region_near_ancestors")
    got = memo.get(code)
    if got is None:
        got = memo[code] = [a for a in gz.ancestors(code)
                            if (d := gz.get(a)) is not None and d.level != "province"]
    return got


def _descendant_counts(gz: Gazetteer, anchors: Counter[str]) -> dict[str, int]:
    """For each code, the anchor mentions of the divisions below it (computed once per
    article: asking every candidate to walk every anchor costs their product)."""
    below: dict[str, int] = {}
    for c, v in anchors.items():
        for a in gz.ancestors(c):
            if a != c:
                below[a] = below.get(a, 0) + v
    return below


def _child_support(gz: Gazetteer, code: str, below: dict[str, int]) -> int:
    """Anchor mentions of divisions below ``code`` (``below``: :func:`_descendant_counts`)."""
    return below.get(code, 0)


def _score(gz: Gazetteer, div: Division, kind: str, ym: str | None, prev: Division | None,
           anchors: Counter[str], below: dict[str, int]) -> tuple[float, ...]:
    """Rank candidates: a parent right before, validity at the date, the division itself
    or its city named, children named, then higher levels, province support, fuller forms."""
    adjacent = 1 if prev is not None and prev.code in gz.ancestors(div.code) else 0
    valid = 0 if gz.valid_at(div, ym) else 1
    near = _support(gz, div.code, anchors, near=True) + _child_support(gz, div.code, below)
    wide = _support(gz, div.code, anchors)
    return (adjacent, -valid, min(near, 5), -LEVEL_RANK[div.level], min(wide, 5),
            -_form_rank(kind))


def _resolve(gz: Gazetteer, hits: list[Hit], ym: str | None, anchors: Counter[str],
             bounds: Boundaries) -> list[Hit]:
    """Pick each hit's division and keep the hits that are mentions (``hits``: not glued)."""
    generic, contextual = _word_sets()
    out: list[Hit] = []
    prev: Hit | None = None
    below = _descendant_counts(gz, anchors)
    memo = _memo(gz, "region_candidates")
    for h in hits:
        cands = _lookup(gz, h, ym, memo)[0]
        if not cands:
            continue
        adjacent_prev = prev.div if prev is not None and prev.end == h.start else None
        if len(cands) == 1:
            div, kind = cands[0]
        else:
            div, kind = max(cands, key=lambda c: _score(gz, c[0], c[1], ym, adjacent_prev, anchors,
                                                          below))
        # support is asked for only where it decides (most hits are full names)
        if kind == "full":
            # a one-character stem (和县, 任县) is often a piece of other words (市委和县委,
            # 挂任县区委): it needs word boundaries and its province or city in the article
            if len(h.surface) <= 2 and not (_supported(gz, div, adjacent_prev, anchors, below)
                                            and bounds.ok(h.start, h.end)):
                continue
            ok = h.surface not in generic or _county_support(gz, div, anchors, adjacent_prev, "")
        else:
            if div.level == "county" or div.kind == "stat_zone":
                ok = _supported(gz, div, adjacent_prev, anchors, below) \
                    and _county_support(gz, div, anchors, adjacent_prev, h.surface)
            else:
                ok = h.surface not in contextual or _supported(gz, div, adjacent_prev, anchors, below)
            # word boundaries last: they may need the words cut
            compound = len(h.surface) >= 3 or div.level in ("province", "city")
            ok = ok and bounds.ok(h.start, h.end, compound)
        if ok:
            h.div, h.kind = div, kind
            out.append(h)
            prev = h
    return out


def _supported(gz: Gazetteer, div: Division, adjacent_prev: Division | None, anchors: Counter[str],
               below: dict[str, int]) -> bool:
    """A parent named right before, or an anchor at, above or below the division."""
    return (adjacent_prev is not None and adjacent_prev.code in gz.ancestors(div.code)) \
        or _support(gz, div.code, anchors) > 0 or _child_support(gz, div.code, below) > 0


def _county_support(gz: Gazetteer, div: Division, anchors: Counter[str],
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


def _anchors(gz: Gazetteer, hits: list[Hit], ym: str | None) -> Counter[str]:
    """Codes named unambiguously and reliably: full names, province and city short names
    (``hits``: not glued; each hit's code is memoised with its candidates)."""
    out: Counter[str] = Counter()
    memo = _memo(gz, "region_candidates")
    for h in hits:
        code = _lookup(gz, h, ym, memo)[1]
        if code is not None:
            out[code] += 1
    return out


def _anchor_of(gz: Gazetteer, surface: str, forms: list[Form], cands: Sequence[tuple[Division, str]],
               ym: str | None) -> str | None:
    """The code a form anchors at ``ym``: its one candidate (valid then), unless it is a
    generic or contextual word, a short county form, or a short name below the city level."""
    generic, contextual = _word_sets()
    if surface in generic or surface in contextual or (len(surface) <= 2 and forms[0].division.level == "county"):
        return None
    valid = [(d, k) for d, k in cands if gz.valid_at(d, ym)] or list(cands)
    strong = [(d, k) for d, k in valid if k != "short" or d.level in ("province", "city")]
    return strong[0][0].code if len(strong) == 1 and len(valid) == 1 else None


# -- towns, villages, unknown places -----------------------------------------------------


def _find_all(text: str, names: dict[str, list[Division]],
              suffixes: tuple[str, ...] = ()) -> list[tuple[int, int, str]]:
    """Non-overlapping occurrences of ``names`` (longest first at each position).

    A ``str.find`` per name costs names times text. Names that end with one of ``suffixes``
    (镇, 乡, 村 ...) are found from the other end: every place where a suffix ends is
    checked for a name of each length; any other name is searched with ``str.find``.
    """
    tail = {n for n in names if suffixes and n.endswith(suffixes)}
    occ = _ending_at_suffixes(text, tail, suffixes) if tail else []
    for n in names:
        if n in tail:
            continue
        i = text.find(n)
        while i != -1:
            occ.append((i, i + len(n), n))
            i = text.find(n, i + 1)
    return _leftmost_longest(occ)


def _suffix_ends(text: str, suffixes: tuple[str, ...]) -> set[int]:
    """Every offset where one of ``suffixes`` ends in ``text``."""
    ends = set()
    for suf in set(suffixes):
        i = text.find(suf)
        while i != -1 and suf:
            ends.add(i + len(suf))
            i = text.find(suf, i + 1)
    return ends


def _ending_at_suffixes(text: str, names: AbstractSet[str], suffixes: tuple[str, ...],
                        lengths: AbstractSet[int] | None = None,
                        ends: AbstractSet[int] | None = None) -> list[tuple[int, int, str]]:
    """Occurrences of ``names`` (each ending with one of ``suffixes``), found from the places
    where a suffix ends: each is checked for a name of every length the names have.

    ``lengths`` (the lengths of ``names``) and ``ends`` (:func:`_suffix_ends`) may be given
    when the caller has them: the towns' lengths are kept per county, not counted per article.
    """
    ordered = sorted(lengths if lengths is not None else {len(n) for n in names})
    occ = []
    for e in (ends if ends is not None else _suffix_ends(text, suffixes)):
        for ln in ordered:
            if ln > e:
                break
            word = text[e - ln:e]
            if word in names:
                occ.append((e - ln, e, word))
    return occ


def _leftmost_longest(occ: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Non-overlapping occurrences, the longest first at each position, left to right."""
    occ.sort(key=lambda o: (o[0], -(o[1] - o[0])))
    out: list[tuple[int, int, str]] = []
    for o in occ:
        if not out or o[0] >= out[-1][1]:
            out.append(o)
    return out


def _searchable_memo(gz: Gazetteer, suffixes: tuple[str, ...]) -> dict[str, tuple[frozenset[str], frozenset[int]]]:
    """The counties' searchable town names and their lengths, kept with the gazetteer per
    suffix list: a city named in an article brings every town of its counties."""
    return _memo(gz, ("region_searchable_towns", suffixes))


def _searchable_entry(gz: Gazetteer, county: str, suffixes: tuple[str, ...]) -> tuple[frozenset[str], frozenset[int]]:
    """Names of the towns of ``county`` that can be searched (a town suffix, 3+ characters), with
    the lengths of the names (memoised)."""
    memo = _searchable_memo(gz, suffixes)
    got = memo.get(county)
    if got is None:
        if len(memo) >= _COUNTIES_KEPT:  # bounded: memory must not grow with the archive
            memo.clear()
        names = frozenset(n for n in gz.town_names_of(county) if n.endswith(suffixes) and len(n) >= 3)
        got = memo[county] = (names, frozenset(map(len, names)))
    return got


#: counties whose searchable town names are kept at a time: all of them (about 3,000; a city
#: named brings every county's towns, so a smaller bound thrashes), a bound on odd gazetteers
_COUNTIES_KEPT = 5000


def _find_towns(text: str, searchable: dict[str, frozenset[str]], suffixes: tuple[str, ...],
                lengths: AbstractSet[int] | None = None,
                ends: AbstractSet[int] | None = None) -> list[tuple[int, int, str]]:
    """Occurrences of the ``searchable`` town names (per county), as :func:`_find_all` gives
    them: every place where a town suffix ends is checked for a name of each length, in one
    set of the names (made in C from the counties' sets, not name by name). ``lengths`` and
    ``ends``: as :func:`_ending_at_suffixes` takes them."""
    names = frozenset().union(*searchable.values())
    if not names:
        return []
    return _leftmost_longest(_ending_at_suffixes(text, names, suffixes, lengths, ends))


def _below_county(gz: Gazetteer, text: str, mentions: list[Hit], ym: str | None,
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
    suffix_ends = _suffix_ends(text, suffixes)
    if not suffix_ends:  # no town name ends anywhere, so no town and no village of one
        return []
    named_counties = {h.div.code for h in mentions if h.div and h.div.level == "county"}
    taken_ix = _Taken(taken)
    ends = {h.end: h for h in mentions}
    out: list[Hit] = []
    memo = _searchable_memo(gz, suffixes)
    searchable: dict[str, frozenset[str]] = {}
    lengths: set[int] = set()
    for c in counties:
        entry = memo.get(c) or _searchable_entry(gz, c, suffixes)
        searchable[c] = entry[0]
        lengths |= entry[1]
    for s, e, name in _find_towns(text, searchable, suffixes, lengths, suffix_ends):
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
        window = text[th.end:th.end + 40]
        if not any(suf in window for suf in vsuf):  # no village name can end in it
            continue
        villages = {v.name: [v] for v in gz.villages_of(th.div.code) if v.name.endswith(vsuf)}
        for s, e, name in _find_all(window, villages, vsuf):
            s, e = s + th.end, e + th.end
            if not taken_ix.hits(s, e) and not _overlaps(s, e, [(h.start, h.end) for h in out]) \
                    and (s == th.end or bounds.starts(s)):
                out.append(Hit(s, e, name, [], villages[name][0], "full"))
    return out


@dataclass(frozen=True, slots=True)
class _UnknownWords:
    """What :func:`_unknown_after` matches (from regions.yaml, compiled once)."""

    after: dict[str, re.Pattern[str]]  # level of the known division -> the place word after it
    suffix: re.Pattern[str]  # a town or village suffix at the end of a word
    anywhere: re.Pattern[str]  # an unknown-place suffix
    stop_before: frozenset[str]  # characters that make a word with a suffix (农村, 驻村)
    max_stem: int
    town_end: re.Pattern[str]  # a town suffix at the end of a word
    stop_stems: tuple[str, ...]
    stop_first: frozenset[str]


@cache
def _unknown_words() -> _UnknownWords:
    data = region_data()
    mx = data["unknown_max_stem"]
    town_suf = "|".join(map(re.escape, data["town_suffixes"]))
    vil_suf = "|".join(map(re.escape, data["village_suffixes"]))
    return _UnknownWords(
        after={"county": re.compile(rf"[\u4e00-\u9fff]{{2,{mx}}}?(?:{town_suf})"),
               "town": re.compile(rf"[\u4e00-\u9fff]{{2,{mx}}}?(?:{vil_suf})")},
        suffix=re.compile(f"(?:{town_suf}|{vil_suf})$"),
        anywhere=re.compile("|".join(map(re.escape, sorted(data["unknown_suffixes"], key=len, reverse=True)))),
        stop_before=frozenset(data["tagged_stop_before"]),
        max_stem=int(mx),
        town_end=re.compile(f"(?:{town_suf})$"),
        stop_stems=tuple(data["unknown_stop_stems"]),
        stop_first=frozenset(data["unknown_stop_first"]),
    )


def _unknown_after(text: str, known: list[Hit], taken: list[tuple[int, int]]) -> list[Hit]:
    """Place words right after a county or town that the lists lack (``红石镇四清村``)."""
    uw = _unknown_words()
    out: list[Hit] = []
    queue = deque((h, h.div.level) for h in known if h.div and h.div.level in uw.after)
    taken_ix = _Taken(taken)
    while queue:
        h, lvl = queue.popleft()
        m = uw.after[lvl].match(text, h.end)
        if not m or taken_ix.hits(m.start(), m.end()):
            continue
        word = m.group()
        stem = uw.suffix.sub("", word)
        if stem.startswith(uw.stop_stems) or stem[0] in uw.stop_first:
            continue
        u = Hit(m.start(), m.end(), word, [], None, "unknown")
        out.append(u)
        taken.append((u.start, u.end))
        taken_ix.add(u.start, u.end)
        if lvl == "county" and uw.town_end.search(word):
            queue.append((u, "town"))
    return out


def _tagged_places(text: str, bounds: Boundaries, taken_ix: _Taken) -> list[Hit]:
    """Towns and villages no list has and no known division introduces (``来到黄土坡村``).

    Where a town or village suffix (``unknown_suffixes``) is a word of its own, the few
    characters before it are POS-tagged (rjieba, jieba's tag set): a place-name word
    (``ns``) of 2 to ``unknown_max_stem`` characters right before the suffix makes a place,
    reported without a code. Tagging only there keeps the tagger (five times the cost of
    cutting) off the rest of the text; the same stop lists as :func:`_unknown_after` apply.
    """
    from policy_ie.extractors.words import BACKENDS

    uw = _unknown_words()
    tagger = BACKENDS["rjieba-pos"]
    assert tagger is not None
    out: list[Hit] = []
    for m in uw.anywhere.finditer(text):
        a, b = m.span()
        # the stem, 2+ Han characters, ends at ``a``: both characters before it are Han
        # (checked here, before the cut; a lookbehind in the pattern made its search slow)
        if a < 2:
            continue
        before = text[a - 1]
        if not "\u4e00" <= before <= "\u9fff" or before in uw.stop_before \
                or not "\u4e00" <= text[a - 2] <= "\u9fff" or taken_ix.hits(a - 1, b) or bounds.word(a) != b:
            continue
        w = max(0, a - uw.max_stem - 2)
        clause = _CLAUSE_END.search(text[w:a][::-1])
        if clause is not None:
            w = a - clause.start()
        toks = list(tagger(text[w:b]))
        if len(toks) < 2 or toks[-1].start != a - w or toks[-2].end != a - w:
            continue
        stem = toks[-2]
        first_cut = stem.start == 0 and clause is None and w > 0  # the window may have cut a word
        if stem.pos != "ns" or first_cut or not 2 <= len(stem.text) <= uw.max_stem \
                or not _HAN_WORD.fullmatch(stem.text) or stem.text.startswith(uw.stop_stems) \
                or stem.text[0] in uw.stop_first:
            continue
        h = Hit(a - len(stem.text), b, stem.text + m.group(), [], None, "unknown")
        out.append(h)
        taken_ix.add(h.start, h.end)
    return out


_CLAUSE_END = re.compile(r"[，。、；：？！“”‘’「」『』（）《》【】\s]")
_HAN_WORD = re.compile(r"[\u4e00-\u9fff]+")


class _Taken:
    """Spans already taken, asked whether any overlaps ``[s, e)``: a bisect over the spans
    sorted by start with the running maximum of their ends (spans added later, few, are
    walked), not a walk over every mention of a long page."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [a for a, _ in ordered]
        self.reach: list[int] = list(accumulate((b for _, b in ordered), max))  # running maximum
        self.extra: list[tuple[int, int]] = []

    def add(self, a: int, b: int) -> None:
        self.extra.append((a, b))

    def hits(self, s: int, e: int) -> bool:
        k = bisect.bisect_left(self.starts, e) - 1  # spans starting before e
        return (k >= 0 and self.reach[k] > s) or _overlaps(s, e, self.extra)


def _overlaps(s: int, e: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < b and a < e for a, b in spans)


# -- extractors -----------------------------------------------------------------------


def find_regions(text: str, ym: str | None = None, tokens: Sequence[Token] | None = None,
                 extra_anchors: Counter[str] | None = None, unknown: bool = True) -> list[Hit]:
    """All region hits of ``text`` (clean offsets), resolved; ``div`` is None when unknown.

    Without ``unknown`` the places the lists lack (``div`` None) are not searched for: the
    same hits as with it, less those (the title asks only for divisions; the POS tagger
    the search for them runs costs more than the rest of a title's look-up).
    """
    gz = load()
    hits = [h for h in scan(text) if not _glued(text, h)]
    anchors = _anchors(gz, hits, ym)
    if extra_anchors:
        anchors.update(extra_anchors)
    bounds = Boundaries(text, tokens)
    mentions = _resolve(gz, hits, ym, anchors, bounds)
    taken = [(h.start, h.end) for h in mentions]
    below = _below_county(gz, text, mentions, ym, taken, bounds)
    taken += [(h.start, h.end) for h in below]
    known = sorted(mentions + below, key=lambda h: h.start)
    if not unknown:
        return known
    after = _unknown_after(text, known, taken)
    tagged = _tagged_places(text, bounds, _Taken(taken + [(h.start, h.end) for h in after]))
    return sorted(known + after + tagged, key=lambda h: h.start)


@register("regions", assigns="regions", requires=("dates",))
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


def dateline_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the datelines in the opening of a clean text (本报北京6月1日电): the place
    there is where the story was filed, not what it is about."""
    limit = region_data()["opening_chars"] + 40
    return [(m.start(), m.end()) for m in _dateline().finditer(text[:limit])]


@cache
def _dateline() -> re.Pattern[str]:
    return re.compile(region_data()["dateline"])


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


@register("article_region", assigns="region", requires=("regions",))
def extract_article_region(doc: Document) -> ArticleRegion | None:
    """The division the title, a kicker or subtitle, or the opening presents as the article's subject."""
    gz = load()
    ym = article_month(doc)
    body = Counter(m.code for m in doc.regions if m.code)
    title = (doc.meta.title or "").strip()
    chosen: Division | None = None
    if title:
        hits = find_regions(title, ym, None, body, unknown=False)
        chosen = _most_specific(gz, [h.div for h in hits if h.div], body)
    for heading in _side_headings(doc) if chosen is None else ():
        # as the opening is read: counties and above (a heading often goes down to a village)
        hits = find_regions(heading, ym, None, body, unknown=False)
        chosen = _most_specific(gz, [h.div for h in hits if h.div and len(h.div.code) == 6], body)
        if chosen is not None:
            break
    if chosen is None:
        chosen = _opening_region(gz, doc, ym)
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

    Datelines are skipped. When the opening names unrelated places (a round-up of
    provinces), or its place is a minor one of the article, there is no article region:
    the place must be named, with its parents and children, in ``opening_share`` of the
    article's coded mentions.
    """
    data = region_data()
    limit = data["opening_chars"]
    text = doc.view.text
    skip = dateline_spans(text)
    coded: list[RegionMention] = []
    opening: list[RegionMention] = []
    for m in doc.regions:
        if not m.code or len(m.code) != 6:  # before the offset's look-up: towns are many
            continue
        cs = _clean_start(doc, m.start)
        if cs is None or _overlaps(cs, cs + 1, skip):
            continue
        coded.append(m)
        if cs < limit:
            opening.append(m)
    if not opening:
        return None
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
    related = sum(1 for m in coded if gz.is_within(m.code or "", code)
                  or gz.is_within(code, m.code or ""))
    if related < data["opening_share"] * len(coded):
        return None
    return gz.get(code, ym)


def _clean_start(doc: Document, raw: int) -> int | None:
    """Clean offset of raw offset ``raw`` (None if it was removed)."""
    for c0, r0, n in doc.view.pieces:
        if r0 <= raw < r0 + n:
            return c0 + raw - r0
    return None


def _article_region(gz: Gazetteer, div: Division, ym: str | None) -> ArticleRegion:
    h = gz.hierarchy(div.code, ym)

    def name(level: str) -> str | None:
        d = h.get(level)
        return d.name if d else None

    return ArticleRegion(code=div.code, name=div.name, level=div.level,
                         province=name("province"), city=name("city"), county=name("county"))
