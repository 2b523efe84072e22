"""The dataset as DataFrames: typed as the files are, narrowed on reading, clear when missing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from policy_ie.pipeline import frames
from policy_ie.pipeline.dataset import write_dataset
from policy_ie.text.document import Document


@pytest.fixture
def built(tmp_path: Path, hand_docs: list[Document]) -> Path:
    out = tmp_path / "out"
    write_dataset(hand_docs, out, use_gazetteer=False)
    return out


def test_comparison_keeps_codes_as_text_and_metrics_as_numbers(built: Path) -> None:
    comp = frames.comparison(built)
    assert comp["region_code"].dtype == "string"
    row = comp.set_index("region_code").loc["611000"]
    assert row["poor_population"] == 302000 and pd.api.types.is_numeric_dtype(comp["poor_population"])
    assert row["conflicts"] == "poor_population:2"


def test_sources_trace_every_value_to_its_article_text(built: Path, hand_docs: list[Document]) -> None:
    src = frames.sources(built)
    texts = {d.id: d.text for d in hand_docs}
    metric_rows = src[src["column"] != "programmes"]
    assert len(metric_rows) > 0
    for r in metric_rows.itertuples():
        assert texts[r.article_id][r.start:r.end] == r.text
    assert src["chosen"].dtype == bool


def test_facts_narrowed_by_kind_and_columns(built: Path, hand_docs: list[Document]) -> None:
    every = frames.facts(built)
    assert len(every) == sum(len(d.metrics) + len(d.programmes) + len(d.dates) + len(d.regions)
                             for d in hand_docs)
    metrics = frames.facts(built, columns=["article_id", "kind", "key", "value"], kinds=["metric"])
    assert list(metrics.columns) == ["article_id", "kind", "key", "value"]
    assert set(metrics["kind"]) == {"metric"}
    assert len(metrics) == sum(len(d.metrics) for d in hand_docs)


def test_articles_whole_or_in_chunks(built: Path, hand_docs: list[Document]) -> None:
    arts = frames.articles(built)
    assert list(arts["id"]) == [d.id for d in hand_docs]
    assert isinstance(arts.loc[0, "metrics"], list)
    chunks = list(frames.articles(built, chunksize=2))
    assert [len(c) for c in chunks] == [2, 1]


def test_a_missing_dataset_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(frames.DatasetMissing, match="policy-ie build --output"):
        frames.comparison(tmp_path / "nothing")


def test_article_ids_of_digits_stay_text(tmp_path: Path) -> None:
    doc = Document(id="0012", path="a.txt", text="全县贫困人口1.2万人。")
    write_dataset([doc], tmp_path / "out", use_gazetteer=False)
    assert list(frames.articles(tmp_path / "out")["id"]) == ["0012"]
