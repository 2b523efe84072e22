"""The pipeline's version for caching: a hash of its code, data and models.

Any change to a module, lexicon, gazetteer or model of policy-ie (``policy_ie/text/``,
``extractors/``, ``pipeline/``)
changes this fingerprint, so cached results made by another version are never reused.
"""

from __future__ import annotations

import hashlib
import importlib.util
from functools import cache
from pathlib import Path

#: The layers whose code and data make a result, by import name.
PACKAGES = ("policy_ie.text", "policy_ie.extractors", "policy_ie.pipeline")
SUFFIXES = {".py", ".yaml", ".yml", ".tsv", ".json", ".csv", ".gz", ".txt", ".html", ".js", ".css",
            ".bin", ".cfg", ".spacy", ".npy", ".msgpack"}


@cache
def fingerprint() -> str:
    """A short hex digest over every code and data file of the pipeline."""
    h = hashlib.sha256()
    for pkg in PACKAGES:
        root = Path(importlib.util.find_spec(pkg).origin).parent  # type: ignore[union-attr, arg-type]
        for p in sorted(root.rglob("*")):
            in_data = "data" in p.relative_to(root).parts  # models have files without suffix
            if p.is_file() and (p.suffix in SUFFIXES or in_data) and "__pycache__" not in p.parts:
                h.update(f"{pkg}/{p.relative_to(root).as_posix()}".encode())
                h.update(b"\0")
                h.update(p.read_bytes())
                h.update(b"\0")
    return h.hexdigest()[:16]
