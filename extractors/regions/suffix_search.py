"""Engine: town and village names found from the places where their suffix ends.

A ``str.find`` per name costs names times text: the counties named in an article bring
thousands of town names. Names that end with a suffix (镇, 乡, 村 ...) are found from the
other end instead: every place where a suffix ends is checked for a name of each length the
names have. The searchable town names of a county, with their lengths, are kept with the
gazetteer (:func:`searchable_entry`).
"""

from __future__ import annotations

from collections.abc import Collection
from collections.abc import Set as AbstractSet

from policy_ie.extractors.gazetteer import Gazetteer, region_data
from policy_ie.extractors.regions.memo import memo

#: counties whose searchable town names are kept at a time: all of them (about 3,000; a city
#: named brings every county's towns, so a smaller bound thrashes), a bound on odd gazetteers
COUNTIES_KEPT = 5000


def find_all(text: str, names: Collection[str],
             suffixes: tuple[str, ...] = ()) -> list[tuple[int, int, str]]:
    """Non-overlapping occurrences of ``names`` (longest first at each position).

    Names that end with one of ``suffixes`` are found from the places where a suffix ends
    (:func:`ending_at_suffixes`); any other name is searched with ``str.find``.
    """
    tail = {n for n in names if suffixes and n.endswith(suffixes)}
    occ = ending_at_suffixes(text, tail, suffixes) if tail else []
    for n in names:
        if n in tail:
            continue
        i = text.find(n)
        while i != -1:
            occ.append((i, i + len(n), n))
            i = text.find(n, i + 1)
    return leftmost_longest(occ)


def suffix_ends(text: str, suffixes: tuple[str, ...]) -> set[int]:
    """Every offset where one of ``suffixes`` ends in ``text``."""
    ends = set()
    for suf in set(suffixes):
        i = text.find(suf)
        while i != -1 and suf:
            ends.add(i + len(suf))
            i = text.find(suf, i + 1)
    return ends


def ending_at_suffixes(text: str, names: AbstractSet[str], suffixes: tuple[str, ...],
                       lengths: AbstractSet[int] | None = None,
                       ends: AbstractSet[int] | None = None) -> list[tuple[int, int, str]]:
    """Occurrences of ``names`` (each ending with one of ``suffixes``), found from the places
    where a suffix ends: each is checked for a name of every length the names have.

    ``lengths`` (the lengths of ``names``) and ``ends`` (:func:`suffix_ends`) may be given
    when the caller has them: the towns' lengths are kept per county, not counted per article.
    """
    ordered = sorted(lengths if lengths is not None else {len(n) for n in names})
    occ = []
    for e in (ends if ends is not None else suffix_ends(text, suffixes)):
        for ln in ordered:
            if ln > e:
                break
            word = text[e - ln:e]
            if word in names:
                occ.append((e - ln, e, word))
    return occ


def leftmost_longest(occ: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Non-overlapping occurrences, the longest first at each position, left to right."""
    occ.sort(key=lambda o: (o[0], -(o[1] - o[0])))
    out: list[tuple[int, int, str]] = []
    for o in occ:
        if not out or o[0] >= out[-1][1]:
            out.append(o)
    return out


def searchable_memo(gz: Gazetteer, suffixes: tuple[str, ...]) -> dict[str, tuple[frozenset[str], frozenset[int]]]:
    """The counties' searchable town names and their lengths, kept with the gazetteer per
    suffix list: a city named in an article brings every town of its counties."""
    return memo(gz, ("region_searchable_towns", suffixes))


def searchable_entry(gz: Gazetteer, county: str, suffixes: tuple[str, ...]) -> tuple[frozenset[str], frozenset[int]]:
    """Names of the towns of ``county`` that can be searched (a town suffix, ``town_min_length``
    characters or more: regions.yaml), with the lengths of the names (memoised)."""
    table = searchable_memo(gz, suffixes)
    got = table.get(county)
    if got is None:
        if len(table) >= COUNTIES_KEPT:  # bounded: memory must not grow with the archive
            table.clear()
        shortest = region_data()["town_min_length"]
        names = frozenset(n for n in gz.town_names_of(county) if n.endswith(suffixes) and len(n) >= shortest)
        got = table[county] = (names, frozenset(map(len, names)))
    return got


def find_towns(text: str, searchable: dict[str, frozenset[str]], suffixes: tuple[str, ...],
               lengths: AbstractSet[int] | None = None,
               ends: AbstractSet[int] | None = None) -> list[tuple[int, int, str]]:
    """Occurrences of the ``searchable`` town names (per county), as :func:`find_all` gives
    them: every place where a town suffix ends is checked for a name of each length, in one
    set of the names (made in C from the counties' sets, not name by name). ``lengths`` and
    ``ends``: as :func:`ending_at_suffixes` takes them."""
    names = frozenset().union(*searchable.values())
    if not names:
        return []
    return leftmost_longest(ending_at_suffixes(text, names, suffixes, lengths, ends))
