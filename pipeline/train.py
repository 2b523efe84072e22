"""Training data, training and cross-validation of the metric classifier (extractors/model.py).

Three sources of labelled quantities, kept apart by article:

* **gold**: the seed gold (``shared/gold/seeds.json``, texts in ``shared/seeds/``) and the
  hand-labelled dev sets ``tests/dev/metrics_dev.json`` and ``tests/dev/model_dev.json``
  (ids and labels only; texts from ``shared/corpus/news_sample.jsonl``). A quantity of a
  gold article is labelled with the gold metric whose value it has (and whose unit its unit
  class can express), else ``none``.
* **silver**: other poverty-related items of ``news_sample.jsonl``, labelled by the rules
  where they are sure: a reported metric of high confidence, or a deliberate rejection (a
  known non-metric noun or a rule that says no). Quantities the rules leave open are not
  labelled there.
* Articles of ``corpus/poverty/`` are reserved for evaluation and never read here.

Cross-validation folds are made of gold articles; silver never contains a gold article, so
a held-out article is never seen in training.
"""

from __future__ import annotations

import json
import random
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policy_ie.extractors import model as mdl
from policy_ie.extractors.catalogue import catalogue, metric_keys
from policy_ie.extractors.metrics import metrics_of
from policy_ie.extractors.numbers import Quantity
from policy_ie.text.document import Document

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
DEV_FILES = (ROOT / "tests" / "dev" / "metrics_dev.json", ROOT / "tests" / "dev" / "model_dev.json")
LABELS = (mdl.NONE, *metric_keys())  # the model's classes: none, then the metrics of the catalogue
UNIT_CLASSES = {  # which unit classes can express a metric's unit
    "人": {"person", "person_times", "bare"}, "户": {"household", "household_times", "bare"},
    "个": {"item", "org", "bare"}, "%": {"percent", "bare"}, "元": {"money", "bare"},
}
METRIC_UNIT = {key: m.unit for key, m in catalogue().items()}
SILVER_CUES = ("扶贫", "脱贫", "贫困")
SILVER_LIMIT = 1500
SILVER_CONFIDENCE = 0.85
SEED = 0
EPOCHS = 10
BATCH = 64


@dataclass(slots=True)
class Article:
    """A text with its gold metric entries (None for silver articles)."""

    id: str
    text: str
    source: str
    gold: list[tuple[str, float, str]] | None = None


@dataclass(slots=True)
class Example:
    """One quantity: the words the model reads, its label, and how the rules saw it."""

    article: str
    words: list[str]
    label: str
    open: bool
    value: float
    rules_metric: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def shared_present(shared: Path = SHARED) -> bool:
    """Whether the shared material needed for training is there."""
    return (shared / "corpus" / "news_sample.jsonl").exists() and (
        shared / "gold" / "seeds.json").exists()


def reserved_ids(shared: Path = SHARED) -> set[str]:
    """Ids of ``corpus/poverty/`` (reserved for evaluation: never trained or tuned on)."""
    pov = shared / "corpus" / "poverty"
    ids = {p.stem for p in pov.glob("*.txt")}
    man = pov / "MANIFEST.jsonl"
    if man.exists():
        for line in man.read_text("utf-8").splitlines():
            if line.strip():
                ids.add(json.loads(line)["id"])
    return ids


