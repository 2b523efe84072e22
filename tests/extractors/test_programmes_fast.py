"""The fast forms of programme helpers agree with the plain forms they replaced.

Each reference below is the straightforward version (a loop over characters, a replace per
word, a pattern with its lookbehind first); the module's version takes shortcuts for speed.
Both must give the same answers on any input.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from policy_ie.extractors import programmes
from policy_ie.extractors.programmes import candidates, components, extractor, slogan
from policy_ie.extractors.programmes.name_parts import CLOSE, OPEN, TAIL, numeral_tokens, split_enumeration
from policy_ie.text.punctuation import chars

DATA = programmes.load_data()


def _split_reference(s: str, seps: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    cur: list[str] = []
    for ch in s:
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(0, depth - 1)
        if ch in seps and depth == 0:
            parts.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur).strip())
    parts = [p for p in parts if p]
    if parts:
        parts[-1] = TAIL.sub("", parts[-1]).strip()
        parts = [p for p in parts if p]
    return parts


def _numeric_reference(name: str) -> bool:
    data = DATA
    if len(name) > 12 or data.quantity.match(name) or "的" in name:
        return False
    if any(mark in name for mark in chars("statement_end")):
        return False
    if name.startswith(tuple(data["numeral_led_words"])):
        return False
    bare = name
    for w in data["numeral_led_words"]:
        bare = bare.replace(w, "_" * len(w))
    toks = numeral_tokens(bare, data.numerals)
    if any(t.isdigit() for t, _ in toks):
        return bool(re.search(r"[个+%＋]", name)) and not re.search(r"\d{4}", name)
    if not toks:
        return False
    if len(name) == 2 and all(ch in data.numerals for ch in name):
        return False
    followers = []  # the character after each run of numerals, walked one by one
    for i in range(len(bare)):
        if bare[i] in data.numerals and (i + 1 == len(bare) or bare[i + 1] not in data.numerals):
            followers.append(bare[i + 1] if i + 1 < len(bare) else "")
    if all(f != "" and f in data["measure_units"] for f in followers):
        return False
    first = name[0]
    if len(toks) == 1:
        after = bare[bare.index(toks[0][0]) + 1:][:1]
        if after and after in data["measure_units"]:
            return False
        if len(name) >= 6 and after not in data["numeral_classifiers"]:
            return False
    return (first in data.numerals and first != "一") or len(toks) >= 2


def _unquoted_reference() -> re.Pattern[str]:
    raw, nums = DATA.raw, DATA.numerals
    num = DATA.num_class.replace("0-9", "")
    pats = [re.escape(p).replace(re.escape("{num}"), num) for p in raw["unquoted_patterns"]]
    pats += [re.escape(s) for s in raw["national_slogans"]]
    return re.compile(rf"(?<![“\"「{''.join(nums)}第])(?:{'|'.join(pats)})(?![”\"」])")


def _pieces() -> list[str]:
    raw = DATA.raw
    words = [*raw["numeral_led_words"], *raw["national_slogans"], *raw["catch_phrases"],
             *raw["strong_kinds"], *raw["suffix_kinds"]]
    words += [p.replace("{num}", n) for p in raw["unquoted_patterns"] for n in "三五"]
    return sorted(set(words)) + list(DATA.numerals) + list("“”\"「」第的个+%＋0123456789年里、,，;；()（） 等在村")


TEXT = st.lists(st.sampled_from(_pieces()), max_size=12).map("".join)


@settings(max_examples=400, deadline=None)
@given(s=st.one_of(TEXT, st.text(max_size=30)), seps=st.sampled_from([DATA["enum_separators"], "、", ",，;；", ""]))
def test_split_enumeration_same_as_walk(s: str, seps: str) -> None:
    assert split_enumeration(s, seps) == _split_reference(s, seps)


@settings(max_examples=400, deadline=None)
@given(name=st.one_of(TEXT, st.text(max_size=14)))
def test_numeric_slogan_same_as_replace_loop(name: str) -> None:
    assert slogan.is_numeric_slogan(name, DATA) == _numeric_reference(name)


def test_numeric_slogan_examples() -> None:
    """Overlapping place and common words are taken out in the file's order."""
    for name in ("五在村", "十百千", "两不愁三保障", "四面八方三联", "百姓五心", "1个10%", "二十年", "七一"):
        assert slogan.is_numeric_slogan(name, DATA) == _numeric_reference(name), name


