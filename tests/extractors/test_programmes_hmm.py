"""jieba's HMM repeated without importing jieba (extractors/programmes/hmm.py) cuts as jieba does."""

from __future__ import annotations

import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from policy_ie.extractors.programmes import hmm

RUNS = st.lists(st.sampled_from([*"常在久是要了就我你他们什么能吧吗呢村干部书记的", "a", "5", "3.5%", "-", "Wi"]),
                min_size=1, max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(run=RUNS)
def test_cut_same_as_jiebas_finalseg(run: str) -> None:
    from jieba import finalseg

    assert list(hmm.cut(run)) == list(finalseg.cut(run))


def test_a_known_cut() -> None:
    assert list(hmm.cut("常在久")) == ["常", "在", "久"]  # rjieba's HMM would give 常在/久
    assert list(hmm.cut("ab3.5%是")) == ["ab3.5%", "是"]  # letters and digits: one run


def test_tables_are_read_without_importing_jieba() -> None:
    code = ("import sys\nfrom policy_ie.extractors.programmes import hmm\n"
            "assert list(hmm.cut('忠心常在久')) and 'jieba' not in sys.modules and 'pkg_resources' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)
