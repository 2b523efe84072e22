"""The Python API: extract from a string, stream over many articles, load a built dataset.

What a notebook needs without files or a command line::

    import policy_ie
    rec = policy_ie.extract("商洛市贫困人口由2015年的48.9万人减少到2019年的3.2万人。",
                            title="商洛脱贫攻坚纪实", published="2020-05-01")
    rec["metrics"][0]["value"]   # 489000

Records are the article records of CONTRACT.md, exactly as ``policy-ie extract`` prints them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, cast

import pandas as pd

from policy_ie.extractors.metadata import parse_published
from policy_ie.pipeline import frames
from policy_ie.pipeline.ingest.readers import meta_from_json
from policy_ie.pipeline.options import DEFAULT, Options
from policy_ie.pipeline.run import process, run
from policy_ie.text.document import Document, Metadata

#: The keys of a mapping given to :func:`extract_many` that hold the article's text.
TEXT_KEYS = ("text", "content")


def _id_of(text: str) -> str:
    """A stable id for an article given without one: a digest of its text."""
    return "text-" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _document(text: str, *, title: str | None = None, published: str | None = None,
              id: str | None = None, url: str | None = None) -> Document:
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    aid = id if id is not None else _id_of(text)
    meta = Metadata(title=title or None, published=parse_published(published or "") or None, url=url or None)
    return Document(id=aid, path=f"<{aid}>", text=text, meta=meta)


def extract(text: str, *, title: str | None = None, published: str | None = None,
            id: str | None = None) -> dict[str, Any]:
    """The article record of one article given as text.

    ``title`` and ``published`` (any date form the archives use: ``2020-05-01``,
    ``2020年5月1日``) win over what the text says, as archive metadata does in a build.
    Without ``id`` the record's id is a digest of the text, the same on every run.
    """
    return process(_document(text, title=title, published=published, id=id)).to_record()


def _from_item(item: str | Mapping[str, Any] | Document, n: int) -> Document:
    if isinstance(item, Document):
        return item
    if isinstance(item, str):
        return _document(item)
    if isinstance(item, Mapping):
        text = next((item[k] for k in TEXT_KEYS if isinstance(item.get(k), str)), None)
        if text is None:
            raise ValueError(f"item {n}: a mapping needs a 'text' (or 'content') string; it has "
                             f"{', '.join(map(str, item)) or 'no keys'}")
        aid = str(item["id"]) if item.get("id") not in (None, "") else _id_of(text)
        return Document(id=aid, path=f"<{aid}>", text=text, meta=meta_from_json(dict(item)))
    raise TypeError(f"item {n}: expected a str, a mapping with 'text' or a Document, not {type(item).__name__}")


def extract_many(items: Iterable[str | Mapping[str, Any] | Document], *, jobs: int = 1,
                 segmenter: str = DEFAULT.segmenter, dedupe: bool = False) -> Iterator[dict[str, Any]]:
    """Article records of ``items``, streamed in input order.

    An item is a text, a mapping shaped like a JSONL archive line (``text`` or ``content``,
    and ``id``, ``title``, ``published``/``date``, ``url``, ``authors`` when known) or a
    :class:`Document`. ``jobs`` > 1 extracts in that many worker processes; memory stays
    flat however many items come. ``dedupe`` marks near-copies of earlier items.
    """
    docs = (_from_item(item, n) for n, item in enumerate(items, 1))
    for doc in run(docs, Options(segmenter=segmenter), jobs=jobs, dedupe=dedupe):
        yield doc.to_record()


def load(output: str | Path = "outputs") -> dict[str, pd.DataFrame]:
    """The DataFrames of a built dataset (``policy-ie build --output OUTPUT``): ``facts``,
    ``comparison``, ``sources`` and ``articles``, typed as :mod:`policy_ie.pipeline.frames` reads them.
    A file the folder lacks raises :class:`~policy_ie.pipeline.frames.DatasetMissing`, saying
    how to build it."""
    out = Path(output)
    return {"facts": frames.facts(out), "comparison": frames.comparison(out),
            "sources": frames.sources(out), "articles": cast(pd.DataFrame, frames.articles(out))}
