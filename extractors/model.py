"""The statistical metric classifier: a second opinion where the rules have none.

For each quantity the rules of :mod:`extractors.metrics` leave *open* (no counted noun, no
rule fired: they neither report it nor reject it on purpose), a spaCy text classifier over
the quantity's context window says which metric of ANNOTATION.md it reports, or ``none``.
The rules decide wherever they are sure; the model decides the rest, and each reported
figure records which one decided (``extractor``) and how sure it was (``confidence``).

The classifier is a ``spacy.blank("zh")`` pipeline with one ``textcat`` component (a
bag-of-words-and-bigrams linear model, exclusive classes). Its input is a spaCy ``Doc``
built here from words, so nothing is downloaded: jieba's words of the left and right
context, a marker for the quantity, its unit class, unit, qualifier and rate, the counted
nouns of the cue lexicon nearest on each side (their categories), and the governing verbs
nearest on each side (``data/model_features.yaml``). See ``data/model/MODEL_CARD.md``.

Whether the model is consulted: the environment variable ``POLICY_IE_MODEL`` (``on`` /
``off``) wins; otherwise ``enabled_by_default`` of ``data/model_features.yaml``, which the
ablation (``bench/bench_ablation.py``) decides (now: off). Without the model files the
pipeline runs on the rules alone and says so once on standard error (whether or not the
model would have been consulted).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from policy_ie.extractors.metric_cues import cues
from policy_ie.extractors.numbers import SENTENCE_END, Quantity
from policy_ie.text.lexicon import load_data

DATA = Path(__file__).parent / "data"
FEATURES = DATA / "model_features.yaml"
MODEL_DIR = DATA / "model" / "metric_textcat"
ENV = "POLICY_IE_MODEL"
NONE = "none"
QUANTITY_MARK = "⟨Q⟩"
LARGE = "万亿"


@dataclass(frozen=True, slots=True)
class FeatureConfig:
    """The feature settings of ``data/model_features.yaml``."""

    left_window: int
    right_window: int
    candidate_classes: frozenset[str]
    verbs: tuple[str, ...]
    threshold: float
    enabled_by_default: bool
    review_below: float
    veto_threshold: float


@cache
def feature_config() -> FeatureConfig:
    """The feature settings, loaded and validated once."""
    d = load_data(FEATURES)
    verbs = tuple(sorted(set(d["verbs"]), key=len, reverse=True))
    if not verbs or any(not isinstance(v, str) or not v for v in verbs):
        raise ValueError("model_features.yaml: verbs must be non-empty strings")
    lw, rw, th = int(d["left_window"]), int(d["right_window"]), float(d["threshold"])
    if lw <= 0 or rw <= 0 or not 0.0 < th < 1.0:
        raise ValueError("model_features.yaml: windows must be > 0, threshold in (0, 1)")
    return FeatureConfig(lw, rw, frozenset(d["candidate_classes"]), verbs, th,
                         bool(d.get("enabled_by_default", False)),
                         float(d.get("review_below", 0.0)), float(d.get("veto_threshold", 1.0)))


@cache
def _jieba() -> Any:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def words(s: str) -> list[str]:
    """jieba's words of ``s`` (no HMM: deterministic dictionary words), spaces dropped."""
    if not s:
        return []
    return [w for w in _jieba().lcut(s, HMM=False) if w.strip()]


@cache
def _verb_re() -> Any:
    import regex

    return regex.compile("|".join(regex.escape(v) for v in feature_config().verbs))


def _window(text: str, q: Quantity, fc: FeatureConfig) -> tuple[str, str]:
    a = max(0, q.start - fc.left_window)
    left = text[a:q.start]
    cut = max(left.rfind(ch) for ch in SENTENCE_END)
    if cut >= 0:
        left = left[cut + 1:]
    right = text[q.end:q.end + fc.right_window]
    ends = [i for i in (right.find(ch) for ch in SENTENCE_END) if i >= 0]
    if ends:
        right = right[:min(ends)]
    return left, right


def mention_words(q: Quantity, text: str) -> list[str]:
    """The words the classifier reads for quantity ``q`` of ``text`` (clean text)."""
    fc = feature_config()
    left, right = _window(text, q, fc)
    c = cues()  # the counted nouns are the rules' own lexicon
    feats = [QUANTITY_MARK, f"U={q.unit_class}", f"u={q.unit or '-'}",
             f"Q={q.qualifier or '-'}", f"P={q.per or '-'}", f"R={q.role or '-'}"]
    if any(ch in LARGE for ch in q.text):
        feats.append("MAG")
    lnouns = list(c.noun_re.finditer(left))
    if lnouns:
        feats.append(f"N<={c.noun_cat[lnouns[-1].group()]}")
    rnouns = list(c.noun_re.finditer(right))
    if rnouns:
        feats.append(f"N>={c.noun_cat[rnouns[0].group()]}")
    vre = _verb_re()
    lverbs = list(vre.finditer(left))
    if lverbs:
        feats.append(f"V<={lverbs[-1].group()}")
    rverb = vre.search(right)
    if rverb:
        feats.append(f"V>={rverb.group()}")
    lw, rw = words(left), words(right)
    if lw:
        feats.append(f"L1={lw[-1]}")
    if rw:
        feats.append(f"R1={rw[0]}")
    return lw + feats + rw


