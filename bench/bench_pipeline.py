"""Whole-pipeline throughput against plain ``jieba.lcut`` over the same texts, in one run."""

from __future__ import annotations

import os
import resource
import time

from bench.corpus import texts
from pipeline.document import Document
from pipeline.run import Options, run

LIMIT = int(os.environ.get("BENCH_ARTICLES", "2000"))


def main() -> None:
    arts, where = texts(LIMIT)
    mb = sum(len(t.encode("utf-8")) for t in arts) / 1e6
    import jieba

    jieba.initialize()
    t0 = time.perf_counter()
    for t in arts:
        jieba.lcut(t)
    t_jieba = time.perf_counter() - t0

    def timed(jobs: int) -> float:
        docs = (Document(id=str(i), path="bench", text=t) for i, t in enumerate(arts))
        t0 = time.perf_counter()
        for _ in run(docs, Options(), jobs=jobs):
            pass
        return time.perf_counter() - t0

    t1 = timed(1)
    t2 = timed(2)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"   corpus: {where}, {mb:.1f} MB")
    print(f"   pipeline --jobs 1: {len(arts) / t1:.0f} articles/s, {mb / t1:.2f} MB/s")
    print(f"   jieba.lcut alone:  {mb / t_jieba:.2f} MB/s")
    print(f"   ratio pipeline/jieba time: {t1 / t_jieba:.2f} (target <= 0.5)")
    print(f"   pipeline --jobs 2: {len(arts) / t2:.0f} articles/s, {mb / t2:.2f} MB/s, "
          f"ratio to jieba {t2 / t_jieba:.2f}")
    print(f"   speed-up --jobs 2 over --jobs 1: {t1 / t2:.2f}x (target >= 1.7)")
    print(f"   peak RSS of this process: {rss:.0f} MB")
