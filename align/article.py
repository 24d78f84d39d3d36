"""Parse bilingual news article files.

A file, as it comes off a crawl: an optional site/source line, the English and the Russian
headline (either order), then the body, blocks separated by blank lines::

    bimba-news.in.ua

    NYT: A senior U.S. official visited Minsk for the first time in five years.

    NYT: Впервые за пять лет высокопоставленный чиновник США посетил Минск.

    This week, the authorities of Belarus released three prisoners, ...

      • Journalist Andrei Kuznechik had been imprisoned since 2021. ...

The bytes may be UTF-8 (with or without BOM), UTF-16 (with BOM), cp1251 or koi8-r; the decoder
picks the one whose text is most plausible and records it.
"""
from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from typing import Iterable

from .errors import ArticleError, InputError
from .fileio import LEGACY_ENCODINGS, decode_text, plausibility, read_bytes  # noqa: F401
from .types import Article, Paragraph

LANGS = ("en", "ru")

_URL_RE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.IGNORECASE)
_EN_FUNCTION_WORDS = re.compile(
    r"\b(?:the|of|and|to|in|is|are|was|were|for|with|on|by|at|from|that|this|it|as|be|has|have)\b",
    re.IGNORECASE)
_DOMAIN_RE = re.compile(r"^(?:https?://)?(?:www\.)?(?:[\w-]+\.)+[a-zа-я]{2,}(?:/\S*)?$",
                        re.IGNORECASE)
_BULLET_RE = re.compile(r"^[ \t\u00a0]*([•\-*–])[ \t\u00a0]+(?=\S)")
_PREFIX_RE = re.compile(r"^([^\s:]{1,24}(?: [^\s:]{1,24}){0,2}): (?=\S)")
_SENTENCE_PUNCT = set(".!?…;:«»\"“”,")
_LETTER_RE = re.compile(r"[^\W\d_]")
_CYR_RE = re.compile("[\u0400-\u04ff]")
_LAT_RE = re.compile("[A-Za-z\u00c0-\u024f]")


# --------------------------------------------------------------------------- decoding

def decode_article_bytes(data: bytes, path: str) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``; raise ``ArticleError`` if it is no text.

    The decoding is :func:`align.fileio.decode_text`, the one every text input goes through;
    an article must also have letters.
    """
    try:
        text, encoding = decode_text(data, path)
    except InputError as exc:
        raise ArticleError(exc.message, exc.path, exc.line) from None
    if not _LETTER_RE.search(text):
        raise ArticleError(f"no readable text (decoded as {encoding})", path)
    return text, encoding


# --------------------------------------------------------------------------- blocks

@dataclass(frozen=True)
class Block:
    """A run of non-blank lines; ``line`` is the 1-based line number of its first line."""

    text: str
    line: int
    lang: str | None


def guess_lang(text: str) -> str | None:
    """``en`` or ``ru`` by the share of Latin and Cyrillic letters, ``None`` if too few letters.

    URLs and e-mail addresses are ignored, so a block that is only a link has no language.
    """
    text = _URL_RE.sub(" ", text)
    cyr = len(_CYR_RE.findall(text))
    lat = len(_LAT_RE.findall(text))
    if cyr + lat < 2:
        return None
    share = cyr / (cyr + lat)
    if share >= 0.5:
        return "ru"
    if share < 0.15:
        return "en"
    # Mixed script: a Russian line full of Latin brand names ("Матрас Lonax Cocos TFK 130x185")
    # or an English line quoting a Russian word. English function words decide.
    return "en" if _EN_FUNCTION_WORDS.search(text) else "ru"


def split_blocks(text: str) -> list[Block]:
    """Split text into blocks at blank (or whitespace-only) lines."""
    blocks: list[Block] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append(_block(current, start))
            current = []
    if current:
        blocks.append(_block(current, start))
    return blocks


def _block(lines: list[str], start: int) -> Block:
    body = "\n".join(lines)
    if _DOMAIN_RE.match(body.strip()):
        lang = None
    else:
        lang = guess_lang(body)
    return Block(body, start, lang)


def block_paragraphs(block: Block) -> list[Paragraph]:
    """The paragraphs of a body block: one per bullet item, else the whole block.

    Lines after a bullet line that carry no marker continue that item. Text is kept as in
    the file except the bullet marker and the whitespace around each paragraph.
    """
    paragraphs: list[Paragraph] = []
    lines: list[str] = []
    first_line = block.line
    bullet: str | None = None

    def flush() -> None:
        if lines:
            paragraphs.append(Paragraph("\n".join(lines).strip(), block.lang, first_line, bullet))

    for offset, line in enumerate(block.text.split("\n")):
        match = _BULLET_RE.match(line)
        if match:
            flush()
            lines, first_line, bullet = [line[match.end():]], block.line + offset, match.group(1)
        else:
            lines.append(line)
    flush()
    return paragraphs


# --------------------------------------------------------------------------- structure

def _is_source_line(block: Block) -> bool:
    text = block.text.strip()
    if "\n" in text:
        return False
    if block.lang is None:
        return True
    words = text.split()
    return len(words) <= 4 and len(text) <= 40 and not (set(text) & _SENTENCE_PUNCT)


def _ratio_misfit(en: str, ru: str) -> float:
    """How far a headline pair's length ratio is from the usual ru/en ratio (about 1.1)."""
    return abs(math.log((len(ru) + 5) / (len(en) + 5)) - math.log(1.1))


