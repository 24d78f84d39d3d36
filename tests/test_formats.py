"""The format registry and the text rules and filters every format shares."""
from __future__ import annotations

from pathlib import Path

import pytest

from align.errors import AlignError
from align.formats import (FORMATS, WriteResult, clean_segment, filter_pairs, format_for_path,
                           pair_key, xml_text)
from align.types import Pair


@pytest.mark.parametrize("path,name,expected", [
    ("c.tmx", None, "tmx"), ("dir.v2/C.TMX", None, "tmx"), ("c.tab", None, "tsv"),
    ("c.jsonl", None, "jsonl"), ("corpus.ru", None, "moses"), ("x.dat", "tsv", "tsv"),
    ("-", "jsonl", "jsonl"),
])
def test_format_for_path(path: str, name: str | None, expected: str) -> None:
    assert format_for_path(path, name).name == expected


@pytest.mark.parametrize("path,name,message", [
    ("c.docx", None, "cannot tell the format"), ("c.tmx", "xliff", "unknown format 'xliff'")])
def test_format_for_path_errors(path: str, name: str | None, message: str) -> None:
    with pytest.raises(AlignError, match=message):
        format_for_path(path, name)


def test_registry_records() -> None:
    assert set(FORMATS) == {"tmx", "tsv", "jsonl", "moses"}
    for fmt in FORMATS.values():
        assert fmt.encodings[0] == "utf-8"
        module = fmt._impl()
        assert callable(module.write) and callable(module.read)
    assert FORMATS["tsv"].encodings == ("utf-8", "utf-8-sig", "utf-16")


def test_write_result_is_the_count(tmp_path: Path) -> None:
    result = WriteResult(3, {"empty": 2})
    assert result == 3 and f"{result} pairs" == "3 pairs" and result + 1 == 4
    assert (result.written, result.skipped, result.reasons) == (3, 2, {"empty": 2})
    assert WriteResult(0).skipped == 0
    written = FORMATS["jsonl"].write([Pair("a", "б")], tmp_path / "c.jsonl")
    assert isinstance(written, WriteResult) and written == 1


def test_xml_text_keeps_line_breaks_and_drops_what_xml_forbids() -> None:
    assert xml_text("a\n\tb\r\x00\x0b\ud800\uffff\x85c") == "a\n\tb\r\x85c"
    assert clean_segment("a\n\tb\r\x00\x0b\ud800\uffff\x85c") == "a b c"


def test_pair_key_compares_cleaned_text() -> None:
    assert pair_key(Pair("a b", "в")) == pair_key(Pair(" a\nb ", "в", 0.1, "k", "d"))
    assert pair_key(Pair("a", "bв")) != pair_key(Pair("ab", "в"))
    assert len(pair_key(Pair("x" * 10_000, "y"))) == 16


@pytest.mark.parametrize("min_score,kept", [(None, 4), (0.0, 4), (0.5, 3), (0.95, 2), (1.0, 1)])
def test_min_score_keeps_unscored_pairs(min_score: float | None, kept: int) -> None:
    pairs = [Pair("a", "б", 0.2), Pair("c", "д", 0.5), Pair("e", "ё", 0.99), Pair("u", "у")]
    assert len(list(filter_pairs(pairs, min_score=min_score))) == kept


def test_filter_pairs_streams() -> None:
    def endless():
        i = 0
        while True:
            yield Pair(str(i % 3), "б")
            i += 1

    stream = filter_pairs(endless(), dedupe=True)
    assert [next(stream).en for _ in range(3)] == ["0", "1", "2"]
