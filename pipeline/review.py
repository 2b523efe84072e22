"""``policy-ie review``: the cells of a built dataset that a person should look at, as a CSV.

One row per value to judge, read from ``comparison.csv`` (each metric's ``<column>_review``
codes and year) and ``comparison_sources.csv`` (the mentions): the value a cell shows when its
review column names a reason (other than ``accepted``: a value a reviewer accepted needs no
second look), and every value left out of its cell as implausible (a reviewer may ``accept``
it back). The file has an empty ``verdict`` column to fill with ``accept`` or ``reject``
(and a ``note``); ``policy-ie build --reviews FILE`` then applies it (:mod:`pipeline.verdicts`).

Written over an existing verdicts file, it keeps the reviewer's work: a row of the old file
with a verdict keeps it (and its note) when its mention is listed again, and stays in the file
when it is not (a rejected value is no longer shown, but its verdict must stay to keep it out).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from policy_ie.pipeline.aggregate import reference_date
from policy_ie.pipeline.cellcheck import ACCEPTED, REVIEW_CODES
from policy_ie.pipeline.verdicts import Key, plain_text, read_verdicts
from policy_ie.pipeline.write import atomic_open

REVIEW_COLUMNS = ("region_code", "region_name", "column", "value", "unit", "year", "article_id", "start", "end",
                  "text", "sentence", "reasons", "verdict", "note")


class ReviewError(Exception):
    """What the user must fix (no dataset, an unknown reason, a malformed verdicts file)."""


def _read(path: Path) -> Iterator[dict[str, str]]:
    if not path.is_file():
        raise ReviewError(f"{path}: not found; run `policy-ie build --output {path.parent}` first")
    with path.open(encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def _key(row: dict[str, str]) -> Key | None:
    try:
        return plain_text(row["article_id"]), int(row["start"]), int(row["end"]), float(row["value"])
    except (KeyError, TypeError, ValueError):
        return None


def review_rows(output: Path, reasons: Iterable[str] = REVIEW_CODES) -> list[dict[str, Any]]:
    """The rows to review of the dataset in ``output``: cells whose review codes include one of
    ``reasons`` (and not ``accepted``), then the values left out as implausible."""
    wanted = set(reasons)
    unknown = wanted - set(REVIEW_CODES)
    if unknown:
        raise ReviewError(f"unknown reason(s) {', '.join(sorted(unknown))}; choose among {', '.join(REVIEW_CODES)}")
    cells: dict[tuple[str, str], tuple[list[str], str]] = {}
    for row in _read(Path(output) / "comparison.csv"):
        for k, codes in row.items():
            if k.endswith("_review") and codes:
                col = k.removesuffix("_review")
                cells[row["region_code"], col] = (codes.split(";"), row.get(f"{col}_year") or "")
    out = []
    for s in _read(Path(output) / "comparison_sources.csv"):
        codes, year = cells.get((s["region_code"], s["column"]), ([], ""))
        check = s.get("check") or ""
        if s["chosen"] == "True" and ACCEPTED not in codes and wanted & set(codes):
            why = ";".join(codes)
        elif check.startswith("implausible") and "implausible" in wanted:
            why = check
            year = reference_date(s["ref_date"] or None, s["published"] or None)[:4]
        else:
            continue
        out.append({"region_code": s["region_code"], "region_name": s["region_name"], "column": s["column"],
                    "value": s["value"], "unit": s["unit"], "year": year, "article_id": s["article_id"],
                    "start": s["start"], "end": s["end"], "text": s["text"], "sentence": s["sentence"],
                    "reasons": why, "verdict": "", "note": ""})
    return out


def _kept(rows: list[dict[str, Any]], old: Path) -> list[dict[str, Any]]:
    """``rows`` with the verdicts and notes of the verdicts file ``old``, and its other rows that
    have a verdict after them (a malformed ``old`` raises :class:`ReviewError`, nothing written)."""
    from policy_ie.pipeline.verdicts import VerdictsError

    try:
        read_verdicts(old)  # checks it: the same errors as a build would give
    except VerdictsError as exc:
        raise ReviewError(f"{exc}; nothing was written") from exc
    with old.open(encoding="utf-8-sig", newline="") as fh:
        judged = [r for r in csv.DictReader(fh) if (r.get("verdict") or "").strip()]
    by_key = {_key(r): r for r in judged}
    listed = set()
    for r in rows:
        k = _key(r)
        if k in by_key:
            listed.add(k)
            r["verdict"], r["note"] = by_key[k]["verdict"], by_key[k].get("note") or ""
    rest = [{c: (r.get(c) or "") for c in REVIEW_COLUMNS} for r in judged if _key(r) not in listed]
    return rows + rest


def write_review(output: Path, out: Path | None, reasons: Iterable[str] = REVIEW_CODES) -> tuple[str, int]:
    """Write the review CSV of ``output`` to ``out`` (keeping the verdicts already in it), or
    return its text when ``out`` is None; returns (text or "", rows listed for review)."""
    rows = review_rows(output, reasons)
    n = len(rows)
    if out is not None and Path(out).is_file():
        rows = _kept(rows, Path(out))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(REVIEW_COLUMNS)
    for r in rows:  # the sources' text cells are already made safe (csv_text), the rest is ours or the reviewer's
        w.writerow([r[c] for c in REVIEW_COLUMNS])
    if out is None:
        return buf.getvalue(), n
    with atomic_open(Path(out)) as fh:
        fh.write(buf.getvalue())
    return "", n
