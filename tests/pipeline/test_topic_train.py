"""pipeline/topic_train.py: the parts of the hand labels, the training set, fitting, scoring."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from policy_ie.extractors import topic as tp
from policy_ie.pipeline import topic_train as tt

# Written for these tests in the genre's style.
ON = ["驻村工作队帮助贫困户发展养殖产业，脱贫攻坚取得成效。", "县里推进乡村振兴，农民合作社带动群众增收。",
      "易地扶贫搬迁安置点建成，贫困群众搬进新居。", "农村人居环境整治让村庄更美，农民收入持续增长。"]
OFF = ["电影节开幕，导演和演员走上红毯。", "新建高铁车站投入使用，旅客出行更加便捷。",
       "足球联赛第十轮比赛昨晚结束。", "博物馆推出新展览，观众排起长队。"]


def test_parts_are_fixed_by_the_id_and_split_about_half() -> None:
    ids = [f"rmrb-2019{i:04d}" for i in range(400)]
    parts = [tt.part(i) for i in ids]
    assert parts == [tt.part(i) for i in ids] and set(parts) == {"tuning", "heldout"}
    assert 150 < parts.count("heldout") < 250
    assert tt.part("rmrb-20190201-02-02") == "tuning"  # pinned: a change of rule would show


def test_the_repository_labels_are_ids_and_labels_only_and_in_their_parts() -> None:
    data = json.loads(tt.DEV_FILE.read_text("utf-8"))
    labels = tt.hand_labels()
    assert len(labels) >= 300 and set(labels.values()) == {0, 1}
    for aid, g in data["articles"].items():
        assert set(g) <= {"topic", "batch", "line", "sample"}, aid  # no text
        assert g["batch"] == tt.part(aid)
    held = [a for a in labels if tt.part(a) == "heldout"]
    assert len(held) >= 100 and sum(labels[a] for a in held) >= 15


def _write(tmp_path: Path, articles: dict) -> Path:
    p = tmp_path / "topic_dev.json"
    p.write_text(json.dumps({"articles": articles}), "utf-8")
    return p


def test_bad_labels_are_errors_naming_the_article(tmp_path: Path) -> None:
    aid = "rmrb-20190201-02-02"
    with pytest.raises(ValueError, match=f"{aid} has topic 2; labels are 0 or 1"):
        tt.hand_labels(_write(tmp_path, {aid: {"topic": 2, "batch": tt.part(aid)}}))
    with pytest.raises(ValueError, match=f"{aid} is in batch 'heldout' but its id puts it in 'tuning'"):
        tt.hand_labels(_write(tmp_path, {aid: {"topic": 1, "batch": "heldout"}}))


def _items(texts: list[str], prefix: str, source: str = "news") -> list[tt.Item]:
    return [tt.Item(f"{prefix}{i}", None, t, source) for i, t in enumerate(texts)]


def test_the_training_set_never_holds_a_held_out_article() -> None:
    cfg = tp.config()
    news = _items(ON * 3 + OFF * 3, "n")
    ids = [it.id for it in news]
    held = next(i for i in ids if tt.part(i) == "heldout")
    tuning = next(i for i in ids if tt.part(i) == "tuning")
    pov = [tt.Item(held, None, ON[0], "poverty")]  # a poverty article that is held out too
    ts = tt.training_set(news, pov, {held: 1, tuning: 0})
    got = {it.id: (o, y) for it, o, y in zip(ts.items, ts.origin, ts.y.tolist(), strict=True)}
    assert held not in got
    assert got[tuning] == ("hand", 0.0)
    assert all(o == "weak" for i, (o, _) in got.items() if i != tuning)
    for it in news:
        if it.id in got and it.id != tuning:  # weak labels follow the density
            assert got[it.id][1] == (1.0 if it.density >= cfg.positive_density else 0.0)
    assert ts.weight[ts.origin.index("hand")] == tt.HAND_WEIGHT


def test_fit_learns_to_tell_apart_what_it_was_shown() -> None:
    items = _items(ON + OFF, "x")
    y = np.array([1.0] * len(ON) + [0.0] * len(OFF))
    bits = 12
    x = tt.Matrix.of(items, bits)
    assert x.indptr[-1] == x.indices.size == x.data.size and x.indptr.size == len(items) + 1
    sub = x.rows(np.array([True, False] * 4))
    assert sub.indptr.size == 5 and sub.indices.size == sum(np.diff(x.indptr)[::2])
    model = tt.fit(x, y, np.ones(len(items)), bits, steps=60)
    scores = [model.score(None, it.body) for it in items]
    assert min(scores[: len(ON)]) > 0.5 > max(scores[len(ON):])
    # the matrix gives the same margins as the model's own scoring (float16 weights aside)
    assert np.allclose(x.dot(model.weights.astype(np.float64)) + model.bias,
                       [model.margin(None, it.body) for it in items], atol=1e-4)


def test_precision_recall_and_the_threshold_of_best_f1() -> None:
    scores, labels = [0.9, 0.8, 0.4, 0.3, 0.1], [1, 1, 0, 1, 0]
    assert tt.prf(scores, labels, 0.5) == pytest.approx(
        {"precision": 1.0, "recall": 2 / 3, "f1": 0.8, "tp": 2, "predicted": 2, "positives": 3, "n": 5})
    assert tt.prf(scores, labels, 0.95)["precision"] == 1.0  # nothing said: no false claim
    assert tt.best_threshold(scores, labels, [0.2, 0.3, 0.5]) == 0.2  # F1 0.857 at 0.2 and 0.3: the lower
