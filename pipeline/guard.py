"""The guard around one article: a fault in reading, processing or writing it becomes a
warning on its record, and the batch goes on.

A skipped article's record has no text and no results (the tally counts it as skipped, exit
status 1) and a warning that names its file and id, the step that failed and where, so the
user can find the article and report it.
"""

from __future__ import annotations

import os
import traceback

from policy_ie.text.document import Document, Metadata


def fault(exc: BaseException) -> str:
    """``exc`` in a warning: its type, message and the file and line it was raised at."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {os.path.basename(frames[-1].filename)}:{frames[-1].lineno}" if frames else ""
    return f"{type(exc).__name__}: {exc}{where}"


def skipped(doc: Document, step: str, exc: BaseException) -> Document:
    """The record of ``doc`` whose ``step`` (processing, writing) failed with ``exc``: its
    id, path, metadata and warnings so far, and one more saying what failed."""
    why = f"{doc.path}, article {doc.id!r}: skipped: {step} failed ({fault(exc)}); please report this article"
    meta = doc.meta if isinstance(doc.meta, Metadata) else Metadata()
    return Document(id=doc.id, path=doc.path, text="", meta=meta, warnings=[*doc.warnings, why])
