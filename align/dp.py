"""The dynamic program of the aligner: banded Viterbi and forward-backward over a score tensor.

Scores in, beads out; nothing here knows where the scores come from (it imports nothing of
``align``), so the aligner, the perceptron that trains its weights and the baselines of the
benchmark all decode with this one program, and its tests feed it hand-made tensors.

The tensor: ``S[j, t, k]`` is the log-score of a bead of shape ``types[t]`` (English, Russian
sentence counts) that *ends* at English prefix ``lo[j] + k`` and Russian prefix ``j``. Row ``j``
covers English prefixes ``lo[j] .. lo[j] + W - 1`` (the band; ``W = n + 1`` and ``lo = 0`` is
the whole grid). The 1-0 bead (an unlinked English sentence) is not in ``S``: its score is
``skip_en[i - 1]`` for English sentence ``i - 1``. Cells outside the band or impossible hold
``NEG``.

The program runs row by row (one row per Russian prefix), vectorized with numpy: each row is one
gather over all bead shapes plus a running maximum (or running log-sum-exp) for the 1-0 beads
inside the row.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

# "Impossible": far below any real path score, yet finite, so sums of a few stay finite.
NEG = np.float32(-1e30)
# Stored rows of the forward tables are padded by PAD cells each side, so that a gather from
# the previous row at an offset of up to PAD (the largest bead side, 3, plus the band's shift
# between rows clipped into it) lands on a NEG cell instead of wrapping into another row.
PAD = 4
# Rows of the forward pass whose gather indices are built at once: bounds the index arrays
# (rows x shapes x W) to a few MB on long documents while keeping numpy calls few.
ROWS_AT_ONCE = 1024


def decode(S: np.ndarray, types: Sequence[tuple[int, int]], skip_en: np.ndarray,
            lo: np.ndarray, W: int, n: int, m: int, posteriors: bool = True):
    """Best path and its beads' posteriors. ``S[j, t, k]``: log-score of a bead of shape
    ``types[t]`` ending at English prefix ``lo[j] + k`` and Russian prefix ``j``."""
    V, bpt, direct, F = _forward(S, types, skip_en, lo, W, n, m, viterbi=True, sums=posteriors)
    path = _backtrace(V, bpt, direct, types, lo, n, m)
    touches = []
    if W < n + 1:
        for idx, (_s, _t, i, j, _ty) in enumerate(path):
            k = i - lo[j]
            if (k <= 0 and lo[j] > 0) or (k >= W - 1 and lo[j] + W - 1 < n):
                touches.append(idx)
    if not posteriors:
        return [(s, t, 1.0) for s, t, _i, _j, _ty in path], touches
    # backward = forward over the reversed problem
    rlo = n - lo[::-1] - W + 1
    Sr = _reverse_scores(S, types, lo, W, n, m, rlo)
    _, _, _, Fr = _forward(Sr, types, skip_en[::-1].copy(), rlo, W, n, m, viterbi=False,
                           sums=True)
    Z = _at(F, lo, W, n, m)
    out = []
    for src, tgt, i, j, t in path:
        a, b = len(src), len(tgt)
        if t < 0:
            score = skip_en[i - 1]
        else:
            score = S[j, t, i - lo[j]]
        before = _at(F, lo, W, i - a, j - b)
        after = _at(Fr, rlo, W, n - i, m - j)
        post = float(np.exp(min(before + score + after - Z, 0.0)))
        out.append((src, tgt, post))
    return out, touches


def _at(F: np.ndarray, lo: np.ndarray, W: int, i: int, j: int) -> float:
    k = i - lo[j]
    if 0 <= k < W:
        return float(F[j, k + PAD])
    return float(NEG)


def _reverse_scores(S: np.ndarray, types: Sequence[tuple[int, int]], lo: np.ndarray, W: int,
                    n: int, m: int, rlo: np.ndarray) -> np.ndarray:
    Sr = np.full_like(S, NEG)
    ar = np.arange(W)
    jr = np.arange(m + 1)
    for t, (a, b) in enumerate(types):
        J = m - jr + b  # original end row
        I = n - (rlo[:, None] + ar[None, :]) + a
        okj = J <= m
        Jc = np.minimum(J, m)
        K = I - lo[Jc][:, None]
        ok = okj[:, None] & (K >= 0) & (K < W) & (I <= n) & (jr[:, None] >= b) & (
            rlo[:, None] + ar[None, :] >= a)
        vals = np.full((m + 1, W), NEG, dtype=np.float32)
        jj = np.broadcast_to(Jc[:, None], K.shape)
        vals[ok] = S[jj[ok], t, K[ok]]
        Sr[:, t] = vals
    return Sr


def _forward(S: np.ndarray, types: Sequence[tuple[int, int]], skip_en: np.ndarray,
             lo: np.ndarray, W: int, n: int, m: int, viterbi: bool, sums: bool):
    """Row-by-row forward pass. ``S[j, t, k]`` scores a bead of ``types[t]`` ending at
    (``lo[j] + k``, ``j``). Returns Viterbi scores with back-pointers (``bpt``: best bead
    shape; ``direct``: False where the best way in is a 1-0 bead from the left) and/or
    forward log-sums ``F``. Stored rows are padded by ``PAD`` cells each side; cells past the
    document's end hold junk that no valid path reads."""
    width = W + 2 * PAD
    size = (m + 1) * width
    V = np.full(size + 1, NEG, dtype=np.float64) if viterbi else None  # +1: sentinel
    F = np.full(size + 1, NEG, dtype=np.float64) if sums else None
    bpt = np.zeros((m + 1, W), dtype=np.int8) if viterbi else None
    direct = np.ones((m + 1, W), dtype=bool) if viterbi else None
    # 1-0 beads inside a row: reaching cell k of row j through a run of 1-0 beads from cell
    # k' <= k costs skip_en[k'] + ... + skip_en[k - 1] = cum[k] - cum[k'] (prefix sums of the
    # skip costs). So, with g[k'] the best score of cell k' by any other bead,
    #     V[k] = max over k' <= k of (g[k'] + cum[k] - cum[k'])
    #          = cum[k] + running maximum of (g - cum) up to k,
    # one np.maximum.accumulate over the row instead of a loop over cells; where the running
    # maximum is the cell's own value, the best way in is direct (not from the left). The
    # forward sums do the same with np.logaddexp.accumulate. ``cs`` is ``cum`` at each cell's
    # English prefix (clipped: cells past the end hold junk no path reads).
    cum = np.concatenate([[0.0], np.cumsum(skip_en, dtype=np.float64)])
    ar = np.arange(W)
    tb = np.array([b for _a, b in types])
    ta = np.array([a for a, _b in types])
    for r0 in range(0, m + 1, ROWS_AT_ONCE):
        r1 = min(r0 + ROWS_AT_ONCE, m + 1)
        rows = np.arange(r0, r1)
        cs = cum[np.clip(lo[rows][:, None] + ar[None, :], 0, n)]
        # Where each (row, bead shape, cell) comes from: row j - b, cell k + lo[j] - lo[j - b]
        # - a, as an index into the flat padded table; a shift beyond the padding is clipped
        # onto a NEG pad cell, and a row before the first points at the NEG sentinel (size).
        prev = rows[:, None] - tb[None, :]
        pr = np.maximum(prev, 0)
        shift = lo[rows][:, None] - lo[pr] - ta[None, :]
        col = np.clip(ar[None, None, :] + shift[:, :, None], -PAD, W + PAD - 1) + PAD
        idx = pr[:, :, None] * width + col
        idx[np.broadcast_to((prev < 0)[:, :, None], idx.shape)] = size
        for j in range(r0, r1):
            r = j - r0
            sj = S[j]
            csj = cs[r]
            out = j * width + PAD
            if j == 0:
                start = np.where(lo[0] + ar == 0, 0.0, NEG)
                if viterbi:
                    v = start - csj
                    V[out:out + W] = np.maximum.accumulate(v) + csj
                if sums:
                    F[out:out + W] = np.logaddexp.accumulate(start - csj) + csj
                continue
            ij = idx[r]
            if viterbi:
                g = V[ij] + sj
                arg = g.argmax(0)
                v = g.max(0) - csj
                run = np.maximum.accumulate(v)
                direct[j] = v >= run
                bpt[j] = arg
                V[out:out + W] = run + csj
            if sums:
                g2 = F[ij] + sj
                mx = g2.max(0)  # log-sum-exp over bead shapes, shifted by the max: no overflow
                cand = mx + np.log(np.exp(g2 - mx).sum(0))
                F[out:out + W] = np.logaddexp.accumulate(cand - csj) + csj
    Vr = V[:size].reshape(m + 1, width) if viterbi else None
    Fr = F[:size].reshape(m + 1, width) if sums else None
    return Vr, bpt, direct, Fr


def _backtrace(V, bpt, direct, types, lo, n, m):
    """Beads of the best path as (src, tgt, i_end, j_end, type index; -1 for 1-0)."""
    out = []
    i, j = n, m
    while i > 0 or j > 0:
        k = i - lo[j]
        if j == 0 or not direct[j, k]:
            out.append(((i - 1,), (), i, j, -1))
            i -= 1
            continue
        t = int(bpt[j, k])
        a, b = types[t]
        out.append((tuple(range(i - a, i)), tuple(range(j - b, j)), i, j, t))
        i -= a
        j -= b
    out.reverse()
    return out


def corners(beads: Sequence[tuple[Sequence[int], Sequence[int], float]]
            ) -> tuple[np.ndarray, np.ndarray]:
    """The (English, Russian) prefix after each bead, from (0, 0): the path's corner points as
    two arrays, the form :func:`align.aligner.band_from_path` takes."""
    i, j = [0], [0]
    for src, tgt, _p in beads:
        i.append(i[-1] + len(src))
        j.append(j[-1] + len(tgt))
    return np.array(i), np.array(j)
