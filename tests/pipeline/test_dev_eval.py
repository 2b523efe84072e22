"""pipeline/dev_eval.py: the dev-set scores (``policy-ie eval --dev``).

The scoring is checked on hand-made gold and records; the metric keys are taken from the
metrics dev file's labels, so that no code file spells the catalogue out. The dev sets
themselves are scored on the shared corpus when it is present (skipped otherwise).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from policy_ie.pipeline import dev_eval
from policy_ie.pipeline.cli import app
from policy_ie.pipeline.dev_eval import DevEvalError, DevSet

runner = CliRunner()
SHARED_CORPUS = dev_eval.DEFAULT_SHARED / dev_eval.CORPUS
needs_shared = pytest.mark.skipif(not SHARED_CORPUS.is_file(), reason="../shared is not present")


def _metric_keys() -> list[str]:
    """Two metric keys the metrics dev set labels."""
    gold = json.loads((dev_eval.DEV_DIR / "metrics_dev.json").read_text("utf-8"))["articles"]
    keys = sorted({m for g in gold.values() for m, _, _ in g["metrics"]})
    assert len(keys) >= 2
    return keys[:2]


def _dev(articles: dict[str, dict[str, Any]]) -> DevSet:
    return DevSet("hand", Path("hand_dev.json"), articles)


def _prf(res: dict[str, Any], batch: str, field: str) -> tuple[float, float, float, int, int]:
    s = res["batches"][batch][field]
    return s["precision"], s["recall"], s["f1"], s["required"], s["predicted"]


def test_metrics_are_scored_per_batch_and_for_the_whole_set() -> None:
    k0, k1 = _metric_keys()
    dev = _dev({
        "a1": {"metrics": [[k0, 100, "req"], [k1, 5, "ok"]], "batch": "tuning"},
        "a2": {"metrics": [[k0, 20, "req"]], "batch": "blind"},
    })
    records = {
        # 100.00000001 is 100 within the relative 1e-6; (k0, 7) is in no gold entry
        "a1": {"metrics": [{"metric": k0, "value": 100.00000001}, {"metric": k1, "value": 5},
                           {"metric": k0, "value": 7}, {"metric": k0, "value": 7}]},
        "a2": {"metrics": []},
    }
    res = dev_eval.score(dev, records, {})
    assert list(res["batches"]) == ["all", "tuning", "blind"]
    assert res["fields"] == ["metrics"] and res["article_fields"] == []
    assert _prf(res, "all", "metrics") == (0.667, 0.5, 0.571, 2, 3)  # (k0, 7) counted once
    assert _prf(res, "tuning", "metrics") == (0.667, 1.0, 0.8, 1, 3)
    assert _prf(res, "blind", "metrics") == (1.0, 0.0, 0.0, 1, 0)  # nothing predicted: P is 1
    assert res["batches"]["all"]["articles"] == 2
    assert set(res["batches"]["all"]["per_metric"]) == {k0, k1}
    details = res["batches"]["all"]["details"]
    assert details["a1"] == {"metrics_wrong": [(k0, 7)]}
    assert details["a2"] == {"metrics_missed": [(k0, 20)]}


def test_several_blind_batches_are_also_scored_pooled_as_the_blind_half() -> None:
    k0, _ = _metric_keys()
    dev = _dev({
        "t1": {"metrics": [[k0, 1, "req"]]},  # no batch: tuning
        "b1": {"metrics": [[k0, 10, "req"]], "batch": "blind4"},
        "b2": {"metrics": [[k0, 20, "req"], [k0, 30, "req"]], "batch": "blind5"},
    })
    records = {"t1": {"metrics": []},
               "b1": {"metrics": [{"metric": k0, "value": 10}]},
               "b2": {"metrics": [{"metric": k0, "value": 20}, {"metric": k0, "value": 99}]}}
    res = dev_eval.score(dev, records, {})
    assert list(res["batches"]) == ["all", "tuning", "blind4", "blind5", "blind-all"]
    # counts pooled, not F1s averaged: 2 of 3 required found, 2 of 3 predicted right
    assert _prf(res, "blind-all", "metrics") == (0.667, 0.667, 0.667, 3, 3)
    assert res["batches"]["blind-all"]["articles"] == 2
    assert set(res["batches"]["blind-all"]["details"]) == {"b2"}
    one_blind = _dev({"t1": {"metrics": []}, "b1": {"metrics": [], "batch": "blind"}})
    assert one_blind.batches == ["tuning", "blind"]  # one blind batch is the blind half


def test_a_metric_outside_the_scored_keys_is_not_counted() -> None:
    k0, _ = _metric_keys()
    dev = _dev({"a1": {"metrics": [[k0, 3, "req"]]}})
    res = dev_eval.score(dev, {"a1": {"metrics": [{"metric": k0, "value": 3},
                                                  {"metric": "not_a_metric", "value": 9}]}}, {})
    assert _prf(res, "all", "metrics") == (1.0, 1.0, 1.0, 1, 1)
    assert list(res["batches"]) == ["all", "tuning"]  # no batch given: labelled, then tuned on


def test_regions_and_the_article_region() -> None:
    dev = _dev({
        "a1": {"region": "110101", "regions": [["110000", "req"], ["110101", "req"], ["110100", "ok"]],
               "batch": "tuning"},
        "a2": {"region": None, "regions": [["120000", "req"]], "batch": "blind"},
    })
    records = {
        "a1": {"regions": [{"code": "110000"}, {"code": "110100"}, {"code": "130000"},
                           {"code": None}, {"code": "1101011"}],  # no code, not 6 digits: left out
               "region": {"code": "110101"}},
        "a2": {"regions": [{"code": "120000"}], "region": {"code": "120000"}},
    }
    res = dev_eval.score(dev, records, {})
    assert res["fields"] == ["regions"] and res["article_fields"] == ["region"]
    assert _prf(res, "all", "regions") == (0.75, 0.667, 0.706, 3, 4)
    assert res["batches"]["all"]["region"] == {"accuracy": 0.5, "n": 2}
    assert res["batches"]["tuning"]["region"] == {"accuracy": 1.0, "n": 1}
    assert res["batches"]["blind"]["details"]["a2"] == {
        "region_wrong": {"pred": "120000", "gold": None}}


def test_programmes_match_by_name_and_headline() -> None:
    dev = _dev({
        "a1": {"programmes": [["精准扶贫", "req"], ["两不愁三保障", "ok"]], "headline_programme": "精准扶贫"},
        "a2": {"programmes": [], "headline_programme": None},
    })
    records = {
        # quotes dropped; a prediction may add up to six characters to the gold name
        "a1": {"programmes": [{"name": "“精准扶贫”工程", "headline": True}, {"name": "两不愁三保障"}]},
        "a2": {"programmes": [{"name": "乡村振兴", "headline": True}]},
    }
    res = dev_eval.score(dev, records, {})
    assert _prf(res, "all", "programmes") == (0.667, 1.0, 0.8, 1, 3)
    assert res["batches"]["all"]["headline_programme"] == {"accuracy": 0.5, "n": 2}


def test_one_batch_only_and_span_offsets_checked() -> None:
    dev = _dev({"a1": {"dates": [["2020-05", "req"]], "batch": "blind"},
                "a2": {"dates": [["2019", "req"]], "batch": "tuning"}})
    records = {"a1": {"dates": [{"value": "2020-05", "text": "五月", "start": 0, "end": 2}]}}
    res = dev_eval.score(dev, records, {"a1": "五月份"}, batch="blind")
    assert list(res["batches"]) == ["blind"]
    assert _prf(res, "blind", "dates") == (1.0, 1.0, 1.0, 1, 1)
    assert res["batches"]["blind"]["spans"] == {"bad": 0, "all": 1}
    bad = dev_eval.score(dev, records, {"a1": "今年五月"}, batch="blind")
    assert bad["batches"]["blind"]["spans"] == {"bad": 1, "all": 1}
    assert "1 of 1 do not give their text" in dev_eval.format_dev_report({"sets": {"hand": bad}})


def test_the_report_and_the_json() -> None:
    k0, _ = _metric_keys()
    dev = _dev({"a1": {"metrics": [[k0, 3, "req"]], "batch": "tuning"}})
    result = {"corpus": "x", "sets": {"hand": dev_eval.score(dev, {"a1": {}}, {})}}
    text = dev_eval.format_dev_report(result)
    assert "hand        all                1  metrics    1.000  0.000  0.000  (1, 0)" in text
    assert "a1" not in text and "a1 " in dev_eval.format_dev_report(result, verbose=True)
    assert "details" not in json.loads(dev_eval.format_dev_json(result))["sets"]["hand"]["batches"]["all"]
    verbose = json.loads(dev_eval.format_dev_json(result, verbose=True))
    assert verbose["sets"]["hand"]["batches"]["all"]["details"]["a1"]["missing_record"] is True


def test_the_repository_dev_sets() -> None:
    sets = dev_eval.dev_sets()
    assert {"metrics", "regions", "dates", "programmes"} <= set(sets)
    assert sets["regions"].fields == ("regions",) and sets["regions"].article_fields == ("region",)
    assert sets["programmes"].article_fields == ("headline_programme",)
    assert sets["metrics"].batches[0] == "tuning" and "blind" in sets["metrics"].batches
    for s in sets.values():
        own = [b for b in s.batches if b != dev_eval.BLIND_ALL]
        assert s.fields and sum(len(s.part(b)) for b in own) == len(s.part("all"))


def test_a_set_or_batch_not_there_is_named() -> None:
    sets = dev_eval.dev_sets()
    with pytest.raises(DevEvalError, match=r"no dev set 'nope'; choose one of .*metrics"):
        dev_eval.select(sets, "nope", None)
    with pytest.raises(DevEvalError, match="no batch 'blind9' in dates; choose one of all, "):
        dev_eval.select(sets, "dates", "blind9")
    assert [s.name for s in dev_eval.select(sets, None, "blind2")] == ["metrics"]
    assert len(dev_eval.select(sets, None, "all")) == len(sets)
    with pytest.raises(DevEvalError, match="no dev sets"):
        dev_eval.dev_sets(Path("/nonexistent"))


def test_the_shared_corpus_absent_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DevEvalError) as info:
        dev_eval.load_documents({"a1"}, tmp_path)
    message = str(info.value)
    assert str(tmp_path / "corpus" / "news_sample.jsonl") in message and "--shared DIR" in message


def test_an_id_missing_from_the_corpus_is_named(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus" / "news_sample.jsonl"
    corpus.parent.mkdir()
    line = {"id": "a1", "title": "某县召开会议", "date": "2020-05-26", "text": "某县召开会议。"}
    corpus.write_text(json.dumps(line, ensure_ascii=False) + "\n", "utf-8")
    docs = dev_eval.load_documents({"a1"}, tmp_path)
    assert docs["a1"].text == "某县召开会议。"
    assert (docs["a1"].meta.title, docs["a1"].meta.published) == ("某县召开会议", "2020-05-26")
    with pytest.raises(DevEvalError, match=r"news_sample.jsonl: 1 dev-set id\(s\) not in it \(b2\)"):
        dev_eval.load_documents({"a1", "b2"}, tmp_path)


@pytest.mark.parametrize("args", [
    ["eval", "--dev", "gold.json", "corpora"],  # both ways at once
    ["eval", "--set", "metrics"],  # a dev option without --dev
    ["eval", "--verbose", "gold.json", "corpora"],
    ["eval", "gold.json"],  # no INPUT
    ["eval"],
    ["eval", "--dev", "--set", "nope"],
])
def test_wrong_combinations_are_usage_errors(args: list[str]) -> None:
    res = runner.invoke(app, args)
    assert res.exit_code == 2 and res.stderr.startswith("error: "), res.output


def test_eval_dev_without_the_shared_corpus_says_what_to_do(tmp_path: Path) -> None:
    res = runner.invoke(app, ["eval", "--dev", "--shared", str(tmp_path)])
    assert res.exit_code == 2
    assert "news_sample.jsonl not found" in res.stderr and "--shared DIR" in res.stderr


@needs_shared
def test_policy_ie_eval_dev_metrics_json_end_to_end() -> None:
    res = subprocess.run([sys.executable, "-m", "policy_ie", "eval", "--dev", "--set", "metrics", "--json"],
                         capture_output=True, text=True, check=False)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert list(out["sets"]) == ["metrics"]
    batches = out["sets"]["metrics"]["batches"]
    assert list(batches)[:3] == ["all", "tuning", "blind"]
    own = {name: b for name, b in batches.items() if name not in ("all", "blind-all")}
    assert sum(b["articles"] for b in own.values()) == batches["all"]["articles"]
    assert batches["blind-all"]["articles"] == batches["all"]["articles"] - batches["tuning"]["articles"]
    assert batches["all"]["metrics"]["f1"] >= 0.90 and batches["all"]["spans"]["bad"] == 0


@pytest.fixture(scope="module")
def dev_scores() -> dict[str, Any]:
    if not SHARED_CORPUS.is_file():
        pytest.skip("../shared is not present")
    return dev_eval.evaluate_dev()["sets"]


@pytest.mark.parametrize(("name", "floor"), [("metrics", 0.90), ("regions", 0.90), ("programmes", 0.85),
                                             ("topic", 0.85)])
def test_the_dev_sets_score_above_their_floors(dev_scores: dict[str, Any], name: str, floor: float) -> None:
    """The floors the extractors' tests held the dev sets to (F1; the article region too)."""
    whole = dev_scores[name]["batches"]["all"]
    assert whole["articles"] >= 30 and whole[name]["f1"] >= floor, whole[name]
    assert whole["spans"]["bad"] == 0
    if name == "regions":
        assert whole["region"]["accuracy"] >= 0.9


