"""Date mentions: calendar times in the text, normalised to ISO 8601 (``policy_ie.extractors.dates``).

Finds absolute dates (``2016年06月08日``, ``2015年12月``, ``2016-10-06``, ``二〇一九年``),
ranges (``2016年-2018年`` is ``2016/2018``), parts of years (``2019年底``, ``上半年``),
deadlines (``2020年前`` is ``2020``), times relative to the publication date (``今年6月份``,
``去年``, ``年初以来``), vague times with no value (``近年来``) and the periods of five-year
plans (``十三五`` is ``2016/2020``). Durations (``1至3年``, ``两年内``), ages, recurring
times (``每年3月前``) and counts (``5000年文明``) are not dates. The extractor matches the
cleaned view and reports raw offsets. Nothing here raises on odd input: a mention that
cannot be resolved has value ``None``.

Modules, rules first, then the engine:

* :mod:`.vocab`: loads and validates ``data/dates.yaml``, where every word lives.
* :mod:`.forms`: the pattern of each kind of mention, built from the vocabulary.
* :mod:`.values`: the ISO value of a match; the matches that are counts, not dates.
* :mod:`.scan`: :func:`find_dates` (the jump from one possible start to the next) and
  :func:`normalise` (one expression on its own, what other modules use).
* :mod:`.extractor`: the registered ``dates`` extractor (registered when this package is
  imported).

May import :mod:`policy_ie.text`, :mod:`policy_ie.extractors.registry` and its own
modules only. Other code imports the names below from this package.
"""

from policy_ie.extractors.dates.extractor import extract
from policy_ie.extractors.dates.scan import Found, Patterns, find_dates, normalise, patterns
from policy_ie.extractors.dates.vocab import Vocab, vocab

__all__ = ["Found", "Patterns", "Vocab", "extract", "find_dates", "normalise", "patterns", "vocab"]
