"""Input formats (align/inputs): every format's file is written in the test by that format's
own library (benchmarks/make_inputs.py) and must read back as the same paragraphs.

The contract tests run for every format in the registry; the ones after them cover what one
format does of its own (PDF page furniture and hyphens, SRT cues, EPUB chapters, HTML
boilerplate), bad files, missing extras, and the command line.
"""
from __future__ import annotations

import io
import json
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from align.cli import main
from align.errors import InputError
from align.inputs import INPUTS, input_format_for, read_document, sniff
from align.inputs.base import normalize
from align.segment import split_sentences

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from make_inputs import WRITERS, pdf_font  # noqa: E402

#: The library each generator needs (the test skips without it).
WRITER_NEEDS = {"txt": None, "html": "lxml", "docx": "docx", "odt": "odf", "epub": "ebooklib",
                "srt": "srt", "pdf": "reportlab"}
#: The library each reader needs beyond lxml.
READER_NEEDS = {"html": "trafilatura", "docx": "docx", "srt": "srt", "pdf": "pdfminer"}
#: Formats whose files say which paragraphs are headings and list items.
STRUCTURED = {"html", "docx", "odt", "epub", "pdf"}

EN = [[("heading", "Two Mexican states issue warning for Hurricane Hanna"),
       ("paragraph", "The Mexican National Civil Defense Agency issued an \"orange\" (high) "
                     "alert in two eastern states, Tamaulipas and Nuevo Leon, over the approaching "
                     "Hurricane Hanna, TASS reports."),
       ("paragraph", "The hurricane will bring heavy rainfall to Mexico; in some areas 150 to "
                     "250 litres of precipitation per square metre are forecast."),
       ("item", "The authorities have prepared about 800 shelters."),
       ("item", "Ten thousand people will help, rescuers and soldiers among them.")],
      [("heading", "Landfall"),
       ("paragraph", "The hurricane has reached the coast of Texas with winds of 150 km/h. "
                     "Hanna is expected in Mexico on Sunday morning.")]]
RU = [[("heading", "В двух мексиканских штатах объявили тревогу из-за урагана «Ханна»"),
       ("paragraph", "Мексиканское национальное управление гражданской обороны объявило "
                     "«оранжевый» (высокий) уровень тревоги в двух восточных штатах Тамаулипас и "
                     "Нуэво-Леон из-за приближающегося урагана «Ханна», сообщает ТАСС."),
       ("paragraph", "Ураган принесет в Мексику сильные ливни; в некоторых районах прогнозируют "
                     "от 150 до 250 литров осадков на квадратный метр."),
       ("item", "Власти подготовили около 800 убежищ."),
       ("item", "Помогать будут 10 тысяч человек, среди них спасатели и военные.")],
      [("heading", "Выход на сушу"),
       ("paragraph", "Ураган достиг побережья Техаса со скоростью ветра 150 км/ч. Прибытие "
                     "«Ханны» в Мексику ожидается утром в воскресенье.")]]


def expected(chapters) -> list[str]:
    return [normalize(text) for chapter in chapters for _, text in chapter]


def make(fmt: str, chapters, path: Path) -> Path:
    if WRITER_NEEDS[fmt]:
        pytest.importorskip(WRITER_NEEDS[fmt])
    if fmt in READER_NEEDS:
        pytest.importorskip(READER_NEEDS[fmt])
    if fmt == "pdf" and pdf_font() is None:
        pytest.skip("no DejaVu Sans font to write Cyrillic into a PDF")
    WRITERS[fmt](chapters, path)
    return path


def test_every_registered_format_has_a_generator() -> None:
    assert set(INPUTS) == set(WRITERS)


# --------------------------------------------------------------------------- the contract

@pytest.mark.parametrize("fmt", sorted(INPUTS))
@pytest.mark.parametrize("lang,chapters", [("en", EN), ("ru", RU)])
def test_reads_back_the_paragraphs(tmp_path: Path, fmt: str, lang: str, chapters) -> None:
    path = make(fmt, chapters, tmp_path / f"doc.{lang}.{fmt}")
    doc = read_document(path)
    assert doc.format == fmt
    assert doc.paragraphs == expected(chapters)
    if fmt in STRUCTURED:
        kinds = [kind for chapter in chapters for kind, _ in chapter]
        assert [b.kind for b in doc.blocks] == kinds
    if fmt == "epub":
        assert [b.chapter for b in doc.blocks] == [0] * 5 + [1] * 2


@pytest.mark.parametrize("fmt", sorted(INPUTS))
def test_content_tells_the_format_without_an_extension(tmp_path: Path, fmt: str) -> None:
    path = make(fmt, EN, tmp_path / f"doc.{fmt}")
    data = path.read_bytes()
    assert sniff(data) == fmt
    renamed = tmp_path / "doc.dat"
    renamed.write_bytes(data)
    assert read_document(renamed).paragraphs == expected(EN)


