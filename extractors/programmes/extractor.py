"""The registered extractors ``programmes`` and ``documents``.

:func:`find_programmes` keeps the candidates scoring ``keep_score`` or more (unquoted ones not inside
quotes, enumerations absorbed as another's components); :func:`extract` merges mentions of
one programme under one name (党员联户帮扶工程 and 党员联户帮扶), gives each its kind and
components, marks the headline, and maps clean offsets to raw ones. Names in 《》 are
documents (:func:`documents`), never programmes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Container

from policy_ie.extractors.programmes.candidate import Candidate, norm_name
from policy_ie.extractors.programmes.candidates import overlapping, scored_quotes, title_subjects, unquoted_candidates
from policy_ie.extractors.programmes.components import assign_components
from policy_ie.extractors.programmes.data import ProgrammeData, load_data
from policy_ie.extractors.programmes.headline import TitleNames, choose_headline
from policy_ie.extractors.programmes.title_quote import title_part_quotes, title_subject_quotes
from policy_ie.extractors.programmes.title_unquoted import opening_led, title_slogan_parts
from policy_ie.extractors.registry import register
from policy_ie.text.document import Document, Mention, ProgrammeMention


def find_programmes(text: str, title: str | None = None, lazy: bool = True,
                    place_ends: Container[int] = ()) -> list[Candidate]:
    """Accepted candidates of a clean text, with components, in text order.

    ``lazy`` (the default) leaves the clause test undone where it cannot change the result
    (:func:`.scoring.score`): the same candidates as an eager scoring, faster.
    ``place_ends``: clean end offsets of the places the text names (the regions found), for
    a title of the form ``place：“name”claim`` (:mod:`.title_quote`)."""
    data = load_data()
    quoted = scored_quotes(text, data, lazy)
    unquoted = (unquoted_candidates(text, data) + title_subjects(text, title, data)
                + title_slogan_parts(text, title, data) + opening_led(text, title, data))
    if unquoted:
        overlaps = overlapping([(c.start, c.end) for c in quoted])
        unquoted = [u for u in unquoted if not overlaps(u.start, u.end)]
    allc = sorted(quoted + unquoted, key=lambda c: c.start)
    absorbed = assign_components(allc, text, data, TitleNames(title, data))
    kept = [c for c in allc if c.score >= data.keep_score and id(c) not in absorbed
            and norm_name(c.name) not in data.not_programme]  # (plan periods are times)
    subject = title_subject_quotes(quoted, kept, text, title, data, place_ends)  # 内蒙古：“脱贫菜单”…
    subject += title_part_quotes(quoted, kept + subject, text, title, data)  # 四川：双轮驱动 …
    return sorted(kept + subject, key=lambda c: c.start) if subject else kept


def _place_ends(doc: Document) -> frozenset[int]:
    """Clean end offsets of the regions found in ``doc`` (those with a code)."""
    out = set()
    for m in doc.regions:
        if m.code:
            e = doc.view.clean_index(m.end - 1)
            if e is not None:
                out.add(e + 1)
    return frozenset(out)


def _canonical_names(kept: list[Candidate], data: ProgrammeData) -> dict[str, str]:
    """Merge 党员联户帮扶工程 into 党员联户帮扶 when both are mentioned."""
    keys = {norm_name(c.name) for c in kept}
    canon = {}
    for k in keys:
        canon[k] = k
        for suffix in data.suffix_kinds:
            if k.endswith(suffix) and k[: -len(suffix)] in keys:
                canon[k] = k[: -len(suffix)]
                break
    return canon


def _to_mentions(doc: Document, kept: list[Candidate], headline: str | None,
                 canon: dict[str, str]) -> list[ProgrammeMention]:
    kinds: dict[str, Counter[str]] = {}
    comps: dict[str, list[str]] = {}
    for c in kept:
        k = canon[norm_name(c.name)]
        if c.kind and c.kind_strength in ("strong", "suffix"):
            kinds.setdefault(k, Counter())[c.kind] += 1
        if c.components and len(c.components) > len(comps.get(k, [])):
            comps[k] = list(c.components)
    out: list[ProgrammeMention] = []
    head_done = False
    for c in kept:
        k = canon[norm_name(c.name)]
        try:
            s, e = doc.view.to_raw(c.start, c.end)
        except (ValueError, IndexError):
            continue
        kind = c.kind if c.kind_strength in ("strong", "suffix") else None
        if kind is None and k in kinds:
            kind = kinds[k].most_common(1)[0][0]
        is_head = headline is not None and k == headline and not head_done
        head_done = head_done or is_head
        name = k if k != norm_name(c.name) else c.name
        out.append(ProgrammeMention(text=doc.text[s:e], start=s, end=e, name=name, kind=kind,
                                    headline=is_head, components=list(comps.get(k, []))))
    return out


@register("programmes", assigns="programmes", requires=("metadata", "regions"))
def extract(doc: Document) -> list[ProgrammeMention]:
    """All programme mentions of ``doc`` with kind, headline and components."""
    data = load_data()
    text = doc.view.text
    places = _place_ends(doc)
    kept = find_programmes(text, doc.meta.title, place_ends=places)
    canon = _canonical_names(kept, data)
    head = choose_headline(kept, text, doc.meta.title, data, places)
    if head is not None:
        head = canon.get(head, head)
    return _to_mentions(doc, kept, head, canon)


@register("documents", assigns="documents")
def documents(doc: Document) -> list[Mention]:
    """Titles of documents in 《》 (policies, plans, opinions): not programmes.

    They go to the record's own ``documents`` list, never to ``programmes``.
    """
    text = doc.view.text
    out: list[Mention] = []
    for m in re.finditer(r"《[^《》\n]{2,80}》", text):
        try:
            s, e = doc.view.to_raw(m.start(), m.end())
        except (ValueError, IndexError):
            continue
        out.append(Mention(text=doc.text[s:e], start=s, end=e))
    return out


