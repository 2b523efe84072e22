"""Tests of extractors/gazetteer.py and of scripts/build_gazetteer.py (rebuild and compare)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_ie.extractors import gazetteer as G

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / ".." / "shared" / "data" / "admin_divisions"


def _codes(surface: str) -> list[str]:
    return sorted(f.division.code for f in G.load().lookup(surface))


def test_loading_leaves_the_village_file_until_a_village_is_asked_for() -> None:
    """What keeps a start fast: the divisions load without the 15 MB village file, which is
    read the first time a town's villages are wanted (no absolute time: the machine is shared)."""
    code = ("from policy_ie.extractors import gazetteer as G; gz = G.load(); print(gz._village_data is None); "
            "gz.villages_of('611023111'); print(gz._village_data is None)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False"]


@pytest.mark.parametrize(("surface", "codes"), [
    ("商洛市", ["611000"]), ("商洛", ["611000"]), ("黔东南", ["522600"]),
    ("黔东南州", ["522600"]), ("黔东南苗族侗族自治州", ["522600"]), ("汇川", ["520303"]),
    ("道真", ["520325"]), ("道真县", ["520325"]), ("西藏", ["540000"]),
    ("内蒙", ["150000"]), ("襄樊", ["420600"]), ("昌都地区", ["542100"]),
    ("平泉县", ["130823"]), ("平泉", ["130823", "130881"]), ("铁东区", ["210302", "220303"]),
    ("石楼", ["141126"]), ("吉林", ["220000", "220200"]),
    # a county named for its people: 东乡县 is also the old Jiangxi county (to 2016-11)
    ("东乡县", ["361029", "622926"]), ("东乡", ["361003", "361029", "622926"]), ("鄂温克旗", ["150724"]),
    # customary short forms of prefectures (short_forms.tsv)
    ("克州", ["653000"]), ("博州", ["652700"]), ("锡盟", ["152500"]), ("巴州", ["511902", "652800"]),
    ("海南州", ["632500"]), ("海南", ["150303", "460000", "632500"]),
])
def test_lookup(surface: str, codes: list[str]) -> None:
    assert _codes(surface) == codes


def _short_form_rows() -> list[dict[str, str]]:
    return G._read_tsv(G.GAZ_DIR / "short_forms.tsv")


def test_every_prefecture_in_use_has_its_customary_short_form() -> None:
    """short_forms.tsv is the checked inventory: every 自治州, 盟 and 地区 of 2023 has a row,
    and each row's form names its division (only it, or it among others)."""
    gz = G.load()
    listed = {r["code"] for r in _short_form_rows()}
    prefectures = {code for code, recs in gz.records.items()
                   if (d := gz.get(code)) is not None and d.level == "city" and d.last_seen == "2023-06"
                   and d.name.endswith(("自治州", "盟", "地区"))}
    assert len(prefectures) >= 40
    assert prefectures - listed == set()
    for r in _short_form_rows():
        assert r["note"], r
        assert r["code"] in _codes(r["alias"]), r


