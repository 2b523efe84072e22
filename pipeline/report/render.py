"""``report.html``: one self-contained offline page built from the comparison and articles.

The page holds the comparison table (sortable by a click on a header), a bar chart per main
metric across regions (inline SVG drawn here), the programme registry, and the text of the
articles behind the comparison's cells with every mention highlighted and labelled (in the
manner of displaCy's entity view); each metric cell links to the mention it came from.
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

from policy_ie.pipeline.aggregate import Column, Comparison
from policy_ie.pipeline.report.labels import GROUPED_UNITS, column_label, level_label, metric_info
from policy_ie.text.document import Document

HERE = Path(__file__).resolve().parent
#: bars drawn per chart (the regions with the largest values)
CHART_BARS = 30
#: programmes named in a table cell (the rest in its tooltip)
PROGRAMMES_SHOWN = 5
KIND_LABELS = {"metric": "METRIC", "programme": "PROG", "date": "DATE", "region": "REGION"}


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


def _review_attrs(review: str | None) -> tuple[str, str]:
    """A metric cell's extra class (``review``: a reason to look besides ``single``; ``checked``:
    a reviewer accepted its value) and the line its tooltip adds (the review codes)."""
    if not review:
        return "", ""
    codes = review.split(";")
    cls = " checked" if "accepted" in codes else " review" if set(codes) - {"single"} else ""
    return cls, f"review: {review}"


def _cell(comp: Comparison, row: Mapping[str, Any], col: Column, anchors: Mapping[str, str]) -> str:
    value = row.get(col.key)
    cls, why = _review_attrs(row.get(f"{col.key}_review"))
    if value is None:
        if why:  # every value left out: they are in the drill-down
            left = "; ".join(f"{fmt_value(s['value'], col.unit)} {s['check']}"
                             for s in comp.cell_sources(row["region_code"], col.key))
            return f'<td class="num{cls}" data-sort="" title="{esc(why)}&#10;{esc(left)}"></td>'
        return '<td class="num" data-sort=""></td>'
    src = comp.chosen(row["region_code"], col.key)
    shown = esc(fmt_value(value, col.unit))
    tip = ""
    if src:
        tip = f"{src['article_id']} [{src['start']}:{src['end']}] {src['sentence'] or src['text']}"
        a = anchors.get(src["article_id"])
        if a:
            shown = f'<a href="#{a}-{src["start"]}-{src["end"]}">{shown}</a>'
        if src["n_values"] > 1:
            others = [fmt_value(s["value"], col.unit)
                      for s in comp.cell_sources(row["region_code"], col.key) if not s["chosen"]]
            shown += (f' <sup class="conflict" title="other values: {esc(", ".join(others))}">'
                      f'†{src["n_values"]}</sup>')
    year = row.get(f"{col.key}_year")
    if year is not None:  # the year of the value; marked when only the publication date gives it
        by_pub = row.get(f"{col.key}_year_source") == "published"
        shown += (f' <small class="year" title="{"year of publication" if by_pub else "year the text gives"}">'
                  f'{year}{"（发布）" if by_pub else ""}</small>')
    if why:
        tip = f"{why}\n{tip}"
    return f'<td class="num{cls}" data-sort="{value}" title="{esc(tip)}">{shown}</td>'


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


def comparison_table_parts(comp: Comparison, anchors: Mapping[str, str]) -> Iterator[str]:
    """:func:`comparison_table` piece by piece: the head, then one piece per region row."""
    head = ['<th data-type="text">区划代码<small>region_code</small></th>',
            '<th data-type="text">地区<small>region_name</small></th>',
            '<th data-type="text">省份<small>province</small></th>',
            '<th data-type="text">级别<small>level</small></th>']
    head += [f'<th data-type="num">{esc(c.label)}<small>{esc(c.key)}</small></th>' for c in comp.columns]
    head += [f'<th data-type="text">{esc(column_label(k))}<small>{k}</small></th>'
             for k in ("programmes", "published")]
    head.append(f'<th data-type="num">{esc(column_label("n_articles"))}<small>n_articles</small></th>')
    yield f'<table class="sortable" id="comparison"><thead><tr>{"".join(head)}</tr></thead><tbody>'
    for row in comp.rows:
        cells = [f'<td>{esc(row["region_code"])}</td>', f'<td>{esc(row["region_name"])}</td>',
                 f'<td>{esc(row["province"])}</td>',
                 f'<td data-sort="{esc(row["level"])}">{esc(level_label(row["level"]))}</td>']
        cells += [_cell(comp, row, c, anchors) for c in comp.columns]
        cells.append(_programmes_cell(row["programmes"]))
        cells.append(f'<td>{esc(row["published"])}</td>')
        cells.append(f'<td class="num" data-sort="{row["n_articles"]}">{row["n_articles"]}</td>')
        yield f"<tr>{''.join(cells)}</tr>"
    yield "</tbody></table>"


def charts(comp: Comparison, anchors: Mapping[str, str]) -> str:
    """A bar chart per main metric that has values."""
    out = []
    for col in comp.columns:
        if not col.main:
            continue
        items = []
        for row in comp.rows:
            v = row.get(col.key)
            if v is None:
                continue
            src = comp.chosen(row["region_code"], col.key)
            a = anchors.get(src["article_id"]) if src else None
            href = f"#{a}-{src['start']}-{src['end']}" if a and src else None
            items.append((str(row["region_name"]), float(v), href))
        if items:
            title = f"{col.label} ({col.key}, {col.unit})"
            out.append(f'<figure><figcaption>{esc(title)}</figcaption>{bar_chart(title, col.unit, items)}'
                       '</figure>')
    return "".join(out) or "<p>No metric values to chart.</p>"


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
    yield "</tbody></table>" if started else "<p>No programmes found.</p>"


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
                  title: str = "policy-ie: cross-region comparison") -> str:
    """The whole page as one string."""
    return "".join(report_parts(comp, registry, articles, total_articles, cap, title))


def write_report(fh: IO[str], comp: Comparison, registry: Iterable[Mapping[str, Any]],
                 articles: Sequence[ShownArticle], total_articles: int, cap: int,
                 title: str = "policy-ie: cross-region comparison") -> None:
    """Write the page to ``fh`` piece by piece (the same text as :func:`render_report`): the
    table, registry and articles of a large archive are never one string in memory."""
    for part in report_parts(comp, registry, articles, total_articles, cap, title):
        fh.write(part)


def report_parts(comp: Comparison, registry: Iterable[Mapping[str, Any]],
                 articles: Sequence[ShownArticle], total_articles: int, cap: int,
                 title: str = "policy-ie: cross-region comparison") -> Iterator[str]:
    """The page as pieces of text, in order (``registry`` is read once, when its table is due)."""
    anchors = _anchor_of(articles)
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
        "table": lambda: comparison_table_parts(comp, anchors),
        "charts": lambda: (charts(comp, anchors),),
        "registry": lambda: registry_table_parts(registry),
        "legend": legend,
        "articles": lambda: article_sections_parts(articles, anchors),
    })
