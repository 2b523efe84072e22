"""Cost against text size: a 4 MB article against a 1 MB one, for the whole and each stage.

Archives hold odd pages (a year of a paper pasted into one file, a line of a million
digits); a stage whose cost grows faster than the text (a scan of the whole document per
mention, a linear search for a sentence, a backtracking regex) turns one such page into
hours. The target is a ratio of at most 5 between the 4 MB and the 1 MB article.

Two kinds of text are timed:

* ``genre``: news articles of ``../shared/corpus/news_sample.jsonl`` joined one after the
  other (else generated genre text); the 1 MB article is the prefix of the 4 MB one,
  cut at an article's end;
* ``digits``: one line of ASCII digits (a hostile input: every extractor sees one long
  number and no sentence end).

For each kind the table gives the time of the whole :func:`pipeline.run.process` (with
``segmenter="none"``, so that segmentation, a backend's cost, is left out), of the
cleaning and metadata stages, and of each registered extractor, then the peak memory that
``tracemalloc`` sees while the 4 MB article is processed. Each time is the least of
``REPEAT`` runs (noise only adds to a time). Every run is made in a process forked from one
warmed on other articles, so each starts from the same memos: run in one process, the
small text's second run found every name it asks about remembered from its first, while
the large one, with more distinct names than a memo keeps, could not, and the ratio
measured the memos rather than the cost. The garbage collector is set as :func:`pipeline.run.run`
sets it (a large article keeps more objects alive, which the collector scans again and
again at its default setting). Ratios are printed, never asserted (timing
belongs to benchmarks, not to tests).

usage: python -m bench.bench_linearity  (``BENCH_LINEARITY_MB=0.25`` for a quick run)
"""

from __future__ import annotations

import os
import time
import tracemalloc
from collections.abc import Callable

from bench import forks
from bench.corpus import texts
from policy_ie.extractors.metadata import extract_metadata
from policy_ie.extractors.registry import ordered
from policy_ie.extractors.words import segment
from policy_ie.pipeline.run import Options, _fewer_collections, process
from policy_ie.text.clean import clean
from policy_ie.text.document import Document

TARGET = 5.0
MIN_TIMED = 0.01  # seconds: a stage faster than this on the small text gets no ratio
SMALL_MB = float(os.environ.get("BENCH_LINEARITY_MB", "1"))
FACTOR = 4


def genre_text(mb: float) -> tuple[str, str]:
    """Articles joined by blank lines until the text holds ``mb`` megabytes (UTF-8)."""
    arts, where = texts(None)
    want = int(mb * 1e6)
    parts: list[str] = []
    size = k = 0
    while size < want:
        t = arts[k % len(arts)]
        parts.append(t)
        size += len(t.encode("utf-8")) + 2
        k += 1
    return "\n\n".join(parts), where


#: runs of each size; the least time counts
REPEAT = 2


def sizes(mb: float) -> dict[str, tuple[str, str]]:
    """The small and the large text of each kind."""
    big, where = genre_text(mb * FACTOR)
    want = int(mb * 1e6)
    cut, size = 0, 0
    for piece in big.split("\n\n"):
        size += len(piece.encode("utf-8")) + 2
        cut += len(piece) + 2
        if size >= want:
            break
    n = int(mb * 1e6)
    return {f"genre ({where.split(' (')[0]})": (big[:cut - 2], big),
            "digits (one line)": ("1" * n, "1" * (n * FACTOR))}


def stage_times(text: str) -> dict[str, float]:
    """Seconds per stage of one run over ``text`` (each extractor timed on its own)."""
    out: dict[str, float] = {}
    doc = Document(id="bench", path="bench", text=text)

    def timed(name: str, fn: Callable[[], object]) -> None:
        t0 = time.perf_counter()
        fn()
        out[name] = time.perf_counter() - t0

    timed("clean", lambda: clean(doc))

    def meta() -> None:
        doc.meta = extract_metadata(doc)  # as the registered metadata extractor does

    timed("metadata", meta)
    segment(doc, "none")
    for ex in ordered():
        timed(ex.name, lambda ex=ex: setattr(doc, ex.assigns, ex.func(doc)))
    t0 = time.perf_counter()
    process(Document(id="bench", path="bench", text=text), Options(segmenter="none"))
    out["process() as a whole"] = time.perf_counter() - t0
    return out


def in_child(text: str) -> dict[str, float]:
    """:func:`stage_times` of ``text`` in a process forked from this one (which it leaves as
    it was: the memos the run fills go with the child), the collector set as ``run()`` sets it."""

    def work() -> dict[str, float]:
        with _fewer_collections():
            return stage_times(text)

    return dict(forks.finish(forks.start(work)))


def best_of(text: str, runs: int = REPEAT) -> dict[str, float]:
    """The least time of ``runs`` runs, per stage (as ``timeit`` does: noise only adds),
    each from the same state (:func:`in_child`)."""
    times = [in_child(text) for _ in range(runs)]
    return {name: min(t[name] for t in times) for name in times[0]}


def peak_mb(text: str) -> float:
    """Peak traced memory (MB) while ``process()`` runs over ``text``."""
    tracemalloc.start()
    try:
        process(Document(id="bench", path="bench", text=text), Options(segmenter="none"))
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def main() -> None:
    ordered()  # load data files before any timing
    process(Document(id="warm", path="warm", text="2019年底，某县贫困人口减少到1200人。"),
            Options(segmenter="none"))
    arts, _ = texts(None)
    stage_times("\n\n".join(arts[-200:]))  # the town and village lists loaded, memos warm: not timed
    for kind, (small, large) in sizes(SMALL_MB).items():
        a, b = best_of(small), best_of(large)
        mb_s, mb_l = len(small.encode()) / 1e6, len(large.encode()) / 1e6
        print(f"   {kind}: {mb_s:.2f} MB vs {mb_l:.2f} MB (target ratio <= {TARGET:.0f})")
        for name in a:
            if a[name] < MIN_TIMED:
                print(f"     {name:<22} {a[name]:8.3f} s {b[name]:8.3f} s  (too fast to compare)")
                continue
            ratio = b[name] / a[name]
            flag = "  OVER TARGET" if ratio > TARGET else ""
            print(f"     {name:<22} {a[name]:8.3f} s {b[name]:8.3f} s  ratio {ratio:5.2f}{flag}")
        print(f"     peak traced memory, {mb_l:.1f} MB article: {peak_mb(large):.0f} MB")


if __name__ == "__main__":
    main()
