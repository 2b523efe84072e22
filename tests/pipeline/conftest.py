"""Hand-built Documents for the dataset, aggregation and report tests.

Mentions are placed by searching their text in the article, so the tests do not depend on
the extractors; the sentences are written for these tests in the genre's style.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pytest

from policy_ie.text.document import (
    ArticleRegion,
    DateMention,
    Document,
    Metadata,
    MetricMention,
    ProgrammeMention,
    RegionMention,
)

DocFactory = Callable[..., Document]


def _span(text: str, needle: str, after: int = 0) -> tuple[int, int]:
    i = text.index(needle, after)
    return i, i + len(needle)


def make_doc(doc_id: str, text: str, *, title: str | None = None, published: str | None = None,
             region: ArticleRegion | None = None, metrics: list[tuple[str, str, float, dict[str, Any]]] = (),
             programmes: list[tuple[str, str, dict[str, Any]]] = (), dates: list[tuple[str, str]] = (),
             regions: list[tuple[str, str, str, str]] = ()) -> Document:
    """A Document with mentions at the first occurrence of each given text.

    ``metrics``: (text, key, value, extra fields); ``programmes``: (text, name, extra);
    ``dates``: (text, ISO value); ``regions``: (text, code, name, level).
    """
    doc = Document(id=doc_id, path=f"{doc_id}.txt", text=text,
                   meta=Metadata(title=title, published=published), region=region)
    for t, key, value, extra in metrics:
        a, b = _span(text, t)
        doc.metrics.append(MetricMention(t, a, b, metric=key, value=value, **extra))
    for t, name, extra in programmes:
        a, b = _span(text, t)
        doc.programmes.append(ProgrammeMention(t, a, b, name=name, **extra))
    for t, value in dates:
        a, b = _span(text, t)
        doc.dates.append(DateMention(t, a, b, value=value))
    for t, code, name, level in regions:
        a, b = _span(text, t)
        doc.regions.append(RegionMention(t, a, b, code=code, name=name, level=level))
    return doc


SHANGLUO = ArticleRegion("611000", "商洛市", "city", "陕西省", "商洛市")
ZUNYI = ArticleRegion("520300", "遵义市", "city", "贵州省", "遵义市")


def sample_docs() -> list[Document]:
    """Three articles: two about 商洛 (conflicting figures), one about 遵义 naming 汇川区."""
    t1 = ("商洛:“十百千”工程抓党建促脱贫\n"
          "  全市有贫困村699个,贫困人口48.9万人,2015年减贫16.8万人。\n"
          "  商南县投入扶贫资金1.2亿元,实施项目120个。\n"
          "  干部年人均增收1000元。")
    d1 = make_doc("sl-1", t1, title="商洛:“十百千”工程抓党建促脱贫", published="2016-06-08",
                  region=SHANGLUO,
                  metrics=[("贫困村699个", "poor_villages", 699, {"unit": "个"}),
                           ("贫困人口48.9万人", "poor_population", 489000, {"unit": "人"}),
                           ("减贫16.8万人", "lifted_population", 168000, {"unit": "人", "date": "2015"}),
                           ("投入扶贫资金1.2亿元", "investment", 120000000,
                            {"unit": "元", "region_code": "611023"}),
                           ("项目120个", "projects", 120, {"unit": "个", "region_code": "611023"}),
                           ("人均增收1000元", "income", 1000, {"unit": "元", "per": "person"})],
                  programmes=[("“十百千”工程", "十百千", {"kind": "工程", "headline": True})],
                  dates=[("2015年", "2015")],
                  regions=[("商洛", "611000", "商洛市", "city"), ("商南县", "611023", "商南县", "county")])
    t2 = ("商洛市脱贫攻坚取得新进展\n"
          "  截至2017年底,全市贫困人口减少到30.2万人,全年投入资金5亿元。<script>alert('x')</script>")
    d2 = make_doc("sl-2", t2, title="商洛市脱贫攻坚取得新进展", published="2018-01-10", region=SHANGLUO,
                  metrics=[("贫困人口减少到30.2万人", "poor_population", 302000, {"unit": "人", "date": "2017-12"}),
                           ("投入资金5亿元", "investment", 500000000, {"unit": "元"})],
                  dates=[("2017年底", "2017-12")],
                  regions=[("商洛市", "611000", "商洛市", "city")])
    t3 = ("遵义:“五在村”激活脱贫引擎\n"
          "  遵义市有贫困人口92.4万人,汇川区贫困人口1.1万人,力争2018年贫困人口全部脱贫。")
    d3 = make_doc("zy-1", t3, title="遵义:“五在村”激活脱贫引擎", published="2016-11-01", region=ZUNYI,
                  metrics=[("贫困人口92.4万人", "poor_population", 924000, {"unit": "人"}),
                           ("贫困人口1.1万人", "poor_population", 11000, {"unit": "人", "region_code": "520303"})],
                  programmes=[("“五在村”", "五在村", {"headline": True,
                                                    "components": ["责任在村落实", "组织在村建强"]})],
                  dates=[("2018年", "2018")],
                  regions=[("遵义市", "520300", "遵义市", "city"), ("汇川区", "520303", "汇川区", "county")])
    return [d1, d2, d3]


@pytest.fixture
def hand_docs() -> list[Document]:
    return sample_docs()


def resolve_in_memory(items: list[tuple[int, str, bytes]]) -> dict[int, str]:
    """The copies :func:`pipeline.partitioned.resolve` finds among signed ``items`` (row,
    article id, signature bytes), with every band grouped in memory: the reference the
    distributed and on-disk near-duplicate steps are checked against."""
    from policy_ie.pipeline.partitioned import band_rows, pairs_in_group, resolve

    groups: dict[Any, list[Any]] = defaultdict(list)
    for item in items:
        for key, row in band_rows(item):
            groups[key].append((key, row))
    by_id: dict[str, list[int]] = defaultdict(list)
    for n, aid, _ in items:
        by_id[aid].append(n)
    return resolve([p for g in groups.items() for p in pairs_in_group(g)],
                   [(a, s) for a, s in by_id.items() if len(s) > 1])


@pytest.fixture(scope="session")
def in_memory_resolution() -> Callable[[list[tuple[int, str, bytes]]], dict[int, str]]:
    """:func:`resolve_in_memory`, for tests (session-scoped, so hypothesis tests may use it)."""
    return resolve_in_memory


@pytest.fixture
def doc_factory() -> DocFactory:
    return make_doc


#: Debian's Chromium, started as the CI machine allows (no sandbox as root, no background traffic)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


@pytest.fixture
def chromium():  # type: ignore[no-untyped-def]
    """A headless Chromium browser (playwright driving Debian's chromium), closed after the test;
    the test is skipped, saying which is missing, where either is absent."""
    import shutil
    from pathlib import Path

    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("no chromium: install Debian's with `apt-get install -y chromium` (CI does)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("no playwright: pip install the pinned version of the dev extra (never `playwright install`)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium") or CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
