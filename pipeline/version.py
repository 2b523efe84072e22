"""The pipeline's version for caching: a hash of its code, data and models.

Any change to a module, lexicon, gazetteer or model under ``pipeline/`` or ``extractors/``
changes this fingerprint, so cached results made by another version are never reused.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

PACKAGES = ("pipeline", "extractors")
SUFFIXES = {".py", ".yaml", ".yml", ".tsv", ".json", ".csv", ".gz", ".txt", ".html", ".js", ".css",
            ".bin", ".cfg", ".spacy", ".npy", ".msgpack"}


@cache
def fingerprint() -> str:
    """A short hex digest over every code and data file of the pipeline."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for pkg in PACKAGES:
        for p in sorted((root / pkg).rglob("*")):
            in_data = "data" in p.relative_to(root / pkg).parts  # models have files without suffix
            if p.is_file() and (p.suffix in SUFFIXES or in_data) and "__pycache__" not in p.parts:
                h.update(str(p.relative_to(root)).encode())
                h.update(b"\0")
                h.update(p.read_bytes())
                h.update(b"\0")
    return h.hexdigest()[:16]
