"""File names as text that can be printed and written, whatever bytes the file system holds.

Python keeps the bytes of a name that is not UTF-8 as lone surrogates (``os.fsdecode``);
such a string cannot be encoded to UTF-8, so an id or path made of it would stop the writing
of the dataset. Here those bytes are shown as ``\\xNN`` escapes instead.
"""

from __future__ import annotations

import os
from pathlib import Path


def shown_path(path: Path | str) -> str:
    """``path`` as UTF-8-safe text: undecodable bytes of its name as ``\\xNN`` escapes."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")
    return text
