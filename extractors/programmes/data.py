"""The programme lexicon: ``extractors/data/programmes.yaml`` read, validated and compiled.

:class:`ProgrammeData` holds the file's entries and the regexes built from them once (kind
words after a quote, unquoted slogans, quantities, quote pairs); every module of the package
reads its rules from it. Nothing here decides anything about a text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from policy_ie.text.lexicon import alternation
from policy_ie.text.lexicon import load_data as read_yaml
from policy_ie.text.punctuation import chars

DATA_FILE = Path(__file__).parents[1] / "data" / "programmes.yaml"

_REQUIRED_KEYS = (
    "quotes", "numerals", "strong_kinds", "frame_kinds", "suffix_kinds", "max_modifier",
    "modifier_stop", "trigger_verbs", "clause_markers", "enum_separators", "max_enum_part",
    "max_name", "person_suffixes", "catch_phrases", "definition_cues", "content_links",
    "ordinal_chars", "unquoted_patterns", "national_slogans", "quantity_units",
    "measure_units", "numeral_led_words", "numeral_classifiers", "series_label",
    "feature_weights", "keep_score", "group_joiners", "max_numeric_slogan", "digit_slogan_marks",
    "numbered_kind_classifiers", "headline_opening", "implement_verbs", "implement_after", "title_subject",
)
# the features scoring.score weighs: each needs a weight
FEATURES = ("numeric", "plus", "kind", "frame", "suffix", "field", "enum", "long-parts", "long",
            "trigger", "implement", "list", "catch", "person", "single", "clause")


@dataclass(frozen=True, eq=False)
class ProgrammeData:
    """The validated contents of ``programmes.yaml`` plus the regexes built from them.

    Compared and hashed by identity (``eq=False``): :func:`load_data` makes one per file, and
    per-name results are cached against it.
    """

    raw: dict[str, Any]
    numerals: dict[str, int]
    num_class: str
    kind_after: re.Pattern[str]
    strong_kinds: frozenset[str]
    suffix_kinds: tuple[str, ...]
    trigger_verbs: tuple[str, ...]
    clause_markers: frozenset[str]
    person_suffixes: tuple[str, ...]
    catch_phrases: frozenset[str]
    unquoted: re.Pattern[str]
    plus_formula: re.Pattern[str]
    quantity: re.Pattern[str]
    numbered_kind: re.Pattern[str]  # “A、B、C”五个脱贫攻坚模式: a numbered kind after quotes
    numbered_kind_curly: re.Pattern[str]  # the same after ” only (for a text without 」)
    led_words: tuple[str, ...]  # numeral_led_words, in the file's order
    led_any: re.Pattern[str]  # does a name hold one of them?
    numeral_any: re.Pattern[str]  # a numeral or a decimal digit (else a name has no numerals)
    quote_res: tuple[tuple[str, re.Pattern[str]], ...]  # per quote pair: (opening mark, a
    # quoted stretch on one line)
    enum_sep: re.Pattern[str]  # an enumeration separator
    plain: re.Pattern[str]  # what a plain name lacks: a separator, a numeral, a digit, + or 等
    trigger_end: re.Pattern[str]  # does a text end with a trigger verb?
    implement_end: re.Pattern[str]  # ... with a verb of implementing?
    implement_field: re.Pattern[str]  # the field's own word after a quote (“链条式”扶贫)
    title_split: re.Pattern[str]  # separators of the parts of a title (title_subject)
    all_han: re.Pattern[str]  # Chinese characters only
    title_kind_at: re.Pattern[str]  # a kind word of a title's subject (title_subject)
    title_led: re.Pattern[str] | None  # a title that is itself a programme (title_subject)
    title_head: re.Pattern[str] | None  # a title part opening with a programme (title_subject)
    series_label: re.Pattern[str]  # the name of a column or series in a title
    sentence_punct: re.Pattern[str]  # a mark that ends a statement (punctuation set statement_end)
    digit_slogan: re.Pattern[str]  # one of digit_slogan_marks
    weights: dict[str, int]  # feature_weights
    reasons: dict[str, str]  # per feature, the reason recorded for it ("numeric+2")
    keep_score: int  # a candidate scoring this or more is a programme
    joiners: frozenset[str]  # group_joiners
    counted_kind: re.Pattern[str]  # “A”“B”“C”三种…模式: a kind counting the quotes before it
    unquoted_plus: re.Pattern[str]  # 推行党支部+合作社+贫困户模式: a bare + formula and its kind
    manner_kinds: frozenset[str]  # kinds that after 的 name a manner (“孵化”的方式), no name
    not_programme: frozenset[str]  # names that are never programmes (plan periods: times)
    field_name: re.Pattern[str]  # a short name built on the field's own words (“扶贫菜单”)
    field_not: re.Pattern[str]  # ... unless it holds one of these (an honour: “脱贫先进村”)
    field_generic: frozenset[str]  # ... or is only the field's generic words (“精准扶贫”)
    field_modifier_end: re.Pattern[str]  # a modifier after 的 ending in the field's words
    paired_numeral: re.Pattern[str]  # a character that is a numeral before one (双 in 双九条)

    # the memo of :func:`~policy_ie.extractors.programmes.memo.shape_of` (what names alone
    # say, for names seen before), kept with the data it was computed from
    shapes: dict[str, Any] = field(default_factory=dict, repr=False)

    def __getitem__(self, key: str) -> Any:
        return self.raw[key]


@cache
def load_data(path: Path = DATA_FILE) -> ProgrammeData:
    """Load and validate the programme lexicon (once)."""
    raw = read_yaml(path)
    missing = [k for k in _REQUIRED_KEYS if k not in raw]
    if missing:
        raise ValueError(f"{path}: missing keys {missing}")
    for pair in raw["quotes"]:
        if len(pair) != 2 or not all(isinstance(q, str) and len(q) == 1 for q in pair):
            raise ValueError(f"{path}: bad quote pair {pair!r}")
    nums = {str(k): int(v) for k, v in raw["numerals"].items()}
    if any(len(k) != 1 for k in nums):
        raise ValueError(f"{path}: numerals must be single characters")
    num_class = "[" + "".join(nums) + "0-9]"
    kinds = list(raw["strong_kinds"]) + list(raw["frame_kinds"])
    stop = re.escape(raw["modifier_stop"])
    mod = int(raw["max_modifier"])
    # after the closing quote: optional parenthetical, 等, 的, a short modifier, the kind word
    fillers = alternation(list(raw.get("list_fillers") or ())) or "(?!)"
    kind_after = re.compile(
        rf"(?P<paren>[(（][^()（）\n]{{1,80}}[)）])?(?:等(?:{fillers})?)?(?:的)?"
        rf"(?P<mod>[^\s{stop}\d{''.join(nums)}]{{0,{mod}}}?)(?P<kind>{alternation(kinds)})"
    )
    for p in raw["unquoted_patterns"]:
        if "{num}" not in p:
            raise ValueError(f"{path}: unquoted pattern without {{num}}: {p!r}")
    weights = {str(k): int(v) for k, v in raw["feature_weights"].items()}
    if sorted(weights) != sorted(FEATURES):
        raise ValueError(f"{path}: feature_weights must weigh exactly {', '.join(FEATURES)}")
    if weights["clause"] > 0:
        raise ValueError(f"{path}: the clause weight may not be positive (a lazy scoring skips it)")
    opening_keys = {"title_within", "title_prefix", "min_han", "sentences"}
    if set(raw["headline_opening"]) != opening_keys or not all(
            isinstance(v, int) and v > 0 for v in raw["headline_opening"].values()):
        raise ValueError(f"{path}: headline_opening must give positive whole numbers for "
                         f"{', '.join(sorted(opening_keys))}")
    if any(len(j) > 1 for j in raw["group_joiners"]):
        raise ValueError(f"{path}: group_joiners are one character at most")
    counters = re.escape(raw["numbered_kind_classifiers"])
    # a + formula: parts of up to plus_part_max characters, each with an optional short
    # parenthetical (“党组织+合作社+农户(贫困户)”)
    part = rf"[\w·]{{1,{int(raw.get('plus_part_max', 8))}}}(?:[(（][\w·]{{1,8}}[)）])?"
    plus = re.compile(rf"^{part}(?:\+{part})*\+(?:{part})?$")
    # the same formula unquoted, between a trigger verb and a strong kind word
    bare = part.replace(r"[\w·]", r"[\u4e00-\u9fff]")
    unquoted_plus = re.compile(
        rf"(?:{alternation(list(raw['trigger_verbs']))})(?P<name>{bare}(?:[+＋]{bare})+)(?:的)?"
        rf"(?P<mod>[^\s{stop}\d]{{0,{mod}}}?)(?P<kind>{alternation(list(raw['strong_kinds']))})")
    counted = re.compile(
        rf"(?P<num>[{''.join(nums)}])[{counters}](?P<mod>[^\s{stop}\d{''.join(nums)}]"
        rf"{{0,{int(raw.get('counted_max_modifier', mod))}}}?)(?P<kind>{alternation(list(raw['strong_kinds']))})")
    streak = alternation(list(raw.get("streak_marks") or ())) or "(?!)"
    quantity = re.compile(rf"^{num_class}+(?:(?:个|多)?[{re.escape(raw['quantity_units'])}]"
                          rf"|(?:{streak})[\u4e00-\u9fff]王?)$")
    num = num_class.replace("0-9", "")
    numbered = rf"((?:{num})[{counters}][^\s{stop}]{{0,{mod}}}?({alternation(list(raw['strong_kinds']))}))"
    led_words = tuple(raw["numeral_led_words"])
    return ProgrammeData(
        raw=raw,
        numerals=nums,
        num_class=num_class,
        kind_after=kind_after,
        strong_kinds=frozenset(raw["strong_kinds"]),
        suffix_kinds=tuple(sorted(raw["suffix_kinds"], key=len, reverse=True)),
        trigger_verbs=tuple(raw["trigger_verbs"]),
        clause_markers=frozenset(raw["clause_markers"]),
        person_suffixes=tuple(raw["person_suffixes"]),
        catch_phrases=frozenset(raw["catch_phrases"]),
        unquoted=_unquoted_re(raw, num),
        plus_formula=plus,
        quantity=quantity,
        numbered_kind=re.compile(f"[”」]{numbered}"),
        # a scan for one character is much faster than for either of two
        numbered_kind_curly=re.compile(f"”{numbered}"),
        led_words=led_words,
        led_any=re.compile(alternation(list(led_words)) or "(?!)"),
        numeral_any=re.compile(rf"[{re.escape(''.join(nums))}]|\d"),
        enum_sep=re.compile(f"[{re.escape(raw['enum_separators'])}]" if raw["enum_separators"] else "(?!)"),
        plain=re.compile(f"[{re.escape(raw['enum_separators'] + ''.join(nums) + '+等')}]|\\d"),
        quote_res=tuple((op, re.compile(f"{re.escape(op)}[^{re.escape(op + cl)}\n]*{re.escape(cl)}"))
                        for op, cl in raw["quotes"]),
        trigger_end=re.compile(rf"(?:{alternation(list(raw['trigger_verbs']))})\Z" if raw["trigger_verbs"] else "(?!)"),
        implement_end=re.compile(rf"(?:{alternation(list(raw['implement_verbs']))})\Z"
                                 if raw["implement_verbs"] else "(?!)"),
        implement_field=re.compile(alternation(list(raw.get("implement_fields") or ())) or "(?!)"),
        title_split=re.compile(raw["title_subject"]["separators"]),
        all_han=re.compile(r"[\u4e00-\u9fff]+"),
        title_kind_at=re.compile(alternation(list(raw["title_subject"]["kinds"]))),
        title_led=_title_led(raw["title_subject"]),
        title_head=_title_head(raw["title_subject"]),
        series_label=re.compile(raw["series_label"]),
        sentence_punct=re.compile(f"[{re.escape(chars('statement_end'))}]"),
        digit_slogan=re.compile(f"[{re.escape(raw['digit_slogan_marks'])}]"),
        weights=weights,
        reasons={k: f"{k}{n:+d}" for k, n in weights.items()},
        keep_score=int(raw["keep_score"]),
        joiners=frozenset(raw["group_joiners"]),
        counted_kind=counted,
        unquoted_plus=unquoted_plus,
        manner_kinds=frozenset(raw.get("manner_kinds") or ()),
        not_programme=frozenset(raw.get("not_programme") or ()),
        paired_numeral=_paired(raw, nums, path),
        **_field_rules(raw),
    )


def _paired(raw: dict[str, Any], nums: dict[str, int], path: Path) -> re.Pattern[str]:
    """``paired_numeral``: its characters (双) right before a numeral character, which then read
    as the numeral ``as`` (两): “双九条” is a numeric slogan, “双赢” is not."""
    rule = raw.get("paired_numeral") or {}
    chars = "".join(rule.get("chars") or ())
    if not chars:
        return re.compile("(?!)")
    if rule.get("as") not in nums:
        raise ValueError(f"{path}: paired_numeral.as must be one of the numerals (it is "
                         f"{rule.get('as')!r}): the numeral the paired character reads as")
    return re.compile(f"[{re.escape(chars)}](?=[{re.escape(''.join(nums))}])")


def _field_rules(raw: dict[str, Any]) -> dict[str, Any]:
    """The compiled ``field_names`` rule: a quoted name of ``min_len`` to ``max_len``
    characters holding one of its ``words`` (“扶贫菜单”, “菜单式扶贫”, “扶贫车间”) is a named
    practice of the field, unless it holds one of ``not_words`` (an honour or a title:
    “脱贫先进村”), ends with one of ``not_ends`` (a figure of speech: “脱贫路”), opens with one
    of ``not_first`` (a clause: “早日脱贫”) or is one of ``generic`` (the field's own words
    alone); and a modifier
    between 的 and a kind word ending in one of ``implement_fields`` (“渔光互补”的产业扶贫
    模式) keeps the kind word the quote's own."""
    rule = raw.get("field_names") or {}
    words = list(rule.get("words") or ())
    lo, hi = int(rule.get("min_len") or 0), int(rule.get("max_len") or 0)
    ends = alternation(list(rule.get("not_ends") or ()))
    not_end = rf"(?!.*(?:{ends})$)" if ends else ""
    firsts = alternation(list(rule.get("not_first") or ()))
    not_first = rf"(?!{firsts})" if firsts else ""
    name = (rf"^(?=.{{{lo},{hi}}}$){not_end}{not_first}.*(?:{alternation(words)})"
            if words and hi >= lo > 0 else "(?!)")
    return {
        "field_name": re.compile(name),
        "field_not": re.compile(alternation(list(rule.get("not_words") or ())) or "(?!)"),
        "field_generic": frozenset(rule.get("generic") or ()),
        "field_modifier_end": re.compile(
            rf"(?:{alternation(list(raw.get('implement_fields') or ()))})\Z"
            if raw.get("implement_fields") else "(?!)"),
    }


