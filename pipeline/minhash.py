"""MinHash signatures of articles, for near-duplicate marking (:mod:`policy_ie.pipeline.dedupe`).

A signature is ``NUM_PERM`` values: a polynomial hash of each character 5-gram of the text's
letters, digits and Han characters, then ``NUM_PERM`` multiply-shift hash functions, keeping
each one's minimum (the top 32 bits). The numpy form does it for all shingles at once; a
plain Python form gives the same values and spares a cold start over a short article the
import of numpy (:mod:`policy_ie.text.numpy_gate`). The hash functions' parameters were
drawn once from numpy's ``default_rng(SEED)`` and are kept here as numbers, so the plain
form needs no numpy (a test checks them against the generator).
"""

from __future__ import annotations

import threading
from functools import cache
from typing import TYPE_CHECKING

import regex

from policy_ie.text.numpy_gate import use_numpy

if TYPE_CHECKING:
    import numpy as np

NUM_PERM = 64
SHINGLE = 5
#: Texts with fewer shingles than this are too short to call copies of anything.
MIN_SHINGLES = 40
_SKIP = regex.compile(r"[\s\p{P}\p{S}]+")
_SKIP_ONE = regex.compile(r"[\s\p{P}\p{S}]")  # one character of _SKIP
SEED = 20240601
_BASE = 1_000_003
_MASK = (1 << 64) - 1
#: shingles hashed at a time: a block of NUM_PERM x _CHUNK values (512 KB) stays in the
#: processor's cache and is reused for every block of every article (:func:`_block`)
_CHUNK = 1 << 10
_local = threading.local()  # each thread's block (dask's workers may run several threads)

#: multipliers (odd) and offsets of the hash functions: ``default_rng(SEED)``'s
#: ``integers(1, 2**63, (NUM_PERM, 1), uint64) | 1`` then ``integers(0, 2**63, (NUM_PERM, 1), uint64)``
_A_VALUES: tuple[int, ...] = (
    7303262501858220635, 5357558118210649611, 3826419685024583137, 8734871106849627873,
    1316584929264403867, 4280620664116244299, 5522406374059259723, 4986902714000920953,
    7295080678047429149, 6751047337261536087, 3330086809695576629, 1366351756144491943,
    6900172741257479553, 8980265560896195761, 8795678902858022859, 7306312299875110047,
    438812997929846945, 1747063726246759985, 5513963931901714673, 74072663083125245,
    6531780064246895219, 3273828153630351777, 376219077113640431, 1411893654539259523,
    2217593618342151617, 209521920052949899, 4621844712803235025, 5777749548831238531,
    871894777997998511, 1414777036877438663, 8526559995643848521, 6212786738913309397,
    1565644951829579329, 2296578422224031753, 29795145022676373, 7824134424773897939,
    3754991575690431733, 2177517559164143117, 6197644585633338415, 8265864135810468125,
    8895014327026513797, 2743197622546173953, 2298772304996715609, 4942560547665755277,
    4056361362230967587, 3152742103395392391, 8164056786202556657, 797843431839278871,
    7287612610558676475, 2488686265906421697, 2713875871025374671, 6336282953467930575,
    6101702776176328711, 656382709762672233, 2375699133832802945, 1146563062798080903,
    5495614516302325873, 3992591509802459537, 9160127486237514433, 5610770099540936471,
    3576337251554416227, 6549178844983249301, 7441750301588961625, 8596636587588724351,
)
_B_VALUES: tuple[int, ...] = (
    3448972779641391560, 8965420498470260237, 7989194376074982676, 8937812881355747853,
    6896442487274679879, 1604436149889588036, 6333753158971890644, 8027103940982658816,
    3812955580211311126, 8311437209297450149, 7190748366940930823, 5654494872833071431,
    5657873512430843751, 8956150830801206307, 2261475971885826263, 1129598541614047438,
    875949684650723987, 2443082477486050049, 1849788716198024684, 4518803691175947163,
    8401747067832202177, 3736634122066450653, 8466440594918526469, 85485068715344408,
    4632932475619305956, 6366575169726641062, 6091658606296987899, 7723745689087531512,
    9061384870659619131, 5945507637015282730, 7265285973053463337, 7994688075443094485,
    5124659975803424587, 5835026001709305273, 1686233611019454563, 3316689661337754766,
    7920700494265250851, 6731035476698000461, 4713974900590603225, 8319848685899268278,
    6324342823797818512, 2565981609216308743, 9161974618678338427, 6970464449682166172,
    5149625890140490037, 6825750221335188933, 3439998848313587951, 166719137982316577,
    8235842655407516554, 6586614814634275148, 6794995169604643574, 8312702632511167325,
    933009053711500263, 5681463660569303640, 4340064577918627353, 530395287801329381,
    3221428122599727381, 2765425142930723690, 81907602379573321, 4535838703865032264,
    2054582748006439722, 39356798979515117, 6085446441649358018, 6355472256995004728,
)


