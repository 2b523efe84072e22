"""Rules: what a programme stands for, its components, from the forms the genre uses.

The forms, tried in this order for each programme mention:

1. a quoted enumeration just before it, linked by 的 / 为主要内容的 and a short modifier:
   ``“责任在村落实、组织在村建强、...”的党建扶贫“五在村”机制``;
2. an unquoted enumeration right before it: ``资源变资产、资金变股金、农民变股东的“三变”``;
3. a parenthetical between the name and its kind word: ``“四统三强”(统筹规划、...)工程``;
4. a definition after it, opened by 即/就是/包括: ``“十百千”工程,即从...,从...,从...``;
5. a list of 一是.../二是... right after the sentence that names it;
6. section headings (一)建立“...”机制, (二)... for the programme whose numerals they fit.

The count of components must agree with the numerals of the name when it has some
(五在村: 5; 十百千: 3 parts; 三三四: 3 parts or 10 items, :func:`.name_parts.expected_counts`);
a list that ends in 等 may be shorter.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Container, Set
from functools import lru_cache
from typing import Any

from policy_ie.extractors.programmes.candidate import Candidate
from policy_ie.extractors.programmes.data import ProgrammeData
from policy_ie.extractors.programmes.name_parts import TAIL, expected_counts, numeral_tokens, split_enumeration
from policy_ie.extractors.programmes.scoring import settle
from policy_ie.text.lexicon import alternation
from policy_ie.text.punctuation import chars

_PARAGRAPH_STOP = re.compile(r"[。\n]")
_BEFORE_LIST = re.compile(r"[^。\n“”]{0,12}?[。:：]\s*")  # the end of a sentence before 一是...
_ITEM_END = re.compile(f"[{re.escape(chars('item_end'))}]")


@lru_cache(maxsize=4)
def _heading_re(ords: str) -> re.Pattern[str]:
    """A section heading at a line start: (一) or 一、.

    Spaces before it, not line breaks: ``^\\s*`` under ``re.M`` read every blank line after each
    line start again (quadratic on a run of blank lines); a heading is found from its own line."""
    return re.compile(rf"^[^\S\n]*(?:[(（]([{ords}])[)）]|([{ords}])、)", re.M)


@lru_cache(maxsize=4)
def _heading_after_break_re(ords: str) -> re.Pattern[str]:
    """:func:`_heading_re` after a line break: the same headings but those of the first line,
    found fast (a pattern that begins with a literal character is searched for that character;
    one that begins with ``^`` is tried at every position of the text)."""
    return re.compile(rf"\n[^\S\n]*(?:[(（]([{ords}])[)）]|([{ords}])、)")


def _has_heading(text: str, ords: str) -> bool:
    """Whether ``text`` has a section heading (:func:`_heading_re`) anywhere."""
    return _heading_re(ords).match(text) is not None or _heading_after_break_re(ords).search(text) is not None


def _fits(parts: list[str], expected: Set[int], partial: bool) -> bool:
    if len(parts) < 2:
        return False
    if not expected:
        return True
    return len(parts) in expected or (partial and len(parts) < max(expected))


def choose_split(s: str, expected: Set[int], data: ProgrammeData) -> list[str]:
    """The finest split of an enumeration whose size fits the name's numerals."""
    partial = bool(TAIL.search(s.rstrip("。;；,，")))
    fine = split_enumeration(s, data["enum_separators"])
    coarse = split_enumeration(s, ",，;；")
    for parts in (fine, coarse):
        if expected and len(parts) in expected:
            return parts
    for parts in (fine, coarse):
        if _fits(parts, expected, partial):
            return parts
    return []


def _trim_first(parts: list[str]) -> list[str]:
    """Cut the verb phrase that leads into an unquoted enumeration off its first part."""
    if len(parts) < 2:
        return parts
    first, rest = parts[0], parts[1:]
    heads = Counter(p[0] for p in rest)
    ch, n = heads.most_common(1)[0]
    if n * 2 > len(rest) and ch in first:
        return [first[first.index(ch):], *rest]
    width = max(len(p) for p in rest)
    return [first[-width:], *rest]


