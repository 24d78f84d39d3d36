"""The dynamic program alone (``align.dp``), on hand-made score tensors.

As in Vecalign, the costs are built apart from the search: each test writes the scores of the
beads it cares about into a tensor that is impossible (``NEG``) elsewhere and checks what
``decode`` finds, against a brute-force enumeration of every path on small grids.
"""
from __future__ import annotations

import itertools
import math
import random

import numpy as np
import pytest

from align.dp import NEG, corners, decode

# the aligner's shapes: the 0-1 bead first (its score lives in S, unlike the 1-0 bead's)
TYPES = ((0, 1), (1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1))
SKIP = (1, 0)                       # the 1-0 bead: scored by skip_en, not in S


def grid(n: int, m: int, types=TYPES, W: int | None = None, lo=None):
    """An all-impossible tensor over the whole grid (or the band ``lo``, ``W``)."""
    W = n + 1 if W is None else W
    lo = np.zeros(m + 1, dtype=np.int64) if lo is None else np.asarray(lo, dtype=np.int64)
    return np.full((m + 1, len(types), W), NEG, dtype=np.float32), lo, W


def put(S, lo, types, src: tuple[int, ...], tgt: tuple[int, ...], score: float) -> None:
    """Score the bead of English sentences ``src`` and Russian sentences ``tgt`` (a bead ends
    at the prefix after its last sentences; an empty side ends where the other side says)."""
    a, b = len(src), len(tgt)
    i = src[-1] + 1 if src else None
    j = tgt[-1] + 1 if tgt else None
    assert i is not None and j is not None, "give both ends; use end() for 0-1 beads"
    S[j, types.index((a, b)), i - lo[j]] = score


def run(S, lo, W, n, m, skip_en, types=TYPES, posteriors=True):
    beads, touches = decode(S, types, np.asarray(skip_en, dtype=np.float32), lo, W, n, m,
                            posteriors=posteriors)
    return [(src, tgt) for src, tgt, _p in beads], [p for _s, _t, p in beads], touches


def check_partition(beads, n: int, m: int) -> None:
    """Every sentence in exactly one bead, beads in order on both sides."""
    assert [i for src, _t in beads for i in src] == list(range(n))
    assert [j for _s, tgt in beads for j in tgt] == list(range(m))


# --- brute force -----------------------------------------------------------------------------

def all_paths(n: int, m: int, types, lo, W):
    """Every monotone path from (0, 0) to (n, m) whose corners are all inside the band, as
    lists of (i_end, j_end, type index; -1 for 1-0)."""
    shapes = list(enumerate(types)) + [(-1, SKIP)]

    def inside(i, j):
        return lo[j] <= i < lo[j] + W

    def walk(i, j):
        if (i, j) == (n, m):
            yield []
            return
        for t, (a, b) in shapes:
            i2, j2 = i + a, j + b
            if i2 <= n and j2 <= m and inside(i2, j2):
                for rest in walk(i2, j2):
                    yield [(i2, j2, t)] + rest

    return list(walk(0, 0)) if inside(0, 0) else []


def path_score(path, S, lo, skip_en, types) -> float:
    total = 0.0
    for i, j, t in path:
        total += float(skip_en[i - 1]) if t < 0 else float(S[j, t, i - lo[j]])
    return total


def as_beads(path, types):
    out, i, j = [], 0, 0
    for i2, j2, _t in path:
        out.append((tuple(range(i, i2)), tuple(range(j, j2))))
        i, j = i2, j2
    return out


def corners_of(path):
    """Each bead of a brute-force path as its (start i, start j, end i, end j)."""
    i, j = 0, 0
    out = []
    for i2, j2, _t in path:
        out.append((i, j, i2, j2))
        i, j = i2, j2
    return out


