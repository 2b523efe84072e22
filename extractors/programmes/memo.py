"""Engine: memo tables of what names alone say (names recur within and across articles).

:func:`shape_of` is :func:`.slogan.shape` remembered in a plain dict kept on the data (emptied
when full: cheaper per name than an LRU cache, since most names are new); :func:`clause_of`
is :func:`.slogan.is_clause` behind an LRU cache. Neither changes an answer.
"""

from __future__ import annotations

from functools import lru_cache

from policy_ie.extractors.programmes.data import ProgrammeData
from policy_ie.extractors.programmes.slogan import Shape, is_clause, shape

_SHAPES_KEPT = 1 << 12  # names whose shapes are kept at most (bounded memory)


def shape_of(name: str, data: ProgrammeData) -> Shape:
    """:func:`~.slogan.shape`, remembered."""
    sh = data.shapes.get(name)
    if sh is None:
        if len(data.shapes) >= _SHAPES_KEPT:
            data.shapes.clear()
        sh = data.shapes[name] = shape(name, data)
    return sh


@lru_cache(maxsize=1 << 12)
def clause_of(name: str, data: ProgrammeData) -> bool:
    """:func:`~.slogan.is_clause`, cached."""
    return is_clause(name, data)
