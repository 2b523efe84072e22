"""The per-article function and the engines that run it over a batch.

:func:`process` is one pure function of one Document: clean, metadata, segment, then every
registered extractor in dependency order. A failing extractor becomes a warning on the
record, never a crash of the batch. :func:`run` maps it over documents in input order,
in this process or in a pool of worker processes (``jobs``).
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from extractors.metadata import extract_metadata
from extractors.registry import ordered
from pipeline.clean import clean
from pipeline.document import Document
from pipeline.segment import segment


@dataclass(frozen=True, slots=True)
class Options:
    """What the per-article function does; picklable, so it travels to worker processes."""

    segmenter: str = "jieba"
    extractors: tuple[str, ...] | None = None


def process(doc: Document, options: Options = Options()) -> Document:
    """Run every stage on one document and return it (the same object, filled in)."""
    if not doc.text:
        return doc
    clean(doc)
    doc.meta = extract_metadata(doc)
    segment(doc, options.segmenter)
    names = list(options.extractors) if options.extractors is not None else None
    for ex in ordered(names):
        try:
            setattr(doc, ex.assigns, ex.func(doc))
        except Exception as exc:  # one odd article must not stop a batch of a million
            where = traceback.extract_tb(exc.__traceback__)[-1]
            doc.warnings.append(
                f"{doc.path}: extractor {ex.name!r} failed ({type(exc).__name__}: {exc} at "
                f"{os.path.basename(where.filename)}:{where.lineno}); its results are left out. "
                "Please report this article."
            )
    return doc


def _process_one(args: tuple[Document, Options]) -> Document:
    return process(*args)


def run(docs: Iterable[Document], options: Options = Options(), jobs: int = 1) -> Iterator[Document]:
    """Process documents in input order, with ``jobs`` worker processes when above 1."""
    if jobs <= 1:
        for doc in docs:
            yield process(doc, options)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(_process_one, ((d, options) for d in docs), chunksize=8)


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
