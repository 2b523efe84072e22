"""Word segmentation: words and POS tags from a chosen backend, sentences from the text layer.

Sentences (:mod:`policy_ie.text.sentences`) are filled here too, so that one stage gives an
article its units. Words come from one of several backends behind one interface (text -> tokens with
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

Tokens are stored column-wise (:class:`policy_ie.text.document.Tokens`). With the jieba
backends ``doc.tokens`` is cut lazily (:class:`LazyTokens`): jieba cuts the stretches
between punctuation independently, so a question about word boundaries cuts only the
stretch it is about, and reading the words cuts the whole text, with the same answers.
"""

from __future__ import annotations

import bisect
import importlib.machinery
import importlib.util
import logging
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, partial
from itertools import accumulate, compress
from pathlib import Path

import regex

from policy_ie.extractors.gazetteer import load as load_gazetteer
from policy_ie.text.document import Document, Tokens
from policy_ie.text.punctuation import chars
from policy_ie.text.sentences import sentences

DATA = Path(__file__).parent / "data"
#: characters cut with a partial dictionary before the full one is loaded (a batch)
_PARTIAL_BUDGET = 20_000

#: A short quoted name inside an article: kept as one token (programme names, slogans).
_QUOTED_NAME = regex.compile(r"[“「‘]([\p{Han}\d+·、]{2,10})(?=[”」’])")  # the name is group 1

Segmenter = Callable[[str], Tokens]
#: A backend's cut: text -> (words covering the text, their POS tags or None).
Cut = Callable[[str], tuple[list[str], list[str | None] | None]]


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
    text = (DATA / "user_dict.tsv").read_text("utf-8")
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) > 3 or (len(parts) > 1 and not parts[1].isdigit()):
            raise ValueError(f"extractors/data/user_dict.tsv:{lineno}: expected 'word[<TAB>freq[<TAB>pos]]'")
        entries.append(DictEntry(parts[0], int(parts[1]) if len(parts) > 1 else None,
                                 parts[2] if len(parts) > 2 else None))
    seen = {e.word for e in entries}
    for name in _division_names():
        if name not in seen:
            entries.append(DictEntry(name, None, "ns"))
            seen.add(name)
    return tuple(entries)


def _division_names() -> list[str]:
    gz = load_gazetteer()
    return sorted({d.name for recs in gz.records.values() for d in recs
                   if d.kind not in ("placeholder", "pseudo_county") and len(d.name) >= 2})


def quoted_names(text: str) -> list[tuple[int, int]]:
    """Spans of the short quoted names of ``text`` (quotes excluded)."""
    return [m.span(1) for m in _QUOTED_NAME.finditer(text)]


def _stretches(text: str, names: list[tuple[int, int]]) -> Iterator[tuple[int, int, bool]]:
    """Stretches of ``text`` around the quoted ``names``: ``(start, end, is_name)``."""
    pos = 0
    for a, b in names:
        if a > pos:
            yield pos, a, False
        yield a, b, True
        pos = b
    if pos < len(text):
        yield pos, len(text), False


def _with_protection(cut: Cut, block_local: bool = False) -> Segmenter:
    """A segmenter from ``cut`` (text -> consecutive words covering the text, and their tags)."""
    return partial(_words_of, cut=cut, block_local=block_local)


def _words_of(text: str, cut: Cut, block_local: bool = False) -> Tokens:
    """The words of ``text`` with each quoted name one word.

    Offsets are running sums of the word lengths, computed in C, so no Python code runs per
    word. ``block_local``: the backend cuts every run of Han characters, letters and digits
    on its own and makes every other character a word (jieba's algorithm), so a quote mark
    is always a word of its own and the words outside a quoted name do not depend on it:
    the whole text is cut once and each name's words are then joined into one. Other
    backends cut the stretches around the names separately.
    """
    names = quoted_names(text)
    if names and block_local:
        words, tags = cut(text)
        starts, ends = _offsets(words)
        tags = _join_names(text, names, words, starts, ends, tags)
        if tags is not None:
            return Tokens(words, starts, ends, tags, spaced=True)
    if names:
        return _tokens(*_cut_around(text, names, cut))
    return _tokens(*cut(text))


