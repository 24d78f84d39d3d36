"""JSONL (Hugging Face translation shape): exact text, fixed key order, errors with lines."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from align.errors import FormatError, InputError
from align.formats import FORMATS
from align.types import Pair
from format_contract import FormatContract

JSONL = FORMATS["jsonl"]

# JSONL keeps text exactly: controls and line breaks included.
EXACT = [
    ("Tom & Jerry <b>", "Том & «Джерри» „x“"),
    ('"quotes" \\ back\\slash', "😀👍🏽 е\u0308"),
    ("tab\there\nnew line\r\n", " ведущий пробел "),
    ("\x00\x01\x1f\x7f\x85\u2028", "\u00a0"),
    ("", "только русский"),
]


@pytest.mark.parametrize("en,ru", EXACT)
def test_round_trip_is_exact(tmp_path: Path, en: str, ru: str) -> None:
    out = tmp_path / "c.jsonl"
    pair = Pair(en, ru, 0.8765, "sentence", "d.txt", {"note": "a\nb", "source": "x&y"})
    assert JSONL.write([pair, Pair("a", "б")], out) == 2
    assert list(JSONL.read(out)) == [pair, Pair("a", "б")]


def test_hugging_face_shape_and_fixed_key_order(tmp_path: Path) -> None:
    out = tmp_path / "c.jsonl"
    JSONL.write([Pair("a", "б", 0.123456, "headline", "x.txt", {"k": "v"}), Pair("c", "д")], out)
    lines = out.read_bytes().decode("utf-8").splitlines()
    assert lines == [
        '{"translation": {"en": "a", "ru": "б"}, "score": 0.1235, "kind": "headline", '
        '"doc": "x.txt", "props": {"k": "v"}}',
        '{"translation": {"en": "c", "ru": "д"}, "score": null, "kind": "", "doc": ""}']


def test_lone_surrogates_are_dropped(tmp_path: Path) -> None:
    out = tmp_path / "c.jsonl"
    JSONL.write([Pair("a\ud800b", "в")], out)
    assert list(JSONL.read(out)) == [Pair("ab", "в", None)]


@pytest.mark.parametrize("line,expected", [
    ('{"en": "a", "ru": "б"}', Pair("a", "б")),
    ('{"translation": {"ru": "б", "en": "a", "de": "x"}, "score": 1}', Pair("a", "б", 1.0)),
    ('{"translation": {"en": "a", "ru": "б"}, "props": {"n": 3, "l": [1]}, "kind": null}',
     Pair("a", "б", props={"n": "3", "l": "[1]"})),
])
def test_reader_tolerance(tmp_path: Path, line: str, expected: Pair) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text("\ufeff" + line + "\r\n\n   \n", encoding="utf-8")
    assert list(JSONL.read(path)) == [expected]


@pytest.mark.parametrize("lines,line,message", [
    (['{"en": "a", "ru": "b"}', '{"en": "a", "ru": '], 2, "not JSON"),
    (['[1, 2]'], 1, "not a JSON object"),
    (['{"translation": {"en": "a"}}'], 1, "translation.en and translation.ru"),
    (['{"en": 1, "ru": "b"}'], 1, "must be strings"),
    (['', '{"en": "a", "ru": "b", "score": "high"}'], 2, "score is not a number"),
    (['{"en": "a", "ru": "b", "props": [1]}'], 1, "props must be an object"),
    (['{"en": "a", "ru": "b", "doc": {"x": 1}}'], 1, "doc must be a string"),
])
def test_errors_name_the_line(tmp_path: Path, lines: list[str], line: int, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(FormatError, match=message) as err:
        list(JSONL.read(path))
    assert (err.value.path, err.value.line) == (str(path), line)


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(json.dumps({"en": "a", "ru": "b"}).encode() + b'\n{"en": "\xff"}\n')
    with pytest.raises(FormatError, match="not valid UTF-8") as err:
        list(JSONL.read(path))
    assert err.value.line == 2


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        list(JSONL.read(tmp_path / "nope.jsonl"))


class TestContract(FormatContract):
    name = "jsonl"
