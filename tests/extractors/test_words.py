"""Segmentation: sentences, interchangeable backends, the domain dictionary, spaCy Docs."""

from __future__ import annotations

import importlib.util

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_ie.extractors.words import BACKENDS, segment, spacy_doc, user_dictionary
from policy_ie.pipeline.options import DEFAULT_SEGMENTER, SEGMENTERS
from policy_ie.text.document import Document
from policy_ie.text.sentences import sentences

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


def _reference_sentences(text: str) -> list[tuple[int, int]]:
    """The sentence rule written out as a loop (what the one regex must agree with)."""
    import re

    out, pos = [], 0

    def add(a: int, b: int) -> None:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))

    for m in re.finditer(r"[。！？!?；;]+[”’」』）)]*|\n+", text):
        add(pos, m.end() if m.group()[0] != "\n" else m.start())
        pos = m.end()
    add(pos, len(text))
    return out


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("。！？!?；;”’」』）)\n \r\u3000\x1c扶贫ab")), max_size=30))
def test_sentences_agree_with_the_rule_written_as_a_loop(text: str) -> None:
    assert [(s.start, s.end) for s in sentences(text)] == _reference_sentences(text)


QUOTES = st.text(alphabet=st.sampled_from(list("“”「」‘’五在村十户一体脱贫攻坚·、12 \n，。a")), max_size=40)


@settings(max_examples=200, deadline=None)
@given(QUOTES)
def test_whole_text_cut_and_joined_names_equal_cutting_around_the_names(text: str) -> None:
    from policy_ie.extractors import words as sg

    for cut in (sg._rjieba_cut, sg._rjieba_tag, sg._jieba_cut):
        fast = sg._with_protection(cut, block_local=True)(text)
        around = sg._tokens(*sg._cut_around(text, sg.quoted_names(text), cut))
        assert list(fast) == list(around)


def test_tokens_hide_spaces_and_answer_boundaries() -> None:
    from policy_ie.text.document import Token, Tokens

    text = "全县 脱贫\n攻坚"
    toks = BACKENDS["rjieba"](text)  # type: ignore[misc]
    assert isinstance(toks, Tokens)
    assert toks.word_at(0) == 2 and toks.word_at(1) is None and toks.word_at(2) is None
    assert toks.ends_at(2) and not toks.ends_at(3)  # the space is no word of its own
    assert [t.text for t in toks] == ["全县", "脱贫", "攻坚"]
    assert toks.starts == [0, 3, 6] and toks.ends == [2, 5, 8] and toks.tags is None
    assert toks[1] == Token("脱贫", 3, 5) and toks[-1].end == 8
    assert list(toks[1:]) == [Token("脱贫", 3, 5), Token("攻坚", 6, 8)]
    assert toks == [Token("全县", 0, 2), Token("脱贫", 3, 5), Token("攻坚", 6, 8)]
    assert toks == Tokens.of(list(toks)) and len(toks) == 3
    assert not BACKENDS["rjieba"](" \n ")  # type: ignore[misc]
    tagged = BACKENDS["rjieba"]("推行“五在村”机制")  # type: ignore[misc]
    assert ("五在村", "nz") in [(t.text, t.pos) for t in tagged]


@settings(max_examples=200, deadline=None)
@given(QUOTES)
def test_quoted_names_are_the_names_between_quote_marks(text: str) -> None:
    import regex

    from policy_ie.extractors.words import quoted_names

    between = regex.compile(r"(?<=[“「‘])[\p{Han}\d+·、]{2,10}(?=[”」’])")
    assert quoted_names(text) == [m.span() for m in between.finditer(text)]


LAZY_ALPHABET = st.sampled_from(list("，。、；：？！“”‘’「」（）《》…—\n \u3000\r\t扶贫攻坚五在村十户一体县镇乡"
                                     "ab019+#&._%-·,.()'\"/\u00a0\x1c〇㐀𠀀１"))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=LAZY_ALPHABET, max_size=50))
def test_lazy_tokens_answer_as_the_whole_cut(text: str) -> None:
    from policy_ie.extractors.words import CUTS, LazyTokens

    for backend in ("rjieba", "rjieba-pos", "jieba"):
        seg = BACKENDS[backend]
        assert seg is not None
        whole = seg(text)
        lazy = LazyTokens(text, CUTS[backend])
        for pos in range(-1, len(text) + 2):
            assert lazy.word_at(pos) == whole.word_at(pos), (backend, pos)
            assert lazy.ends_at(pos) == whole.ends_at(pos), (backend, pos)
        assert bool(lazy) == bool(whole)
        assert list(lazy) == list(whole)


def test_segment_cuts_only_when_asked() -> None:
    from policy_ie.extractors.words import LazyTokens

    doc = segment(Document(id="s", path="s", text=PROSE[2]), DEFAULT_SEGMENTER)
    assert isinstance(doc.tokens, LazyTokens) and doc.tokens
    assert doc.tokens.word_at(0) == 3  # 柳河县, from the stretch before the first comma
    assert [t.text for t in doc.tokens][:2] == ["柳河县", "红石镇"]


def test_the_command_line_offers_exactly_the_backends_there_are() -> None:

    assert tuple(BACKENDS) == SEGMENTERS and DEFAULT_SEGMENTER in SEGMENTERS


def test_rjieba_without_its_packages_default_instance() -> None:
    """The segmenter loads rjieba's extension alone: the package's default instance (jieba's
    dictionary parsed once more, 0.1 s) is never built; the class is the package's own."""
    import subprocess
    import sys

    code = ("import sys\nfrom policy_ie.extractors import words\n"
            "assert words.CUTS['rjieba']('脱贫攻坚战')[0] == ['脱贫攻坚', '战']\n"
            "assert 'rjieba' not in sys.modules and 'rjieba.rjieba' in sys.modules\n"
            "import rjieba\nassert rjieba.Jieba is words._rjieba_class()\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_plain_rjieba_has_no_domain_words() -> None:
    from policy_ie.extractors.words import _rjieba, plain_rjieba

    assert plain_rjieba().cut("脱贫攻坚战", False) != _rjieba().cut("脱贫攻坚战", False)
