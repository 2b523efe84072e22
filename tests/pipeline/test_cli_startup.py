"""A cold ``policy-ie extract`` of one short article loads only what the article needs (issue 18).

The heavy modules each cost a noticeable share of a one-article run: Python jieba's
dictionary (0.6 s) and jieba itself (0.2 s, with pkg_resources), the process pool
(multiprocessing), the readers of other kinds of file (warcio, pyarrow, charset-normalizer,
selectolax), pandas and spaCy. The article below names a county by its short form and has
quoted names that hold clause markers (是, 要), so the clause test's segmentation runs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("jieba", "pkg_resources", "multiprocessing", "warcio", "pyarrow", "charset_normalizer",
         "selectolax", "pandas", "spacy", "rjieba")  # rjieba: its package, not its extension

ARTICLE = "柳河扶贫办消息：今年全县贫困人口减少到1200人。村里实施“要干就干好”工程和“是什么”工程，推行“五在村”机制。\n"

_CHILD = ("import json, sys\nfrom policy_ie.pipeline.cli import main\n"
          "sys.argv = ['policy-ie', 'extract', sys.argv[1]]\n"
          "try:\n    main()\nexcept SystemExit:\n    pass\n"
          "from policy_ie.extractors.programmes import segment\n"
          "sys.stderr.write(json.dumps([sorted(sys.modules), segment._words.cache_info().misses]))\n")


def test_one_article_loads_nothing_heavy(tmp_path: Path) -> None:
    path = tmp_path / "one.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    res = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True, check=True)
    record = json.loads(res.stdout.splitlines()[0])
    assert record["id"] == "one" and record["metrics"]  # the article was extracted
    modules, segmented = json.loads(res.stderr.splitlines()[-1])
    loaded = set(modules)
    assert segmented >= 1  # the clause test cut quoted names
    assert "rjieba.rjieba" in loaded  # the segmenter's extension, loaded alone
    assert not {m for m in loaded if m.split(".")[0] in HEAVY and m != "rjieba.rjieba"}
