"""The dataset of ``policy-ie build``: every file of CONTRACT.md, streamed and replaced atomically.

:func:`write_dataset` reads the processed Documents once, in order, and writes:

- ``articles.jsonl``: one article record per line;
- ``facts.parquet`` (row groups as it goes) and ``facts.csv``: one row per mention;
- ``comparison.csv``, ``comparison.xlsx``, ``comparison.md``: the comparison table
  (:mod:`pipeline.aggregate`), with ``comparison_sources.csv`` (and the xlsx's ``sources``
  sheet) giving the article and offsets of every cell and every conflicting value;
- ``report.html`` (:mod:`pipeline.report.render`).

Nothing holds the whole corpus: documents pass one at a time; the aggregator keeps cells;
the articles the report shows and the slim programme records of the registry are spilled to
temporary files in the output folder; the comparison's drill-down rows are made as they are
read, and the xlsx and the report are written piece by piece, never whole in memory.

Every output is written to a temporary file beside its final name and all are renamed only
when everything has been written, so a build that fails or is killed leaves the previous
dataset as it was (between two renames at the very end a kill could still mix old and new
files; each file itself is always whole).
"""

from __future__ import annotations

import csv
import dataclasses
import itertools
import json
import math
import operator
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from policy_ie.pipeline import codebook
from policy_ie.pipeline.aggregate import PANEL_COLUMNS, SOURCE_COLUMNS, Aggregator, Comparison
from policy_ie.pipeline.codebook import Provenance
from policy_ie.pipeline.database import METADATA_NAME, NAME, DatabaseSink
from policy_ie.pipeline.facts import FACT_COLUMNS, FACT_TYPES, article_fields, facts_of
from policy_ie.pipeline.guard import skipped
from policy_ie.pipeline.report.labels import GROUPED_UNITS, column_label, unit_label
from policy_ie.pipeline.report.render import ShownArticle, fmt_value, shown_article, write_report
from policy_ie.pipeline.verdicts import Verdict, Verdicts
from policy_ie.pipeline.write import atomic_open, csv_text, record_line
from policy_ie.text.document import Document

#: fact rows per Parquet row group
ROW_GROUP = 10_000
#: conflicting (not chosen) values the xlsx's sources sheet lists at most; all are in the CSV
XLSX_CONFLICTS = 20_000
#: articles the report shows at most
REPORT_ARTICLES = 300
FILES = ("articles.jsonl", "facts.parquet", "facts.csv", "comparison.csv", "comparison_sources.csv",
         "comparison.xlsx", "comparison.md", "report.html", "panel.csv", "panel.parquet")
#: Every file a build writes: those above, the database and its Datasette metadata.
OUTPUT_FILES = (*FILES, NAME, METADATA_NAME)
_ARROW = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}
FACT_SCHEMA = pa.schema([(name, _ARROW[t]) for name, t in FACT_TYPES.items()])


@dataclass
class DatasetSummary:
    """What a build wrote."""

    output: Path
    articles: int = 0
    facts: int = 0
    regions: int = 0
    unassigned_metrics: int = 0
    off_topic: int = 0  # articles whose figures and programmes the comparison left out
    #: metrics of no division the table has (world, narrower, unknown scope), by scope
    out_of_scope: dict[str, int] = field(default_factory=dict)
    report_articles: int = 0
    files: list[Path] = field(default_factory=list)
    #: a reviewer's verdicts read, and those whose mention no article gave (pipeline.verdicts)
    verdicts: int = 0
    stale: list[Verdict] = field(default_factory=list)


def scope_counts(counts: Mapping[str, int]) -> str:
    """Metrics left out by their scope, for a reader: ``narrower 12, world 3`` (``none``)."""
    return ", ".join(f"{scope} {n}" for scope, n in counts.items()) or "none"


