"""policy-ie: Chinese policy news to a sourced cross-region dataset; the one import package.

The Python API (:mod:`policy_ie.pipeline.api`)::

    import policy_ie
    record = policy_ie.extract(text, title=None, published=None, id=None)   # one article record
    records = policy_ie.extract_many(iterable, jobs=2)                      # streamed, in order
    frames = policy_ie.load("outputs")                                      # a built dataset's DataFrames

Layers, each importing only those below it:

* :mod:`policy_ie.text` (the repository's ``policy_ie/text/``): the document model and the
  text layer;
* :mod:`policy_ie.extractors` (the repository's ``extractors/``): rule books, their engines
  and the trained model, each a function of one Document;
* :mod:`policy_ie.pipeline` (the repository's ``pipeline/``): the run, ingest, the dataset
  writers, the report, the command line and this API.

The API's names are loaded on first use, so that ``import policy_ie`` (which every module of
the package implies) and ``policy-ie --version`` stay quick.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = ["extract", "extract_many", "load"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(import_module("policy_ie.pipeline.api"), name)
    raise AttributeError(f"module 'policy_ie' has no attribute {name!r}")
