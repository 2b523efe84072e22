"""Segmentation: sentences, interchangeable backends, the domain dictionary, spaCy Docs."""

from __future__ import annotations

import importlib.util

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.document import Document
from pipeline.segment import BACKENDS, DEFAULT_SEGMENTER, segment, sentences, spacy_doc, user_dictionary

# Sentences in the genre's style, written for these tests.
PROSE = [
    "近年来，某县坚持把抓党建促脱贫攻坚作为头等大事，选派第一书记和驻村干部深入贫困村。",
    "全县建档立卡贫困户由5200户减少到300户，贫困发生率降至0.6%。",
    "柳河县红石镇组织党员干部结对帮扶，帮助群众发展特色产业，实现稳定增收。",
    "市委探索推行“三带三促”工程，推动易地扶贫搬迁群众稳得住、能致富。",
]


def words(backend: str, text: str) -> list[str]:
    seg = BACKENDS[backend]
    assert seg is not None
    return [t.text for t in seg(text)]


def test_sentences_end_at_marks_and_line_breaks_keeping_closing_quotes() -> None:
    text = "他说：“要真扶贫。”全县脱贫了！\n  第二段。"
    spans = sentences(text)
    assert [text[s.start:s.end] for s in spans] == ["他说：“要真扶贫。”", "全县脱贫了！", "第二段。"]


@pytest.mark.parametrize("text", PROSE)
def test_the_default_backend_agrees_with_jieba_on_the_genre(text: str) -> None:
    assert DEFAULT_SEGMENTER == "rjieba"
    assert words("rjieba", text) == words("jieba", text)


@pytest.mark.parametrize("backend", ["rjieba", "rjieba-pos", "jieba"])
def test_tokens_carry_offsets_into_the_clean_text(backend: str) -> None:
    doc = Document(id="s", path="s", text="\n".join(PROSE))
    segment(doc, backend)
    assert doc.tokens
    for t in doc.tokens:
        assert doc.view.text[t.start:t.end] == t.text and not t.text.isspace()


def test_rjieba_pos_gives_pos_tags_and_the_same_words() -> None:
    assert words("rjieba-pos", PROSE[2]) == words("rjieba", PROSE[2])
    doc = segment(Document(id="s", path="s", text=PROSE[2]), "rjieba-pos")
    tags = {t.text: t.pos for t in doc.tokens}
    assert tags["柳河县"] == "ns"


def test_the_domain_dictionary_keeps_terms_and_places_whole() -> None:
    import jieba

    plain = jieba.lcut("建档立卡贫困户和驻村工作队来到道真仡佬族苗族自治县")
    ours = words("rjieba", "建档立卡贫困户和驻村工作队来到道真仡佬族苗族自治县")
    assert "建档立卡贫困户" not in plain and "建档立卡贫困户" in ours
    assert "驻村工作队" not in plain and "驻村工作队" in ours
    assert "道真仡佬族苗族自治县" in ours
    assert any(e.word == "柳河县" for e in user_dictionary())


def test_quoted_programme_names_are_protected_as_single_tokens() -> None:
    text = "探索建立党建扶贫“五在村”机制和“十户一体”模式"
    import jieba

    assert "五在村" not in jieba.lcut(text)
    for backend in ("rjieba", "jieba"):
        assert "五在村" in words(backend, text) and "十户一体" in words(backend, text)


def test_unknown_backend_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown segmenter"):
        segment(Document(id="s", path="s", text="x"), "thulac")


def test_none_backend_gives_sentences_only() -> None:
    doc = segment(Document(id="s", path="s", text=PROSE[0]), "none")
    assert doc.sentences and not doc.tokens


def test_spacy_doc_from_our_tokens() -> None:
    doc = segment(Document(id="s", path="s", text=PROSE[1]), "rjieba-pos")
    sdoc = spacy_doc(doc)
    assert [t.text for t in sdoc] == [t.text for t in doc.tokens]
    assert [t.tag_ for t in sdoc] == [t.pos for t in doc.tokens]


@pytest.mark.skipif(importlib.util.find_spec("pkuseg") is None,
                    reason="pkuseg is an optional extra: make install-pkuseg")
def test_pkuseg_backend_with_offsets_and_the_dictionary() -> None:
    text = "全县建档立卡贫困户由5200户 减少到300户，“五在村”机制"
    toks = BACKENDS["pkuseg"](text)  # type: ignore[misc]
    assert all(text[t.start:t.end] == t.text for t in toks)
    assert "建档立卡贫困户" in [t.text for t in toks] and "五在村" in [t.text for t in toks]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=120))
def test_segmenters_never_raise_and_offsets_are_consistent(text: str) -> None:
    for backend in ("rjieba", "jieba"):
        for t in BACKENDS[backend](text):  # type: ignore[misc]
            assert 0 <= t.start < t.end <= len(text) and text[t.start:t.end] == t.text