def _cut_around(text: str, names: list[tuple[int, int]], cut: Cut) -> tuple[list[str], list[str | None]]:
    """Words and tags of ``text`` with each quoted name one word, tagged ``nz``."""
    words: list[str] = []
    tags: list[str | None] = []
    for a, b, whole in _stretches(text, names):
        if whole:
            words.append(text[a:b])
            tags.append("nz")
            continue
        w, t = cut(text[a:b])
        words += w
        tags += t if t is not None else [None] * len(w)
    return words, tags


def _offsets(words: list[str]) -> tuple[list[int], list[int]]:
    """Start and end offsets of consecutive ``words`` from offset 0."""
    ends = list(accumulate(map(len, words)))
    return [0, *ends[:-1]] if ends else [], ends


def _join_names(text: str, names: list[tuple[int, int]], words: list[str], starts: list[int],
                ends: list[int], tags: list[str | None] | None) -> list[str | None] | None:
    """Join the words of each quoted name into one tagged ``nz``, in place; the new tags, or
    None (nothing changed) when a name does not begin and end on word boundaries."""
    spans = []
    for a, b in names:
        i = bisect.bisect_left(starts, a)
        j = bisect.bisect_left(starts, b, i)
        if i == j or starts[i] != a or ends[j - 1] != b:
            return None
        spans.append((i, j, a, b))
    if tags is None:
        tags = [None] * len(words)
    for i, j, a, b in reversed(spans):
        words[i:j] = [text[a:b]]
        starts[i:j] = [a]
        ends[i:j] = [b]
        tags[i:j] = ["nz"]
    return tags


def _tokens(words: list[str], tags: list[str | None] | None) -> Tokens:
    """Tokens of consecutive ``words`` covering a text from offset 0 (spaces left out)."""
    return Tokens(words, *_offsets(words), tags, spaced=True)


#: Characters that jieba's algorithm always makes words of their own (never part of a run
#: of Han characters, letters and digits): common punctuation, quote marks, spaces. The
#: stretches between them are cut independently of the rest of the text. The quote marks
#: around quoted names must be among them: a stretch is then inside a name or outside all.
_SEPARATORS = chars("word_stretch_separators")
_SEPARATOR = re.compile(f"[{re.escape(_SEPARATORS)}]")
_SPACE = re.compile(r"\s")  # as str.isspace


