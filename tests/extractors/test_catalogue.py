"""Tests of extractors/catalogue.py: the metric catalogue and its readers."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from policy_ie.extractors import catalogue as C
from policy_ie.extractors import metric_cues as CU
from policy_ie.pipeline import evaluate, train
from policy_ie.pipeline.report.labels import metric_info, metric_order


def test_the_catalogue_lists_the_metrics_in_order_with_their_labels_and_units() -> None:
    keys = C.metric_keys()
    assert keys[:3] == ("poor_population", "poor_households", "poor_villages")
    assert len(keys) == len(set(keys)) >= 11
    m = C.metric("poverty_rate")
    assert (m.label, m.label_en, m.unit, m.main) == ("贫困发生率", "poverty incidence", "%", True)
    assert m.definition and m.excludes and m.cues


def test_every_reader_takes_the_metrics_from_the_catalogue() -> None:
    keys = C.metric_keys()
    assert tuple(CU.cues().metric_units) == keys
    assert all(CU.cues().metric_units[k] == C.metric(k).unit for k in keys)
    assert ("none", *keys) == train.LABELS
    assert CU.cues().metric_units == train.METRIC_UNIT
    assert keys == evaluate.SCORED_METRICS
    assert sorted(keys, key=metric_order) == list(keys)
    assert metric_info("investment").label == "投资额" and metric_info("investment").unit == "元"
    assert metric_info("nothing").label == "nothing"


def _with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entries: list[dict]) -> None:
    bad = tmp_path / "metrics.yaml"
    bad.write_text(yaml.safe_dump({"metrics": entries}, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(C, "DATA", bad)
    C.catalogue.cache_clear()


@pytest.mark.parametrize(("change", "message"), [
    (lambda es: es.append(dict(es[0])), "listed twice"),
    (lambda es: es[0].pop("unit"), "must have the fields"),
    (lambda es: es[0].update(colour="red"), "no others"),
    (lambda es: es[0].update(not_zh=""), "not_zh must be"),
    (lambda es: es[0].update(key="Poor population"), "snake_case"),
    (lambda es: es[0].update(main="yes"), "main must be"),
    (lambda es: es[0].update(label=""), "label must be"),
])
def test_a_bad_catalogue_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change, message: str) -> None:
    entries = [dict(e) for e in C.load_data(C.DATA)["metrics"]]
    change(entries)
    _with(tmp_path, monkeypatch, entries)
    try:
        with pytest.raises(ValueError, match=message):
            C.catalogue()
    finally:
        monkeypatch.undo()
        C.catalogue.cache_clear()


def test_a_cue_rule_may_name_only_a_metric_of_the_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    entries = [e for e in C.load_data(C.DATA)["metrics"] if e["key"] != "cadres"]
    _with(tmp_path, monkeypatch, entries)
    CU.cues.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"not in metrics\.yaml"):
            CU.cues()
    finally:
        monkeypatch.undo()
        C.catalogue.cache_clear()
        CU.cues.cache_clear()


def test_the_chinese_definitions_are_optional_and_read_when_given(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    entries = [dict(e) for e in C.load_data(C.DATA)["metrics"]]
    for f in C.OPTIONAL:
        entries[0].pop(f, None)
    _with(tmp_path, monkeypatch, entries)
    try:
        first, second = list(C.catalogue().values())[:2]
        assert (first.definition_zh, first.excludes_zh) == ("", "")
        assert second.definition_zh == entries[1]["definition_zh"] and second.excludes_zh == entries[1]["not_zh"]
    finally:
        monkeypatch.undo()
        C.catalogue.cache_clear()
