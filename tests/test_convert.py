"""``align convert``: every format to every other without loss, filters, and clear errors."""
from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from align.cli import main
from align.formats import FORMATS, FilterCounts, clean_segment, filter_pairs
from align.types import Pair

EXT = {"tmx": ".tmx", "tsv": ".tsv", "jsonl": ".jsonl", "moses": ".en"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Clean text (what the aligner and the article parser produce): survives every format exactly.
TRICKY = [
    Pair("Tom & Jerry say <hello>.", "Том и Джерри говорят «привет» & <пока>."),
    Pair('He said "yes" and \'no\'.', "Он сказал „да“ и 'нет'."),
    Pair("Emoji 😀👍🏽 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢.", "Эмодзи 😀👍🏽."),
    Pair("Cafe\u0301 and nai\u0308ve.", "Ёлка и е\u0308лка, й и и\u0306."),
    Pair("No\u00a0break, two  spaces.", "Без\u00a0разрыва — тире."),
    Pair("&amp; &lt; &#38; ]]> <![CDATA[", "\\ back\\slash %s {0}"),
]


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def write_input(tmp_path: Path, fmt: str, pairs: list[Pair]) -> Path:
    path = tmp_path / f"in{EXT[fmt]}"
    FORMATS[fmt].write(pairs, path)
    return path


@pytest.mark.parametrize("src,dst", list(itertools.product(EXT, EXT)))
def test_every_format_converts_to_every_other_without_loss(tmp_path: Path, src: str,
                                                           dst: str) -> None:
    pairs = [Pair(p.en, p.ru, 0.5 + i / 100, "sentence", f"doc{i}.txt") for i, p in
             enumerate(TRICKY)]
    source = write_input(tmp_path, src, pairs)
    out = tmp_path / f"out{EXT[dst]}"
    result = run("convert", str(source), str(out))
    assert result.exit_code == 0, result.output
    assert f"{len(pairs)} pairs written ({src} to {dst})" in result.stderr
    got = list(FORMATS[dst].read(out))
    assert [(p.en, p.ru) for p in got] == [(p.en, p.ru) for p in pairs]
    if {"score", "kind", "doc"} <= set(FORMATS[src].keeps) & set(FORMATS[dst].keeps):
        assert got == pairs


def test_chain_through_all_formats_keeps_text(tmp_path: Path) -> None:
    current = write_input(tmp_path, "jsonl", TRICKY)
    for step, fmt in enumerate(["tmx", "moses", "tsv", "tmx", "jsonl"]):
        out = tmp_path / f"step{step}{EXT[fmt]}"
        assert run("convert", str(current), str(out)).exit_code == 0
        current = out
    assert list(FORMATS["jsonl"].read(current)) == TRICKY


def test_unclean_text_is_normalized_once_and_then_stable(tmp_path: Path) -> None:
    raw = [Pair(" Line\none\ttab\x00 ", "Строка\r\nодна\x07")]
    source = write_input(tmp_path, "jsonl", raw)
    first = tmp_path / "a.tsv"
    run("convert", str(source), str(first))
    expected = [(clean_segment(p.en), clean_segment(p.ru)) for p in raw]
    assert [(p.en, p.ru) for p in FORMATS["tsv"].read(first)] == expected == [
        ("Line one tab", "Строка одна")]
    second = tmp_path / "b.tmx"
    run("convert", str(first), str(second))
    assert [(p.en, p.ru) for p in FORMATS["tmx"].read(second)] == expected


def test_props_survive_tmx_and_jsonl(tmp_path: Path) -> None:
    pairs = [Pair("a", "б", 0.25, "body", "x.txt", {"source": "nyt & co", "note": "l1\nl2"})]
    source = write_input(tmp_path, "jsonl", pairs)
    run("convert", str(source), str(tmp_path / "c.tmx"))
    run("convert", str(tmp_path / "c.tmx"), str(tmp_path / "d.jsonl"))
    assert list(FORMATS["jsonl"].read(tmp_path / "d.jsonl")) == pairs


def test_empty_sides_are_skipped_with_a_warning(tmp_path: Path) -> None:
    source = write_input(tmp_path, "tsv", [Pair("a", "б"), Pair("", "в"), Pair("c", " ")])
    out = tmp_path / "c.tmx"
    result = run("convert", str(source), str(out))
    assert result.exit_code == 0
    assert ("Warning: " + str(out) + ": skipped 2 pairs: a side is empty (TMX never stores an "
            "empty segment)") in result.stderr
    assert "1 pair written" in result.stderr
    assert len(list(FORMATS["tmx"].read(out))) == 1


def test_tmx_units_without_both_languages_are_reported(tmp_path: Path) -> None:
    source = tmp_path / "in.tmx"
    source.write_text('<tmx version="1.4"><body>'
                      '<tu><tuv xml:lang="en"><seg>a</seg></tuv><tuv xml:lang="de"><seg>b</seg>'
                      '</tuv></tu><tu><tuv xml:lang="en"><seg>a</seg></tuv><tuv xml:lang="ru">'
                      '<seg>б</seg></tuv></tu></body></tmx>', encoding="utf-8")
    result = run("convert", str(source), str(tmp_path / "o.tsv"))
    assert result.exit_code == 0
    assert f"Warning: {source}: skipped 1 unit: unit has no ru variant" in result.stderr


def test_dedupe_and_min_score(tmp_path: Path) -> None:
    pairs = [Pair("Hi.", "Привет.", 0.9), Pair("Hi. ", "Привет.", 0.8),  # same text once cleaned
             Pair("Low.", "Низко.", 0.1), Pair("Unscored.", "Без оценки."),
             Pair("Hi.", "Здравствуйте.", 0.7)]
    source = write_input(tmp_path, "jsonl", pairs)
    out = tmp_path / "o.jsonl"
    result = run("convert", str(source), str(out), "--dedupe", "--min-score", "0.5")
    assert result.exit_code == 0
    assert [p.en + p.ru for p in FORMATS["jsonl"].read(out)] == [
        "Hi.Привет.", "Unscored.Без оценки.", "Hi.Здравствуйте."]
    assert "--dedupe dropped 1 duplicate pair\n" in result.stderr
    assert "--min-score dropped 1 pair scored below 0.5" in result.stderr


def test_filter_pairs_counts() -> None:
    counts = FilterCounts()
    pairs = [Pair("a", "б", 0.2), Pair("a", "б", 0.9), Pair("a", "б", 0.9), Pair("a\n", "б")]
    kept = list(filter_pairs(pairs, dedupe=True, min_score=0.3, counts=counts))
    assert kept == [Pair("a", "б", 0.9)]
    assert (counts.duplicates, counts.below_min_score) == (2, 1)
    assert list(filter_pairs(pairs)) == pairs


def test_langs_and_encoding(tmp_path: Path) -> None:
    source = write_input(tmp_path, "tsv", [Pair("Color", "Цвет")])
    out = tmp_path / "o.tmx"
    result = run("convert", str(source), str(out), "--langs", "en-us,ru-ru", "--encoding", "utf-16")
    assert result.exit_code == 0, result.output
    root = etree.parse(str(out)).getroot()
    assert root.find("header").get("srclang") == "en-US"
    assert [t.get(XML_LANG) for t in root.iter("tuv")] == ["en-US", "ru-RU"]
    assert out.read_bytes()[:2] == b"\xff\xfe"
    back = tmp_path / "back.tsv"
    assert run("convert", str(out), str(back), "--encoding", "utf-8-sig").exit_code == 0
    assert back.read_bytes().startswith(b"\xef\xbb\xbfen\tru")


def test_format_options_override_extensions(tmp_path: Path) -> None:
    source = tmp_path / "data.txt"
    FORMATS["jsonl"].write([Pair("a", "б")], source)
    result = run("convert", str(source), str(tmp_path / "out"), "--from", "jsonl",
                 "--format", "moses")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.en").read_text() == "a\n"


def test_stdout_output(tmp_path: Path) -> None:
    source = write_input(tmp_path, "tsv", [Pair("a", "б", 0.5)])
    result = run("convert", str(source), "-", "--format", "jsonl")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["translation"] == {"en": "a", "ru": "б"}


@pytest.mark.parametrize("args,message", [
    (["in.tsv", "out.xyz"], "cannot tell the format from the extension"),
    (["in.xyz", "out.tsv"], "use --from"),
    (["in.tsv", "out.jsonl", "--encoding", "utf-16"], "jsonl output is written in utf-8"),
    (["in.tsv", "out.tmx", "--langs", "en_US,ru"], "BCP 47 uses hyphens: en-US"),
    (["in.tsv", "out.tmx", "--langs", "eng,rus"], "use 'en'"),
    (["in.tsv", "out.tmx", "--min-score", "2"], "--min-score"),
    (["in.tsv"], "Missing argument 'OUT'"),
])
def test_usage_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "in.tsv").write_text("en\tru\na\tб\n", encoding="utf-8")
    args = [str(tmp_path / a) if a.startswith(("in.", "out.")) else a for a in args]
    result = run("convert", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not list(tmp_path.glob("out*"))


@pytest.mark.parametrize("name,data,message", [
    ("bad.tmx", b'<tmx><body>\n<tu><tuv xml:lang="en"><seg>A & B</seg></tuv></tu></body></tmx>',
     ":2: malformed XML"),
    ("bad.tsv", b"en\tru\na\tb\nonly one field\n", ":3: 1 fields, the header has 2"),
    ("bad.jsonl", b'{"en": "a", "ru": "b"}\n{oops}\n', ":2: not JSON"),
    ("missing.tsv", None, "no such file"),
])
def test_bad_input_exits_1_and_keeps_the_old_output(tmp_path: Path, name: str,
                                                    data: bytes | None, message: str) -> None:
    source = tmp_path / name
    if data is not None:
        source.write_bytes(data)
    out = tmp_path / "out.tsv"
    out.write_text("previous\n")
    result = run("convert", str(source), str(out))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {source}")
    assert message in result.stderr
    assert out.read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({name, "out.tsv"} - (
        set() if data is not None else {name}))
