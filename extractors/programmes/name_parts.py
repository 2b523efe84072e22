"""The pieces of a programme's name: its numerals and its enumeration parts.

:func:`numeral_tokens` reads the numerals of a name (五在村: 五; 三三四: 三, 三, 四),
:func:`expected_counts` how many components they announce, and :func:`split_enumeration`
cuts a list (责任在村落实、组织在村建强、...) into its parts. Shared by the slogan rules
(:mod:`.slogan`) and the components (:mod:`.components`).
"""

from __future__ import annotations

import re
from functools import lru_cache

OPEN = "(（"  # parentheses: a separator between them does not split an enumeration
CLOSE = ")）"
TAIL = re.compile(r"(?:等等|等)$")  # a list that ends in 等 may be shorter than announced


def numeral_tokens(name: str, numerals: dict[str, int]) -> list[tuple[str, int]]:
    """Numerals of a name with their values; ordinals (第一) and digit runs handled.

    A digit run is of decimal digits: superscripts and circled numbers (², ①) are digits to
    ``str.isdigit`` but not numbers to ``int`` and are skipped.
    """
    out: list[tuple[str, int]] = []
    i = 0
    while i < len(name):
        ch = name[i]
        if ch == "第":
            i += 2
            continue
        if ch.isdecimal():
            j = i
            while j < len(name) and name[j].isdecimal():
                j += 1
            out.append((name[i:j], int(name[i:j])))
            i = j
            continue
        if ch in numerals:
            out.append((ch, numerals[ch]))
        i += 1
    return out


def expected_counts(name: str, numerals: dict[str, int]) -> set[int]:
    """Plausible numbers of components for a name: 五在村 {5}; 十百千 {3}; 三三四 {3, 10}."""
    toks = numeral_tokens(name, numerals)
    if not toks:
        return set()
    vals = [v for _, v in toks]
    first = toks[0][0]
    rest = name[name.index(first) + len(first):]
    # the leading numeral counts the parts (五在村, 五个一批) unless another numeral follows it
    counts = {vals[0]} if rest[:1] not in numerals else set()
    if len(vals) >= 2:
        counts |= {len(vals), sum(vals)}
    return {n for n in counts if 2 <= n <= 20}


def split_enumeration(s: str, seps: str) -> list[str]:
    """Split ``s`` at separators outside parentheses; strip a trailing 等 from the last part."""
    sep = _sep_re(seps)
    if sep.search(s) is None:  # nothing to split at
        parts = [s.strip()]
    elif _PARENS.search(s) is None:  # no parentheses: one split, no loop over characters
        parts = [p.strip() for p in sep.split(s)]
    else:
        parts = _split_outside_parens(s, seps)
    parts = [p for p in parts if p]
    if parts and parts[-1].endswith("等"):  # (else there is no 等 to strip)
        parts[-1] = TAIL.sub("", parts[-1]).strip()
        parts = [p for p in parts if p]
    return parts


_PARENS = re.compile(f"[{re.escape(OPEN + CLOSE)}]")


@lru_cache(maxsize=32)
def _sep_re(seps: str) -> re.Pattern[str]:
    """A pattern matching one separator character of ``seps`` (none when it is empty)."""
    return re.compile(f"[{re.escape(seps)}]" if seps else "(?!)")


def _split_outside_parens(s: str, seps: str) -> list[str]:
    """The stripped pieces of ``s`` between separators at parenthesis depth 0."""
    parts: list[str] = []
    depth = 0
    cur = []
    for ch in s:
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(0, depth - 1)
        if ch in seps and depth == 0:
            parts.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur).strip())
    return parts
