"""``policy-ie build --jobs N`` (N >= 2): the partitioned build of :mod:`pipeline.distributed` on
this machine's process pool; the parent plans, schedules and renames, no article passes through it.

The parent cuts the input into partitions (:func:`pipeline.partitioned.plan`: it counts line
breaks, it parses no article) and runs these tasks on a pool of forked worker processes, which
pass everything but counts through the build's temporary folder:

1. near-duplicates: per partition (:func:`sign`), the signatures of
   :func:`~pipeline.partitioned.part_signatures` saved with their LSH band keys, cut into
   ``buckets`` by key (and the article ids, by a checksum); per bucket (:func:`pair`), the keys
   of every partition grouped and the pairs alike enough found
   (:func:`~pipeline.partitioned.pairs_in_group`); one task (:func:`decide`) that runs
   :func:`~pipeline.partitioned.resolve` and saves each partition's share of its decisions;
2. per partition (:func:`write`), :func:`~pipeline.partitioned.write_part`, the workers reading
   and writing the on-disk cache themselves (:class:`_Articles`), its bookkeeping and partial
   aggregator saved; the partial aggregators merged on the workers (:func:`merge`), FAN
   neighbours at a time, as they come;
3. the assembling tasks of :mod:`pipeline.partitioned` (:func:`assemble`): facts and articles
   once every partition is written, the tables, database and report once the partials are merged.

The parent receives each partition's counts and warnings (said in input order as the partitions
come in) and renames the files into place at the end as the dask engine does
(:func:`pipeline.distributed.finish`): both engines give the same bytes, those of ``--jobs 1``.

A worker that dies (killed by the OS) breaks the pool: the tasks that were running are run again
after the others, one at a time on a fresh pool, each worker noting in a marker file the index of
the article it is at. An article its worker dies on when alone is skipped with the warning the
article-by-article pool gave (``processing in a worker``) and its partition run again without it.
"""

from __future__ import annotations

import os
import pickle
import shutil
import zlib
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from policy_ie.pipeline.codebook import Provenance
from policy_ie.pipeline.dataset import REPORT_ARTICLES, DatasetSummary
from policy_ie.pipeline.dedupe import BANDS, NUM_PERM, band_keys
from policy_ie.pipeline.distributed import (
    DistributedRun,
    begin,
    count_lines,
    finish,
    rows_per_part,
    shuffle_parts,
    tally,
)
from policy_ie.pipeline.ingest import InputFile
from policy_ie.pipeline.options import Options
from policy_ie.pipeline.partitioned import (
    SHIFT,
    Part,
    PartResult,
    assemble_articles,
    assemble_database,
    assemble_facts,
    assemble_report,
    assemble_tables,
    merge_parts,
    pairs_in_group,
    part_signatures,
    plan,
    resolve,
    write_part,
)
from policy_ie.pipeline.verdicts import Verdicts
from policy_ie.text.document import Document

#: partial aggregators merged in one task
FAN = 8
#: fewer input lines than this per worker: the article-by-article pool (a pool of partitions
#: costs more to start than it saves), as :data:`pipeline.run.BATCH` decides for it
LEAST_PER_WORKER = 32

Killed = dict[int, str]  # index in a partition -> why (the pool's message when its worker died)


def partitions(files: list[InputFile], jobs: int) -> list[Part] | None:
    """The partitions of ``files`` for ``jobs`` workers, or None when they would not share the
    work (too few articles, or fewer partitions than workers: one compressed archive)."""
    lines = count_lines(files)
    if lines < LEAST_PER_WORKER * jobs:
        return None
    parts = plan(files, rows_per_part(files, jobs, lines))
    return parts if len(parts) >= jobs else None


# -- in a worker --------------------------------------------------------------------------------
_MARK: list[int] = []  # the marker file's descriptor while a task runs in this worker


