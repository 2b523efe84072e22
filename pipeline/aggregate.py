"""The cross-region comparison table, built from fact rows alone, one row at a time.

:class:`Aggregator` takes the fact rows of :mod:`pipeline.facts` as they stream past (it
never holds a document, and what it keeps grows with regions x metrics x distinct values,
not with articles) and gives a :class:`Comparison`: one row per region, one column per
metric (a rate, i.e. a metric with ``per``, gets its own column ``<metric>_per_<per>``, so
rates and totals never share one) followed by the year of its value (``<column>_year``: the
year of the chosen mention's reference date, see rule 2 below) and where that year comes from
(``<column>_year_source``: ``text`` when the article dates the figure, ``published`` when only
its publication date does), the programmes (headline ones first), the publication
dates covered and the articles behind the row.

A near-duplicate article (``duplicate_of`` set: a syndicated copy) adds nothing: its facts
are in the fact files but a copy is not a second source, so the table leaves it out. Nor does
an article off the topic (its ``topic`` score below the threshold of
``extractors/data/topic.yaml``: a film festival's eight artists are not a county's cadres),
unless the aggregator is made with ``all_topics``; an article without a score is kept.

Which row a metric goes to: the region it is attached to (``region_code``) when it has one,
else the article's region; a metric with neither is counted as unassigned and left out. A
figure of the whole country (全国, 我国: the metrics extractor attaches it to
:data:`~policy_ie.text.document.NATIONAL_CODE`) goes to one national row, 全国, never to the
row of the article's county. A figure whose ``scope`` says it is of no division the table
has (``world``, ``narrower``, ``unknown``: :data:`~policy_ie.text.document.NO_ROW_SCOPES`)
goes to no row, not even the article's: it is counted by scope (:attr:`Comparison.out_of_scope`)
and stays in the facts. A fact row without a scope (made by hand, or an older build's
facts) is placed as before scopes existed: by ``region_code``, else the article's region.

One value per cell, by this rule (the first difference decides):

1. reported figures before planned ones (qualifier ``planned``: targets are not states);
2. the latest reference date: the metric's own ``date`` (the end of a range), else the
   article's publication date (ISO strings compared as text: ``2016`` < ``2016-06``);
   of a change or a range, the end the text reaches (由近70%降至0.77%: 0.77) before the
   one it starts from;
3. totals before parts: a figure for the whole region before one narrowed to a group
   (``subject`` set);
4. the higher extractor confidence;
5. the larger value (of two figures otherwise alike, the total contains the part);
6. the first seen, in input order.

Before the rule chooses, a value outside the plausible bounds of its metric for the row's level
(data/plausible.yaml: a county has no poor counties, a village no 9,899万 poor people) or whose
every mention a reviewer rejected (``Aggregator(verdicts=…)``, :mod:`pipeline.verdicts`) is left
out: the rule chooses among the others, and a cell with none is empty. Such values stay in the
cell's state and the drill-down, marked (``check``), and each metric column gets
``<column>_review``, the reasons to look at the cell (:data:`~pipeline.cellcheck.REVIEW_CODES`).
None of this is stored: it is derived from the cells' additive state when the table is made
(:mod:`pipeline.cellcheck`), so partial cells merged give the same table.

The other values of a cell are kept: every distinct value with its number of mentions and
articles and the best mention that gives it is a row of :attr:`Comparison.sources` (the
drill-down, ``chosen`` marks the cell's value), and the row's ``conflicts`` column counts
the distinct values of each cell that has more than one. Those rows are made when they are
read (:class:`Sources`), from the cells the aggregator keeps anyway, so the drill-down of a
large archive is never held as a whole.

The panel (:attr:`Comparison.panel`) is the same table by year: each cell is kept a second
time per year of reference date (the year of rule 2's date), and the same rule chooses that
year's value; what it keeps grows with regions x metrics x years x distinct values.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from policy_ie.extractors.topic import on_topic
from policy_ie.pipeline.cellcheck import ACCEPTED, checks_of, choice, implausible, review_codes
from policy_ie.pipeline.lineage import HIERARCHY_LEVELS, Resolver, gazetteer_lineage, gazetteer_resolver
from policy_ie.pipeline.partial import merge_aggregators
from policy_ie.pipeline.report.labels import column_label, metric_info, metric_order, per_label
from policy_ie.pipeline.verdicts import ACCEPT, REJECT, Verdicts
from policy_ie.text.document import LEVEL_RANK, NATIONAL_CODE, NATIONAL_LEVEL, NATIONAL_NAME, NO_ROW_SCOPES

#: how many article ids a row lists itself (all are in the facts, by article_region_code)
ARTICLES_LISTED = 20
#: The columns that say which region a row is: its code, name and level, and the divisions
#: above it (for a town, its county, city and province; for a county, its city and province),
#: names and codes, so that every row can be placed without a look-up.
REGION_COLUMNS = ("region_code", "region_name", "province", "level", *HIERARCHY_LEVELS,
                  "province_code", *(f"{lv}_code" for lv in HIERARCHY_LEVELS))
TAIL_COLUMNS = ("programmes", "published", "n_articles", "articles", "conflicts")
#: The columns of the panel (:attr:`Comparison.panel`): a row per region, metric column and year.
PANEL_COLUMNS = ("region_code", "region_name", "column", "metric", "year", "year_source", "value", "n_values",
                 "article_id", "start", "end", "sentence")



@dataclass(frozen=True, slots=True)
class Column:
    """A metric column: a metric key and, for a rate, what it is per."""

    metric: str
    per: str | None = None

    @property
    def key(self) -> str:
        return self.metric if self.per is None else f"{self.metric}_per_{self.per}"

    @property
    def keys(self) -> tuple[str, str, str, str]:
        """The comparison's columns for this metric: its value, its year, the year's source, and
        why a person should look at the cell (:data:`REVIEW_CODES`)."""
        return self.key, f"{self.key}_year", f"{self.key}_year_source", f"{self.key}_review"

    @property
    def labels(self) -> tuple[str, str, str, str]:
        """Chinese names of :attr:`keys`."""
        return (self.label, *(f"{self.label}{column_label(k)}" for k in ("year", "year_source", "review")))

    @property
    def unit(self) -> str:
        return metric_info(self.metric).unit

    @property
    def label(self) -> str:
        """Chinese label, with what a rate is per (``投资额（每年）``)."""
        base = metric_info(self.metric).label
        return base if self.per is None else f"{base}（{per_label(self.per)}）"

    @property
    def main(self) -> bool:
        return metric_info(self.metric).main and self.per is None


@dataclass(slots=True)
class Candidate:
    """One metric mention competing for a cell, with where it came from."""

    value: float
    rank: tuple[Any, ...]
    article_id: str
    start: int
    end: int
    text: str
    sentence: str
    ref_date: str | None
    qualifier: str | None
    subject: str | None
    confidence: float
    published: str | None
    unit: str | None
    #: where it stands in the fact stream (:class:`Aggregator` ``origin``, then a counter): the
    #: sixth rule's "first seen" when partial aggregators are merged (:mod:`pipeline.partial`)
    seq: tuple[int, int] = (0, 0)
    extractor: str = "rules"
    #: a reviewer's verdict on this mention (``accept``, ``reject``; pipeline.verdicts) or None
    verdict: str | None = None


@dataclass(slots=True)
class ValueStat:
    """One distinct value of a cell: how often it is given, and its best mention (one not
    rejected, when there is one). A value all of whose mentions a reviewer rejected is out of
    its cell; one with a mention accepted is in it even outside the plausible bounds."""

    best: Candidate
    mentions: int = 0
    articles: int = 0
    last_article: str | None = None
    first_article: str | None = None
    rejected: int = 0
    accepted: int = 0


@dataclass(slots=True)
class Cell:
    """A (region, column) cell: every distinct value, and the best mention not rejected.

    The state only adds up (counts, and bests by rank): the value shown, whether a value is
    implausible for the row's level and the review codes are not stored but derived when the
    table is made (:func:`choice`, :func:`value_check`, :func:`review_codes`), from
    :attr:`values` and the row's level, so a cell merged from parts gives the same answers.
    An implausible value stays in :attr:`values` and is only passed over by the choice.
    """

    best: Candidate | None = None  # by rank among every mention not rejected, plausible or not
    values: dict[float, ValueStat] = field(default_factory=dict)


@dataclass(slots=True)
class ProgrammeStat:
    """A programme in a region's articles."""

    articles: int = 0
    headline: int = 0
    last_article: str | None = None
    last_headline: bool = False
    source: tuple[str, int, int, str] | None = None  # article, start, end, text
    source_headline: bool = False
    first_article: str | None = None
    first_headline: bool = False  # the first article had a headline mention (for merging)


