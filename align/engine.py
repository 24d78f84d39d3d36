"""Map a pure stage function over many items: serially, on a process pool, or on Dask.

A stage function is a module-level ``func(context, item) -> result``: ``context`` is what a
worker loads once (the model, say), described by a picklable :class:`Setup`, and loaded once
per worker process (a pool initializer, a Dask ``WorkerPlugin``, or on first use). Items are
grouped into tasks of ``task_size`` items; results come back in input order whatever the order
in which tasks finish, so the output is the same for any backend and any number of workers.

A worker process that dies takes its tasks with it: the pool backend starts a new pool and
runs them again (Dask's scheduler does the same by itself), so nothing is lost or run twice
in the output. With a :class:`ShardStore`, each task's results are written by the worker as a
numbered shard file, atomically, and the client records finished shards in an append-only
manifest, so that an interrupted run can be resumed with only the missing tasks.

Nothing here prints: progress is a callback, problems are exceptions (``EngineError``).
"""
from __future__ import annotations

import concurrent.futures
import hashlib
import json
import os
import signal
import threading
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from .errors import AlignError
from .fileio import file_sha256

#: How many times a task is run again after the worker running it died.
MAX_RETRIES = 3


class EngineError(AlignError):
    """The engine cannot go on: a scheduler out of reach, a task that kills every worker,
    a shard directory from another run."""


@dataclass(frozen=True)
class Setup:
    """What a worker loads once: ``func(*args)``; picklable, so it travels to workers."""

    func: Callable[..., Any]
    args: tuple[Any, ...] = ()

    @property
    def key(self) -> str:
        text = f"{self.func.__module__}.{self.func.__qualname__}{self.args!r}"
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


_CONTEXTS: dict[str, Any] = {}
_LOCK = threading.Lock()


def worker_context(setup: Setup | None) -> Any:
    """The loaded context of ``setup`` in this process, loading it on first use."""
    if setup is None:
        return None
    key = setup.key
    with _LOCK:
        if key not in _CONTEXTS:
            _CONTEXTS[key] = setup.func(*setup.args)
        return _CONTEXTS[key]


def _pool_init(setup: Setup | None) -> None:
    # Ctrl-C goes to the whole process group: the client handles it, workers just stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the client's handler is not for workers
    worker_context(setup)


def run_task(func: Callable[[Any, Any], Any], setup: Setup | None, items: Sequence[Any],
             shard: "Shard | None" = None) -> Any:
    """Run one task in a worker: ``func`` over ``items``; with ``shard``, write the results
    there and return the shard's record instead of the results."""
    context = worker_context(setup)
    results = [func(context, item) for item in items]
    if shard is None:
        return results
    return shard.write(results)


def run_batch(func: Callable[[Any, list[Any]], list[Any]], setup: Setup | None,
              items: Sequence[Any]) -> list[Any]:
    """Run one task of a batched stage: ``func(context, items)`` returns one result per item
    (a vectorized stage, such as scoring a batch of pairs at once)."""
    return list(func(worker_context(setup), list(items)))


# --- shards and the manifest ----------------------------------------------------------------

@dataclass(frozen=True)
class Shard:
    """One task's output file; ``writer(results, path) -> summary`` writes it atomically."""

    path: str
    number: int
    writer: Callable[[list[Any], str], Any]

    def write(self, results: list[Any]) -> dict[str, Any]:
        summary = self.writer(results, self.path)
        return {"task": self.number, "file": os.path.basename(self.path),
                "sha256": file_sha256(self.path), "summary": summary}


MANIFEST = "manifest.jsonl"