def _expected(c: Candidate, data: ProgrammeData) -> frozenset[int]:
    """:func:`expected_counts` of a candidate's name (asked several times per candidate)."""
    return _expected_for(c.name, data)


@lru_cache(maxsize=1 << 12)
def _expected_for(name: str, data: ProgrammeData) -> frozenset[int]:
    return frozenset(expected_counts(name, data.numerals))


@lru_cache(maxsize=4)
def _link_re(data: ProgrammeData) -> re.Pattern[str]:
    """The words allowed between a quoted enumeration and the programme after it."""
    links = alternation(x for x in data["content_links"] if x)
    stop = re.escape(data["modifier_stop"])
    return re.compile(rf"^(?:{links})?[^\s{stop}]{{0,{data['max_modifier']}}}$")


def _from_preceding_quote(cands: list[Candidate], text: str, data: ProgrammeData,
                          absorbed: set[int]) -> None:
    link = _link_re(data)
    for e, p in itertools.pairwise(cands):
        if len(e.parts) < 2 or not e.quoted or p.score < data.keep_score or len(p.parts) >= 2:
            continue
        if p.start < e.end:  # p is nested inside e (a slogan quoted within speech)
            continue
        settle(e, data)  # (its reasons are read)
        if data.reasons["enum"] not in e.reasons or data.reasons["clause"] in e.reasons:  # speech, not a list
            continue
        if e.kind_strength == "strong" or not link.match(text[e.content_end + 1:p.start]):
            continue
        parts = choose_split(e.name, _expected(p, data), data)
        if parts:
            p.components = parts
            absorbed.add(id(e))




_STOPS_BEFORE = chars("name_stretch_stops")  # what ends a stretch of text before a name
STRETCH_BEFORE = re.compile(f"[^{re.escape(_STOPS_BEFORE)}]*$")
_STRETCH_REVERSED = re.compile(f"[^{re.escape(_STOPS_BEFORE)}]*")


def stretch_before(window: str) -> str:
    """``STRETCH_BEFORE.search(window).group()``, read from the end: the text after the last
    stop, where ``$`` may also stand before a final line end. (The search tried every start
    position and every length: the square of the window's length.)"""
    body = window[:-1] if window.endswith("\n") else window
    run = _STRETCH_REVERSED.match(body[::-1])
    return body[len(body) - run.end():] if run else body


def _from_preceding_text(c: Candidate, text: str, data: ProgrammeData) -> list[str]:
    exp = _expected(c, data)
    if not exp or not c.quoted:
        return []
    end = c.start
    if text[max(0, end - 1):end] == "的":
        end -= 1
    window = text[max(0, end - 120):end]
    if "、" not in window:  # (then not in the stretch before the name either)
        return []
    stretch = stretch_before(window)
    if "、" not in stretch:
        return []
    parts = split_enumeration(stretch, "、")
    if len(parts) < 3:  # two items before a name are too often a plain list of nouns
        return []
    vals = [v for _, v in numeral_tokens(c.name, data.numerals)]
    # without quotes the list is only trusted when it gives one item per unit of the name
    if len(parts) in exp and len(parts) in (vals[0], sum(vals)):
        return _trim_first(parts)
    return []


@lru_cache(maxsize=4)
def _definition_re(data: ProgrammeData) -> re.Pattern[str]:
    """The opening of a definition after a programme (``,即``, ``就是``)."""
    cues = alternation(data["definition_cues"])
    return re.compile(rf"[^,，。;；:：\n“”]{{0,8}}?[,，:：]?(?:{cues})[,，:：]?")


