"""``report.html``: one self-contained offline page built from the comparison and articles.

The page holds the comparison table (sortable by a click on a header; its header row and region
column stay in view while it scrolls; a search box and province and level filters pick rows;
each value with its year), a bar chart per main metric across regions (inline SVG drawn here),
the programme registry, the codebook (metrics, columns, the build's provenance), and the text
of the articles behind the comparison's cells with every mention highlighted and labelled (in
the manner of displaCy's entity view). A metric cell whose article is embedded links to the
mention it came from; the page embeds a limited number of articles, and every other valued
cell links to its sources in Datasette (``policy-ie serve``) and says so, with its sentence in
its tooltip. Prose is in Chinese and English, with a language switch.
CSS and JS are read from files beside this module and inlined; nothing is fetched.

Everything that comes from article text or metadata goes through :func:`esc`, so an article
that contains ``<script>`` shows it as text.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import IO, Any
from urllib.parse import urlencode

from policy_ie.pipeline import codebook
from policy_ie.pipeline.aggregate import REGION_COLUMNS, TAIL_COLUMNS, Column, Comparison
from policy_ie.pipeline.codebook import Provenance
from policy_ie.pipeline.report.labels import (
    GROUPED_UNITS,
    column_label,
    labels,
    level_label,
    metric_info,
    unit_label,
)
from policy_ie.text.document import Document

HERE = Path(__file__).resolve().parent
#: bars drawn per chart (the regions with the largest values)
CHART_BARS = 30
#: programmes named in a table cell (the rest in its tooltip)
PROGRAMMES_SHOWN = 5
KIND_LABELS = {"metric": "METRIC", "programme": "PROG", "date": "DATE", "region": "REGION"}
#: where ``policy-ie serve`` answers by default (its --host and --port), and its database
SERVE_URL = "http://127.0.0.1:8001/policy_ie"
#: the comparison's columns a row shows in its own way (the region cell, the tail)
_REGION_SHOWN = ("region_code", "region_name", "province", "level")
_TAIL_SHOWN = ("programmes", "published", "n_articles")


def esc(value: Any) -> str:
    """HTML-escaped text of any value (None as empty), quotes included for attributes."""
    return "" if value is None else html.escape(str(value), quote=True)


def fmt_value(value: Any, unit: str | None = None) -> str:
    """A number for a person: thousands separators, no ``.0`` on whole numbers."""
    if value is None or value == "":
        return ""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if x.is_integer():
        return f"{int(x):,}" if unit in GROUPED_UNITS or abs(x) >= 10000 else str(int(x))
    return f"{x:,.4f}".rstrip("0").rstrip(".")


# -- articles -------------------------------------------------------------------------------
@dataclass
class ShownMention:
    """A mention as the page shows it: kind, raw span, label and a tooltip."""

    kind: str
    start: int
    end: int
    label: str
    tip: str


@dataclass
class ShownArticle:
    """An article as the page shows it."""

    id: str
    title: str | None
    published: str | None
    region: str | None
    text: str
    mentions: list[ShownMention] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "published": self.published,
                "region": self.region, "text": self.text,
                "mentions": [vars(m) for m in self.mentions]}

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> ShownArticle:
        return cls(d["id"], d.get("title"), d.get("published"), d.get("region"), d["text"],
                   [ShownMention(**m) for m in d.get("mentions", [])])


def shown_article(doc: Document) -> ShownArticle:
    """The parts of a Document the report shows (text and labelled mentions)."""
    ms: list[ShownMention] = []
    for m in doc.metrics:
        info = metric_info(m.metric)
        per = f"/{m.per}" if m.per else ""
        tip = f"{info.label} {m.metric} = {fmt_value(m.value, m.unit)} {m.unit}{per}"
        extra = [f"{k}: {v}" for k, v in (("qualifier", m.qualifier), ("date", m.date),
                                          ("region", m.region_code), ("subject", m.subject)) if v]
        ms.append(ShownMention("metric", m.start, m.end, m.metric, "; ".join([tip, *extra])))
    for p in doc.programmes:
        label = "PROG★" if p.headline else "PROG"
        tip = f"{p.name} {p.kind or ''}" + (f": {'、'.join(p.components)}" if p.components else "")
        ms.append(ShownMention("programme", p.start, p.end, label, tip))
    for d in doc.dates:
        ms.append(ShownMention("date", d.start, d.end, "DATE", d.value or "unresolved"))
    for r in doc.regions:
        ms.append(ShownMention("region", r.start, r.end, "REGION", f"{r.name or ''} {r.code or ''}".strip()))
    region = doc.region.name if doc.region else None
    return ShownArticle(doc.id, doc.meta.title, doc.meta.published, region, doc.text, ms)


def highlight(text: str, mentions: Sequence[ShownMention], anchor: str = "") -> str:
    """``text`` as escaped HTML with each mention in a labelled ``<mark>``.

    A mention inside another is nested in it; one that crosses another's border is left
    unmarked (the outer, earlier one wins). Mark ids are ``<anchor>-<start>-<end>``.
    """
    spans = sorted((m for m in mentions if 0 <= m.start < m.end <= len(text)),
                   key=lambda m: (m.start, -m.end))
    out: list[str] = []
    stack: list[ShownMention] = []
    pos = 0

    def close_until(limit: int) -> None:
        nonlocal pos
        while stack and stack[-1].end <= limit:
            m = stack.pop()
            out.append(esc(text[pos:m.end]))
            pos = m.end
            out.append(f'<span class="lbl">{esc(m.label)}</span></mark>')

    for m in spans:
        close_until(m.start)
        if stack and m.end > stack[-1].end:
            continue  # crosses the border of the mark it starts in
        out.append(esc(text[pos:m.start]))
        pos = m.start
        ident = f' id="{esc(anchor)}-{m.start}-{m.end}"' if anchor else ""
        out.append(f'<mark class="ent ent-{esc(m.kind)}"{ident} title="{esc(m.tip)}">')
        stack.append(m)
    close_until(len(text))
    out.append(esc(text[pos:]))
    return "".join(out)


# -- charts ---------------------------------------------------------------------------------
def bar_chart(title: str, unit: str, items: Sequence[tuple[str, float, str | None]]) -> str:
    """A horizontal bar chart as inline SVG: ``items`` are (label, value, link or None)."""
    items = sorted(items, key=lambda t: -t[1])[:CHART_BARS]
    width, label_w, bar_h, gap, top = 640, 150, 18, 6, 8
    value_w = 110
    height = top + len(items) * (bar_h + gap) + 4
    top_value = max((v for _, v, _ in items), default=0) or 1
    scale = (width - label_w - value_w) / top_value
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" xmlns="http://www.w3.org/2000/svg"><title>{esc(title)}</title>']
    for i, (label, value, href) in enumerate(items):
        y = top + i * (bar_h + gap)
        w = max(value * scale, 1 if value else 0)
        bar = (f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" rx="2">'
               f'<title>{esc(label)}: {esc(fmt_value(value, unit))} {esc(unit)}</title></rect>')
        if href:
            bar = f'<a href="{esc(href)}">{bar}</a>'
        parts.append(f'<text x="{label_w - 6}" y="{y + bar_h - 5}" text-anchor="end">{esc(label)}</text>')
        parts.append(bar)
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + bar_h - 5}" class="v">'
                     f'{esc(fmt_value(value, unit))}</text>')
    parts.append("</svg>")
    return "".join(parts)


# -- sections -------------------------------------------------------------------------------
def _anchor_of(articles: Sequence[ShownArticle]) -> dict[str, str]:
    return {a.id: f"a{i}" for i, a in enumerate(articles)}


def bi(zh: str, en: str) -> str:
    """Prose in both languages (already escaped HTML): the page's language switch shows one or both."""
    return f'<span class="zh" lang="zh">{zh}</span><span class="en" lang="en">{en}</span>'