def random_problem(rng: random.Random, n: int, m: int, W=None, lo=None, sparsity=0.3):
    """Random scores; a share ``sparsity`` of the linking beads impossible (never the 0-1
    beads, so that skipping everything is always a way through)."""
    S, lo, W = grid(n, m, W=W, lo=lo)
    for j in range(m + 1):
        for t in range(len(TYPES)):
            for k in range(W):
                if t == 0 or rng.random() > sparsity:
                    S[j, t, k] = rng.uniform(-4.0, 2.0)
    skip_en = np.array([rng.uniform(-4.0, 0.0) for _ in range(n)], dtype=np.float32)
    return S, lo, W, skip_en


# --- tests -----------------------------------------------------------------------------------

def test_known_matrix_best_path() -> None:
    # 3 x 3: the diagonal of 1-1 beads scores 1 each, and one 2-2 bead over the last two
    # sentences scores 3 — more than the two 1-1 beads it replaces (2).
    n = m = 3
    S, lo, W = grid(n, m)
    for k in range(3):
        put(S, lo, TYPES, (k,), (k,), 1.0)
    put(S, lo, TYPES, (1, 2), (1, 2), 3.0)
    beads, post, touches = run(S, lo, W, n, m, [-5.0] * n)
    assert beads == [((0,), (0,)), ((1, 2), (1, 2))]
    assert touches == []
    # two paths only (the rest pass through an impossible bead or pay skips): e^4 against e^3
    assert post[1] == pytest.approx(math.e / (1 + math.e), rel=1e-5)


@pytest.mark.parametrize("seed", range(40))
def test_viterbi_and_posteriors_match_brute_force(seed: int) -> None:
    rng = random.Random(seed)
    n, m = rng.randint(1, 4), rng.randint(1, 4)
    S, lo, W, skip_en = random_problem(rng, n, m)
    paths = all_paths(n, m, TYPES, lo, W)
    scores = [path_score(p, S, lo, skip_en, TYPES) for p in paths]
    best = max(range(len(paths)), key=lambda k: scores[k])
    beads, post, _touches = run(S, lo, W, n, m, skip_en)
    check_partition(beads, n, m)
    assert beads == as_beads(paths[best], TYPES)
    # a bead's posterior: the probability mass of the paths through it (the bead at its
    # place: a 0-1 bead is told apart by the English prefix it stands at)
    real = [(set(corners_of(p)), s) for p, s in zip(paths, scores) if s > -1e29]
    top = max(s for _b, s in real)
    Z = sum(math.exp(s - top) for _b, s in real)
    i, j = corners([(src, tgt, 1.0) for src, tgt in beads])
    for k, p in enumerate(post):
        here = (i[k], j[k], i[k + 1], j[k + 1])
        mass = sum(math.exp(s - top) for b, s in real if here in b)
        assert p == pytest.approx(mass / Z, rel=1e-4, abs=1e-6)


def test_equal_paths_break_ties_by_shape_order_from_the_end() -> None:
    # two 1-1 beads (1 + 1) against one 2-2 bead (2): a tie. Deciding from the end of the
    # document, the shape listed first in ``types`` wins; listing 2-2 first flips the choice.
    n = m = 2
    for types, expected in [(TYPES, [((0,), (0,)), ((1,), (1,))]),
                            (((0, 1), (2, 2), (1, 1)), [((0, 1), (0, 1))])]:
        S, lo, W = grid(n, m, types=types)
        put(S, lo, types, (0,), (0,), 1.0)
        put(S, lo, types, (1,), (1,), 1.0)
        put(S, lo, types, (0, 1), (0, 1), 2.0)
        results = {tuple(run(S, lo, W, n, m, [-9.0] * n, types=types)[0]) for _ in range(3)}
        assert results == {tuple(expected)}


def test_tie_between_a_link_and_a_skip_goes_to_the_link() -> None:
    # English 0 is either skipped (-1) then English 1 linked to Russian 0 (0), or linked to
    # Russian 0 (-1) with English 1 skipped (0): both -1. The bead ending the row directly
    # (a link) wins over arriving by a 1-0 bead from the left.
    n, m = 2, 1
    S, lo, W = grid(n, m)
    put(S, lo, TYPES, (0,), (0,), -1.0)
    put(S, lo, TYPES, (1,), (0,), 0.0)
    beads, _post, _t = run(S, lo, W, n, m, [-1.0, 0.0])
    assert beads == [((0,), ()), ((1,), (0,))]


