"""Reading real archives: every input kind, every encoding, every kind of bad input."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_ie.pipeline.ingest import InputError, iter_documents, list_inputs
from policy_ie.pipeline.ingest.encoding import DecodeError, decode

ARTICLE = ("商洛：“十百千”工程抓党建促脱贫\n本报记者 李小龙\n"
           "  七个县区均为国家级贫困县，699个贫困村，贫困人口48.9万。\n")
BIG5_ARTICLE = "臺灣扶貧協會表示，今年共幫扶貧困戶三百二十戶，投入資金一千二百萬元。"


def docs(*paths: Path, **kw: int) -> list:
    return list(iter_documents(list(paths), **kw))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le",
                                      "utf-16-be"])
def test_txt_in_every_encoding_decodes_to_the_same_text(tmp_path: Path, encoding: str) -> None:
    p = tmp_path / "art.txt"
    p.write_bytes(ARTICLE.encode(encoding))
    (doc,) = docs(p)
    assert doc.text == ARTICLE and doc.id == "art" and not doc.warnings


def test_big5_is_detected(tmp_path: Path) -> None:
    p = tmp_path / "tw.txt"
    p.write_bytes((BIG5_ARTICLE * 3).encode("big5"))
    (doc,) = docs(p)
    assert doc.text == BIG5_ARTICLE * 3


def test_gb18030_only_characters_survive_a_gbk_guess() -> None:
    # 𠀀 (U+20000) exists only in GB18030; a GBK decoder would fail on it.
    text = "扶贫攻坚，㐀村（𠀀）贫困户两百户。" * 5
    assert decode(text.encode("gb18030")).text == text


def test_jsonl_fields_aliases_and_default_ids(tmp_path: Path) -> None:
    p = tmp_path / "arch.jsonl"
    lines = [
        {"id": "a1", "title": "标题一", "date": "2019-10-17", "source": "人民日报", "text": "正文一。"},
        {"content": "正文二。", "published": "2020年5月3日", "outlet": "光明日报", "url": "http://x"},
    ]
    p.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    a, b = docs(p)
    assert (a.id, a.meta.title, a.meta.published, a.meta.outlet) == ("a1", "标题一", "2019-10-17", "人民日报")
    assert (b.id, b.text, b.meta.published, b.meta.outlet, b.meta.url) == (
        "arch:2", "正文二。", "2020-05-03", "光明日报", "http://x")


def test_bad_jsonl_lines_get_warning_records_and_the_batch_goes_on(tmp_path: Path) -> None:
    p = tmp_path / "bad.jsonl"
    p.write_bytes(b'{"id": "ok", "text": "\xe6\xad\xa3\xe6\x96\x87"}\n'
                  b"{not json\n"
                  b'{"id": "notext", "title": "x"}\n'
                  b"[1, 2]\n"
                  b'{"id": "last", "text": "t"}\n')
    out = docs(p)
    assert [d.id for d in out] == ["ok", "bad:2", "notext", "bad:4", "last"]
    assert "bad.jsonl:2" in out[1].warnings[0] and "not valid JSON" in out[1].warnings[0]
    assert "no 'text'" in out[2].warnings[0]
    assert out[4].text == "t" and not out[4].warnings


def test_html_gives_reader_text_not_markup(tmp_path: Path) -> None:
    p = tmp_path / "page.html"
    p.write_text(
        "<html><head><meta name='publishdate' content='2016-10-06 10:54'>"
        "<meta name='source' content='西藏日报'><script>var a='<p>脚本</p>';</script></head>"
        "<body><nav>首页 &gt; 滚动资讯</nav><h1>脱贫攻坚党旗红</h1>"
        "<div class='c'><p>昌都市<b>深入</b>贯彻落实&amp;推进。</p><p>第二段。</p></div>"
        "<footer>版权所有</footer></body></html>", encoding="utf-8")
    (doc,) = docs(p)
    assert doc.text == "脱贫攻坚党旗红\n昌都市深入贯彻落实&推进。\n第二段。"
    assert (doc.meta.title, doc.meta.published, doc.meta.outlet) == ("脱贫攻坚党旗红", "2016-10-06", "西藏日报")


def test_html_in_gbk_is_decoded(tmp_path: Path) -> None:
    p = tmp_path / "gbk.htm"
    p.write_bytes("<html><body><p>贫困人口四十八万九千人，分布在七个县区的贫困村。</p></body></html>".encode("gbk"))
    (doc,) = docs(p)
    assert "贫困人口四十八万九千人" in doc.text


@pytest.mark.parametrize("content, reason", [
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
])
def test_unreadable_files_get_a_record_with_a_warning(tmp_path: Path, content: bytes, reason: str) -> None:
    p = tmp_path / "x.txt"
    p.write_bytes(content)
    (doc,) = docs(p)
    assert doc.text == "" and doc.id == "x"
    assert str(p) in doc.warnings[0] and reason in doc.warnings[0]


def test_article_over_the_size_limit_is_skipped_with_a_warning(tmp_path: Path) -> None:
    p = tmp_path / "huge.txt"
    p.write_text("扶贫" * 5000, encoding="utf-8")
    (doc,) = docs(p, max_bytes=1000)
    assert doc.text == "" and "over the limit" in doc.warnings[0] and "--max-bytes" in doc.warnings[0]


def test_a_text_of_several_megabytes_is_read(tmp_path: Path) -> None:
    p = tmp_path / "big.txt"
    p.write_text("贫困人口48.9万。\n" * 300_000, encoding="utf-8")
    (doc,) = docs(p)
    assert len(doc.text) == 3_300_000 and not doc.warnings


def test_folders_are_walked_recursively_in_order_and_other_files_ignored(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("二", encoding="utf-8")
    (tmp_path / "a.txt").write_text("一", encoding="utf-8")
    (tmp_path / "README.md").write_text("# not an article", encoding="utf-8")
    (tmp_path / "b" / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert [d.id for d in docs(tmp_path)] == ["a", "2"]


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        list_inputs([tmp_path / "nope"])


def test_unknown_kind_named_explicitly_gets_a_warning(tmp_path: Path) -> None:
    p = tmp_path / "a.pdf"
    p.write_bytes(b"%PDF-1.4")
    (doc,) = docs(p)
    assert "unknown kind" in doc.warnings[0]


def test_a_manifest_beside_text_files_supplies_their_metadata(tmp_path: Path) -> None:
    (tmp_path / "art1.txt").write_text("一篇文章的标题\n正文。", encoding="utf-8")
    (tmp_path / "MANIFEST.jsonl").write_text(
        json.dumps({"id": "art1", "title": "档案标题", "date": "2019-02-01", "outlet": "人民日报"},
                   ensure_ascii=False) + "\n", encoding="utf-8")
    (doc,) = docs(tmp_path)
    assert (doc.id, doc.meta.title, doc.meta.published, doc.meta.outlet) == (
        "art1", "档案标题", "2019-02-01", "人民日报")


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_decoding_arbitrary_bytes_returns_text_or_a_decode_error(data: bytes) -> None:
    try:
        out = decode(data)
    except DecodeError as exc:
        assert str(exc)
    else:
        assert isinstance(out.text, str)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_readers_never_raise_on_arbitrary_bytes(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    d = tmp_path_factory.mktemp("fuzz")
    for name in ("x.txt", "x.jsonl", "x.html"):
        (d / name).write_bytes(data)
    for doc in iter_documents([d]):
        assert isinstance(doc.text, str)


def test_utf16_bom_variants() -> None:
    for bom, enc in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        assert decode(bom + ARTICLE.encode(enc)).text == ARTICLE


def test_an_over_long_jsonl_line_is_skipped_without_losing_the_next(tmp_path: Path) -> None:
    p = tmp_path / "arch.jsonl"
    big = json.dumps({"id": "big", "text": "贫" * 50_000}, ensure_ascii=False)
    p.write_text(big + "\n" + json.dumps({"id": "next", "text": "正文。"}, ensure_ascii=False) + "\n",
                 encoding="utf-8")
    big_doc, nxt = docs(p, max_bytes=4096)
    assert big_doc.id == "arch:1" and "over the limit" in big_doc.warnings[0] and "arch.jsonl:1" in big_doc.warnings[0]
    assert (nxt.id, nxt.text) == ("next", "正文。")