def test_the_topic_classifier_on_its_held_out_labels(dev_scores: dict[str, Any]) -> None:
    """The held-out batch was never trained or tuned on (pipeline/topic_train.py); measured
    2026-12-03: precision 0.862, recall 0.926 (keyword density alone: 0.742, 0.852)."""
    held = dev_scores["topic"]["batches"]["heldout"]
    assert held["articles"] >= 150 and held["topic"]["required"] >= 20
    assert held["topic"]["precision"] >= 0.80 and held["topic"]["recall"] >= 0.85, held["topic"]


def test_topic_labels_are_scored_as_precision_and_recall() -> None:
    gold = {"on": {"topic": 1, "batch": "heldout"}, "off": {"topic": 0, "batch": "heldout"},
            "missed": {"topic": 1, "batch": "tuning"}, "unscored": {"topic": 0, "batch": "tuning"}}
    dev = DevSet("topic", Path("topic_dev.json"), gold)
    assert dev.fields == ("topic",) and dev.batches == ["tuning", "heldout"]
    records = {"on": {"topic": 0.9}, "off": {"topic": 0.95}, "missed": {"topic": 0.01}, "unscored": {"topic": None}}
    res = dev_eval.score(dev, records, {})
    whole = res["batches"]["all"]["topic"]
    assert (whole["required"], whole["predicted"]) == (2, 2)
    assert whole["precision"] == 0.5 and whole["recall"] == 0.5
    assert res["batches"]["heldout"]["topic"]["recall"] == 1.0
    details = res["batches"]["all"]["details"]
    assert details["off"]["topic_wrong"] == {"label": 0, "score": 0.95} and "unscored" not in details
    assert "topic" in dev_eval.format_dev_report({"sets": {"topic": res}})


