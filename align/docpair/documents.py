"""Single-language documents for pairing: finding, reading and preparing them.

A document is plain text (the first block its headline, blank lines between paragraphs) or an
article file holding one language (a site line first is kept apart), in any encoding the
article parser reads. ``prepare_document`` turns one into the compact ``DocFeatures`` that
pairing needs; it is the per-file stage the engine maps.
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from ..errors import AlignError, InputError

LANGS = ("en", "ru")

_CYR_RE = re.compile("[\u0400-\u04ff]")
_LAT_RE = re.compile("[A-Za-z\u00c0-\u024f]")
_URL_RE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.IGNORECASE)


class DocumentError(InputError):
    """A document cannot be used for pairing (no text, no language, both languages)."""


# --------------------------------------------------------------------------------- documents

@dataclass(frozen=True)
class DocFile:
    """An input file: its path, its name relative to its input root, and the language its
    input says it is in (``None`` in a mixed directory: detected)."""

    path: str
    name: str
    lang: str | None = None


@dataclass(frozen=True)
class Document:
    """A single-language document: headline (first block) and body paragraphs."""

    path: str
    name: str
    lang: str
    headline: str
    paragraphs: tuple[str, ...]
    encoding: str = "utf-8"
    source: str | None = None

    @property
    def text(self) -> str:
        return "\n\n".join((self.headline, *self.paragraphs))


def find_documents(inputs: Iterable[str | os.PathLike[str]], lang: str | None = None
                   ) -> list[DocFile]:
    """Files and directories (searched recursively, every regular file not hidden, in sorted
    order) as ``DocFile``; names are relative to the directory given (a file given directly
    is named by its file name)."""
    docs: list[DocFile] = []
    for item in inputs:
        root = Path(item)
        if root.is_dir():
            found = sorted(p for p in root.rglob("*") if p.is_file()
                           and not any(part.startswith(".") for part in
                                       p.relative_to(root).parts))
            docs.extend(DocFile(str(p), p.relative_to(root).as_posix(), lang) for p in found)
        elif root.is_file():
            docs.append(DocFile(str(item), root.name, lang))
        else:
            raise InputError("no such file or directory", str(item))
    return docs


def text_lang(text: str) -> tuple[str | None, float]:
    """The language of a text by its letters, and the share of the minority script."""
    text = _URL_RE.sub(" ", text)
    cyr = len(_CYR_RE.findall(text))
    lat = len(_LAT_RE.findall(text))
    if cyr + lat < 20:
        return None, 0.0
    share = cyr / (cyr + lat)
    return ("ru" if share >= 0.5 else "en"), min(share, 1 - share)


def read_document(item: DocFile) -> Document:
    """Read one file: any encoding the article parser reads; plain text (first block the
    headline, blank lines between paragraphs) or an article file holding one language (a
    site line first is recognised and kept apart); or any other input format of
    :mod:`align.inputs` (by extension, else content), its first paragraph the headline.

    Raises ``DocumentError`` for an empty, binary or unreadable file, one whose language
    cannot be told, one holding both languages (a bilingual article: ``align corpus`` reads
    those), or one in the other language than its input says.
    """
    from ..article import _DOMAIN_RE, _is_source_line, decode_article_bytes, split_blocks
    from ..errors import ArticleError
    from ..fileio import read_bytes

    from ..inputs import input_format_for

    try:
        data = read_bytes(item.path)
        fmt = input_format_for(item.path, data)
        if fmt.name == "txt":
            text, encoding = decode_article_bytes(data, item.path)
        else:  # HTML, DOCX, ODT, EPUB, SRT, PDF: their paragraphs (align.inputs)
            document = fmt.read(data, item.path)
            text = "\n\n".join(" ".join(p.split()) for p in document.paragraphs)
            encoding = document.encoding or fmt.name
    except (ArticleError, InputError) as exc:
        raise DocumentError(exc.message, item.path) from None
    blocks = split_blocks(text)
    lang, minority = text_lang(text)
    if lang is None:
        raise DocumentError("too few letters to tell its language", item.path)
    if minority > 0.3:
        letters = {"en": 0, "ru": 0}
        for block in blocks:
            if block.lang:
                letters[block.lang] += len(block.text)
        if min(letters.values()) > 0.25 * sum(letters.values()):
            raise DocumentError("English and Russian text in one file (a bilingual article: "
                                "'align corpus' reads those)", item.path)
        raise DocumentError(f"cannot tell its language ({minority:.0%} of its letters are "
                            "in the other script)", item.path)
    if item.lang is not None and lang != item.lang:
        raise DocumentError(f"looks {_NAMES[lang]}, not {_NAMES[item.lang]} (languages "
                            "swapped?)", item.path)
    source = None
    first = blocks[0].text.strip()
    if len(blocks) > 2 and (_DOMAIN_RE.match(first) or blocks[0].lang is None or (
            _is_source_line(blocks[0]) and "\n" not in blocks[1].text.strip()
            and len(blocks[1].text) < 250)):
        source, blocks = first, blocks[1:]
    paragraphs = tuple(" ".join(b.text.split()) for b in blocks)
    return Document(item.path, item.name, lang, paragraphs[0], paragraphs[1:], encoding, source)


_NAMES = {"en": "English", "ru": "Russian"}


# --------------------------------------------------------------------------------- features

@dataclass(frozen=True)
class DocFeatures:
    """What pairing needs of one document, computed once per document (a pure stage), in
    compact arrays (an archive may hold 100,000 of them): the subword pieces of each unit
    (the headline, then each paragraph), hashed keys, and sizes. The text is not kept but
    for the headline."""

    name: str
    lang: str
    ids: np.ndarray  # int32 piece ids (+1) of all units, in order
    unit_ptr: np.ndarray  # int32, units + 1: unit u is ids[unit_ptr[u]:unit_ptr[u + 1]]
    keys: np.ndarray  # int64 hashes of the keys (numbers, Latin tokens, name skeletons)
    headline: str
    chars: int
    path: str = ""

    @property
    def units(self) -> int:
        return len(self.unit_ptr) - 1


def key_hash(key: str) -> int:
    """A stable 63-bit hash of a key (the same on every machine and in every process)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(),
                          "little") >> 1


def prepare_document(model: Any, doc: Document) -> DocFeatures:
    """Pieces and keys of a document under ``model`` (pure: the engine maps it)."""
    from ..features import en_keys, ru_keys

    parts = [doc.headline, *doc.paragraphs]
    pieces = model.pieces(parts)
    ptr = np.zeros(len(parts) + 1, dtype=np.int32)
    ptr[1:] = np.cumsum([len(p) for p in pieces])
    ids = np.fromiter((p for unit in pieces for p in unit), dtype=np.int32, count=int(ptr[-1]))
    keys = [key_hash(k) for part in parts
            for k in (en_keys(part)[0] if doc.lang == "en" else ru_keys(part))]
    return DocFeatures(doc.name, doc.lang, ids, ptr, np.array(sorted(keys), dtype=np.int64),
                       doc.headline, sum(len(p) for p in parts), doc.path)


@dataclass(frozen=True)
class Skipped:
    """A file that could not be used, and why (one line for the user)."""

    path: str
    problem: str


def read_prepared(model: Any, item: DocFile) -> DocFeatures | Skipped:
    """The stage an engine maps over files: read and prepare one; an unusable file is a
    ``Skipped`` result, not an exception, so a run over many files goes on."""
    try:
        return prepare_document(model, read_document(item))
    except AlignError as exc:
        return Skipped(exc.path or item.path, exc.message)