class LazyTokens(Tokens):
    """The words of a text, cut when first asked for.

    Regions asks where words begin and end at a few places of an article and nothing else
    reads its words: cutting every article whole cost as much as all the extractors. For a
    ``block_local`` backend the words between two separators (:data:`_SEPARATORS`) do not
    depend on the rest of the text, so :meth:`word_at` and :meth:`ends_at` cut just the
    stretch around the place asked about (a separator is a word of its own, a space no
    word; inside a quoted name, the name is the word) and give the answers a whole cut
    would. Anything else (the columns, iterating, indexing) cuts the whole text once.
    ``cut`` is the backend's (:data:`CUTS`).
    """

    __slots__ = ("_begins", "_cut", "_cut_ends", "_cut_starts", "_cut_whole", "_names", "_text", "_word_ends")

    def __init__(self, text: str, cut: Cut) -> None:
        super().__init__()
        self._text, self._cut = text, cut
        self._cut_whole = False
        self._names: list[tuple[int, int]] | None = None
        self._cut_starts: list[int] = []  # the stretches cut so far, in text order
        self._cut_ends: list[int] = []
        self._begins: dict[int, int] = {}  # start -> end of their words (spaces left out)
        self._word_ends: set[int] = set()

    def _ready(self) -> None:
        if not self._cut_whole:
            self._cut_whole = True
            whole = _words_of(self._text, self._cut, block_local=True)
            self._words, self._starts, self._ends = whole._words, whole._starts, whole._ends
            self._tags, self._spaced = whole._tags, whole._spaced
        super()._ready()

    def __bool__(self) -> bool:
        return bool(self._text.strip())  # every character but a space is in a word

    def word_at(self, pos: int) -> int | None:
        if self._cut_whole:
            return super().word_at(pos)
        if not 0 <= pos < len(self._text):
            return None
        name = self._name_at(pos)
        if name is not None:
            return name[1] if name[0] == pos else None
        c = self._text[pos]
        if c in _SEPARATORS:
            return None if c.isspace() else pos + 1
        self._cover(pos)
        return self._begins.get(pos)

    def ends_at(self, pos: int) -> bool:
        if self._cut_whole:
            return super().ends_at(pos)
        if not 0 < pos <= len(self._text):
            return False
        name = self._name_at(pos - 1)
        if name is not None:
            return name[1] == pos
        c = self._text[pos - 1]
        if c in _SEPARATORS:
            return not c.isspace()
        self._cover(pos - 1)
        return pos in self._word_ends

    def _name_at(self, pos: int) -> tuple[int, int] | None:
        """The quoted name around character ``pos``, if any."""
        if self._names is None:
            self._names = quoted_names(self._text)
        if not self._names:
            return None
        k = bisect.bisect_right(self._names, (pos, len(self._text) + 1)) - 1
        return self._names[k] if k >= 0 and self._names[k][1] > pos else None

    def _cover(self, pos: int) -> None:
        """Cut the stretch around character ``pos`` (not a separator) unless done."""
        k = bisect.bisect_right(self._cut_starts, pos) - 1
        if k >= 0 and pos < self._cut_ends[k]:
            return
        text = self._text
        a = pos
        while a > 0 and text[a - 1] not in _SEPARATORS:
            a -= 1
        m = _SEPARATOR.search(text, pos)
        b = m.start() if m else len(text)
        stretch = text[a:b]
        words = self._cut(stretch)[0]  # no quote marks in it: no quoted names
        bounds = list(accumulate(map(len, words), initial=a))
        if _SPACE.search(stretch):  # a word of spaces is no word
            keep = [not w.isspace() for w in words]
            starts, ends = list(compress(bounds, keep)), list(compress(bounds[1:], keep))
        else:
            starts, ends = bounds[:-1], bounds[1:]
        self._begins.update(zip(starts, ends, strict=True))
        self._word_ends.update(ends)
        self._cut_starts.insert(k + 1, a)
        self._cut_ends.insert(k + 1, b)


def _rjieba_class() -> type:
    """rjieba's ``Jieba``. Importing the ``rjieba`` package parses jieba's dictionary into a
    default instance (0.1 s) that policy-ie does not use, so its extension module is loaded
    on its own where it can be (as ``rjieba.rjieba``, where the package would put it)."""
    mod = sys.modules.get("rjieba.rjieba")
    if mod is None:
        try:
            pkg = importlib.util.find_spec("rjieba")
            where = list(pkg.submodule_search_locations or []) if pkg is not None else []
            spec = importlib.machinery.PathFinder.find_spec("rjieba.rjieba", where)
            if spec is None or spec.loader is None:
                raise ImportError("rjieba's extension module not found")
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            sys.modules["rjieba.rjieba"] = mod
        except ImportError:
            import rjieba as mod
    return mod.Jieba  # type: ignore[no-any-return]


@cache
def plain_rjieba():  # type: ignore[no-untyped-def]
    """rjieba with jieba's dictionary alone (no domain words), made once."""
    return _rjieba_class()()


@cache
def _rjieba():  # type: ignore[no-untyped-def]
    jb = _rjieba_class()()
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


