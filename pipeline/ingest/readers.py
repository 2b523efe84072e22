"""Readers by input kind: one plain-text file, one HTML page, or a JSONL archive (plain,
compressed or on standard input); the tables (CSV, TSV, parquet) are in :mod:`.tables`.

Each reader turns one file into :class:`~policy_ie.text.document.Document` objects. A reader
never raises for bad input: it yields a document with empty text and a warning that names
the file (and line) and says what to do, so a batch of a million articles goes on. Input
that can be read in part is read with a warning on its record: a metadata field of the wrong
type is left out, a lone surrogate (``"\\ud800"``, which no UTF-8 file can hold) becomes U+FFFD.
"""

from __future__ import annotations

import codecs
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from policy_ie.extractors.metadata import parse_published
from policy_ie.pipeline.guard import fault
from policy_ie.pipeline.ingest.encoding import DecodeError, decode
from policy_ie.pipeline.ingest.html import reader_text
from policy_ie.pipeline.ingest.names import article_stem, shown_path
from policy_ie.pipeline.ingest.streams import BROKEN, open_stream
from policy_ie.text.document import Document, Metadata

#: JSONL field names and the aliases CONTRACT.md allows for them.
TEXT_FIELDS = ("text", "content")
DATE_FIELDS = ("date", "published")
OUTLET_FIELDS = ("outlet", "source")
AUTHOR_FIELDS = ("authors", "author")
#: Metadata fields that must hold text (or a number, for ids and dates written as numbers).
TEXT_META = {"id": (str, int), "title": (str,), "url": (str,), **{f: (str,) for f in OUTLET_FIELDS},
             **{f: (str, int) for f in DATE_FIELDS}}
_SURROGATE = re.compile("[\ud800-\udfff]")


def failed(doc_id: str, path: str, why: str) -> Document:
    """The record of an input that could not be read: empty text, one warning."""
    return Document(id=doc_id, path=path, text="", warnings=[why])


def _too_big(size: int, max_bytes: int) -> str:
    return (f"{size:,} bytes is over the limit of {max_bytes:,} bytes per article; "
            "split the file or raise --max-bytes")


def read_text_file(path: Path, shown: str, max_bytes: int, meta: Metadata | None = None) -> Document:
    """One ``.txt`` article; its id is the file name without extension."""
    doc_id = shown_path(path.stem)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return failed(doc_id, shown, f"{shown}: skipped: {_too_big(size, max_bytes)}")
        data = path.read_bytes()
        text = decode(data).text
    except DecodeError as exc:
        return failed(doc_id, shown, f"{shown}: skipped: {exc}")
    except OSError as exc:
        return failed(doc_id, shown, f"{shown}: skipped: cannot read the file ({exc.strerror})")
    return Document(id=doc_id, path=shown, text=text, meta=meta or Metadata())


def read_html_file(path: Path, shown: str, max_bytes: int, meta: Metadata | None = None) -> Document:
    """One HTML page: the article text is what a reader sees, page metadata fills the rest."""
    doc = read_text_file(path, shown, max_bytes, meta)
    if doc.warnings:
        return doc
    return page_document(doc.id, shown, shown, doc.text, doc.meta)


def page_document(doc_id: str, shown: str, where: str, page: str, meta: Metadata) -> Document:
    """The article of an HTML page: the text a reader sees; ``meta`` wins over the page's own."""
    text, page_meta = reader_text(page)
    if not text.strip():
        return failed(doc_id, shown, f"{where}: skipped: the page has no visible text")
    return Document(id=doc_id, path=shown, text=text, meta=merge_meta(meta, page_meta))


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


def check_types(obj: dict[str, Any], where: str) -> list[str]:
    """Leave out (from ``obj``, in place) metadata fields of the wrong type; a warning for each."""
    warnings = []
    for name, types in TEXT_META.items():
        v = obj.get(name)
        if v is not None and (not isinstance(v, types) or isinstance(v, bool)):
            del obj[name]
            warnings.append(f"{where}: field {name!r} left out: {_json_kind(v)}, expected text; fix the archive")
    for name in AUTHOR_FIELDS:
        v = obj.get(name)
        if v is None or isinstance(v, str):
            continue
        if isinstance(v, list) and all(isinstance(a, str) for a in v):
            continue
        obj[name] = [a for a in v if isinstance(a, str)] if isinstance(v, list) else None
        warnings.append(f"{where}: field {name!r}: {_json_kind(v)}, expected text or a list of texts; "
                        "what is not text is left out; fix the archive")
    return warnings


