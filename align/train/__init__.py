"""Training the model (``align model train``): tables from most of the training pairs, then
weights, skip costs and calibration on synthetic documents built from the held-out rest.

* :mod:`align.train.tables`: sentencepiece, IBM Model 1 both ways, pruning, first-pass
  vectors, piece idf;
* :mod:`align.train.synthetic`: documents with known alignments from held-out pairs;
* :mod:`align.train.fit`: logistic regression (Newton), Platt scaling, isotonic regression;
* :mod:`align.train.perceptron`: the structured perceptron over the aligner's dynamic program.

Deterministic: the same training file gives the same model file, byte for byte.
"""
from __future__ import annotations

import gzip
import os
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from ..errors import InputError
from ..aligner import AlignParams, align_sentences
from ..features import FEATURES, LEXICAL, length_ratio
from ..model import Model, save_model
from .config import TrainConfig
from .fit import fit_calibration, isotonic, logreg
from .perceptron import fit_structured
from .synthetic import adequacy_pairs, gold_set, synthetic_docs
from .tables import build_tables


def read_train_pairs(path: str | os.PathLike[str]) -> list[tuple[str, str]]:
    """``en<TAB>ru[<TAB>...]`` lines (gzip or plain) as pairs; bad rows raise ``InputError``."""
    from ..fileio import decode_utf8, read_bytes

    name = str(path)
    raw = read_bytes(path)
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise InputError(f"bad gzip data ({exc})", name) from None
    text = decode_utf8(raw, name)
    pairs = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) < 2 or not cols[0].strip() or not cols[1].strip():
            raise InputError("expected 'english<TAB>russian'", name, lineno)
        pairs.append((cols[0].strip(), cols[1].strip()))
    if not pairs:
        raise InputError("no training pairs", name)
    return pairs


def train_model(train_path: str | os.PathLike[str], out_path: str | os.PathLike[str] | None,
                config: TrainConfig = TrainConfig(),
                log: Callable[[str], None] | None = None,
                pairs: Sequence[tuple[str, str]] | None = None,
                extra: Sequence[tuple[str, str]] = (),
                extra_names: Sequence[str] = ()) -> Model:
    """Build the model from a training TSV and (if ``out_path``) save it. Deterministic.

    ``extra`` pairs (a dictionary, a term base; ``extra_names`` are their files, recorded in
    the model) join the table pairs (Model 1 tables, piece idf, first-pass vectors); the
    vocabulary, the held-out pairs and everything learned from those stay as without them.
    A model built with them is a work derived from them, under their licence."""
    say = log or (lambda _m: None)
    if pairs is None:
        pairs = read_train_pairs(train_path)
    train, held = split_pairs(pairs, config)
    say(f"{len(pairs)} pairs: {len(train)} for the tables, {len(held)} held out for weights"
        + (f"; {len(extra)} extra pairs for the tables" if extra else ""))
    model = build_tables(pairs, list(train) + list(extra), config, say)
    fit_stage(model, held, config, say)
    model.info = {"train_file": Path(str(train_path)).name if train_path else None,
                  "pairs": len(pairs), "table_pairs": len(train), "heldout_pairs": len(held),
                  "vocab": model.vocab - 1, "config": config.__dict__,
                  "licence": "derived from the training pairs; see README for provenance"}
    if extra:
        model.info["extra_pairs"] = len(extra)
        model.info["extra_files"] = [Path(str(name)).name for name in extra_names]
        model.info["licence"] += "; also from the extra pairs, whose licence applies to it"
    if out_path is not None:
        save_model(model, out_path)
        say(f"wrote {out_path}")
    return model


def fit_stage(model: Model, held: Sequence[tuple[str, str]], config: TrainConfig,
              say: Callable[[str], None]) -> None:
    """Learn the bead classifier, the aligner's costs and the calibration on synthetic
    documents made from the held-out pairs (the tables must already be in ``model``)."""
    say("synthetic documents from held-out pairs")
    docs = synthetic_docs(held, config.seed)
    fit_docs = docs[0::2]
    _fit_weights(model, fit_docs, say)
    _fit_cheap(model, fit_docs)
    # The bead classifier's log-odds are a start, not the aligner's best scores: they judge
    # each bead alone, while the dynamic program weighs a merge against a link plus a skip.
    # A structured perceptron trains the weights and skip costs on whole decoded documents.
    many = synthetic_docs(held, config.seed + 1, rounds=config.struct_rounds)
    struct_docs, cal_docs = many[0::2], many[1::2]
    fit_structured(model, struct_docs, config, say)
    fit_structured(model, struct_docs, config, say, lexical=False)
    _calibrate(model, cal_docs, say)
    _fit_adequacy(model, held, say)


