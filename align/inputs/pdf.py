"""PDF: the text layer, read with pdfminer.six, with paragraphs rebuilt.

pdfminer's layout analysis groups lines into text boxes; each box is a paragraph. A page set in
columns is put in reading order by :func:`reading_order` (pdfminer's own order interleaves
columns): bands between boxes as wide as the text, columns left to right in each, each top to
bottom. Then, in this order:

* running headers and footers go: a box in the top or bottom ``MARGIN`` of a page whose text,
  digits aside, recurs there on at least two pages and half of them, a box there that is only
  a page number (``12``, ``- 12 -``, ``Page 3 of 9``, ``стр. 4``), and a one-line box there
  in a font ``SMALLER`` than the body's (a running header on a one-page document);
* a box's lines are joined with spaces; a line ending in a hyphen after a letter, followed by a
  line starting with a lower-case letter, is joined without the hyphen (``trans-`` +
  ``lation``; also a word in capitals, ``SUBSC-`` + ``RIPTION``); soft hyphens vanish; a line starting with a bullet keeps its line break;
* a box of one to three lines set ``LARGER`` than the body text is a heading;
* a paragraph opening with a bullet (``•``) is a list item, the bullet dropped;
* a paragraph that ends no sentence at the foot of a page or a column, and either the next
  page or column starts in lower case or its last line ran the full width (or
  the next word would not have fitted on it), goes on at the top of the next one.

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
COLUMN_EDGE = 6.0  # points: boxes whose left edges are this close are in one column
WIDE = 0.6  # a box this share of the text's width or wider spans the columns
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
    x0: float = 0.0  # its left edge
    y1: float = 0.0  # its top edge (PDF coordinates: up is larger)
    x1: float = 0.0  # its right edge

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
            on_page: list[_Box] = []
            for element in page:
                if not isinstance(element, LTTextContainer):
                    continue
                kept = [line for line in element
                        if isinstance(line, LTTextLine) and line.get_text().strip()]
                if kept:
                    size = sorted(line.height for line in kept)[len(kept) // 2]
                    on_page.append(_Box(tuple(line.get_text().rstrip("\n") for line in kept),
                                        number, element.y0 >= (1 - MARGIN) * height,
                                        element.y1 <= MARGIN * height, size, kept[-1].width,
                                        max(line.width for line in kept), element.x0,
                                        element.y1, element.x1))
            boxes.extend(reading_order(on_page))
    except PDFPasswordIncorrect:
        raise corrupt(path, "encrypted PDF: it needs a password") from None
    except PDFEncryptionError as exc:
        raise corrupt(path, "encrypted PDF that cannot be read", exc) from None
    except Exception as exc:  # pdfminer's syntax errors, truncated streams, bad xrefs ...
        name = type(exc).__name__
        what = "encrypted PDF" if "Encrypt" in name or "Password" in name else "corrupt PDF file"
        raise corrupt(path, what, exc) from None
    return boxes, pages


def reading_order(boxes: list[_Box]) -> list[_Box]:
    """A page's boxes in reading order when it is set in columns: the boxes as wide as most of
    the text (a title over the columns) cut the page into bands, top to bottom; in a band,
    boxes whose left-right extents overlap form a column; columns are read left to right,
    each top to bottom (running headers and page numbers too: they are dropped later, and a
    column's first lines may stand in the top margin). A page with one column keeps
    pdfminer's order."""
    body = boxes
    if len(body) < 2:
        return boxes
    left, right = min(b.x0 for b in body), max(b.x1 for b in body)
    wide = sorted((b for b in body if b.x1 - b.x0 >= WIDE * (right - left)), key=lambda b: -b.y1)
    bands: list[list[_Box]] = [[] for _ in range(len(wide) + 1)]
    for box in body:
        if box in wide:
            continue
        band = sum(1 for w in wide if w.y1 >= box.y1)  # the wide boxes above it
        bands[band].append(box)
    ordered: list[_Box] = []
    columns_seen = False
    for n, band in enumerate(bands):
        if n:
            ordered.append(wide[n - 1])
        columns: list[tuple[float, float, list[_Box]]] = []
        for box in sorted(band, key=lambda b: b.x0):
            if columns and box.x0 < columns[-1][1]:
                lo, hi, members = columns[-1]
                columns[-1] = (lo, max(hi, box.x1), members + [box])
            else:
                columns.append((box.x0, box.x1, [box]))
        columns_seen = columns_seen or len(columns) > 1
        for _, _, members in columns:
            ordered.extend(sorted(members, key=lambda b: -b.y1))
    return ordered if columns_seen else boxes


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


def _column_width(boxes: list[_Box], box: _Box) -> float:
    """The widest line of the column ``box`` is in: the boxes of its page whose left edge is
    within ``COLUMN_EDGE`` points of its own (the whole page on a one-column page)."""
    return max(b.widest for b in boxes if b.page == box.page and abs(b.x0 - box.x0) <= COLUMN_EDGE)


def _flows_on(before: _Box, box: _Box) -> bool:
    """Whether ``box`` starts where text goes on after ``before``: the next page, or the
    next column of the same page (it starts above ``before``'s top, to its right)."""
    return before.page < box.page or (box.page == before.page and box.y1 > before.y1
                                      and box.x0 > before.x0 + COLUMN_EDGE)


def _paragraphs(boxes: list[_Box], body: float) -> list[tuple[str, int, int, bool]]:
    """``(text, first page, last page, heading)`` per paragraph, paragraphs broken by a page
    or a column joined; a box of one to three lines set ``LARGER`` than the body is a
    heading."""
    out: list[tuple[str, int, int, bool]] = []
    for i, box in enumerate(boxes):
        text = join_lines(box.lines)
        if not text:
            continue
        heading = len(box.lines) <= 3 and box.size >= LARGER * body
        if out and i and _flows_on(boxes[i - 1], box) and not heading and not out[-1][3]:
            before = boxes[i - 1]
            full = _ran_full(before, text, _column_width(boxes, before))
            if _continues(out[-1][0], text, full):
                previous, first, _, _ = out[-1]
                out[-1] = (join_lines([previous, text]), first, box.page, False)
                continue
        out.append((text, box.page, box.page, heading))
    return out


def _ran_full(before: _Box, text: str, width: float) -> bool:
    """Whether ``before``'s last line ran the full ``width`` of its column: it is
    ``FULL_LINE`` of it, or the first word of ``text`` (at the line's average letter width)
    would not have fitted after it (a narrow column leaves a wide gap at a long word)."""
    if before.last_width >= FULL_LINE * width:
        return True
    last = before.lines[-1].strip()
    word = text.split(maxsplit=1)[0] if text.split() else ""
    if not last or not word:
        return False
    return before.last_width * (len(last) + 1 + len(word)) / len(last) > width


def _continues(previous: str, text: str, full: bool) -> bool:
    """Whether a page's last paragraph goes on at the top of the next: it ends no sentence,
    and the next starts in lower case or its own last line ran the full width."""
    return not _SENTENCE_END.search(previous) and (text[:1].islower() or full)