@pytest.mark.parametrize("fmt", sorted(INPUTS))
def test_sentences_stay_inside_their_paragraphs(tmp_path: Path, fmt: str) -> None:
    doc = read_document(make(fmt, RU, tmp_path / f"doc.{fmt}"))
    sentences = split_sentences(doc.text, "ru")
    assert {s.paragraph for s in sentences} == set(range(len(doc.blocks)))
    for s in sentences:
        block = doc.blocks[s.paragraph]
        assert block.start <= s.start < s.end <= block.end
    for mark in doc.marks:
        assert 0 <= mark.start < mark.end <= len(doc.text)


@pytest.mark.parametrize("fmt", sorted(INPUTS))
def test_same_file_same_document(tmp_path: Path, fmt: str) -> None:
    path = make(fmt, EN, tmp_path / f"doc.{fmt}")
    assert read_document(path) == read_document(path)


# --------------------------------------------------------------------------- plain text

@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1251", "koi8-r"])
def test_text_in_any_common_encoding(tmp_path: Path, encoding: str) -> None:
    text = "Ураган \"Ханна\" приближается к Мексике.\n\nВласти подготовили убежища.\n"
    path = tmp_path / "doc.txt"
    path.write_bytes(text.encode(encoding))
    doc = read_document(path)
    assert doc.paragraphs == ["Ураган \"Ханна\" приближается к Мексике.",
                              "Власти подготовили убежища."]
    assert doc.encoding.replace("_", "-").startswith(encoding.split("-sig")[0][:5])


