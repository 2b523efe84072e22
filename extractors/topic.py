"""The article's topic: how likely it is about poverty alleviation or rural development.

A general news archive holds train stations, film festivals and budgets beside poverty work;
their figures (eight film artists, a station's passengers) must not fill the comparison. This
extractor gives each article a ``topic`` score in [0, 1]; the aggregation leaves out the
figures of articles below the threshold of ``data/topic.yaml`` (``--all-topics`` keeps them).

The classifier is a logistic regression over hashed character unigrams and bigrams, the
title's apart from the body's, each group weighted by its density (counts over length): a
learnt keyword density that also knows the words around the keywords (驻村, 合作社, 易地搬迁
count for; 电影, 车站 against). It was measured against spaCy's ``textcat`` on the same data and
features and against the keyword density alone (``data/model/TOPIC_CARD.md``). Features are
computed with numpy on the text's code points, so an article costs tens of microseconds;
the weights (``data/model/topic.npz``) are trained in this repository by
``scripts/train_topic.py`` (``make topic-model``), never downloaded.

Without the weights file every article scores None (unknown, and kept by the aggregation);
that is said once on standard error.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from policy_ie.extractors.registry import register
from policy_ie.text.document import Document
from policy_ie.text.lexicon import load_data

DATA = Path(__file__).parent / "data"
CONFIG = DATA / "topic.yaml"
WEIGHTS = DATA / "model" / "topic.npz"
#: odd multipliers of the multiply-shift hashes (32-bit arithmetic, wrapping)
_P1, _P2, _P3 = np.uint32(0x9E3779B1), np.uint32(0x85EBCA77), np.uint32(0xC2B2AE3D)
#: the title's characters are hashed as if shifted past Unicode, so that they stand apart
_TITLE_OFFSET = np.uint32(0x110000)

@dataclass(frozen=True, slots=True)
class TopicConfig:
    """The settings of ``data/topic.yaml``."""

    bits: int
    max_chars: int
    threshold: float
    keywords: tuple[str, ...]
    positive_density: float
    negative_density: float
    baseline_threshold: float


@cache
def config() -> TopicConfig:
    """The topic settings, loaded and checked once."""
    d = load_data(CONFIG)
    cfg = TopicConfig(int(d["bits"]), int(d["max_chars"]), float(d["threshold"]),
                      tuple(d["keywords"]), float(d["positive_density"]),
                      float(d["negative_density"]), float(d["baseline_threshold"]))
    if not 8 <= cfg.bits <= 24 or cfg.max_chars <= 0 or not 0.0 <= cfg.threshold <= 1.0:
        raise ValueError(f"{CONFIG}: bits must be 8-24, max_chars > 0, threshold in [0, 1]")
    if not cfg.keywords or any(not isinstance(k, str) or not k for k in cfg.keywords):
        raise ValueError(f"{CONFIG}: keywords must be non-empty strings")
    return cfg


def _hashes(text: str, bits: int, offset: np.uint32) -> np.ndarray:
    """Feature indices of ``text``: one per character (unigram) and one per pair (bigram)."""
    cp = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if cp.size == 0:
        return np.zeros(0, dtype=np.uint32)
    if offset:
        cp = cp + offset
    shift = np.uint32(32 - bits)
    return np.concatenate([(cp * _P1) >> shift, (cp[:-1] * _P2 + cp[1:] * _P3) >> shift])


def features(title: str | None, body: str, bits: int | None = None,
             max_chars: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The hashed features of an article: those of its body (cut at ``max_chars``) and those
    of its title (apart), as arrays of feature indices (repeated as often as they occur)."""
    cfg = config()
    bits = cfg.bits if bits is None else bits
    body = body[: cfg.max_chars if max_chars is None else max_chars]
    return _hashes(body, bits, np.uint32(0)), _hashes(title or "", bits, _TITLE_OFFSET)


def keyword_density(title: str | None, body: str) -> float:
    """Occurrences of the keywords of ``data/topic.yaml`` per 1,000 characters (the baseline)."""
    text = f"{title or ''}\n{body}"
    return 1000.0 * sum(text.count(k) for k in config().keywords) / max(len(text), 1)


class TopicModel:
    """Weights of the hashed features and a bias: ``score`` is the logistic of the bias plus
    the mean weight of the body's features plus the mean weight of the title's."""

    def __init__(self, weights: np.ndarray, bias: float) -> None:
        self.weights = np.asarray(weights, dtype=np.float32)
        self.bias = float(bias)
        self.bits = int(self.weights.size).bit_length() - 1
        if self.weights.size != 1 << self.bits:
            raise ValueError(f"topic weights: {self.weights.size} is not a power of two")

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> TopicModel:
        with np.load(path) as z:
            return cls(z["weights"], float(z["bias"]))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as fh:  # np.savez_compressed would name a temporary file
            np.savez_compressed(fh, weights=self.weights.astype(np.float16), bias=np.float64(self.bias))

    def margin(self, title: str | None, body: str) -> float:
        """The log-odds of the article being on topic."""
        b, t = features(title, body, self.bits)
        z = self.bias
        if b.size:  # take: much faster than indexing with an array of uint32
            z += float(self.weights.take(b).sum()) / np.sqrt(b.size)
        if t.size:
            z += float(self.weights.take(t).sum()) / np.sqrt(t.size)
        return z

    def score(self, title: str | None, body: str) -> float:
        """The probability that the article is on topic, rounded to 4 places."""
        z = max(-30.0, min(30.0, self.margin(title, body)))
        return round(1.0 / (1.0 + float(np.exp(-z))), 4)


_told: list[bool] = []


@cache
def _shipped() -> TopicModel | None:
    return TopicModel.load(WEIGHTS) if WEIGHTS.exists() else None


def current() -> TopicModel | None:
    """The shipped model, or None (said once) when its weights are absent."""
    m = _shipped()
    if m is None and not _told:
        _told.append(True)
        print(f"policy-ie: no topic model at {WEIGHTS} (run `make topic-model`); every article is "
              "kept in the comparison", file=sys.stderr)
    return m


def on_topic(score: float | None, threshold: float | None = None) -> bool:
    """Whether an article of this ``score`` feeds the comparison (an unknown score does)."""
    return score is None or score >= (config().threshold if threshold is None else threshold)


@register("topic", assigns="topic", requires=("metadata",))
def extract_topic(doc: Document) -> float | None:
    """The topic score of ``doc`` from its title and cleaned text (None without a model)."""
    m = current()
    return None if m is None else m.score(doc.meta.title, doc.view.text)
