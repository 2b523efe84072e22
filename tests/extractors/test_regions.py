"""Tests of the extractors/regions/ package: the case table, article regions, offsets, and
properties of its engine (scan, memo tables, suffix search) against plain walks."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_ie.extractors import regions
from policy_ie.extractors.gazetteer import load, region_data
from policy_ie.extractors.regions import (
    boundaries,
    candidates,
    glue,
    memo,
    resolve,
    scan,
    spans,
    suffix_search,
    unknown,
)
from policy_ie.text.document import CleanView, Document, Metadata

TABLE = yaml.safe_load((Path(__file__).parent / "cases" / "regions.yaml").read_text("utf-8"))


def _params(rows: list[dict]) -> list:
    return [pytest.param(c, marks=pytest.mark.xfail(strict=True, reason=c.get("note", "gap")))
            if c.get("known_gap") else c for c in rows]


def _doc(text: str, published: str | None = None, title: str | None = None) -> Document:
    return Document(id="t", path="t", text=text, meta=Metadata(title=title, published=published))


@pytest.mark.parametrize("case", _params(TABLE["cases"]), ids=[c["text"][:16] for c in TABLE["cases"]])
def test_case_table(case: dict) -> None:
    doc = _doc(case["text"], case.get("published"))
    found = regions.extract(doc)
    for m in found:
        assert doc.text[m.start:m.end] == m.text
    assert [[m.text, m.code] for m in found] == case["expect"]


@pytest.mark.parametrize("case", _params(TABLE["article_cases"]),
                         ids=[c["text"][:16] for c in TABLE["article_cases"]])
def test_article_region(case: dict) -> None:
    doc = _doc(case["text"], case.get("published"), case.get("title"))
    doc.regions = regions.extract(doc)
    got = regions.extract_article_region(doc)
    assert (got.code if got else None) == case["region"]


def test_article_region_hierarchy_filled() -> None:
    doc = _doc("柳河县召开脱贫攻坚推进会。", "2016-06-01", title="柳河县:党建引领脱贫")
    doc.regions = regions.extract(doc)
    r = regions.extract_article_region(doc)
    assert r is not None
    assert (r.code, r.name, r.level) == ("220524", "柳河县", "county")
    assert (r.province, r.city, r.county) == ("吉林省", "通化市", "柳河县")


def test_historical_article_region() -> None:
    doc = _doc("昌都地区组织干部进村入户。", "2014-03-01", title="昌都地区:干部驻村")
    doc.regions = regions.extract(doc)
    r = regions.extract_article_region(doc)
    assert r is not None and (r.code, r.name, r.province) == ("542100", "昌都地区", "西藏自治区")


def test_mention_fields() -> None:
    doc = _doc("商南县金丝峡镇发展旅游。", "2016-06-08")
    county, town = regions.extract(doc)
    assert (county.name, county.level, county.start, county.end) == ("商南县", "county", 0, 3)
    assert (town.code, town.level) == ("611023111", "town")


def test_raw_offsets_through_clean_view() -> None:
    raw = "页眉\n遵义市汇川区召开会议。"
    doc = _doc(raw)
    # a view that drops the first line (page furniture) and keeps the rest one for one
    doc.clean = CleanView(raw[3:], [(0, 3, len(raw) - 3)])
    found = regions.extract(doc)
    assert [(m.text, m.start) for m in found] == [("遵义市", 3), ("汇川区", 6)]
    for m in found:
        assert doc.text[m.start:m.end] == m.text


def test_article_month_from_dates_when_unpublished() -> None:
    from policy_ie.text.document import DateMention

    doc = _doc("承德市平泉大力发展食用菌产业。")
    doc.dates = [DateMention(text="2016年", start=0, end=0, value="2016")]
    assert regions.article_month(doc) == "2016-06"
    assert [m.code for m in regions.extract(doc)] == ["130800", "130823"]


def test_tokens_used_when_present() -> None:
    from policy_ie.text.document import Token

    doc = _doc("建设新乡村")
    doc.tokens = [Token("建设", 0, 2), Token("新", 2, 3), Token("乡村", 3, 5)]
    assert regions.extract(doc) == []


ALPHABET = st.sampled_from(list("商洛市遵义汇川县区镇村省委日报援藏北京石楼和平新乡，。1 \n"))


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60), st.sampled_from([None, "2016-06-08", "2021"]))
def test_never_raises_and_offsets_inside(text: str, published: str | None) -> None:
    doc = _doc(text, published)
    for m in regions.extract(doc):
        assert 0 <= m.start < m.end <= len(text)
        assert doc.text[m.start:m.end] == m.text
        assert m.code is None or len(m.code) in (6, 9, 12)
    doc.regions = regions.extract(doc)
    regions.extract_article_region(doc)


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=80))
def test_never_raises_on_any_text(text: str) -> None:
    doc = _doc(text)
    doc.regions = regions.extract(doc)
    regions.extract_article_region(doc)


def test_boundaries_from_compact_tokens_agree_with_the_words() -> None:
    """``ok`` (which skips the ends when the word at the start ends at the end) against the
    plain rule, on the words given whole, cut lazily and as a list of tokens."""
    from policy_ie.extractors.words import BACKENDS, CUTS, LazyTokens
    from policy_ie.text.document import Token

    text = "新乡市 新乡村\n建设，延津县 新民主主义"
    toks = BACKENDS["rjieba"](text)  # type: ignore[misc]
    whole = {t.start: t.end for t in toks}  # the words, spaces left out
    ends = {t.end for t in toks}
    for words in (toks, LazyTokens(text, CUTS["rjieba"]), [Token(t.text, t.start, t.end) for t in toks]):
        bounds = boundaries.Boundaries(text, words)
        for s in range(len(text) + 1):
            assert bounds.starts(s) == (s in whole)
            for e in range(s + 1, len(text) + 1):
                for compound in (False, True):
                    expect = s in whole and (e in ends or (compound and whole[s] >= e + 2))
                    assert bounds.ok(s, e, compound) == expect


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="红石镇乡村河东街道", max_size=40),
       st.lists(st.tuples(st.text(alphabet="红石河东", min_size=1, max_size=3), st.sampled_from(["镇", "乡", "街道"]),
                          st.sampled_from(["a", "b"])), max_size=8))
def test_towns_found_in_the_counties_sets_as_by_the_plain_search(text: str,
                                                                 towns: list[tuple[str, str, str]]) -> None:
    suffixes = ("镇", "乡", "街道")
    per_county: dict[str, set[str]] = {"a": set(), "b": set()}
    for stem, suf, county in towns:
        per_county[county].add(stem + suf)
    searchable = {c: frozenset(names) for c, names in per_county.items()}
    names = {n: [] for ns in per_county.values() for n in ns}
    plain = suffix_search.find_all(text, names, suffixes)
    assert suffix_search.find_towns(text, searchable, suffixes) == plain
    lengths = {len(n) for ns in searchable.values() for n in ns}
    ends = suffix_search.suffix_ends(text, suffixes)
    assert suffix_search.find_towns(text, searchable, suffixes, lengths, ends) == plain
    assert ends or not plain  # no suffix end, no town: the search is skipped then


@pytest.mark.parametrize("county", ["220524", "611023", "520303", "110105", "999999"])
def test_searchable_entry_holds_the_towns_names_and_their_lengths(county: str) -> None:
    gz = load()
    suffixes = tuple(region_data()["town_suffixes"])
    names, lengths = suffix_search.searchable_entry(gz, county, suffixes)
    assert names == {n for n in gz.town_names_of(county) if n.endswith(suffixes) and len(n) >= 3}
    assert lengths == {len(n) for n in names}
    assert suffix_search.searchable_entry(gz, county, suffixes)[0] == names


TITLE_ALPHABET = st.sampled_from(list("商洛市南县金丝峡镇黄土坡村来到遵义汇川区柳河红石四清乡，。："))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=TITLE_ALPHABET, max_size=40), st.sampled_from([None, "2016-06", "2021-01"]))
def test_known_only_search_gives_the_known_hits_of_the_full_search(text: str, ym: str | None) -> None:
    """``unknown=False`` (the title's search) skips only the hits without a division."""
    full = regions.find_regions(text, ym)
    assert regions.find_regions(text, ym, unknown=False) == [h for h in full if h.div is not None]


NAMES = ["贵州", "遵义", "汇川", "大同", "昌都", "昌都地区", "北京", "新乡", "和县", "商南县", "石楼", "平泉",
         "承德市", "西藏", "长宁区", "上海", "吉林", "铁东区", "四平市", "鼓楼区", "朝阳", "，", "的", "和"]


def _plain_anchors(hits: list, ym: str | None) -> Counter:
    """:func:`resolve.anchor_counts` without its memo: each hit's candidates filtered in place."""
    gz = load()
    generic, contextual = candidates.word_sets()
    out: Counter = Counter()
    for h in hits:
        if h.surface in generic or h.surface in contextual \
                or (len(h.surface) <= 2 and h.forms[0].division.level == "county"):
            continue
        cands = candidates.candidates_of_forms(gz, h.forms, ym)
        valid = [(d, k) for d, k in cands if gz.valid_at(d, ym)] or cands
        strong = [(d, k) for d, k in valid if k != "short" or d.level in ("province", "city")]
        if len(strong) == 1 and len(valid) == 1:
            out[strong[0][0].code] += 1
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(NAMES), max_size=12), st.sampled_from([None, "2013-05", "2016-06", "2021-01"]))
def test_anchors_memoised_with_the_candidates_as_computed_plainly(parts: list[str], ym: str | None) -> None:
    text = "".join(parts)
    hits = [h for h in scan.scan(text) if not glue.glued(text, h)]
    gz = load()
    got = resolve.anchor_counts(gz, hits, ym)
    assert got == _plain_anchors(hits, ym) and list(got) == list(_plain_anchors(hits, ym))
    for h in hits:
        assert list(memo.lookup(gz, h, ym)[0]) == candidates.candidates_of_forms(gz, h.forms, ym)


