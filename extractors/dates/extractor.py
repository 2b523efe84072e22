"""The ``dates`` extractor: the date mentions of a document, with raw offsets."""

from __future__ import annotations

from policy_ie.extractors.dates.scan import find_dates
from policy_ie.extractors.registry import register
from policy_ie.text.document import DateMention, Document


@register("dates", assigns="dates", requires=("metadata",))
def extract(doc: Document) -> list[DateMention]:
    """Date mentions of the document, with raw offsets."""
    view = doc.view
    out: list[DateMention] = []
    for f in find_dates(view.text, doc.meta.published):
        s, e = view.to_raw(f.start, f.end)
        out.append(DateMention(text=doc.text[s:e], start=s, end=e, value=f.value))
    return out
