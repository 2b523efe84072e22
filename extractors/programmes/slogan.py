"""Rules: what the text of a quoted name alone says about it.

Whether it is a numeric slogan (:func:`is_numeric_slogan`: 五在村, 十百千, 两不愁三保障), a
clause of speech (:func:`is_clause`), a ``+`` formula, an enumeration of short parallel
phrases, a name ending in a kind word, a catch-phrase, a title of a person: together its
:class:`Shape` (:func:`shape`). The words behind each test are in ``data/programmes.yaml``;
how much each weighs is :mod:`.scoring`.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from policy_ie.extractors.programmes.data import ProgrammeData
from policy_ie.extractors.programmes.name_parts import numeral_tokens, split_enumeration
from policy_ie.extractors.programmes.segment import holds_word

_YEAR_LIKE = re.compile(r"\d{4}")


def after_numerals(text: str, numerals: dict[str, int]) -> list[str]:
    """The character after each run of numeral characters of ``text`` ("" at its end)."""
    return [text[i + 1:i + 2] for i, ch in enumerate(text)
            if ch in numerals and (i + 1 == len(text) or text[i + 1] not in numerals)]


def is_numeric_slogan(name: str, data: ProgrammeData) -> bool:
    """A short name built on numerals: 五在村, 十百千, 两不愁三保障, 1个10%, 5+2.

    Not: quantities (“二十年”, “百里画廊”), dates (“七一”), words that merely begin with a
    numeral character (“百姓”, “四川省...”), phrases with 的 (“一代人有一代人的使命”),
    sentences of speech (“我掏一万。”), phrases whose every number counts a measure
    (“饱一顿饥一顿”).
    """
    if len(name) > data["max_numeric_slogan"] or not data.numeral_any.search(name):  # (no numerals: no tokens below)
        return False
    if data.quantity.match(name) or "的" in name:
        return False
    if data.sentence_punct.search(name):  # speech (“我掏一万。”)
        return False
    if name.startswith(data.led_words):
        return False
    bare = name
    if data.led_any.search(name):  # (a word not in the name is not in it after replacements)
        for w in data.led_words:
            bare = bare.replace(w, "_" * len(w))
    if len(name) >= data.raw["paired_numeral"]["min_len"] and data.paired_numeral.search(bare):
        # “双九条”, “双一流”: 双 before a numeral is one
        bare = data.paired_numeral.sub(data.raw["paired_numeral"]["as"], bare)
    toks = numeral_tokens(bare, data.numerals) if data.numeral_any.search(bare) else []
    if any(t.isdigit() for t, _ in toks):
        return bool(data.digit_slogan.search(name)) and not _YEAR_LIKE.search(name)
    if not toks:
        return False
    if len(name) == 2 and all(ch in data.numerals for ch in name):
        return False  # 七一, 五一, 八一: a date
    if all(ch and ch in data["measure_units"] for ch in after_numerals(bare, data.numerals)):
        return False  # every number counts a measure: 饱一顿饥一顿, 养活三四百头牦牛
    first = bare[0]  # (name[0], but 双 before a numeral reads as one)
    if len(toks) == 1:
        after = bare[bare.index(toks[0][0]) + 1:][:1]
        if after and after in data["measure_units"]:
            return False
        if len(name) >= 6 and after not in data["numeral_classifiers"]:
            return False
    return (first in data.numerals and first != "一") or len(toks) >= 2


def is_clause(name: str, data: ProgrammeData) -> bool:
    """Whether the quoted text reads as a clause of speech rather than a name: it holds
    sentence punctuation, or one of its words (jieba's) is a clause marker."""
    if data.sentence_punct.search(name):
        return True
    return holds_word(name, data.clause_markers)


def _field_name(name: str, suffix: str | None, data: ProgrammeData) -> bool:
    """A short name built on the field's own words (“扶贫菜单”, “菜单式扶贫”, “扶贫车间”,
    “滚动扶贫羊”): a named practice of poverty alleviation, not an honour (“脱贫先进村”) nor
    the field's generic words alone (“精准扶贫”); one already ending in a kind word has its
    feature."""
    return (suffix is None and bool(data.field_name.match(name)) and name not in data.field_generic
            and data.field_not.search(name) is None)


class Shape(NamedTuple):
    """What the name of a quoted candidate alone says about it (see :func:`shape`)."""

    parts: tuple[str, ...]  # enumeration parts (the name alone for a one-slogan list)
    is_enum: bool
    numeric: bool
    plus: bool
    suffix: str | None  # a kind word the (short, single) name ends with
    field: bool  # a short name built on the field's own words (“扶贫菜单”; field_names)
    enum_short: bool  # every enumeration part is short
    long: bool  # a single name too long for a programme
    catch: bool
    person: bool  # ends like a title of a person
    clause_test: bool  # the clause test applies (not to numeric or + names)


def shape(name: str, data: ProgrammeData) -> Shape:
    """The features of a quoted name that do not depend on its context. The clause test,
    which segments the name, is apart (:func:`is_clause`): a lazy scoring skips it where it
    cannot matter."""
    raw = data.raw
    stripped = name.strip()
    if data.plain.search(name) is None:  # most names: one part, no numerals, no +
        parts = [stripped] if stripped else []
        is_enum = numeric = plus = False
    else:
        if data.enum_sep.search(name) is None and not stripped.endswith("等"):
            parts = [stripped] if stripped else []  # (what split_enumeration gives)
        else:
            parts = split_enumeration(name, raw["enum_separators"])
        is_enum = len(parts) >= 2
        numeric = is_numeric_slogan(name, data) if not is_enum else all(
            is_numeric_slogan(p, data) for p in parts)
        if is_enum and numeric:  # “两不愁、三保障”: one slogan written as a list
            parts = [name]
            is_enum = False
        plus = not is_enum and "+" in name and bool(data.plus_formula.match(name))
    suffix = None
    if not is_enum and len(name) <= raw["max_name"] and name.endswith(data.suffix_kinds):
        suffix = next((k for k in data.suffix_kinds if name.endswith(k) and len(name) >= len(k) + 2),
                      None)
    return Shape(  # (positional: the fields' order)
        tuple(parts),
        is_enum,
        numeric,
        plus,
        suffix,
        _field_name(stripped, suffix, data) and not is_enum and not numeric,
        is_enum and max(map(len, parts)) <= raw["max_enum_part"],
        len(name) > raw["max_name"] and not plus,  # (a + formula is as long as its parts)
        name in data.catch_phrases,
        name.endswith(data.person_suffixes),
        not numeric and not plus,
    )
