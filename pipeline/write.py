"""Writing dataset files: each one replaced atomically, its text cells safe to open.

A file is written to a temporary name in the same folder, flushed to disk, then renamed
over the old one, so a reader (or a build killed half-way) sees the old file or the new
one, never a mix. Text from articles that a spreadsheet would read as a formula is
written so that it stays text (:func:`csv_text`).
"""

from __future__ import annotations

import json
import os
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
    return json.dumps(record, ensure_ascii=False) + "\n"


def check_writable(folder: Path) -> None:
    """Fail early, before any work, when ``folder`` cannot be created or written."""
    folder.mkdir(parents=True, exist_ok=True)
    probe = folder / ".policy-ie-write-test"
    probe.write_text("ok", encoding="utf-8")
    probe.unlink()