def _plain_scan(text: str) -> list[tuple[int, int, str]]:
    """Leftmost-longest forms (stop phrases consume their text), every position and length tried."""
    gz = load()
    stops = set(region_data()["stop_phrases"])
    words = {w for w in [*gz.forms, *stops] if len(w) >= 2}
    longest = max(map(len, words))
    out, i = [], 0
    while i < len(text):
        w = next((text[i:i + n] for n in range(longest, 1, -1) if i + n <= len(text) and text[i:i + n] in words), None)
        if w is None:
            i += 1
            continue
        if w in gz.forms:
            out.append((i, i + len(w), w))
        i += len(w)
    return out


SCAN_PARTS = [*NAMES, "遵义会议", "北京时间", "大别山", "乌蒙山", "日报", "大学", "路", "援", "市委", "县", "省", "区",
              "贵州省", "遵义市", "延安", "精神", "中山", "装", "龙井", "西湖", "a", " "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(SCAN_PARTS), max_size=40))
def test_scan_finds_the_plain_leftmost_longest_forms(parts: list[str]) -> None:
    for text in ("".join(parts), "的" * scan.SHORT_TEXT + "".join(parts)):  # probed, then hashed (numpy)
        hits = scan.scan(text)
        assert [(h.start, h.end, h.surface) for h in hits] == _plain_scan(text)
        assert all(h.forms == load().forms[h.surface] for h in hits)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(SCAN_PARTS), max_size=12))
