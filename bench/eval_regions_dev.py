"""Score the region extractors on their dev set (and on the seeds gold), like score.py.

usage: python bench/eval_regions_dev.py [--seeds] [--verbose] [--speed]

The dev set ``tests/dev/regions_dev.json`` holds ids and labels only; texts, titles and
publication dates are read from ``../shared/corpus/news_sample.jsonl``. Each article is
cleaned and segmented as the pipeline does, then run through the ``dates``, ``regions``
and ``article_region`` extractors. As in score.py, the predicted set is the distinct
6-digit codes of the region mentions; ``req`` codes must be found, codes outside the gold
count against precision; the article region must equal the gold code (null included).
Scores are printed for the whole set and for its batches: ``tuning`` (labelled while the
extractor was written) and ``blind`` (labelled from the texts before running it).
``--seeds`` scores ``../shared/gold/seeds.json`` on ``../shared/seeds`` the same way;
``--speed`` times the region extractor alone over the first 2,000 news items.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO))

from policy_ie.extractors import dates, regions  # noqa: E402
from policy_ie.text.document import Document, Metadata  # noqa: E402

DEV = REPO / "tests" / "dev" / "regions_dev.json"
SIX = re.compile(r"^\d{6}$")


def prepare(doc: Document) -> Document:
    """Clean and segment like the pipeline (when those stages exist), then find dates."""
    try:
        from policy_ie.extractors.words import segment
        from policy_ie.text.clean import clean

        clean(doc)
        segment(doc, "jieba")
    except ImportError:  # pragma: no cover - stages not there: identity view, no tokens
        pass
    doc.dates = dates.extract(doc)
    return doc


def run(doc: Document) -> tuple[set[str], str | None]:
    """Distinct 6-digit codes of the region mentions and the article region's code."""
    doc.regions = regions.extract(doc)
    doc.region = regions.extract_article_region(doc)
    codes = {m.code for m in doc.regions if m.code and SIX.match(m.code)}
    return codes, doc.region.code if doc.region else None


def score(gold: dict[str, dict], docs: dict[str, Document], verbose: bool = False) -> dict:
    """Region P/R/F1 (score.py's counting) and article-region accuracy."""
    tp_req = n_req = tp_pred = n_pred = right = 0
    for aid, g in gold.items():
        pred, region = run(prepare(docs[aid]))
        allc = {c for c, _ in g["regions"]}
        req = [c for c, s in g["regions"] if s == "req"]
        missed = [c for c in req if c not in pred]
        wrong = sorted(p for p in pred if p not in allc)
        tp_req += len(req) - len(missed)
        n_req += len(req)
        tp_pred += len(pred) - len(wrong)
        n_pred += len(pred)
        right += region == g["region"]
        if verbose and (missed or wrong or region != g["region"]):
            print(f"{aid}: missed={missed} wrong={wrong} region={region} gold={g['region']}")
    p = tp_pred / n_pred if n_pred else 1.0
    r = tp_req / n_req if n_req else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
            "region_accuracy": round(right / len(gold), 3) if gold else 1.0,
            "required": n_req, "predicted": n_pred, "articles": len(gold)}


def dev_docs(ids: set[str]) -> dict[str, Document]:
    """Documents of the dev ids from the shared news sample (title and date as metadata)."""
    out = {}
    with (SHARED / "corpus" / "news_sample.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            if item["id"] in ids:
                out[item["id"]] = Document(
                    id=item["id"], path=item["id"], text=item["text"],
                    meta=Metadata(title=item.get("title"), published=item.get("date")))
    return out


def seed_docs(gold: dict[str, dict]) -> dict[str, Document]:
    """The seed articles with the gold's title and publication date as metadata."""
    out = {}
    for aid, g in gold.items():
        text = (SHARED / "seeds" / f"{aid}.txt").read_text(encoding="utf-8")
        out[aid] = Document(id=aid, path=aid, text=text,
                            meta=Metadata(title=g.get("title"), published=g.get("published")))
    return out


def speed(n: int = 2000) -> str:
    """Throughput of the region extractor alone (no segmentation: jieba only on windows)."""
    items = []
    with (SHARED / "corpus" / "news_sample.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            items.append(json.loads(line))
            if len(items) >= n:
                break
    regions.extract(Document(id="w", path="w", text="商洛市"))  # warm up: load gazetteer
    size = sum(len(i["text"].encode("utf-8")) for i in items)
    t = time.perf_counter()
    for i in items:
        regions.extract(Document(id=i["id"], path="", text=i["text"],
                                 meta=Metadata(published=i.get("date"))))
    dt = time.perf_counter() - t
    return f"{len(items)} items, {size / 1e6:.1f} MB in {dt:.1f} s: {size / 1e6 / dt:.2f} MB/s"


def main(argv: list[str]) -> int:
    if not (SHARED / "corpus").is_dir():
        print("shared corpus not present: nothing to score")
        return 0
    verbose = "--verbose" in argv
    gold = json.loads(DEV.read_text(encoding="utf-8"))["articles"]
    docs = dev_docs(set(gold))
    print("dev  ", json.dumps(score(gold, docs, verbose)))
    for batch in ("tuning", "blind"):
        part = {k: v for k, v in gold.items() if v.get("batch") == batch}
        print(f"  {batch:6}", json.dumps(score(part, dev_docs(set(part)))))
    if "--seeds" in argv:
        seeds = json.loads((SHARED / "gold" / "seeds.json").read_text("utf-8"))["articles"]
        print("seeds", json.dumps(score(seeds, seed_docs(seeds), verbose)))
    if "--speed" in argv:
        print("speed", speed())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
