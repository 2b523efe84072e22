"""Article metadata from the text: headline, publication date, outlet and authors.

Archive metadata (a JSONL line's ``title``/``date``/``outlet``, a manifest, an HTML page's
meta tags) is set by ingest and wins; this stage only fills what is missing. It reads the
cleaned view, where page furniture (navigation, edition lines) is already gone, and looks
only at the header block of the page (and its last lines for datelines), so that a date in
the body is never taken for the publication date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import regex

from policy_ie.extractors.registry import register
from policy_ie.text.document import Document, Metadata
from policy_ie.text.lexicon import alternation, load_data

# Date forms of datelines and archive fields. Day-first ``01.06.2016`` is the European
# order some CMSs print; ISO-like forms are year-first.
_DATE_FORMS = (
    regex.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
    regex.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)"),
    regex.compile(r"(?<!\d)(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>(?:19|20)\d{2})(?!\d)"),
    regex.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)"),
)
_FULLWIDTH_DIGITS = {cp: chr(cp - 0xFEE0) for cp in range(0xFF10, 0xFF1A)}
_ANY_FULLWIDTH_DIGIT = regex.compile("[\uff10-\uff19]")
_ANY_DIGIT = regex.compile(r"\d")


@dataclass(frozen=True, slots=True)
class MetaRules:
    """Compiled patterns of ``data/metadata.yaml``."""

    byline: regex.Pattern[str]
    name: regex.Pattern[str]
    outlet: regex.Pattern[str]
    body_opening: regex.Pattern[str]
    date_label: regex.Pattern[str]
    header_lines: int
    footer_lines: int
    title_max_chars: int
    title_furniture: regex.Pattern[str]
    title_tail: regex.Pattern[str]
    title_tail_ratio: float


@cache
def rules() -> MetaRules:
    """Load ``data/metadata.yaml`` once and compile its patterns."""
    raw = load_data(Path(__file__).parent / "data" / "metadata.yaml")
    name = raw["name"]
    roles = alternation(raw["author_roles"])
    not_roles = alternation(raw["not_author_roles"])
    separated = set(raw.get("separated_roles") or [])
    glued = alternation([r for r in raw["author_roles"] if r not in separated])
    # A role and what separates it from the name: optional after 记者, required after 文 or 图
    role = (rf"(?:(?:{glued})\s*[：:/]?\s*|(?:{alternation(sorted(separated))})(?:\s*[：:/]\s*|\s+))"
            if separated else rf"(?:{roles})\s*[：:/]?\s*")
    # A byline: role, then names separated by spaces or 、, possibly more roles.
    byline = (rf"(?:(?<![\p{{Han}}])|(?<=本报讯|[（(【])){role}{name}"
              rf"(?:(?:\s+|、|\s*[，,]\s*){role}?{name})*")
    stops = alternation(raw["outlet_stops"])
    outlet = (rf"(?:{alternation(raw['outlet_labels'])})\s*[：:]\s*(?P<o>[^\s：:（）()|｜，。]+?)"
              rf"(?=\s|$|[（）()|｜，。]|{stops})")
    return MetaRules(
        byline=regex.compile(byline),
        name=regex.compile(rf"(?:(?:{not_roles})\s*[：:]?\s*{name})|(?:{roles})|({name})"),
        outlet=regex.compile(outlet),
        body_opening=regex.compile(rf"^\s*(?:{'|'.join(raw['body_openings'])})"),
        date_label=regex.compile(rf"^\s*(?:{alternation(raw['date_labels'])})\s*[：:]?\s*"),
        header_lines=int(raw["header_lines"]),
        footer_lines=int(raw["footer_lines"]),
        title_max_chars=int(raw["title_max_chars"]),
        title_furniture=regex.compile(rf"^(?:\s*(?:{'|'.join(raw['title_furniture'])})\s*)+"),
        title_tail=regex.compile(raw["title_tail_furniture"]),
        title_tail_ratio=float(raw["title_tail_ratio"]),
    )


def parse_published(s: str) -> str | None:
    """The ISO date (``YYYY-MM-DD``) of a dateline or archive date field, or None.

    >>> parse_published("2016-10-06 10:54"), parse_published("01.06.2016")
    ('2016-10-06', '2016-06-01')
    """
    s = s or ""
    if _ANY_FULLWIDTH_DIGIT.search(s):
        s = s.translate(_FULLWIDTH_DIGITS)
    if not _ANY_DIGIT.search(s):
        return None  # every date form holds digits
    for pat in _DATE_FORMS:
        m = pat.search(s)
        if not m:
            continue
        try:
            return dt.date(int(m["y"]), int(m["m"]), int(m["d"])).isoformat()
        except ValueError:
            continue
    return None


def _nonblank_lines(text: str) -> list[tuple[str, int, int]]:
    """Stripped non-blank lines of ``text`` with their (start, end) offsets."""
    out, pos = [], 0
    for line in text.split("\n"):
        s = line.strip()
        if s:
            lead = pos + len(line) - len(line.lstrip())
            out.append((s, lead, lead + len(s)))
        pos += len(line) + 1
    return out


def _is_dateline(line: str) -> bool:
    """A line that is mostly a date (with time, source or author labels), not a sentence."""
    if parse_published(line) is None or "。" in line:
        return False
    rest = line
    for pat in _DATE_FORMS:
        rest = pat.sub("", rest)
    rest = regex.sub(r"\d{1,2}:\d{2}(?::\d{2})?", "", rest)
    rest = rules().date_label.sub("", rest)
    rest = rules().outlet.sub("", rest)
    return len(regex.sub(r"[\s：:|｜]", "", rest)) <= 24


def _is_meta_line(line: str) -> bool:
    r = rules()
    return (_is_dateline(line) or bool(r.outlet.search(line) and len(line) < 60)
            or bool(r.byline.fullmatch(line.strip("（）() "))))


def find_title(lines: list[str]) -> str | None:
    """The headline: the first line of the header that reads as one.

    A kicker (引题) ending in ``——`` is followed by the headline; a text that opens with a
    news lead (本报讯, 新华社…电) or with a sentence has no headline.
    """
    r = rules()
    for i, line in enumerate(lines[: r.header_lines]):
        if _is_meta_line(line) or not title_of(line):  # a banner alone on its line
            continue
        if r.body_opening.match(line) or len(line) > r.title_max_chars or line.endswith("。"):
            return None
        if line.endswith("——") and i + 1 < len(lines):
            nxt = lines[i + 1]
            if not _is_meta_line(nxt) and len(nxt) <= r.title_max_chars and not nxt.endswith("。"):
                return nxt
        return line
    return None


def title_of(line: str) -> str:
    """The headline of a title line without its furniture: a column or series banner before
    it (【脱贫攻坚一线】, ［走基层］), the outlet it was taken from (湖南日报：) and a web
    page's column or site tag after it (… |了不起的我们)."""
    a, b = headline_span(line)
    return line[a:b]


