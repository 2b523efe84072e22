"""Tests of pipeline/evaluate.py: counting, the confusion matrix, agreement with score.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from policy_ie.pipeline import evaluate as ev

TEXT = "全县贫困户44户，投入资金300万元。"


def _gold() -> dict[str, Any]:
    return {"a": {"title": "标题", "published": "2020-01-02", "region": "220524",
                  "headline_programme": None,
                  "metrics": [["poor_households", 44, "req"], ["investment", 3000000, "req"],
                              ["cadres", 7, "ok"]],
                  "programmes": [["五在村", "req"]], "dates": [["2020-01-02", "req"]],
                  "regions": [["220524", "req"]]}}


def _record(**over: Any) -> dict[str, Any]:
    rec = {"id": "a", "title": "标题", "published": "2020-01-02",
           "region": {"code": "220524"},
           "metrics": [{"metric": "poor_households", "value": 44, "text": "44户",
                        "start": 5, "end": 8},
                       {"metric": "investment", "value": 3000000, "text": "300万元",
                        "start": 13, "end": 18}],
           "programmes": [{"name": "“五在村”", "headline": False}],
           "dates": [], "regions": [{"code": "220524"}]}
    rec.update(over)
    return rec


def test_perfect_record() -> None:
    r = ev.evaluate_records(_gold(), {"a": _record()}, {"a": TEXT})
    s = r["summary"]
    assert all(s[k]["f1"] == 1.0 for k in ev.FIELDS)
    assert all(s[k]["accuracy"] == 1.0 for k in ev.ARTICLE_FIELDS)
    assert s["span_integrity"] == {"bad": 0, "all": 2} and r["score"] == 1.0
    assert set(r["per_metric"]) == {"poor_households", "investment"}
    cm = r["confusion"]
    assert cm["classes"] == ["poor_households", "investment", "none"]
    assert cm["rows"] == [[1, 0, 0], [0, 1, 0], [0, 0, 0]]


def test_wrong_metric_missing_figure_and_bad_span() -> None:
    rec = _record(metrics=[{"metric": "cadres", "value": 44, "text": "44户", "start": 5, "end": 8},
                           {"metric": "income", "value": 12, "text": "xx", "start": 0, "end": 2}])
    r = ev.evaluate_records(_gold(), {"a": rec}, {"a": TEXT})
    s = r["summary"]["metrics"]
    assert (s["precision"], s["recall"], s["required"], s["predicted"]) == (0.0, 0.0, 2, 2)
    cm = r["confusion"]
    cell = {(a, b): cm["rows"][i][j] for i, a in enumerate(cm["classes"])
            for j, b in enumerate(cm["classes"])}
    assert cell[("poor_households", "cadres")] == 1  # right value, wrong class
    assert cell[("none", "income")] == 1              # a value gold does not have
    assert cell[("investment", "none")] == 1          # a required figure nobody found
    assert r["summary"]["span_integrity"]["bad"] == 1
    assert r["per_metric"]["poor_households"]["recall"] == 0.0
    assert r["details"]["a"]["metrics_missed"]


def test_missing_record_and_article_fields() -> None:
    r = ev.evaluate_records(_gold(), {}, {})
    assert r["details"]["a"]["missing_record"]
    assert r["summary"]["title"]["accuracy"] == 0.0 and r["score"] == 0.0
    assert r["summary"]["headline_programme"]["accuracy"] == 1.0  # none expected, none given


def test_report_has_every_part() -> None:
    out = ev.format_report(ev.evaluate_records(_gold(), {"a": _record()}, {"a": TEXT}))
    for part in ("metrics ", "poor_households", "headline_programme", "span integrity",
                 "confusion (rows: gold", "score: min=1.000"):
        assert part in out
    json.dumps(ev.evaluate_records(_gold(), {"a": _record()}, {"a": TEXT}), ensure_ascii=False)


def test_agrees_with_the_shared_scorer_on_the_seeds(shared: Path, tmp_path: Path) -> None:
    records, texts = ev.extract([shared / "seeds"])
    gold_path = shared / "gold" / "seeds.json"
    mine = ev.evaluate_records(json.loads(gold_path.read_text("utf-8"))["articles"], records, texts)
    jsonl = tmp_path / "r.jsonl"
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records.values()),
                     "utf-8")
    out = subprocess.run([sys.executable, str(shared / "tools" / "score.py"), str(gold_path),
                          str(jsonl), str(shared / "seeds"), "--json"],
                         capture_output=True, text=True, check=True).stdout
    theirs = json.loads(out[:out.rindex("score:")])
    assert mine["summary"] == theirs["summary"]
    assert json.loads(json.dumps(mine["details"])) == theirs["details"]
    assert f"score: min={mine['score']:.3f}" in out
