"""Tests of extractors/topic.py: features, the linear model, the shipped weights, the extractor."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_ie.extractors import topic as tp
from policy_ie.extractors.registry import REGISTRY
from policy_ie.text.document import Document, Metadata

# Sentences written for these tests in the genre's style (none is taken from a corpus).
POVERTY = ("山阳县脱贫攻坚工作推进会召开",
           "今年以来，山阳县坚持精准扶贫、精准脱贫，选派驻村工作队员120名，帮扶贫困户发展产业，"
           "全县贫困发生率降至1.2%，易地扶贫搬迁群众全部入住新居，乡村振兴开局良好。")
FILM = ("第十届城市电影节在市文化中心开幕",
        "本届电影节共展映中外影片86部，八位电影艺术家获颁终身成就奖，开幕式上演员和导演走过红毯，"
        "观众在影院排起长队，组委会表示将继续办好这一文化盛会。")


def test_config_loads_and_checks(tmp_path: Path, monkeypatch: Any) -> None:
    cfg = tp.config()
    assert 0 < cfg.threshold < 1 and "扶" in cfg.keywords and cfg.max_chars > 0
    bad = tmp_path / "topic.yaml"
    bad.write_text(tp.CONFIG.read_text("utf-8").replace(f"threshold: {cfg.threshold}", "threshold: 2"),
                   "utf-8")
    monkeypatch.setattr(tp, "CONFIG", bad)
    tp.config.cache_clear()
    try:
        with pytest.raises(ValueError, match="threshold in"):
            tp.config()
    finally:
        monkeypatch.undo()
        tp.config.cache_clear()


def test_features_count_characters_and_pairs_and_keep_the_title_apart() -> None:
    body, title = tp.features("扶贫", "扶贫扶贫")
    assert body.size == 4 + 3 and title.size == 2 + 1  # unigrams and bigrams
    assert body.min() >= 0 and body.max() < 1 << tp.config().bits
    assert len(set(body.tolist())) == 4  # 扶, 贫, 扶贫, 贫扶
    assert not set(title.tolist()) & set(body.tolist())  # the same words in the title hash apart
    again, _ = tp.features(None, "扶贫扶贫")
    assert again.tolist() == body.tolist()  # deterministic: no per-process hash seed
    cut, _ = tp.features(None, "扶贫扶贫", max_chars=2)
    assert cut.size == 3
    empty_body, empty_title = tp.features(None, "")
    assert empty_body.size == 0 and empty_title.size == 0


def test_keyword_density_is_per_thousand_characters() -> None:
    assert tp.keyword_density(None, "") == 0.0
    d = tp.keyword_density("标题", "扶贫" + "好" * 97)  # 扶, 贫 in 2 + 1 + 99 characters
    assert d == pytest.approx(1000 * 2 / 102)
    assert tp.keyword_density(*POVERTY) > 10 * max(tp.keyword_density(*FILM), 0.1)


def _toy(weight_of: dict[str, float], bias: float = 0.0) -> tp.TopicModel:
    w = np.zeros(1 << tp.config().bits, np.float32)
    for ch, x in weight_of.items():
        w[tp.features(None, ch)[0][0]] = x
    return tp.TopicModel(w, bias)


def test_the_score_is_the_logistic_of_bias_and_normalised_weight_sums() -> None:
    assert _toy({}).score("x", "y") == 0.5
    m = _toy({"贫": 3.0, "影": -3.0})
    assert m.score(None, "贫") == pytest.approx(1 / (1 + np.exp(-3 / np.sqrt(1))), abs=1e-4)
    assert m.score(None, "贫困") == pytest.approx(1 / (1 + np.exp(-3 / np.sqrt(3))), abs=1e-4)
    assert m.score(None, "电影") < 0.5 < m.score(None, "扶贫")
    assert _toy({}, bias=100.0).score(None, "") == 1.0  # clipped, never overflows
    with pytest.raises(ValueError, match="power of two"):
        tp.TopicModel(np.zeros(1000), 0.0)


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    m = _toy({"贫": 2.5, "影": -1.25}, bias=-0.5)
    m.save(tmp_path / "t.npz")
    back = tp.TopicModel.load(tmp_path / "t.npz")
    assert back.bias == -0.5 and back.bits == m.bits
    assert back.score(*POVERTY) == m.score(*POVERTY)  # weights are stored as float16: exact here


@given(st.text(max_size=300), st.one_of(st.none(), st.text(max_size=40)))
@settings(max_examples=200, deadline=None)
def test_any_text_scores_in_the_unit_interval(body: str, title: str | None) -> None:
    m = tp.current()
    if m is None:
        m = _toy({"贫": 1.0})
    s = m.score(title, body)
    assert 0.0 <= s <= 1.0


def test_on_topic() -> None:
    th = tp.config().threshold
    assert tp.on_topic(None) and tp.on_topic(th) and not tp.on_topic(th - 0.001)
    assert tp.on_topic(0.2, threshold=0.1) and not tp.on_topic(0.2, threshold=0.3)


needs_model = pytest.mark.skipif(not tp.WEIGHTS.exists(), reason="no topic model (make topic-model)")


@needs_model
def test_the_shipped_model_tells_poverty_work_from_a_film_festival() -> None:
    m = tp.current()
    assert m is not None and m.bits == tp.config().bits
    assert m.score(*POVERTY) >= tp.config().threshold > m.score(*FILM)


@needs_model
def test_the_extractor_scores_a_document_from_its_title_and_clean_text() -> None:
    ex = REGISTRY["topic"]
    assert ex.assigns == "topic" and "metadata" in ex.requires
    doc = Document(id="a", path="a", text=POVERTY[1], meta=Metadata(title=POVERTY[0]))
    assert ex.func(doc) == tp.current().score(POVERTY[0], POVERTY[1])


@needs_model
def test_the_threshold_is_the_one_training_chose() -> None:
    training = json.loads((tp.WEIGHTS.parent / "topic_training.json").read_text("utf-8"))
    assert training["threshold"] == tp.config().threshold
    assert training["baseline_threshold"] == tp.config().baseline_threshold


def test_without_weights_every_article_is_unscored_and_it_is_said_once(
        monkeypatch: Any, capsys: Any, tmp_path: Path) -> None:
    monkeypatch.setattr(tp, "WEIGHTS", tmp_path / "absent.npz")
    monkeypatch.setattr(tp, "_told", [])
    tp._shipped.cache_clear()
    try:
        doc = Document(id="a", path="a", text=FILM[1])
        assert tp.extract_topic(doc) is None and tp.extract_topic(doc) is None
        assert capsys.readouterr().err.count("no topic model") == 1
    finally:
        monkeypatch.undo()
        tp._shipped.cache_clear()
