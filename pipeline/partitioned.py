"""The work of a distributed build, one partition of the input at a time (:mod:`pipeline.distributed`).

The input is cut into partitions (:func:`plan`): runs of consecutive lines of a plain JSONL
archive (byte ranges, found by counting line breaks), or runs of whole files. A worker reads
its partition itself, so no article passes through the client. Per partition:

1. :func:`part_signatures`: each article's MinHash signature (cleaning only, no extraction);
   the near-duplicate step groups their LSH band keys (:func:`band_rows`, :func:`pairs_in_group`)
   and decides, in input order, which article is a copy of which (:func:`resolve`). This is the
   step with everything in memory, the reference: the build runs :mod:`pipeline.neardup`'s,
   which keeps the signatures and the copies on disk and decides by the same rule;
2. :func:`write_part`: each article processed, its ``duplicate_of`` set, then turned into the
   dataset's rows: the article records (``articles.jsonl`` lines), the fact rows (a Parquet file
   and ``facts.csv`` lines), the database's article rows (Parquet), the articles the report may
   show and the programme records of its registry, and a partial
   :class:`~pipeline.aggregate.Aggregator` of the partition (``origin``: its number; with the
   build's verdicts and topic filter, as one process's aggregator has them);
3. :func:`assemble_facts`, :func:`assemble_articles`, :func:`assemble_database`,
   :func:`assemble_report`: the contract's large files from the partitions' files, in order
   (streamed: bytes, Parquet batches, rows), byte for byte what one process writing every
   article in turn (:func:`pipeline.dataset.write_dataset`) writes; :func:`assemble_tables`
   and :func:`assemble_report` put the build's provenance in, with the whole build's count of
   articles. :func:`assemble_merged` runs the three that read the merged aggregator in one
   task, from one result of it.

An article's place is ``seq``: its partition's number times 2**32 plus its index there.
"""

from __future__ import annotations

import copy
import dataclasses
import io
import json
import os
import pickle
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from policy_ie.pipeline.aggregate import Aggregator, Column, _text
from policy_ie.pipeline.codebook import Provenance
from policy_ie.pipeline.database import ARTICLE_COLUMNS, DatabaseSink, article_row
from policy_ie.pipeline.dataset import FACT_SCHEMA, ROW_GROUP, _FactSink, _programme_record, _registry, _serialised
from policy_ie.pipeline.dedupe import NUM_PERM, THRESHOLD, band_keys, signature
from policy_ie.pipeline.ingest import InputFile, iter_documents
from policy_ie.pipeline.options import Options
from policy_ie.pipeline.verdicts import Verdict, Verdicts
from policy_ie.text.document import Document

ARTICLE_SCHEMA = pa.schema([(c, pa.float64() if c == "topic" else pa.string()) for c in ARTICLE_COLUMNS])
#: an article's place: partition number << SHIFT | index in the partition
SHIFT = 32
#: fact rows read at a time when the facts and the database are put together (for the database,
#: an eighth as many articles)
DB_BATCH = 2048


@dataclass(frozen=True, slots=True)
class Part:
    """One partition: files read whole, or one byte range of a plain JSONL file (``span``:
    start, end, number of the line before the start). ``files`` lists the folder's manifests
    first, so that the metadata they give applies in the worker as in one process."""

    index: int
    files: tuple[InputFile, ...]
    span: tuple[int, int, int] | None = None


def _plain_jsonl(f: InputFile) -> bool:
    from policy_ie.pipeline.ingest.readers import _wide_encoding, is_manifest

    if f.skip is not None or f.path.suffix.lower() != ".jsonl" or is_manifest(f.path):
        return False
    with f.path.open("rb") as fh:
        return _wide_encoding(fh.read(4)) is None


