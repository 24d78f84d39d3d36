"""Documents with known alignments, made from held-out training pairs: what the weights,
the skip costs and the calibration are fitted on (never the benchmark)."""
from __future__ import annotations

from typing import Sequence

import numpy as np


BOILER_EN = ("Photo: AP", "Read more:", "Advertisement", "Share this article", "Video",
             "Subscribe to our newsletter.", "Source: Interfax", "Related news",
             "(Reporting by staff; editing by the desk)", "Follow us on Twitter.")
BOILER_RU = ("Фото: РИА Новости", "Читайте также:", "Реклама", "Поделиться", "Видео",
             "Подписывайтесь на нашу рассылку.", "Источник: Интерфакс", "Новости по теме",
             "Материал подготовлен редакцией", "Следите за нами во ВКонтакте.")


def gold_set(gold) -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
    """A gold alignment as a set of (English indices, Russian indices) beads."""
    return {(tuple(s), tuple(t)) for s, t in gold}


def synthetic_docs(pairs: Sequence[tuple[str, str]], seed: int, size: int = 24, rounds: int = 1
                   ) -> list[tuple[list[str], list[str], list[tuple[tuple[int, ...], tuple[int, ...]]]]]:
    """Documents with known alignments, made from consecutive held-out training pairs.

    Each run of ``size`` pairs gives three documents: as is (with an occasional merge),
    *hard* (sentences lost on one side, adjacent sentences merged on one side, boilerplate
    lines inserted) and *abridged* (runs of 2-5 sentences missing on one side); ``rounds``
    repeats this with fresh random perturbations.
    """
    rng = np.random.default_rng(seed)
    docs = []
    for _round in range(rounds):
        for s in range(0, len(pairs) - size + 1, size):
            chunk = list(pairs[s:s + size])
            for kind in ("natural", "hard", "abridged"):
                docs.append(_perturb(chunk, kind, rng))
    return docs


def _join(a: str, b: str, rng: np.random.Generator) -> str:
    if a.endswith(".") and rng.random() < 0.5:
        return a[:-1] + (", " if rng.random() < 0.5 else "; ") + b[:1].lower() + b[1:]
    return a + " " + b


def _perturb(chunk: list[tuple[str, str]], kind: str, rng: np.random.Generator):
    # units: list of (en sentences, ru sentences) beads in order
    units: list[tuple[list[str], list[str]]] = [([e], [r]) for e, r in chunk]
    p_merge = {"natural": 0.03, "hard": 0.08, "abridged": 0.03}[kind]
    out: list[tuple[list[str], list[str]]] = []
    k = 0
    while k < len(units):
        e, r = units[k]
        if k + 1 < len(units) and rng.random() < p_merge:
            e2, r2 = units[k + 1]
            if rng.random() < 0.5:  # merge on the Russian side: 2-1
                out.append((e + e2, [_join(r[0], r2[0], rng)]))
            else:
                out.append(([_join(e[0], e2[0], rng)], r + r2))
            k += 2
            continue
        out.append((e, r))
        k += 1
    if kind == "hard":
        final: list[tuple[list[str], list[str]]] = []
        for e, r in out:
            if rng.random() < 0.03:
                if rng.random() < 0.5:
                    final.append(([str(rng.choice(BOILER_EN))], []))
                else:
                    final.append(([], [str(rng.choice(BOILER_RU))]))
            if len(e) == 1 and len(r) == 1 and rng.random() < 0.06:
                final.append((e, []) if rng.random() < 0.5 else ([], r))
                continue
            final.append((e, r))
        out = final
    elif kind == "abridged":
        final = []
        k = 0
        while k < len(out):
            if rng.random() < 0.07:
                run = int(rng.integers(2, 6))
                side = int(rng.integers(0, 2))
                for e, r in out[k:k + run]:
                    final.append((e, []) if side == 0 else ([], r))
                k += run
                continue
            final.append(out[k])
            k += 1
        out = final
    en: list[str] = []
    ru: list[str] = []
    gold = []
    for e, r in out:
        gold.append((tuple(range(len(en), len(en) + len(e))), tuple(range(len(ru), len(ru) + len(r)))))
        en.extend(e)
        ru.extend(r)
    # beads with both sides empty cannot occur; split n-0 beads into 1-0 beads as gold does
    flat = []
    for src, tgt in gold:
        if src and tgt:
            flat.append((src, tgt))
        else:
            flat.extend(((i,), ()) for i in src)
            flat.extend(((), (j,)) for j in tgt)
    return en, ru, flat


def adequacy_pairs(held: Sequence[tuple[str, str]], window: int = 3, seed: int = 1
                   ) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(translations, non-translations) for the adequacy calibration: each held-out pair,
    and its English with the Russian of a neighbour at most ``window`` pairs away in the same
    block of 50 (the training file is in document order, so neighbours are on topic)."""
    import random

    rng = random.Random(f"{seed}:train")
    negatives = []
    for k, (en, ru) in enumerate(held):
        block = k // 50
        choices = [held[m][1] for m in range(max(0, k - window), min(len(held), k + window + 1))
                   if m != k and m // 50 == block and held[m][1] != ru]
        if choices:
            negatives.append((en, rng.choice(choices)))
    return list(held), negatives
