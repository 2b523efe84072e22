"""Benchmark texts: ``../shared/corpus/news_sample.jsonl`` when present, else generated."""

from __future__ import annotations

import json
import random
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "news_sample.jsonl"

_PARTS = ["近年来，", "某县", "坚持党建引领脱贫攻坚，", "全县贫困人口由", "3.2万人", "减少到",
          "1200人，", "累计投入扶贫资金", "1.45亿元，", "实施项目", "232个，", "选派第一书记",
          "128名。", "2019年底，", "贫困发生率降至", "0.8%。", "“五个一批”", "工程扎实推进。\n"]


def texts(limit: int | None = None) -> tuple[list[str], str]:
    """Article texts and a word saying where they came from."""
    if SAMPLE.is_file():
        out = []
        with SAMPLE.open(encoding="utf-8") as fh:
            for line in fh:
                out.append(json.loads(line)["text"])
                if limit and len(out) >= limit:
                    break
        return out, f"news_sample.jsonl ({len(out)} articles)"
    rng = random.Random(7)
    n = limit or 2000
    gen = ["".join(rng.choice(_PARTS) for _ in range(rng.randint(40, 120))) for _ in range(n)]
    return gen, f"generated ({n} articles)"