def test_text_keeps_its_characters(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(b"  One  line,\r\nanother.\r\n\r\n \r\nNext   paragraph.\r\n")
    doc = read_document(path)
    assert doc.text == "  One  line,\nanother.\n\n \nNext   paragraph."
    assert doc.paragraphs == ["One  line,\nanother.", "Next   paragraph."]


# --------------------------------------------------------------------------- format details

def test_pdf_drops_running_headers_and_page_numbers_and_joins_hyphens(tmp_path: Path) -> None:
    long = [[(kind, text) for _ in range(6) for kind, text in chapter] for chapter in RU]
    doc = read_document(make("pdf", long, tmp_path / "long.pdf"))
    assert doc.paragraphs == expected(long)
    pages = {m.props["page"] for m in doc.marks}
    assert len(pages) >= 3 and "1" in pages
    assert not any("Running header" in p or p.strip("- ").isdigit() for p in doc.paragraphs)


@pytest.mark.parametrize("columns", [2, 3])
@pytest.mark.parametrize("lang,chapters", [("en", EN), ("ru", RU)])
def test_pdf_in_columns_reads_in_order_and_joins_column_breaks(tmp_path: Path, columns: int,
                                                                lang: str, chapters) -> None:
    from make_inputs import write_pdf

    long = [[(kind, text) for _ in range(5) for kind, text in chapter] for chapter in chapters]
    make("pdf", EN, tmp_path / "skip-check.pdf")  # skips without the libraries or the font
    path = tmp_path / f"columns.{lang}.pdf"
    write_pdf(long, path, columns=columns)
    doc = read_document(path)
    assert doc.paragraphs == expected(long)
    assert len({m.props["page"] for m in doc.marks}) >= 2


def _box(x0: float, y1: float, x1: float, text: str):
    from align.inputs.pdf import _Box

    return _Box((text,), 1, False, False, 10.0, x1 - x0, x1 - x0, x0, y1, x1)


@pytest.mark.parametrize("boxes,order", [
    # two columns given interleaved: the left one top to bottom, then the right one
    ([(50, 700, 280, "L1"), (310, 700, 540, "R1"), (50, 600, 280, "L2"), (310, 600, 540, "R2")],
     ["L1", "L2", "R1", "R2"]),
    # a title over both columns, then the columns; a wide box between bands cuts them
    ([(310, 650, 540, "R1"), (50, 650, 280, "L1"), (50, 750, 540, "Title"),
      (50, 400, 540, "Wide"), (310, 300, 540, "R2"), (50, 300, 280, "L2")],
     ["Title", "L1", "R1", "Wide", "L2", "R2"]),
    # one column (an indented item overlaps it): pdfminer's order kept
    ([(50, 700, 540, "A"), (64, 650, 540, "B"), (50, 690, 540, "C")], ["A", "B", "C"]),
])
def test_pdf_reading_order_of_columns(boxes, order) -> None:
    from align.inputs.pdf import reading_order

    result = reading_order([_box(*b) for b in boxes])
    assert [b.lines[0] for b in result] == order


@pytest.mark.parametrize("lines,text", [
    (["a trans-", "lation here"], "a translation here"),
    (["Нуэво-", "Леон"], "Нуэво- Леон"),           # a capital after the hyphen: a real one
    (["пере\u00ad", "вод"], "перевод"),
    (["1990-", "2000"], "1990- 2000"),
    (["A YEAR SUBSC-", "RIPTION AND"], "A YEAR SUBSCRIPTION AND"),
    (["NORTH-", "West"], "NORTH- West"),
    (["items:", "• first", "• second"], "items:\n• first\n• second"),
])
def test_pdf_line_joining(lines, text) -> None:
    from align.inputs.pdf import join_lines

    assert join_lines(lines) == text


def test_encrypted_pdf_is_one_clear_error(tmp_path: Path) -> None:
    pytest.importorskip("reportlab")
    pytest.importorskip("pdfminer")
    from reportlab.pdfgen import canvas

    path = tmp_path / "secret.pdf"
    pdf = canvas.Canvas(str(path), encrypt="password")
    pdf.drawString(100, 700, "Secret text")
    pdf.save()
    with pytest.raises(InputError, match="encrypted PDF") as err:
        read_document(path)
    assert err.value.path == str(path)


SRT = """1
00:00:01,000 --> 00:00:03,000
<i>The hurricane will bring</i>
heavy rain to Mexico,

2
00:00:03,100 --> 00:00:05,000
forecasters said on Friday.

3
00:00:09,000 --> 00:00:11,000
- Are you ready?
- We are.
"""


def test_srt_joins_cues_into_sentences_and_keeps_timings(tmp_path: Path) -> None:
    pytest.importorskip("srt")
    path = tmp_path / "film.srt"
    path.write_text(SRT, encoding="cp1251")
    doc = read_document(path)
    assert doc.paragraphs == ["The hurricane will bring heavy rain to Mexico, forecasters said "
                              "on Friday.", "- Are you ready?\n- We are."]
    assert [s.text for s in split_sentences(doc.text, "en")] == [
        "The hurricane will bring heavy rain to Mexico, forecasters said on Friday.",
        "- Are you ready?", "- We are."]
    assert [dict(m.props) for m in doc.marks] == [
        {"start": "00:00:01,000", "end": "00:00:03,000", "cue": "1"},
        {"start": "00:00:03,100", "end": "00:00:05,000", "cue": "2"},
        {"start": "00:00:09,000", "end": "00:00:11,000", "cue": "3"}]
    assert doc.text[doc.marks[1].start:doc.marks[1].end] == "forecasters said on Friday."


def test_html_main_text_without_page_furniture(tmp_path: Path) -> None:
    doc = read_document(make("html", EN, tmp_path / "page.html"))
    text = doc.text
    for furniture in ("Daily News", "Home", "Advertisement", "Read also", "Buy now", "©"):
        assert furniture not in text


def test_html_without_trafilatura_uses_lxml(tmp_path: Path, monkeypatch) -> None:
    path = make("html", RU, tmp_path / "page.html")
    monkeypatch.setitem(sys.modules, "trafilatura", None)
    doc = read_document(path)
    assert doc.paragraphs == expected(RU)
    assert len(doc.warnings) == 1 and "pip install 'align[formats]'" in doc.warnings[0]


def test_html_meta_charset(tmp_path: Path) -> None:
    pytest.importorskip("trafilatura")
    page = ("<html><head><meta charset='windows-1251'></head><body><article><h1>Заголовок "
            "новости</h1><p>Первый абзац новости, довольно длинный, чтобы быть основным "
            "текстом страницы.</p></article></body></html>")
    path = tmp_path / "page.htm"
    path.write_bytes(page.encode("cp1251"))
    doc = read_document(path)
    assert doc.encoding == "cp1251"
    assert doc.paragraphs[0] == "Заголовок новости"


# --------------------------------------------------------------------------- bad input

def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


BAD = [
    ("bad.docx", b"PK\x03\x04 this is not a zip", "not a DOCX file"),
    ("bad.odt", b"PK\x03\x04 truncated", "not an ODT file"),
    ("bad.epub", b"garbage", "not an EPUB file"),
    ("bad.pdf", b"%PDF-1.4\n1 0 obj garbage", "PDF"),
    ("nocontainer.epub", _zip({"mimetype": b"application/epub+zip"}), "no META-INF/container.xml"),
    ("sheet.odt", _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                        "content.xml": b"<x/>"}), "spreadsheet, not a text document"),
    ("broken.odt", _zip({"mimetype": b"application/vnd.oasis.opendocument.text",
                         "content.xml": b"<office:document-content"}), "malformed content.xml"),
    ("nav.html", b"<html><body><nav><a href='/'>Home</a></nav><script>x()</script></body></html>",
     "no main text"),
    ("bad.srt", b"1\n00:00:01,000 --> 00:00:02,000\nfine\n\n2\n00:00:99 --> nonsense\n", "SRT"),
    ("empty.txt", b"", "empty file"),
    ("binary.txt", b"\x00\x01\x02\x03" * 10, "binary"),
]