def test_all_equal_scores_decode_the_same_every_time() -> None:
    n, m = 6, 5
    S, lo, W = grid(n, m)
    S[:] = -1.0
    first = run(S, lo, W, n, m, [-1.0] * n)
    for _ in range(3):
        assert run(S.copy(), lo.copy(), W, n, m, [-1.0] * n) == first
    check_partition(first[0], n, m)


def test_one_to_zero_and_zero_to_one_beads() -> None:
    # English 1 and Russian 3 have no counterpart: a 1-0 bead (skip_en) and a 0-1 bead (S)
    n, m = 4, 4
    S, lo, W = grid(n, m)
    for e, r in [(0, 0), (2, 1), (3, 2)]:
        put(S, lo, TYPES, (e,), (r,), 2.0)
    S[4, TYPES.index((0, 1)), 4 - lo[4]] = -1.0      # Russian 3 alone, ending at (4, 4)
    beads, post, _t = run(S, lo, W, n, m, [-1.0] * n)
    assert beads == [((0,), (0,)), ((1,), ()), ((2,), (1,)), ((3,), (2,)), ((), (3,))]
    check_partition(beads, n, m)
    assert all(0.0 <= p <= 1.0 + 1e-6 for p in post)


def test_only_skips_when_nothing_links() -> None:
    n, m = 3, 2
    S, lo, W = grid(n, m)
    S[:, TYPES.index((0, 1))] = -1.0
    beads, _post, _t = run(S, lo, W, n, m, [-1.0] * n)
    check_partition(beads, n, m)
    assert all(not src or not tgt for src, tgt in beads)
    assert len(beads) == n + m


@pytest.mark.parametrize("shape", [(1, 2), (2, 1), (2, 2), (1, 3), (3, 1)])
def test_many_to_many_bead_is_chosen_when_it_scores_best(shape: tuple[int, int]) -> None:
    # a 1-1 bead each side of a middle (a, b) bead scoring 3, against 1-1 beads and skips
    # inside it scoring 0.5 each (at most 1.5 for any other way through the middle)
    a, b = shape
    n, m = a + 2, b + 2
    S, lo, W = grid(n, m)
    S[:, TYPES.index((0, 1))] = -2.0                 # a Russian sentence alone, as a skip
    put(S, lo, TYPES, (0,), (0,), 1.0)
    put(S, lo, TYPES, (n - 1,), (m - 1,), 1.0)
    middle_src, middle_tgt = tuple(range(1, 1 + a)), tuple(range(1, 1 + b))
    put(S, lo, TYPES, middle_src, middle_tgt, 3.0)
    for e in middle_src:
        for r in middle_tgt:
            put(S, lo, TYPES, (e,), (r,), 0.5)
    beads, _post, _t = run(S, lo, W, n, m, [-2.0] * n)
    assert beads == [((0,), (0,)), (middle_src, middle_tgt), ((n - 1,), (m - 1,))]
    # scored below the alternatives, the same bead is not chosen
    put(S, lo, TYPES, middle_src, middle_tgt, -30.0)
    beads, _post, _t = run(S, lo, W, n, m, [-2.0] * n)
    assert (middle_src, middle_tgt) not in beads
    check_partition(beads, n, m)


def band(n: int, m: int, W: int, offset: int = 1) -> np.ndarray:
    """A band of width W around the diagonal, shifted left by ``offset``."""
    return np.clip(np.arange(m + 1) - offset, 0, n + 1 - W).astype(np.int64)