@cache
def _partial_rjieba(domain: bool = True):  # type: ignore[no-untyped-def]
    """rjieba given only the dictionary words of the texts it cuts
    (:mod:`policy_ie.extractors.dictionary_index`), or None without a valid index."""
    from policy_ie.extractors import dictionary_index

    try:  # the index is built with the domain words and holds both dictionaries
        index = dictionary_index.load(dictionary_index.key([(e.word, e.freq, e.pos) for e in user_dictionary()]))
    except (OSError, ImportError):
        return None
    return dictionary_index.Partial(index, _rjieba_class(), domain) if index is not None else None


_partial_spent = [0]  # characters cut with partial dictionaries so far in this process


def rjieba_for(text: str, domain: bool = True):  # type: ignore[no-untyped-def]
    """rjieba ready to cut and tag ``text`` (and to say which of its substrings are words):
    with the domain dictionary (:func:`_rjieba`) or jieba's alone (:func:`plain_rjieba`).
    Until that full dictionary is loaded, and for :data:`_PARTIAL_BUDGET` characters at
    most, one holding only the words ``text`` needs: the same answers, without parsing the
    whole dictionary (0.13 s)."""
    full = _rjieba if domain else plain_rjieba
    if not full.cache_info().currsize and _partial_spent[0] + len(text) <= _PARTIAL_BUDGET:
        part = _partial_rjieba(domain)
        if part is not None and part.ready(text):
            _partial_spent[0] += len(text)
            return part.jieba
    elif _partial_spent[0] <= _PARTIAL_BUDGET < _partial_spent[0] + len(text):
        # a batch: the full dictionaries from now on, and the partial ones' memory (8-13 MB each,
        # more as they learn words) given back
        _partial_spent[0] = _PARTIAL_BUDGET + 1
        clear = getattr(_partial_rjieba, "cache_clear", None)
        if clear is not None:
            clear()
    return full()


def _rjieba_cut(text: str) -> tuple[list[str], None]:
    return rjieba_for(text).cut(text), None


def _rjieba_tag(text: str) -> tuple[list[str], list[str | None]]:
    pairs = rjieba_for(text).tag(text)
    return [w for w, _ in pairs], [t for _, t in pairs]


def _jieba_cut(text: str) -> tuple[list[str], None]:
    return list(_jieba().cut(text)), None


def _pkuseg_cut(text: str) -> tuple[list[str], None]:
    """pkuseg drops spaces and gives no offsets: put the skipped characters back."""
    out: list[str] = []
    pos = 0
    for word in _pkuseg().cut(text):
        at = text.find(word, pos)
        if at < 0:
            continue
        if at > pos:
            out.append(text[pos:at])
        out.append(word)
        pos = at + len(word)
    if pos < len(text):
        out.append(text[pos:])
    return out, None


#: Each backend's cut of a text into words (and tags).
CUTS: dict[str, Cut] = {
    "rjieba": _rjieba_cut,
    "rjieba-pos": _rjieba_tag,
    "jieba": _jieba_cut,
    "pkuseg": _pkuseg_cut,
}
#: Backends whose words of a stretch between separators do not depend on the rest of the
#: text (jieba's algorithm): their tokens are cut lazily (:class:`LazyTokens`).
BLOCK_LOCAL = frozenset({"rjieba", "rjieba-pos", "jieba"})
BACKENDS: dict[str, Segmenter | None] = {
    **{name: _with_protection(cut, block_local=name in BLOCK_LOCAL) for name, cut in CUTS.items()},
    "none": None,
}


def segment(doc: Document, backend: str) -> Document:
    """Fill ``doc.sentences`` and, unless ``backend`` is ``none``, ``doc.tokens`` (cut when
    first asked for with the jieba backends: :class:`LazyTokens`)."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown segmenter {backend!r}; choose one of {', '.join(BACKENDS)}")
    text = doc.view.text
    doc.sentences = sentences(text)
    seg = BACKENDS[backend]
    if seg is not None:
        doc.tokens = LazyTokens(text, CUTS[backend]) if backend in BLOCK_LOCAL else seg(text)
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