@settings(max_examples=400, deadline=None)
@given(text=TEXT)
def test_unquoted_pattern_same_as_lookbehind_first(text: str) -> None:
    ref = _unquoted_reference()
    got = [(m.start(), m.end()) for m in DATA.unquoted.finditer(text)]
    assert got == [(m.start(), m.end()) for m in ref.finditer(text)]


def test_unquoted_pattern_examples() -> None:
    ref = _unquoted_reference()
    text = "坚持五措并举，落实“五个一批”和五个一批，三五个一批，第五个一批，两不愁三保障。"
    assert [m.span() for m in DATA.unquoted.finditer(text)] == [m.span() for m in ref.finditer(text)]
    assert [m.group() for m in DATA.unquoted.finditer(text)] == ["五措并举", "五个一批", "两不愁三保障"]


def test_superscript_and_circled_digits_do_not_break_a_name() -> None:
    """² and ① are digits to str.isdigit but not to int: they once made the extractor fail."""
    from policy_ie.text.document import Document

    assert numeral_tokens("5²①", DATA.numerals) == [("5", 5)]
    doc = Document(id="t", path="t", text="全县实施“²”工程,建设“5²”模式,推行“①三联”机制。")
    assert isinstance(programmes.extract(doc), list)


def _quote_spans_reference(text: str) -> list[tuple[int, int]]:
    """The quote scan with str.find (restart at an inner opening mark, skip line ends)."""
    out: list[tuple[int, int]] = []
    for op, cl in DATA["quotes"]:
        i = 0
        while True:
            i = text.find(op, i)
            if i < 0:
                break
            j = text.find(cl, i + 1)
            nl = text.find("\n", i + 1)
            if j < 0 or (0 <= nl < j):
                i += 1
                continue
            if op == cl or text.find(op, i + 1, j) < 0:
                out.append((i, j))
                i = j + 1
            else:
                i = text.find(op, i + 1, j)
    out.sort()
    return out


QUOTY = st.lists(st.sampled_from(list("“”「」\"‘’\n、a五在村")), max_size=40).map("".join)


@settings(max_examples=500, deadline=None)
@given(text=QUOTY)
def test_quote_spans_same_as_find_scan(text: str) -> None:
    assert candidates.quote_spans(text, DATA) == _quote_spans_reference(text)


NAMEY = st.lists(st.sampled_from(["是", "就是", "我们", "要", "重要", "能力", "不能", "了解", "了", "什么",
                                  "他们", "着力", "没有", "，", "、", " ", "a1", "坚持", "村", "书记",
                                  "5%", "……", "“", "吗"]), max_size=10).map("".join)


@settings(max_examples=200, deadline=None)
@given(name=NAMEY)
def test_clause_same_as_segmenting_the_whole_name(name: str) -> None:
    import jieba

    markers = DATA.clause_markers
    want = bool(DATA.sentence_punct.search(name)) or any(w in markers for w in jieba.lcut(name))
    assert slogan.is_clause(name, DATA) == want


@settings(max_examples=500, deadline=None)
@given(window=st.lists(st.sampled_from(list("、,。\n“”()a五在村的 ")), max_size=30).map("".join))
def test_stretch_before_same_as_search(window: str) -> None:
    assert components.stretch_before(window) == components.STRETCH_BEFORE.search(window).group()


def _as_rows(cands: list[programmes.Candidate]) -> list[tuple]:
    return [(c.name, c.start, c.end, c.kind, c.kind_strength, c.score, c.reasons, c.components, c.parts)
            for c in cands]


