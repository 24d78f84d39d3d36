"""Corpus cleaning (``align clean``): fixes, rules with named reasons, deduplication.

A pair goes through the :data:`~align.clean.fixes.FIXES` (its text changes, the pair stays),
then the plain :data:`~align.clean.rules.RULES` (each that fires is a reason to drop it), then,
if it is still in, the model's adequacy (``--min-score``) and the exact duplicate check; with
``--near-dupes`` a second pass drops near-duplicates, keeping the best-scored copy of each
group. Every pair comes out as one :class:`Verdict`, kept or dropped with its reasons, in input
order, so that nothing is dropped unseen. Streaming: memory stays flat but for the duplicate
digests and the near-duplicate index. Pure: nothing printed; the command line reports.
"""
from __future__ import annotations

import dataclasses
import itertools
import os
import pickle
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Sequence

from ..errors import AlignError
from ..types import Pair
from .dedupe import NEAR_THRESHOLD, Dedupe, NearDuplicates, digest, fold_folded, normalised_key
from .fixes import FIXES, apply_fixes
from .rules import RULES, Limits, Sides, checker

__all__ = ["FIXES", "RULES", "Limits", "Verdict", "CleanCounts", "select_rules", "clean_pairs",
           "drop_near_duplicates", "require_extras"]

#: Pairs scored by the model at once (as ``align score --qe`` does).
QE_BATCH = 256
#: Pairs a worker fixes and judges per task with ``--jobs`` (a task is tens of milliseconds).
JUDGE_BATCH = 2048


@dataclass(frozen=True)
class Verdict:
    """What became of input pair ``number`` (1-based): the pair after the fixes, the names of
    the fixes that changed it, and the names of the rules that drop it (none: kept).
    ``adequacy`` is the model's score when ``--min-score`` asked for it; ``detail`` says more
    about a reason (``"pair 12"`` for a duplicate of pair 12)."""

    number: int
    pair: Pair
    fixes: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    adequacy: float | None = None
    detail: str = ""

    @property
    def kept(self) -> bool:
        return not self.reasons


@dataclass
class CleanCounts:
    """What a run did: pairs read and kept, pairs changed per fix, pairs dropped per rule (a
    pair dropped for two reasons counts under both)."""

    pairs: int = 0
    kept: int = 0
    fixes: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)

    @property
    def dropped(self) -> int:
        return self.pairs - self.kept

    def add(self, verdict: Verdict) -> None:
        self.pairs += 1
        self.kept += verdict.kept
        self.fixes.update(verdict.fixes)
        self.reasons.update(verdict.reasons)

    def table(self) -> list[tuple[str, str, int]]:
        """``(kind, name, count)`` rows in registry order: every fix, then every rule."""
        rows = [("fix", name, self.fixes[name]) for name in FIXES]
        rows += [("rule", name, self.reasons[name]) for name in RULES]
        return rows


def select_rules(only: Sequence[str] = (), skip: Sequence[str] = (), *,
                 min_score: float | None = None, near_dupes: bool = False) -> tuple[str, ...]:
    """The names of the rules to run, in registry order: ``only`` (default: every rule on by
    default), less ``skip``; ``adequacy`` with ``min_score``, ``near_duplicate`` with
    ``near_dupes``. An unknown name is an ``AlignError``."""
    for name in (*only, *skip):
        if name not in RULES:
            raise AlignError(f"unknown rule {name!r} (choose from {', '.join(RULES)})")
    chosen = set(only) if only else {n for n, r in RULES.items() if r.default}
    if min_score is not None:
        chosen.add("adequacy")
    if near_dupes:
        chosen.add("near_duplicate")
    chosen -= set(skip)
    return tuple(name for name in RULES if name in chosen)


def require_extras(rules: Sequence[str] = ()) -> None:
    """An ``AlignError`` naming the ``pip install`` when the ``clean`` extra is missing: ftfy
    for the fixes, datasketch for ``near_duplicate``."""
    from .dedupe import _datasketch
    from .fixes import _ftfy

    _ftfy()
    if "near_duplicate" in rules:
        _datasketch()


#: Scores a batch of pairs: their adequacy in [0, 1], in order (``align score --qe``'s).
Adequacy = Callable[[list[Pair]], Sequence[float]]


#: What :func:`judge_batch` gives for one pair: the fixed pair, the fixes, the reasons, and
#: the ``duplicate`` key (:func:`~align.clean.dedupe.normalised_key`) of a pair the rules keep
#: (``None`` otherwise: computed here from the case-folded text the rules already made).
Judged = tuple[Pair, tuple[str, ...], tuple[str, ...], "bytes | None"]


@dataclass(frozen=True)
class Judge:
    """The pure, picklable part of cleaning: the fixes and the plain rules, pair by pair
    (what a process pool maps, ``--jobs``); deduplication and adequacy come after, in order."""

    rules: tuple[str, ...]
    limits: Limits = Limits()


def make_judge(rules: tuple[str, ...], limits: Limits) -> Judge:
    """A :class:`Judge` from plain values (``engine.Setup`` loads it once per worker)."""
    return Judge(tuple(rules), limits)


