"""Byte streams of input files: plain, gzip (``.gz``), Zstandard (``.zst``) or standard input (``-``).

Every stream is read in pieces (constant memory) and can be peeked at, which the JSONL
reader needs to tell UTF-16 from UTF-8. A compressed file that is cut short or corrupt raises
one of :data:`BROKEN` part-way; the readers turn that into a warning naming the line.
"""

from __future__ import annotations

import gzip
import io
import sys
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import zstandard

#: The path that stands for standard input on the command line.
STDIN = Path("-")
#: Errors of a compressed stream that is corrupt or cut short.
BROKEN = (EOFError, gzip.BadGzipFile, zlib.error, zstandard.ZstdError)


@contextmanager
def open_stream(path: Path) -> Iterator[io.BufferedReader]:
    """The decompressed bytes of ``path`` (standard input for ``-``), by its last suffix."""
    if path == STDIN:
        stdin = sys.stdin.buffer  # not closed: it is not ours
        yield stdin if hasattr(stdin, "peek") else io.BufferedReader(stdin)  # a pipe in a test is a BytesIO
        return
    suffix = path.suffix.lower()
    with path.open("rb") as raw:
        if suffix == ".gz":
            with gzip.GzipFile(fileobj=raw) as fh:
                yield io.BufferedReader(fh)  # type: ignore[arg-type]
        elif suffix == ".zst":
            yield io.BufferedReader(_Zstd(raw))
        else:
            yield raw


class _Zstd(io.RawIOBase):
    """The decompressed bytes of a Zstandard stream, frame after frame; a stream that ends
    inside a frame raises :class:`EOFError` (``stream_reader`` would end quietly instead)."""

    def __init__(self, raw: io.BufferedReader, chunk: int = 1 << 16) -> None:
        self._raw, self._chunk = raw, chunk
        self._dctx = zstandard.ZstdDecompressor()
        self._obj = self._dctx.decompressobj()
        self._pending = b""
        self._in_frame = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self._pending:
            data = self._obj.unused_data or self._raw.read(self._chunk)
            if self._obj.eof:  # a frame ended: the next one (if any) needs a fresh decompressor
                self._obj, self._in_frame = self._dctx.decompressobj(), False
            if not data:
                if self._in_frame:
                    raise EOFError("Compressed file ended before the end of its last frame")
                return 0
            self._in_frame = True
            self._pending = self._obj.decompress(data)
            if self._obj.eof:
                self._in_frame = False
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n
