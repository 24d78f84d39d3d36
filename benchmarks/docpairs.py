"""Document pairing (``align docs``): accuracy on archives built from real documents, and
scaling on synthetic archives.

Accuracy. An archive is built from the dev documents of ``../shared/data/docs`` (segments paired
1:1, headline first): an ``en/`` and a ``ru/`` tree with unrelated random file names (some in
subfolders), 20% of the English and 10% of the Russian documents without a counterpart, updated
versions (the same story with a paragraph removed: both versions in both languages, or both
versions on one side and one on the other), some headlines missing, the Russian paragraphs grouped otherwise in 30% of the
stories, article-layout files with
a site line, mixed encodings (UTF-8 with and without BOM, UTF-16, cp1251, koi8-r, cp1252) and a
few bad files (empty, binary). The gold pairs are known. Reported: precision, recall and F1 of
the document pairs, of the "no counterpart" decisions, the share of updated stories where the
matching version was chosen, time and peak memory of the ``align docs`` process. In the same
run, a Bitextor-style peer (our reimplementation of the classic recipe: each Russian document
translated word by word with the model's translation tables, tf-idf cosine, competitive
linking; no finer score, no threshold) pairs the same archive.

Scaling. ``--scale 1000,10000,50000`` builds synthetic archives of that many documents a side
(5-25 sentences drawn from the training pairs, the same 20%/10% without counterpart) and times
``align docs`` on each (time, peak memory).

    python benchmarks/docpairs.py [--seed S] [--scale N,N,...] [--jobs N] [--keep DIR]
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# ALIGN_SHARED overrides ../shared (a worktree elsewhere)
SHARED = Path(os.environ.get("ALIGN_SHARED", ROOT.parent / "shared"))
DOCS = SHARED / "data" / "docs"
TRAIN = SHARED / "data" / "train" / "en-ru.train.tsv.gz"
CYRILLIC = re.compile("[\u0400-\u04ff]")
SOURCES = ["meduza.io", "Reuters", "bbc.com", "ТАСС", "rbc.ru", "The Bell"]
EN_ENCODINGS = ["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1252"]
RU_ENCODINGS = ["utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1251", "koi8-r"]


def read_docs(directory: Path = DOCS) -> list[dict[str, Any]]:
    docs = []
    for path in sorted(directory.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                doc = json.loads(line)
                en, ru = doc.get("en") or [], doc.get("ru") or []
                if (len(en) >= 2 and len(en) == len(ru) and CYRILLIC.search(" ".join(ru))
                        and not CYRILLIC.search(en[0])):
                    docs.append(doc)
    return docs


def group(segments: list[str], rng: random.Random) -> list[list[int]]:
    """Paragraphs as lists of segment indices (1-3 segments each)."""
    out, i = [], 0
    while i < len(segments):
        k = rng.randint(1, 3)
        out.append(list(range(i, min(i + k, len(segments)))))
        i += k
    return out


def render(headline: str | None, paragraphs: list[str], rng: random.Random,
           source: bool) -> str:
    blocks = []
    if source and headline:
        blocks.append(rng.choice(SOURCES))
    if headline:
        blocks.append(headline)
    blocks.extend(paragraphs)
    text = "\n\n".join(blocks) + "\n"
    return text.replace("\n", "\r\n") if rng.random() < 0.1 else text


def encode(text: str, lang: str, rng: random.Random) -> bytes:
    encoding = rng.choice(EN_ENCODINGS if lang == "en" else RU_ENCODINGS)
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode("utf-8")


def random_name(rng: random.Random, used: set[str]) -> str:
    while True:
        stem = "%08x" % rng.getrandbits(32)
        folder = rng.choice(["", "", "", "2023/", "archive/", "news/world/"])
        name = f"{folder}{stem}{rng.choice(['.txt', '.txt', '.html.txt', ''])}"
        if name not in used:
            used.add(name)
            return name


def build_archive(out: Path, docs: list[dict[str, Any]], seed: int = 1, *,
                  en_only: float = 0.2, ru_only: float = 0.1, updates: float = 0.12,
                  no_headline: float = 0.05, bad: bool = True) -> dict[str, Any]:
    """Write ``out/en`` and ``out/ru`` from ``docs``; return the gold (pairs, updated
    stories)."""
    rng = random.Random(seed)
    for lang in ("en", "ru"):
        (out / lang).mkdir(parents=True, exist_ok=True)
    used = {"en": set(), "ru": set()}
    pairs: list[tuple[str, str]] = []
    updated: list[dict[str, Any]] = []
    files = {"en": 0, "ru": 0}

    def write(lang: str, headline: str | None, paragraphs: list[str], source: bool) -> str:
        name = random_name(rng, used[lang])
        path = out / lang / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(encode(render(headline, paragraphs, rng, source), lang, rng))
        files[lang] += 1
        return name

    order = list(range(len(docs)))
    rng.shuffle(order)
    for k in order:
        doc = docs[k]
        en, ru = [s.strip() for s in doc["en"]], [s.strip() for s in doc["ru"]]
        paras = group(en[1:], rng)
        source = rng.random() < 0.3
        drop_head = rng.random() < no_headline
        u = rng.random()
        sides = "both"
        if u < en_only:
            sides = "en"
        elif u < en_only + ru_only:
            sides = "ru"

        regroup = rng.random() < 0.3  # the translation's paragraphs are not the original's

        def text(seg: list[str], keep: list[list[int]]) -> list[str]:
            if regroup and seg is ru:
                flat = [i for p in keep for i in p]
                keep, i = [], 0
                while i < len(flat):
                    k = rng.randint(1, 3)
                    keep.append(flat[i:i + k])
                    i += k
            return [" ".join(seg[1 + i] for i in p) for p in keep]

        head_en = None if drop_head and rng.random() < 0.5 else en[0]
        head_ru = None if drop_head and head_en is not None else ru[0]
        if sides == "both" and len(paras) >= 4 and rng.random() < updates:
            # an update: the story with one paragraph removed (v1) and whole (v2)
            cut = rng.randrange(1, len(paras))
            v1 = [p for n, p in enumerate(paras) if n != cut]
            scenario = rng.choice(["both", "en", "ru"])
            e1 = write("en", head_en, text(en, v1), source)
            r1 = write("ru", head_ru, text(ru, v1), source)
            e2 = write("en", head_en, text(en, paras), source) if scenario != "ru" else None
            r2 = write("ru", head_ru, text(ru, paras), source) if scenario != "en" else None
            pairs.append((e1, r1))
            if e2 and r2:
                pairs.append((e2, r2))
            updated.append({"en": [e1, e2], "ru": [r1, r2], "scenario": scenario})
            continue
        e = write("en", head_en, text(en, paras), source) if sides in ("both", "en") else None
        r = write("ru", head_ru, text(ru, paras), source) if sides in ("both", "ru") else None
        if e and r:
            pairs.append((e, r))
    if bad:
        for lang in ("en", "ru"):
            (out / lang / "empty.txt").write_bytes(b"")
            (out / lang / "binary.txt").write_bytes(b"\x7fELF\x02\x01\x00" * 40)
            files[lang] += 2
    gold = {"pairs": sorted(pairs), "updated": updated, "files": files}
    (out / "gold.json").write_text(json.dumps(gold, indent=1), encoding="utf-8")
    return gold


def synthetic_docs(n: int, seed: int) -> list[dict[str, Any]]:
    """``n`` documents of 5-25 sentences drawn at random from the training pairs (the first
    one is the headline)."""
    rng = random.Random(seed)
    with gzip.open(TRAIN, "rt", encoding="utf-8") as fh:
        rows = [line.rstrip("\n").split("\t") for line in fh]
    rows = [r for r in rows if len(r) >= 2 and r[0].strip() and r[1].strip()]
    docs = []
    for _ in range(n):
        picked = [rows[rng.randrange(len(rows))] for _ in range(rng.randint(5, 25))]
        docs.append({"en": [r[0] for r in picked], "ru": [r[1] for r in picked]})
    return docs


# --------------------------------------------------------------------------------- scoring

def read_pairs(path: Path) -> list[tuple[str, str, float]]:
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    return [(a, b, float(s)) for a, b, s in (line.split("\t") for line in lines)]


def prf(right: int, predicted: int, gold: int) -> dict[str, float]:
    p = right / predicted if predicted else 1.0
    r = right / gold if gold else 1.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def evaluate(found: list[tuple[str, str, float]], gold: dict[str, Any],
             en_files: set[str], ru_files: set[str]) -> dict[str, Any]:
    gold_pairs = {tuple(p) for p in gold["pairs"]}
    got = {(a, b) for a, b, _ in found}
    right = len(got & gold_pairs)
    report: dict[str, Any] = {"pairs": prf(right, len(got), len(gold_pairs)),
                              "found": len(got), "gold": len(gold_pairs), "wrong": len(got - gold_pairs)}
    paired_gold = {a for a, _ in gold_pairs} | {b for _, b in gold_pairs}
    paired_got = {a for a, _ in got} | {b for _, b in got}
    lone_gold = {("en", f) for f in en_files if f not in paired_gold} | \
        {("ru", f) for f in ru_files if f not in paired_gold}
    lone_got = {("en", f) for f in en_files if f not in paired_got} | \
        {("ru", f) for f in ru_files if f not in paired_got}
    report["no_counterpart"] = prf(len(lone_gold & lone_got), len(lone_got), len(lone_gold))
    chosen = matched = 0
    by_en = {a: b for a, b in got}
    by_ru = {b: a for a, b in got}
    for u in gold["updated"]:
        (e1, e2), (r1, r2) = u["en"], u["ru"]
        for e, r in ((e1, r1), (e2, r2)):
            if e and r:  # a gold pair of an updated story
                if e in by_en or r in by_ru:
                    chosen += 1
                    matched += by_en.get(e) == r
        if u["scenario"] == "en":  # e2 has no counterpart: it must not take r1
            chosen += by_ru.get(r1) is not None
            matched += by_ru.get(r1) == e1
        if u["scenario"] == "ru":
            chosen += by_en.get(e1) is not None
            matched += by_en.get(e1) == r1
    report["updates"] = {"chosen": chosen, "matching": matched,
                         "share": matched / chosen if chosen else 1.0}
    return report


def listed(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")
            if p.is_file() and p.name not in ("empty.txt", "binary.txt")}


def run_align(archive: Path, out: Path, jobs: int, extra: list[str] = ()) -> dict[str, Any]:
    """``align docs`` as a user runs it, in a child process: wall time and peak memory."""
    cmd = [sys.executable, "-m", "align", "docs", str(archive / "en"), str(archive / "ru"),
           "-o", str(out), "--unpaired", str(out.with_suffix(".unpaired.tsv")), "-q",
           "--jobs", str(jobs), *extra]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if proc.returncode not in (0, 1) or not out.exists():
        raise SystemExit(f"align docs failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return {"seconds": seconds, "peak_mb": max(peak, before) / 1024,
            "stderr": proc.stderr.strip().splitlines()[-1:], "rc": proc.returncode}


# --------------------------------------------------------------------------------- the peer

def bitextor_style(archive: Path) -> list[tuple[str, str, float]]:
    """The classic dictionary-translation recipe (as in Bitextor's document aligner and the
    WMT16 baseline): each Russian word translated into English through the model's tables,
    tf-idf cosine of English words, competitive linking, every document paired if it can."""
    import numpy as np

    from align.docpair import find_documents, read_document
    from align.model import load_model

    model = load_model()
    sp = model.sp
    table = model.t_re
    items = find_documents([archive / "en"], "en") + find_documents([archive / "ru"], "ru")
    bags: dict[str, list[tuple[str, Counter]]] = {"en": [], "ru": []}
    for item in items:
        try:
            doc = read_document(item)
        except Exception:
            continue
        ids = [p + 1 for p in sp.encode(doc.text.lower())]
        if doc.lang == "en":
            bag = Counter(ids)
        else:  # word by word: each piece's best English translation (or itself)
            bag = Counter()
            for p in ids:
                lo, hi = table.indptr[p], table.indptr[p + 1]
                best = int(table.indices[lo + int(np.argmax(table.data[lo:hi]))]) if hi > lo else p
                bag[best] += 1
        bags[doc.lang].append((doc.name, bag))
    df: Counter = Counter()
    for lang in ("en", "ru"):
        for _, bag in bags[lang]:
            df.update(bag.keys())
    n = len(bags["en"]) + len(bags["ru"])
    idf = {t: np.log(n / c) for t, c in df.items()}

    def vec(bag: Counter) -> dict[int, float]:
        v = {t: (1 + np.log(c)) * idf[t] for t, c in bag.items()}
        norm = np.sqrt(sum(x * x for x in v.values())) or 1.0
        return {t: x / norm for t, x in v.items()}

    en_v = [vec(b) for _, b in bags["en"]]
    ru_v = [vec(b) for _, b in bags["ru"]]
    index: dict[int, list[tuple[int, float]]] = {}
    for j, v in enumerate(ru_v):
        for t, x in v.items():
            index.setdefault(t, []).append((j, x))
    scored = []
    for i, v in enumerate(en_v):
        acc: dict[int, float] = {}
        for t, x in v.items():
            for j, y in index.get(t, ()):
                acc[j] = acc.get(j, 0.0) + x * y
        scored.extend((s, i, j) for j, s in sorted(acc.items(), key=lambda kv: -kv[1])[:20])
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_e, used_r, out = set(), set(), []
    for s, i, j in scored:
        if i in used_e or j in used_r:
            continue
        used_e.add(i)
        used_r.add(j)
        out.append((bags["en"][i][0], bags["ru"][j][0], s))
    return out


from collections import Counter  # noqa: E402  (used by the peer above)


def print_report(name: str, report: dict[str, Any]) -> None:
    p, nc, up = report["pairs"], report["no_counterpart"], report["updates"]
    print(f"{name:<16} pairs P {p['precision']:.4f} R {p['recall']:.4f} F1 {p['f1']:.4f} "
          f"({report['found']} found, {report['wrong']} wrong, {report['gold']} gold) | "
          f"no counterpart P {nc['precision']:.4f} R {nc['recall']:.4f} F1 {nc['f1']:.4f} | "
          f"updates matching {up['matching']}/{up['chosen']} ({up['share']:.3f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--scale", default="", help="comma-separated documents a side, e.g. "
                        "1000,10000,50000 (synthetic archives from the training pairs)")
    parser.add_argument("--no-dev", action="store_true", help="skip the dev archive")
    parser.add_argument("--no-peer", action="store_true", help="skip the Bitextor-style peer")
    parser.add_argument("--keep", type=Path, default=None, help="build the archives here")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="docpairs-"))
    try:
        if not args.no_dev:
            docs = read_docs()
            archive = work / "dev"
            if archive.exists():
                shutil.rmtree(archive)
            gold = build_archive(archive, docs, args.seed)
            en_files, ru_files = listed(archive / "en"), listed(archive / "ru")
            print(f"dev archive: {len(docs)} stories, {gold['files']['en']} English and "
                  f"{gold['files']['ru']} Russian files (4 bad), {len(gold['pairs'])} gold "
                  f"pairs, {len(gold['updated'])} updated stories")
            out = work / "dev.pairs.tsv"
            timing = run_align(archive, out, args.jobs)
            ours = evaluate(read_pairs(out), gold, en_files, ru_files)
            print_report("align docs", ours)
            print(f"{'':<16} {timing['seconds']:.1f} s, peak {timing['peak_mb']:.0f} MB; "
                  f"{' '.join(timing['stderr'])}")
            if not args.no_peer:
                t0 = time.perf_counter()
                peer = evaluate(bitextor_style(archive), gold, en_files, ru_files)
                print_report("Bitextor-style", peer)
                print(f"{'':<16} {time.perf_counter() - t0:.1f} s (in-process)")
        for size in [int(s) for s in args.scale.split(",") if s.strip()]:
            archive = work / f"scale{size}"
            if archive.exists():
                shutil.rmtree(archive)
            docs = synthetic_docs(int(size / 0.9) + 1, args.seed + size)
            gold = build_archive(archive, docs, args.seed + size, updates=0.0, bad=False,
                                 en_only=0.1, ru_only=0.1)
            en_files, ru_files = listed(archive / "en"), listed(archive / "ru")
            out = work / f"scale{size}.pairs.tsv"
            timing = run_align(archive, out, args.jobs)
            rep = evaluate(read_pairs(out), gold, en_files, ru_files)
            print(f"scale {len(en_files)} x {len(ru_files)}: {timing['seconds']:.1f} s, peak "
                  f"{timing['peak_mb']:.0f} MB, pair F1 {rep['pairs']['f1']:.4f} "
                  f"(P {rep['pairs']['precision']:.4f})")
            shutil.rmtree(archive)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
