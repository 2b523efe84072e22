"""The Python API: one article from a string, many streamed, a built dataset loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

import policy_ie
from policy_ie.pipeline.dataset import write_dataset
from policy_ie.pipeline.frames import DatasetMissing
from policy_ie.text.document import Document

SHANGLUO = "陕西商洛：脱贫攻坚交出优异答卷\n全市建档立卡贫困人口由2015年底的48.9万人减少到2019年底的3.2万人。"


def test_extract_gives_the_record_with_figures_and_region() -> None:
    rec = policy_ie.extract(SHANGLUO, published="2020年5月1日")
    assert rec["region"]["code"] == "611000" and rec["published"] == "2020-05-01"
    values = {(m["metric"], m["value"], m["region_code"]) for m in rec["metrics"]}
    assert ("poor_population", 489000, "611000") in values
    m = next(m for m in rec["metrics"] if m["value"] == 489000)
    assert SHANGLUO[m["start"]:m["end"]] == m["text"] == "48.9万人"


def test_extract_ids_are_stable_digests_unless_given() -> None:
    a, b = policy_ie.extract(SHANGLUO), policy_ie.extract(SHANGLUO)
    assert a["id"] == b["id"] and a["id"].startswith("text-")
    assert policy_ie.extract(SHANGLUO, id="sl-1")["id"] == "sl-1"


def test_title_given_wins_over_the_text() -> None:
    assert policy_ie.extract(SHANGLUO, title="商洛纪实")["title"] == "商洛纪实"


def test_extract_rejects_what_is_not_text() -> None:
    with pytest.raises(TypeError, match="must be a str"):
        policy_ie.extract(b"bytes")  # type: ignore[arg-type]


def test_extract_many_streams_texts_mappings_and_documents_in_order() -> None:
    items = [SHANGLUO, {"id": "j1", "content": "全县共有贫困村32个。", "title": "柞水县脱贫纪实", "date": "2019-03-02"},
             Document(id="d1", path="d1", text="全县贫困发生率降至0.5%。")]
    recs = list(policy_ie.extract_many(items, jobs=2))
    assert [r["id"] for r in recs][1:] == ["j1", "d1"]
    assert recs[1]["title"] == "柞水县脱贫纪实" and recs[1]["published"] == "2019-03-02"
    assert recs[1]["metrics"][0]["metric"] == "poor_villages" and recs[1]["metrics"][0]["value"] == 32


def test_extract_many_names_the_bad_item() -> None:
    with pytest.raises(ValueError, match="item 2: a mapping needs a 'text'"):
        list(policy_ie.extract_many([SHANGLUO, {"title": "无正文"}]))
    with pytest.raises(TypeError, match="item 1: expected a str"):
        list(policy_ie.extract_many([42]))  # type: ignore[list-item]


def test_load_returns_the_frames_of_a_build(tmp_path: Path) -> None:
    from policy_ie.pipeline.run import process

    doc = process(Document(id="s1", path="s1.txt", text=SHANGLUO))
    write_dataset([doc], tmp_path)
    frames = policy_ie.load(tmp_path)
    assert set(frames) == {"facts", "comparison", "sources", "articles"}
    row = frames["comparison"].set_index("region_code").loc["611000"]
    assert row["region_name"] == "商洛市"
    assert list(frames["articles"]["id"]) == ["s1"]


def test_load_of_a_folder_without_a_build_says_how_to_build(tmp_path: Path) -> None:
    with pytest.raises(DatasetMissing, match="policy-ie build"):
        policy_ie.load(tmp_path)


def test_unknown_attribute_of_the_package_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'extrakt'"):
        policy_ie.extrakt  # noqa: B018
