"""Build the index of jieba's dictionary with the domain words (``make install`` runs it).

``python -m policy_ie.extractors.index_build`` writes :data:`~policy_ie.extractors.dictionary_index.INDEX`
(see :mod:`policy_ie.extractors.dictionary_index`); run it again after changing the domain
dictionary (``data/user_dict.tsv``), the gazetteer or the installed jieba or rjieba: until
then the index is not used, and a cold start loads the whole dictionary as before.
"""

from __future__ import annotations

import sys

from policy_ie.extractors.dictionary_index import INDEX, build
from policy_ie.extractors.words import _rjieba_class, user_dictionary


def main() -> None:
    """Build the index, or exit with the reason it cannot be built."""
    try:
        build([(e.word, e.freq, e.pos) for e in user_dictionary()], _rjieba_class())
    except (ValueError, FileNotFoundError) as exc:
        sys.exit(f"dictionary index: {exc}")
    print(f"wrote {INDEX} ({INDEX.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
