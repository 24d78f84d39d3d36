"""Sentence-alignment benchmark: accuracy, speed and calibration, ours against baselines.

    python benchmarks/alignment.py                    # every set and variant, 1k/10k scaling
    python benchmarks/alignment.py --scale 1000,10000,100000 --repeat 3
    python benchmarks/alignment.py --sets wmt21 --variants hard --systems ours
    python benchmarks/alignment.py --bench OUTDIR --scale ''   # cases from make_cases.py

For every ``../shared/data/bench/SET/VARIANT`` it prints strict and lax precision/recall/F1,
the unlinked-sentence F1 (see ``align.evaluate``), wall time and peak traced memory for:

* ``ours``: ``align.aligner.align_sentences`` with the shipped model;
* ``nolex``: the same dynamic program and features without the translation tables;
* ``gale-church``: sentence length only (``benchmarks/baselines.py``).

Then a scaling run: the dev ``hard`` documents concatenated (cycled) to N x N sentences,
aligned in a fresh process each (time, peak RSS, strict F1), and the reliability table of our
confidences on dev ``hard`` and ``abridged``.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from align.beads import read_beads  # noqa: E402
from align.evaluate import score_documents  # noqa: E402
from align.fileio import read_text_lines  # noqa: E402
from align.types import Bead  # noqa: E402

SHARED = ROOT.parent / "shared"
BENCH = SHARED / "data" / "bench"
SETS = ("wmt21", "wmt22", "wmt23", "flores")
VARIANTS = ("natural", "hard", "abridged", "long")
BINS = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0001)


def load_cases(set_name: str, variant: str, bench: Path = BENCH):
    d = bench / set_name / variant
    cases = []
    for gold in sorted(d.glob("*.gold")):
        base = gold.with_suffix("")
        cases.append((base.name, _lines(Path(f"{base}.en")), _lines(Path(f"{base}.ru")),
                      read_beads(gold)))
    return cases


def _lines(path: Path) -> list[str]:
    # a case may have no sentence on one side (make_cases.py's hard variant can drop a
    # one-line document's only line), which read_text_lines refuses as an empty input
    return read_text_lines(path) if path.stat().st_size else []


def systems(names):
    from align.aligner import align_sentences
    from align.model import load_model
    from baselines import gale_church

    out = {}
    model = load_model(os.environ.get("ALIGN_MODEL"))
    if "ours" in names:
        out["ours"] = lambda en, ru: align_sentences(en, ru, model)
    if "nolex" in names:
        nolex = model.without_lexicon()
        out["nolex"] = lambda en, ru: align_sentences(en, ru, nolex, calibrate=False)
    if "gale-church" in names:
        out["gale-church"] = gale_church
    return out


def run_set(fn, cases):
    tracemalloc.start()
    t0 = time.perf_counter()
    outs = [fn(en, ru) for _name, en, ru, _gold in cases]
    elapsed = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    scores = score_documents((gold, out) for (_n, _e, _r, gold), out in zip(cases, outs))
    return scores, elapsed, peak, outs


def reliability(pairs, keep=lambda bead: True):
    """Rows (low, high, beads, right) over confidence bins for the beads ``keep`` accepts;
    a bead is right if gold has it."""
    rows = []
    for lo, hi in zip(BINS, BINS[1:]):
        n = right = 0
        for gold, out in pairs:
            gset = {(b.src, b.tgt) for b in gold}
            for b in out:
                if keep(b) and lo <= b.score < hi:
                    n += 1
                    right += (b.src, b.tgt) in gset
        rows.append((lo, min(hi, 1.0), n, right))
    return rows


def scale_case(n: int):
    """The dev hard documents concatenated (cycled) until each side has about n sentences."""
    cases = []
    for s in SETS:
        cases += load_cases(s, "hard")
    en, ru, gold = [], [], []
    k = 0
    while len(en) < n or len(ru) < n:
        _name, e, r, g = cases[k % len(cases)]
        gold += [Bead(tuple(i + len(en) for i in b.src), tuple(j + len(ru) for j in b.tgt))
                 for b in g]
        en += e
        ru += r
        k += 1
    return en, ru, gold


def peak_rss_mb() -> float:
    """This process's peak resident memory. ``VmHWM`` rather than ``ru_maxrss``: the latter
    keeps the parent's peak across fork and exec, so a child would report the parent's."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scale_child(n: int) -> None:
    from align.aligner import align_sentences
    from align.model import load_model

    en, ru, gold = scale_case(n)
    model = load_model(os.environ.get("ALIGN_MODEL"))
    model.sp  # load the subword model before timing, as a long-running process would
    t0 = time.perf_counter()
    out = align_sentences(en, ru, model)
    elapsed = time.perf_counter() - t0
    rss = peak_rss_mb()
    sc = score_documents([(gold, out)])
    print(json.dumps({"n_en": len(en), "n_ru": len(ru), "seconds": elapsed, "peak_rss_mb": rss,
                      "f1_strict": sc.f1_strict, "f1_unlinked": sc.f1_unlinked}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--bench", type=Path, default=BENCH,
                    help="benchmark root holding SET/VARIANT/NAME.{en,ru,gold} "
                         "(e.g. cases from benchmarks/make_cases.py)")
    ap.add_argument("--sets", help="comma-separated (default: the dev sets, or every set "
                                   "under --bench)")
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--systems", default="ours,nolex,gale-church")
    ap.add_argument("--scale", default="1000,10000",
                    help="comma-separated sizes for the scaling run ('' to skip)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="scaling: run each size this many times and keep the fastest run "
                         "(timings on a shared machine are noisy)")
    ap.add_argument("--scale-child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--json", help="also write all numbers to this JSON file")
    args = ap.parse_args()
    if args.scale_child:
        scale_child(args.scale_child)
        return
    if not args.bench.is_dir():
        sys.exit(f"benchmark data not found at {args.bench}")
    if not args.sets:
        args.sets = ",".join(SETS) if args.bench == BENCH else ",".join(
            sorted(p.name for p in args.bench.iterdir() if p.is_dir()))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    fns = systems(args.systems.split(","))
    results = []
    rel_pairs = []
    merges: dict[str, list[int]] = {}  # variant -> [gold 1-n/n-1 beads, found by ours]
    print(f"{'set':8} {'variant':9} {'system':12} {'P_str':>6} {'R_str':>6} {'F_str':>6} "
          f"{'P_lax':>6} {'R_lax':>6} {'F_lax':>6} {'F_unl':>6} {'sec':>6} {'MB':>6}")
    for variant in args.variants.split(","):
        for set_name in args.sets.split(","):
            cases = load_cases(set_name, variant, args.bench)
            if not cases:
                continue
            for sys_name, fn in fns.items():
                sc, sec, mb, outs = run_set(fn, cases)
                if sys_name == "ours" and variant in ("hard", "abridged"):
                    rel_pairs += [(c[3], o) for c, o in zip(cases, outs)]
                if sys_name == "ours":
                    m = merges.setdefault(variant, [0, 0])
                    for c, o in zip(cases, outs):
                        found = {(b.src, b.tgt) for b in o}
                        for g in c[3]:
                            if g.src and g.tgt and len(g.src) + len(g.tgt) > 2:
                                m[0] += 1
                                m[1] += (g.src, g.tgt) in found
                results.append({"set": set_name, "variant": variant, "system": sys_name,
                                **sc.as_dict(), "seconds": sec, "peak_mb": mb})
                print(f"{set_name:8} {variant:9} {sys_name:12} {sc.precision_strict:6.4f} "
                      f"{sc.recall_strict:6.4f} {sc.f1_strict:6.4f} {sc.precision_lax:6.4f} "
                      f"{sc.recall_lax:6.4f} {sc.f1_lax:6.4f} {sc.f1_unlinked:6.4f} "
                      f"{sec:6.2f} {mb:6.1f}", flush=True)
    # per variant, all sets pooled (micro average over every document)
    print("\nPooled over sets (micro average):")
    for variant in args.variants.split(","):
        for sys_name in fns:
            rows = [r for r in results if r["variant"] == variant and r["system"] == sys_name]
            if not rows:
                continue
            print(f"  {variant:9} {sys_name:12} strict {_pool(rows, 'strict'):.4f} "
                  f"lax {_pool(rows, 'lax'):.4f} unlinked {_pool(rows, 'unlinked'):.4f}")
    if merges:
        print("\nGold beads with more than one sentence on a side (1-2, 2-1, ...), ours:")
        for variant, (n, found) in merges.items():
            print(f"  {variant:9} {n:6d} gold, {found:6d} recovered "
                  f"({found / max(n, 1):.4f})")
    if rel_pairs:
        print(f"\nReliability of our confidences ({args.bench.name} hard + abridged): every "
              f"bead, links (both sides) and unlinked beads (an empty side)")
        kinds = {"every bead": lambda b: True, "links": lambda b: bool(b.src and b.tgt),
                 "unlinked": lambda b: not (b.src and b.tgt)}
        tables = {kind: reliability(rel_pairs, keep) for kind, keep in kinds.items()}
        print(f"  {'confidence':>13}" + "".join(f" | {kind:>10} {'right':>6} {'acc':>6}"
                                               for kind in kinds))
        for k, (lo, hi, _n, _r) in enumerate(tables["every bead"]):
            cells = "".join(f" | {n:10d} {right:6d} {right / n if n else 0:6.4f}"
                            for _lo, _hi, n, right in (tables[kind][k] for kind in kinds))
            print(f"  [{lo:.2f}, {hi:.2f}){cells}")
        high = []
        for kind in kinds:
            n = sum(row[2] for row in tables[kind] if row[0] >= 0.9)
            right = sum(row[3] for row in tables[kind] if row[0] >= 0.9)
            high.append(f"{kind} {n} beads, {right / max(n, 1):.4f} right")
        print("  confidence >= 0.9: " + "; ".join(high))
    if args.scale:
        print("\nScaling (dev hard documents concatenated; fresh process each):")
        base = None
        for n in [int(x) for x in args.scale.split(",") if x]:
            runs = []
            for _ in range(max(args.repeat, 1)):
                proc = subprocess.run([sys.executable, __file__, "--scale-child", str(n)],
                                      capture_output=True, text=True, check=False)
                if proc.returncode:
                    print(f"  {n}: failed: {proc.stderr.strip()[-300:]}")
                    break
                runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
            if not runs:
                continue
            r = min(runs, key=lambda x: x["seconds"])
            ratio = f"{r['seconds'] / base:.1f}x the previous size" if base else ""
            base = r["seconds"]
            print(f"  {r['n_en']:>7} x {r['n_ru']:<7} {r['seconds']:7.2f} s  "
                  f"peak RSS {r['peak_rss_mb']:6.0f} MB  strict F1 {r['f1_strict']:.4f}  "
                  f"unlinked F1 {r['f1_unlinked']:.4f}  {ratio}", flush=True)
            results.append({"scale": n, **r})
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))


def _pool(rows, kind):
    # pool from counts: re-derive numerators from the per-set rates and denominators
    if kind == "unlinked":
        tp = sum(r["recall_unlinked"] * r["gold_unlinked"] for r in rows)
        ng = sum(r["gold_unlinked"] for r in rows)
        nt = sum(r["test_unlinked"] for r in rows)
        p = tp / nt if nt else 1.0
        rc = tp / ng if ng else 1.0
    else:
        tp_p = sum(r[f"precision_{kind}"] * r["test_links"] for r in rows)
        tp_r = sum(r[f"recall_{kind}"] * r["gold_links"] for r in rows)
        p = tp_p / max(sum(r["test_links"] for r in rows), 1)
        rc = tp_r / max(sum(r["gold_links"] for r in rows), 1)
    return 2 * p * rc / (p + rc) if p + rc else 0.0


if __name__ == "__main__":
    main()
