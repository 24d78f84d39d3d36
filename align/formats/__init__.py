"""The corpus format registry, and the filters every corpus-writing command applies.

Each format is a module holding a :class:`~align.formats.base.CorpusFormat` subclass and its
instance ``FORMAT`` (with module-level ``write`` and ``read`` bound to it): a streaming
``write(pairs, path, **options) -> WriteResult`` and ``read(path, **options) -> Iterator[Pair]``.
``FORMATS`` maps a format name to its ``Format`` record; the CLI reads its ``--format`` choices,
extension lookup and allowed encodings from here without importing the module (lxml stays out
of start-up), so a new format is one new module and one line below. What formats share — the
base class, :func:`clean_segment`, :class:`WriteResult`, line input — is in
:mod:`align.formats.base` (re-exported here).

Options every writer accepts (and ignores when they do not apply to it): ``langs`` (the
BCP 47 tags of the English and Russian sides, TMX only), ``encoding`` (one of the format's
``encodings``; another is a ``FormatError``). Every reader accepts ``on_skip(reason, line)``,
called for each record it passes over (a TMX unit without both languages, say).
"""
from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from ..errors import AlignError
from ..types import Pair
from .base import (DROPPED_CHARACTERS, CorpusFormat, SkipHandler, WriteResult, clean_segment,
                   text_lines, xml_text)

__all__ = ["FORMATS", "Format", "format_for_path", "CorpusFormat", "WriteResult", "SkipHandler",
           "clean_segment", "xml_text", "text_lines", "DROPPED_CHARACTERS", "FilterCounts",
           "filter_pairs", "pair_key"]


@dataclass(frozen=True)
class Format:
    """A corpus format: its name, the file extensions it owns, and the module implementing it.

    ``encodings`` lists the output encodings the writer supports, the first being the
    default; ``keeps`` says which pair fields beyond the text survive a round trip.
    """

    name: str
    extensions: tuple[str, ...]
    module: str
    description: str
    encodings: tuple[str, ...] = ("utf-8",)
    keeps: tuple[str, ...] = ("score", "kind", "doc", "props")

    def _impl(self) -> Any:
        # Imported on first use: lxml and friends stay out of start-up.
        return importlib.import_module(self.module)

    def implementation(self) -> CorpusFormat:
        """The format's ``CorpusFormat`` (the module's ``FORMAT``)."""
        return self._impl().FORMAT

    def write(self, pairs: Iterable[Pair], path: str | os.PathLike[str],
              **options: Any) -> WriteResult:
        """Write ``pairs`` to ``path`` atomically; return how many were written (and skipped)."""
        return self.implementation().write(pairs, path, **options)

    def read(self, path: str | os.PathLike[str], **options: Any) -> Iterator[Pair]:
        """Stream the pairs stored in ``path``."""
        return self.implementation().read(path, **options)


FORMATS: dict[str, Format] = {
    "tmx": Format("tmx", (".tmx",), "align.formats.tmx",
                  "TMX 1.4b translation memory (OmegaT, memoQ, Trados)",
                  encodings=("utf-8", "utf-16")),
    "tsv": Format("tsv", (".tsv", ".tab"), "align.formats.tsv",
                  "tab-separated, header en/ru/score/kind/doc",
                  encodings=("utf-8", "utf-8-sig", "utf-16"),
                  keeps=("score", "kind", "doc")),
    "jsonl": Format("jsonl", (".jsonl", ".ndjson"), "align.formats.jsonl",
                    "one JSON object a line, Hugging Face translation shape"),
    "moses": Format("moses", (".en", ".ru"), "align.formats.moses",
                    "two line-aligned plain-text files PREFIX.en and PREFIX.ru",
                    keeps=()),
}


def format_for_path(path: str | os.PathLike[str], name: str | None = None) -> Format:
    """The format named ``name``, or else the one owning ``path``'s extension."""
    if name:
        try:
            return FORMATS[name]
        except KeyError:
            raise AlignError(f"unknown format {name!r} (choose from {', '.join(FORMATS)})",
                             str(path)) from None
    lower = str(path).lower()
    for fmt in FORMATS.values():
        if lower.endswith(fmt.extensions):
            return fmt
    known = ", ".join(ext for f in FORMATS.values() for ext in f.extensions)
    raise AlignError(f"cannot tell the format from the extension (known: {known}); "
                     "use --format", str(path))


# --- filters shared by every command that writes a corpus --------------------------------------

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