def sources_url(region_code: str, column: str) -> str:
    """The Datasette address of a cell's sources (every value with its sentence), under ``policy-ie serve``."""
    return f"{SERVE_URL}/sources?{urlencode({'region_code': region_code, 'column': column})}"


def _serve_url() -> str:
    """The Datasette address the links use, marked so that ``?datasette=`` (report.js) can show another."""
    return f'<span class="serve-url">{esc(SERVE_URL)}</span>'


#: a cell's tooltip when its article is not embedded (the paragraph above the table says more)
SERVE_HINT = "原文未嵌入 / not embedded: policy-ie serve --output <本报告文件夹 / this report's folder> →"

Chosen = Mapping[tuple[str, str], Mapping[str, Any]]


def chosen_sources(comp: Comparison) -> dict[tuple[str, str], dict[str, Any]]:
    """The chosen source row of every valued metric cell, by (region code, column): read once,
    for the table, the charts and the evidence count."""
    out = {}
    for row in comp.rows:
        for col in comp.columns:
            if row.get(col.key) is not None and (src := comp.chosen(row["region_code"], col.key)):
                out[row["region_code"], col.key] = src
    return out


def evidence_counts(chosen: Chosen, anchors: Mapping[str, str]) -> tuple[int, int]:
    """(valued cells whose article the page embeds, valued cells)."""
    return sum(src["article_id"] in anchors for src in chosen.values()), len(chosen)


