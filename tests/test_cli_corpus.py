"""``align parse`` and ``align corpus`` through click's runner."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from align import __version__
from align.cli import main
from test_corpus import BILINGUAL

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_ef9d5f30e115329a.txt"


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def test_version_and_help() -> None:
    assert __version__ in run("--version").output
    for flag in ("-h", "--help"):
        result = run(flag)
        assert result.exit_code == 0 and "corpus" in result.output


def test_parse_seed() -> None:
    result = run("parse", str(SEED))
    assert result.exit_code == 0
    record = json.loads(result.stdout)
    assert record["source"] == "bimba-news.in.ua"
    assert record["prefix"] == "NYT: "
    assert record["headlines"]["ru"].startswith("NYT: Впервые")
    assert len(record["body"]["en"]) == 7


def test_parse_stdin() -> None:
    result = run("parse", "-", input=SEED.read_bytes())
    assert result.exit_code == 0
    assert json.loads(result.stdout)["file"] == "-"


def test_parse_bad_file_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bin.txt"
    bad.write_bytes(b"\x00\x01\x02")
    result = run("parse", str(bad), str(SEED))
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [f"Error: {bad}: binary file (NUL bytes), not text"]
    assert json.loads(result.stdout)["source"] == "bimba-news.in.ua"


@pytest.mark.parametrize("name,fmt", [("out.tsv", None), ("out.jsonl", None), ("out.dat", "tsv")])
def test_corpus_seed(tmp_path: Path, name: str, fmt: str | None) -> None:
    out = tmp_path / name
    args = ["corpus", str(SEED.parent), "-o", str(out)] + (["--format", fmt] if fmt else [])
    result = run(*args)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    if name.endswith(".jsonl"):
        record = json.loads(text)
        assert record["translation"]["en"].startswith("NYT: A senior U.S. official")
        assert record["kind"] == "headline"
    else:
        lines = text.splitlines()
        assert lines[0] == "en\tru\tscore\tkind\tdoc"
        en, ru, _score, kind, doc = lines[1].split("\t")
        assert en.startswith("NYT: A senior") and ru.startswith("NYT: Впервые")
        assert (kind, doc) == ("headline", SEED.name)
    assert "1 article, 1 pair, 0 skipped" in result.stderr


def test_corpus_skips_bad_files_and_keeps_the_rest(tmp_path: Path) -> None:
    data = tmp_path / "in"
    (data / "sub").mkdir(parents=True)
    (data / "sub" / "good.txt").write_bytes(SEED.read_bytes())
    (data / "empty.txt").write_bytes(b"")
    (data / "one.txt").write_text("Only an English headline\n\nAnd an English body.\n")
    (data / "ignored.md").write_text("not an article")
    out = tmp_path / "c.tsv"
    result = run("corpus", str(data), "-o", str(out))
    assert result.exit_code == 1
    assert f"Warning: {data / 'empty.txt'}: empty file" in result.stderr
    assert "no Russian headline" in result.stderr
    assert "2 articles, 1 pair, 1 skipped" in result.stderr
    rows = out.read_text(encoding="utf-8").splitlines()
    assert len(rows) == 2 and rows[1].endswith("\theadline\tsub/good.txt")


@pytest.mark.parametrize("name", ["c.tsv", "c.tmx", "c.jsonl"])
def test_corpus_output_is_atomic_and_deterministic(tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    run("corpus", str(SEED), "-o", str(out))
    first = out.read_bytes()
    time.sleep(1.1)  # a TMX creationdate taken from the clock would now differ
    run("corpus", str(SEED), "-o", str(out))
    assert out.read_bytes() == first
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_corpus_tabs_and_newlines_in_text(tmp_path: Path) -> None:
    art = tmp_path / "a.txt"
    art.write_text("Tabs\tin a headline & <b>\n\nТабы\tв заголовке & <b>\n", encoding="utf-8")
    out = tmp_path / "c.tsv"
    assert run("corpus", str(art), "-o", str(out)).exit_code == 0
    row = out.read_text(encoding="utf-8").splitlines()[1].split("\t")
    assert row[:2] == ["Tabs in a headline & <b>", "Табы в заголовке & <b>"]


@pytest.mark.parametrize("args,code,message", [
    (["corpus", "seeds", "-o", "x.unknown"], 2, "cannot tell the format"),
    (["corpus", "nope-dir", "-o", "x.tsv"], 1, "nope-dir: no such file or directory"),
    (["corpus", "seeds"], 2, "Missing option"),
    (["corpus", "seeds", "-o", "x.tsv", "--format", "docx"], 2, "Invalid value"),
    (["nosuchcommand"], 2, "No such command"),
])
def test_usage_errors(args: list[str], code: int, message: str) -> None:
    result = run(*args)
    assert result.exit_code == code
    assert message in result.output




@pytest.mark.parametrize("flags,kinds", [
    ([], ["headline", "body", "body", "body"]),
    (["--show-unaligned"], ["headline", "body", "body", "body", "body"]),
    (["--headlines-only"], ["headline"]),
    (["--min-score", "0.999"], ["body", "body"]),
])
def test_corpus_aligns_bilingual_bodies(tmp_path: Path, flags: list[str], kinds: list[str]) -> None:
    art = tmp_path / "bi.txt"
    art.write_text(BILINGUAL, encoding="utf-8")
    out = tmp_path / "c.jsonl"
    result = run("corpus", str(art), "-o", str(out), *flags)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["kind"] for r in records] == kinds
    scores = [r["score"] for r in records]
    if "--headlines-only" in flags:
        assert scores == [None]
    else:
        assert all(0.0 <= s <= 1.0 for s in scores)
