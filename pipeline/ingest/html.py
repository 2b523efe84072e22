"""Reader text of an HTML page: what a person sees, block by block, without markup.

Uses selectolax (the Lexbor HTML5 parser): it parses broken real-world markup the way a
browser does and is fast enough for archives of millions of pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from policy_ie.extractors.metadata import parse_published
from policy_ie.text.document import Metadata

if TYPE_CHECKING:  # the parser loads when there is a page to read (start-up time)
    from selectolax.lexbor import LexborHTMLParser, LexborNode

#: Elements whose text a reader never sees, or that are page chrome rather than article.
HIDDEN = ("script", "style", "noscript", "template", "iframe", "svg", "canvas", "form",
          "nav", "header", "footer", "aside", "select", "button", "head")

#: Elements that start a new line of text.
BLOCKS = frozenset({
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "section", "article", "blockquote", "pre", "dd", "dt", "dl", "hr", "figure",
    "figcaption", "main", "center", "td", "th",
})

#: Meta tags that carry a publication date, an outlet or a title, by their name/property.
META_DATE = ("article:published_time", "pubdate", "publishdate", "publish_date", "date",
             "dc.date", "dc.date.issued", "og:release_date")
META_OUTLET = ("source", "contentsource", "og:site_name")


def _walk(node: LexborNode, out: list[str]) -> None:
    """Append the visible text under ``node`` to ``out``, a line break around each block.

    Depth first with a stack of child iterators rather than recursion: a page nested
    thousands of elements deep (hostile or broken) must not exhaust Python's call stack.
    """
    levels = [node.iter(include_text=True)]
    closing = [False]  # whether each open level is a block (a line break when it ends)
    while levels:
        child = next(levels[-1], None)
        if child is None:
            levels.pop()
            if closing.pop():
                out.append("\n")
            continue
        tag = child.tag
        if tag == "-text":
            out.append(child.text_content or "")
            continue
        if tag in HIDDEN or tag == "-comment":
            continue
        block = tag in BLOCKS
        if block:
            out.append("\n")
        levels.append(child.iter(include_text=True))
        closing.append(block)


def _meta(tree: LexborHTMLParser, names: tuple[str, ...]) -> str | None:
    for tag in tree.css("meta"):
        key = (tag.attributes.get("name") or tag.attributes.get("property") or "").lower()
        if key in names and tag.attributes.get("content"):
            return tag.attributes["content"]
    return None


def reader_text(html: str) -> tuple[str, Metadata]:
    """The page's visible text (one line per block) and the metadata its head declares."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    root = tree.body or tree.root
    parts: list[str] = []
    if root is not None:
        _walk(root, parts)
    lines = [" ".join(line.split()) for line in "".join(parts).split("\n")]
    text = "\n".join(line for line in lines if line)
    title_node = tree.css_first("h1")
    published = _meta(tree, META_DATE)
    meta = Metadata(
        title=title_node.text(strip=True) if title_node else None,
        published=parse_published(published) if published else None,
        outlet=_meta(tree, META_OUTLET),
    )
    return text, meta
