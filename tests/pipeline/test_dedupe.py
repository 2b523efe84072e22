"""Near-duplicate detection: signatures, the band index against datasketch, and marking."""

from __future__ import annotations

import numpy as np
import pytest
from datasketch import LeanMinHash, MinHashLSH
from hypothesis import given
from hypothesis import strategies as st

from policy_ie.pipeline.dedupe import BANDS, NUM_PERM, ROWS, THRESHOLD, BandIndex, Deduplicator, band_keys, signature
from policy_ie.text.document import Document

STORY = ("近年来，某县坚持把党建工作与脱贫攻坚深度融合，全县贫困人口由3.2万人减少到1200人，"
         "累计投入扶贫资金1.45亿元，实施扶贫项目232个，选派第一书记128名，"
         "贫困发生率由12.5%下降到0.8%。“五个一批”扎实推进，群众获得感不断增强。")
OTHER = ("今年以来，另一县依托特色产业，带动贫困户增收，建成扶贫车间45个，吸纳就业2300人，"
         "发放小额信贷8000万元，易地扶贫搬迁安置点配套完善，搬迁群众稳得住、能致富。")


def doc(ident: str, text: str) -> Document:
    d = Document(id=ident, path=f"{ident}.txt", text=text)
    d.signature = signature(text)
    return d


def test_banding_is_datasketchs_choice_for_the_threshold() -> None:
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    assert (lsh.b, lsh.r) == (BANDS, ROWS)


def test_signature_is_none_for_short_texts_and_ignores_punctuation_and_spaces() -> None:
    assert signature("脱贫攻坚") is None
    assert signature(STORY) == signature(STORY.replace("，", " ， "))
    assert len(signature(STORY) or []) == NUM_PERM


def test_an_edited_copy_is_marked_with_its_original_and_other_stories_are_not() -> None:
    dedup = Deduplicator()
    out = [dedup.mark(d) for d in (doc("a", STORY), doc("b", OTHER), doc("c", STORY + "（完）"),
                                   doc("d", "某日报讯 " + STORY))]
    assert [d.duplicate_of for d in out] == [None, None, "a", "a"]


def test_the_best_match_wins_and_the_earliest_on_a_tie() -> None:
    dedup = Deduplicator()
    first, second = doc("x1", STORY), doc("x2", STORY)
    dedup.mark(first)
    dedup.mark(Document(id="x1", path="", text=""))  # no signature: ignored
    assert dedup.mark(second).duplicate_of == "x1"  # the same text again is a copy of the first
    assert dedup.mark(doc("x3", STORY)).duplicate_of == "x1"


def _random_signatures(n: int, seed: int) -> list[list[int]]:
    """Signatures with planted relatives: each shares some bands with an earlier one."""
    rng = np.random.default_rng(seed)
    sigs = rng.integers(0, 2**32, size=(n, NUM_PERM), dtype=np.uint64)
    for i in range(1, n):
        if rng.random() < 0.3:
            j = int(rng.integers(0, i))
            shared = rng.random(BANDS) < 0.5
            for b in np.flatnonzero(shared):
                sigs[i, b * ROWS:(b + 1) * ROWS] = sigs[j, b * ROWS:(b + 1) * ROWS]
    return [[int(v) for v in row] for row in sigs]


@pytest.mark.parametrize("tail", [BANDS * 3, BandIndex.TAIL])
def test_band_index_finds_the_candidates_datasketch_finds(tail: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # a small tail makes many sorted runs and merges; the default keeps everything in the tail
    monkeypatch.setattr(BandIndex, "TAIL", tail)
    sigs = _random_signatures(600, seed=tail)
    ours = BandIndex()
    theirs = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    for i, sig in enumerate(sigs):
        mh = LeanMinHash(seed=1, hashvalues=np.asarray(sig, dtype=np.uint64), scheme="affine32")
        assert ours.lookup(band_keys(sig)) == set(theirs.query(mh)), i
        ours.add(band_keys(sig), i)
        theirs.insert(i, mh)
    assert len(ours._runs) <= 2 + max(0.0, np.log2(600 * BANDS / tail))


@given(st.lists(st.integers(0, 2**32 - 1), min_size=NUM_PERM, max_size=NUM_PERM))
def test_band_keys_are_one_per_band_and_depend_only_on_the_band(sig: list[int]) -> None:
    keys = band_keys(sig)
    assert len(keys) == BANDS and all(-(2**63) <= k < 2**63 for k in keys)
    changed = sig[:]
    changed[-1] ^= 1  # beyond the bands' values (BANDS * ROWS < NUM_PERM)
    assert band_keys(changed) == keys
    changed[0] ^= 1
    assert band_keys(changed)[1:] == keys[1:]


def test_signature_takes_lone_surrogates_and_astral_characters() -> None:
    # JSON escapes can put a lone surrogate in a text; emoji are beyond the BMP lookup table
    with_surrogate = signature("\ud800" + STORY)
    assert with_surrogate is not None and len(with_surrogate) == NUM_PERM
    assert signature("😀" + STORY) == signature(STORY)  # a symbol, removed like punctuation


@given(st.text(alphabet=st.sampled_from(list("脱贫攻坚，。 、Aa1１😀\u3000\n")), min_size=0, max_size=200))
def test_signature_drops_exactly_what_the_skip_pattern_drops(text: str) -> None:
    from policy_ie.pipeline.dedupe import _SKIP, _core_codes

    assert "".join(map(chr, _core_codes(text).tolist())) == _SKIP.sub("", text)


def test_kept_characters_are_those_the_pattern_keeps() -> None:
    from policy_ie.pipeline import dedupe as D

    kept = D._kept()
    assert kept.shape == (0x10000,)
    want = [D._SKIP.match(chr(c)) is None for c in range(0x10000)]
    assert kept.tolist() == want
    assert kept[ord("村")] and kept[ord("5")] and not kept[ord("，")] and not kept[ord(" ")]
