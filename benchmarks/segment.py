"""Sentence splitters side by side: ours (``align.segment``), razdel and pysbd, English and Russian.

Data: ``../shared/data/docs/*.jsonl.gz`` — documents whose English and Russian segments were
paired 1:1 by the translators. A segment is a translator's unit: usually one sentence,
sometimes several (WMT24 uses whole paragraphs), never part of one.

Paragraphs. Each document's segments are joined with one space into paragraphs. A segment
that does not end with sentence-final punctuation (``.``, ``!``, ``?``, ``…``, optionally
followed by closing quotes or brackets) — a headline, a list line, a segment ending in ``:`` —
ends its paragraph, as it would stand on its own line in an article; no splitter could see
such a boundary in running text, so those joins are not scored. Every splitter gets the same
paragraphs, one at a time.

Columns.

* ``recall``: the share of segment joins inside a paragraph where the splitter starts a new
  sentence exactly at the next segment's first character.
* ``extra splits``: the share of *one-sentence segments* that the splitter cuts inside.
  A segment is one-sentence when (1) its counterpart in the other language is one sentence
  for every splitter compared, each run on that counterpart segment alone, and (2) at least
  one splitter reads the segment itself, alone, as one sentence. (1) uses the translation as
  the witness: translators keep a sentence a sentence, so a one-sentence counterpart means a
  one-sentence segment without asking any splitter about the segment itself. (2) removes the
  segments where the translator did merge two sentences into one (``"…customs. I …"``):
  when all splitters, built on different rules, agree on a cut, it is a real boundary, and
  counting it would add the same floor to every column. A cut that only some splitters
  make is counted against them, whether or not it was right.
* ``extra, counterpart rule only``: the same with (1) alone, floor included, for reference.
* ``chars/s 10k`` and ``chars/s 1M``: throughput on the first 10,000 and 1,000,000
  characters of all paragraphs of that language joined by blank lines (repeated as needed),
  one core, garbage collector off, best of 20 (10k) and 5 (1M) rounds in which the splitters
  take turns. Equal numbers in the two columns mean linear time. pysbd is run at 1M only
  with ``--pysbd-1m``: at its measured speed that takes far over ten minutes.

Then ours alone on 1M characters of pathological text: no punctuation at all, only control
characters, one run of periods, and "a. " repeated.

Run:  python benchmarks/segment.py [--data DIR] [--no-pysbd] [--errors N]
"""
from __future__ import annotations

import argparse
import gc
import glob
import gzip
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Callable, Iterable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from align.segment import split_sentences  # noqa: E402

SHARED = ROOT.parent / "shared"
LANGS = ("en", "ru")
FINAL = re.compile(r"[.!?…][\"'”’»)\]]*$")

# A splitter maps (paragraph text, lang) to the start offsets of its sentences.
Splitter = Callable[[str, str], list[int]]


def ours(text: str, lang: str) -> list[int]:
    return [s.start for s in split_sentences(text, lang)]


def razdel_split(text: str, lang: str) -> list[int]:
    from razdel import sentenize

    return [s.start for s in sentenize(text)]


_PYSBD: dict[str, object] = {}


def pysbd_split(text: str, lang: str) -> list[int]:
    import pysbd

    seg = _PYSBD.get(lang)
    if seg is None:
        seg = _PYSBD[lang] = pysbd.Segmenter(language=lang, clean=False, char_span=True)
    starts = []
    for span in seg.segment(text):  # type: ignore[attr-defined]
        start = span.start
        while start < len(text) and text[start].isspace():
            start += 1
        starts.append(start)
    return starts


SPLITTERS: dict[str, Splitter] = {"ours": ours, "razdel": razdel_split, "pysbd": pysbd_split}


def load_docs(data: Path) -> list[dict]:
    docs = []
    for name in sorted(glob.glob(str(data / "*.jsonl.gz"))):
        with gzip.open(name, "rt", encoding="utf-8") as fh:
            for line in fh:
                doc = json.loads(line)
                if len(doc["en"]) == len(doc["ru"]):
                    docs.append(doc)
    return docs


def paragraphs(segments: list[str]) -> list[tuple[str, list[int], list[int], list[int]]]:
    """Paragraph texts, with each segment's start and end offset and index in the document."""
    paras = []
    text, starts, ends, index = "", [], [], []
    for i, seg in enumerate(segments):
        seg = " ".join(seg.split())
        if not seg:
            continue
        if text:
            text += " "
        starts.append(len(text))
        text += seg
        ends.append(len(text))
        index.append(i)
        if not FINAL.search(seg):
            paras.append((text, starts, ends, index))
            text, starts, ends, index = "", [], [], []
    if text:
        paras.append((text, starts, ends, index))
    return paras


def one_sentence(docs: list[dict], names: Iterable[str]) -> dict[str, dict[str, set]]:
    """(doc, segment) keys of one-sentence segments, by language and definition.

    ``counterpart``: every splitter reads the other language's segment as one sentence.
    ``agreed``: that, and not every splitter cuts the segment itself (see the docstring).
    """
    other = {"en": "ru", "ru": "en"}
    result: dict[str, dict[str, set]] = {}
    for lang in LANGS:
        loose, strict = set(), set()
        for d, doc in enumerate(docs):
            for i, (own, seg) in enumerate(zip(doc[lang], doc[other[lang]])):
                own, seg = " ".join(own.split()), " ".join(seg.split())
                if own and seg and all(len(SPLITTERS[n](seg, other[lang])) == 1 for n in names):
                    loose.add((d, i))
                    if any(len(SPLITTERS[n](own, lang)) == 1 for n in names):
                        strict.add((d, i))
        result[lang] = {"counterpart": loose, "agreed": strict}
    return result


