"""``policy_ie.sqlite``: the whole build in one SQLite database, for Datasette and for SQL.

Tables:

* ``articles``: one row per article, its record's fields and its **text**, so that every
  cell's evidence can be read where the cell is;
* ``facts``: the fact rows (the columns of ``facts.*``), each with the article it comes from;
* ``comparison``: the comparison table, one row per region;
* ``sources``: the drill-down, every distinct value of every cell with its best mention;
* ``panel``: a region's figures by year, one row per (region, column, year).

Indexes on region code, metric and article id; full-text search (SQLite FTS5, trigram: any
three characters or more of a Chinese phrase) on the facts' sentences and the articles'
titles; foreign keys from ``facts`` and ``sources`` to ``articles``, which Datasette follows as
links. The file is written under a temporary name and renamed when complete, as the other
dataset files are; an article id given twice keeps its first article (the facts of both stay).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from policy_ie.extractors.catalogue import catalogue
from policy_ie.pipeline.aggregate import PANEL_COLUMNS, SOURCE_COLUMNS, Comparison
from policy_ie.pipeline.codebook import DATASETTE_FILE, describe, metric_description
from policy_ie.pipeline.facts import FACT_COLUMNS, FACT_TYPES
from policy_ie.text.document import Document
from policy_ie.text.lexicon import load_data

NAME = "policy_ie.sqlite"
ARTICLE_COLUMNS = ("id", "path", "title", "published", "outlet", "url", "region_code", "region_name",
                   "region_level", "province", "duplicate_of", "topic", "warnings", "text")
_SQL_TYPES = {"str": "TEXT", "int": "INTEGER", "float": "REAL", "bool": "INTEGER"}
#: rows written per executemany: few round trips, little memory
_CHUNK = 1000


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _create(con: sqlite3.Connection, table: str, columns: Sequence[str], types: Mapping[str, str] | None = None,
            extra: str = "") -> None:
    cols = ", ".join(f"{_q(c)} {(types or {}).get(c, '')}".rstrip() for c in columns)
    con.execute(f"CREATE TABLE {_q(table)} ({cols}{extra})")


class DatabaseSink:
    """Builds the database while the dataset is written: articles and facts as they stream
    past, the comparison, sources and panel at the end (:meth:`finish`)."""

    def __init__(self, output: Path) -> None:
        self.path = Path(output) / NAME
        self.tmp = self.path.with_name(f".{NAME}.{os.getpid()}.tmp")
        self.tmp.unlink(missing_ok=True)
        self.con = sqlite3.connect(self.tmp)
        self.con.execute("PRAGMA journal_mode = OFF")
        self.con.execute("PRAGMA synchronous = OFF")
        _create(self.con, "articles", ARTICLE_COLUMNS, {c: "TEXT" for c in ARTICLE_COLUMNS} | {"topic": "REAL"},
                extra=", PRIMARY KEY (id)")
        fact_types = {c: _SQL_TYPES[t] for c, t in FACT_TYPES.items()}
        _create(self.con, "facts", FACT_COLUMNS, fact_types,
                extra=", FOREIGN KEY (article_id) REFERENCES articles(id)")
        self._articles: list[tuple[Any, ...]] = []
        self._facts: list[tuple[Any, ...]] = []

    def add(self, doc: Document, facts: Iterable[Mapping[str, Any]]) -> None:
        """One article and its fact rows."""
        self.add_rows(article_row(doc), facts)

    def add_rows(self, article: tuple[Any, ...], facts: Iterable[Mapping[str, Any]]) -> None:
        """One article's row (:func:`article_row`) and its fact rows."""
        self._articles.append(article)
        self._facts.extend(tuple(_sql(f.get(c)) for c in FACT_COLUMNS) for f in facts)
        if len(self._articles) >= _CHUNK or len(self._facts) >= _CHUNK * 10:
            self._flush()

    def _flush(self) -> None:
        self.con.executemany(_insert("articles", ARTICLE_COLUMNS, "OR IGNORE"), self._articles)
        self.con.executemany(_insert("facts", FACT_COLUMNS), self._facts)
        self._articles.clear()
        self._facts.clear()

    def finish(self, comp: Comparison) -> None:
        """The comparison, its sources and the panel, the indexes and search, then the file."""
        self._flush()
        con = self.con
        header = comp.header
        _create(con, "comparison", header, _comparison_types(comp), extra=", PRIMARY KEY (region_code)")
        _fill(con, "comparison", header, comp.rows)
        _create(con, "sources", SOURCE_COLUMNS, _typed(SOURCE_COLUMNS),
                extra=", FOREIGN KEY (article_id) REFERENCES articles(id)")
        _fill(con, "sources", SOURCE_COLUMNS, comp.sources)
        _create(con, "panel", PANEL_COLUMNS, _typed(PANEL_COLUMNS),
                extra=", FOREIGN KEY (article_id) REFERENCES articles(id)")
        _fill(con, "panel", PANEL_COLUMNS, comp.panel)
        for table, column in (("facts", "article_id"), ("facts", "region_code"), ("facts", "key"),
                              ("facts", "kind"), ("sources", "region_code"), ("sources", "metric"),
                              ("sources", "article_id"), ("panel", "region_code"), ("panel", "metric"),
                              ("articles", "region_code")):
            con.execute(f"CREATE INDEX {_q(f'{table}_{column}')} ON {_q(table)} ({_q(column)})")
        # trigram: Chinese has no spaces between words, so any run of three characters or more is found
        con.execute("CREATE VIRTUAL TABLE facts_fts USING fts5(sentence, content='facts', content_rowid='rowid', "
                    "tokenize='trigram')")
        con.execute("INSERT INTO facts_fts (rowid, sentence) SELECT rowid, sentence FROM facts")
        con.execute("CREATE VIRTUAL TABLE articles_fts USING fts5(title, content='articles', content_rowid='rowid', "
                    "tokenize='trigram')")
        con.execute("INSERT INTO articles_fts (rowid, title) SELECT rowid, title FROM articles")
        con.commit()
        con.close()
        os.replace(self.tmp, self.path)
        write_metadata(self.path.parent, header)

    def abandon(self) -> None:
        """A build that failed leaves no half-written database (the old one stays)."""
        try:
            self.con.close()
        finally:
            self.tmp.unlink(missing_ok=True)


