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


def test_folders_are_walked_recursively_in_order_and_other_files_named(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("二", encoding="utf-8")
    (tmp_path / "a.txt").write_text("一", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "README.md").write_text("# not an article", encoding="utf-8")  # the folder's documentation
    (tmp_path / "b" / "LICENSE").write_text("MIT", encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\0\0")
    (tmp_path / "b" / "loop").symlink_to(tmp_path, target_is_directory=True)
    out = docs(tmp_path)
    assert [d.id for d in out] == ["a", "notes", "2", "loop"]
    pdf, loop = out[1], out[3]
    assert not pdf.text and "notes.pdf: skipped: unknown kind of file '.pdf'" in pdf.warnings[0]
    assert not loop.text and "a link to a folder, not followed" in loop.warnings[0]


def test_a_readme_named_on_the_command_line_is_not_passed_over(tmp_path: Path) -> None:
    p = tmp_path / "README.md"
    p.write_text("# not an article", encoding="utf-8")
    (doc,) = docs(p)
    assert "unknown kind" in doc.warnings[0]


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


# -- nothing lost without a word (issue 19) ----------------------------------------------------
def _line(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)


def test_a_jsonl_whose_first_lines_lack_text_is_no_manifest(tmp_path: Path) -> None:
    """Taken for a manifest by its first three lines, it lost all its articles."""
    p = tmp_path / "arch.jsonl"
    lines = [{"id": f"m{i}", "title": "无正文"} for i in range(4)] + [{"id": "a", "text": "正文。"}]
    p.write_text("\n".join(map(_line, lines)) + "\n", encoding="utf-8")
    out = docs(tmp_path)
    assert [d.id for d in out] == ["m0", "m1", "m2", "m3", "a"] and out[-1].text == "正文。"
    assert all("no 'text'" in d.warnings[0] for d in out[:4])


def test_a_manifest_has_no_text_on_any_line(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("正文。", encoding="utf-8")
    lines = [{"id": f"m{i}", "title": "无正文"} for i in range(5)] + [{"id": "x", "title": "标题"}]
    (tmp_path / "MANIFEST.jsonl").write_text("\n".join(map(_line, lines)) + "\n", encoding="utf-8")
    (doc,) = docs(tmp_path)
    assert (doc.id, doc.meta.title, doc.warnings) == ("x", "标题", [])


def _within(seconds: float, func: object) -> object:
    """``func()``, failing the test instead of hanging when it does not return in time."""
    import threading

    box: list[object] = []
    worker = threading.Thread(target=lambda: box.append(func()), daemon=True)  # type: ignore[operator]
    worker.start()
    worker.join(seconds)
    assert box, f"no answer within {seconds} s (an input was opened that never ends)"
    return box[0]


def test_fifos_and_sockets_are_skipped_never_opened(tmp_path: Path) -> None:
    import os
    import socket

    os.mkfifo(tmp_path / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "sock.jsonl"))
    (tmp_path / "z.txt").write_text("正文。", encoding="utf-8")
    try:
        out = _within(10, lambda: docs(tmp_path))
        explicit = _within(10, lambda: docs(tmp_path / "pipe.txt"))
    finally:
        sock.close()
    assert [d.id for d in out] == ["pipe", "sock", "z"] and out[2].text == "正文。"
    assert "pipe.txt: skipped: a FIFO" in out[0].warnings[0] and "socket" in out[1].warnings[0]
    assert "FIFO" in explicit[0].warnings[0]  # type: ignore[index]


def test_a_device_named_explicitly_is_skipped(tmp_path: Path) -> None:
    (doc,) = _within(10, lambda: docs(Path("/dev/zero")))  # type: ignore[misc]
    assert "character device" in doc.warnings[0]


def test_dangling_links_are_named(tmp_path: Path) -> None:
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (doc,) = docs(tmp_path)
    assert "gone.txt: skipped: a link to" in doc.warnings[0] and "nowhere.txt" in doc.warnings[0]
    (doc,) = docs(tmp_path / "gone.txt")
    assert "does not exist" in doc.warnings[0]


def test_a_folder_that_cannot_be_listed_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "in.txt").write_text("里面。", encoding="utf-8")
    (tmp_path / "ok.txt").write_text("正文。", encoding="utf-8")
    real = os.scandir

    def scandir(path: object = ".") -> object:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    out = docs(tmp_path)
    assert [d.id for d in out] == ["ok", "locked"]
    assert "locked: skipped: cannot list the folder (Permission denied)" in out[1].warnings[0]


def test_a_file_name_that_is_not_utf8_is_kept_escaped(tmp_path: Path) -> None:
    import os

    from policy_ie.pipeline.write import record_line

    name = os.fsdecode(b"\xb2\xe2\xca\xd4.txt")  # GBK bytes of a name
    (tmp_path / name).write_text("正文。", encoding="utf-8")
    (doc,) = docs(tmp_path)
    assert doc.id == "\\xb2\\xe2\\xca\\xd4" and doc.path.endswith("\\xb2\\xe2\\xca\\xd4.txt")
    record_line(doc.to_record()).encode("utf-8")


def test_lone_surrogates_become_replacement_characters(tmp_path: Path) -> None:
    from policy_ie.pipeline.write import record_line

    p = tmp_path / "s.jsonl"
    p.write_text('{"id": "s\\udc00", "title": "\\ud800题", "text": "扶贫\\ud800。\\ud83d\\ude00"}\n', encoding="utf-8")
    (doc,) = docs(p)
    assert (doc.id, doc.meta.title, doc.text) == ("s\ufffd", "\ufffd题", "扶贫\ufffd。\U0001F600")
    assert "s.jsonl:1: lone surrogates" in doc.warnings[0]
    record_line(doc.to_record()).encode("utf-8")


@pytest.mark.parametrize("field, value", [
    ("authors", 5), ("authors", {"a": 1}), ("author", [1, "李四"]), ("title", {"a": 1}),
    ("date", [2019]), ("url", 3.5), ("source", True), ("id", None), ("id", ["x"]),
])
def test_metadata_of_the_wrong_type_is_left_out_with_a_warning(tmp_path: Path, field: str, value: object) -> None:
    p = tmp_path / "t.jsonl"
    p.write_text(_line({"id": "t", field: value, "text": "正文。"}) + "\n", encoding="utf-8")
    (doc,) = docs(p)
    assert doc.text == "正文。"
    if value is not None:
        assert f"t.jsonl:1: field {field!r}" in doc.warnings[0] and "fix the archive" in doc.warnings[0]
    assert all(isinstance(a, str) for a in doc.meta.authors)
    assert doc.meta.title is None or isinstance(doc.meta.title, str)


def test_manifest_entries_of_the_wrong_type_warn_on_their_article(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("正文。", encoding="utf-8")
    (tmp_path / "M.jsonl").write_text(_line({"id": "x", "authors": 5, "title": "标题"}) + "\n", encoding="utf-8")
    (doc,) = docs(tmp_path)
    assert doc.meta.title == "标题" and "M.jsonl:1: field 'authors'" in doc.warnings[0]


_JSON_TEXT = st.text(alphabet=st.sampled_from([*"扶贫a1 \n\"\\", "\ud800", "\udfff", "\x00", "\u2028"]),
                     max_size=8)
_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _JSON_TEXT,
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_JSON_TEXT, inner, max_size=3),
                     max_leaves=6)