def headline_span(line: str) -> tuple[int, int]:
    """Where the headline of a title line begins and ends (see :func:`title_of`)."""
    r = rules()
    m = r.title_furniture.match(line)
    a = m.end() if m else 0
    tail = r.title_tail.search(line, a)
    if tail is None:
        return a, len(line)
    b = a + len(line[a:tail.start()].rstrip())  # the spaces before the pipe go with the tag
    if b - a >= r.title_tail_ratio * len(tail.group().strip(" \t|｜_")):
        return a, b
    return a, len(line)


def find_published(lines: list[str]) -> str | None:
    """The date of the first dateline in the header block, else in the last lines."""
    r = rules()
    for line in lines[: r.header_lines] + lines[-r.footer_lines:]:
        if _is_dateline(line):
            return parse_published(line)
    return None


def find_outlet(lines: list[str]) -> str | None:
    """The outlet named by a source label (来源:西藏日报) in the header or footer."""
    r = rules()
    for line in lines[: r.header_lines] + lines[-r.footer_lines:]:
        m = r.outlet.search(line)
        if m:
            return m["o"]
    return None


def find_authors(lines: list[str]) -> list[str]:
    """Reporters named in the byline (本报记者 李小龙 特约记者 何建强), in order, once each."""
    r = rules()
    for line in lines[: r.header_lines]:
        m = r.byline.search(line)
        if not m or (m.start() > 0 and not r.body_opening.match(line) and not _byline_context(line, m)):
            continue
        names: list[str] = []
        for nm in r.name.finditer(m.group()):
            if nm.group(1) and nm.group(1) not in names:
                names.append(nm.group(1))
        if names:
            return names
    return []


def _byline_context(line: str, m: regex.Match[str]) -> bool:
    """A byline inside a line: in brackets, or the line is nothing but bylines and a date."""
    before = line[: m.start()].rstrip()
    return before.endswith(("（", "(", "【")) or _is_dateline(line) or len(line) - len(m.group()) < 8


@register("metadata", assigns="meta", always=True)
def extract_metadata(doc: Document) -> Metadata:
    """Metadata for ``doc``: the archive's fields, completed from the cleaned text."""
    spans = _nonblank_lines(doc.view.text)
    lines = [s for s, _, _ in spans]
    have = doc.meta
    title = have.title
    if not title:
        title = find_title(lines)
        if title is not None:
            # Report the headline as printed: the raw text behind the normalised line,
            # without the furniture before it.
            a, _ = next((a, b) for s, a, b in spans if s == title)
            ha, hb = headline_span(title)
            ra, rb = doc.view.to_raw(a + ha, a + hb)
            title = doc.text[ra:rb].strip()
    return Metadata(
        title=title,
        published=have.published or find_published(lines),
        outlet=have.outlet or find_outlet(lines),
        authors=have.authors or find_authors(lines),
        url=have.url,
    )
