"""Reading and writing bead files: one bead a line, ``[0]:[0, 1]`` or ``[0]:[0, 1]:0.9731``.

This is Vecalign's alignment format, with the aligner's confidence as an optional third
field. Gold files (``NAME.gold``) have no confidence; aligner output (``NAME.align``) has one.
"""
from __future__ import annotations

import os
import re
from typing import Iterable, Sequence

from .errors import FormatError
from .fileio import atomic_output, read_text_lines
from .types import Bead

_SIDE = r"\[\s*((?:\d+\s*(?:,\s*\d+\s*)*)?)\]"
_LINE = re.compile(rf"^\s*{_SIDE}\s*:\s*{_SIDE}\s*(?::\s*([-+0-9.eE]+|nan|inf))?\s*$")


def parse_bead(line: str, path: str | None = None, lineno: int | None = None) -> Bead:
    """Parse one bead line; raise ``FormatError`` naming the file and line if it is malformed."""
    match = _LINE.match(line)
    if not match:
        raise FormatError(f"not a bead line: {line[:60]!r}", path, lineno)
    src = tuple(int(x) for x in match.group(1).split(",")) if match.group(1).strip() else ()
    tgt = tuple(int(x) for x in match.group(2).split(",")) if match.group(2).strip() else ()
    score = float(match.group(3)) if match.group(3) is not None else 0.0
    if not src and not tgt:
        raise FormatError("bead with two empty sides", path, lineno)
    return Bead(src, tgt, score)


def read_beads(path: str | os.PathLike[str]) -> list[Bead]:
    """Read a bead file (gold or aligner output). Blank lines are ignored."""
    beads = []
    for lineno, line in enumerate(read_text_lines(path), 1):
        if line.strip():
            beads.append(parse_bead(line, str(path), lineno))
    return beads


def format_bead(bead: Bead, with_score: bool = True) -> str:
    """``[0]:[0, 1]:0.9731`` (or without the score for gold files)."""
    text = f"[{', '.join(map(str, bead.src))}]:[{', '.join(map(str, bead.tgt))}]"
    return f"{text}:{bead.score:.4f}" if with_score else text


def write_beads(beads: Iterable[Bead], path: str | os.PathLike[str],
                with_score: bool = True) -> int:
    """Write beads one a line, atomically; return the number written."""
    count = 0
    with atomic_output(path) as out:
        for bead in beads:
            out.write((format_bead(bead, with_score) + "\n").encode("utf-8"))
            count += 1
    return count


def beads_from_pairs(pairs: Sequence[tuple[Sequence[int], Sequence[int]]]) -> list[Bead]:
    """Convenience for tests and callers holding plain index lists."""
    return [Bead(tuple(s), tuple(t)) for s, t in pairs]
