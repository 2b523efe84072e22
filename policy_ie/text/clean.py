"""Cleaning: drop page furniture and normalise characters, keeping a map to raw offsets.

The cleaned view is what every extractor reads. It differs from the raw text in two ways:

* characters are normalised one for one (full-width digits and letters to ASCII, NBSP and
  U+3000 to a space, full-width ``．％＋－／～`` to ASCII, half-width ``,:;?!()`` next to
  Chinese to their full-width forms), so extractors need one pattern per form, and
* page furniture (navigation, edition lines, share widgets, editor and footer lines, site
  banners above a navigation trail) is cut out. Patterns live in ``data/furniture.yaml``.

Because normalisation never changes the length of the text, the view is the raw text minus
some spans, and :class:`~policy_ie.text.document.CleanView` maps every clean offset back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import regex

from policy_ie.text.document import CleanView, Document
from policy_ie.text.lexicon import load_data
from policy_ie.text.normalise import normalise

Pattern = re.Pattern[str] | regex.Pattern[str]


def compile_pattern(src: str) -> Pattern:
    """``src`` compiled by the standard library's ``re`` when it is in that syntax, else by
    ``regex`` (the syntax the data files are written in: ``\\p{Han}`` and the like).

    Both read the common syntax the same way (``regex``'s version 0 is made to), and ``re``
    tests the anchored line patterns of a page three times as fast: every line of every
    article is tested against them.
    """
    try:
        return re.compile(src)
    except re.error:
        return regex.compile(src)


@dataclass(frozen=True, slots=True)
class FurnitureRules:
    """The compiled furniture patterns of ``data/furniture.yaml``."""

    lines: tuple[tuple[str, Pattern], ...]
    any_line: Pattern  # every line pattern in one alternation, group ``l<i>`` for ``lines[i]``
    inline: tuple[tuple[str, Pattern], ...]
    banner_max_chars: int
    inline_max_chars: int
    sentence_marks: str


@cache
def rules() -> FurnitureRules:
    """Load and validate the furniture patterns once."""
    raw = load_data(Path(__file__).parent / "data" / "furniture.yaml")

    def compile_all(key: str) -> tuple[tuple[str, Pattern], ...]:
        out = []
        for entry in raw.get(key) or []:
            if not {"name", "regex", "why"} <= set(entry):
                raise ValueError(f"furniture.yaml: every {key} entry needs name, regex and why: {entry}")
            try:
                out.append((entry["name"], compile_pattern(entry["regex"])))
            except regex.error as exc:
                raise ValueError(f"furniture.yaml: pattern {entry['name']!r} does not compile: {exc}") from exc
        return tuple(out)

    banner = raw.get("banner") or {}
    lines = compile_all("lines")
    any_line = compile_pattern("|".join(f"(?P<l{i}>{pat.pattern})" for i, (_, pat) in enumerate(lines)) or "(?!)")
    return FurnitureRules(lines, any_line, compile_all("inline"),
                          int(banner.get("max_chars", 24)), int(raw.get("inline_max_chars", 60)),
                          str(banner.get("sentence_marks", "。")))


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, without its newline."""
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _is_banner(line: str, r: FurnitureRules, max_chars: int | None = None) -> bool:
    """A short header-like line: no sentence mark, no quotation."""
    s = line.strip()
    limit = r.banner_max_chars if max_chars is None else max_chars
    return 0 < len(s) <= limit and not any(m in s for m in r.sentence_marks)


def _line_rule(line: str, r: FurnitureRules) -> str | None:
    """The name of the first line pattern that matches all of ``line``, or None.

    One match of the alternation of all patterns instead of one call per pattern (most
    lines are body text that no pattern takes); an alternation tries its branches in order,
    so the branch that matches is the first pattern that would have.
    """
    m = r.any_line.fullmatch(line)
    if m is None:
        return None
    group = m.lastgroup
    if group is None or not group.startswith("l"):  # a pattern's own named group: ask each one
        return next((name for name, pat in r.lines if pat.fullmatch(line)), None)
    return r.lines[int(group[1:])][0]


def furniture_spans(norm: str) -> list[tuple[int, int, str]]:
    """Spans ``(start, end, rule name)`` of the normalised text that are page furniture."""
    r = rules()
    spans: list[tuple[int, int, str]] = []
    lines = _lines(norm)
    first_nav = None
    for i, (a, b) in enumerate(lines):
        line = norm[a:b]
        s = line.strip()
        if not s:
            continue
        lead = a + (len(line) - len(line.lstrip()))
        hit = _line_rule(s, r)
        if hit:
            spans.append((lead, lead + len(s), hit))
            if hit.startswith("breadcrumb") and first_nav is None:
                first_nav = i
            continue
        if len(s) > r.inline_max_chars or any(mark in s for mark in r.sentence_marks):
            continue  # not a banner-like line (:func:`_is_banner` of ``s``, the line stripped)
        for name, pat in r.inline:
            spans.extend((m.start() + a, m.end() + a, name) for m in pat.finditer(line))
    if first_nav is not None and first_nav <= 12:
        removed = {s[0] for s in spans}
        for a, b in lines[:first_nav]:
            line = norm[a:b]
            s = line.strip()
            lead = a + (len(line) - len(line.lstrip()))
            if s and lead not in removed and _is_banner(line, r):
                spans.append((lead, lead + len(s), "banner"))
    return sorted(spans)


def clean_view(text: str) -> CleanView:
    """The cleaned, normalised view of a raw text."""
    norm = normalise(text)
    pieces: list[tuple[int, int, int]] = []
    parts: list[str] = []
    pos = clean_pos = 0
    for start, end, _name in furniture_spans(norm):
        if start < pos:
            start = pos
        if start > pos:
            pieces.append((clean_pos, pos, start - pos))
            parts.append(norm[pos:start])
            clean_pos += start - pos
        pos = max(pos, end)
    if pos < len(norm):
        pieces.append((clean_pos, pos, len(norm) - pos))
        parts.append(norm[pos:])
    return CleanView("".join(parts), pieces)


def clean(doc: Document) -> Document:
    """Fill ``doc.clean`` (the pipeline's cleaning stage)."""
    doc.clean = clean_view(doc.text)
    return doc
