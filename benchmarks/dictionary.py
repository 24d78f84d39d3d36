"""What the Mueller + FreeDict dictionary adds to the aligner, as an optional extra.

    python benchmarks/dictionary.py [--out MODEL] [--variants natural,hard,abridged]

Builds a model exactly as ``align model train ../shared/data/train/en-ru.train.tsv.gz`` does,
plus the dictionary's pairs in the translation tables (``--extra-pairs``, one pair per Russian
alternative of each entry), then aligns the dev cases with the shipped model and with that one.
Takes about 8 minutes, most of it training. The dictionary is GPL-2+ (see the COPYING files in
``../shared/data/dict``): a model built with it is GPL too, so it is never shipped; ``--out``
keeps it for a user's own use (``align sentences --model``).
"""
from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from align.aligner import align_sentences  # noqa: E402
from align.evaluate import score_documents  # noqa: E402
from align.model import load_model  # noqa: E402
from align.train import train_model  # noqa: E402
from alignment import SETS, SHARED, load_cases  # noqa: E402

DICT = SHARED / "data" / "dict" / "en-ru.dictd-pairs.tsv.gz"
TRAIN = SHARED / "data" / "train" / "en-ru.train.tsv.gz"


def dictionary_pairs(path: Path) -> list[tuple[str, str]]:
    """``source<TAB>english<TAB>russian | russian ...`` lines as (english, russian) pairs."""
    pairs = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 3:
                continue
            en = cols[1].strip().strip("'-").strip()
            for ru in cols[2].split(" | "):
                if en and ru.strip():
                    pairs.append((en, ru.strip()))
    return pairs


def evaluate(model, variants):
    out = {}
    for variant in variants:
        pairs = [(gold, align_sentences(en, ru, model))
                 for set_name in SETS for _n, en, ru, gold in load_cases(set_name, variant)]
        out[variant] = score_documents(pairs)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--out", type=Path, help="keep the dictionary model here (GPL-2+)")
    ap.add_argument("--variants", default="natural,hard,abridged")
    args = ap.parse_args()
    for path in (DICT, TRAIN):
        if not path.is_file():
            sys.exit(f"not found: {path}")
    extra = dictionary_pairs(DICT)
    print(f"{len(extra)} dictionary pairs from {DICT.name}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp) / "dict.model"
        t0 = time.perf_counter()
        train_model(TRAIN, out, extra=extra, extra_names=[DICT.name])
        print(f"trained in {time.perf_counter() - t0:.0f} s", flush=True)
        models = {"shipped": load_model(), "+dictionary": load_model(out)}
        variants = args.variants.split(",")
        results = {name: evaluate(model, variants) for name, model in models.items()}
    print(f"\n{'variant':9} {'model':12} {'strict':>7} {'lax':>7} {'unlinked':>8}")
    for variant in variants:
        for name in models:
            sc = results[name][variant]
            print(f"{variant:9} {name:12} {sc.f1_strict:7.4f} {sc.f1_lax:7.4f} "
                  f"{sc.f1_unlinked:8.4f}")


if __name__ == "__main__":
    main()
