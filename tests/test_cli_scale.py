"""--jobs, --dask, --resume, progress and summaries of the corpus commands, end to end."""
from __future__ import annotations

import json
import os
import re
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from align.cli import main
from blocked import READY_SECONDS, hold_fifo_open

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


def test_text_several_pairs_jobs_2_is_byte_identical(sentence_dir: Path, tmp_path: Path) -> None:
    files = []
    for n in range(4):
        for side in ("en", "ru"):
            lines = (sentence_dir / f"d{n}.{side}").read_text().splitlines()
            (tmp_path / f"t{n}.{side}").write_text(" ".join(lines) + "\n")
            files.append(str(tmp_path / f"t{n}.{side}"))
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"j{jobs}.jsonl"
        result = run("text", *files, "-o", str(out), "--jobs", jobs)
        assert result.exit_code == 0, result.output
        assert result.stderr.strip() == ("4 text pairs, 48 English and 48 Russian sentences, "
                                         "48 links, 48 pairs written")
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    docs = [line.split('"doc": "')[1].split('"')[0] for line in outputs[0].decode().splitlines()]
    assert docs == sorted(docs) and set(docs) == {f"t{n}.en" for n in range(4)}
    result = run("text", *files[:2], files[2], str(tmp_path / "missing.ru"), "-o",
                 str(tmp_path / "x.tsv"), "--jobs", "2")
    assert result.exit_code == 1
    assert f"Warning: {tmp_path / 'missing.ru'}: no such file" in result.stderr
    assert result.stderr.strip().endswith(", 1 skipped")


def test_qe_jobs_2_is_byte_identical(articles: Path, tmp_path: Path) -> None:
    rows = ["en\tru"] + [f"{EN[n % 4].format(n=n)}\t{RU[(n + n // 4) % 4].format(n=n)}"
                         for n in range(1200)]
    corpus = tmp_path / "in.tsv"
    corpus.write_text("\n".join(rows) + "\n", encoding="utf-8")
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"q{jobs}.tsv"
        result = run("score", "--qe", str(corpus), "-o", str(out), "--jobs", jobs)
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] and len(outputs[0].splitlines()) == 1201


# --- shards and --resume ---------------------------------------------------------------------

def shard_run(articles: Path, shards: Path, *extra: str):
    return run("corpus", str(articles), "--shards", str(shards), "--jobs", "2", *extra)


def test_shards_merge_to_the_same_corpus(articles: Path, serial_corpus: bytes,
                                         tmp_path: Path) -> None:
    shards = tmp_path / "shards"
    result = shard_run(articles, shards)
    assert result.exit_code == 1  # the bad file, reported and counted
    assert "40 articles, shards in" in result.stderr and "1 skipped" in result.stderr
    names = sorted(p.name for p in shards.iterdir())
    assert names[0] == "manifest.jsonl" and names[1] == "shard-000000.jsonl"
    result = run("merge", str(shards), "-o", str(tmp_path / "m.tmx"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "m.tmx").read_bytes() == serial_corpus
    # Without --resume, a directory holding an earlier run is refused, not overwritten.
    again = shard_run(articles, shards)
    assert again.exit_code == 1 and "add --resume" in again.stderr


def test_resume_after_kill_between_and_inside_shards(articles: Path, serial_corpus: bytes,
                                                     tmp_path: Path) -> None:
    shards = tmp_path / "shards"
    shard_run(articles, shards)
    manifest = shards / "manifest.jsonl"
    lines = manifest.read_bytes().splitlines(keepends=True)
    tasks = len(lines) - 1
    assert tasks >= 8
    # Killed between shards: the last three finished shards never made it into the manifest
    # (one of them never even written), and the last manifest line was cut short ...
    kept = lines[: tasks - 2]
    (shards / "shard-000005.jsonl").unlink()
    # ... and inside one: shard 2 is half written (its file no longer matches its record),
    # and a temporary file of the shard being written when it died is left over.
    (shards / "shard-000002.jsonl").write_bytes(b'{"translation": {"en": "cut')
    (shards / ".shard-000006.jsonl.x1y2.tmp").write_bytes(b"partial")
    manifest.write_bytes(b"".join(kept) + lines[tasks - 2][:20])
    before = {p.name: p.stat().st_mtime_ns for p in shards.glob("shard-*.jsonl")}
    out = tmp_path / "c.tmx"
    result = shard_run(articles, shards, "--resume", "-o", str(out))
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[-1] == "40 articles, 159 pairs, 1 skipped"
    assert out.read_bytes() == serial_corpus
    redone = {p.name for p in shards.glob("shard-*.jsonl")
              if p.stat().st_mtime_ns != before.get(p.name)}
    dropped = [json.loads(line)["task"] for line in lines[tasks - 2:]]  # in finishing order
    expected = {f"shard-{n:06d}.jsonl" for n in [2, 5, *dropped]}
    assert redone == expected
    # Only the missing work was done again: a second --resume does nothing at all.
    final = manifest.read_bytes()
    assert shard_run(articles, shards, "--resume", "-o", str(out)).exit_code == 1
    assert manifest.read_bytes() == final and out.read_bytes() == serial_corpus


def test_resume_without_shards_dir_uses_out_shards(articles: Path, serial_corpus: bytes,
                                                   tmp_path: Path) -> None:
    out = tmp_path / "c.tmx"
    result = run("corpus", str(articles), "-o", str(out), "--resume", "--jobs", "2")
    assert result.exit_code == 1
    assert out.read_bytes() == serial_corpus
    assert not (tmp_path / "c.tmx.shards").exists()  # removed once the corpus is written


def test_resume_refuses_a_different_run(articles: Path, tmp_path: Path) -> None:
    shards = tmp_path / "shards"
    shard_run(articles, shards)
    result = shard_run(articles, shards, "--resume", "--show-unaligned")
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"Error: {shards}: holds shards of a different run (other "
                                     "inputs or options); remove it or choose another directory")


