"""Tests of pipeline/programme_registry.py: national vs regional programmes across records."""

from __future__ import annotations

from policy_ie.pipeline.programme_registry import build_registry, registry_rows
from policy_ie.text.document import ArticleRegion, Document, ProgrammeMention


def _rec(aid: str, code: str | None, name: str | None, prov: str | None,
         progs: list[tuple[str, str | None, bool, list[str]]]) -> dict:
    region = {"code": code, "name": name, "level": "city", "province": prov,
              "city": name, "county": None} if code else None
    return {"id": aid, "region": region,
            "programmes": [{"name": n, "kind": k, "headline": h, "components": c,
                            "text": f"“{n}”", "start": 0, "end": len(n) + 2}
                           for n, k, h, c in progs]}


FIVE = ["责任在村落实", "组织在村建强", "干部在村成长", "资源在村整合", "成效在村检验"]

RECORDS = [
    _rec("a1", "520300", "遵义市", "贵州省",
         [("五在村", "机制", True, FIVE), ("五在村", "机制", False, FIVE),
          ("五个一批", None, False, [])]),
    _rec("a2", "520300", "遵义市", "贵州省", [("五在村", None, False, [])]),
    _rec("a3", "611000", "商洛市", "陕西省",
         [("十百千", "工程", True, ["a", "b", "c"]), ("五个一批", None, False, [])]),
    _rec("a4", "540300", "昌都市", "西藏自治区", [("“五个一批”", None, False, [])]),
    _rec("a5", None, None, None, [("五个一批", None, False, [])]),
    _rec("a6", "220500", "通化市", "吉林省", [("十百千", None, False, [])]),
]


def test_national_and_regional() -> None:
    reg = build_registry(RECORDS)
    assert reg["五个一批"].scope == "national"
    assert reg["五个一批"].articles == ["a1", "a3", "a4", "a5"]
    assert reg["五在村"].scope == "regional"
    assert reg["五在村"].regions == {"520300": "遵义市"}
    assert reg["五在村"].kind == "机制"
    assert reg["五在村"].components == FIVE
    assert reg["五在村"].headline_in == ["a1"]
    assert reg["五在村"].mentions == 3
    assert reg["十百千"].scope == "multi-regional"
    assert next(iter(reg)) == "五个一批"  # most used first


def test_threshold_and_rows() -> None:
    reg = build_registry(RECORDS, national_min_provinces=2)
    assert reg["十百千"].scope == "national"
    rows = registry_rows(reg)
    assert {r["name"] for r in rows} == {"五个一批", "五在村", "十百千"}
    row = next(r for r in rows if r["name"] == "五在村")
    assert row["n_articles"] == 2 and row["provinces"] == ["贵州省"]


def test_unknown_scope_and_documents_accepted() -> None:
    doc = Document(id="d1", path="d1", text="实施“三变”改革")
    doc.programmes = [ProgrammeMention(text="“三变”", start=2, end=6, name="三变")]
    reg = build_registry([doc])
    assert reg["三变"].scope == "unknown"
    doc.region = ArticleRegion(code="520000", name="贵州省", level="province")
    assert build_registry([doc])["三变"].scope == "regional"


def test_empty() -> None:
    assert build_registry([]) == {}
    assert build_registry([{"id": "x", "programmes": None}]) == {}


def test_counting_the_articles_without_their_ids_gives_the_same_rows_but_the_id_lists() -> None:
    listed, counted = build_registry(RECORDS), build_registry(RECORDS, keep_articles=False)
    assert list(listed) == list(counted)  # the same order (by use, then name)
    assert counted["五个一批"].n_articles == 4 and counted["五个一批"].articles == []
    assert counted["五在村"].n_articles == 2  # a1 names it twice: one article
    for a, b in zip(registry_rows(listed), registry_rows(counted), strict=True):
        assert a["articles"] and b["articles"] == []
        assert {k: v for k, v in a.items() if k != "articles"} == {k: v for k, v in b.items() if k != "articles"}