def test_glued_in_one_pattern_as_the_two(parts: list[str]) -> None:
    text = "".join(parts)
    for h in scan.scan(text):
        plain = bool(glue.stop_after().match(text, h.end) or glue.org_after().match(text, h.end)) \
            or text[max(0, h.start - 4):h.start].endswith(glue.stop_before())
        assert glue.glued(text, h) == plain


def _plain_tagged_places(text: str, bounds: boundaries.Boundaries, taken_ix: spans.Taken) -> list:
    """:func:`unknown.tagged_places` as first written: every suffix, its characters checked in turn."""
    from policy_ie.extractors.words import BACKENDS

    uw = unknown.unknown_words()
    out = []
    for m in uw.anywhere.finditer(text):
        a, b = m.span()
        before = text[a - 1] if a else ""
        if not "\u4e00" <= before <= "\u9fff" or before in uw.stop_before or taken_ix.hits(a - 1, b) \
                or bounds.word(a) != b:
            continue
        w = max(0, a - uw.max_stem - 2)
        clause = unknown.CLAUSE_END.search(text[w:a][::-1])
        if clause is not None:
            w = a - clause.start()
        toks = list(BACKENDS["rjieba-pos"](text[w:b]))  # type: ignore[misc]
        if len(toks) < 2 or toks[-1].start != a - w or toks[-2].end != a - w:
            continue
        stem = toks[-2]
        first_cut = stem.start == 0 and clause is None and w > 0
        if stem.pos != "ns" or first_cut or not 2 <= len(stem.text) <= uw.max_stem \
                or not unknown.HAN_WORD.fullmatch(stem.text) or stem.text.startswith(uw.stop_stems) \
                or stem.text[0] in uw.stop_first:
            continue
        h = regions.Hit(a - len(stem.text), b, stem.text + m.group(), [], None, "unknown")
        out.append(h)
        taken_ix.add(h.start, h.end)
    return out


TAGGED_PARTS = ["来到", "黄土坡", "村", "镇", "乡", "社区", "街道", "嘎查", "农", "驻", "乡村", "，", "a", "红石",
                "四清", "张家湾", "李家庄", "走进", "的", "干部", "柳河县", "石门", "王"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TAGGED_PARTS), max_size=20), st.booleans())
