"""The filters every command that writes a corpus applies: ``--dedupe`` and ``--min-score``.

:func:`filter_pairs` streams (flat memory: a fixed-size digest per distinct pair), and counts
what it dropped for the command's summary.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

from ..types import Pair
from .base import clean_segment


@dataclass
class FilterCounts:
    """What :func:`filter_pairs` dropped, for the command to report."""

    duplicates: int = 0
    below_min_score: int = 0


def _segment_key(en: str, ru: str) -> bytes:
    from ..clean.dedupe import digest

    return digest(clean_segment(en), clean_segment(ru))


def pair_key(pair: Pair) -> bytes:
    """A fixed-size digest of a pair's text after :func:`clean_segment`, for deduplication.

    Two pairs are duplicates when both sides read the same in a TMX or TSV file. A 128-bit
    digest keeps memory at a few dozen bytes per distinct pair whatever the text length.
    """
    return _segment_key(pair.en, pair.ru)


def filter_pairs(pairs: Iterable[Pair], *, dedupe: bool = False, min_score: float | None = None,
                 counts: FilterCounts | None = None) -> Iterator[Pair]:
    """Stream ``pairs`` without exact duplicates (``dedupe``) and low-scoring pairs.

    ``dedupe`` keeps the first of pairs whose English and Russian text are the same (after
    whitespace normalization), with the deduplication of ``align clean``
    (:class:`align.clean.dedupe.Dedupe`) keyed on :func:`pair_key`; ``align clean`` also folds
    case, punctuation and digits. ``min_score`` drops pairs scored below it; pairs without a
    score (imported, or headline pairs that were never scored) pass, since nothing says they
    are bad. ``counts``, when given, is updated with what was dropped.
    """
    from ..clean.dedupe import Dedupe

    counts = counts if counts is not None else FilterCounts()
    seen = Dedupe(_segment_key)
    for pair in pairs:
        if min_score is not None and pair.score is not None and pair.score < min_score:
            counts.below_min_score += 1
            continue
        if dedupe and seen.first(pair.en, pair.ru) is not None:
            counts.duplicates += 1
            continue
        yield pair
