"""``align segment`` through click's runner."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from align.cli import main

EN_TEXT = "Mr. Smith went to Washington. He met Sen.\nJones there.\n\n\nThe End"
RU_TEXT = "Доклад сделал проф. Иванов. Вопросов не было.\n\nКонец"


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, ["segment", *args], input=input)


def write(tmp_path: Path, data: bytes, name: str = "in.txt") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_one_sentence_a_line(tmp_path: Path) -> None:
    result = run(write(tmp_path, EN_TEXT.encode()), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.stdout == ("Mr. Smith went to Washington.\nHe met Sen. Jones there.\n"
                             "The End\n")


def test_keep_paragraphs(tmp_path: Path) -> None:
    result = run(write(tmp_path, EN_TEXT.encode()), "--lang", "en", "--keep-paragraphs")
    assert result.exit_code == 0
    assert result.stdout == ("Mr. Smith went to Washington.\nHe met Sen. Jones there.\n"
                             "\nThe End\n")


def test_stdin_and_crlf() -> None:
    data = EN_TEXT.replace("\n", "\r\n").encode()
    result = run("-", "--lang", "en", input=data)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["Mr. Smith went to Washington.",
                                          "He met Sen. Jones there.", "The End"]


@pytest.mark.parametrize("lang", ["ru", "auto"])
def test_russian_rules_and_auto(tmp_path: Path, lang: str) -> None:
    args = [write(tmp_path, RU_TEXT.encode("utf-8-sig"))]
    if lang != "auto":
        args += ["--lang", lang]
    result = run(*args)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["Доклад сделал проф. Иванов.", "Вопросов не было.",
                                          "Конец"]


def test_language_changes_the_rules(tmp_path: Path) -> None:
    # English data does not know "проф.": the language option is really used.
    result = run(write(tmp_path, RU_TEXT.encode()), "--lang", "en")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "Доклад сделал проф."


def test_special_characters_round_trip(tmp_path: Path) -> None:
    text = 'Tom & Jerry <b>said</b> "hi" \x01\x02. \'Quoted\' too.'
    result = run(write(tmp_path, text.encode()), "--lang", "en")
    assert result.exit_code == 0
    assert result.stdout == 'Tom & Jerry <b>said</b> "hi" \x01\x02.\n\'Quoted\' too.\n'


def test_explain_names_the_rule_of_every_candidate(tmp_path: Path) -> None:
    result = run(write(tmp_path, EN_TEXT.encode()), "--lang", "en", "--explain")
    assert result.exit_code == 0, result.output
    header, *lines = result.stdout.splitlines()
    assert header.split()[:3] == ["line", "action", "rule"]
    rows = [line.split(None, 3) for line in lines]
    assert [row[:3] for row in rows] == [
        ["1", "join", "title_or_inner"],       # Mr.
        ["1", "split", "plain_stop"],          # Washington.
        ["1", "join", "title_or_inner"],       # Sen. (line break after it)
        ["5", "split", "blank_line"],          # before "The End"
    ]
    assert rows[1][3] == "Mr. Smith went to Washington.| He met Sen. Jones there. Th"


def test_explain_without_candidates_is_the_header_only(tmp_path: Path) -> None:
    result = run(write(tmp_path, "Заголовок без точки".encode()), "--lang", "ru", "--explain")
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 1


@pytest.mark.parametrize("data", [b"", b"\n\n  \n"])
def test_empty_input_is_an_error(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, data)
    result = run(path, "--lang", "ru")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == f"Error: {path}: empty file\n"


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r", "utf-16"])
def test_legacy_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    # The article parser's detection, for plain texts too.
    path = write(tmp_path, "Привет, как дела.\nМир велик.".encode(encoding))
    result = run(path, "--lang", "ru")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Привет, как дела.\nМир велик.\n"


def test_binary_is_a_clear_error(tmp_path: Path) -> None:
    path = write(tmp_path, b"\x00\x01\x02\x03binary\x00\xff" * 20 + b"!")
    result = run(path, "--lang", "ru")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == f"Error: {path}: binary file (NUL bytes), not text\n"


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = run(str(tmp_path / "nope.txt"))
    assert result.exit_code == 1 and "no such file" in result.stderr


def test_bad_language_is_a_usage_error(tmp_path: Path) -> None:
    result = run(write(tmp_path, b"Hello."), "--lang", "de")
    assert result.exit_code == 2
