"""Reader of web archives (``.warc``, ``.warc.gz``): one article per HTML response record.

The text is what a reader sees of the page (:mod:`.html`, as for an ``.html`` file); title
and date come from the page, the URL from the record (``WARC-Target-URI``). The crawl date
(``WARC-Date``) is not a publication date and is not used. Records that are not responses
(requests, metadata, warcinfo) are passed over; responses that are not HTML (images, PDF,
scripts) are counted, and the count is a note on the file's last article. A record cut short
or corrupt is a warning naming the file and record number, with the articles before it kept.
Records are read one at a time (warcio streams them): constant memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from policy_ie.pipeline.guard import fault
from policy_ie.pipeline.ingest.encoding import DecodeError, decode
from policy_ie.pipeline.ingest.names import article_stem, shown_path
from policy_ie.pipeline.ingest.readers import failed, page_document
from policy_ie.text.document import Document, Metadata


def _is_html(record: ArcWarcRecord) -> bool:
    headers = record.http_headers
    ctype = headers.get_header("Content-Type", "") if headers is not None else ""
    return "html" in ctype.lower()


def _records(path: Path, shown: str, max_bytes: int) -> Iterator[Document | str]:
    """The articles of the file's HTML responses, and ``"other"`` for each non-HTML response."""
    stem = shown_path(article_stem(path))
    number = 0
    try:
        with path.open("rb") as fh:
            records = ArchiveIterator(fh)
            for record in records:
                number += 1
                if record.rec_type != "response":
                    continue
                if not _is_html(record):
                    yield "other"
                    continue
                doc_id, where = f"{stem}:{number}", f"{shown}:record {number}"
                data = record.content_stream().read(max_bytes + 1)
                if len(data) > max_bytes:
                    yield failed(doc_id, shown, f"{where}: skipped: over the limit of {max_bytes:,} bytes per "
                                 "article; raise --max-bytes")
                    continue
                if getattr(record.raw_stream, "limit", 0) > 0:  # fewer bytes than its Content-Length
                    yield failed(doc_id, shown, f"{where}: skipped with the rest of the file: a record cut "
                                 "short (shorter than its Content-Length)")
                    return
                try:
                    page = decode(data).text
                    url = record.rec_headers.get_header("WARC-Target-URI")
                    yield page_document(doc_id, shown, where, page, Metadata(url=url))
                except DecodeError as exc:
                    yield failed(doc_id, shown, f"{where}: skipped: {exc}")
            if records.offset < path.stat().st_size:  # a compressed record cut short ends warcio quietly
                raise EOFError("the file ends inside a record")
    except OSError as exc:
        yield failed(stem, shown, f"{shown}: skipped: cannot read the file ({exc.strerror or exc})")
    except Exception as exc:  # warcio's errors of a record cut short or corrupt: the records before are kept
        yield failed(f"{stem}:{number + 1}", shown, f"{shown}:record {number + 1}: skipped with the rest of the "
                     f"file: a record cut short or corrupt ({fault(exc)})")


def html_responses(path: Path) -> int:
    """How many HTML responses the file holds (for the progress bar's total); at least 1."""
    n = 0
    try:
        with path.open("rb") as fh:
            n = sum(1 for r in ArchiveIterator(fh) if r.rec_type == "response" and _is_html(r))
    except Exception:  # a broken file: its warning is a record too
        n += 1
    return max(n, 1)


def read_warc_file(path: Path, shown: str, max_bytes: int) -> Iterator[Document]:
    """The articles of a WARC file; the count of non-HTML responses is a note on the last one."""
    others = 0
    last: Document | None = None
    for item in _records(path, shown, max_bytes):
        if isinstance(item, str):
            others += 1
            continue
        if last is not None:
            yield last
        last = item
    if last is None:
        last = failed(shown_path(article_stem(path)), shown, f"{shown}: skipped: no HTML page among its "
                      f"records ({others} other responses)")
    elif others:
        last.warnings.append(f"{shown}: {others} responses that are not HTML pages skipped")
    yield last