def _news(shared: Path) -> Iterable[dict[str, Any]]:
    with open(shared / "corpus" / "news_sample.jsonl", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def gold_articles(shared: Path = SHARED, dev_files: Iterable[Path] = DEV_FILES) -> list[Article]:
    """The seed articles and the dev-set articles with their gold metrics."""
    reserved = reserved_ids(shared)
    out: list[Article] = []
    seeds = json.loads((shared / "gold" / "seeds.json").read_text("utf-8"))["articles"]
    for aid, g in sorted(seeds.items()):
        text = (shared / "seeds" / f"{aid}.txt").read_text("utf-8")
        out.append(Article(aid, text, "seeds", [tuple(m) for m in g.get("metrics", [])]))
    dev: dict[str, list[tuple[str, float, str]]] = {}
    for f in dev_files:
        if f.exists():
            for aid, g in json.loads(f.read_text("utf-8"))["articles"].items():
                if aid in reserved:
                    raise ValueError(f"{f.name}: {aid} is reserved for evaluation")
                dev.setdefault(aid, []).extend(tuple(m) for m in g["metrics"])
    for d in _news(shared):
        if d.get("id") in dev:
            out.append(Article(d["id"], d.get("text") or d.get("content") or "", "dev",
                               dev[d["id"]]))
    return out


def silver_articles(exclude: set[str], shared: Path = SHARED,
                    limit: int = SILVER_LIMIT) -> list[Article]:
    """Poverty-related news items that are neither reserved nor gold, in archive order."""
    reserved = reserved_ids(shared) | exclude
    out = []
    for d in _news(shared):
        text = d.get("text") or d.get("content") or ""
        if d.get("id") in reserved or sum(text.count(c) for c in SILVER_CUES) < 3:
            continue
        out.append(Article(d["id"], text, "silver"))
        if len(out) >= limit:
            break
    return out


def quantities(text: str) -> list[tuple[Quantity, Any, str]]:
    """Every quantity the rules classify in ``text``, with its classification and clean text."""
    from policy_ie.text.clean import clean

    doc = clean(Document(id="x", path="x", text=text))
    seen: list[tuple[Quantity, Any, str]] = []
    with mdl.use(None), mdl.tap(lambda q, t, cl: seen.append((q, cl, t))):
        metrics_of(doc)
    return seen


def _close(a: float, b: float) -> bool:
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))


def gold_label(q: Quantity, cl: Any, gold: list[tuple[str, float, str]]) -> str:
    """The gold metric of quantity ``q`` (by value and unit), else ``none``."""
    hits = [m for m, v, _ in gold
            if _close(q.value, v) and q.unit_class in UNIT_CLASSES[METRIC_UNIT[m]]]
    if not hits:
        return mdl.NONE
    return cl.metric if cl.metric in hits else hits[0]


def examples(arts: Iterable[Article]) -> list[Example]:
    """Labelled examples of gold and silver articles (see the module docstring)."""
    out = []
    for a in arts:
        for q, cl, text in quantities(a.text):
            if q.unit_class not in mdl.feature_config().candidate_classes:
                continue
            is_open = mdl.is_open(q, cl)
            if a.gold is not None:
                label = gold_label(q, cl, a.gold)
            elif cl.metric is not None and cl.confidence >= SILVER_CONFIDENCE:
                label = cl.metric
            elif cl.metric is None and not is_open:
                label = mdl.NONE
            else:
                continue
            out.append(Example(a.id, mdl.mention_words(q, text), label, is_open, q.value,
                               cl.metric))
    return out


def new_pipeline() -> Any:
    """A blank Chinese spaCy pipeline with an untrained metric ``textcat``."""
    import spacy

    nlp = spacy.blank("zh")
    tc = nlp.add_pipe("textcat", config={"model": {
        "@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True,
        "ngram_size": 2, "no_output_layer": False, "length": 2 ** 16}})
    for lab in LABELS:
        tc.add_label(lab)
    return nlp


def train(exs: list[Example], seed: int = SEED, epochs: int = EPOCHS,
          log: Any = None) -> mdl.MetricClassifier:
    """A classifier trained on ``exs`` (deterministic for a given seed and example order)."""
    import spacy
    from spacy.tokens import Doc
    from spacy.training import Example as SpacyExample
    from spacy.util import minibatch

    spacy.util.fix_random_seed(seed)
    nlp = new_pipeline()
    data = [SpacyExample.from_dict(Doc(nlp.vocab, words=e.words or [mdl.QUANTITY_MARK]),
                                   {"cats": {lab: float(lab == e.label) for lab in LABELS}})
            for e in exs]
    opt = nlp.initialize(lambda: data[:500])
    rng = random.Random(seed)
    for ep in range(epochs):
        order = list(data)
        rng.shuffle(order)
        losses: dict[str, float] = {}
        for batch in minibatch(order, size=BATCH):
            nlp.update(batch, sgd=opt, losses=losses)
        if log:
            log(f"epoch {ep + 1}/{epochs}: loss {losses.get('textcat', 0.0):.3f}")
    return mdl.MetricClassifier(nlp)