def _json_kind(v: Any) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", dict: "an object", list: "a list"}
    return names.get(type(v), f"a {type(v).__name__}")


def replace_surrogates(obj: Any) -> tuple[Any, bool]:
    """``obj`` with every lone surrogate in its strings (keys too) replaced by U+FFFD, and
    whether there was one; JSON can spell them (``"\\ud800"``) but UTF-8 cannot write them."""
    if isinstance(obj, str):
        new = _SURROGATE.sub("\ufffd", obj)
        return new, new != obj
    if isinstance(obj, list):
        pairs = [replace_surrogates(v) for v in obj]
        return [v for v, _ in pairs], any(c for _, c in pairs)
    if isinstance(obj, dict):
        out, changed = {}, False
        for k, v in obj.items():
            (k2, c1), (v2, c2) = replace_surrogates(k), replace_surrogates(v)
            out[k2] = v2
            changed |= c1 or c2
        return out, changed
    return obj, False


def meta_from_json(obj: dict[str, Any]) -> Metadata:
    """Archive metadata of a JSONL line or a manifest entry (its types checked by :func:`check_types`)."""
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


def is_manifest(path: Path, longest: int = 1 << 20) -> bool:
    """A JSONL file whose lines all carry ids and none a text is metadata for the files beside it.

    Every line is read (until one has a text, the first line of an archive as a rule): an
    archive whose first lines lack their text is not a manifest, and its articles are read.
    A line longer than ``longest`` bytes is an article's, not a manifest entry's.
    """
    try:
        with path.open("rb") as fh:
            while True:
                line = fh.readline(longest)
                if not line:
                    return True
                if len(line) >= longest:
                    return False
                if not line.strip():
                    continue
                obj = json.loads(line)
                if not isinstance(obj, dict) or "id" not in obj or _first(obj, TEXT_FIELDS):
                    return False
    except (OSError, ValueError):
        return False


def read_manifest(path: Path, shown: str) -> dict[str, tuple[Metadata, list[str]]]:
    """Metadata by article id from a manifest file, with the warnings of its entry (bad lines are ignored)."""
    out: dict[str, tuple[Metadata, list[str]]] = {}
    with path.open("rb") as fh:
        for lineno, line in enumerate(fh, start=1):
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if isinstance(obj, dict):
                obj, surrogates = replace_surrogates(obj)
                where = f"{shown}:{lineno}"
                warnings = [_surrogate_warning(where)] if surrogates else []
                warnings += check_types(obj, where)
                if obj.get("id") is not None:
                    out[str(obj["id"])] = (meta_from_json(obj), warnings)
    return out


def _surrogate_warning(where: str) -> str:
    return (f"{where}: lone surrogates (\\ud800-\\udfff, half of a character) replaced by U+FFFD; "
            "fix the archive's escapes")


def read_jsonl_file(path: Path, shown: str, max_bytes: int,
                    span: tuple[int, int, int] | None = None) -> Iterator[Document]:
    """A JSONL archive: one article per line, ``text``/``content`` required; with ``span``
    (start and end byte, each at a line's start, and the number of the line before the start),
    only the lines of that byte range of a plain (uncompressed UTF-8) file, numbered as in the
    whole file: a part of a large archive read by one worker of a distributed build."""
    stem = shown_path(article_stem(path))
    lineno = span[2] if span is not None else 0
    try:
        with open_stream(path) if span is None else _window(path, span[0], span[1]) as fh:
            for raw, size in _lines(fh, max_bytes):
                lineno += 1
                default_id = f"{stem}:{lineno}"
                where = f"{shown}:{lineno}"
                if raw is None:
                    yield failed(default_id, shown, f"{where}: skipped: {_too_big(size, max_bytes)}")
                elif raw.strip():
                    try:
                        yield _jsonl_line(raw, default_id, shown, where)
                    except Exception as exc:  # a fault of ours on one line: the rest of the file goes on
                        yield failed(default_id, shown, f"{where}: skipped: reading failed ({fault(exc)}); "
                                     "please report this line")
    except UnicodeDecodeError as exc:  # a UTF-16/32 file broken part-way
        yield failed(f"{stem}:{lineno + 1}", shown,
                     f"{shown}:{lineno + 1}: skipped with the rest of the file: not valid {exc.encoding}; "
                     "convert the file to UTF-8")
    except BROKEN as exc:  # a compressed file cut short or corrupt: the lines before it are kept
        yield failed(f"{stem}:{lineno + 1}", shown,
                     f"{shown}:{lineno + 1}: skipped with the rest of the file: the compressed file is cut "
                     f"short or corrupt ({exc}); the lines before were read")
    except OSError as exc:
        yield failed(stem, shown, f"{shown}: skipped: cannot read the file ({exc.strerror})")


