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

import os
from dataclasses import dataclass, asdict
from typing import Any, Iterable, Sequence

from .beads import read_beads
from .errors import AlignError, InputError
from .types import Bead, check_beads

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


# ---------------------------------------------------------------------------------------------
# Reports: ``align eval`` over bead files


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1 of one kind of match."""

    precision: float
    recall: float
    f1: float

    def to_json(self) -> dict[str, float]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1}


@dataclass(frozen=True)
class EvalReport:
    """Scores of test alignments against gold ones, summed over ``documents`` (micro average).

    ``strict``/``lax``/``unlinked`` follow :mod:`align.evaluate`: beads with an empty side are
    left out of strict and lax scoring and scored apart as ``unlinked``. ``vecalign_strict``/
    ``vecalign_lax`` are the numbers Vecalign's ``score.py`` prints for the same files: it
    keeps the test's empty-sided beads in the precision count (right only when gold has the
    identical bead), so its precision differs when the test leaves sentences unlinked.
    ``missing_src``/``missing_tgt`` count the gold's English/Russian sentences that no test
    bead holds (a partial alignment): the gold beads holding them cannot be matched, so they
    count against recall, not precision.
    """

    documents: int
    strict: PRF
    lax: PRF
    unlinked: PRF
    vecalign_strict: PRF
    vecalign_lax: PRF
    gold_links: int
    test_links: int
    gold_unlinked: int
    test_unlinked: int
    missing_src: int = 0
    missing_tgt: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "strict": self.strict.to_json(), "lax": self.lax.to_json(),
            "unlinked": self.unlinked.to_json(),
            "vecalign": {"strict": self.vecalign_strict.to_json(),
                         "lax": self.vecalign_lax.to_json()},
            "counts": {"gold_links": self.gold_links, "test_links": self.test_links,
                       "gold_unlinked": self.gold_unlinked,
                       "test_unlinked": self.test_unlinked},
            "missing": {"english": self.missing_src, "russian": self.missing_tgt},
        }


GOLD_SUFFIX = ".gold"
TEST_SUFFIX = ".align"


def pair_bead_files(gold: str | os.PathLike[str],
                    test: str | os.PathLike[str]) -> list[tuple[str, str, str]]:
    """``(name, gold_file, test_file)`` for two bead files, or for two directories.

    In directories, every ``NAME.gold`` under ``gold`` (subdirectories included) is paired
    with ``NAME.align`` at the same relative place under ``test``; a gold file without its
    test file, or a test file without its gold file, is an error rather than a silently
    smaller evaluation.
    """
    from pathlib import Path

    gold_path, test_path = Path(gold), Path(test)
    for path in (gold_path, test_path):
        if str(path) != "-" and not path.exists():
            raise InputError("no such file or directory", str(path))
    if gold_path.is_dir() != test_path.is_dir():
        raise AlignError(f"GOLD and TEST must both be files or both be directories "
                         f"({gold} and {test})")
    if not gold_path.is_dir():
        return [(gold_path.stem, str(gold_path), str(test_path))]
    golds = {p.relative_to(gold_path).with_suffix(""): p
             for p in gold_path.rglob(f"*{GOLD_SUFFIX}") if p.is_file()}
    tests = {p.relative_to(test_path).with_suffix(""): p
             for p in test_path.rglob(f"*{TEST_SUFFIX}") if p.is_file()}
    if not golds:
        raise InputError(f"no *{GOLD_SUFFIX} files", str(gold_path))
    missing = sorted(set(golds) - set(tests))
    if missing:
        raise InputError(f"no {missing[0]}{TEST_SUFFIX} for {golds[missing[0]]}"
                         + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""),
                         str(test_path))
    extra = sorted(set(tests) - set(golds))
    if extra:
        raise InputError(f"{tests[extra[0]]} has no {extra[0]}{GOLD_SUFFIX}"
                         + (f" (and {len(extra) - 1} more)" if len(extra) > 1 else ""),
                         str(gold_path))
    return [(str(name), str(golds[name]), str(tests[name])) for name in sorted(golds)]


def read_checked_beads(path: str) -> tuple[list[Any], int, int]:
    """The beads of a bead file, checked to cover its sentences once each, in order.

    Returns the beads and the number of English and Russian sentences they cover.
    """
    beads = read_beads(path)
    if not beads:
        raise InputError("empty bead file", path)
    n_src = sum(len(b.src) for b in beads)
    n_tgt = sum(len(b.tgt) for b in beads)
    try:
        check_beads(beads, n_src, n_tgt)
    except ValueError as exc:
        raise InputError(f"beads do not cover the sentences once each, in order: {exc}",
                         path) from None
    return beads, n_src, n_tgt


def read_partial_beads(path: str, n_src: int, n_tgt: int) -> tuple[list[Any], int, int]:
    """The beads of a test bead file that may leave sentences out (hunalign, a filtered corpus).

    Returns the beads and how many of the ``n_src`` English and ``n_tgt`` Russian sentences
    no bead holds. A sentence in two beads, beads out of order, or an index beyond the
    sentence counts is an error naming the file and line: those are broken alignments, not
    partial ones.
    """
    beads = read_beads(path)
    if not beads:
        raise InputError("empty bead file", path)
    seen = ([False] * n_src, [False] * n_tgt)
    last = [-1, -1]
    for number, bead in enumerate(beads, 1):
        for side, (indices, count, lang) in enumerate(((bead.src, n_src, "English"),
                                                       (bead.tgt, n_tgt, "Russian"))):
            for k in indices:
                if k >= count:
                    raise InputError(f"bead {number} has {lang} sentence {k}, but the gold "
                                     f"alignment has {count} {lang} sentences", path)
                if seen[side][k]:
                    raise InputError(f"{lang} sentence {k} is in two beads (bead {number})",
                                     path)
                if k < last[side]:
                    raise InputError(f"beads out of order: bead {number} has {lang} sentence "
                                     f"{k} after {last[side]}", path)
                seen[side][k] = True
                last[side] = k
    return beads, seen[0].count(False), seen[1].count(False)


def _vecalign_prf(tp_p: int, n_p: int, tp_r: int, n_r: int) -> PRF:
    # Vecalign's score.py gives 0.0 wherever it would divide by zero.
    p = tp_p / n_p if n_p else 0.0
    r = tp_r / n_r if n_r else 0.0
    return PRF(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def evaluate_alignments(documents: Sequence[tuple[str, str, str]]) -> EvalReport:
    """Score ``(name, gold_file, test_file)`` documents; see :class:`EvalReport`.

    Gold files must cover their sentences once each, in order; test files may leave
    sentences out (counted in ``missing_src``/``missing_tgt``, against recall).
    """
    pairs = []
    missing_src = missing_tgt = 0
    for _name, gold_file, test_file in documents:
        gold, g_src, g_tgt = read_checked_beads(gold_file)
        test, m_src, m_tgt = read_partial_beads(test_file, g_src, g_tgt)
        missing_src += m_src
        missing_tgt += m_tgt
        pairs.append((gold, test))
    if not pairs:
        raise AlignError("nothing to evaluate")
    counts = count_documents(pairs)
    total = counts.scores()
    # Vecalign's convention keeps the test's empty-sided beads in the precision count.
    right, n_test = counts.test_empty_right, counts.n_test + counts.test_empty
    return EvalReport(
        documents=len(pairs),
        strict=PRF(total.precision_strict, total.recall_strict, total.f1_strict),
        lax=PRF(total.precision_lax, total.recall_lax, total.f1_lax),
        unlinked=PRF(total.precision_unlinked, total.recall_unlinked, total.f1_unlinked),
        vecalign_strict=_vecalign_prf(counts.tp_strict_p + right, n_test,
                                      counts.tp_strict_r, counts.n_gold),
        vecalign_lax=_vecalign_prf(counts.tp_lax_p + right, n_test,
                                   counts.tp_lax_r, counts.n_gold),
        gold_links=total.gold_links, test_links=total.test_links,
        gold_unlinked=total.gold_unlinked, test_unlinked=total.test_unlinked,
        missing_src=missing_src, missing_tgt=missing_tgt)


def missing_note(report: EvalReport) -> str:
    """One line saying how many gold sentences the test left out, or '' when none."""
    if not (report.missing_src or report.missing_tgt):
        return ""
    return (f"TEST leaves out {report.missing_src} English and {report.missing_tgt} Russian "
            f"sentences of GOLD; the gold beads holding them count against recall")


def render_eval(report: EvalReport) -> str:
    """The report as a small text table."""
    def row(label: str, prf: PRF) -> str:
        return f"{label:<10}{prf.precision:>10.4f}{prf.recall:>10.4f}{prf.f1:>10.4f}"

    lines = [f"{'':<10}{'precision':>10}{'recall':>10}{'F1':>10}",
             row("strict", report.strict), row("lax", report.lax),
             row("unlinked", report.unlinked),
             "",
             "Vecalign's score.py (test beads with an empty side counted in precision):",
             row("strict", report.vecalign_strict), row("lax", report.vecalign_lax),
             "",
             f"{report.documents} document{'s' if report.documents != 1 else ''}: "
             f"{report.gold_links} gold and {report.test_links} test links, "
             f"{report.gold_unlinked} gold and {report.test_unlinked} test unlinked sentences"]
    if report.missing_src or report.missing_tgt:
        lines.append(missing_note(report))
    return "\n".join(lines) + "\n"
