"""Sentences: the units the dataset cites and the extractors use as a figure's scope.

A sentence ends at 。！？; or a line break, with its closing quotes kept with it.
"""

from __future__ import annotations

import re

from policy_ie.text.document import Spans

_ENDS, _CLOSERS = "。！？!?；;", "”’」』）)"
#: A sentence (group 1): spaces skipped, then words up to end marks with their closing
#: quotes, or up to the last non-space before a line break or the end of the text.
#: ``re``, not ``regex``: its ``\\s`` is exactly ``str.isspace``.
_SENTENCE = re.compile(rf"\s*([^{_ENDS}\n]*[{_ENDS}]+[{_CLOSERS}]*"
                       rf"|[^{_ENDS}\n]*[^\s{_ENDS}](?=[^\S\n]*(?:\n|\Z)))")


def sentences(text: str) -> Spans:
    """Sentence spans of ``text`` (leading and trailing spaces trimmed, empty ones dropped).

    A sentence runs to its end marks (and closing quotes), a line break or the end of the
    text; one regex finds each trimmed sentence in C, with no Python code per character.
    """
    return Spans.of_pairs(m.span(1) for m in _SENTENCE.finditer(text))
