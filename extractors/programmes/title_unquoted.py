"""Rules: unquoted names the title presents, backed by the body or the opening.

Local reports often write the programme their story is about without quotes, both in the
title and in the text:

* a part of the title (between its separators) that is a numeric slogan, which the body brings
  in again with a trigger verb, quoted or not (title 鄂尔多斯：六层兜底 确保脱贫不掉队, body
  建立起六层兜底儿的扶贫体系, 实施六层“兜底”政策; not a line of verse, 十指春风 一绣千年, that
  the body only quotes): :func:`title_slogan_parts`;
* a name the opening brings in with a trigger verb and a kind word, unquoted, that shares a
  word with the title (title 重庆：吸引本土人才助力脱贫攻坚, opening 重庆通过实施本土人才回引
  工程; title 告别土坯房 喜圆安居梦, opening 大力推进农村安居工程): :func:`opening_led`.

Each candidate gets the reason :data:`.candidates.TITLE_SUBJECT`, so the headline rule takes
it. The words and bounds are ``title_unquoted`` of ``data/programmes.yaml``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from policy_ie.extractors.programmes.candidate import Candidate
from policy_ie.extractors.programmes.candidates import TITLE_SUBJECT
from policy_ie.extractors.programmes.data import ProgrammeData
from policy_ie.extractors.programmes.headline import opening
from policy_ie.extractors.programmes.memo import shape_of
from policy_ie.text.lexicon import alternation

_QUOTE_MARKS = re.compile("[“”\"'‘’「」『』]")


@lru_cache(maxsize=4)
def _led_re(verbs: tuple[str, ...], kinds: tuple[str, ...], lo: int, hi: int, stop: str) -> re.Pattern[str]:
    return re.compile(rf"(?:{alternation(verbs)})(?P<name>(?:(?![{re.escape(stop)}])[\u4e00-\u9fff])"
                      rf"{{{lo},{hi}}}?)(?P<kind>{alternation(kinds)})")


def _title_line_end(text: str, title: str) -> int:
    """Where the body starts: after the first line when it holds the title, else 0."""
    nl = text.find("\n")
    line = text if nl < 0 else text[:nl]
    if title.strip() and title.strip()[:6] in line:
        return len(line) + 1 if nl >= 0 else len(text)
    return 0


def title_slogan_parts(text: str, title: str | None, data: ProgrammeData) -> list[Candidate]:
    """Numeric slogans written as a part of the title that the body names again: a candidate
    at each mention in the text, the title line's included."""
    rule = data.raw.get("title_unquoted") or {}
    if not title or not rule:
        return []
    title = data.series_label.sub("", title)
    parts = [p for p in data.title_split.split(title)
             if rule["part_min"] <= len(p) <= rule["part_max"] and data.all_han.fullmatch(p)]
    if not parts:
        return []
    parts = [p for p in parts if shape_of(p, data).numeric]
    if not parts:
        return []
    body = _QUOTE_MARKS.sub("", text[_title_line_end(text, title):])  # (六层“兜底”政策)
    verbs = alternation(list(data.raw["trigger_verbs"]))
    gap = int(rule.get("part_verb_gap") or 0)
    out: list[Candidate] = []
    for part in parts:
        if part not in body or not re.search(f"(?:{verbs})[\u4e00-\u9fff]{{0,{gap}}}{re.escape(part)}", body):
            continue
        i = text.find(part)
        while i >= 0:
            out.append(Candidate(name=part, start=i, end=i + len(part), content_start=i,
                                 content_end=i + len(part), quoted=False, score=data.keep_score,
                                 reasons=[TITLE_SUBJECT]))
            i = text.find(part, i + 1)
    return out


def opening_led(text: str, title: str | None, data: ProgrammeData) -> list[Candidate]:
    """The first name of the opening brought in by a trigger verb with one of the kinds of
    ``title_unquoted.led_kinds`` right after it, unquoted, when it shares ``share_min``
    characters in a row with the title (not only the field's own words of ``share_stop``);
    a word of scale before it (``led_skip_first``: 大规模) is no part of the name."""
    rule = data.raw.get("title_unquoted") or {}
    if not title or not rule:
        return []
    title = data.series_label.sub("", title)
    o0, o1 = opening(text, title, data)
    if o1 <= o0:
        return []
    pat = _led_re(tuple(data.raw["trigger_verbs"]), tuple(rule["led_kinds"]), rule["led_min"],
                  rule["led_max"], data.raw["modifier_stop"])
    generic = frozenset(data.raw["title_subject"].get("led_generic") or ())
    stop = tuple(rule.get("share_stop") or ())
    n = int(rule["share_min"])
    lead = tuple(rule.get("led_skip_first") or ())
    for m in pat.finditer(text, o0, o1):
        name, at = m.group("name"), m.start("name")
        first = next((w for w in lead if name.startswith(w)), "")
        name, at = name[len(first):], at + len(first)  # 开展大规模国土绿化行动: 国土绿化
        if name in generic or len(name) < rule["led_min"]:
            continue
        masked = name
        for w in stop:  # (the field's words, and a pair of characters across two of them)
            masked = masked.replace(w, "_" * len(w))
        shared = {masked[i:i + n] for i in range(len(masked) - n + 1)}
        if any("_" not in s and s in title for s in shared):
            return [Candidate(name=name, start=at, end=m.end(), content_start=at,
                              content_end=m.end("name"), quoted=False, kind=m.group("kind"),
                              kind_strength="strong", score=data.keep_score, reasons=[TITLE_SUBJECT])]
    return []