def test_sentences_dir_resume(sentence_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("sentences", str(sentence_dir), "-o", str(out), "--resume").exit_code == 0
    full = {p.name: p.read_bytes() for p in out.glob("*.align")}
    (out / "d4.align").unlink()
    (out / "d1.align").write_bytes(b"[0]:[0]:0.5\n")  # cut short by a kill
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("*.align")}
    result = run("sentences", str(sentence_dir), "-o", str(out), "--resume", "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert {p.name: p.read_bytes() for p in out.glob("*.align")} == full
    changed = {p.name for p in out.glob("*.align") if p.stat().st_mtime_ns != stamps.get(p.name)}
    assert changed == {"d1.align", "d4.align"}


# --- Ctrl-C and bad addresses ------------------------------------------------------------

@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_exits_130_without_partial_output(articles: Path, tmp_path: Path,
                                                 jobs: str) -> None:
    import signal

    fifo = tmp_path / "zz_blocked.txt"
    os.mkfifo(fifo)  # reading it blocks: the run is still going when Ctrl-C comes
    out = tmp_path / "c.tmx"
    process = subprocess.Popen(
        [sys.executable, "-m", "align", "corpus", str(articles), str(fifo), "-o", str(out),
         "--resume", "--jobs", jobs], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    # Ctrl-C once the run is blocked reading the FIFO and has finished shards to keep.
    writer = hold_fifo_open(fifo, process, also=lambda: bool(
        list((tmp_path / "c.tmx.shards").glob("shard-*"))))
    try:
        process.send_signal(signal.SIGINT)
        stderr = process.communicate(timeout=READY_SECONDS)[1]
    finally:
        os.close(writer)
    assert process.returncode == 130, stderr
    assert not out.exists() and not list(tmp_path.glob(".c.tmx*"))
    assert stderr.splitlines()[-1].startswith("Interrupted after ")
    assert stderr.splitlines()[-1].endswith(f"are kept in {out}.shards: run the same command "
                                            "with --resume to continue")
    assert "Traceback" not in stderr


def test_jobs_and_dask_together_is_a_usage_error(articles: Path, tmp_path: Path) -> None:
    result = run("corpus", str(articles), "-o", str(tmp_path / "c.tsv"), "--jobs", "2",
                 "--dask", "tcp://127.0.0.1:1")
    assert result.exit_code == 2 and "cannot be combined" in result.output


# --- a real Dask cluster ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed", reason="the 'dask' extra is not installed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  memory_limit="1GiB", dashboard_address=None) as local:
        yield local.scheduler_address


def test_dask_corpus_is_byte_identical(cluster: str, articles: Path, serial_corpus: bytes,
                                       tmp_path: Path) -> None:
    out = tmp_path / "c.tmx"
    result = run("corpus", str(articles), "-o", str(out), "--dask", cluster)
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[-1] == "40 articles, 159 pairs, 1 skipped"
    assert out.read_bytes() == serial_corpus


def test_dask_workers_write_shards(cluster: str, articles: Path, serial_corpus: bytes,
                                   tmp_path: Path) -> None:
    shards = tmp_path / "shards"
    result = run("corpus", str(articles), "--shards", str(shards), "--dask", cluster)
    assert result.exit_code == 1, result.output
    assert run("merge", str(shards), "-o", str(tmp_path / "m.tmx")).exit_code == 0
    assert (tmp_path / "m.tmx").read_bytes() == serial_corpus


def test_dask_sentences_dir(cluster: str, sentence_dir: Path, tmp_path: Path) -> None:
    outputs = []
    for args in (["--jobs", "1"], ["--dask", cluster]):
        out = tmp_path / args[0]
        assert run("sentences", str(sentence_dir), "-o", str(out), *args).exit_code == 0
        outputs.append({p.name: p.read_bytes() for p in out.iterdir()})
    assert outputs[0] == outputs[1]


def test_unreachable_scheduler_is_one_line(articles: Path, tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="the 'dask' extra is not installed")
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        result = run("corpus", str(articles), "-o", str(tmp_path / "c.tsv"),
                     "--dask", "tcp://127.0.0.1:9")
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("Error: cannot reach the Dask scheduler at tcp://127.0.0.1:9")
    assert not (tmp_path / "c.tsv").exists()


def test_dask_workers_reuse_freed_memory(cluster: str, sentence_dir: Path, tmp_path: Path) -> None:
    """Dask starts workers with MALLOC_TRIM_THRESHOLD_ set, which makes every array over 128 KiB
    a fresh mmap that faults its pages in again; the worker plugin undoes that (align.dask_plugin)."""
    import distributed

    assert run("sentences", str(sentence_dir), "-o", str(tmp_path / "o"),
               "--dask", cluster).exit_code == 0

    def faults_for_reallocations() -> tuple[bool, int]:
        import resource

        import numpy as np

        np.ones(1 << 20).sum()  # 8 MB: the first allocation may fault in
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        for _ in range(20):
            np.ones(1 << 20).sum()
        return ("MALLOC_TRIM_THRESHOLD_" in os.environ,
                resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)

    with distributed.Client(cluster) as client:
        results = list(client.run(faults_for_reallocations).values())
    if not any(trim for trim, _ in results):
        pytest.skip("this Dask version does not set MALLOC_TRIM_THRESHOLD_ for its workers")
    # Unfixed, each of the 20 arrays faults in its 2,048 pages again: about 41,000 faults.
    assert all(faults < 4_000 for _, faults in results), results
