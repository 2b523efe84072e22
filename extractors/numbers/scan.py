"""Finding every quantity expression of a text: the engine around the rules.

:func:`find_quantities` folds full-width characters (offsets unchanged), finds candidate
numbers with one pattern (:mod:`.lookups`), parses each (:mod:`.parse`, or its longest
part that parses), drops Chinese numerals that are parts of words and numbers inside short
quotes (“五个一批”), reads the quantity around each (:mod:`.quantity`) and links ranges
(:mod:`.ranges`). Clause starts are tracked as the scan moves on, so each stretch of
text is searched once.
"""

from __future__ import annotations

import bisect

from policy_ie.extractors.numbers.boundaries import CLAUSE_END, ends_re
from policy_ie.extractors.numbers.lookups import scan_tables
from policy_ie.extractors.numbers.parse import parse_clean
from policy_ie.extractors.numbers.quantity import Quantity, read_quantity
from policy_ie.extractors.numbers.ranges import link_ranges
from policy_ie.extractors.numbers.tables import Numerals, UnitTable, normalise, numerals, unit_table

MAX_NUMBER = 60  # > 40 characters + one thousands comma per four: see find_quantities


def _quote_spans(text: str, t: UnitTable) -> list[tuple[int, int]]:
    """Every quoted stretch of ``text`` no longer than its quote's ``max_len`` (a name, not a count)."""
    spans = []
    for op, cl, max_len in t.quotes:
        i = 0
        while True:
            a = text.find(op, i)
            if a < 0:
                break
            b = text.find(cl, a + 1)
            if b < 0:
                break
            if b - a - 1 <= max_len:
                spans.append((a, b + 1))
            i = b + 1
    return spans


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity expression of ``text``, in order; never raises on any string."""
    if not isinstance(text, str) or not text:
        return []
    n, t = numerals(), unit_table()
    x = scan_tables(t, n)
    norm = normalise(text)
    quotes = _merged_quotes(norm, t)
    q_starts = [a for a, _ in quotes]
    clause_end = ends_re(CLAUSE_END, True)
    c0 = seen = 0  # start of the clause of the last number scanned, and where it was
    out: list[Quantity] = []
    for m in x.numbers.finditer(norm):
        s, e = m.span()
        parsed = parse_clean(norm[s:e]) if e - s <= MAX_NUMBER else None  # the number as found
        if parsed is not None:
            value, vague = parsed
        else:
            got = _parse_at(norm, s, e) or _lone_large(norm, s, e, n, t)  # else its longest part that parses
            if got is None:
                continue
            e, value, vague = got
        if norm[e:e + 1] not in x.unit_or_infix and norm[s] in n.chars and x.large.isdisjoint(norm[s:e]):
            continue  # a Chinese numeral without a unit or magnitude is part of a word (一些, 三农)
        if quotes:
            k = bisect.bisect_right(q_starts, s) - 1
            if k >= 0 and s < quotes[k][1]:
                continue
        # numbers come in order: the clause end before this one is after the last number
        # or the last one's clause start stands (each stretch of text is searched once)
        b = clause_end.search(norm, seen, s)
        if b is not None:
            c0 = b.start() + 1
        seen = s
        q = read_quantity(norm, s, e, value, vague, t, n, c0, x)
        if q is not None and e - s == 1 and norm[s] in n.large and s > 0:
            q.qualifier = q.qualifier or n.lone_before.get(norm[s - 1])  # 上万名: over ten thousand
            if norm[s - 1] in n.lone_joined:
                q.start -= 1  # 上万 is one numeral
                q.text = norm[q.start:q.end]
        if q is not None:
            if norm is not text:
                q.text = text[q.start:q.end]  # the text as given, not as normalised
            out.append(q)
    link_ranges(norm, out, t)
    return out


def _merged_quotes(norm: str, t: UnitTable) -> list[tuple[int, int]]:
    """The short quoted stretches of ``norm``, merged, so one bisect finds the cover."""
    quotes: list[tuple[int, int]] = []
    for a, b in sorted(_quote_spans(norm, t)):
        if quotes and a < quotes[-1][1]:
            quotes[-1] = (quotes[-1][0], max(b, quotes[-1][1]))
        else:
            quotes.append((a, b))
    return quotes


def _lone_large(norm: str, s: int, e: int, n: Numerals, t: UnitTable) -> tuple[int, int, bool] | None:
    """``(end, value, False)`` of a magnitude standing alone at ``s`` as one of it (上万名,
    万余人, 增收万元以上: ``lone_large`` of numerals.yaml), or None (万人大会, 亿万农民)."""
    ch = norm[s]
    if ch not in n.large or (s + 1 < len(norm) and norm[s + 1] in n.chars):
        return None
    if s > 0 and norm[s - 1] in n.chars:
        return None
    um = t.unit_re.match(norm, s + 1)
    after = (s + 1, um.end()) if um else (s + 1,)
    if norm[s - 1:s] in n.lone_before or any(norm.startswith(w, a) for a in after for w in n.lone_after):
        return s + 1, n.large[ch], False
    return None


def _parse_at(norm: str, s: int, e: int) -> tuple[int, int | float, bool] | None:
    """``(end, value, vague)`` of the longest number of ``norm[s:e]`` from ``s``, or None.

    A number of more than MAX_NUMBER characters never parses (at most 40 once thousands
    commas are gone), so the shortening starts there: a line of a million digits is one
    slice, not a million.
    """
    e = min(e, s + MAX_NUMBER)
    while e > s:
        parsed = parse_clean(norm[s:e])
        if parsed is not None:
            return e, parsed[0], parsed[1]
        e -= 1
    return None