@dataclass(slots=True)
class RowAcc:
    """What a region's row gathers while facts stream past."""

    code: str
    name: str | None = None
    province: str | None = None
    level: str | None = None
    #: province, city and county (name, code) the region lies in or is: HIERARCHY_LEVELS' names
    lineage: dict[str, tuple[str, str]] = field(default_factory=dict)
    n_articles: int = 0
    article_ids: list[str] = field(default_factory=list)
    last_article: str | None = None
    first_article: str | None = None
    #: an article about the region was counted (its name fields were offered), for merging
    described: bool = False
    first_published: str | None = None
    last_published: str | None = None
    cells: dict[Column, Cell] = field(default_factory=dict)
    #: the same cells restricted to one year of reference date: the panel
    years: dict[tuple[Column, int], Cell] = field(default_factory=dict)
    programmes: dict[str, ProgrammeStat] = field(default_factory=dict)


class Sources:
    """The drill-down rows of a :class:`Comparison`, made from the aggregator's cells when read.

    Iterating gives every row (dicts with :data:`SOURCE_COLUMNS`) in table order: row by row,
    each metric cell's distinct values (the chosen one first, then by the cell rule), then the
    row's programmes. It can be iterated any number of times, and :meth:`cell` gives one cell's
    rows without an index of all of them: nothing here grows with the archive beyond the cells
    themselves. It reads the aggregator's state as it is then: feed no facts after ``result()``.
    """

    def __init__(self, accs: list[RowAcc], columns: list[Column]) -> None:
        self._accs = accs
        self._columns = columns
        self._by_code = {acc.code: acc for acc in accs}
        self._by_key = {col.key: col for col in columns}

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for acc in self._accs:
            for col in self._columns:
                yield from _cell_sources(acc, col)
            yield from _programme_sources(acc)

    def panel(self) -> Iterator[dict[str, Any]]:
        """The panel: per region, metric column and year of reference date, the value the cell
        rule chooses among that year's mentions (dicts with :data:`PANEL_COLUMNS`), in table
        order, years ascending. Made when read from the aggregator's cells, like the other rows."""
        order = {col: i for i, col in enumerate(self._columns)}
        for acc in self._accs:
            for (col, year), cell in sorted(acc.years.items(), key=lambda kv: (order[kv[0][0]], kv[0][1])):
                c, n_values = choice(cell, col, acc.level)
                if c is None:
                    continue
                yield {"region_code": acc.code, "region_name": acc.name, "column": col.key, "metric": col.metric,
                       "year": year, "year_source": year_of(c)[1], "value": c.value,
                       "n_values": n_values, "article_id": c.article_id, "start": c.start,
                       "end": c.end, "sentence": c.sentence}

    def cell(self, region_code: str, column: str) -> list[dict[str, Any]]:
        """The rows of one metric cell (empty for an empty cell or an unknown region or column)."""
        acc, col = self._by_code.get(region_code), self._by_key.get(column)
        return [] if acc is None or col is None else list(_cell_sources(acc, col))


