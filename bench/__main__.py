"""``python -m bench`` (``make bench``): run every ``bench/bench_*.py`` module, each in a
process of its own.

A benchmark run in the process of the ones before it inherits what they loaded: after
the ablation had trained its models, ``bench_pipeline``'s workers were forked from a
490 MB process instead of a 270 MB one and its ``--jobs 2`` speed-up (and the machine's
ceiling beside it) came out about 0.15 lower than the same module run alone. A user's
build forks its workers from a process that holds only what a build needs.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import time

import bench


def modules() -> list[str]:
    """The benchmark modules, in name order."""
    return sorted(i.name for i in pkgutil.iter_modules(bench.__path__) if i.name.startswith("bench_"))


def main() -> int:
    failed = 0
    for name in modules():
        print(f"== {name}", flush=True)
        t0 = time.perf_counter()
        code = subprocess.run([sys.executable, "-m", f"bench.{name}"], check=False).returncode
        if code != 0:  # report and go on to the next benchmark
            failed += 1
            print(f"   failed: exit status {code}", file=sys.stderr)
        print(f"   ({time.perf_counter() - t0:.1f} s)", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
