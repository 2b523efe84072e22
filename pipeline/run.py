"""The per-article function and the engines that run it over a batch.

:func:`process` is one pure function of one Document: clean, metadata, segment, then every
registered extractor in dependency order, and a MinHash signature for near-duplicate
detection; metric figures no metric can hold are dropped with a warning (:mod:`pipeline.sanity`).
A failing extractor becomes a warning on the record, never a crash of the batch;
so does a failure anywhere else in the article's processing (cleaning, metadata, segmenting),
after which the record keeps no text and no results, like an input that could not be read.

:func:`run` maps it over documents and yields them in input order: in this process
(``local``), in a pool of worker processes (``processes``), or on a dask.distributed
cluster (``dask``). Workers get articles in batches of ``BATCH`` (one task each, so a
pool's per-task costs are paid once per batch; a batch that fails is retried article by
article), and at most ``window`` articles are in flight at a time, so memory does not grow
with the size of the archive. With a :class:`~pipeline.cache.Cache`, articles
already processed by this version of the pipeline are read back instead of extracted, and
with ``dedupe`` every article that nearly repeats an earlier one is marked ``duplicate_of``.
"""

from __future__ import annotations

import gc
import itertools
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from policy_ie.extractors.registry import Extractor, ordered
from policy_ie.extractors.words import segment
from policy_ie.pipeline.dedupe import signature
from policy_ie.pipeline.dedupe_disk import DiskDeduplicator
from policy_ie.pipeline.guard import fault, skipped
from policy_ie.pipeline.options import DEFAULT, ENGINES, Options
from policy_ie.pipeline.sanity import drop_absurd
from policy_ie.text.clean import clean
from policy_ie.text.document import Document

if TYPE_CHECKING:  # the pool (multiprocessing) loads when a pool is started: a --jobs 1 run never needs it
    from concurrent.futures import ProcessPoolExecutor

    # the cache (sqlite3, hashlib: 0.01 s) loads only when a run is given one
    from policy_ie.pipeline.cache import Cache


@cache
def _extractors(names: tuple[str, ...] | None) -> tuple[Extractor, ...]:
    return tuple(ordered(list(names) if names is not None else None))


def process(doc: Document, options: Options = DEFAULT, time_limit: float | None = None,
            sign: bool = True) -> Document:
    """Run every stage on one document and return it (the same object, filled in), or, when a
    stage fails outside the extractors' own guard or takes more than ``time_limit`` seconds,
    the record of a skipped article saying why. ``sign=False`` leaves out the MinHash signature
    (:mod:`pipeline.pooled` has it from its own pass)."""
    if not doc.text:
        return doc
    try:
        with _time_limit(time_limit):
            return _stages(doc, options, sign)
    except Exception as exc:  # one odd article must not stop a batch of a million
        return skipped(doc, "processing", exc)


class ArticleTimeout(Exception):
    """An article took longer than the per-article time limit."""


@contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`ArticleTimeout` in the block after ``seconds`` (an interval timer).

    Applies where signals can be handled: the main thread of a process (the local engine, pool
    workers), not dask's worker threads; a single long call into C (one regex search) is
    interrupted only when it returns.
    """
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise ArticleTimeout(f"over the time limit of {seconds:g} s per article; raise it with --time-limit")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _stages(doc: Document, options: Options, sign: bool = True) -> Document:
    """:func:`process` unguarded: the stages in order."""
    clean(doc)
    segment(doc, options.segmenter)
    for ex in _extractors(options.extractors):
        try:
            setattr(doc, ex.assigns, ex.func(doc))
        except Exception as exc:  # one odd article must not stop a batch of a million
            doc.warnings.append(f"{doc.path}: extractor {ex.name!r} failed ({fault(exc)}); its results "
                                "are left out. Please report this article.")
    drop_absurd(doc)
    doc.signature = signature(doc.view.text) if sign else None
    doc.tokens = []  # the extractors have used them; they would only weigh on transfers
    return doc


@dataclass(slots=True)
class RunStats:
    """What a run did, for the user's summary line."""

    processed: int = 0
    cached: int = 0
    duplicates: int = 0


