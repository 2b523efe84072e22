"""Merging partial aggregators: the comparison of a whole archive from those of its parts.

A distributed build (:mod:`pipeline.partitioned`) gives each partition of the input (a run of
consecutive articles) its own :class:`~pipeline.aggregate.Aggregator` and merges them: the
merged one must give exactly the :meth:`~pipeline.aggregate.Aggregator.result` of one
aggregator fed the whole stream. What each part keeps for that, beside its counts:

- every candidate carries its stream position ``seq`` (the aggregator's ``origin``, the
  partition's number, then a counter), so the cell rule's last tie-break (first seen) is
  decided by position whichever part is merged into which;
- counts of articles (a row's, a value's, a programme's, the near-duplicates) count changes of
  article id as the rows stream past; each part also keeps its first article, so that an
  article cut between two parts (the last of one, the first of the next) is counted once;
- a row's name fields come from its first article that names the region (else its last);
- articles left out (near-duplicates, articles off the topic) are counted the same way: each
  part keeps the first and last it left out;
- a value's mentions a reviewer rejected or accepted add up, a mention rejected is a value's
  best only when none is not (as :func:`~pipeline.aggregate._offer` keeps it), and the verdicts
  each part found are joined, so that the stale ones (found in no part) are those of the whole;
- metrics of no row by their scope add up by scope.

Merging is for *adjacent* parts: two runs that follow each other in the stream, in either
order (a tree of merges of neighbours, as dask's reductions do). This module works on the
aggregator's objects without importing :mod:`pipeline.aggregate` (which imports it).
"""

from __future__ import annotations

from typing import Any

from policy_ie.pipeline.verdicts import REJECT


def _first(a: Any, b: Any) -> Any:
    """The candidate the cell rule keeps of two: one not rejected by a reviewer, else the higher
    rank, else the first seen."""
    ka, kb = (a.verdict != REJECT, a.rank), (b.verdict != REJECT, b.rank)
    if ka != kb:
        return a if ka > kb else b
    return a if a.seq <= b.seq else b


def _value_stat(early: Any, late: Any) -> Any:
    """One distinct value's statistics over two adjacent runs (kept in ``early``)."""
    early.best = _first(early.best, late.best)
    early.mentions += late.mentions
    early.rejected += late.rejected
    early.accepted += late.accepted
    early.articles += late.articles - (early.last_article == late.first_article)
    early.last_article = late.last_article
    return early


def _cell(early: Any, late: Any) -> Any:
    """A cell over two adjacent runs (kept in ``early``; its values in first-seen order)."""
    if early.best is None or late.best is None:
        early.best = early.best or late.best
    else:
        early.best = _first(early.best, late.best)
    for value, stat in late.values.items():
        mine = early.values.get(value)
        early.values[value] = stat if mine is None else _value_stat(mine, stat)
    return early


def _cells(early: dict[Any, Any], late: dict[Any, Any]) -> dict[Any, Any]:
    for key, cell in late.items():
        mine = early.get(key)
        early[key] = cell if mine is None else _cell(mine, cell)
    return early


def _programme(early: Any, late: Any) -> Any:
    """A programme's statistics in a row over two adjacent runs (kept in ``early``)."""
    joined = early.last_article is not None and early.last_article == late.first_article
    early_single, late_single = early.articles == 1, late.articles == 1
    early.articles += late.articles - joined
    early.headline += late.headline - (joined and early.last_headline and late.first_headline)
    if joined and early_single:  # early is that one article only
        early.first_headline = early.first_headline or late.first_headline
    last_headline = late.last_headline or (joined and late_single and early.last_headline)
    early.last_article, early.last_headline = late.last_article, last_headline
    if early.first_article is None:
        early.first_article = late.first_article
    if not early.source_headline and (late.source_headline or early.source is None):
        early.source, early.source_headline = late.source, late.source_headline
    return early


def _row(early: Any, late: Any, listed: int) -> Any:
    """A region's row over two adjacent runs (kept in ``early``)."""
    if early.name is None and (late.name is not None or late.described):
        early.name, early.province, early.level = late.name, late.province, late.level
    early.described |= late.described
    joined = early.last_article is not None and early.last_article == late.first_article
    early.n_articles += late.n_articles - joined
    room = listed - len(early.article_ids)
    if room > 0:
        early.article_ids.extend(late.article_ids[1 if joined else 0:][:room])
    if late.last_article is not None:
        early.last_article = late.last_article
    if early.first_article is None:
        early.first_article = late.first_article
    for attr, pick in (("first_published", min), ("last_published", max)):
        mine, theirs = getattr(early, attr), getattr(late, attr)
        setattr(early, attr, theirs if mine is None else mine if theirs is None else pick(mine, theirs))
    _cells(early.cells, late.cells)
    _cells(early.years, late.years)
    for name, stat in late.programmes.items():
        mine = early.programmes.get(name)
        early.programmes[name] = stat if mine is None else _programme(mine, stat)
    return early


#: what an aggregator gathers from the facts (the rest is how it was made and where it stands)
_STATE = ("rows", "columns", "unassigned", "out_of_scope", "duplicates", "_last_duplicate", "_first_duplicate",
          "off_topic", "_last_off_topic", "_first_off_topic", "verdicts", "seen_names")


def _left_out(early: Any, late: Any, name: str, count: str) -> None:
    """Articles left out (``count``, the ids ``_first_<name>``, ``_last_<name>``) over two
    adjacent runs: an article cut between them is counted once."""
    last, first = getattr(early, f"_last_{name}"), getattr(late, f"_first_{name}")
    setattr(early, count, getattr(early, count) + getattr(late, count) - (last is not None and last == first))
    if getattr(late, f"_last_{name}") is not None:
        setattr(early, f"_last_{name}", getattr(late, f"_last_{name}"))
    if first is not None and getattr(early, f"_first_{name}") is None:
        setattr(early, f"_first_{name}", first)


def merge_aggregators(agg: Any, other: Any, listed: int = 20) -> None:
    """Merge ``other`` into ``agg`` (see the module doc); ``listed``: article ids a row lists."""
    if other.first_seq is None:
        return
    if agg.first_seq is not None and other.first_seq > agg.first_seq:
        early, late = agg, other
    else:
        early, late = other, agg
        if agg.first_seq is None:  # nothing of its own: take other's state as it is
            early, late = other, None
    if late is not None:
        for code, row in late.rows.items():
            mine = early.rows.get(code)
            early.rows[code] = row if mine is None else _row(mine, row, listed)
        early.columns |= late.columns
        early.unassigned += late.unassigned
        _left_out(early, late, "duplicate", "duplicates")
        _left_out(early, late, "off_topic", "off_topic")
        for scope, n in late.out_of_scope.items():
            early.out_of_scope[scope] = early.out_of_scope.get(scope, 0) + n
        if early.verdicts is not None and late.verdicts is not None and early.verdicts is not late.verdicts:
            early.verdicts.found |= late.verdicts.found
        for code, names in late.seen_names.items():
            early.seen_names.setdefault(code, names)
    if early is not agg:
        for attr in _STATE:
            setattr(agg, attr, getattr(early, attr))
    firsts = [s for s in (agg.first_seq, other.first_seq) if s is not None]
    agg.first_seq = min(firsts)
    if other.first_seq > (agg.origin, agg._count):  # keep feeding after the later part
        agg.origin, agg._count = other.origin, other._count
