"""align.fileio: the one decoding of text inputs, atomic output."""
from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from align.article import decode_article_bytes
from align.errors import ArticleError, InputError
from align.fileio import decode_text, read_text, read_text_encoding, read_text_lines

TEXT = "Привет, мир. Как дела у вас сегодня?\nHello, world.\n"


@pytest.mark.parametrize("data,encoding", [
    (TEXT.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
    (TEXT.encode("utf-16"), "utf-16"),
    (TEXT.encode("utf-16-le"), "utf-16-le"),
    (TEXT.encode("cp1251"), "cp1251"),
    (TEXT.encode("koi8-r"), "koi8-r"),
])
def test_decode_text(data: bytes, encoding: str) -> None:
    assert decode_text(data, "x") == (TEXT, encoding)


def test_articles_decode_the_same_way() -> None:
    for encoding in ("utf-8", "cp1251", "koi8-r", "utf-16"):
        data = TEXT.encode(encoding)
        assert decode_article_bytes(data, "x") == decode_text(data, "x")


def test_line_ends_normalized(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("один\r\nдва\rтри\r\n".encode("cp1251"))
    assert read_text_encoding(path) == ("один\nдва\nтри", "cp1251")
    assert read_text_lines(path) == ["один", "два", "три"]


@pytest.mark.parametrize("data,message", [
    (b"", "empty file"),
    (b" \n\t\n", "empty file"),
    (codecs.BOM_UTF8, "empty file"),
    (b"\x00\x01\x02binary\x00\xff" * 10 + b"!", "binary file (NUL bytes), not text"),
    (bytes(range(1, 32)) * 20, "no readable text"),
])
def test_bad_text(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        read_text(path)
    assert str(info.value).startswith(f"{path}: {message}")


def test_article_errors_stay_article_errors() -> None:
    with pytest.raises(ArticleError, match="x: empty file"):
        decode_article_bytes(b"", "x")
    with pytest.raises(ArticleError, match="no readable text"):
        decode_article_bytes(b"123 456\n", "x")  # plain text may have no letters; articles not


def test_missing_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nope.txt: no such file or directory"):
        read_text(tmp_path / "nope.txt")
    with pytest.raises(InputError, match=": is a directory"):
        read_text(tmp_path)
