"""Build the start-up caches of ``policy_ie/cache/`` (``make install`` runs this).

``python -m policy_ie.pipeline.startup_caches`` writes, from the installed files:

* the regular expressions' compiled programs (:mod:`policy_ie.text.pattern_cache`),
  recorded while extracting :data:`SAMPLE`: first, in this fresh process, so that the
  patterns compiled when the modules load are recorded too;
* the parsed data files (:func:`policy_ie.text.lexicon.build_cache`);
* the index of jieba's dictionary with the domain words
  (:mod:`policy_ie.extractors.dictionary_index`).

Each is checked when read (the Python, the files' bytes, the dictionaries it was built from)
and ignored when it no longer fits: run this again after changing the data files, the domain
dictionary or the gazetteer, or after upgrading Python, jieba or rjieba, to keep the start quick.
"""

from __future__ import annotations

import sys
from pathlib import Path

from policy_ie.text import pattern_cache

#: articles in the genre's style, written for this: extracting them compiles the patterns
SAMPLE = [
    "柳河县扶贫办消息：县委书记王海峰说，2019年全县贫困人口由5200人减少到300人，贫困发生率降至0.6%。"
    "村里实施“三带三促”工程和“五在村”机制，投入资金1.2亿元，建成扶贫车间12个。",
    "新华社北京1月31日电（记者李明）近年来，某省累计减贫120万人，建档立卡贫困户人均纯收入达到8600元，"
    "较上年增长12.5%。截至2020年底，全省32个贫困县全部摘帽，选派第一书记2100名。",
]


def _extract_sample() -> None:
    from policy_ie.pipeline.api import extract

    for text in SAMPLE:
        extract(text)


def data_folders() -> list[Path]:
    """The folders of the data files (``*.yaml``) of the three layers."""
    from policy_ie.extractors import dictionary_index

    return [Path(pattern_cache.__file__).parent / "data", Path(dictionary_index.__file__).parent / "data",
            Path(__file__).resolve().parent]


def main() -> None:
    """Build the three caches; exit with the reason when the dictionary index cannot be built."""
    print(f"wrote {pattern_cache.CACHE} ({pattern_cache.build(_extract_sample)} patterns)")
    from policy_ie.extractors import dictionary_index
    from policy_ie.extractors.words import _rjieba_class, user_dictionary
    from policy_ie.text.lexicon import CACHE, build_cache

    print(f"wrote {CACHE} ({build_cache(data_folders())} data files)")
    try:
        dictionary_index.build([(e.word, e.freq, e.pos) for e in user_dictionary()], _rjieba_class())
    except (ValueError, FileNotFoundError) as exc:
        sys.exit(f"dictionary index: {exc}")
    print(f"wrote {dictionary_index.INDEX} ({dictionary_index.INDEX.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
