"""Training and evaluation of the topic classifier (extractors/topic.py; ``make topic-model``).

Labels, kept apart by article:

* **hand labels**: ``tests/dev/topic_dev.json``, a dev set of ``policy-ie eval --dev`` (per
  article id of ``shared/corpus/news_sample.jsonl`` its 0/1 ``topic`` and its ``batch``; no
  text). Each item belongs to the ``tuning`` or the ``heldout`` batch by a hash of its id
  (:func:`part`), fixed before any result was seen. The held-out batch is never trained or
  tuned on: it only scores the final model.
* **weak labels**: every other item of the archive by its keyword density (on topic at
  ``positive_density`` and above, off topic at ``negative_density`` and below, unused between;
  ``data/topic.yaml``; one weak negative in :data:`NEGATIVE_EVERY`), and every article of
  ``shared/corpus/poverty/`` as on topic.

The tuning part's labels enter training with a larger weight (:data:`HAND_WEIGHT`); the
threshold is the one of best F1 on the tuning part scored out of fold (each fifth by a model
trained without it), so that the threshold is not fitted to scores of articles the model saw.

Training is a full-batch logistic regression in numpy (Adam, L2), deterministic: no random
state, the archive's order.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from policy_ie.extractors import topic as tp
from policy_ie.text.clean import clean
from policy_ie.text.document import Document

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
DEV_FILE = ROOT / "tests" / "dev" / "topic_dev.json"
HAND_WEIGHT = 5.0
L2 = 1e-5
STEPS = 150
RATE = 0.05
FOLDS = 5
#: one weak negative in this many is used (they outnumber the positives fifteen to one)
NEGATIVE_EVERY = 3


def part(article_id: str) -> str:
    """``heldout`` or ``tuning``: the first byte of the id's SHA-256, odd or even."""
    return "heldout" if hashlib.sha256(article_id.encode("utf-8")).digest()[0] % 2 else "tuning"


def hand_labels(path: Path = DEV_FILE) -> dict[str, int]:
    """id -> 0/1 of the hand-labelled items; an item whose batch is not the one :func:`part`
    gives it, or whose label is not 0 or 1, is an error naming it."""
    out: dict[str, int] = {}
    for aid, g in json.loads(path.read_text("utf-8"))["articles"].items():
        if g.get("topic") not in (0, 1):
            raise ValueError(f"{path}: article {aid} has topic {g.get('topic')!r}; labels are 0 or 1")
        if g.get("batch") != part(aid):
            raise ValueError(f"{path}: article {aid} is in batch {g.get('batch')!r} but its id puts it "
                             f"in {part(aid)!r}; the parts are fixed by the id's hash")
        out[aid] = g["topic"]
    return out


@dataclass(slots=True)
class Item:
    """An article as the classifier reads it: title and cleaned body, and its density."""

    id: str
    title: str | None
    body: str
    source: str  # news | poverty

    @property
    def density(self) -> float:
        return tp.keyword_density(self.title, self.body)


def _item(aid: str, title: str | None, text: str, source: str) -> Item:
    doc = clean(Document(id=aid, path=aid, text=text))
    return Item(aid, title, doc.view.text, source)