def predicted_pairs(text: str, clf: mdl.MetricClassifier | None) -> set[tuple[str, float]]:
    """Distinct (metric, value) pairs the pipeline reports for ``text`` with ``clf`` (or rules)."""
    from policy_ie.text.clean import clean

    doc = clean(Document(id="x", path="x", text=text))
    with mdl.use(clf):
        return {(m.metric, m.value) for m in metrics_of(doc)}


def score(pairs: dict[str, set[tuple[str, float]]],
          gold: dict[str, list[tuple[str, float, str]]]) -> dict[str, float]:
    """P/R/F1 as ``shared/tools/score.py`` counts them (recall over req, precision over all)."""
    tp_req = n_req = tp_pred = n_pred = 0
    for aid, g in gold.items():
        pred = pairs.get(aid, set())
        req = [(m, v) for m, v, s in g if s == "req"]
        tp_req += sum(1 for m, v in req if any(p == m and _close(x, v) for p, x in pred))
        n_req += len(req)
        tp_pred += sum(1 for p, x in pred if any(p == m and _close(x, v) for m, v, _ in g))
        n_pred += len(pred)
    p = tp_pred / n_pred if n_pred else 1.0
    r = tp_req / n_req if n_req else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "required": n_req, "predicted": n_pred}


def cross_validate(gold: list[Article], silver_ex: list[Example], folds: int = 5,
                   settings: tuple[tuple[float, float, float], ...] = ((0.5, 0.0, 1.0),),
                   log: Any = None) -> dict[str, Any]:
    """Rules alone vs rules and model, ``folds``-fold over gold articles (silver always in).

    Each setting is ``(threshold, review_below, veto)`` (see ``data/model_features.yaml``).
    Returns the predicted pairs per article too (``pairs``: ``"rules"`` and each setting).
    """
    by_id = {a.id: a for a in gold}
    ids = sorted(by_id)
    gold_ex = examples(gold)
    pairs: dict[Any, dict[str, set]] = {"rules": {}, **{st: {} for st in settings}}
    t0 = time.perf_counter()
    for k in range(folds):
        held = sorted(set(ids[k::folds]))
        clf = train([e for e in gold_ex if e.article not in held] + silver_ex)
        for aid in held:
            pairs["rules"][aid] = predicted_pairs(by_id[aid].text, None)
        for st in settings:
            clf.threshold, clf.review_below, clf.veto = st
            for aid in held:
                pairs[st][aid] = predicted_pairs(by_id[aid].text, clf)
        if log:
            log(f"fold {k + 1}/{folds} done ({time.perf_counter() - t0:.0f} s)")
    golds = {a.id: a.gold or [] for a in gold}
    return {"rules": score(pairs["rules"], golds),
            "model": {st: score(pairs[st], golds) for st in settings},
            "articles": len(gold), "folds": folds, "pairs": pairs}


def build(out: Path = mdl.MODEL_DIR, shared: Path = SHARED, log: Any = print) -> dict[str, Any]:
    """Train on every gold article and the silver set, save to ``out``; return a summary."""
    t0 = time.perf_counter()
    gold = gold_articles(shared)
    silver = silver_articles({a.id for a in gold}, shared)
    gex, sex = examples(gold), examples(silver)
    clf = train(gex + sex, log=log)
    out.parent.mkdir(parents=True, exist_ok=True)
    clf.nlp.meta.update({"name": "policy_ie_metric_textcat", "version": "1.0.0",
                         "description": "metric of a quantity mention (extractors/model.py)"})
    if out.exists():
        shutil.rmtree(out)
    clf.nlp.to_disk(out, exclude=["vocab"])  # features are hashed: no words of the texts shipped
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    summary = {"gold_articles": len(gold), "silver_articles": len(silver),
               "gold_examples": len(gex), "silver_examples": len(sex),
               "seconds": round(time.perf_counter() - t0, 1), "bytes": size}
    (out.parent / "training.json").write_text(json.dumps(
        {**summary, "seconds": None,
         "labels": {lab: sum(e.label == lab for e in gex + sex) for lab in LABELS},
         "gold_ids": sorted(a.id for a in gold), "silver_ids": [a.id for a in silver]},
        ensure_ascii=False, indent=1) + "\n", "utf-8")
    return summary
