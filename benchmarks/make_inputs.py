"""Write a document in every input format, each with that format's own library.

A document is a list of chapters, each a list of ``(kind, text)`` with kind ``heading``,
``paragraph`` or ``item``. ``WRITERS[fmt](chapters, path)`` writes it: python-docx writes the
DOCX (with a page header and footer that are not body text), odfpy the ODT, ebooklib the EPUB
(one spine document per chapter, with a navigation document), srt the SRT (paragraphs cut into
two-line cues of at most 42 characters a line), reportlab the PDF (in one or two columns, lines wrapped and words
hyphenated at line ends by us, a running header and page numbers on every page), lxml the HTML
page (navigation, an ad, a script, an aside and a footer around the article).

Used by tests/test_inputs.py (files generated in the test) and benchmarks/inputs.py.

    python benchmarks/make_inputs.py OUTDIR   # the first dev document in every format
"""
from __future__ import annotations

import gzip
import json
import os
import sys
from datetime import timedelta
from pathlib import Path
from typing import Callable, Iterator

Chapter = list[tuple[str, str]]
# ../shared beside the project (as CI lays it out); ALIGN_SHARED names another place.
SHARED = Path(os.environ.get("ALIGN_SHARED") or Path(__file__).resolve().parents[1].parent
              / "shared")
DOCS = SHARED / "data" / "docs"
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu",
             "/usr/share/fonts/TTF")


def flat(chapters: list[Chapter]) -> Chapter:
    return [block for chapter in chapters for block in chapter]


def write_txt(chapters: list[Chapter], path: Path) -> None:
    path.write_text("\n\n".join(text for _, text in flat(chapters)) + "\n", encoding="utf-8")


def write_html(chapters: list[Chapter], path: Path) -> None:
    from lxml import etree
    from lxml.builder import E

    article = E.article()
    items = None
    for kind, text in flat(chapters):
        if kind == "item":
            if items is None:
                items = E.ul()
                article.append(items)
            items.append(E.li(text))
            continue
        items = None
        article.append(E.h1(text) if kind == "heading" else E.p(text))
    page = E.html(
        E.head(E.meta(charset="utf-8"), E.title("News"),
               E.script('var ad = "<p>Buy now</p>";'), E.style("p {margin: 0}")),
        E.body(
            E.header(E.div("Daily News", {"class": "logo"}),
                     E.nav(E.ul(E.li(E.a("Home", href="/")), E.li(E.a("World", href="/w")),
                                E.li(E.a("Business", href="/b"))))),
            E.div("Advertisement: subscribe for 1 dollar a week", {"class": "ad"}),
            E.main(article),
            E.aside(E.h3("Read also"), E.ul(E.li(E.a("Another story", href="/2")))),
            E.footer(E.p("© 2024 Daily News. All rights reserved.")),
        ), lang="en")
    path.write_bytes(b"<!DOCTYPE html>\n" + etree.tostring(page, method="html",
                                                            encoding="utf-8"))


def write_docx(chapters: list[Chapter], path: Path) -> None:
    import docx

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "Running header of the report"
    section.footer.paragraphs[0].text = "Page footer"
    for n, chapter in enumerate(chapters):
        if n:
            document.add_page_break()
        for kind, text in chapter:
            if kind == "heading":
                document.add_heading(text, level=1)
            elif kind == "item":
                document.add_paragraph(text, style="List Bullet")
            else:
                document.add_paragraph(text)
    document.save(str(path))


def write_odt(chapters: list[Chapter], path: Path) -> None:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, List, ListItem, P

    document = OpenDocumentText()
    items = None
    for kind, text in flat(chapters):
        if kind == "item":
            if items is None:
                items = List()
                document.text.addElement(items)
            item = ListItem()
            item.addElement(P(text=text))
            items.addElement(item)
            continue
        items = None
        document.text.addElement(H(outlinelevel=1, text=text) if kind == "heading"
                                 else P(text=text))
    document.save(str(path))


def write_epub(chapters: list[Chapter], path: Path) -> None:
    from ebooklib import epub
    from html import escape

    book = epub.EpubBook()
    book.set_identifier("align-test-book")
    book.set_title("Test book")
    book.set_language("en")
    spine: list[object] = ["nav"]
    toc = []
    for n, chapter in enumerate(chapters):
        body = []
        items = False
        for kind, text in chapter:
            if kind == "item" and not items:
                body.append("<ul>")
            if kind != "item" and items:
                body.append("</ul>")
            items = kind == "item"
            tag = {"heading": "h1", "item": "li"}.get(kind, "p")
            body.append(f"<{tag}>{escape(text)}</{tag}>")
        if items:
            body.append("</ul>")
        page = epub.EpubHtml(title=f"Chapter {n + 1}", file_name=f"chap_{n + 1:03d}.xhtml")
        page.content = "<html><body>" + "\n".join(body) + "</body></html>"
        book.add_item(page)
        spine.append(page)
        toc.append(page)
    book.toc = toc
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = spine
    epub.write_epub(str(path), book)


def _cue_lines(text: str, width: int = 42) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return lines