class ShardStore:
    """A directory of numbered shard files and ``manifest.jsonl``, the record of what is done.

    The manifest's first line describes the run (a fingerprint of its inputs and options, the
    number of tasks, and ``meta`` the caller needs to join the shards); every later line is one
    finished shard, appended after the shard file was renamed into place. A shard counts as
    done only if its line is complete and the file's SHA-256 matches, so a half-written shard
    (or a line cut short by a kill) is simply done again.
    """

    def __init__(self, directory: str | os.PathLike[str], *, suffix: str = ".jsonl") -> None:
        self.dir = Path(directory)
        self.suffix = suffix
        self.header: dict[str, Any] = {}
        self.done: dict[int, dict[str, Any]] = {}

    @property
    def manifest(self) -> Path:
        return self.dir / MANIFEST

    def shard_path(self, number: int) -> str:
        return str(self.dir / f"shard-{number:06d}{self.suffix}")

    def exists(self) -> bool:
        return self.manifest.is_file()

    def read(self) -> None:
        """Load the header and the finished shards whose files are intact."""
        if not self.exists():
            raise EngineError("no manifest.jsonl: not a shard directory", str(self.dir))
        lines = self.manifest.read_bytes().split(b"\n")
        try:
            self.header = json.loads(lines[0])
        except ValueError:
            raise EngineError("manifest.jsonl: unreadable first line", str(self.dir)) from None
        self.done = {}
        for raw in lines[1:]:
            try:
                record = json.loads(raw)
            except ValueError:
                continue  # the last line, cut short by a kill
            path = self.dir / record["file"]
            if path.is_file() and file_sha256(path) == record["sha256"]:
                self.done[int(record["task"])] = record

    def start(self, fingerprint: str, tasks: int, meta: dict[str, Any], *,
              resume: bool) -> None:
        """Begin (or with ``resume``, continue) the run described by ``fingerprint``."""
        if self.exists():
            if not resume:
                raise EngineError("holds shards of an earlier run: add --resume to continue "
                                  "it, or remove the directory", str(self.dir))
            self.read()
            with open(self.manifest, "rb+") as fh:
                fh.seek(0, os.SEEK_END)
                if fh.tell():
                    fh.seek(-1, os.SEEK_END)
                    if fh.read(1) != b"\n":  # a line cut short: end it before appending
                        fh.write(b"\n")
            if self.header.get("fingerprint") != fingerprint:
                raise EngineError("holds shards of a different run (other inputs or options); "
                                  "remove it or choose another directory", str(self.dir))
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        self.header = {"fingerprint": fingerprint, "tasks": tasks, "meta": meta}
        from .fileio import atomic_output

        with atomic_output(self.manifest) as out:
            out.write(json.dumps(self.header, ensure_ascii=False).encode("utf-8") + b"\n")
        self.done = {}

    def record(self, entry: dict[str, Any]) -> None:
        """Append a finished shard to the manifest (after its file is in place)."""
        with open(self.manifest, "ab") as out:
            out.write(json.dumps(entry, ensure_ascii=False).encode("utf-8") + b"\n")
            out.flush()
            os.fsync(out.fileno())
        self.done[int(entry["task"])] = entry

    def complete(self) -> bool:
        return len(self.done) == int(self.header.get("tasks", -1))

    def files(self) -> list[str]:
        """The shard files in task order (every task must be done)."""
        tasks = int(self.header["tasks"])
        missing = [n for n in range(tasks) if n not in self.done]
        if missing:
            raise EngineError(f"{len(missing)} of {tasks} shards missing (first: task "
                              f"{missing[0]}): finish the run with --resume", str(self.dir))
        return [str(self.dir / self.done[n]["file"]) for n in range(tasks)]