def evidence_note(embedded: int, valued: int) -> str:
    """The paragraph above the table: how many cells have their evidence in the page, and how to
    open the others' (``policy-ie serve``)."""
    count = f'<strong class="n-embedded">{embedded}</strong>'
    if embedded == valued:
        return bi(f"全部 {valued} 个有数值的单元格的原文都嵌入本页（{count} 个，点击数值跳到句子）。",
                  f"All {valued} valued cells have their evidence embedded in this page ({count}; click a "
                  "value to jump to its sentence).")
    return bi(f"{valued} 个有数值的单元格中，{count} 个的原文嵌入本页（点击数值跳到句子）。其余 {valued - embedded} 个"
              "（标 ↗）的原文未嵌入：运行 <code>policy-ie serve --output &lt;本报告所在文件夹&gt;</code>，再点击数值，"
              f"即在 Datasette（{_serve_url()}）中打开其全部出处；句子也在数值的悬停提示中。Datasette 在别的地址时，"
              "以 <code>report.html?datasette=http://主机:端口/policy_ie</code> 打开本页。",
              f"{count} of {valued} valued cells have their evidence embedded in this page (click a value to "
              f"jump to its sentence). For the other {valued - embedded} (marked ↗) run <code>policy-ie serve "
              "--output &lt;this report's folder&gt;</code> and click the value: it opens the cell's sources in "
              f"Datasette ({_serve_url()}); the sentence is also in the value's tooltip. With Datasette at another "
              "address, open this page as <code>report.html?datasette=http://HOST:PORT/policy_ie</code>.")


def _review_attrs(review: str | None) -> tuple[str, str]:
    """A metric cell's extra class (``review``: a reason to look besides ``single``; ``checked``:
    a reviewer accepted its value) and the line its tooltip adds (the review codes)."""
    if not review:
        return "", ""
    codes = review.split(";")
    cls = " checked" if "accepted" in codes else " review" if set(codes) - {"single"} else ""
    return cls, f"review: {review}"


def _cell(comp: Comparison, row: Mapping[str, Any], col: Column, anchors: Mapping[str, str],
          chosen: Chosen) -> str:
    value = row.get(col.key)
    review_cls, why = _review_attrs(row.get(f"{col.key}_review"))
    if value is None:
        if why:  # every value left out: they are in the drill-down
            left = "; ".join(f"{fmt_value(s['value'], col.unit)} {s['check']}"
                             for s in comp.cell_sources(row["region_code"], col.key))
            return f'<td class="num{review_cls}" data-sort="" title="{esc(why)}&#10;{esc(left)}"></td>'
        return '<td class="num" data-sort=""></td>'
    src = chosen.get((row["region_code"], col.key))
    shown = esc(fmt_value(value, col.unit))
    tip, cls = "", "num"
    if src:
        tip = f"{src['article_id']} [{src['start']}:{src['end']}] {src['sentence'] or src['text']}"
        a = anchors.get(src["article_id"])
        if a:
            shown = f'<a href="#{a}-{src["start"]}-{src["end"]}">{shown}</a>'
        else:  # beyond the articles embedded: its sources are a `policy-ie serve` away
            tip += f"\n{SERVE_HINT} {sources_url(row['region_code'], col.key)}"
            cls += " remote"
            shown = (f'<a class="serve" href="{esc(sources_url(row["region_code"], col.key))}">{shown}</a>'
                     '<span class="ev" aria-hidden="true">↗</span>')
        if src["n_values"] > 1:
            others = [fmt_value(s["value"], col.unit)
                      for s in comp.cell_sources(row["region_code"], col.key) if not s["chosen"]]
            shown += (f' <sup class="conflict" title="其他取值 / other values: {esc(", ".join(others))}">'
                      f'†{src["n_values"]}</sup>')
    year = row.get(f"{col.key}_year")
    if year is not None:  # the year of the value; marked when only the publication date gives it
        by_pub = row.get(f"{col.key}_year_source") == "published"
        what = "发布年份 / year of publication" if by_pub else "文中年份 / year the text gives"
        shown += f' <small class="year" title="{what}">{year}{"（发布）" if by_pub else ""}</small>'
    if why:
        tip = f"{why}\n{tip}"
    return f'<td class="{cls}{review_cls}" data-sort="{value}" title="{esc(tip)}">{shown}</td>'


