"""Which values of a comparison cell are in the running, which one it shows, and why a person
should look at it: derived from a cell's state (:class:`~policy_ie.pipeline.aggregate.Cell`)
and its row's level when the table is made, never stored, so that a cell merged from parts
gives the same answers as one fed whole.

A value is out of its cell when a reviewer rejected every mention of it (``rejected``) or when
it is outside the plausible bounds of its row's level (``implausible: …``,
:mod:`pipeline.plausible`) and no mention of it was accepted. The cell shows the cell rule's
best among the others (the rule's ranks are made in :mod:`pipeline.aggregate`); when there is
none the cell is empty, and its values are still in the drill-down, marked.
"""

from __future__ import annotations

from typing import Any

from policy_ie.pipeline.plausible import implausible, low_confidence

# pipeline.aggregate's classes, which import this module (named here, not imported: no cycle)
Candidate = Cell = Column = ValueStat = Any

__all__ = ["ACCEPTED", "REJECTED", "REVIEW_CODES", "choice", "implausible", "review_codes", "value_check"]

#: The codes of a cell's review column (``<column>_review``), in the order they are listed:
#: ``implausible`` a value was left out as implausible for the row's level; ``conflict`` more
#: than one distinct value in the running; ``single`` the chosen value has one mention only (no
#: second article or sentence confirms it: most cells of a small corpus); ``model`` the chosen
#: mention was classified by the statistical model, not the rules; ``low_confidence`` its
#: extractor confidence is below data/plausible.yaml's ``low_confidence``; ``accepted`` a
#: reviewer accepted the chosen value (pipeline.verdicts).
REVIEW_CODES = ("implausible", "conflict", "single", "model", "low_confidence", "accepted")
ACCEPTED, REJECTED = "accepted", "rejected"


def value_check(s: ValueStat, col: Column, level: str | None) -> str | None:
    """Why a value is out of its cell, or None when the cell rule may choose it: ``rejected``
    (a reviewer rejected every mention of it) or ``implausible: …`` (outside the bounds of
    data/plausible.yaml for the row's level, and no mention of it accepted)."""
    if s.rejected >= s.mentions:
        return REJECTED
    if s.accepted:
        return None
    return implausible(col.key, col.metric, level, s.best.value)


Checks = dict[float, str | None]


def checks_of(cell: Cell, col: Column, level: str | None) -> Checks:
    """:func:`value_check` of each distinct value of ``cell``, by value: worked out once and
    given to :func:`choice` and :func:`review_codes`."""
    return {v: value_check(s, col, level) for v, s in cell.values.items()}


def choice(cell: Cell, col: Column, level: str | None,
           checks: Checks | None = None) -> tuple[Candidate | None, int]:
    """The mention a cell shows (the cell rule's best among the values in the running, see
    :func:`value_check`; None when none is) and how many distinct values are in the running."""
    checks = checks_of(cell, col, level) if checks is None else checks
    best, n = None, 0
    for v, s in cell.values.items():
        if checks[v] is None:
            n += 1
            if best is None or s.best.rank > best.rank:
                best = s.best
    return best, n


def review_codes(cell: Cell, col: Column, level: str | None, checks: Checks | None = None,
                 chosen: tuple[Candidate | None, int] | None = None) -> str | None:
    """Why a person should look at a cell: :data:`REVIEW_CODES` that apply, joined by ``;``
    (``checks`` and ``chosen``: :func:`checks_of` and :func:`choice` of the cell, when known)."""
    checks = checks_of(cell, col, level) if checks is None else checks
    best, n = choice(cell, col, level, checks) if chosen is None else chosen
    codes = []
    if any((c or "").startswith("implausible") for c in checks.values()):
        codes.append("implausible")
    if n > 1:
        codes.append("conflict")
    if best is not None:
        stat = cell.values[best.value]
        codes += [code for code, on in (("single", stat.mentions - stat.rejected == 1),
                                        ("model", best.extractor != "rules"),
                                        ("low_confidence", best.confidence < low_confidence()),
                                        (ACCEPTED, stat.accepted > 0)) if on]
    return ";".join(codes) or None
