"""``policy-ie build --engine dask``: the cluster does the work, the client only merges.

The client lists the inputs and cuts them into partitions (:func:`pipeline.partitioned.plan`:
it counts line breaks, it parses no article), then hands dask one graph of dask.bag
collections:

- near-duplicates (:mod:`pipeline.neardup`): each partition's signatures written to the build's
  folder (workers), their LSH band keys grouped by key in a task shuffle (``Bag.groupby`` of a
  few numpy arrays per partition and bucket of keys: :func:`pipeline.neardup.bucketed`), the
  pairs alike enough (the signatures read back from disk), and one task that decides in input
  order which article copies which and writes each partition's copies to disk (it sees the
  similar pairs, as arrays, and the ids given twice only, never an index of every article);
- each partition processed and written by a worker into the build's temporary folder
  (:func:`~pipeline.partitioned.write_part`), its partial aggregator too (:func:`write_spilled`),
  and the partial aggregators merged from their files into one running aggregator in input
  order (:func:`fold_into`: a chain, so that a worker holds one merged aggregator, not every
  group of a tree's nor the partitions' waiting for their merge);
- workers put the large files together from the partitions (facts, articles);
- one task writes the files made from the merged aggregator (the chain's end): the comparison's
  (csv, sources, panel, xlsx, md), the report and the database
  (:func:`~pipeline.partitioned.assemble_merged`: one result of it, not a copy per file).

The client receives the partitions' counts only (and the warnings to print) and renames
everything into place at once: its work does not grow with the articles, beside counting line
breaks to cut the input. The output
folder must be on storage every worker and the client share (the same path everywhere). The
partitions stay in ``OUTPUT/parts/`` (``facts/part-NNNNN.parquet``, the fact rows;
``articles/part-NNNNN.parquet``, the database's article rows with their text).
"""

from __future__ import annotations

import ctypes
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policy_ie.pipeline.aggregate import Aggregator
from policy_ie.pipeline.codebook import Provenance
from policy_ie.pipeline.dataset import OUTPUT_FILES, REPORT_ARTICLES, DatasetSummary
from policy_ie.pipeline.ingest import InputFile
from policy_ie.pipeline.neardup import bucket_pairs, bucketed, resolve_buckets, sign_part
from policy_ie.pipeline.options import Options
from policy_ie.pipeline.partitioned import (
    PartResult,
    TablesResult,
    assemble_articles,
    assemble_facts,
    assemble_merged,
    part_name,
    plan,
    write_part,
)
from policy_ie.pipeline.verdicts import Verdicts

#: articles per partition at most, and at least (small inputs still give every worker work): a
#: worker holds one partition's rows at a time, so its memory does not grow past MOST's
MOST, LEAST = 1000, 50
#: partitions per worker when the input is small enough to choose
PER_WORKER = 4
PARTS = "parts"