def short_list(joined: str | None, limit: int = PROGRAMMES_SHOWN, sep: str = "；") -> str:
    """The first ``limit`` items of a ``sep``-joined list, with a count of the rest."""
    items = (joined or "").split(sep) if joined else []
    more = len(items) - limit
    return sep.join(items[:limit]) + (f" … +{more}" if more > 0 else "")


def _programmes_cell(joined: str | None) -> str:
    return f'<td class="progs" title="{esc(joined)}">{esc(short_list(joined))}</td>'


def comparison_table(comp: Comparison, anchors: Mapping[str, str]) -> str:
    """The comparison as a sortable HTML table."""
    return "".join(comparison_table_parts(comp, anchors))


def extra_columns(comp: Comparison) -> list[str]:
    """The comparison's columns the table has no place of its own for (a column added to the
    comparison shows as text, after the metrics), in the order of the header."""
    known = {*REGION_COLUMNS, *TAIL_COLUMNS, *(k for c in comp.columns for k in c.keys)}
    return [k for k in comp.header if k not in known]


def _th(label: str, key: str, kind: str, cls: str = "") -> str:
    c = f' class="{cls}"' if cls else ""
    return f'<th data-type="{kind}"{c}>{esc(label)}<small>{esc(key)}</small></th>'


def comparison_table_parts(comp: Comparison, anchors: Mapping[str, str],
                           chosen: Chosen | None = None) -> Iterator[str]:
    """:func:`comparison_table` piece by piece: the head, then one piece per region row.

    The first column (region name and code) and the header row stay in view (CSS sticky);
    each row carries what the search and the filters read (``data-q``, ``data-province``,
    ``data-level``).
    """
    chosen = chosen_sources(comp) if chosen is None else chosen
    extras = extra_columns(comp)
    head = ['<th data-type="text" class="region">地区 region<small>region_name · region_code</small></th>',
            _th(column_label("province"), "province", "text"), _th(column_label("level"), "level", "text")]
    head += [_th(unit_label(c.metric, c.per), c.key, "num") for c in comp.columns]
    head += [_th(column_label(k), k, "text") for k in extras]
    head += [_th(column_label(k), k, "text") for k in ("programmes", "published")]
    head.append(_th(column_label("n_articles"), "n_articles", "num"))
    yield f'<table class="sortable" id="comparison"><thead><tr>{"".join(head)}</tr></thead><tbody>'
    for row in comp.rows:
        words = " ".join(str(row.get(k) or "") for k in (*_REGION_SHOWN, *REGION_COLUMNS[4:]))
        attrs = (f' data-q="{esc(words.lower())}" data-province="{esc(row.get("province") or "")}"'
                 f' data-level="{esc(row.get("level") or "")}"')
        cells = [f'<th scope="row" class="region" data-sort="{esc(row["region_code"])}">'
                 f'{esc(row["region_name"])} <small>{esc(row["region_code"])}</small></th>',
                 f'<td>{esc(row["province"])}</td>',
                 f'<td data-sort="{esc(row["level"])}">{esc(level_label(row["level"]))}</td>']
        cells += [_cell(comp, row, c, anchors, chosen) for c in comp.columns]
        cells += [f'<td>{esc(row.get(k))}</td>' for k in extras]
        cells.append(_programmes_cell(row["programmes"]))
        cells.append(f'<td>{esc(row["published"])}</td>')
        cells.append(f'<td class="num" data-sort="{row["n_articles"]}">{row["n_articles"]}</td>')
        yield f"<tr{attrs}>{''.join(cells)}</tr>"
    yield "</tbody></table>"