def _headline_pair(blocks: list[Block], start: int) -> tuple[Block, Block] | None:
    """The first two language blocks from ``start`` if they are an en/ru headline pair."""
    langed = [b for b in blocks[start:start + 3] if b.lang is not None][:2]
    if len(langed) < 2 or {langed[0].lang, langed[1].lang} != set(LANGS):
        return None
    en, ru = (langed[0], langed[1]) if langed[0].lang == "en" else (langed[1], langed[0])
    # A headline is one line, and a translated pair has comparable lengths: a Russian body
    # paragraph after an English headline is not the Russian headline.
    if "\n" in en.text.strip() or "\n" in ru.text.strip():
        return None
    if _ratio_misfit(en.text, ru.text) > math.log(3.0):
        return None
    return en, ru


def _source_reading_wins(as_source: tuple[Block, Block], as_headline: tuple[Block, Block]) -> bool:
    """Both readings of a short first line give a headline pair: is it the site line?

    The site line is the usual layout, so it wins unless reading the line as a headline gives
    a shared prefix the other reading lacks or a clearly better length ratio.
    """
    src_prefix = _shared_prefix(as_source[0].text, as_source[1].text)
    head_prefix = _shared_prefix(as_headline[0].text, as_headline[1].text)
    if bool(src_prefix) != bool(head_prefix):
        return bool(src_prefix)
    return (_ratio_misfit(as_source[0].text, as_source[1].text)
            <= _ratio_misfit(as_headline[0].text, as_headline[1].text) + math.log(1.5))


def _shared_prefix(en: str, ru: str) -> str | None:
    m_en, m_ru = _PREFIX_RE.match(en), _PREFIX_RE.match(ru)
    if m_en and m_ru and m_en.group(0) == m_ru.group(0):
        return m_en.group(0)
    return None


def parse_article_text(text: str, path: str = "<text>", encoding: str = "utf-8") -> Article:
    """Parse decoded article text (see the module docstring for the layout)."""
    blocks = split_blocks(text)
    if not blocks:
        raise ArticleError("empty file", path)
    warnings: list[str] = []
    source: str | None = None
    start = 0
    if _is_source_line(blocks[0]) and len(blocks) > 1:
        as_source = _headline_pair(blocks, 1)
        as_headline = _headline_pair(blocks, 0) if blocks[0].lang else None
        if as_headline is None or (as_source is not None and
                                   _source_reading_wins(as_source, as_headline)):
            source, start = blocks[0].text.strip(), 1
    elif len(blocks) == 1 and blocks[0].lang is None:
        source, start = blocks[0].text.strip(), 1

    headlines: dict[str, str | None] = {"en": None, "ru": None}
    body_blocks: list[Block]
    pair = _headline_pair(blocks, start)
    if pair is not None:
        en, ru = pair
        headlines = {"en": en.text.strip(), "ru": ru.text.strip()}
        body_blocks = [b for b in blocks[start:] if b is not en and b is not ru]
    else:
        first = next((b for b in blocks[start:] if b.lang is not None), None)
        if first is not None:
            headlines[first.lang] = first.text.strip()  # type: ignore[index]
            missing = "Russian" if first.lang == "en" else "English"
            warnings.append(f"no {missing} headline: no headline pair")
            body_blocks = [b for b in blocks[start:] if b is not first]
        else:
            warnings.append("no headline: the file has no English or Russian text")
            body_blocks = []

    prefix = None
    if headlines["en"] and headlines["ru"]:
        prefix = _shared_prefix(headlines["en"], headlines["ru"])
    body = _body(body_blocks)
    return Article(path=path, encoding=encoding, source=source, prefix=prefix,
                   headlines=headlines, body=body, warnings=tuple(warnings))


def _body(blocks: Iterable[Block]) -> dict[str, tuple[Paragraph, ...]]:
    """Group body paragraphs by language; a block with no language (a number, a link) joins
    the language of the block before it (or after it, at the start)."""
    blocks = list(blocks)
    langs = [b.lang for b in blocks]
    for i in range(len(langs)):
        if langs[i] is None and i > 0:
            langs[i] = langs[i - 1]
    for i in range(len(langs) - 1, -1, -1):
        if langs[i] is None and i + 1 < len(langs):
            langs[i] = langs[i + 1]
    body: dict[str, list[Paragraph]] = {"en": [], "ru": []}
    for block, lang in zip(blocks, langs):
        body[lang or "en"].extend(block_paragraphs(block))
    return {lang: tuple(paras) for lang, paras in body.items()}


def read_article(path: str | os.PathLike[str]) -> Article:
    """Read and parse an article file (``-`` reads standard input). A file of another input
    format (HTML, DOCX, ODT, EPUB, SRT, PDF, by its extension or, without one, its PDF or zip
    signature) is read with :mod:`align.inputs` first, each of its paragraphs a block.

    Raises ``ArticleError`` for an empty file, a binary file, or bytes that decode to no
    plausible text; a file with only one headline language parses with a warning.
    """
    name = str(path)
    data = read_bytes(path)
    from .inputs import input_format_for

    fmt = input_format_for(name, data, sniff_markup=False)
    if fmt.name != "txt":  # HTML, DOCX, ODT, EPUB, SRT, PDF: its paragraphs are the blocks
        doc = fmt.read(data, name)
        return parse_article_text(doc.text, name, doc.encoding or "utf-8")
    text, encoding = decode_article_bytes(data, name)
    return parse_article_text(text, name, encoding)
