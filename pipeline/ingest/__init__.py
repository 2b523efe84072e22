"""Ingest: find the input files under the given paths and read them as Documents.

Folders are walked recursively in a stable (sorted) order without following symbolic
links, so a link loop cannot trap the walk. ``.txt``, ``.html``/``.htm``, ``.jsonl`` (also
compressed, ``.jsonl.gz`` and ``.jsonl.zst``), ``.csv``, ``.tsv``, ``.parquet`` and ``.warc``/``.warc.gz`` files are
read (:data:`~.names.KINDS`), and ``-`` is JSONL on standard input; a ``.jsonl`` file of which
no line has a text is a manifest whose metadata applies to the articles beside it.

Nothing is passed over without a word: a file of no known kind, a folder that cannot be
listed, a dangling link, a link to a folder (not followed), a FIFO, a device or a socket
(never opened: reading a FIFO could wait for ever) each gets a record with empty text and a
warning that names it and says what to do. Two kinds of file of no known kind are passed over
in a folder: hidden files (``.name``), the litter of editors and file browsers, and the
folder's own documentation (``README``, ``LICENSE``, ``*.md``, ``*.rst``), which every corpus
folder carries and no one means as an article (:data:`DOCUMENTATION`).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from policy_ie.pipeline.guard import fault
from policy_ie.pipeline.ingest.names import KNOWN, kind_of, shown_path
from policy_ie.pipeline.ingest.streams import STDIN
from policy_ie.pipeline.options import DEFAULT_MAX_BYTES
from policy_ie.text.document import Document, Metadata

#: A folder's documentation, passed over in a walk: names (without suffix, any case) and suffixes.
DOCUMENTATION = ({"readme", "license", "licence", "copying", "notice", "changelog", "authors"}, {".md", ".rst"})

__all__ = ["DEFAULT_MAX_BYTES", "InputError", "InputFile", "iter_documents", "list_inputs"]


class InputError(ValueError):
    """A path given by the user does not exist (a usage error, exit status 2)."""


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file to read, with the path as it is shown to the user; ``skip`` says why it is
    not read (the warning of its record) when it cannot be."""

    path: Path
    shown: str
    explicit: bool
    skip: str | None = None


