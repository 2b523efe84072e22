"""Engine: jieba's HMM cut of a run of characters (``jieba.finalseg.cut``), without jieba.

:mod:`.segment` rebuilds jieba's words from rjieba's path and needs jieba's HMM for runs of
single characters that are no dictionary word (rjieba's own HMM cuts some of them
otherwise). Importing jieba for it costs 0.2 s, three quarters of it ``pkg_resources``,
which jieba imports to find its files; so the HMM's tables are read from jieba's own files
(``jieba/finalseg/prob_*.py``, compiled and cached like any module) and its Viterbi search
is repeated here, step for step (jieba 0.42.1, MIT licence), so that the words are the
same. Tests compare :func:`cut` with ``jieba.finalseg.cut``.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

MIN_FLOAT = -3.14e100
#: the states that may come before each state (Begin, Middle, End of a word, Single)
PREV_STATUS = {"B": "ES", "M": "MB", "S": "SE", "E": "BM"}
_HAN = re.compile("([\u4E00-\u9FD5]+)")  # jieba.finalseg.re_han
_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")  # jieba.finalseg.re_skip


@cache
def tables() -> tuple[dict[str, float], dict[str, dict[str, float]], dict[str, dict[str, float]]]:
    """jieba's start, transition and emission log-probabilities, read from its files."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("jieba is not installed")
    where = Path(next(iter(spec.submodule_search_locations))) / "finalseg"
    got: list[Any] = []
    for name in ("prob_start", "prob_trans", "prob_emit"):
        file_spec = importlib.util.spec_from_file_location(f"policy_ie_jieba_{name}", where / f"{name}.py")
        if file_spec is None or file_spec.loader is None:
            raise ImportError(f"jieba's {name}.py not found in {where}")
        module = importlib.util.module_from_spec(file_spec)
        file_spec.loader.exec_module(module)
        got.append(module.P)
    return got[0], got[1], got[2]


def viterbi(obs: str) -> list[str]:
    """The likeliest states (B, M, E, S) of the characters of ``obs`` (jieba's ``viterbi``)."""
    start_p, trans_p, emit_p = tables()
    states = "BMES"
    v: list[dict[str, float]] = [{}]
    path: dict[str, list[str]] = {}
    for y in states:
        v[0][y] = start_p[y] + emit_p[y].get(obs[0], MIN_FLOAT)
        path[y] = [y]
    for t in range(1, len(obs)):
        v.append({})
        newpath = {}
        for y in states:
            em_p = emit_p[y].get(obs[t], MIN_FLOAT)
            prob, state = max((v[t - 1][y0] + trans_p[y0].get(y, MIN_FLOAT) + em_p, y0) for y0 in PREV_STATUS[y])
            v[t][y] = prob
            newpath[y] = path[state] + [y]
        path = newpath
    _, state = max((v[len(obs) - 1][y], y) for y in "ES")
    return path[state]


def _cut_han(sentence: str) -> Iterator[str]:
    """The words of a run of Han characters by their states."""
    states = viterbi(sentence)
    begin = nexti = 0
    for i, char in enumerate(sentence):
        pos = states[i]
        if pos == "B":
            begin = i
        elif pos == "E":
            yield sentence[begin:i + 1]
            nexti = i + 1
        elif pos == "S":
            yield char
            nexti = i + 1
    if nexti < len(sentence):
        yield sentence[nexti:]


def cut(sentence: str) -> Iterator[str]:
    """``jieba.finalseg.cut(sentence)``: Han runs by the HMM, letters and digits as runs."""
    for blk in _HAN.split(sentence):
        if _HAN.match(blk):
            yield from _cut_han(blk)
        else:
            yield from (x for x in _SKIP.split(blk) if x)
