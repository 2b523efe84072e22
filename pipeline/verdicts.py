"""A reviewer's verdicts on comparison values: the file ``policy-ie build --reviews FILE`` reads.

The file is a CSV, such as ``policy-ie review`` writes, with at least the columns
:data:`REQUIRED`. A row says what a person decided about one mention: ``reject`` (the value is
wrong for its cell: the build takes it out, and the drill-down keeps it marked ``rejected``),
``accept`` (checked and right: the cell's review column says ``accepted``, and a value outside
the plausible bounds goes back into its cell), or nothing (not reviewed yet: the row is
skipped). A verdict is keyed by the mention's article id, offsets and value, not by a cell, so
it survives rebuilds and changes of the cell rule; a verdict whose mention is no longer in the
build (the article edited, its offsets or value changed, or the article gone) is *stale*: the
build warns about each and counts them in its summary (:meth:`Verdicts.stale`).

A malformed file (a required column missing, an unknown verdict, a number that is not one, two
different verdicts on one mention) raises :class:`VerdictsError` naming the file, the line and
what to do; the build then writes nothing.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from policy_ie.pipeline.write import FORMULA_STARTS

#: The columns a verdicts file must have (others, such as ``reasons`` or ``note``, are kept for
#: the reader and ignored by the build).
REQUIRED = ("article_id", "start", "end", "value", "verdict")
ACCEPT, REJECT = "accept", "reject"
VERDICTS = (ACCEPT, REJECT)
#: A mention's key: article id, start, end, value.
Key = tuple[str, int, int, float]


class VerdictsError(Exception):
    """A verdicts file that cannot be read as one; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """One reviewer's decision on one mention, and the line of the file it is on."""

    article_id: str
    start: int
    end: int
    value: float
    verdict: str
    line: int
    column: str = ""

    @property
    def key(self) -> Key:
        return self.article_id, self.start, self.end, self.value

    def describe(self, path: Path | str) -> str:
        """The verdict for a person: what, on which mention, where in the file."""
        col = f" ({self.column})" if self.column else ""
        return (f"{path}, line {self.line}: {self.verdict} of {self.value:g}{col} in article "
                f"{self.article_id!r} [{self.start}:{self.end}]")


def plain_text(value: str) -> str:
    """A CSV cell as it was before :func:`~policy_ie.pipeline.write.csv_text` made it safe."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_STARTS) else value


class Verdicts:
    """The verdicts of a file, looked up by mention; remembers which were found in a build."""

    def __init__(self, verdicts: Iterable[Verdict] = (), path: Path | str = "") -> None:
        self.path = path
        self.by_key: dict[Key, Verdict] = {}
        for v in verdicts:
            self.by_key[v.key] = v
        self.found: set[Key] = set()

    def __len__(self) -> int:
        return len(self.by_key)

    def lookup(self, article_id: str, start: int, end: int, value: float) -> str | None:
        """The verdict on a mention (``accept``, ``reject``) or None; the verdict counts as found."""
        v = self.by_key.get((article_id, start, end, value))
        if v is None:
            return None
        self.found.add(v.key)
        return v.verdict

    def stale(self) -> list[Verdict]:
        """The verdicts whose mention no build input gave (in file order)."""
        return sorted((v for k, v in self.by_key.items() if k not in self.found), key=lambda v: v.line)


def _number(text: str, what: str, where: str, whole: bool) -> float:
    try:
        x = float(text)
    except ValueError:
        x = math.nan
    if not math.isfinite(x) or (whole and (x != int(x) or x < 0)):
        kind = "a whole number of 0 or more" if whole else "a number"
        raise VerdictsError(f"{where}: {what} {text!r} is not {kind}; copy it unchanged from the "
                            "file `policy-ie review` wrote")
    return x


def read_verdicts(path: Path) -> Verdicts:
    """The verdicts of ``path`` (see the module doc); :class:`VerdictsError` when malformed."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return Verdicts(_parse(csv.reader(fh), path), path)
    except OSError as exc:
        raise VerdictsError(f"{path}: cannot be read ({exc.strerror}); give an existing verdicts file "
                            "(one `policy-ie review` wrote, with its verdict column filled)") from exc
    except UnicodeDecodeError as exc:
        raise VerdictsError(f"{path}: not UTF-8 text ({exc.reason}); save it as CSV UTF-8") from exc
    except csv.Error as exc:
        raise VerdictsError(f"{path}: not a CSV file ({exc}); save it as CSV") from exc


def _parse(reader: Iterable[list[str]], path: Path) -> Iterable[Verdict]:
    """The verdicts of the rows of a CSV reader (line numbers are those of the file)."""
    rows = iter(reader)
    header = [h.strip() for h in next(rows, [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise VerdictsError(f"{path}, line 1: no column {', '.join(missing)} in the header; a verdicts file "
                            f"needs {', '.join(REQUIRED)}: start from the file `policy-ie review` writes")
    at = {c: header.index(c) for c in (*REQUIRED, "column") if c in header}
    seen: dict[Key, Verdict] = {}
    last = 1  # the line a row starts on: the one after the previous row's end (a cell may hold a newline)
    for row in rows:
        line, last = last + 1, getattr(reader, "line_num", last + 1)
        if not any(cell.strip() for cell in row):
            continue
        where = f"{path}, line {line}"
        cells = {c: (row[i].strip() if i < len(row) else "") for c, i in at.items()}
        verdict = cells["verdict"].lower()
        if not verdict:
            continue  # not reviewed yet
        if verdict not in VERDICTS:
            raise VerdictsError(f"{where}: verdict {cells['verdict']!r} is neither {ACCEPT} nor {REJECT}; "
                                "write one of them, or leave it empty for a value not reviewed")
        v = Verdict(plain_text(cells["article_id"]), int(_number(cells["start"], "start", where, True)),
                    int(_number(cells["end"], "end", where, True)), _number(cells["value"], "value", where, False),
                    verdict, line, cells.get("column", ""))
        if not v.article_id:
            raise VerdictsError(f"{where}: no article_id; copy it from the file `policy-ie review` wrote")
        other = seen.get(v.key)
        if other is not None and other.verdict != v.verdict:
            raise VerdictsError(f"{where}: {v.verdict} of a mention line {other.line} says to {other.verdict}; "
                                "keep one of the two lines")
        seen[v.key] = v
        yield v
