"""The ``extract`` command as a user runs it: its start-up, and 2,000 articles against jieba.

Every figure is a whole process, timed from outside (wall time), as a person at a terminal
or a script calling the command sees it. Printed, in one run:

* a cold ``policy-ie extract`` of one short article (the first of news_sample.jsonl with
  300-700 characters, else a generated one) over ``policy-ie --version``: the median of
  ``BENCH_START_ROUNDS`` (default 7) runs of each, in alternation (target <= 3);
* ``policy-ie extract --jobs 1`` over the first ``BENCH_ARTICLES`` (default 2000) lines of
  news_sample.jsonl (else generated articles), its output to a file, over a Python process
  that reads the same file and runs ``jieba.lcut`` over every text: both whole processes,
  start-up and dictionary loading included; the median of ``BENCH_ROUNDS`` (default 3)
  runs of each, in alternation (target <= 0.35).

The CPU time of the same processes (user + system) is printed beside each ratio: the machine
is shared, and waiting for a core adds wall time but no CPU time.

Python's compiled modules are used as an installed package has them: the children write and
read them in a temporary folder (``PYTHONPYCACHEPREFIX``) even when the environment says not
to write any (``PYTHONDONTWRITEBYTECODE``), and one run of each command before the timing
fills it. Without them every start compiles the sources again (0.05-0.1 s more for
``extract``).

usage: python -m bench.bench_command
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.corpus import SAMPLE, texts

N = int(os.environ.get("BENCH_ARTICLES", "2000"))
ROUNDS = max(1, int(os.environ.get("BENCH_ROUNDS", "3")))
START_ROUNDS = max(1, int(os.environ.get("BENCH_START_ROUNDS", "7")))
SHORT = (300, 700)  # characters of the "short article"

#: the loop ``extract`` is measured against: a process that reads the same JSONL file and cuts
#: every text with jieba (its dictionary loaded at the first cut, as a user's script does)
_LCUT = ("import json, sys\nimport jieba\njieba.setLogLevel(60)\n"
         "with open(sys.argv[1], encoding='utf-8') as fh:\n"
         "    for line in fh:\n"
         "        jieba.lcut(json.loads(line).get('text') or '')\n")


def command() -> list[str]:
    """``policy-ie`` as installed beside this Python, else ``python -m policy_ie``."""
    script = Path(sys.executable).with_name("policy-ie")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "policy_ie"]


def environment(pycache: Path) -> dict[str, str]:
    """The children's environment: compiled modules kept in ``pycache`` (see the docstring)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def timed(cmd: list[str], env: dict[str, str], out: Path | None = None) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of ``cmd`` run to its end."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    with open(out or os.devnull, "wb") as sink:
        subprocess.run(cmd, check=True, stdout=sink, stderr=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


Runs = list[tuple[float, float]]  # wall and CPU seconds of each run


def alternate(measures: dict[str, Callable[[], tuple[float, float]]], rounds: int) -> dict[str, Runs]:
    """Each measure ``rounds`` times, in alternation."""
    got: dict[str, Runs] = {name: [] for name in measures}
    for _ in range(rounds):
        for name, measure in measures.items():
            got[name].append(measure())
    return got


def medians(runs: Runs) -> tuple[float, float]:
    """The median wall and CPU seconds of ``runs``."""
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


def short_article(folder: Path) -> tuple[Path, str]:
    """A ``.txt`` file of one short article, and where its text came from."""
    arts, where = texts(2000)
    text = next((t for t in arts if SHORT[0] <= len(t) <= SHORT[1]), None)
    if text is None or not where.startswith("news_sample"):
        text = "".join(texts(1)[0])[:SHORT[1]]
        where = "generated"
    path = folder / "one.txt"
    path.write_text(text, encoding="utf-8")
    return path, f"{where.split(' ')[0]}, {len(text)} characters"


def articles(folder: Path, n: int) -> tuple[Path, str]:
    """A JSONL file of the first ``n`` articles (news_sample.jsonl's lines as they are)."""
    path = folder / "articles.jsonl"
    if SAMPLE.is_file():
        with SAMPLE.open(encoding="utf-8") as src, path.open("w", encoding="utf-8") as dst:
            for i, line in enumerate(src):
                if i >= n:
                    break
                dst.write(line)
        where = "news_sample.jsonl"
    else:
        arts, where = texts(n)
        with path.open("w", encoding="utf-8") as dst:
            for i, t in enumerate(arts):
                dst.write(json.dumps({"id": f"a{i}", "text": t}, ensure_ascii=False) + "\n")
    size = path.stat().st_size / 1e6
    count = sum(1 for _ in path.open(encoding="utf-8"))
    return path, f"{where.split(' ')[0]}, first {count} articles, {size:.1f} MB"


def main() -> None:
    cli = command()
    with tempfile.TemporaryDirectory(prefix="policy-ie-bench-") as tmp:
        root = Path(tmp)
        env = environment(root / "pycache")
        one, one_where = short_article(root)
        many, many_where = articles(root, N)
        out = root / "records.jsonl"
        version = [*cli, "--version"]
        extract_one = [*cli, "extract", str(one)]
        extract_many = [*cli, "extract", str(many), "--jobs", "1"]
        lcut = [sys.executable, "-c", _LCUT, str(many)]
        for cmd in (version, extract_one, lcut):  # compile the modules once, outside the timing
            timed(cmd, env)

        start = alternate({"version": lambda: timed(version, env), "one": lambda: timed(extract_one, env)},
                          START_ROUNDS)
        (v_wall, v_cpu), (o_wall, o_cpu) = medians(start["version"]), medians(start["one"])
        print(f"   one short article ({one_where}), median of {START_ROUNDS} runs each:")
        print(f"   cold extract {o_wall:.3f} s over --version {v_wall:.3f} s: {o_wall / v_wall:.2f}x "
              f"(target <= 3); CPU {o_cpu:.3f} s over {v_cpu:.3f} s: {o_cpu / v_cpu:.2f}x")

        many_runs = alternate({"extract": lambda: timed(extract_many, env, out), "lcut": lambda: timed(lcut, env)},
                              ROUNDS)
        (e_wall, e_cpu), (j_wall, j_cpu) = medians(many_runs["extract"]), medians(many_runs["lcut"])
        walls = ", ".join(f"{w:.2f}" for w, _ in many_runs["extract"])
        jwalls = ", ".join(f"{w:.2f}" for w, _ in many_runs["lcut"])
        print(f"   {many_where}, median of {ROUNDS} runs each (extract {walls} s; jieba {jwalls} s):")
        print(f"   extract --jobs 1 {e_wall:.2f} s over the jieba.lcut loop {j_wall:.2f} s: ratio "
              f"{e_wall / j_wall:.2f} (target <= 0.35); CPU {e_cpu:.2f} s over {j_cpu:.2f} s: {e_cpu / j_cpu:.2f}")


if __name__ == "__main__":
    main()
