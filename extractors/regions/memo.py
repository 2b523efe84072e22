"""Engine: look-up tables kept with the gazetteer, for the answers asked at every hit.

A batch asks for the same names in the same months again and again: the candidates of a
form and the code it anchors (:mod:`.candidates`) are memoised by (surface, month), the
near ancestors of a code by code. The tables live in ``Gazetteer.memo`` (so a new gazetteer
starts empty) and are bounded, so that memory does not grow with the archive.
"""

from __future__ import annotations

from policy_ie.extractors.gazetteer import Division, Gazetteer
from policy_ie.extractors.regions.candidates import anchor_of, candidates_of_forms
from policy_ie.extractors.regions.scan import Hit

#: (surface, month) pairs whose candidates are kept at a time
CANDIDATES_MAX = 20_000

#: what :func:`lookup` gives: a hit's candidates (division, form kind) and the code it anchors
Looked = tuple[tuple[tuple[Division, str], ...], str | None]


def memo(gz: Gazetteer, key: object) -> dict:  # type: ignore[type-arg]
    """The memo ``key`` kept with the gazetteer (made empty on first use; ``setdefault``
    would make a dictionary at every look-up, and these are asked for at every hit)."""
    got = gz.memo.get(key)  # type: ignore[call-overload]
    if got is None:
        got = gz.memo[key] = {}  # type: ignore[index]
    return got


def lookup(gz: Gazetteer, h: Hit, ym: str | None,
           table: dict | None = None) -> Looked:  # type: ignore[type-arg]
    """The hit's candidates (:func:`~.candidates.candidates_of_forms`: distinct divisions with
    their best record at ``ym`` and form kind) and the code it anchors (:func:`~.candidates.anchor_of`).

    Memoised with the gazetteer by (surface, month), the hit's forms being the gazetteer's
    forms of its surface; ``table``: the memo, when the caller holds it already.
    """
    if table is None:
        table = memo(gz, "region_candidates")
    key = (h.surface, ym)
    got = table.get(key)
    if got is None:
        if len(table) >= CANDIDATES_MAX:
            table.clear()
        cands = tuple(candidates_of_forms(gz, h.forms, ym))
        got = table[key] = (cands, anchor_of(gz, h.surface, h.forms, cands, ym))
    return got


def near_ancestors(gz: Gazetteer, code: str) -> list[str]:
    """The ancestors of ``code`` below the province level (kept with the gazetteer)."""
    table = memo(gz, "region_near_ancestors")
    got = table.get(code)
    if got is None:
        got = table[code] = [a for a in gz.ancestors(code)
                             if (d := gz.get(a)) is not None and d.level != "province"]
    return got
