"""CPU seconds of each step of extracting and writing articles, warm: where the time goes.

The steps of :func:`policy_ie.pipeline.run.process` (cleaning, segmenting, each extractor
in the pipeline's order, dropping absurd figures, the MinHash signature, dropping the
tokens) and of writing a record (``to_record``, its JSON line) run one after another over
the first ``BENCH_ARTICLES`` (default 2000) lines of news_sample.jsonl, or a JSONL file
given, each step timed with :func:`time.process_time`. One pass first fills the memos
and loads the dictionaries (not timed); then ``--passes`` passes (default 2) are timed with
the garbage collector off, so that each step is charged only its own time. Prints one line
per step, slowest first, with the seconds of each pass.

On a shared machine the figures drift by 10-20% from one run to the next: compare two
versions of the code by alternating runs of this module in each, and take medians.

usage: python -m bench.steps [FILE.jsonl] [--passes N]
"""

from __future__ import annotations

import gc
import os
import sys
import tempfile
import time
from collections import defaultdict
from itertools import islice
from pathlib import Path

from bench.corpus import SAMPLE

N = int(os.environ.get("BENCH_ARTICLES", "2000"))


def one_pass(path: Path, totals: dict[str, float]) -> None:
    """Extract and write every article of ``path``, adding each step's CPU seconds to ``totals``."""
    from policy_ie.extractors.words import segment
    from policy_ie.pipeline.dedupe import signature
    from policy_ie.pipeline.ingest import iter_documents
    from policy_ie.pipeline.options import DEFAULT
    from policy_ie.pipeline.run import _extractors
    from policy_ie.pipeline.sanity import drop_absurd
    from policy_ie.pipeline.write import record_line
    from policy_ie.text.clean import clean

    clock = time.process_time
    docs = list(iter_documents([path]))
    extractors = _extractors(DEFAULT.extractors)
    for doc in docs:
        if not doc.text:
            continue
        t0 = clock()
        clean(doc)
        t1 = clock()
        totals["cleaning"] += t1 - t0
        segment(doc, DEFAULT.segmenter)
        t0 = clock()
        totals["segment (sentences)"] += t0 - t1
        for ex in extractors:
            setattr(doc, ex.assigns, ex.func(doc))
            t1 = clock()
            totals[ex.name] += t1 - t0
            t0 = t1
        drop_absurd(doc)
        t1 = clock()
        totals["drop_absurd"] += t1 - t0
        doc.signature = signature(doc.view.text)
        t0 = clock()
        totals["signature"] += t0 - t1
        doc.tokens = []
        t1 = clock()
        totals["dropping the tokens"] += t1 - t0
        record = doc.to_record()
        t0 = clock()
        totals["to_record"] += t0 - t1
        record_line(record)
        totals["JSON of the record"] += clock() - t0


def main(argv: list[str]) -> None:
    passes = 2
    if "--passes" in argv:
        k = argv.index("--passes")
        passes = max(1, int(argv[k + 1]))
        argv = argv[:k] + argv[k + 2:]
    with tempfile.TemporaryDirectory() as tmp:
        if argv:
            path = Path(argv[0])
        elif SAMPLE.is_file():
            path = Path(tmp) / "articles.jsonl"
            with SAMPLE.open(encoding="utf-8") as src, path.open("w", encoding="utf-8") as dst:
                dst.writelines(islice(src, N))
        else:
            sys.exit(f"{SAMPLE} not found: give a JSONL file of articles")
        one_pass(path, defaultdict(float))  # memos, dictionaries, compiled patterns
        gc.disable()
        runs = []
        for _ in range(passes):
            totals: dict[str, float] = defaultdict(float)
            one_pass(path, totals)
            runs.append(totals)
        gc.enable()
    print(f"CPU seconds per step, {path.name if argv else f'first {N} lines of {SAMPLE.name}'}, "
          f"{passes} warm passes:")
    for step in sorted(runs[0], key=lambda s: -runs[0][s]):
        print(f"  {step:22s} " + " ".join(f"{r[step]:.3f}" for r in runs))
    print(f"  {'in all':22s} " + " ".join(f"{sum(r.values()):.3f}" for r in runs))


if __name__ == "__main__":
    main(sys.argv[1:])