def release_memory() -> bool:
    """Give the C heap's free pages back to the system (glibc's ``malloc_trim(0)``); False where
    there is no glibc. A worker's large tasks (a partition's rows, the assembly of the files) free
    their memory in pieces scattered through the heap, which the worker keeps: the next task's
    peak stands on top of it, so a worker that ran more partitions peaks higher. The nanny's
    ``MALLOC_TRIM_THRESHOLD_`` (README) gives back only the heap's top."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    return bool(libc.malloc_trim(0))


@dataclass(frozen=True)
class Trimmed:
    """``fn``, then :func:`release_memory` (picklable, for a task of the graph)."""

    fn: Callable[..., Any]

    @property
    def __name__(self) -> str:  # dask names the task's key after it
        return str(getattr(self.fn, "__name__", "task"))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return self.fn(*args, **kwargs)
        finally:
            release_memory()


@dataclass
class DistributedRun:
    """What the build did, for the summary line and the exit status."""

    processed: int = 0
    duplicates: int = 0
    read: int = 0
    skipped: int = 0
    partitions: int = 0
    warnings: list[str] = field(default_factory=list)
    #: articles read back from the cache (the pooled build's; a dask build has no cache)
    cached: int = 0


def count_lines(files: list[InputFile]) -> int:
    """Line breaks in the plain files (the articles of JSONL archives), others counted as one."""
    total = 0
    for f in files:
        if f.skip is None and f.path.suffix.lower() == ".jsonl":
            with f.path.open("rb") as fh:
                while chunk := fh.read(1 << 23):
                    total += chunk.count(b"\n")
        else:
            total += 1
    return total


def rows_per_part(files: list[InputFile], workers: int, lines: int | None = None) -> int:
    """Articles per partition: PER_WORKER partitions per worker, within LEAST and MOST (``lines``:
    :func:`count_lines` of ``files`` when already counted)."""
    lines = count_lines(files) if lines is None else lines
    return max(LEAST, min(MOST, -(-lines // (PER_WORKER * max(workers, 1)))))


def shuffle_parts(parts: int, workers: int) -> int:
    """Partitions of the near-duplicate shuffle: two per worker, or one per 16 input partitions."""
    return max(1, min(parts, max(2 * workers, -(-parts // 16))))


def _key(row: tuple[Any, ...]) -> Any:
    return row[0]


def _flat(lists: list[list[PartResult]]) -> list[PartResult]:
    return [r for part in lists for r in part]


def _counts(metas: list[PartResult]) -> list[PartResult]:
    return [m.counts() for m in metas]


def write_spilled(part: Any, *args: Any, **kwargs: Any) -> PartResult:
    """:func:`~pipeline.partitioned.write_part`, its partial aggregator written beside its rows
    (``agg/part-N.pkl``) and left out of the result: a worker holds no partition's aggregator
    while the others are written (dask ran the merges after the partitions, and the partial
    aggregators waiting in a worker's memory grew with the archive)."""
    result = write_part(part, *args, **kwargs)
    path = result.path(part_name("agg", result.index, "pkl"))
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        pickle.dump(result.agg, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return result.meta()


def fold_into(running: Aggregator | None, written: Iterable[PartResult]) -> Aggregator:
    """The running aggregator (None at first) with the next partitions' merged in, read back
    from their files (neighbours in the stream: :meth:`Aggregator.merge`)."""
    acc = running
    for r in written:
        with open(r.path(part_name("agg", r.index, "pkl")), "rb") as fh:
            other = pickle.load(fh)  # this build's own temporary file
        acc = other if acc is None else acc.merge(other)
    assert acc is not None
    return acc


def build(files: list[InputFile], output: Path, client: Any, options: Options, max_bytes: int,
          dedupe: bool = True, time_limit: float | None = None, report_cap: int = REPORT_ARTICLES,
          rows: int | None = None, provenance: Provenance | None = None, verdicts: Verdicts | None = None,
          all_topics: bool = False) -> tuple[DatasetSummary, DistributedRun]:
    """Build the dataset of ``files`` into ``output`` on the cluster of ``client`` (module doc);
    ``provenance``, ``verdicts`` and ``all_topics`` as :func:`pipeline.dataset.write_dataset`
    takes them (each partition's aggregator applies the verdicts; those found are joined)."""
    import dask.bag as db
    from dask import delayed

    workers = len(client.scheduler_info().get("workers", {})) or 1
    parts = plan(files, rows or rows_per_part(files, workers))
    output, folder = begin(output)
    try:
        bag = db.from_sequence(parts, npartitions=max(1, len(parts)))
        dups: Any = {}
        if dedupe:
            # a task shuffle of n partitions costs the client about n**1.5 tasks (75,680 for 1,000):
            # the signatures are gathered into fewer, larger partitions first (16 of the input's
            # each at most, so a worker's share still does not grow with the archive)
            # the signatures stay on disk (pipeline.neardup): the shuffle moves, per bucket of
            # band keys, arrays of (band key, seq) rows and of (id, seq), a few arrays a partition
            buckets = shuffle_parts(len(parts), workers)
            sigs = bag.map(Trimmed(sign_part), max_bytes, folder).map(bucketed, buckets).flatten().repartition(
                buckets)
            found = sigs.groupby(_key, shuffle="tasks", npartitions=buckets).map(Trimmed(bucket_pairs), folder)
            dups = delayed(Trimmed(resolve_buckets), pure=True)(found.to_delayed(optimize_graph=False), folder)
        results = bag.map(Trimmed(write_spilled), dups, folder, options, max_bytes, time_limit, report_cap,
                          verdicts, all_topics)
        # as delayed objects, unoptimised: a bag given to delayed() is optimised (fused) on its
        # own, and each task taking it would run its own copy of write_part
        written = results.to_delayed(optimize_graph=False)
        metas = delayed(_flat, pure=True)(written)
        # the partial aggregators, on disk, folded in input order into one running aggregator (a
        # chain of merges): a tree of merges (Bag.fold) kept every merged group's cells on a
        # worker until the last merge, and the partial aggregators in memory until then
        agg = None
        for part_results in written:
            agg = delayed(Trimmed(fold_into), pure=True)(agg, part_results)
        # one task makes every file of the merged aggregator (pipeline.partitioned.assemble_merged)
        # (the partitions' counts are all the large files need: not the report's lists of articles)
        counts = delayed(_counts, pure=True)(metas)
        tasks = [counts, delayed(Trimmed(assemble_merged))(agg, folder, metas, report_cap, provenance),
                 delayed(Trimmed(assemble_facts))(counts, folder),
                 delayed(Trimmed(assemble_articles))(counts, folder)]
        # not optimised: fusing would give each branch its own copy of write_part, run twice
        metas_v, (tables, shown), n_facts, _ = client.gather(client.compute(tasks, optimize_graph=False))
        summary = finish(output, Path(folder), metas_v, n_facts, shown, tables, verdicts)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return summary, tally(metas_v, len(parts))


def begin(output: Path) -> tuple[Path, str]:
    """The start of a partitioned build (either engine): the output folder made, a killed build's
    temporaries removed; the folder as an absolute path and the build's temporary folder in it."""
    output = Path(output).resolve()
    output.mkdir(parents=True, exist_ok=True)
    for stale in output.glob(".policy-ie-parts.*.tmp"):  # a killed build's (the folder lock is held)
        shutil.rmtree(stale, ignore_errors=True)
    return output, tempfile.mkdtemp(prefix=".policy-ie-parts.", suffix=".tmp", dir=output)


def tally(metas: list[PartResult], partitions: int) -> DistributedRun:
    """What the partitions did, added up in input order (their warnings too)."""
    run = DistributedRun(partitions=partitions)
    for m in sorted(metas, key=lambda m: m.index):
        run.processed += m.processed
        run.duplicates += m.duplicates
        run.read += m.read
        run.skipped += m.skipped
        run.warnings.extend(m.warnings)
    return run


def finish(output: Path, folder: Path, metas: list[PartResult], n_facts: int, shown: int,
           tables: TablesResult, verdicts: Verdicts | None = None) -> DatasetSummary:
    """Every file the workers wrote renamed into place, at the end, as one process's build does
    (either engine); ``verdicts`` (the client's copy) learn which ones the workers found."""
    from policy_ie.pipeline.database import METADATA_NAME

    if verdicts is not None:
        verdicts.found = {v.key for v in verdicts.by_key.values()} - {v.key for v in tables.stale}
    for name in (*OUTPUT_FILES, METADATA_NAME):
        if (folder / name).exists():
            os.replace(folder / name, output / name)
    _replace_parts(output, folder)
    summary = DatasetSummary(output, articles=sum(m.articles for m in metas), facts=n_facts,
                             regions=tables.regions, unassigned_metrics=tables.unassigned,
                             off_topic=tables.off_topic, out_of_scope=tables.out_of_scope,
                             report_articles=shown, verdicts=tables.verdicts, stale=tables.stale)
    summary.files = [output / name for name in OUTPUT_FILES]
    return summary


def _replace_parts(output: Path, folder: Path) -> None:
    """``OUTPUT/parts``: the partitions' fact and article Parquet files of this build."""
    new = folder / PARTS
    new.mkdir()
    for kind in ("facts", "articles"):
        if (folder / kind).exists():
            os.replace(folder / kind, new / kind)
    old = output / PARTS
    if old.exists():
        os.replace(old, folder / "old-parts")
    os.replace(new, old)


def dask_client(jobs: int, scheduler: str | None) -> Iterator[Any]:
    """The client of ``scheduler``, or of a local cluster of ``jobs`` workers (a context manager)."""
    from policy_ie.pipeline.run import _dask_client

    return _dask_client(jobs, scheduler)  # type: ignore[no-any-return]