def test_tagged_places_checking_two_han_characters_first_as_plainly(parts: list[str], lazy: bool) -> None:
    from policy_ie.extractors.words import BACKENDS, CUTS, LazyTokens

    text = "".join(parts)
    tokens = LazyTokens(text, CUTS["rjieba"]) if lazy else BACKENDS["rjieba"](text)  # type: ignore[misc]
    taken = [(h.start, h.end) for h in regions.find_regions(text, "2016-06", unknown=False)]
    got = unknown.tagged_places(text, boundaries.Boundaries(text, tokens), spans.Taken(taken))
    assert got == _plain_tagged_places(text, boundaries.Boundaries(text, tokens), spans.Taken(taken))


def test_provincial_capitals_are_cities_of_their_provinces() -> None:
    gz = load()
    capitals = region_data()["provincial_capitals"]
    provinces = {c for c, recs in gz.records.items() if recs[0].level == "province" and c[:2] < "71"}
    municipalities = {"110000", "120000", "310000", "500000"}
    assert set(capitals) == provinces - municipalities
    for province, capital in capitals.items():
        d = gz.get(capital)
        assert d is not None and d.level == "city" and gz.parent(capital) == province, (province, capital)


def test_dateline_spans_cover_the_filing_place_only() -> None:
    text = "本报北京2月20日电 记者从国务院扶贫办获悉，北京市对口帮扶成效明显。"
    ((a, b),) = regions.dateline_spans(text)
    assert text[a:b] == "本报北京2月20日电" and "北京" in text[b:]
    assert regions.dateline_spans("柳河县召开脱贫攻坚推进会。") == []


@pytest.mark.parametrize(("old", "new"), [
    ("form_kinds: [full, alias, autonomy, short]", "form_kinds: [full, alias, short]"),  # a kind left out
    ("support_cap: 5", "support_cap: five"),
    ("village_window: 40", "village_window: 40\nvillage_window: 30"),  # a key given twice
    ('"620000": "620100"', '"620000": 620100'),  # a code unquoted: a number, not a code
    ("person_verbs: [是,", "person_verbs: [1, 是,"),
])
def test_regions_data_refused_when_a_rule_is_malformed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       old: str, new: str) -> None:
    from policy_ie.extractors import gazetteer

    text = (gazetteer.DATA / "regions.yaml").read_text("utf-8")
    assert old in text
    (tmp_path / "regions.yaml").write_text(text.replace(old, new), "utf-8")
    monkeypatch.setattr(gazetteer, "DATA", tmp_path)
    with pytest.raises(ValueError):
        gazetteer.region_data.__wrapped__()


def test_a_malformed_surname_list_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from policy_ie.extractors import gazetteer

    raw = (gazetteer.DATA / "regions.yaml").read_text("utf-8").replace("surnames: 王", "surnames: [王]\nx_: 王", 1)
    (tmp_path / "regions.yaml").write_text(raw, "utf-8")
    monkeypatch.setattr(gazetteer, "DATA", tmp_path)
    gazetteer.region_data.cache_clear()
    try:
        with pytest.raises(ValueError, match="surnames must be a string"):
            gazetteer.region_data()
    finally:
        gazetteer.region_data.cache_clear()


_SPLIT = ("本报讯 记者从省扶贫办获悉，我省古浪县、天祝县等12个县退出贫困县序列。"
          "会上，来自海南、贵州的专家介绍了经验。")


@pytest.mark.parametrize(("outlet", "text", "region"), [
    # 我省 of a provincial paper is its province, though the mentions are split
    ("甘肃日报", _SPLIT, "620000"),
    # ... of a city paper, the province holding its city
    ("临夏日报", _SPLIT, "620000"),
    # an outlet named for no place decides nothing: split mentions, no region
    ("人民日报", _SPLIT, None),
    # 我县 of a provincial paper: the outlet has no county, the mentions decide
    ("甘肃日报", "本报讯 我县今年有3000人脱贫。天祝县的干部介绍，天祝县将发展牦牛产业。", "620623"),
])
def test_self_words_of_an_outlet_named_for_a_place(outlet: str, text: str, region: str | None) -> None:
    doc = Document(id="t", path="t", text="脱贫攻坚成绩单\n" + text,
                   meta=Metadata(title="脱贫攻坚成绩单", published="2019-05-01", outlet=outlet))
    doc.regions = regions.extract(doc)
    got = regions.extract_article_region(doc)
    assert (got.code if got else None) == region
