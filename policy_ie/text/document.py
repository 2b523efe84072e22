"""The one data model every stage shares: Document, its mentions, and the article record.

A :class:`Document` is created by ingest with the raw decoded text and whatever metadata
the archive gave. ``clean`` fills :attr:`Document.clean` (a normalised view of the text with
an offset map back to the raw text), ``segment`` fills tokens and sentences, and each
extractor fills one list of typed mentions. :meth:`Document.to_record` serialises it as the
article record of the output contract; there is no second structure.

Every mention carries ``start``/``end`` offsets into the *raw* text (Python string
indices, after decoding, before cleaning), so that ``doc.text[m.start:m.end] == m.text``.
Extractors that work on the cleaned view convert with :meth:`CleanView.to_raw`.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import MISSING, dataclass, field, fields
from functools import cache
from itertools import compress, pairwise, repeat
from operator import attrgetter, not_
from typing import Any, ClassVar, TypeVar, overload

from policy_ie.text.normalise import normalise

_C = TypeVar("_C", bound=type)

#: The levels of China's administrative divisions, from the top: the one list of them.
LEVELS = ("province", "city", "county", "town", "village")
#: Each level's depth (province 0 ... village 4), for sorting and comparing levels.
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}
#: The whole country as a region: the code a figure about all of China is attached to (the
#: national row of the comparison), its name and level (above every division).
NATIONAL_CODE, NATIONAL_NAME, NATIONAL_LEVEL = "100000", "全国", "country"
#: What whole a metric figure is of (:attr:`MetricMention.scope`): ``division`` (a division
#: its sentence names: ``region_code``), ``national`` (the whole country: NATIONAL_CODE),
#: ``world`` (the world, abroad, a foreign country), ``narrower`` (a part smaller than any
#: division the text resolves: a village or town it cannot place, a company, one household),
#: ``article`` (no contrary cue: the figure may fall back to the article's region),
#: ``unknown`` (not the article's region, but no division to attach to: 其他省份, 各地).
SCOPES = ("division", "national", "world", "narrower", "article", "unknown")
#: The scopes whose figures belong to no row of the comparison (they stay in the facts).
NO_ROW_SCOPES = frozenset({"world", "narrower", "unknown"})


@cache
def _init_values(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    """A function giving the values ``cls.__init__`` takes, in its order, as a tuple."""
    names = [f.name for f in fields(cls) if f.init]
    if len(names) == 1:
        return lambda obj: (getattr(obj, names[0]),)
    return attrgetter(*names)


def _reduce_to_fields(self: Any) -> tuple[type, tuple[Any, ...]]:
    cls = type(self)
    return cls, _init_values(cls)(self)


def pickled_as_fields(cls: _C) -> _C:
    """Pickle a slotted dataclass (and its subclasses) as its class and its field values.

    The default for slotted dataclasses restores every object through a ``__setstate__``
    written in Python; results coming back from worker processes hold thousands of mentions
    and spans, and unpickling them in the parent took three times as long as calling the
    class with the values. The parent does that for every article of a ``--jobs`` run, on
    a core the workers need.
    """
    cls.__reduce__ = _reduce_to_fields  # type: ignore[assignment]
    return cls


@pickled_as_fields
@dataclass(slots=True)
class CleanView:
    """A normalised copy of the raw text with furniture removed, mapped back to raw offsets.

    ``pieces`` lists ``(clean_start, raw_start, length)`` runs in increasing order: clean
    characters ``clean_start .. clean_start+length`` stand for raw characters
    ``raw_start .. raw_start+length``, one for one (normalisation never changes length).
    Raw text outside every piece was removed as page furniture.
    """

    text: str
    pieces: list[tuple[int, int, int]]
    _starts: list[int] = field(default_factory=list, repr=False, init=False)
    #: the pieces by raw start, made when a raw offset is first mapped (:meth:`clean_index`)
    _by_raw: tuple[list[int], list[tuple[int, int, int]]] | None = field(
        default=None, repr=False, init=False, compare=False)

    def __post_init__(self) -> None:
        self._starts = [p[0] for p in self.pieces]

    @classmethod
    def identity(cls, text: str) -> CleanView:
        """A view that keeps the text as it is (used before cleaning, and in tests)."""
        return cls(text, [(0, 0, len(text))] if text else [])

    def raw_index(self, i: int) -> int:
        """Raw offset of clean character ``i`` (``0 <= i < len(text)``)."""
        k = bisect.bisect_right(self._starts, i) - 1
        if k < 0:
            raise IndexError(i)
        c0, r0, n = self.pieces[k]
        if i >= c0 + n:
            raise IndexError(i)
        return r0 + (i - c0)

    def clean_index(self, raw: int) -> int | None:
        """Clean offset of raw character ``raw``; None when cleaning removed it.

        The inverse of :meth:`raw_index`, the one map from raw offsets (a mention's) to the
        clean text the extractors read. Pieces made by cleaning follow each other in raw
        order too, so one bisect finds the piece; a view whose pieces overlap in the raw text
        (hand-made) is searched in clean order, the first piece holding ``raw`` winning.
        """
        if self._by_raw is None:
            live = [p for p in self.pieces if p[2] > 0]  # an empty piece holds nothing
            by_raw = sorted(live, key=lambda p: p[1])
            disjoint = all(a[1] + a[2] <= b[1] for a, b in pairwise(by_raw))
            self._by_raw = ([p[1] for p in by_raw], by_raw) if disjoint else ([], live)
        starts, pieces = self._by_raw
        if starts:
            k = bisect.bisect_right(starts, raw) - 1
            if k >= 0 and raw < pieces[k][1] + pieces[k][2]:
                return pieces[k][0] + raw - pieces[k][1]
            return None
        for c0, r0, n in pieces:
            if r0 <= raw < r0 + n:
                return c0 + raw - r0
        return None

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Raw ``(start, end)`` of the clean span ``[start, end)`` (non-empty)."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"clean span {start}:{end} outside text of {len(self.text)}")
        return self.raw_index(start), self.raw_index(end - 1) + 1


@pickled_as_fields
@dataclass(slots=True)
class Span:
    """A stretch of the clean text (sentences, paragraphs)."""

    start: int
    end: int


class Spans(Sequence[Span]):
    """Stretches of the clean text (an article's sentences), stored column-wise.

    An article has a few dozen sentences and every processed article travels from a worker
    to the parent: one :class:`Span` object per sentence was a third of the cost of sending
    a result, and the parent makes none of them unless it reads them. Indexing or iterating
    still gives :class:`Span` objects, and a Spans equals the list of the same Spans.
    """

    __slots__ = ("ends", "starts")

    def __init__(self, starts: Iterable[int] = (), ends: Iterable[int] = ()) -> None:
        self.starts = array("q", starts)
        self.ends = array("q", ends)
        if len(self.starts) != len(self.ends):
            raise ValueError("Spans: starts and ends must have one entry per span")

    @classmethod
    def of(cls, spans: Iterable[Span]) -> Spans:
        """Spans from Span objects (in the order given)."""
        return cls.of_pairs((s.start, s.end) for s in spans)

    @classmethod
    def of_pairs(cls, pairs: Iterable[Sequence[int]]) -> Spans:
        """Spans from ``(start, end)`` pairs (in the order given)."""
        pairs = list(pairs)
        return cls((a for a, _ in pairs), (b for _, b in pairs))

    def __len__(self) -> int:
        return len(self.starts)

    @overload
    def __getitem__(self, i: int) -> Span: ...

    @overload
    def __getitem__(self, i: slice) -> Spans: ...

    def __getitem__(self, i: int | slice) -> Span | Spans:
        if isinstance(i, slice):
            return Spans(self.starts[i], self.ends[i])
        return Span(self.starts[i], self.ends[i])

    def __iter__(self) -> Iterator[Span]:
        return map(Span, self.starts, self.ends)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Spans):
            return self.starts == other.starts and self.ends == other.ends
        if isinstance(other, Sequence) and not isinstance(other, str):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, like a list

    def __reduce__(self) -> tuple[type, tuple[array[int], array[int]]]:
        return Spans, (self.starts, self.ends)  # two arrays: pickled as their bytes

    def __repr__(self) -> str:
        return f"Spans({list(self)!r})"


@pickled_as_fields
@dataclass(slots=True)
class Token:
    """A word from the segmenter; offsets into the clean text, ``pos`` as jieba's tag set."""

    text: str
    start: int
    end: int
    pos: str | None = None


class Tokens(Sequence[Token]):
    """The words of a text, stored column-wise: words, start and end offsets, POS tags.

    An article has a thousand words and a batch millions: one :class:`Token` object per word
    cost more than the segmenting itself. Iterating or indexing still gives :class:`Token`
    objects (a slice gives :class:`Tokens`), so the data model stays "words with offsets and
    POS tags"; ``words``, ``starts``, ``ends`` and ``tags`` (None: no tags) are the columns.

    A segmenter may hand over its words with the whitespace ones still in (``spaced``): they
    are left out of the Token view the first time it is used, and :meth:`word_at` and
    :meth:`ends_at`, which is all that word boundaries need, answer without building it.
    Words are in text order (``starts`` and ``ends`` non-decreasing).
    """

    __slots__ = ("_ends", "_spaced", "_starts", "_tags", "_words")

    def __init__(self, words: list[str] | None = None, starts: list[int] | None = None,
                 ends: list[int] | None = None, tags: list[str | None] | None = None,
                 spaced: bool = False) -> None:
        self._words: list[str] = words if words is not None else []
        self._starts: list[int] = starts if starts is not None else []
        self._ends: list[int] = ends if ends is not None else []
        self._tags = tags
        self._spaced = spaced
        if not len(self._words) == len(self._starts) == len(self._ends) or \
                (tags is not None and len(tags) != len(self._words)):
            raise ValueError("Tokens: words, starts, ends and tags must have one entry per word")

    @classmethod
    def of(cls, tokens: Iterable[Token]) -> Tokens:
        """Tokens from Token objects (put in text order)."""
        toks = sorted(tokens, key=lambda t: (t.start, t.end))
        tags = [t.pos for t in toks]
        return cls([t.text for t in toks], [t.start for t in toks], [t.end for t in toks],
                   tags if any(p is not None for p in tags) else None)

    # -- the columns (whitespace words dropped on first use) ---------------------------
    def _ready(self) -> None:
        """Make the Token view: drop the whitespace words (a subclass may cut first)."""
        if not self._spaced:
            return
        self._spaced = False
        space = list(map(str.isspace, self._words))
        if True in space:
            keep = list(map(not_, space))
            self._words = list(compress(self._words, keep))
            self._starts = list(compress(self._starts, keep))
            self._ends = list(compress(self._ends, keep))
            if self._tags is not None:
                self._tags = list(compress(self._tags, keep))

    @property
    def words(self) -> list[str]:
        self._ready()
        return self._words

    @property
    def starts(self) -> list[int]:
        self._ready()
        return self._starts

    @property
    def ends(self) -> list[int]:
        self._ready()
        return self._ends

    @property
    def tags(self) -> list[str | None] | None:
        self._ready()
        return self._tags

    # -- word boundaries ---------------------------------------------------------------
    def _hidden(self, k: int) -> bool:
        return self._spaced and self._words[k].isspace()

    def word_at(self, pos: int) -> int | None:
        """The end of the word that begins at ``pos`` (the last one if several), or None."""
        starts = self._starts
        k = bisect.bisect_right(starts, pos) - 1
        while k >= 0 and starts[k] == pos:
            if not self._hidden(k):
                return self._ends[k]
            k -= 1
        return None

    def ends_at(self, pos: int) -> bool:
        """Whether a word ends at ``pos``."""
        ends = self._ends
        k = bisect.bisect_left(ends, pos)
        while k < len(ends) and ends[k] == pos:
            if not self._hidden(k):
                return True
            k += 1
        return False

    # -- the sequence of Token ---------------------------------------------------------
    def __len__(self) -> int:
        return len(self.words)

    def __bool__(self) -> bool:
        if self._spaced:
            return not all(map(str.isspace, self._words))
        self._ready()
        return bool(self._words)

    @overload
    def __getitem__(self, i: int) -> Token: ...

    @overload
    def __getitem__(self, i: slice) -> Tokens: ...

    def __getitem__(self, i: int | slice) -> Token | Tokens:
        tags = self.tags
        if isinstance(i, slice):
            return Tokens(self._words[i], self._starts[i], self._ends[i],
                          tags[i] if tags is not None else None)
        return Token(self._words[i], self._starts[i], self._ends[i], tags[i] if tags is not None else None)

    def __iter__(self) -> Iterator[Token]:
        tags = self.tags
        return map(Token, self._words, self._starts, self._ends, tags if tags is not None else repeat(None))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, like a list

    def __repr__(self) -> str:
        return f"Tokens({list(self)!r})"


def attr(default: Any = MISSING, *, fact: str | tuple[str, ...] | None = "", default_factory: Any = MISSING,
         integral: bool = False) -> Any:
    """A mention field, declared with where it goes in the dataset.

    ``fact`` names the column(s) of ``facts.*`` the field fills: by default the column of its
    own name (a new field gets a new column, typed from its annotation), ``None`` for none.
    ``integral``: an integral float is written as an int in the article record (48.9万 is
    489000, not 489000.0). Whether a field is in the article record of CONTRACT.md, and where,
    is its class's ``RECORD``.
    """
    meta: dict[str, Any] = {"integral": integral}
    if fact != "":
        meta["fact"] = (fact,) if isinstance(fact, str) else (fact or ())
    return field(default=default, default_factory=default_factory, metadata=meta)


@pickled_as_fields
@dataclass(slots=True)
class Mention:
    """What every extracted item has: its raw text and raw offsets.

    Each kind declares its fields once, here: ``RECORD`` orders the fields of the article
    record, each field's :func:`attr` says which fact column it fills, and ``FACT_KIND`` is
    the ``kind`` of its fact rows (None: the kind has no fact rows). The record, the facts
    and the cache all derive from these declarations.
    """

    RECORD: ClassVar[tuple[str, ...]] = ("text", "start", "end")
    FACT_KIND: ClassVar[str | None] = None

    text: str
    start: int
    end: int


@dataclass(slots=True)
class MetricMention(Mention):
    """A quantity that reports one metric of ANNOTATION.md (``metric`` is its key)."""

    RECORD: ClassVar[tuple[str, ...]] = (
        "metric", "value", "unit", "text", "start", "end", "qualifier", "per", "region_code", "scope", "date",
        "ref_source", "subject", "extractor", "confidence")
    FACT_KIND: ClassVar[str | None] = "metric"

    metric: str = attr("", fact="key")
    value: float | int = attr(0, integral=True)
    unit: str = ""
    qualifier: str | None = None
    per: str | None = None
    region_code: str | None = None
    #: what whole the figure is of, one of :data:`SCOPES` (set by the metrics extractor;
    #: None in mentions made by hand or read from older builds: the comparison then treats
    #: the figure as before, by ``region_code`` else the article's region)
    scope: str | None = None
    #: the reference date (ISO 8601) the figure is for
    date: str | None = attr(None, fact="ref_date")
    #: where the figure's reference time comes from: ``clause`` or ``sentence`` (a date
    #: mention there before it: that is ``date``), ``published`` (none: the article's
    #: publication date stands in, in the facts' ``published`` and the comparison), else None
    ref_source: str | None = None
    subject: str | None = None
    #: ``rules`` or ``model``: which layer decided the metric
    extractor: str = "rules"
    confidence: float = 1.0
    #: which end of a range or change the figure is (由329万减少到25.5万: ``from``, ``to``);
    #: not in the article record, where each end is simply a figure
    end_of: str | None = None


@dataclass(slots=True)
class ProgrammeMention(Mention):
    """A named programme, model or slogan (``name`` without quotes or kind word)."""

    RECORD: ClassVar[tuple[str, ...]] = ("name", "kind", "headline", "components", "text", "start", "end")
    FACT_KIND: ClassVar[str | None] = "programme"

    name: str = attr("", fact="key")
    kind: str | None = attr(None, fact="programme_kind")
    headline: bool = False
    components: list[str] = field(default_factory=list)


@dataclass(slots=True)
class DateMention(Mention):
    """A calendar time; ``value`` is ISO 8601 (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, ``A/B``)."""

    RECORD: ClassVar[tuple[str, ...]] = ("text", "value", "start", "end")
    FACT_KIND: ClassVar[str | None] = "date"

    value: str | None = attr(None, fact="key")


@dataclass(slots=True)
class RegionMention(Mention):
    """A mention of an administrative division; ``code`` is null when not in the gazetteer."""

    RECORD: ClassVar[tuple[str, ...]] = ("text", "code", "name", "level", "start", "end")
    FACT_KIND: ClassVar[str | None] = "region"

    code: str | None = attr(None, fact=("key", "region_code"))
    name: str | None = attr(None, fact="region_name")
    level: str | None = None


@dataclass(slots=True)
class PersonMention(Mention):
    """An official named with a title (市委书记金育辉): ``title`` and ``name``."""

    RECORD: ClassVar[tuple[str, ...]] = ("name", "title", "text", "start", "end")

    name: str = ""
    title: str = ""


def fact_columns(kind: type[Mention]) -> tuple[tuple[str, tuple[str, ...], str], ...]:
    """``(field, fact columns, column type)`` of each field of a mention kind, in field order.

    The type is the column's in ``facts.*``: ``float``, ``int``, ``bool`` or ``str`` (lists
    are written as text), read off the field's annotation.
    """
    return _fact_columns(kind)


@cache
def _fact_columns(kind: type[Mention]) -> tuple[tuple[str, tuple[str, ...], str], ...]:
    out = []
    for f in fields(kind):
        ann = str(f.type)
        typ = "bool" if ann == "bool" else "float" if "float" in ann else "int" if ann == "int" else "str"
        out.append((f.name, f.metadata.get("fact", (f.name,)), typ))
    return tuple(out)


def record_of(m: Mention) -> dict[str, Any]:
    """A mention as its part of the article record: the fields of its ``RECORD``, in order.

    Lists are copied and an integral float of an ``integral`` field becomes an int; the
    fields that can need either are known from the kind's declarations (:func:`_record_plan`),
    so the others are taken as they are, all at once.
    """
    names, values, fixed = _record_plan(type(m))
    out = dict(zip(names, values(m), strict=True))
    for n, integral in fixed:
        v = out[n]
        if isinstance(v, list):
            out[n] = list(v)
        elif integral and isinstance(v, float) and v.is_integer():
            out[n] = int(v)
    return out


@cache
def _record_plan(kind: type[Mention]) -> tuple[tuple[str, ...], Callable[[Any], tuple[Any, ...]],
                                               tuple[tuple[str, bool], ...]]:
    """``(RECORD, its values as a tuple, (name, integral) of the fields that may need fixing)``:
    an ``integral`` field, or one whose annotation admits a list (or anything)."""
    names = tuple(kind.RECORD)
    integral = _integral_fields(kind)
    types = {f.name: str(f.type) for f in fields(kind)}
    listy = ("list", "List", "Sequence", "Any", "object")
    fixed = tuple((n, n in integral) for n in names
                  if n in integral or any(w in types.get(n, "Any") for w in listy))
    get = attrgetter(*names)
    values = get if len(names) > 1 else (lambda m: (get(m),))
    return names, values, fixed


@cache
def _integral_fields(kind: type[Mention]) -> frozenset[str]:
    return frozenset(f.name for f in fields(kind) if f.metadata.get("integral"))


@pickled_as_fields
@dataclass(slots=True)
class ArticleRegion:
    """The division an article is about, with its hierarchy filled in."""

    code: str
    name: str
    level: str
    province: str | None = None
    city: str | None = None
    county: str | None = None


@pickled_as_fields
@dataclass(slots=True)
class Metadata:
    """Article-level fields. Archive metadata is set by ingest and wins over the text."""

    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    authors: list[str] = field(default_factory=list)
    url: str | None = None


@pickled_as_fields
@dataclass(slots=True)
class Document:
    """One article as it moves through the pipeline."""

    id: str
    path: str
    text: str
    meta: Metadata = field(default_factory=Metadata)
    clean: CleanView | None = None
    tokens: Sequence[Token] = field(default_factory=list)  # a Tokens from segment
    sentences: Sequence[Span] = field(default_factory=list)  # a Spans from segment
    metrics: list[MetricMention] = field(default_factory=list)
    programmes: list[ProgrammeMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    regions: list[RegionMention] = field(default_factory=list)
    documents: list[Mention] = field(default_factory=list)
    people: list[PersonMention] = field(default_factory=list)
    region: ArticleRegion | None = None
    warnings: list[str] = field(default_factory=list)
    duplicate_of: str | None = None
    signature: list[int] | None = None
    #: how likely the article is about poverty alleviation or rural development, in [0, 1]
    #: (extractors/topic.py); None when not scored
    topic: float | None = None

    @property
    def view(self) -> CleanView:
        """The cleaned view, or the raw text as it is when cleaning has not run."""
        if self.clean is None:
            self.clean = CleanView.identity(self.text)
        return self.clean

    def to_record(self) -> dict[str, Any]:
        """The article record of CONTRACT.md (a plain, JSON-ready dict)."""
        return {
            "id": self.id,
            "path": self.path,
            "title": self.meta.title,
            "published": self.meta.published,
            "outlet": self.meta.outlet,
            "authors": list(self.meta.authors),
            "url": self.meta.url,
            "region": _flat_dict(self.region) if self.region else None,
            **{name: [record_of(m) for m in getattr(self, name)] for name, _ in MENTION_LISTS},
            "warnings": list(self.warnings),
            "duplicate_of": self.duplicate_of,
            "topic": self.topic,
        }

    def to_state(self) -> dict[str, Any]:
        """Everything a later stage needs but the raw text, as plain JSON data (the cache
        stores this; :meth:`from_state` is its inverse).

        The raw text is left out: the cache is keyed by it, so whoever reads an entry has it
        already (without it an entry is a third of the size). Tokens are left out
        too (they serve the extractors, which have run), and so is the cleaned text, which is
        rebuilt from the raw text and the offset map. Mentions are stored as their field
        values in field order: the cache key holds the pipeline's version, so an entry is
        never read by code whose mentions have other fields.
        """
        return {
            "id": self.id,
            "path": self.path,
            "meta": _field_values(self.meta),
            "region": _field_values(self.region) if self.region else None,
            "mentions": {name: [_field_values(m) for m in getattr(self, name)] for name, _ in MENTION_LISTS},
            "warnings": self.warnings,
            "duplicate_of": self.duplicate_of,
            "clean_pieces": self.clean.pieces if self.clean else None,
            "sentences": [(s.start, s.end) for s in self.sentences],
            "signature": self.signature,
            "topic": self.topic,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any], text: str) -> Document:
        """The document :meth:`to_state` stored, given its raw ``text``."""
        mentions = state["mentions"]
        doc = cls(
            id=state["id"], path=state["path"], text=text,
            meta=Metadata(*state["meta"]),
            region=ArticleRegion(*state["region"]) if state["region"] else None,
            sentences=Spans.of_pairs(state["sentences"]),
            warnings=list(state["warnings"]),
            duplicate_of=state["duplicate_of"],
            signature=state["signature"],
            topic=state["topic"],
        )
        for name, kind in MENTION_LISTS:
            setattr(doc, name, [kind(*values) for values in mentions[name]])
        pieces = state["clean_pieces"]
        if pieces is not None:
            norm = normalise(text)
            doc.clean = CleanView("".join(norm[r0:r0 + n] for _, r0, n in pieces),
                                  [tuple(p) for p in pieces])  # type: ignore[misc]
        return doc


#: The lists of mentions a document carries, and the class of their items.
MENTION_LISTS: tuple[tuple[str, type[Mention]], ...] = (
    ("metrics", MetricMention), ("programmes", ProgrammeMention), ("dates", DateMention),
    ("regions", RegionMention), ("documents", Mention), ("people", PersonMention),
)


def _flat_dict(obj: Any) -> dict[str, Any]:
    """``asdict(obj)`` of a dataclass whose fields all hold plain values (str, numbers,
    None), without ``asdict``'s deep copy of each one."""
    return dict(zip(_field_names(type(obj)), _all_values(type(obj))(obj), strict=True))


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


@cache
def _all_values(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    names = _field_names(cls)
    return attrgetter(*names) if len(names) > 1 else (lambda obj: (getattr(obj, names[0]),))


def _field_values(obj: Any) -> tuple[Any, ...]:
    """A dataclass's field values in the order its class takes them."""
    return _init_values(type(obj))(obj)
