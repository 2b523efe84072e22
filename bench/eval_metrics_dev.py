"""Score the metrics extractor on the hand-labelled dev set (tests/dev/metrics_dev.json).

The dev set holds ids and labels only; the texts are read from
``../shared/corpus/news_sample.jsonl``. Documents are built straight from the archive
text (no cleaning), which is enough for metrics. Scoring follows ``shared/tools/score.py``:
distinct (metric, value) pairs per article, recall over ``req`` entries, precision over
``req`` and ``ok`` entries.

Articles carry a ``batch``: ``tuning`` (labelled, then used to tune the rules) or ``blind``
(labelled from the text alone after tuning and scored before any further change); both
batches and the whole set are reported.

usage: python bench/eval_metrics_dev.py [--verbose]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from policy_ie.extractors.catalogue import metric_keys  # noqa: E402
from policy_ie.extractors.metrics import metrics_of  # noqa: E402
from policy_ie.text.document import Document  # noqa: E402

DEV = ROOT / "tests" / "dev" / "metrics_dev.json"
SHARED = ROOT / ".." / "shared"
SCORED = set(metric_keys())


def _close(a: float, b: float) -> bool:
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))


def load_texts(ids: set[str], corpus: Path) -> dict[str, str]:
    """Texts of the wanted ids from the news archive."""
    out: dict[str, str] = {}
    with open(corpus, encoding="utf-8") as fh:
        for line in fh:
            if not any(i in line[:80] for i in ids):
                continue
            d = json.loads(line)
            if d.get("id") in ids:
                out[d["id"]] = d.get("text") or d.get("content") or ""
    return out


def evaluate(verbose: bool = False, batch: str | None = None) -> dict[str, float]:
    """Precision, recall and F1 of the metrics extractor on the dev set (or one batch)."""
    gold = json.loads(DEV.read_text("utf-8"))["articles"]
    if batch is not None:
        gold = {k: v for k, v in gold.items() if v.get("batch") == batch}
    texts = load_texts(set(gold), SHARED / "corpus" / "news_sample.jsonl")
    tp_req = n_req = tp_pred = n_pred = 0
    for aid, g in gold.items():
        doc = Document(id=aid, path=aid, text=texts[aid])
        pred = {(m.metric, m.value) for m in metrics_of(doc) if m.metric in SCORED}
        entries = [(m, v, s) for m, v, s in g["metrics"]]
        req = [(m, v) for m, v, s in entries if s == "req"]

        def hit(p: tuple, g_: tuple) -> bool:
            return p[0] == g_[0] and _close(p[1], g_[1])

        missed = [r for r in req if not any(hit(p, r) for p in pred)]
        wrong = [p for p in pred if not any(hit(p, (m, v)) for m, v, _ in entries)]
        tp_req += len(req) - len(missed)
        n_req += len(req)
        tp_pred += len(pred) - len(wrong)
        n_pred += len(pred)
        if verbose and (missed or wrong):
            print(aid, "missed:", missed, "wrong:", sorted(wrong))
    p = tp_pred / n_pred if n_pred else 1.0
    r = tp_req / n_req if n_req else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"articles": len(gold), "precision": p, "recall": r, "f1": f,
            "required": n_req, "predicted": n_pred}


def main() -> int:
    if not (SHARED / "corpus" / "news_sample.jsonl").exists():
        print("shared/corpus/news_sample.jsonl not found; nothing to score", file=sys.stderr)
        return 1
    verbose = "--verbose" in sys.argv or "-v" in sys.argv
    for batch in (None, "tuning", "blind", "blind2", "blind3"):
        s = evaluate(verbose and batch is None, batch)
        print(f"metrics dev [{batch or 'all'}]: articles={s['articles']} P={s['precision']:.3f} "
              f"R={s['recall']:.3f} F1={s['f1']:.3f} (req {s['required']}, predicted {s['predicted']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
