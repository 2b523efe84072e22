"""Character normalisation: one character for one, so offsets carry over unchanged.

Full-width digits and letters become ASCII, NBSP and U+3000 a space, full-width ``．％＋－／～``
ASCII, and half-width ``,:;?!()`` next to Chinese their full-width forms, so that
extractors need one pattern per form. The cleaned view (:mod:`policy_ie.text.clean`) and a
document rebuilt from the cache (:meth:`policy_ie.text.document.Document.from_state`) both
read text through :func:`normalise`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import regex

from policy_ie.text.numpy_gate import use_numpy

_FULLWIDTH_SYMBOLS = {"．": ".", "％": "%", "＋": "+", "－": "-", "／": "/", "～": "~",
                      "＝": "=", "＜": "<", "＞": ">", "＿": "_", "＆": "&", "＃": "#", "＠": "@"}
_SPACES = "\u00a0\u3000\u2002\u2003\u2009\u200a\u202f\u205f\t\r\x0b\x0c"
_HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}


def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0xFF10, 0xFF1A):          # ０-９
        table[cp] = chr(cp - 0xFEE0)
    for cp in list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B)):  # Ａ-Ｚ ａ-ｚ
        table[cp] = chr(cp - 0xFEE0)
    for full, half in _FULLWIDTH_SYMBOLS.items():
        table[ord(full)] = half
    for ch in _SPACES:
        table[ord(ch)] = " "
    return table


_TABLE = _table()


@cache
def _numpy_lut() -> tuple[Any, Any]:
    """numpy and the table as an array indexed by code point (the Basic Multilingual Plane).

    numpy is imported at the first text to normalise, not with the data model, so that the
    command line can read options and stamps without it."""
    import numpy as np

    lut = np.arange(0x10000, dtype=np.uint32)
    for cp, ch in _TABLE.items():
        lut[cp] = ord(ch)
    return np, lut


_HALF_PUNCT = regex.compile(r"(?<=\p{Han}|[“”‘’])[,:;?!()]|[,:;?!()](?=\p{Han}|[“‘])")


def normalise(text: str) -> str:
    """Character normalisation for matching; the result has exactly ``len(text)`` characters."""
    return _HALF_PUNCT.sub(lambda m: _HALF_TO_FULL[m.group()], _translate(text))


def _translate(text: str) -> str:
    """``text.translate(_TABLE)``, four times faster: ``str.translate`` looks up a dict for
    every non-ASCII character, while an array lookup over the UTF-32 code units does all
    characters at once (the genre's texts are all non-ASCII and full of U+3000 indents).
    A short text in a process without numpy yet keeps ``str.translate`` (see
    :mod:`policy_ie.text.numpy_gate`)."""
    if text.isascii() or not use_numpy(len(text)):
        return text.translate(_TABLE)
    np, lut = _numpy_lut()
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if int(codes.max()) < 0x10000:
        out = lut[codes]
    else:  # characters beyond the BMP are never in the table
        out = codes.copy()
        bmp = codes < 0x10000
        out[bmp] = lut[codes[bmp]]
    return out.tobytes().decode("utf-32-le", "surrogatepass")
