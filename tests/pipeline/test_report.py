"""report.html: escaping, self-containment, highlighting, and a real headless-browser check.

The browser test needs Debian's chromium (``apt-get install -y chromium``) and the pinned
playwright package (never ``playwright install``); it is skipped, saying which is missing,
where either is absent. Its screenshot is kept in ``$POLICY_IE_SCREENSHOT_DIR`` when set,
else in pytest's temporary folder (the path is printed).
"""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path
from string import Template

import pytest

from policy_ie.pipeline.aggregate import Comparison, compare
from policy_ie.pipeline.dataset import write_dataset
from policy_ie.pipeline.facts import facts_of
from policy_ie.pipeline.report.render import (
    SERVE_URL,
    ShownMention,
    bar_chart,
    comparison_table_parts,
    highlight,
    registry_table,
    render_report,
    shown_article,
    template_parts,
    write_report,
)
from policy_ie.text.document import ArticleRegion, Document

EVIL = "<script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\">"


def _evil_docs(hand_docs: list[Document], doc_factory) -> list[Document]:
    text = f"通化:柳河县贫困人口1.2万人。{EVIL}&amp;“红色引擎”工程"
    evil = doc_factory("evil<id>", text, title="<b>柳河</b>", published="2017-03-01",
                       region=hand_docs[0].region.__class__("220524", "柳河县<i>", "county", "吉林省"),
                       metrics=[("贫困人口1.2万人", "poor_population", 12000, {"unit": "人"})],
                       programmes=[("“红色引擎”工程", "红色引擎</td>", {"kind": "工程"})],
                       regions=[("柳河县", "220524", "柳河县", "county")])
    return [*hand_docs, evil]


def _page(hand_docs: list[Document]) -> str:
    comp = compare([f for d in hand_docs for f in facts_of(d)], use_gazetteer=False)
    return render_report(comp, [], [shown_article(d) for d in hand_docs], len(hand_docs), 300)


def test_article_text_and_metadata_are_escaped(hand_docs: list[Document], doc_factory) -> None:
    page = _page(_evil_docs(hand_docs, doc_factory))
    assert page.count("<script>") == 1  # the page's own
    assert "&lt;script&gt;window.pwned = 1&lt;/script&gt;" in page
    assert "<img" not in page and "&lt;img src=x onerror=&quot;window.pwned = 2&quot;&gt;" in page
    assert "&amp;amp;" in page
    assert "&lt;b&gt;柳河&lt;/b&gt;" in page and "柳河县&lt;i&gt;" in page
    assert "evil&lt;id&gt;" in page and "<b>" not in page and "</td>”" not in page


def test_page_is_self_contained(hand_docs: list[Document]) -> None:
    """Nothing is loaded from elsewhere; the only outside links are a click away, to the
    ``policy-ie serve`` of this machine (the cells whose evidence is not embedded)."""
    comp = compare([f for d in hand_docs for f in facts_of(d)], use_gazetteer=False)
    page = render_report(comp, [], [shown_article(hand_docs[0])], len(hand_docs), 1)
    assert not re.search(r"""src\s*=\s*["']?(https?:)?//""", page)
    outside = re.findall(r"""href\s*=\s*["']?((https?:)?//[^"' >]*)""", page)
    assert outside and all(u.startswith(f"{SERVE_URL}/sources?") for u, _ in outside)
    assert "<link" not in page and "@import" not in page
    assert "<style>" in page and "<svg" in page


def test_every_metric_cell_links_to_its_highlighted_mention(hand_docs: list[Document]) -> None:
    page = _page(hand_docs)
    links = re.findall(r'<a href="#(a\d+-\d+-\d+)">', page)
    assert links
    for target in links:
        assert f'id="{target}"' in page
    assert "†2" in page  # 商洛's two poor_population figures
    assert 'title="文中年份 / year the text gives">2017</small>' in page  # 截至2017年底 … 30.2万人
    # a figure the text leaves undated
    assert re.search(r'title="发布年份 / year of publication">20\d\d（发布）</small>', page)


