"""Sentences: the units the dataset cites and the extractors use as a figure's scope.

A sentence ends at 。！？; or a line break, with its closing quotes kept with it.
"""

from __future__ import annotations

import re

from policy_ie.text.document import Spans
from policy_ie.text.punctuation import chars

_ENDS, _CLOSERS = re.escape(chars("sentence_end")), re.escape(chars("sentence_closers"))
#: A sentence (group 1): spaces and line breaks skipped, then words up to end marks with
#: their closing quotes, or else (no end mark before the line break) words up to the last
#: non-space of the line. ``re``, not ``regex``: its ``\\s`` is exactly ``str.isspace``.
#: Linear time: every quantifier is possessive (``*+``, ``++``: nothing is given back to
#: try again), and no two quantifiers in a row can take the same characters, so a long run of
#: spaces is read once (the plain-quantifier pattern took 50 s on 2,000 trailing spaces).
_SENTENCE = re.compile(rf"\s*+([^{_ENDS}\n]*+[{_ENDS}]++[{_CLOSERS}]*+"
                       rf"|[^\s{_ENDS}](?:[^\S\n]*+[^\s{_ENDS}])*+)")


def sentences(text: str) -> Spans:
    """Sentence spans of ``text`` (leading and trailing spaces trimmed, empty ones dropped).

    A sentence runs to its end marks (and closing quotes), a line break or the end of the
    text; one regex finds each trimmed sentence in C, with no Python code per character.
    The search stops at the last non-space: trailing spaces, where no sentence starts, are
    not searched from each of their positions in turn.
    """
    end = len(text.rstrip())
    return Spans.of_pairs(m.span(1) for m in _SENTENCE.finditer(text, 0, end))
