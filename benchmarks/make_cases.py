"""Build sentence-alignment cases, in the dev benchmark's layout, from the shared source documents.

The dev benchmark (``../shared/data/bench``) covers wmt21, wmt22, wmt23 and flores. This script
makes cases of the same four kinds from documents the dev sets do not use (by default the
WMT24 English-Russian documents), so that a change tuned on dev can be checked on text it has
never seen:

* ``natural``: with ``--unit segment`` (the default) each paired segment is one line on each
  side, so the gold is exact; with ``--unit sentence`` each segment is split into sentences
  by ``align.segment`` and the gold links them 1-1, in order, when both sides have the same
  number, else keeps the segment as one n-m bead (the dev gold's convention). On documents
  whose segments are paragraphs (WMT24) that gold is approximate: equal counts do not always
  mean sentence k translates sentence k;
  With ``--unit split`` a segment is split into sentences only where one of its sides is
  one sentence, so a translator's split (one English sentence, two Russian) is an exact 1-2
  gold bead; other segments stay one line a side. This is the English-original set
  (WMT24 en-ru and FLORES, ``--docs``) that shows such splits;
* ``hard``: natural, plus adjacent sentences merged on one side, sentences dropped from one
  side and boilerplate lines (photo credits, newsletter prompts) inserted on one side;
* ``abridged``: natural with runs of 2-5 beads dropped from one side, about a fifth of the text;
* ``long``: every natural document of the set concatenated into one case, ``all``.

The boilerplate lines differ from the ones the model's synthetic training documents use.
Output is deterministic for a given ``--seed``::

    python benchmarks/make_cases.py OUTDIR [--unit segment|sentence|split] [--docs FILE ...] [--seed S]
    python benchmarks/alignment.py --bench OUTDIR
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from align.beads import format_bead  # noqa: E402
from align.segment import split_sentences  # noqa: E402
from align.types import Bead  # noqa: E402

DOCS = ROOT.parent / "shared" / "data" / "docs"
DEFAULT_DOCS = ("docs_wmt24_en-ru.jsonl.gz",)
BOILER_EN = ("Photo: Getty Images", "Sign up for our daily briefing.",
             "Share this story on Facebook and X.", "Image caption: file photo")
BOILER_RU = ("Фото: Reuters", "Подписывайтесь на наш канал в Telegram.",
             "Читайте также: главные новости дня", "Фото из открытых источников")

Unit = tuple[list[str], list[str]]  # one gold bead: English lines, Russian lines


def read_docs(paths: list[Path]) -> Iterator[dict]:
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                doc = json.loads(line)
                if doc.get("domain") != "canary" and doc.get("en") and doc.get("ru"):
                    yield doc


def lines(text: str, lang: str) -> list[str]:
    # one sentence a line, as in the dev files: no line breaks inside a sentence
    return [re.sub(r"\s+", " ", s.text).strip() for s in split_sentences(text, lang)
            if s.text.strip()]


def natural_units(doc: dict, unit: str = "sentence") -> list[Unit]:
    units: list[Unit] = []
    for en_seg, ru_seg in zip(doc["en"], doc["ru"]):
        if unit == "segment":
            es, rs = [" ".join(lines(en_seg, "en"))], [" ".join(lines(ru_seg, "ru"))]
            es, rs = [x for x in es if x], [x for x in rs if x]
        elif unit == "split":
            es, rs = lines(en_seg, "en"), lines(ru_seg, "ru")
            if len(es) == len(rs) == 1:
                units.append((es, rs))
            elif es and rs and min(len(es), len(rs)) == 1 and max(len(es), len(rs)) <= 3:
                units.append((es, rs))  # one sentence on one side: the 1-n gold is exact
            elif es or rs:
                units.append(([" ".join(es)] if es else [], [" ".join(rs)] if rs else []))
            continue
        else:
            es, rs = lines(en_seg, "en"), lines(ru_seg, "ru")
        if len(es) == len(rs):
            units.extend(([e], [r]) for e, r in zip(es, rs))
        elif es or rs:
            units.append((es, rs))
    return units


def hard_units(units: list[Unit], rng: random.Random) -> list[Unit]:
    out: list[Unit] = []
    k = 0
    while k < len(units):
        e, r = units[k]
        one_one = len(e) == 1 and len(r) == 1
        if one_one and k + 1 < len(units) and units[k + 1][0] and units[k + 1][1] \
                and rng.random() < 0.06:
            e2, r2 = units[k + 1]
            if rng.random() < 0.5:
                out.append(([" ".join(e + e2)], r + r2))
            else:
                out.append((e + e2, [" ".join(r + r2)]))
            k += 2
            continue
        if rng.random() < 0.03:
            out.append(([rng.choice(BOILER_EN)], []) if rng.random() < 0.5
                       else ([], [rng.choice(BOILER_RU)]))
        if one_one and rng.random() < 0.05:
            out.append((e, []) if rng.random() < 0.5 else ([], r))
        else:
            out.append((e, r))
        k += 1
    return out


def abridged_units(units: list[Unit], rng: random.Random) -> list[Unit]:
    out: list[Unit] = []
    k = 0
    while k < len(units):
        if k > 0 and rng.random() < 0.07:
            run = rng.randint(2, 5)
            side = rng.randint(0, 1)
            out.extend((e, []) if side == 0 else ([], r) for e, r in units[k:k + run])
            k += run
            continue
        out.append(units[k])
        k += 1
    return out


def flatten(units: list[Unit]) -> tuple[list[str], list[str], list[Bead]]:
    en: list[str] = []
    ru: list[str] = []
    gold: list[Bead] = []
    for e, r in units:
        src = tuple(range(len(en), len(en) + len(e)))
        tgt = tuple(range(len(ru), len(ru) + len(r)))
        if src and tgt:
            gold.append(Bead(src, tgt))
        else:  # sentences with no counterpart are 1-0 / 0-1 beads, one each
            gold.extend(Bead((i,), ()) for i in src)
            gold.extend(Bead((), (j,)) for j in tgt)
        en.extend(e)
        ru.extend(r)
    return en, ru, gold


def write_case(directory: Path, name: str, units: list[Unit]) -> None:
    en, ru, gold = flatten(units)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{name}.en").write_text("".join(x + "\n" for x in en), encoding="utf-8")
    (directory / f"{name}.ru").write_text("".join(x + "\n" for x in ru), encoding="utf-8")
    (directory / f"{name}.gold").write_text(
        "".join(format_bead(b, with_score=False) + "\n" for b in gold), encoding="utf-8")


def set_name(doc: dict) -> str:
    return re.sub(r"[^a-z0-9]+", "", doc["set"].split(".")[0].lower()) or "docs"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--docs", type=Path, nargs="*",
                    default=[DOCS / name for name in DEFAULT_DOCS])
    ap.add_argument("--unit", choices=("segment", "sentence", "split"), default="segment",
                    help="one line per paired segment (exact gold), per sentence (the dev "
                         "convention), or split: per sentence where one side of the segment "
                         "is one sentence (exact 1-1, 1-2, 2-1, 1-3, 3-1 gold), else per "
                         "segment")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--max-lines", type=int, default=400,
                    help="skip documents with more lines than this on either side")
    args = ap.parse_args()
    missing = [str(p) for p in args.docs if not p.is_file()]
    if missing:
        sys.exit(f"documents not found: {', '.join(missing)}")
    long: dict[str, list[Unit]] = {}
    count = 0
    for doc in read_docs(args.docs):
        units = natural_units(doc, args.unit)
        n_en = sum(len(e) for e, _ in units)
        n_ru = sum(len(r) for _, r in units)
        if not units or max(n_en, n_ru) > args.max_lines:
            continue
        s = set_name(doc)
        name = re.sub(r"[^A-Za-z0-9._-]+", "_", doc["doc_id"])
        rng = random.Random(f"{args.seed}:{doc['set']}:{doc['doc_id']}")
        write_case(args.outdir / s / "natural", name, units)
        write_case(args.outdir / s / "hard", name, hard_units(units, rng))
        write_case(args.outdir / s / "abridged", name, abridged_units(units, rng))
        long.setdefault(s, []).extend(units)
        count += 1
    for s, units in long.items():
        write_case(args.outdir / s / "long", "all", units)
    print(f"{count} documents -> {args.outdir}")


if __name__ == "__main__":
    main()
