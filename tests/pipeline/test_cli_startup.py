"""A cold ``policy-ie extract`` of one short article loads only what the article needs (issue 18).

The heavy modules each cost a noticeable share of a one-article run: Python jieba's
dictionary (0.6 s) and jieba itself (0.2 s, with pkg_resources), the process pool
(multiprocessing), the readers of other kinds of file (warcio, pyarrow, charset-normalizer,
selectolax), pandas and spaCy; numpy (a short text takes the plain forms of
``policy_ie/text/numpy_gate.py``) and pydantic (typer's checks of option values, see
``pipeline/cli_coerce.py``); the cache's sqlite3, which only a build with a cache
needs; and rjieba's whole dictionaries, with or without the domain words (0.13 s each):
with an index of them (``extractors/dictionary_index.py``, built here into a temporary
folder) the few words the article needs are looked up; and PyYAML, with the data files
parsed in a cache (``policy_ie/text/lexicon.py``, built here too). The article below names a county
by its short form, an official (his name is tagged) and has quoted names that hold clause
markers (是, 要), so the clause test's segmentation runs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from policy_ie.extractors import dictionary_index
from policy_ie.extractors.words import _rjieba_class, user_dictionary
from policy_ie.pipeline.startup_caches import data_folders
from policy_ie.text.lexicon import build_cache

HEAVY = ("jieba", "pkg_resources", "multiprocessing", "warcio", "pyarrow", "charset_normalizer",
         "selectolax", "pandas", "spacy", "rjieba",  # rjieba: its package, not its extension
         "numpy", "pydantic", "pydantic_core", "sqlite3",
         "yaml")  # the data files come parsed from their cache

ARTICLE = ("柳河扶贫办消息：县委书记王海峰说，今年全县贫困人口减少到1200人。"
           "村里实施“要干就干好”工程和“是什么”工程，推行“五在村”机制。\n")

_CHILD = ("import json, sys\nfrom pathlib import Path\n"
          "from policy_ie.extractors import dictionary_index\n"
          "dictionary_index.INDEX = Path(sys.argv[2])\n"
          "from policy_ie.text import lexicon\n"
          "lexicon.CACHE = Path(sys.argv[3])\n"
          "from policy_ie.pipeline.cli import main\n"
          "sys.argv = ['policy-ie', 'extract', sys.argv[1]]\n"
          "try:\n    main()\nexcept SystemExit:\n    pass\n"
          "from policy_ie.extractors import words\n"
          "from policy_ie.extractors.programmes import segment\n"
          "full = [words._rjieba.cache_info().currsize, words.plain_rjieba.cache_info().currsize]\n"
          "sys.stderr.write(json.dumps([sorted(sys.modules), segment._words.cache_info().misses, full]))\n")


def test_one_article_loads_nothing_heavy(tmp_path: Path) -> None:
    path = tmp_path / "one.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    index = tmp_path / "jieba_dict.index"
    dictionary_index.build([(e.word, e.freq, e.pos) for e in user_dictionary()], _rjieba_class(), out=index)
    parsed = tmp_path / "parsed_yaml.cache"
    build_cache(data_folders(), parsed)
    res = subprocess.run([sys.executable, "-c", _CHILD, str(path), str(index), str(parsed)], capture_output=True,
                         text=True, check=True)
    record = json.loads(res.stdout.splitlines()[0])
    assert record["id"] == "one" and record["metrics"]  # the article was extracted
    modules, segmented, full = json.loads(res.stderr.splitlines()[-1])
    loaded = set(modules)
    assert segmented >= 1  # the clause test cut quoted names
    assert record["people"]  # words tagged (the official's name)
    assert full == [0, 0]  # neither of rjieba's whole dictionaries was loaded
    assert "rjieba.rjieba" in loaded  # the segmenter's extension, loaded alone
    assert not {m for m in loaded if m.split(".")[0] in HEAVY and m != "rjieba.rjieba"}