#: What a special file is, by the ``stat`` test that recognises it.
_SPECIAL = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
            (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def _why_not(path: Path, shown: str, in_folder: bool) -> str | None:
    """Why ``path`` (a file, or what a folder lists as one) cannot be read; None when it can."""
    try:
        st = path.stat()  # follows a link: what matters is what it points to
    except FileNotFoundError:
        if not path.is_symlink():
            return f"{shown}: skipped: it no longer exists"
        return (f"{shown}: skipped: a link to {shown_path(os.readlink(path))}, which does not exist; "
                "fix or remove the link")
    except OSError as exc:
        return f"{shown}: skipped: cannot read it ({exc.strerror}); fix its permissions or leave it out"
    if stat.S_ISREG(st.st_mode) and not os.access(path, os.R_OK):
        return f"{shown}: skipped: cannot read it (permission denied); fix its permissions or leave it out"
    if stat.S_ISDIR(st.st_mode):
        return (f"{shown}: skipped: a link to a folder, not followed (links could loop); "
                "give the folder itself as an input")
    for test, kind in _SPECIAL:
        if test(st.st_mode):
            return f"{shown}: skipped: {kind}, not a file; give regular files"
    if in_folder and kind_of(path) is None:
        return (f"{shown}: skipped: unknown kind of file '{path.suffix}'; give {KNOWN}, "
                "or move it out of the input folder")
    return None


def _walk(folder: Path) -> Iterator[InputFile]:
    """The files under ``folder`` in sorted order, with a reason to skip each one that cannot be read."""
    unlisted: list[OSError] = []
    for root, dirs, files in os.walk(folder, followlinks=False, onerror=unlisted.append):
        dirs.sort()
        for error in unlisted:  # reported where the walk met them, in order
            yield _unlisted(error)
        unlisted.clear()
        for name in sorted([*files, *(d for d in dirs if os.path.islink(os.path.join(root, d)))]):
            p = Path(root) / name
            if kind_of(p) is None and (name.startswith(".") or _documentation(p)):
                continue  # hidden litter (.DS_Store, editor backups) or the folder's README
            shown = shown_path(p)
            yield InputFile(p, shown, False, _why_not(p, shown, True))
    for error in unlisted:
        yield _unlisted(error)


def _documentation(p: Path) -> bool:
    names, suffixes = DOCUMENTATION
    return p.stem.lower() in names or p.suffix.lower() in suffixes


def _unlisted(error: OSError) -> InputFile:
    p = Path(error.filename)
    shown = shown_path(p)
    return InputFile(p, shown, False, f"{shown}: skipped: cannot list the folder ({error.strerror}); "
                     "fix its permissions or leave it out")


def list_inputs(paths: list[str | Path]) -> list[InputFile]:
    """Every input file under ``paths``, in order; raises :class:`InputError` for a missing path."""
    out: list[InputFile] = []
    for given in paths:
        p = Path(given)
        if p == STDIN:
            out.append(InputFile(p, "<stdin>", True))
        elif p.is_dir():
            out.extend(_walk(p))
        elif p.exists() or p.is_symlink():
            shown = shown_path(p)
            out.append(InputFile(p, shown, True, _why_not(p, shown, False)))
        else:
            raise InputError(f"{shown_path(p)}: no such file or folder")
    return out


def iter_documents(paths: list[str | Path], max_bytes: int = DEFAULT_MAX_BYTES,
                   files: list[InputFile] | None = None) -> Iterator[Document]:
    """Read every article under ``paths`` (or of ``files``, already listed) as a Document, in input order."""
    # the readers load when there is reading to do, those of tables and web archives (pyarrow,
    # warcio: 0.1 s) when there is such a file
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
    manifest_files = {f.path for f in files
                      if f.skip is None and f.path != STDIN and f.path.suffix.lower() == ".jsonl"
                      and is_manifest(f.path)}
    manifests: dict[Path, dict[str, tuple[Metadata, list[str]]]] = {}
    for f in files:
        if f.path in manifest_files:
            manifests.setdefault(f.path.parent, {}).update(read_manifest(f.path, f.shown))
    for f in files:
        if f.skip is not None:
            yield failed(shown_path(f.path.stem), f.shown, f.skip)
            continue
        kind = "jsonl" if f.path == STDIN else kind_of(f.path)
        meta, warnings = manifests.get(f.path.parent, {}).get(f.path.stem, (None, []))
        if kind == "jsonl":
            if f.path not in manifest_files:
                yield from read_jsonl_file(f.path, f.shown, max_bytes)
            continue
        if kind in ("csv", "tsv"):
            from policy_ie.pipeline.ingest.tables import read_delimited_file

            yield from read_delimited_file(f.path, f.shown, max_bytes, "," if kind == "csv" else "\t")
            continue
        if kind == "parquet":
            from policy_ie.pipeline.ingest.tables import read_parquet_file

            yield from read_parquet_file(f.path, f.shown)
            continue
        if kind == "warc":
            from policy_ie.pipeline.ingest.warc import read_warc_file

            yield from read_warc_file(f.path, f.shown, max_bytes)
            continue
        try:
            if kind == "text":
                doc = read_text_file(f.path, f.shown, max_bytes, meta)
            elif kind == "html":
                doc = read_html_file(f.path, f.shown, max_bytes, meta)
            else:
                doc = failed(shown_path(f.path.stem), f.shown, f"{f.shown}: skipped: unknown kind of file "
                             f"'{f.path.suffix}'; give {KNOWN}")
        except Exception as exc:  # a fault of ours on one file: the batch goes on
            doc = failed(shown_path(f.path.stem), f.shown, f"{f.shown}: skipped: reading failed ({fault(exc)}); "
                         "please report this file")
        doc.warnings.extend(warnings)
        yield doc

