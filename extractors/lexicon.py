"""Helpers for the language data files beside the extractors."""

from __future__ import annotations

import re
from collections.abc import Iterable


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first (so that the longest of words
    starting at one place wins); ``""`` for no words."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
