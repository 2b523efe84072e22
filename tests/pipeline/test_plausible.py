"""Plausibility bounds by metric and division level (pipeline/data/plausible.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policy_ie.extractors.catalogue import catalogue
from policy_ie.pipeline import plausible
from policy_ie.pipeline.plausible import BOUND_LEVELS, implausible, low_confidence
from policy_ie.text.lexicon import load_data

ENTRIES = [(key, level, entry) for key, levels in load_data(plausible.PLAUSIBLE_FILE)["bounds"].items()
           for level, entry in levels.items()]


def test_every_metric_has_a_bound_for_every_level_with_its_reason() -> None:
    bounds = load_data(plausible.PLAUSIBLE_FILE)["bounds"]
    assert set(catalogue()) <= set(bounds)
    for key, levels in bounds.items():
        assert set(levels) == set(BOUND_LEVELS), key
        assert all(len(str(e["why"])) > 10 for e in levels.values()), key


@pytest.mark.parametrize(("key", "level", "entry"), ENTRIES, ids=[f"{k}-{lv}" for k, lv, _ in ENTRIES])
def test_each_bound_keeps_its_maximum_and_leaves_out_what_is_above(key: str, level: str, entry: dict) -> None:
    high = float(entry["max"])
    assert implausible(key, key, level, high) is None
    assert implausible(key, key, level, float(entry.get("min", 0))) is None
    why = implausible(key, key, level, high + max(1.0, high * 0.01))
    assert why is not None and why.startswith("implausible: ") and f"for a {level}" in why
    assert str(entry["why"]) in why  # the reason a reader can check


@pytest.mark.parametrize(("key", "level", "value", "ok"), [
    ("poor_population", "country", 98_990_000, True),  # 9,899万 in 2012
    ("poor_population", "county", 98_990_000, False),  # the same figure given to a county
    ("poor_population", "village", 800, True),  # hundreds in a village
    ("poor_population", "village", 12_000, False),
    ("poor_counties", "country", 832, True),
    ("poor_counties", "province", 88, True),
    ("poor_counties", "county", 1, False),  # a county has no poor counties
    ("poor_villages", "country", 128_000, True),  # about 12.8万 poor villages
    ("poor_villages", "county", 2500, False),
    ("poverty_rate", "village", 100, True),
    ("poverty_rate", "village", 100.5, False),
    ("investment", "county", 1e11, True),
    ("investment", "county", 5.871e11, True),  # 滨海新区's 449 key projects in all
    ("investment", "county", 2.37e13, False),  # 23.7万亿: a national sum on a district
    ("investment", "country", 2.37e13, True),
    ("lifted_population", "city", 5_940_000, True),  # 毕节 over thirty years
    ("cadres", "county", 2_800_000, False),  # the country's 280万 poverty cadres
])
def test_examples_of_the_reasoning(key: str, level: str, value: float, ok: bool) -> None:
    assert (implausible(key, key, level, value) is None) is ok


def test_rates_take_their_metric_bounds_and_unknown_levels_or_metrics_none() -> None:
    assert implausible("investment_per_year", "investment", "county", 5e12) is not None
    assert implausible("investment_per_year", "investment", "county", 5e10) is None
    assert implausible("poor_population", "poor_population", None, 1e9) is None  # no level known
    assert implausible("new_metric", "new_metric", "county", 1e12) is None


def test_the_low_confidence_threshold_sits_between_the_rules_confidences() -> None:
    assert 0.7 < low_confidence() < 0.8


def test_a_malformed_file_is_an_error_naming_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "plausible.yaml"
    bad.write_text("low_confidence: 0.75\nbounds:\n  cadres:\n    county: {max: 10, min: 20, why: x}\n", "utf-8")
    monkeypatch.setattr(plausible, "PLAUSIBLE_FILE", bad)
    plausible._data.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"plausible.yaml: cadres.county: min 20 above max 10"):
            plausible._data()
        bad.write_text("low_confidence: 0.75\nbounds:\n  cadres:\n    hamlet: {max: 10, why: x}\n", "utf-8")
        plausible._data.cache_clear()
        with pytest.raises(ValueError, match="unknown level"):
            plausible._data()
    finally:
        plausible._data.cache_clear()
        plausible.implausible.cache_clear()