class _Spill:
    """JSON lines in an anonymous temporary file, read back by offset."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        self.where: dict[str, tuple[int, int]] = {}

    def put(self, key: str, obj: Any) -> None:
        """Store ``obj`` to be read back by ``key``."""
        self.where[key] = self.append(obj)

    def append(self, obj: Any) -> tuple[int, int]:
        """Store ``obj`` for iteration only (nothing kept in memory); returns where it is."""
        data = (json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8")
        self.fh.seek(0, 2)
        at = self.fh.tell()
        self.fh.write(data)
        return at, len(data)

    def get(self, key: str) -> Any:
        at, n = self.where[key]
        self.fh.seek(at)
        return json.loads(self.fh.read(n))

    def __iter__(self) -> Iterator[Any]:
        self.fh.seek(0)
        for line in self.fh:
            yield json.loads(line)


class _FactSink:
    """facts.parquet (row groups) and facts.csv, fed a row at a time.

    Rows are buffered as tuples in column order; each full buffer becomes one Parquet row
    group (built column by column) and one batch of CSV lines, where whole-number floats are
    written as integers (489000, not 489000.0) and None as an empty field.
    """

    _ROW = operator.itemgetter(*FACT_COLUMNS)
    _FLOATS = tuple(i for i, c in enumerate(FACT_COLUMNS) if FACT_TYPES[c] == "float")
    _TEXTS = tuple(i for i, c in enumerate(FACT_COLUMNS) if FACT_TYPES[c] == "str")

    def __init__(self, parquet: IO[bytes], text: IO[str]) -> None:
        self.writer = pq.ParquetWriter(parquet, FACT_SCHEMA)
        self.csv = csv.writer(text, lineterminator="\n")
        self.csv.writerow(FACT_COLUMNS)
        self.buffer: list[tuple[Any, ...]] = []
        self.count = 0
        self.closed = False

    def add(self, row: Mapping[str, Any]) -> None:
        self.buffer.append(self._ROW(row))
        self.count += 1
        if len(self.buffer) >= ROW_GROUP:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        columns = list(zip(*self.buffer, strict=True))
        self.writer.write_table(pa.Table.from_arrays(
            [pa.array(col, type=f.type) for col, f in zip(columns, FACT_SCHEMA, strict=True)], schema=FACT_SCHEMA))
        self.csv.writerows(map(self._csv_row, self.buffer))
        self.buffer = []

    def _csv_row(self, row: tuple[Any, ...]) -> list[Any]:
        out = list(row)
        for i in self._FLOATS:
            v = out[i]
            if v is not None and v.is_integer():
                out[i] = int(v)
        for i in self._TEXTS:
            out[i] = csv_text(out[i])
        return out

    def close(self) -> None:
        self.flush()
        if self.count == 0:
            self.writer.write_table(FACT_SCHEMA.empty_table())
        self.writer.close()
        self.closed = True

    def abandon(self) -> None:
        """Close the Parquet writer of a failed build (its file is about to be discarded)."""
        if not self.closed:
            self.closed = True
            with suppress(OSError, ValueError):
                self.writer.close()


def _programme_record(doc: Document) -> dict[str, Any]:
    rec = doc.to_record()
    return {"id": rec["id"], "region": rec["region"], "programmes": rec["programmes"]}


def _registry(spill: _Spill) -> Iterator[dict[str, Any]]:
    """The programme registry's rows (pipeline.programme_registry when present, else a grouping).

    The rows made one at a time as the report reads them (``iter_registry_rows``), not as a list:
    a row copies its entry's article lists, so a list of them all would hold the registry twice.
    """
    try:
        from policy_ie.pipeline.programme_registry import build_registry, iter_registry_rows
    except ImportError:
        return iter(_simple_registry(spill))
    return iter_registry_rows(build_registry(iter(spill), keep_articles=False))


def _simple_registry(records: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for rec in records:
        region = rec.get("region") or {}
        for p in rec.get("programmes", []):
            e = out.setdefault(p["name"], {"name": p["name"], "kind": p.get("kind"), "scope": None,
                                           "n_articles": 0, "articles": [], "regions": [],
                                           "headline_in": [], "components": []})
            if rec["id"] not in e["articles"]:
                e["articles"].append(rec["id"])
                e["n_articles"] += 1
            if region.get("code") and all(r["code"] != region["code"] for r in e["regions"]):
                e["regions"].append({"code": region["code"], "name": region.get("name")})
            if p.get("headline") and rec["id"] not in e["headline_in"]:
                e["headline_in"].append(rec["id"])
            if len(p.get("components") or []) > len(e["components"]):
                e["components"] = list(p["components"])
    return sorted(out.values(), key=lambda e: (-e["n_articles"], e["name"]))


def write_dataset(docs: Iterable[Document], output: Path, report_cap: int = REPORT_ARTICLES,
                  use_gazetteer: bool = True, provenance: Provenance | None = None,
                  verdicts: Verdicts | None = None, all_topics: bool = False) -> DatasetSummary:
    """Write every dataset file to ``output`` from processed ``docs`` (see the module doc),
    applying a reviewer's ``verdicts`` to the comparison; ``all_topics``: articles off the
    topic feed the comparison too.

    ``provenance`` (inputs, options; :func:`policy_ie.pipeline.codebook.provenance`) goes into the
    codebook of the xlsx, comparison.md and the report, with the number of articles read.
    """
    prov = provenance or codebook.provenance()
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    summary = DatasetSummary(output)
    agg = Aggregator(use_gazetteer=use_gazetteer, verdicts=verdicts, all_topics=all_topics)
    with ExitStack() as stack:
        files = {name: stack.enter_context(atomic_open(output / name, "wb" if _binary(name) else "w"))
                 for name in FILES}
        shown = _Spill(stack.enter_context(tempfile.TemporaryFile(dir=output, prefix=".policy-ie-spill.")))
        progs = _Spill(stack.enter_context(tempfile.TemporaryFile(dir=output, prefix=".policy-ie-spill.")))
        sink = _FactSink(files["facts.parquet"], files["facts.csv"])
        stack.callback(sink.abandon)
        db = DatabaseSink(output)
        stack.callback(db.abandon)  # after finish() it has nothing left to remove
        for doc in docs:
            record, fields, facts = _serialised(doc)
            files["articles.jsonl"].write(record)
            summary.articles += 1
            agg.add_article(fields)
            cited = False
            for row in facts:
                sink.add(row)
                cited |= agg.add(row)
            db.add(doc, facts)
            if doc.text and (cited or len(shown.where) < report_cap) and doc.id not in shown.where:
                shown.put(doc.id, shown_article(doc).to_json())
            if doc.programmes:
                progs.append(_programme_record(doc))
        sink.close()
        summary.facts = sink.count
        comp = agg.result()
        summary.regions, summary.unassigned_metrics = len(comp.rows), comp.unassigned
        summary.off_topic = agg.off_topic
        summary.out_of_scope = comp.out_of_scope
        if verdicts is not None:
            summary.verdicts, summary.stale = len(verdicts), verdicts.stale()
        write_comparison_csv(comp, files["comparison.csv"])
        write_sources_csv(comp, files["comparison_sources.csv"])
        write_panel(comp, files["panel.csv"], files["panel.parquet"])
        prov = dataclasses.replace(prov, articles=summary.articles)
        write_xlsx(comp, files["comparison.xlsx"], prov)
        files["comparison.md"].write(comparison_markdown(comp, provenance=prov))
        articles = [ShownArticle.from_json(shown.get(i)) for i in _report_ids(comp, shown, report_cap)]
        summary.report_articles = len(articles)
        write_report(files["report.html"], comp, _registry(progs), articles, summary.articles, report_cap,
                     provenance=prov)
        db.finish(comp)
    summary.files = [output / name for name in OUTPUT_FILES]
    return summary


def _serialised(doc: Document) -> tuple[bytes, dict[str, Any], list[dict[str, Any]]]:
    """The article record (UTF-8 bytes), the article fields and the fact rows of ``doc``, made
    before anything of it is written; if making them fails (or its text cannot be written as
    UTF-8), those of its skipped record instead (:func:`~policy_ie.pipeline.guard.skipped`),
    and ``doc`` is emptied of text and results so the report and registry pass it over."""
    try:
        doc.text.encode("utf-8")
        return record_line(doc.to_record()).encode("utf-8"), article_fields(doc), list(facts_of(doc))
    except Exception as exc:  # one article that cannot be written must not stop the dataset
        failed = skipped(doc, "writing", exc)
        failed.id = failed.id.encode("utf-8", "backslashreplace").decode("utf-8")
        doc.text, doc.programmes = "", []
        line = record_line(failed.to_record()).encode("utf-8", "backslashreplace")  # no text can stop it now
        return line, article_fields(failed), []


def _binary(name: str) -> bool:
    return name.endswith((".parquet", ".xlsx", ".jsonl"))


def _report_ids(comp: Comparison, shown: _Spill, cap: int) -> list[str]:
    """Articles behind the chosen cells (in row order), then the others spilled, up to ``cap``."""
    ids: dict[str, None] = {}
    for s in comp.sources:
        if s["chosen"] and s["article_id"] in shown.where:
            ids.setdefault(s["article_id"])
    for aid in shown.where:
        ids.setdefault(aid)
    return list(ids)[:cap]


# -- comparison files -------------------------------------------------------------------------
def _cell_text(v: Any) -> Any:
    """A comparison CSV cell: whole floats as integers, formula-like text made safe."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return csv_text(v)