def evaluate(docs: list[dict], names: list[str], show: int) -> dict[tuple[str, str], dict]:
    single = one_sentence(docs, names)
    results = {}
    for lang in LANGS:
        paras = [(d, p) for d, doc in enumerate(docs) for p in paragraphs(doc[lang])]
        for name in names:
            split = SPLITTERS[name]
            joins = hits = ones = cut = loose_ones = loose_cut = 0
            misses, extras = [], []
            for d, (text, starts, ends, index) in paras:
                predicted = set(split(text, lang))
                for k in range(1, len(starts)):
                    joins += 1
                    if starts[k] in predicted:
                        hits += 1
                    elif len(misses) < show:
                        misses.append(text[max(0, starts[k] - 60):starts[k] + 40])
                for k in range(len(starts)):
                    key = (d, index[k])
                    if key not in single[lang]["counterpart"]:
                        continue
                    inside = [p for p in predicted if starts[k] < p < ends[k]]
                    loose_ones += 1
                    loose_cut += bool(inside)
                    if key not in single[lang]["agreed"]:
                        continue
                    ones += 1
                    if inside:
                        cut += 1
                        if len(extras) < show:
                            p = inside[0]
                            extras.append(text[max(starts[k], p - 60):p] + " ‖ "
                                          + text[p:min(ends[k], p + 40)])
            results[name, lang] = {"joins": joins, "recall": hits / max(joins, 1),
                                   "ones": ones, "extra": cut / max(ones, 1),
                                   "loose_ones": loose_ones,
                                   "loose_extra": loose_cut / max(loose_ones, 1),
                                   "misses": misses, "extras": extras}
    return results


def sample_text(docs: list[dict], lang: str, size: int) -> str:
    paras = [text for doc in docs for text, *_ in paragraphs(doc[lang])]
    out, total = [], 0
    while total < size:
        for p in paras:
            out.append(p)
            total += len(p) + 2
            if total >= size:
                break
    return "\n\n".join(out)[:size]


def throughput(names: list[str], text: str, lang: str, repeat: int) -> dict[str, float]:
    """Characters per second of each splitter, best of ``repeat`` rounds.

    The splitters take turns within each round, so a busy moment on a shared machine does not
    fall on one of them only; the garbage collector is off while timing (as ``timeit`` does:
    the documents this script holds would otherwise be rescanned).
    """
    best = {name: float("inf") for name in names}
    gc.collect()
    gc.disable()
    try:
        for _ in range(repeat):
            for name in names:
                t0 = time.perf_counter()
                SPLITTERS[name](text, lang)
                best[name] = min(best[name], time.perf_counter() - t0)
    finally:
        gc.enable()
    return {name: len(text) / seconds for name, seconds in best.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=SHARED / "data" / "docs")
    ap.add_argument("--no-pysbd", action="store_true", help="compare with razdel only")
    ap.add_argument("--pysbd-1m", action="store_true", help="also time pysbd on 1M characters")
    ap.add_argument("--errors", type=int, default=0, help="show N misses and extra splits")
    args = ap.parse_args()
    if not args.data.is_dir():
        sys.exit(f"no data directory {args.data}")
    names = ["ours", "razdel"] + ([] if args.no_pysbd else ["pysbd"])
    docs = load_docs(args.data)
    results = evaluate(docs, names, args.errors)

    print(f"{len(docs)} documents from {args.data}; machine: {os.cpu_count()} cores, "
          f"Python {sys.version.split()[0]}\n")
    print("| splitter | lang | joins | recall | one-sentence segments | extra splits "
          "| extra, counterpart rule only | chars/s 10k | chars/s 1M |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for lang in LANGS:
        small = sample_text(docs, lang, 10_000)
        big = sample_text(docs, lang, 1_000_000)
        speed_small = throughput(names, small, lang, 20)
        timed_big = [n for n in names if n != "pysbd" or args.pysbd_1m]
        speed_big = throughput(timed_big, big, lang, 5)
        for name in names:
            r = results[name, lang]
            big_cell = f"{speed_big[name]:,.0f}" if name in speed_big else "not run"
            print(f"| {name} | {lang} | {r['joins']} | {100 * r['recall']:.2f}% | {r['ones']} "
                  f"| {100 * r['extra']:.2f}% | {100 * r['loose_extra']:.2f}% of "
                  f"{r['loose_ones']} | {speed_small[name]:,.0f} | {big_cell} |")
    print()
    print("| ours on 1M characters of | lang | seconds | sentences |")
    print("|---|---|---:|---:|")
    bad = {
        "letters, no punctuation": ("abc " * 250_000)[:1_000_000],
        "control characters": "".join(chr(i % 32) for i in range(1_000_000)),
        "periods": "." * 1_000_000,
        "'a. ' repeated": ("a. " * 333_334)[:1_000_000],
    }
    for label, text in bad.items():
        for lang in LANGS:
            t0 = time.perf_counter()
            n = len(split_sentences(text, lang))
            print(f"| {label} | {lang} | {time.perf_counter() - t0:.2f} | {n} |")
    if args.errors:
        for (name, lang), r in results.items():
            print(f"\n## {name} {lang}: missed joins")
            for m in r["misses"]:
                print("  ", m)
            print(f"## {name} {lang}: extra splits")
            for e in r["extras"]:
                print("  ", e)


if __name__ == "__main__":
    main()
