"""The MinHash signature's two forms (numpy, plain Python) agree, and its constants are the generator's."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_ie.pipeline import minhash
from policy_ie.pipeline.minhash import NUM_PERM, SEED, _plain_signature, signature

STORY = ("本报讯 记者从县扶贫办获悉，今年全县投入专项扶贫资金3200万元，实施产业项目46个，"
         "带动建档立卡贫困户1800户增收，易地扶贫搬迁安置点建成住房620套，群众满意度明显提升。")


def test_the_kept_constants_are_those_of_the_seeded_generator() -> None:
    rng = np.random.default_rng(SEED)
    a = rng.integers(1, 2**63, size=(NUM_PERM, 1), dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, size=(NUM_PERM, 1), dtype=np.uint64)
    assert list(minhash._A_VALUES) == a.ravel().tolist()
    assert list(minhash._B_VALUES) == b.ravel().tolist()
    assert all(x % 2 == 1 for x in minhash._A_VALUES)


def test_the_plain_form_gives_the_numpy_values_on_an_article() -> None:
    plain = _plain_signature(STORY)
    assert plain is not None and len(plain) == NUM_PERM
    assert plain == signature(STORY)  # numpy is imported in this process: the numpy form
    assert all(0 <= v < 2**32 for v in plain)


def test_the_plain_form_is_none_below_the_shingle_minimum() -> None:
    assert _plain_signature("扶贫") is None
    assert _plain_signature("，。、 " * 100) is None


_CHARS = list("脱贫攻坚村县户元，。 、Aa1１😀\u3000\n\ud800")


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(_CHARS), max_size=300))
def test_the_plain_form_equals_the_numpy_form(text: str) -> None:
    assert _plain_signature(text) == signature(text)


LONG = "".join(f"第{i}批产业扶贫项目投入资金{i * 37}万元，带动{i * 11 + 5}户脱贫。" for i in range(120))


def test_a_text_of_several_blocks_has_the_plain_values() -> None:
    # more shingles than one block holds, the last block partly filled
    n = len(minhash._SKIP.sub("", LONG)) - minhash.SHINGLE + 1
    assert n > 2 * minhash._CHUNK and n % minhash._CHUNK
    assert signature(LONG) == _plain_signature(LONG)


def test_threads_each_have_their_own_block() -> None:
    from concurrent.futures import ThreadPoolExecutor

    texts = [LONG[k:] for k in range(0, 400, 10)]
    expected = [_plain_signature(t) for t in texts]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(signature, texts * 3))
    assert got == expected * 3
