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

A short article in a process that has not imported numpy is scored in plain Python (the same
hashes, the weights read from the ``.npz`` with the standard library, the sums in float64 as
numpy's are): importing numpy would cost more than the article (see
:mod:`policy_ie.text.numpy_gate`); both forms give the same rounded score (tested).
"""

from __future__ import annotations

import ast
import math
import struct
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policy_ie.extractors.registry import register
from policy_ie.text.document import Document
from policy_ie.text.lexicon import load_data
from policy_ie.text.numpy_gate import use_numpy

if TYPE_CHECKING:
    import numpy as np

DATA = Path(__file__).parent / "data"
CONFIG = DATA / "topic.yaml"
WEIGHTS = DATA / "model" / "topic.npz"
#: odd multipliers of the multiply-shift hashes (32-bit arithmetic, wrapping)
_P1, _P2, _P3 = 0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D
_MASK = 0xFFFFFFFF
#: the title's characters are hashed as if shifted past Unicode, so that they stand apart
_TITLE_OFFSET = 0x110000

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


def _hashes(text: str, bits: int, offset: int) -> np.ndarray:
    """Feature indices of ``text``: one per character (unigram) and one per pair (bigram)."""
    import numpy as np

    cp = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if cp.size == 0:
        return np.zeros(0, dtype=np.uint32)
    if offset:
        cp = cp + np.uint32(offset)
    shift = np.uint32(32 - bits)
    p1, p2, p3 = np.uint32(_P1), np.uint32(_P2), np.uint32(_P3)
    return np.concatenate([(cp * p1) >> shift, (cp[:-1] * p2 + cp[1:] * p3) >> shift])


def plain_hashes(text: str, bits: int, offset: int = 0) -> list[int]:
    """:func:`_hashes` in plain Python (the same indices, in the same order)."""
    shift = 32 - bits
    cp = [ord(c) + offset for c in text]
    return ([((c * _P1) & _MASK) >> shift for c in cp]
            + [((a * _P2 + b * _P3) & _MASK) >> shift for a, b in pairwise(cp)])


def features(title: str | None, body: str, bits: int | None = None,
             max_chars: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The hashed features of an article: those of its body (cut at ``max_chars``) and those
    of its title (apart), as arrays of feature indices (repeated as often as they occur)."""
    cfg = config()
    bits = cfg.bits if bits is None else bits
    body = body[: cfg.max_chars if max_chars is None else max_chars]
    return _hashes(body, bits, 0), _hashes(title or "", bits, _TITLE_OFFSET)


def keyword_density(title: str | None, body: str) -> float:
    """Occurrences of the keywords of ``data/topic.yaml`` per 1,000 characters (the baseline)."""
    text = f"{title or ''}\n{body}"
    return 1000.0 * sum(text.count(k) for k in config().keywords) / max(len(text), 1)


class TopicModel:
    """Weights of the hashed features and a bias: ``score`` is the logistic of the bias plus
    the sum of the body's feature weights over the root of their number, plus the same of
    the title's."""

    def __init__(self, weights: Sequence[float] | np.ndarray, bias: float) -> None:
        self._weights: Any = weights
        self._array: np.ndarray | None = None
        self._plain: Sequence[float] | None = None
        self.bias = float(bias)
        size = len(weights)
        self.bits = size.bit_length() - 1
        if size != 1 << self.bits:
            raise ValueError(f"topic weights: {size} is not a power of two")

    @property
    def weights(self) -> np.ndarray:
        """The weights as a float32 array (numpy's form; made when first wanted)."""
        if self._array is None:
            import numpy as np

            self._array = np.asarray(self._weights, dtype=np.float32)
        return self._array

    def plain_weights(self) -> Sequence[float]:
        """The weights as Python floats (the plain form)."""
        if self._plain is None:
            w = self._weights
            self._plain = w if isinstance(w, tuple | list | NpyValues) else tuple(float(x) for x in w.tolist())
        return self._plain

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> TopicModel:
        """The model of a weights file (``.npz`` of ``weights`` and ``bias``), read with the
        standard library so that scoring a short article needs no numpy."""
        with zipfile.ZipFile(path) as z:
            return cls(_npy(z.read("weights.npy"), path), float(_npy(z.read("bias.npy"), path)[0]))

    def save(self, path: Path) -> None:
        import numpy as np

        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as fh:  # np.savez_compressed would name a temporary file
            np.savez_compressed(fh, weights=self.weights.astype(np.float16), bias=np.float64(self.bias))

    def margin(self, title: str | None, body: str) -> float:
        """The log-odds of the article being on topic."""
        body = body[: config().max_chars]
        title = title or ""
        z = self.bias
        if use_numpy(len(body) + len(title)):
            w = self.weights
            for f in features(title, body, self.bits):
                if f.size:  # take: much faster than indexing with an array of uint32
                    z += float(w.take(f).sum(dtype="float64")) / f.size ** 0.5
            return z
        pw = self.plain_weights()
        for f in (plain_hashes(body, self.bits), plain_hashes(title, self.bits, _TITLE_OFFSET)):
            if f:
                z += sum(pw[i] for i in f) / len(f) ** 0.5
        return z

    def score(self, title: str | None, body: str) -> float:
        """The probability that the article is on topic, rounded to 4 places."""
        z = max(-30.0, min(30.0, self.margin(title, body)))
        return round(1.0 / (1.0 + math.exp(-z)), 4)


#: the element formats of the .npy files a weights file holds, as struct codes
_NPY_FORMATS = {"<f2": "e", "<f4": "f", "<f8": "d"}


class NpyValues(Sequence[float]):
    """The values of a ``.npy`` file's data, unpacked one at a time when read: a short
    article reads a few thousand of the 262,144 weights, and unpacking them all costs more."""

    def __init__(self, body: bytes, code: str) -> None:
        self._body, self._code = body, f"<{code}"
        self._step = struct.calcsize(code)

    def __len__(self) -> int:
        return len(self._body) // self._step

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if not -len(self) <= i < len(self):
            raise IndexError(i)
        return struct.unpack_from(self._code, self._body, (i % len(self)) * self._step)[0]

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        import numpy as np

        return np.frombuffer(self._body, dtype=self._code).astype(dtype or np.float32)


def _npy(data: bytes, path: Path) -> NpyValues:
    """The values of a little-endian float ``.npy`` file (numpy's format, versions 1-3)."""
    if data[:6] != b"\x93NUMPY":
        raise ValueError(f"{path}: not a numpy weights file; rebuild it with `make topic-model`")
    major = data[6]
    size, start = (struct.unpack("<H", data[8:10])[0], 10) if major == 1 else (struct.unpack("<I", data[8:12])[0], 12)
    header = ast.literal_eval(data[start:start + size].decode("latin-1"))
    code = _NPY_FORMATS.get(header.get("descr"))
    if code is None or header.get("fortran_order"):
        raise ValueError(f"{path}: weights of type {header.get('descr')!r}; rebuild them with `make topic-model`")
    return NpyValues(data[start + size:], code)


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
