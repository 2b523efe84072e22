"""Numbers and quantity expressions of Chinese news text (``policy_ie.extractors.numbers``).

Two layers, both pure functions of strings:

* :func:`parse_number` reads one number written in Arabic digits, full-width digits,
  Chinese numerals or a mixture with 万/亿 (``"1.45亿" -> 145000000``, ``"一千二百万" ->
  12000000``) and returns ``None`` (never raises) for anything that is not one number.
* :func:`find_quantities` finds every quantity expression in a text: the number, its unit,
  qualifier (约/余/近/超过/预计 ...), rate (每年, 人均, /年 ...) and the ranges or changes it
  belongs to (``由329万减少到25.5万`` gives two linked quantities). Ordinals (第一书记),
  numbers inside names and short quotes (十三五, “五个一批”), codes and times are not
  quantities.

Offsets are Python string indices into the text as given (full-width characters are
normalised one for one, so offsets never shift).

Modules, rules first, then the engine that makes them fast:

* :mod:`.tables`: loads and validates ``data/numerals.yaml`` and ``data/units.yaml``;
  full-width folding.
* :mod:`.grammar`: how numerals combine into one value (十, 百, 万, 两万五, 1.45亿);
  :func:`format_chinese` writes them.
* :mod:`.quantity`: the unit, qualifier and rate around one number; what is not a count.
* :mod:`.ranges`: two quantities as the ends of a span or a change.
* :mod:`.parse`: one number as given, remembered (bounded memo table).
* :mod:`.lookups`: the candidate-number pattern and word look-ups derived from the tables.
* :mod:`.scan`: :func:`find_quantities`, the scan over a text.
* :mod:`.boundaries`: clause and sentence ends around a figure (an index for long texts).

May import :mod:`policy_ie.text` and its own modules only. Other code imports the names
below from this package, not from its modules.
"""

from policy_ie.extractors.numbers.boundaries import (
    CLAUSE_END,
    SENTENCE_END,
    boundary_left,
    boundary_positions,
    boundary_right,
)
from policy_ie.extractors.numbers.grammar import format_chinese
from policy_ie.extractors.numbers.parse import parse_number, parse_number_ex
from policy_ie.extractors.numbers.quantity import TIME_CLASSES, Quantity
from policy_ie.extractors.numbers.scan import find_quantities
from policy_ie.extractors.numbers.tables import (
    QUALIFIERS,
    Numerals,
    Unit,
    UnitTable,
    normalise,
    numerals,
    unit_table,
)

__all__ = [
    "CLAUSE_END",
    "QUALIFIERS",
    "SENTENCE_END",
    "TIME_CLASSES",
    "Numerals",
    "Quantity",
    "Unit",
    "UnitTable",
    "boundary_left",
    "boundary_positions",
    "boundary_right",
    "find_quantities",
    "format_chinese",
    "normalise",
    "numerals",
    "parse_number",
    "parse_number_ex",
    "unit_table",
]
