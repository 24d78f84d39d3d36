"""HTML: a page's main text, without navigation, ads, scripts and footers.

trafilatura (the extractor web-corpus builders use) finds the main text and its structure
(headings, paragraphs, list items, table cells). Where it is not installed, or finds nothing,
:func:`markup_blocks` reads the page with lxml alone: scripts, styles, navigation, headers,
footers, asides and forms dropped, the ``<article>`` (else ``<main>``, else ``<body>``) walked
block by block. Nothing is ever fetched: images, styles and links stay unloaded.
"""
from __future__ import annotations

import codecs
import re
from typing import Any

from ..errors import InputError
from ..types import Document
from .base import DocumentBuilder, EXTRA, corrupt, decode_text

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")

#: Elements that start and end a paragraph of their own.
BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "blockquote",
    "pre", "li", "dt", "dd", "td", "th", "caption", "figcaption", "figure", "h1", "h2", "h3",
    "h4", "h5", "h6", "ul", "ol", "dl", "table", "tr", "thead", "tbody", "tfoot", "form",
    "address", "hr", "body", "html", "center", "fieldset", "legend", "details", "summary",
}
#: Never text: dropped with their content wherever they are.
SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "math", "iframe", "object",
             "embed", "canvas", "video", "audio", "select", "button", "input", "textarea",
             "head", "title", "meta", "link"}
#: Page furniture, dropped from a web page (kept in an e-book chapter, where a <header> holds
#: the chapter title).
BOILERPLATE_TAGS = {"nav", "header", "footer", "aside", "form", "menu"}
_FURNITURE_RE = re.compile(
    r"(?:^|[\s_-])(?:ad|ads|advert\w*|banner|promo\w*|sponsor\w*|share\w*|social|related|"
    r"cookie\w*|consent|newsletter|subscribe|breadcrumbs?|menu|sidebar|comments?|tags|byline|"
    r"read[_-]?also|see[_-]?also|more[_-]?news|most[_-]?read)(?:$|[\s_-])",
    re.IGNORECASE)
_KINDS = {"li": "item", "dt": "item", "dd": "item", "td": "cell", "th": "cell"}


def read(data: bytes, path: str) -> Document:
    text, encoding = decode_html(data, path)
    builder = DocumentBuilder(path, "html", encoding)
    try:
        import trafilatura  # noqa: F401
    except ImportError:
        builder.warn(f"trafilatura is not installed ({EXTRA}): main text found by lxml's "
                     "simpler rules")
    else:
        extracted = extract_main(text, path)
        if extracted is not None:
            trafilatura_blocks(extracted, builder,
                               furniture_texts(parse_html(text, path)))
    if not builder.blocks:
        markup_blocks(parse_html(text, path), builder, boilerplate=True)
    return builder.build("no main text found in the page")


def decode_html(data: bytes, path: str) -> tuple[str, str]:
    """The page's text: the charset its ``<meta>`` declares (when it decodes), else detected."""
    if not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        match = _META_CHARSET.search(data[:4096])
        if match:
            name = match.group(1).decode("ascii", "ignore").lower()
            try:
                codec = codecs.lookup(name).name
                return data.decode(codec).replace("\r\n", "\n"), codec
            except (LookupError, UnicodeDecodeError):
                pass
    return decode_text(data, path)


def parse_html(text: str, path: str) -> Any:
    """An lxml HTML tree of ``text``; lxml's parser recovers from broken markup."""
    from lxml import etree, html

    text = _XML_DECLARATION.sub("", text, count=1)
    if not text.strip():
        raise InputError("empty file", path)
    try:
        return html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise corrupt(path, "cannot parse the HTML", exc) from None


def extract_main(text: str, path: str) -> Any:
    """trafilatura's main text as its XML tree (``None`` when it finds none)."""
    import trafilatura
    from lxml import etree

    try:
        xml = trafilatura.extract(text, output_format="xml", include_comments=False,
                                  include_tables=True, include_images=False,
                                  include_links=False, include_formatting=False,
                                  deduplicate=False, with_metadata=False, favor_recall=True)
    except Exception as exc:  # trafilatura wraps many parser failures; report, don't crash
        raise corrupt(path, "cannot extract the page's text", exc) from None
    if not xml:
        return None
    try:
        return etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError:
        return None


