"""Reference-free adequacy benchmark: can ``align score --qe`` tell translations from neighbours?

    python benchmarks/qe.py                       # every set, the shipped model
    python benchmarks/qe.py --sets wmt21 --window 1 --json qe.json
    ALIGN_MODEL=path/to.model python benchmarks/qe.py

Positives are the dev sentence pairs: the 1-1 beads of ``../shared/data/bench/SET/natural``
(sentence pairs the translators made). Negatives are the same pairs with the Russian side
shuffled among neighbouring sentences: each English sentence gets the Russian sentence of
another 1-1 bead at most ``--window`` beads away in the same document (a hard negative: same
topic, same names, often the same numbers). Russian sentences identical to the right one are
never used as negatives.

Scores go through the model's adequacy calibration (see ``align.qe.Calibration``), as
``align score --qe`` does: Platt scaling that ``align model train`` fits on the *training*
file's held-out pairs (the pairs the translation tables never saw; never the benchmark) against
the same neighbour shuffle, and keeps in the model. ``--fit --table FILE`` fits the same into a
table keyed by the model file's digest, for a model that has none.

Printed per set and overall: ROC AUC (the chance that a random translation scores above a
random neighbour; ties count half), the share of translations at or above 0.5 and of
neighbours below 0.5 (what ``--min-score 0.5`` keeps and drops), and throughput. A length-ratio
score, ``-|log(len_en / len_ru)|``, is the baseline that needs no model.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from align.beads import read_beads  # noqa: E402
from align.fileio import read_text_lines  # noqa: E402

BENCH = ROOT.parent / "shared" / "data" / "bench"
TRAIN = ROOT.parent / "shared" / "data" / "train" / "en-ru.train.tsv.gz"
SETS = ("wmt21", "wmt22", "wmt23", "flores")


def load_pairs(set_name: str, window: int, seed: int):
    """(positives, negatives): lists of (en, ru), one negative per positive where possible."""
    rng = random.Random(f"{seed}:{set_name}")
    positives, negatives = [], []
    for gold in sorted((BENCH / set_name / "natural").glob("*.gold")):
        base = gold.with_suffix("")
        en, ru = read_text_lines(f"{base}.en"), read_text_lines(f"{base}.ru")
        links = [(b.src[0], b.tgt[0]) for b in read_beads(gold)
                 if len(b.src) == 1 and len(b.tgt) == 1]
        for k, (i, j) in enumerate(links):
            positives.append((en[i], ru[j]))
            choices = [links[m][1] for m in range(max(0, k - window),
                                                  min(len(links), k + window + 1))
                       if m != k and ru[links[m][1]] != ru[j]]
            if choices:
                negatives.append((en[i], ru[rng.choice(choices)]))
    return positives, negatives


def training_pairs(model, window: int, seed: int):
    """(positives, negatives) from the training file's held-out pairs, neighbours taken within
    each block of 50 consecutive pairs (the file is in document order): what
    ``align model train`` fits the model's own calibration on."""
    from align.train import TrainConfig, read_train_pairs, split_pairs
    from align.train.synthetic import adequacy_pairs

    every = int(model.info.get("config", {}).get("heldout_every", TrainConfig.heldout_every))
    _, held = split_pairs(read_train_pairs(TRAIN), TrainConfig(heldout_every=every))
    return adequacy_pairs(held, window, seed)


def fit(model, model_path: str, window: int, seed: int, table: str) -> None:
    from align.fileio import atomic_output
    from align.qe import file_sha256
    from align.train.fit import fit_calibration

    positives, negatives = training_pairs(model, window, seed)
    pos = model.score_pairs([e for e, _ in positives], [r for _, r in positives])
    neg = model.score_pairs([e for e, _ in negatives], [r for _, r in negatives])
    cal = fit_calibration(pos, neg, file_sha256(model_path))
    entries = []
    if os.path.isfile(table):
        entries = [e for e in json.loads(Path(table).read_text(encoding="utf-8"))
                   if e.get("model_sha256") != cal.model_sha256]
    entries.append({"model_sha256": cal.model_sha256, "a": round(cal.a, 6),
                    "b": round(cal.b, 6), "pairs": cal.pairs,
                    "fitted_on": f"{TRAIN.name} held-out pairs, neighbours within "
                                 f"{window}, seed {seed}"})
    with atomic_output(table) as out:
        out.write((json.dumps(entries, indent=2) + "\n").encode("utf-8"))
    print(f"fitted on {len(pos)} translations and {len(neg)} neighbours: a = {cal.a:.6f}, "
          f"b = {cal.b:.6f}; training-pair AUC {roc_auc(np.asarray(pos), np.asarray(neg)):.4f}")
    print(f"wrote {table}")