@pytest.mark.parametrize("name,data,problem", BAD, ids=[b[0] for b in BAD])
def test_bad_file_is_one_error_naming_it(tmp_path: Path, name: str, data: bytes,
                                         problem: str) -> None:
    fmt = input_format_for(name, data)
    if fmt.name in READER_NEEDS:
        pytest.importorskip(READER_NEEDS[fmt.name])
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError, match=problem) as err:
        read_document(path)
    assert err.value.path == str(path) and "\n" not in str(err.value)


@pytest.mark.parametrize("fmt", ["docx", "odt", "epub"])
def test_document_without_text_is_an_error(tmp_path: Path, fmt: str) -> None:
    path = make(fmt, [[("paragraph", " ")]], tmp_path / f"blank.{fmt}")
    with pytest.raises(InputError, match="no text"):
        read_document(path)


def test_pdf_without_a_text_layer_is_an_error(tmp_path: Path) -> None:
    pytest.importorskip("reportlab")
    pytest.importorskip("pdfminer")
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.rect(100, 100, 300, 500, fill=1)  # a picture, no text
    pdf.save()
    with pytest.raises(InputError, match="no text layer"):
        read_document(path)


@pytest.mark.parametrize("fmt,module", [("docx", "docx"), ("srt", "srt"), ("pdf", "pdfminer")])
def test_missing_extra_names_the_pip_install(tmp_path: Path, monkeypatch, fmt: str,
                                             module: str) -> None:
    path = make(fmt, EN, tmp_path / f"doc.{fmt}")
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(InputError, match=r"pip install 'align\[formats\]'") as err:
        read_document(path)
    assert err.value.path == str(path)


# --------------------------------------------------------------------------- command line

def _pairs(path: Path) -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [(" ".join(r["translation"]["en"].split()), " ".join(r["translation"]["ru"].split()))
            for r in rows]


@pytest.mark.parametrize("fmt", ["docx", "epub", "pdf", "srt", "html", "odt"])
def test_align_text_gives_the_plain_text_pairs(tmp_path: Path, fmt: str) -> None:
    en, ru = make(fmt, EN, tmp_path / f"a.en.{fmt}"), make(fmt, RU, tmp_path / f"a.ru.{fmt}")
    WRITERS["txt"](EN, tmp_path / "a.en.txt")
    WRITERS["txt"](RU, tmp_path / "a.ru.txt")
    runner = CliRunner()
    plain = runner.invoke(main, ["text", str(tmp_path / "a.en.txt"), str(tmp_path / "a.ru.txt"),
                                 "-o", str(tmp_path / "plain.jsonl"), "-j", "1", "-q"])
    assert plain.exit_code == 0, plain.output
    result = runner.invoke(main, ["text", str(en), str(ru), "-o", str(tmp_path / "out.jsonl"),
                                  "-j", "1", "-q"])
    assert result.exit_code == 0, result.output
    pairs = _pairs(tmp_path / "out.jsonl")
    assert pairs == _pairs(tmp_path / "plain.jsonl") and len(pairs) >= 7
    if fmt == "srt":
        first = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8").split("\n")[0])
        assert first["props"]["en-start"] == "00:00:01,000"
        assert set(first["props"]) == {"en-start", "en-end", "en-cue", "ru-start", "ru-end",
                                       "ru-cue"}


def test_align_text_corrupt_file_is_one_line_exit_1(tmp_path: Path) -> None:
    good = make("docx", RU, tmp_path / "a.ru.docx")
    bad = tmp_path / "a.en.docx"
    bad.write_bytes(b"PK\x03\x04 broken")
    out = tmp_path / "out.tmx"
    result = CliRunner().invoke(main, ["text", str(bad), str(good), "-o", str(out), "-j", "1"])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: {bad}: not a DOCX file (not a valid zip archive) (File is not a zip file)"]
    assert not out.exists()


def test_align_text_missing_extra_is_one_line(tmp_path: Path, monkeypatch) -> None:
    en, ru = make("srt", EN, tmp_path / "a.en.srt"), make("srt", RU, tmp_path / "a.ru.srt")
    monkeypatch.setitem(sys.modules, "srt", None)
    result = CliRunner().invoke(main, ["text", str(en), str(ru), "-o", str(tmp_path / "o.tsv"),
                                       "-j", "1"])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: {en}: reading this format needs srt, which is not installed: "
        "pip install 'align[formats]'"]


