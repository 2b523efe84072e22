"""Rules: the divisions a form may name at a date, and the code it names beyond doubt.

A form (``昌都``) may be spelled by several divisions, and a division by several records over
time (``昌都`` is 542100 in 2013 and 540300 from 2015). The candidates of a form are its
distinct divisions, each with its record valid at the article's month and its most reliable
form kind. A form *anchors* a code when it names that one division beyond doubt: the
anchors of an article support the reading of its ambiguous forms (:mod:`.resolve`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from policy_ie.extractors.gazetteer import Division, Form, Gazetteer, region_data


@cache
def word_sets() -> tuple[frozenset[str], frozenset[str]]:
    """The generic full names and the short names that need context (regions.yaml)."""
    data = region_data()
    return frozenset(data["generic_full_names"]), frozenset(data["context_short_names"])


def form_rank(kind: str) -> int:
    """How reliable a form kind is, 0 the most (``form_kinds`` in regions.yaml)."""
    ranks = _form_ranks()
    return ranks.get(kind, len(ranks))


@cache
def _form_ranks() -> dict[str, int]:
    return {kind: i for i, kind in enumerate(region_data()["form_kinds"])}


def candidates_of_forms(gz: Gazetteer, forms: list[Form], ym: str | None) -> list[tuple[Division, str]]:
    """Distinct divisions of ``forms``, each with its record at ``ym`` and its best form kind."""
    by_code: dict[str, tuple[Division, str]] = {}
    for f in forms:
        code = f.division.code
        if code not in by_code or form_rank(f.kind) < form_rank(by_code[code][1]):
            by_code[code] = (f.division, f.kind)
    out = []
    for code, (div, kind) in by_code.items():
        recs = [d for d in gz.records.get(code, [div]) if d.name == div.name] or [div]
        out.append((gz.at_date(recs, ym)[0], kind))
    return out


def anchor_of(gz: Gazetteer, surface: str, forms: list[Form], cands: Sequence[tuple[Division, str]],
              ym: str | None) -> str | None:
    """The code a form anchors at ``ym``: its one candidate (valid then), unless it is a
    generic or contextual word, a short county form, or a short name below the city level."""
    generic, contextual = word_sets()
    if surface in generic or surface in contextual or (len(surface) <= 2 and forms[0].division.level == "county"):
        return None
    valid = [(d, k) for d, k in cands if gz.valid_at(d, ym)] or list(cands)
    strong = [(d, k) for d, k in valid if k != "short" or d.level in ("province", "city")]
    return strong[0][0].code if len(strong) == 1 and len(valid) == 1 else None
