"""Output safety, every command: never overwrite an input, one error line for any failure to
write (files and stdout), SIGTERM handled as Ctrl-C, no debris from killed runs, the same
messages for a missing or directory input."""
from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from align.cli import main
from align.fileio import STALE_TEMP_SECONDS, temp_files
from blocked import READY_SECONDS, hold_fifo_open

ROOT = Path(__file__).resolve().parents[1]

EN = "The talks ended late.\nBoth sides were tired.\n"
RU = "Переговоры закончились поздно.\nОбе стороны устали.\n"
TSV = "en\tru\tscore\tkind\tdoc\nThe talks ended late.\tПереговоры закончились поздно.\t\t\t\n"
ARTICLE = ("meduza.io\n\nLeaders met in Minsk\n\nЛидеры встретились в Минске\n\n"
           "The talks ended late.\n\nПереговоры закончились поздно.\n")


@pytest.fixture()
def files(tmp_path: Path) -> Path:
    (tmp_path / "a.en").write_text(EN, encoding="utf-8")
    (tmp_path / "a.ru").write_text(RU, encoding="utf-8")
    (tmp_path / "c.tsv").write_text(TSV, encoding="utf-8")
    (tmp_path / "g.align").write_text("[0]:[0]\n[1]:[1]\n", encoding="utf-8")
    (tmp_path / "t.align").write_text("[0]:[0]\n[1]:[1]\n", encoding="utf-8")
    (tmp_path / "art").mkdir()
    (tmp_path / "art" / "x.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "d.tsv").mkdir()  # a directory with a file's name
    return tmp_path


def invoke(tmp_path: Path, args: list[str], **kwargs):
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        return CliRunner().invoke(main, args, **kwargs)
    finally:
        os.chdir(old)


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


# --- an output that is an input is refused: one line naming both, exit 2, nothing touched ---

SAME_FILE = [
    (["sentences", "a.en", "a.ru", "-o", "a.ru"], "a.ru", "a.ru"),
    (["text", "a.en", "a.ru", "-o", "a.ru", "--format", "tsv"], "a.ru", "a.ru"),
    (["text", "a.en", "a.ru", "-o", "link.tsv"], "link.tsv", "a.ru"),
    (["text", "a.en", "a.ru", "-o", "hard.tsv"], "hard.tsv", "a.ru"),
    (["convert", "c.tsv", "c.tsv"], "c.tsv", "c.tsv"),
    (["convert", "a.en", "a.ru", "--format", "tsv"], "a.ru", "a.ru"),  # Moses in: two files
    (["convert", "a.en", "a", "--format", "moses"], "a.en", "a.en"),   # Moses out: two files
    (["score", "--qe", "c.tsv", "-o", "c.tsv"], "c.tsv", "c.tsv"),
    (["score", "--qe", "a.en", "a.ru", "-o", "link.tsv"], "link.tsv", "a.ru"),
    (["score", "a.ru", "-r", "a.en", "-o", "a.en"], "a.en", "a.en"),
    (["eval", "g.align", "t.align", "-o", "t.align"], "t.align", "t.align"),
    (["corpus", "art", "-o", "art/x.txt", "--format", "tsv"], "art/x.txt", "art/x.txt"),
    (["model", "train", "c.tsv", "-o", "c.tsv"], "c.tsv", "c.tsv"),
    (["clean", "c.tsv", "-o", "c.tsv"], "c.tsv", "c.tsv"),
    (["clean", "c.tsv", "-o", "o.tsv", "--rejects", "c.tsv"], "c.tsv", "c.tsv"),
    (["review", "c.tsv", "-o", "page.html"], "page.html", "c.tsv"),
    (["docs", "a.en", "a.ru", "-o", "a.ru"], "a.ru", "a.ru"),
]


@pytest.mark.parametrize("args,output,source", SAME_FILE)
def test_output_that_is_an_input_is_refused(files: Path, args: list[str], output: str,
                                            source: str) -> None:
    os.symlink("a.ru", files / "link.tsv")
    os.symlink("c.tsv", files / "page.html")
    os.link(files / "a.ru", files / "hard.tsv")
    before = snapshot(files)
    result = invoke(files, args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: the output {output} is the input "
                                                  f"{source}"), result.stderr
    assert snapshot(files) == before and result.stdout == ""


# An output inside a directory searched for documents would be read as one by the next run.
@pytest.mark.parametrize("args,output,folder", [
    (["docs", "en", "ru", "-o", "en/pairs.tsv"], "en/pairs.tsv", "en"),
    (["docs", "en", "ru", "-o", "p.tsv", "--unpaired", "ru/sub/u.tsv"], "ru/sub/u.tsv", "ru"),
    (["docs", "en", "-o", "en/pairs.tsv"], "en/pairs.tsv", "en"),
    (["docs", "en", "ru", "-o", "./en/../en/p.tsv"], "./en/../en/p.tsv", "en"),
    (["docs", "en", "ru", "-o", "linked/p.tsv"], "linked/p.tsv", "ru"),
    (["corpus", "--en", "en", "--ru", "ru", "-o", "ru/c.tmx"], "ru/c.tmx", "ru"),
    (["corpus", "--en", "en", "--ru", "ru", "-o", "en/c", "--format", "moses"], "en/c.en", "en"),
    (["corpus", "--en", "en", "--ru", "ru", "-o", "c.tmx", "--resume", "--shards", "en/s"],
     "en/s", "en"),
    (["corpus", "--en", "en", "--ru", "ru", "-o", "en/c.tmx", "--resume"], "en/c.tmx", "en"),
])
def test_output_inside_an_input_directory_is_refused(files: Path, args: list[str], output: str,
                                                     folder: str) -> None:
    for lang, text in (("en", EN), ("ru", RU)):
        (files / lang).mkdir()
        (files / lang / "a.txt").write_text(text, encoding="utf-8")
    (files / "linked").symlink_to("ru")
    before = snapshot(files)
    result = invoke(files, args)
    assert result.exit_code == 2, result.output
    assert result.stderr == (f"Error: the output {output} is inside the input directory "
                             f"{folder}, where the next run would read it as a document: write "
                             "it elsewhere; nothing written\n")
    assert snapshot(files) == before and result.stdout == ""


def test_output_beside_the_input_directories_is_written(files: Path) -> None:
    for lang, text in (("en", EN), ("ru", RU)):
        (files / lang).mkdir()
        (files / lang / "a.txt").write_text(text, encoding="utf-8")
    (files / "english").mkdir()  # a name that starts as an input's does: not inside it
    result = invoke(files, ["docs", "en", "ru", "-o", "english/pairs.tsv", "-q"])
    assert result.exit_code == 0, result.output
    assert (files / "english" / "pairs.tsv").read_text().startswith("en\tru\tscore\n")


@pytest.mark.parametrize("args,first,second", [
    (["clean", "c.tsv", "-o", "o.jsonl", "--rejects", "o.jsonl"], "-o o.jsonl",
     "--rejects o.jsonl"),
    (["clean", "c.tsv", "-o", "o.jsonl", "--rejects", "./x/../o.jsonl"], "-o o.jsonl",
     "--rejects ./x/../o.jsonl"),
    (["docs", "art", "a.ru", "-o", "p.tsv", "--unpaired", "p.tsv"], "-o p.tsv",
     "--unpaired p.tsv"),
    (["docs", "art", "a.ru", "-o", "old.tsv", "--unpaired", "link.tsv"], "-o old.tsv",
     "--unpaired link.tsv"),
])
def test_two_outputs_that_are_one_file_are_refused(files: Path, args: list[str], first: str,
                                                    second: str) -> None:
    (files / "x").mkdir()
    (files / "old.tsv").write_text("kept")
    os.symlink("old.tsv", files / "link.tsv")
    before = snapshot(files)
    result = invoke(files, args)
    assert result.exit_code == 2, result.output
    assert result.stderr == (f"Error: {first} and {second} are one file: each output needs "
                             "its own; nothing written\n")
    assert snapshot(files) == before


def test_merge_into_its_own_shard_is_refused(files: Path) -> None:
    assert invoke(files, ["text", "a.en", "a.ru", "--shards", "parts", "--jobs", "1",
                          "--model", str(ROOT / "align" / "data" / "enru.model")]).exit_code == 0
    shard = sorted((files / "parts").glob("shard-*.jsonl"))[0]
    before = shard.read_bytes()
    result = invoke(files, ["merge", "parts", "-o", str(shard.relative_to(files))])
    assert result.exit_code == 2 and "is the input" in result.stderr
    assert shard.read_bytes() == before


# --- every failure to write is one line and exit 1, for files and stdout alike -------------

@pytest.mark.parametrize("args", [
    ["sentences", "a.en", "a.ru", "-o", "d.tsv"],
    ["text", "a.en", "a.ru", "-o", "d.tsv"],
    ["convert", "c.tsv", "d.tsv"],
    ["score", "--qe", "c.tsv", "-o", "d.tsv"],
    ["score", "a.ru", "-r", "a.ru", "-o", "d.tsv"],
    ["eval", "g.align", "t.align", "-o", "d.tsv"],
    ["corpus", "art", "-o", "d.tsv"],
    ["model", "train", "c.tsv", "-o", "d.tsv"],
    ["clean", "c.tsv", "-o", "d.tsv"],
    ["clean", "c.tsv", "-o", "o.jsonl", "--rejects", "d.tsv"],
    ["docs", "art", "a.ru", "-o", "d.tsv"],
    ["docs", "art", "a.ru", "-o", "o.tsv", "--unpaired", "d.tsv"],
])
def test_output_directory_is_one_line(files: Path, args: list[str]) -> None:
    result = invoke(files, args)
    assert result.exit_code == 1, result.output
    assert result.stderr == "Error: d.tsv: is a directory\n"
    assert list((files / "d.tsv").iterdir()) == []


@pytest.mark.parametrize("args", [
    ["text", "a.en", "a.ru", "-o", "o.tsv", "--shards", "c.tsv"],
    ["corpus", "art", "-o", "o.tsv", "--shards", "c.tsv"],
    ["text", "a.en", "a.ru", "--shards", "c.tsv"],
])
def test_shards_that_are_a_file_is_one_line(files: Path, args: list[str]) -> None:
    result = invoke(files, args)
    assert result.exit_code == 1, result.output
    assert result.stderr == ("Error: c.tsv: not a directory (--shards names a directory of "
                             "shards)\n")
    assert (files / "c.tsv").read_text() == TSV and not (files / "o.tsv").exists()


def test_sentences_dir_output_that_is_a_file_is_one_line(files: Path) -> None:
    (files / "docs").mkdir()
    for name in ("a.en", "a.ru"):
        (files / "docs" / name).write_text((files / name).read_text())
    result = invoke(files, ["sentences", "docs", "-o", "c.tsv"])
    assert result.exit_code == 1, result.output
    assert result.stderr == ("Error: c.tsv: not a directory (with a directory of inputs, -o "
                             "names the directory of bead files)\n")
    assert (files / "c.tsv").read_text() == TSV


class FullDisk:
    """A file whose writes fail as on a full disk."""

    def __init__(self, fh) -> None:
        self.fh = fh

    def write(self, data) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name):
        return getattr(self.fh, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.fh.close()


@pytest.mark.parametrize("out", ["o.tsv", "o.jsonl", "o.tmx", "o.en"])
def test_full_disk_is_one_line(files: Path, monkeypatch: pytest.MonkeyPatch, out: str) -> None:
    import align.fileio

    real = os.fdopen
    monkeypatch.setattr(align.fileio.os, "fdopen", lambda *a, **k: FullDisk(real(*a, **k)))
    result = invoke(files, ["convert", "c.tsv", out])
    assert result.exit_code == 1, result.output
    # (a Moses corpus is two files, written together: either may be named)
    names = [out, "o.ru"] if out == "o.en" else [out]
    assert result.stderr in [f"Error: {n}: cannot write: no space left on device\n" for n in names]
    assert sorted(p.name for p in files.iterdir()) == [
        "a.en", "a.ru", "art", "c.tsv", "d.tsv", "g.align", "t.align"]


def test_no_permission_is_one_line(files: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import align.fileio

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(align.fileio.tempfile, "mkstemp", denied)  # root ignores chmod
    result = invoke(files, ["convert", "c.tsv", "o.jsonl"])
    assert result.exit_code == 1
    assert result.stderr == "Error: o.jsonl: cannot write: permission denied\n"


def align_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "align", *args]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("args", [
    ["convert", "c.tsv", "-", "--format", "jsonl"],   # a format writer on stdout
    ["segment", "a.ru"],                              # click.echo line by line
    ["eval", "g.align", "t.align"],                   # emit()
    ["parse", "art/x.txt"],
])
def test_full_disk_on_stdout_is_one_line(files: Path, args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        process = subprocess.run(align_cmd(*args), cwd=files, stdout=full,
                                 stderr=subprocess.PIPE, text=True, timeout=120)
    assert process.returncode == 1, process.stderr
    assert process.stderr == "Error: standard output: cannot write: no space left on device\n"


@pytest.mark.parametrize("args", [
    ["convert", "big.tsv", "-", "--format", "jsonl"],
    ["segment", "big.txt"],
])
def test_broken_pipe_is_one_line(files: Path, args: list[str]) -> None:
    (files / "big.tsv").write_text(TSV + "".join(f"line {n}.\tстрока {n}.\t\t\t\n"
                                                 for n in range(30000)), encoding="utf-8")
    (files / "big.txt").write_text("".join(f"Line {n}. " for n in range(30000)))
    process = subprocess.Popen(align_cmd(*args), cwd=files, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    process.stdout.close()  # the reader is gone before anything is written (`| head -0`)
    stderr = process.communicate(timeout=120)[1]
    assert process.returncode == 1, stderr
    assert stderr == "Error: standard output: cannot write: broken pipe\n"


def test_fifo_output_is_written_in_place(files: Path) -> None:
    # A FIFO (or /dev/null, /dev/stdout) is not replaced by a regular file.
    fifo = files / "out.jsonl"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        result = invoke(files, ["convert", "c.tsv", "out.jsonl"])
        data = os.read(reader, 1 << 16)
    finally:
        os.close(reader)
    assert result.exit_code == 0, result.output
    assert fifo.is_fifo() and b'"en": "The talks ended late."' in data
    assert temp_files(fifo) == []


# --- SIGTERM is Ctrl-C: temporary files removed; exit 143 (SIGINT: 130, not "Aborted!") ----

def blocked_run(files: Path, args: list[str], wait_for_temp: Path | None
                ) -> tuple[subprocess.Popen, int]:
    """Start ``align ARGS`` reading the FIFO ``files/in.en`` and wait until it is blocked
    reading it (and, with ``wait_for_temp``, has made its temporary output file); returns the
    process and the FIFO's write end, to close once the process has ended."""
    os.mkfifo(files / "in.en")
    process = subprocess.Popen(align_cmd(*args), cwd=files, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    writer = hold_fifo_open(files / "in.en", process, also=lambda: wait_for_temp is None
                            or bool(temp_files(wait_for_temp)))
    return process, writer


def signal_and_wait(process: subprocess.Popen, writer: int, sig: int) -> str:
    """Send ``sig``; the run's stderr once it has ended."""
    try:
        process.send_signal(sig)
        return process.communicate(timeout=READY_SECONDS)[1]
    finally:
        os.close(writer)


@pytest.mark.parametrize("sig,code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_signal_removes_temporary_files(files: Path, sig: int, code: int) -> None:
    out = files / "out.tsv"
    process, writer = blocked_run(files, ["text", "in.en", "a.ru", "-o", "out.tsv", "--jobs",
                                          "1"], out)
    stderr = signal_and_wait(process, writer, sig)
    assert process.returncode == code, stderr
    assert not out.exists() and temp_files(out) == []
    assert stderr.splitlines()[-1].startswith("Interrupted"), stderr
    assert "Aborted!" not in stderr and "Traceback" not in stderr


@pytest.mark.parametrize("sig,code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_signal_while_reading(files: Path, sig: int, code: int) -> None:
    # A command with nothing of its own to clean up: one line, the signal's exit code.
    process, writer = blocked_run(files, ["segment", "in.en"], None)
    stderr = signal_and_wait(process, writer, sig)
    assert process.returncode == code, stderr
    assert stderr == "Interrupted: nothing written (an existing output file is untouched)\n"


def test_stale_temporary_files_are_removed(files: Path) -> None:
    out = files / "o.jsonl"
    stale, fresh = files / ".o.jsonl.abcd1234.tmp", files / ".o.jsonl.efgh5678.tmp"
    other = files / ".x.jsonl.abcd1234.tmp"
    for path in (stale, fresh, other):
        path.write_text("half a file")
    old = time.time() - STALE_TEMP_SECONDS - 60
    for path in (stale, other):
        os.utime(path, (old, old))
    assert temp_files(out) == [stale, fresh]
    assert invoke(files, ["convert", "c.tsv", "o.jsonl"]).exit_code == 0
    assert not stale.exists()      # a killed run's debris: gone
    assert fresh.exists()          # perhaps a run still writing: left alone
    assert other.exists()          # another output's: not ours to judge
    assert '"en": "The talks ended late."' in out.read_text()


# --- the same message and exit code for a missing or directory input, every command --------

INPUTS = [
    ["parse", "{x}"],
    ["segment", "{x}"],
    ["sentences", "{x}", "a.ru"],
    ["sentences", "a.en", "{x}"],
    ["text", "{x}", "a.ru", "-o", "o.tsv"],
    ["text", "a.en", "{x}", "-o", "o.tsv"],
    ["score", "{x}", "-r", "a.ru"],
    ["score", "a.ru", "-r", "{x}"],
    ["score", "--qe", "{x}"],
    ["score", "--qe", "{x}", "a.ru"],
    ["convert", "{x}", "o.jsonl"],
    ["model", "train", "{x}", "-o", "m.model"],
    ["model", "train", "c.tsv", "--extra-pairs", "{x}", "-o", "m.model"],
    ["clean", "{x}", "-o", "o.tsv"],
    ["review", "{x}", "-o", "r.html"],
    ["review", "g.align", "--en", "{x}", "--ru", "a.ru", "-o", "r.html"],
    ["review", "g.align", "--en", "a.en", "--ru", "{x}", "-o", "r.html"],
    ["review", "--apply", "{x}", "c.tsv", "-o", "o.tsv"],
]
TAKE_DIRECTORIES = [
    ["corpus", "{x}", "-o", "o.tsv"],
    ["eval", "{x}", "t.align"],
    ["eval", "g.align", "{x}"],
    ["docs", "{x}", "a.ru"],
    ["corpus", "--en", "{x}", "--ru", "art", "-o", "o.tsv"],
    ["corpus", "--en", "art", "--ru", "{x}", "-o", "o.tsv"],
]


@pytest.mark.parametrize("args,name,message", [
    *[(args, "d.tsv", "is a directory") for args in INPUTS],
    *[(args, "nope.tsv", "no such file or directory") for args in INPUTS + TAKE_DIRECTORIES]])
def test_bad_input_paths_are_one_line(files: Path, args: list[str], name: str,
                                      message: str) -> None:
    result = invoke(files, [a.format(x=name) for a in args])
    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if not line.startswith("Warning:")]
    assert errors == [f"Error: {name}: {message}"], result.stderr


@pytest.mark.parametrize("args", [
    ["docs", "-", "art"],
    ["docs", "-"],
    ["corpus", "--en", "-", "--ru", "art", "-o", "o.tsv"],
])
def test_documents_to_pair_are_not_read_from_stdin(files: Path, args: list[str]) -> None:
    result = invoke(files, args, input=EN)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == ("Error: documents are read from files or "
                                              "directories, not standard input ('-')")


@pytest.mark.parametrize("args", [
    ["text", "a.en", "a.ru", "-o", "o.tsv", "--model", "d.tsv"],
    ["sentences", "a.en", "a.ru", "--model", "d.tsv"],
    ["corpus", "art", "-o", "o.tsv", "--model", "d.tsv"],
    ["docs", "art", "a.ru", "--model", "d.tsv"],
    ["score", "--qe", "c.tsv", "--model", "d.tsv"],
    ["clean", "c.tsv", "-o", "o.tsv", "--min-score", "0.5", "--model", "d.tsv"],
])
def test_model_directory_is_one_line(files: Path, args: list[str]) -> None:
    # (a missing model file is the model loader's "no such model file", tested with it)
    result = invoke(files, args)
    assert result.exit_code == 1, result.output
    assert result.stderr == "Error: d.tsv: is a directory\n"
    assert not (files / "o.tsv").exists()


def test_merge_needs_a_directory(files: Path) -> None:
    result = invoke(files, ["merge", "nope", "-o", "o.tsv"])
    assert result.exit_code == 1 and result.stderr == "Error: nope: no such file or directory\n"
    result = invoke(files, ["merge", "c.tsv", "-o", "o.tsv"])
    assert result.exit_code == 1 and result.stderr.startswith("Error: c.tsv: not a directory")


def test_sigterm_stops_worker_processes_too(files: Path) -> None:
    # --jobs 2: the client handles SIGTERM (workers restore the default), keeps the shards
    # it has, says how to resume, and leaves no worker behind.
    for n in range(4):
        (files / "art" / f"{n}.txt").write_text(ARTICLE, encoding="utf-8")
    os.mkfifo(files / "zz.txt")  # reading it blocks: the run is still going
    process = subprocess.Popen(align_cmd("corpus", "art", "zz.txt", "-o", "c.tmx", "--resume",
                                         "--jobs", "2"), cwd=files, stderr=subprocess.PIPE,
                               text=True)
    writer = hold_fifo_open(files / "zz.txt", process, also=lambda: bool(
        list((files / "c.tmx.shards").glob("shard-*"))))
    children = subprocess.run(["ps", "-o", "pid=", "--ppid", str(process.pid)],
                              capture_output=True, text=True).stdout.split()
    assert children, "no worker processes"
    stderr = signal_and_wait(process, writer, signal.SIGTERM)
    assert process.returncode == 143, stderr
    assert stderr.splitlines()[-1].startswith("Interrupted after "), stderr
    assert not (files / "c.tmx").exists() and temp_files(files / "c.tmx") == []
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline and alive(children):
        time.sleep(0.1)
    assert alive(children) == []


def alive(pids: list[str]) -> list[str]:
    """The processes of ``pids`` still running (not zombies)."""
    out = []
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        if "zombie" not in status.lower():
            out.append(pid)
    return out
