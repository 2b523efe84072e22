"""``python -m bench.dedupe_memory``: the near-duplicate index's peak RSS at two archive sizes.

Not part of ``make bench`` (a minute of CPU): each (index, size) runs in a process of its own,
which marks ``n`` synthetic signatures (three in ten a near copy, one value changed, of one of
2,000 stories) with :class:`pipeline.dedupe.Deduplicator` (in memory) or
:class:`pipeline.dedupe_disk.DiskDeduplicator` (``run()``'s, on disk), and prints its peak RSS,
its growth over the process's start and the CPU per article. Issue 18: the build's memory flat in
the archive's size (at most 5% more from 10,000 to 100,000 articles).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time

STORIES = 2000


def one(kind: str, n: int) -> dict[str, object]:
    """Mark ``n`` signatures in this process with the ``kind`` index; its peak RSS and CPU."""
    from policy_ie.pipeline.dedupe import NUM_PERM, Deduplicator
    from policy_ie.pipeline.dedupe_disk import DiskDeduplicator
    from policy_ie.text.document import Document

    rng = random.Random(1)
    stories = [[rng.getrandbits(32) for _ in range(NUM_PERM)] for _ in range(STORIES)]
    dedup = Deduplicator() if kind == "memory" else DiskDeduplicator()
    start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0, copies = time.process_time(), 0
    for i in range(n):
        if rng.random() < 0.3:
            sig = list(stories[rng.randrange(STORIES)])
            sig[rng.randrange(NUM_PERM)] = rng.getrandbits(32)
        else:
            sig = [rng.getrandbits(32) for _ in range(NUM_PERM)]
        doc = Document(id=f"article-{i:07d}", path="", text="x")
        doc.signature = sig
        copies += dedup.mark(doc).duplicate_of is not None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"index": kind, "n": n, "peak_kb": peak, "growth_kb": peak - start,
            "us_per_article": round((time.process_time() - t0) / n * 1e6, 1), "copies": copies}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--one", nargs=2, metavar=("INDEX", "N"))
    parser.add_argument("--sizes", default="10000,100000")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one[0], int(args.one[1]))))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    for kind in ("memory", "disk"):
        rows = [json.loads(subprocess.run([sys.executable, "-m", "bench.dedupe_memory", "--one", kind, str(n)],
                                          capture_output=True, text=True, check=True).stdout) for n in sizes]
        for row in rows:
            print(json.dumps(row))
        a, b = rows[0], rows[-1]
        print(f"{kind}: peak RSS {a['peak_kb']:,} kB at {a['n']:,}, {b['peak_kb']:,} kB at {b['n']:,} "
              f"({(b['peak_kb'] / a['peak_kb'] - 1) * 100:+.1f}%)")


if __name__ == "__main__":
    main()
