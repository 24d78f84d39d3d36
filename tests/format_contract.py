"""The contract every corpus format keeps, as tests each format's test module inherits.

As translate-toolkit's store tests derive from one base test class, each
``tests/test_formats_<name>.py`` has ``class TestContract(FormatContract): name = "<name>"``,
so a new format gets all of these by naming itself. What may differ between formats is read
from the format (:class:`align.formats.base.CorpusFormat`): its encodings, the fields it
keeps, whether text is stored exactly, whether a pair with an empty side is stored.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest

from align.errors import AlignError, FormatError
from align.formats import FORMATS, CorpusFormat, clean_segment
from align.types import Pair

PAIRS = [
    Pair("The cat sat on the mat.", "Кошка сидела на коврике.", 0.9731, "body", "a.txt",
         {"origin": "seed"}),
    Pair("Headline", "Заголовок", None, "headline", "a.txt"),
    Pair("Quotes \"double\" & 'single' <b>tags</b>", "«Кавычки» & <теги>", 0.5, "body", "b.txt"),
]
UNICODE = [
    Pair("Emoji 😀 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢, café (e + \u0301)", "Эмодзи 😀, ёжик, й (и + \u0306)"),
    Pair("CJK 漢字 and Arabic مرحبا, no\u00a0break", "Ещё\u00a0неразрывный пробел, ZWJ 👩\u200d💻"),
]


class FormatContract:
    """Subclasses set ``name`` to a key of ``FORMATS``."""

    name: str = ""

    @property
    def fmt(self) -> CorpusFormat:
        return FORMATS[self.name].implementation()

    def path(self, tmp_path: Path) -> Path:
        return tmp_path / ("corpus" + FORMATS[self.name].extensions[0])

    def files(self, path: Path) -> list[Path]:
        """The files a corpus at ``path`` consists of (two for Moses)."""
        if self.name == "moses":
            return [path.with_suffix(".en"), path.with_suffix(".ru")]
        return [path]

    def round_trip(self, tmp_path: Path, pairs: list[Pair], **options) -> list[Pair]:
        path = self.path(tmp_path)
        result = self.fmt.write(pairs, path, **options)
        back = list(self.fmt.read(path))
        assert result == len(back)
        return back

    def expected(self, pair: Pair) -> tuple:
        """What of ``pair`` the format gives back: the text as stored and the fields it keeps."""
        fields = [getattr(pair, f) for f in self.fmt.keeps]
        if self.fmt.exact_text:
            return (pair.en, pair.ru, *fields)
        # a line-based format cleans every text it stores, kind and document included
        fields = [clean_segment(v) if isinstance(v, str) else
                  {k: clean_segment(x) for k, x in v.items()} if isinstance(v, dict) else v
                  for v in fields]
        return (clean_segment(pair.en), clean_segment(pair.ru), *fields)

    def got(self, pair: Pair) -> tuple:
        return (pair.en, pair.ru, *[getattr(pair, f) for f in self.fmt.keeps])

    # --- the contract ---------------------------------------------------------------------

    def test_registry_names_this_implementation(self) -> None:
        record, fmt = FORMATS[self.name], self.fmt
        assert isinstance(fmt, CorpusFormat)
        assert (fmt.name, fmt.encodings, fmt.keeps) == (record.name, record.encodings,
                                                        record.keeps)
        assert fmt.title

    def test_round_trip(self, tmp_path: Path) -> None:
        back = self.round_trip(tmp_path, PAIRS)
        assert [self.got(p) for p in back] == [self.expected(p) for p in PAIRS]

    def test_unicode_round_trips_exactly(self, tmp_path: Path) -> None:
        back = self.round_trip(tmp_path, UNICODE)
        assert [(p.en, p.ru) for p in back] == [(p.en, p.ru) for p in UNICODE]

    @pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
    def test_every_encoding_it_writes_reads_back(self, tmp_path: Path, encoding: str) -> None:
        if encoding not in self.fmt.encodings:
            with pytest.raises(FormatError, match="encoding"):
                self.fmt.write(PAIRS, self.path(tmp_path), encoding=encoding)
            assert not any(f.exists() for f in self.files(self.path(tmp_path)))
            return
        back = self.round_trip(tmp_path, PAIRS + UNICODE, encoding=encoding)
        assert [self.got(p) for p in back] == [self.expected(p) for p in PAIRS + UNICODE]

    def test_tabs_and_line_breaks_in_text(self, tmp_path: Path) -> None:
        # a tab must not make a column, a line break not a record
        pairs = [Pair("one\ttwo\nthree\r\nfour", "раз\u2028два\rтри", 0.5, "body\tx", "d\nx"),
                 Pair("next", "следующий")]
        back = self.round_trip(tmp_path, pairs)
        assert len(back) == 2
        if self.fmt.exact_text:
            assert (back[0].en, back[0].ru) == (pairs[0].en, pairs[0].ru)
        else:
            assert (back[0].en, back[0].ru) == ("one two three four", "раз два три")
        assert [self.got(p) for p in back] == [self.expected(p) for p in pairs]

    def test_empty_corpus(self, tmp_path: Path) -> None:
        path = self.path(tmp_path)
        result = self.fmt.write([], path)
        assert result == 0 and result.skipped == 0
        assert all(f.is_file() for f in self.files(path))
        assert list(self.fmt.read(path)) == []

    def test_empty_side_is_stored_or_counted(self, tmp_path: Path) -> None:
        pairs = [Pair("", "Только русский"), Pair("Both", "Оба"), Pair("English only", " \t")]
        path = self.path(tmp_path)
        result = self.fmt.write(pairs, path)
        back = list(self.fmt.read(path))
        if self.fmt.empty_side is None:
            assert result == 3 and result.skipped == 0
            assert [(p.en, p.ru) for p in back] == [(p.en, p.ru) if self.fmt.exact_text
                                                    else (clean_segment(p.en),
                                                          clean_segment(p.ru)) for p in pairs]
        else:
            assert result == 1 and result.reasons == {self.fmt.empty_side: 2}
            assert [(p.en, p.ru) for p in back] == [("Both", "Оба")]

    def test_write_is_atomic(self, tmp_path: Path) -> None:
        path = self.path(tmp_path)
        for f in self.files(path):
            f.write_bytes(b"previous contents\n")
        before = sorted(os.listdir(tmp_path))

        def failing() -> Iterator[Pair]:
            yield from PAIRS
            raise RuntimeError("the aligner failed half-way")

        with pytest.raises(RuntimeError, match="half-way"):
            self.fmt.write(failing(), path)
        assert sorted(os.listdir(tmp_path)) == before        # no temporary file left
        assert all(f.read_bytes() == b"previous contents\n" for f in self.files(path))

    def test_same_pairs_same_bytes(self, tmp_path: Path) -> None:
        first, second = tmp_path / "a", tmp_path / "b"
        first.mkdir()
        second.mkdir()
        for folder in (first, second):
            self.fmt.write(PAIRS + UNICODE, self.path(folder))
        assert [f.read_bytes() for f in self.files(self.path(first))] == \
            [f.read_bytes() for f in self.files(self.path(second))]

    def test_missing_file_is_an_error_naming_it(self, tmp_path: Path) -> None:
        path = self.path(tmp_path)
        with pytest.raises(AlignError) as info:
            list(self.fmt.read(path))
        assert str(tmp_path) in str(info.value)

    def test_module_functions_are_the_format(self, tmp_path: Path) -> None:
        module = FORMATS[self.name]._impl()
        assert module.FORMAT is self.fmt
        path = self.path(tmp_path)
        assert module.write(PAIRS, path) == FORMATS[self.name].write(PAIRS, path)
        assert list(module.read(path)) == list(FORMATS[self.name].read(path))