def test_a_manual_form_with_an_unknown_code_is_refused(tmp_path: Path) -> None:
    for name in ("divisions.tsv", "towns.tsv", "aliases_manual.tsv"):
        (tmp_path / name).write_bytes((G.GAZ_DIR / name).read_bytes())
    (tmp_path / "short_forms.tsv").write_text("alias\tcode\tnote\n克州\t999999\ttypo\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"short_forms.tsv: unknown code 999999 for 克州"):
        G.load.__wrapped__(tmp_path)


def test_blocked_short_names_are_not_forms() -> None:
    assert G.load().lookup("和平") == []
    assert G.load().lookup("中方") == []
    assert _codes("和平区")  # the full name still counts


def test_strip_suffix() -> None:
    assert G.strip_suffix("道真仡佬族苗族自治县") == "道真"
    assert G.strip_suffix("昌都地区") == "昌都"
    assert G.strip_suffix("内蒙古自治区") == "内蒙古"
    assert G.strip_suffix("赵县") == ""  # one character is too short
    # a division named for its people: the people's name less 族 (东乡族 -> 东乡)
    assert G.strip_suffix("东乡族自治县") == "东乡"
    assert G.strip_suffix("鄂温克族自治旗") == "鄂温克"
    assert G.strip_suffix("苗族自治县") == ""  # one character left is too short


def test_history_at_date() -> None:
    gz = G.load()
    recs = [f.division for f in gz.lookup("昌都")]
    assert gz.at_date(recs, "2013-12")[0].code == "542100"
    assert gz.at_date(recs, "2016-10")[0].code == "540300"
    assert gz.at_date(recs, None)[0].code == "540300"
    pq = [f.division for f in gz.lookup("平泉")]
    assert gz.at_date(pq, "2016-05")[0].code == "130823"
    assert gz.at_date(pq, "2019-05")[0].code == "130881"


def test_hierarchy() -> None:
    gz = G.load()
    h = gz.hierarchy("220524")
    assert [h[k].name for k in ("province", "city", "county")] == ["吉林省", "通化市", "柳河县"]
    assert gz.parent("220524") == "220500"
    assert gz.ancestors("141126") == ["141100", "140000"]
    # municipal districts skip the 市辖区 placeholder
    assert gz.ancestors("110105") == ["110000"]
    assert gz.hierarchy("542100")["province"].code == "540000"
    assert gz.ancestors("611023111") == ["611023", "611000", "610000"]
    assert gz.is_within("520303", "520000")


def test_towns_and_villages() -> None:
    gz = G.load()
    assert "611023111" in {t.code for t in gz.towns_of("611023") if t.name == "金丝峡镇"}
    assert "东华门街道" in {t.name for t in gz.towns_of("110101")}
    villages = {v.name: v.code for v in gz.villages_of("611023111")}
    assert villages["姚楼村"] == "611023111216"
    assert gz.get("611023111216").name == "姚楼村"


def test_village_codes_are_the_records_codes() -> None:
    """The names and codes without records are those of the records, the last of a name kept."""
    gz = G.load()
    for town in ("611023111", "110101001", "999999999"):
        for suffixes in (("村",), ("村", "社区"), ("没有这个后缀",)):
            want = {v.name: v.code for v in gz.villages_of(town) if v.name.endswith(suffixes)}
            assert gz.village_codes_of(town, suffixes) == want
    assert gz.village_codes_of("611023111", ("村",))["姚楼村"] == "611023111216"
    assert gz.village_codes_of("999999999", ("村",)) == {}


def _builder():
    spec = importlib.util.spec_from_file_location("build_gazetteer",
                                                  ROOT / "scripts" / "build_gazetteer.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_builder_normalises_names() -> None:
    b = _builder()
    assert b.normalise_town("东华门街道办事处") == "东华门街道"
    assert b.normalise_village("四青村委会") == "四青村"
    assert b.normalise_village("姚楼村村民委员会") == "姚楼村"
    assert b.normalise_village("多福巷社区居委会") == "多福巷社区"


def test_committed_files_match_a_rebuild() -> None:
    if not SOURCE.is_dir():
        pytest.skip("shared admin_divisions data not present")
    b = _builder()
    gaz = ROOT / "extractors" / "data" / "gazetteer"
    assert (gaz / "divisions.tsv").read_text("utf-8") == b.build_divisions(SOURCE)
    assert (gaz / "towns.tsv").read_text("utf-8") == b.build_towns(SOURCE)
    # villages.tsv.zst takes ~15 s to rebuild (`make gazetteer` does it), too slow for the
    # suite: test_towns_and_villages checks its content, this its presence
    assert (gaz / "villages.tsv.zst").stat().st_size > 1_000_000


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(alphabet="0123", min_size=3, max_size=3),
                       st.lists(st.sampled_from(["1\t红村", "2\t新社区", "3\t东村"]), max_size=3), max_size=8),
       st.booleans(), st.text(alphabet="0123", min_size=3, max_size=3))
def test_village_block_by_binary_search_as_by_a_plain_look_up(blocks: dict[str, list[str]], ordered: bool,
                                                              town: str) -> None:
    codes = sorted(blocks) if ordered else list(blocks)
    data = "".join(f"#{c}\n" + "".join(r + "\n" for r in blocks[c]) for c in codes).encode()
    expect = "".join(r + "\n" for r in blocks[town]) if town in blocks else ""
    assert G._village_block(data, town) == expect
    for c in codes:
        assert G._village_block(data, c) == "".join(r + "\n" for r in blocks[c])


def _strip_suffix_reference(name: str) -> str:
    """strip_suffix as first written: every suffix and ethnic name tried in turn."""
    data = G.region_data()
    stem = name
    for suf in data["suffixes"]:
        if stem.endswith(suf) and len(stem) > len(suf):
            stem = stem[: -len(suf)]
            break
    changed = True
    while changed:
        changed = False
        for eth in data["ethnic"]:
            if stem.endswith(eth) and len(stem) > len(eth):
                stem = stem[: -len(eth)]
                changed = True
    if stem in data["ethnic"] and stem.endswith("族"):
        stem = stem[:-1]
    if stem == name or len(stem) < data["min_short_length"] or stem in data["ethnic"]:
        return ""
    return stem


def test_strip_suffix_same_as_trying_every_ending() -> None:
    names = {d.name for recs in G.load().records.values() for d in recs}
    names |= {"道真仡佬族苗族自治县", "县", "苗族", "苗族县", "新县", "自治县", "藏族羌族", ""}
    for name in names:
        assert G.strip_suffix(name) == _strip_suffix_reference(name), name
