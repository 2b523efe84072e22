"""An on-disk cache of processed articles, keyed by content and pipeline version.

A rebuild of an unchanged archive reads results from here instead of extracting again,
and an edited article (or a new version of the pipeline: code, data or model) misses and
is extracted afresh. Entries are JSON (never pickle: nothing read from disk is executed),
compressed, in one SQLite file that only the main process touches.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from pathlib import Path

from policy_ie.pipeline.version import fingerprint
from policy_ie.text.document import Document


def key_of(doc: Document, options_key: str = "") -> str:
    """The cache key: the article's id, path, text and given metadata, plus the pipeline version."""
    h = hashlib.sha256()
    for part in (fingerprint(), options_key, doc.id, doc.path, doc.meta.title or "",
                 doc.meta.published or "", doc.meta.outlet or "", "\x1f".join(doc.meta.authors),
                 doc.meta.url or "", doc.text):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


class Cache:
    """Processed documents by key, in ``folder/cache.sqlite``."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "cache.sqlite"
        self._db = sqlite3.connect(self.path)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS docs (key TEXT PRIMARY KEY, state BLOB NOT NULL)")
        self.hits = self.misses = 0
        self._pending = 0

    def get(self, key: str, text: str) -> Document | None:
        """The document stored under ``key``, whose raw text (part of the key) is ``text``."""
        row = self._db.execute("SELECT state FROM docs WHERE key = ?", (key,)).fetchone()
        if row is None:
            self.misses += 1
            return None
        try:
            doc = Document.from_state(json.loads(zlib.decompress(row[0])), text)
        except (ValueError, TypeError, KeyError, zlib.error):
            self.misses += 1  # a damaged entry is extracted again
            return None
        self.hits += 1
        return doc

    def put(self, key: str, doc: Document) -> None:
        blob = zlib.compress(json.dumps(doc.to_state(), ensure_ascii=False).encode("utf-8"), 3)
        self._db.execute("INSERT OR REPLACE INTO docs (key, state) VALUES (?, ?)", (key, blob))
        self._pending += 1
        if self._pending >= 500:
            self.commit()

    def commit(self) -> None:
        self._db.commit()
        self._pending = 0

    def close(self) -> None:
        self.commit()
        self._db.close()
