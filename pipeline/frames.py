"""A built dataset as pandas DataFrames, for analysis in Python (``policy-ie build`` first).

Researchers go on from the dataset in notebooks: this reads what the build wrote, with the
types the files carry, instead of each user re-deriving them from CSV text:

- :func:`facts` reads ``facts.parquet`` (typed columns; ``columns`` and ``kinds`` narrow what
  is read, so a million-article archive's metric rows load without its region rows);
- :func:`comparison` and :func:`sources` read ``comparison.csv`` and
  ``comparison_sources.csv``, codes and ids as text (a region code is a label: 110000, not
  a number), empty cells as missing values;
- :func:`articles` reads ``articles.jsonl`` one record per row, each field as the JSON gives
  it (ids stay text, the mention lists stay lists), in chunks when ``chunksize`` is given.

Nothing here re-runs an extractor: the rows are the dataset's own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pandas as pd

from policy_ie.pipeline.aggregate import REGION_COLUMNS

#: Columns of the CSV tables that are labels, never numbers.
TEXT_COLUMNS = (*REGION_COLUMNS, "column", "metric", "per", "unit",
                "article_id", "text", "sentence", "ref_date", "published", "qualifier", "subject",
                "programmes", "articles", "conflicts", "check")


class DatasetMissing(FileNotFoundError):
    """The dataset file asked for is not in the folder: build it first."""


def _path(output: Path | str, name: str) -> Path:
    path = Path(output) / name
    if not path.is_file():
        raise DatasetMissing(f"{path}: not found; run `policy-ie build --output {Path(output)}` first")
    return path


def facts(output: Path | str, columns: Sequence[str] | None = None,
          kinds: Iterable[str] | None = None) -> pd.DataFrame:
    """The fact rows of ``facts.parquet``: every column, or ``columns``; every kind of fact,
    or those of ``kinds`` (``metric``, ``programme``, ``date``, ``region``)."""
    path = _path(output, "facts.parquet")
    filters = [("kind", "in", sorted(set(kinds)))] if kinds is not None else None
    return pd.read_parquet(path, columns=list(columns) if columns is not None else None, filters=filters)


def _csv(output: Path | str, name: str) -> pd.DataFrame:
    path = _path(output, name)
    header = pd.read_csv(path, nrows=0).columns
    dtypes = {c: "string" for c in header if c in TEXT_COLUMNS or c.endswith("_review")}  # review codes: text
    return pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""])


def comparison(output: Path | str) -> pd.DataFrame:
    """The comparison table (``comparison.csv``): one row per region, metric columns numeric."""
    return _csv(output, "comparison.csv")


def sources(output: Path | str) -> pd.DataFrame:
    """The drill-down (``comparison_sources.csv``): each cell value with its article and offsets."""
    return _csv(output, "comparison_sources.csv")


def articles(output: Path | str, chunksize: int | None = None) -> pd.DataFrame | Iterator[pd.DataFrame]:
    """The article records of ``articles.jsonl``; with ``chunksize``, an iterator
    of frames of that many records, for archives larger than memory."""
    path = _path(output, "articles.jsonl")
    # dtype=False: every field as JSON gives it (an id of digits stays text, a date stays ISO)
    if chunksize is None:
        return pd.read_json(path, lines=True, dtype=False)
    return iter(pd.read_json(path, lines=True, dtype=False, chunksize=chunksize))
