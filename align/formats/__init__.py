"""The corpus format registry: names, extensions, encodings, and the module of each format.

Each format is a module holding a :class:`~align.formats.base.CorpusFormat` subclass and its
instance ``FORMAT`` (with module-level ``write`` and ``read`` bound to it): a streaming
``write(pairs, path, **options) -> WriteResult`` and ``read(path, **options) -> Iterator[Pair]``.
``FORMATS`` maps a format name to its ``Format`` record; the CLI reads its ``--format`` choices,
extension lookup and allowed encodings from here without importing the module (lxml stays out
of start-up), so a new format is one new module and one line below. What formats share — the
base class, :func:`clean_segment`, :class:`WriteResult`, line input — is in
:mod:`align.formats.base`, and the ``--dedupe``/``--min-score`` filters every corpus-writing
command applies are in :mod:`align.formats.filters` (both re-exported here).

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
from .filters import FilterCounts, filter_pairs, pair_key

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
