"""Alignment evaluation: strict and lax precision/recall/F1 and the unlinked-sentence F1.

Definitions follow Vecalign and Bertalign (Thompson and Koehn 2019, after Sennrich and Volk
2011), with one documented choice:

* Beads with an empty side (1-0, 0-1) are left out of strict and lax scoring on *both* the
  test and the gold side, and scored apart as the F1 of the set of unlinked sentences
  (``("src", i)`` / ``("tgt", j)`` that are in an empty-sided bead). Vecalign's own
  ``score.py`` keeps test 1-0/0-1 beads in the precision count (as false positives unless
  gold has the identical bead); we score them separately so that a missed or spurious
  deletion is counted once, in the unlinked F1, not twice.
* strict: a test bead is right when the identical bead is in gold.
* lax: a test bead is right when some gold bead shares at least one source and at least one
  target sentence with it. Recall is the same with the roles of gold and test swapped.

Counts are summed over all documents before dividing (micro average), as Vecalign does.
"""
from __future__ import annotations

from dataclasses import dataclass, asdict
from typing import Iterable, Sequence

from .beads import read_beads
from .types import Bead

__all__ = ["Counts", "Scores", "count_documents", "score_alignment", "score_documents",
           "read_beads"]

BeadLike = Bead | tuple[Sequence[int], Sequence[int]]


@dataclass(frozen=True)
class Scores:
    """Precision/recall/F1, strict and lax, plus the unlinked-sentence scores and counts."""

    precision_strict: float
    recall_strict: float
    f1_strict: float
    precision_lax: float
    recall_lax: float
    f1_lax: float
    precision_unlinked: float
    recall_unlinked: float
    f1_unlinked: float
    gold_links: int
    test_links: int
    gold_unlinked: int
    test_unlinked: int

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


@dataclass
class Counts:
    """The counts behind :class:`Scores`, summed over documents.

    ``test_empty`` counts the test's beads with an empty side and ``test_empty_right`` those
    of them that gold has too: what Vecalign's convention adds to the precision count.
    """

    tp_strict_p: int = 0
    tp_lax_p: int = 0
    n_test: int = 0
    tp_strict_r: int = 0
    tp_lax_r: int = 0
    n_gold: int = 0
    un_tp: int = 0
    un_test: int = 0
    un_gold: int = 0
    test_empty: int = 0
    test_empty_right: int = 0

    def scores(self) -> Scores:
        return _scores(self)


def _sides(bead: BeadLike) -> tuple[tuple[int, ...], tuple[int, ...]]:
    if isinstance(bead, Bead):
        return bead.src, bead.tgt
    return tuple(bead[0]), tuple(bead[1])


def _matches(test: list[tuple[tuple[int, ...], tuple[int, ...]]],
             gold: list[tuple[tuple[int, ...], tuple[int, ...]]]) -> tuple[int, int]:
    """How many ``test`` links are strict / lax matches of some ``gold`` link."""
    gold_set = set(gold)
    bead_of_src: dict[int, int] = {}
    for k, (src, _tgt) in enumerate(gold):
        for i in src:
            bead_of_src[i] = k
    gold_tgt = [set(t) for _s, t in gold]
    strict = lax = 0
    for src, tgt in test:
        if (src, tgt) in gold_set:
            strict += 1
            lax += 1
            continue
        tgts = set(tgt)
        if any(i in bead_of_src and tgts & gold_tgt[bead_of_src[i]] for i in src):
            lax += 1
    return strict, lax


def _add(counts: Counts, gold: Iterable[BeadLike], test: Iterable[BeadLike]) -> None:
    gold_all = [_sides(b) for b in gold]
    test_all = [_sides(b) for b in test]
    gold_links = [b for b in gold_all if b[0] and b[1]]
    test_links = [b for b in test_all if b[0] and b[1]]
    s, lx = _matches(test_links, gold_links)
    counts.tp_strict_p += s
    counts.tp_lax_p += lx
    counts.n_test += len(test_links)
    s, lx = _matches(gold_links, test_links)
    counts.tp_strict_r += s
    counts.tp_lax_r += lx
    counts.n_gold += len(gold_links)

    def unlinked(beads: list[tuple[tuple[int, ...], tuple[int, ...]]]) -> set[tuple[str, int]]:
        out: set[tuple[str, int]] = set()
        for src, tgt in beads:
            if not tgt:
                out.update(("src", i) for i in src)
            if not src:
                out.update(("tgt", j) for j in tgt)
        return out

    gold_set = set(gold_all)
    test_empty = [b for b in test_all if not (b[0] and b[1])]
    counts.test_empty += len(test_empty)
    counts.test_empty_right += sum(1 for b in test_empty if b in gold_set)

    gu, tu = unlinked(gold_all), unlinked(test_all)
    counts.un_tp += len(gu & tu)
    counts.un_gold += len(gu)
    counts.un_test += len(tu)


def _prf(tp_p: int, n_p: int, tp_r: int, n_r: int) -> tuple[float, float, float]:
    # Nothing to find and nothing found is a perfect score, not a division by zero.
    p = tp_p / n_p if n_p else (1.0 if not n_r else 0.0)
    r = tp_r / n_r if n_r else (1.0 if not n_p else 0.0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _scores(c: Counts) -> Scores:
    ps, rs, fs = _prf(c.tp_strict_p, c.n_test, c.tp_strict_r, c.n_gold)
    pl, rl, fl = _prf(c.tp_lax_p, c.n_test, c.tp_lax_r, c.n_gold)
    pu, ru, fu = _prf(c.un_tp, c.un_test, c.un_tp, c.un_gold)
    return Scores(ps, rs, fs, pl, rl, fl, pu, ru, fu, c.n_gold, c.n_test, c.un_gold, c.un_test)


def score_alignment(gold: Iterable[BeadLike], test: Iterable[BeadLike]) -> Scores:
    """Score one test alignment against its gold alignment."""
    return count_documents([(gold, test)]).scores()


def score_documents(pairs: Iterable[tuple[Iterable[BeadLike], Iterable[BeadLike]]]) -> Scores:
    """Score many ``(gold, test)`` documents, summing counts over all of them (micro average)."""
    return count_documents(pairs).scores()


def count_documents(pairs: Iterable[tuple[Iterable[BeadLike], Iterable[BeadLike]]]) -> Counts:
    """The counts of many ``(gold, test)`` documents, summed (see :class:`Counts`)."""
    counts = Counts()
    for gold, test in pairs:
        _add(counts, gold, test)
    return counts
