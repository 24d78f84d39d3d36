"""Moses plain text: two line-aligned UTF-8 files, ``PREFIX.en`` and ``PREFIX.ru``.

Line *n* of one file translates line *n* of the other, the shape Moses, Marian, fairseq and
OpenNMT train on. ``path`` is the prefix or either file (``corpus``, ``corpus.en`` and
``corpus.ru`` all name the pair ``corpus.en`` + ``corpus.ru``). Only the text is stored: score,
kind, document and properties are not. Segments follow :func:`align.formats.clean_segment`
(one line each); a pair with an empty side is skipped, as Moses' own corpus cleaning would do,
and counted in the result. Both files are replaced together, only after everything is written.
"""
from __future__ import annotations

import os
from contextlib import ExitStack
from typing import Any, Iterable, Iterator

from ..errors import FormatError, InputError
from ..fileio import atomic_output
from ..types import Pair
from .base import CorpusFormat, SkipHandler, WriteResult, text_lines

SUFFIXES = (".en", ".ru")
EMPTY_SIDE = "a side is empty (Moses corpora hold no empty lines)"


def paths(path: str | os.PathLike[str]) -> tuple[str, str]:
    """The English and Russian file of the corpus ``path`` names (a prefix or either file)."""
    name = str(path)
    if name == "-":
        raise FormatError("Moses output is two files; give a file prefix, not '-'", name)
    prefix = name[:-3] if name.lower().endswith(SUFFIXES) else name
    return prefix + ".en", prefix + ".ru"


class MosesFormat(CorpusFormat):
    """Two line-aligned files; only the text is stored. Two files, so :meth:`write` is its own:
    both are replaced together, only after everything is written."""

    name, title = "moses", "Moses"
    keeps = ()
    empty_side = EMPTY_SIDE

    def write(self, pairs: Iterable[Pair], path: str | os.PathLike[str],
              **options: Any) -> WriteResult:
        """Write the text of ``pairs`` to ``PREFIX.en`` and ``PREFIX.ru``."""
        self.prepare(path, **options)
        en_path, ru_path = paths(path)
        written = skipped = 0
        with ExitStack() as stack:
            en_out = stack.enter_context(atomic_output(en_path))
            ru_out = stack.enter_context(atomic_output(ru_path))
            for pair in pairs:
                segments = self.segments(pair)
                if segments is None:
                    skipped += 1
                    continue
                en_out.write(segments[0].encode("utf-8") + b"\n")
                ru_out.write(segments[1].encode("utf-8") + b"\n")
                written += 1
        return self.result(written, skipped)

    def read(self, path: str | os.PathLike[str], *, on_skip: SkipHandler | None = None,
             **_: object) -> Iterator[Pair]:
        """Stream pairs from the two files; files of different lengths are an error."""
        en_path, ru_path = paths(path)
        for name in (en_path, ru_path):
            if not os.path.isfile(name):
                raise InputError("no such file" if not os.path.exists(name) else "not a file",
                                 name)
        return _read(en_path, ru_path)


def _read(en_path: str, ru_path: str) -> Iterator[Pair]:
    en_lines, ru_lines = text_lines(en_path, utf16=False), text_lines(ru_path, utf16=False)
    count = 0
    for en_item in en_lines:
        ru_item = next(ru_lines, None)
        if ru_item is None:
            raise FormatError(f"{ru_path} has {count} lines, {en_path} more", ru_path, count + 1)
        count += 1
        yield Pair(en=en_item[1], ru=ru_item[1])
    if next(ru_lines, None) is not None:
        raise FormatError(f"{en_path} has {count} lines, {ru_path} more", en_path, count + 1)


FORMAT = MosesFormat()
write, read = FORMAT.write, FORMAT.read
