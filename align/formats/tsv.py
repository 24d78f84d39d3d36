"""TSV: a header row ``en ru score kind doc``, one pair a line, no quoting.

Tabs and line breaks inside a segment become spaces, so a row always has five fields; a file
whose row has another field count is rejected with its line number.
"""
from __future__ import annotations

import codecs
import os
from typing import Iterable, Iterator

from ..errors import FormatError
from ..fileio import atomic_output, read_bytes
from ..types import Pair
from . import one_line

HEADER = ("en", "ru", "score", "kind", "doc")
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16")


def _score_text(score: float | None) -> str:
    return "" if score is None else f"{score:.4f}"


def write(pairs: Iterable[Pair], path: str | os.PathLike[str], *, encoding: str = "utf-8",
          **_: object) -> int:
    """Write ``pairs`` as TSV in ``encoding`` (utf-16 and utf-8-sig for Excel and memoQ)."""
    if encoding not in ENCODINGS:
        raise FormatError(f"unsupported TSV encoding {encoding!r}", str(path))
    count = 0
    with atomic_output(path) as raw:
        writer = codecs.getwriter(encoding)(raw)
        writer.write("\t".join(HEADER) + "\n")
        for pair in pairs:
            row = (one_line(pair.en), one_line(pair.ru), _score_text(pair.score),
                   one_line(pair.kind), one_line(pair.doc))
            writer.write("\t".join(row) + "\n")
            count += 1
    return count


def _decode(data: bytes, path: str) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FormatError("not valid UTF-8 or UTF-16", path, line) from None


def read(path: str | os.PathLike[str], **_: object) -> Iterator[Pair]:
    """Read pairs from TSV; the header row is required and names the columns."""
    name = str(path)
    text = _decode(read_bytes(path), name)
    lines = text.splitlines()
    if not lines:
        raise FormatError("empty file", name)
    header = lines[0].split("\t")
    if "en" not in header or "ru" not in header:
        raise FormatError("header row must name the columns en and ru", name, 1)
    col = {key: i for i, key in enumerate(header)}
    for number, line in enumerate(lines[1:], start=2):
        if not line:
            continue
        fields = line.split("\t")
        if len(fields) != len(header):
            raise FormatError(f"{len(fields)} fields, the header has {len(header)}", name, number)
        score_text = fields[col["score"]] if "score" in col else ""
        try:
            score = float(score_text) if score_text else None
        except ValueError:
            raise FormatError(f"score is not a number: {score_text!r}", name, number) from None
        yield Pair(en=fields[col["en"]], ru=fields[col["ru"]], score=score,
                   kind=fields[col["kind"]] if "kind" in col else "",
                   doc=fields[col["doc"]] if "doc" in col else "")
