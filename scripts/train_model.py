"""Train the metric classifier and write it to extractors/data/model/ (``make model``).

Needs ``../shared`` (the seed gold, the news archive); without it, it says so and exits 0
so that ``make model`` is harmless on a machine that lacks the shared material. Training is
deterministic (fixed seed, archive order), about ten seconds on two cores.

usage: python scripts/train_model.py [--shared PATH]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from policy_ie.pipeline import train as model_train  # noqa: E402


def main(argv: list[str]) -> int:
    shared = model_train.SHARED
    if "--shared" in argv:
        shared = Path(argv[argv.index("--shared") + 1])
    if not model_train.shared_present(shared):
        print(f"train_model: {shared} not found (seed gold, news archive); model not rebuilt",
              file=sys.stderr)
        return 0
    s = model_train.build(shared=shared, log=lambda m: print(m, file=sys.stderr))
    print(f"train_model: {s['gold_articles']} gold articles ({s['gold_examples']} quantities), "
          f"{s['silver_articles']} silver articles ({s['silver_examples']} quantities); "
          f"{s['bytes'] / 1e6:.1f} MB written to {model_train.mdl.MODEL_DIR} in {s['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
