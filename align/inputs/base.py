"""What every input format shares: building a :class:`Document`, typed errors, optional imports.

A reader is a module with ``read(data: bytes, path: str) -> Document``; it collects its
paragraphs with a :class:`DocumentBuilder`, which normalizes white space the same way for every
format (so that a DOCX and a PDF of the same text give the same paragraphs) and lays them out
separated by blank lines, the paragraph boundary the segmenter knows.
"""
from __future__ import annotations

import importlib
import re
from typing import Any, Mapping, Sequence

from ..errors import InputError
from ..types import Block, Document, Mark

#: The pip command that adds every optional input library.
EXTRA = "pip install 'align[formats]'"

# Line separators of every kind, as the segmenter would see them, become "\n".
_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029\x0b\x0c\x85]")
_SPACES = re.compile(r"[^\S\n]+")
# Invisible characters a layout leaves inside words: soft hyphen, zero-width space/joiners.
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")

PARAGRAPH_SEPARATOR = "\n\n"


def require(module: str, package: str, path: str) -> Any:
    """Import an optional library; when it is missing, an ``InputError`` naming the pip
    install that adds it (``align[formats]``)."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise InputError(f"reading this format needs {package}, which is not installed: "
                         f"{EXTRA}", path) from None


def normalize(text: str) -> str:
    """One paragraph's text as every format stores it: line breaks kept as ``\\n`` (no empty
    line), runs of spaces and tabs as one space, invisible characters dropped, ends trimmed."""
    text = _INVISIBLE.sub("", _LINE_BREAKS.sub("\n", text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


class DocumentBuilder:
    """Collects paragraphs (and marks over them) in reading order, then builds the Document."""

    def __init__(self, path: str, fmt: str, encoding: str | None = None) -> None:
        self.path, self.format, self.encoding = path, fmt, encoding
        self.parts: list[str] = []
        self.length = 0
        self.blocks: list[Block] = []
        self.marks: list[Mark] = []
        self.warnings: list[str] = []
        self.chapter = 0

    def new_chapter(self) -> None:
        """Start a chapter (the next paragraph gets the next chapter number), unless the
        current chapter has no paragraph yet."""
        if self.blocks and self.blocks[-1].chapter == self.chapter:
            self.chapter += 1

    def add(self, text: str, kind: str = "paragraph", level: int = 0,
            marks: Sequence[tuple[int, int, Mapping[str, str]]] = ()) -> bool:
        """Add one paragraph (normalized first; empty text adds nothing). ``marks`` are spans
        of ``text`` with metadata; with marks, ``text`` must be normalized already, so the
        offsets hold. Returns whether a paragraph was added."""
        clean = normalize(text)
        if marks and clean != text:
            raise ValueError("text with marks must be normalized")
        if not clean:
            return False
        if self.parts:
            self.parts.append(PARAGRAPH_SEPARATOR)
            self.length += len(PARAGRAPH_SEPARATOR)
        start = self.length
        self.parts.append(clean)
        self.length += len(clean)
        self.blocks.append(Block(start, self.length, kind, level, self.chapter))
        self.marks.extend(Mark(start + lo, start + hi, dict(props)) for lo, hi, props in marks)
        return True

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def build(self, empty: str = "no text found") -> Document:
        """The Document; an ``InputError`` (``empty``) when no paragraph was added."""
        if not self.blocks:
            raise InputError(empty, self.path)
        chapters = sorted({b.chapter for b in self.blocks})
        renumber = {c: n for n, c in enumerate(chapters)}
        blocks = tuple(Block(b.start, b.end, b.kind, b.level, renumber[b.chapter])
                       for b in self.blocks)
        return Document(self.path, self.format, "".join(self.parts), blocks, self.encoding,
                        tuple(self.marks), tuple(self.warnings))


def decode_text(data: bytes, path: str) -> tuple[str, str]:
    """Bytes of a text format (plain text, HTML, SRT) to ``(text, encoding)``: the one
    decoding every text input takes (:func:`align.fileio.decode_text`)."""
    from ..fileio import decode_text as decode

    return decode(data, path)


def corrupt(path: str, what: str, exc: BaseException | None = None) -> InputError:
    """The one-line error for a file its format's reader cannot make sense of."""
    detail = ""
    if exc is not None:
        text = " ".join(str(exc).split())
        if text:
            detail = f" ({text[:120]})"
    return InputError(f"{what}{detail}", path)
