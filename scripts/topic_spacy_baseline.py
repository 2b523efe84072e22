"""Measure spaCy's textcat against the shipped topic classifier, on the same data and protocol.

The shipped classifier (extractors/topic.py) is a numpy logistic regression over hashed
character unigrams and bigrams. This script trains the alternative the issue names first, a
``spacy.blank("zh")`` pipeline (character tokens) with a ``textcat`` component
(``TextCatBOW.v3``, unigrams and bigrams, as the metric model), on the very training set of
:func:`policy_ie.pipeline.topic_train.training_set` (hand labels of the tuning part weighted
alike by repetition, weak labels, the poverty corpus), chooses its threshold out of fold on
the tuning part, and scores the held-out part; it also times scoring one article. Nothing of
it is shipped; the figures are in extractors/data/model/TOPIC_CARD.md.

usage: python scripts/topic_spacy_baseline.py [--shared PATH] [--epochs N] [--folds N]
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from policy_ie.pipeline import topic_train as tt  # noqa: E402

TEXT_CHARS = 3000


def _text(it: tt.Item) -> str:
    return f"{it.title or ''}\n{it.body[:TEXT_CHARS]}"


def train(items: list[tt.Item], ys: list[float], weights: list[float], epochs: int) -> Any:
    import spacy
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(0)
    nlp = spacy.blank("zh")
    tc = nlp.add_pipe("textcat", config={"model": {
        "@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True, "ngram_size": 2,
        "no_output_layer": False, "length": 2 ** 18}})
    tc.add_label("ON")
    tc.add_label("OFF")
    data = []
    for it, y, w in zip(items, ys, weights, strict=True):
        ex = Example.from_dict(nlp.make_doc(_text(it)), {"cats": {"ON": y, "OFF": 1.0 - y}})
        data.extend([ex] * round(w))  # a hand label counts as many times as its weight
    opt = nlp.initialize(lambda: data[:500])
    rng = random.Random(0)
    for _ in range(epochs):
        rng.shuffle(data)
        for batch in minibatch(data, size=64):
            nlp.update(batch, sgd=opt)
    return nlp


def scores(nlp: Any, items: list[tt.Item]) -> list[float]:
    return [d.cats["ON"] for d in nlp.pipe(_text(it) for it in items)]


def main(argv: list[str]) -> int:
    shared = Path(argv[argv.index("--shared") + 1]) if "--shared" in argv else tt.SHARED
    epochs = int(argv[argv.index("--epochs") + 1]) if "--epochs" in argv else 5
    folds = int(argv[argv.index("--folds") + 1]) if "--folds" in argv else tt.FOLDS
    hand = tt.hand_labels()
    news, pov = tt.news_items(shared), tt.poverty_items(shared)
    ts = tt.training_set(news, pov, hand)
    ys, ws = ts.y.tolist(), ts.weight.tolist()
    hand_rows = [i for i, o in enumerate(ts.origin) if o == "hand"]
    oof: dict[str, float] = {}
    for k in range(folds):
        held = set(hand_rows[k::folds])
        keep = [i for i in range(len(ts.items)) if i not in held]
        nlp = train([ts.items[i] for i in keep], [ys[i] for i in keep], [ws[i] for i in keep], epochs)
        got = scores(nlp, [ts.items[i] for i in sorted(held)])
        oof.update({ts.items[i].id: s for i, s in zip(sorted(held), got, strict=True)})
        print(f"fold {k + 1}/{folds}", file=sys.stderr)
    tune = [i for i in sorted(hand) if tt.part(i) == "tuning" and i in oof]
    threshold = tt.best_threshold([oof[i] for i in tune], [hand[i] for i in tune])
    nlp = train(ts.items, ys, ws, epochs)
    by_id = {it.id: it for it in news}
    held = [i for i in sorted(hand) if tt.part(i) == "heldout" and i in by_id]
    got = scores(nlp, [by_id[i] for i in held])
    sample = news[:500]
    t0 = time.perf_counter()
    for it in sample:  # one article at a time, as the pipeline scores them
        nlp(_text(it))
    per_article = (time.perf_counter() - t0) / len(sample)
    pov_scores = scores(nlp, pov)
    print(json.dumps({
        "threshold": threshold,
        "tuning_oof": tt.prf([oof[i] for i in tune], [hand[i] for i in tune], threshold),
        "heldout": tt.prf(got, [hand[i] for i in held], threshold),
        "poverty_below_threshold": sum(s < threshold for s in pov_scores),
        "microseconds_per_article": round(per_article * 1e6),
    }, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
