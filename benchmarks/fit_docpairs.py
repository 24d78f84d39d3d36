"""Fit the weights of ``align docs``'s finer score (``align/data/docpair.json``).

The training archives are made the way ``benchmarks/docpairs.py`` makes its benchmark archives
(random names, documents in one language only, updated versions, missing headlines, mixed
encodings), but from the model's *held-out training pairs* (every 10th block of 50 consecutive
pairs of ``../shared/data/train/en-ru.train.tsv.gz``, which the translation tables never saw),
never from the benchmark documents. The training file keeps WMT newstest documents in order,
so a run of consecutive held-out pairs is a coherent story, and the runs next to it in the same
block are the hard negatives: same topic, same names. A logistic regression on the candidate
pairs' features (right pair or not) gives the weights and so a calibrated probability.

    python benchmarks/fit_docpairs.py [--archives N] [-o align/data/docpair.json]
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from docpairs import TRAIN, build_archive  # noqa: E402

from align.docpair import (FIRST, SECOND, THIRD, Logistic, Skipped, find_documents,  # noqa: E402
                           read_prepared, score_candidates)
from align.docpair.scoring import CONTEST, UNSURE_FEATURES, WEIGHTS_FILE  # noqa: E402
from align.model import load_model  # noqa: E402
from align.train.config import TrainConfig  # noqa: E402
from align.train.fit import logreg  # noqa: E402


def heldout_blocks() -> list[list[tuple[str, str]]]:
    """The held-out blocks of 50 consecutive news pairs (as ``align.train.split_pairs``)."""
    every = TrainConfig().heldout_every
    with gzip.open(TRAIN, "rt", encoding="utf-8") as fh:
        rows = [line.rstrip("\n").split("\t") for line in fh if line.strip()]
    blocks: dict[int, list[tuple[str, str]]] = {}
    for k, row in enumerate(rows):
        if (k // 50) % every == every - 1 and len(row) >= 3 and not row[2].startswith("tatoeba"):
            blocks.setdefault(k // 50, []).append((row[0].strip(), row[1].strip()))
    return [b for b in blocks.values() if len(b) >= 20]


def stories(blocks: list[list[tuple[str, str]]], rng: random.Random) -> list[dict]:
    """Each block cut into consecutive runs of 3-20 pairs: one story each."""
    out = []
    for block in blocks:
        i = 0
        while len(block) - i >= 3:
            k = min(rng.randint(3, 20), len(block) - i)
            run = block[i:i + k]
            out.append({"en": [a for a, _ in run], "ru": [b for _, b in run]})
            i += k
    return out


def archive_docs(model, root: Path) -> tuple[list, list, set]:
    gold = json.loads((root / "gold.json").read_text())
    items = find_documents([root / "en"], "en") + find_documents([root / "ru"], "ru")
    docs = [d for d in (read_prepared(model, i) for i in items) if not isinstance(d, Skipped)]
    return ([d for d in docs if d.lang == "en"], [d for d in docs if d.lang == "ru"],
            {tuple(p) for p in gold["pairs"]})


def labels(scored, en, ru, right, mask=None) -> np.ndarray:
    ie, jr = (scored.ie, scored.jr) if mask is None else (scored.ie[mask], scored.jr[mask])
    return np.array([(en[i].name, ru[j].name) in right for i, j in zip(ie, jr)], float)


def fit(X: np.ndarray, y: np.ndarray, names: tuple[str, ...], say: str) -> Logistic:
    w, b = logreg(X, y, l2=1.0)
    model = Logistic(names, tuple(float(x) for x in w), b)
    p = model(X)
    print(f"{say}: {len(y)} candidates, {int(y.sum())} right", file=sys.stderr)
    for lo, hi in ((0, .1), (.1, .3), (.3, .5), (.5, .7), (.7, .9), (.9, .99), (.99, 1.01)):
        sel = (p >= lo) & (p < hi)
        if sel.any():
            print(f"  p in [{lo:.2f}, {hi:.2f}): {int(sel.sum())} candidates, "
                  f"{y[sel].mean():.3f} right (mean p {p[sel].mean():.3f})", file=sys.stderr)
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archives", type=int, default=16)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("-o", "--output", type=Path, default=WEIGHTS_FILE)
    args = parser.parse_args()
    model = load_model()
    blocks = heldout_blocks()
    archives = []
    tmp = tempfile.mkdtemp(prefix="fit-docpairs-")  # stage three reads the files again
    for a in range(args.archives):
        rng = random.Random(args.seed + a)
        docs = stories(blocks, rng)
        root = Path(tmp) / f"a{a}"
        build_archive(root, docs, args.seed + a, bad=False)
        archives.append(archive_docs(model, root))
    X1, Y1 = [], []
    for en, ru, right in archives:
        scored = score_candidates(model, en, ru, weights={}, stages=1)
        X1.append(scored.first)
        Y1.append(labels(scored, en, ru, right))
    first = fit(np.concatenate(X1), np.concatenate(Y1), FIRST, "stage one")
    X2, Y2 = [], []
    for en, ru, right in archives:
        scored = score_candidates(model, en, ru, weights={"first": first}, stages=2)
        X2.append(scored.second)
        Y2.append(labels(scored, en, ru, right, scored.selected))
    second = fit(np.concatenate(X2), np.concatenate(Y2), SECOND, "stage two")
    X3, Y3, K3 = [], [], []
    for en, ru, right in archives:
        scored = score_candidates(model, en, ru, weights={"first": first, "second": second})
        X3.append(scored.third)
        K3.append(scored.contest)
        where = scored.third_rows
        Y3.append(np.array([(en[scored.ie[k]].name, ru[scored.jr[k]].name) in right
                            for k in where], float))
    X3, Y3, K3 = np.concatenate(X3), np.concatenate(Y3), np.concatenate(K3)
    cols = {name: k for k, name in enumerate(THIRD)}
    third = fit(X3[K3 == 1][:, [cols[f] for f in CONTEST]], Y3[K3 == 1], CONTEST,
                "stage three, contested")
    unsure = fit(X3[K3 == 0][:, [cols[f] for f in UNSURE_FEATURES]], Y3[K3 == 0],
                 UNSURE_FEATURES, "stage three, unsure")
    out = {"first": first.as_json(), "second": second.as_json(), "third": third.as_json(),
           "unsure": unsure.as_json(),
           "source": f"benchmarks/fit_docpairs.py --archives {args.archives} --seed {args.seed}"
                     f": {sum(len(y) for y in Y1)} candidate pairs, "
                     f"{int(sum(y.sum() for y in Y1))} right, from held-out training pairs"}
    shutil.rmtree(tmp, ignore_errors=True)
    args.output.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
