"""Rules: which programme the article is about (its headline programme).

The programme the title presents (:func:`title_names`, or a name the title quotes, or writes
as a part of its own, that the body names as a programme: :func:`title_quotes`,
:func:`title_parts`; or a kept name, or a part of one, the title writes unquoted inside a
part, 量身定制扶贫菜单; or the quoted subject of a ``place：“name”claim`` title,
:mod:`.title_quote`, or an unquoted name the title presents, :mod:`.title_unquoted`; not the
name of the column or series the article runs in), else one named at least twice, with a
strong kind word, a trigger verb, as a name built on the field's words or as a numeric slogan
right after a place (甘肃省“一县一策”), in the article's opening (:func:`opening`: the first
two sentences of its first body paragraph, questions not counted; ``headline_opening`` in
``data/programmes.yaml``).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Container
from functools import lru_cache

from policy_ie.extractors.programmes.candidate import Candidate, norm_name
from policy_ie.extractors.programmes.candidates import TITLE_SUBJECT, quote_spans, scored_quotes, unquoted_candidates
from policy_ie.extractors.programmes.data import ProgrammeData
from policy_ie.extractors.programmes.title_quote import TITLE_QUOTE
from policy_ie.text.punctuation import chars

_LINE = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile(f"[{re.escape(chars('statement_end'))}]")


@lru_cache(maxsize=256)
def title_names(title: str | None, data: ProgrammeData) -> tuple[str, ...]:
    """Programme names the title presents, in order (cached: asked twice per article).

    The name of the column or series the article runs in (【……非凡“十四五”】, （全面小康，
    “三农”怎么干①）) is not what the title presents: it is left out."""
    title = data.series_label.sub("", title) if title else title
    if not title:
        return ()
    cands = [c for c in scored_quotes(title, data, lazy=True) + unquoted_candidates(title, data)
             if c.score >= data.keep_score and len(c.parts) < 2]
    cands.sort(key=lambda c: c.start)
    return tuple(norm_name(c.name) for c in cands)


@lru_cache(maxsize=256)
def title_quotes(title: str | None, data: ProgrammeData) -> frozenset[str]:
    """Every name the title quotes, whatever its score there (outside a series label): one
    the body names as a programme, with a kind word, as a numeric slogan or brought in by a
    verb of implementing, is the article's headline programme."""
    title = data.series_label.sub("", title) if title else title
    if not title:
        return frozenset()
    return frozenset(norm_name(title[o + 1:c].strip()) for o, c in quote_spans(title, data))


@lru_cache(maxsize=256)
def title_parts(title: str | None, data: ProgrammeData) -> frozenset[str]:
    """The parts of the title between its separators (``title_subject`` in
    ``data/programmes.yaml``), outside a series label: a part that is the name of a programme
    the body quotes is the article's headline programme, unquoted in the title."""
    title = data.series_label.sub("", title) if title else title
    if not title:
        return frozenset()
    return frozenset(norm_name(p) for p in data.title_split.split(title) if p)


@lru_cache(maxsize=256)
def _title_text(title: str | None, data: ProgrammeData) -> str:
    """The title outside a series label, its quote marks taken out (a name it writes)."""
    title = data.series_label.sub("", title) if title else title
    return norm_name(title) if title else ""


class TitleNames:
    """The programme names of the title as a set, found when first asked about (section
    headings ask, and most articles have none)."""

    def __init__(self, title: str | None, data: ProgrammeData) -> None:
        self.title, self.data = title, data
        self.names: set[str] | None = None

    def __contains__(self, name: object) -> bool:
        if self.names is None:
            self.names = set(title_names(self.title, self.data))
        return name in self.names


@lru_cache(maxsize=4)
def _han_re(n: int) -> re.Pattern[str]:
    """A line that opens with ``n`` Chinese characters or more (others between them)."""
    return re.compile(rf"(?:[^\u4e00-\u9fff]*[\u4e00-\u9fff]){{{n}}}")


