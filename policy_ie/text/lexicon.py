"""Helpers for the language data files: the strict YAML loader and word alternations.

Every data file of the project is read through :func:`load_data`, which refuses a key given
twice (YAML would silently keep the last one) and anything but a mapping at the top.

Parsing the data files (and importing PyYAML for it) took about 0.04 s of CPU, a tenth of a
cold one-article run, so their parsed contents are kept in :data:`CACHE` (``make install``,
or ``python -m policy_ie.pipeline.startup_caches``), each with the file's bytes it was parsed
from: a file whose bytes are still those is read from the cache (``marshal``, a fresh copy
each time), any other is parsed as before. The cache only ever spares the parsing.
"""

from __future__ import annotations

import marshal
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

#: start-up caches built from installed files (``make install``; outside the packages' data,
#: so that they are no part of the pipeline's fingerprint: they never change a result)
CACHE_DIR = Path(__file__).resolve().parent.parent / "cache"
#: parsed data files: path -> (the file's bytes, the parsed mapping marshalled)
CACHE = CACHE_DIR / "parsed_yaml.cache"


@cache
def _loader() -> type:
    """A YAML loader that refuses a key given twice in one mapping (a silent override);
    libyaml's parser where PyYAML was built with it (its wheels are): parsing the data files
    in Python took 0.26 s of a one-article run, half of it."""
    import yaml

    base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class UniqueKeyLoader(base):  # type: ignore[misc, valid-type]
        def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
            seen = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                if key in seen:
                    raise ValueError(f"duplicate key {key!r} at line {key_node.start_mark.line + 1}")
                seen.add(key)
            return super().construct_mapping(node, deep=deep)

    return UniqueKeyLoader


@cache
def _cached() -> dict[str, tuple[bytes, bytes]]:
    try:
        got = marshal.loads(CACHE.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    return got if isinstance(got, dict) else {}


def _parse(path: Path) -> dict[str, Any]:
    import yaml

    with open(path, encoding="utf-8") as fh:  # a stream: YAML's errors then name the file
        try:
            data = yaml.load(fh, Loader=_loader())  # a safe loader's subclass
        except ValueError as exc:
            raise ValueError(f"{path}: {exc}; keep one of the two entries") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: expected a mapping at top level")
    return data


def load_data(path: Path) -> dict[str, Any]:
    """A YAML data file as a mapping; a duplicate key is an error naming its line."""
    raw = path.read_bytes()
    hit = _cached().get(str(path.resolve()))
    if hit is not None and hit[0] == raw:
        return marshal.loads(hit[1])  # type: ignore[no-any-return]
    return _parse(path)


def build_cache(folders: Iterable[Path], out: Path | None = None) -> int:
    """Parse every ``*.yaml`` under ``folders`` into :data:`CACHE`; the number of files kept
    (a file that does not parse, or holds what ``marshal`` cannot keep, is left to be parsed)."""
    kept: dict[str, tuple[bytes, bytes]] = {}
    for folder in folders:
        for path in sorted(Path(folder).rglob("*.yaml")):
            raw = path.read_bytes()
            try:
                kept[str(path.resolve())] = (raw, marshal.dumps(_parse(path)))
            except ValueError:
                continue
    out = out or CACHE
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_bytes(marshal.dumps(kept))
    tmp.replace(out)
    return len(kept)


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first (so that the longest of words
    starting at one place wins); ``""`` for no words."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))

