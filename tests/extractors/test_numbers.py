"""Tests of extractors/numbers.py: the hard-case table, and property tests of the parser."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_ie.extractors.numbers import TIME_CLASSES, find_quantities, format_chinese, normalise, parse_number

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "numbers.yaml").read_text("utf-8"))
FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


def _mark(row: dict) -> list:
    return [pytest.mark.xfail(strict=True, reason="known gap")] if row.get("known_gap") else []


@pytest.mark.parametrize("row", [pytest.param(r, marks=_mark(r), id=r["text"] or "empty")
                                 for r in CASES["parse"]])
def test_parse_table(row: dict) -> None:
    assert parse_number(row["text"]) == row["value"]


@pytest.mark.parametrize("row", [pytest.param(r, marks=_mark(r), id=r["text"])
                                 for r in CASES["quantities"]])
def test_quantity_table(row: dict) -> None:
    got = [[q.text, q.value, q.unit, q.qualifier, q.per] for q in find_quantities(row["text"])]
    assert got == row["expected"]


def test_offsets_and_links() -> None:
    text = "贫困人口由329万减少到25.5万，新增项目12个"
    qs = find_quantities(text)
    for q in qs:
        assert text[q.start:q.end] == q.text
    a, b, c = qs
    assert a.group == b.group is not None and (a.role, b.role) == ("from", "to")
    assert c.group is None and c.value == 12


def test_range_inherits_magnitude_only_when_smaller() -> None:
    assert [q.value for q in find_quantities("投入1至3万元")] == [10000, 30000]
    assert [q.value for q in find_quantities("由8000增加到1.2万")] == [8000, 12000]


def test_fullwidth_offsets_are_raw() -> None:
    text = "２０１７年投入１．５亿元"
    (y, m) = find_quantities(text)
    assert m.text == "１．５亿元" and m.value == 150000000
    assert text[m.start:m.end] == m.text and y.unit_class == "time"


# ----------------------------------------------------------------- property tests

@given(st.integers(min_value=0, max_value=10 ** 15))
@settings(max_examples=300, deadline=None)
def test_chinese_numerals_round_trip(n: int) -> None:
    assert parse_number(format_chinese(n)) == n


@given(st.integers(min_value=0, max_value=10 ** 15))
@settings(max_examples=200, deadline=None)
def test_arabic_and_fullwidth_round_trip(n: int) -> None:
    assert parse_number(str(n)) == n
    assert parse_number(str(n).translate(FULLWIDTH)) == n
    assert parse_number(f"{n:,}") == n


@given(st.integers(min_value=1, max_value=10 ** 12), st.sampled_from(["万", "亿"]))
@settings(max_examples=200, deadline=None)
def test_wan_yi_round_trip(n: int, unit: str) -> None:
    scale = 10 ** 4 if unit == "万" else 10 ** 8
    mantissa = Decimal(n) / scale
    written = format(mantissa.normalize(), "f") + unit
    assert parse_number(written) == n
    assert parse_number(written.translate(FULLWIDTH)) == n


@given(st.integers(min_value=1, max_value=10 ** 9), st.sampled_from(["人", "户", "万元", "个"]))
@settings(max_examples=100, deadline=None)
def test_quantity_in_sentence_round_trip(n: int, unit: str) -> None:
    text = f"全县累计{n}{unit}，"
    (q,) = find_quantities(text)
    factor = 10 ** 4 if unit == "万元" else 1
    assert q.value == n * factor and text[q.start:q.end] == q.text


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_never_raises_and_offsets_inside(text: str) -> None:
    parse_number(text)
    assert len(normalise(text)) == len(text)
    for q in find_quantities(text):
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start:q.end] == q.text


SOUP = "0123456789.,万亿千百十一二两三四五六七八九零几个元人户%余多约近第“”至到-由从减少"


@given(st.text(alphabet=SOUP, max_size=60))
@settings(max_examples=300, deadline=None)
def test_never_raises_on_numeral_soup(text: str) -> None:
    parse_number(text)
    for q in find_quantities(text):
        assert text[q.start:q.end] == q.text


def test_change_skips_calendar_times() -> None:
    qs = [q for q in find_quantities("收入由2012年的8568元提高到2024年的31358元")
          if q.unit_class == "money"]
    assert [(q.value, q.role) for q in qs] == [(8568, "from"), (31358, "to")]
    assert qs[0].group == qs[1].group is not None


def test_bare_count_with_magnitude_is_no_year_range() -> None:
    """A bare count with 万 before a year (从2011年86.5万减少到2018年的12.3万) is not the first
    end of a range of years: the two counts are the ends of the change, the years stay times."""
    qs = find_quantities("全省贫困人口已经从2012年86.5万减少到2018年的12.3万")
    counts = [q for q in qs if q.unit_class not in TIME_CLASSES]
    assert [(q.value, q.unit, q.role) for q in counts] == [(865000, None, "from"), (123000, None, "to")]
    assert counts[0].group == counts[1].group is not None
    assert [q.value for q in qs if q.unit_class == "time"] == [2012, 2018]
    # a plain number before a year still opens a span of years (2至3年 reads as before)
    span = find_quantities("用2至3年时间")
    assert [(q.value, q.unit, q.role) for q in span] == [(2, "年", "from"), (3, "年", "to")]


@given(st.integers(min_value=2, max_value=9999), st.sampled_from(["万", "亿"]),
       st.integers(min_value=2000, max_value=2030))
@settings(max_examples=100, deadline=None)
def test_magnitude_never_takes_a_year_unit(n: int, big: str, year: int) -> None:
    text = f"从{n}{big}减少到{year}年"
    q = find_quantities(text)[0]
    assert q.unit_class not in TIME_CLASSES and q.role is None


# ------------------------------------------- decimals written in Chinese numerals (点)

CN_DIGITS = "零一二三四五六七八九"


def _cn_below_wan(x: int, lead: bool) -> str:
    """``0 < x < 10**4`` in numerals; ``lead``: the number opens with it (十五, not 一十五)."""
    out, gap = "", False
    for unit, ch in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = x // unit % 10
        if d == 0:
            gap = gap or bool(out)
            continue
        if gap:
            out, gap = out + "零", False
        out += ("" if d == 1 and unit == 10 and lead and not out else CN_DIGITS[d]) + ch
    return out


def _cn_int(x: int) -> str:
    """``0 <= x < 10**8`` in Chinese numerals, written here independently of the module."""
    if x == 0:
        return "零"
    high, low = divmod(x, 10 ** 4)
    if not high:
        return _cn_below_wan(low, True)
    return (_cn_below_wan(high, True) + "万"
            + ("零" if 0 < low < 1000 else "") + (_cn_below_wan(low, False) if low else ""))


def _cn_decimal(whole: int, frac: int, places: int) -> str:
    """``whole`` + ``frac / 10**places`` with 点 and the fraction digit by digit."""
    if places == 0:
        return _cn_int(whole)
    return _cn_int(whole) + "点" + "".join(CN_DIGITS[int(c)] for c in f"{frac:0{places}d}")


DECIMAL = st.integers(min_value=0, max_value=3).flatmap(
    lambda places: st.tuples(st.integers(min_value=0, max_value=10 ** 8 - 1),
                             st.integers(min_value=0, max_value=10 ** places - 1),
                             st.just(places), st.sampled_from(["", "万", "亿"])))


@given(DECIMAL)
@settings(max_examples=400, deadline=None)
def test_chinese_decimals_round_trip(case: tuple[int, int, int, str]) -> None:
    """Integers and decimals of up to 3 places, alone or times 万/亿, written in numerals."""
    whole, frac, places, large = case
    if large:
        whole %= 10 ** 4  # 五千点五万, not 万 over 万
    written = _cn_decimal(whole, frac, places) + large
    exact = (Decimal(whole) + Decimal(frac).scaleb(-places)) * {"": 1, "万": 10 ** 4, "亿": 10 ** 8}[large]
    want = int(exact) if exact == exact.to_integral_value() else float(exact)
    assert parse_number(written) == want
    if places and frac:  # in a sentence, before a unit (an integer 一 alone is a determiner)
        (q,) = find_quantities(f"全县累计投入{written}元，")
        assert q.value == want and q.text == written + "元"


@given(st.integers(min_value=1, max_value=99999), st.sampled_from(["多", "余"]),
       st.sampled_from(["贫困人口", "贫困户", "贫困村"]))
@settings(max_examples=100, deadline=None)
def test_bare_count_with_infix_round_trip(n: int, infix: str, noun: str) -> None:
    """A bare count with 多/余 before its noun (500多贫困人口) keeps its value and says more."""
    text = f"全县共有{n}{infix}{noun}，"
    (q,) = find_quantities(text)
    assert (q.value, q.unit, q.qualifier) == (n, None, "at_least")
    assert text[q.start:q.end] == q.text == f"{n}{infix}"


@given(st.sampled_from(list("上近逾超过")), st.sampled_from(["名", "元", "户", "人"]))
@settings(max_examples=50, deadline=None)
def test_lone_wan_after_a_word_that_says_how_many(before: str, unit: str) -> None:
    """上万名, 近万元: a lone 万 is ten thousand, with the qualifier of the word before it."""
    text = f"全县{before}万{unit}，"
    (q,) = find_quantities(text)
    assert q.value == 10000 and q.qualifier == ("at_most" if before == "近" else "at_least")
    assert text[q.start:q.end] == q.text and q.text.startswith("上万" if before == "上" else "万")


@given(st.sampled_from(list("建有成的了在和千百亿")), st.sampled_from(["人", "亩", "元户", "家"]))
@settings(max_examples=50, deadline=None)
def test_lone_wan_without_such_a_word_is_part_of_a_word(before: str, after: str) -> None:
    """万人大会, 建成万亩茶园, 千万元: a lone magnitude with nothing saying it is one of it."""
    assert find_quantities(f"县里{before}万{after}大会") == []