@cache
def _arrays() -> tuple[np.ndarray, np.ndarray]:
    """The hash functions' parameters as numpy columns (the numpy form only)."""
    import numpy as np

    return (np.array(_A_VALUES, dtype=np.uint64).reshape(-1, 1),
            np.array(_B_VALUES, dtype=np.uint64).reshape(-1, 1))


@cache
def _kept() -> np.ndarray:
    """For every code point of the Basic Multilingual Plane, whether a signature keeps it
    (not a space, punctuation or symbol: exactly what ``_SKIP`` removes). One pass of the
    pattern over all of them, each it removes made a space (itself removed): a third of the
    time of asking of each character (start-up time)."""
    import numpy as np

    marked = _SKIP_ONE.sub(" ", "".join(map(chr, range(0x10000))))
    return np.frombuffer(marked.encode("utf-32-le", "surrogatepass"), dtype=np.uint32) != ord(" ")


def _core_codes(text: str) -> np.ndarray:
    """The code points of ``text`` without spaces, punctuation and symbols."""
    import numpy as np

    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if codes.size and int(codes.max()) >= 0x10000:  # astral characters: the regex decides
        core = _SKIP.sub("", text)
        return np.frombuffer(core.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return codes[_kept()[codes]]


def signature(text: str) -> list[int] | None:
    """MinHash signature of ``text`` (its letters, digits and Han characters), or None if short.

    Vectorised with numpy rather than datasketch's per-shingle hashing, which would cost as
    much as segmenting the text. Repeated shingles are hashed again rather than removed
    first: they change no minimum, and sorting them out (``np.unique``) costs more than
    hashing them. The shingles' hashes are hashed ``_CHUNK`` at a time into one block kept
    for the thread (:func:`_block`): a new array of every article's size cost as much again
    in memory traffic and page faults as the arithmetic. The shift to the top 32 bits is
    applied to the minima only (it keeps order, so the minimum of the shifted values is the
    shifted minimum). A short text in a process that has not imported numpy takes
    :func:`_plain_signature` (the same values).
    """
    if not use_numpy(len(text)):
        return _plain_signature(text)
    import numpy as np

    codes = _core_codes(text).astype(np.uint64)
    n = len(codes) - SHINGLE + 1
    if n < MIN_SHINGLES:
        return None
    a_col, b_col = _arrays()
    base = np.uint64(_BASE)
    h = codes[:n].copy()  # the polynomial hash of each shingle, one character at a time
    block = _block()
    with np.errstate(over="ignore"):
        for k in range(1, SHINGLE):
            h *= base
            h += codes[k:k + n]
        mins = np.empty(NUM_PERM, dtype=np.uint64)
        for a in range(0, n, _CHUNK):  # bounded memory for a multi-megabyte article
            part = h[a:a + _CHUNK]
            hv = block[:NUM_PERM * len(part)].reshape(NUM_PERM, len(part))
            np.multiply(a_col, part, out=hv)
            hv += b_col
            if a:
                np.minimum(mins, hv.min(axis=1), out=mins)
            else:
                hv.min(axis=1, out=mins)
    mins >>= np.uint64(32)
    return mins.tolist()


def _block() -> np.ndarray:
    """This thread's scratch block of ``NUM_PERM * _CHUNK`` 64-bit values (made once)."""
    block = getattr(_local, "block", None)
    if block is None:
        import numpy as np

        block = _local.block = np.empty(NUM_PERM * _CHUNK, dtype=np.uint64)
    return block


def _plain_signature(text: str) -> list[int] | None:
    """:func:`signature` in plain Python (arithmetic modulo 2**64 as numpy's uint64 wraps)."""
    codes = [ord(c) for c in _SKIP.sub("", text)]
    n = len(codes) - SHINGLE + 1
    if n < MIN_SHINGLES:
        return None
    hashes = [0] * n
    for k in range(SHINGLE):
        hashes = [(h * _BASE + c) & _MASK for h, c in zip(hashes, codes[k:k + n], strict=True)]
    return [min([(a * h + b) & _MASK for h in hashes]) >> 32
            for a, b in zip(_A_VALUES, _B_VALUES, strict=True)]
