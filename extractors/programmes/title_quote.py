"""Rules: a quoted name the title presents as its subject, in the genre's title forms.

Local reporting titles an article ``place：“name”claim`` (内蒙古：“五边行动”强化基层党建,
黑龙江：“小康龙江”助脱贫): the quoted name right after the leading place and its colon is
what the article is about, however bare it is (no kind word, no numerals), when the lead is
a place the regions extractor found (not a person: 陆升勋：“红色大陆”育英豪). It is taken
for a programme, with every quoted mention of it in the text, when the body backs it
(:func:`title_subject_quotes`): the body names it again, or names a programme sharing its
head (its last two characters: title “脱贫菜单”, body “菜单式精准扶贫”模式). A figure of
speech the body never takes up (“金融活水”助推…) stays out, and so do quotes after a verb
(教育脱贫拔“穷根”), catch-phrases, titles of people, single characters, clauses and plan
periods. The forms are ``title_subject.quote_leads`` of ``data/programmes.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Container
from functools import lru_cache

from policy_ie.extractors.programmes.candidate import Candidate, norm_name
from policy_ie.extractors.programmes.data import ProgrammeData
from policy_ie.extractors.programmes.scoring import settle
from policy_ie.text.normalise import normalise

TITLE_QUOTE = "title-quote"  # the reason of a name the title quotes as its subject


@lru_cache(maxsize=8)
def _lead_res(leads: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in leads)


def subject_offsets(title: str, data: ProgrammeData) -> list[tuple[int, int]]:
    """(open, close) offsets in ``title`` of the quotes in the subject position: after a lead
    of ``title_subject.quote_leads`` (the whole title before the quote) and followed by the
    claim (a Chinese character right after the closing mark)."""
    leads = _lead_res(tuple(data.raw["title_subject"].get("quote_leads") or ()))
    out = []
    for _op, pat in data.quote_res:
        for m in pat.finditer(title):
            o, c = m.start(), m.end() - 1
            if (c + 1 < len(title) and data.all_han.match(title, c + 1)
                    and any(r.fullmatch(title, 0, o) for r in leads)):
                out.append((o, c))
    return out


def _lead_is_place(lead: str, t0: int, place_ends: Container[int], data: ProgrammeData) -> bool:
    """Is the title's lead (``lead``, starting at clean offset ``t0``) a place the text names,
    or such a place followed by the name of one of its villages or towns (福建下党村：a place,
    a short name and one of ``quote_lead_place_suffixes``), which the gazetteer does not hold?"""
    end = t0 + len(lead)
    if end in place_ends:
        return True
    rule = data.raw["title_subject"]
    suffixes = tuple(rule.get("quote_lead_place_suffixes") or ())
    longest = int(rule.get("quote_lead_place_name_max") or 0)
    if not suffixes or not lead.endswith(suffixes):
        return False
    for n in range(1, longest + 1):  # the village's own name: 1 to longest characters
        name = lead[len(lead) - 1 - n:len(lead) - 1]
        if len(name) == n and data.all_han.fullmatch(name) and end - 1 - n in place_ends:
            return True
    return False


def _named_with_insert(key: str, body: str, data: ProgrammeData) -> bool:
    """Does the body name ``key`` with a short word inside it (title “定制茶园”, body 定制扶贫
    茶园: up to ``quote_body_insert_max`` Chinese characters at one place inside the name)?"""
    most = int(data.raw["title_subject"].get("quote_body_insert_max") or 0)
    if most < 1 or len(key) < 4:
        return False
    return any(re.search(re.escape(key[:i]) + f"[\u4e00-\u9fff]{{1,{most}}}" + re.escape(key[i:]), body)
               for i in range(2, len(key) - 1))


def title_subject_quotes(cands: list[Candidate], kept: list[Candidate], text: str,
                         title: str | None, data: ProgrammeData,
                         place_ends: Container[int] = ()) -> list[Candidate]:
    """The candidates of ``cands`` (quoted, not kept) to keep as the programme the title
    presents as its subject; each gets the reason :data:`TITLE_QUOTE`. The lead must end
    with a place the text names (``place_ends``: clean end offsets of the regions found), not
    a person (陆升勋：“红色大陆”育英豪)."""
    if not title:
        return []
    title = data.series_label.sub("", title).strip()
    nl = text.find("\n")
    line = text if nl < 0 else text[:nl]
    t0 = line.find(title)
    if t0 < 0:  # the text's clean view has normalised it (会宁县: -> 会宁县：)
        title = normalise(title)
        t0 = line.find(title)
    if not title or t0 < 0:
        return []
    subjects = subject_offsets(title, data)
    if not subjects:  # most titles quote nothing in the subject position: nothing to gather
        return []
    body = text[len(line):]
    bad = {data.reasons[k] for k in ("catch", "person", "single", "clause", "long", "long-parts")}
    skip = frozenset(data.raw.get("not_headline") or ())
    kept_ids = {id(c) for c in kept}
    by_name: dict[str, list[Candidate]] = {}
    for c in cands:
        if c.quoted and id(c) not in kept_ids:
            by_name.setdefault(norm_name(c.name), []).append(c)
    body_names = [norm_name(c.name) for c in kept if c.start >= len(line)]
    out: list[Candidate] = []
    for o, _c in subjects:
        if not _lead_is_place(title[:o].rstrip().rstrip(":：").rstrip(), t0, place_ends, data):
            continue  # the lead is no place the text names
        head = next((c for c in cands if c.quoted and c.start == t0 + o), None)
        if head is None or id(head) in kept_ids:
            continue
        settle(head, data)
        key = norm_name(head.name)
        if key in skip or bad.intersection(head.reasons) or len(key) < 2:
            continue
        if (key not in body and not any(key[-2:] in n for n in body_names)
                and not _named_with_insert(key, body, data)):
            continue  # nothing in the body backs it: a figure of speech of the title
        for c in by_name[key]:
            settle(c, data)
            if not bad.intersection(c.reasons):
                c.score = max(c.score, data.keep_score)
                c.reasons.append(TITLE_QUOTE)
                out.append(c)
    return out


def title_part_quotes(cands: list[Candidate], kept: list[Candidate], text: str,
                      title: str | None, data: ProgrammeData) -> list[Candidate]:
    """The candidates of ``cands`` (quoted, not kept) that name, in quotes, a whole part of
    the title (between its separators, ``title_subject`` in ``data/programmes.yaml``) and
    that the body quotes at least ``part_quoted_min`` times (四川：双轮驱动 扶贫攻坚 ...
    通过精准扶贫与区域攻坚“双轮驱动” ... “双轮驱动”扶贫攻坚开展两年来): the title presents
    the name as its subject and the body keeps naming it, so it is a programme however bare
    it is. Quotes of a catch-phrase, a person, a clause or a plan period stay out. Each gets
    the reason :data:`TITLE_QUOTE` (so the headline rule takes it)."""
    rule = data.raw["title_subject"]
    need = int(rule.get("part_quoted_min") or 0)
    if not title or need < 1:
        return []
    title = data.series_label.sub("", title).strip()
    nl = text.find("\n")
    line = text if nl < 0 else text[:nl]
    if not title or (title not in line and normalise(title) not in line):
        return []
    parts = {p for p in data.title_split.split(title)
             if rule["min_len"] <= len(p) <= rule["max_len"] and data.all_han.fullmatch(p)}
    if not parts:
        return []
    kept_ids = {id(c) for c in kept}
    bad = {data.reasons[k] for k in ("catch", "person", "single", "clause", "long", "long-parts")}
    skip = frozenset(data.raw.get("not_headline") or ())
    by_name: dict[str, list[Candidate]] = {}
    for c in cands:
        if c.quoted and c.start >= len(line) and c.name in parts and c.name not in skip:
            by_name.setdefault(c.name, []).append(c)
    out: list[Candidate] = []
    for group in by_name.values():
        if len(group) < need or any(id(c) in kept_ids for c in group):
            continue
        for c in group:
            settle(c, data)
        if any(bad.intersection(c.reasons) for c in group):
            continue
        for c in group:
            c.score = max(c.score, data.keep_score)
            c.reasons.append(TITLE_QUOTE)
            out.append(c)
    return out
