"""Clause and sentence boundaries around a figure, found quickly in long texts.

A figure's clause runs to the nearest clause end on either side. The search looks
``NEAR`` characters each way first; past that it bisects a per-text index of the ends
(built once per text and set of ends, per thread), so a long clause costs a walk once,
not once per figure. The metrics extractor reads its windows through these too.
"""

from __future__ import annotations

import bisect
import threading
from functools import cache
from typing import Any

import regex

from policy_ie.text.punctuation import chars

# clause and sentence boundaries: sets of the punctuation file (policy_ie/text/data/punctuation.yaml)
CLAUSE_END = chars("clause_end")
SENTENCE_END = chars("figure_sentence_end")
NEAR = 256  # characters searched around a figure before the index of the text is used

_INDEX = threading.local()


@cache
def ends_re(ends: str, reverse: bool = False) -> Any:
    """A pattern of one character of ``ends`` (searched backwards when ``reverse``)."""
    return regex.compile("[" + regex.escape(ends) + "]", regex.REVERSE if reverse else 0)


def boundary_positions(text: str, ends: str) -> list[int]:
    """Sorted offsets of the characters of ``ends`` in ``text``.

    Built once per text and set of ends (kept while the same text object is asked about,
    per thread), for clauses longer than ``NEAR``: a walk to the clause's end per figure
    costs the square of a long clause.
    """
    cached = getattr(_INDEX, "v", None)
    if cached is None or cached[0] is not text:
        cached = (text, {})
        _INDEX.v = cached
    pos = cached[1].get(ends)
    if pos is None:
        pos = [m.start() for m in ends_re(ends).finditer(text)]
        cached[1][ends] = pos
    return pos


def boundary_left(text: str, i: int, ends: str) -> int:
    """Offset after the last character of ``ends`` before ``i`` (0 when there is none)."""
    lo = max(0, i - NEAR)
    m = ends_re(ends, True).search(text, lo, i)
    if m is not None:
        return m.start() + 1
    if lo == 0:
        return 0
    pos = boundary_positions(text, ends)
    k = bisect.bisect_left(pos, i) - 1
    return pos[k] + 1 if k >= 0 else 0


def boundary_right(text: str, i: int, ends: str) -> int:
    """Offset of the first character of ``ends`` at or after ``i`` (``len(text)`` if none)."""
    hi = i + NEAR
    m = ends_re(ends).search(text, i, hi)
    if m is not None:
        return m.start()
    if hi >= len(text):
        return len(text)
    pos = boundary_positions(text, ends)
    k = bisect.bisect_left(pos, i)
    return pos[k] if k < len(pos) else len(text)
