"""Score the date extractor on its dev set (and on the seeds gold), like shared/tools/score.py.

usage: python bench/eval_dates_dev.py [--seeds] [--verbose]

The dev set ``tests/dev/dates_dev.json`` holds ids and labels only; the texts are read from
``../shared/corpus/news_sample.jsonl`` (the item's ``date`` is the publication date). Each
article's predicted set is the distinct ISO values of its date mentions plus its
publication date, as score.py counts them; ``req`` entries must be found, anything not in
the gold (``req`` or ``ok``) counts against precision. Scores are printed for the
whole dev set and for its two batches: ``tuning`` (labelled while the extractor was
written) and ``blind`` (labelled from the texts before running it: the fairer estimate). ``--seeds`` scores
``../shared/gold/seeds.json`` on ``../shared/seeds`` the same way (with the gold's
publication date, so that only the date extractor is measured).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO))

from policy_ie.extractors import dates  # noqa: E402
from policy_ie.text.document import Document, Metadata  # noqa: E402

ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?$")
DEV = REPO / "tests" / "dev" / "dates_dev.json"


def _clean(doc: Document) -> None:
    """Build the clean view as the pipeline does, when the cleaning stage is available."""
    try:
        from policy_ie.text.clean import clean
    except ImportError:  # pragma: no cover - cleaning not there yet: identity view
        return
    clean(doc)


def predicted(doc: Document) -> set[str]:
    """Distinct ISO values of the document's date mentions, plus its publication date."""
    vals = {m.value for m in dates.extract(doc) if m.value and ISO.match(m.value)}
    if doc.meta.published and ISO.match(doc.meta.published):
        vals.add(doc.meta.published)
    return vals


def score(gold: dict[str, dict], texts: dict[str, str], verbose: bool = False) -> dict:
    """Precision, recall and F1 over the articles of ``gold`` (score.py's counting)."""
    tp_req = n_req = tp_pred = n_pred = 0
    for aid, g in gold.items():
        doc = Document(id=aid, path=aid, text=texts[aid], meta=Metadata(published=g["published"]))
        _clean(doc)
        pred = predicted(doc)
        allv = {v for v, _ in g["dates"]}
        req = [v for v, s in g["dates"] if s == "req"]
        missed = [v for v in req if v not in pred]
        wrong = sorted(p for p in pred if p not in allv)
        tp_req += len(req) - len(missed)
        n_req += len(req)
        tp_pred += len(pred) - len(wrong)
        n_pred += len(pred)
        if verbose and (missed or wrong):
            print(f"{aid}: missed={missed} wrong={wrong}")
    p = tp_pred / n_pred if n_pred else 1.0
    r = tp_req / n_req if n_req else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
            "required": n_req, "predicted": n_pred, "articles": len(gold)}


def dev_texts(ids: set[str]) -> dict[str, str]:
    """Texts of the dev ids from the shared news sample."""
    out = {}
    with (SHARED / "corpus" / "news_sample.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            if item.get("id") in ids:
                out[item["id"]] = item["text"]
    return out


def main(argv: list[str]) -> int:
    verbose = "--verbose" in argv or "-v" in argv
    if not SHARED.is_dir():
        print("../shared is not present; nothing to score", file=sys.stderr)
        return 0
    gold = json.loads(DEV.read_text(encoding="utf-8"))["articles"]
    texts = dev_texts(set(gold))
    for batch in ("all", "tuning", "blind"):
        part = {a: g for a, g in gold.items() if batch == "all" or g.get("batch") == batch}
        res = score(part, texts, verbose and batch == "all")
        print(f"dates dev {batch:6s} P={res['precision']:.3f} R={res['recall']:.3f} "
              f"F1={res['f1']:.3f} (articles {res['articles']}, req {res['required']}, "
              f"predicted {res['predicted']})")
    if "--seeds" in argv:
        sg = json.loads((SHARED / "gold" / "seeds.json").read_text(encoding="utf-8"))["articles"]
        texts = {a: (SHARED / "seeds" / f"{a}.txt").read_text(encoding="utf-8") for a in sg}
        res = score(sg, texts, verbose)
        print(f"dates seeds      P={res['precision']:.3f} R={res['recall']:.3f} F1={res['f1']:.3f} "
              f"(articles {res['articles']}, req {res['required']}, "
              f"predicted {res['predicted']})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
