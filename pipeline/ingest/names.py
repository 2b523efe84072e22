"""Input kinds by file name, and file names as text that can be printed and written,
whatever bytes the file system holds.

Python keeps the bytes of a name that is not UTF-8 as lone surrogates (``os.fsdecode``);
such a string cannot be encoded to UTF-8, so an id or path made of it would stop the writing
of the dataset. Here those bytes are shown as ``\\xNN`` escapes instead.
"""

from __future__ import annotations

import os
from pathlib import Path


def shown_path(path: Path | str) -> str:
    """``path`` as UTF-8-safe text: undecodable bytes of its name as ``\\xNN`` escapes."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")
    return text


#: The kind of input file by the end of its name (a compressed JSONL archive has two suffixes).
KINDS = {".txt": "text", ".html": "html", ".htm": "html",
         ".jsonl": "jsonl", ".jsonl.gz": "jsonl", ".jsonl.zst": "jsonl",
         ".csv": "csv", ".tsv": "tsv", ".parquet": "parquet", ".warc": "warc", ".warc.gz": "warc"}
#: The kinds as the user is told them, when a file is of none.
KNOWN = ".txt, .html, .htm, .jsonl (.jsonl.gz, .jsonl.zst), .csv, .tsv, .parquet or .warc (.warc.gz)"


def _ending(path: Path) -> str | None:
    name = path.name.lower()
    return max((e for e in KINDS if name.endswith(e)), key=len, default=None)


def kind_of(path: Path) -> str | None:
    """The input kind of ``path`` by its name (see :data:`KINDS`); None when it is of none."""
    ending = _ending(path)
    return KINDS[ending] if ending else None


def article_stem(path: Path) -> str:
    """The name of ``path`` without the ending of its kind: the id of a ``.txt`` article, the
    prefix of the ids of an archive's lines (``a.jsonl.gz`` gives ``a``, like ``a.jsonl``)."""
    if str(path) == "-":
        return "stdin"
    ending = _ending(path)
    return path.name[:-len(ending)] if ending else path.stem
