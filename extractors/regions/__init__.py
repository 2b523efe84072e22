"""Region mentions resolved to division codes, and the article's own region.

Installed as ``policy_ie.extractors.regions``. Importing the package registers two
extractors: ``regions`` (:func:`extract`, the mentions of the body) and ``article_region``
(:func:`extract_article_region`). The language data (stop words, short names that need
context, town and village suffixes, dateline and heading patterns, thresholds) is in
``extractors/data/regions.yaml``; the divisions come from :mod:`policy_ie.extractors.gazetteer`.

How a mention is found, step by step, and where each step's rules live:

1. **Scan** (:mod:`.scan`, engine): every gazetteer form, leftmost-longest, in one pass.
2. **Filter** (:mod:`.glue`, rules): a form glued to an outlet, organisation or thing
   (``西藏日报``, ``中山大学``, ``延安路``) or after a stop word (``援``) is no mention.
3. **Resolve** (:mod:`.candidates`, :mod:`.resolve`, rules): the candidates of a form at the
   article's month, scored by the hierarchy, anchors elsewhere in the article and level;
   then accepted or not (short names that are common words, suffix-less county forms, word
   boundaries from :mod:`.boundaries`).
4. **Below the county** (:mod:`.below_county`, rules): towns of the named counties and
   villages of the named towns, with their codes.
5. **Unknown places** (:mod:`.unknown`, rules): towns and villages the lists lack, right
   after a known division or tagged as place names, with no code.

:mod:`.mentions` runs the steps (:func:`find_regions`) and registers ``regions``;
:mod:`.article` holds the rules of the article's own region (title, kicker and subtitle,
opening); :mod:`.datelines` finds the datelines the opening skips (the metrics skip them too).

The engine apart from the rules: :mod:`.scan` (numpy hash of bigrams), :mod:`.memo` (look-up
tables kept with the gazetteer), :mod:`.suffix_search` (names found from their suffix's end),
:mod:`.spans` (the spans taken), :mod:`.boundaries` (words from the tokens or jieba).

May import: :mod:`policy_ie.text`, :mod:`policy_ie.extractors.gazetteer`,
:mod:`policy_ie.extractors.words` (the POS tagger) and :mod:`policy_ie.extractors.registry`;
never :mod:`policy_ie.pipeline`. Inside the package the rule modules import the engine
modules, :mod:`.mentions` imports the steps and :mod:`.article` imports :mod:`.mentions`;
no module imports this ``__init__``, which only re-exports the names other code uses.
"""

from policy_ie.extractors.regions.article import extract_article_region
from policy_ie.extractors.regions.datelines import dateline_spans
from policy_ie.extractors.regions.mentions import article_month, extract, find_regions
from policy_ie.extractors.regions.scan import Hit

__all__ = ["Hit", "article_month", "dateline_spans", "extract", "extract_article_region", "find_regions"]