@dataclass
class Comparison:
    """The comparison table: columns, rows, and the drill-down of every cell."""

    columns: list[Column]
    rows: list[dict[str, Any]]
    sources: Sources
    unassigned: int = 0
    duplicates: int = 0
    #: metrics left out because of their scope, by scope (world, narrower, unknown)
    out_of_scope: dict[str, int] = field(default_factory=dict)

    @property
    def header(self) -> list[str]:
        """Column keys of :attr:`rows`, in order."""
        return [*REGION_COLUMNS, *(k for c in self.columns for k in c.keys), *TAIL_COLUMNS]

    def labelled_header(self) -> list[str]:
        """Readable headers: Chinese name and machine key (``贫困人口 poor_population``)."""
        out = [f"{column_label(k)} {k}" for k in REGION_COLUMNS]
        out += [f"{label} {k}" for c in self.columns for label, k in zip(c.labels, c.keys, strict=True)]
        out += [f"{column_label(k)} {k}" for k in TAIL_COLUMNS]
        return out

    def cell_sources(self, region_code: str, column: str) -> list[dict[str, Any]]:
        """The drill-down of a metric cell: each distinct value, the chosen one first."""
        return self.sources.cell(region_code, column)

    @property
    def panel(self) -> Iterator[dict[str, Any]]:
        """The panel (see :meth:`Sources.panel`)."""
        return self.sources.panel()

    def chosen(self, region_code: str, column: str) -> dict[str, Any] | None:
        """The source row of the value shown in a metric cell (None for an empty cell)."""
        return next((s for s in self.cell_sources(region_code, column) if s["chosen"]), None)


