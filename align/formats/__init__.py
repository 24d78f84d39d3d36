"""Corpus format registry, and the text rules every format shares.

Each format is a module with a streaming ``write(pairs, path, **options) -> WriteResult`` and
``read(path, **options) -> Iterator[Pair]``. ``FORMATS`` maps a format name to its ``Format``
record; the CLI reads its ``--format`` choices, extension lookup and allowed encodings from
here, so a new format is one new module and one line below.

Options every writer accepts (and ignores when they do not apply to it): ``langs`` (the
BCP 47 tags of the English and Russian sides, TMX only), ``encoding`` (one of the format's
``encodings``). Every reader accepts ``on_skip(reason, line)``, called for each record it
passes over (a TMX unit without both languages, say), so that nothing is dropped unseen.

Text rules: TMX, TSV and Moses store a segment as one line of XML-safe text
(:func:`clean_segment`); JSONL stores text exactly. Converting between formats is lossless for
text that is already clean, which is what the aligner and the article parser produce.
"""
from __future__ import annotations

import codecs
import importlib
import io
import os
import re
import sys
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

from ..errors import AlignError, FormatError
from ..fileio import open_input
from ..types import Pair

#: Called by readers for a record they skip: ``on_skip(reason, line_or_None)``.
SkipHandler = Callable[[str, "int | None"], None]


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

    def write(self, pairs: Iterable[Pair], path: str | os.PathLike[str],
              **options: Any) -> "WriteResult":
        """Write ``pairs`` to ``path`` atomically; return how many were written (and skipped)."""
        return self._impl().write(pairs, path, **options)

    def read(self, path: str | os.PathLike[str], **options: Any) -> Iterator[Pair]:
        """Stream the pairs stored in ``path``."""
        return self._impl().read(path, **options)


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


class WriteResult(int):
    """The number of pairs written, with ``skipped``: pairs the format could not store.

    An ``int`` so that callers that only want the count keep working; ``reasons`` maps each
    reason for skipping to how many pairs it concerned.
    """

    skipped: int
    reasons: dict[str, int]

    def __new__(cls, written: int, reasons: dict[str, int] | None = None) -> "WriteResult":
        result = super().__new__(cls, written)
        result.reasons = dict(reasons or {})
        result.skipped = sum(result.reasons.values())
        return result

    @property
    def written(self) -> int:
        return int(self)


# --- text rules -------------------------------------------------------------------------------

# Line and paragraph breaks, Unicode's included: inside a segment they become one space.
_BREAKS = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# Characters XML 1.0 forbids (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF) and
# the C1 controls and DEL, which XML allows but which are never text: mojibake or stray bytes.
_DROPPED = ([chr(c) for c in range(0x20) if chr(c) not in _BREAKS]
            + [chr(c) for c in range(0x7F, 0xA0) if chr(c) not in _BREAKS]
            + [chr(c) for c in range(0xD800, 0xE000)] + ["\ufffe", "\uffff"])
_DROP_TABLE = str.maketrans(dict.fromkeys(_DROPPED))
_XML_FORBIDDEN = ([chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"]
                  + [chr(c) for c in range(0xD800, 0xE000)] + ["\ufffe", "\uffff"])
_XML_ONLY_TABLE = str.maketrans(dict.fromkeys(_XML_FORBIDDEN))
_SUSPECT = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_BREAK_RUN = re.compile(f"[ {_BREAKS}]*[{_BREAKS}][ {_BREAKS}]*")

#: The characters :func:`clean_segment` removes (documented in tests and the README).
DROPPED_CHARACTERS: frozenset[str] = frozenset(_DROPPED)


def clean_segment(text: str) -> str:
    """One segment as every line-based format stores it.

    Removes control characters (XML forbids most C0 controls; DEL, the C1 controls, lone
    surrogates and U+FFFE/U+FFFF are never text either), turns each run of whitespace that
    contains a tab or a line break (``\\n``, ``\\r``, U+2028, ...) into one space, and trims
    surrounding whitespace. Ordinary spaces inside the text, no-break spaces included, are kept.
    """
    if _SUSPECT.search(text) is not None:
        text = _BREAK_RUN.sub(" ", text.translate(_DROP_TABLE))
    return text.strip()


def xml_text(text: str) -> str:
    """``text`` minus the characters XML 1.0 cannot carry; line breaks are kept (notes)."""
    if _SUSPECT.search(text) is not None:
        text = text.translate(_XML_ONLY_TABLE)
    return text


# --- streaming text input shared by the line-based readers ------------------------------------

def text_lines(path: str | os.PathLike[str], *, utf16: bool = True) -> Iterator[tuple[int, str]]:
    """Stream ``(line_number, line)`` from a text file, line ends removed, in constant memory.

    The encoding comes from the BOM: UTF-16 (either byte order) when ``utf16`` allows it, else
    UTF-8 with or without a BOM. Lines end at ``\n`` (a preceding ``\r`` is dropped). A byte
    sequence that does not decode is a ``FormatError`` naming the line it is on.
    """
    name = str(path)
    raw = open_input(path)
    try:
        head = raw.peek(4)[:4] if hasattr(raw, "peek") else b""
        if utf16 and head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            # UTF-16 cannot be split into lines as bytes; decode as a stream.
            stream = io.TextIOWrapper(raw, encoding="utf-16", newline="\n")
            number = 0
            try:
                for number, line in enumerate(stream, start=1):
                    yield number, line.rstrip("\n").rstrip("\r")
            except UnicodeDecodeError:
                raise FormatError("not valid UTF-16", name, number + 1) from None
            finally:
                stream.detach()
            return
        for number, data in enumerate(raw, start=1):
            if number == 1 and data.startswith(codecs.BOM_UTF8):
                data = data[3:]
            try:
                line = data.decode("utf-8")
            except UnicodeDecodeError:
                raise FormatError("not valid UTF-8" + (" or UTF-16" if utf16 else ""), name,
                                  number) from None
            yield number, line.rstrip("\n").rstrip("\r")
    finally:
        if raw is not sys.stdin.buffer:
            raw.close()


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