def filters(comp: Comparison) -> str:
    """The search box and the province and level filters of the comparison table."""
    provinces = sorted({str(r["province"]) for r in comp.rows if r.get("province")})
    order = list(labels()["levels"])
    levels = sorted({str(r["level"]) for r in comp.rows if r.get("level")},
                    key=lambda lv: (order.index(lv) if lv in order else len(order), lv))
    prov = "".join(f'<option value="{esc(p)}">{esc(p)}</option>' for p in provinces)
    lev = "".join(f'<option value="{esc(lv)}">{esc(level_label(lv))} {esc(lv)}</option>' for lv in levels)
    return ('<div class="toolbar" role="search">'
            '<input type="search" id="q" placeholder="搜索地区、代码、省份 / search region, code, province" '
            'aria-label="搜索 / search">'
            f'<select id="f-province" aria-label="省份 / province"><option value="">全部省份 / all provinces</option>'
            f'{prov}</select>'
            f'<select id="f-level" aria-label="级别 / level"><option value="">全部级别 / all levels</option>'
            f'{lev}</select>'
            f' <span id="shown">{len(comp.rows)}</span> / {len(comp.rows)} '
            f'{bi("个地区", "regions")}</div>')


def codebook_html(header: Sequence[str], provenance: Provenance) -> str:
    """The codebook (:func:`policy_ie.pipeline.codebook.sections`) as headed tables."""
    out = []
    for title, head, rows in codebook.sections(header, provenance, codebook.notes()):
        zh, _, en = title.partition(" ")
        out.append(f"<h3>{bi(esc(zh), esc(en))}</h3>")
        if len(head) == 1:
            out.append("<ul>" + "".join(f"<li>{esc(r[0])}</li>" for r in rows) + "</ul>")
            continue
        body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in rows)
        out.append(f'<table class="codebook"><thead><tr>{"".join(f"<th>{esc(h)}</th>" for h in head)}'
                   f"</tr></thead><tbody>{body}</tbody></table>")
    return "".join(out)


def charts(comp: Comparison, anchors: Mapping[str, str], chosen: Chosen | None = None) -> str:
    """A bar chart per main metric that has values (a bar links to its evidence, embedded or served)."""
    chosen = chosen_sources(comp) if chosen is None else chosen
    out = []
    for col in comp.columns:
        if not col.main:
            continue
        items = []
        for row in comp.rows:
            v = row.get(col.key)
            if v is None:
                continue
            src = chosen.get((row["region_code"], col.key))
            a = anchors.get(src["article_id"]) if src else None
            href = f"#{a}-{src['start']}-{src['end']}" if a and src else \
                sources_url(row["region_code"], col.key) if src else None
            items.append((str(row["region_name"]), float(v), href))
        if items:
            title = f"{col.label} ({col.key}, {col.unit})"
            out.append(f'<figure><figcaption>{esc(title)}</figcaption>{bar_chart(title, col.unit, items)}'
                       '</figure>')
    return "".join(out) or f"<p>{bi('没有可绘制的指标数值。', 'No metric values to chart.')}</p>"


def registry_table(rows: Iterable[Mapping[str, Any]]) -> str:
    """The programme registry: which regions use which programme, with components."""
    return "".join(registry_table_parts(rows))


