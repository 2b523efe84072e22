"""``python -m bench.distributed_build``: what a build's client costs, by engine, and its memory.

Not part of ``make bench`` (it needs minutes and, for the dask engine, a cluster): it starts
a dask scheduler and two workers on 127.0.0.1 as the README says (``dask scheduler``,
``dask worker``), fresh for every build, and runs ``policy-ie build`` in a process of its own
for each engine and input size, reading that process's own CPU time and peak RSS (the
client's: the workers are other processes) and each worker's peak RSS (``VmHWM``). The
``processes`` engine is ``build --jobs 2``, the pooled build (:mod:`pipeline.pooled`): its
client is the pool's parent, and its workers' CPU and largest peak RSS are those of the
process's children (``RUSAGE_CHILDREN``).

Inputs: the first N lines of ``../shared/corpus/news_sample.jsonl``; past its 20,000 lines
the sample is repeated with new ids (``<id>~k``) and each digit of the k-th copy's text
shifted by k (7 -> 8 in the first copy), so that copies give new figures and are mostly not
near-duplicates of the first (the build's summary line says how many are).

Prints one JSON line per build and, at the end, the client CPU per article of each engine
(the difference of two sizes' client CPU over the difference of their sizes), the workers'
peak RSS at the smallest and largest size with the growth of the largest (issue 18: at most
5% from 10,000 to 100,000 items) and the projection of a million articles from the measured
per-article costs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.corpus import SAMPLE

#: the environment variable that turns the dask workers' statistical profiler off
PROFILER = "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED"
_SHIFT = {k: str.maketrans("0123456789", "".join(str((d + k) % 10) for d in range(10))) for k in range(10)}


def make_input(n: int, path: Path) -> Path:
    """The first ``n`` articles of the sample, repeated past its end as the module doc says."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            k, line = divmod(i, len(lines))
            if k:
                obj = json.loads(lines[line])
                obj["id"] = f"{obj.get('id', line)}~{k}"
                for field in ("text", "content"):
                    if isinstance(obj.get(field), str):
                        obj[field] = obj[field].translate(_SHIFT[k % 10])
                out.write(json.dumps(obj, ensure_ascii=False) + "\n")
            else:
                out.write(lines[line] + "\n")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _peak_kb(pid: int) -> int:
    """VmHWM of a process and its children (a dask worker runs under a nanny)."""
    total = 0
    pids = [pid]
    # every thread's children: the nanny starts its worker process from a thread of its own
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError, ValueError):
            pids += [int(k) for k in (task / "children").read_text().split()]
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total = max(total, int(line.split()[1]))
        except OSError:
            continue
    return total


def cluster(workers: int = 2) -> tuple[str, list[subprocess.Popen[bytes]]]:
    """A scheduler and ``workers`` single-threaded workers on 127.0.0.1, as the README starts them."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    bindir = Path(sys.executable).parent
    procs = [subprocess.Popen([bindir / "dask", "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard"], stderr=subprocess.DEVNULL, start_new_session=True)]
    time.sleep(3)
    for _ in range(workers):
        # with its nanny, as the README starts them: the nanny sets MALLOC_TRIM_THRESHOLD_ (dask's
        # ``distributed.nanny.pre-spawn-environ``) before the worker starts; ``--no-nanny`` does not
        # and without the statistical profiler, as the README starts them: it keeps a profile of
        # every second of the build (up to 1,000), tens of MB in a long build
        procs.append(subprocess.Popen([bindir / "dask", "worker", address, "--nthreads", "1",
                                       "--host", "127.0.0.1", "--no-dashboard"],
                                      env={**os.environ, PROFILER: "False"},
                                      stderr=subprocess.DEVNULL, start_new_session=True))
    time.sleep(6)
    return address, procs


def one(argv: list[str]) -> None:
    """Run the build command in this process; print this process's CPU time and peak RSS."""
    from policy_ie.pipeline.cli import app

    t0 = time.perf_counter()
    with contextlib.suppress(SystemExit):
        app(argv, standalone_mode=False)
    wall = time.perf_counter() - t0
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # the pool's workers (ended and waited for)
    # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so this process's would be at
    # least the bench's own RSS when it started it (the bench holds the input it made: 150 MB
    # at 10,000 items, 193 MB at 100,000, where the build's client peaks at 96 MB at both)
    peak = next((int(line.split()[1]) for line in Path("/proc/self/status").read_text().splitlines()
                 if line.startswith("VmHWM:")), me.ru_maxrss)
    print(json.dumps({"cpu": me.ru_utime + me.ru_stime, "maxrss_kb": peak, "wall": wall,
                      "children_cpu": kids.ru_utime + kids.ru_stime, "children_peak_kb": kids.ru_maxrss}), flush=True)


