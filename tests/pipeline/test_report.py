"""report.html: escaping, self-containment, highlighting, and a real headless-browser check.

The browser test needs Debian's chromium (``apt-get install -y chromium``) and the pinned
playwright package (never ``playwright install``); it is skipped, saying which is missing,
where either is absent. Its screenshot is kept in ``$POLICY_IE_SCREENSHOT_DIR`` when set,
else in pytest's temporary folder (the path is printed).
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from string import Template

import pytest

from policy_ie.pipeline.aggregate import compare
from policy_ie.pipeline.dataset import write_dataset
from policy_ie.pipeline.facts import facts_of
from policy_ie.pipeline.report.render import (
    SERVE_URL,
    ShownMention,
    bar_chart,
    highlight,
    registry_table,
    render_report,
    shown_article,
    template_parts,
    write_report,
)
from policy_ie.text.document import Document

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
    assert re.search(r'title="发布年份 / year of publication">20\d\d（发布）</small>', page)  # a figure the text leaves undated


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


def test_page_written_piece_by_piece_is_the_page(hand_docs: list[Document]) -> None:
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
