"""rjieba with only the dictionary words a text holds: the same words and tags, no 0.13 s load.

rjieba parses jieba's whole dictionary (349,046 words) when made, 0.13 s of CPU, about a
seventh of a cold one-article ``extract``, which asks for the words of a few stretches.
jieba's algorithm (jieba-rs, rjieba's engine) reads the dictionary only through the words
that occur in the text it cuts (the graph of a block is its substrings that are words), their
frequencies and tags, and the sum of all frequencies (``ln(freq) - ln(total)``); its HMM is
built in. So an empty ``Jieba`` given just those words, with their frequencies and tags, and
one made-up word that brings the sum to the whole dictionary's, cuts and tags that text as
the full one does (:class:`Partial`).

The words are looked up in an index (:data:`INDEX`, about 5 MB) built once by ``make
install`` or ``python -m policy_ie.extractors.index_build``: jieba's dictionary file
(Python jieba's ``dict.txt``, the same words and frequencies as rjieba's, which the build
checks word by word) with the domain dictionary applied as rjieba applies it, the final
frequency of each word as ``add_word`` returned it. Each character's words are a block of
sorted lines, found by bisection; a process reads the index's header (where each character's
block is) and only the blocks of the characters it cuts.

The index names what it was built from (rjieba's and jieba's files, the domain dictionary's
entries); when any of it changed, or there is no index, the full dictionary is loaded as
before. Past 20,000 characters (``words._PARTIAL_BUDGET``) in a process the full dictionary is loaded anyway (a
batch): the answers are the same either way.
"""

from __future__ import annotations

import bisect
import importlib.util
import marshal
import mmap
import os
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from policy_ie.text.lexicon import CACHE_DIR

#: the index of jieba's dictionary with the domain words, built by :func:`build`
INDEX = CACHE_DIR / "jieba_dict.index"
_FORMAT = 1
_MAGIC = b"policy-ie jieba index\n"
#: the made-up word whose frequency brings the sum to the full dictionary's (private-use
#: characters: a text holding it is cut with the full dictionary)
FILLER = "\U000f0000\U000f0001"


def _file_stamp(path: Path) -> str:
    st = path.stat()
    return f"{path.name}:{st.st_size}:{st.st_mtime_ns}"


def _jieba_dict_file() -> Path:
    """Python jieba's ``dict.txt``, found without importing jieba."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("jieba is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "dict.txt"


def _rjieba_file() -> Path:
    spec = importlib.util.find_spec("rjieba")
    where = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in where:
        for name in sorted(os.listdir(folder)):
            if name.startswith("rjieba.") and name.endswith((".so", ".pyd")):
                return Path(folder) / name
    raise FileNotFoundError("rjieba's extension module not found")


def key(entries: Iterable[tuple[str, int | None, str | None]]) -> str:
    """What an index is valid for: rjieba's and jieba's files and the domain entries."""
    text = "\n".join(f"{w}\t{f}\t{p}" for w, f, p in entries)
    return (f"{_file_stamp(_rjieba_file())}|{_file_stamp(_jieba_dict_file())}|"
            f"{zlib.crc32(text.encode('utf-8')):08x}")


def _base_dictionary(path: Path) -> dict[str, tuple[int, str]]:
    """jieba's dictionary file as jieba-rs loads it: word -> (frequency, tag); a repeated
    word keeps its first tag and takes its last frequency."""
    words: dict[str, tuple[int, str]] = {}
    for line in path.read_text("utf-8").splitlines():
        parts = line.split()
        if not parts:
            continue
        freq = int(parts[1]) if len(parts) > 1 else 0
        tag = parts[2] if len(parts) > 2 else ""
        words[parts[0]] = (freq, words[parts[0]][1] if parts[0] in words else tag)
    return words


def build(entries: list[tuple[str, int | None, str | None]], jieba_class: Callable[[], Any],
          out: Path = INDEX) -> None:
    """Write the index of jieba's dictionary with ``entries`` added as rjieba adds them.

    Raises ``ValueError`` when rjieba's own dictionary does not give the same frequencies
    (another rjieba or jieba version): then no index is written and nothing changes.
    """
    base = _base_dictionary(_jieba_dict_file())
    full = jieba_class()
    words = dict(base)
    for w, f, p in entries:
        got = full.add_word(w, f, p)
        words[w] = (got, words[w][1] if w in words else (p or ""))
    _check(base, words, full, jieba_class)
    blocks: dict[str, list[str]] = {}
    for w, (f, t) in words.items():
        line = f"{w}\t{f}\t{t}"
        if w not in base:
            line += "\t"  # no base frequency: not in jieba's own dictionary
        elif base[w][0] != f:
            line += f"\t{base[w][0]}"
        blocks.setdefault(w[0], []).append(line)
    body: list[bytes] = []
    where: dict[str, tuple[int, int]] = {}
    at = 0
    for c in sorted(blocks):
        raw = "\n".join(sorted(blocks[c])).encode("utf-8")
        where[c] = (at, len(raw))
        body.append(raw)
        at += len(raw)
    header = marshal.dumps((_FORMAT, key(entries), sum(f for f, _ in words.values()),
                            sum(f for f, _ in base.values()), where))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_bytes(_MAGIC + len(header).to_bytes(8, "little") + header + b"".join(body))
    tmp.replace(out)


def _check(base: dict[str, tuple[int, str]], words: dict[str, tuple[int, str]], full: Any,
           jieba_class: Callable[[], Any]) -> None:
    """rjieba's dictionary must be jieba's file: every word's suggested frequency (its own
    frequency, and the sum of all through the words it is cut into) and tag must agree."""
    plain = jieba_class()
    mine = type(full).empty()
    for w, (f, t) in words.items():
        mine.add_word(w, f, t)
    for w in base:
        if mine.suggest_freq(w) != full.suggest_freq(w) or not plain.has_word(w):
            raise ValueError(f"rjieba's dictionary differs from {_jieba_dict_file()} at {w!r}: no index built")
    sample = "".join(list(words)[::997])
    if mine.tag(sample) != full.tag(sample):
        raise ValueError("rjieba's tags differ from jieba's dictionary file: no index built")


class Index:
    """The built index: each character's words, read from the file when first asked for."""

    def __init__(self, total: int, base_total: int, where: dict[str, tuple[int, int]],
                 body: mmap.mmap, start: int) -> None:
        self.total, self.base_total = total, base_total
        self._where, self._body, self._start = where, body, start
        self._lines: dict[str, list[str]] = {}

    def lines(self, char: str) -> list[str]:
        """The sorted lines ``word<TAB>freq<TAB>tag[<TAB>base freq]`` of words starting with ``char``."""
        got = self._lines.get(char)
        if got is None:
            span = self._where.get(char)
            if span is None:
                got = []
            else:
                a = self._start + span[0]
                got = self._body[a:a + span[1]].decode("utf-8").split("\n")
            self._lines[char] = got
        return got