def _line_starts(path: Path, every: int, block: int = 1 << 23) -> Iterator[tuple[int, int]]:
    """(byte offset, line number before it) of every ``every``-th line start of a file after the
    first, found with numpy over blocks of the file (no line is decoded)."""
    at = lines = 0
    with path.open("rb") as fh:
        while chunk := fh.read(block):
            ends = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == 10)
            # the line numbers after which a partition starts, within this block
            first = (-lines) % every or every
            for k in range(first - 1, len(ends), every):
                start = at + int(ends[k]) + 1
                yield start, lines + k + 1
            lines += len(ends)
            at += len(chunk)


def plan(files: list[InputFile], rows: int) -> list[Part]:
    """The partitions of ``files``: each plain JSONL archive cut every ``rows`` lines, other
    files grouped in runs of ``rows`` (a table or compressed archive alone)."""
    from policy_ie.pipeline.ingest.names import kind_of
    from policy_ie.pipeline.ingest.readers import is_manifest

    manifests: dict[Path, list[InputFile]] = defaultdict(list)
    for f in files:
        if f.skip is None and f.path.suffix.lower() == ".jsonl" and is_manifest(f.path):
            manifests[f.path.parent].append(f)
    parts: list[Part] = []
    group: list[InputFile] = []

    def close() -> None:
        if group:
            extra = {m.path: m for f in group for m in manifests.get(f.path.parent, [])}
            parts.append(Part(len(parts), (*extra.values(), *group)))
            group.clear()

    for f in files:
        if f.skip is None and f.path.parent in manifests and f in manifests[f.path.parent]:
            continue
        if f.skip is None and _plain_jsonl(f):
            close()
            size = f.path.stat().st_size
            prev = (0, 0)
            for start, line in _line_starts(f.path, rows):
                if start < size:
                    parts.append(Part(len(parts), (f,), (prev[0], start, prev[1])))
                    prev = (start, line)
            parts.append(Part(len(parts), (f,), (prev[0], size, prev[1])))
            continue
        whole = f.skip is None and kind_of(f.path) in ("csv", "tsv", "parquet", "warc", "jsonl")
        if whole:
            close()
        group.append(f)
        if whole or len(group) >= rows:
            close()
    close()
    return parts


def read_part(part: Part, max_bytes: int) -> Iterator[Document]:
    """The Documents of a partition, as one process reading every input would make them."""
    if part.span is None:
        yield from iter_documents([], max_bytes, files=list(part.files))
        return
    from policy_ie.pipeline.ingest.readers import read_jsonl_file

    f = part.files[0]
    yield from read_jsonl_file(f.path, f.shown, max_bytes, part.span)


# -- near-duplicates ----------------------------------------------------------------------------
def signed(part: Part, max_bytes: int,
           keep: Callable[[int], bool] | None = None) -> Iterator[tuple[int, Document, np.ndarray | None]]:
    """Each article of the partition with its index and its signature as 32-bit values: the one
    :func:`pipeline.run.process` gives, of the cleaned text; None for an article without text,
    one that could not be cleaned or signed, or one ``keep`` (told its index before it is
    cleaned) leaves out (:mod:`pipeline.pooled`: one that killed its worker)."""
    from policy_ie.text.clean import clean

    for i, doc in enumerate(read_part(part, max_bytes)):
        sig = None
        if doc.text and (keep is None or keep(i)):
            try:
                clean(doc)
                sig = signature(doc.view.text)
            except Exception:
                sig = None
        yield i, doc, None if sig is None else np.asarray(sig, dtype=np.uint32)


def part_signatures(part: Part, max_bytes: int,
                    keep: Callable[[int], bool] | None = None) -> list[tuple[int, str, bytes]]:
    """(seq, id, signature as packed 32-bit values) of each article of the partition that has one
    (:func:`signed`)."""
    return [((part.index << SHIFT) | i, doc.id, sig.tobytes())
            for i, doc, sig in signed(part, max_bytes, keep) if sig is not None]


def band_rows(item: tuple[int, str, bytes]) -> list[tuple[int, tuple[int, str, bytes]]]:
    """One (band key, article) row per LSH band of an article's signature."""
    sig = np.frombuffer(item[2], dtype=np.uint32).tolist()
    return [(key, item) for key in band_keys(sig)]


