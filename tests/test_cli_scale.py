"""--jobs, --dask, --resume, progress and summaries of the corpus commands, end to end."""
from __future__ import annotations

import os
import re
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from align.cli import main

ROOT = Path(__file__).resolve().parents[1]

EN = ["The two leaders talked for {n} hours.", "They discussed Syria and Ukraine.",
      "Journalists were not allowed into room {n}.", "The talks ended on day {n}."]
RU = ["Лидеры двух стран говорили {n} часа.", "Они обсудили Сирию и Украину.",
      "Журналистов в зал {n} не пустили.", "Переговоры закончились в день {n}."]


def article(n: int) -> str:
    en = " ".join(s.format(n=n) for s in EN[: 2 + n % 3])
    ru = " ".join(s.format(n=n) for s in RU[: 2 + n % 3])
    return (f"meduza.io\n\nLeaders met in city number {n}\n\nЛидеры встретились в городе номер {n}"
            f"\n\n{en}\n\n{ru}\n")


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("articles")
    for n in range(40):
        (root / f"{n:03d}.txt").write_text(article(n), encoding="utf-8")
    (root / "sub").mkdir()
    (root / "sub" / "bad.txt").write_bytes(b"\x00\x01binary")
    return root


@pytest.fixture(scope="module")
def sentence_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sentences")
    for n in range(6):
        (root / f"d{n}.en").write_text("\n".join(s.format(n=n) for s in EN * 3) + "\n")
        (root / f"d{n}.ru").write_text("\n".join(s.format(n=n) for s in RU * 3) + "\n")
    return root


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def serial_corpus(articles: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    out = tmp_path_factory.mktemp("serial") / "c.tmx"
    result = run("corpus", str(articles), "-o", str(out), "--jobs", "1")
    assert result.exit_code == 1, result.output  # the bad file
    assert result.stderr.splitlines()[-1] == "40 articles, 159 pairs, 1 skipped"
    return out.read_bytes()


def test_corpus_jobs_2_is_byte_identical(articles: Path, serial_corpus: bytes,
                                         tmp_path: Path) -> None:
    out = tmp_path / "c.tmx"
    result = run("corpus", str(articles), "-o", str(out), "--jobs", "2")
    assert result.exit_code == 1
    assert out.read_bytes() == serial_corpus
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert warnings == [f"Warning: {articles / 'sub' / 'bad.txt'}: binary file (NUL bytes), "
                        "not text"]


def test_sentences_dir_jobs_2_is_byte_identical(sentence_dir: Path, tmp_path: Path) -> None:
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"j{jobs}"
        result = run("sentences", str(sentence_dir), "-o", str(out), "--jobs", jobs)
        assert result.exit_code == 0, result.output
        assert result.stderr.strip() == f"6 documents aligned into {out}"
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert outputs[0] == outputs[1] and len(outputs[0]) == 6


def test_sentences_two_files_summary(sentence_dir: Path, tmp_path: Path) -> None:
    result = run("sentences", str(sentence_dir / "d1.en"), str(sentence_dir / "d1.ru"),
                 "-o", str(tmp_path / "d1.align"))
    assert result.exit_code == 0
    assert result.stderr.strip() == ("12 English and 12 Russian sentences, 12 links, "
                                     "12 beads written")


def stderr_of(args: list[str], *, terminal: bool) -> str:
    """Run ``align ARGS`` with stderr on a pseudo-terminal or a pipe; return what it got."""
    command = [sys.executable, "-m", "align", *args]
    if not terminal:
        return subprocess.run(command, capture_output=True, text=True, cwd=ROOT).stderr
    master, slave = pty.openpty()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=slave, cwd=ROOT)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    process.wait()
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize("quiet", [False, True])
def test_progress_on_a_terminal_only(articles: Path, tmp_path: Path, quiet: bool) -> None:
    args = ["corpus", str(articles), "-o", str(tmp_path / "c.tsv"), "--jobs", "1"]
    shown = stderr_of(args + (["--quiet"] if quiet else []), terminal=True)
    assert "40 articles, 159 pairs, 1 skipped" in shown
    redraws = re.findall(r"\r(?!\n)", shown)  # the terminal itself turns \n into \r\n
    if quiet:
        assert not redraws and "article/s" not in shown
    else:
        assert redraws and "/41 [" in shown and "article/s" in shown
        # The warning is written above the bar, on its own line.
        assert any(line.startswith("Warning: ") for line in shown.replace("\r", "\n").splitlines())
    piped = stderr_of(args, terminal=False)
    assert "\r" not in piped and "article/s" not in piped
    assert piped.splitlines()[-1] == "40 articles, 159 pairs, 1 skipped"
