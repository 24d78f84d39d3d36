"""Article parsing benchmark: headline-pair accuracy and throughput.

Generates the article files of ``make_articles.py`` (or reads a directory of them with its
``manifest.json``), parses every file, and reports:

- exact headline pairs on files that have both headlines (target 100%),
- spurious pairs on files that have only one headline (target 0),
- bad files reported as errors,
- encodings detected right,
- throughput in files/s on one core (parsing only; the files are read into memory first).

    python benchmarks/articles.py [DIR] [--repeat N]
"""
from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from align.article import decode_article_bytes, parse_article_text  # noqa: E402
from align.errors import ArticleError  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_articles import DOCS, generate  # noqa: E402


def encoding_matches(found: str, written: str, data: bytes) -> bool:
    """Pure ASCII bytes are the same text in every ASCII-compatible encoding: UTF-8 is right."""
    if data.isascii() and found == "utf-8":
        return True
    return found.replace("-sig", "") == written.replace("-sig", "") or (
        written == "utf-16" and found.startswith("utf-16"))


def evaluate(directory: Path, repeat: int = 5) -> dict[str, float]:
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    files = {name: (directory / name).read_bytes() for name in sorted(manifest)}
    stats = {"files": len(files), "with_pair": 0, "exact": 0, "without_pair": 0, "spurious": 0,
             "bad": 0, "bad_reported": 0, "encoding_right": 0, "crashes": 0}
    for name, data in files.items():
        want = manifest[name]
        try:
            text, encoding = decode_article_bytes(data, name)
            article = parse_article_text(text, name, encoding)
        except ArticleError:
            if want.get("error"):
                stats["bad"] += 1
                stats["bad_reported"] += 1
            else:
                stats["crashes"] += 1
                print(f"unexpected error on {name}", file=sys.stderr)
            continue
        if want.get("error"):
            stats["bad"] += 1
            continue
        stats["encoding_right"] += encoding_matches(encoding, want["encoding"], data)
        got = dict(article.headlines) if article.has_headline_pair else None
        if want["headlines"]:
            stats["with_pair"] += 1
            if got == want["headlines"]:
                stats["exact"] += 1
            else:
                print(f"wrong pair in {name}: {got} != {want['headlines']}", file=sys.stderr)
        else:
            stats["without_pair"] += 1
            if got is not None:
                stats["spurious"] += 1
                print(f"spurious pair in {name}: {got}", file=sys.stderr)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for name, data in files.items():
            try:
                text, encoding = decode_article_bytes(data, name)
                parse_article_text(text, name, encoding)
            except ArticleError:
                pass
        best = min(best, time.perf_counter() - start)
    stats["files_per_s"] = len(files) / best
    stats["mb_per_s"] = sum(map(len, files.values())) / best / 1e6
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", nargs="?", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if args.directory is None:
        if not DOCS.exists():
            sys.exit(f"no source documents at {DOCS}")
        tmp = tempfile.TemporaryDirectory()
        args.directory = Path(tmp.name)
        generate(args.directory)
    s = evaluate(args.directory, args.repeat)
    print(f"machine: {platform.processor() or platform.machine()}, Python "
          f"{platform.python_version()}, one process")
    print("| files | headline pairs exact | spurious pairs | bad files reported | "
          "encoding right | files/s | MB/s |")
    print("|---|---|---|---|---|---|---|")
    good = s["files"] - s["bad"]
    print(f"| {s['files']} | {s['exact']}/{s['with_pair']} ({100 * s['exact'] / max(1, s['with_pair']):.1f}%) "
          f"| {s['spurious']}/{s['without_pair']} | {s['bad_reported']}/{s['bad']} "
          f"| {s['encoding_right']}/{good} | {s['files_per_s']:,.0f} | {s['mb_per_s']:.1f} |")


if __name__ == "__main__":
    main()