def roc_auc(pos: np.ndarray, neg: np.ndarray) -> float:
    """Mann-Whitney estimate of the area under the ROC curve, ties counted half."""
    scores = np.concatenate([pos, neg])
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores), dtype=np.float64)
    sorted_scores = scores[order]
    # average rank within each run of tied scores
    _, start, counts = np.unique(sorted_scores, return_index=True, return_counts=True)
    avg = start + (counts + 1) / 2.0
    ranks[order] = np.repeat(avg, counts)
    n_pos, n_neg = len(pos), len(neg)
    return float((ranks[:n_pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def length_score(pairs) -> np.ndarray:
    return np.array([-abs(math.log((len(e) + 1) / (len(r) + 1))) for e, r in pairs])


def evaluate(name: str, positives, negatives, model, calibration) -> dict:
    t0 = time.perf_counter()
    pos = np.asarray(model.score_pairs([e for e, _ in positives], [r for _, r in positives]))
    neg = np.asarray(model.score_pairs([e for e, _ in negatives], [r for _, r in negatives]))
    if calibration is not None:
        pos, neg = calibration.apply(pos), calibration.apply(neg)
    seconds = time.perf_counter() - t0
    return {"set": name, "positives": len(pos), "negatives": len(neg),
            "auc": roc_auc(pos, neg),
            "keep_translations": float((pos >= 0.5).mean()),
            "drop_neighbours": float((neg < 0.5).mean()),
            "auc_length_baseline": roc_auc(length_score(positives), length_score(negatives)),
            "pairs_per_second": (len(pos) + len(neg)) / seconds}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sets", default=",".join(SETS))
    ap.add_argument("--window", type=int, default=3,
                    help="negatives come from at most this many 1-1 beads away (default 3)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", help="also write the numbers to this JSON file")
    ap.add_argument("--fit", action="store_true",
                    help="fit an adequacy calibration on training pairs into --table (for a "
                         "model built without one; 'align model train' keeps its own)")
    ap.add_argument("--table", help="calibration table to read (and with --fit, write) "
                                    "(default: the calibration kept in the model)")
    args = ap.parse_args()
    if not BENCH.is_dir():
        sys.exit(f"benchmark data not found at {BENCH}")
    from align.model import DEFAULT_MODEL, load_model
    from align.qe import calibration_for

    model_path = os.environ.get("ALIGN_MODEL") or str(DEFAULT_MODEL)
    model = load_model(model_path)
    model.sp  # load the subword model before timing
    table = args.table
    if args.fit:
        if not table:
            sys.exit("--fit needs --table (align model train keeps the model's own calibration)")
        fit(model, model_path, args.window, args.seed, table)
        return
    calibration = calibration_for(model_path, table)
    rows, all_pos, all_neg = [], [], []
    for set_name in args.sets.split(","):
        positives, negatives = load_pairs(set_name, args.window, args.seed)
        all_pos += positives
        all_neg += negatives
        rows.append(evaluate(set_name, positives, negatives, model, calibration))
    rows.append(evaluate("all", all_pos, all_neg, model, calibration))
    header = (f"{'set':<8}{'pairs':>7}{'neg':>7}{'ROC AUC':>9}{'keep>=.5':>10}{'drop<.5':>9}"
              f"{'AUC len':>9}{'pairs/s':>9}")
    print(f"window {args.window}, seed {args.seed}, model "
          f"{os.environ.get('ALIGN_MODEL') or 'shipped'}, "
          + (f"calibrated (a = {calibration.a:.4f}, b = {calibration.b:.4f})" if calibration
             else "no calibration: raw model probabilities"))
    print(header)
    for r in rows:
        print(f"{r['set']:<8}{r['positives']:>7}{r['negatives']:>7}{r['auc']:>9.4f}"
              f"{r['keep_translations']:>10.3f}{r['drop_neighbours']:>9.3f}"
              f"{r['auc_length_baseline']:>9.4f}{r['pairs_per_second']:>9.0f}")
    if args.json:
        Path(args.json).write_text(json.dumps({"window": args.window, "seed": args.seed,
                                               "rows": rows}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