def load(expected_key: str, path: Path | None = None) -> Index | None:
    """The index at ``path`` (:data:`INDEX`) if it was built for ``expected_key``, else None.

    Only its header is read (the characters' places): the blocks are mapped, read when asked.
    """
    try:
        with open(path or INDEX, "rb") as fh:
            body = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        if body[:len(_MAGIC)] != _MAGIC:
            return None
        size = int.from_bytes(body[len(_MAGIC):len(_MAGIC) + 8], "little")
        start = len(_MAGIC) + 8
        fmt, built_for, total, base_total, where = marshal.loads(body[start:start + size])
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if fmt != _FORMAT or built_for != expected_key:
        return None
    return Index(total, base_total, where, body, start + size)


class Partial:
    """An rjieba ``Jieba`` holding the dictionary words of the texts given to :meth:`ready`.

    ``domain``: jieba's dictionary with the domain words (as :func:`build` was given them),
    else jieba's alone (the frequencies before the domain words changed them).
    """

    def __init__(self, index: Index, jieba_class: Any, domain: bool = True) -> None:
        self._index, self._domain = index, domain
        self.jieba = jieba_class.empty()
        self._total = index.total if domain else index.base_total
        self._sum = 0
        self._have: set[str] = set()
        self.jieba.add_word(FILLER, self._total, None)

    def ready(self, text: str) -> bool:
        """Add the dictionary words ``text`` holds; False when it cannot be cut this way."""
        if FILLER[0] in text:
            return False
        index, have, add = self._index, self._have, self.jieba.add_word
        added = 0
        for k, c in enumerate(text):
            lines = index.lines(c)
            if not lines:
                continue
            for end in range(k + 1, len(text) + 1):
                s = text[k:end]
                i = bisect.bisect_left(lines, s)
                if i == len(lines) or not lines[i].startswith(s):
                    break  # no word goes on from here
                line = lines[i]
                if len(line) > len(s) and line[len(s)] == "\t" and s not in have:
                    freq = self._freq(line, len(s))
                    if freq is None:
                        continue
                    have.add(s)
                    fields = line[len(s) + 1:].split("\t")
                    add(s, freq, fields[1])
                    added += freq
        if added:
            self._sum += added
            if self._sum > self._total:
                return False
            self.jieba.add_word(FILLER, self._total - self._sum, None)
        return True

    def _freq(self, line: str, at: int) -> int | None:
        """The word's frequency in this dictionary, None when it is not a word of it."""
        fields = line[at + 1:].split("\t")
        if self._domain or len(fields) < 3:
            return int(fields[0])
        return int(fields[2]) if fields[2] else None
