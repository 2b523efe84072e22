"""Engine: does jieba cut a word of a given set out of a short text? (:func:`holds_word`)

The clause test of :mod:`.slogan` asks it of quoted names. Segmenting is the slow part, so
only what can matter is segmented: a word of the set is a word of the text only if it occurs
in it, and jieba cuts a text block by block (runs of Chinese characters, letters and digits;
the characters between), each on its own, so only the blocks that hold such a word are
segmented, and the answer is the same as segmenting the whole text.
"""

from __future__ import annotations

import logging
import re
from functools import cache, lru_cache
from typing import Any

from policy_ie.text.lexicon import alternation


def holds_word(text: str, words: frozenset[str]) -> bool:
    """``any(w in words for w in jieba.lcut(text))``, segmenting only the blocks that can
    hold one of ``words``."""
    found = _words_re(words)
    if not found.search(text):
        return False
    return any(w in words for block in _blocks(text) if found.search(block) for w in _words(block))


@cache
def _words_re(words: frozenset[str]) -> re.Pattern[str]:
    return re.compile(alternation(words) or "(?!)")


@cache
def _jieba() -> Any:
    """The jieba module, imported (lazily: only quotes with words are segmented) and quieted once."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def _blocks(text: str) -> list[str]:
    """The blocks jieba cuts ``text`` into before segmenting each (its own split)."""
    return [b for b in _jieba().re_han_default.split(text) if b]


@lru_cache(maxsize=1 << 12)
def _words(text: str) -> tuple[str, ...]:
    """jieba's words of a quoted name or a block of it (cached: slogans recur)."""
    return tuple(_jieba().lcut(text))
