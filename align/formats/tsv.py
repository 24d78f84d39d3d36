"""TSV: a header row ``en ru score kind doc``, one pair a line, no quoting.

Segments are written as :func:`align.formats.clean_segment` leaves them (one line, no tab), so
every row has exactly the header's fields and no quoting is needed (IANA text/tab-separated-
values). Excel and memoQ want a BOM: ``encoding`` is ``utf-8`` (default), ``utf-8-sig`` or
``utf-16`` (little-endian with BOM).

Reading streams line by line. The encoding comes from the BOM (UTF-16 or UTF-8), else UTF-8.
The header names the columns: ``en`` and ``ru`` are required (a language tag such as ``en-US``
also names them), ``score``, ``kind`` and ``doc`` are optional, any other column becomes a
property of the pair. A row whose field count differs from the header's is an error with its
line number; blank lines are skipped.
"""
from __future__ import annotations

import io
import os
from typing import IO, Iterable, Iterator

from ..errors import FormatError
from ..langtags import primary_language
from ..types import Pair
from .base import CorpusFormat, SkipHandler, WriteResult, clean_segment, text_lines

HEADER = ("en", "ru", "score", "kind", "doc")
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16")
FIELDS = frozenset(HEADER)


def _score_text(score: float | None) -> str:
    return "" if score is None else f"{score:.4f}"


class TSVFormat(CorpusFormat):
    """Tab-separated values with a header row; every pair is written, an empty side included."""

    name, title = "tsv", "TSV"
    encodings = ENCODINGS
    keeps = ("score", "kind", "doc")

    def serialize(self, pairs: Iterable[Pair], raw: IO[bytes], *, encoding: str) -> WriteResult:
        count = 0
        # A buffered text layer: one encode per block rather than per row.
        out = io.TextIOWrapper(raw, encoding="utf-16" if encoding == "utf-16" else encoding,
                               newline="\n", write_through=False)
        try:
            out.write("\t".join(HEADER) + "\n")
            for pair in pairs:
                en, ru = self.segments(pair)  # type: ignore[misc]  # never None: TSV stores empty sides
                out.write(f"{en}\t{ru}\t{_score_text(pair.score)}\t{clean_segment(pair.kind)}\t"
                          f"{clean_segment(pair.doc)}\n")
                count += 1
            out.flush()
        finally:
            out.detach()  # leave closing the file to atomic_output
        return self.result(count)

    def read(self, path: str | os.PathLike[str], *, on_skip: SkipHandler | None = None,
             **_: object) -> Iterator[Pair]:
        """Stream pairs from TSV; the header row is required and names the columns."""
        return _read(path)


def _columns(header: list[str], name: str) -> dict[str, int]:
    col: dict[str, int] = {}
    for i, key in enumerate(header):
        key = key.strip()
        if key.lower() in FIELDS:
            key = key.lower()
        elif primary_language(key) in ("en", "ru") and len(key) <= 35 and " " not in key:
            key = primary_language(key) or key
        if key in col:
            raise FormatError(f"header names column {key!r} twice", name, 1)
        col[key] = i
    if "en" not in col or "ru" not in col:
        raise FormatError("header row must name the columns en and ru", name, 1)
    return col


def _read(path: str | os.PathLike[str]) -> Iterator[Pair]:
    name = str(path)
    lines = text_lines(path)
    first = next(lines, None)
    if first is None:
        raise FormatError("empty file", name)
    header = first[1].split("\t")
    col = _columns(header, name)
    en_i, ru_i = col["en"], col["ru"]
    score_i, kind_i, doc_i = col.get("score"), col.get("kind"), col.get("doc")
    extra = [(key, i) for key, i in col.items() if key not in FIELDS]
    width = len(header)
    for number, line in lines:
        if not line:
            continue
        fields = line.split("\t")
        if len(fields) != width:
            raise FormatError(f"{len(fields)} fields, the header has {width}", name, number)
        score_text = fields[score_i] if score_i is not None else ""
        try:
            score = float(score_text) if score_text else None
        except ValueError:
            raise FormatError(f"score is not a number: {score_text!r}", name, number) from None
        yield Pair(en=fields[en_i], ru=fields[ru_i], score=score,
                   kind=fields[kind_i] if kind_i is not None else "",
                   doc=fields[doc_i] if doc_i is not None else "",
                   props={key: fields[i] for key, i in extra if fields[i]})


FORMAT = TSVFormat()
write, read = FORMAT.write, FORMAT.read
