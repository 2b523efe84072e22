"""The date scanner: every date mention of a text, left to right, not overlapping.

:func:`find_dates` folds full-width digits and separators one for one (offsets unchanged)
and jumps with one regex search from one position where some kind of mention matches to
the next (:func:`any_kind`); there it tries the kinds that can start with that character
(:class:`Patterns`), keeps the longest match and reads its value (:mod:`.values`). The
year and month a sentence gave last are carried to the next mention until a sentence end.
:func:`normalise` reads one expression on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from policy_ie.extractors.dates.forms import KINDS, char_class, first_chars, forms, start_chars
from policy_ie.extractors.dates.values import SKIP, Ctx, blocked_before, parse_pub, value_of
from policy_ie.extractors.dates.vocab import vocab

# Same-length folding of full-width digits and separators, so that the raw text can be
# matched directly (offsets stay the same).
_FOLD = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)} | {
    "\uff0d": "-", "\uff0f": "/", "\uff0e": ".", "\u3000": " "})
# folding is skipped when none of its characters occurs (a scan is cheaper than translate)
_FOLDED_CHARS = re.compile("[" + re.escape("".join(map(chr, _FOLD))) + "]")


#: A mention with this character names its year (2017年, 去年4月), and a later 同年 may
#: read it; 6月26日 takes its year from elsewhere and names none.
YEAR_WORD = "年"


@dataclass(frozen=True, slots=True)
class Patterns:
    """Compiled patterns, one per kind of mention (tried in the order of ``KINDS`` where
    ``any`` matches), and the scanner's own."""

    main: re.Pattern[str]
    numeric: re.Pattern[str]
    dmy: re.Pattern[str]
    plan: re.Pattern[str]
    decade: re.Pattern[str]
    vague: re.Pattern[str]
    rel_day: re.Pattern[str]
    day: re.Pattern[str]
    start: re.Pattern[str]  # characters where a mention may start, and sentence ends
    any: re.Pattern[str]  # a start character where one of the kinds above matches
    ends: re.Pattern[str]  # a sentence end
    # per start character, the (kind, pattern) that can match there, in the order tried
    by_char: dict[str, tuple[tuple[str, re.Pattern[str]], ...]]

    def kinds(self) -> tuple[tuple[str, re.Pattern[str]], ...]:
        """(kind, pattern) in the order they are tried at a position."""
        return tuple((k, getattr(self, k)) for k in KINDS)

        return tuple((k, getattr(self, k)) for k in KINDS)


@cache
def patterns() -> Patterns:
    """Build the patterns from the vocabulary (once)."""
    v = vocab()
    kinds, opening = forms()
    starts = start_chars(v)
    firsts = {k: chars & starts for k, chars in first_chars(v).items()}
    return Patterns(
        **kinds,
        start=re.compile(char_class(starts)),
        any=any_kind(kinds, firsts, {"main": opening}),
        by_char={ch: tuple((k, kinds[k]) for k in KINDS if ch in firsts[k]) for ch in starts},
        ends=re.compile("[" + re.escape(v.sentence_ends) + "]"),
    )


def any_kind(kinds: dict[str, re.Pattern[str]], firsts: dict[str, set[str]],
             openings: dict[str, str]) -> re.Pattern[str]:
    """One pattern that matches where any kind matches (at a start character): the scanner
    jumps from one such position to the next with one search.

    Each kind is tried only where it can start (``firsts``; ``openings``: a cheap necessary
    lookahead), a failed test of one character where its whole pattern would be tried.
    """
    alts = [f"(?={char_class(firsts[k])})" + (f"(?={openings[k]})" if k in openings else "")
            + f"(?:{_own_groups(k, kinds[k].pattern)})" for k in KINDS if firsts[k]]
    if not alts:
        return re.compile("(?!)")
    return re.compile(f"(?={char_class(set().union(*firsts.values()))})(?:{'|'.join(alts)})")


def _own_groups(kind: str, src: str) -> str:
    """``src`` with its group names (and references to them) prefixed by ``kind``, so that
    the patterns of all kinds can stand side by side in one alternation."""
    src = re.sub(r"\(\?P=(\w+)\)", lambda mt: f"(?P={kind}_{mt.group(1)})", src)
    return re.sub(r"\(\?P<(\w+)>", lambda mt: f"(?P<{kind}_{mt.group(1)}>", src)


@dataclass(frozen=True, slots=True)
class Found:
    """A date found in a text: clean offsets, the matched text and its value."""

    start: int
    end: int
    text: str
    value: str | None


def find_dates(text: str, published: str | None = None) -> list[Found]:
    """All date mentions of ``text`` (clean offsets), left to right, not overlapping."""
    if not isinstance(text, str) or not text:
        return []
    v = vocab()
    pats = patterns()
    folded = text.translate(_FOLD) if _FOLDED_CHARS.search(text) else text
    ctx = Ctx(pub=parse_pub(published))
    out: list[Found] = []
    i, n = 0, len(folded)
    ends = v.sentence_ends
    by_char = pats.by_char
    while i < n:
        # the next start character where some kind matches; the start characters skipped
        # on the way match nothing, and only a sentence end among them counts
        hit = pats.any.search(folded, i)
        if hit is None:
            break
        p = hit.start()
        if ctx.year is not None and pats.ends.search(folded, i, p):  # (no year: no month either)
            ctx.year = ctx.month = None
        i = p
        best: tuple[int, int, str | None, tuple[int | None, int | None]] | None = None
        for kind, pat in by_char[folded[i]]:
            mt = pat.match(folded, i)
            if mt is None or mt.end() <= i:
                continue
            val, keep = value_of(kind, mt, folded, ctx)
            if val is SKIP:
                continue
            if best is None or mt.end() > best[1]:
                best = (mt.start(), mt.end(), val, keep)  # type: ignore[assignment]
        if best is None:
            if folded[i] in ends:
                ctx.year = ctx.month = None
            i += 1
            continue
        s, e, val, keep = best
        if blocked_before(folded, s, v.recurring_before):
            i = e
            continue
        out.append(Found(s, e, text[s:e], val))
        if keep[0] is not None:
            ctx.year, ctx.month = keep
            if YEAR_WORD in folded[s:e] and not folded.startswith(v.context_words, s):
                ctx.last_year = keep[0]  # (a month and day take their year, they name none)
        i = e
    return out


def normalise(expr: str, published: str | None = None) -> str | None:
    """The ISO 8601 value of one date expression (``2019年底`` -> ``2019-12``), or None.

    ``published`` (ISO) resolves relative expressions. Returns None for anything that is
    not exactly one date expression; never raises.
    """
    if not isinstance(expr, str):
        return None
    s = expr.strip()
    try:
        found = find_dates(s, published)
    except (ValueError, KeyError, IndexError, OverflowError):  # pragma: no cover - defensive
        return None
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(s):
        return found[0].value
    return None
