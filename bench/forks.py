"""Work in forked processes: each starts from this process's state and leaves it as it was.

The benchmarks fork to run work side by side (the machine's ceiling for ``--jobs 2``) and to
time each run from the same warm state (memos filled by one run must not speed up the
next). A child sends its result back as JSON through a pipe and leaves with ``os._exit``,
without running the parent's exit handlers.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

Child = tuple[int, int]  # process id, read end of its pipe


def start(work: Callable[[], Any]) -> Child:
    """Run ``work`` in a forked process; :func:`finish` waits for it and gives its result."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        code = 1
        try:
            os.close(read)
            with os.fdopen(write, "w") as fh:
                json.dump(work(), fh)
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    return pid, read


def finish(child: Child) -> Any:
    """The result of a child of :func:`start` (RuntimeError if it failed)."""
    pid, read = child
    with os.fdopen(read) as fh:
        got = fh.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not got:
        raise RuntimeError("a forked bench process failed")
    return json.loads(got)
