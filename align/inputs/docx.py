"""DOCX (Word): body paragraphs, headings, list items and table cells in document order.

Read with python-docx. Headings are paragraphs whose style is ``Title`` or ``Heading N``;
list items have a numbering property or a ``List`` style; a table gives one paragraph per cell
(merged cells once). Page headers, footers, footnotes and comments are not body text and are
left out.

Tracked changes are read as accepted: insertions (``w:ins``) and moves' new places
(``w:moveTo``) are text, deletions (``w:del``, ``w:delText``) and moves' old places
(``w:moveFrom``) are not; a paragraph whose mark was deleted joins the next paragraph, and a
deleted table row is left out. A paragraph's text is read from its XML (python-docx's
``Paragraph.text`` sees only direct runs, so it would lose insertions, smart tags and content
controls): ``w:t``, tabs, line breaks (``w:br``, ``w:cr``; a page or column break is a space),
non-breaking hyphens; field instructions, drawings and text boxes, and math are left out.
"""
from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from ..types import Document
from .base import DocumentBuilder, corrupt, require

_HEADING = re.compile(r"^(?:heading|заголовок)\s*(\d)$", re.IGNORECASE)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: Not text when reading a paragraph: deletions, old places of moves, field instructions,
#: properties, drawings, VML pictures and text boxes, embedded objects, math.
_SKIP = {"del", "moveFrom", "delText", "delInstrText", "instrText", "pPr", "rPr", "sdtPr",
         "sdtEndPr", "drawing", "pict", "object", "AlternateContent", "oMath", "oMathPara",
         "footnoteReference", "endnoteReference", "commentReference", "fldData"}
_CHARACTERS = {"tab": "\t", "ptab": "\t", "cr": "\n", "noBreakHyphen": "-", "softHyphen": ""}


def read(data: bytes, path: str) -> Document:
    docx = require("docx", "python-docx", path)
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError) as exc:
        raise corrupt(path, "not a DOCX file (not a valid zip archive)", exc) from None
    except KeyError as exc:
        raise corrupt(path, "not a DOCX file (a part is missing)", exc) from None
    except Exception as exc:  # lxml's XMLSyntaxError, a bad content type, ...
        raise corrupt(path, "corrupt DOCX file", exc) from None
    builder = DocumentBuilder(path, "docx")
    try:
        _body(document, builder)
    except Exception as exc:
        raise corrupt(path, "corrupt DOCX file", exc) from None
    return builder.build("no text in the document")


class _Paragraphs:
    """Adds paragraphs to the builder, carrying the text of a paragraph whose mark was deleted
    (a tracked merge) into the next one, which gives the merged paragraph its style."""

    def __init__(self, document: Any, builder: DocumentBuilder) -> None:
        self.document, self.builder = document, builder
        self.carried = ""

    def add(self, p: Any, kind: str | None = None) -> None:
        from docx.text.paragraph import Paragraph

        text = self.carried + paragraph_text(p)
        self.carried = ""
        if _mark_removed(p):
            self.carried = text + " "
            return
        paragraph = Paragraph(p, self.document)
        style = paragraph.style.name if paragraph.style is not None else ""
        level = 0
        match = _HEADING.match(style or "")
        if style == "Title":
            level = 1
        elif match:
            level = int(match.group(1))
        if level:
            self.builder.add(text, "heading", level)
            return
        if kind is None:
            numbered = p.pPr is not None and p.pPr.numPr is not None
            kind = "item" if numbered or (style or "").startswith("List") else "paragraph"
        self.builder.add(text, kind)

    def flush(self) -> None:
        """The carried text when no paragraph follows (a table, the end of the body)."""
        if self.carried:
            self.builder.add(self.carried)
            self.carried = ""


def _body(document: Any, builder: DocumentBuilder) -> None:
    from docx.table import Table

    paragraphs = _Paragraphs(document, builder)
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
        if tag == "p":
            paragraphs.add(child)
        elif tag == "tbl":
            paragraphs.flush()
            _table(Table(child, document), paragraphs)
        elif tag in ("sdt", "customXml"):
            # a content control (a cover page, a table of contents) holds paragraphs
            for p in child.iter(f"{W}p"):
                paragraphs.add(p)
    paragraphs.flush()


def _table(table: Any, paragraphs: _Paragraphs) -> None:
    from docx.table import Table

    seen: set[Any] = set()  # the cells' XML elements (kept alive, so identity holds)
    for row in table.rows:
        if row._tr.find(f"{W}trPr/{W}del") is not None:  # a deleted row (tracked)
            continue
        for cell in row.cells:
            if cell._tc in seen:  # a merged cell is listed once per grid column it spans
                continue
            seen.add(cell._tc)
            for child in cell._tc.iterchildren():
                if child.tag == f"{W}p":
                    paragraphs.add(child, "cell")
                elif child.tag == f"{W}tbl":
                    paragraphs.flush()
                    _table(Table(child, cell), paragraphs)
            paragraphs.flush()


def _mark_removed(p: Any) -> bool:
    """Whether a paragraph's mark is a tracked deletion or a move's old place (its text then
    joins the next paragraph's)."""
    rpr = p.find(f"{W}pPr/{W}rPr")
    return rpr is not None and (rpr.find(f"{W}del") is not None
                                or rpr.find(f"{W}moveFrom") is not None)


def paragraph_text(element: Any) -> str:
    """The text of a ``w:p`` (or any run container) with tracked changes accepted."""
    parts: list[str] = []
    _text(element, parts)
    return "".join(parts)


def _text(element: Any, parts: list[str]) -> None:
    for child in element.iterchildren():
        if not isinstance(child.tag, str):
            continue
        name = child.tag.rsplit("}", 1)[-1]
        if name in _SKIP:
            continue
        if name == "t":
            parts.append(child.text or "")
        elif name == "br":
            parts.append(" " if child.get(f"{W}type") in ("page", "column") else "\n")
        elif name in _CHARACTERS:
            parts.append(_CHARACTERS[name])
        else:
            _text(child, parts)  # runs, insertions, moves' new places, links, smart tags, ...