def test_input_format_option_overrides_the_extension(tmp_path: Path) -> None:
    path = make("html", EN, tmp_path / "page.html")
    renamed = tmp_path / "page.txt"
    renamed.write_bytes(path.read_bytes())
    as_html = CliRunner().invoke(main, ["segment", str(renamed), "--input-format", "html"])
    assert as_html.exit_code == 0
    assert as_html.stdout.splitlines()[0] == EN[0][0][1]
    assert "<p>" not in as_html.stdout
    as_text = CliRunner().invoke(main, ["segment", str(renamed)])
    assert "<p>" in as_text.stdout


def test_segment_reads_a_docx(tmp_path: Path) -> None:
    path = make("docx", RU, tmp_path / "doc.docx")
    result = CliRunner().invoke(main, ["segment", str(path), "--keep-paragraphs"])
    assert result.exit_code == 0, result.output
    assert result.stdout.split("\n\n")[0] == RU[0][0][1]
    assert "Выход на сушу" in result.stdout.split("\n\n")


@pytest.mark.parametrize("fmt", ["docx", "epub", "html"])
def test_docs_reads_any_input_format(tmp_path: Path, fmt: str) -> None:
    from align.docpair import DocFile, read_document as read_for_pairing

    path = make(fmt, RU, tmp_path / f"story.{fmt}")
    doc = read_for_pairing(DocFile(str(path), path.name, "ru"))
    assert doc.lang == "ru"
    assert (doc.headline, *doc.paragraphs) == tuple(" ".join(p.split()) for p in expected(RU))


def test_sentences_reads_a_docx_paragraph_a_line(tmp_path: Path) -> None:
    en, ru = make("docx", EN, tmp_path / "a.en.docx"), make("docx", RU, tmp_path / "a.ru.docx")
    result = CliRunner().invoke(main, ["sentences", str(en), str(ru), "-o",
                                       str(tmp_path / "a.align")])
    assert result.exit_code == 0, result.output
    beads = (tmp_path / "a.align").read_text().splitlines()
    assert [b.rsplit(":", 1)[0] for b in beads] == [f"[{i}]:[{i}]" for i in range(7)]


def test_a_sentence_file_opening_with_a_tag_stays_text(tmp_path: Path) -> None:
    from align.inputs import read_lines

    path = tmp_path / "doc.en"
    path.write_text("<p>Click <b>Save</b>.</p>\n\nSecond line.\n", encoding="utf-8")
    assert read_lines(path) == ["<p>Click <b>Save</b>.</p>", "", "Second line."]


DATA = Path(__file__).resolve().parent / "data"


