"""The build stamp: whether a dataset folder is already what a build would write.

``policy-ie build`` run twice over the same archive should not do the work twice. After a
successful build, ``OUTPUT/.policy-ie-build.json`` records a key of what went in (every
input file's path, size and modification time, the options that change records, the
pipeline's version fingerprint) and the size and modification time of every dataset file
written. A later build with the same key whose dataset files are all as recorded has
nothing to do, like ``make`` with an up-to-date target; when the key differs, a digest of
the inputs' bytes decides (a copy, a checkout or a ``touch`` changes times, not content).

The stamp is removed before a build replaces any dataset file and written only after all
of them are in place, so a build that fails or is killed (even between the final renames)
leaves no stamp, and the next build does the work again (from the article cache: fast).
A dataset file edited by hand or removed means a rebuild.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policy_ie.pipeline.version import fingerprint
from policy_ie.pipeline.write import atomic_open

NAME = ".policy-ie-build.json"
FORMAT = 1


def build_key(inputs: Iterable[Path], settings: dict[str, Any]) -> str:
    """A digest of the input files (path, size, mtime), ``settings`` and the pipeline version."""
    h = _start(settings)
    for p in inputs:
        st = p.stat()
        h.update(f"\0{os.fsdecode(p)}\0{st.st_size}\0{st.st_mtime_ns}".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def content_key(inputs: Iterable[Path], settings: dict[str, Any]) -> str:
    """Like :func:`build_key` but over the files' bytes: the same after a copy, a checkout or a
    ``touch`` that changed no content (reading and hashing costs a small part of a build)."""
    h = _start(settings)
    for p in inputs:
        h.update(f"\0{os.fsdecode(p)}\0".encode("utf-8", "surrogatepass"))
        with p.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


def _start(settings: dict[str, Any]) -> Any:
    h = hashlib.sha256()
    h.update(json.dumps({"format": FORMAT, "version": fingerprint(), "settings": settings},
                        sort_keys=True).encode())
    return h


@dataclass(frozen=True, slots=True)
class Stamp:
    """What the last successful build of a folder recorded."""

    key: str
    content: str
    files: dict[str, tuple[int, int]]
    summary: str
    exit_code: int

    def current(self, output: Path) -> bool:
        """Whether every recorded dataset file is still there, unchanged."""
        for name, (size, mtime) in self.files.items():
            try:
                st = (output / name).stat()
            except OSError:
                return False
            if (st.st_size, st.st_mtime_ns) != (size, mtime):
                return False
        return True


def read(output: Path) -> Stamp | None:
    """The stamp of ``output`` whose dataset files are all as it recorded them, else None."""
    try:
        raw = json.loads((output / NAME).read_text(encoding="utf-8"))
        stamp = Stamp(str(raw["key"]), str(raw["content"]),
                      {k: (int(v[0]), int(v[1])) for k, v in raw["files"].items()},
                      str(raw["summary"]), int(raw["exit_code"]))
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None  # no stamp, or one this version cannot read: build
    return stamp if stamp.files and stamp.current(output) else None


def up_to_date(output: Path, key: str) -> Stamp | None:
    """The stamp of ``output`` if it was built with ``key`` and is unchanged since, else None."""
    stamp = read(output)
    return stamp if stamp is not None and stamp.key == key else None


def forget(output: Path) -> None:
    """Remove the stamp (before any dataset file is replaced)."""
    (output / NAME).unlink(missing_ok=True)


def remember(output: Path, key: str, content: str, files: Iterable[Path], summary: str, exit_code: int) -> None:
    """Record a finished build: its keys, its files as they are now, its summary and status."""
    stats = {}
    for p in files:
        st = p.stat()
        stats[p.name] = [st.st_size, st.st_mtime_ns]
    with atomic_open(output / NAME) as fh:
        json.dump({"format": FORMAT, "key": key, "content": content, "files": stats, "summary": summary,
                   "exit_code": exit_code}, fh, ensure_ascii=False, indent=1)
