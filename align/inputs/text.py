"""Plain text: blank lines separate paragraphs; the encoding is detected.

The text is kept exactly as decoded (line ends normalized to ``\\n``, the final one dropped),
so that ``align text`` on a ``.txt`` file segments the same characters it always did; the
blocks are the spans the segmenter takes for paragraphs.
"""
from __future__ import annotations

import re

from ..types import Block, Document
from .base import decode_text

# The segmenter's paragraph boundary (align.segment): a blank line or U+2029.
_BLANK = re.compile(r"(?:\r\n|\n|\r)(?:[^\S\r\n]*(?:\r\n|\n|\r))+|\u2029")


def read(data: bytes, path: str) -> Document:
    text, encoding = decode_text(data, path)
    if text.endswith("\n"):
        text = text[:-1]
    return Document(path, "txt", text, tuple(paragraph_blocks(text)), encoding)


def paragraph_blocks(text: str) -> list[Block]:
    """The non-blank paragraphs of ``text`` as blocks, surrounding white space excluded."""
    blocks = []
    start = 0
    for end, after in [(m.start(), m.end()) for m in _BLANK.finditer(text)] + [(len(text), 0)]:
        piece = text[start:end]
        stripped = piece.lstrip()
        if stripped:
            lo = start + len(piece) - len(stripped)
            blocks.append(Block(lo, lo + len(stripped.rstrip())))
        start = after
    return blocks
