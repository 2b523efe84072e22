"""Cleaning: furniture of many sites removed by form, normalisation, offsets kept."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policy_ie.text.clean import clean_view, furniture_spans, normalise

BODY = "  近年来，某县扶贫办投入资金1.2亿元，惠及贫困人口3.4万。"


@pytest.mark.parametrize("furniture", [
    "首页 > 滚动资讯 > 正文",
    "首页>>新闻中心>>地方动态",
    "当前位置：网站首页 > 要闻",
    "您的位置: 首页 › 政务公开 › 扶贫",
    "主页 » 新闻",
    "当前版:04版",
    "第A03版：要闻",
    "12版",
    "通版阅读请点击:",
    "展开通版",
    "上一版  下一版",
    "上一篇 下一篇",
    "文章字数:2693",
    "字数：815",
    "阅读 1234",
    "浏览次数：56次",
    "分享到:",
    "分享到：",
    "35.1K",
    "1.2万",
    "Close",
    "关闭窗口",
    "【字体：大 中 小】",
    "(责任编辑 :景远)",
    "（责任编辑：张三）",
    "责编：李四",
    "【编辑：王五】",
    "版权所有 © 某某日报社 2016",
    "Copyright 2003-2016 某某网 All Rights Reserved",
    "京ICP备12345678号",
    "主办单位：某县人民政府办公室",
    "联系我们 | 网站地图 | 关于我们",
])
def test_furniture_line_is_removed_and_body_kept(furniture: str) -> None:
    raw = f"{furniture}\n{BODY}\n"
    view = clean_view(raw)
    assert normalise(BODY).strip() in view.text
    assert normalise(furniture).strip() not in view.text


@pytest.mark.parametrize("body_line", [
    "活动主办单位为县扶贫办，共有200人参加。",
    "“首页”“上一版”这些字眼出现在句子里时不是页面元素。",
    "编辑部的同志们深入贫困村调研。",
    "2016年，全县脱贫1.2万人。",
    "审核通过后，资金拨付到户。",
])
def test_sentences_that_mention_furniture_words_are_kept(body_line: str) -> None:
    view = clean_view(f"标题\n{body_line}\n")
    assert normalise(body_line) in view.text


def test_banners_above_a_breadcrumb_go_with_it() -> None:
    raw = "聚焦全国扶贫日\n2019决战脱贫 奔小康\n首页 > 滚动资讯 > 正文\n\n某县脱贫攻坚纪实\n" + BODY
    view = clean_view(raw)
    assert "聚焦" not in view.text and "奔小康" not in view.text
    assert "某县脱贫攻坚纪实" in view.text


def test_short_lines_without_a_breadcrumb_are_not_taken_for_banners() -> None:
    raw = "某县脱贫攻坚纪实\n本报记者 张三\n" + BODY
    assert "某县脱贫攻坚纪实" in clean_view(raw).text


def test_edition_controls_are_cut_from_a_dateline_that_keeps_its_date() -> None:
    raw = "发布日期:2016年06月08日 上一版  下一版\n" + BODY
    view = clean_view(raw)
    assert "2016年06月08日" in view.text and "上一版" not in view.text


def test_normalisation_keeps_length_and_maps_forms() -> None:
    raw = "２０１７年，投入资金１．４５亿元，占比５０％,贫困人口(建档立卡)\u3000Ａ级\u00a0"
    norm = normalise(raw)
    assert len(norm) == len(raw)
    assert norm == "2017年，投入资金1.45亿元，占比50%，贫困人口（建档立卡） A级 "


def test_decimal_points_and_times_stay_ascii() -> None:
    assert normalise("48.9万 10:54 2016-10-06") == "48.9万 10:54 2016-10-06"


def test_offsets_of_the_view_point_back_to_the_raw_text() -> None:
    raw = "首页 > 新闻 > 正文\n文章字数:100\n贫困人口２８０７７名。\n分享到:\n35.1K\n"
    view = clean_view(raw)
    i = view.text.index("28077")
    s, e = view.to_raw(i, i + 5)
    assert raw[s:e] == "２８０７７"


@given(st.text(alphabet=st.sampled_from(list("首页>新闻正文\n 分享到:35.1K版04当前贫困人口万元，。（）(),:２")),
               max_size=120))
def test_every_clean_character_maps_to_its_raw_character(raw: str) -> None:
    view = clean_view(raw)
    norm = normalise(raw)
    for i, ch in enumerate(view.text):
        assert norm[view.raw_index(i)] == ch
    for a, b, _ in furniture_spans(norm):
        assert 0 <= a <= b <= len(raw)


@given(st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Z", "Cc"))
               | st.sampled_from(["\ud800", "😀", "\u3000", "１", "Ｚ"]), max_size=80))
def test_array_translation_equals_the_character_table(raw: str) -> None:
    # the vectorised lookup must be exactly str.translate, lone surrogates and astral characters included
    from policy_ie.text.normalise import _TABLE, _translate

    assert _translate(raw) == raw.translate(_TABLE)


@given(st.text(alphabet=st.sampled_from(list("首页>›当前位置：您的位置第A03版通版阅读请点击文章字数:2693阅读浏览35.1K+分享到打印"
                                             "【字体大中小】责任编辑景远版权所有ICP备主办单位联系我们|，。脱贫")),
               max_size=40))
def test_one_alternation_picks_the_first_line_pattern_that_matches(line: str) -> None:
    from policy_ie.text.clean import _line_rule, rules

    r = rules()
    assert _line_rule(line, r) == next((name for name, pat in r.lines if pat.fullmatch(line)), None)


def test_patterns_in_the_common_syntax_run_on_re_and_the_others_on_regex() -> None:
    import re

    import regex

    from policy_ie.text.clean import compile_pattern

    assert isinstance(compile_pattern(r"^(?:责任编辑|责编)\s*[：:]\s*\S{1,8}$"), re.Pattern)
    han = compile_pattern(r"^编辑[：:]\p{Han}{2,3}$")
    assert isinstance(han, regex.Pattern) and han.fullmatch("编辑：景远")


_FURNITURE_CHARS = list("首页>›»→当前位置：您的位置第A03版通版阅读请点击文章字数:2693阅读浏览35.1K+"
                        "分享到打印【字体大中小】责任编辑景远·版权所有©ICP备主办单位联系我们|｜，。脱贫 \t")


@given(st.text(alphabet=st.sampled_from(_FURNITURE_CHARS), max_size=60))
def test_every_furniture_pattern_reads_the_same_under_re_and_regex(line: str) -> None:
    """The data file is written in regex syntax; the patterns run on re must agree with it."""
    import regex

    from policy_ie.text.clean import rules

    for _name, pat in rules().lines + rules().inline:
        assert bool(pat.fullmatch(line)) == bool(regex.compile(pat.pattern).fullmatch(line))
        spans = [m.span() for m in regex.compile(pat.pattern).finditer(line)]
        assert [m.span() for m in pat.finditer(line)] == spans