#: Articles sent to a worker in one task: a pool's per-task costs (pickling, queues, waking
#: a worker) are paid once per batch instead of once per article. With 32 rather than 8 the
#: parent of a ``--jobs 2`` run used a quarter less CPU (0.24 against 0.32 s per 2,000
#: articles), CPU its two workers need on a two-core machine.
BATCH = 32
#: Batches in flight per worker: enough to keep each busy while the parent waits on one.
IN_FLIGHT = 4


def process_batch(docs: list[Document], options: Options = DEFAULT,
                  time_limit: float | None = None) -> list[Document]:
    """:func:`process` over a batch of documents (one task of a worker)."""
    return [process(doc, options, time_limit) for doc in docs]


Submit = Callable[[list[Document]], Any]


class _Batch:
    """Documents sent to a worker together. If the task fails (a worker killed by the OS, a
    result that will not pickle), each document is sent again alone, one after the other,
    so one bad article costs only its own result."""

    def __init__(self, submit: Submit) -> None:
        self.submit = submit
        self.docs: list[Document] = []
        self.future: Any = None
        self.results: list[Any] | None = None

    def add(self, doc: Document) -> int:
        self.docs.append(doc)
        return len(self.docs) - 1

    def send(self) -> None:
        if self.future is None and self.docs:
            self.future = self.submit(self.docs)

    def result(self, index: int) -> Document:
        self.send()
        if self.results is None:
            if isinstance(self.future, list):  # processed in this process
                self.results = self.future
            else:
                try:
                    self.results = list(self.future.result())
                except Exception:
                    self.results = [self._alone(doc) for doc in self.docs]
        got = self.results[index]
        return got if isinstance(got, Document) else _result(self.docs[index], got)

    def _alone(self, doc: Document) -> Any:
        """``doc`` processed alone, waited for (so an article that kills its worker again takes
        no other article's retry with it), or the exception that kept it from being processed."""
        try:
            return self.submit([doc]).result()[0]
        except Exception as exc:  # its worker died again, or its result would not pickle
            return exc


def run(
    docs: Iterable[Document],
    options: Options = DEFAULT,
    jobs: int = 1,
    engine: str | None = None,
    cache_: Cache | None = None,
    dedupe: bool = True,
    scheduler: str | None = None,
    stats: RunStats | None = None,
    window: int | None = None,
    batch: int = BATCH,
    time_limit: float | None = None,
) -> Iterator[Document]:
    """Process ``docs`` and yield them in input order (see the module docstring); an article
    that takes more than ``time_limit`` seconds is skipped with a warning."""
    engine = engine or ("processes" if jobs > 1 else "local")
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if engine == "processes":
        # fewer articles than one batch per worker: a pool costs more to start than it saves
        # (one article took 1.0 s through a pool of two, 0.5 s in this process)
        docs = iter(docs)
        head = list(itertools.islice(docs, max(1, batch) * max(jobs, 1)))
        if len(head) < max(1, batch) * max(jobs, 1):
            engine, jobs = "local", 1
        docs = itertools.chain(head, docs)
    stats = stats if stats is not None else RunStats()
    batch = 1 if engine == "local" else max(1, batch)
    window = window or max(16, IN_FLIGHT * batch * max(jobs, 1))
    dedup = DiskDeduplicator() if dedupe else None  # its index on disk: memory flat in the archive
    _extractors(options.extractors)  # the registry checked here, before any article (RegistryError)
    okey = options.key()
    with ExitStack() as stack:
        if dedup is not None:
            stack.callback(dedup.close)
        stack.enter_context(_fewer_collections())  # before the pool: forked workers inherit it
        submit = _engine(engine, jobs, options, scheduler, stack, time_limit)
        pending: deque[tuple[str | None, Any, bool]] = deque()
        current = _Batch(submit)

        def finish(item: tuple[str | None, Any, bool]) -> Document:
            key, result, cached = item
            if cached:
                out = result
            else:
                out = result[0].result(result[1])
                stats.processed += 1
                if cache_ is not None and key is not None and not out.warnings:
                    cache_.put(key, out)
            if dedup is not None:
                dedup.mark(out)
                stats.duplicates += out.duplicate_of is not None
            return out

        if cache_ is not None:
            from policy_ie.pipeline.cache import key_of
        for doc in docs:
            key = key_of(doc, okey) if cache_ is not None and doc.text else None
            hit = cache_.get(key, doc.text) if key is not None and cache_ is not None else None
            if hit is not None:
                hit.duplicate_of = None  # decided afresh in this batch's order
                stats.cached += 1
                pending.append((key, hit, True))
            else:
                if current.future is not None:  # sent early: an article ahead of it was awaited
                    current = _Batch(submit)
                pending.append((key, (current, current.add(doc)), False))
                if len(current.docs) >= batch:
                    current.send()
                    current = _Batch(submit)
            while len(pending) >= window:
                yield finish(pending.popleft())
        while pending:
            yield finish(pending.popleft())
        if cache_ is not None:
            cache_.commit()


