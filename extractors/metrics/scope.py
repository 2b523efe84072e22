"""The scope cues of ``data/metric_scope.yaml``, loaded, validated and compiled once.

A figure's scope says what whole it is of (see the data file's comments and
:data:`policy_ie.text.document.SCOPES`). This module is the machinery that finds the cue
words in a stretch of text: one alternation of every cue word and of the words that hide a
cue (``not_cues``: 世界银行 holds 世界 but is no cue), longest first, so that a longer word
starting at the same place wins and a hidden cue is never matched on its own.
:mod:`.attach` decides from the cues found which region and scope a figure gets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from policy_ie.extractors.numbers import CLAUSE_END, boundary_left, boundary_right
from policy_ie.text.document import LEVELS
from policy_ie.text.lexicon import alternation, load_data

DATA = Path(__file__).resolve().parents[1] / "data" / "metric_scope.yaml"
#: the lists of the data file that give a scope by themselves, and the scope each gives
PLAIN = {"national": "national", "world": "world", "unknown": "unknown", "narrower": "narrower"}
#: the kind of a word of ``levels`` (a whole division: 全村, 该县) and of ``not_cues``
LEVEL, HIDDEN = "level", "hidden"
#: the numerals of a count of divisions after a list of places (从江、榕江、雷山三县)
COUNT_DIGITS = "两二三四五六七八九十"


@dataclass(frozen=True, slots=True)
class ScopeCues:
    """The loaded cues: every word's kind (a scope of :data:`PLAIN`, ``level`` or
    ``hidden``), the level of each ``level`` word, and the compiled alternation."""

    kind: dict[str, str]
    level: dict[str, str]
    pattern: re.Pattern[str]
    topic_clause: int = 8  # the longest earlier clause whose cues count (在非洲，…)
    group_after: re.Pattern[str] = re.compile("(?!)")  # 等 after a place: the last of a group
    group_count: re.Pattern[str] = re.compile("(?!)")  # 三县 after the last place of a list
    group_joiners: tuple[str, ...] = ()

    def group(self, text: str, end: int, listed: bool) -> bool:
        """Whether the place ending at ``end`` is the last of a group (see ``group`` in the data
        file): a group word after it, or, when ``listed`` (it ends a list), a count of divisions."""
        return bool(self.group_after.match(text, end) or (listed and self.group_count.match(text, end)))

    def joined(self, text: str, end: int, start: int) -> bool:
        """Whether ``text[end:start]`` (between two place names) is a list joiner."""
        return text[end:start] in self.group_joiners

    def find(self, text: str, start: int, end: int) -> list[tuple[str, re.Match[str]]]:
        """The cues of ``text[start:end]`` in order, as ``(kind, match)``; hidden ones left out."""
        out = []
        for m in self.pattern.finditer(text, start, end):
            kind = self.kind[m.group()]
            if kind != HIDDEN:
                out.append((kind, m))
        return out

    def topic(self, text: str, s0: int, c0: int) -> list[tuple[str, re.Match[str]]]:
        """The cues of ``text[s0:c0]`` (the clauses of a sentence before a figure's) that
        stand in a short topic clause (在非洲，全球范围内，), division words left out."""
        out = []
        for kind, m in self.find(text, s0, c0):
            if kind == LEVEL:
                continue
            a = max(s0, boundary_left(text, m.start(), CLAUSE_END))
            if boundary_right(text, m.end(), CLAUSE_END) - a <= self.topic_clause:
                out.append((kind, m))
        return out


@cache
def scope_cues(path: Path = DATA) -> ScopeCues:
    """The scope cues of ``path`` (the data file by default), loaded and checked once.

    A word listed twice, a level that is not a division level, or a list that is not a list
    of words is an error naming the file and the entry.
    """
    d = load_data(path)
    kind: dict[str, str] = {}

    def put(word: object, k: str, where: str) -> None:
        if not isinstance(word, str) or not word:
            raise ValueError(f"{path.name}: {where}: {word!r} is not a word; list words only")
        if word in kind:
            raise ValueError(f"{path.name}: {word!r} is in {where} and in {kind[word]}; keep one")
        kind[word] = k

    for name, scope in (*PLAIN.items(), ("not_cues", HIDDEN)):
        words = d.get(name) or []
        if not isinstance(words, list):
            raise ValueError(f"{path.name}: {name}: expected a list of words")
        for w in words:
            put(w, scope, name)
    levels = d.get("levels") or {}
    if not isinstance(levels, dict):
        raise ValueError(f"{path.name}: levels: expected a mapping of word: level")
    level: dict[str, str] = {}
    for w, lv in levels.items():
        if lv not in LEVELS:
            raise ValueError(f"{path.name}: levels: {w}: unknown level {lv!r} (one of {', '.join(LEVELS)})")
        put(w, LEVEL, "levels")
        level[str(w)] = str(lv)
    topic = d.get("topic_clause", 8)
    if not isinstance(topic, int) or topic < 0:
        raise ValueError(f"{path.name}: topic_clause: {topic!r}: expected a number of characters (0: none)")
    group = d.get("group") or {}
    for name in ("after", "nouns", "joiners"):
        if not isinstance(group.get(name, []), list) or not all(isinstance(w, str) and w for w in group.get(name, [])):
            raise ValueError(f"{path.name}: group: {name}: expected a list of words")
    after = alternation(group.get("after") or []) or "(?!)"
    count = rf"(?:\d+|[{COUNT_DIGITS}]+)个?(?:{alternation(group.get('nouns') or []) or '(?!)'})"
    return ScopeCues(kind, level, re.compile(alternation(kind) or "(?!)"), topic, re.compile(after),
                     re.compile(count), tuple(group.get("joiners") or ()))
