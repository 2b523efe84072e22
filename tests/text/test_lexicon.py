"""policy_ie/text/lexicon.py: literal word lists as regex alternations; data files and their cache."""

from __future__ import annotations

import marshal
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policy_ie.text import lexicon
from policy_ie.text.lexicon import alternation, build_cache, load_data


def test_longest_word_first_and_literal() -> None:
    assert alternation(["全县", "全县域", "全县"]) == "全县域|全县"
    assert re.fullmatch(alternation(["5+2", "a.b"]), "5+2") and not re.fullmatch(alternation(["a.b"]), "axb")
    assert alternation([]) == ""


@given(st.lists(st.text(alphabet="全县村乡镇+.*", min_size=1, max_size=4), min_size=1, max_size=8),
       st.text(alphabet="全县村乡镇+.*", max_size=12))
def test_a_match_at_a_place_is_the_longest_word_there(words: list[str], text: str) -> None:
    pattern = re.compile(alternation(words))
    for i in range(len(text)):
        m = pattern.match(text, i)
        there = [w for w in words if text.startswith(w, i)]
        assert (m.group() if m else None) == (max(there, key=len) if there else None)


_DATA = "# 数据\ncues: [减少到, 下降到]\nbounds: {min: 1, max: 2.5}\nflag: true\nnothing: null\n"


@pytest.fixture
def cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data file, and a cache of it in use."""
    (tmp_path / "data").mkdir()
    path = tmp_path / "data" / "cues.yaml"
    path.write_text(_DATA, encoding="utf-8")
    monkeypatch.setattr(lexicon, "CACHE", tmp_path / "parsed.cache")
    assert build_cache([tmp_path / "data"]) == 1
    lexicon._cached.cache_clear()
    yield path
    lexicon._cached.cache_clear()


def test_the_cache_gives_what_parsing_gives_a_fresh_copy_each_time(cached: Path) -> None:
    first = load_data(cached)
    assert first == {"cues": ["减少到", "下降到"], "bounds": {"min": 1, "max": 2.5}, "flag": True, "nothing": None}
    assert list(first) == ["cues", "bounds", "flag", "nothing"]  # the file's order
    assert type(first["bounds"]["min"]) is int and type(first["bounds"]["max"]) is float
    first["cues"].append("x")
    assert load_data(cached)["cues"] == ["减少到", "下降到"]
    entry = lexicon._cached()[str(cached.resolve())]
    assert entry[0] == cached.read_bytes() and marshal.loads(entry[1]) == load_data(cached)


def test_a_changed_file_is_parsed_again_with_its_errors(cached: Path) -> None:
    cached.write_text(_DATA.replace("减少到", "降至"), encoding="utf-8")
    assert load_data(cached)["cues"] == ["降至", "下降到"]
    cached.write_text(_DATA + "flag: false\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"cues.yaml: duplicate key 'flag' at line 6"):
        load_data(cached)


def test_files_that_do_not_parse_are_left_out_and_a_broken_cache_is_ignored(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bad.yaml").write_text("a: 1\na: 2\n", encoding="utf-8")
    (tmp_path / "list.yaml").write_text("- 1\n", encoding="utf-8")
    (tmp_path / "good.yaml").write_text("a: 1\n", encoding="utf-8")
    monkeypatch.setattr(lexicon, "CACHE", tmp_path / "parsed.cache")
    assert build_cache([tmp_path]) == 1
    lexicon.CACHE.write_bytes(b"not marshal")
    lexicon._cached.cache_clear()
    try:
        assert load_data(tmp_path / "good.yaml") == {"a": 1}
    finally:
        lexicon._cached.cache_clear()


def test_with_a_cache_of_every_file_yaml_is_not_imported(tmp_path: Path) -> None:
    cache = tmp_path / "parsed.cache"
    child = ("import sys\nfrom pathlib import Path\nfrom policy_ie.text import lexicon\n"
             "lexicon.CACHE = Path(sys.argv[1])\n"
             "lexicon.build_cache([Path(lexicon.__file__).parent / 'data'])\n"
             "assert 'yaml' in sys.modules\n"
             "for m in [m for m in sys.modules if m.split('.')[0] == 'yaml']:\n    del sys.modules[m]\n"
             "lexicon._loader.cache_clear(); lexicon._cached.cache_clear()\n"
             "from policy_ie.text import clean, punctuation\n"
             "clean.rules(); punctuation.chars('word_stretch_separators')\n"
             "print('yaml' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", child, str(cache)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
