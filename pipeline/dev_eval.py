"""Scores of the pipeline on the hand-labelled dev sets (``policy-ie eval --dev``, ``make dev-eval``).

A dev set is a file ``tests/dev/NAME_dev.json``: per article id of the shared news archive,
its gold labels in the format of ``shared/gold/seeds.json`` (``metrics``, ``regions``,
``dates``, ``programmes``; article fields such as ``region``, ``published`` and
``headline_programme``) and the ``batch`` it was labelled in: ``tuning`` (labelled, then used
to tune the rules) or a blind batch (``blind``, ``blind2``...: labelled from the text alone,
scored before any change: the fairer estimate). The files hold ids and labels only; the
texts are read from ``shared/corpus/news_sample.jsonl`` (``../shared`` beside the
repository unless told otherwise) by the pipeline's own JSONL reader, so each article gets
the title and date a build would give it.

Every article is run through the whole pipeline (:func:`policy_ie.pipeline.run.process`,
as ``policy-ie extract`` does) and its record scored by
:func:`policy_ie.pipeline.evaluate.evaluate_records`, the counting of
``shared/tools/score.py``: distinct predicted keys, recall over ``req`` entries, precision
over ``req`` and ``ok``. A set is scored on the fields its gold labels (a set that labels
only metrics says nothing of the regions it finds), for the whole set and per batch.
``model_dev.json`` is also training data of the metric classifier: its score is in-sample
for the model. ``topic_dev.json`` labels each article's ``topic`` (1: about poverty alleviation
or rural development); a record is on topic when its score reaches the threshold of
``extractors/data/topic.yaml``, and the set is scored as precision and recall of that. Its
``tuning`` batch trained and tuned the topic classifier; its ``heldout`` batch never did.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policy_ie.extractors.topic import on_topic
from policy_ie.pipeline.evaluate import ARTICLE_FIELDS, FIELDS, evaluate_records
from policy_ie.pipeline.ingest.readers import read_jsonl_file, read_text_file
from policy_ie.pipeline.options import DEFAULT_MAX_BYTES
from policy_ie.pipeline.run import run
from policy_ie.text.document import Document

ROOT = Path(__file__).resolve().parents[1]
#: Where the dev sets are (a source checkout: they are not part of the installed package).
DEV_DIR = ROOT / "tests" / "dev"
#: The shared folder beside the repository, holding the texts the dev sets label.
DEFAULT_SHARED = ROOT.parent / "shared"
#: The archive inside the shared folder that the dev sets' ids come from.
CORPUS = Path("corpus") / "news_sample.jsonl"
#: The name of the whole set among its batches.
ALL = "all"
#: The batch of an article whose labels do not say (labelled, then tuned on).
TUNING = "tuning"
#: Every blind batch of a set pooled, shown when a set has more than one: the blind half.
BLIND_ALL = "blind-all"
#: The article label of the topic set, scored as precision and recall of the record's score
TOPIC = "topic"


class DevEvalError(ValueError):
    """The dev sets cannot be scored as asked; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class DevSet:
    """One dev file: its name (``metrics`` for ``metrics_dev.json``) and its gold articles."""

    name: str
    path: Path
    articles: dict[str, dict[str, Any]]
    #: where the texts are: None for the shared news archive, else a folder of ``<id>.txt``
    #: files (the file's ``texts: {folder: NAME}``, beside the repository and ../shared)
    text_folder: str | None = None

    @property
    def fields(self) -> tuple[str, ...]:
        """The mention fields the set labels (those it is scored on), and ``topic``."""
        return tuple(f for f in (*FIELDS, TOPIC) if any(f in g for g in self.articles.values()))

    @property
    def article_fields(self) -> tuple[str, ...]:
        """The article fields the set labels (scored as accuracies)."""
        return tuple(f for f in ARTICLE_FIELDS if any(f in g for g in self.articles.values()))

    @property
    def batches(self) -> list[str]:
        """The batches of the set: ``tuning`` first, then the blind ones by name, then
        ``blind-all`` (the blind half: every blind batch pooled) when there are several."""
        names = sorted({batch_of(g) for g in self.articles.values()},
                       key=lambda b: (b != TUNING, b))
        blind = [b for b in names if b != TUNING]
        return [*names, BLIND_ALL] if len(blind) > 1 else names

    def part(self, batch: str) -> dict[str, dict[str, Any]]:
        """The gold articles of one batch (all of them for ``all``, every one not tuned on for
        ``blind-all``)."""
        if batch == BLIND_ALL:
            return {a: g for a, g in self.articles.items() if batch_of(g) != TUNING}
        return {a: g for a, g in self.articles.items() if batch in (ALL, batch_of(g))}


def batch_of(gold: dict[str, Any]) -> str:
    """The batch a gold article was labelled in."""
    return str(gold.get("batch") or TUNING)


