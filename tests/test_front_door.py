"""What a new user meets first: the README's commands, options and snippets are true, and the
first command leaves a clean checkout clean."""
from __future__ import annotations

import os
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
