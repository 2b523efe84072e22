"""Terminal views of a built dataset: ``policy-ie compare`` and ``policy-ie show``.

Both read what ``policy-ie build`` wrote (never re-run the extractors): :func:`compare`
prints the comparison table (from ``comparison.csv``, or re-aggregated from the facts when
only those are there), :func:`show` prints one article's text with its mentions marked,
from its record in ``articles.jsonl`` and the input file named by the record's ``path``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from policy_ie.pipeline.aggregate import REGION_COLUMNS, TAIL_COLUMNS, Column
from policy_ie.pipeline.aggregate import compare as aggregate
from policy_ie.pipeline.report.labels import column_label, metric_info, unit_label
from policy_ie.pipeline.report.render import fmt_value, short_list

STYLES = {"metric": "bold black on cyan", "programme": "bold black on green",
          "date": "black on bright_cyan", "region": "black on yellow"}


class ViewError(Exception):
    """What the user must fix to see the view (no dataset, unknown metric or article)."""


def _column(key: str) -> Column:
    metric, sep, per = key.partition("_per_")
    return Column(metric, per if sep else None)


def load_comparison(output_dir: Path, all_topics: bool = False) -> tuple[list[str], list[dict[str, Any]]]:
    """Header and rows of the comparison table of a built dataset (values as text);
    ``all_topics``: re-aggregated from ``facts.csv`` with the articles off the topic too."""
    path = output_dir / "comparison.csv"
    if all_topics and not (output_dir / "facts.csv").is_file():
        raise ViewError(f"{output_dir}: no facts.csv to re-aggregate with --all-topics; run "
                        f"`policy-ie build --all-topics --output {output_dir}`")
    if path.is_file() and not all_topics:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            return list(reader.fieldnames or []), list(reader)
    facts = output_dir / "facts.csv"
    if facts.is_file():
        with facts.open(encoding="utf-8", newline="") as fh:
            comp = aggregate(csv.DictReader(fh), all_topics=all_topics)
        rows = [{k: _as_csv_text(r.get(k)) for k in comp.header} for r in comp.rows]
        return comp.header, rows
    raise ViewError(f"{output_dir}: no comparison.csv or facts.csv; run `policy-ie build --output "
                    f"{output_dir}` first")


def _as_csv_text(v: Any) -> str:
    """A cell as comparison.csv would hold it."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _metric_keys(header: Sequence[str]) -> list[str]:
    fixed = set(REGION_COLUMNS) | set(TAIL_COLUMNS)
    return [k for k in header if k not in fixed and not k.endswith(("_year", "_year_source", "_review"))]


def select_metrics(header: Sequence[str], metric: str | None) -> list[str]:
    """Metric columns matching ``metric``: its key, its rates, or its Chinese label."""
    keys = _metric_keys(header)
    if not metric:
        return keys
    picked = [k for k in keys if k == metric or _column(k).metric == metric or metric in _column(k).label]
    if not picked:
        raise ViewError(f"no metric {metric!r} in the table; choose one of {', '.join(keys) or '(none)'}")
    return picked


def compare_by_year(output_dir: Path, metric: str | None = None, region: str | None = None,
                    console: Console | None = None) -> list[dict[str, Any]]:
    """Print the panel of a built dataset (``panel.csv``): per region, metric column and year,
    the chosen value, how many distinct values that year had, and its article; filtered as
    :func:`compare` filters. Returns the rows printed."""
    path = Path(output_dir) / "panel.csv"
    if not path.is_file():
        raise ViewError(f"{output_dir}: no panel.csv; run `policy-ie build --output {output_dir}` first")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    if metric:
        keys = set(select_metrics(sorted({r["column"] for r in rows}), metric))
        rows = [r for r in rows if r["column"] in keys]
    if region:
        rows = [r for r in rows if region in r["region_code"] or region in (r["region_name"] or "")]
    table = Table(title=f"Panel by year ({len(rows)} rows)", show_lines=False)
    for k in ("region_code", "region_name", "column", "year", "value", "n_values", "article_id"):
        table.add_column(k, justify="right" if k in ("year", "value", "n_values") else "left", overflow="fold")
    for r in rows:
        year = r["year"] + ("（发布）" if r["year_source"] == "published" else "")
        table.add_row(r["region_code"], r["region_name"], r["column"], year,
                      fmt_value(r["value"], _column(r["column"]).unit), r["n_values"],
                      f"{r['article_id']} [{r['start']}:{r['end']}]")
    (console or Console()).print(table)
    return rows


