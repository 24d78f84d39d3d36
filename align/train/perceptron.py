"""The structured perceptron that trains the aligner's weights and skip costs on whole
synthetic documents, decoding each with the aligner's own dynamic program."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..aligner import AlignParams
from ..dp import NEG, decode
from ..features import BEAD_TYPES, FEATURES, LEXICAL, PLANE, PLANES, cover_excess
from ..model import Model
from .synthetic import gold_set


def fit_structured(model: Model, docs, config, say, lexical: bool = True) -> None:
    """Train the bead weights and the skip costs so that the dynamic program decodes the
    gold alignment: an averaged structured perceptron with loss-augmented decoding (each
    wrong bead gets ``config.struct_margin`` extra while training), started from the bead
    classifier. With ``lexical=False`` the features from the translation tables stay at zero
    (the "no lexical model" baseline) and the result goes to ``params["nolex"]``."""
    defaults = AlignParams()
    nt, nb = len(PLANES), len(BEAD_TYPES)
    if lexical:
        w0, b0 = np.asarray(model.weights, np.float64), float(model.bias)
    else:
        w0 = np.asarray(model.params["nolex"]["weights"], np.float64)
        b0 = float(model.params["nolex"]["bias"])
    theta = np.concatenate([w0[:nt], w0[nt:] + b0,
                            [defaults.skip, -defaults.cover_skip if lexical else 0.0]])
    frozen = np.zeros(len(theta), dtype=bool)
    if not lexical:
        frozen[:nt] = [name in LEXICAL for name in PLANES]
        frozen[-1] = True
    prepared = [prepare_document(model, en, ru, gold, defaults.cover_floor)
                for en, ru, gold in docs if en and ru]
    total = np.zeros_like(theta)
    steps = 0
    rng = np.random.default_rng(config.seed)
    for epoch in range(config.struct_epochs):
        wrong = 0
        for k in rng.permutation(len(prepared)):
            doc = prepared[k]
            pred = decode_document(doc, theta, config.struct_margin)
            gold = doc["gold"]
            if pred != gold:
                wrong += 1
                step = (sum((bead_phi(doc, bead) for bead in gold - pred), np.zeros_like(theta))
                        - sum((bead_phi(doc, bead) for bead in pred - gold), np.zeros_like(theta)))
                theta += config.struct_rate * np.where(frozen, 0.0, step)
            total += theta
            steps += 1
        say(f"structured perceptron{'' if lexical else ' (no lexicon)'}, epoch {epoch + 1}: "
            f"{wrong} of {len(prepared)} documents decoded wrong")
    theta = total / max(steps, 1)
    align = {"skip": float(theta[-2]), "cover_skip": float(-theta[-1]),
             "cover_floor": defaults.cover_floor, "type_offset": [0.0] * nb,
             "cheap_skip": defaults.cheap_skip, "margin": defaults.margin}
    weights = theta[:nt + nb]
    if lexical:
        model.params["classifier"] = {"weights": [float(v) for v in w0], "bias": b0}
        model.weights = weights.astype(np.float32)
        model.bias = 0.0
        model.params["align"] = align
        say("aligner weights: " + ", ".join(f"{n}={v:.2f}" for n, v in zip(FEATURES, weights))
            + f"; skip {align['skip']:.2f}, cover skip {align['cover_skip']:.2f}")
    else:
        model.params["nolex"] = {"weights": [float(v) for v in weights], "bias": 0.0,
                                 "align": align}


def prepare_document(model: Model, en, ru, gold, cover_floor: float) -> dict[str, Any]:
    """What the perceptron needs of one synthetic document: every bead's feature planes,
    each sentence's coverage excess (the skip-cost feature) and the gold beads."""
    e, r = model.prepare(en, ru)
    planes = model.bead_planes(e, r, 0, len(en), 0, len(ru), BEAD_TYPES)
    one = planes[(1, 1)]
    cover_e = cover_excess(one[PLANE["wcov_e"]].max(1), cover_floor)
    cover_r = cover_excess(one[PLANE["wcov_r"]].max(0), cover_floor)
    gold_beads = gold_set(gold)
    wrong = {}
    for (a, b), pl in planes.items():
        mask = np.ones(pl.shape[1:], dtype=np.float32)
        for src, tgt in gold_beads:
            if len(src) == a and len(tgt) == b:
                mask[src[0], tgt[0]] = 0
        wrong[(a, b)] = mask
    skipped_e = {s[0] for s, t in gold_beads if not t}
    skipped_r = {t[0] for s, t in gold_beads if not s}
    return {"n": len(en), "m": len(ru), "planes": planes, "cover_e": cover_e,
            "cover_r": cover_r, "gold": gold_beads, "wrong": wrong,
            "wrong_e": np.array([i not in skipped_e for i in range(len(en))], np.float32),
            "wrong_r": np.array([j not in skipped_r for j in range(len(ru))], np.float32)}


def bead_phi(doc: dict[str, Any], bead) -> np.ndarray:
    nt, nb = len(PLANES), len(BEAD_TYPES)
    f = np.zeros(nt + nb + 2)
    src, tgt = bead
    if src and tgt:
        f[:nt] = doc["planes"][(len(src), len(tgt))][:, src[0], tgt[0]]
        f[nt + BEAD_TYPES.index((len(src), len(tgt)))] = 1
    else:
        f[-2] = 1
        f[-1] = doc["cover_e"][src[0]] if src else doc["cover_r"][tgt[0]]
    return f


def decode_document(doc: dict[str, Any], theta: np.ndarray, margin: float) -> set:
    """The best path under ``theta``, every wrong bead scored ``margin`` higher."""
    nt = len(PLANES)
    n, m = doc["n"], doc["m"]
    S = np.full((m + 1, 1 + len(BEAD_TYPES), n + 1), NEG, dtype=np.float32)
    for t, (a, b) in enumerate(BEAD_TYPES, start=1):
        pl = doc["planes"][(a, b)]
        if pl.shape[1] <= 0 or pl.shape[2] <= 0:
            continue
        z = (np.einsum("f,fpq->pq", theta[:nt], pl) + theta[nt + t - 1]
             + margin * doc["wrong"][(a, b)])
        S[b:b + z.shape[1], t, a:a + z.shape[0]] = z.T
    skip_r = theta[-2] + theta[-1] * doc["cover_r"] + margin * doc["wrong_r"]
    skip_e = theta[-2] + theta[-1] * doc["cover_e"] + margin * doc["wrong_e"]
    S[1:, 0, :] = skip_r[:, None]
    beads, _t = decode(S, ((0, 1),) + BEAD_TYPES, skip_e.astype(np.float32),
                        np.zeros(m + 1, dtype=np.int64), n + 1, n, m, posteriors=False)
    return {(tuple(src), tuple(tgt)) for src, tgt, _p in beads}