def dev_sets(directory: Path = DEV_DIR) -> dict[str, DevSet]:
    """Every dev set of ``directory`` (``*_dev.json``), by name."""
    files = sorted(directory.glob("*_dev.json"))
    if not files:
        raise DevEvalError(f"{directory}: no dev sets (*_dev.json) there; the dev sets come with a "
                           "source checkout of the repository, run from one")
    out = {}
    for path in files:
        name = path.name.removesuffix("_dev.json")
        data = json.loads(path.read_text("utf-8"))
        folder = (data.get("texts") or {}).get("folder")
        out[name] = DevSet(name, path, data["articles"], str(folder) if folder else None)
    return out


def select(sets: dict[str, DevSet], name: str | None, batch: str | None) -> list[DevSet]:
    """The sets to score: one by name or all, and only those having ``batch`` when one is given."""
    if name is not None and name not in sets:
        raise DevEvalError(f"no dev set {name!r}; choose one of {', '.join(sets)}")
    chosen = [sets[name]] if name is not None else list(sets.values())
    if batch is not None and batch != ALL:
        chosen = [s for s in chosen if batch in s.batches]
        if not chosen:
            known = sorted({b for s in ([sets[name]] if name else sets.values()) for b in s.batches})
            raise DevEvalError(f"no batch {batch!r} in {name or 'any dev set'}; choose one of "
                               f"{', '.join([ALL, *known])}")
    return chosen


def load_documents(ids: Iterable[str], shared: Path = DEFAULT_SHARED) -> dict[str, Document]:
    """The articles of ``ids`` from the shared news archive, read as a build reads them.

    Raises :class:`DevEvalError` naming the file when the archive is absent or lacks an id.
    """
    wanted = set(ids)
    corpus = shared / CORPUS
    if not corpus.is_file():
        raise DevEvalError(f"{corpus} not found: the dev sets hold ids and labels only, their texts "
                           "are read from the shared news archive. Put the shared folder beside the "
                           "repository (../shared) or give its place with --shared DIR")
    docs = {d.id: d for d in read_jsonl_file(corpus, str(corpus), DEFAULT_MAX_BYTES) if d.id in wanted}
    missing = sorted(wanted - docs.keys())
    if missing:
        shown = ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else "")
        raise DevEvalError(f"{corpus}: {len(missing)} dev-set id(s) not in it ({shown}); use the "
                           "archive the dev sets were labelled on, or remove those ids from the dev file")
    return docs


def load_text_folder(ids: Iterable[str], folder: Path) -> dict[str, Document]:
    """The articles of ``ids`` from a folder of ``<id>.txt`` files, read as a build reads them.

    Raises :class:`DevEvalError` naming the folder when it or an article's file is absent.
    """
    wanted = sorted(set(ids))
    if not folder.is_dir():
        raise DevEvalError(f"{folder} not found: this dev set's texts are <id>.txt files there; fetch "
                           "them again from each article's 'address' in the dev file")
    missing = [a for a in wanted if not (folder / f"{a}.txt").is_file()]
    if missing:
        shown = ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else "")
        raise DevEvalError(f"{folder}: no text for {len(missing)} dev-set id(s) ({shown}); fetch them "
                           "from their 'address' in the dev file")
    docs = {}
    for a in wanted:
        path = folder / f"{a}.txt"
        doc = read_text_file(path, str(path), DEFAULT_MAX_BYTES)
        doc.id = a
        docs[a] = doc
    return docs


def extract(docs: Iterable[Document], jobs: int = 1) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Run the pipeline over ``docs``: the article records and the texts, by article id."""
    records: dict[str, dict[str, Any]] = {}
    texts: dict[str, str] = {}
    for doc in run(docs, jobs=jobs, dedupe=False):
        records[doc.id] = doc.to_record()
        texts[doc.id] = doc.text
    return records, texts


def score(dev: DevSet, records: dict[str, dict[str, Any]], texts: dict[str, str | None],
          batch: str | None = None) -> dict[str, Any]:
    """The scores of ``records`` on one dev set: the whole set and each batch (or one batch).

    Per batch: ``articles``, per labelled field its P/R/F1 (``precision``, ``recall``, ``f1``,
    ``required``, ``predicted``), per labelled article field its ``accuracy`` and ``n``,
    ``spans`` (offsets that do not give the mention's text), ``per_metric`` when the set
    labels metrics, and ``details``: per article what was missed or wrong.
    """
    batches = [batch] if batch is not None else [ALL, *dev.batches]
    out: dict[str, Any] = {"file": str(dev.path), "fields": list(dev.fields),
                           "article_fields": list(dev.article_fields), "batches": {}}
    for name in batches:
        gold = dev.part(name)
        result = evaluate_records(gold, records, texts)
        summary = result["summary"]
        part: dict[str, Any] = {"articles": len(gold)}
        part.update({f: summary[f] for f in dev.fields + dev.article_fields if f != TOPIC})
        part["spans"] = summary["span_integrity"]
        if "metrics" in dev.fields:
            part["per_metric"] = result["per_metric"]
        part["details"] = {a: _labelled(d, dev) for a, d in result["details"].items()
                           if _labelled(d, dev)}
        if TOPIC in dev.fields:
            part[TOPIC] = topic_scores(gold, records, part["details"])
        out["batches"][name] = part
    return out


def topic_scores(gold: dict[str, dict[str, Any]], records: dict[str, dict[str, Any]],
                 details: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Precision, recall and F1 of the records' topic scores against the gold ``topic``
    labels (an article without a record or a score counts as judged off topic); each
    article judged wrong goes to ``details`` as ``topic_wrong`` (its label and score)."""
    hit = predicted = required = 0
    for aid, g in gold.items():
        if TOPIC not in g:
            continue
        s = records.get(aid, {}).get(TOPIC)
        said = s is not None and on_topic(s)
        hit += said and bool(g[TOPIC])
        predicted += said
        required += bool(g[TOPIC])
        if said != bool(g[TOPIC]) and details is not None:
            details.setdefault(aid, {})["topic_wrong"] = {"label": g[TOPIC], "score": s}
    p = hit / predicted if predicted else 1.0
    r = hit / required if required else 1.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "required": required, "predicted": predicted}