def compare(output_dir: Path, metric: str | None = None, region: str | None = None,
            console: Console | None = None, all_topics: bool = False) -> list[dict[str, Any]]:
    """Print the comparison table, filtered; returns the rows printed (with the columns shown).

    ``metric`` keeps the columns of one metric (key such as ``poor_population``, or Chinese
    label such as ``贫困人口``; its rates too) and the rows that have a value for it;
    ``region`` keeps the rows whose code, name or province contains it; ``all_topics``
    re-aggregates ``facts.csv`` with the articles off the topic too.
    """
    header, rows = load_comparison(Path(output_dir), all_topics)
    metrics = select_metrics(header, metric)
    if region:
        rows = [r for r in rows if any(region in (r.get(k) or "")
                                       for k in ("region_code", "region_name", "province"))]
    if metric:
        rows = [r for r in rows if any(r.get(k) for k in metrics)]
    shown = ["region_code", "region_name", "province", *metrics, "programmes", "published", "n_articles"]
    table = Table(title=f"Cross-region comparison ({len(rows)} regions)", show_lines=False)
    for k in shown:
        if k in metrics:
            c = _column(k)
            table.add_column(f"{unit_label(c.metric, c.per)}\n{k}", justify="right")
        else:
            table.add_column(f"{column_label(k)}\n{k}", justify="right" if k == "n_articles" else "left",
                             overflow="fold")
    for r in rows:
        cells = []
        for k in shown:
            v = r.get(k) or ""
            if k == "programmes":
                v = short_list(v)
            if k in metrics and v:
                v = fmt_value(v, _column(k).unit)
                if f"{k}:" in (r.get("conflicts") or ""):
                    n = r["conflicts"].split(f"{k}:")[1].split(";")[0]
                    v += f" †{n}"
                if year := r.get(f"{k}_year"):  # the value's year; （发布） when only publication dates it
                    v += f" ({year}{'（发布）' if r.get(f'{k}_year_source') == 'published' else ''})"
            if k in metrics:
                v += _review_mark(r.get(f"{k}_review"))
            cells.append(v)
        table.add_row(*cells)
    out = console or Console()
    out.print(table)
    if any(r.get("conflicts") for r in rows):
        out.print("†n: n different values in the articles; the others are in comparison_sources.csv.")
    if any(_review_mark(r.get(f"{k}_review")) for r in rows for k in metrics):
        out.print("?: to review (the <metric>_review column says why; `policy-ie review` lists them); "
                  "✓: accepted by a reviewer.")
    return [{k: r.get(k) for k in shown} for r in rows]


def _review_mark(review: str | None) -> str:
    """`` ✓`` after a value a reviewer accepted, `` ?`` after one with a reason to look other
    than ``single`` (which most cells have), else nothing."""
    codes = set((review or "").split(";")) - {""}
    return " ✓" if "accepted" in codes else " ?" if codes - {"single"} else ""


# -- show -------------------------------------------------------------------------------------
@dataclass
class _Mark:
    kind: str
    start: int
    end: int
    label: str
    text: str


def find_record(output_dir: Path, article_id: str) -> dict[str, Any]:
    """The article record of ``article_id`` in ``articles.jsonl``."""
    path = Path(output_dir) / "articles.jsonl"
    if not path.is_file():
        raise ViewError(f"{path}: not found; run `policy-ie build --output {output_dir}` first")
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if f'"{article_id}"' in line:
                rec = json.loads(line)
                if rec.get("id") == article_id:
                    return rec
    raise ViewError(f"no article {article_id!r} in {path}")


def article_text(record: dict[str, Any], roots: Iterable[Path] = ()) -> str:
    """The raw text of an article, read again from its input (path as given at build time)."""
    from policy_ie.pipeline.ingest import iter_documents

    given = Path(record["path"])
    candidates = [given] + [Path(r) / given for r in roots if not given.is_absolute()]
    for p in candidates:
        if p.is_file():
            for doc in iter_documents([p]):
                if doc.id == record["id"]:
                    return doc.text
    raise ViewError(f"cannot read article {record['id']!r}: its input {given} is not here "
                    "(run from the folder the build ran in, or give --input)")


def _marks(record: dict[str, Any]) -> list[_Mark]:
    out = [_Mark("metric", m["start"], m["end"], m["metric"], m["text"]) for m in record.get("metrics", [])]
    out += [_Mark("programme", p["start"], p["end"], "PROG★" if p.get("headline") else "PROG", p["text"])
            for p in record.get("programmes", [])]
    out += [_Mark("date", d["start"], d["end"], f"DATE {d.get('value') or '?'}", d["text"])
            for d in record.get("dates", [])]
    out += [_Mark("region", r["start"], r["end"], f"REGION {r.get('code') or '?'}", r["text"])
            for r in record.get("regions", [])]
    return out


def marked_text(text: str, record: dict[str, Any]) -> Text:
    """``text`` with each mention styled and followed by its label; a mention overlapping an
    earlier one is left unmarked (it is still listed in the table below the text)."""
    out = Text()
    pos = 0
    for m in sorted(_marks(record), key=lambda m: (m.start, -m.end)):
        if m.start < pos or text[m.start:m.end] != m.text or m.start >= m.end:
            continue
        out.append(text[pos:m.start])
        out.append(text[m.start:m.end], style=STYLES[m.kind])
        out.append(f"[{m.label}]", style="dim")
        pos = m.end
    out.append(text[pos:])
    return out


def show(article_id: str, output_dir: Path, console: Console | None = None,
         roots: Iterable[Path] = ()) -> Text:
    """Print an article's text with its mentions marked, then its metrics; returns the text."""
    record = find_record(Path(output_dir), article_id)
    text = article_text(record, [*roots, Path(output_dir).resolve().parent])
    out = console or Console()
    region = (record.get("region") or {}).get("name") or "no region"
    out.print(Text(f"{record.get('title') or article_id}", style="bold"))
    out.print(Text(f"{article_id} · {record.get('published') or 'no date'} · {region} · {record['path']}",
                   style="dim"))
    body = marked_text(text, record)
    out.print(body)
    if record.get("metrics"):
        table = Table("metric", "value", "unit", "per", "date", "region", "text", "offsets")
        for m in record["metrics"]:
            table.add_row(f"{metric_info(m['metric']).label} {m['metric']}", fmt_value(m["value"], m["unit"]),
                          m["unit"] or "", m.get("per") or "", m.get("date") or "", m.get("region_code") or "",
                          m["text"], f"{m['start']}:{m['end']}")
        out.print(table)
    bad = [m for m in _marks(record) if text[m.start:m.end] != m.text]
    if bad:
        out.print(f"warning: {len(bad)} mentions fall outside the text as read now (has the input changed?)")
    return body
