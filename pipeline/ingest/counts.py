"""How many records the inputs hold, for the progress bar's total: one per ``.txt`` or HTML
file (or file skipped), the non-blank lines of a JSONL archive (compressed ones decompressed
on the way, in pieces), the data rows of a CSV or TSV, the rows a parquet file's footer states,
the HTML responses of a WARC file.

Counting reads each archive once more before the run: it is only done when a bar is shown.
Standard input cannot be read twice, so with ``-`` among the inputs the total is unknown.
"""

from __future__ import annotations

import csv
from pathlib import Path

from policy_ie.pipeline.ingest import InputFile
from policy_ie.pipeline.ingest.names import kind_of
from policy_ie.pipeline.ingest.readers import is_manifest
from policy_ie.pipeline.ingest.streams import BROKEN, STDIN, open_stream
from policy_ie.pipeline.ingest.warc import html_responses


def _jsonl_lines(path: Path) -> int:
    if path.suffix.lower() == ".jsonl" and is_manifest(path):
        return 0
    n = 0
    try:
        with open_stream(path) as fh:
            n = sum(1 for line in fh if line.strip())
    except (*BROKEN, OSError, ValueError):
        n += 1  # the record of the warning
    return n


def _table_rows(path: Path, delimiter: str) -> int:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return max(1, sum(1 for row in csv.reader(fh, delimiter=delimiter) if any(v.strip() for v in row)) - 1)
    except (OSError, ValueError, csv.Error):
        return 1


def _parquet_rows(path: Path) -> int:
    import pyarrow.parquet as pq  # loaded when there is a parquet file to count (start-up time)

    try:
        return max(1, pq.ParquetFile(path).metadata.num_rows)
    except Exception:  # a corrupt file: one record of the warning
        return 1


def record_total(files: list[InputFile]) -> int | None:
    """The number of records the run will give for ``files``; None when it cannot be known."""
    total = 0
    for f in files:
        kind = kind_of(f.path)
        if f.path == STDIN:
            return None
        if f.skip is not None or kind not in ("jsonl", "csv", "tsv", "parquet", "warc"):
            total += 1
        elif kind == "warc":
            total += html_responses(f.path)
        elif kind == "jsonl":
            total += _jsonl_lines(f.path)
        elif kind == "parquet":
            total += _parquet_rows(f.path)
        else:
            total += _table_rows(f.path, "," if kind == "csv" else "\t")
    return total
