"""The extractors: each a function of one Document that fills one field (installed as ``policy_ie.extractors``).

Each module or package holds the rules a reader wants to change (in data files under
``data/`` and small rule modules) apart from the engine that makes them fast. Extractors
declare themselves in :mod:`~policy_ie.extractors.registry`; the run orders them.

May import: :mod:`policy_ie.text` and modules of this package, never :mod:`policy_ie.pipeline`.
"""
