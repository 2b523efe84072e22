"""Evaluation against a gold file (``policy-ie eval GOLD INPUT... [--json]``).

The gold format is that of ``shared/gold/seeds.json``: per article id, ``metrics`` as
``[metric, value, status]``, ``programmes`` as ``[name, status]``, ``dates`` as
``[iso, status]``, ``regions`` as ``[code, status]`` (status ``req`` or ``ok``), and the
article fields ``title``, ``published``, ``region``, ``headline_programme``.

Counting follows ``shared/tools/score.py`` exactly (a test checks both agree): distinct
predicted keys per article; recall over ``req`` entries, precision over ``req`` and ``ok``;
metric values equal within a relative 1e-6; programme names equal after dropping quotes
and spaces, or the prediction longer by at most six characters; dates by ISO string, the
publication date counting as a date; regions by 6-digit code. On top of it: precision,
recall and F1 per metric, and a confusion matrix of metric classes (see :func:`confusion`).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policy_ie.extractors.catalogue import metric_keys

SCORED_METRICS = metric_keys()  # the metrics of the catalogue, in its order
FIELDS = ("metrics", "programmes", "dates", "regions")
ARTICLE_FIELDS = ("title", "published", "region", "headline_programme")
NONE = "none"
_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?$")
_QUOTES = "“”\"'‘’「」『』《》"


def norm_name(s: str | None) -> str:
    """A programme name without quotes, spaces and width differences."""
    s = unicodedata.normalize("NFKC", s or "")
    return "".join(ch for ch in s if ch not in _QUOTES and not ch.isspace())


def name_match(pred: str, gold: str) -> bool:
    """Programme names match when equal or the prediction adds at most six characters."""
    p, g = norm_name(pred), norm_name(gold)
    return p == g or (p.startswith(g) and len(p) - len(g) <= 6)


def close(a: Any, b: Any) -> bool:
    """Numbers equal within a relative 1e-6."""
    try:
        x, y = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return abs(x - y) <= 1e-6 * max(1.0, abs(y))


def _metric_match(p: Any, g: Any) -> bool:
    return p[0] == g[0] and close(p[1], g[1])


@dataclass(slots=True)
class Counts:
    """Precision/recall counts: required found, required, predictions right, predictions."""

    tp_req: int = 0
    n_req: int = 0
    tp_pred: int = 0
    n_pred: int = 0

    def add(self, tp_req: int, n_req: int, tp_pred: int, n_pred: int) -> None:
        self.tp_req += tp_req
        self.n_req += n_req
        self.tp_pred += tp_pred
        self.n_pred += n_pred

    def summary(self) -> dict[str, Any]:
        p = self.tp_pred / self.n_pred if self.n_pred else 1.0
        r = self.tp_req / self.n_req if self.n_req else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
                "required": self.n_req, "predicted": self.n_pred}


def score_set(pred: list[Any], gold: list[tuple[Any, str]],
              match: Callable[[Any, Any], bool]) -> tuple[int, int, int, int, list, list]:
    """``(req found, req, predictions right, predictions, missed, wrong)`` of one article."""
    req = [k for k, s in gold if s == "req"]
    allk = [k for k, _ in gold]
    missed = [g for g in req if not any(match(p, g) for p in pred)]
    wrong = [p for p in pred if not any(match(p, g) for g in allk)]
    return len(req) - len(missed), len(req), len(pred) - len(wrong), len(pred), missed, wrong


def predicted_keys(rec: dict[str, Any]) -> dict[str, list[Any]]:
    """The distinct keys a record predicts, per field, as the scorer reads them."""
    pm = {(m.get("metric"), m.get("value")) for m in rec.get("metrics") or []
          if m.get("metric") in SCORED_METRICS}
    pp = sorted({norm_name(p.get("name")) for p in rec.get("programmes") or [] if p.get("name")})
    pd = {str(x.get("value")) for x in rec.get("dates") or []
          if _ISO.match(str(x.get("value") or ""))}
    pub = rec.get("published")
    if pub and _ISO.match(str(pub)):
        pd.add(str(pub))
    pr = sorted({str(x.get("code")) for x in rec.get("regions") or []
                 if re.fullmatch(r"\d{6}", str(x.get("code") or ""))})
    return {"metrics": list(pm), "programmes": pp, "dates": sorted(pd), "regions": pr}


def _article_value(rec: dict[str, Any], key: str) -> Any:
    if key == "region":
        reg = rec.get("region") or {}
        return reg.get("code") if isinstance(reg, dict) else None
    if key == "headline_programme":
        hs = [p.get("name") for p in rec.get("programmes") or [] if p.get("headline")]
        return hs[0] if hs else None
    return rec.get(key)


def _article_ok(key: str, pred: Any, gold: Any) -> bool:
    if key == "title":
        return norm_name(pred) == norm_name(gold)
    if key == "headline_programme":
        return (pred is None and gold is None) or (
            pred is not None and gold is not None and name_match(pred, gold))
    return pred == gold


def confusion(pred: Iterable[tuple[str, Any]],
              gold: list[tuple[str, Any, str]]) -> dict[tuple[str, str], int]:
    """Confusion cells ``(gold class, predicted class) -> count`` for one article.

    A predicted (metric, value) counts under the gold metric of that value (its own metric
    when it is among them), or under gold ``none`` when no gold entry has the value. A
    required gold entry whose value nobody predicted counts as predicted ``none``.
    """
    cells: dict[tuple[str, str], int] = {}
    pred = list(pred)
    for m, v in pred:
        golds = [g for g, gv, _ in gold if close(v, gv)]
        row = m if m in golds else (golds[0] if golds else NONE)
        cells[(row, m)] = cells.get((row, m), 0) + 1
    for g, gv, s in gold:
        if s == "req" and not any(close(v, gv) for _, v in pred):
            cells[(g, NONE)] = cells.get((g, NONE), 0) + 1
    return cells


def evaluate_records(gold: dict[str, Any], records: dict[str, dict[str, Any]],
                     texts: dict[str, str | None]) -> dict[str, Any]:
    """Scores of ``records`` (by article id) against ``gold`` (its ``articles``).

    ``texts`` holds each article's text as read, to check every span's offsets (an id
    missing there counts its spans as bad, as the scorer does for a missing file).
    """
    prs = {k: Counts() for k in FIELDS}
    per_metric = {m: Counts() for m in SCORED_METRICS}
    art = {k: [0, 0] for k in ARTICLE_FIELDS}
    cells: dict[tuple[str, str], int] = {}
    span_bad = span_all = 0
    details: dict[str, dict[str, Any]] = {}
    for aid, g in gold.items():
        rec = records.get(aid, {})
        d = details.setdefault(aid, {})
        if not rec:
            d["missing_record"] = True
        text = texts.get(aid)
        for field in FIELDS:
            for it in rec.get(field) or []:
                if isinstance(it, dict) and {"start", "end", "text"} <= it.keys():
                    span_all += 1
                    try:
                        ok = text is not None and text[int(it["start"]):int(it["end"])] == it["text"]
                    except (TypeError, ValueError):
                        ok = False
                    span_bad += not ok
        keys = predicted_keys(rec)
        gm = [(m, v, s) for m, v, s in g.get("metrics", [])]
        goldsets: dict[str, list[tuple[Any, str]]] = {
            "metrics": [((m, v), s) for m, v, s in gm],
            "programmes": [(n, s) for n, s in g.get("programmes", [])],
            "dates": [(v, s) for v, s in g.get("dates", [])],
            "regions": [(c, s) for c, s in g.get("regions", [])],
        }
        matchers = {"metrics": _metric_match, "programmes": name_match,
                    "dates": lambda p, q: p == q, "regions": lambda p, q: p == q}
        for field in FIELDS:
            res = score_set(keys[field], goldsets[field], matchers[field])
            prs[field].add(*res[:4])
            d[f"{field}_missed"], d[f"{field}_wrong"] = res[4], res[5]
        for m in SCORED_METRICS:
            res = score_set([p for p in keys["metrics"] if p[0] == m],
                            [(k, s) for k, s in goldsets["metrics"] if k[0] == m], _metric_match)
            per_metric[m].add(*res[:4])
        for cell, n in confusion(keys["metrics"], gm).items():
            cells[cell] = cells.get(cell, 0) + n
        for key in ARTICLE_FIELDS:
            pred = _article_value(rec, key)
            ok = _article_ok(key, pred, g.get(key))
            art[key][1] += 1
            art[key][0] += ok
            if not ok:
                d[f"{key}_wrong"] = {"pred": pred, "gold": g.get(key)}
    summary: dict[str, Any] = {k: v.summary() for k, v in prs.items()}
    for k, (a, n) in art.items():
        summary[k] = {"accuracy": round(a / n, 3) if n else 1.0, "n": n}
    summary["span_integrity"] = {"bad": span_bad, "all": span_all}
    headline = min([summary[k]["f1"] for k in FIELDS] + [summary[k]["accuracy"] for k in art]
                   + [1.0 if span_bad == 0 else 0.0])
    classes = [m for m in SCORED_METRICS if any(m in c for c in cells)] + [NONE]
    return {
        "summary": summary,
        "per_metric": {m: c.summary() for m, c in per_metric.items() if c.n_req or c.n_pred},
        "confusion": {"classes": classes,
                      "rows": [[cells.get((r, c), 0) for c in classes] for r in classes]},
        "score": round(headline, 3),
        "details": details,
    }


def extract(inputs: list[str | Path], jobs: int = 1) -> tuple[dict[str, dict], dict[str, str]]:
    """Run the pipeline over ``inputs``: the records and the texts as read, by article id."""
    from policy_ie.pipeline.ingest import iter_documents
    from policy_ie.pipeline.run import run

    records: dict[str, dict[str, Any]] = {}
    texts: dict[str, str] = {}
    for doc in run(iter_documents(list(inputs)), jobs=jobs, dedupe=False):
        records[doc.id] = doc.to_record()
        texts[doc.id] = doc.text
    return records, texts


def evaluate(gold_path: str | Path, inputs: list[str | Path], jobs: int = 1) -> dict[str, Any]:
    """Extract ``inputs`` and score them against the gold file at ``gold_path``."""
    gold = json.loads(Path(gold_path).read_text("utf-8"))["articles"]
    records, texts = extract(inputs, jobs)
    return evaluate_records(gold, records, texts)


def format_report(result: dict[str, Any]) -> str:
    """The evaluation as a plain-text report for a person."""
    s = result["summary"]
    lines = []
    for aid, d in result["details"].items():
        bad = {k: v for k, v in d.items() if v}
        if bad:
            lines.append(f"{aid} {json.dumps(bad, ensure_ascii=False)}")
    lines.append("")
    lines.append("field              precision recall   F1     (required, predicted)")
    for k in FIELDS:
        v = s[k]
        lines.append(f"{k:18s} {v['precision']:.3f}     {v['recall']:.3f}    {v['f1']:.3f}  "
                     f"({v['required']}, {v['predicted']})")
    lines.append("")
    lines.append("metric             precision recall   F1     (required, predicted)")
    for m, v in result["per_metric"].items():
        lines.append(f"{m:18s} {v['precision']:.3f}     {v['recall']:.3f}    {v['f1']:.3f}  "
                     f"({v['required']}, {v['predicted']})")
    lines.append("")
    for k in ARTICLE_FIELDS:
        lines.append(f"{k:18s} accuracy {s[k]['accuracy']:.3f} (n={s[k]['n']})")
    si = s["span_integrity"]
    lines.append(f"span integrity: {si['bad']} bad of {si['all']}")
    lines.append("")
    cm = result["confusion"]
    short = [c[:10] for c in cm["classes"]]
    lines.append("confusion (rows: gold, columns: predicted)")
    lines.append(" " * 18 + " ".join(f"{c:>10s}" for c in short))
    for c, row in zip(cm["classes"], cm["rows"], strict=True):
        lines.append(f"{c:18s}" + " ".join(f"{n:>10d}" for n in row))
    lines.append("")
    lines.append(f"score: min={result['score']:.3f}")
    return "\n".join(lines)
