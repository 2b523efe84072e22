"""Quantity extraction throughput relative to a plain ``regex`` scan of the same texts.

Both are measured in one run on the same texts: ``../shared/corpus/news_sample.jsonl`` when
present (the first ``--limit`` items), else generated genre-like text. The baseline is one
``regex.finditer`` of a number-with-unit pattern, the floor any quantity scanner pays; the
ratio says how many times slower the full extraction (numerals, units, qualifiers, rates,
ranges, names and ordinals) is.

usage: python bench/bench_quantities.py [--limit N] [--metrics]
  --metrics  also time the metrics classifier on top of the quantity scan
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from policy_ie.extractors.metrics import metrics_of  # noqa: E402
from policy_ie.extractors.numbers import find_quantities  # noqa: E402
from policy_ie.text.document import Document  # noqa: E402

CORPUS = ROOT / ".." / "shared" / "corpus" / "news_sample.jsonl"
BASELINE = regex.compile(r"\d+(?:\.\d+)?[万亿]?(?:元|人|户|个|名|项|%)?")


def load_texts(limit: int) -> tuple[list[str], str]:
    """Texts to time, and where they came from."""
    if CORPUS.exists():
        texts = []
        with open(CORPUS, encoding="utf-8") as fh:
            for line in fh:
                texts.append(json.loads(line).get("text") or "")
                if len(texts) >= limit:
                    break
        return texts, f"news_sample.jsonl ({len(texts)} items)"
    rnd = random.Random(7)
    parts = ["全县共有建档立卡贫困户{a}户{b}人，", "投入资金{c}万元，", "贫困发生率由{d}%下降到0.{a}%，",
             "选派第一书记{a}名，", "实施“五个一批”工程，", "2019年底，", "实施项目{b}个。"]
    texts = []
    for _ in range(limit):
        n = rnd.randint(20, 60)
        texts.append("".join(rnd.choice(parts).format(
            a=rnd.randint(1, 999), b=rnd.randint(100, 99999), c=rnd.randint(1, 9999),
            d=rnd.randint(1, 40)) for _ in range(n)))
    return texts, f"generated ({len(texts)} items)"


def _time(fn, texts: list[str]) -> tuple[float, int]:
    t0 = time.perf_counter()
    found = sum(fn(t) for t in texts)
    return time.perf_counter() - t0, found


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=5000)
    ap.add_argument("--metrics", action="store_true")
    args = ap.parse_args()
    texts, source = load_texts(args.limit)
    chars = sum(map(len, texts))
    find_quantities("预热1.45亿元")  # load the tables outside the timing
    base_s, base_n = _time(lambda t: sum(1 for _ in BASELINE.finditer(t)), texts)
    q_s, q_n = _time(lambda t: len(find_quantities(t)), texts)
    print(f"texts: {source}, {chars / 1e6:.2f} M characters")
    print(f"regex scan      : {base_s:7.3f} s  {chars / base_s / 1e6:7.2f} M chars/s  {base_n} matches")
    print(f"find_quantities : {q_s:7.3f} s  {chars / q_s / 1e6:7.2f} M chars/s  {q_n} quantities")
    print(f"ratio           : quantity extraction is {q_s / base_s:.1f}x the regex scan time")
    if args.metrics:
        m_s, m_n = _time(lambda t: len(metrics_of(Document(id="b", path="b", text=t))), texts)
        print(f"metrics_of      : {m_s:7.3f} s  {chars / m_s / 1e6:7.2f} M chars/s  {m_n} metrics "
              f"({m_s / base_s:.1f}x the regex scan)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