def pairs_in_group(group: tuple[int, list[tuple[int, tuple[int, str, bytes]]]]) -> list[tuple[Any, ...]]:
    """The pairs of articles of one band key that are alike enough: (later seq, earlier seq,
    similarity, earlier id, later id)."""
    items = sorted({it[1][0]: it[1] for it in group[1]}.values())
    if len(items) < 2:
        return []
    sigs = [np.frombuffer(it[2], dtype=np.uint32, count=NUM_PERM) for it in items]
    out = []
    for j in range(1, len(items)):
        for i in range(j):
            sim = float(np.mean(sigs[i] == sigs[j]))
            if sim >= THRESHOLD:
                out.append((items[j][0], items[i][0], sim, items[i][1], items[j][1]))
    return out


def resolve(pairs: Iterable[tuple[Any, ...]], id_groups: Iterable[tuple[str, list[int]]]) -> dict[int, str]:
    """seq -> the id of the article it is a near-copy of, by :class:`pipeline.dedupe.Deduplicator`'s
    rule in input order: the most similar earlier article that is not itself a copy (the first
    on a tie); an article whose id an earlier original has is never an original. Only articles
    in a pair or sharing an id are looked at: every other one is an original."""
    cands: dict[int, dict[int, tuple[float, str]]] = defaultdict(dict)
    pairs, id_groups = _flat(pairs), _flat(id_groups)
    for later, earlier, sim, earlier_id, _ in pairs:
        cands[later][earlier] = (sim, earlier_id)
    shared = {seq: aid for aid, seqs in id_groups for seq in seqs}
    looked = sorted(set(cands) | {e for c in cands.values() for e in c} | set(shared))
    original: dict[int, bool] = {}
    known: set[str] = set()
    dups: dict[int, str] = {}
    for seq in looked:
        best: tuple[float, int] | None = None
        for earlier, (sim, _) in cands.get(seq, {}).items():
            if original.get(earlier, True) and (best is None or (sim, -earlier) > best):
                best = (sim, -earlier)
        if best is not None:
            dups[seq], original[seq] = cands[seq][-best[1]][1], False
            continue
        aid = shared.get(seq)
        original[seq] = aid is None or aid not in known
        if aid is not None and original[seq]:
            known.add(aid)
    return dups


def _flat(items: Iterable[Any]) -> list[Any]:
    """Items, or the items of lists of them (a bag's partitions as delayed objects)."""
    items = list(items)
    return [x for part in items for x in part] if items and isinstance(items[0], list) else items


# -- one partition's rows -----------------------------------------------------------------------
@dataclass
class PartResult:
    """What a partition wrote, and its partial aggregator."""

    index: int
    folder: str
    articles: int = 0
    facts: int = 0
    processed: int = 0
    duplicates: int = 0
    read: int = 0
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)
    agg: Aggregator | None = None

    def path(self, name: str) -> Path:
        return Path(self.folder) / name

    def meta(self) -> PartResult:
        """This result without its aggregator (what the assembling tasks need of it)."""
        return dataclasses.replace(self, agg=None)

    def counts(self) -> PartResult:
        """Its counts and warnings only (what the client needs of it)."""
        return dataclasses.replace(self, agg=None)

    def shown(self) -> ShownPart:
        """What it keeps for the report (:class:`ShownPart`), read back from its file."""
        with open(self.path(part_name("report", self.index, "pkl")), "rb") as fh:
            return ShownPart(*pickle.load(fh))  # this build's own temporary file


