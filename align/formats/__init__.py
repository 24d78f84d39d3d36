"""Corpus format registry.

Each format is a module with a streaming ``write(pairs, path, **options) -> int`` and
``read(path, **options) -> Iterator[Pair]``. ``FORMATS`` maps a format name to its
``Format`` record; the CLI reads its ``--format`` choices and extension lookup from here, so
a new format is one new module and one line below.
"""
from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from ..errors import AlignError
from ..types import Pair


@dataclass(frozen=True)
class Format:
    """A corpus format: its name, the file extensions it owns, and the module implementing it."""

    name: str
    extensions: tuple[str, ...]
    module: str
    description: str

    def _impl(self) -> Any:
        # Imported on first use: lxml and friends stay out of start-up.
        return importlib.import_module(self.module)

    def write(self, pairs: Iterable[Pair], path: str | os.PathLike[str], **options: Any) -> int:
        """Write ``pairs`` to ``path`` atomically; return how many were written."""
        return self._impl().write(pairs, path, **options)

    def read(self, path: str | os.PathLike[str], **options: Any) -> Iterator[Pair]:
        """Stream the pairs stored in ``path``."""
        return self._impl().read(path, **options)


FORMATS: dict[str, Format] = {
    "tsv": Format("tsv", (".tsv", ".tab"), "align.formats.tsv",
                  "tab-separated, header en/ru/score/kind/doc"),
    "jsonl": Format("jsonl", (".jsonl", ".ndjson"), "align.formats.jsonl",
                    "one JSON object a line, Hugging Face translation shape"),
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


# Used by text formats to keep one pair on one line.
def one_line(text: str) -> str:
    """Collapse tabs and line breaks inside a segment into single spaces."""
    if "\t" in text or "\n" in text or "\r" in text:
        text = " ".join(text.replace("\t", " ").splitlines())
    return text


