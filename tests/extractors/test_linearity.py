"""The indexes that keep extraction linear in text size give the answers of plain walks.

Timing is measured by ``bench/bench_linearity.py``, never asserted here. These tests check
what does not depend on speed: each bisect or index helper agrees with the walk it
replaced, and an article followed by a copy of itself reads the same in its first copy
(no look-up reaches across the whole document).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from policy_ie.extractors.dates import find_dates
from policy_ie.extractors.numbers import CLAUSE_END, boundary_left, boundary_right, find_quantities
from policy_ie.extractors.programmes import load_data
from policy_ie.extractors.programmes.candidates import overlapping, quote_spans
from policy_ie.extractors.regions.spans import Taken, overlaps
from policy_ie.extractors.regions.suffix_search import find_all

ARTICLE = (
    "2019年底，某县贫困人口由3.2万人减少到1200人，贫困发生率降至0.8%。\n"
    "今年以来，全县累计投入扶贫资金1.45亿元，实施产业项目232个；"
    "选派第一书记128名，“五个一批”工程扎实推进。\n"
)
ALPHABET = "1２万人元，。；\n“”、县镇村年月日由到 x"


def _walk_left(text: str, i: int, ends: str) -> int:
    j = i - 1
    while j >= 0 and text[j] not in ends:
        j -= 1
    return j + 1


def _walk_right(text: str, i: int, ends: str) -> int:
    j = i
    while j < len(text) and text[j] not in ends:
        j += 1
    return j


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60), st.integers(0, 700), st.data())
def test_boundaries_agree_with_a_walk(head: str, run: int, data: st.DataObject) -> None:
    text = head + "x" * run + head  # clauses both shorter and longer than the near window
    i = data.draw(st.integers(0, len(text)))
    assert boundary_left(text, i, CLAUSE_END) == _walk_left(text, i, CLAUSE_END)
    assert boundary_right(text, i, CLAUSE_END) == _walk_right(text, i, CLAUSE_END)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 20)), max_size=12),
       st.integers(0, 60), st.integers(0, 20))
def test_overlap_indexes_agree_with_a_walk(raw: list[tuple[int, int]], s: int, n: int) -> None:
    spans = [(a, a + k) for a, k in raw]
    e = s + n
    assert Taken(spans).hits(s, e) == overlaps(s, e, spans)
    walk = any(a <= s < b or a < e <= b for a, b in spans)
    assert overlapping(spans)(s, e) == walk


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="“”\nab", max_size=40))
def test_quote_spans_close_on_their_line(text: str) -> None:
    """Quoted stretches are found by one regex scan (tests/extractors/test_programmes_fast.py
    compares it with the find-based scan it replaced); each closes the last opening mark."""
    for a, b in quote_spans(text, load_data()):
        if text[a] == "“":
            assert text[b] == "”" and not any(ch in "“”\n" for ch in text[a + 1:b])


def _find_all_walk(text: str, names: list[str]) -> list[tuple[int, int, str]]:
    occ = []
    for n in names:
        i = text.find(n)
        while i != -1:
            occ.append((i, i + len(n), n))
            i = text.find(n, i + 1)
    occ.sort(key=lambda o: (o[0], -(o[1] - o[0])))
    out: list[tuple[int, int, str]] = []
    for o in occ:
        if not out or o[0] >= out[-1][1]:
            out.append(o)
    return out


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="红石镇乡村河东", max_size=40),
       st.lists(st.text(alphabet="红石河东", min_size=1, max_size=3), max_size=6),
       st.lists(st.sampled_from(["镇", "乡", "村"]), max_size=6))
def test_names_found_from_suffixes_as_by_find(text: str, stems: list[str], sufs: list[str]) -> None:
    names = [a + b for a, b in zip(stems, sufs, strict=False)] + ["红石"]
    got = find_all(text, {n: [] for n in names}, ("镇", "乡", "村"))
    assert got == _find_all_walk(text, list(dict.fromkeys(names)))


def test_an_article_repeated_reads_the_same_in_its_first_copy() -> None:
    twice = ARTICLE + "\n" + ARTICLE
    cut = len(ARTICLE)
    once_d = [(f.start, f.end, f.value) for f in find_dates(ARTICLE, "2020-06-01")]
    twice_d = [(f.start, f.end, f.value) for f in find_dates(twice, "2020-06-01") if f.start < cut]
    assert once_d and once_d == twice_d
    once_q = [(q.start, q.end, q.value, q.unit, q.group) for q in find_quantities(ARTICLE)]
    twice_q = [(q.start, q.end, q.value, q.unit, q.group) for q in find_quantities(twice)
               if q.start < cut]
    assert once_q and once_q == twice_q


def test_a_line_of_a_million_digits_is_one_number_or_none() -> None:
    qs = find_quantities("1" * 1_000_000)
    assert len(qs) <= 1