@dataclass
class ShownPart:
    """A partition's bookkeeping for the report, written beside its rows (``report/part-N.pkl``)
    rather than carried with its result: the assembling task reads one partition's at a time, so
    what it holds does not grow with the partitions (:func:`report_ids`)."""

    #: the articles it keeps for the report: (id, offset, length) in its ``shown.jsonl``
    shown: list[tuple[str, int, int]] = field(default_factory=list)
    #: each figure that became its cell's value when fed (article, cell, rank), then the cells'
    #: values at the end: whether it became the value in the whole stream too (report_ids)
    cited: list[tuple[str, tuple[str, str], tuple[Any, ...]]] = field(default_factory=list)
    bests: dict[tuple[str, str], tuple[Any, ...]] = field(default_factory=dict)


def part_name(kind: str, index: int, suffix: str) -> str:
    return f"{kind}/part-{index:05d}.{suffix}"


def write_part(part: Part, dups: Mapping[int, str] | Any, folder: str, options: Options, max_bytes: int,
               time_limit: float | None, report_cap: int, verdicts: Verdicts | None = None,
               all_topics: bool = False, process_one: Callable[[int, Document], Document] | None = None) -> PartResult:
    """Process a partition's articles and write its rows under ``folder`` (see the module doc);
    ``dups``: seq -> the original's id of the copies, or the copies on disk
    (:class:`pipeline.neardup.SpilledDups`); ``verdicts`` and ``all_topics`` as
    :func:`pipeline.dataset.write_dataset` takes them; ``process_one(index, doc)``, when given,
    processes each article instead of :func:`pipeline.run.process` (:mod:`pipeline.pooled`: with
    the cache)."""
    from policy_ie.pipeline.report.render import shown_article
    from policy_ie.pipeline.run import process

    if hasattr(dups, "for_part"):  # on disk (pipeline.neardup.SpilledDups): this partition's
        dups = dups.for_part(part.index)
    out = PartResult(part.index, folder, agg=Aggregator(verdicts=verdicts, all_topics=all_topics,
                                                        origin=part.index))
    agg = out.agg
    assert agg is not None
    kept = ShownPart()
    base = Path(folder)
    for kind in ("facts", "articles", "csv", "lines", "shown", "programmes", "report"):
        (base / kind).mkdir(parents=True, exist_ok=True)
    with (open(base / part_name("facts", part.index, "parquet"), "wb") as fp,
          open(base / part_name("csv", part.index, "csv"), "w", encoding="utf-8", newline="") as fc,
          open(base / part_name("lines", part.index, "jsonl"), "wb") as lines,
          open(base / part_name("shown", part.index, "jsonl"), "wb") as shown,
          open(base / part_name("programmes", part.index, "jsonl"), "wb") as progs):
        sink = _FactSink(fp, fc)
        articles: list[tuple[Any, ...]] = []
        writer = pq.ParquetWriter(base / part_name("articles", part.index, "parquet"), ARTICLE_SCHEMA)
        shown_ids: set[str] = set()
        for i, doc in enumerate(read_part(part, max_bytes)):
            doc = process(doc, options, time_limit) if process_one is None else process_one(i, doc)
            out.processed += 1
            doc.duplicate_of = dups.get((part.index << SHIFT) | i)
            out.duplicates += doc.duplicate_of is not None
            if doc.warnings and not doc.text:
                out.skipped += 1
            else:
                out.read += 1
            out.warnings.extend(doc.warnings)
            record, fields, facts = _serialised(doc)
            lines.write(record)
            out.articles += 1
            agg.add_article(fields)
            cited = False
            for row in facts:
                sink.add(row)
                if agg.add(row):
                    cited = True
                    kept.cited.append((doc.id, *_cell_rank(agg, row)))
            articles.append(article_row(doc))
            if len(articles) >= 1000:
                writer.write_table(_article_table(articles))
                articles = []
            if doc.text and (cited or len(shown_ids) < report_cap) and doc.id not in shown_ids:
                data = (json.dumps(shown_article(doc).to_json(), ensure_ascii=False) + "\n").encode("utf-8")
                kept.shown.append((doc.id, shown.tell(), len(data)))
                shown.write(data)
                shown_ids.add(doc.id)
            if doc.programmes:
                progs.write((json.dumps(_programme_record(doc), ensure_ascii=False) + "\n").encode("utf-8"))
        kept.bests = {(acc.code, col.key): cell.best.rank for acc in agg.rows.values()
                      for col, cell in acc.cells.items() if cell.best is not None}
        with open(base / part_name("report", part.index, "pkl"), "wb") as fh:
            pickle.dump((kept.shown, kept.cited, kept.bests), fh, protocol=pickle.HIGHEST_PROTOCOL)
        writer.write_table(_article_table(articles))
        writer.close()
        sink.close()
        out.facts = sink.count
    return out