def test_a_news_page_pair_gives_its_story_only(tmp_path: Path) -> None:
    """tests/data/news.{en,ru}.html: a news site's page layout, written for this test (cookie
    banner, menu, breadcrumbs, byline, share buttons, an inline 'read also', tags, comments,
    sidebar, ad, footer, JSON-LD and scripts around the story)."""
    pytest.importorskip("trafilatura")
    en, ru = read_document(DATA / "news.en.html"), read_document(DATA / "news.ru.html")
    assert len(en.blocks) == len(ru.blocks) == 5
    assert en.paragraphs[0] == "Two Mexican states issue warning for Hurricane Hanna"
    assert [b.kind for b in ru.blocks] == ["heading"] + ["paragraph"] * 4
    out = tmp_path / "news.jsonl"
    result = CliRunner().invoke(main, ["text", str(DATA / "news.en.html"),
                                       str(DATA / "news.ru.html"), "-o", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    pairs = _pairs(out)
    assert len(pairs) == 7 and pairs[0][1].startswith("В двух мексиканских штатах")
    text = " ".join(e + " " + r for e, r in pairs)
    for furniture in ("cookie", "Read also", "Читайте также", "Facebook", "Comments",
                      "Комментарии", "Most read", "Реклама", "©", "Jane Doe", "Mexico Hurricanes"):
        assert furniture not in text


def _doc(kinds_chapters: list[tuple[str, int]]) -> tuple[object, list]:
    from align.inputs.base import DocumentBuilder

    builder = DocumentBuilder("x", "epub")
    chapter = 0
    for n, (kind, ch) in enumerate(kinds_chapters):
        if ch != chapter:
            builder.new_chapter()
            chapter = ch
        builder.add(f"Sentence number {n}.", kind)
    doc = builder.build()
    return doc, split_sentences(doc.text, "en")


@pytest.mark.parametrize("src,tgt,cuts", [
    # two chapters on both sides: a cut at the second chapter's first sentence
    ([("paragraph", 0)] * 3 + [("paragraph", 1)] * 3,
     [("paragraph", 0)] * 3 + [("paragraph", 1)] * 3, [(0, 0), (3, 3)]),
    # as many headings at about the same places: cuts there (one a side drops a paragraph)
    ([("heading", 0)] + [("paragraph", 0)] * 4 + [("heading", 0)] + [("paragraph", 0)] * 4,
     [("heading", 0)] + [("paragraph", 0)] * 4 + [("heading", 0)] + [("paragraph", 0)] * 3,
     [(0, 0), (5, 5)]),
    # headings in different numbers, or far apart: no cut
    ([("heading", 0)] + [("paragraph", 0)] * 4 + [("heading", 0)] + [("paragraph", 0)] * 4,
     [("heading", 0)] + [("paragraph", 0)] * 9, []),
    ([("heading", 0)] + [("paragraph", 0)] * 8 + [("heading", 0)],
     [("heading", 0)] + [("heading", 0)] + [("paragraph", 0)] * 8, []),  # all or none
])
def test_structure_both_sides_agree_on_is_a_boundary(src, tgt, cuts) -> None:
    from align.inputs.structure import structure_cuts

    (a, sa), (b, sb) = _doc(src), _doc(tgt)
    assert structure_cuts(a, b, sa, sb) == cuts


def test_pdf_pages_become_pair_properties(tmp_path: Path) -> None:
    from align.inputs.structure import bead_props
    from align.types import Bead

    long = [[(kind, text) for _ in range(6) for kind, text in chapter] for chapter in EN]
    doc = read_document(make("pdf", long, tmp_path / "long.pdf"))
    sentences = split_sentences(doc.text, "en")
    assert bead_props(doc, sentences, (0,), "en") == {"en-page": "1"}
    last = len(sentences) - 1
    assert bead_props(doc, sentences, (0, last), "en")["en-page"].startswith("1-")
    assert bead_props(doc, sentences, Bead((), (0,)).src, "en") == {}


# --------------------------------------------------------------------------- DOCX tracked changes

def _tracked_docx(path: Path, body_xml: list[str]) -> Path:
    """A DOCX written by python-docx with ``body_xml`` (each a ``w:p`` or ``w:tbl`` in
    WordprocessingML, as Word writes tracked changes) as its body."""
    docx = pytest.importorskip("docx")
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    sect = document.element.body[-1]  # the section properties stay last
    for xml in body_xml:
        tag = xml[1:xml.index(">")]
        sect.addprevious(parse_xml(xml.replace(f"<{tag}>", f"<{tag} {nsdecls('w')}>", 1)))
    document.save(str(path))
    return path


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _ins(inner: str, n: int = 1) -> str:
    return f'<w:ins w:id="{n}" w:author="Editor" w:date="2024-01-01T00:00:00Z">{inner}</w:ins>'


def _del(text: str, n: int = 2) -> str:
    return (f'<w:del w:id="{n}" w:author="Editor" w:date="2024-01-01T00:00:00Z"><w:r>'
            f'<w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>')


_DELETED_MARK = ('<w:pPr><w:rPr><w:del w:id="9" w:author="Editor" '
                 'w:date="2024-01-01T00:00:00Z"/></w:rPr></w:pPr>')

TRACKED = [
    ("insertion kept, deletion dropped",
     [f"<w:p>{_run('The storm ')}{_del('slowly ')}{_ins(_run('quickly '))}{_run('moved north.')}</w:p>"],
     ["The storm quickly moved north."]),
    ("insertion inside a link and a smart tag",
     [f'<w:p>{_run("See ")}<w:hyperlink w:anchor="x">{_ins(_run("the report"))}</w:hyperlink>'
      f'<w:smartTag w:uri="u" w:element="place">{_run(" in Texas")}</w:smartTag>{_run(".")}</w:p>'],
     ["See the report in Texas."]),
    ("a whole paragraph deleted (text and mark)",
     [f"<w:p>{_run('Kept first.')}</w:p>",
      f"<w:p>{_DELETED_MARK}{_del('A draft paragraph nobody kept.')}</w:p>",
      f"<w:p>{_run('Kept second.')}</w:p>"],
     ["Kept first.", "Kept second."]),
    ("a deleted paragraph mark joins two paragraphs",
     [f"<w:p>{_DELETED_MARK}{_run('Ten thousand people will help,')}</w:p>",
      f"<w:p>{_run('rescuers and soldiers among them.')}</w:p>"],
     ["Ten thousand people will help, rescuers and soldiers among them."]),
    ("a paragraph moved: its old place dropped, its new place kept",
     ['<w:p><w:pPr><w:rPr><w:moveFrom w:id="5" w:author="E" w:date="2024-01-01T00:00:00Z"/>'
      '</w:rPr></w:pPr><w:moveFromRangeStart w:id="6" w:name="move1" w:author="E" '
      'w:date="2024-01-01T00:00:00Z"/><w:moveFrom w:id="7" w:author="E" '
      'w:date="2024-01-01T00:00:00Z"><w:r><w:t>Moved paragraph.</w:t></w:r></w:moveFrom>'
      '<w:moveFromRangeEnd w:id="6"/></w:p>',
      f"<w:p>{_run('Staying paragraph.')}</w:p>",
      '<w:p><w:moveToRangeStart w:id="8" w:name="move1" w:author="E" '
      'w:date="2024-01-01T00:00:00Z"/><w:moveTo w:id="10" w:author="E" '
      'w:date="2024-01-01T00:00:00Z"><w:r><w:t>Moved paragraph.</w:t></w:r></w:moveTo>'
      '<w:moveToRangeEnd w:id="8"/></w:p>'],
     ["Staying paragraph.", "Moved paragraph."]),
    ("a sentence moved inside a paragraph",
     [f'<w:p><w:moveFrom w:id="3" w:author="E" w:date="2024-01-01T00:00:00Z">{_run("B. ")}'
      f'</w:moveFrom>{_run("A.")}<w:moveTo w:id="4" w:author="E" '
      f'w:date="2024-01-01T00:00:00Z">{_run(" B.")}</w:moveTo></w:p>'],
     ["A. B."]),
    ("a deleted table row dropped, an inserted one kept",
     ["<w:tbl><w:tblGrid><w:gridCol w:w=\"4000\"/></w:tblGrid>"
      f"<w:tr><w:tc><w:p>{_run('Row one.')}</w:p></w:tc></w:tr>"
      '<w:tr><w:trPr><w:del w:id="11" w:author="E" w:date="2024-01-01T00:00:00Z"/></w:trPr>'
      f"<w:tc><w:p>{_del('Row two.')}</w:p></w:tc></w:tr>"
      '<w:tr><w:trPr><w:ins w:id="12" w:author="E" w:date="2024-01-01T00:00:00Z"/></w:trPr>'
      f"<w:tc><w:p>{_ins(_run('Row three.'))}</w:p></w:tc></w:tr></w:tbl>"],
     ["Row one.", "Row three."]),
    ("field instructions dropped, the field's result kept; breaks",
     ['<w:p><w:r><w:t xml:space="preserve">Page </w:t></w:r><w:r><w:fldChar '
      'w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE '
      '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7'
      '</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:br/><w:t>next line'
      '</w:t><w:br w:type="page"/><w:t>after the break</w:t><w:tab/><w:t>tabbed</w:t></w:r></w:p>'],
     ["Page 7\nnext line after the break tabbed"]),
]


@pytest.mark.parametrize("body,paragraphs", [t[1:] for t in TRACKED], ids=[t[0] for t in TRACKED])
def test_docx_tracked_changes_read_as_accepted(tmp_path: Path, body, paragraphs) -> None:
    doc = read_document(_tracked_docx(tmp_path / "tracked.docx", body))
    assert doc.paragraphs == paragraphs


def test_docx_with_tracked_changes_aligns_as_its_accepted_text(tmp_path: Path) -> None:
    """Every English paragraph rewritten as an editor's revision (its second half a tracked
    insertion, a deleted draft clause before it, a deleted paragraph between): the pairs are
    those of the plain text."""
    from xml.sax.saxutils import escape

    body = []
    for n, (kind, text) in enumerate(kind_text for ch in EN for kind_text in ch):
        words = text.split(" ")
        head, tail = " ".join(words[:len(words) // 2]) + " ", " ".join(words[len(words) // 2:])
        style = ('<w:pPr><w:pStyle w:val="Heading1"/></w:pPr>' if kind == "heading" else
                 '<w:pPr><w:pStyle w:val="ListBullet"/></w:pPr>' if kind == "item" else "")
        body.append(f"<w:p>{style}{_run(escape(head))}{_del('an early draft said otherwise ')}"
                    f"{_ins(_run(escape(tail)))}</w:p>")
        if n == 2:
            body.append(f"<w:p>{_DELETED_MARK}{_del('A paragraph the editor struck out.')}</w:p>")
    en = _tracked_docx(tmp_path / "a.en.docx", body)
    assert read_document(en).paragraphs == expected(EN)
    ru = make("docx", RU, tmp_path / "a.ru.docx")
    WRITERS["txt"](EN, tmp_path / "a.en.txt")
    WRITERS["txt"](RU, tmp_path / "a.ru.txt")
    runner = CliRunner()
    for name, (a, b) in {"plain": (tmp_path / "a.en.txt", tmp_path / "a.ru.txt"),
                         "tracked": (en, ru)}.items():
        result = runner.invoke(main, ["text", str(a), str(b), "-o",
                                      str(tmp_path / f"{name}.jsonl"), "-j", "1", "-q"])
        assert result.exit_code == 0, result.output
    assert _pairs(tmp_path / "tracked.jsonl") == _pairs(tmp_path / "plain.jsonl")


# --------------------------------------------------------------------------- HTML paragraphs

_LONG = ("The authorities have prepared about 800 shelters for the people who must leave "
         "their homes before the hurricane reaches the coast on Sunday.")

HTML_CASES = [
    ("one <br> is a line break inside the paragraph",
     "<p>The hurricane reached Texas.<br>Hanna is expected in Mexico on Sunday.</p>",
     [("paragraph", "The hurricane reached Texas.\nHanna is expected in Mexico on Sunday.")]),
    ("<br> between words glues nothing",
     "<p>Москва<br/>Санкт-Петербург<br/>Казань</p>",
     [("paragraph", "Москва\nСанкт-Петербург\nКазань")]),
    ("<br><br> ends a paragraph (a page without <p>)",
     "<div class='text'>The storm reached the coast on Saturday.<br><br>\n  Hanna is expected "
     "in Mexico on Sunday.<br/> <br/><br/>Officials prepared shelters.</div>",
     [("paragraph", "The storm reached the coast on Saturday."),
      ("paragraph", "Hanna is expected in Mexico on Sunday."),
      ("paragraph", "Officials prepared shelters.")]),
    ("<br><br> inside a <p>",
     "<p>First paragraph of the story.<br><br>Second paragraph of the story.</p>",
     [("paragraph", "First paragraph of the story."),
      ("paragraph", "Second paragraph of the story.")]),
    ("loose text beside a <p> is a paragraph of its own",
     "<div>Loose text before the paragraph.<p>A proper paragraph.</p>Loose text after it.</div>",
     [("paragraph", "Loose text before the paragraph."), ("paragraph", "A proper paragraph."),
      ("paragraph", "Loose text after it.")]),
    ("source line ends are spaces",
     "<p>The hurricane has reached\n   the coast of Texas.</p>",
     [("paragraph", "The hurricane has reached the coast of Texas.")]),
    ("a table row by row, one paragraph a cell",
     "<table><thead><tr><th>City</th><th>Rainfall</th></tr></thead><tbody><tr><td>Monterrey"
     "</td><td><b>150</b> mm</td></tr><tr><td>Reynosa</td><td>250 mm</td></tr></tbody></table>",
     [("cell", "City"), ("cell", "Rainfall"), ("cell", "Monterrey"), ("cell", "150 mm"),
      ("cell", "Reynosa"), ("cell", "250 mm")]),
    ("a cell's paragraphs and lists, and its own text",
     "<table><tr><td>Cell text<p>Cell paragraph.</p></td><td><ul><li>first</li><li>second</li>"
     "</ul></td></tr></table>",
     [("cell", "Cell text"), ("cell", "Cell paragraph."), ("item", "first"),
      ("item", "second")]),
    ("a list item's own text beside its paragraph",
     "<ul><li>Lead text<p>Paragraph in the item.</p></li></ul>",
     [("item", "Lead text"), ("item", "Paragraph in the item.")]),
    ("copyright lines are furniture",
     "<p>© 2024 Daily News. All rights reserved.</p><p>Все права защищены.</p>"
     "<p>Copyright 2024 Example Media Group</p><p>При использовании материалов ссылка на "
     "сайт обязательна.</p><div>Story ends here.<br>(c) Reuters</div>",
     [("paragraph", "Story ends here.")]),
    ("a sentence that only mentions rights is text",
     f"<p>{_LONG} The studio said all rights reserved by the author would go to the fund, "
     "which he founded in 1990 with friends.</p>",
     [("paragraph", f"{_LONG} The studio said all rights reserved by the author would go to "
                    "the fund, which he founded in 1990 with friends.")]),
]


@pytest.mark.parametrize("reader", ["trafilatura", "lxml"])
@pytest.mark.parametrize("fragment,blocks", [c[1:] for c in HTML_CASES],
                         ids=[c[0] for c in HTML_CASES])
def test_html_paragraphs_breaks_tables_and_copyright(tmp_path: Path, monkeypatch, reader: str,
                                                     fragment: str, blocks) -> None:
    if reader == "trafilatura":
        pytest.importorskip("trafilatura")
    else:
        monkeypatch.setitem(sys.modules, "trafilatura", None)
    page = (f"<html><head><meta charset='utf-8'></head><body><nav><a href='/'>Home</a></nav>"
            f"<article><h1>Hurricane Hanna reaches the coast</h1><p>{_LONG}</p>{fragment}"
            f"<p>{_LONG}</p></article><footer>Daily News</footer></body></html>")
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    doc = read_document(path)
    got = list(zip([b.kind for b in doc.blocks], doc.paragraphs))
    assert got == [("heading", "Hurricane Hanna reaches the coast"), ("paragraph", _LONG),
                   *blocks, ("paragraph", _LONG)]
