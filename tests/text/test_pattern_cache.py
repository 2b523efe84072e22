"""policy_ie/text/pattern_cache.py: patterns built from recorded programs are the patterns ``re`` makes.

Each test runs in a child process: installing the cache changes ``re`` for the whole process.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

_PATTERNS = [
    (r"(?P<year>\d{4})年(?P<month>\d{1,2})月", 0),
    (r"贫困人口|贫困户|贫困村", 0),
    (r"[\u4e00-\u9fff]{2,4}(县|市|区)", 0),
    (r"^\s*(?:来源|责任编辑)[:：].*$", 8),  # re.MULTILINE
    (r"abc|ABC", 2),  # re.IGNORECASE
    (r"(?x) \d+ (?: \. \d+ )? %", 0),
    (r"(a)(b)?(?(2)c|d)", 0),
]

_CHILD = """
import re, sys
from pathlib import Path
from policy_ie.text import pattern_cache as pc
pc.CACHE = Path(sys.argv[1])
patterns = {patterns!r}
def run():
    for p, f in patterns[:-1]:
        re.compile(p, f)
print(pc.build(run))
re.purge()
print(pc.install())
for p, f in patterns:
    got = re.compile(p, f)
    fresh = pc._original(p, f)
    assert got == fresh and got.groupindex == fresh.groupindex and got.groups == fresh.groups, p
    assert got.pattern == p and got.flags == fresh.flags
    text = "2019年12月 柳河县 来源：新华社 abcABC 12.5% ab"
    assert re.sub(p, "_", text) == fresh.sub("_", text)
print(sorted(k[0] for k in pc._table) == sorted(p for p, f in patterns[:-1]))
print(re.compile(patterns[-1][0]).match("ad") is not None)  # not recorded: compiled as before
"""


def _child(cache: Path) -> list[str]:
    code = _CHILD.format(patterns=_PATTERNS)
    out = subprocess.run([sys.executable, "-c", code, str(cache)], capture_output=True, text=True, check=True)
    return out.stdout.split()


def test_recorded_programs_make_the_same_patterns(tmp_path: Path) -> None:
    assert _child(tmp_path / "patterns.cache") == [str(len(_PATTERNS) - 1), "True", "True", "True"]


def test_a_cache_of_another_python_or_a_broken_one_is_not_installed(tmp_path: Path) -> None:
    cache = tmp_path / "patterns.cache"
    code = ("import marshal, sys\nfrom pathlib import Path\nfrom policy_ie.text import pattern_cache as pc\n"
            "pc.CACHE = Path(sys.argv[1])\n"
            "pc.CACHE.write_bytes(marshal.dumps((('2.7', 0, 4), {('a', 0): (0, [], 0, {}, ())})))\n"
            "first = pc.install()\n"
            "pc.CACHE.write_bytes(b'broken')\n"
            "print(first, pc.install(), pc._compiler.compile is pc._original)\n")
    out = subprocess.run([sys.executable, "-c", code, str(cache)], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "True"]
