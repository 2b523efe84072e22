"""Writing dataset files: each one replaced atomically, its text cells safe to open.

A file is written to a temporary name in the same folder, flushed to disk, then renamed
over the old one, so a reader (or a build killed half-way) sees the old file or the new
one, never a mix. Text from articles that a spreadsheet would read as a formula is
written so that it stays text (:func:`csv_text`).

A build holds its output folder's lock (:func:`lock_folder`) while it works: a second build
into the same folder stops with a clear message instead of mixing its files (or its cache)
with the first's. The lock dies with its process, so the build that takes it next knows that
the temporary files it finds are the litter of a killed build, and removes them.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


@contextmanager
def atomic_open(path: Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path``; on success it replaces ``path`` atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a dataset file is for sharing
    try:
        with os.fdopen(fd, mode, encoding=encoding if "b" not in mode else None) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


#: First characters that make a spreadsheet read a CSV cell as a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: Any) -> Any:
    """A CSV cell: text starting with a formula character gets a leading ``'`` (OWASP's advice),
    so a spreadsheet shows it as text instead of running it; numbers (negative ones too) and
    other text are returned as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def record_line(record: dict[str, Any]) -> str:
    """One article record as a JSON line (UTF-8 text, no ASCII escapes)."""
    return _RECORD_ENCODER.encode(record) + "\n"


#: ``json.dumps(record, ensure_ascii=False)``'s encoder, made once rather than per record
_RECORD_ENCODER = json.JSONEncoder(ensure_ascii=False)


def check_writable(folder: Path) -> None:
    """Fail early, before any work, when ``folder`` cannot be created or written."""
    folder.mkdir(parents=True, exist_ok=True)
    probe = folder / ".policy-ie-write-test"
    probe.write_text("ok", encoding="utf-8")
    probe.unlink()


#: The lock file of an output folder (its content: the holding build's process id).
LOCK_NAME = ".policy-ie.lock"
#: Temporary files :func:`atomic_open` makes (``.<name>.<8 random characters>.tmp``).
_TEMPORARY = re.compile(r"\..+\.[A-Za-z0-9_]{8}\.tmp")


class FolderBusy(RuntimeError):
    """Another build holds the output folder's lock; the message says which and what to do."""


@contextmanager
def lock_folder(folder: Path) -> Iterator[list[str]]:
    """Hold ``folder``'s build lock for the ``with`` block (raises :class:`FolderBusy` when
    another process holds it); yields the names of the stale temporary files it removed."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            raise FolderBusy(f"another build (process {holder}) is writing to {folder}; wait for it to "
                             "finish or choose another --output") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield remove_stale_temporaries(folder)
    finally:
        os.close(fd)  # closing releases the lock (and so does the death of the process)


def remove_stale_temporaries(folder: Path) -> list[str]:
    """Remove the temporary files a killed build left in ``folder`` (call with its lock held)."""
    removed = []
    for entry in os.scandir(folder):
        if entry.is_file(follow_symlinks=False) and _TEMPORARY.fullmatch(entry.name):
            try:
                os.unlink(entry.path)
            except FileNotFoundError:
                continue
            removed.append(entry.name)
    return sorted(removed)
