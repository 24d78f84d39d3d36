"""ODT (OpenDocument text, LibreOffice): the XML in ``content.xml``, read with lxml.

``text:h`` is a heading (its ``outline-level``), ``text:p`` a paragraph, a ``text:list-item``'s
paragraphs are items, a ``table:table-cell``'s are cells; sections are walked through.
``text:s`` (spaces), ``text:tab`` and ``text:line-break`` become their characters; footnotes,
annotations and tracked deletions are not body text and are left out. No extra library needed.
"""
from __future__ import annotations

import io
import zipfile
from typing import Any

from ..types import Document
from .base import DocumentBuilder, corrupt

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_SKIP = {f"{{{TEXT}}}note", f"{{{OFFICE}}}annotation", f"{{{TEXT}}}tracked-changes",
         f"{{{TEXT}}}bookmark-ref", f"{{{OFFICE}}}annotation-end", f"{{{TEXT}}}table-of-content",
         f"{{{TEXT}}}sequence-decls", f"{{{TEXT}}}variable-decls"}
_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def read(data: bytes, path: str) -> Document:
    from lxml import etree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype").strip() if "mimetype" in names else _MIMETYPE
            if not mimetype.startswith(_MIMETYPE):
                kind = mimetype.decode("ascii", "replace").rsplit(".", 1)[-1]
                raise corrupt(path, f"an OpenDocument {kind}, not a text document")
            if "content.xml" not in names:
                raise corrupt(path, "not an ODT file (no content.xml)")
            content = archive.read("content.xml")
    except (zipfile.BadZipFile, OSError) as exc:
        raise corrupt(path, "not an ODT file (not a valid zip archive)", exc) from None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        raise corrupt(path, "corrupt ODT file: malformed content.xml", exc) from None
    builder = DocumentBuilder(path, "odt")
    body = root.find(f"{{{OFFICE}}}body/{{{OFFICE}}}text")
    if body is not None:
        _walk(body, builder, "paragraph")
    return builder.build("no text in the document")


def _walk(element: Any, builder: DocumentBuilder, kind: str) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == f"{{{TEXT}}}h":
            level = child.get(f"{{{TEXT}}}outline-level") or "1"
            builder.add(inline_text(child), "heading", int(level) if level.isdigit() else 1)
        elif tag == f"{{{TEXT}}}p":
            builder.add(inline_text(child), kind)
        elif tag == f"{{{TEXT}}}list-item" or tag == f"{{{TEXT}}}list-header":
            _walk(child, builder, "item")
        elif tag == f"{{{TABLE}}}table-cell":
            _walk(child, builder, "cell")
        else:  # lists, sections, tables and their rows: go in
            _walk(child, builder, kind)


def inline_text(element: Any) -> str:
    """A paragraph's text, ``text:s``/``text:tab``/``text:line-break`` as their characters."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == f"{{{TEXT}}}s":
            count = child.get(f"{{{TEXT}}}c") or "1"
            parts.append(" " * (int(count) if count.isdigit() else 1))
        elif tag == f"{{{TEXT}}}tab":
            parts.append("\t")
        elif tag == f"{{{TEXT}}}line-break":
            parts.append("\n")
        elif tag and tag not in _SKIP:
            parts.append(inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