PROSE = st.lists(st.sampled_from([*_pieces(), "“", "”", "“五在村”机制", "“我们要干”", "实施", "的",
                                  "“责任在村落实、组织在村建强、干部在村成长”", "。", "\n", "(一)",
                                  "“是什么”工程", "“我们要干、是什么、就是它”", "“十百千”", "即", "一是",
                                  "二是", "就是", "党建扶贫"]),
                  max_size=25).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=PROSE, title=st.one_of(st.none(), PROSE))
def test_lazy_clause_test_keeps_the_same_candidates(text: str, title: str | None) -> None:
    """find_programmes leaves the clause test of hopeless candidates undone: same result."""
    lazy = extractor.find_programmes(text, title, lazy=True)
    eager = extractor.find_programmes(text, title, lazy=False)
    assert _as_rows(lazy) == _as_rows(eager)
    assert not any(c.clause_pending for c in lazy)


def test_quoted_candidates_are_fully_scored() -> None:
    text = "他说:“我们就是要干”,“红色引擎”工程,“是不是”,“十百千”。"
    cands = programmes.quoted_candidates(text)
    assert not any(c.clause_pending for c in cands)
    assert cands[0].reasons[-1] == "clause-3"


def test_lazy_clause_test_settled_where_reasons_are_read() -> None:
    """A list of speech before a programme is not its components (its clause test is read)."""
    for text in ("“我们要干、是什么、就是它”的“十百千”工程。", "“我们要干、是什么、就是它”“十百千”工程。",
                 "“责任在村落实、组织在村建强、干部在村成长”的“三在村”机制。"):
        assert _as_rows(extractor.find_programmes(text, None, lazy=True)) == _as_rows(
            extractor.find_programmes(text, None, lazy=False))


@settings(max_examples=300, deadline=None)
@given(name=st.one_of(TEXT, NAMEY, st.text(max_size=20)))
def test_shape_parts_as_split_enumeration(name: str) -> None:
    shape = slogan.shape(name, DATA)
    parts = split_enumeration(name, DATA["enum_separators"])
    if not (len(parts) >= 2 and shape.numeric):  # (a numeric list is one slogan)
        assert list(shape.parts) == parts


@settings(max_examples=300, deadline=None)
@given(name=st.one_of(TEXT, NAMEY, st.text(max_size=20)))
def test_shape_as_computed_in_full(name: str) -> None:
    """The shortcuts of slogan.shape (plain names, names without separators) change nothing."""
    parts = split_enumeration(name, DATA["enum_separators"])
    is_enum = len(parts) >= 2
    numeric = all(map(_numeric_reference, parts)) if is_enum else _numeric_reference(name)
    if is_enum and numeric:
        parts, is_enum = [name], False
    plus = not is_enum and bool(DATA.plus_formula.match(name))
    shape = slogan.shape(name, DATA)
    assert (list(shape.parts), shape.is_enum, shape.numeric, shape.plus) == (parts, is_enum, numeric, plus)


HEADINGY = st.lists(st.sampled_from(list("\n \u3000\t(（)）一二十、五在村。a")), max_size=40).map("".join)


@settings(max_examples=500, deadline=None)
@given(text=HEADINGY)
def test_heading_test_same_as_line_start_search(text: str) -> None:
    ords = DATA["ordinal_chars"]
    want = components._heading_re(ords).search(text) is not None
    assert components._has_heading(text, ords) == want


def test_heading_test_examples() -> None:
    ords = DATA["ordinal_chars"]
    assert components._has_heading("（一）坚持精准扶贫", ords)  # on the first line
    assert components._has_heading("开篇。\n  二、产业扶贫", ords)  # after a break and spaces
    assert not components._has_heading("开篇，一、二", ords)  # not at a line start
    assert not components._has_heading("开篇\n\n三是落实", ords)