def _text(v: Any) -> str | None:
    """A string field of a fact row (CSV gives '' and pandas NaN where it is null)."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    s = str(v)
    return s or None


def _num(v: Any, default: float = 0.0) -> float:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return default
    return default if math.isnan(x) else x


def _int(v: Any) -> int:
    return int(_num(v))


def _truthy(v: Any) -> bool:
    return v is True or str(v).lower() in ("true", "1")


def reference_date(ref_date: str | None, published: str | None) -> str:
    """The date a figure is for: its own (the end of a range), else the publication date."""
    d = ref_date or published or ""
    return d.rpartition("/")[2] if "/" in d else d


def _offer(cell: Cell, cand: Candidate) -> bool:
    """Count ``cand`` in ``cell`` by the cell rule; True when it became the cell's best
    mention (before plausibility is judged: see :func:`choice`)."""
    rejected = cand.verdict == REJECT
    became_best = not rejected and (cell.best is None or cand.rank > cell.best.rank)
    if became_best:
        cell.best = cand
    stat = cell.values.get(cand.value)
    if stat is None:
        stat = cell.values[cand.value] = ValueStat(cand, first_article=cand.article_id)
    elif (not rejected, cand.rank) > (stat.best.verdict != REJECT, stat.best.rank):
        stat.best = cand
    stat.mentions += 1
    stat.rejected += rejected
    stat.accepted += cand.verdict == ACCEPT
    if stat.last_article != cand.article_id:
        stat.last_article = cand.article_id
        stat.articles += 1
    return became_best


def year_of(c: Candidate) -> tuple[int | None, str | None]:
    """The year of a chosen mention's reference date and where it comes from: ``text`` (the
    article dates the figure), ``published`` (only its publication date does), (None, None)
    for neither."""
    d = reference_date(c.ref_date, c.published)
    if len(d) < 4 or not d[:4].isdigit():
        return None, None
    return int(d[:4]), "text" if c.ref_date else "published"


def _rank(f: Mapping[str, Any], value: float, ref: str | None, published: str | None) -> tuple[Any, ...]:
    return (
        _text(f.get("qualifier")) != "planned",
        reference_date(ref, published),
        _text(f.get("end_of")) != "from",
        _text(f.get("subject")) is None,
        _num(f.get("confidence"), 1.0),
        value,
    )


class Aggregator:
    """Feed fact rows with :meth:`add` (an article's rows together), then call :meth:`result`.

    Aggregators of consecutive runs of one fact stream merge (:meth:`merge`) into the one that
    would have been fed the whole stream: give each run's aggregator its place as ``origin``
    (0, 1, 2, … in stream order), so that the sixth rule (first seen) is decided by position,
    not by the order of merging.
    """

    def __init__(self, resolver: Resolver | None = None, use_gazetteer: bool = True,
                 verdicts: Verdicts | None = None, all_topics: bool = False, origin: int = 0) -> None:
        self.rows: dict[str, RowAcc] = {}
        #: a reviewer's verdicts, looked up per metric mention (those found are marked in it)
        self.verdicts = verdicts
        self.columns: set[Column] = set()
        self.unassigned = 0
        self.out_of_scope: dict[str, int] = {}  # metrics of no division the table has, by scope
        self.duplicates = 0
        self._last_duplicate: str | None = None
        self._first_duplicate: str | None = None
        self.all_topics = all_topics
        self.off_topic = 0  # articles left out for their topic score
        self._last_off_topic: str | None = None
        self._first_off_topic: str | None = None
        self.seen_names: dict[str, tuple[str | None, str | None]] = {}  # code -> name, level
        self._resolver = resolver
        self._use_gazetteer = use_gazetteer and resolver is None
        self.origin = origin
        self._count = 0  # rows fed: with origin, the position of the next one
        self.first_seq: tuple[int, int] | None = None  # of the first row fed (None: none yet)

    # -- feeding ----------------------------------------------------------------------
    def _next(self) -> None:
        """Move the stream position on by one row."""
        self._count += 1
        if self.first_seq is None:
            self.first_seq = (self.origin, self._count)

    @property
    def _seq(self) -> tuple[int, int]:
        return self.origin, self._count

    def _is_duplicate(self, fact: Mapping[str, Any]) -> bool:
        if _text(fact.get("duplicate_of")) is None:
            return False
        aid = str(fact.get("article_id"))
        if aid != self._last_duplicate:
            self._last_duplicate = aid
            self.duplicates += 1
            if self._first_duplicate is None:
                self._first_duplicate = aid
        return True

    def _is_off_topic(self, fact: Mapping[str, Any]) -> bool:
        topic = _text(fact.get("topic"))
        if self.all_topics or on_topic(None if topic is None else float(topic)):
            return False
        aid = str(fact.get("article_id"))
        if aid != self._last_off_topic:
            self._last_off_topic = aid
            self.off_topic += 1
            if self._first_off_topic is None:
                self._first_off_topic = aid
        return True

    def add_article(self, fact: Mapping[str, Any]) -> None:
        """Count an article in its region's row (fields of a fact row's article part)."""
        self._next()
        self._add_article(fact)

    def _add_article(self, fact: Mapping[str, Any]) -> None:
        code = _text(fact.get("article_region_code"))
        if code is None or self._is_duplicate(fact) or self._is_off_topic(fact):
            return
        row = self._row(code)
        row.described = True
        if row.name is None:
            row.name = _text(fact.get("article_region_name"))
            row.province = _text(fact.get("article_province"))
            row.level = _text(fact.get("article_level"))
        self._count_article(row, fact)

    def add(self, fact: Mapping[str, Any]) -> bool:
        """Take one fact row into the table; True when it became the value of a cell."""
        self._next()
        if self._is_duplicate(fact) or self._is_off_topic(fact):
            return False
        self._add_article(fact)
        kind = fact.get("kind")
        if kind == "metric":
            return self._add_metric(fact)
        if kind == "programme":
            self._add_programme(fact)
        elif kind == "region":
            code = _text(fact.get("region_code"))
            if code and code not in self.seen_names:
                self.seen_names[code] = (_text(fact.get("region_name")), _text(fact.get("level")))
        return False

    def add_all(self, facts: Iterable[Mapping[str, Any]]) -> Aggregator:
        """Take every fact row of an iterable; returns self."""
        for f in facts:
            self.add(f)
        return self

    def _row(self, code: str) -> RowAcc:
        row = self.rows.get(code)
        if row is None:
            row = self.rows[code] = RowAcc(code)
        return row

    @staticmethod
    def _count_article(row: RowAcc, fact: Mapping[str, Any]) -> None:
        aid = str(fact.get("article_id"))
        if row.last_article == aid:
            return
        row.last_article = aid
        if row.first_article is None:
            row.first_article = aid
        row.n_articles += 1
        if len(row.article_ids) < ARTICLES_LISTED:
            row.article_ids.append(aid)
        pub = _text(fact.get("published"))
        if pub:
            if row.first_published is None or pub < row.first_published:
                row.first_published = pub
            if row.last_published is None or pub > row.last_published:
                row.last_published = pub

    def _add_metric(self, f: Mapping[str, Any]) -> bool:
        scope = _text(f.get("scope"))
        if scope in NO_ROW_SCOPES:  # the world's, a village's the text cannot place, elsewhere
            self.out_of_scope[scope] = self.out_of_scope.get(scope, 0) + 1
            return False
        code = _text(f.get("region_code")) or _text(f.get("article_region_code"))
        if code is None:
            self.unassigned += 1
            return False
        row = self._row(code)
        self._count_article(row, f)
        col = Column(str(f.get("key")), _text(f.get("per")))
        self.columns.add(col)
        value = _num(f.get("value"))
        ref, pub = _text(f.get("ref_date")), _text(f.get("published"))
        cand = Candidate(
            value=value, rank=_rank(f, value, ref, pub), article_id=str(f.get("article_id")),
            start=_int(f.get("start")), end=_int(f.get("end")), text=str(f.get("text") or ""),
            sentence=str(f.get("sentence") or ""), ref_date=ref, qualifier=_text(f.get("qualifier")),
            subject=_text(f.get("subject")), confidence=_num(f.get("confidence"), 1.0),
            published=pub, unit=_text(f.get("unit")), seq=self._seq,
            extractor=_text(f.get("extractor")) or "rules",
        )
        if self.verdicts is not None:
            cand.verdict = self.verdicts.lookup(cand.article_id, cand.start, cand.end, value)
        cell = row.cells.get(col)
        if cell is None:
            cell = row.cells[col] = Cell()
        year = year_of(cand)[0]
        if year is not None:
            _offer(row.years.setdefault((col, year), Cell()), cand)
        return _offer(cell, cand)

    def _add_programme(self, f: Mapping[str, Any]) -> None:
        code = _text(f.get("article_region_code"))
        name = _text(f.get("key"))
        if code is None or name is None:
            return
        row = self._row(code)
        p = row.programmes.get(name)
        if p is None:
            p = row.programmes[name] = ProgrammeStat()
        headline = _truthy(f.get("headline"))
        aid = str(f.get("article_id"))
        if p.last_article != aid:
            p.last_article, p.last_headline = aid, False
            p.articles += 1
            if p.first_article is None:
                p.first_article = aid
        if headline and not p.last_headline:
            p.headline += 1
            p.last_headline = True
            p.first_headline |= p.articles == 1
        if p.source is None or (headline and not p.source_headline):
            p.source = (aid, _int(f.get("start")), _int(f.get("end")), str(f.get("text") or ""))
            p.source_headline = headline

    # -- merging ----------------------------------------------------------------------
    def merge(self, other: Aggregator) -> Aggregator:
        """Take in ``other``, the aggregator of the run of the stream just before or just after
        this one's (either order; ``other`` is consumed); returns self (see :mod:`pipeline.partial`)."""
        merge_aggregators(self, other, ARTICLES_LISTED)
        return self

    # -- result -----------------------------------------------------------------------
    def _fill_names(self) -> None:
        resolver = self._resolver
        if resolver is None and self._use_gazetteer:
            resolver = gazetteer_resolver()
        lineage = gazetteer_lineage() if self._use_gazetteer else None
        for row in self.rows.values():
            if lineage is not None:
                row.lineage = lineage(row.code)
            if row.name and row.level:
                continue
            name = level = province = None
            if row.code == NATIONAL_CODE:  # the whole country's figures: one national row
                name, level = NATIONAL_NAME, NATIONAL_LEVEL
            elif resolver is not None:
                name, level, province = resolver(row.code)
            if name is None and row.code in self.seen_names:
                name, level = self.seen_names[row.code]
            row.name = row.name or name or row.code
            row.level = row.level or level
            row.province = row.province or province or (row.name if row.level == "province" else None)

    def result(self) -> Comparison:
        """The comparison table and its drill-down."""
        self._fill_names()
        columns = sorted(self.columns, key=lambda c: (metric_order(c.metric), c.per or ""))
        ordered = sorted(self.rows.values(), key=lambda r: (r.code != NATIONAL_CODE, r.province or "~",
                                                            LEVEL_RANK.get(r.level or "", 9), r.code))
        rows = [self._row_dict(acc, columns) for acc in ordered]
        return Comparison(columns, rows, Sources(ordered, columns), self.unassigned, self.duplicates,
                          dict(sorted(self.out_of_scope.items())))

    @staticmethod
    def _row_dict(acc: RowAcc, columns: list[Column]) -> dict[str, Any]:
        row: dict[str, Any] = {"region_code": acc.code, "region_name": acc.name,
                               "province": acc.province, "level": acc.level}
        for lv in HIERARCHY_LEVELS:
            row[lv] = acc.lineage[lv][0] if lv in acc.lineage else None
        row["province_code"] = acc.lineage["province"][1] if "province" in acc.lineage else None
        for lv in HIERARCHY_LEVELS:
            row[f"{lv}_code"] = acc.lineage[lv][1] if lv in acc.lineage else None
        conflicts = []
        for col in columns:
            cell = acc.cells.get(col)
            checks = checks_of(cell, col, acc.level) if cell else {}
            best, n_values = choice(cell, col, acc.level, checks) if cell else (None, 0)
            row[col.key] = best.value if best else None
            row[f"{col.key}_year"], row[f"{col.key}_year_source"] = year_of(best) if best else (None, None)
            row[f"{col.key}_review"] = (review_codes(cell, col, acc.level, checks, (best, n_values))
                                        if cell else None)
            if n_values > 1:
                conflicts.append(f"{col.key}:{n_values}")
        progs = sorted(acc.programmes.items(), key=lambda kv: (-kv[1].headline, -kv[1].articles, kv[0]))
        row["programmes"] = "；".join(name for name, _ in progs) or None
        first, last = acc.first_published, acc.last_published
        row["published"] = None if first is None else (first if first == last else f"{first}/{last}")
        row["n_articles"] = acc.n_articles
        more = acc.n_articles - len(acc.article_ids)
        row["articles"] = " ".join(acc.article_ids) + (f" …(+{more})" if more > 0 else "")
        row["conflicts"] = "; ".join(conflicts) or None
        return row


