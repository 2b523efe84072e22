"""Whether a text is worth importing numpy for: the cost of a cold start on a short article.

Three per-article steps have a numpy form and a plain Python form that give the same result
(character normalisation, the gazetteer's candidate positions, the MinHash signature).
numpy wins over a long text or a batch, but importing it costs more CPU than extracting a
short article: a command that extracts one short article would spend about a third of its
time importing numpy for nothing. So until numpy is imported, short texts take the plain
Python form, up to :data:`BUDGET` characters in all (counted in characters, not texts: an
article's sentences and numbers are normalised one by one); a long text, or a short one
past the budget, imports numpy, and from then on every text takes the numpy form (a batch
pays the plain form for its first few articles only).
"""

from __future__ import annotations

import sys

#: texts of at least this many characters take numpy's form at once
LONG = 2000
#: at most this many characters in all take the plain form before numpy is imported anyway
#: (a short article costs 3-4 times its length: cleaning, sentences, scan, signature)
BUDGET = 20_000

_spared = 0  # characters that took the plain form so far


def use_numpy(length: int) -> bool:
    """Whether a text of ``length`` characters should take the numpy form (see the module)."""
    global _spared
    if "numpy" in sys.modules or length >= LONG or _spared + length > BUDGET:
        return True
    _spared += length
    return False