def _cell_rank(agg: Aggregator, row: dict[str, Any]) -> tuple[tuple[str, str], tuple[Any, ...]]:
    """The cell a metric row went to and its rank (the row just became the cell's value)."""
    code = _text(row.get("region_code")) or _text(row.get("article_region_code"))
    col = Column(str(row.get("key")), _text(row.get("per")))
    best = agg.rows[str(code)].cells[col].best
    assert best is not None
    return (str(code), col.key), best.rank


def _article_table(rows: list[tuple[Any, ...]]) -> pa.Table:
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in ARTICLE_COLUMNS]
    return pa.Table.from_arrays([pa.array(list(c), type=t) for c, t in zip(columns, ARTICLE_SCHEMA.types, strict=True)],
                                schema=ARTICLE_SCHEMA)


def merge_parts(a: Aggregator, b: Aggregator) -> Aggregator:
    """Two neighbouring partitions' aggregators as one (for dask's tree reduction)."""
    return a.merge(b)


# -- the contract's files from the partitions -------------------------------------------------
def _parts(results: Iterable[PartResult]) -> list[PartResult]:
    return sorted(results, key=lambda r: r.index)


def assemble_facts(results: list[PartResult], folder: str) -> int:
    """``facts.parquet`` (row groups of ROW_GROUP rows, as one writer makes them) and ``facts.csv``."""
    base = Path(folder)
    count = 0
    with pq.ParquetWriter(base / "facts.parquet", FACT_SCHEMA) as writer, \
            open(base / "facts.csv", "wb") as csv_out:
        pending: list[pa.RecordBatch] = []
        held = 0
        for r in _parts(results):
            # read in batches smaller than a row group: at most a row group and a batch are held
            for batch in pq.ParquetFile(r.path(part_name("facts", r.index, "parquet"))).iter_batches(DB_BATCH):
                pending.append(batch)
                held += batch.num_rows
                while held >= ROW_GROUP:
                    table = pa.Table.from_batches(pending, FACT_SCHEMA)
                    writer.write_table(table.slice(0, ROW_GROUP).combine_chunks())
                    rest = table.slice(ROW_GROUP)
                    pending, held = rest.combine_chunks().to_batches(), rest.num_rows
                    count += ROW_GROUP
            with open(r.path(part_name("csv", r.index, "csv")), "rb") as fh:
                header = fh.readline()
                if csv_out.tell() == 0:  # the first partition's header is the file's
                    csv_out.write(header)
                _copy(fh, csv_out)
        if held:
            writer.write_table(pa.Table.from_batches(pending, FACT_SCHEMA).combine_chunks())
            count += held
        if count == 0:
            writer.write_table(FACT_SCHEMA.empty_table())
    return count


def _copy(src: io.BufferedReader, dst: Any) -> None:
    while chunk := src.read(1 << 20):
        dst.write(chunk)


def assemble_articles(results: list[PartResult], folder: str) -> None:
    """``articles.jsonl``: the partitions' lines in order."""
    with open(Path(folder) / "articles.jsonl", "wb") as out:
        for r in _parts(results):
            with open(r.path(part_name("lines", r.index, "jsonl")), "rb") as fh:
                _copy(fh, out)


