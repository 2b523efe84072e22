"""Train the topic classifier and write it to extractors/data/model/ (``make topic-model``).

Needs ``../shared`` (the news archive, the poverty corpus) and ``tests/dev/topic_dev.json``;
without the shared material it says so and exits 0, so that ``make topic-model`` is harmless
on a machine that lacks it. Training is deterministic (no random state), about two minutes
on two cores, most of it the five out-of-fold models that choose the threshold.

usage: python scripts/train_topic.py [--shared PATH]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from policy_ie.pipeline import topic_train  # noqa: E402


def main(argv: list[str]) -> int:
    shared = topic_train.SHARED
    if "--shared" in argv:
        shared = Path(argv[argv.index("--shared") + 1])
    if not (shared / "corpus" / "news_sample.jsonl").exists():
        print(f"train_topic: {shared}/corpus/news_sample.jsonl not found; topic model not rebuilt",
              file=sys.stderr)
        return 0
    s = topic_train.build(shared=shared, log=lambda m: print(m, file=sys.stderr))
    print(json.dumps(s, indent=1))
    print(f"train_topic: threshold {s['threshold']} (set it in extractors/data/topic.yaml); held-out "
          f"precision {s['heldout_model']['precision']:.3f} recall {s['heldout_model']['recall']:.3f}; "
          f"{s['bytes'] / 1e6:.2f} MB written to {topic_train.tp.WEIGHTS} in {s['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