def article_row(doc: Document) -> tuple[Any, ...]:
    """The ``articles`` table's row of ``doc`` (:data:`ARTICLE_COLUMNS`)."""
    r = doc.region
    return (doc.id, doc.path, doc.meta.title, doc.meta.published, doc.meta.outlet,
            doc.meta.url, r.code if r else None, r.name if r else None,
            r.level if r else None, r.province if r else None, doc.duplicate_of,
            doc.topic, "\n".join(doc.warnings) or None, doc.text)


def _insert(table: str, columns: Sequence[str], conflict: str = "") -> str:
    """The INSERT statement of a row of ``columns`` into ``table``."""
    verb = f"INSERT {conflict}" if conflict else "INSERT"
    return f"{verb} INTO {_q(table)} VALUES ({', '.join('?' * len(columns))})"


def _fill(con: sqlite3.Connection, table: str, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> None:
    """Every row (a mapping) into ``table``, its values in the order of ``columns``."""
    con.executemany(_insert(table, columns), (tuple(_sql(row.get(c)) for c in columns) for row in rows))


#: the columns of the drill-down and the panel that hold numbers (the rest is text): typed, so
#: that Datasette's filters (?chosen=1) compare numbers with numbers
_NUMBERS = {"value": "REAL", "confidence": "REAL", "chosen": "INTEGER", "n_values": "INTEGER",
            "mentions": "INTEGER", "articles": "INTEGER", "start": "INTEGER", "end": "INTEGER",
            "year": "INTEGER"}


def _typed(columns: Sequence[str]) -> dict[str, str]:
    return {c: _NUMBERS.get(c, "TEXT") for c in columns}


def _comparison_types(comp: Comparison) -> dict[str, str]:
    """The comparison's column types: metric values REAL, their years and the article count
    INTEGER (so that ``?poor_population_year__gte=2018`` compares numbers), the rest TEXT."""
    types = dict.fromkeys(comp.header, "TEXT") | {"n_articles": "INTEGER"}
    for col in comp.columns:
        value, year, _source = col.keys[:3]
        types[value], types[year] = "REAL", "INTEGER"
    return types


def _sql(v: Any) -> Any:
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, float) and v != v:  # NaN: missing
        return None
    return v


METADATA_NAME = "policy_ie.metadata.json"


def datasette_metadata(header: Sequence[str] = ()) -> dict[str, Any]:
    """Datasette's metadata for the database: tables and columns described in Chinese and
    English (the metric columns from the catalogue: label, unit, definition, what it is not;
    the comparison's columns named after them, ``<column>_year`` …, by their convention), and
    the canned queries of ``data/datasette.yaml`` (:mod:`policy_ie.pipeline.codebook`)."""
    data = load_data(DATASETTE_FILE)
    columns = dict(data["columns"])
    for key in catalogue():
        columns[key] = metric_description(key)
    for key in header:
        if key not in columns and (text := describe(key)):
            columns[key] = text
    tables = {name: {"description": desc, "columns": columns} for name, desc in data["tables"].items()}
    return {"title": data["title"], "description": data["description"],
            "databases": {NAME.removesuffix(".sqlite"): {"tables": tables, "queries": data["queries"]}}}


def write_metadata(output: Path, header: Sequence[str] = ()) -> Path:
    """``policy_ie.metadata.json`` beside the database, for ``policy-ie serve`` (``header``: the
    comparison's columns, described there too)."""
    path = Path(output) / METADATA_NAME
    path.write_text(json.dumps(datasette_metadata(header), ensure_ascii=False, indent=1), "utf-8")
    return path