def write_comparison_csv(comp: Comparison, fh: IO[str]) -> None:
    """comparison.csv: machine keys as headers, one row per region, plain numbers."""
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(comp.header)
    for row in comp.rows:
        w.writerow([_cell_text(row.get(k)) for k in comp.header])


def write_sources_csv(comp: Comparison, fh: IO[str]) -> None:
    """comparison_sources.csv: for each cell, every distinct value with its article and offsets."""
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(SOURCE_COLUMNS)
    for s in comp.sources:
        w.writerow([_cell_text(s[k]) for k in SOURCE_COLUMNS])


PANEL_SCHEMA = pa.schema([(k, pa.int64() if k in ("year", "n_values", "start", "end") else
                           pa.float64() if k == "value" else pa.string()) for k in PANEL_COLUMNS])


def write_panel(comp: Comparison, csv_fh: IO[str], parquet_fh: IO[bytes]) -> None:
    """panel.csv and panel.parquet: per region, metric column and year, the chosen value of that
    year with the number of distinct values and its mention (article id, offsets, sentence)."""
    rows = list(comp.panel)  # regions x columns x years: small beside the facts
    w = csv.writer(csv_fh, lineterminator="\n")
    w.writerow(PANEL_COLUMNS)
    for r in rows:
        w.writerow([_cell_text(r[k]) for k in PANEL_COLUMNS])
    pq.write_table(pa.Table.from_pylist(rows, schema=PANEL_SCHEMA), parquet_fh)


