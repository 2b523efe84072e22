"""The date scanner finds exactly what a scan of every start position finds.

:func:`extractors.dates.find_dates` jumps from one position where some kind of mention
matches to the next with one regex search over the text. The reference here is the plain
scan it replaced: at every character where a mention may start, try each kind's pattern
and keep the longest. Both must give the same mentions and values on any text.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from policy_ie.extractors import dates
from policy_ie.extractors.dates import scan, values


def _reference(text: str, published: str | None) -> list[dates.Found]:
    """The position-by-position scan (slow, obviously right)."""
    v, pats = dates.vocab(), dates.patterns()
    folded = text.translate(scan._FOLD)
    ctx = values.Ctx(pub=values.parse_pub(published))
    out: list[dates.Found] = []
    i = 0
    while i < len(folded):
        hit = pats.start.search(folded, i)
        if hit is None:
            break
        i = hit.start()
        best = None
        for kind, pat in pats.kinds():
            mt = pat.match(folded, i)
            if mt is None or mt.end() <= i:
                continue
            val, keep = values.value_of(kind, mt, folded, ctx)
            if val is not values.SKIP and (best is None or mt.end() > best[1]):
                best = (mt.start(), mt.end(), val, keep)
        if best is None:
            if folded[i] in v.sentence_ends:
                ctx.year = ctx.month = None
            i += 1
            continue
        s, e, val, keep = best
        if not any(folded[max(0, s - 4):s].endswith(w) for w in v.recurring_before):
            out.append(dates.Found(s, e, text[s:e], val))
            if keep[0] is not None:
                ctx.year, ctx.month = keep
                if "年" in folded[s:e] and not folded.startswith(tuple(v.context_years), s):
                    ctx.last_year = keep[0]
        i = e
    return out


def _pieces() -> list[str]:
    """Words and characters of the vocabulary, and some filler, to build texts from."""
    v = dates.vocab()
    words = [*v.year_digits, *v.small_numerals, *v.relative_years, *v.context_years,
             *v.relative_months, *v.relative_days, *v.vague, *v.year_parts, *v.month_parts,
             *v.suffixes, *v.range_separators, *v.by_words, *v.range_from_words,
             *v.recurring_before, *v.duration_before,
             *v.count_after, *v.plan_periods, *v.plan_blockers, *v.centuries, *v.day_blockers,
             *v.sentence_ends, *v.first_months[1], v.first_months[0], "年代", "世纪"]
    for before, after in v.word_blockers.values():
        words += [*before, *after]
    for blockers in v.part_blockers.values():
        words += list(blockers)
    return sorted(set(words)) + list("0123456789０１２年月日号份 .-/，、的在全县村户人")


PIECE = st.sampled_from(_pieces())
YEARS = st.integers(1890, 2110).map(str)
SMALL = st.integers(0, 40).map(str)
NUMBER = st.one_of(YEARS, SMALL, st.sampled_from(["十一", "二〇一六", "三", "十二"]))
RANGE = st.tuples(NUMBER, st.sampled_from(["", " ", "年", "月", "日"]),
                  st.sampled_from([*dates.vocab().range_separators, " 至 ", "、"]), NUMBER,
                  st.sampled_from(["年", "月", "日", "号", "月份", " 月", ""])).map("".join)
TEXTS = st.one_of(
    st.lists(st.one_of(PIECE, YEARS, SMALL, RANGE), max_size=30).map("".join),
    st.text(alphabet=st.sampled_from(list("0123456789年月日号至-今去前后上下初底末一二十。\n")),
            max_size=40),
)
PUBS = st.one_of(st.none(), st.dates().map(lambda d: d.isoformat()))


@settings(max_examples=600, deadline=None)
@given(text=TEXTS, pub=PUBS)
def test_same_as_position_scan(text: str, pub: str | None) -> None:
    assert dates.find_dates(text, pub) == _reference(text, pub)


def test_same_as_position_scan_on_a_report() -> None:
    """A paragraph of the genre with most kinds of mention."""
    text = ("2015年12月，县里启动“十三五”脱贫规划；次年3月至5月完成建档立卡。\n"
            "今年上半年，全县减贫1200人，同比增长5%，6月底前全部验收。近年来，"
            "20世纪80年代修的路已翻新。2016-10-06、8.10.2019和去年12月31日也是日期，"
            "每年3月前的考核和长达1000年的历史不是。昨天，17日至19日召开会议。")
    for pub in (None, "2016-06-08", "2020-01-03"):
        assert dates.find_dates(text, pub) == _reference(text, pub)


def test_same_as_position_scan_on_ranges_and_odd_forms() -> None:
    """Ranges whose first end has no 年/月 of its own, spaces, Chinese year digits."""
    text = ("3-5月，2016-2018年，1至3月份，6月 至 8月，二〇一六—二〇一八年，今年3~5月，"
            "10 -12月，3 月 5 日，十一至十二月，上半年至年底，17-19日，2019年度，"
            "前年10月，一九九八年，九八年，5000年历史，每年3月前，第三季度以来，年初以来。")
    for pub in (None, "2016-06-08"):
        assert dates.find_dates(text, pub) == _reference(text, pub)
        for piece in text.split("，"):
            assert dates.find_dates(piece, pub) == _reference(piece, pub), piece