_FIELDS = ["id", "text", "content", "title", "date", "published", "source", "outlet", "authors",
           "author", "url"]


_ARTICLE = st.fixed_dictionaries({"text": _JSON_TEXT.filter(str.strip)},
                                 optional={f: _JSON for f in _FIELDS if f != "text"})


@settings(max_examples=200, deadline=None)
@given(st.lists(_ARTICLE | st.dictionaries(st.sampled_from(_FIELDS), _JSON, max_size=6) | _JSON,
                min_size=1, max_size=4))
def test_jsonl_records_of_random_types_never_crash(tmp_path_factory: pytest.TempPathFactory,
                                                   records: list[object]) -> None:
    from policy_ie.pipeline.write import record_line

    d = tmp_path_factory.mktemp("rand")
    (d / "r.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    for doc in iter_documents([d]):
        assert isinstance(doc.text, str) and isinstance(doc.id, str)
        record_line(doc.to_record()).encode("utf-8")


def _walk_recursive(node: object, out: list[str]) -> None:
    """The recursive walk the iterative one replaced (the reference)."""
    from policy_ie.pipeline.ingest.html import BLOCKS, HIDDEN

    for child in node.iter(include_text=True):  # type: ignore[attr-defined]
        if child.tag == "-text":
            out.append(child.text_content or "")
        elif child.tag not in HIDDEN and child.tag != "-comment":
            block = child.tag in BLOCKS
            out.extend(["\n"] if block else [])
            _walk_recursive(child, out)
            out.extend(["\n"] if block else [])


_TAGS = ["p", "div", "span", "b", "script", "li", "br", "nav", "td", "!-- c --"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_TAGS), st.text(alphabet="扶贫 a\n", max_size=4),
                          st.booleans()), max_size=12))
