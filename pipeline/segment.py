"""Segmentation: sentences always, words and POS tags from a chosen backend.

Sentences are what the dataset cites (every fact carries the sentence it stands in) and
what extractors use as the scope of a figure; they end at 。！？; or a line break, with a
closing quote kept with its sentence. Words come from a segmenter backend behind one
interface (jieba today; more backends plug in by name), over the cleaned text.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import regex

from pipeline.document import Document, Span, Token

_SENTENCE_END = regex.compile(r"[。！？!?；;]+[”’」』）)]*|\n+")

Segmenter = Callable[[str], list[Token]]


def sentences(text: str) -> list[Span]:
    """Sentence spans of ``text`` (leading and trailing spaces trimmed, empty ones dropped)."""
    out: list[Span] = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        _add(text, pos, m.end() if m.group()[0] != "\n" else m.start(), out)
        pos = m.end()
    _add(text, pos, len(text), out)
    return out


def _add(text: str, a: int, b: int, out: list[Span]) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        out.append(Span(a, b))


@cache
def _jieba():  # type: ignore[no-untyped-def]
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def jieba_words(text: str) -> list[Token]:
    """Words of ``text`` by jieba (no POS: its tagger is six times slower)."""
    jb = _jieba()
    return [Token(w, a, b) for w, a, b in jb.tokenize(text) if not w.isspace()]


BACKENDS: dict[str, Segmenter | None] = {"jieba": jieba_words, "none": None}


def segment(doc: Document, backend: str = "none") -> Document:
    """Fill ``doc.sentences`` and, unless ``backend`` is ``none``, ``doc.tokens``."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown segmenter {backend!r}; choose one of {', '.join(BACKENDS)}")
    text = doc.view.text
    doc.sentences = sentences(text)
    seg = BACKENDS[backend]
    if seg is not None:
        doc.tokens = seg(text)
    return doc