def judge_batch(judge: Judge, pairs: list[Pair]) -> list[Judged]:
    """Fix and judge ``pairs``: for each, the fixed pair, the fixes applied and the names of
    the plain rules that drop it."""
    check = checker(tuple(RULES[n] for n in judge.rules if RULES[n].check is not None))
    fixes = tuple(FIXES.values())
    limits = judge.limits
    keyed = "duplicate" in judge.rules
    out: list[Judged] = []
    append = out.append
    for pair in pairs:
        en, ru, applied = apply_fixes(pair.en, pair.ru, fixes)
        fixed = pair if not applied else dataclasses.replace(pair, en=en, ru=ru)
        sides = Sides(en, ru)
        reasons = check(sides, limits)
        key = digest(fold_folded(sides.en.low), fold_folded(sides.ru.low)) \
            if keyed and not reasons else None
        append((fixed, applied, reasons, key))
    return out


def _judged_here(pairs: Iterable[Pair], judge: Judge, size: int = 64) -> Iterator[Judged]:
    """:func:`judge_batch` in this process, a few pairs at a time (still streaming)."""
    iterator = iter(pairs)
    while True:
        chunk = list(itertools.islice(iterator, size))
        if not chunk:
            return
        yield from judge_batch(judge, chunk)


def clean_pairs(pairs: Iterable[Pair], rules: Sequence[str] | None = None, *,
                limits: Limits = Limits(), adequacy: Adequacy | None = None,
                counts: CleanCounts | None = None,
                judged: Iterable[Judged] | None = None) -> Iterator[Verdict]:
    """Stream a :class:`Verdict` for every pair, in input order: fixed, judged by ``rules``
    (names, default :func:`select_rules`), scored by ``adequacy`` in batches (needed when
    the ``adequacy`` rule is among them, with ``limits.min_score``), exact duplicates
    dropped. ``near_duplicate`` is not done here but by :func:`drop_near_duplicates`.
    ``judged``, when given, is :func:`judge_batch`'s output for ``pairs`` in order (mapped
    on workers), so that only the ordered part runs here. ``counts``, when given, is updated
    as verdicts are yielded (not for ``near_duplicate``, whose pass recounts)."""
    names = tuple(select_rules() if rules is None else rules)
    require_extras(names)
    scored = "adequacy" in names
    if scored and (adequacy is None or limits.min_score is None):
        raise AlignError("the adequacy rule needs a model and --min-score")
    dedupe = Dedupe(normalised_key) if "duplicate" in names else None
    batch: list[Verdict] = []

    def finish(verdicts: list[Verdict]) -> Iterator[Verdict]:
        scores: Iterator[float] = iter(())
        if scored and adequacy is not None:
            todo = [v.pair for v in verdicts if v.kept]
            if todo:
                scores = iter(adequacy(todo))
        for verdict in verdicts:
            if verdict.kept and scored:
                value = round(float(next(scores)), 4)
                reasons = ("adequacy",) if value < (limits.min_score or 0.0) else ()
                verdict = dataclasses.replace(verdict, adequacy=value, reasons=reasons)
            if verdict.kept and dedupe is not None:
                earlier = dedupe.first(verdict.pair.en, verdict.pair.ru, verdict.number)
                if earlier is not None:
                    verdict = dataclasses.replace(verdict, reasons=("duplicate",),
                                                  detail=f"pair {earlier}")
            if counts is not None:
                counts.add(verdict)
            yield verdict

    if judged is None:
        judged = _judged_here(pairs, Judge(names, limits))
    if not scored:  # the common case, inline: a verdict per pair, dropped if a repeat
        for number, (fixed, applied, reasons, key) in enumerate(judged, start=1):
            verdict = Verdict(number, fixed, applied, reasons)
            if not reasons and dedupe is not None:
                earlier = dedupe.first_key(normalised_key(fixed.en, fixed.ru)
                                           if key is None else key, number)
                if earlier is not None:
                    verdict = Verdict(number, fixed, applied, ("duplicate",),
                                      detail=f"pair {earlier}")
            if counts is not None:
                counts.add(verdict)
            yield verdict
        return
    for number, (fixed, applied, reasons, _) in enumerate(judged, start=1):
        batch.append(Verdict(number, fixed, applied, reasons))
        if sum(v.kept for v in batch) >= QE_BATCH:
            yield from finish(batch)
            batch = []
    if batch:
        yield from finish(batch)


def drop_near_duplicates(verdicts: Iterable[Verdict], threshold: float = NEAR_THRESHOLD, *,
                         counts: CleanCounts | None = None,
                         spill_dir: str | os.PathLike[str] | None = None) -> Iterator[Verdict]:
    """The ``near_duplicate`` pass: ``verdicts`` again, in order, with the near-duplicates of
    a better-scored kept pair dropped (``detail`` names the pair kept in their place).

    The first pass spills the verdicts to a temporary file and indexes the kept pairs
    (:class:`~align.clean.dedupe.NearDuplicates`, scored by adequacy when there is one, else by
    the pair's own score); the second reads them back. ``counts`` is updated in the second.
    """
    index = NearDuplicates(threshold)
    with tempfile.TemporaryFile(dir=spill_dir) as spill:
        for verdict in verdicts:
            pickle.dump(verdict, spill, protocol=pickle.HIGHEST_PROTOCOL)
            if verdict.kept:
                score = verdict.adequacy if verdict.adequacy is not None else verdict.pair.score
                index.add(verdict.number, verdict.pair.en, verdict.pair.ru, score)
        losers = index.losers()
        spill.seek(0)
        while True:
            try:
                verdict = pickle.load(spill)
            except EOFError:
                break
            if verdict.number in losers:
                verdict = dataclasses.replace(verdict, reasons=("near_duplicate",),
                                              detail=f"pair {losers[verdict.number]}")
            if counts is not None:
                counts.add(verdict)
            yield verdict
