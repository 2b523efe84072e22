"""What a run is asked to do: the options of ``extract`` and ``build`` and their defaults.

Kept apart from the modules that do the work (and import numpy, the gazetteer and the
segmenters) so that the command line can read its options, check them and decide that a
build is up to date without loading any of that: a rebuild with nothing to do costs the
start of Python and little more.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

#: Where articles are processed: this process, a pool of worker processes, a dask cluster.
ENGINES = ("local", "processes", "dask")
#: Word segmenters (:data:`policy_ie.extractors.words.BACKENDS` has one of each; ``none``: no
#: words). The names are the command line's, so they live here, where it reads them cheaply.
SEGMENTERS = ("rjieba", "rjieba-pos", "jieba", "pkuseg", "none")
DEFAULT_SEGMENTER = "rjieba"
#: Articles larger than this (bytes) are not extracted: a warning says so. Real articles are
#: under 100 kB; a multi-megabyte "article" is a dump or a mistake, and the extractors are
#: linear but not free. Change it with ``--max-bytes``.
DEFAULT_MAX_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Options:
    """What the per-article function does; picklable, so it travels to worker processes."""

    segmenter: str = DEFAULT_SEGMENTER
    extractors: tuple[str, ...] | None = None

    def key(self) -> str:
        """The part of the cache key that depends on the options."""
        # Imported here, not above, so that the command line starts without the extractors.
        from policy_ie.extractors.model import enabled  # the statistical layer may be switched on or off

        names = ",".join(self.extractors) if self.extractors is not None else "*"
        return f"{self.segmenter}|{names}|model={'on' if enabled() else 'off'}"


DEFAULT = Options()


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
