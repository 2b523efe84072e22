"""Helpers for the language data files: the strict YAML loader and word alternations.

Every data file of the project is read through :func:`load_data`, which refuses a key given
twice (YAML would silently keep the last one) and anything but a mapping at the top.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

#: libyaml's parser where PyYAML was built with it (its wheels are): parsing the data files
#: in Python took 0.26 s of a one-article run, half of it.
_SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """A YAML loader that refuses a key given twice in one mapping (a silent override)."""

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise ValueError(f"duplicate key {key!r} at line {key_node.start_mark.line + 1}")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_data(path: Path) -> dict[str, Any]:
    """A YAML data file as a mapping; a duplicate key is an error naming its line."""
    with open(path, encoding="utf-8") as fh:
        try:
            data = yaml.load(fh, Loader=_UniqueKeyLoader)  # a safe loader's subclass
        except ValueError as exc:
            raise ValueError(f"{path}: {exc}; keep one of the two entries") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: expected a mapping at top level")
    return data


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first (so that the longest of words
    starting at one place wins); ``""`` for no words."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