class _Limited(io.RawIOBase):
    """At most ``left`` bytes of a binary file, from where it stands."""

    def __init__(self, raw: IO[bytes], left: int) -> None:
        self.raw, self.left = raw, left

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self.raw.readinto(memoryview(buffer)[:max(0, min(len(buffer), self.left))])  # type: ignore[attr-defined]
        self.left -= n or 0
        return n or 0

    def close(self) -> None:
        self.raw.close()
        super().close()


def _window(path: Path, start: int, end: int) -> io.BufferedReader:
    """Bytes ``start`` to ``end`` of a plain file, as a buffered reader."""
    raw = path.open("rb", buffering=0)
    raw.seek(start)
    return io.BufferedReader(_Limited(raw, end - start), 1 << 16)


def _wide_encoding(head: bytes) -> str | None:
    """UTF-16 or UTF-32 by the first bytes of a JSONL file (a BOM, or NULs beside ASCII)."""
    for boms, enc in (((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE), "utf-32"),
                      ((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE), "utf-16")):
        if head.startswith(boms):
            return enc
    if len(head) >= 2 and head[0] and not head[1]:
        return "utf-16-le"
    if len(head) >= 2 and not head[0] and head[1]:
        return "utf-16-be"
    return None


def _lines(fh: io.BufferedReader, max_bytes: int) -> Iterator[tuple[bytes | None, int]]:
    """The lines of a JSONL file as UTF-8 (or single-byte encoded) bytes, with their sizes; an
    over-long line as ``None``, skipped without being held. A UTF-16 or UTF-32 file (a line
    break there is two or four bytes, not the byte 0x0A) is read as text and re-encoded."""
    enc = _wide_encoding(fh.peek(4)[:4])
    if enc is None:
        while raw := fh.readline(max_bytes + 1):
            if len(raw) > max_bytes:
                yield None, len(raw) + _skip_rest_of_line(fh)
            else:
                yield raw, len(raw)
        return
    text = io.TextIOWrapper(fh, encoding=enc, newline="")
    while line := text.readline(max_bytes + 1):
        raw = line.encode("utf-8")
        if len(raw) > max_bytes:
            skipped = 0
            while not line.endswith("\n") and (line := text.readline(1 << 20)):
                skipped += len(line)
            yield None, len(raw) + skipped
        else:
            yield raw, len(raw)


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
    return record_document(obj, default_id, shown, where, escapes="\\u" in line)


def record_document(obj: dict[str, Any], default_id: str, shown: str, where: str, escapes: bool = True) -> Document:
    """The article of one archive record (a JSONL object, a CSV or parquet row): its text from
    ``text``/``content``, its metadata from the fields of :data:`TEXT_META`; ``escapes`` says
    whether the record may hold lone surrogates (JSON can spell them, other formats cannot)."""
    obj, surrogates = replace_surrogates(obj) if escapes else (obj, False)
    warnings = [_surrogate_warning(where)] if surrogates else []
    warnings += check_types(obj, where)
    doc_id = str(obj["id"]) if obj.get("id") not in (None, "") else default_id
    text = _first(obj, TEXT_FIELDS)
    if not isinstance(text, str) or not text.strip():
        return failed(doc_id, shown, f"{where}: skipped: no 'text' (or 'content') field with "
                      "article text; add one")
    return Document(id=doc_id, path=shown, text=text, meta=meta_from_json(obj), warnings=warnings)
