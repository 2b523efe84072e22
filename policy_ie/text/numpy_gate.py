"""Whether a text is worth importing numpy for: the cost of a cold start on a short article.

Three per-article steps have a numpy form and a plain Python form that give the same result
(character normalisation, the gazetteer's candidate positions, the MinHash signature).
numpy wins over a long text or a batch, but importing it costs more CPU than extracting a
short article: a command that extracts one short article would spend about a third of its
time importing numpy for nothing. So until numpy is imported, the first few short texts of
a process take the plain Python form; a long text, or the next short one once
:data:`BUDGET` have gone the plain way, imports numpy and from then on every text takes
the numpy form (a batch pays the Python form for a few texts only).
"""

from __future__ import annotations

import sys

#: texts of at least this many characters take numpy's form at once
LONG = 2000
#: at most this many texts take the plain form before numpy is imported anyway
BUDGET = 16

_spared = 0


def use_numpy(length: int) -> bool:
    """Whether a text of ``length`` characters should take the numpy form (see the module)."""
    global _spared
    if "numpy" in sys.modules or length >= LONG or _spared >= BUDGET:
        return True
    _spared += 1
    return False