def opening(text: str, title: str | None, data: ProgrammeData) -> tuple[int, int]:
    """Clean span of the article's opening: the first body paragraph after the title."""
    rule = data["headline_opening"]
    body_line = _han_re(rule["min_han"])
    start = 0
    if title:
        i = text.find(title.strip()[:rule["title_prefix"]])
        if 0 <= i < rule["title_within"]:
            nl = text.find("\n", i)
            start = nl + 1 if nl >= 0 else len(text)
    for line in _LINE.finditer(text[start:]):
        body = line.group()
        if body_line.match(body):
            s = start + line.start()
            # the first sentences
            n = rule["sentences"]
            # (a question leads to the answer: 如何考核？…创新出台“1+N”…; it is not counted)
            asks = data.raw.get("headline_opening_asks") or ""
            ends = [m.end() for m in itertools.islice(
                (m for m in _SENTENCE_END.finditer(body) if m.group() not in asks), n)]
            e = s + (ends[n - 1] if len(ends) > n - 1 else len(body))
            return s, e
    return 0, 0


def _after_place(c: Candidate, text: str, data: ProgrammeData, place_ends: Container[int]) -> bool:
    """Does a place the text names end right before the quoted name ``c``, or before one of
    ``headline_place_cues`` of ``data/programmes.yaml`` right before it (甘肃省“一县一策”,
    陕西通过“八星励志”评选)? The place's own numeric slogan, not a national one quoted in
    passing (共同建设“一带一路”)."""
    if not c.quoted:
        return False
    if c.start in place_ends:
        return True
    return any(text.startswith(w, c.start - len(w)) and c.start - len(w) in place_ends
               for w in data.raw.get("headline_place_cues") or ())


def choose_headline(kept: list[Candidate], text: str, title: str | None,
                    data: ProgrammeData, place_ends: Container[int] = ()) -> str | None:
    """The name of the programme the title or the opening presents as the subject.

    ``place_ends``: clean end offsets of the places the text names (the regions found): a
    numeric slogan named twice that the opening gives right after a place is its headline."""
    skip = frozenset(data.raw.get("not_headline") or ())  # plan periods are times
    kept = [c for c in kept if norm_name(c.name) not in skip]
    if not kept:
        return None
    keys = [norm_name(c.name) for c in kept]
    for t in title_names(title, data):
        for k in keys:
            if k == t or k.startswith(t) or t.startswith(k):
                return k
    quoted = title_quotes(title, data)
    strong = (data.reasons["kind"], data.reasons["suffix"], data.reasons["numeric"], data.reasons["implement"],
              data.reasons["field"])
    for c, k in zip(kept, keys, strict=True):
        if k in quoted and any(r in c.reasons for r in strong):
            return k  # 吉林：“幸福长白”助增收 ... “幸福长白”电商品牌
    parts = title_parts(title, data)
    for c, k in zip(kept, keys, strict=True):
        if k in parts and any(r in c.reasons for r in strong):
            return k  # 湖南花垣：互助五兴 激活基层活力 ... “互助五兴”模式
    plain = _title_text(title, data)
    least = data.raw["title_subject"]["min_len"]
    for c, k in zip(kept, keys, strict=True):
        if plain and any(r in c.reasons for r in strong) and any(
                len(p) >= least and p in plain for p in (k, *c.parts)):
            return k  # 兴安盟：量身定制扶贫菜单 ... “扶贫菜单”; 甘肃：40万干部联村联户推进扶贫 ...
            # “联村联户、为民富民”行动 (a name, or a part of it, the title writes unquoted)
    for c, k in zip(kept, keys, strict=True):
        if TITLE_SUBJECT in c.reasons or TITLE_QUOTE in c.reasons:
            return k  # 河北:股份合作 精准扶贫走出新路径 ... 股份合作机制; 内蒙古：“脱贫菜单”推动…
    counts = Counter(keys)
    numeric = data.reasons["numeric"]
    named = [(c, k) for c, k in zip(kept, keys, strict=True) if counts[k] >= 2 and (
        c.kind_strength in ("strong", "suffix") or data.reasons["trigger"] in c.reasons
        or data.reasons["field"] in c.reasons
        or (numeric in c.reasons and _after_place(c, text, data, place_ends)))]
    if not named:  # (then the opening is not looked for)
        return None
    o0, o1 = opening(text, title, data)
    for c, k in named:
        if o0 <= c.start < o1:
            return k
    return None