def furniture_texts(tree: Any) -> set[str]:
    """The paragraphs of a page's furniture: navigation, header, footer, aside and form
    elements, and elements whose class or id says ad, banner, promo, share, related ...
    (none holding a third of the page or more: that is a page's whole layout)."""
    texts: set[str] = set()
    total = len(tree.text_content())
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        marker = f"{element.get('class', '')} {element.get('id', '')}"
        if not (element.tag.lower() in BOILERPLATE_TAGS or _FURNITURE_RE.search(marker)):
            continue
        if len(element.text_content()) * 3 >= total:
            continue
        collector = DocumentBuilder("", "html")
        markup_blocks(element, collector, boilerplate=False, walk_root=True)
        if collector.blocks:
            texts.update(" ".join(p.split()) for p in collector.build().paragraphs)
    return texts


def trafilatura_blocks(root: Any, builder: DocumentBuilder, furniture: set[str]) -> None:
    """The paragraphs of trafilatura's XML (``head``, ``p``, ``list/item``, ``table/cell``,
    ``quote``), in document order, but those of the page's furniture (trafilatura keeps some
    on a short page)."""
    main = root.find("main")
    for element in (main if main is not None else root).iter("head", "p", "item", "cell",
                                                            "quote", "code"):
        if element.tag in ("item", "cell", "quote") and any(
                child.tag in ("p", "item", "list", "head") for child in element):
            continue  # its paragraphs come on their own
        if element.tag == "p" and any(a.tag in ("item", "cell")
                                      for a in element.iterancestors()):
            parent = next(a for a in element.iterancestors() if a.tag in ("item", "cell"))
            if not any(c.tag in ("p", "item", "list", "head") for c in parent):
                continue
        text = _xml_text(element)
        if " ".join(text.split()) in furniture:
            continue
        if element.tag == "head":
            rend = element.get("rend", "h2")
            level = int(rend[1]) if len(rend) == 2 and rend[1].isdigit() else 2
            builder.add(text, "heading", level)
        else:
            builder.add(text, {"item": "item", "cell": "cell"}.get(element.tag, "paragraph"))


def _xml_text(element: Any) -> str:
    parts = [element.text or ""]
    for child in element:
        if child.tag == "lb":
            parts.append("\n")
        elif child.tag not in ("list", "p", "item", "head"):
            parts.append(_xml_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def markup_blocks(tree: Any, builder: DocumentBuilder, *, boilerplate: bool,
                  walk_root: bool = False) -> None:
    """Walk an HTML tree block by block into ``builder``: each block element's own text (its
    nested blocks apart) is one paragraph; ``<br>`` is a line break. With ``boilerplate``, page
    furniture (navigation, headers, footers, asides, forms, and elements whose class or id says
    ad, share, related, comments, tags, byline ...) is dropped and the walk starts at
    the largest ``<article>``, else ``<main>``, else ``<body>`` (``walk_root``: ``tree`` itself)."""
    skip = SKIP_TAGS | (BOILERPLATE_TAGS if boilerplate else set())
    root = tree
    if boilerplate:
        for tag in ("article", "main"):
            found = [e for e in tree.iter(tag) if not _inside(e, skip)]
            if found:
                root = max(found, key=lambda e: len(e.text_content()))
                break
    if root is tree and not walk_root:
        body = next((e for e in tree.iter() if isinstance(e.tag, str)
                     and e.tag.rsplit("}", 1)[-1].lower() == "body"), None)
        root = body if body is not None else tree
    buffer: list[str] = []
    state = {"kind": "paragraph", "level": 0}

    def flush() -> None:
        if buffer:
            builder.add("".join(buffer), state["kind"], state["level"])
            buffer.clear()

    def walk(element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.rsplit("}", 1)[-1].lower()
        if not tag or tag in skip or (boilerplate and element is not root and _FURNITURE_RE.search(
                f"{element.get('class', '')} {element.get('id', '')}")):
            # a comment, a processing instruction, page furniture
            if element.tail:
                buffer.append(element.tail)
            return
        if tag == "br":
            buffer.append("\n")
        elif tag in BLOCK_TAGS:
            flush()
            saved = dict(state)
            if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
                state.update(kind="heading", level=int(tag[1]))
            elif tag in _KINDS:
                state.update(kind=_KINDS[tag], level=0)
            buffer.append(element.text or "")
            for child in element:
                walk(child)
            flush()
            state.update(saved)
        else:
            buffer.append(element.text or "")
            for child in element:
                walk(child)
        if tag in BLOCK_TAGS:
            flush()
        if element.tail:
            buffer.append(element.tail)

    walk(root)
    flush()


def _inside(element: Any, skip: set[str]) -> bool:
    return any(isinstance(a.tag, str) and a.tag.lower() in skip for a in element.iterancestors())