def fingerprint(*parts: Any) -> str:
    """A digest of what determines a run's output (inputs, their sizes and times, options)."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


# --- backends -----------------------------------------------------------------------------

@dataclass
class Serial:
    """In this process, one task after another (``--jobs 1``)."""

    workers: int = 1

    def imap(self, fn: Callable[..., Any], tasks: Iterable[tuple[int, tuple[Any, ...]]],
             setup: Setup | None) -> Iterator[tuple[int, Any]]:
        for number, args in tasks:
            yield number, fn(*args)

    def close(self) -> None:
        pass


def _submit_loop(submit: Callable[[tuple[Any, ...]], Any], wait_any: Callable[[set], set],
                 tasks: Iterable[tuple[int, tuple[Any, ...]]], window: int,
                 lost: Callable[[BaseException], bool], restart: Callable[[], None]
                 ) -> Iterator[tuple[int, Any]]:
    """Keep ``window`` tasks in flight, yield ``(number, result)`` as they finish; tasks whose
    worker died (``lost(exc)``) are run again after ``restart()``, at most MAX_RETRIES times."""
    source = iter(tasks)
    retry: deque[tuple[int, tuple[Any, ...]]] = deque()
    attempts: dict[int, int] = {}
    pending: dict[Any, tuple[int, tuple[Any, ...]]] = {}
    exhausted = False
    while True:
        while len(pending) < window:
            if retry:
                task = retry.popleft()
            elif not exhausted:
                task = next(source, None)
                if task is None:
                    exhausted = True
                    continue
            else:
                break
            pending[submit(task[1])] = task
        if not pending:
            return
        died = False
        for future in wait_any(set(pending)):
            task = pending.pop(future)
            try:
                result = future.result()
            except BaseException as exc:
                if not lost(exc):
                    raise
                died = True
                attempts[task[0]] = attempts.get(task[0], 0) + 1
                if attempts[task[0]] > MAX_RETRIES:
                    raise EngineError(f"a worker died {MAX_RETRIES + 1} times running task "
                                      f"{task[0]}; giving up") from None
                retry.append(task)
                continue
            yield task[0], result
        if died:
            # A broken pool fails every task it holds: run them all again on a new one.
            retry.extend(sorted(pending.values(), key=lambda t: t[0]))
            pending.clear()
            restart()


class Pool:
    """A local process pool (``--jobs N``); the context is loaded by the pool initializer."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None

    def _start(self, setup: Setup | None) -> None:
        self._pool = concurrent.futures.ProcessPoolExecutor(
            self.workers, initializer=_pool_init, initargs=(setup,))

    def imap(self, fn: Callable[..., Any], tasks: Iterable[tuple[int, tuple[Any, ...]]],
             setup: Setup | None) -> Iterator[tuple[int, Any]]:
        from concurrent.futures.process import BrokenProcessPool

        # Loaded here first: a bad model file is one clear error, not a pool whose workers
        # die in their initializer; forked workers then inherit it already loaded.
        worker_context(setup)
        self._start(setup)

        def restart() -> None:
            self.close()
            self._start(setup)

        def wait_any(futures: set) -> set:
            return concurrent.futures.wait(
                futures, return_when=concurrent.futures.FIRST_COMPLETED).done

        return _submit_loop(lambda args: self._pool.submit(fn, *args), wait_any, tasks,
                            self.workers * 3, lambda e: isinstance(e, BrokenProcessPool),
                            restart)

    def close(self) -> None:
        """Stop the workers now (an interrupted run must not wait for their tasks)."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        processes = list(getattr(pool, "_processes", {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(5)


class Dask:
    """An existing ``dask.distributed`` cluster at ``address`` (``--dask tcp://host:8786``)."""

    def __init__(self, address: str) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise EngineError("--dask needs the 'dask' extra: pip install 'align[dask]'") \
                from None
        import logging

        # A scheduler out of reach is one line from us, not distributed's log lines.
        logging.getLogger("distributed").setLevel(logging.CRITICAL)
        try:
            # The connect timeout is dask's (distributed.comm.timeouts.connect, 30 s default).
            self.client = Client(address)
        except Exception as exc:  # OSError, TimeoutError, ValueError for a bad address
            raise EngineError(f"cannot reach the Dask scheduler at {address}: "
                              f"{type(exc).__name__}: {exc}".rstrip(": ")) from None
        self.workers = max(1, sum(self.client.nthreads().values()))

    def imap(self, fn: Callable[..., Any], tasks: Iterable[tuple[int, tuple[Any, ...]]],
             setup: Setup | None) -> Iterator[tuple[int, Any]]:
        from distributed import wait

        from distributed import KilledWorker

        if setup is not None:
            from .dask_plugin import LoadOnce

            plugin = LoadOnce(setup, worker_context)
            register = getattr(self.client, "register_plugin", None)
            if register is not None:
                register(plugin, name=plugin.name)
            else:  # distributed < 2023.9
                self.client.register_worker_plugin(plugin, name=plugin.name)

        def wait_any(futures: set) -> set:
            return set(wait(list(futures), return_when="FIRST_COMPLETED").done)

        # Dask reruns the tasks of a worker that died by itself; KilledWorker means it gave up.
        try:
            yield from _submit_loop(lambda args: self.client.submit(fn, *args, pure=False),
                                    wait_any, tasks, self.workers * 3, lambda e: False,
                                    lambda: None)
        except KilledWorker as exc:
            raise EngineError(f"Dask gave up on a task that killed its workers: {exc}") \
                from None

    def close(self) -> None:
        self.client.close()


def backend(jobs: int | None = None, dask: str | None = None) -> Serial | Pool | Dask:
    """The backend for ``--jobs``/``--dask``: Dask at an address, else a pool of ``jobs``
    processes (default: every core this process may use), serial for one."""
    if dask:
        return Dask(dask)
    jobs = jobs or default_jobs()
    return Serial() if jobs <= 1 else Pool(jobs)


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def task_size(items: int, limit: int) -> int:
    """Items per task: ``limit`` for large inputs, smaller so that a small input still makes
    about 16 tasks. Depends on the input size only, never on the number of workers, so that
    shards and results are the same on any cluster."""
    return max(1, min(limit, -(-items // 16)))


@dataclass
class Run:
    """One mapping of ``func`` over ``items`` (``map`` yields per-item results in order)."""

    func: Callable[[Any, Any], Any]
    setup: Setup | None = None
    engine: Serial | Pool | Dask = field(default_factory=Serial)
    size: int = 1
    progress: Callable[[int], None] | None = None
    #: ``func(context, items) -> results`` takes a whole task's items at once.
    batched: bool = False

    def tasks(self, items: Iterable[Any]) -> Iterator[list[Any]]:
        chunk: list[Any] = []
        for item in items:
            chunk.append(item)
            if len(chunk) == self.size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def map(self, items: Iterable[Any]) -> Iterator[Any]:
        """Every item's result, in the order of ``items``."""
        numbered = ((n, (self.func, self.setup, chunk))
                    for n, chunk in enumerate(self.tasks(items)))
        ready: dict[int, list[Any]] = {}
        following = 0
        runner = run_batch if self.batched else run_task
        try:
            for number, results in self.engine.imap(runner, numbered, self.setup):
                if self.progress:
                    self.progress(len(results))
                ready[number] = results
                while following in ready:
                    yield from ready.pop(following)
                    following += 1
        finally:
            self.engine.close()

    def shards(self, items: Sequence[Any], store: ShardStore,
               writer: Callable[[list[Any], str], Any]) -> Iterator[dict[str, Any]]:
        """Run the tasks not yet done in ``store``; the workers write each task's shard, and
        each shard's record is added to the manifest and yielded as it finishes."""
        chunks = list(self.tasks(items))
        todo = ((n, (self.func, self.setup, chunk, Shard(store.shard_path(n), n, writer)))
                for n, chunk in enumerate(chunks) if n not in store.done)
        try:
            for number, record in self.engine.imap(run_task, todo, self.setup):
                store.record(record)
                if self.progress:
                    self.progress(len(chunks[number]))
                yield record
        finally:
            self.engine.close()
