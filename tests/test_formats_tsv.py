"""TSV writer and reader: header, encodings for Excel/memoQ, field-count errors with lines."""
from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from align.errors import FormatError, InputError
from align.formats import FORMATS
from align.types import Pair
from format_contract import FormatContract

TSV = FORMATS["tsv"]

TRICKY = [
    ("Tom & Jerry", "Том и Джерри & Co"),
    ("a < b > c", "а < б > в"),
    ('He said "yes" and \'no\'', "Он сказал «да» и „нет“"),
    ('"quoted field"', '"«в кавычках»"'),
    ("Emoji 😀👍🏽", "Эмодзи 😀👍🏽"),
    ("Cafe\u0301 nai\u0308ve", "е\u0308лка й"),
    ("no\u00a0break", "без\u00a0разрыва"),
]


@pytest.mark.parametrize("en,ru", TRICKY)
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_round_trip(tmp_path: Path, en: str, ru: str, encoding: str) -> None:
    out = tmp_path / "c.tsv"
    pairs = [Pair(en, ru, 0.5, "sentence", "d.txt"), Pair("x", "", None, "", "")]
    assert TSV.write(pairs, out, encoding=encoding) == 2
    assert list(TSV.read(out)) == pairs


@pytest.mark.parametrize("encoding,start", [("utf-8", b"en\t"), ("utf-8-sig", codecs.BOM_UTF8),
                                            ("utf-16", codecs.BOM_UTF16_LE)])
def test_encodings_write_the_bom_excel_and_memoq_need(tmp_path: Path, encoding: str,
                                                       start: bytes) -> None:
    out = tmp_path / "c.tsv"
    TSV.write([Pair("a", "б")], out, encoding=encoding)
    data = out.read_bytes()
    assert data.startswith(start)
    assert data.decode("utf-16" if encoding == "utf-16" else "utf-8-sig") == \
        "en\tru\tscore\tkind\tdoc\na\tб\t\t\t\n"


def test_segments_are_one_line_without_controls(tmp_path: Path) -> None:
    out = tmp_path / "c.tsv"
    TSV.write([Pair(" a\tb\r\nc\x00 ", "д\u2028е\x07", 0.123456, "k\tind", "d\noc")], out)
    assert out.read_text(encoding="utf-8").splitlines()[1] == "a b c\tд е\t0.1235\tk ind\td oc"


def test_unsupported_encoding(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="unsupported TSV encoding 'cp1251'"):
        TSV.write([], tmp_path / "c.tsv", encoding="cp1251")


@pytest.mark.parametrize("text,expected", [
    # only en and ru required, any order, extra columns become properties
    ("ru\ten\n\u0431\ta\n", [Pair("a", "б")]),
    ("en\tru\torigin\na\tб\twmt\nc\tд\t\n", [Pair("a", "б", props={"origin": "wmt"}),
                                           Pair("c", "д")]),
    # language tags as column names (memoQ), upper-case names, CRLF line ends, blank lines
    ("en-US\tru-RU\tScore\r\na\tб\t0.5\r\n\r\n", [Pair("a", "б", 0.5)]),
    # quotes are text: no CSV quoting
    ('en\tru\n"a"\t"б"\n', [Pair('"a"', '"б"')]),
])
def test_reader_tolerance(tmp_path: Path, text: str, expected: list[Pair]) -> None:
    path = tmp_path / "in.tsv"
    path.write_bytes(text.encode("utf-8"))
    assert list(TSV.read(path)) == expected


@pytest.mark.parametrize("data,line,message", [
    (b"en\tru\tscore\na\t\xd0\xb1\t0.5\nb\tc\n", 3, "2 fields, the header has 3"),
    (b"en\tru\na\tb\tc\n", 2, "3 fields, the header has 2"),
    (b"en\tru\tscore\na\tb\thigh\n", 2, "score is not a number: 'high'"),
    (b"english\trussian\na\tb\n", 1, "must name the columns en and ru"),
    (b"en\ten\tru\n", 1, "names column 'en' twice"),
    (b"en\tru\na\tb\n\nc\t\xff\n", 4, "not valid UTF-8"),
    (b"", None, "empty file"),
])
def test_errors_name_the_line(tmp_path: Path, data: bytes, line: int | None,
                              message: str) -> None:
    path = tmp_path / "bad.tsv"
    path.write_bytes(data)
    with pytest.raises(FormatError, match=message) as err:
        list(TSV.read(path))
    assert (err.value.path, err.value.line) == (str(path), line)


def test_utf16_bad_data_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_bytes(codecs.BOM_UTF16_LE + "en\tru\na\tб\n".encode("utf-16-le") + b"\x00\xd8x")
    with pytest.raises(FormatError, match="not valid UTF-16"):
        list(TSV.read(path))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        list(TSV.read(tmp_path / "nope.tsv"))


class TestContract(FormatContract):
    name = "tsv"