def _folder_set(tmp_path: Path) -> Path:
    """A dev set whose texts are <id>.txt files in a folder beside ../shared."""
    dev = tmp_path / "dev"
    dev.mkdir()
    key = _metric_keys()[0]
    gold = {"texts": {"folder": "local_texts"},
            "articles": {"loc-1": {"batch": "tuning", "metrics": [[key, 1, "ok"]]}}}
    (dev / "loc_dev.json").write_text(json.dumps(gold), "utf-8")
    return dev


def test_a_set_reads_its_texts_from_the_folder_it_names(tmp_path: Path) -> None:
    dev = _folder_set(tmp_path)
    (tmp_path / "local_texts").mkdir()
    (tmp_path / "local_texts" / "loc-1.txt").write_text("某县脱贫纪实\n全县共有贫困村32个。\n", "utf-8")
    res = dev_eval.evaluate_dev(shared=tmp_path / "shared", directory=dev)
    assert res["skipped"] == {} and res["sets"]["loc"]["batches"]["all"]["articles"] == 1


def test_a_set_whose_text_folder_is_absent_is_skipped_or_named(tmp_path: Path) -> None:
    dev = _folder_set(tmp_path)
    res = dev_eval.evaluate_dev(shared=tmp_path / "shared", directory=dev)
    assert "loc" not in res["sets"] and "local_texts not found" in res["skipped"]["loc"]
    assert "not scored" in dev_eval.format_dev_report(res)
    with pytest.raises(DevEvalError, match=r"local_texts not found.*address"):
        dev_eval.evaluate_dev("loc", shared=tmp_path / "shared", directory=dev)
    (tmp_path / "local_texts").mkdir()
    with pytest.raises(DevEvalError, match=r"no text for 1 dev-set id\(s\) \(loc-1\)"):
        dev_eval.evaluate_dev("loc", shared=tmp_path / "shared", directory=dev)
