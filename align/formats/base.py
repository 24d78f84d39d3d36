"""What every corpus format shares: the ``CorpusFormat`` base class, the text rules, line input.

As translate-toolkit's formats derive from one ``TranslationStore``, every format here is a
subclass of :class:`CorpusFormat` (one module each, an instance named ``FORMAT``). A format
says what it stores — its encodings, the pair fields that survive a round trip, whether text is
stored exactly or one line per segment, whether a pair with an empty side can be stored — and
implements ``serialize`` (pairs to an open binary stream) and ``read``; the base writes
atomically, checks the encoding and applies the text rules, the same way for every format.
``tests/format_contract.py`` holds the tests every format's test class inherits.

Text rules: TMX, TSV and Moses store a segment as one line of XML-safe text
(:func:`clean_segment`); JSONL stores text exactly. Converting between formats is lossless for
text that is already clean, which is what the aligner and the article parser produce.
"""
from __future__ import annotations

import codecs
import io
import os
import re
import sys
from typing import IO, Any, Callable, ClassVar, Iterable, Iterator

from ..errors import FormatError
from ..fileio import atomic_output, open_input
from ..types import Pair

#: Called by readers for a record they skip: ``on_skip(reason, line_or_None)``.
SkipHandler = Callable[[str, "int | None"], None]


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


class CorpusFormat:
    """The base of every corpus format; subclasses set the class attributes and implement
    :meth:`serialize` and :meth:`read` (or :meth:`write` itself, for a format that is not one
    file).

    ``name``/``title``: the registry name and how messages spell it; ``encodings``: the output
    encodings, the first the default; ``keeps``: the pair fields beyond the text that survive a
    round trip; ``exact_text``: text is stored exactly (else as :func:`clean_segment` leaves
    it); ``empty_side``: ``None`` when a pair with an empty side is stored, else the reason such
    a pair is skipped (reported in the :class:`WriteResult`).
    """

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    encodings: ClassVar[tuple[str, ...]] = ("utf-8",)
    keeps: ClassVar[tuple[str, ...]] = ("score", "kind", "doc", "props")
    exact_text: ClassVar[bool] = False
    empty_side: ClassVar[str | None] = None

    def write(self, pairs: Iterable[Pair], path: str | os.PathLike[str],
              **options: Any) -> WriteResult:
        """Write ``pairs`` to ``path`` atomically: the file appears, complete, only once every
        pair is written; on any error the previous file (if any) is left as it was."""
        settings = self.prepare(path, **options)
        with atomic_output(path) as out:
            return self.serialize(pairs, out, **settings)

    def prepare(self, path: str | os.PathLike[str], *, encoding: str | None = None,
                **_: object) -> dict[str, Any]:
        """The checked options :meth:`serialize` takes, before anything is written. Options a
        format does not know (``langs`` for TSV, say) are ignored, so one call fits all."""
        return {"encoding": self.check_encoding(encoding, path)}

    def serialize(self, pairs: Iterable[Pair], out: IO[bytes], **settings: Any) -> WriteResult:
        raise NotImplementedError

    def read(self, path: str | os.PathLike[str], *, on_skip: SkipHandler | None = None,
             **options: Any) -> Iterator[Pair]:
        """Stream the pairs stored in ``path``; ``on_skip(reason, line)`` hears of each record
        passed over, so that nothing is dropped unseen."""
        raise NotImplementedError

    def check_encoding(self, encoding: str | None, path: str | os.PathLike[str]) -> str:
        """``encoding`` (lower-cased; the format's default for ``None``), or a ``FormatError``
        naming the encodings the format writes."""
        chosen = (encoding or self.encodings[0]).lower()
        if chosen not in self.encodings:
            raise FormatError(f"unsupported {self.title} encoding {encoding!r} (choose from "
                              f"{', '.join(self.encodings)})", str(path))
        return chosen

    def segments(self, pair: Pair) -> tuple[str, str] | None:
        """The pair's English and Russian text as stored, or ``None`` when the format cannot
        store the pair (an empty side where ``empty_side`` says so)."""
        if self.exact_text:
            en, ru = pair.en, pair.ru
        else:
            en, ru = clean_segment(pair.en), clean_segment(pair.ru)
        if self.empty_side is not None and (not en or not ru):
            return None
        return en, ru

    def result(self, written: int, skipped: int = 0) -> WriteResult:
        """The :class:`WriteResult` of a write that skipped ``skipped`` pairs with an empty side."""
        return WriteResult(written, {self.empty_side or "skipped": skipped} if skipped else None)


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
