"""Rules: short county names the context shows to be places, though no parent is named.

A suffix-less county form (``平武``, ``赤水``) is a mention only with support in the article
(its city or itself named in full: :mod:`.resolve`). Local reporting often gives none, and
ANNOTATION.md counts such names in lists and after verbs too. The evidence, each kind in
``regions.yaml``:

* a list (names joined by ``list_joiners``: ``赤水、习水``) whose members all have a county
  of one city or province among their candidates;
* a list, or one name, followed by the suffix the members share (``list_suffix``: ``三县``,
  ``等6个县``);
* one name opening a clause and said to be a county (``county_predicate``: ``马边是国家重点
  扶持的贫困县``, ``扎囊是…25个县之一``);
* a name or a list after a verb of visiting (``visit_verbs``: ``走进平武，``) followed by the
  end of the clause or a word of visiting (``visit_after``), or after 到 or 在 (``place_verbs``)
  followed by a word of visiting (``visit_words``: ``在赤水、习水调研``).

Names that are everyday words (``everyday_county_words``: 台前, 延长) need the first kind.

The name must still sit on word boundaries. A name with several candidates takes the one the
list's other members share a parent with, else it stays out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from policy_ie.extractors.gazetteer import Division, Gazetteer, region_data
from policy_ie.extractors.regions.boundaries import Boundaries
from policy_ie.extractors.regions.memo import lookup, memo
from policy_ie.extractors.regions.scan import Hit
from policy_ie.text.lexicon import alternation


@dataclass(frozen=True, slots=True)
class _Evidence:
    """The patterns of ``regions.yaml`` that show short names to be places."""

    joiners: tuple[str, ...]
    suffix: re.Pattern[str]
    visit_before: re.Pattern[str]
    place_before: re.Pattern[str]
    visit_after: re.Pattern[str]
    visit_words: re.Pattern[str]
    predicate: re.Pattern[str]
    clause_marks: str
    everyday: frozenset[str]


def _ending(words: list[str]) -> re.Pattern[str]:
    return re.compile(rf"(?:{alternation(words)})\Z")


@cache
def _evidence() -> _Evidence:
    data = region_data()
    return _Evidence(tuple(data["list_joiners"]), re.compile(data["list_suffix"]), _ending(data["visit_verbs"]),
                     _ending(data["place_verbs"]), re.compile(data["visit_after"]),
                     re.compile(data["visit_words"]), re.compile(data["county_predicate"]),
                     str(data["clause_marks"]), frozenset(data["everyday_county_words"]))


def _shown(text: str, run: list[Hit], parents: set[str], ev: _Evidence) -> bool:
    """Whether the run's context shows its names to be places (see the module docstring)."""
    if parents:  # two or more names, all with a county in one city or province
        return True
    start, end = run[0].start, run[-1].end
    if any(h.surface in ev.everyday for h in run):
        return False
    m = ev.suffix.match(text, end)
    if m is not None and (len(run) >= 2 or m.group().startswith("等")):
        return True
    if len(run) == 1 and (start == 0 or text[start - 1] in ev.clause_marks) \
            and ev.predicate.match(text, end) is not None:
        return True
    before = max(0, start - 4)
    if ev.visit_before.search(text, before, start) is not None:
        return ev.visit_after.match(text, end) is not None
    return ev.place_before.search(text, before, start) is not None and ev.visit_words.match(text, end) is not None


def runs(text: str, hits: list[Hit]) -> list[list[Hit]]:
    """The hits in runs: neighbours joined by a list joiner (or alone)."""
    joiners = _evidence().joiners
    runs: list[list[Hit]] = []
    for h in sorted(hits, key=lambda h: h.start):
        if runs and text[runs[-1][-1].end:h.start] in joiners:
            runs[-1].append(h)
        else:
            runs.append([h])
    return runs


def _counties(gz: Gazetteer, h: Hit, ym: str | None, table: dict) -> list[Division]:  # type: ignore[type-arg]
    """The counties a suffix-less form may name (a full name that resolve refused stays out)."""
    return [d for d, kind in lookup(gz, h, ym, table)[0] if d.level == "county" and kind != "full"]


def _common_parents(gz: Gazetteer, options: list[list[Division]]) -> set[str]:
    """The cities and provinces every member of a list has a county candidate in."""
    sets = [{a for d in opts for a in gz.ancestors(d.code)} for opts in options]
    return set.intersection(*sets) if sets else set()


def listed_places(gz: Gazetteer, text: str, hits: list[Hit], accepted: list[Hit], ym: str | None,
                  bounds: Boundaries) -> list[Hit]:
    """Hits not accepted by :func:`~.resolve.resolve` that a list, a shared suffix or a verb
    of visiting shows to be counties, resolved (``div`` and ``kind`` set)."""
    ev = _evidence()
    table = memo(gz, "region_candidates")
    done = {id(h) for h in accepted}
    out: list[Hit] = []
    for run in runs(text, hits):
        if all(id(h) in done for h in run):
            continue
        options = [_counties(gz, h, ym, table) if id(h) not in done else [h.div] for h in run]
        if not all(options):
            continue
        parents = _common_parents(gz, options) if len(run) >= 2 else set()
        if not _shown(text, run, parents, ev):
            continue
        for h, opts in zip(run, options, strict=True):
            if id(h) in done:
                continue
            fit = [d for d in opts if not parents or parents & set(gz.ancestors(d.code))]
            if len(fit) > 1:  # a county recoded (山南地区扎囊县 -> 山南市扎囊县): the one of the time
                fit = [d for d in fit if gz.valid_at(d, ym)] or fit
            if len(fit) == 1 and bounds.ok(h.start, h.end):
                h.div, h.kind = fit[0], "short"
                out.append(h)
    return out
