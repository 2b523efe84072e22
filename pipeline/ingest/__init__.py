"""Ingest: find the input files under the given paths and read them as Documents.

Folders are walked recursively in a stable (sorted) order without following symbolic
links, so a link loop cannot trap the walk. ``.txt``, ``.html``/``.htm`` and ``.jsonl``
files are read; a JSONL file with ids but no texts is a manifest whose metadata applies to
the articles beside it. Other files inside folders are passed over; a file named on the
command line that is of no known kind gets a warning record.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from policy_ie.pipeline.options import DEFAULT_MAX_BYTES
from policy_ie.text.document import Document, Metadata

TEXT_SUFFIXES = {".txt"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

__all__ = ["DEFAULT_MAX_BYTES", "InputError", "InputFile", "iter_documents", "list_inputs"]


class InputError(ValueError):
    """A path given by the user does not exist (a usage error, exit status 2)."""


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file to read, with the path as it is shown to the user."""

    path: Path
    shown: str
    explicit: bool


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            p = Path(root) / name
            if not p.is_symlink() or p.is_file():
                yield p


def list_inputs(paths: list[str | Path]) -> list[InputFile]:
    """Every input file under ``paths``, in order; raises :class:`InputError` for a missing path."""
    out: list[InputFile] = []
    for given in paths:
        p = Path(given)
        if p.is_dir():
            out.extend(InputFile(f, str(f), False) for f in _walk(p)
                       if f.suffix.lower() in KNOWN_SUFFIXES)
        elif p.exists():
            out.append(InputFile(p, str(p), True))
        else:
            raise InputError(f"{given}: no such file or folder")
    return out


def iter_documents(paths: list[str | Path], max_bytes: int = DEFAULT_MAX_BYTES,
                   files: list[InputFile] | None = None) -> Iterator[Document]:
    """Read every article under ``paths`` (or of ``files``, already listed) as a Document, in input order."""
    # the readers (encoding detection, HTML parser, date parsing) load when there is reading to do
    from policy_ie.pipeline.ingest.readers import (
        failed,
        is_manifest,
        read_html_file,
        read_jsonl_file,
        read_manifest,
        read_text_file,
    )

    if files is None:
        files = list_inputs(paths)
    manifest_files = {f.path for f in files if f.path.suffix.lower() in JSONL_SUFFIXES and is_manifest(f.path)}
    manifests: dict[Path, dict[str, Metadata]] = {}
    for path in sorted(manifest_files):
        manifests.setdefault(path.parent, {}).update(read_manifest(path))
    for f in files:
        suffix = f.path.suffix.lower()
        side = manifests.get(f.path.parent, {})
        if suffix in JSONL_SUFFIXES:
            if f.path in manifest_files:
                continue
            yield from read_jsonl_file(f.path, f.shown, max_bytes)
        elif suffix in TEXT_SUFFIXES:
            yield read_text_file(f.path, f.shown, max_bytes, side.get(f.path.stem))
        elif suffix in HTML_SUFFIXES:
            yield read_html_file(f.path, f.shown, max_bytes, side.get(f.path.stem))
        else:
            yield failed(f.path.stem, f.shown, f"{f.shown}: skipped: unknown kind of file "
                         f"'{f.path.suffix}'; give .txt, .jsonl, .html or .htm")