def _unquoted_re(raw: dict[str, Any], num: str) -> re.Pattern[str]:
    r"""Unquoted slogans (templates with ``{num}``, national slogans), not inside quotes and
    not after a numeral or 第.

    Written so that the pattern opens with a character class (the first characters of all
    slogans): the regex engine then jumps from one such character to the next instead of
    trying every alternative at every position. The test "not after" moves behind that first
    character (``(?<![…][\s\S])``), and each alternative matches the rest of its slogan first
    (a literal the engine rejects at one compare) and then looks back at the whole of it: the
    same matches as ``(?<![…])(?:A|B|…)(?![…])``.
    """
    numerals = "".join(str(k) for k in raw["numerals"])
    firsts: dict[str, None] = {}  # first characters, in order
    alts = []
    for p in [*raw["unquoted_patterns"], *raw["national_slogans"]]:
        head, rest = ("{num}", p[5:]) if p.startswith("{num}") else (p[0], p[1:])
        firsts.update(dict.fromkeys(numerals if head == "{num}" else head))
        first = num if head == "{num}" else re.escape(head)
        rest_re = re.escape(rest).replace(re.escape("{num}"), num)
        alts.append(f"{rest_re}(?<={first}{rest_re})")
    block = re.escape("“\"「" + numerals + "第")
    return re.compile(rf"[{re.escape(''.join(firsts))}](?<![{block}][\s\S])(?:{'|'.join(alts)})"
                      r"(?![”\"」])")