def measure(engine: str, n: int, work: Path) -> dict[str, object]:
    """One build of ``n`` articles with ``engine`` (``dask`` on a fresh cluster, or ``processes``)."""
    src = work / f"in-{n}.jsonl"
    if not src.exists():
        make_input(n, src)
    out = work / f"out-{engine}-{n}"
    argv = ["build", "--input", str(src), "--output", str(out), "--force", "--no-cache", "--jobs", "2"]
    procs: list[subprocess.Popen[bytes]] = []
    if engine == "dask":
        address, procs = cluster()
        argv += ["--engine", "dask", "--scheduler", address]
    try:
        got = subprocess.run([sys.executable, "-m", "bench.distributed_build", "--one", *argv],
                             capture_output=True, text=True, check=True)
        row = json.loads(got.stdout.strip().splitlines()[-1])
        row["workers_peak_kb"] = [_peak_kb(p.pid) for p in procs[1:]]
        row["said"] = [line for line in got.stderr.splitlines() if line.startswith("wrote")]
    finally:
        for p in procs:
            os.killpg(p.pid, signal.SIGTERM)
            p.wait()
    row.update(engine=engine, n=n)
    print(json.dumps(row), flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--one", nargs=argparse.REMAINDER)
    parser.add_argument("--engines", default="dask,processes")
    parser.add_argument("--sizes", default="500,10000")
    parser.add_argument("--work", default=None)
    args = parser.parse_args()
    if args.one is not None:
        one(args.one)
        return
    work = Path(args.work or tempfile.mkdtemp(prefix="policy-ie-dist-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = [measure(e, int(n), work) for e in args.engines.split(",") for n in args.sizes.split(",")]
    for engine in args.engines.split(","):
        mine = sorted((r for r in rows if r["engine"] == engine), key=lambda r: r["n"])
        if len(mine) >= 2:
            a, b = mine[0], mine[-1]
            per = (b["cpu"] - a["cpu"]) / (b["n"] - a["n"]) * 1000  # type: ignore[operator]
            print(f"{engine}: client CPU {a['cpu']:.2f} s at {a['n']}, {b['cpu']:.2f} s at {b['n']}: "
                  f"{per:.4f} ms per article; peak RSS {a['maxrss_kb']:,} kB vs {b['maxrss_kb']:,} kB "
                  f"({(b['maxrss_kb'] / a['maxrss_kb'] - 1) * 100:+.1f}%)")
            if a.get("workers_peak_kb") and b.get("workers_peak_kb"):
                print(workers_growth(engine, a, b))
            if engine == "processes" and a.get("children_peak_kb") and b.get("children_peak_kb"):
                print(f"{engine}: the pool's workers, largest peak RSS {a['children_peak_kb']:,} kB vs "
                      f"{b['children_peak_kb']:,} kB")
            print(projection(engine, a, b))


def workers_growth(engine: str, a: dict[str, Any], b: dict[str, Any]) -> str:
    """Each worker's peak RSS at two sizes and the growth of the largest (the issue's bound: 5%)."""
    wa, wb = sorted(a["workers_peak_kb"]), sorted(b["workers_peak_kb"])
    growth = (wb[-1] - wa[-1]) / wa[-1] * 100
    return (f"{engine}: workers' peak RSS {' / '.join(f'{k / 1024:.0f}' for k in wa)} MB at {a['n']}, "
            f"{' / '.join(f'{k / 1024:.0f}' for k in wb)} MB at {b['n']}: the largest {growth:+.1f}%")


def projection(engine: str, a: dict[str, Any], b: dict[str, Any], cores: int = 2) -> str:
    """A million articles from two measured builds: worker time per article (the wall time's
    difference on ``cores`` busy cores) spread over 2 cores and over 100 workers, plus the
    client's CPU per article, which no number of workers shortens."""
    work = (b["wall"] - a["wall"]) * cores / (b["n"] - a["n"])  # core-seconds per article
    client = (b["cpu"] - a["cpu"]) / (b["n"] - a["n"])
    two = 1e6 * work / cores
    hundred = 1e6 * (work / 100 + client) if engine == "dask" else 1e6 * max(work / 100, client)
    return (f"{engine}: {work * 1000:.2f} ms of a core per article; a million articles: "
            f"{two / 60:.0f} min on {cores} cores, {hundred / 60:.1f} min on 100 workers "
            "(client CPU included; the serial assembly of the files on one worker is not)")


if __name__ == "__main__":
    main()
