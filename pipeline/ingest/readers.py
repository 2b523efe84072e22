"""Readers by input kind: one plain-text file, one HTML page, or a JSONL archive.

Each reader turns one file into :class:`~policy_ie.text.document.Document` objects. A reader
never raises for bad input: it yields a document with empty text and a warning that names
the file (and line) and says what to do, so a batch of a million articles goes on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from policy_ie.extractors.metadata import parse_published
from policy_ie.pipeline.ingest.encoding import DecodeError, decode
from policy_ie.pipeline.ingest.html import reader_text
from policy_ie.text.document import Document, Metadata

#: JSONL field names and the aliases CONTRACT.md allows for them.
TEXT_FIELDS = ("text", "content")
DATE_FIELDS = ("date", "published")
OUTLET_FIELDS = ("outlet", "source")


def failed(doc_id: str, path: str, why: str) -> Document:
    """The record of an input that could not be read: empty text, one warning."""
    return Document(id=doc_id, path=path, text="", warnings=[why])


def _too_big(size: int, max_bytes: int) -> str:
    return (f"{size:,} bytes is over the limit of {max_bytes:,} bytes per article; "
            "split the file or raise --max-bytes")


def read_text_file(path: Path, shown: str, max_bytes: int, meta: Metadata | None = None) -> Document:
    """One ``.txt`` article; its id is the file name without extension."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return failed(path.stem, shown, f"{shown}: skipped: {_too_big(size, max_bytes)}")
        data = path.read_bytes()
        text = decode(data).text
    except DecodeError as exc:
        return failed(path.stem, shown, f"{shown}: skipped: {exc}")
    except OSError as exc:
        return failed(path.stem, shown, f"{shown}: skipped: cannot read the file ({exc.strerror})")
    return Document(id=path.stem, path=shown, text=text, meta=meta or Metadata())


def read_html_file(path: Path, shown: str, max_bytes: int, meta: Metadata | None = None) -> Document:
    """One HTML page: the article text is what a reader sees, page metadata fills the rest."""
    doc = read_text_file(path, shown, max_bytes, meta)
    if doc.warnings:
        return doc
    text, page_meta = reader_text(doc.text)
    if not text.strip():
        return failed(path.stem, shown, f"{shown}: skipped: the page has no visible text")
    doc.text = text
    doc.meta = merge_meta(doc.meta, page_meta)
    return doc


def merge_meta(first: Metadata, second: Metadata) -> Metadata:
    """Fields of ``first`` win; ``second`` fills what ``first`` lacks."""
    return Metadata(
        title=first.title or second.title,
        published=first.published or second.published,
        outlet=first.outlet or second.outlet,
        authors=first.authors or second.authors,
        url=first.url or second.url,
    )


def _first(obj: dict[str, Any], names: tuple[str, ...]) -> Any:
    for n in names:
        v = obj.get(n)
        if v not in (None, ""):
            return v
    return None


def meta_from_json(obj: dict[str, Any]) -> Metadata:
    """Archive metadata of a JSONL line or a manifest entry."""
    def s(v: Any) -> str | None:
        return str(v).strip() or None if v not in (None, "") else None

    authors = obj.get("authors") or obj.get("author") or []
    if isinstance(authors, str):
        authors = [a for a in authors.replace("、", " ").split() if a]
    return Metadata(
        title=s(obj.get("title")),
        published=parse_published(s(_first(obj, DATE_FIELDS)) or ""),
        outlet=s(_first(obj, OUTLET_FIELDS)),
        authors=[str(a) for a in authors],
        url=s(obj.get("url")),
    )


def is_manifest(path: Path) -> bool:
    """A JSONL file whose lines carry ids but no text is metadata for the files beside it."""
    try:
        with path.open("rb") as fh:
            for _ in range(3):
                line = fh.readline(1 << 20)
                if not line:
                    break
                if not line.strip():
                    continue
                obj = json.loads(line)
                if not isinstance(obj, dict) or "id" not in obj or _first(obj, TEXT_FIELDS):
                    return False
            return True
    except (OSError, ValueError):
        return False


def read_manifest(path: Path) -> dict[str, Metadata]:
    """Metadata by article id from a manifest file (bad lines are ignored)."""
    out: dict[str, Metadata] = {}
    with path.open("rb") as fh:
        for line in fh:
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if isinstance(obj, dict) and obj.get("id") is not None:
                out[str(obj["id"])] = meta_from_json(obj)
    return out


def read_jsonl_file(path: Path, shown: str, max_bytes: int) -> Iterator[Document]:
    """A JSONL archive: one article per line, ``text``/``content`` required."""
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield failed(path.stem, shown, f"{shown}: skipped: cannot read the file ({exc.strerror})")
        return
    with fh:
        lineno = 0
        while True:
            raw = fh.readline(max_bytes + 1)
            if not raw:
                break
            lineno += 1
            default_id = f"{path.stem}:{lineno}"
            where = f"{shown}:{lineno}"
            if len(raw) > max_bytes:
                size = len(raw) + _skip_rest_of_line(fh)
                yield failed(default_id, shown, f"{where}: skipped: {_too_big(size, max_bytes)}")
                continue
            if raw.strip():
                yield _jsonl_line(raw, default_id, shown, where)


def _skip_rest_of_line(fh: IO[bytes], chunk: int = 1 << 20) -> int:
    """Read past the end of an over-long line without holding it; returns the bytes skipped."""
    skipped = 0
    while True:
        part = fh.readline(chunk)
        skipped += len(part)
        if not part or part.endswith(b"\n"):
            return skipped


def _jsonl_line(raw: bytes, default_id: str, shown: str, where: str) -> Document:
    try:
        line = decode(raw).text
    except DecodeError as exc:
        return failed(default_id, shown, f"{where}: skipped: {exc}")
    try:
        obj = json.loads(line)
    except ValueError as exc:
        return failed(default_id, shown, f"{where}: skipped: not valid JSON ({exc.msg} at column "
                      f"{exc.colno}); fix or remove the line")
    if not isinstance(obj, dict):
        return failed(default_id, shown, f"{where}: skipped: a JSON {type(obj).__name__}, "
                      "expected an object with a 'text' field")
    doc_id = str(obj["id"]) if obj.get("id") not in (None, "") else default_id
    text = _first(obj, TEXT_FIELDS)
    if not isinstance(text, str) or not text.strip():
        return failed(doc_id, shown, f"{where}: skipped: no 'text' (or 'content') field with "
                      "article text; add one")
    return Document(id=doc_id, path=shown, text=text, meta=meta_from_json(obj))