#: percent values are percent points (0.77 means 0.77%): shown with a % sign, never scaled by 100
PERCENT_FORMAT = '0.0#"%"'


def _number_format(unit: str, value: Any = None) -> str:
    """A value's number format: thousands separators for 元/人/户/个 (two decimals only when it has
    a fraction), a percent sign for %."""
    if unit in GROUPED_UNITS:
        whole = not isinstance(value, float) or value.is_integer()
        return "#,##0" if whole else "#,##0.00"
    if unit == "%":
        return PERCENT_FORMAT
    return "General"


def unit_header(comp: Comparison) -> list[str]:
    """The comparison's readable headers, each metric value column with its unit
    (``贫困人口（人） poor_population``); the others as :meth:`Comparison.labelled_header`."""
    cols = {c.key: c for c in comp.columns}
    return [f"{unit_label(cols[k].metric, cols[k].per)} {k}" if k in cols else h
            for k, h in zip(comp.header, comp.labelled_header(), strict=True)]


def _xlsx_value(v: Any) -> Any:
    """A value as the xlsx holds it: None (and NaN) as an empty text cell, as pandas wrote it."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return v


def _xlsx_text(ws: Any, value: Any) -> Any:
    """A value of a write-only row, with text always a text cell.

    openpyxl makes a formula of text that starts with ``=`` (and an error cell of ``#N/A``),
    and refuses control characters: such text from an article is written as a text cell, its
    control characters replaced by U+FFFD. Other values pass unchanged (the same XML).
    """
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE

    value = _xlsx_value(value)
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    if value.startswith("=") or value in ERROR_CODES:
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


def _xlsx_cell(ws: Any, value: Any, number_format: str | None = None, comment: str | None = None,
               fill: str | None = None) -> Any:
    """A write-only cell with a number format, a comment and a fill colour (openpyxl streams such cells)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import Cell
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    cell = _xlsx_text(ws, value)
    if not isinstance(cell, Cell):
        cell = WriteOnlyCell(ws, value=cell)
    if number_format is not None:
        cell.number_format = number_format
    if comment is not None:
        cell.comment = Comment(comment, "policy-ie")
    if fill is not None:
        cell.fill = PatternFill("solid", start_color=fill, end_color=fill)
    return cell


def _conflict_note(src: list[dict[str, Any]], unit: str, review: str | None = None) -> str | None:
    """The comment of a cell with several values or marked for review: why to look (the review
    codes), then each value (chosen ✓, left out ✗ with why), article and offsets."""
    if len(src) <= 1 and not marked(review):
        return None
    lines = [f"{fmt_value(s['value'], unit)}{' ✓' if s['chosen'] else ''}"
             f"{' ✗ ' + s['check'] if s['check'] and s['check'] != 'accepted' else ''}: "
             f"{s['article_id']} [{s['start']}:{s['end']}]" for s in src[:10]]
    head = f"review: {review}\n" if review else ""
    return f"{head}{len(src)} values\n" + "\n".join(lines)


#: Fill colours of the xlsx's metric cells by review code (the first that applies): a value
#: left out as implausible, another reason to look, a value a reviewer accepted. A cell whose
#: only code is ``single`` is not filled: that would colour most of a small corpus's table.
REVIEW_FILLS = (("implausible", "F8CBAD"), ("conflict", "FFE699"), ("model", "FFE699"),
                ("low_confidence", "FFE699"), ("accepted", "C6EFCE"))


def marked(review: str | None) -> str | None:
    """The review code a cell is marked (filled, commented) for, or None (no code, or ``single`` only)."""
    codes = (review or "").split(";")
    return next((code for code, _ in REVIEW_FILLS if code in codes), None)


def _declare_dimension(ws: Any, rows: int, columns: int) -> None:
    """Give a write-only sheet the ``<dimension>`` (range it fills) that a normal workbook writes.

    openpyxl writes a sheet's dimension before its rows, from the sheet's ``calculate_dimension``
    when it has one; a write-only sheet has none (its rows are still to come), so it is given one
    from counts known in advance. Readers that stream a sheet (openpyxl's read-only mode, for one)
    take its size from this element.
    """
    from openpyxl.utils import get_column_letter

    ref = f"A1:{get_column_letter(columns)}{rows}"
    ws.calculate_dimension = lambda: ref


def _xlsx_comparison(wb: Any, comp: Comparison) -> None:
    """The ``comparison`` sheet: a row per region, number formats and conflict comments on metric cells."""
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet("comparison")
    _declare_dimension(ws, len(comp.rows) + 1, len(comp.header))
    ws.freeze_panes = "C2"
    units = {c.key: c.unit for c in comp.columns}
    years = {k for c in comp.columns for k in c.keys[1:]}  # a metric's year and its source: narrow
    for j, key in enumerate(comp.header, start=1):  # widths before the first row (write-only)
        ws.column_dimensions[get_column_letter(j)].width = 14 if key in units else 10 if key in years else 18
    ws.append([_xlsx_text(ws, h) for h in unit_header(comp)])
    fills = dict(REVIEW_FILLS)
    for row in comp.rows:
        ws.append([_xlsx_text(ws, row.get(k)) if k not in units else
                   _xlsx_cell(ws, row.get(k), _number_format(units[k], row.get(k)),
                              _conflict_note(comp.cell_sources(row["region_code"], k), units[k],
                                             row.get(f"{k}_review")),
                              fills.get(marked(row.get(f"{k}_review")) or ""))
                   for k in comp.header])


def _listed_sources(comp: Comparison) -> tuple[Iterator[dict[str, Any]], int, int]:
    """The rows of the xlsx's sources sheet: every chosen value, then the first XLSX_CONFLICTS
    others; with how many rows that is and how many others there are in all."""
    chosen = others = 0
    for s in comp.sources:  # one counting pass (the rows are made afresh at every pass)
        if s["chosen"]:
            chosen += 1
        else:
            others += 1
    rows = itertools.chain((s for s in comp.sources if s["chosen"]),
                           itertools.islice((s for s in comp.sources if not s["chosen"]), XLSX_CONFLICTS))
    return rows, chosen + min(others, XLSX_CONFLICTS), others


def _xlsx_sources(wb: Any, comp: Comparison) -> int:
    """The ``sources`` sheet (values in their unit's number format); returns how many other values there are."""
    rows, listed, others = _listed_sources(comp)
    ws = wb.create_sheet("sources")
    _declare_dimension(ws, 1 + listed, len(SOURCE_COLUMNS))
    ws.freeze_panes = "A2"
    ws.append(list(SOURCE_COLUMNS))
    value_at = SOURCE_COLUMNS.index("value")
    for s in rows:
        values = [_xlsx_text(ws, s[k]) for k in SOURCE_COLUMNS]
        if s["unit"]:
            values[value_at] = _xlsx_cell(ws, s["value"], _number_format(s["unit"], s["value"]))
        ws.append(values)
    return others


def write_xlsx(comp: Comparison, fh: IO[bytes], provenance: Provenance | None = None) -> None:
    """comparison.xlsx: readable headers (Chinese, unit and key), frozen header, number formats,
    conflicting cells annotated, a ``sources`` sheet tracing every cell and an ``about`` sheet
    with the codebook and the build's provenance.

    Written in openpyxl's write-only mode: rows go to the file as they are made, so memory does
    not grow with the table (a normal workbook holds every cell object until it is saved).
    """
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    _xlsx_comparison(wb, comp)
    others = _xlsx_sources(wb, comp)
    notes = [
        "comparison: one row per region; a cell with a comment has several values (chosen one ✓, one left "
        "out ✗ with why) or is to be reviewed: filled orange when a value was left out as implausible, "
        "yellow for a conflict, the model or a low confidence, green when a reviewer accepted it "
        "(the reasons are in the <metric>_review column).",
        "sources: the article and offsets of every cell's value, then other values of conflicting cells"
        + (f" (the first {XLSX_CONFLICTS} of {others}; all in comparison_sources.csv)."
           if others > XLSX_CONFLICTS else "."),
        *codebook.notes()]
    _xlsx_about(wb, codebook.sections(comp.header, provenance or codebook.provenance(), notes))
    wb.save(fh)


def _xlsx_about(wb: Any, sections: list[tuple[str, tuple[str, ...], list[tuple[str, ...]]]]) -> None:
    """The ``about`` sheet: a title, then each section's title, header and rows, a blank row between."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet("about")
    rows: list[list[Any]] = [["说明 About: policy-ie comparison codebook"]]
    bold = {0}
    for title, header, body in sections:
        rows.append([])
        bold.update((len(rows), len(rows) + 1))
        rows += [[title], list(header), *(list(r) for r in body)]
    _declare_dimension(ws, len(rows), max(len(r) for r in rows))
    for j, width in enumerate((26, 28, 24, 8, 48, 48, 48), start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    for i, row in enumerate(rows):
        cells = [_xlsx_text(ws, v) for v in row]
        if i in bold:
            cells = [WriteOnlyCell(ws, value=v) for v in row]  # titles and headers: our own text
            for c in cells:
                c.font = Font(bold=True)
        ws.append(cells)


def _md_text(v: Any) -> str:
    """Text for comparison.md that a renderer shows as it is: no HTML tag or entity of its own."""
    return str(v).replace("&", "&amp;").replace("<", "&lt;").replace("\n", " ")


def _md(v: Any) -> str:
    """A table cell of comparison.md: escaped text that cannot end the cell."""
    return _md_text(v).replace("|", "\\|")


def _md_source(s: Mapping[str, Any], unit: str) -> str:
    """A value of a cell's footnote: chosen, or left out and why, and its mention."""
    mark = " (chosen)" if s["chosen"] else ""
    if s["check"] and s["check"] != "accepted":
        mark += f" (left out: {_md_text(s['check'])})"
    return f"{fmt_value(s['value'], unit)}{mark} in {_md_text(s['article_id'])} [{s['start']}:{s['end']}]"


def comparison_markdown(comp: Comparison, footnotes: int = 200, provenance: Provenance | None = None) -> str:
    """comparison.md: the table for a person, with a footnote per conflicting cell, then the
    codebook (provenance, metrics, columns, notes)."""
    header = unit_header(comp)
    prov = provenance or codebook.provenance()
    lines = ["# Cross-region comparison", "",
             f"Built {_md_text(prov.built)} by policy-ie {_md_text(prov.version)} from "
             f"{_md_text('; '.join(prov.inputs) or '-')} ({prov.articles} articles); the codebook "
             "(说明: metrics, units, columns) is at the end.", "",
             f"{len(comp.rows)} regions. A cell marked †n has n different values in its articles; "
             "the chosen one is shown (rule: README, *Aggregation*) and the others are listed below "
             "and in `comparison_sources.csv`, with the values left out (implausible for the row's level, "
             "or rejected by a reviewer). A metric's `_review` column says why a person should look.", "",
             "| " + " | ".join(_md(h) for h in header) + " |",
             "|" + "|".join("---:" if k in {c.key for c in comp.columns} or k == "n_articles" else "---"
                            for k in comp.header) + "|"]
    units = {c.key: c.unit for c in comp.columns}
    notes: list[str] = []
    for row in comp.rows:
        cells = []
        for k in comp.header:
            v = row.get(k)
            if k in units and v is not None:
                text = fmt_value(v, units[k])
                src = comp.cell_sources(row["region_code"], k)
                if src and src[0]["n_values"] > 1:
                    text += f" †{src[0]['n_values']}"
                cells.append(text)
            elif k in units and row.get(f"{k}_review"):  # every value left out (implausible, rejected)
                src = comp.cell_sources(row["region_code"], k)
                cells.append("")
            else:
                src = []
                cells.append("" if v is None else _md(v))
            if (len(src) > 1 or (src and not row.get(k))) and len(notes) < footnotes:
                others = "; ".join(_md_source(s, units[k]) for s in src)
                notes.append(f"- {_md_text(row['region_name'])} / {k}: {others}")
        lines.append("| " + " | ".join(cells) + " |")
    if notes:
        lines += ["", "## Conflicting values and values left out", "", *notes]
    lines += ["", f"Metrics with no region, left out: {comp.unassigned}.",
              *([f"Metrics of no region by their scope, left out: {scope_counts(comp.out_of_scope)}."]
                if comp.out_of_scope else []),
              f"Columns: {', '.join(column_label(k) + ' ' + k for k in ('programmes', 'published'))}; "
              "rates (`<metric>_per_<per>`) are separate columns from totals.", ""]
    lines += ["## 说明 Codebook", ""]
    for title, head, rows in codebook.sections(comp.header, prov, codebook.notes()):
        lines += [f"### {title}", ""]
        if len(head) == 1:
            lines += [*(f"- {_md_text(r[0])}" for r in rows), ""]
            continue
        lines += ["| " + " | ".join(_md(h) for h in head) + " |", "|" + "|".join("---" for _ in head) + "|"]
        lines += ["| " + " | ".join(_md(c) for c in r) + " |" for r in rows]
        lines.append("")
    return "\n".join(lines)