def write_srt(chapters: list[Chapter], path: Path) -> None:
    import srt

    cues = []
    clock = timedelta(seconds=1)
    for _, text in flat(chapters):
        lines = _cue_lines(text)
        for i in range(0, len(lines), 2):
            shown = lines[i:i + 2]
            length = timedelta(milliseconds=60 * sum(map(len, shown)) + 500)
            cues.append(srt.Subtitle(len(cues) + 1, clock, clock + length, "\n".join(shown)))
            clock += length + timedelta(milliseconds=200)
        clock += timedelta(seconds=4)  # a pause between paragraphs
    path.write_text(srt.compose(cues), encoding="utf-8")


def pdf_font() -> str | None:
    """A TrueType font with Cyrillic letters (DejaVu Sans), or None."""
    for folder in FONT_DIRS:
        if Path(folder, "DejaVuSans.ttf").is_file():
            return str(Path(folder, "DejaVuSans.ttf"))
    return None


def _wrap(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Lines of at most ``width`` points; a word that would cross the end is hyphenated when
    it is a plain word of 7 letters or more, so that the reader has hyphens to undo."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if measure(candidate) <= width or not line:
            line = candidate
            continue
        if len(word) >= 7 and word.isalpha():
            for cut in range(len(word) - 3, 2, -1):
                head = f"{line} {word[:cut]}-"
                if measure(head) <= width:
                    lines.append(head)
                    line = word[cut:]
                    break
            else:
                lines.append(line)
                line = word
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def write_pdf(chapters: list[Chapter], path: Path, columns: int = 1) -> None:
    """The PDF: ``columns`` columns a page (text flows down the first, then the next), a
    heading never broken over a column nor left alone at a column's foot."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font = pdf_font()
    if font is None:
        raise RuntimeError("no DejaVu Sans font for Cyrillic PDF text")
    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", font))
    width, height = A4
    left, top, bottom, gap = 60.0, height - 70.0, 70.0, 24.0
    column = (width - 2 * left - gap * (columns - 1)) / columns
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    state = {"y": top, "page": 1, "column": 0}

    def furniture() -> None:
        pdf.setFont("DejaVu", 9)
        pdf.drawString(left, height - 40, "Running header — a test document")
        pdf.drawCentredString(width / 2, 35, f"- {state['page']} -")

    def new_page() -> None:
        pdf.showPage()
        state["page"] += 1
        state["y"] = top
        state["column"] = 0
        furniture()

    def next_column() -> None:
        if state["column"] + 1 < columns:
            state["column"] += 1
            state["y"] = top
        else:
            new_page()

    furniture()
    for n, chapter in enumerate(chapters):
        if n:
            new_page()
        for kind, text in chapter:
            size = 15 if kind == "heading" else 11
            lead = size * 1.3
            indent = 14 if kind == "item" else 0
            lines = _wrap(("• " if kind == "item" else "") + text, column - indent,
                          lambda s: pdfmetrics.stringWidth(s, "DejaVu", size))
            if kind == "heading" and state["y"] < top and (
                    state["y"] - lead * (len(lines) + 2) < bottom):
                next_column()  # a heading and the start of its text stay together
            for line in lines:
                if state["y"] < bottom:
                    next_column()
                pdf.setFont("DejaVu", size)
                pdf.drawString(left + state["column"] * (column + gap) + indent, state["y"],
                               line)
                state["y"] -= lead
            state["y"] -= 12
    pdf.save()


def write_pdf_columns(chapters: list[Chapter], path: Path) -> None:
    """The PDF set in two columns."""
    write_pdf(chapters, path, columns=2)


WRITERS: dict[str, Callable[[list[Chapter], Path], None]] = {
    "txt": write_txt, "html": write_html, "docx": write_docx, "odt": write_odt,
    "epub": write_epub, "srt": write_srt, "pdf": write_pdf,
}
EXTENSIONS = {fmt: f".{fmt}" for fmt in WRITERS}
#: Layouts measured beside the formats: the same format written another way.
VARIANTS: dict[str, tuple[str, Callable[[list[Chapter], Path], None]]] = {
    "pdf-2col": ("pdf", write_pdf_columns),
}


def documents(limit: int | None = None) -> Iterator[dict]:
    """The dev documents of ../shared/data/docs (headline first), in file order."""
    count = 0
    for name in sorted(DOCS.glob("*.jsonl.gz")):
        with gzip.open(name, "rt", encoding="utf-8") as fh:
            for line in fh:
                doc = json.loads(line)
                if doc.get("doc_id") == "canary" or len(doc["en"]) < 3:
                    continue
                yield doc
                count += 1
                if limit is not None and count >= limit:
                    return


def as_chapters(segments: list[str]) -> list[Chapter]:
    """A document's segments as one chapter: the headline a heading, the rest paragraphs."""
    return [[("heading", segments[0])] + [("paragraph", s) for s in segments[1:]]]


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "inputs-sample")
    out.mkdir(parents=True, exist_ok=True)
    doc = next(documents(1))
    for lang in ("en", "ru"):
        for fmt, write in WRITERS.items():
            write(as_chapters(doc[lang]), out / f"doc.{lang}{EXTENSIONS[fmt]}")
    print(f"wrote {len(WRITERS) * 2} files to {out}")
