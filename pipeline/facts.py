"""Fact rows: one flat row per metric, programme, date and region mention of an article.

A fact is what the dataset cites: the mention's kind and values, its raw offsets, the
sentence it stands in (raw text and raw offsets), the extractor that produced it, and the
article's own region and publication date, so that a row can be read, filtered and
aggregated without the article it came from. :func:`facts_of` is a pure function of one
Document; the dataset writer streams its rows into ``facts.parquet``/``facts.csv`` and the
comparison aggregator (:mod:`pipeline.aggregate`).

Every row has the same columns (:data:`FACT_COLUMNS`), typed by :data:`FACT_TYPES`; a field
that does not apply to a kind is None. ``key`` is what a row is about: the metric key, the
programme name, the ISO date or the region code.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from typing import Any

from policy_ie.extractors.registry import REGISTRY
from policy_ie.text.document import MENTION_LISTS, Document, Mention, fact_columns
from policy_ie.text.sentences import sentences as split_sentences

#: The columns the article and its sentence give every row, and where the mention kinds'
#: columns stand among them: column -> type ("str", "int", "float", "bool"), in file order.
#: The mention columns are declared with the mention kinds (:func:`attr` in the data model);
#: a mention field not placed here is added at the end, typed from its annotation.
_LAYOUT: dict[str, str] = {
    "article_id": "str",
    "kind": "str",  # metric | programme | date | region
    "key": "str",  # metric key, programme name, ISO date value, region code
    "value": "float",  # metric value in base units
    "unit": "str",
    "qualifier": "str",
    "per": "str",
    "ref_date": "str",  # the metric's reference date
    "end_of": "str",  # metric: "from" or "to", the end of a range or change it is
    "region_code": "str",  # metric: the region it is attached to; region: its code
    "region_name": "str",  # region mention: its name
    "level": "str",  # region mention: its level
    "subject": "str",  # metric: the group it counts, when narrower than the region
    "programme_kind": "str",
    "headline": "bool",
    "components": "str",  # programme components joined by "；"
    "text": "str",
    "start": "int",
    "end": "int",
    "sentence": "str",
    "sentence_start": "int",
    "sentence_end": "int",
    "extractor": "str",
    "confidence": "float",
    "article_region_code": "str",
    "article_region_name": "str",
    "article_province": "str",
    "article_level": "str",
    "published": "str",
    "title": "str",
    "duplicate_of": "str",  # the article this one is a near-copy of (pipeline.dedupe)
    "topic": "float",  # how likely the article is about poverty or rural work (extractors/topic.py)
}
#: The mention kinds that have fact rows, by the ``kind`` of their rows, and their lists.
KIND_LISTS: dict[str, tuple[str, type[Mention]]] = {
    cls.FACT_KIND: (name, cls) for name, cls in MENTION_LISTS if cls.FACT_KIND is not None
}
KINDS = tuple(KIND_LISTS)
#: column -> type of every fact row; the order is the column order of the files
FACT_TYPES: dict[str, str] = {
    **_LAYOUT,
    **{col: typ for _, cls in KIND_LISTS.values() for _, cols, typ in fact_columns(cls)
       for col in cols if col not in _LAYOUT},
}
FACT_COLUMNS: tuple[str, ...] = tuple(FACT_TYPES)
COMPONENT_SEP = "；"


def _extractor_names() -> dict[str, str]:
    """Document field -> the name of the registered extractor that fills it."""
    return {ex.assigns: ex.name for ex in REGISTRY.values()}


class SentenceIndex:
    """The sentences of a document as raw spans, to find the one a raw offset falls in.

    ``doc.sentences`` are spans of the clean view; they are mapped to raw offsets with
    :meth:`CleanView.to_raw`. When segmentation has not run they are computed here.
    """

    def __init__(self, doc: Document) -> None:
        view = doc.view
        spans = doc.sentences or split_sentences(view.text)
        raw: list[tuple[int, int]] = []
        for s in spans:
            try:
                raw.append(view.to_raw(s.start, s.end))
            except (ValueError, IndexError):
                continue
        raw.sort()
        self.text = doc.text
        self.spans = raw
        self._starts = [a for a, _ in raw]

    def find(self, start: int, end: int) -> tuple[int, int]:
        """Raw span of the sentence holding ``[start, end)``; its line when none holds it."""
        k = bisect.bisect_right(self._starts, start) - 1
        if k >= 0:
            a, b = self.spans[k]
            if start < b:
                return a, max(b, end)
        a = self.text.rfind("\n", 0, start) + 1
        b = self.text.find("\n", end)
        return a, len(self.text) if b < 0 else b


def article_fields(doc: Document) -> dict[str, Any]:
    """The article part of every fact row of ``doc`` (id, its region, published, title, topic)."""
    r = doc.region
    return {
        "article_id": doc.id,
        "article_region_code": r.code if r else None,
        "article_region_name": r.name if r else None,
        "article_province": (r.province or (r.name if r.level == "province" else None)) if r else None,
        "article_level": r.level if r else None,
        "published": doc.meta.published,
        "title": doc.meta.title,
        "duplicate_of": getattr(doc, "duplicate_of", None),
        "topic": doc.topic,
    }


def _fact_value(value: Any, typ: str) -> Any:
    """A mention field's value as its fact column holds it (empty text and lists as None)."""
    if value is None:
        return None
    if typ == "float":
        return float(value)
    if typ == "bool":
        return bool(value)
    if isinstance(value, list):
        return COMPONENT_SEP.join(value) or None
    return value if typ == "int" else value or None


def _specific(m: Mention) -> dict[str, Any]:
    """The columns a mention fills, as its kind declares them."""
    return {col: _fact_value(getattr(m, name), FACT_TYPES[col])
            for name, cols, _ in fact_columns(type(m)) for col in cols}


def facts_of(doc: Document) -> Iterator[dict[str, Any]]:
    """The fact rows of one document (metrics, programmes, dates, regions, in text order)."""
    base = article_fields(doc)
    index = SentenceIndex(doc)
    names = _extractor_names()
    for kind, (field, _) in KIND_LISTS.items():
        for m in sorted(getattr(doc, field), key=lambda m: (m.start, m.end)):
            row = dict.fromkeys(FACT_COLUMNS)
            row.update(base)
            row["kind"] = kind
            row["extractor"] = names.get(field, field)
            row.update(_specific(m))
            a, b = index.find(m.start, m.end)
            row["sentence"], row["sentence_start"], row["sentence_end"] = doc.text[a:b], a, b
            yield row
