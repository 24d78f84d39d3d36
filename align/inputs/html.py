"""HTML: a page's main text, without navigation, ads, scripts and footers.

trafilatura (the extractor web-corpus builders use) finds the main text and its structure
(headings, paragraphs, list items, table cells). Where it is not installed, or finds nothing,
:func:`markup_blocks` reads the page with lxml alone: scripts, styles, navigation, headers,
footers, asides and forms dropped, the ``<article>`` (else ``<main>``, else ``<body>``) walked
block by block. Nothing is ever fetched: images, styles and links stay unloaded.

Before either reader, :func:`prepare` makes the page's paragraphs explicit, as a browser shows
them: two or more ``<br>`` in a row end a paragraph (pages that use them instead of ``<p>``),
and text that sits loose beside block elements (a ``<div>`` holding some text, then a ``<p>``)
becomes a paragraph of its own rather than being glued to its neighbours. One ``<br>`` is a
line break inside its paragraph. A table gives one paragraph per cell, row by row, a cell's
own text kept beside the paragraphs or lists inside it. Copyright lines (``© 2024 ...``, ``All
rights reserved``, ``Все права защищены``, a reprint notice) are page furniture and dropped.
"""
from __future__ import annotations

import codecs
import re
from typing import Any

from ..errors import InputError
from ..types import Document
from .base import DocumentBuilder, EXTRA, corrupt, decode_text, normalize

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
#: Elements whose loose text beside block children, or whose ``<br><br>`` runs, become
#: paragraphs of their own (:func:`prepare`).
_CONTAINERS = {"div", "section", "article", "main", "body", "td", "th", "li", "dd", "dt",
               "blockquote", "figure", "figcaption", "center", "header", "footer", "aside", "nav",
               "details", "fieldset", "caption", "address", "form"}
#: A copyright or reprint line: page furniture wherever it stands (a short line only).
_COPYRIGHT_RE = re.compile(
    r"^(?:©|\(c\)\s|copyright\b|копирайт\b)|©\s*(?:\d{4}|\w)|all rights reserved|"
    r"все права (?:защищены|сохранены)|права защищены|"
    r"перепечатка[^.]{0,60}(?:запрещена|разрешена|только)|"
    r"при (?:\w+ )*(?:использовании|перепечатке|цитировании) материалов",
    re.IGNORECASE)
COPYRIGHT_MAX = 200
_WHITESPACE = re.compile(r"\s+")


def is_copyright(line: str) -> bool:
    """Whether a line is a copyright or reprint notice (short, and saying so)."""
    line = line.strip()
    return 0 < len(line) <= COPYRIGHT_MAX and _COPYRIGHT_RE.search(line) is not None


def without_copyright(text: str) -> str:
    """``text`` without its copyright lines."""
    return "\n".join(line for line in text.split("\n") if not is_copyright(line))


def read(data: bytes, path: str) -> Document:
    text, encoding = decode_html(data, path)
    builder = DocumentBuilder(path, "html", encoding)
    try:
        import trafilatura  # noqa: F401
        have_trafilatura = True
    except ImportError:
        have_trafilatura = False
        builder.warn(f"trafilatura is not installed ({EXTRA}): main text found by lxml's "
                     "simpler rules")
    tree = prepare(parse_html(text, path))
    if have_trafilatura:
        from lxml import html

        extracted = extract_main(html.tostring(tree, encoding="unicode"), path)
        if extracted is not None:
            trafilatura_blocks(extracted, builder, furniture_texts(tree))
    if not builder.blocks:
        markup_blocks(tree, builder, boilerplate=True)
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
    """The paragraphs of trafilatura's XML (``head``, ``p``, ``list/item``, ``table/row/cell``,
    ``quote``, ``code``) in document order, but those of the page's furniture (trafilatura
    keeps some on a short page) and copyright lines. An item's or a cell's own text beside
    the paragraphs or lists inside it is a paragraph of its own; paragraphs inside an item or
    a cell take its kind."""
    main = root.find("main")

    def add(text: str, kind: str, level: int = 0) -> None:
        text = without_copyright(normalize(text))
        if text and " ".join(text.split()) not in furniture:
            builder.add(text, kind, level)

    def block(element: Any, context: str) -> None:
        if element.tag == "head":
            rend = element.get("rend", "h2")
            kind, level = "heading", int(rend[1]) if len(rend) == 2 and rend[1].isdigit() else 2
        else:
            kind = {"item": "item", "cell": "cell"}.get(element.tag, context)
            level = 0
        parts = [element.text or ""]
        for child in element:
            if child.tag in _XML_BLOCKS or child.tag in _XML_GROUPS:
                add("".join(parts), kind, level)
                parts = []
                inside(child, kind) if child.tag in _XML_GROUPS else block(child, kind)
            elif child.tag == "lb":
                parts.append("\n")
            else:
                parts.append(_xml_text(child))
            parts.append(child.tail or "")
        add("".join(parts), kind, level)

    def inside(element: Any, context: str) -> None:
        for child in element:
            if child.tag in _XML_BLOCKS:
                block(child, context)
            elif isinstance(child.tag, str):
                inside(child, context)

    inside(main if main is not None else root, "paragraph")


