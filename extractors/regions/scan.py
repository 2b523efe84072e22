"""Engine: every gazetteer form in a text, leftmost-longest, in one pass.

A dictionary keyed by the first two characters of every surface form of the gazetteer (full
names, short names, suffix-less and autonomy forms, manual aliases) and of the stop phrases
(``regions.yaml``); at each position the longest form wins, and a stop phrase consumes its
text. Much faster than a regex alternation of 7,000 names: the positions where a key may
begin (one in a hundred) are found first for the whole text by a hash table of the keys
(numpy), so the pass skips the others.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from policy_ie.extractors.gazetteer import Division, Form, load, region_data
from policy_ie.text.numpy_gate import use_numpy

if TYPE_CHECKING:
    import numpy as np


@dataclass(slots=True)
class Hit:
    """A surface form found in the text, before and after resolution."""

    start: int
    end: int
    surface: str
    forms: list[Form]
    div: Division | None = None
    kind: str = ""


@dataclass(frozen=True, slots=True)
class Scanner:
    """Bigram-keyed index of every surface form (and stop phrase) of the gazetteer.

    A table of the hash of every key bigram (:func:`_table`) lets the positions where a form
    may begin be found for a whole text at once (numpy), not by a dictionary probe at every
    character: about one position in a hundred is a candidate.
    """

    by_bigram: dict[str, tuple[int, ...]]
    forms: dict[str, list[Form]]
    stops: frozenset[str]
    #: every form and stop phrase -> the forms spelled so (:data:`_STOP` for a stop phrase
    #: only): one probe per length tried, not three
    entries: dict[str, list[Form] | tuple[()]]


#: the entry of a word that is a stop phrase and no form
_STOP: tuple[()] = ()


_HASH_MASK = (1 << 20) - 1
_HASH_MUL = 40503
#: Texts shorter than this (titles) are probed at every position: numpy costs more there.
SHORT_TEXT = 64


def _bigram_hash(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Hashes of bigrams given as code points (uint32 arrays; the product wraps)."""
    import numpy as np

    return ((first * np.uint32(_HASH_MUL)) ^ second) & np.uint32(_HASH_MASK)


@cache
def scanner() -> Scanner:
    """Build the scanning index once (forms of 2+ characters, longest first per bigram)."""
    gz = load()
    data = region_data()
    stops = frozenset(data["stop_phrases"])
    lengths: dict[str, set[int]] = {}
    for word in [*gz.forms, *stops]:
        if len(word) >= 2:
            lengths.setdefault(word[:2], set()).add(len(word))
    by_bigram = {k: tuple(sorted(v, reverse=True)) for k, v in lengths.items()}
    entries: dict[str, list[Form] | tuple[()]] = dict.fromkeys(stops, _STOP)
    entries.update(gz.forms)
    return Scanner(by_bigram, gz.forms, stops, entries)


@cache
def _table() -> np.ndarray:
    """The hash of every key bigram marked (built at the first text that takes numpy's way)."""
    import numpy as np

    keys = np.array([[ord(k[0]), ord(k[1])] for k in scanner().by_bigram], dtype=np.uint32).reshape(-1, 2)
    table = np.zeros(_HASH_MASK + 1, dtype=bool)
    table[_bigram_hash(keys[:, 0], keys[:, 1])] = True
    return table


def _candidates_of(sc: Scanner, text: str) -> Iterable[int]:
    """Positions of ``text`` where a key bigram may begin (a superset; all of a short text,
    and of a text in a process that has not imported numpy yet: see
    :mod:`policy_ie.text.numpy_gate`)."""
    if len(text) < SHORT_TEXT or not use_numpy(len(text)):
        return range(len(text) - 1)
    import numpy as np

    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    h = codes[:-1] * np.uint32(_HASH_MUL)  # _bigram_hash, in place after the first product
    h ^= codes[1:]
    h &= np.uint32(_HASH_MASK)
    return np.flatnonzero(_table()[h]).tolist()


def scan(text: str) -> list[Hit]:
    """Leftmost-longest occurrences of gazetteer forms (stop phrases consume their text)."""
    sc = scanner()
    hits: list[Hit] = []
    get, entry = sc.by_bigram.get, sc.entries.get
    nxt = 0  # the first position not consumed by a form or stop phrase
    for i in _candidates_of(sc, text):
        if i < nxt:
            continue
        lens = get(text[i:i + 2])
        if not lens:
            continue
        for ln in lens:
            w = text[i:i + ln]
            if len(w) == ln and (got := entry(w)) is not None:
                if got is not _STOP:
                    hits.append(Hit(i, i + ln, w, got))  # type: ignore[arg-type]
                nxt = i + ln
                break
    return hits