def assemble_database(results: list[PartResult], agg: Aggregator, folder: str, comp: Any = None) -> None:
    """``policy_ie.sqlite`` (and its metadata) from the partitions' article and fact rows
    (``comp``: the aggregator's result when made already)."""
    comp = copy.deepcopy(agg).result() if comp is None else comp
    db = DatabaseSink(Path(folder))
    try:
        for r in _parts(results):
            # small batches: a partition's rows as dicts at once were tens of MB (texts, sentences),
            # and the largest partition of a large archive set the worker's peak
            batches = pq.ParquetFile(r.path(part_name("facts", r.index, "parquet"))).iter_batches(DB_BATCH)
            groups = _Grouped(row for batch in batches for row in batch.to_pylist())
            arts = pq.ParquetFile(r.path(part_name("articles", r.index, "parquet"))).iter_batches(DB_BATCH // 8)
            for art in (a for batch in arts for a in batch.to_pylist()):
                mine = groups.head is not None and groups.head["article_id"] == art["id"]
                db.add_rows(tuple(art[c] for c in ARTICLE_COLUMNS), next(groups)[1] if mine else [])
        db.finish(comp)
    except BaseException:
        db.abandon()
        raise


class _Grouped:
    """Fact rows grouped by article, in order, with a look at the next group's article id."""

    def __init__(self, rows: Iterator[dict[str, Any]]) -> None:
        self.rows = rows
        self.head: dict[str, Any] | None = next(rows, None)

    def __iter__(self) -> _Grouped:
        return self

    def __next__(self) -> tuple[str, list[dict[str, Any]]]:
        if self.head is None:
            raise StopIteration
        aid, group = self.head["article_id"], [self.head]
        self.head = None
        for row in self.rows:
            if row["article_id"] != aid:
                self.head = row
                break
            group.append(row)
        return aid, group


@dataclass
class TablesResult:
    """What the comparison's files say of the build, for its summary (as DatasetSummary's)."""

    regions: int
    unassigned: int
    out_of_scope: dict[str, int]
    off_topic: int
    verdicts: int = 0
    stale: list[Verdict] = field(default_factory=list)


def _provenance(provenance: Provenance | None, results: list[PartResult]) -> Provenance:
    """The build's provenance with the number of articles read, as one process gives it."""
    from policy_ie.pipeline import codebook

    return dataclasses.replace(provenance or codebook.provenance(), articles=sum(r.articles for r in results))


def assemble_tables(agg: Aggregator, folder: str, results: list[PartResult],
                    provenance: Provenance | None = None, comp: Any = None) -> TablesResult:
    """The comparison's files (csv, sources, panel, xlsx, md) from the merged aggregator; returns
    what the build's summary says of them (rows, metrics left out, verdicts stale); ``comp``: the
    aggregator's result when made already."""
    from policy_ie.pipeline.dataset import (
        comparison_markdown,
        write_comparison_csv,
        write_panel,
        write_sources_csv,
        write_xlsx,
    )

    comp = copy.deepcopy(agg).result() if comp is None else comp
    base = Path(folder)
    with open(base / "comparison.csv", "w", encoding="utf-8") as fh:
        write_comparison_csv(comp, fh)
    with open(base / "comparison_sources.csv", "w", encoding="utf-8") as fh:
        write_sources_csv(comp, fh)
    with open(base / "panel.csv", "w", encoding="utf-8") as fh, open(base / "panel.parquet", "wb") as fp:
        write_panel(comp, fh, fp)
    prov = _provenance(provenance, results)
    with open(base / "comparison.xlsx", "wb") as fb:
        write_xlsx(comp, fb, prov)
    with open(base / "comparison.md", "w", encoding="utf-8") as fh:
        fh.write(comparison_markdown(comp, provenance=prov))
    out = TablesResult(len(comp.rows), comp.unassigned, comp.out_of_scope, agg.off_topic)
    if agg.verdicts is not None:
        out.verdicts, out.stale = len(agg.verdicts), agg.verdicts.stale()
    return out


def assemble_merged(agg: Aggregator, folder: str, results: list[PartResult], report_cap: int,
                    provenance: Provenance | None = None) -> tuple[TablesResult, int]:
    """The files made from the merged aggregator, from its one result: the comparison's
    (:func:`assemble_tables`), ``report.html`` (:func:`assemble_report`) and the database
    (:func:`assemble_database`); returns what the first two return. One task holds the merged
    aggregator and its result once: three tasks each took a copy of it, and it grows with the
    distinct values of every cell."""
    comp = agg.result()  # this task's own: no copy
    tables = assemble_tables(agg, folder, results, provenance, comp)
    shown = assemble_report(results, agg, folder, report_cap, provenance, comp)
    assemble_database(results, agg, folder, comp)
    return tables, shown


def report_ids(comp: Any, results: list[PartResult], cap: int) -> list[tuple[str, PartResult, int, int]]:
    """The articles the report shows, as :func:`pipeline.dataset._report_ids` chooses them: those
    behind the chosen cells in row order, then the first ``cap`` articles with text. The chosen
    cells' articles count only if the one-process build kept them: among the first ``cap``, or
    one of their figures became its cell's value when fed in the whole stream (a figure that did
    so in its partition did so in the whole stream when it beats every earlier partition's value).

    The partitions' bookkeeping is read one at a time (:meth:`PartResult.shown`), and only what
    can be shown is kept: the places and citations of the chosen cells' articles and of the
    first ``cap`` (while fewer than ``cap`` are kept, every article seen is one of them), and the
    running value of each cell; nothing that grows with the archive's articles."""
    chosen: dict[str, None] = {}
    for s in comp.sources:
        if s["chosen"]:
            chosen.setdefault(s["article_id"])
    where: dict[str, tuple[PartResult, int, int]] = {}
    firsts: list[str] = []
    cited: set[str] = set()
    running: dict[tuple[str, str], tuple[Any, ...]] = {}
    for r in _parts(results):
        part = r.shown()
        for aid, at, n in part.shown:
            if aid not in where and (len(firsts) < cap or aid in chosen):
                where[aid] = (r, at, n)
                if len(firsts) < cap:
                    firsts.append(aid)
        for aid, key, rank in part.cited:
            if aid in chosen and (key not in running or rank > running[key]):
                cited.add(aid)
        for key, rank in part.bests.items():
            if key not in running or rank > running[key]:
                running[key] = rank
    kept = cited.union(firsts)
    ids: dict[str, None] = {aid: None for aid in chosen if aid in where and aid in kept}
    for aid in firsts:
        ids.setdefault(aid)
    return [(aid, *where[aid]) for aid in list(ids)[:cap]]


def assemble_report(results: list[PartResult], agg: Aggregator, folder: str, cap: int,
                    provenance: Provenance | None = None, comp: Any = None) -> int:
    """``report.html``: the registry from every partition's programme records, the articles shown
    read back from the partitions; returns how many articles it shows."""
    from policy_ie.pipeline.dataset import _Spill
    from policy_ie.pipeline.report.render import ShownArticle, write_report

    comp = copy.deepcopy(agg).result() if comp is None else comp
    parts = _parts(results)
    articles = []
    for _aid, r, at, n in report_ids(comp, parts, cap):
        with open(r.path(part_name("shown", r.index, "jsonl")), "rb") as fh:
            fh.seek(at)
            articles.append(ShownArticle.from_json(json.loads(fh.read(n))))
    total = sum(r.articles for r in parts)
    with open(Path(folder) / ".programmes.jsonl", "w+b") as fh:
        for r in parts:
            with open(r.path(part_name("programmes", r.index, "jsonl")), "rb") as src:
                _copy(src, fh)
        spill = _Spill(fh)
        with open(Path(folder) / "report.html", "w", encoding="utf-8") as out:
            write_report(out, comp, _registry(spill), articles, total, cap,
                         provenance=_provenance(provenance, parts))
    os.unlink(Path(folder) / ".programmes.jsonl")
    return len(articles)