def registry_table_parts(rows: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """:func:`registry_table` piece by piece: one piece per programme, ``rows`` read once, in turn."""
    started = False
    for r in rows:
        if not started:
            started = True
            yield ('<table class="sortable" id="registry"><thead><tr><th data-type="text">programme</th>'
                   '<th data-type="text">kind</th><th data-type="text">scope</th><th data-type="num">articles</th>'
                   '<th data-type="text">regions</th><th data-type="text">headline in</th>'
                   '<th data-type="text">components</th></tr></thead><tbody>')
        regions = "、".join(str(x.get("name") or x.get("code")) for x in r.get("regions", []))
        yield (f'<tr><td>{esc(r["name"])}</td><td>{esc(r.get("kind"))}</td><td>{esc(r.get("scope"))}</td>'
               f'<td class="num" data-sort="{r.get("n_articles", 0)}">{r.get("n_articles", 0)}</td>'
               f'<td>{esc(regions)}</td><td>{esc(" ".join(r.get("headline_in", [])))}</td>'
               f'<td>{esc("、".join(r.get("components", [])))}</td></tr>')
    yield "</tbody></table>" if started else f"<p>{bi('未发现项目品牌。', 'No programmes found.')}</p>"


def article_sections(articles: Sequence[ShownArticle], anchors: Mapping[str, str]) -> str:
    """Each shown article with its mentions highlighted."""
    return "".join(article_sections_parts(articles, anchors))


def article_sections_parts(articles: Iterable[ShownArticle], anchors: Mapping[str, str]) -> Iterator[str]:
    """:func:`article_sections` piece by piece: one piece per article."""
    for art in articles:
        a = anchors[art.id]
        meta = " · ".join(esc(x) for x in (art.id, art.published, art.region) if x)
        yield (f'<article id="{a}"><h3>{esc(art.title or art.id)}</h3><p class="meta">{meta}</p>'
               f'<div class="text">{highlight(art.text, art.mentions, a)}</div></article>')


def template_parts(text: str, values: Mapping[str, Any]) -> Iterator[str]:
    """``Template(text).substitute(values)`` piece by piece, so a page need not be one string.

    A value is text (or a number), or a function of no arguments giving an iterable of pieces
    (called at each place its name appears). Placeholders and ``$$`` are read as
    :class:`string.Template` reads them; an unknown name raises KeyError, a stray ``$`` ValueError.
    """
    pattern = Template.pattern
    pos = 0
    for m in pattern.finditer(text):
        yield text[pos:m.start()]
        pos = m.end()
        name = m.group("named") or m.group("braced")
        if name is not None:
            value = values[name]
            if callable(value):
                yield from value()
            else:
                yield str(value)
        elif m.group("escaped") is not None:
            yield Template.delimiter
        else:
            raise ValueError(f"Invalid placeholder in the report template at {m.start('invalid')}")
    yield text[pos:]


def render_report(comp: Comparison, registry: Iterable[Mapping[str, Any]],
                  articles: Sequence[ShownArticle], total_articles: int, cap: int,
                  title: str = "policy-ie: cross-region comparison", provenance: Provenance | None = None) -> str:
    """The whole page as one string."""
    return "".join(report_parts(comp, registry, articles, total_articles, cap, title, provenance))


def write_report(fh: IO[str], comp: Comparison, registry: Iterable[Mapping[str, Any]],
                 articles: Sequence[ShownArticle], total_articles: int, cap: int,
                 title: str = "policy-ie: cross-region comparison", provenance: Provenance | None = None) -> None:
    """Write the page to ``fh`` piece by piece (the same text as :func:`render_report`): the
    table, registry and articles of a large archive are never one string in memory."""
    for part in report_parts(comp, registry, articles, total_articles, cap, title, provenance):
        fh.write(part)


def report_parts(comp: Comparison, registry: Iterable[Mapping[str, Any]],
                 articles: Sequence[ShownArticle], total_articles: int, cap: int,
                 title: str = "policy-ie: cross-region comparison",
                 provenance: Provenance | None = None) -> Iterator[str]:
    """The page as pieces of text, in order (``registry`` is read once, when its table is due)."""
    anchors = _anchor_of(articles)
    chosen = chosen_sources(comp)
    embedded, valued = evidence_counts(chosen, anchors)
    prov = provenance or codebook.provenance(articles=total_articles)
    legend = "".join(f'<mark class="ent ent-{k}">{esc(k)}<span class="lbl">{esc(v)}</span></mark> '
                     for k, v in KIND_LABELS.items())
    return template_parts((HERE / "template.html").read_text(encoding="utf-8"), {
        "title": esc(title),
        "css": (HERE / "report.css").read_text(encoding="utf-8"),
        "js": (HERE / "report.js").read_text(encoding="utf-8"),
        "n_regions": len(comp.rows),
        "n_articles": total_articles,
        "n_shown": len(articles),
        "cap": cap,
        "unassigned": comp.unassigned,
        "evidence": evidence_note(embedded, valued),
        "built": esc(prov.built),
        "version": esc(prov.version),
        "filters": lambda: (filters(comp),),
        "table": lambda: comparison_table_parts(comp, anchors, chosen),
        "charts": lambda: (charts(comp, anchors, chosen),),
        "codebook": lambda: (codebook_html(comp.header, prov),),
        "registry": lambda: registry_table_parts(registry),
        "legend": legend,
        "articles": lambda: article_sections_parts(articles, anchors),
    })
