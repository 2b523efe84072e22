"""Ablation: metrics from the rules alone vs the rules and the statistical model.

Three measurements, all on hand-labelled articles outside ``corpus/poverty/``:

1. 5-fold cross-validation over every gold article (the seeds, ``metrics_dev.json`` and
   ``model_dev.json``): the model is trained on the other folds' gold and the silver set
   (which never holds a gold article), and the held-out fold is scored with and without it.
   Settings are ``(threshold, review_below, veto)``: the shipped one (the model decides the
   quantities the rules leave open) and variants (a stricter threshold; the model also
   overruling rule figures of confidence below 0.9).
2. The blind batch ``model_dev.json``, labelled before any model or rule was tuned on it:
   trained on everything else, scored once.
3. The cost: articles per second of the metrics stage with and without the model.

Metric F1 is counted as ``shared/tools/score.py`` counts it. Needs ``../shared``; says so
and returns otherwise. usage: python -m bench.bench_ablation
"""

from __future__ import annotations

import json
import time

from policy_ie.extractors import model as mdl
from policy_ie.pipeline import train as mt

SETTINGS = ((0.5, 0.0, 1.0), (0.3, 0.0, 1.0), (0.1, 0.0, 1.0), (0.5, 0.9, 0.9))
NAMES = {st: f"rules+model (open quantities, p(metric)>={st[0]})" for st in SETTINGS[:-1]}
NAMES[SETTINGS[0]] = "rules+model (shipped: open quantities, p(metric)>=0.5)"
NAMES[SETTINGS[-1]] = "rules+model (+ veto of rule figures conf<0.9 at p(none)>=0.9)"


def _line(name: str, s: dict[str, float]) -> str:
    return (f"   {name:62s} P={s['precision']:.3f} R={s['recall']:.3f} F1={s['f1']:.3f} "
            f"(req {s['required']}, predicted {s['predicted']})")


def main() -> dict[str, object] | None:
    if not mt.shared_present():
        print("   ../shared not found: no ablation")
        return None
    gold = mt.gold_articles()
    silver = mt.silver_articles({a.id for a in gold})
    sex = mt.examples(silver)
    print(f"   gold articles: {len(gold)} (seeds {sum(a.source == 'seeds' for a in gold)}, "
          f"dev {sum(a.source == 'dev' for a in gold)}); silver: {len(silver)} articles, "
          f"{len(sex)} quantities")
    t0 = time.perf_counter()
    cv = mt.cross_validate(gold, sex, 5, SETTINGS)
    print(f"   5-fold cross-validation ({time.perf_counter() - t0:.0f} s):")
    print(_line("rules alone", cv["rules"]))
    for st in SETTINGS:
        print(_line(NAMES[st], cv["model"][st]))
    blind_ids = set(json.loads(mt.DEV_FILES[1].read_text("utf-8"))["articles"])
    golds = {a.id: a.gold or [] for a in gold}
    for part, ids in (("seeds", {a.id for a in gold if a.source == "seeds"}),
                      ("metrics_dev", {a.id for a in gold if a.source == "dev"} - blind_ids)):
        sub = {k: v for k, v in golds.items() if k in ids}
        r = mt.score({k: v for k, v in cv["pairs"]["rules"].items() if k in ids}, sub)
        m = mt.score({k: v for k, v in cv["pairs"][SETTINGS[0]].items() if k in ids}, sub)
        print(f"   cv on {part:11s}: rules F1={r['f1']:.3f}, rules+model F1={m['f1']:.3f}")
    train = [a for a in gold if a.id not in blind_ids]
    test = [a for a in gold if a.id in blind_ids]
    clf = mt.train(mt.examples(train) + sex)
    sub = {a.id: golds[a.id] for a in test}
    rules = mt.score({a.id: mt.predicted_pairs(a.text, None) for a in test}, sub)
    with_model = mt.score({a.id: mt.predicted_pairs(a.text, clf) for a in test}, sub)
    print(f"   blind batch model_dev.json ({len(test)} articles, trained on the rest):")
    print(_line("rules alone", rules))
    print(_line(NAMES[SETTINGS[0]], with_model))
    texts = [a.text for a in gold]
    t0 = time.perf_counter()
    for t in texts:
        mt.predicted_pairs(t, None)
    t_rules = time.perf_counter() - t0
    t0 = time.perf_counter()
    for t in texts:
        mt.predicted_pairs(t, clf)
    t_model = time.perf_counter() - t0
    print(f"   metrics stage: {len(texts) / t_rules:.0f} articles/s rules alone, "
          f"{len(texts) / t_model:.0f} articles/s with the model")
    on = mdl.feature_config().enabled_by_default
    print(f"   shipped default: model {'on' if on else 'off'} (POLICY_IE_MODEL=on|off overrides)")
    return {"cv": {k: v for k, v in cv.items() if k != "pairs"}, "blind": (rules, with_model)}


if __name__ == "__main__":
    main()
