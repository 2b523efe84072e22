"""Whole builds as a user runs them: memory against archive size, and incremental rebuilds.

Each build is ``policy-ie build`` in a child process over a JSONL file of articles (from
``../shared/corpus/news_sample.jsonl`` when present, else generated), into a temporary
folder. Printed, in one run:

* peak RSS of a ``--jobs 1`` build of N articles and of 10 N articles (target: within 10%
  of each other and under 600 MB: memory must not grow with the archive);
* the speed-up of a whole ``--jobs 2`` build of 10 N articles over a ``--jobs 1`` one, as a
  user sees it: start-up, reading, writing and the cache included (``bench_pipeline``
  measures the extraction alone);
* a rebuild with nothing changed (the build stamp: nothing to do; target < 10% of the
  first build), a rebuild after every input was touched without a change (the digest of
  their bytes: nothing to do either), and a rebuild after one article changed (only it is
  extracted, but every dataset file is written again), each as a share of the first build.

usage: python -m bench.bench_build  (``BENCH_ARTICLES=N``, default 2000)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import texts

N = int(os.environ.get("BENCH_ARTICLES", "2000"))
_CHILD = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stderr=subprocess.DEVNULL); "
          "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def _write(folder: Path, arts: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "articles.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i, t in enumerate(arts):
            fh.write(json.dumps({"id": f"a{i}", "text": t}, ensure_ascii=False) + "\n")
    return path


def build(inp: Path, out: Path, jobs: int) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one ``policy-ie build`` in a child process."""
    cmd = [sys.executable, "-m", "pipeline", "build", "--input", str(inp), "--output", str(out), "--jobs", str(jobs)]
    t0 = time.perf_counter()
    res = subprocess.run([sys.executable, "-c", _CHILD, *cmd], check=True, capture_output=True, text=True)
    return time.perf_counter() - t0, int(res.stdout.strip()) / 1024


def main() -> None:
    arts, where = texts(N * 10)
    small, large = arts[:N], arts
    with tempfile.TemporaryDirectory(prefix="policy-ie-bench-") as tmp:
        root = Path(tmp)
        _, rss_small = build(_write(root / "small", small), root / "out-small", 1)
        large_in = _write(root / "large", large)
        one_job, rss_large = build(large_in, root / "out-large", 1)
        two_jobs, _ = build(large_in, root / "out-large-2", 2)
        print(f"   corpus: {where}")
        print(f"   peak RSS, --jobs 1: {len(small)} articles {rss_small:.0f} MB, {len(large)} articles "
              f"{rss_large:.0f} MB: {100 * (rss_large / rss_small - 1):+.1f}% (target within 10%, under 600 MB)")
        print(f"   whole build of {len(large)} articles (start-up, writing and all): --jobs 1 {one_job:.1f} s, "
              f"--jobs 2 {two_jobs:.1f} s: {one_job / two_jobs:.2f}x")

        inp = _write(root / "inc", small)
        out = root / "out-inc"
        first, _ = build(inp, out, 0)
        unchanged, _ = build(inp, out, 0)
        os.utime(inp)
        touched, _ = build(inp, out, 0)
        edited = small[:]
        edited[len(edited) // 2] += "\n本文有改动。"
        _write(root / "inc", edited)
        one, _ = build(inp, out, 0)
        print(f"   build of {len(small)} articles, all cores: first {first:.1f} s")
        for label, t, target in (("nothing changed (stamp)", unchanged, " (target < 10%)"),
                                 ("inputs touched, bytes unchanged", touched, ""),
                                 ("one article changed: it alone extracted, every file rewritten", one, "")):
            print(f"   rebuild, {label}: {t:.2f} s = {100 * t / first:.1f}% of the first{target}")


if __name__ == "__main__":
    main()
