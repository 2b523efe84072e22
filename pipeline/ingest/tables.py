"""Readers of tables: CSV and TSV with a header row, and parquet; one article per row.

The columns are the fields of a JSONL record (``text``/``content``, ``id``, ``title``,
``date``/``published``, ``outlet``/``source``, ``url``, ``authors``), so a row gives the same
article as the same record in JSONL; other columns are ignored. A table without a text column
gives one warning that names the file and its columns, and nothing else. A bad row is a
warning naming the file and row (its line, in a CSV), and the rest goes on. Rows are read
one at a time (CSV) or in batches (parquet): constant memory.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from policy_ie.pipeline.guard import fault
from policy_ie.pipeline.ingest.names import article_stem, shown_path
from policy_ie.pipeline.ingest.readers import TEXT_FIELDS, failed, record_document
from policy_ie.text.document import Document

#: Rows of a parquet file read at a time.
PARQUET_BATCH = 1024


def _no_text_column(stem: str, shown: str, columns: Iterable[str]) -> Document:
    names = ", ".join(repr(c) for c in columns) or "none"
    return failed(stem, shown, f"{shown}: skipped: no 'text' (or 'content') column (its columns: {names}); "
                  "name the column of the article text 'text'")


def _row_document(row: dict[str, Any], stem: str, shown: str, where: str, rowno: int) -> Document:
    default_id = f"{stem}:{rowno}"
    try:
        return record_document(row, default_id, shown, where, escapes=False)
    except Exception as exc:  # a fault of ours on one row: the rest of the table goes on
        return failed(default_id, shown, f"{where}: skipped: reading failed ({fault(exc)}); please report this row")


def read_delimited_file(path: Path, shown: str, max_bytes: int, delimiter: str) -> Iterator[Document]:
    """A CSV (``delimiter=","``) or TSV (``"\\t"``) table in UTF-8, its first row the column names.

    A row's default id and place is the line it starts on, as an editor shows it.
    """
    stem = shown_path(article_stem(path))
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes))
    line = 1
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh, delimiter=delimiter)
            header = next(reader, None)
            columns = [c.strip() for c in header or []]
            if not any(c in TEXT_FIELDS for c in columns):
                yield _no_text_column(stem, shown, columns)
                return
            while True:
                line = reader.line_num + 1
                where = f"{shown}:{line}"
                try:
                    values = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    yield failed(f"{stem}:{line}", shown, f"{where}: skipped: not a valid row ({exc}); fix the row")
                    continue
                if not any(v.strip() for v in values):
                    continue
                if sum(len(v) for v in values) > max_bytes:
                    yield failed(f"{stem}:{line}", shown, f"{where}: skipped: the row is over the limit of "
                                 f"{max_bytes:,} bytes per article; split it or raise --max-bytes")
                    continue
                row = {c: v for c, v in zip(columns, values, strict=False) if v != ""}
                yield _row_document(row, stem, shown, where, line)
    except UnicodeDecodeError as exc:
        yield failed(f"{stem}:{line}", shown, f"{shown}:{line}: skipped with the rest of the file: not valid "
                     f"UTF-8 ({exc.reason}); convert the file to UTF-8")
    except OSError as exc:
        yield failed(stem, shown, f"{shown}: skipped: cannot read the file ({exc.strerror})")


def _plain(value: Any) -> Any:
    """A parquet value as JSON would hold it: dates and times as ISO text."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def read_parquet_file(path: Path, shown: str) -> Iterator[Document]:
    """A parquet table, read in batches of :data:`PARQUET_BATCH` rows; a row's place is its number (from 1)."""
    import pyarrow.parquet as pq  # loaded when there is a parquet file to read (start-up time)

    stem = shown_path(article_stem(path))
    rowno = 0
    try:
        table = pq.ParquetFile(path)
        columns = table.schema_arrow.names
        if not any(c in TEXT_FIELDS for c in columns):
            yield _no_text_column(stem, shown, columns)
            return
        for batch in table.iter_batches(batch_size=PARQUET_BATCH):
            for record in batch.to_pylist():
                rowno += 1
                row = {k: _plain(v) for k, v in record.items() if v is not None}
                yield _row_document(row, stem, shown, f"{shown}:row {rowno}", rowno)
    except Exception as exc:  # pyarrow's errors of a corrupt file: the rows before it are kept
        yield failed(f"{stem}:{rowno + 1}", shown, f"{shown}:row {rowno + 1}: skipped with the rest of the "
                     f"file: not a readable parquet file ({type(exc).__name__}: {exc})")