def _from_definition(c: Candidate, text: str, data: ProgrammeData) -> list[str]:
    m = _definition_re(data).match(text, c.end)
    if not m:
        return []
    stop = _PARAGRAPH_STOP.search(text, m.end())
    body = text[m.end():stop.start() if stop else len(text)]
    exp = _expected(c, data)
    coarse = split_enumeration(body, ",，;；")
    if len(coarse) >= 2:
        run = [coarse[0]]
        for p in coarse[1:]:
            if p[:1] != coarse[0][:1]:
                break
            run.append(p)
        if len(run) >= 2 and (not exp or len(run) in exp):
            return run
    return choose_split(coarse[0] if coarse else body, exp, data) if coarse else []


def _from_ordinal_list(c: Candidate, text: str, data: ProgrammeData) -> list[str]:
    m = _BEFORE_LIST.match(text, c.end)
    if not m or not text.startswith("一是", m.end()):
        return []
    items: list[str] = []
    pos = m.end()
    for ch in data["ordinal_chars"]:
        j = text.find(f"{ch}是", pos, pos + 1500)
        if j < 0 or (ch != "一" and j != pos and text[j - 1] not in "。;；\n "):
            break
        k = _ITEM_END.search(text, j + 2)
        items.append(text[j + 2:k.start() if k else len(text)])
        pos = k.end() if k else len(text)
    exp = _expected(c, data)
    return items if _fits(items, exp, False) else []


def _from_headings(cands: list[Candidate], text: str, data: ProgrammeData,
                   title_names: Container[str]) -> None:
    ords = data["ordinal_chars"]
    if not _has_heading(text, ords):  # no heading at all
        return
    head = _heading_re(ords)
    seq: list[tuple[str, Candidate]] = []
    by_line = {}
    for c in cands:
        ls = text.rfind("\n", 0, c.start) + 1
        by_line.setdefault(ls, c)
    for ls, c in sorted(by_line.items()):
        m = head.match(text, ls)
        if m and c.start - m.end() <= 6:
            seq.append((m.group(1) or m.group(2), c))
    runs: list[list[Candidate]] = []
    for ch, c in seq:
        idx = ords.index(ch)
        if idx == 0 or not runs or len(runs[-1]) != idx:
            runs.append([c] if idx == 0 else [])
            if idx != 0:
                continue
        else:
            runs[-1].append(c)
    has_parts = {c.name for c in cands if c.components}
    for run in runs:
        if len(run) < 2 or any(c.score < data.keep_score for c in run):  # headings that name mechanisms
            continue
        owners = [c for c in cands if c.score >= data.keep_score and c.name not in has_parts
                  and c not in run and len(run) in _expected(c, data)]
        # the programme the title names, else the only one named before the headings
        best = [c for c in owners if c.name in title_names]
        if not best:
            named = Counter(c.name for c in cands)
            best = [c for c in owners if c.end <= run[0].start and named[c.name] >= 2]
        if len({c.name for c in best}) != 1:
            continue
        comps = [c.name for c in run]
        for c in cands:
            if c.name == best[0].name:
                c.components = comps


def assign_components(cands: list[Candidate], text: str, data: ProgrammeData,
                      title_names: Container[str] | None = None) -> set[int]:
    """Fill ``components`` of candidates in place; return ids of enumerations absorbed.

    ``title_names`` are the programme names the article's title presents: section headings
    (一)...(二)... are read as the parts of one of them first.
    """
    absorbed: set[int] = set()
    _from_preceding_quote(cands, text, data, absorbed)
    for c in cands:
        if c.score < data.keep_score or c.components:
            continue
        if len(c.parts) >= 2:
            c.components = list(c.parts)
            continue
        exp = _expected(c, data)
        found: list[str] = _from_preceding_text(c, text, data)
        if not found and c.paren:
            found = choose_split(c.paren[1:-1], exp, data)
        if not found:
            found = _from_definition(c, text, data)
        if not found:
            found = _from_ordinal_list(c, text, data)
        c.components = found
    _from_headings(cands, text, data, title_names or set())
    return absorbed


def as_lists(cands: list[Candidate]) -> list[dict[str, Any]]:
    """A debugging view of candidates."""
    return [{"name": c.name, "kind": c.kind, "score": c.score, "why": c.reasons,
             "components": c.components} for c in cands]
