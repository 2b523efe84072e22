"""The cue lexicon of ``data/metric_cues.yaml``, loaded, validated and compiled once.

This is the engine of the rules: it reads the categories of counted nouns and the ordered
context rules (see the comments of the data file), checks that every metric they name is in
the metric catalogue (:mod:`policy_ie.extractors.catalogue`), and compiles the noun and stop
alternations and the indexes the classifier uses to go fast.

It sits beside the :mod:`policy_ie.extractors.metrics` package rather than in it: the
statistical model (:mod:`policy_ie.extractors.model`) reads the same lexicon, and the
command line imports the model at start-up, so the lexicon must load without the metrics
extractor and what it imports (regions, the gazetteer, numpy).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import regex

from policy_ie.extractors.catalogue import catalogue
from policy_ie.text.lexicon import alternation, load_data

DATA = Path(__file__).parent / "data" / "metric_cues.yaml"
#: A condition a rule does not set.
UNSET = object()


@dataclass(frozen=True, slots=True)
class Category:
    """A kind of counted noun and the metric it gives for each unit class."""

    name: str
    nouns: tuple[str, ...]
    metric: dict[str, str | None]
    confidence: float
    #: unit classes the nouns count only right after the figure (300多个贫困户, not 9个深度贫困县
    #: 建档立卡贫困户 nor 贫困户……580个)
    next_only: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Rule:
    """A context rule; unset conditions are ``UNSET``."""

    name: str
    metric: Any
    category: Any
    unit: Any
    per: Any
    role: Any
    left: Any
    right: Any
    allotment: Any
    qualifier: Any
    value: Any
    side: Any
    magnitude: Any
    then: Any
    #: regex searched in the clause after the figure's clause when a comma ends that one
    #: (251户村民……，都是建档立卡贫困户: the predicate of an elided subject)
    next_clause: Any = UNSET


@dataclass(frozen=True, slots=True)
class Cues:
    """The loaded lexicon."""

    categories: dict[str, Category]
    noun_re: Any
    noun_cat: dict[str, str]
    rules: tuple[Rule, ...]
    metric_units: dict[str, str]
    right_stop: Any
    subject_verb: Any
    chain_breaks: tuple[str, ...] = ("的",)
    bare_link: Any = None
    noun_classes: dict[str, frozenset[str]] = field(default_factory=dict)  # unit classes a noun counts
    counted: frozenset[str] = frozenset()  # unit classes some noun counts
    noun_starts: dict[str, frozenset[str]] = field(default_factory=dict)  # first characters of each class's nouns
    rule_values: frozenset[Any] = frozenset()  # every value a rule's ``value`` lists
    candidates: dict[tuple[Any, ...], tuple[Rule, ...]] = field(default_factory=dict)  # see candidates
    list_joiners: tuple[str, ...] = ("、",)  # counts joined by these share a noun or a verb
    pair_joiners: tuple[str, ...] = ()  # ... and a household count and the person count after it
    next_only: dict[str, frozenset[str]] = field(default_factory=dict)  # per noun: see Category
    #: a count with no noun of its own whose clause opens thus takes the noun of the count
    #: before it in the sentence (全国52个……贫困县，贵州就有9个)
    back_reference: Any = None
    #: a sum whose clause opens with a comparison takes the noun and rate of the sum before it
    #: (人均收入有望超过6500元，比去年增长1600多元)
    comparison_reference: Any = None
    #: ... only after a figure of these metrics (a growth of income is income; one of money
    #: put in is no sum invested)
    comparison_metrics: frozenset[str] = frozenset()
    #: the gap between two counts of one unit keyed by names in a list (甲县1800人、乙县900人)
    keyed_gap: Any = None
    #: a verb of making between a noun before a count and the count: the count is of what
    #: is made, not of the noun (在贫困县新建文化广场400个)
    making: Any = None
    #: categories whose counts share the verb after their list even with a noun of their own
    #: (486户建档立卡贫困户、1044名贫困人口实现脱贫)
    list_verb_categories: frozenset[str] = frozenset()


@cache
def cues() -> Cues:
    """The cue lexicon, loaded and validated once."""
    d = load_data(DATA)
    units = {key: m.unit for key, m in catalogue().items()}  # every metric named must be one of these
    cats: dict[str, Category] = {}
    noun_cat: dict[str, str] = {}
    for name, c in d["categories"].items():
        metric = {str(k): v for k, v in (c.get("metric") or {}).items()}
        for m in metric.values():
            if m is not None and m not in units:
                raise ValueError(f"metric_cues.yaml: {name}: unknown metric {m!r} (not in metrics.yaml)")
        next_only = frozenset(str(u) for u in c.get("next_only") or [])
        if not next_only <= set(metric):
            raise ValueError(f"metric_cues.yaml: {name}: next_only lists a unit class its metric does not map")
        cats[name] = Category(name, tuple(c["nouns"]), metric, float(c.get("confidence", 0.8)), next_only)
        for n in c["nouns"]:
            if n in noun_cat and noun_cat[n] != name:
                raise ValueError(f"metric_cues.yaml: noun {n!r} in {noun_cat[n]} and {name}")
            noun_cat[n] = name
    for name in d.get("list_verb_categories") or []:
        if name not in cats:
            raise ValueError(f"metric_cues.yaml: list_verb_categories: unknown category {name}")
    for m in d.get("comparison_metrics") or []:
        if m not in units:
            raise ValueError(f"metric_cues.yaml: comparison_metrics: unknown metric {m!r} (not in metrics.yaml)")
    rules = []
    for r in d.get("rules") or []:
        if not isinstance(r.get("value", []), list):
            raise ValueError(f"metric_cues.yaml: rule {r.get('name')}: value must be a list")
        then = r.get("then")
        targets = [*(then.values() if isinstance(then, dict) else [then]), *(r.get("metric") or [])]
        for m in targets:
            if m is not None and m not in units:
                raise ValueError(f"metric_cues.yaml: rule {r.get('name')}: unknown {m!r} (not in metrics.yaml)")
        for c in r.get("category") or []:
            if c is not None and c not in cats:
                raise ValueError(f"metric_cues.yaml: rule {r.get('name')}: unknown category {c}")
        rules.append(Rule(
            name=str(r.get("name")),
            metric=r.get("metric", UNSET),
            category=r.get("category", UNSET),
            unit=r.get("unit", UNSET),
            per=r.get("per", UNSET),
            role=r.get("role", UNSET),
            left=regex.compile(r["left"]) if "left" in r else UNSET,
            right=regex.compile(r["right"]) if "right" in r else UNSET,
            allotment=r.get("allotment", UNSET),
            qualifier=r.get("qualifier", UNSET),
            value=r.get("value", UNSET),
            side=r.get("side", UNSET),
            magnitude=r.get("magnitude", UNSET),
            then=then,
            next_clause=regex.compile(r["next"]) if "next" in r else UNSET,
        ))
    noun_classes = {n: frozenset(cats[k].metric) for n, k in noun_cat.items()}
    # alternations of plain words: the standard engine finds them several times faster
    alt = alternation(noun_cat)
    stops = "|".join(re.escape(x) for x in d.get("right_stops") or []) or "(?!)"
    verbs = "|".join(re.escape(x) for x in d.get("subject_verbs") or []) or "(?!)"
    return Cues(cats, re.compile(alt), noun_cat, tuple(rules), units, re.compile(stops),
                re.compile(f".*(?:{verbs})"), tuple(d.get("chain_breaks") or ["的"]),
                regex.compile(d.get("bare_link") or "^$"),
                noun_classes, frozenset().union(*noun_classes.values()), _noun_starts(noun_classes),
                frozenset(v for r in rules if r.value is not UNSET for v in r.value),
                list_joiners=tuple(d.get("list_joiners") or ["、"]),
                pair_joiners=tuple(d.get("pair_joiners") or []),
                next_only={n: cats[k].next_only for n, k in noun_cat.items() if cats[k].next_only},
                back_reference=regex.compile(d["back_reference"]) if d.get("back_reference") else None,
                comparison_reference=regex.compile(d["comparison_reference"])
                if d.get("comparison_reference") else None,
                comparison_metrics=frozenset(d.get("comparison_metrics") or []),
                keyed_gap=regex.compile(d["keyed_gap"]) if d.get("keyed_gap") else None,
                making=_making(d),
                list_verb_categories=frozenset(d.get("list_verb_categories") or []))


def _making(d: dict[str, Any]) -> Any:
    """The verbs of making, each with an adverb before it or not, as one pattern matched
    right after a noun (None when the file lists none)."""
    if not d.get("making_verbs"):
        return None
    adverbs = alternation(d.get("making_adverbs") or [])
    return re.compile(f"(?:{adverbs})?(?:{alternation(d['making_verbs'])})" if adverbs
                      else alternation(d["making_verbs"]))


def _noun_starts(noun_classes: dict[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    """For each unit class, the first characters of the nouns that count it.

    A window without any of them holds no noun of the class (a noun of another class found
    there is dropped anyway), so the noun search is skipped.
    """
    starts: dict[str, set[str]] = {}
    for noun, classes in noun_classes.items():
        for cls in classes:
            starts.setdefault(cls, set()).add(noun[0])
    return {cls: frozenset(chars) for cls, chars in starts.items()}