def test_the_iterative_html_walk_reads_as_the_recursive_one(parts: list[tuple[str, str, bool]]) -> None:
    from selectolax.lexbor import LexborHTMLParser

    from policy_ie.pipeline.ingest.html import _walk

    html = "".join(f"<{t}>{text}" + (f"</{t.split()[0]}>" if close else "") for t, text, close in parts)
    root = LexborHTMLParser(f"<html><body>{html}</body></html>").body
    new: list[str] = []
    old: list[str] = []
    _walk(root, new)
    _walk_recursive(root, old)
    assert new == old


def test_html_nested_thousands_deep_is_read(tmp_path: Path) -> None:
    p = tmp_path / "deep.html"
    p.write_text("<html><body>" + "<div>" * 5000 + "<p>贫困人口48.9万。</p>" + "</div>" * 5000 + "</body></html>",
                 encoding="utf-8")
    (doc,) = docs(p)
    assert doc.text == "贫困人口48.9万。" and not doc.warnings


def test_a_reader_fault_skips_its_file_and_the_batch_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from policy_ie.pipeline.ingest import readers

    def broken(html: str) -> object:
        raise MemoryError("too big")

    monkeypatch.setattr(readers, "reader_text", broken)
    (tmp_path / "a.html").write_text("<p>一</p>", encoding="utf-8")
    (tmp_path / "b.txt").write_text("二", encoding="utf-8")
    a, b = docs(tmp_path)
    assert not a.text and "a.html: skipped: reading failed (MemoryError: too big" in a.warnings[0]
    assert b.text == "二"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_jsonl_in_utf16_and_utf32_keeps_every_line(tmp_path: Path, encoding: str) -> None:
    """Split on the byte 0x0A, a UTF-16 file lost every line."""
    p = tmp_path / "wide.jsonl"
    lines = [{"id": "a", "text": "贫困人口48.9万。"}, {"id": "b", "text": "第二篇。"}]
    p.write_bytes(("\n".join(map(_line, lines)) + "\n").encode(encoding))
    out = docs(p)
    assert [(d.id, d.text, d.warnings) for d in out] == [("a", "贫困人口48.9万。", []), ("b", "第二篇。", [])]


def test_an_over_long_utf16_line_is_skipped_without_losing_the_next(tmp_path: Path) -> None:
    p = tmp_path / "wide.jsonl"
    big = _line({"id": "big", "text": "贫" * 5_000})
    p.write_bytes((big + "\n" + _line({"id": "next", "text": "正文。"}) + "\n").encode("utf-16"))
    big_doc, nxt = docs(p, max_bytes=4096)
    assert "over the limit" in big_doc.warnings[0] and (nxt.id, nxt.text) == ("next", "正文。")
