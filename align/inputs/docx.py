"""DOCX (Word): body paragraphs, headings, list items and table cells in document order.

Read with python-docx. Headings are paragraphs whose style is ``Title`` or ``Heading N``;
list items have a numbering property or a ``List`` style; a table gives one paragraph per cell
(merged cells once). Page headers, footers, footnotes and comments are not body text and are
left out.
"""
from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from ..types import Document
from .base import DocumentBuilder, corrupt, require

_HEADING = re.compile(r"^(?:heading|заголовок)\s*(\d)$", re.IGNORECASE)


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


def _body(document: Any, builder: DocumentBuilder) -> None:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            _paragraph(Paragraph(child, document), builder)
        elif tag == "tbl":
            _table(Table(child, document), builder)
        elif tag == "sdt":  # a content control (a cover page, a table of contents) holds paragraphs
            for p in child.iter("{*}p"):
                _paragraph(Paragraph(p, document), builder)


def _paragraph(paragraph: Any, builder: DocumentBuilder, kind: str | None = None) -> None:
    style = paragraph.style.name if paragraph.style is not None else ""
    level = 0
    match = _HEADING.match(style or "")
    if style == "Title":
        level = 1
    elif match:
        level = int(match.group(1))
    if level:
        builder.add(paragraph.text, "heading", level)
        return
    if kind is None:
        numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
        kind = "item" if numbered or (style or "").startswith("List") else "paragraph"
    builder.add(paragraph.text, kind)


def _table(table: Any, builder: DocumentBuilder) -> None:
    seen: set[Any] = set()  # the cells' XML elements (kept alive, so identity holds)
    for row in table.rows:
        for cell in row.cells:
            if cell._tc in seen:  # a merged cell is listed once per grid column it spans
                continue
            seen.add(cell._tc)
            for paragraph in cell.paragraphs:
                _paragraph(paragraph, builder, "cell")
            for inner in cell.tables:
                _table(inner, builder)
