"""The punctuation sets: made from the data file's groups, checked when loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from policy_ie.text import punctuation


def test_sets_are_their_groups_in_order_each_character_once() -> None:
    assert punctuation.chars("sentence_end") == "。！？!?；;"
    assert set(punctuation.chars("clause_end")) == set("，,。；;！!？?\n：:")
    assert "、" not in punctuation.chars("clause_end") and "、" in punctuation.chars("word_stretch_separators")


def test_an_unknown_set_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="sentence_end"):
        punctuation.chars("sentense_end")


def test_a_set_of_unknown_groups_is_refused_naming_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "punctuation.yaml"
    bad.write_text('groups:\n  commas: "，,"\nsets:\n  clause_end: [commas, stops]\n', "utf-8")
    monkeypatch.setattr(punctuation, "DATA_FILE", bad)
    punctuation.sets.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"punctuation.yaml: set 'clause_end' names unknown groups \['stops'\]"):
            punctuation.sets()
    finally:
        punctuation.sets.cache_clear()