def _task(mark: str, fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    """``fn(*args)`` in a worker, the index of the article it is at noted in the file ``mark``."""
    fd = os.open(mark, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    _MARK.append(fd)
    try:
        return fn(*args)
    finally:
        _MARK.remove(fd)
        os.close(fd)


def _at(i: int) -> None:
    if _MARK:
        os.pwrite(_MARK[-1], i.to_bytes(8, "little"), 0)


def _keeper(killed: Killed) -> Callable[[int], bool]:
    def keep(i: int) -> bool:
        _at(i)
        return i not in killed
    return keep


def _dump(obj: Any, path: Path) -> None:
    with open(path, "wb") as fh:
        pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)


def _load(path: Path) -> Any:
    with open(path, "rb") as fh:
        return pickle.load(fh)  # this build's own temporary files only


def _sig(folder: str, name: str) -> Path:
    return Path(folder) / "sig" / name


def sign(part: Part, max_bytes: int, folder: str, buckets: int, killed: Killed) -> int:
    """A partition's signatures (``sig/part-N.npy``, ids and places in ``ids-N.pkl``), its band
    keys with the row of their article by bucket (``band-B-N.npy``) and its (id, place) pairs by
    bucket (``idb-B-N.pkl``); returns how many articles have a signature."""
    items = part_signatures(part, max_bytes, _keeper(killed))
    n = part.index
    Path(folder, "sig").mkdir(exist_ok=True)
    sigs = np.frombuffer(b"".join(it[2] for it in items), dtype=np.uint32).reshape(len(items), NUM_PERM)
    np.save(_sig(folder, f"part-{n:05d}.npy"), sigs)
    _dump(([it[0] for it in items], [it[1] for it in items]), _sig(folder, f"ids-{n:05d}.pkl"))
    keys = np.array([band_keys(s) for s in sigs.tolist()], dtype=np.int64).reshape(len(items), BANDS).ravel()
    rows = np.repeat(np.arange(len(items), dtype=np.int64), BANDS)
    which = keys % buckets
    by_id: list[list[tuple[str, int]]] = [[] for _ in range(buckets)]
    for seq, aid, _ in items:
        by_id[zlib.crc32(aid.encode("utf-8", "surrogatepass")) % buckets].append((aid, seq))
    for b in range(buckets):
        np.save(_sig(folder, f"band-{b}-{n:05d}.npy"), np.stack([keys[which == b], rows[which == b]]))
        _dump(by_id[b], _sig(folder, f"idb-{b}-{n:05d}.pkl"))
    return len(items)


def pair(folder: str, bucket: int, parts: int) -> int:
    """A bucket's band keys of every partition grouped: the pairs alike enough
    (:func:`~pipeline.partitioned.pairs_in_group`) and the ids given more than once, saved in
    ``pairs-B.pkl``; returns how many pairs."""
    got = [np.load(_sig(folder, f"band-{bucket}-{p:05d}.npy")) for p in range(parts)]
    keys = np.concatenate([g[0] for g in got])
    rows = np.concatenate([g[1] for g in got])
    owner = np.concatenate([np.full(g.shape[1], p, dtype=np.int64) for p, g in enumerate(got)])
    order = np.argsort(keys, kind="stable")
    keys, rows, owner = keys[order], rows[order], owner[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.zeros(0, dtype=np.int64)
    ends = np.r_[starts[1:], len(keys)].astype(np.int64)
    sigs: dict[int, np.ndarray] = {}
    ids: dict[int, tuple[list[int], list[str]]] = {}
    pairs: list[tuple[Any, ...]] = []
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        if e - s < 2:
            continue
        group = []
        for r, p in zip(rows[s:e].tolist(), owner[s:e].tolist(), strict=True):
            if p not in sigs:
                sigs[p] = np.load(_sig(folder, f"part-{p:05d}.npy"), mmap_mode="r")
                ids[p] = _load(_sig(folder, f"ids-{p:05d}.pkl"))
            group.append((keys[s], (ids[p][0][r], ids[p][1][r], sigs[p][r].tobytes())))
        pairs.extend(pairs_in_group((int(keys[s]), group)))
    seqs: dict[str, list[int]] = {}
    for p in range(parts):
        for aid, seq in _load(_sig(folder, f"idb-{bucket}-{p:05d}.pkl")):
            seqs.setdefault(aid, []).append(seq)
    _dump((pairs, [(aid, s) for aid, s in seqs.items() if len(s) > 1]), _sig(folder, f"pairs-{bucket}.pkl"))
    return len(pairs)


def decide(folder: str, buckets: int, parts: int) -> int:
    """:func:`~pipeline.partitioned.resolve` over every bucket's pairs; each partition's share of
    the decisions saved in ``dups-N.pkl``; returns how many near-duplicates."""
    pairs: list[tuple[Any, ...]] = []
    shared: list[tuple[str, list[int]]] = []
    for b in range(buckets):
        p, s = _load(_sig(folder, f"pairs-{b}.pkl"))
        pairs.extend(p)
        shared.extend(s)
    dups = resolve(pairs, shared)
    share: list[dict[int, str]] = [{} for _ in range(parts)]
    for seq, aid in dups.items():
        share[seq >> SHIFT][seq] = aid
    for p in range(parts):
        _dump(share[p], _sig(folder, f"dups-{p:05d}.pkl"))
    return len(dups)


class _Articles:
    """Processes a partition's articles for :func:`~pipeline.partitioned.write_part` in a worker:
    each read from the cache when it is there, else processed and its entry kept, to be stored
    at the end in one short transaction (:meth:`pipeline.cache.Cache.put_packed`)."""

    def __init__(self, options: Options, time_limit: float | None, cache_dir: str | None,
                 killed: Killed, sigs: dict[int, list[int]] | None = None) -> None:
        self.options, self.time_limit, self.killed = options, time_limit, killed
        #: the signatures of the near-duplicate pass by index (None: there was none); the
        #: articles are then processed without computing theirs again (a tenth of their time),
        #: and a cache entry gets the one of that pass (the same values)
        self.sigs = sigs
        self.cache: Any = None
        self.cached = 0
        self.entries: list[tuple[str, bytes]] = []
        if cache_dir is not None:
            from policy_ie.pipeline.cache import Cache

            self.cache = Cache(Path(cache_dir))
        self.okey = options.key()

    def __call__(self, i: int, doc: Document) -> Document:
        from concurrent.futures.process import BrokenProcessPool

        from policy_ie.pipeline.run import _result, process

        _at(i)
        if i in self.killed:  # raised as the pool raised it to the parent: the same warning, place included
            died: Future[Any] = Future()
            died.set_exception(BrokenProcessPool(self.killed[i]))
            try:
                died.result()
            except BrokenProcessPool as exc:
                return _result(doc, exc)
        key = None
        if self.cache is not None and doc.text:
            from policy_ie.pipeline.cache import key_of, pack

            key = key_of(doc, self.okey)
            hit = self.cache.get(key, doc.text)
            if hit is not None:
                self.cached += 1
                return hit  # its duplicate_of is the build's (write_part sets it)
        out = process(doc, self.options, self.time_limit, sign=self.sigs is None)
        if key is not None and not out.warnings:
            if self.sigs is not None:
                out.signature = self.sigs.get(i)
            self.entries.append((key, pack(out.to_state())))
        return out

    def close(self) -> list[str]:
        """Store the entries kept; the cache's warnings."""
        if self.cache is None:
            return []
        self.cache.put_packed(self.entries)
        self.cache.close()
        return self.cache.warnings  # type: ignore[no-any-return]


def write(part: Part, folder: str, options: Options, max_bytes: int, time_limit: float | None,
          report_cap: int, verdicts: Verdicts | None, all_topics: bool, dedupe: bool, cache_dir: str | None,
          killed: Killed) -> tuple[PartResult, int, list[str]]:
    """:func:`~pipeline.partitioned.write_part` of a partition, its bookkeeping saved in
    ``meta/part-N.pkl`` and its aggregator in ``agg/0-N.pkl``; returns its counts, how many
    articles came from the cache, and the cache's warnings."""
    dups = _load(_sig(folder, f"dups-{part.index:05d}.pkl")) if dedupe else {}
    sigs: dict[int, list[int]] | None = None
    if dedupe:
        sigs = {}
        if cache_dir is not None:
            seqs, _ = _load(_sig(folder, f"ids-{part.index:05d}.pkl"))
            rows = np.load(_sig(folder, f"part-{part.index:05d}.npy")).tolist()
            sigs = {seq & ((1 << SHIFT) - 1): row for seq, row in zip(seqs, rows, strict=True)}
    articles = _Articles(options, time_limit, cache_dir, killed, sigs)
    try:
        result = write_part(part, dups, folder, options, max_bytes, time_limit, report_cap, verdicts, all_topics,
                            articles)
    finally:
        warnings = articles.close()
    for kind in ("meta", "agg"):
        Path(folder, kind).mkdir(exist_ok=True)
    _dump(result.meta(), _meta(folder, part.index))
    _dump(result.agg, _agg(folder, 0, part.index))
    return result.counts(), articles.cached, warnings


def _meta(folder: str, index: int) -> Path:
    return Path(folder) / "meta" / f"part-{index:05d}.pkl"


def _agg(folder: str, level: int, index: int) -> Path:
    return Path(folder) / "agg" / f"{level}-{index:05d}.pkl"


def merge(paths: list[Path], out: Path) -> None:
    """Neighbouring partial aggregators, in order, merged into one (``out``); the inputs deleted."""
    agg = _load(paths[0])
    for p in paths[1:]:
        agg = merge_parts(agg, _load(p))
    _dump(agg, out)
    for p in paths:
        p.unlink()


def assemble(what: str, folder: str, parts: int, agg: Path | None, report_cap: int,
             provenance: Provenance | None) -> Any:
    """One of :mod:`pipeline.partitioned`'s assembling tasks, given the partitions' bookkeeping
    and the merged aggregator read back from their files."""
    metas = [_load(_meta(folder, p)) for p in range(parts)]
    merged = _load(agg) if agg is not None else None
    if what == "facts":
        return assemble_facts(metas, folder)
    if what == "articles":
        return assemble_articles(metas, folder)
    if what == "tables":
        return assemble_tables(merged, folder, metas, provenance)  # type: ignore[arg-type]
    if what == "database":
        return assemble_database(metas, merged, folder)  # type: ignore[arg-type]
    return assemble_report(metas, merged, folder, report_cap, provenance)  # type: ignore[arg-type]


# -- in the parent ------------------------------------------------------------------------------
@dataclass
class _Job:
    name: str
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    then: Callable[[Any], None]
    #: articles it skips (its last argument when it reads articles: sign, write)
    killed: Killed | None = None


class _Runner:
    """Tasks on a pool of ``jobs`` forked workers (:class:`pipeline.run._RenewedPool`), each result
    handed to its job's ``then`` (which may start more). A task whose worker died is run again
    when no other task is running, alone: an article its worker dies on then is skipped."""

    def __init__(self, jobs: int, folder: str) -> None:
        from policy_ie.pipeline.run import _RenewedPool

        self.pool = _RenewedPool(jobs)
        self.marks = Path(folder) / "marks"
        self.marks.mkdir()
        self.live: dict[Future[Any], _Job] = {}
        self.failed: list[_Job] = []

    def start(self, name: str, fn: Callable[..., Any], args: tuple[Any, ...], then: Callable[[Any], None],
              reads_articles: bool = False) -> None:
        killed: Killed | None = {} if reads_articles else None
        job = _Job(name, fn, (*args, killed) if killed is not None else args, then, killed)
        self.live[self.pool.submit(_task, str(self.marks / name), fn, job.args)] = job

    def wait(self) -> None:
        """Until every task started, and every task they start, is done."""
        from concurrent.futures.process import BrokenProcessPool

        while self.live or self.failed:
            if not self.live:
                job = self.failed.pop(0)
                job.then(self._alone(job))
                continue
            done, _ = wait(list(self.live), return_when=FIRST_COMPLETED)
            for fut in done:
                job = self.live.pop(fut)
                try:
                    result = fut.result()
                except BrokenProcessPool:
                    self.failed.append(job)
                    continue
                job.then(result)

    def _alone(self, job: _Job) -> Any:
        from concurrent.futures.process import BrokenProcessPool

        mark = self.marks / job.name
        while True:
            try:
                return self.pool.submit(_task, str(mark), job.fn, job.args).result()
            except BrokenProcessPool as exc:
                data = mark.read_bytes() if mark.exists() else b""
                at = int.from_bytes(data, "little") if len(data) == 8 else None
                if job.killed is None or at is None or at in job.killed:
                    raise RuntimeError(f"a worker process died twice running the task {job.name} (killed "
                                       "by the system: out of memory?)") from exc
                job.killed[at] = str(exc)

    def close(self) -> None:
        self.pool.__exit__()


@dataclass
class _State:
    """What the parent keeps of a build while its tasks run (nothing that grows with articles
    beside one count tuple per partition)."""

    parts: list[Part]
    counts: dict[int, PartResult] = field(default_factory=dict)
    cached: int = 0
    cache_warnings: list[str] = field(default_factory=list)
    said: int = 0  # partitions whose warnings were said (in input order)
    aggs: dict[tuple[int, int], Path] = field(default_factory=dict)
    root: Path | None = None
    results: dict[str, Any] = field(default_factory=dict)


def build(files: list[InputFile], parts: list[Part], output: Path, jobs: int, options: Options, max_bytes: int,
          dedupe: bool = True, time_limit: float | None = None, report_cap: int = REPORT_ARTICLES,
          provenance: Provenance | None = None, verdicts: Verdicts | None = None, all_topics: bool = False,
          cache_dir: Path | None = None, say: Callable[[str], None] | None = None,
          progress: Callable[[str, int], None] | None = None) -> tuple[DatasetSummary, DistributedRun]:
    """Build the dataset of ``files`` (cut into ``parts``: :func:`partitions`) into ``output`` on a
    pool of ``jobs`` worker processes (module doc); the other arguments as
    :func:`pipeline.distributed.build` takes them, with ``cache_dir`` the on-disk cache's folder
    (None: no cache). ``say`` is given each article's warnings, in input order, as they come;
    ``progress`` (phase, articles) the articles each partition's task went through."""
    from policy_ie.pipeline.run import _extractors, _fewer_collections

    _extractors(options.extractors)  # the registry checked before any article; loaded before the workers fork
    output, folder = begin(output)
    state = _State(parts)
    buckets = shuffle_parts(len(parts), jobs)
    cache = os.fspath(cache_dir) if cache_dir is not None else None
    tell = progress or (lambda phase, n: None)

    def written(index: int, got: tuple[PartResult, int, list[str]]) -> None:
        counts, cached, warnings = got
        state.counts[index] = counts
        state.cached += cached
        state.cache_warnings.extend(w for w in warnings if w not in state.cache_warnings)
        tell("building", counts.articles)
        while state.said in state.counts:  # the warnings of the partitions before it were said
            for w in state.counts[state.said].warnings if say is not None else ():
                say(w)
            state.said += 1
        merged(0, index, _agg(folder, 0, index))
        if len(state.counts) == len(parts):
            for what in ("facts", "articles"):
                runner.start(what, assemble, (what, folder, len(parts), None, report_cap, provenance),
                             _keep(what))

    def merged(level: int, index: int, path: Path) -> None:
        """A partial aggregator at ``level`` of the tree is ready: merge its group when whole."""
        size = len(parts)
        for _ in range(level):
            size = -(-size // FAN)
        if size == 1:
            state.root = path
            for what in ("tables", "database", "report"):
                runner.start(what, assemble, (what, folder, len(parts), path, report_cap, provenance), _keep(what))
            return
        state.aggs[(level, index)] = path
        group = index // FAN
        members = range(group * FAN, min((group + 1) * FAN, size))
        if all((level, m) in state.aggs for m in members):
            paths = [state.aggs.pop((level, m)) for m in members]
            out = _agg(folder, level + 1, group)
            if len(paths) == 1:
                os.replace(paths[0], out)
                merged(level + 1, group, out)
            else:
                runner.start(f"merge-{level + 1}-{group}", merge, (paths, out),
                             lambda _, g=group, o=out: merged(level + 1, g, o))

    def _keep(what: str) -> Callable[[Any], None]:
        return lambda result: state.results.__setitem__(what, result)

    try:
        with _fewer_collections():  # before the pool: forked workers inherit it
            runner = _Runner(jobs, folder)
            try:
                if dedupe:
                    for p in parts:
                        runner.start(f"sign-{p.index}", sign, (p, max_bytes, folder, buckets),
                                     lambda n: tell("near-duplicates", n), reads_articles=True)
                    runner.wait()
                    for b in range(buckets):
                        runner.start(f"pair-{b}", pair, (folder, b, len(parts)), lambda _: None)
                    runner.wait()
                    runner.start("decide", decide, (folder, buckets, len(parts)), lambda _: None)
                    runner.wait()
                for p in parts:
                    runner.start(f"write-{p.index}", write, (p, folder, options, max_bytes, time_limit, report_cap,
                                                             verdicts, all_topics, dedupe, cache),
                                 lambda got, i=p.index: written(i, got), reads_articles=True)
                runner.wait()
            finally:
                runner.close()
        metas = [state.counts[p.index] for p in parts]
        summary = finish(output, Path(folder), metas, state.results["facts"], state.results["report"],
                         state.results["tables"], verdicts)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    run = tally(metas, len(parts))
    # the articles' warnings were said as they came: the run's are the cache's
    run.cached, run.warnings = state.cached, state.cache_warnings
    return summary, run
