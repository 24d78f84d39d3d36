"""Baseline aligners for ``benchmarks/alignment.py``: Gale–Church (sentence length only).

Written here from the 1993 paper's definitions (not from nltk or any peer code): the cost of
a bead is ``-log P(delta) - log P(shape)`` where ``delta`` compares character lengths under
a normal model (c = 1, s^2 = 6.8), searched with the same dynamic program as our aligner.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from align.dp import NEG, decode
from align.types import Bead

PRIORS = {(0, 1): 0.0099, (1, 0): 0.0099, (1, 1): 0.89, (1, 2): 0.089, (2, 1): 0.089,
          (2, 2): 0.011}
C, S2 = 1.0, 6.8


def _norm_sf(x: np.ndarray) -> np.ndarray:
    erfc = np.vectorize(math.erfc, otypes=[float])
    return 0.5 * erfc(x / math.sqrt(2))


def gale_church(en: Sequence[str], ru: Sequence[str]) -> list[Bead]:
    """Length-only alignment of two sentence lists (full search: baseline sizes are small)."""
    n, m = len(en), len(ru)
    if n == 0 or m == 0:
        return [Bead((i,), ()) for i in range(n)] + [Bead((), (j,)) for j in range(m)]
    le = np.array([len(s) for s in en], float)
    lr = np.array([len(s) for s in ru], float)
    pe = np.concatenate([[0], np.cumsum(le)])
    pr = np.concatenate([[0], np.cumsum(lr)])
    types = [(0, 1), (1, 1), (1, 2), (2, 1), (2, 2)]
    W = n + 1
    lo = np.zeros(m + 1, dtype=np.int64)
    S = np.full((m + 1, len(types), W), NEG, dtype=np.float32)
    i_end = np.arange(W)[None, :]
    j_end = np.arange(m + 1)[:, None]
    for t, (a, b) in enumerate(types):
        ok = (i_end >= a) & (j_end >= b)
        ie = np.clip(i_end, a, n)
        jb = np.clip(j_end, b, m)
        ls = pe[ie] - pe[ie - a]
        lt = pr[jb] - pr[jb - b]
        mean = (ls + lt / C) / 2
        delta = (lt - ls * C) / np.sqrt(np.maximum(mean, 1) * S2)
        pd = np.maximum(2 * _norm_sf(np.abs(delta)), 1e-12)
        score = np.log(pd) + math.log(PRIORS[(a, b)])
        if (a, b) == (0, 1):
            score = np.full(score.shape, math.log(PRIORS[(a, b)]) + math.log(1e-3))
        S[:, t] = np.where(ok, score, NEG)
    skip = np.full(n, math.log(PRIORS[(1, 0)]) + math.log(1e-3), dtype=np.float32)
    beads, _ = decode(S, types, skip, lo, W, n, m, posteriors=False)
    return [Bead(s, t, 1.0) for s, t, _p in beads]
