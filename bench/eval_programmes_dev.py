"""Score the programme extractor on its dev set (and on the seeds gold), like score.py.

usage: python bench/eval_programmes_dev.py [--seeds] [--verbose] [--min-f1 X]

The dev set ``tests/dev/programmes_dev.json`` holds ids and labels only; the texts and
titles are read from ``../shared/corpus/news_sample.jsonl`` (the archive's title is the
article's title, as ingest gives it). Predicted names are the distinct names of the
programme mentions; a name matches a gold name as in score.py (equal after normalisation,
or starting with it and at most 6 characters longer). ``req`` entries must be found;
anything matching no gold entry counts against precision. Headline accuracy compares the
first headline programme with the gold one (both none counts as right). ``--seeds`` also
scores ``../shared/gold/seeds.json`` on ``../shared/seeds``. Scores are printed for the whole
dev set and for its batches: ``tuning`` (labelled blind, then used to improve the rules) and
``blind`` (labelled later, never tuned on: the fairer estimate).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO))

from policy_ie.extractors import programmes  # noqa: E402
from policy_ie.pipeline.evaluate import name_match, norm_name  # noqa: E402  (score.py's rules, kept in one place)
from policy_ie.text.document import Document, Metadata  # noqa: E402

DEV = REPO / "tests" / "dev" / "programmes_dev.json"
def _clean(doc: Document) -> None:
    """Build the clean view as the pipeline does, when the cleaning stage is available."""
    try:
        from policy_ie.text.clean import clean
    except ImportError:  # pragma: no cover - cleaning not there yet: identity view
        return
    try:
        clean(doc)
    except Exception as exc:  # a cleaning failure must not hide the extractor's score
        print(f"{doc.id}: clean failed ({exc}); identity view", file=sys.stderr)
        doc.clean = None


def score(gold: dict[str, dict], items: dict[str, tuple[str, str | None]],
          verbose: bool = False) -> dict:
    """Precision, recall, F1 and headline accuracy over the articles of ``gold``."""
    tp_req = n_req = tp_pred = n_pred = head_ok = 0
    for aid, g in gold.items():
        text, title = items[aid]
        doc = Document(id=aid, path=aid, text=text, meta=Metadata(title=title))
        _clean(doc)
        ms = programmes.extract(doc)
        pred = sorted({norm_name(m.name) for m in ms if m.name})
        allg = [n for n, _ in g["programmes"]]
        req = [n for n, s in g["programmes"] if s == "req"]
        missed = [n for n in req if not any(name_match(p, n) for p in pred)]
        wrong = [p for p in pred if not any(name_match(p, n) for n in allg)]
        tp_req += len(req) - len(missed)
        n_req += len(req)
        tp_pred += len(pred) - len(wrong)
        n_pred += len(pred)
        heads = [m.name for m in ms if m.headline]
        hp, gh = (heads[0] if heads else None), g.get("headline_programme")
        ok = (hp is None and gh is None) or (hp is not None and gh is not None
                                             and name_match(hp, gh))
        head_ok += ok
        if verbose and (missed or wrong or not ok):
            extra = "" if ok else f" headline={hp!r} gold={gh!r}"
            print(f"{aid}: missed={missed} wrong={wrong}{extra}")
    p = tp_pred / n_pred if n_pred else 1.0
    r = tp_req / n_req if n_req else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
            "required": n_req, "predicted": n_pred, "articles": len(gold),
            "headline_accuracy": round(head_ok / len(gold), 3) if gold else 1.0}


def dev_items(ids: set[str]) -> dict[str, tuple[str, str | None]]:
    """(text, title) of the dev ids from the shared news sample."""
    out = {}
    with (SHARED / "corpus" / "news_sample.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            if item["id"] in ids:
                out[item["id"]] = (item["text"], item.get("title"))
    return out


def seeds_items(gold: dict[str, dict]) -> dict[str, tuple[str, str | None]]:
    """(text, gold title) of the seed articles."""
    return {aid: ((SHARED / "seeds" / f"{aid}.txt").read_text(encoding="utf-8"), g.get("title"))
            for aid, g in gold.items()}


def main(argv: list[str]) -> int:
    if not (SHARED / "corpus" / "news_sample.jsonl").is_file():
        print("../shared is not present: nothing to score", file=sys.stderr)
        return 0
    verbose = "--verbose" in argv
    min_f1 = float(argv[argv.index("--min-f1") + 1]) if "--min-f1" in argv else 0.0
    gold = json.loads(DEV.read_text(encoding="utf-8"))["articles"]
    items = dev_items(set(gold))
    res = score(gold, items, verbose)
    print("dev   ", json.dumps(res, ensure_ascii=False))
    for batch in sorted({g.get("batch", "tuning") for g in gold.values()}):
        part = {k: g for k, g in gold.items() if g.get("batch", "tuning") == batch}
        print(f"  {batch:7s}", json.dumps(score(part, items), ensure_ascii=False))
    if "--seeds" in argv:
        sg = json.loads((SHARED / "gold" / "seeds.json").read_text(encoding="utf-8"))["articles"]
        sg = {k: {"programmes": v.get("programmes", []),
                  "headline_programme": v.get("headline_programme")} | {"title": v.get("title")}
              for k, v in sg.items()}
        print("seeds ", json.dumps(score(sg, seeds_items(sg), verbose), ensure_ascii=False))
    return 0 if res["f1"] >= min_f1 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
