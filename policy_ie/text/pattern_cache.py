"""Regular expressions compiled in an earlier run: a cold start need not parse them again.

A cold one-article ``extract`` spent about 0.06 s of CPU, a seventh of its time, compiling
the extractors' regular expressions (dates, metric cues, cleaning, programmes …): the
standard ``re`` parses a pattern and assembles its program in Python, then hands the program
to its C engine (``_sre.compile``). That last step is all a pattern needs once its program is
known, so :func:`build` records each pattern's program as ``re`` made it (while the
pipeline extracts a few articles written for it: ``pipeline/startup_caches.py``) into
:data:`CACHE`, and :func:`install` lets
``re`` take a recorded program instead of parsing the pattern again. The pattern object is
the same (``==`` compares the pattern, its flags and its program; a test checks it); a
pattern not recorded is compiled as before.

The cache is tied to the Python that built it (its version and ``_sre``'s): with another,
or without the file, nothing is installed. ``make install`` builds it
(``python -m policy_ie.pipeline.startup_caches``).
"""

from __future__ import annotations

import _sre
import marshal
import sys
from collections.abc import Callable
from re import _compiler  # type: ignore[attr-defined]
from typing import Any

from policy_ie.text.lexicon import CACHE_DIR

#: (pattern, flags) -> the rest of ``_sre.compile``'s arguments, as ``re`` made them
CACHE = CACHE_DIR / "patterns.cache"
_KEY = (sys.version, _sre.MAGIC, _sre.CODESIZE)
_table: dict[tuple[str, int], tuple[Any, ...]] = {}
_original: Callable[..., Any] = _compiler.compile


def _from_cache(p: Any, flags: int = 0) -> Any:
    if isinstance(p, str):
        args = _table.get((p, flags))
        if args is not None:
            return _sre.compile(p, *args)
    return _original(p, flags)


def install() -> bool:
    """Let ``re`` take recorded programs from now on (once per process); False when there is
    no cache built by this Python."""
    if _compiler.compile is _from_cache:
        return True
    try:
        key, table = marshal.loads(CACHE.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return False
    if key != _KEY or not isinstance(table, dict):
        return False
    _table.update(table)
    _compiler.compile = _from_cache
    return True


class _Recorder:
    """``_sre`` as ``re``'s compiler sees it, noting the arguments of every compile."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, int], tuple[Any, ...]] = {}
        self._flags: list[int] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(_sre, name)

    def compile(self, pattern: Any, *args: Any) -> Any:
        if isinstance(pattern, str) and self._flags:
            flags, code, *rest = args  # the program's opcodes are int subclasses: kept as ints
            self.seen[(pattern, int(self._flags[-1]))] = (int(flags), [int(c) for c in code], *rest)
        return _sre.compile(pattern, *args)

    def wrap(self, p: Any, flags: int = 0) -> Any:
        self._flags.append(flags)
        try:
            return _original(p, flags)
        finally:
            self._flags.pop()


def build(run: Callable[[], object]) -> int:
    """Record the patterns compiled while ``run`` runs into :data:`CACHE`; how many."""
    rec = _Recorder()
    _compiler._sre, _compiler.compile = rec, rec.wrap
    try:
        run()
    finally:
        _compiler._sre, _compiler.compile = _sre, _original
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    tmp = CACHE.with_suffix(".tmp")
    tmp.write_bytes(marshal.dumps((_KEY, rec.seen)))
    tmp.replace(CACHE)
    return len(rec.seen)
