"""EPUB (e-books): the XHTML chapters inside the zip, in reading (spine) order, with lxml.

``META-INF/container.xml`` names the package file; its spine lists the chapters in order.
Each spine document is a chapter (``Block.chapter``), walked block by block like a web page
but keeping its ``<header>`` (a chapter title lives there); the navigation document and
non-linear items (notes shown on demand) are left out. A chapter encrypted by DRM cannot be
read and is an error. No extra library needed.
"""
from __future__ import annotations

import io
import posixpath
import zipfile
from typing import Any
from urllib.parse import unquote

from ..types import Document
from .base import DocumentBuilder, corrupt
from .html import markup_blocks

CONTAINER = "urn:oasis:names:tc:opendocument:xmlns:container"
OPF = "http://www.idpf.org/2007/opf"
_DOCUMENT_TYPES = {"application/xhtml+xml", "text/html", "application/xml"}


def read(data: bytes, path: str) -> Document:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        raise corrupt(path, "not an EPUB file (not a valid zip archive)", exc) from None
    with archive:
        try:
            chapters = spine(archive, path)
            builder = DocumentBuilder(path, "epub")
            for name in chapters:
                builder.new_chapter()
                markup_blocks(_parse_chapter(archive.read(name), name, path), builder,
                              boilerplate=False)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise corrupt(path, "corrupt EPUB file", exc) from None
    return builder.build("no text in the book")


def spine(archive: zipfile.ZipFile, path: str) -> list[str]:
    """The zip names of the book's chapters in reading order."""
    names = set(archive.namelist())
    if "META-INF/container.xml" not in names:
        raise corrupt(path, "not an EPUB file (no META-INF/container.xml)")
    container = _xml(archive.read("META-INF/container.xml"), path, "META-INF/container.xml")
    rootfile = container.find(f".//{{{CONTAINER}}}rootfile")
    opf_name = rootfile.get("full-path") if rootfile is not None else None
    if not opf_name or opf_name not in names:
        raise corrupt(path, "corrupt EPUB file: the package document is missing")
    opf = _xml(archive.read(opf_name), path, opf_name)
    base = posixpath.dirname(opf_name)
    manifest = {}
    for item in opf.iter(f"{{{OPF}}}item"):
        href = posixpath.normpath(posixpath.join(base, unquote(item.get("href", ""))))
        manifest[item.get("id")] = (href, item.get("media-type", ""),
                                    (item.get("properties") or "").split())
    encrypted = _encrypted(archive, names, path)
    chapters = []
    for ref in opf.iter(f"{{{OPF}}}itemref"):
        if ref.get("linear", "yes") == "no" or ref.get("idref") not in manifest:
            continue
        href, media, properties = manifest[ref.get("idref")]
        if "nav" in properties or media not in _DOCUMENT_TYPES:
            continue
        if href in encrypted:
            raise corrupt(path, f"encrypted EPUB (DRM): {href} cannot be read")
        if href not in names:
            raise corrupt(path, f"corrupt EPUB file: chapter {href} is missing")
        chapters.append(href)
    return chapters


def _encrypted(archive: zipfile.ZipFile, names: set[str], path: str) -> set[str]:
    """The zip names that ``META-INF/encryption.xml`` lists (DRM or obfuscated fonts)."""
    if "META-INF/encryption.xml" not in names:
        return set()
    root = _xml(archive.read("META-INF/encryption.xml"), path, "META-INF/encryption.xml")
    return {unquote(ref.get("URI", "")) for ref in root.iter("{*}CipherReference")}


def _xml(data: bytes, path: str, member: str) -> Any:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise corrupt(path, f"corrupt EPUB file: malformed {member}", exc) from None


def _parse_chapter(data: bytes, member: str, path: str) -> Any:
    """A chapter as an HTML tree: XHTML parsed as XML, else (tag soup) by the HTML parser."""
    from lxml import etree, html

    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        pass
    try:
        return html.document_fromstring(data)
    except (etree.ParserError, ValueError) as exc:
        raise corrupt(path, f"corrupt EPUB file: cannot parse {member}", exc) from None
