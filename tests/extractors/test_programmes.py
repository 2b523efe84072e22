"""Tests of extractors/programmes/: the case table, offsets, components, properties."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_ie.extractors import programmes, regions
from policy_ie.extractors.programmes.name_parts import expected_counts
from policy_ie.extractors.programmes.slogan import after_numerals
from policy_ie.text.document import CleanView, Document, Metadata
from policy_ie.text.normalise import normalise

CASES = yaml.safe_load(
    (Path(__file__).parent / "cases" / "programmes.yaml").read_text(encoding="utf-8"))["cases"]
REPO = Path(__file__).resolve().parents[2]
SHARED = REPO / ".." / "shared"


def _doc(text: str, title: str | None = None) -> Document:
    return Document(id="t", path="t", text=text, meta=Metadata(title=title))


def _check(case: dict) -> None:
    doc = _doc(case["text"], case.get("title"))
    doc.regions = regions.extract(doc)  # (a place：“name”claim title needs its place)
    ms = programmes.extract(doc)
    for m in ms:
        assert doc.text[m.start:m.end] == m.text
    names = {m.name for m in ms}
    for n in case.get("names") or []:
        assert n in names, (n, sorted(names))
    for n in case.get("absent") or []:
        assert n not in names, (n, sorted(names))
    if "headline" in case:
        heads = [m.name for m in ms if m.headline]
        assert len(heads) <= 1
        assert (heads[0] if heads else None) == case["headline"]
    for name, comps in (case.get("components") or {}).items():
        got = [m.components for m in ms if m.name == name]
        assert got and got[0] == comps, (name, got)


@pytest.mark.parametrize(
    "case",
    [pytest.param(c, marks=pytest.mark.xfail(strict=True, reason=c["known_gap"]))
     if c.get("known_gap") else c for c in CASES],
    ids=[c["id"] for c in CASES],
)
def test_cases(case: dict) -> None:
    _check(case)


def test_mention_fields_and_kind() -> None:
    text = "近年来,该市实施“红色引擎”工程,成效明显。"
    doc = _doc(text)
    (m,) = programmes.extract(doc)
    assert (m.name, m.kind, m.text) == ("红色引擎", "工程", "“红色引擎”工程")
    assert text[m.start:m.end] == m.text


def test_same_programme_with_and_without_kind_word_is_one_name() -> None:
    doc = _doc("实施“党员联户帮扶”工程。全面推行“党员联户帮扶工程”,干群关系更加密切。")
    ms = programmes.extract(doc)
    assert {m.name for m in ms} == {"党员联户帮扶"}
    assert all(m.kind == "工程" for m in ms)


def test_offsets_are_raw_through_a_clean_view() -> None:
    raw = "ＡＢ 推行“五个一批”精准施策。"
    clean = "AB 推行“五个一批”精准施策。"
    doc = _doc(raw)
    doc.clean = CleanView(clean, [(0, 0, len(raw))])
    (m,) = programmes.extract(doc)
    assert raw[m.start:m.end] == m.text == "“五个一批”"


def test_headline_at_most_one_mention() -> None:
    text = "某县:“三联三帮”助推脱贫\n某县实施“三联三帮”机制。“三联三帮”覆盖全县。"
    ms = programmes.extract(_doc(text, "某县:“三联三帮”助推脱贫"))
    assert sum(m.headline for m in ms) == 1
    assert [m.name for m in ms if m.headline] == ["三联三帮"]


def test_documents_reported_separately() -> None:
    doc = _doc("县委出台《脱贫攻坚三年行动方案》,实施“千企帮千村”行动。")
    docs = programmes.documents(doc)
    assert [d.text for d in docs] == ["《脱贫攻坚三年行动方案》"]
    assert all(doc.text[d.start:d.end] == d.text for d in docs)
    assert {m.name for m in programmes.extract(doc)} == {"千企帮千村"}


@pytest.mark.parametrize(("name", "counts"), [
    ("五在村", {5}), ("十百千", {3}), ("三三四", {3, 10}), ("四议两公开", {4, 2, 6}),
    ("第一书记", set()), ("红色引擎", set()),
])
def test_expected_counts(name: str, counts: set[int]) -> None:
    assert expected_counts(name, programmes.load_data().numerals) == counts


def test_data_file_validates(tmp_path: Path) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text("quotes: []\n", encoding="utf-8")
    with pytest.raises(ValueError):
        programmes.load_data.__wrapped__(bad)


@pytest.mark.parametrize(("old", "new"), [
    ("  clause: -3\n", "  clause: 1\n"),  # a lazy scoring may skip only a test that lowers a score
    ("  single: -3\n", ""),  # a feature without a weight
    ('group_joiners: ["", "、"', 'group_joiners: ["", "、和"'),  # a joiner of two characters
    ("  sentences: 2\n", "  sentences: 0\n"),  # an opening of no sentence
    ("  field: 2\n", ""),  # the field-word feature without a weight
    ("  as: 两\n", "  as: 双\n"),  # a paired character reading as no numeral
])
def test_data_file_refuses_bad_rules(tmp_path: Path, old: str, new: str) -> None:
    text = programmes.data.DATA_FILE.read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "p.yaml"
    bad.write_text(text.replace(old, new), encoding="utf-8")
    programmes.load_data.__wrapped__(programmes.data.DATA_FILE)  # the file as it is loads
    with pytest.raises(ValueError):
        programmes.load_data.__wrapped__(bad)


def test_paired_numeral_error_names_the_file(tmp_path: Path) -> None:
    text = programmes.data.DATA_FILE.read_text(encoding="utf-8")
    bad = tmp_path / "p.yaml"
    bad.write_text(text.replace("  as: 两\n", "  as: x\n"), encoding="utf-8")
    with pytest.raises(ValueError, match=r"p\.yaml: paired_numeral\.as"):
        programmes.load_data.__wrapped__(bad)


def test_registered() -> None:
    from policy_ie.extractors.registry import REGISTRY, load_all

    load_all()
    assert REGISTRY["programmes"].assigns == "programmes"


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("“”《》「」()（）、,。;:一二三五十百千个在村机制工程模式的是即实施+ \n"
                                             "ab1%")), max_size=80))
def test_never_raises_and_offsets_hold(text: str) -> None:
    doc = _doc(text, text[:10] or None)
    for m in programmes.extract(doc):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text
        assert m.name
    for d in programmes.documents(doc):
        assert text[d.start:d.end] == d.text


def test_seeds_gold_score() -> None:
    """Programme F1 >= 0.90 and headline accuracy 1.0 on the seed gold (needs ../shared)."""
    gold_file = SHARED / "gold" / "seeds.json"
    if not gold_file.is_file():
        pytest.skip("../shared is not present")
    gold = json.loads(gold_file.read_text(encoding="utf-8"))["articles"]
    sys.path.insert(0, str(SHARED / "tools"))
    try:
        import score  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    tp_req = n_req = tp_pred = n_pred = head_ok = 0
    for aid, g in gold.items():
        text = (SHARED / "seeds" / f"{aid}.txt").read_text(encoding="utf-8")
        ms = programmes.extract(_doc(text, g.get("title")))
        pred = sorted({score.norm_name(m.name) for m in ms})
        res = score.score_set(pred, [tuple(x) for x in g.get("programmes", [])],
                              score.name_match)
        tp_req, n_req = tp_req + res[0], n_req + res[1]
        tp_pred, n_pred = tp_pred + res[2], n_pred + res[3]
        heads = [m.name for m in ms if m.headline]
        gh = g.get("headline_programme")
        head_ok += (not heads and gh is None) or bool(
            heads and gh and score.name_match(heads[0], gh))
    p, r = tp_pred / max(1, n_pred), tp_req / max(1, n_req)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    assert f1 >= 0.90, (p, r)
    assert head_ok == len(gold)


def test_module_has_no_side_effects_on_import() -> None:
    out = subprocess.run([sys.executable, "-c", "import extractors.programmes"],
                         cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout == ""


def test_the_character_after_each_run_of_numerals() -> None:
    nums = programmes.load_data().numerals
    assert after_numerals("饱一顿饥一顿", nums) == ["顿", "顿"]
    assert after_numerals("养活三四百头牦牛", nums) == ["头"]
    assert after_numerals("十三五", nums) == [""]  # a run at the end
    assert after_numerals("产业路", nums) == []


@given(st.text(alphabet="一二三十百头顿个村户", max_size=20))
def test_after_numerals_gives_one_character_per_run(text: str) -> None:
    nums = programmes.load_data().numerals
    got = after_numerals(text, nums)
    runs = sum(1 for i, ch in enumerate(text) if ch in nums and (i == 0 or text[i - 1] not in nums))
    assert len(got) == runs and all(len(c) <= 1 and c not in nums for c in got)


def test_title_quote_subject_through_a_normalised_view() -> None:
    """The metadata keeps the title as printed (会宁县:), the clean view normalises its colon
    (会宁县：): the title's quoted subject is still found, at raw offsets."""
    raw = "会宁县:“暖心食堂”温暖留守老人\n今年以来,会宁县在各村建起“暖心食堂”,老人吃上热饭。"
    doc = _doc(raw, "会宁县:“暖心食堂”温暖留守老人")
    doc.clean = CleanView(normalise(raw), [(0, 0, len(raw))])
    doc.regions = regions.extract(doc)
    ms = programmes.extract(doc)
    heads = [m for m in ms if m.headline]
    assert [m.name for m in heads] == ["暖心食堂"]
    assert raw[heads[0].start:heads[0].end] == heads[0].text == "“暖心食堂”"
    assert {m.start for m in ms} == {raw.index("“暖心"), raw.rindex("“暖心")}