def _cell_sources(acc: RowAcc, col: Column) -> Iterator[dict[str, Any]]:
    """The drill-down rows of one metric cell: its distinct values, best mention first."""
    cell = acc.cells.get(col)
    if cell is None or not cell.values:
        return
    checks = checks_of(cell, col, acc.level)
    chosen, n_values = choice(cell, col, acc.level, checks)
    stats = sorted(cell.values.values(), key=lambda s: (s.best is chosen, checks[s.best.value] is None,
                                                        s.best.rank), reverse=True)
    for s in stats:
        c = s.best
        check = checks[c.value]
        if check is None and s.accepted:
            why = implausible(col.key, col.metric, acc.level, c.value)
            check = ACCEPTED + (f" ({why})" if why else "")
        yield {
            "region_code": acc.code, "region_name": acc.name, "column": col.key,
            "metric": col.metric, "per": col.per, "value": c.value, "unit": c.unit,
            "chosen": c is chosen, "check": check, "n_values": n_values, "mentions": s.mentions,
            "articles": s.articles, "article_id": c.article_id, "start": c.start,
            "end": c.end, "text": c.text, "sentence": c.sentence, "ref_date": c.ref_date,
            "published": c.published, "qualifier": c.qualifier, "subject": c.subject,
            "confidence": c.confidence,
        }


