"""Does the Moore-style second pass (``align.adapt``) help? With and without, same model, same run.

    nice -n 19 python benchmarks/adapt.py                  # every set; long + the small variants
    nice -n 19 python benchmarks/adapt.py --variants long --sets wmt21
    nice -n 19 python benchmarks/adapt.py --scale 10000    # time and memory on 10k x 10k

For each ``../shared/data/bench/SET/VARIANT`` it prints strict/lax/unlinked F1, the accuracy of
the links with confidence >= 0.9 (the calibration target) and wall time for:

* ``base``: ``align.aligner.align_sentences`` with the model (``$ALIGN_MODEL`` or the shipped
  one, loaded fresh), the first pass alone;
* ``adapt w=W c=C``: the first pass, then tables retrained on its 1-1 links of confidence
  >= C and mixed with weight W into the model's tables (``align.adapt.adapt_tables``), then
  every document aligned again. Time is the whole thing (first pass + training + realigning).

The unit of adaptation:

* ``long``: each case is one document (a whole set concatenated), adapted on itself: the
  realistic "large input";
* ``natural``/``hard``/``abridged`` (small documents, ~10 sentences): one document alone has too
  few links to learn from, so the confident links of *every document of the set* are pooled,
  the model adapted once on the pool, and each document realigned on its own, as a user aligning
  a directory of related articles would (``align sentences DIR``).

The settings: a fixed mixing weight of 0.5 and 0.2 at confidence 0.9 and 0.5 at confidence
0.99 (chosen before any run), and the count mixture (``mix="counts"``: the input's sentence
counts added to the model's; added after the first run showed the fixed weights losing on
``hard``/``abridged``). ``min_links`` is 200 for all. ``+gold``/``-gold``: gold links the
system finds that the first pass missed, and the reverse (the size of the change behind the
F1 difference).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from align.evaluate import score_documents  # noqa: E402

SETS = ("wmt21", "wmt22", "wmt23", "flores")
VARIANTS = ("long", "natural", "hard", "abridged")


def settings():
    from align.adapt import AdaptConfig

    return {
        "adapt w=.5 c=.9": AdaptConfig(mix="fixed", weight=0.5, min_confidence=0.9),
        "adapt w=.2 c=.9": AdaptConfig(mix="fixed", weight=0.2, min_confidence=0.9),
        "adapt w=.5 c=.99": AdaptConfig(mix="fixed", weight=0.5, min_confidence=0.99),
        "adapt counts c=.9": AdaptConfig(mix="counts", min_confidence=0.9),
    }


def confident_accuracy(pairs, threshold: float = 0.9) -> tuple[int, float]:
    """How many links (both sides non-empty) have confidence >= threshold, and the share of
    them that gold has."""
    n = right = 0
    for gold, out in pairs:
        gset = {(b.src, b.tgt) for b in gold}
        for b in out:
            if b.src and b.tgt and b.score >= threshold:
                n += 1
                right += (b.src, b.tgt) in gset
    return n, right / n if n else 1.0


def changes(cases, base, outs) -> tuple[int, int]:
    """(gold links found only by ``outs``, gold links found only by ``base``)."""
    gained = lost = 0
    for (_n, _e, _r, gold), b, o in zip(cases, base, outs):
        g = {(x.src, x.tgt) for x in gold if x.src and x.tgt}
        bs = {(x.src, x.tgt) for x in b} & g
        os_ = {(x.src, x.tgt) for x in o} & g
        gained += len(os_ - bs)
        lost += len(bs - os_)
    return gained, lost


def run_variant(model, cases, configs):
    """{system: (outputs, seconds, training links)} for one set and variant."""
    from align.adapt import adapt_tables, confident_pairs
    from align.aligner import align_sentences

    t0 = time.perf_counter()
    first = [align_sentences(en, ru, model) for _n, en, ru, _g in cases]
    t_first = time.perf_counter() - t0
    results = {"base": (first, t_first, 0)}
    for name, config in configs.items():
        t1 = time.perf_counter()
        pairs = [p for (_n, en, ru, _g), out in zip(cases, first)
                 for p in confident_pairs(en, ru, out, config.min_confidence)]
        if len(pairs) < config.min_links:
            results[name] = (first, t_first + time.perf_counter() - t1, len(pairs))
            continue
        adapted = adapt_tables(model, pairs, config)
        second = [align_sentences(en, ru, adapted) for _n, en, ru, _g in cases]
        results[name] = (second, t_first + time.perf_counter() - t1,
                         adapted.info["adapted"]["pairs"])
    return results


def scale(n: int) -> None:
    """Time of the first pass alone and with the default second pass on one large input."""
    from alignment import peak_rss_mb, scale_case

    from align.adapt import AdaptConfig, adapt_tables, confident_pairs
    from align.aligner import align_sentences
    from align.model import DEFAULT_MODEL, read_model

    en, ru, gold = scale_case(n)
    model = read_model(os.environ.get("ALIGN_MODEL") or DEFAULT_MODEL)
    model.sp
    config = AdaptConfig()
    t0 = time.perf_counter()
    first = align_sentences(en, ru, model)
    t1 = time.perf_counter()
    pairs = confident_pairs(en, ru, first, config.min_confidence)
    adapted = adapt_tables(model, pairs, config)
    t2 = time.perf_counter()
    second = align_sentences(en, ru, adapted)
    t3 = time.perf_counter()
    s1, s2 = score_documents([(gold, first)]), score_documents([(gold, second)])
    print(f"{len(en)} x {len(ru)}: first pass {t1 - t0:.2f} s (strict {s1.f1_strict:.4f}, "
          f"unlinked {s1.f1_unlinked:.4f}); adapting on {adapted.info['adapted']['pairs']} of "
          f"{len(pairs)} links {t2 - t1:.2f} s; second pass {t3 - t2:.2f} s (strict "
          f"{s2.f1_strict:.4f}, unlinked {s2.f1_unlinked:.4f}); total {t3 - t0:.2f} s; "
          f"peak RSS {peak_rss_mb():.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sets", default=",".join(SETS))
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--scale", type=int, default=0,
                    help="instead: time one N x N input (dev hard documents concatenated), "
                         "first pass vs with the default second pass, and peak RSS")
    args = ap.parse_args()
    if args.scale:
        scale(args.scale)
        return
    from alignment import BENCH, load_cases

    from align.model import read_model, DEFAULT_MODEL

    if not BENCH.is_dir():
        sys.exit(f"benchmark data not found at {BENCH}")
    # read, not the per-process cache: the file may be rebuilt between runs
    model = read_model(os.environ.get("ALIGN_MODEL") or DEFAULT_MODEL)
    configs = settings()
    print(f"model: {os.environ.get('ALIGN_MODEL') or DEFAULT_MODEL} "
          f"({model.info.get('pairs')} pairs, {len(model.t_er.data)}+{len(model.t_re.data)} "
          f"table entries)")
    print(f"{'set':8} {'variant':9} {'system':17} {'F_str':>6} {'F_lax':>6} {'F_unl':>6} "
          f"{'n@.9':>6} {'acc@.9':>6} {'links':>6} {'+gold':>5} {'-gold':>5} {'sec':>7}")
    pooled: dict[tuple[str, str], list] = {}
    times: dict[tuple[str, str], float] = {}
    moved: dict[tuple[str, str], tuple[int, int]] = {}
    for variant in args.variants.split(","):
        for set_name in args.sets.split(","):
            cases = load_cases(set_name, variant)
            runs = run_variant(model, cases, configs)
            for system, (outs, sec, links) in runs.items():
                pairs = [(c[3], o) for c, o in zip(cases, outs)]
                gained, lost = changes(cases, runs["base"][0], outs)
                g0, l0 = moved.get((variant, system), (0, 0))
                moved[(variant, system)] = (g0 + gained, l0 + lost)
                pooled.setdefault((variant, system), []).extend(pairs)
                times[(variant, system)] = times.get((variant, system), 0.0) + sec
                sc = score_documents(pairs)
                n9, acc9 = confident_accuracy(pairs)
                print(f"{set_name:8} {variant:9} {system:17} {sc.f1_strict:6.4f} "
                      f"{sc.f1_lax:6.4f} {sc.f1_unlinked:6.4f} {n9:6d} {acc9:6.4f} "
                      f"{links:6d} {gained:5d} {lost:5d} {sec:7.2f}", flush=True)
    print("\nPooled over sets (micro average):")
    print(f"  {'variant':9} {'system':17} {'F_str':>6} {'F_lax':>6} {'F_unl':>6} "
          f"{'acc@.9':>6} {'+gold':>5} {'-gold':>5} {'sec':>7}")
    for (variant, system), pairs in pooled.items():
        sc = score_documents(pairs)
        _n9, acc9 = confident_accuracy(pairs)
        gained, lost = moved[(variant, system)]
        print(f"  {variant:9} {system:17} {sc.f1_strict:6.4f} {sc.f1_lax:6.4f} "
              f"{sc.f1_unlinked:6.4f} {acc9:6.4f} {gained:5d} {lost:5d} "
              f"{times[(variant, system)]:7.2f}")


if __name__ == "__main__":
    main()
