"""The engine: ordered results on every backend, a dead worker's task run again, shards."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from align.engine import (
    EngineError, Pool, Run, Serial, Setup, ShardStore, fingerprint, task_size, worker_context,
)

LOADS: list[int] = []


def load_offset(offset: int) -> dict[str, int]:
    LOADS.append(os.getpid())
    return {"offset": offset, "pid": os.getpid()}


def add(context: dict[str, int], item: int) -> tuple[int, int]:
    # Later items finish first: the results must still come back in input order.
    time.sleep(0.002 * (20 - item % 20))
    return item + context["offset"], context["pid"]


def die_once(marker: str, item: int) -> int:
    if item == 7 and not os.path.exists(marker):
        Path(marker).write_text("died")
        os._exit(3)  # the worker process dies mid-task
    return item * 2


def load_marker(path: str) -> str:
    return path


def write_numbers(results: list[int], path: str) -> list[int]:
    from align.fileio import atomic_output

    with atomic_output(path) as out:
        out.write("".join(f"{r}\n" for r in results).encode())
    return results


@pytest.mark.parametrize("engine", [Serial(), Pool(2)], ids=["serial", "pool"])
def test_results_in_input_order(engine) -> None:
    done: list[int] = []
    run = Run(add, Setup(load_offset, (100,)), engine, 3, done.append)
    results = list(run.map(range(40)))
    assert [r[0] for r in results] == [i + 100 for i in range(40)]
    assert sum(done) == 40
    if isinstance(engine, Pool):
        # Loaded once per worker process, by the initializer: at most two processes ran tasks.
        assert len({r[1] for r in results}) <= 2


def test_context_loaded_once_per_process() -> None:
    LOADS.clear()
    setup = Setup(load_offset, (5,))
    assert worker_context(setup) is worker_context(setup)
    assert LOADS == [os.getpid()]


def test_dead_worker_is_retried(tmp_path: Path) -> None:
    marker = str(tmp_path / "marker")
    run = Run(die_once, Setup(load_marker, (marker,)), Pool(2), 2)
    assert list(run.map(range(20))) == [i * 2 for i in range(20)]
    assert Path(marker).exists()  # it did die once


def always_die(context: None, item: int) -> int:
    os._exit(3)


def test_task_that_always_kills_its_worker_gives_up() -> None:
    with pytest.raises(EngineError, match="died"):
        list(Run(always_die, None, Pool(2), 1).map(range(2)))


def test_task_size_depends_on_input_only() -> None:
    assert [task_size(n, 32) for n in (1, 10, 100, 2000, 10**7)] == [1, 1, 7, 32, 32]


def test_shard_store_counts_only_whole_shards(tmp_path: Path) -> None:
    store = ShardStore(tmp_path / "s")
    store.start(fingerprint("x"), 4, {"k": 1}, resume=False)
    run = Run(lambda_free_double, None, Serial(), 3)
    records = list(run.shards(list(range(10)), store, write_numbers))
    assert [r["task"] for r in records] == [0, 1, 2, 3]
    # A shard cut short after its line was written, and a manifest line cut short by a kill.
    Path(store.shard_path(1)).write_text("0\n")
    with open(store.manifest, "ab") as out:
        out.write(b'{"task": 3, "fi')
    again = ShardStore(tmp_path / "s")
    again.start(fingerprint("x"), 4, {}, resume=True)
    assert sorted(again.done) == [0, 2, 3]
    assert [r["task"] for r in run.shards(list(range(10)), again, write_numbers)] == [1]
    assert [Path(f).read_text() for f in again.files()] == \
        ["0\n2\n4\n", "6\n8\n10\n", "12\n14\n16\n", "18\n"]
    third = ShardStore(tmp_path / "s")
    third.read()
    assert third.complete()
    with pytest.raises(EngineError, match="earlier run"):
        ShardStore(tmp_path / "s").start(fingerprint("x"), 4, {}, resume=False)
    with pytest.raises(EngineError, match="different run"):
        ShardStore(tmp_path / "s").start(fingerprint("y"), 4, {}, resume=True)


def lambda_free_double(context: None, item: int) -> int:
    return item * 2