def test_highlight_nests_contained_mentions_and_skips_crossing_ones() -> None:
    text = "商洛市贫困人口48.9万人"
    ms = [ShownMention("metric", 3, 13, "poor_population", "t"), ShownMention("region", 0, 3, "REGION", "r"),
          ShownMention("date", 7, 11, "NUM", "inside"), ShownMention("region", 12, 14, "X", "crosses")]
    html = highlight(text, ms, "a0")
    assert html.count("<mark") == 3 and html.count("</mark>") == 3
    assert re.sub(r"<[^>]+>", "", html.replace('<span class="lbl">', "[").replace("</span>", "]")) == \
        "商洛市[REGION]贫困人口48.9[NUM]万人[poor_population]"
    assert 'id="a0-3-13"' in html


def test_highlight_ignores_spans_outside_the_text() -> None:
    assert highlight("<x>", [ShownMention("date", 2, 9, "D", "")]) == "&lt;x&gt;"


def test_bar_chart_escapes_labels_and_scales() -> None:
    svg = bar_chart("t", "人", [("<a>", 10, None), ("b", 5, "#x")])
    assert "&lt;a&gt;" in svg and svg.count("<rect") == 2 and '<a href="#x">' in svg


def test_page_written_piece_by_piece_is_the_page(hand_docs: list[Document], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # one build time for both pages (they name it)
    comp = compare([f for d in hand_docs for f in facts_of(d)], use_gazetteer=False)
    articles = [shown_article(d) for d in hand_docs]
    registry = [{"name": "十百千", "kind": "工程", "scope": "regional", "n_articles": 1,
                 "regions": [{"code": "611000", "name": "商洛市"}], "headline_in": ["sl-1"], "components": []}]
    fh = io.StringIO()
    write_report(fh, comp, iter(registry), articles, len(hand_docs), 300)  # the registry read once, in turn
    page = render_report(comp, registry, articles, len(hand_docs), 300)
    assert fh.getvalue() == page and '<table class="sortable" id="registry">' in page
    assert page.count("<article ") == len(articles)


def test_template_parts_read_placeholders_as_string_template() -> None:
    text = "<p>$a and ${b}x cost $$5; $a again</p>$c"
    values = {"a": "A", "b": 2, "c": lambda: iter(["<i>", "c", "</i>"])}
    assert "".join(template_parts(text, values)) == Template(text).substitute(a="A", b=2, c="<i>c</i>")
    with pytest.raises(KeyError):
        "".join(template_parts("$missing", {}))
    with pytest.raises(ValueError):
        "".join(template_parts("costs $ 5", {}))


def test_empty_registry_says_so() -> None:
    assert registry_table([]) == registry_table(iter([]))
    assert re.findall(r">([^<>]+)<", registry_table([])) == ["未发现项目品牌。", "No programmes found."]


def test_cap_is_said_in_the_page(tmp_path: Path, hand_docs: list[Document]) -> None:
    write_dataset(hand_docs, tmp_path, report_cap=2, use_gazetteer=False)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Showing 2 of 3 articles" in page and "at most 2" in page
    assert page.count("<article ") == 2


# -- the real browser -----------------------------------------------------------------------
def test_report_in_headless_chromium(tmp_path: Path, hand_docs: list[Document], doc_factory, chromium) -> None:
    out = tmp_path / "dataset"
    write_dataset(_evil_docs(hand_docs, doc_factory), out, use_gazetteer=False)
    shots = Path(os.environ.get("POLICY_IE_SCREENSHOT_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    browser = chromium
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("request", lambda r: problems.append(f"request: {r.url}")
            if not r.url.startswith("file://") else None)
    page.goto((out / "report.html").as_uri())
    page.wait_for_load_state("load")

    # the article's <script> and <img onerror> are text, never run
    assert page.evaluate("window.pwned") is None
    assert page.locator("article", has_text="<script>window.pwned = 1</script>").count() == 1

    # the table sorts on a header click, both ways
    header = page.locator("#comparison thead th", has_text="poor_population")
    col = page.locator("#comparison thead th").all_inner_texts().index(header.inner_text())

    def column() -> list[str]:
        return page.eval_on_selector_all(
            "#comparison tbody tr", f"rows => rows.map(r => r.cells[{col}].dataset.sort)")

    header.click()
    asc = [float(v) for v in column() if v]
    assert asc == sorted(asc) and len(asc) >= 3
    assert header.get_attribute("aria-sort") == "ascending"
    header.click()
    desc = [float(v) for v in column() if v]
    assert desc == sorted(desc, reverse=True)
    assert column()[-1] == ""  # empty cells stay last

    # a highlighted figure is visible, labelled, and the table links to it
    mark = page.locator("mark.ent-metric", has_text="贫困人口48.9万人").first
    mark.scroll_into_view_if_needed()
    assert mark.is_visible()
    assert "poor_population" in mark.inner_text()
    assert mark.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    page.locator("#comparison a").first.click()
    assert page.evaluate("location.hash").startswith("#a")
    page.locator("#s-table").scroll_into_view_if_needed()
    shot = shots / "report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    print(f"screenshot: {shot}")
    assert problems == []


def test_cells_beyond_the_embedded_articles_link_to_their_sources_in_datasette(hand_docs: list[Document]) -> None:
    comp = compare([f for d in hand_docs for f in facts_of(d)], use_gazetteer=False)
    page = render_report(comp, [], [shown_article(hand_docs[2])], len(hand_docs), 1)  # only 遵义's article
    table = page[page.index('<table class="sortable" id="comparison">'):]
    table = table[:table.index("</table>")]
    embedded = re.findall(r'<a href="#a\d+-\d+-\d+">', table)
    remote = re.findall(r'<td class="num remote[^"]*"[^>]*title="([^"]*)"><a class="serve" href="([^"]+)"', table)
    valued = len(re.findall(r'<td class="num[^"]*" data-sort="[^"]+"', table)) - len(comp.rows)  # less n_articles
    assert len(embedded) == 2 and len(remote) == valued - 2 >= 6  # 遵义市 and 汇川区; the cells of 商洛's articles
    assert '<strong class="n-embedded">2</strong> 个' in page and f"其余 {valued - 2} 个" in page
    assert f"of {valued} valued cells" in page
    tip, href = next((t, h) for t, h in remote if "region_code=611000&amp;column=poor_population" in h)
    assert href == f"{SERVE_URL}/sources?region_code=611000&amp;column=poor_population"
    assert "policy-ie serve --output" in tip and "30.2万人" in tip  # the hint, and the sentence itself


def test_search_and_filters_read_what_each_row_carries(hand_docs: list[Document]) -> None:
    page = _page(hand_docs)
    rows = re.findall(r'<tr data-q="([^"]*)" data-province="([^"]*)" data-level="([^"]*)">', page)
    assert ("520300 遵义市 贵州省 city", "贵州省", "city") in [(q.strip(), p, lv) for q, p, lv in rows]
    assert ("520303 汇川区  county", "", "county") in [(q.strip(), p, lv) for q, p, lv in rows]  # no gazetteer here
    assert '<option value="陕西省">陕西省</option>' in page and '<option value="county">县级 county</option>' in page


def test_a_column_added_to_the_comparison_shows_in_the_table(hand_docs: list[Document], monkeypatch) -> None:
    comp = compare([f for d in hand_docs for f in facts_of(d)], use_gazetteer=False)
    header = comp.header
    monkeypatch.setattr(Comparison, "header", property(lambda self: [*header, "poor_population_note"]))
    comp.rows[0]["poor_population_note"] = "见附表二"
    table = "".join(comparison_table_parts(comp, {}))
    assert "<small>poor_population_note</small></th>" in table and "<td>见附表二</td>" in table
    assert "<small>poor_population_review</small>" not in table  # a known column: the cell's class and tooltip


def test_report_navigates_in_headless_chromium(tmp_path: Path, hand_docs: list[Document], doc_factory,
                                               chromium) -> None:
    """Search and filters pick rows; the header row stays at the top of the window and the region
    column at its left while the page scrolls; a cell beyond the embedded articles links to its
    sources under ``policy-ie serve`` and says so; the language switch shows one language or both."""
    more = [doc_factory(f"t-{i}", f"本县贫困人口{i + 1}00人，贫困村{i + 2}个。", published="2019-05-01",
                        region=ArticleRegion(f"6110{i + 30}", f"测试{i}县", "county", "陕西省", "商洛市"),
                        metrics=[(f"贫困人口{i + 1}00人", "poor_population", (i + 1) * 100, {"unit": "人"}),
                                 (f"贫困村{i + 2}个", "poor_villages", i + 2, {"unit": "个"})])
            for i in range(40)]
    out = tmp_path / "dataset"
    write_dataset([*hand_docs, *more], out, report_cap=1, use_gazetteer=False)
    problems: list[str] = []
    page = chromium.new_page(viewport={"width": 700, "height": 500})
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("request", lambda r: problems.append(f"request: {r.url}")
            if not r.url.startswith("file://") else None)
    page.goto((out / "report.html").as_uri())
    page.wait_for_load_state("load")

    def shown() -> list[str]:
        return page.eval_on_selector_all("#comparison tbody tr", "rows => rows.filter(r => !r.hidden)"
                                         ".map(r => r.cells[0].textContent.split(' ')[0])")

    assert len(shown()) == 44
    page.fill("#q", "遵义")
    assert shown() == ["遵义市"] and page.inner_text("#shown") == "1"
    page.fill("#q", "611000")
    assert shown() == ["商洛市"]
    page.fill("#q", "测试3")
    assert set(shown()) == {"测试3县", *(f"测试{i}县" for i in range(30, 40))}
    page.fill("#q", "")
    page.select_option("#f-province", "贵州省")
    assert shown() == ["遵义市"]
    page.select_option("#f-province", "")
    page.select_option("#f-level", "city")
    assert sorted(shown()) == ["商洛市", "遵义市"]
    page.select_option("#f-province", "陕西省")
    assert shown() == ["商洛市"] and page.inner_text("#shown") == "1"
    page.select_option("#f-province", "")
    page.select_option("#f-level", "")
    assert len(shown()) == 44

    # scrolled down and right, the header row is at the top of the window, the region column at its left
    top = page.evaluate("document.getElementById('comparison').getBoundingClientRect().top + window.scrollY")
    page.evaluate(f"window.scrollTo(400, {top} + 600)")
    assert page.evaluate("window.scrollX") > 0 and page.evaluate("window.scrollY") > top + 500
    head = page.evaluate("JSON.stringify(document.querySelector('#comparison thead th.region')"
                         ".getBoundingClientRect())")
    table = page.evaluate("document.getElementById('comparison').getBoundingClientRect().top")
    assert table < -500 and abs(json.loads(head)["top"]) < 1.5 and abs(json.loads(head)["left"]) < 1.5
    metric_head = page.locator("#comparison thead th", has_text="poor_population").first
    assert abs(metric_head.evaluate("e => e.getBoundingClientRect().top")) < 1.5
    row_head = page.evaluate("""() => { const r = Array.from(document.querySelectorAll('#comparison tbody th'))
        .map(e => e.getBoundingClientRect()).find(b => b.top > 60 && b.bottom < 480); return r.left; }""")
    assert abs(row_head) < 1.5

    # a cell whose article is not embedded: a link to its sources in Datasette, and the hint
    remote = page.locator("#comparison td.remote").first
    assert "policy-ie serve --output" in remote.get_attribute("title")
    href = remote.locator("a.serve").get_attribute("href")
    assert href.startswith(f"{SERVE_URL}/sources?region_code=") and "&column=" in href
    remote.scroll_into_view_if_needed()
    assert remote.locator(".ev").is_visible()
    embedded = page.locator('#comparison td a[href^="#a"]').count()
    assert embedded >= 1 and page.locator(".n-embedded").first.inner_text() == str(embedded)
    assert page.locator("#comparison td.remote").count() >= 80

    # the language switch
    h2 = page.locator("#s-table h2")
    assert h2.locator(".zh").is_visible() and h2.locator(".en").is_visible()  # both, at first
    page.click("[data-set-lang=en]")
    assert not h2.locator(".zh").is_visible() and h2.locator(".en").is_visible()
    assert page.evaluate("document.documentElement.lang") == "en"
    page.click("[data-set-lang=zh]")
    assert h2.locator(".zh").is_visible() and not h2.locator(".en").is_visible()
    assert page.locator("#s-codebook").inner_text().count("poor_population") >= 1
    page.reload()
    assert not h2.locator(".en").is_visible()  # the choice is remembered

    # a Datasette served elsewhere: ?datasette= points the links there; a value that is no URL is ignored
    page.goto((out / "report.html").as_uri() + "?datasette=http://10.0.0.7:9000/policy_ie/")
    href = page.locator("#comparison td.remote a.serve").first.get_attribute("href")
    assert href.startswith("http://10.0.0.7:9000/policy_ie/sources?region_code=") and "&column=" in href
    assert page.locator(".serve-url").first.inner_text() == "http://10.0.0.7:9000/policy_ie"
    page.goto((out / "report.html").as_uri() + "?datasette=javascript:alert(1)")
    assert page.locator("#comparison td.remote a.serve").first.get_attribute("href").startswith(SERVE_URL)
    assert problems == []
