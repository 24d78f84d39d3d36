"""align corpus over input formats (align.inputs): a bilingual article in any format reads as
its plain-text article does, and two single-language documents named as a pair (x.en.docx,
x.ru.docx) are one article. Files are written in the test by each format's own library
(benchmarks/make_inputs.py)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from align.cli import main
from align.corpus import find_articles

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from make_inputs import WRITERS, pdf_font  # noqa: E402
from test_inputs import EN, RU  # noqa: E402  (the hurricane story, both languages)

#: The story's paragraphs, headline first, per language.
EN_DOC = [text for chapter in EN for _, text in chapter]
RU_DOC = [text for chapter in RU for _, text in chapter]
#: The same story as one bilingual article: both headlines, then both bodies.
ARTICLE = [EN_DOC[0], RU_DOC[0], *EN_DOC[1:], *RU_DOC[1:]]
NEEDS = {"html": ("lxml", "trafilatura"), "docx": ("docx",), "odt": ("odf",),
         "epub": ("ebooklib",), "pdf": ("reportlab", "pdfminer"), "srt": ("srt",)}


def _write(fmt: str, paragraphs: list[str], path: Path) -> Path:
    for module in NEEDS.get(fmt, ()):
        pytest.importorskip(module)
    if fmt == "pdf" and pdf_font() is None:
        pytest.skip("no DejaVu Sans font to write Cyrillic into a PDF")
    WRITERS[fmt]([[("paragraph", p) for p in paragraphs]], path)
    return path


def _corpus(tmp_path: Path, *inputs: Path, name: str = "out") -> tuple[object, list[tuple]]:
    out = tmp_path / f"{name}.jsonl"
    result = CliRunner().invoke(main, ["corpus", *map(str, inputs), "-o", str(out), "-j", "1"])
    rows = ([json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
            if out.exists() else [])
    return result, [(r["translation"]["en"], r["translation"]["ru"], r["kind"], r["score"],
                     r["doc"]) for r in rows]


def _same(rows: list[tuple]) -> list[tuple]:
    return [row[:4] for row in rows]


@pytest.mark.parametrize("fmt", ["docx", "odt", "html", "epub", "pdf"])
def test_a_bilingual_article_in_any_format_gives_its_text_pairs(tmp_path: Path,
                                                                fmt: str) -> None:
    article = _write(fmt, ARTICLE, tmp_path / f"article.{fmt}")
    plain, expected = _corpus(tmp_path, _write("txt", ARTICLE, tmp_path / "article.txt"),
                              name="plain")
    assert plain.exit_code == 0, plain.output
    result, rows = _corpus(tmp_path, article)
    assert result.exit_code == 0, result.output
    assert _same(rows) == _same(expected) and len(rows) >= 5
    assert {row[4] for row in rows} == {article.name}


@pytest.mark.parametrize("en_fmt,ru_fmt", [("docx", "docx"), ("html", "html"),
                                           ("txt", "txt"), ("docx", "pdf")])
def test_documents_named_as_a_pair_are_one_article(tmp_path: Path, en_fmt: str,
                                                   ru_fmt: str) -> None:
    en, ru = EN_DOC, RU_DOC
    folder = tmp_path / "in"
    folder.mkdir()
    _write(en_fmt, en, folder / f"story.en.{en_fmt}")
    _write(ru_fmt, ru, folder / f"story.ru.{ru_fmt}")
    (folder / "notes.md").write_text("not an article\n", encoding="utf-8")
    # the same text as one bilingual article file
    _, expected = _corpus(tmp_path, _write("txt", ARTICLE, tmp_path / "bilingual.txt"),
                          name="plain")
    result, rows = _corpus(tmp_path, folder)
    assert result.exit_code == 0, result.output
    assert _same(rows) == _same(expected) and rows[0][2] == "headline"
    assert {row[4] for row in rows} == {f"story.en.{en_fmt}|story.ru.{ru_fmt}"}
    assert result.stderr.strip().splitlines()[-1] == f"1 article, {len(rows)} pairs, 0 skipped"


def test_swapped_names_are_one_warning_and_a_skip(tmp_path: Path) -> None:
    en, ru = EN_DOC, RU_DOC
    _write("docx", ru, tmp_path / "story.en.docx")
    _write("docx", en, tmp_path / "story.ru.docx")
    result, rows = _corpus(tmp_path, tmp_path / "story.en.docx", tmp_path / "story.ru.docx")
    assert result.exit_code == 1 and rows == []
    assert result.stderr.strip().splitlines() == [
        f"Warning: {tmp_path / 'story.en.docx'}: looks Russian, not English (languages "
        "swapped?)", "0 articles, 0 pairs, 1 skipped"]


def test_a_corrupt_document_is_one_warning_naming_it(tmp_path: Path) -> None:
    pytest.importorskip("docx")
    bad = tmp_path / "a.docx"
    bad.write_bytes(b"PK\x03\x04 broken")
    result, rows = _corpus(tmp_path, bad, _write("txt", ARTICLE, tmp_path / "b.txt"))
    assert result.exit_code == 1 and rows
    assert result.stderr.strip().splitlines()[0] == (
        f"Warning: {bad}: not a DOCX file (not a valid zip archive) (File is not a zip file)")


@pytest.mark.parametrize("files,expected", [
    # a pair by its language marker, whatever the formats; other files stay articles
    (["x.en.docx", "x.ru.docx", "y.txt"], ["x.en.docx|x.ru.docx", "y.txt"]),
    (["a.txt", "x_ru.pdf", "x_en.html"], ["a.txt", "x_en.html|x_ru.pdf"]),
    (["en/x.html", "ru/x.html"], ["en/x.html|ru/x.html"]),
    # no counterpart, two of a language, or a marker only one of them has: no pair
    (["x.en.docx"], ["x.en.docx"]),
    (["x.en.docx", "x.eng.docx", "x.ru.docx"], ["x.en.docx", "x.eng.docx", "x.ru.docx"]),
    (["x.docx", "x.ru.docx"], ["x.docx", "x.ru.docx"]),
    # notes and unknown files are not searched
    (["x.en.md", "x.ru.md", "data.json", "a.htm"], ["a.htm"]),
])
def test_find_articles_pairs_by_name(tmp_path: Path, files: list[str],
                                     expected: list[str]) -> None:
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    docs = find_articles([tmp_path])
    assert [d.name for d in docs] == expected
    for doc in docs:
        if "|" in doc.name:
            en, ru = doc.name.split("|")
            assert (doc.path, doc.ru_path) == (str(tmp_path / en), str(tmp_path / ru))


def test_files_given_directly_pair_by_name_too(tmp_path: Path) -> None:
    for name in ("s.en.txt", "s.ru.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    docs = find_articles([tmp_path / "s.ru.txt", tmp_path / "s.en.txt"])
    assert [(d.name, d.path, d.ru_path) for d in docs] == [
        ("s.en.txt|s.ru.txt", str(tmp_path / "s.en.txt"), str(tmp_path / "s.ru.txt"))]


def test_a_document_named_for_one_language_alone_says_how_to_pair_it(tmp_path: Path) -> None:
    path = _write("docx", EN_DOC, tmp_path / "story_en.docx")
    result, rows = _corpus(tmp_path, tmp_path)
    assert result.exit_code == 0 and rows == []
    assert (f"Warning: {path}: a single-language document? its Russian counterpart pairs with "
            "it when named alike (story_ru.docx), or use --en/--ru") in result.stderr


@pytest.mark.parametrize("name,lang,renamed", [
    ("x.en.docx", "ru", "x.ru.docx"), ("en/x_eng.html", "ru", "en/x_ru.html"),
    ("notes.txt", "ru", "notes.txt")])
def test_with_language(name: str, lang: str, renamed: str) -> None:
    from align.inputs import with_language

    assert with_language(name, lang) == renamed
