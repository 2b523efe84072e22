"""Segmentation: sentences always, words and POS tags from a chosen backend.

Sentences are what the dataset cites (every fact carries the sentence it stands in) and
what extractors use as the scope of a figure; they end at 。！？; or a line break, with a
closing quote kept with its sentence.

Words come from one of several backends behind one interface (text -> tokens with
offsets into the cleaned text, and POS tags in jieba's tag set where the backend has them):

* ``rjieba``: jieba's algorithm and dictionary in Rust, words only; the default: it
  agrees with jieba on the genre's prose and is about 25 times faster;
* ``rjieba-pos``: the same with POS tags in jieba's tag set (about five times slower);
* ``jieba``: the reference (words only: its POS tagger is six times slower again);
* ``pkuseg``: PKU's segmenter with its bundled default model (optional extra, see the
  README; about 800 MB of memory, slow);
* ``none``: sentences only.

Every backend gets the domain dictionary of ``data/user_dict.tsv`` and the gazetteer's
full division names, so 脱贫攻坚 and 柳河县 stay whole; and each article's short quoted
names (“五在村”) are protected as single tokens, without changing any global state.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

import regex

from pipeline.document import Document, Span, Token

_SENTENCE_END = regex.compile(r"[。！？!?；;]+[”’」』）)]*|\n+")
#: A short quoted name inside an article: kept as one token (programme names, slogans).
_QUOTED_NAME = regex.compile(r"(?<=[“「‘])[\p{Han}\d+·、]{2,10}(?=[”」’])")

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


@dataclass(frozen=True, slots=True)
class DictEntry:
    """A user-dictionary word."""

    word: str
    freq: int | None
    pos: str | None


@cache
def user_dictionary() -> tuple[DictEntry, ...]:
    """The domain dictionary plus the gazetteer's full division names (loaded once)."""
    entries: list[DictEntry] = []
    text = resources.files("pipeline").joinpath("data/user_dict.tsv").read_text("utf-8")
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) > 3 or (len(parts) > 1 and not parts[1].isdigit()):
            raise ValueError(f"pipeline/data/user_dict.tsv:{lineno}: expected 'word[<TAB>freq[<TAB>pos]]'")
        entries.append(DictEntry(parts[0], int(parts[1]) if len(parts) > 1 else None,
                                 parts[2] if len(parts) > 2 else None))
    seen = {e.word for e in entries}
    for name in _division_names():
        if name not in seen:
            entries.append(DictEntry(name, None, "ns"))
            seen.add(name)
    return tuple(entries)


def _division_names() -> list[str]:
    try:
        from extractors.gazetteer import load
    except ImportError:  # pragma: no cover - the gazetteer ships with the package
        return []
    gz = load()
    return sorted({d.name for recs in gz.records.values() for d in recs
                   if d.kind not in ("placeholder", "pseudo_county") and len(d.name) >= 2})


def _protected(text: str) -> Iterator[tuple[int, int, bool]]:
    """Stretches of ``text``: ``(start, end, keep_whole)``."""
    pos = 0
    for m in _QUOTED_NAME.finditer(text):
        if m.start() > pos:
            yield pos, m.start(), False
        yield m.start(), m.end(), True
        pos = m.end()
    if pos < len(text):
        yield pos, len(text), False


def _with_protection(cut: Callable[[str], list[tuple[str, str | None]]]) -> Segmenter:
    """A segmenter from ``cut`` (text -> consecutive (word, pos) covering the text)."""

    def seg(text: str) -> list[Token]:
        out: list[Token] = []
        for a, b, whole in _protected(text):
            if whole:
                out.append(Token(text[a:b], a, b, "nz"))
                continue
            pos = a
            for word, tag in cut(text[a:b]):
                if not word.isspace():
                    out.append(Token(word, pos, pos + len(word), tag))
                pos += len(word)
        return out

    return seg


@cache
def _rjieba():  # type: ignore[no-untyped-def]
    import rjieba

    jb = rjieba.Jieba()
    for e in user_dictionary():
        jb.add_word(e.word, e.freq, e.pos)
    return jb


@cache
def _jieba():  # type: ignore[no-untyped-def]
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    for e in user_dictionary():
        tk.add_word(e.word, e.freq, e.pos)
    return tk


@cache
def _pkuseg():  # type: ignore[no-untyped-def]
    try:
        import pkuseg
    except ImportError as exc:
        raise RuntimeError("the pkuseg segmenter is an optional extra: run `make install-pkuseg` "
                           "(see the README)") from exc
    return pkuseg.pkuseg(user_dict=[e.word for e in user_dictionary()])


def _rjieba_cut(text: str) -> list[tuple[str, str | None]]:
    return [(w, None) for w in _rjieba().cut(text)]


def _rjieba_tag(text: str) -> list[tuple[str, str | None]]:
    return [(w, t) for w, t in _rjieba().tag(text)]


def _jieba_cut(text: str) -> list[tuple[str, str | None]]:
    return [(w, None) for w in _jieba().cut(text)]


def _pkuseg_cut(text: str) -> list[tuple[str, str | None]]:
    """pkuseg drops spaces and gives no offsets: put the skipped characters back."""
    out: list[tuple[str, str | None]] = []
    pos = 0
    for word in _pkuseg().cut(text):
        at = text.find(word, pos)
        if at < 0:
            continue
        if at > pos:
            out.append((text[pos:at], None))
        out.append((word, None))
        pos = at + len(word)
    if pos < len(text):
        out.append((text[pos:], None))
    return out


BACKENDS: dict[str, Segmenter | None] = {
    "rjieba": _with_protection(_rjieba_cut),
    "rjieba-pos": _with_protection(_rjieba_tag),
    "jieba": _with_protection(_jieba_cut),
    "pkuseg": _with_protection(_pkuseg_cut),
    "none": None,
}
DEFAULT_SEGMENTER = "rjieba"


def segment(doc: Document, backend: str = DEFAULT_SEGMENTER) -> Document:
    """Fill ``doc.sentences`` and, unless ``backend`` is ``none``, ``doc.tokens``."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown segmenter {backend!r}; choose one of {', '.join(BACKENDS)}")
    text = doc.view.text
    doc.sentences = sentences(text)
    seg = BACKENDS[backend]
    if seg is not None:
        doc.tokens = seg(text)
    return doc


def spacy_doc(doc: Document, nlp=None):  # type: ignore[no-untyped-def]
    """A spaCy ``Doc`` of the cleaned text built from ``doc.tokens`` (``spacy.blank("zh")``).

    No Chinese pipeline is downloaded: the words and tags are ours, the vocabulary blank.
    """
    from spacy.tokens import Doc

    nlp = nlp or _blank_zh()
    text = doc.view.text
    words, spaces, tags = [], [], []
    for i, t in enumerate(doc.tokens):
        nxt = doc.tokens[i + 1].start if i + 1 < len(doc.tokens) else len(text)
        words.append(t.text)
        spaces.append(text[t.end:nxt] == " ")
        tags.append(t.pos or "")
    sdoc = Doc(nlp.vocab, words=words, spaces=spaces)
    for tok, tag in zip(sdoc, tags, strict=True):
        tok.tag_ = tag
    return sdoc


@cache
def _blank_zh():  # type: ignore[no-untyped-def]
    import spacy

    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
