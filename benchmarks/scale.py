"""Scale: serial vs ``--jobs 2`` vs a Dask LocalCluster of 2 workers, in one run.

Two workloads, each run through the real command line in a fresh process per mode:

* ``corpus``: article files with bodies in both languages (``make_articles.py --bodies both``),
  ``align corpus DIR -o OUT.tmx``;
* ``sentences``: documents of one sentence a line, built by joining the dev benchmark's
  ``natural`` documents, ``align sentences DIR -o OUTDIR``.

For each mode it prints the wall time, the speed-up over serial, whether the output is byte for
byte the serial one, and the peak resident memory of each worker process (sampled every 50 ms
with psutil over the process tree). Then it measures the Dask scheduler's overhead per task
(a batch of empty tasks on the same cluster) and projects a 10-million-article ``align corpus``
run on N workers from the measured per-article cost and the corpus task size.

    python benchmarks/scale.py [--articles 2000] [--documents 20] [--sentences 5000]
                               [--workdir DIR] [--shared ../shared]

Needs the ``dask`` extra and ``../shared`` (the documents and the dev benchmark).
"""
from __future__ import annotations

import argparse
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from make_articles import generate  # noqa: E402

ALIGN = [sys.executable, "-m", "align"]


class PeakMemory:
    """Peak RSS of every process in the tree of ``roots`` (sampled), by pid."""

    def __init__(self, roots: list[int], interval: float = 0.05) -> None:
        import psutil

        self.psutil = psutil
        self.roots = [psutil.Process(pid) for pid in roots]
        self.interval = interval
        self.peak: dict[int, int] = {}
        self.names: dict[int, str] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            for root in self.roots:
                try:
                    procs = [root, *root.children(recursive=True)]
                except self.psutil.Error:
                    continue
                for proc in procs:
                    try:
                        rss = proc.memory_info().rss
                        self.names.setdefault(proc.pid, " ".join(proc.cmdline()[:4]))
                    except self.psutil.Error:
                        continue
                    self.peak[proc.pid] = max(self.peak.get(proc.pid, 0), rss)
            self._stop.wait(self.interval)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()


