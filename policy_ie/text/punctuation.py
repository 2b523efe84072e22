"""The genre's punctuation: the sets of characters that end sentences, clauses and stretches.

Read from ``data/punctuation.yaml``, where each set is made of named groups (full stops,
semicolons, commas, quotes…), so that a boundary is changed in one data file, not in the
modules that draw it. Each set is a string of characters, ready for a character class
(``re.escape`` it) or a ``str.find`` loop.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from policy_ie.text.lexicon import load_data

DATA_FILE = Path(__file__).parent / "data" / "punctuation.yaml"


@cache
def sets() -> dict[str, str]:
    """Every set of the data file by name: its groups' characters, in order, each once."""
    raw = load_data(DATA_FILE)
    groups, made = raw.get("groups"), raw.get("sets")
    if not isinstance(groups, dict) or not isinstance(made, dict):
        raise ValueError(f"{DATA_FILE}: expected mappings 'groups' and 'sets'")
    out: dict[str, str] = {}
    for name, parts in made.items():
        if not isinstance(parts, list) or not parts:
            raise ValueError(f"{DATA_FILE}: set {name!r} must list the groups it is made of")
        unknown = [p for p in parts if p not in groups]
        if unknown:
            raise ValueError(f"{DATA_FILE}: set {name!r} names unknown groups {unknown}; "
                             f"known: {', '.join(groups)}")
        out[name] = "".join(dict.fromkeys("".join(str(groups[p]) for p in parts)))
    return out


def chars(name: str) -> str:
    """The characters of set ``name`` (a KeyError names the sets there are)."""
    try:
        return sets()[name]
    except KeyError:
        raise KeyError(f"no punctuation set {name!r} in {DATA_FILE.name}; sets: {', '.join(sets())}") from None
