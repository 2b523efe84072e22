"""Reading a reviewer's verdicts file: keys, skipped rows, and errors naming the file and line."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_ie.pipeline.verdicts import VerdictsError, read_verdicts

HEADER = "region_code,column,value,article_id,start,end,sentence,reasons,verdict,note\n"


def _file(tmp_path: Path, body: str, header: str = HEADER, encoding: str = "utf-8") -> Path:
    p = tmp_path / "reviews.csv"
    p.write_text(header + body, encoding)
    return p


def test_verdicts_keyed_by_article_offsets_and_value(tmp_path: Path) -> None:
    p = _file(tmp_path, '610921,poor_population,12000,hy-1,20,27,"共有贫困人口\n12000人",single,Reject,wrong year\n'
                        "610921,investment,350000000,hy-1,40,46,…,conflict,,\n"
                        "610921,projects,86,hy-1,50,53,…,single, accept ,\n")
    v = read_verdicts(p)
    assert len(v) == 2  # the row without a verdict is not reviewed yet
    assert v.by_key["hy-1", 20, 27, 12000.0].verdict == "reject" and v.by_key["hy-1", 20, 27, 12000.0].line == 2
    assert v.by_key["hy-1", 50, 53, 86.0].line == 5  # a sentence over two lines: the lines still count
    assert v.lookup("hy-1", 50, 53, 86.0) == "accept" and v.lookup("hy-1", 50, 53, 87.0) is None
    assert [s.line for s in v.stale()] == [2]  # the one never looked up


def test_a_spreadsheet_saved_file_with_a_bom_and_a_formula_guard_reads(tmp_path: Path) -> None:
    p = _file(tmp_path, "1,cadres,30,'-x1,1,3,…,single,reject,\n", encoding="utf-8-sig")
    assert list(read_verdicts(p).by_key) == [("-x1", 1, 3, 30.0)]


@pytest.mark.parametrize(("header", "body", "message"), [
    ("article_id,start,end,value\n", "", r"line 1: no column verdict in the header"),
    (HEADER, "1,c,12,a,1,3,…,,rejected,\n", r"line 2: verdict 'rejected' is neither accept nor reject"),
    (HEADER, "1,c,12,a,1,3,…,,ok,\n1,c,1万,a,1,3,…,,reject,\n", r"line 2: verdict 'ok'"),
    (HEADER, "1,c,1万,a,1,3,…,,reject,\n", r"line 2: value '1万' is not a number"),
    (HEADER, "1,c,12,a,1.5,3,…,,reject,\n", r"line 2: start '1.5' is not a whole number"),
    (HEADER, "1,c,12,a,1,,…,,reject,\n", r"line 2: end '' is not a whole number"),
    (HEADER, "1,c,12,,1,3,…,,reject,\n", r"line 2: no article_id"),
    (HEADER, "1,c,12,a,1,3,…,,reject,\n1,c,12,a,1,3,…,,accept,\n",
     r"line 3: accept of a mention line 2 says to reject"),
])
def test_a_malformed_file_names_its_line_and_what_to_do(tmp_path: Path, header: str, body: str, message: str) -> None:
    with pytest.raises(VerdictsError, match=message) as exc:
        read_verdicts(_file(tmp_path, body, header))
    assert str(tmp_path / "reviews.csv") in str(exc.value)


def test_a_missing_or_binary_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(VerdictsError, match="cannot be read"):
        read_verdicts(tmp_path / "nope.csv")
    (tmp_path / "bin.csv").write_bytes(b"\xff\xfe\x00a,b\n")
    with pytest.raises(VerdictsError, match="not UTF-8"):
        read_verdicts(tmp_path / "bin.csv")


_id = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12).filter(
    lambda s: s.strip() == s and not s.startswith("'"))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_id, st.integers(0, 10**6), st.integers(0, 10**6),
                          st.floats(0, 1e15, allow_nan=False), st.sampled_from(["accept", "reject", ""])),
                max_size=12, unique_by=lambda r: r[:4]))
def test_what_is_written_is_read_back(rows: list[tuple[str, int, int, float, str]]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["article_id", "start", "end", "value", "verdict"])
    w.writerows([a, s, e, repr(v), verdict] for a, s, e, v, verdict in rows)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "reviews.csv"
        path.write_text(buf.getvalue(), "utf-8")
        got = {k: v.verdict for k, v in read_verdicts(path).by_key.items()}
    assert got == {(a, s, e, v): verdict for a, s, e, v, verdict in rows if verdict}