def split_pairs(pairs: Sequence[tuple[str, str]], config: TrainConfig = TrainConfig()):
    """(table pairs, held-out pairs): every ``heldout_every``-th block of 50 is held out."""
    block, every = 50, config.heldout_every
    held = [p for k, p in enumerate(pairs) if (k // block) % every == every - 1]
    train = [p for k, p in enumerate(pairs) if (k // block) % every != every - 1]
    return train, held


def _fit_weights(model: Model, docs, say) -> None:
    Xs, ys = [], []
    for en, ru, gold in docs:
        e, r = model.prepare(en, ru)
        feats = model.features(e, r, 0, len(en), 0, len(ru))
        gset = gold_set(gold)
        # English start of the gold path at each Russian sentence, for "near the path"
        start_at = np.zeros(len(ru) + 1, dtype=np.int64)
        for s, t in gold:
            if t:
                start_at[t[0]] = s[0] if s else -1
        last = 0
        for j in range(len(ru) + 1):
            if start_at[j] < 0 or (j > 0 and start_at[j] == 0 and last > 0):
                start_at[j] = last
            last = start_at[j]
        for (a, b), f in feats.items():
            if f.size == 0:
                continue
            P, Q = f.shape[:2]
            p, q = np.meshgrid(np.arange(P), np.arange(Q), indexing="ij")
            near = np.abs(p - start_at[q]) <= 4
            lab = np.array([((tuple(range(pp, pp + a)), tuple(range(qq, qq + b))) in gset)
                            for pp, qq in zip(p[near], q[near])], dtype=np.float64)
            Xs.append(f[near])
            ys.append(lab)
    X = np.concatenate(Xs)
    y = np.concatenate(ys)
    w, b = logreg(X, y)
    model.weights = w.astype(np.float32)
    model.bias = b
    # The same classifier without the translation tables, for the "DP without the lexical
    # model" baseline of benchmarks/alignment.py.
    keep = np.array([name not in LEXICAL for name in FEATURES])
    w2, b2 = logreg(X[:, keep], y)
    full = np.zeros(len(FEATURES))
    full[keep] = w2
    model.params["nolex"] = {"weights": [float(v) for v in full], "bias": b2}
    say(f"bead classifier: {len(y)} candidates, {int(y.sum())} right; weights "
        + ", ".join(f"{n}={v:.2f}" for n, v in zip(FEATURES, w)))


def _fit_cheap(model: Model, docs) -> None:
    Xs, ys = [], []
    for en, ru, gold in docs:
        e, r = model.prepare(en, ru)
        ve, vr = model.vectors(e, "en"), model.vectors(r, "ru")
        norms = np.linalg.norm(ve, axis=1)[:, None] * np.linalg.norm(vr, axis=1)[None, :]
        cos = (ve @ vr.T) / (norms + 1e-6)
        lr = length_ratio(e.nchar[:, None], r.nchar[None, :])
        lab = np.zeros_like(cos)
        for s, t in gold:
            if len(s) == 1 and len(t) == 1:
                lab[s[0], t[0]] = 1
        Xs.append(np.stack([cos.ravel(), lr.ravel()], 1))
        ys.append(lab.ravel())
    w, b = logreg(np.concatenate(Xs), np.concatenate(ys), l2=0.1)
    model.cheap = np.array([w[0], w[1], b], dtype=np.float32)


def _fit_adequacy(model: Model, held: Sequence[tuple[str, str]], say) -> None:
    """Platt scaling of :meth:`Model.score_pairs` on held-out translations against their
    neighbours, kept in the model (``params["adequacy"]``), so that an adequacy of 0.5 means
    as likely a translation as not (see :class:`align.qe.Calibration`)."""
    positives, negatives = adequacy_pairs(held)
    if not positives or not negatives:
        return
    pos = model.score_pairs([e for e, _ in positives], [r for _, r in positives])
    neg = model.score_pairs([e for e, _ in negatives], [r for _, r in negatives])
    cal = fit_calibration(pos, neg)
    model.params["adequacy"] = {"a": round(cal.a, 6), "b": round(cal.b, 6), "pairs": cal.pairs}
    say(f"adequacy calibration: a = {cal.a:.4f}, b = {cal.b:.4f} on {len(pos)} translations "
        f"and {len(neg)} neighbours")


def _calibrate(model: Model, docs, say) -> None:
    params = AlignParams.from_model(model)
    outs = [align_sentences(en, ru, model, params=params, calibrate=False) for en, ru, _g in docs]
    xs, ys = [], []
    for (_e, _r, gold), out in zip(docs, outs):
        gset = gold_set(gold)
        for bead in out:
            xs.append(bead.score)
            ys.append(1.0 if (bead.src, bead.tgt) in gset else 0.0)
    kx, ky = isotonic(np.array(xs), np.array(ys))
    model.params["calibration"] = [kx, ky]
    say(f"calibration: {len(xs)} beads, {sum(ys) / max(len(ys), 1):.4f} right")
