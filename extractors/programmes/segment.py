"""Engine: does jieba cut a word of a given set out of a short text? (:func:`holds_word`)

The clause test of :mod:`.slogan` asks it of quoted names. Segmenting is the slow part, so
only what can matter is segmented: a word of the set is a word of the text only if it occurs
in it, and jieba cuts a text block by block (runs of Chinese characters, letters and digits;
the characters between), each on its own, so only the blocks that hold such a word are
segmented, and the answer is the same as segmenting the whole text.

The answer is Python jieba's (``jieba.lcut``, its own dictionary, HMM on), but Python jieba's
dictionary is not loaded for it (0.6 s, more than extracting a hundred articles): its cut is
rebuilt from rjieba's (:func:`jieba_words`). rjieba without HMM takes the same path through
the same dictionary as jieba; jieba then joins each run of single characters that is no
dictionary word with its HMM, which rjieba does differently (常在久: jieba 常/在/久, rjieba
常在/久), so those runs are cut by jieba's own HMM (:mod:`.hmm`, its tables read from
jieba's files when first needed), and only when a run holds a character of the set: an HMM word is a piece of its run,
so it can be a word of the set only then. A block whose rjieba words hold a run of letters
and digits that is a dictionary word (where jieba's path cannot be told) is cut by jieba
itself. Tests check the words against ``jieba.lcut``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from functools import cache, lru_cache
from typing import Any

from policy_ie.extractors.programmes import hmm
from policy_ie.extractors.words import rjieba_for
from policy_ie.text.lexicon import alternation

#: jieba's blocks (its ``re_han_default``): runs of Han characters, letters, digits and ``+#&._%-``
_BLOCK = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)")
#: a run of letters and digits, which rjieba without HMM gives as one word (as jieba does)
_LATIN = re.compile("[a-zA-Z0-9]{2,}")


def holds_word(text: str, words: frozenset[str]) -> bool:
    """``any(w in words for w in jieba.lcut(text))``, segmenting only the blocks that can
    hold one of ``words``."""
    found = _words_re(words)
    if not found.search(text):
        return False
    chars = _chars(words)
    return any(w in words for block in _blocks(text) if found.search(block) for w in _words(block, chars))


@cache
def _words_re(words: frozenset[str]) -> re.Pattern[str]:
    return re.compile(alternation(words) or "(?!)")


@cache
def _chars(words: frozenset[str]) -> frozenset[str]:
    return frozenset("".join(words))


def _blocks(text: str) -> list[str]:
    """The blocks jieba cuts ``text`` into before segmenting each (its own split)."""
    return [b for b in _BLOCK.split(text) if b]


@lru_cache(maxsize=1 << 12)
def _words(block: str, chars: frozenset[str]) -> tuple[str, ...]:
    """jieba's words of a block of a quoted name, but for runs of single characters none
    of ``chars`` is in, which are left as single characters (cached: slogans recur)."""
    got = jieba_words(block, chars)
    return tuple(got) if got is not None else tuple(_jieba().lcut(block))


def jieba_words(block: str, chars: frozenset[str] | None = None) -> list[str] | None:
    """``jieba.lcut(block)`` for one of jieba's blocks (:data:`_BLOCK`), from rjieba's path.

    With ``chars``, a run of single characters that holds none of them is not given to the
    HMM and stays single characters (see the module docstring). None when the path cannot be
    told from rjieba's words (a run of letters and digits that is a dictionary word).
    """
    jb = rjieba_for(block, domain=False)  # jieba's dictionary alone
    path: list[str] = []
    for w in jb.cut(block, False):
        if len(w) > 1 and _LATIN.fullmatch(w):  # jieba joins single letters and digits without HMM
            if jb.has_word(w):
                return None
            path.extend(w)
        else:
            path.append(w)
    out: list[str] = []
    for run, word in _runs(path):
        if len(run) == 1 or jb.has_word(run) or (chars is not None and chars.isdisjoint(run)):
            out.extend(run)
        elif run:
            out.extend(hmm.cut(run))
        if word:
            out.append(word)
    return out


def _runs(path: list[str]) -> Iterator[tuple[str, str]]:
    """The path's runs of single characters, each with the word of two or more that ends it."""
    run = ""
    for w in path:
        if len(w) == 1:
            run += w
        else:
            yield run, w
            run = ""
    if run:
        yield run, ""


@cache
def _jieba() -> Any:
    """The jieba module, imported and quieted once (its dictionary loads at the first cut)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba
