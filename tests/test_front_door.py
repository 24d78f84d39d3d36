"""What a new user meets first: the README's commands, options and snippets are true, and the
first command leaves a clean checkout clean."""
from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from align.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_first_command_reproduces_the_committed_corpus(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # `align corpus seeds -o corpora/seeds.tmx` must leave `git status` clean: no date from
    # the clock or from the clone's file times goes into the TMX.
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for path in (ROOT / "seeds").iterdir():
        (seeds / path.name).write_bytes(path.read_bytes())
        stamp = time.time() - 12345
        os.utime(seeds / path.name, (stamp, stamp))
    out = tmp_path / "seeds.tmx"
    result = CliRunner().invoke(main, ["corpus", str(seeds), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == (ROOT / "corpora" / "seeds.tmx").read_bytes()


def test_tmx_date_only_from_source_date_epoch(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "c.tsv"
    src.write_text("en\tru\tscore\tkind\tdoc\nYes.\tДа.\t\t\t\n", encoding="utf-8")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert CliRunner().invoke(main, ["convert", str(src), str(tmp_path / "a.tmx")]).exit_code == 0
    assert b"creationdate" not in (tmp_path / "a.tmx").read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert CliRunner().invoke(main, ["convert", str(src), str(tmp_path / "b.tmx")]).exit_code == 0
    assert b'creationdate="20231114T221320Z"' in (tmp_path / "b.tmx").read_bytes()


# --- the README's options exist, its Python runs ---------------------------------------------

README = (ROOT / "README.md").read_text(encoding="utf-8")
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")


def command_options() -> dict[str, set[str]]:
    """Every command (``model train`` as ``model train``) and its long options."""
    import click

    table = {}
    for name, command in main.commands.items():
        subs = command.commands.items() if isinstance(command, click.Group) else [("", command)]
        for sub, cmd in subs:
            table[f"{name} {sub}".strip()] = {o for p in cmd.params
                                              for o in (*p.opts, *p.secondary_opts)
                                              if o.startswith("--")} | {"--help"}
    return table


def command_of(words: list[str], table: dict[str, set[str]]) -> str | None:
    for length in (2, 1):
        name = " ".join(words[:length])
        if name in table:
            return name
    return None


def readme_command_lines() -> list[str]:
    """Every ``align ...`` command in the README: code-block lines and inline code."""
    lines = []
    for block in re.findall(r"```(?:sh|bash)?\n(.*?)```", README, re.S):
        lines.extend(line for line in block.splitlines() if line.strip())
    lines.extend(re.findall(r"`([^`\n]+)`", re.sub(r"```.*?```", "", README, flags=re.S)))
    found = []
    for line in lines:
        for part in re.split(r"&&|\||;", line.split("  #")[0]):
            words = part.split()
            while words and words[0] != "align" and not words[0].endswith("/align"):
                words = words[1:]
            if len(words) > 1:
                found.append(" ".join(words[1:]))
    return found


def test_every_readme_command_line_option_exists() -> None:
    table = command_options()
    missing = []
    lines = readme_command_lines()
    assert len(lines) > 30  # the tour, the sections, the benchmarks
    for line in lines:
        name = command_of(line.split(), table)
        if name is None:
            continue
        missing += [f"align {line}: {o}" for o in OPTION.findall(line) if o not in table[name]]
    assert not missing


def sections() -> list[tuple[str, str]]:
    """``(heading, prose)`` for every ### section, code blocks left out."""
    prose = re.sub(r"```.*?```", "", README, flags=re.S)
    parts = re.split(r"^### (.*)$", prose, flags=re.M)
    return list(zip(parts[1::2], parts[2::2]))


def named_commands(text: str, table: dict[str, set[str]]) -> list[str]:
    names = []
    for item in re.findall(r"`([^`]+)`", text):
        words = item.split()
        if words and words[0] == "align":
            words = words[1:]
        name = command_of(words, table)
        if name:
            names.append(name)
    return names


def test_every_option_a_command_section_names_exists() -> None:
    """Each option in the section of ``align CMD`` is one of CMD's (or of a command the text
    names beside it: "`align text` with `--show-unaligned`"); an option in a list said to be
    shared ("Output options (`corpus`, `text`, ...)") is one of every command listed."""
    table = command_options()
    missing = []
    for heading, text in sections():
        commands = named_commands(heading, table)
        if not commands:
            continue
        shared = re.match(r"(Output|Alignment) options", heading)
        # `align score --qe` in the text is a command line: the test above checks it
        own = re.sub(r"`align [^`]*`", "", text)
        nearby = commands + named_commands(text, table)
        for option in set(OPTION.findall(own)):
            owners = [c for c in commands if option in table[c]]
            if (shared and len(owners) < len(commands)) or not (
                    owners or any(option in table[c] for c in nearby)):
                missing.append(f"### {heading}: {option}")
        for paragraph in re.findall(r"^\w+ options \(([^)]*)\)(.*?)(?:\n\n|\Z)", text,
                                    re.M | re.S):
            listed = named_commands(paragraph[0], table)
            missing += [f"{paragraph[0]}: {c} has no {o}" for c in listed
                        for o in set(OPTION.findall(paragraph[1])) if o not in table[c]]
    assert not missing


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README, re.S)


@pytest.mark.parametrize("number", range(len(python_blocks())))
def test_readme_python_runs(number: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                            ) -> None:
    """Run in a directory holding what the snippets name: the seed articles and a corpus."""
    code = python_blocks()[number]
    for module in re.findall(r"^import (\w+)(?:, (\w+))?", code, re.M):
        for name in filter(None, module):
            pytest.importorskip(name, reason=f"README snippet {number} needs {name}")
    (tmp_path / "seeds").symlink_to(ROOT / "seeds")
    from align.formats import FORMATS
    from align.types import Pair

    FORMATS["tsv"].write([Pair('"Yes," he said.', "«Да», — сказал он.", 0.9, "sentence", "d"),
                          Pair("No.", "Нет.", 0.8, "sentence", "d")], tmp_path / "corpus.tsv")
    monkeypatch.chdir(tmp_path)
    exec(compile(code, f"README.md python block {number}", "exec"), {})


def test_readme_python_blocks() -> None:
    assert len(python_blocks()) >= 2  # the API tour and reading TSV


def test_readme_sections_appear_once() -> None:
    """A section under one parent appears once: a bad merge once doubled half the README."""
    seen: set[tuple[str, str]] = set()
    parent = ""
    for line in README.splitlines():
        if line.startswith("## "):
            parent = line
            key = ("", line)
        elif line.startswith("### "):
            key = (parent, line)
        else:
            continue
        assert key not in seen, f"README section repeated: {key}"
        seen.add(key)


def test_readme_test_command_is_what_ci_runs() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert ci in README and ci.endswith("-m pytest -rs")  # skip reasons shown


def test_tsv_reads_back_with_csv_quote_none(tmp_path: Path) -> None:
    import csv

    from align.formats import FORMATS
    from align.types import Pair

    pairs = [Pair('"Yes," he said.', "«Да», — сказал он.", 0.5, "sentence", "d"),
             Pair('"', '"quoted" and "not', None, "body", "x.txt"),
             Pair("Plain.", "Просто.", 1.0, "headline", "y")]
    path = tmp_path / "c.tsv"
    FORMATS["tsv"].write(pairs, path)
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert [(r["en"], r["ru"], r["kind"], r["doc"]) for r in rows] == [
        (p.en, p.ru, p.kind, p.doc) for p in pairs]
    with open(path, encoding="utf-8", newline="") as f:  # why the README says so
        default = list(csv.DictReader(f, delimiter="\t"))
    assert [r["en"] for r in default] != [p.en for p in pairs]


# --- the CLI: --max-bead, '-', empty files, swapped languages, split_sentences' default ------

EN = "The talks ended late at night.\nBoth sides were very tired.\nJournalists waited outside.\n"
RU = "Переговоры закончились поздно ночью.\nОбе стороны очень устали.\nЖурналисты ждали снаружи.\n"
TSV = "en\tru\tscore\tkind\tdoc\nYes.\tДа.\t\t\t\nNo.\tНет.\t\t\t\n"
ARTICLE = ("meduza.io\n\nLeaders met in Minsk on Monday\n\nЛидеры встретились в Минске в "
           "понедельник\n\nThe talks ended late at night. Both sides were very tired. "
           "Journalists waited outside.\n\nПереговоры закончились поздно ночью, и обе стороны "
           "очень устали. Журналисты ждали снаружи.\n")


@pytest.fixture()
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, text in [("a.en", EN), ("a.ru", RU), ("c.tsv", TSV), ("art.txt", ARTICLE),
                       ("g.align", "[0]:[0]\n[1]:[1]\n[2]:[2]\n"),
                       ("t.align", "[0]:[0]\n[1]:[1]\n[2]:[2]\n"), ("empty", ""),
                       ("blank", " \n\n")]:
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def test_corpus_max_bead_reaches_the_aligner(files: Path) -> None:
    def bodies(max_bead: str) -> list[str]:
        result = run("corpus", "art.txt", "-o", "-", "--format", "tsv", "--jobs", "1",
                     "--show-unaligned", "--max-bead", max_bead)
        assert result.exit_code == 0, result.output
        return [line.split("\t")[0] for line in result.stdout.splitlines() if "\tbody\t" in line]

    assert bodies("3") == ["The talks ended late at night. Both sides were very tired.",
                           "Journalists waited outside."]
    assert bodies("1") == ["The talks ended late at night.", "Both sides were very tired.",
                           "Journalists waited outside."]


@pytest.mark.parametrize("args,stdin", [
    (["parse", "-"], "art.txt"),
    (["corpus", "-", "-o", "-", "--format", "tsv", "--headlines-only"], "art.txt"),
    (["segment", "-"], "a.ru"),
    (["sentences", "-", "a.ru"], "a.en"),
    (["sentences", "a.en", "-"], "a.ru"),
    (["text", "-", "a.ru", "-o", "-", "--format", "tsv"], "a.en"),
    (["eval", "g.align", "-"], "t.align"),
    (["eval", "-", "t.align"], "g.align"),
    (["score", "-", "-r", "a.ru"], "a.ru"),
    (["score", "a.ru", "-r", "-"], "a.ru"),
    (["score", "--qe", "-"], "c.tsv"),
    (["score", "--qe", "-", "--from", "tsv"], "c.tsv"),
    (["score", "--qe", "a.en", "-"], "a.ru"),
    (["convert", "-", "-", "--from", "tsv", "--format", "jsonl"], "c.tsv"),
])
def test_dash_reads_stdin_everywhere(files: Path, args: list[str], stdin: str) -> None:
    with_file = run(*[stdin if a == "-" and i == args.index("-") else a
                      for i, a in enumerate(args)])
    with_dash = run(*args, input=(files / stdin).read_text(encoding="utf-8"))
    assert with_dash.exit_code == 0, with_dash.output
    assert with_file.exit_code == 0, with_file.output
    # the same output; a name printed (a file's name, parse's "file") may differ
    assert with_dash.stdout.replace('"-"', f'"{stdin}"').replace("\t-\n", f"\t{stdin}\n") \
        == with_file.stdout


EMPTY_INPUTS = [
    ["parse", "{e}"],
    ["corpus", "{e}", "-o", "o.tsv"],
    ["segment", "{e}"],
    ["sentences", "{e}", "a.ru"],
    ["sentences", "a.en", "{e}"],
    ["text", "{e}", "a.ru", "-o", "o.tsv"],
    ["text", "a.en", "{e}", "-o", "o.tsv"],
    ["eval", "{e}", "t.align"],
    ["eval", "g.align", "{e}"],
    ["score", "{e}", "-r", "a.ru"],
    ["score", "a.ru", "-r", "{e}"],
    ["score", "--qe", "{e}", "--from", "jsonl"],
    ["score", "--qe", "a.en", "{e}"],
    ["convert", "{e}", "o.tsv", "--from", "jsonl"],
    ["convert", "{e}", "o.tsv", "--from", "tmx"],
    ["model", "train", "{e}", "-o", "m.model"],
    ["model", "train", "c.tsv", "--extra-pairs", "{e}", "-o", "m.model"],
    ["clean", "{e}", "-o", "o.tsv", "--from", "tsv"],
    ["review", "{e}", "-o", "r.html", "--from", "tsv"],
    ["docs", "{e}", "a.ru"],
    ["corpus", "--en", "{e}", "--ru", "a.ru", "-o", "o.tsv"],
]


# White space in a corpus file (--from) is not an empty file but a malformed one.
@pytest.mark.parametrize("args,empty", [(args, empty) for args in EMPTY_INPUTS
                                        for empty in ("empty", "blank")
                                        if empty == "empty" or "--from" not in args])
def test_an_empty_input_is_exit_1_everywhere(files: Path, args: list[str], empty: str) -> None:
    result = run(*[a.format(e=empty) for a in args])
    assert result.exit_code == 1, result.output
    assert f"{empty}: empty file" in result.stderr
    if args[0] != "corpus":  # corpus writes the pairs of the other articles (here none)
        assert not (files / "o.tsv").exists() and not (files / "m.model").exists()


@pytest.mark.parametrize("args", [
    ["text", "{en}", "{ru}", "-o", "o.tsv"],
    ["sentences", "{en}", "{ru}"],
    ["score", "--qe", "{en}", "{ru}"],
])
@pytest.mark.parametrize("en,ru,message", [
    ("a.ru", "a.en", "a.ru: the English input looks Russian, and a.en English: swapped?"),
    ("a.ru", "a.ru", "a.ru: the English input looks Russian, as does a.ru"),
    ("a.en", "a.en", "a.en: the Russian input looks English, as does a.en"),
])
def test_swapped_or_same_language_inputs_stop(files: Path, args: list[str], en: str, ru: str,
                                              message: str) -> None:
    args = [a.format(en=en, ru=ru) for a in args]
    result = run(*args)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [f"Error: {message} " + (
        "(the English file comes first; --force to go on)" if "swapped" in message
        else "(--force to go on)")]
    assert not (files / "o.tsv").exists()
    forced = run(*args, "--force")
    assert forced.exit_code == 0, forced.output


def test_a_swapped_pair_among_several_texts_is_skipped(files: Path) -> None:
    # As an unreadable pair: reported, skipped, the other pairs written, exit 1 at the end.
    one = run("text", "a.en", "a.ru", "-o", "one.tsv")
    assert one.exit_code == 0, one.output
    result = run("text", "a.en", "a.ru", "a.ru", "a.en", "-o", "o.tsv")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Warning: a.ru: the English input looks Russian, and a.en English: swapped? (the "
        "English file comes first; --force to go on); skipped",
        "1 text pair, 3 English and 3 Russian sentences, 3 links, 3 pairs written, 1 skipped"]
    assert (files / "o.tsv").read_bytes() == (files / "one.tsv").read_bytes()
    forced = run("text", "a.en", "a.ru", "a.ru", "a.en", "-o", "o.tsv", "--force")
    assert forced.exit_code == 0 and "2 text pairs" in forced.stderr


def test_sentences_dir_without_pairs_is_an_error(files: Path) -> None:
    (files / "docs").mkdir()
    (files / "docs" / "notes.txt").write_text("nothing to align")
    result = run("sentences", "docs", "-o", "out")
    assert result.exit_code == 1
    assert result.stderr == "Error: docs: no NAME.en or NAME.ru files to align\n"


def test_broken_link_in_a_corpus_directory_is_reported(files: Path) -> None:
    (files / "news").mkdir()
    (files / "news" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (files / "news" / "b.txt").symlink_to(files / "gone.txt")
    result = run("corpus", "news", "-o", "o.tsv", "--headlines-only")
    assert result.exit_code == 1
    assert "Warning: news/b.txt: no such file or directory" in result.stderr
    assert result.stderr.splitlines()[-1] == "1 article, 1 pair, 1 skipped"


def test_split_sentences_detects_the_language_by_default() -> None:
    from align import split_sentences

    text = "Т. е. это так. Г. Иванов пришёл."
    assert [s.text for s in split_sentences(text)] == [s.text for s in
                                                        split_sentences(text, "ru")]
    assert [s.text for s in split_sentences("Mr. Smith came. He sat.")] == [
        "Mr. Smith came.", "He sat."]
