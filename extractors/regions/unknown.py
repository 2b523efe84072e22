"""Rules: towns and villages that no list has, reported with ``level``/``code`` null.

Two ways a place the lists lack is found (the words in ``regions.yaml``):

* right after a known county or town, a place word of 2 to ``unknown_max_stem`` characters
  and a town or village suffix (``红石镇四清村``: :func:`unknown_after`);
* anywhere else, when the POS tagger calls the word before a suffix a place name (``ns``:
  ``来到黄土坡村``: :func:`tagged_places`); only there is the tagger run.

A stem that makes a generic phrase (``贫困村``: ``unknown_stop_stems``) or begins with a
function word (``的``: ``unknown_stop_first``) is no place.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from functools import cache

from policy_ie.extractors.gazetteer import region_data
from policy_ie.extractors.regions.boundaries import Boundaries
from policy_ie.extractors.regions.scan import Hit
from policy_ie.extractors.regions.spans import Taken
from policy_ie.extractors.words import BACKENDS
from policy_ie.text.lexicon import alternation
from policy_ie.text.punctuation import chars

CLAUSE_END = re.compile(f"[{re.escape(chars('place_clause_end'))}\\s]")  # or any space
HAN_WORD = re.compile(r"[\u4e00-\u9fff]+")


@dataclass(frozen=True, slots=True)
class UnknownWords:
    """What :func:`unknown_after` and :func:`tagged_places` match (from regions.yaml, compiled once)."""

    after: dict[str, re.Pattern[str]]  # level of the known division -> the place word after it
    suffix: re.Pattern[str]  # a town or village suffix at the end of a word
    anywhere: re.Pattern[str]  # an unknown-place suffix
    stop_before: frozenset[str]  # characters that make a word with a suffix (农村, 驻村)
    max_stem: int
    town_end: re.Pattern[str]  # a town suffix at the end of a word
    stop_stems: tuple[str, ...]
    stop_first: frozenset[str]


@cache
def unknown_words() -> UnknownWords:
    data = region_data()
    mx = data["unknown_max_stem"]
    town_suf = "|".join(map(re.escape, data["town_suffixes"]))
    vil_suf = "|".join(map(re.escape, data["village_suffixes"]))
    return UnknownWords(
        after={"county": re.compile(rf"[\u4e00-\u9fff]{{2,{mx}}}?(?:{town_suf})"),
               "town": re.compile(rf"[\u4e00-\u9fff]{{2,{mx}}}?(?:{vil_suf})")},
        suffix=re.compile(f"(?:{town_suf}|{vil_suf})$"),
        anywhere=re.compile(alternation(data["unknown_suffixes"])),
        stop_before=frozenset(data["tagged_stop_before"]),
        max_stem=int(mx),
        town_end=re.compile(f"(?:{town_suf})$"),
        stop_stems=tuple(data["unknown_stop_stems"]),
        stop_first=frozenset(data["unknown_stop_first"]),
    )


def unknown_after(text: str, known: list[Hit], taken: list[tuple[int, int]]) -> list[Hit]:
    """Place words right after a county or town that the lists lack (``红石镇四清村``)."""
    uw = unknown_words()
    out: list[Hit] = []
    queue = deque((h, h.div.level) for h in known if h.div and h.div.level in uw.after)
    taken_ix = Taken(taken)
    while queue:
        h, lvl = queue.popleft()
        m = uw.after[lvl].match(text, h.end)
        if not m or taken_ix.hits(m.start(), m.end()):
            continue
        word = m.group()
        stem = uw.suffix.sub("", word)
        if stem.startswith(uw.stop_stems) or stem[0] in uw.stop_first:
            continue
        u = Hit(m.start(), m.end(), word, [], None, "unknown")
        out.append(u)
        taken.append((u.start, u.end))
        taken_ix.add(u.start, u.end)
        if lvl == "county" and uw.town_end.search(word):
            queue.append((u, "town"))
    return out


def tagged_places(text: str, bounds: Boundaries, taken_ix: Taken) -> list[Hit]:
    """Towns and villages no list has and no known division introduces (``来到黄土坡村``).

    Where a town or village suffix (``unknown_suffixes``) is a word of its own, the few
    characters before it are POS-tagged (rjieba, jieba's tag set): a place-name word
    (``ns``) of 2 to ``unknown_max_stem`` characters right before the suffix makes a place,
    reported without a code. Tagging only there keeps the tagger (five times the cost of
    cutting) off the rest of the text; the same stop lists as :func:`unknown_after` apply.
    """
    uw = unknown_words()
    tagger = BACKENDS["rjieba-pos"]
    assert tagger is not None
    out: list[Hit] = []
    for m in uw.anywhere.finditer(text):
        a, b = m.span()
        # the stem, 2+ Han characters, ends at ``a``: both characters before it are Han
        # (checked here, before the cut; a lookbehind in the pattern made its search slow)
        if a < 2:
            continue
        before = text[a - 1]
        if not "\u4e00" <= before <= "\u9fff" or before in uw.stop_before \
                or not "\u4e00" <= text[a - 2] <= "\u9fff" or taken_ix.hits(a - 1, b) or bounds.word(a) != b:
            continue
        w = max(0, a - uw.max_stem - 2)
        clause = CLAUSE_END.search(text[w:a][::-1])
        if clause is not None:
            w = a - clause.start()
        toks = list(tagger(text[w:b]))
        if len(toks) < 2 or toks[-1].start != a - w or toks[-2].end != a - w:
            continue
        stem = toks[-2]
        first_cut = stem.start == 0 and clause is None and w > 0  # the window may have cut a word
        if stem.pos != "ns" or first_cut or not 2 <= len(stem.text) <= uw.max_stem \
                or not HAN_WORD.fullmatch(stem.text) or stem.text.startswith(uw.stop_stems) \
                or stem.text[0] in uw.stop_first:
            continue
        h = Hit(a - len(stem.text), b, stem.text + m.group(), [], None, "unknown")
        out.append(h)
        taken_ix.add(h.start, h.end)
    return out
