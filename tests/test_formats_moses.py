"""Moses plain text: two line-aligned files, written together, read in step."""
from __future__ import annotations

from pathlib import Path

import pytest

from align.errors import AlignError, FormatError, InputError
from align.formats import FORMATS, format_for_path
from align.formats.moses import paths
from align.types import Pair
from format_contract import FormatContract

MOSES = FORMATS["moses"]


@pytest.mark.parametrize("given", ["corpus", "corpus.en", "corpus.ru", "corpus.EN"])
def test_prefix_or_either_file_names_the_corpus(tmp_path: Path, given: str) -> None:
    assert paths(tmp_path / given) == (str(tmp_path / "corpus.en"), str(tmp_path / "corpus.ru"))


@pytest.mark.parametrize("name,fmt", [("c.en", "moses"), ("c.ru", "moses"), ("c.tmx", "tmx"),
                                      ("C.TSV", "tsv"), ("c.ndjson", "jsonl")])
def test_extensions(name: str, fmt: str) -> None:
    assert format_for_path(name).name == fmt


def test_round_trip_text_only(tmp_path: Path) -> None:
    pairs = [Pair("Tom & <Jerry> \"q\"", "Том «Джерри» 😀 е\u0308", 0.5, "k", "d", {"p": "q"}),
             Pair(" a\tb\nc ", "д\r\nе"), Pair("", "пусто"), Pair("empty", " \t")]
    result = MOSES.write(pairs, tmp_path / "c")
    assert (result, result.skipped) == (2, 2)
    assert (tmp_path / "c.en").read_bytes() == b'Tom & <Jerry> "q"\na b c\n'
    assert (tmp_path / "c.ru").read_text(encoding="utf-8") == "Том «Джерри» 😀 е\u0308\nд е\n"
    assert list(MOSES.read(tmp_path / "c.ru")) == [
        Pair("Tom & <Jerry> \"q\"", "Том «Джерри» 😀 е\u0308"), Pair("a b c", "д е")]


def test_both_files_are_replaced_only_on_success(tmp_path: Path) -> None:
    def pairs():
        yield Pair("a", "б")
        raise AlignError("stopped")

    (tmp_path / "c.en").write_text("old en\n")
    with pytest.raises(AlignError):
        MOSES.write(pairs(), tmp_path / "c")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.en"]
    assert (tmp_path / "c.en").read_text() == "old en\n"


@pytest.mark.parametrize("en,ru,path,line", [
    ("a\nb\nc\n", "а\nб\n", "c.ru", 3),
    ("a\n", "а\nб\n", "c.en", 2),
])
def test_files_of_different_lengths(tmp_path: Path, en: str, ru: str, path: str,
                                    line: int) -> None:
    (tmp_path / "c.en").write_text(en, encoding="utf-8")
    (tmp_path / "c.ru").write_text(ru, encoding="utf-8")
    with pytest.raises(FormatError, match="lines") as err:
        list(MOSES.read(tmp_path / "c"))
    assert (err.value.path, err.value.line) == (str(tmp_path / path), line)


def test_reader_errors(tmp_path: Path) -> None:
    (tmp_path / "c.en").write_text("a\n")
    with pytest.raises(InputError, match="no such file") as err:
        list(MOSES.read(tmp_path / "c"))
    assert err.value.path == str(tmp_path / "c.ru")
    (tmp_path / "c.ru").write_bytes(b"ok\n\xc3\x28\n")
    (tmp_path / "c.en").write_text("a\nb\n")
    with pytest.raises(FormatError, match="not valid UTF-8") as err:
        list(MOSES.read(tmp_path / "c"))
    assert (err.value.path, err.value.line) == (str(tmp_path / "c.ru"), 2)


def test_stdout_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="two files"):
        MOSES.write([Pair("a", "б")], "-")


class TestContract(FormatContract):
    name = "moses"
