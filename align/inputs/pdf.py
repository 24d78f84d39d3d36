"""PDF: the text layer, read with pdfminer.six, with paragraphs rebuilt.

pdfminer's layout analysis groups lines into text boxes in reading order; each box is a
paragraph. Then, in this order:

* running headers and footers go: a box in the top or bottom ``MARGIN`` of a page whose text,
  digits aside, recurs there on at least two pages and half of them, a box there that is only
  a page number (``12``, ``- 12 -``, ``Page 3 of 9``, ``стр. 4``), and a one-line box there
  in a font ``SMALLER`` than the body's (a running header on a one-page document);
* a box's lines are joined with spaces; a line ending in a hyphen after a letter, followed by a
  line starting with a lower-case letter, is joined without the hyphen (``trans-`` +
  ``lation``; also a word in capitals, ``SUBSC-`` + ``RIPTION``); soft hyphens vanish; a line starting with a bullet keeps its line break;
* a box of one to three lines set ``LARGER`` than the body text is a heading;
* a paragraph opening with a bullet (``•``) is a list item, the bullet dropped;
* a paragraph that ends no sentence at the bottom of a page, and either starts the next page in
  lower case or ran its last line the full width, goes on at the top of the next page.

Each paragraph carries a mark with its ``page`` (``3`` or ``3-4``). An encrypted PDF that needs
a password, a damaged one, and one with no text layer (a scan) are errors.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass

from ..types import Document
from .base import DocumentBuilder, corrupt, normalize, require

MARGIN = 0.12
LARGER = 1.2   # a short box set this much larger than the body: a heading
FULL_LINE = 0.9  # a last line this share of the page's widest line or more ran on
SMALLER = 0.85  # a one-line box in a margin set this much smaller than the body: furniture
_PAGE_NUMBER = re.compile(
    r"^\W*(?:(?:page|p\.|стр\.?|страница|с\.)\s*)?\d{1,4}(?:\s*(?:of|/|из)\s*\d{1,4})?\W*$",
    re.IGNORECASE)
_HYPHENS = "-\u2010\u00ad"
_BULLET = re.compile(r"^[•▪●◦‣·*]\s")
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’»)\]]*$")


@dataclass(frozen=True)
class _Box:
    lines: tuple[str, ...]
    page: int
    top: bool
    bottom: bool
    size: float = 0.0  # the height of its lines (the font size, near enough)
    last_width: float = 0.0  # of its last line
    widest: float = 0.0  # its widest line

    @property
    def key(self) -> str:
        return re.sub(r"\d+", "#", " ".join(" ".join(self.lines).split()).lower())


def read(data: bytes, path: str) -> Document:
    require("pdfminer", "pdfminer.six", path)
    boxes, pages = _boxes(data, path)
    builder = DocumentBuilder(path, "pdf")
    body = _body_size(boxes)
    for text, first, last, heading in _paragraphs(_drop_furniture(boxes, pages), body):
        text = normalize(text)
        kind = "heading" if heading else "paragraph"
        if _BULLET.match(text):
            kind, text = "item", text[2:].lstrip()
        page = str(first) if first == last else f"{first}-{last}"
        builder.add(text, kind, 1 if heading else 0,
                    marks=[(0, len(text), {"page": page})] if text else ())
    return builder.build("no text layer (a scanned PDF? it needs OCR first)")


def _body_size(boxes: list[_Box]) -> float:
    """The line height of most lines: the body text's."""
    sizes = sorted(box.size for box in boxes for _ in box.lines)
    return sizes[len(sizes) // 2] if sizes else 0.0


def _boxes(data: bytes, path: str) -> tuple[list[_Box], int]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer, LTTextLine
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    boxes: list[_Box] = []
    pages = 0
    try:
        for number, page in enumerate(extract_pages(io.BytesIO(data), laparams=LAParams()), 1):
            pages = number
            height = page.height or 1.0
            for element in page:
                if not isinstance(element, LTTextContainer):
                    continue
                kept = [line for line in element
                        if isinstance(line, LTTextLine) and line.get_text().strip()]
                if kept:
                    size = sorted(line.height for line in kept)[len(kept) // 2]
                    boxes.append(_Box(tuple(line.get_text().rstrip("\n") for line in kept),
                                      number, element.y0 >= (1 - MARGIN) * height,
                                      element.y1 <= MARGIN * height, size, kept[-1].width,
                                      max(line.width for line in kept)))
    except PDFPasswordIncorrect:
        raise corrupt(path, "encrypted PDF: it needs a password") from None
    except PDFEncryptionError as exc:
        raise corrupt(path, "encrypted PDF that cannot be read", exc) from None
    except Exception as exc:  # pdfminer's syntax errors, truncated streams, bad xrefs ...
        name = type(exc).__name__
        what = "encrypted PDF" if "Encrypt" in name or "Password" in name else "corrupt PDF file"
        raise corrupt(path, what, exc) from None
    return boxes, pages


def _drop_furniture(boxes: list[_Box], pages: int) -> list[_Box]:
    """The boxes but running headers, footers and page numbers."""
    counts: dict[tuple[bool, str], set[int]] = {}
    for box in boxes:
        if box.top or box.bottom:
            counts.setdefault((box.top, box.key), set()).add(box.page)
    body = _body_size(boxes)
    kept = []
    for box in boxes:
        if box.top or box.bottom:
            if _PAGE_NUMBER.match(" ".join(box.lines).strip()):
                continue
            if len(box.lines) == 1 and box.size < SMALLER * body:
                continue
            seen = len(counts[(box.top, box.key)])
            if seen >= 2 and seen * 2 >= pages:
                continue
        kept.append(box)
    return kept


def join_lines(lines: list[str] | tuple[str, ...]) -> str:
    """A paragraph's display lines as running text: hyphenation at line ends undone."""
    text = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if not text:
            text = line
        elif text[-1] in _HYPHENS and len(text) > 1 and text[-2].isalpha() and (
                line[0].islower() or _capitals_broken(text, line)):
            text = text[:-1] + line
        elif text[-1] == "\u00ad":
            text = text[:-1] + line
        else:
            text += ("\n" if _BULLET.match(line) else " ") + line
    return text


def _capitals_broken(text: str, line: str) -> bool:
    """A word in capitals hyphenated at the line end: ``SUBSC-`` + ``RIPTION``."""
    head = re.search(r"(\w+)[-\u2010]$", text)
    tail = re.match(r"\w+", line)
    return bool(head and tail and len(head.group(1)) > 1 and head.group(1).isupper()
                and tail.group(0).isupper() and tail.group(0).isalpha())


def _paragraphs(boxes: list[_Box], body: float) -> list[tuple[str, int, int, bool]]:
    """``(text, first page, last page, heading)`` per paragraph, page-broken paragraphs
    joined; a box of one to three lines set ``LARGER`` than the body is a heading."""
    widest: dict[int, float] = {}
    for box in boxes:
        widest[box.page] = max(widest.get(box.page, 0.0), box.widest)
    out: list[tuple[str, int, int, bool]] = []
    for i, box in enumerate(boxes):
        text = join_lines(box.lines)
        if not text:
            continue
        heading = len(box.lines) <= 3 and box.size >= LARGER * body
        if out and i and boxes[i - 1].page < box.page and not heading and not out[-1][3]:
            before = boxes[i - 1]
            full = before.last_width >= FULL_LINE * widest[before.page]
            if _continues(out[-1][0], text, full):
                previous, first, _, _ = out[-1]
                out[-1] = (join_lines([previous, text]), first, box.page, False)
                continue
        out.append((text, box.page, box.page, heading))
    return out


def _continues(previous: str, text: str, full: bool) -> bool:
    """Whether a page's last paragraph goes on at the top of the next: it ends no sentence,
    and the next starts in lower case or its own last line ran the full width."""
    return not _SENTENCE_END.search(previous) and (text[:1].islower() or full)
