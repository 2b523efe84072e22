"""Article metadata: headline, publication date in every format, outlet, authors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policy_ie.extractors.metadata import extract_metadata, parse_published
from policy_ie.text.clean import clean
from policy_ie.text.document import Document, Metadata


def meta(text: str, given_meta: Metadata | None = None) -> Metadata:
    doc = Document(id="t", path="t.txt", text=text, meta=given_meta or Metadata())
    clean(doc)
    return extract_metadata(doc)


BODY = "  近年来，某市坚持党建引领，全市贫困人口由5.2万人减少到1.1万人。"


@pytest.mark.parametrize("stamp, iso", [
    ("2016年06月08日", "2016-06-08"),
    ("发布日期:2016年06月08日", "2016-06-08"),
    ("发布日期：2016年6月8日", "2016-06-08"),
    ("2016-10-06 10:54", "2016-10-06"),
    ("2016-10-06 10:54   来源:西藏日报", "2016-10-06"),
    ("01.06.2016  21:59", "2016-06-01"),
    ("2019/10/10", "2019-10-10"),
    ("时间：２０１９年１０月１７日", "2019-10-17"),
    ("发布时间：2020-05-30 08:00:12", "2020-05-30"),
])
def test_published_in_every_dateline_format(stamp: str, iso: str) -> None:
    assert meta(f"某县扶贫工作纪实\n{stamp}\n{BODY}").published == iso


def test_a_date_in_the_body_is_not_the_publication_date() -> None:
    text = "某县扶贫工作纪实\n  2016年6月8日，某县召开脱贫攻坚推进会，" + "部署全年任务。" * 3
    assert meta(text).published is None


def test_archive_metadata_wins_over_the_text() -> None:
    m = meta(f"文中标题\n2016-10-06\n{BODY}",
             Metadata(title="档案标题", published="2019-02-01", outlet="人民日报"))
    assert (m.title, m.published, m.outlet) == ("档案标题", "2019-02-01", "人民日报")


def test_title_after_page_furniture_and_before_byline() -> None:
    text = ("通版阅读请点击:\n展开通版\n当前版:02版\n发布日期:2017年03月01日 上一版  下一版\n"
            "某县:“三带三促”工程助推脱贫\n本报记者 王小明 通讯员 刘大海\n文章字数:1500\n" + BODY)
    m = meta(text)
    assert m.title == "某县:“三带三促”工程助推脱贫"
    assert m.published == "2017-03-01"
    assert m.authors == ["王小明", "刘大海"]


def test_title_is_reported_as_printed_not_normalised() -> None:
    assert meta("某县:扶贫(纪实)\n" + BODY).title == "某县:扶贫(纪实)"


def test_kicker_line_is_followed_by_the_headline() -> None:
    text = "甘肃某县某村驻村第一书记——\n“乡亲们的日子一定会好起来”\n\n" + BODY
    assert meta(text).title == "“乡亲们的日子一定会好起来”"


def test_headline_with_a_subtitle_dash_is_one_title() -> None:
    text = "筑牢基层堡垒——某市加强党建助推脱贫侧记\n\n01.06.2016  21:59\n" + BODY
    m = meta(text)
    assert m.title == "筑牢基层堡垒——某市加强党建助推脱贫侧记"
    assert m.published == "2016-06-01"


@pytest.mark.parametrize("opening", ["本报讯 (记者 马龙 通讯员 赵良琼) 当前", "本报北京10月16日电 ",
                                     "新华社北京5月3日电 "])
def test_a_text_opening_with_a_news_lead_has_no_title(opening: str) -> None:
    assert meta(opening + "某县脱贫攻坚进入决战阶段，全县上下齐心协力。").title is None


def test_banners_and_navigation_are_not_the_title() -> None:
    text = ("聚焦全国两会\n2020决胜全面小康\n首页 > 滚动资讯 > 正文\n\n"
            "脱贫路上党旗红——某州党建扶贫扫描\n\n2016年10月06日 10:54   来源:某某日报   \n\n"
            "  本报记者 陈小强\n\n" + BODY)
    m = meta(text)
    assert m.title == "脱贫路上党旗红——某州党建扶贫扫描"
    assert m.outlet == "某某日报"
    assert m.published == "2016-10-06"
    assert m.authors == ["陈小强"]


@pytest.mark.parametrize("line, outlet", [
    ("来源:西藏日报", "西藏日报"),
    ("来源：甘肃日报  作者：张三", "甘肃日报"),
    ("2019-10-17 09:12 来源：人民网-人民日报", "人民网-人民日报"),
    ("稿件来源：某县融媒体中心", "某县融媒体中心"),
])
def test_outlet_from_source_labels(line: str, outlet: str) -> None:
    assert meta(f"某县扶贫纪实\n{line}\n{BODY}").outlet == outlet


def test_benbao_alone_names_no_outlet() -> None:
    assert meta("本报讯 某县脱贫攻坚进入决战阶段。").outlet is None


@pytest.mark.parametrize("byline, names", [
    ("本报记者 李小龙 特约记者 何建强 周烨明", ["李小龙", "何建强", "周烨明"]),
    ("本报记者  白剑峰", ["白剑峰"]),
    ("记者 王浩、刘阳", ["王浩", "刘阳"]),
    ("本报通讯员 赵良琼", ["赵良琼"]),
    ("文/图 张三", ["张三"]),
    ("摄影：赵六", ["赵六"]),
    ("记者王浩", ["王浩"]),
])
def test_authors_from_bylines(byline: str, names: list[str]) -> None:
    assert meta(f"某县扶贫纪实\n{byline}\n{BODY}").authors == names


def test_authors_in_brackets_after_benbaoxun() -> None:
    m = meta("本报讯 (记者 马龙 通讯员 赵良琼) 当前脱贫攻坚已到了关键阶段。")
    assert m.authors == ["马龙", "赵良琼"]


@pytest.mark.parametrize("opening", ["文章指出，生态文明建设是关系永续发展的根本大计。",
                                     "作者认为，产业扶贫要因地制宜。", "图片显示，易地搬迁新村整齐划一。"])
def test_roles_that_begin_ordinary_words_need_a_separator(opening: str) -> None:
    # 文章指出 is no byline of 章指出: 文, 图, 摄, 作者 introduce a name only with / : or a space
    assert meta(f"某县扶贫纪实\n新华社北京1月31日电 {BODY}\n{opening}").authors == []


def test_editors_are_not_authors() -> None:
    assert meta(f"某县扶贫纪实\n{BODY}\n(责任编辑 :景远)\n").authors == []


def test_empty_and_blank_texts_have_no_metadata() -> None:
    assert meta("\n \n") == Metadata()


@given(st.text(max_size=80))
def test_parse_published_never_raises_and_returns_iso(s: str) -> None:
    out = parse_published(s)
    assert out is None or (len(out) == 10 and out[4] == "-" and out[7] == "-")


@pytest.mark.parametrize(("first_line", "title"), [
    ("【砥砺奋进的五年】岚皋县：小木耳撑起大产业", "岚皋县：小木耳撑起大产业"),
    ("［走基层］ 大山深处的扶贫车间", "大山深处的扶贫车间"),
    ("[脱贫攻坚一线]【决战决胜】易地搬迁群众住上新房", "易地搬迁群众住上新房"),
    ("湖南日报：十八洞村的幸福路", "十八洞村的幸福路"),
    ("红网:花垣县产业扶贫见实效", "花垣县产业扶贫见实效"),
    # a web page's column or site tag after the headline (title_tail_furniture)
    ("某县农机合作社被评为“全国示范社” |了不起的我们", "某县农机合作社被评为“全国示范社”"),
    ("探访全省首个脱贫摘帽县：产业兴了日子甜了_实时热点", "探访全省首个脱贫摘帽县：产业兴了日子甜了"),
    ("【走基层】大山深处的扶贫车间｜脱贫攻坚", "大山深处的扶贫车间"),
])
def test_series_banners_and_outlet_prefixes_are_not_the_title(first_line: str, title: str) -> None:
    assert meta(f"{first_line}\n本报讯 全县贫困人口减少1200人。\n").title == title


@pytest.mark.parametrize("headline", [
    "商洛：“十百千”工程抓党建促脱贫",       # a place before the colon is the headline's own
    "互联网：让山货走出大山",               # not an outlet
    "同心县【脱贫攻坚】多措并举",           # a bracket inside the headline stays
    "镜头｜大山里的笑声",                   # a column before the pipe: the tag is no shorter
    "某县｜某乡",                           # too short a headline before the pipe
    "扶贫车间开工了 | 300名群众家门口就业",  # more than a tag after the pipe
])
def test_what_only_looks_like_furniture_stays_in_the_title(headline: str) -> None:
    assert meta(f"{headline}\n本报讯 全县贫困人口减少1200人。\n").title == headline


def test_a_tag_after_the_headline_is_cut_with_the_offsets_right() -> None:
    text = "【聚焦】某县扶贫车间开进村里 群众就业有门路 |乡村新变化\n本报讯 扶贫车间带动贫困户300户。\n"
    doc = Document(id="t", path="t.txt", text=text, meta=Metadata())
    clean(doc)
    got = extract_metadata(doc)
    assert got.title == "某县扶贫车间开进村里 群众就业有门路"
    assert text.index(got.title) == 4


def test_a_banner_alone_on_its_line_is_passed_over_with_its_offsets_right() -> None:
    text = "【脱贫攻坚一线】\n　　【聚焦】柞水木耳产业带富一方\n本报讯 木耳产业带动贫困户3000户。\n"
    got = meta(text)
    assert got.title == "柞水木耳产业带富一方" and got.title in text


@given(st.text(alphabet="脱贫攻坚一线走基层决战", min_size=1, max_size=12),
       st.text(alphabet="柞水县木耳产业带富一方：“十百千”", min_size=1, max_size=30))
def test_a_banner_before_any_headline_is_cut_and_nothing_else(banner: str, headline: str) -> None:
    from policy_ie.extractors.metadata import title_of

    assert title_of(f"【{banner}】{headline}") == title_of(headline)
    assert headline.endswith(title_of(headline))  # only ever a prefix is cut
