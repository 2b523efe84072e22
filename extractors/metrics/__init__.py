"""Metrics: which quantities of an article report a metric of the catalogue, and about what.

Each quantity found by :mod:`policy_ie.extractors.numbers` in the cleaned text is classified
from its context with the cue lexicon of ``data/metric_cues.yaml`` (see the comments there):
first the noun it counts (its subject), which gives a metric by unit class, then ordered
context rules (脱贫 governing the people, beneficiary verbs, per-capita pay-outs ...). A
quantity whose metric is unclear is not reported: precision matters more than recall here.
The metrics themselves (keys, units, labels) are those of :mod:`policy_ie.extractors.catalogue`.

Each reported figure is attached to the region its sentence names before it (else the
article's region) and to the nearest date mention before it in the same sentence. A value
mentioned twice is reported at each place; comparison deduplicates.

Modules, each importing only those above it:

* :mod:`policy_ie.extractors.metric_cues` (beside this package, so that the model can read
  it without loading the extractor): the cue lexicon loaded, validated and compiled (the
  rules' engine).
* :mod:`.subject`: the noun a quantity counts, and the lists counts form (joined, keyed by
  places).
* :mod:`.classify`: which metric a quantity reports (:class:`Classified`).
* :mod:`.attach`: which region (scope words 全国, 全县; the place a 分别 list pairs with it)
  and which date a figure goes to.
* :mod:`.extractor`: :func:`metrics_of` and the registered extractor ``metrics``, which
  consults the statistical model (:mod:`policy_ie.extractors.model`, which reads the cue
  lexicon too).

May import: :mod:`policy_ie.text`, and of the extractors ``catalogue``, ``metric_cues``,
``numbers``, ``regions``, ``gazetteer`` (a place that keys a count in a list: 册亨县20个),
``registry``, ``model``, and itself; nothing imports this package back but the pipeline.
"""

from policy_ie.extractors.metrics.classify import Classified
from policy_ie.extractors.metrics.extractor import extract, metrics_of

__all__ = ["Classified", "extract", "metrics_of"]
