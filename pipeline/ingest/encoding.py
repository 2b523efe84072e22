"""Decoding archive bytes: BOMs, UTF-8, GB18030/GBK, Big5, UTF-16, and what is not text.

Chinese news archives come in many encodings. We try the unambiguous cases first (a BOM,
strict UTF-8), then ask charset-normalizer. Detectors often answer GB2312 or GBK for text
that uses characters only GB18030 has; GB18030 is a superset of both, so we decode with it.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

#: Encodings a detector may report that GB18030 decodes identically (it is their superset).
GB_FAMILY = {"gb2312", "gbk", "cp936", "gb18030", "hz", "euc_cn", "ms936"}

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class DecodeError(ValueError):
    """The bytes are not text we can read; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text and the encoding it was read with."""

    text: str
    encoding: str


def _looks_binary(data: bytes) -> bool:
    """NUL bytes or many control bytes mean an image, archive or office file, not text."""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls > len(sample) * 0.05


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 files saved without a BOM: every other byte is NUL for ASCII-heavy text."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) / 2
    for enc, nuls in (("utf-16-le", odd_nuls), ("utf-16-be", even_nuls)):
        if nuls > half * 0.3:
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                return None
    # CJK-heavy UTF-16 has few NULs: accept it when it decodes and is mostly CJK.
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        cjk = sum(1 for ch in text[:2000] if "\u4e00" <= ch <= "\u9fff" or ch in "，。、\n ")
        if cjk > min(len(text), 2000) * 0.6:
            return text
    return None


def decode(data: bytes) -> Decoded:
    """Decode archive bytes to text, or raise :class:`DecodeError` saying why not."""
    if not data:
        raise DecodeError("the file is empty")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(enc), enc)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"starts with a {enc} byte-order mark but does not decode: {exc}") from exc
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    text16 = _utf16_without_bom(data)
    if text16 is not None:
        return Decoded(text16, "utf-16")
    if _looks_binary(data):
        raise DecodeError("looks like a binary file (NUL or control bytes), not text")
    from charset_normalizer import from_bytes  # a detector, needed only for bytes that are not UTF-8 or UTF-16

    best = from_bytes(data[:200_000]).best()
    if best is None:
        raise DecodeError("no text encoding fits these bytes; convert the file to UTF-8")
    enc = best.encoding.lower().replace("-", "_")
    if enc in GB_FAMILY or enc.startswith("gb"):
        enc = "gb18030"
    try:
        return Decoded(data.decode(enc), enc)
    except (UnicodeDecodeError, LookupError):
        pass
    # A detector guess that fails on the full file: the likeliest Chinese encodings.
    for enc in ("gb18030", "big5"):
        try:
            return Decoded(data.decode(enc), enc)
        except UnicodeDecodeError:
            continue
    raise DecodeError(
        f"undecodable bytes (best guess {best.encoding} fails on the whole file); "
        "convert the file to UTF-8"
    )
