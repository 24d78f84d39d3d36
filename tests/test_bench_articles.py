"""The article benchmark's generated files parse exactly (needs ../shared; skipped without it)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))

from make_articles import DOCS, generate  # noqa: E402
from articles import evaluate  # noqa: E402

pytestmark = pytest.mark.skipif(not DOCS.exists(), reason=f"shared documents absent: {DOCS}")


def test_generated_articles_pair_exactly(tmp_path: Path) -> None:
    manifest = generate(tmp_path, limit=300, seed=7)
    stats = evaluate(tmp_path, repeat=1)
    assert stats["files"] == len(manifest)
    assert stats["exact"] == stats["with_pair"] > 200
    assert stats["spurious"] == 0
    assert stats["bad_reported"] == stats["bad"] == 3
    assert stats["encoding_right"] == stats["files"] - stats["bad"]
    assert stats["crashes"] == 0
