"""``python -m bench`` (``make bench``): run every ``bench/bench_*.py`` module's ``main()``."""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time

import bench


def main() -> int:
    names = sorted(i.name for i in pkgutil.iter_modules(bench.__path__) if i.name.startswith("bench_"))
    failed = 0
    for name in names:
        mod = importlib.import_module(f"bench.{name}")
        if not hasattr(mod, "main"):
            continue
        print(f"== {name}", flush=True)
        t0 = time.perf_counter()
        try:
            mod.main()
        except Exception as exc:  # report and go on to the next benchmark
            failed += 1
            print(f"   failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        print(f"   ({time.perf_counter() - t0:.1f} s)", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
