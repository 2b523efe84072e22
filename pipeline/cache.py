"""An on-disk cache of processed articles, keyed by content and pipeline version.

A rebuild of an unchanged archive reads results from here instead of extracting again,
and an edited article (or a new version of the pipeline: code, data or model) misses and
is extracted afresh. Entries are JSON (never pickle: nothing read from disk is executed),
compressed, in one SQLite file (WAL mode: the workers of a pooled build read it at the same
time and each stores its new entries in one short transaction per partition).

The cache heals: it only ever saves work, so a fault in it never fails a build. Each entry
carries a checksum of its bytes, and an entry that does not match (garbled, edited by hand)
or does not read is a miss, extracted again and stored afresh. A cache file that SQLite
cannot open (truncated, overwritten) is moved aside, with a warning, and a new one is made;
one that fails during the build is set aside for the rest of it. Either way the output is
that of a build without a cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import time
import zlib
from pathlib import Path

from policy_ie.pipeline.version import fingerprint
from policy_ie.text.document import Document

#: Bytes of the checksum that starts each stored entry.
CHECK = 16


def key_of(doc: Document, options_key: str = "") -> str:
    """The cache key: the article's id, path, text and given metadata, plus the pipeline version."""
    h = hashlib.sha256()
    for part in (fingerprint(), options_key, doc.id, doc.path, doc.meta.title or "",
                 doc.meta.published or "", doc.meta.outlet or "", "\x1f".join(doc.meta.authors),
                 doc.meta.url or "", doc.text):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def pack(state: dict) -> bytes:
    """An entry as stored: a checksum of the compressed JSON, then the compressed JSON."""
    body = zlib.compress(json.dumps(state, ensure_ascii=False).encode("utf-8"), 3)
    return hashlib.blake2b(body, digest_size=CHECK).digest() + body


def unpack(blob: bytes) -> dict:
    """The state of a stored entry; ValueError when its checksum does not match its bytes."""
    body = bytes(blob[CHECK:])
    if len(blob) <= CHECK or hashlib.blake2b(body, digest_size=CHECK).digest() != bytes(blob[:CHECK]):
        raise ValueError("cache entry checksum mismatch")
    return json.loads(zlib.decompress(body))


class Cache:
    """Processed documents by key, in ``folder/cache.sqlite``; :attr:`warnings` says what was
    recovered from (for the user), empty when the cache was sound."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "cache.sqlite"
        self.warnings: list[str] = []
        self.hits = self.misses = 0
        self._pending = 0
        self._db: sqlite3.Connection | None
        try:
            self._db = self._open()
        except sqlite3.DatabaseError as exc:
            aside = self._move_aside()
            self.warnings.append(f"{self.path}: the cache could not be read ({exc}); moved aside to {aside.name} "
                                 "and started afresh (delete it when you no longer need it)")
            self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30)  # another build using this cache: wait for it
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS docs (key TEXT PRIMARY KEY, state BLOB NOT NULL)")
            db.execute("SELECT key, state FROM docs LIMIT 1").fetchall()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _move_aside(self) -> Path:
        aside = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}")
        for suffix in ("", "-wal", "-shm"):  # SQLite's journal files belong to the file they journal
            part = Path(f"{self.path}{suffix}")
            if part.exists():
                os.replace(part, Path(f"{aside}{suffix}"))
        return aside

    def _broken(self, exc: sqlite3.Error) -> None:
        """Stop using a cache that fails mid-build (the build goes on extracting)."""
        self.warnings.append(f"{self.path}: the cache failed during the build ({exc}); not used for the rest "
                             "of it. If it fails again, delete it")
        db, self._db = self._db, None
        if db is not None:
            with contextlib.suppress(sqlite3.Error):
                db.close()

    def get(self, key: str, text: str) -> Document | None:
        """The document stored under ``key``, whose raw text (part of the key) is ``text``."""
        if self._db is None:
            self.misses += 1
            return None
        try:
            row = self._db.execute("SELECT state FROM docs WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as exc:
            self._broken(exc)
            row = None
        if row is None:
            self.misses += 1
            return None
        try:
            doc = Document.from_state(unpack(row[0]), text)
        except Exception:  # a damaged or edited entry is extracted again (and stored afresh)
            self.misses += 1
            return None
        self.hits += 1
        return doc

    def put(self, key: str, doc: Document) -> None:
        if self._db is None:
            return
        try:
            self._db.execute("INSERT OR REPLACE INTO docs (key, state) VALUES (?, ?)", (key, pack(doc.to_state())))
        except sqlite3.Error as exc:
            self._broken(exc)
            return
        self._pending += 1
        if self._pending >= 500:
            self.commit()

    def put_packed(self, rows: list[tuple[str, bytes]]) -> None:
        """Entries packed (:func:`pack`) beforehand, stored in one short transaction: a pool
        worker of :mod:`pipeline.pooled` holds the file's write lock only while it stores them,
        not while it extracts."""
        if self._db is None or not rows:
            return
        try:
            self._db.executemany("INSERT OR REPLACE INTO docs (key, state) VALUES (?, ?)", rows)
            self._db.commit()
        except sqlite3.Error as exc:
            self._broken(exc)

    def commit(self) -> None:
        if self._db is None:
            return
        try:
            self._db.commit()
        except sqlite3.Error as exc:
            self._broken(exc)
        self._pending = 0

    def close(self) -> None:
        self.commit()
        if self._db is not None:
            self._db.close()
            self._db = None