def _title_led(rule: dict[str, Any]) -> re.Pattern[str] | None:
    """The pattern of a title that is itself a programme: a verb of implementing, the name
    (``name``) and its kind (``kind``) closing a part of the title (``led_*`` of
    ``title_subject``); None when the data gives no verbs."""
    verbs, kinds = rule.get("led_verbs") or [], rule.get("led_kinds") or []
    if not verbs or not kinds:
        return None
    return re.compile(rf"(?:{alternation(list(verbs))})(?P<name>[\u4e00-\u9fff]{{{rule['min_len']},"
                      rf"{rule['max_len']}}}?)(?P<kind>{alternation(list(kinds))})(?=[\s:：，,、|｜!！?？]|$)")



def _title_head(rule: dict[str, Any]) -> re.Pattern[str] | None:
    """The pattern of a title part that opens with a programme: the name (``name``, of
    ``min_len`` to ``max_len`` Chinese characters) at the part's start, one of ``led_kinds``
    (``kind``), then what it achieves (怀宁 党建引领扶贫工程重实效); None without kinds."""
    kinds = rule.get("led_kinds") or []
    if not kinds:
        return None
    stop = re.escape(rule.get("head_stop_first") or "")
    not_first = f"(?![{stop}])" if stop else ""
    opens = rf"(?:^|(?<={rule['separators'].rstrip('+')})){not_first}"
    return re.compile(rf"{opens}(?P<name>[\u4e00-\u9fff]{{{rule['min_len']},"
                      rf"{rule['max_len']}}}?)(?P<kind>{alternation(list(kinds))})(?=[\u4e00-\u9fff])")