def is_open(q: Quantity, cl: Any) -> bool:
    """Whether the rules left ``q`` open: no metric, no counted noun, no rule fired."""
    return (cl.metric is None and cl.category is None and cl.rule is None
            and q.unit_class in feature_config().candidate_classes)


def is_unsure(cl: Any, review_below: float | None = None) -> bool:
    """Whether the rules report ``cl`` with a confidence the model may overrule."""
    below = feature_config().review_below if review_below is None else review_below
    return cl.metric is not None and cl.confidence < below


class MetricClassifier:
    """A loaded spaCy pipeline with the ``textcat`` metric component."""

    def __init__(self, nlp: Any) -> None:
        self.nlp = nlp
        self.textcat = nlp.get_pipe("textcat")
        self.threshold: float | None = None  # None: the configured thresholds
        self.veto: float | None = None
        self.review_below: float | None = None

    @classmethod
    def load(cls, path: Path = MODEL_DIR) -> MetricClassifier:
        import spacy

        return cls(spacy.load(path))

    def scores(self, batch: list[list[str]]) -> list[dict[str, float]]:
        """Class probabilities for each word list of ``batch``."""
        from spacy.tokens import Doc

        if not batch:
            return []
        docs = [Doc(self.nlp.vocab, words=w or [QUANTITY_MARK]) for w in batch]
        out = self.textcat.predict(docs)
        labels = self.textcat.labels
        return [{lab: float(row[i]) for i, lab in enumerate(labels)} for row in out.tolist()]

    def decide(self, batch: list[list[str]], threshold: float) -> list[tuple[str | None, float]]:
        """``(metric or None, probability)`` for each word list.

        The most probable metric is taken when its probability reaches ``threshold``, even
        if ``none`` is more probable: a threshold below 0.5 trades precision for recall.
        """
        res = []
        for s in self.scores(batch):
            best = max(sorted(k for k in s if k != NONE), key=lambda k: s[k])
            if s[best] < threshold:
                res.append((None, s.get(NONE, 0.0)))
            else:
                res.append((best, s[best]))
        return res


_override: list[MetricClassifier | None] = []
_told: list[bool] = []


def enabled() -> bool:
    """Whether the model is consulted (``POLICY_IE_MODEL`` wins over the shipped default)."""
    v = os.environ.get(ENV, "").strip().lower()
    if v in ("1", "on", "true", "yes"):
        return True
    if v in ("0", "off", "false", "no"):
        return False
    return feature_config().enabled_by_default


@cache
def _present() -> bool:
    return (MODEL_DIR / "meta.json").exists()


@cache
def _shipped() -> MetricClassifier | None:
    return MetricClassifier.load(MODEL_DIR) if _present() else None


def current() -> MetricClassifier | None:
    """The classifier in use (a test's or the ablation's override, else the shipped one)."""
    if _override:
        return _override[-1]
    if not _present():
        if not _told:
            _told.append(True)
            print(f"policy-ie: no metric model at {MODEL_DIR} (run `make model`); metrics come "
                  "from the rules alone", file=sys.stderr)
        return None
    return _shipped() if enabled() else None


@contextmanager
def use(clf: MetricClassifier | None) -> Iterator[None]:
    """Use ``clf`` (None: rules alone) within the block, whatever the environment says."""
    _override.append(clf)
    try:
        yield
    finally:
        _override.pop()


_taps: list[Any] = []


@contextmanager
def tap(fn: Any) -> Iterator[None]:
    """Call ``fn(q, text, cl)`` for every quantity the rules classify (training data)."""
    _taps.append(fn)
    try:
        yield
    finally:
        _taps.pop()


def consulted() -> bool:
    """Whether :func:`second_opinion` may answer or is listened to (asked once per article,
    so that the rules alone do not pay for the question at every figure)."""
    return bool(_taps) or current() is not None


def second_opinion(q: Quantity, text: str, cl: Any) -> tuple[str | None, float] | None:
    """The model's ``(metric or None, confidence)`` for an open quantity; None if not asked."""
    for fn in _taps:
        fn(q, text, cl)
    clf = current()
    if clf is None or not (is_open(q, cl) or is_unsure(cl, clf.review_below)):
        return None
    opened = is_open(q, cl)
    fc = feature_config()
    if opened:
        th = clf.threshold if clf.threshold is not None else fc.threshold
        return clf.decide([mention_words(q, text)], th)[0]
    s = clf.scores([mention_words(q, text)])[0]
    veto = clf.veto if clf.veto is not None else fc.veto_threshold
    if s.get(NONE, 0.0) >= veto:
        return None, s[NONE]  # the model overrules an unsure rule: not a metric
    return None