def _programme_sources(acc: RowAcc) -> Iterator[dict[str, Any]]:
    """The drill-down rows of a row's programmes: each with the mention that names it."""
    progs = sorted(acc.programmes.items(), key=lambda kv: (-kv[1].headline, -kv[1].articles, kv[0]))
    for name, p in progs:
        if p.source is None:
            continue
        aid, start, end, text = p.source
        yield {
            "region_code": acc.code, "region_name": acc.name, "column": "programmes",
            "metric": None, "per": None, "value": name, "unit": None, "chosen": True, "check": None,
            "n_values": len(progs), "mentions": None, "articles": p.articles,
            "article_id": aid, "start": start, "end": end, "text": text, "sentence": None,
            "ref_date": None, "published": None, "qualifier": None, "subject": None,
            "confidence": None,
        }


SOURCE_COLUMNS = ("region_code", "region_name", "column", "metric", "per", "value", "unit", "chosen", "check",
                  "n_values", "mentions", "articles", "article_id", "start", "end", "text", "sentence",
                  "ref_date", "published", "qualifier", "subject", "confidence")


def compare(facts: Iterable[Mapping[str, Any]], resolver: Resolver | None = None,
            use_gazetteer: bool = True, verdicts: Verdicts | None = None,
            all_topics: bool = False) -> Comparison:
    """The comparison table of a stream of fact rows."""
    return Aggregator(resolver, use_gazetteer, verdicts, all_topics).add_all(facts).result()