def run_mode(args: list[str], watch: list[int]) -> tuple[float, dict[int, int], str]:
    """Run ``align ARGS``; return wall seconds, peak RSS by pid (with ``watch`` trees) and
    the command's last stderr line."""
    start = time.perf_counter()
    process = subprocess.Popen(ALIGN + args, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    with PeakMemory([process.pid, *watch]) as memory:
        stderr = process.communicate()[1]
    seconds = time.perf_counter() - start
    if process.returncode not in (0, 1):
        raise SystemExit(f"align {' '.join(args)} failed:\n{stderr}")
    # Serial: the command's own process is the worker; otherwise its workers are.
    peaks = {pid: rss for pid, rss in memory.peak.items() if pid != process.pid or not watch
             and len(memory.peak) == 1}
    return seconds, peaks, stderr.strip().splitlines()[-1]


def make_documents(out: Path, bench: Path, documents: int, sentences: int) -> None:
    """``documents`` pairs NAME.en/NAME.ru of at least ``sentences`` lines each, made of whole
    natural documents of the dev benchmark one after another (each output starts at another
    one), so that every output is a real translation."""
    pairs = [(p.read_text(encoding="utf-8").splitlines(),
              p.with_suffix(".ru").read_text(encoding="utf-8").splitlines())
             for p in sorted(bench.glob("*/natural/*.en"))]
    if not pairs:
        raise SystemExit(f"no documents in {bench}/*/natural")
    out.mkdir(parents=True, exist_ok=True)
    for n in range(documents):
        en: list[str] = []
        ru: list[str] = []
        k = n * 17
        while len(en) < sentences:
            en.extend(pairs[k % len(pairs)][0])
            ru.extend(pairs[k % len(pairs)][1])
            k += 1
        (out / f"doc{n:02d}.en").write_text("\n".join(en) + "\n", encoding="utf-8")
        (out / f"doc{n:02d}.ru").write_text("\n".join(ru) + "\n", encoding="utf-8")


def output_bytes(path: Path) -> bytes:
    if path.is_dir():
        return b"".join(p.name.encode() + b"\0" + p.read_bytes()
                        for p in sorted(path.iterdir()))
    return path.read_bytes()


def worker_peaks(peaks: dict[int, int], names: int) -> str:
    """The ``names`` largest peaks (the workers; scheduler and nannies are smaller)."""
    top = sorted(peaks.values(), reverse=True)[:names]
    return ", ".join(f"{rss / 2**20:.0f}" for rss in top) or "-"


def scheduler_overhead(client: Any, tasks: int = 2000) -> float:
    """Seconds of scheduler time per task: ``tasks`` empty tasks through the cluster."""
    from distributed import wait

    start = time.perf_counter()
    futures = [client.submit(int, i, pure=False) for i in range(tasks)]
    wait(futures)
    del futures
    return (time.perf_counter() - start) / tasks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--documents", type=int, default=20)
    parser.add_argument("--sentences", type=int, default=5000)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where the inputs and outputs go (default: a temporary directory)")
    args = parser.parse_args()
    from distributed import Client, LocalCluster

    from align.cli.corpus import TASK_SIZE

    work = Path(args.workdir or tempfile.mkdtemp(prefix="align-scale-"))
    shutil.rmtree(work / "out", ignore_errors=True)
    articles, documents = work / "articles", work / "documents"
    if not articles.exists():
        generate(articles, args.shared / "data" / "docs", seed=12, bodies="both",
                 count=args.articles)
        (articles / "manifest.json").unlink()
    if not documents.exists():
        make_documents(documents, args.shared / "data" / "bench", args.documents,
                       args.sentences)
    print(f"machine: {platform.machine()}, {len(__import__('os').sched_getaffinity(0))} cores, "
          f"Python {platform.python_version()}; inputs in {work}")
    workloads = [
        ("corpus", f"{args.articles} articles (+3 bad files)",
         lambda out: ["corpus", str(articles), "-o", str(out / "corpus.tmx"), "-q"],
         "corpus.tmx"),
        ("sentences", f"{args.documents} documents x {args.sentences} sentences",
         lambda out: ["sentences", str(documents), "-o", str(out / "beads"), "-q"], "beads"),
    ]
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           memory_limit="4GiB", dashboard_address=None)
    client = Client(cluster)
    cluster_pids = _cluster_pids(client)
    results: dict[tuple[str, str], Any] = {}
    try:
        for name, label, command, produced in workloads:
            dask = ["--dask", cluster.scheduler_address]
            # Dask runs twice: the first run on the cluster registers the worker plugin, whose
            # workers then load the model (a fixed cost of a cluster's first job); the second
            # finds it loaded, as every later job on a long-lived cluster does.
            for mode, extra, watch in (("serial", ["--jobs", "1"], []),
                                       ("--jobs 2", ["--jobs", "2"], []),
                                       ("dask 2 workers, first", dask, cluster_pids),
                                       ("dask 2 workers", dask, cluster_pids)):
                out = work / "out" / name / mode.replace(" ", "_")
                out.mkdir(parents=True)
                seconds, peaks, summary = run_mode(command(out) + extra, watch)
                results[name, mode] = (seconds, peaks, output_bytes(out / produced), summary)
            base = results[name, "serial"]
            print(f"\n{name}: {label}; {base[3]}")
            print("| mode | seconds | speed-up | same bytes as serial | peak MB per worker |")
            print("|---|---:|---:|---|---|")
            for mode in ("serial", "--jobs 2", "dask 2 workers, first", "dask 2 workers"):
                seconds, peaks, data, _ = results[name, mode]
                workers = 1 if mode == "serial" else 2
                same = "yes" if data == base[2] else "NO"
                print(f"| {mode} | {seconds:.1f} | {base[0] / seconds:.2f}x | {same} | "
                      f"{worker_peaks(peaks, workers)} |")
            jobs, warm = results[name, "--jobs 2"][0], results[name, "dask 2 workers"][0]
            first = results[name, "dask 2 workers, first"][0]
            print(f"--jobs 2 vs serial: {base[0] / jobs:.2f}x (target >= 1.7x); dask vs --jobs 2: "
                  f"{(warm - jobs) / jobs:+.0%} (target within 15%; first run on the cluster "
                  f"{(first - jobs) / jobs:+.0%})")
        overhead = scheduler_overhead(client)
    finally:
        import logging

        logging.getLogger("distributed").setLevel(logging.CRITICAL)  # no shutdown chatter
        client.close()
        cluster.close()
    per_article = results["corpus", "serial"][0] / (args.articles + 3)
    print(f"\nDask scheduler overhead: {overhead * 1e3:.2f} ms per task (2000 empty tasks); "
          f"corpus task size {TASK_SIZE} articles = {TASK_SIZE * per_article:.2f} s of work, "
          f"so the overhead is {overhead / (TASK_SIZE * per_article):.2%} of a task")
    print(f"Projection, 10,000,000 articles at {per_article * 1e3:.1f} ms each (serial "
          "wall time per article, start-up included):")
    print("| workers | compute hours | scheduler-bound hours | projected hours |")
    print("|---:|---:|---:|---:|")
    tasks = 10_000_000 / TASK_SIZE
    for workers in (2, 16, 64, 256, 1024):
        compute = 10_000_000 * per_article / workers / 3600
        scheduler = tasks * overhead / 3600
        print(f"| {workers} | {compute:.2f} | {scheduler:.2f} | {max(compute, scheduler):.2f} |")


def _cluster_pids(client: Any) -> list[int]:
    import os

    return list(client.run(os.getpid).values())


if __name__ == "__main__":
    main()