def _labelled(details: dict[str, Any], dev: DevSet) -> dict[str, Any]:
    """An article's errors on the fields the set labels (none: an empty dict)."""
    keys = ([f"{f}_{kind}" for f in dev.fields for kind in ("missed", "wrong")]
            + [f"{f}_wrong" for f in dev.article_fields] + ["missing_record"])
    return {k: details[k] for k in keys if details.get(k)}


def evaluate_dev(name: str | None = None, batch: str | None = None, shared: Path = DEFAULT_SHARED,
                 jobs: int = 1, directory: Path = DEV_DIR) -> dict[str, Any]:
    """Extract the articles of the chosen dev sets (each once) and score every set."""
    chosen = select(dev_sets(directory), name, batch)
    skipped: dict[str, str] = {}
    docs: dict[str, Document] = {}
    for folder in sorted({s.text_folder for s in chosen if s.text_folder}):
        where = shared.parent / folder
        sets = [s for s in chosen if s.text_folder == folder]
        if not where.is_dir() and name is None:  # scoring every set: say which could not be
            for s in sets:
                skipped[s.name] = f"{where} not found: fetch its texts from each article's address"
            continue
        docs.update(load_text_folder(sorted({a for s in sets for a in s.articles}), where))
    chosen = [s for s in chosen if s.name not in skipped]
    ids = sorted({a for s in chosen if not s.text_folder for a in s.articles})
    if ids:
        docs.update(load_documents(ids, shared))
    wanted = sorted({a for s in chosen for a in s.articles})
    records, texts = extract((docs[a] for a in wanted), jobs)
    return {"corpus": str(shared / CORPUS), "skipped": skipped,
            "sets": {s.name: score(s, records, texts, batch) for s in chosen}}


def format_dev_report(result: dict[str, Any], verbose: bool = False) -> str:
    """The dev-set scores as a table for a person; with ``verbose`` each article's errors too."""
    lines = [f"{'set':11s} {'batch':11s} {'articles':>8s}  {'field':10s} {'P':>5s}  {'R':>5s}  "
             f"{'F1':>5s}  (required, predicted)  article fields"]
    for name, res in result["sets"].items():
        for batch, part in res["batches"].items():
            accs = "  ".join(f"{f} {part[f]['accuracy']:.3f}" for f in res["article_fields"])
            for i, field in enumerate(res["fields"]):
                s = part[field]
                counts = f"({s['required']}, {s['predicted']})"
                lines.append(f"{name:11s} {batch:11s} {part['articles']:8d}  {field:10s} "
                             f"{s['precision']:.3f}  {s['recall']:.3f}  {s['f1']:.3f}  "
                             f"{counts:22s} {accs if i == 0 else ''}")
            if part["spans"]["bad"]:
                lines.append(f"{'':11s} {batch:11s} spans: {part['spans']['bad']} of "
                             f"{part['spans']['all']} do not give their text")
    for name, why in result.get("skipped", {}).items():
        lines.append(f"{name:11s} not scored: {why}")
    if verbose:
        lines += _verbose_lines(result)
    return "\n".join(line.rstrip() for line in lines)


def _verbose_lines(result: dict[str, Any]) -> list[str]:
    """Per set, the per-metric scores and each article's errors (of its first batch shown)."""
    lines: list[str] = []
    for name, res in result["sets"].items():
        batch, part = next(iter(res["batches"].items()))
        lines += ["", f"{name} [{batch}]"]
        for metric, s in part.get("per_metric", {}).items():
            lines.append(f"  {metric:18s} {s['precision']:.3f}  {s['recall']:.3f}  {s['f1']:.3f}  "
                         f"({s['required']}, {s['predicted']})")
        for aid, errors in part["details"].items():
            lines.append(f"  {aid} {json.dumps(errors, ensure_ascii=False)}")
    return lines


def format_dev_json(result: dict[str, Any], verbose: bool = False) -> str:
    """The dev-set scores as one JSON object; each article's errors only with ``verbose``."""
    if not verbose:
        result = {**result, "sets": {
            name: {**res, "batches": {b: {k: v for k, v in part.items() if k != "details"}
                                      for b, part in res["batches"].items()}}
            for name, res in result["sets"].items()}}
    return json.dumps(result, ensure_ascii=False, indent=1)