def news_items(shared: Path = SHARED) -> list[Item]:
    """Every item of ``news_sample.jsonl``, in order."""
    out = []
    with open(shared / "corpus" / "news_sample.jsonl", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                d = json.loads(line)
                out.append(_item(d["id"], d.get("title"), d.get("text") or d.get("content") or "", "news"))
    return out


def poverty_items(shared: Path = SHARED) -> list[Item]:
    """Every article of ``corpus/poverty/`` with its manifest title, in id order."""
    pov = shared / "corpus" / "poverty"
    titles: dict[str, str | None] = {}
    man = pov / "MANIFEST.jsonl"
    if man.exists():
        for line in man.read_text("utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                titles[d["id"]] = d.get("title")
    return [_item(p.stem, titles.get(p.stem), p.read_text("utf-8"), "poverty")
            for p in sorted(pov.glob("*.txt"))]


@dataclass(slots=True)
class Matrix:
    """Feature rows in compressed sparse form (the density of each feature per row)."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray

    @classmethod
    def of(cls, items: Sequence[Item], bits: int) -> Matrix:
        ptr, idx, dat = [0], [], []
        for it in items:
            cols, vals = [], []
            for f in tp.features(it.title, it.body, bits):
                if f.size:
                    u, c = np.unique(f, return_counts=True)
                    cols.append(u)
                    vals.append(c / np.sqrt(f.size))
            col = np.concatenate(cols) if cols else np.zeros(0, np.uint32)
            idx.append(col.astype(np.int32))
            dat.append(np.concatenate(vals).astype(np.float32) if vals else np.zeros(0, np.float32))
            ptr.append(ptr[-1] + col.size)
        return cls(np.asarray(ptr, np.int64), np.concatenate(idx), np.concatenate(dat))

    def rows(self, keep: np.ndarray) -> Matrix:
        """The rows where ``keep`` is true."""
        sel = np.flatnonzero(keep)
        lens = np.diff(self.indptr)[sel]
        take = np.concatenate([np.arange(self.indptr[i], self.indptr[i + 1]) for i in sel]) \
            if sel.size else np.zeros(0, np.int64)
        return Matrix(np.concatenate([[0], np.cumsum(lens)]), self.indices[take], self.data[take])

    def dot(self, w: np.ndarray) -> np.ndarray:
        prod = self.data * w[self.indices]
        out = np.zeros(self.indptr.size - 1, np.float64)
        nonempty = np.diff(self.indptr) > 0
        out[nonempty] = np.add.reduceat(prod, self.indptr[:-1][nonempty])
        return out

    def tdot(self, g: np.ndarray, size: int) -> np.ndarray:
        return np.bincount(self.indices, weights=self.data * np.repeat(g, np.diff(self.indptr)),
                           minlength=size)


def fit(x: Matrix, y: np.ndarray, weight: np.ndarray, bits: int, steps: int = STEPS,
        log: Any = None) -> tp.TopicModel:
    """Weighted L2 logistic regression by full-batch Adam (deterministic)."""
    size = 1 << bits
    w, b = np.zeros(size), 0.0
    mw, vw, mb, vb = np.zeros(size), np.zeros(size), 0.0, 0.0
    b1, b2, eps = 0.9, 0.999, 1e-8
    wsum = weight.sum()
    for t in range(1, steps + 1):
        z = np.clip(x.dot(w) + b, -30, 30)
        p = 1.0 / (1.0 + np.exp(-z))
        g = weight * (p - y) / wsum
        gw = x.tdot(g, size) + L2 * w
        gb = float(g.sum())
        mw = b1 * mw + (1 - b1) * gw
        vw = b2 * vw + (1 - b2) * gw * gw
        mb = b1 * mb + (1 - b1) * gb
        vb = b2 * vb + (1 - b2) * gb * gb
        w -= RATE * (mw / (1 - b1 ** t)) / (np.sqrt(vw / (1 - b2 ** t)) + eps)
        b -= RATE * (mb / (1 - b1 ** t)) / (np.sqrt(vb / (1 - b2 ** t)) + eps)
        if log and t % 100 == 0:
            loss = -float(np.sum(weight * (y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))) / wsum)
            log(f"step {t}/{steps}: loss {loss:.4f}")
    return tp.TopicModel(w.astype(np.float16).astype(np.float32), b)


@dataclass(slots=True)
class TrainingSet:
    """The training rows: items, labels, weights and where each label comes from."""

    items: list[Item]
    y: np.ndarray
    weight: np.ndarray
    origin: list[str]  # hand | weak | poverty


def training_set(news: Iterable[Item], poverty: Iterable[Item], hand: dict[str, int]) -> TrainingSet:
    """Hand labels of the tuning part, weak labels of the rest; nothing of the held-out part."""
    cfg = tp.config()
    items, ys, ws, origin = [], [], [], []
    seen: set[str] = set()
    weak_negatives = 0
    for it in [*poverty, *news]:  # an archive item that is in the poverty corpus is on topic
        if it.id in seen or (it.id in hand and part(it.id) == "heldout"):
            continue
        seen.add(it.id)
        if it.id in hand:
            lab, wt, o = hand[it.id], HAND_WEIGHT, "hand"
        elif it.source == "poverty":
            lab, wt, o = 1, 1.0, "poverty"
        elif it.density >= cfg.positive_density:
            lab, wt, o = 1, 1.0, "weak"
        elif it.density <= cfg.negative_density:
            weak_negatives += 1
            if weak_negatives % NEGATIVE_EVERY:
                continue
            lab, wt, o = 0, 1.0, "weak"
        else:
            continue
        items.append(it)
        ys.append(lab)
        ws.append(wt)
        origin.append(o)
    return TrainingSet(items, np.asarray(ys, np.float64), np.asarray(ws, np.float64), origin)


def prf(scores: Sequence[float], labels: Sequence[int], threshold: float) -> dict[str, float]:
    """Precision, recall and F1 of ``score >= threshold`` against the labels."""
    tp_ = sum(1 for s, y in zip(scores, labels, strict=True) if s >= threshold and y)
    pred = sum(1 for s in scores if s >= threshold)
    pos = sum(labels)
    p = tp_ / pred if pred else 1.0
    r = tp_ / pos if pos else 1.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "tp": tp_, "predicted": pred, "positives": pos, "n": len(labels)}


def best_threshold(scores: Sequence[float], labels: Sequence[int],
                   grid: Iterable[float] | None = None) -> float:
    """The threshold of best F1 (the lowest of equals: recall is kept on a tie)."""
    grid = sorted(set(grid or [round(i / 100, 2) for i in range(1, 100)]))
    return max(grid, key=lambda t: (prf(scores, labels, t)["f1"], -t))


def out_of_fold(ts: TrainingSet, x: Matrix, bits: int, folds: int = FOLDS,
                steps: int = STEPS, log: Any = None) -> dict[str, float]:
    """Scores of the hand-labelled tuning rows, each by a model trained without its fold."""
    hand_rows = [i for i, o in enumerate(ts.origin) if o == "hand"]
    out: dict[str, float] = {}
    for k in range(folds):
        held = set(hand_rows[k::folds])
        keep = np.array([i not in held for i in range(len(ts.items))])
        m = fit(x.rows(keep), ts.y[keep], ts.weight[keep], bits, steps)
        for i in sorted(held):
            it = ts.items[i]
            out[it.id] = m.score(it.title, it.body)
        if log:
            log(f"fold {k + 1}/{folds}")
    return out


def build(shared: Path = SHARED, dev_file: Path = DEV_FILE, out: Path = tp.WEIGHTS,
          log: Any = print) -> dict[str, Any]:
    """Train, choose the thresholds on the tuning part, score the held-out part, save."""
    t0 = time.perf_counter()
    cfg = tp.config()
    hand = hand_labels(dev_file)
    news, pov = news_items(shared), poverty_items(shared)
    ts = training_set(news, pov, hand)
    x = Matrix.of(ts.items, cfg.bits)
    rows = ", ".join(f"{o} {ts.origin.count(o)}" for o in ("hand", "weak", "poverty"))
    log(f"{len(ts.items)} training rows ({rows}), {int(ts.y.sum())} on topic; {x.indices.size} features")
    oof = out_of_fold(ts, x, cfg.bits, log=log)
    tune_ids = [i for i in sorted(hand) if part(i) == "tuning" and i in oof]
    tune_y = [hand[i] for i in tune_ids]
    threshold = best_threshold([oof[i] for i in tune_ids], tune_y)
    by_id = {it.id: it for it in news}
    dens_grid = [round(0.25 * i, 2) for i in range(1, 81)]
    base_threshold = best_threshold([by_id[i].density for i in tune_ids], tune_y, dens_grid)
    model = fit(x, ts.y, ts.weight, cfg.bits, log=log)
    model.save(out)
    model = tp.TopicModel.load(out)  # score as shipped (float16 weights)
    held = [i for i in sorted(hand) if part(i) == "heldout" and i in by_id]
    held_y = [hand[i] for i in held]
    held_scores = [model.score(by_id[i].title, by_id[i].body) for i in held]
    pov_scores = [model.score(it.title, it.body) for it in pov]
    summary = {
        "hand_items": len(hand), "tuning": len(tune_ids), "heldout": len(held),
        "training_rows": {o: ts.origin.count(o) for o in ("hand", "weak", "poverty")},
        "threshold": threshold, "baseline_threshold": base_threshold,
        "tuning_oof": prf([oof[i] for i in tune_ids], tune_y, threshold),
        "tuning_baseline": prf([by_id[i].density for i in tune_ids], tune_y, base_threshold),
        "heldout_model": prf(held_scores, held_y, threshold),
        "heldout_baseline": prf([by_id[i].density for i in held], held_y, base_threshold),
        "poverty_below_threshold": sum(s < threshold for s in pov_scores),
        "poverty_articles": len(pov_scores),
        "seconds": round(time.perf_counter() - t0, 1),
        "bytes": out.stat().st_size,
    }
    (out.parent / "topic_training.json").write_text(json.dumps(
        {**summary, "seconds": None, "heldout_ids": held, "tuning_ids": tune_ids},
        ensure_ascii=False, indent=1) + "\n", "utf-8")
    return summary