@pytest.mark.parametrize("seed", range(20))
def test_band_limits_the_search_to_its_cells(seed: int) -> None:
    rng = random.Random(100 + seed)
    n = rng.randint(3, 5)
    m = n + rng.randint(0, 1)
    W = rng.randint(2, 3)
    lo = band(n, m, W)
    S, lo, W, skip_en = random_problem(rng, n, m, W=W, lo=lo, sparsity=0.0)
    paths = all_paths(n, m, TYPES, lo, W)
    assert paths
    scores = [path_score(p, S, lo, skip_en, TYPES) for p in paths]
    best = max(range(len(paths)), key=lambda k: scores[k])
    beads, _post, _touches = run(S, lo, W, n, m, skip_en)
    check_partition(beads, n, m)
    assert beads == as_beads(paths[best], TYPES)
    i, j = corners([(s, t, 1.0) for s, t in beads])
    assert all(lo[jj] <= ii < lo[jj] + W for ii, jj in zip(i, j))


def test_band_edge_is_reported() -> None:
    # the best path runs along the band's left edge (English ahead of Russian by one): the
    # beads that end on the edge are reported, so the caller can widen the band there
    n, m = 6, 5
    W = 3
    lo = band(n, m, W, offset=0)                     # lo[j] = j: the path i = j + 1 is inside
    S, lo, W = grid(n, m, W=W, lo=lo)
    for r in range(m):
        put(S, lo, TYPES, (r + 1,), (r,), 2.0)       # English 0 is extra
    beads, _post, touches = run(S, lo, W, n, m, [-1.0] * n)
    assert beads[0] == ((0,), ()) and beads[1] == ((1,), (0,))
    check_partition(beads, n, m)
    # nothing touches: i - lo[j] = 1 is inside, away from both edges of a 3-wide band
    assert touches == []
    # a band with no room left of the path: the links ending at (2, 1), (3, 2), (4, 3) lie on
    # its left edge (and not at the grid's edge); the last two are at the document's end
    lo2 = np.array([0, 2, 3, 4, 4, 4])
    S2, lo2, W = grid(n, m, W=W, lo=lo2)
    for r in range(m):
        put(S2, lo2, TYPES, (r + 1,), (r,), 2.0)
    beads2, _post, touches2 = run(S2, lo2, W, n, m, [-1.0] * n)
    assert beads2 == beads
    assert touches2 == [1, 2, 3]


def test_viterbi_alone_skips_posteriors() -> None:
    rng = random.Random(3)
    S, lo, W, skip_en = random_problem(rng, 4, 4)
    with_post = run(S, lo, W, 4, 4, skip_en)
    without = run(S, lo, W, 4, 4, skip_en, posteriors=False)
    assert without[0] == with_post[0] and set(without[1]) == {1.0}


def test_long_document_is_one_bead_per_sentence_pair() -> None:
    # more rows than the forward pass gathers at once (ROWS_AT_ONCE): row blocks join up
    from align.dp import ROWS_AT_ONCE

    n = m = ROWS_AT_ONCE + 37
    W = 5
    lo = band(n, m, W, offset=2)
    S, lo, W = grid(n, m, W=W, lo=lo)
    for r in range(m):
        put(S, lo, TYPES, (r,), (r,), 1.0)
    beads, post, touches = run(S, lo, W, n, m, [-3.0] * n)
    assert beads == [((r,), (r,)) for r in range(m)]
    assert touches == [] and min(post) > 0.9


def test_corners_are_the_prefixes_after_each_bead() -> None:
    i, j = corners([((0,), (0,), 1.0), ((1, 2), (), 0.5), ((), (1,), 0.5)])
    assert i.tolist() == [0, 1, 3, 3] and j.tolist() == [0, 1, 1, 2]


def test_brute_force_counts_paths() -> None:
    # the checker itself: 1 x 1 has the 1-1 bead, 1-0 then 0-1, and 0-1 then 1-0
    S, lo, W = grid(1, 1)
    assert len(all_paths(1, 1, TYPES, lo, W)) == 3
    assert sorted(itertools.chain.from_iterable(
        (t for _i, _j, t in p) for p in all_paths(1, 1, TYPES, lo, W))) == [-1, -1, 0, 0, 1]
