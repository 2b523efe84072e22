"""A candidate programme mention (:class:`Candidate`) and the key that merges mentions of one
programme (:func:`norm_name`): the record every stage of the package passes on."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache


@dataclass(slots=True)
class Candidate:
    """A possible programme mention in the clean text, with its features."""

    name: str
    start: int  # clean span of the whole mention (quotes and kind word included)
    end: int
    content_start: int  # clean span of the name itself
    content_end: int
    quoted: bool = True
    kind: str | None = None
    kind_strength: str | None = None  # "strong", "frame", "suffix"
    paren: str | None = None  # a parenthetical between the name and its kind word
    modifier: str = ""  # words between the name and its kind word (党建扶贫)
    parts: list[str] = field(default_factory=list)  # enumeration parts of the name
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    components: list[str] = field(default_factory=list)
    # the clause test (the last feature) is not applied yet: see scoring.score and
    # scoring.settle
    clause_pending: bool = field(default=False, compare=False, repr=False)


@lru_cache(maxsize=1 << 12)
def norm_name(s: str) -> str:
    """The key under which mentions of one programme are merged (NFKC, no quotes/space)."""
    s = unicodedata.normalize("NFKC", s)
    return "".join(ch for ch in s if not ch.isspace() and ch not in "“”\"'‘’「」『』《》")
