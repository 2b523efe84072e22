"""Engine: word boundaries of a text, from the document's tokens or rjieba on a window.

A short form must sit on word boundaries (``新乡村`` is not 新乡). The boundaries come from
``doc.tokens`` when segmentation ran (which cut only the stretch asked about, see
:class:`policy_ie.extractors.words.LazyTokens`), else (a title) from the default segmenter,
rjieba with the domain dictionary, on a small window around the form. Python jieba is not
loaded for it: its dictionary took 0.5 s of a one-article run.
"""

from __future__ import annotations

from collections.abc import Sequence

from policy_ie.extractors.words import BACKENDS
from policy_ie.text.document import Token, Tokens

#: characters of context cut on each side of the span asked about
_WINDOW = 8
#: the segmenter of windows: the default backend's
_WINDOW_SEGMENTER = BACKENDS["rjieba"]


class Boundaries:
    """Word boundaries of a text: from given tokens, else rjieba on windows when asked."""

    def __init__(self, text: str, tokens: Sequence[Token] | None = None) -> None:
        self.text = text
        self.tokens: Tokens | None = None
        if tokens:
            self.tokens = tokens if isinstance(tokens, Tokens) else Tokens.of(tokens)

    def _words(self, start: int, end: int) -> Tokens:
        if self.tokens is not None:
            return self.tokens
        a = max(0, start - _WINDOW)
        cut = _WINDOW_SEGMENTER(self.text[a:end + _WINDOW])
        return Tokens(cut.words, [a + s for s in cut.starts], [a + e for e in cut.ends])

    def word(self, start: int) -> int | None:
        """The end of the word that begins at ``start``, or None."""
        return self._words(start, start + 1).word_at(start)

    def starts(self, start: int) -> bool:
        """Whether a word begins at ``start``."""
        return self._words(start, start + 1).word_at(start) is not None

    def ok(self, start: int, end: int, compound: bool = False) -> bool:
        """Whether a name at ``start:end`` is a word of its own (or starts a compound).

        ``start`` must begin a word and ``end`` end one: 新乡村 (新/乡村) and 李长春 fail.
        With ``compound`` (provinces, cities, names of 3+ characters), a word that begins at
        ``start`` and runs on by two characters or more also passes: 北京人民大会堂 is one
        jieba word, so is 广州火车站; 新民主主义 does not pass for the county 新民.
        """
        words = self._words(start, end)
        word_end = words.word_at(start)
        if word_end is None:
            return False
        # the word at ``start`` ending at ``end`` is a word ending there: most names are
        # one word, and then the ends need not be asked for (nor when the compound passes)
        return word_end == end or (compound and word_end >= end + 2) or words.ends_at(end)
