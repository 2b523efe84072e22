"""The run and everything around it (installed as ``policy_ie.pipeline``): the top layer.

Ingest (files to Documents), the per-article function and its engines, the guard that turns
one article's fault into a warning on its record, value sanity, the cache, the dataset
writers, aggregation, the report, evaluation, model training and the command line.

May import: :mod:`policy_ie.text`, :mod:`policy_ie.extractors` and this package.
"""
