"""The near-duplicate index of ``run()`` on disk, so a build's memory does not grow with the archive.

:class:`pipeline.dedupe.Deduplicator` keeps every indexed article's band keys, signature and id in
memory: about 170 bytes an article by tracemalloc (5.3 MB at 10,000 articles, 20.7 MB at
100,000), the largest part of ``build --jobs 1``'s growth with the archive (issue 18).
:class:`DiskDeduplicator` makes the same decisions (a hypothesis test compares the two) from a
private temporary SQLite database: SQLite creates it in its temporary folder (``SQLITE_TMPDIR``
or ``TMPDIR``, else ``/var/tmp`` or ``/tmp``), unlinks it at once and drops it when the
connection closes, and keeps at most ``CACHE_KB`` of its pages in memory, so the index costs the
same memory at 10,000 articles and at a million. Three statements an article: the candidates
with their signatures (one join over the band keys' primary key), whether the id is known, and
the inserts. The first ``SPILL_AT`` indexed articles stay in an in-memory Deduplicator and then move
to the database, so a run of a few articles loads no database module (the cold start).
"""

from __future__ import annotations

from array import array
from operator import eq
from typing import TYPE_CHECKING

from policy_ie.pipeline.dedupe import NUM_PERM, THRESHOLD, Deduplicator, band_keys
from policy_ie.text.document import Document

if TYPE_CHECKING:
    import sqlite3

__all__ = ["CACHE_KB", "SPILL_AT", "DiskDeduplicator"]

#: the database's page cache in memory, in kB (SQLite's own default is 2,000)
CACHE_KB = 4096
#: articles indexed in memory (an in-memory Deduplicator, about 0.7 MB) before the index moves to
#: the database: a run of a few articles loads no database module (the cold start)
SPILL_AT = 2048

_SCHEMA = (
    "CREATE TABLE art (pos INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, sig BLOB NOT NULL)",
    "CREATE TABLE band (k INTEGER NOT NULL, pos INTEGER NOT NULL, PRIMARY KEY (k, pos)) WITHOUT ROWID",
)


class DiskDeduplicator:
    """:class:`pipeline.dedupe.Deduplicator`'s marking with its index in a temporary database."""

    def __init__(self, threshold: float = THRESHOLD, path: str = "", spill_at: int = SPILL_AT) -> None:
        self.threshold = threshold
        self._path = path  # "": SQLite's private temporary file (a test may name one)
        self._db: sqlite3.Connection | None = None
        self._memory: Deduplicator | None = Deduplicator(threshold)
        self._count = 0
        self._spill_at = spill_at

    def _open(self) -> sqlite3.Connection:
        import sqlite3  # here: a run of one article loads no database module (the cold start)

        db = sqlite3.connect(self._path, isolation_level=None)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", f"cache_size=-{CACHE_KB}", "temp_store=FILE"):
            db.execute(f"PRAGMA {pragma}")
        for statement in _SCHEMA:
            db.execute(statement)
        db.execute("BEGIN")  # one transaction, never committed: the database dies with the run
        return db

    def _spill(self) -> None:
        """Move the in-memory index to the database (the same positions, ids and signatures)."""
        memory, self._memory = self._memory, None
        assert memory is not None
        self._db = db = self._open()
        for position, ident in enumerate(memory._ids):
            sig = memory._sigs[position * NUM_PERM:(position + 1) * NUM_PERM]
            db.execute("INSERT INTO art VALUES (?, ?, ?)", (position, ident, sig.tobytes()))
            db.executemany("INSERT OR IGNORE INTO band VALUES (?, ?)",
                           [(k, position) for k in band_keys(sig.tolist())])
        self._count = len(memory._ids)

    def close(self) -> None:
        """Drop the database (its file is gone with it)."""
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> DiskDeduplicator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def mark(self, doc: Document) -> Document:
        """Set ``doc.duplicate_of`` (or leave it None) and remember ``doc`` as a possible original."""
        if doc.signature is None:
            return doc
        if self._memory is not None:
            self._memory.mark(doc)
            if len(self._memory._ids) >= self._spill_at:
                self._spill()
            return doc
        db = self._db
        assert db is not None
        keys = band_keys(doc.signature)
        sig = array("I", doc.signature)  # multiply-shift values fit 32 bits
        best: tuple[float, int] | None = None
        best_id = None
        rows = db.execute(
            "SELECT DISTINCT band.pos, art.id, art.sig FROM band JOIN art ON art.pos = band.pos "
            f"WHERE band.k IN ({','.join('?' * len(keys))})", keys)
        for position, ident, blob in rows:
            mine = array("I")
            mine.frombytes(blob)
            sim = sum(map(eq, mine, sig)) / NUM_PERM
            if sim >= self.threshold and (best is None or (sim, -position) > best):
                best, best_id = (sim, -position), ident
        if best is not None:
            doc.duplicate_of = best_id
        elif db.execute("SELECT 1 FROM art WHERE id = ?", (doc.id,)).fetchone() is None:
            position = self._count
            self._count += 1
            db.execute("INSERT INTO art VALUES (?, ?, ?)", (position, doc.id, sig.tobytes()))
            db.executemany("INSERT OR IGNORE INTO band VALUES (?, ?)", [(k, position) for k in keys])
        return doc
