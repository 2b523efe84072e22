"""scripts/trust_audit.py: the trust figures of a build, counted from its database."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from policy_ie.pipeline.dataset import write_dataset
from policy_ie.text.document import ArticleRegion, Document

ROOT = Path(__file__).resolve().parents[2]
SHANGNAN = ArticleRegion("611023", "商南县", "county", "陕西省", "商洛市", "商南县")


def _audit_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("trust_audit", ROOT / "scripts" / "trust_audit.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_counts_wide_and_off_topic_cells(tmp_path: Path, hand_docs: list[Document], doc_factory) -> None:  # type: ignore[no-untyped-def]
    # (a sum of 2.1万亿 would be left out of the county's cell as implausible: pipeline.plausible)
    wide = doc_factory("sn-1", "商南县召开大会\n  会议指出,全国投入资金2.1亿元。",
                       title="商南县召开大会", published="2019-03-01", region=SHANGNAN,
                       metrics=[("投入资金2.1亿元", "investment", 2.1e8, {"unit": "元"})])
    write_dataset([*hand_docs, wide], tmp_path, use_gazetteer=False)
    figures = _audit_module().audit(tmp_path)
    assert figures["panel"] is True and figures["cells_without_year"] == 0
    assert figures["wide_figures_below_province"] == 1  # 全国's sum on the county's row
    assert figures["off_topic_cells"] == 1  # the only article that never says 贫 or 扶
    assert figures["chosen_cells"] == figures["metric_cells"] > 1
    assert figures["chosen_breaking_bounds"] == figures["values_left_out_implausible"] == 0
    assert figures["cells_by_review_code"]["conflict"] >= 1


def test_counts_values_left_out_and_review_codes(tmp_path: Path, hand_docs: list[Document], doc_factory) -> None:  # type: ignore[no-untyped-def]
    wide = doc_factory("sn-2", "商南县召开扶贫大会\n  会议指出,全国投入资金2.1万亿元。",
                       title="商南县召开扶贫大会", published="2019-03-01", region=SHANGNAN,
                       metrics=[("投入资金2.1万亿元", "investment", 2.1e12, {"unit": "元"})])
    write_dataset([*hand_docs, wide], tmp_path, use_gazetteer=False)
    figures = _audit_module().audit(tmp_path)
    assert figures["chosen_breaking_bounds"] == 0  # left out of the county's cell, not chosen
    assert figures["values_left_out_implausible"] == 1
    assert figures["cells_by_review_code"]["implausible"] == 1


def test_a_folder_without_a_build_says_what_to_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _audit_module().main([str(tmp_path)]) == 2
    assert "policy-ie build --output" in capsys.readouterr().err