#: trafilatura's elements that are paragraphs, and those that only group them.
_XML_BLOCKS = {"head", "p", "item", "cell", "quote", "code"}
_XML_GROUPS = {"list", "table", "row", "main", "div"}


def _xml_text(element: Any) -> str:
    parts = [element.text or ""]
    for child in element:
        if child.tag == "lb":
            parts.append("\n")
        elif child.tag not in _XML_BLOCKS and child.tag not in _XML_GROUPS:
            parts.append(_xml_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def prepare(tree: Any) -> Any:
    """Make a page's paragraphs explicit (in place; returns ``tree``): in a block element, a
    run of two or more ``<br>`` ends a paragraph, and loose text beside block children is
    wrapped in a ``<p>`` of its own. A ``<p>`` cut by ``<br><br>`` becomes several ``<p>``."""
    for element in list(tree.iter()):
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag == "p":
            runs = _runs(element)
            if runs is not None and len(runs) > 1:
                _split_paragraph(element, runs)
        elif tag in _CONTAINERS:
            runs = _runs(element)
            if runs is not None:
                _rewrap(element, runs)
    return tree


def _is_block(node: Any) -> bool:
    return not isinstance(node, str) and _tag(node) in BLOCK_TAGS


def _runs(element: Any) -> list[Any] | None:
    """The element's content cut into runs, each a block child or a list of inline pieces
    (strings and elements, tails detached in the list) between blocks and ``<br><br>``;
    ``None`` when there is nothing to cut (no block child beside loose text, no ``<br>`` run)."""
    pieces: list[Any] = [element.text or ""]
    for child in element:
        pieces.append(child)
        pieces.append(child.tail or "")
    has_block = any(_is_block(p) for p in pieces)
    loose = any(p.strip() if isinstance(p, str) else
                not _is_block(p) and _tag(p) not in SKIP_TAGS and _visible([p])
                for p in pieces)
    runs: list[Any] = []
    current: list[Any] = []
    brs: list[Any] = []
    cut = False

    def end_run() -> None:
        nonlocal current
        if current:
            runs.append(current)
        current = []

    def take_breaks() -> None:
        # Breaks before content: one stays in the run (a line break), two or more end it.
        nonlocal brs, cut
        if len(brs) >= 2:
            end_run()
            cut = True
        elif brs:
            current.append(brs[0])
        brs = []

    for piece in pieces:
        if isinstance(piece, str):
            if not piece.strip() and brs:
                continue  # white space between breaks
            take_breaks()
            current.append(piece)
        elif _tag(piece) == "br":
            brs.append(piece)
        elif _is_block(piece):
            brs = []
            end_run()
            runs.append(piece)
        else:
            take_breaks()
            current.append(piece)
    end_run()
    if not cut and not (has_block and loose):
        return None
    return runs


def _tag(node: Any) -> str:
    return node.tag.lower() if isinstance(node.tag, str) else ""


def _fill(target: Any, run: list[Any]) -> None:
    """Put a run's pieces into ``target`` (empty), strings as text and tails."""
    last = None
    for piece in run:
        if isinstance(piece, str):
            if last is None:
                target.text = (target.text or "") + piece
            else:
                last.tail = (last.tail or "") + piece
        else:
            piece.tail = None
            target.append(piece)
            last = piece


def _detach(element: Any) -> None:
    element.text = None
    for child in list(element):
        tail = child.tail
        element.remove(child)
        child.tail = tail  # kept on the element, re-attached by _fill as a piece


def _visible(run: list[Any]) -> bool:
    """Whether a run shows any text (a comment or a script alone shows none)."""
    return any((p if isinstance(p, str) else p.text_content()
                if _tag(p) and _tag(p) not in SKIP_TAGS else "").strip() for p in run)


def _rewrap(element: Any, runs: list[Any]) -> None:
    from lxml import html

    _detach(element)
    for run in runs:
        if not isinstance(run, list):
            run.tail = None
            element.append(run)
        elif _visible(run):
            paragraph = html.Element("p")
            _fill(paragraph, run)
            element.append(paragraph)


def _split_paragraph(element: Any, runs: list[Any]) -> None:
    from lxml import html

    tail = element.tail
    _detach(element)
    element.tail = None
    runs = [run for run in runs if not isinstance(run, list) or _visible(run)] or [[""]]
    _fill(element, runs[0] if isinstance(runs[0], list) else [runs[0]])
    last = element
    for run in runs[1:]:
        paragraph = html.Element("p", dict(element.attrib))
        _fill(paragraph, run if isinstance(run, list) else [run])
        last.addnext(paragraph)
        last = paragraph
    last.tail = tail


def markup_blocks(tree: Any, builder: DocumentBuilder, *, boilerplate: bool,
                  walk_root: bool = False) -> None:
    """Walk an HTML tree block by block into ``builder``: each block element's own text (its
    nested blocks apart) is one paragraph; ``<br>`` is a line break, two or more in a row end
    the paragraph; white space in the source (line ends included) is a space, but in a
    ``<pre>``. With ``boilerplate``, page furniture (navigation, headers, footers, asides, forms,
    elements whose class or id says ad, share, related, comments, tags, byline ..., copyright
    lines) is dropped and the walk starts at the largest ``<article>``, else ``<main>``, else
    ``<body>`` (``walk_root``: ``tree`` itself)."""
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
    state = {"kind": "paragraph", "level": 0, "pre": 0, "breaks": 0}

    def flush() -> None:
        if buffer:
            text = "".join(buffer)
            builder.add(without_copyright(normalize(text)) if boilerplate else text,
                        state["kind"], state["level"])
            buffer.clear()
        state["breaks"] = 0

    def emit(text: str | None) -> None:
        if not text:
            return
        if not state["pre"]:
            text = _WHITESPACE.sub(" ", text)
        if text.strip():
            state["breaks"] = 0
        buffer.append(text)

    def walk(element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.rsplit("}", 1)[-1].lower()
        if not tag or tag in skip or (boilerplate and element is not root and _FURNITURE_RE.search(
                f"{element.get('class', '')} {element.get('id', '')}")):
            # a comment, a processing instruction, page furniture
            emit(element.tail)
            return
        if tag == "br":
            state["breaks"] += 1
            if state["breaks"] == 2:  # <br><br>: the paragraph ends
                kind, level = state["kind"], state["level"]
                flush()
                state.update(kind=kind, level=level)
            elif state["breaks"] == 1:
                buffer.append("\n")
        elif tag in BLOCK_TAGS:
            flush()
            saved = dict(state)
            if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
                state.update(kind="heading", level=int(tag[1]))
            elif tag in _KINDS:
                state.update(kind=_KINDS[tag], level=0)
            if tag == "pre":
                state["pre"] += 1
            emit(element.text)
            for child in element:
                walk(child)
            flush()
            state.update(saved)
        else:
            emit(element.text)
            for child in element:
                walk(child)
        if tag in BLOCK_TAGS:
            flush()
        emit(element.tail)

    walk(root)
    flush()


def _inside(element: Any, skip: set[str]) -> bool:
    return any(isinstance(a.tag, str) and a.tag.lower() in skip for a in element.iterancestors())