@contextmanager
def _fewer_collections(threshold: int = 50_000) -> Iterator[None]:
    """Run the cyclic garbage collector less often while a batch runs.

    Extraction and unpickling results allocate millions of small objects that live until
    their article is written; with the default threshold (700 allocations) the collector
    scans them again and again (half the time of unpickling a result). They hold no cycles
    that need collecting early, so collections are spaced out and the setting restored after.
    """
    old = gc.get_threshold()
    gc.set_threshold(max(threshold, old[0]), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def _result(doc: Document, exc: Any) -> Document:
    """The record of ``doc`` when ``exc`` kept it from being processed in a worker (its worker
    died twice, its result would not pickle): skipped, with a warning."""
    if not isinstance(exc, BaseException):
        exc = RuntimeError(f"unexpected result {type(exc).__name__}")
    return skipped(doc, "processing in a worker (run again with --jobs 1 to see more)", exc)


def _engine(engine: str, jobs: int, options: Options, scheduler: str | None, stack: ExitStack,
            time_limit: float | None = None) -> Submit:
    """A function that starts processing a list of documents and returns their future (or,
    in this process, the list itself)."""
    if engine == "local":
        return lambda docs: [process(doc, options, time_limit) for doc in docs]
    if engine == "processes":
        pool = stack.enter_context(_RenewedPool(max(jobs, 1)))
        return lambda docs: pool.submit(process_batch, docs, options, time_limit)
    client = stack.enter_context(_dask_client(jobs, scheduler))
    return lambda docs: client.submit(process_batch, docs, options, time_limit, pure=False)


def exit_with_parent(parent: int, every: float = 0.5) -> None:
    """Worker initializer: a thread that ends this worker when its parent is gone.

    A build killed with SIGKILL cannot stop its workers, and they wait for work from it for
    ever (a few hundred MB each); so each worker watches its parent and exits when it has a
    new one (the dead parent's children are adopted).
    """
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


class _RenewedPool:
    """A process pool that is replaced by a fresh one when a worker dies.

    A worker killed by the OS (out of memory, a signal) breaks a ProcessPoolExecutor for
    good: every task in flight fails, and so would every later one. The batches that failed
    are sent again article by article (:class:`_Batch`), here to a fresh pool, so each of
    their articles gets one more try; the article that kills its worker again is recorded
    as failed, and the one after it gets another fresh pool.
    """

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self.pool = self._new()
        self.renewed = 0

    def _new(self) -> ProcessPoolExecutor:
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(max_workers=self.jobs, initializer=exit_with_parent, initargs=(os.getpid(),))

    def submit(self, *args: Any) -> Any:
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self.pool.submit(*args)
        except BrokenProcessPool:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = self._new()
            self.renewed += 1
            return self.pool.submit(*args)

    def __enter__(self) -> _RenewedPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _dask_client(jobs: int, scheduler: str | None) -> Any:
    """A dask.distributed client: of the given scheduler, or of a new local cluster."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:  # the optional extra is not installed
        raise RuntimeError("the dask engine needs the optional extra: pip install 'policy-ie[dask]'") from exc
    if scheduler:
        return Client(scheduler)
    import dask

    # no statistical profiler in the workers: it keeps a profile of every second (up to 1,000),
    # so a worker's memory grew with the build's length (README, "The workers' memory")
    with dask.config.set({"distributed.worker.profile.enabled": False}):
        cluster = LocalCluster(n_workers=max(jobs, 1), threads_per_worker=1, processes=True,
                               dashboard_address=None)
    return _ClientWithCluster(Client(cluster), cluster)


class _ClientWithCluster:
    """A client that also closes the local cluster it was made for."""

    def __init__(self, client: Any, cluster: Any) -> None:
        self.client, self.cluster = client, cluster

    def __enter__(self) -> Any:
        return self.client

    def __exit__(self, *exc: object) -> None:
        self.client.close()
        self.cluster.close()
