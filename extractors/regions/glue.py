"""Rules: when a gazetteer form in the text is part of something else, not a mention.

A form glued to an outlet, organisation or thing (``西藏日报``, ``中山大学``, ``延安路``: the
``stop_after`` words, or an ``org_words`` kind word at most ``org_gap`` characters on), or
preceded by a stop word (``援``: ``stop_before``), or the given name of a person after a role
and a surname (``县长刘延安``: ``person_roles``, ``surnames``), or after a surname and before a
verb of saying or being (``刘延安是``, ``王永康说``: ``person_verbs``) is no mention. (A form inside a stop phrase,
``遵义会议``, is never found: the scan consumes the phrase.) The words are in ``regions.yaml``.
"""

from __future__ import annotations

import re
from functools import cache

from policy_ie.extractors.gazetteer import region_data
from policy_ie.extractors.regions.scan import Hit
from policy_ie.extractors.words import BACKENDS
from policy_ie.text.lexicon import alternation
from policy_ie.text.punctuation import chars

_CLAUSE_END = re.compile(f"[{re.escape(chars('place_clause_end'))}\\s]")  # or any space


@cache
def stop_after() -> re.Pattern[str]:
    """A word after a name that makes it part of an outlet or a thing (西藏日报, 延安路)."""
    return re.compile(alternation(region_data()["stop_after"]))


@cache
def org_after() -> re.Pattern[str]:
    """An organisation's name running on to its kind word (广西财经大学)."""
    data = region_data()
    words = alternation(data["org_words"])
    return re.compile(rf"[\u4e00-\u9fff]{{0,{data['org_gap']}}}?(?:{words})")


@cache
def stop_before() -> tuple[str, ...]:
    """Words right before a name that make the pair no mention of it (援藏)."""
    return tuple(region_data()["stop_before"])


@cache
def _glue_after() -> re.Pattern[str]:
    """:func:`stop_after` or :func:`org_after`, in one pattern (one match call per hit)."""
    return re.compile(f"(?:{stop_after().pattern})|(?:{org_after().pattern})")


@cache
def _person_before() -> re.Pattern[str]:
    """A role or title and a surname, right before a name (县长刘|延安): read back from the hit."""
    data = region_data()
    roles = alternation(data["person_roles"])
    return re.compile(rf"(?:{roles})[{re.escape(data['surnames'])}]\Z")


@cache
def _person_after() -> re.Pattern[str]:
    """A verb of saying or being after a name, a role in between or not (说, 是, 县长说)."""
    data = region_data()
    return re.compile(rf"(?:{alternation(data['person_roles'])})?(?:{alternation(data['person_verbs'])})")


def in_person_name(text: str, h: Hit) -> bool:
    """Whether the hit is the given name of a person: after a role and a surname (县长刘延安,
    记者张平武), or after a surname and before a verb of saying or being (刘延安是…, 王永康说).

    Only a name of two characters after the surname is read so: a full division name
    (延安市) or a longer run is a place even there."""
    if len(h.surface) != 2 or h.start == 0:
        return False
    if _person_before().search(text, max(0, h.start - 6), h.start) is not None:
        return True
    return text[h.start - 1] in region_data()["surnames"] and _person_after().match(text, h.end) is not None \
        and _surname_opens_a_word(text, h.start - 1, h.end)


def _surname_opens_a_word(text: str, at: int, end: int) -> bool:
    """Whether the POS tagger reads the character at ``at`` as a word of its own or a name's
    start (刘|延安, 王|永康), not the end of a word (浙江|永康) nor a number (3万|…): the tagger
    (rjieba, jieba's tags) is run on the clause up to ``end`` only, where the frame holds."""
    if at > 0 and text[at - 1].isdigit():
        return False
    w = max(0, at - 6)
    clause = _CLAUSE_END.search(text[w:at][::-1])
    if clause is not None:
        w = at - clause.start()
    tagger = BACKENDS["rjieba-pos"]
    assert tagger is not None
    for tok in tagger(text[w:end]):
        if tok.start == at - w:
            return tok.pos not in ("ns", "m")
        if tok.start > at - w:
            break
    return False


def glued(text: str, h: Hit) -> bool:
    """Whether the hit is part of an outlet, organisation, phrase or person's name."""
    if _glue_after().match(text, h.end):
        return True
    return text[max(0, h.start - 4):h.start].endswith(stop_before()) or in_person_name(text, h)
