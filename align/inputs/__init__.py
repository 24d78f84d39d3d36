"""Input format registry: plain text, HTML, DOCX, ODT, EPUB, SRT and PDF files -> Document.

Each format is a module with ``read(data, path) -> Document`` over the shared helpers in
:mod:`align.inputs.base`; ``INPUTS`` maps a format name to its :class:`InputFormat` record. The
CLI reads its ``--input-format`` choices from here; without that option the format comes from
the file's extension, and when the extension says nothing (``-``, ``.dat``) from its content.
A new input format is one new module and one line below.

Libraries a format needs beyond the core ones (python-docx, srt, pdfminer.six, trafilatura)
are imported only when such a file is read; they are the ``formats`` extra, and a missing one
is an ``InputError`` naming the pip install.
"""
from __future__ import annotations

import importlib
import io
import os
import re
import zipfile
from dataclasses import dataclass

from ..errors import InputError
from ..fileio import read_bytes
from ..types import Document


@dataclass(frozen=True)
class InputFormat:
    """An input format: its name, the extensions it owns, its reader module, and the optional
    packages it needs (``()`` when lxml and the standard library do)."""

    name: str
    extensions: tuple[str, ...]
    module: str
    description: str
    needs: tuple[str, ...] = ()

    def read(self, data: bytes, path: str) -> Document:
        """Parse ``data`` (the bytes of ``path``) into a Document."""
        return importlib.import_module(self.module).read(data, path)


INPUTS: dict[str, InputFormat] = {
    "txt": InputFormat("txt", (".txt", ".text", ".md"), "align.inputs.text",
                       "plain text: blank lines separate paragraphs; UTF-8/16, cp1251, koi8-r"),
    "html": InputFormat("html", (".html", ".htm", ".xhtml", ".shtml"), "align.inputs.html",
                        "a web page's main text, without navigation, ads and scripts",
                        ("trafilatura",)),
    "docx": InputFormat("docx", (".docx",), "align.inputs.docx",
                        "Word document: paragraphs, headings, list items, table cells",
                        ("python-docx",)),
    "odt": InputFormat("odt", (".odt",), "align.inputs.odt",
                       "OpenDocument text (LibreOffice): paragraphs, headings, lists, tables"),
    "epub": InputFormat("epub", (".epub",), "align.inputs.epub",
                        "e-book: chapters in reading (spine) order"),
    "srt": InputFormat("srt", (".srt",), "align.inputs.srt",
                       "subtitles: cues joined into sentences, timings kept", ("srt",)),
    "pdf": InputFormat("pdf", (".pdf",), "align.inputs.pdf",
                       "PDF text layer: paragraphs rebuilt, hyphenation joined, running "
                       "headers and page numbers dropped", ("pdfminer.six",)),
}

_SRT_RE = re.compile(r"\A\s*\d+[ \t]*\r?\n[ \t]*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}[ \t]*-->")
_HTML_RE = re.compile(rb"<!doctype\s+html|<html[\s>]|<body[\s>]|<(?:p|div|article|h1)[\s>]",
                      re.IGNORECASE)


def sniff(data: bytes) -> str:
    """The input format of ``data`` by its content: the PDF and zip signatures (and, in a zip,
    which document it holds), HTML tags near the start, an SRT first cue; else ``txt``."""
    if data.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                mimetype = (archive.read("mimetype").strip() if "mimetype" in names else b"")
        except (zipfile.BadZipFile, OSError, KeyError):
            return "txt"  # the text reader reports it as binary
        if "word/document.xml" in names:
            return "docx"
        if mimetype == b"application/epub+zip" or "META-INF/container.xml" in names:
            return "epub"
        if mimetype.startswith(b"application/vnd.oasis.opendocument") or "content.xml" in names:
            return "odt"
        return "txt"
    head = data[:4096]
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"),
                       (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            head = head[len(bom):].decode(codec, "ignore").encode("utf-8")
            break
    if _HTML_RE.search(head):
        return "html"
    if _SRT_RE.match(head.decode("latin-1")):
        return "srt"
    return "txt"


def input_format_for(path: str, data: bytes, name: str | None = None, *,
                     sniff_markup: bool = True) -> InputFormat:
    """The format named ``name``, else the one owning ``path``'s extension, else the one the
    content shows (:func:`sniff`; without ``sniff_markup`` only a binary signature counts,
    so a text that opens with a tag stays text)."""
    if name:
        try:
            return INPUTS[name]
        except KeyError:
            raise InputError(f"unknown input format {name!r} (choose from "
                             f"{', '.join(INPUTS)})", path) from None
    lower = str(path).lower()
    for fmt in INPUTS.values():
        if lower.endswith(fmt.extensions):
            return fmt
    found = sniff(data)
    if not sniff_markup and found in ("html", "srt"):
        found = "txt"
    return INPUTS[found]


def read_document(path: str | os.PathLike[str], input_format: str | None = None) -> Document:
    """Read any input file (``-`` is standard input) into a Document.

    Raises ``InputError`` naming the file: missing, empty, corrupt (a bad zip, malformed XML,
    an encrypted PDF), no text in it, or a library its format needs not installed.
    """
    name = str(path)
    data = read_bytes(path)
    return input_format_for(name, data, input_format).read(data, name)


#: The files a directory of articles is searched for (``align corpus DIR``): ``*.txt`` and every
#: other input format's own extensions (not ``.md``/``.text``, which hold notes more often
#: than articles).
ARTICLE_EXTENSIONS: tuple[str, ...] = (".txt",) + tuple(
    ext for fmt in INPUTS.values() if fmt.name != "txt" for ext in fmt.extensions)

_NAME_LANG = re.compile(r"(?:^|(?<=[/._-]))(en|eng|ru|rus)(?=$|[/._-])", re.IGNORECASE)


def name_language(name: str) -> str | None:
    """The language a file name's marker says (``x.en.docx``, ``en/x.html``, ``x_rus.pdf``:
    ``en`` or ``ru``; the last marker counts), else ``None``."""
    found = _NAME_LANG.findall(str(name).replace("\\", "/"))
    if not found:
        return None
    return "en" if found[-1].lower().startswith("en") else "ru"


def with_language(name: str, lang: str) -> str:
    """``name`` with its last language marker set to ``lang`` (``x.en.docx`` -> ``x.ru.docx``);
    ``name`` itself without a marker."""
    found = list(_NAME_LANG.finditer(str(name)))
    if not found:
        return str(name)
    last = found[-1]
    return str(name)[:last.start()] + lang + str(name)[last.end():]


def read_lines(path: str | os.PathLike[str], input_format: str | None = None) -> list[str]:
    """One-sentence-a-line input (``align sentences``): a text file's lines exactly as
    :func:`align.fileio.read_text_lines` reads them; any other format's paragraphs, one a line
    (inner white space as single spaces), so a DOCX of one sentence a paragraph works too.
    Without an extension, only a PDF or zip signature makes a file other than text: a line
    that opens with a tag is a sentence."""
    from ..fileio import decode_text

    name = str(path)
    data = read_bytes(path)
    fmt = input_format_for(name, data, input_format, sniff_markup=False)
    if fmt.name == "txt":
        text = decode_text(data, name)[0]
        text = text[:-1] if text.endswith("\n") else text
        return text.split("\n") if text else []
    return [" ".join(p.split()) for p in fmt.read(data, name).paragraphs]


__all__ = ["ARTICLE_EXTENSIONS", "INPUTS", "InputFormat", "input_format_for", "name_language",
           "read_document", "read_lines", "sniff", "with_language"]
