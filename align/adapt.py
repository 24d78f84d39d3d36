"""A second alignment pass adapted to the input (Moore-style): retrain the lexical tables on
the input's own confident links, mix them with the shipped tables, and align again.

Why: the shipped translation tables come from 46k general news pairs. A large input (a book,
a year of a site's articles) has its own names, terms and spellings; Moore (2002) aligns once,
keeps the links the first pass is sure of, trains IBM Model 1 on them and realigns with that
input-specific lexicon. Here:

1. :func:`align.aligner.align_sentences` gives a first alignment with calibrated confidences;
2. the 1-1 links with confidence >= ``min_confidence`` are the training pairs (at most
   ``max_pairs`` of them, spread evenly over the input, so memory stays bounded);
3. :func:`align.train.tables.ibm1` trains ``t(ru|en)`` and ``t(en|ru)`` over the model's own
   sentencepiece pieces on those pairs, and each row the input saw is mixed with the shipped
   row, ``t = (1 - w) * t_model + w * t_input``; rows the input never saw keep the shipped
   values (the input-only table alone is far too sparse). ``w`` is either one fixed weight
   (``mix="fixed"``) or, by default, the input's share of the evidence when its sentence counts
   are added to the model's (``mix="counts"``: ``w = n_input / (n_input + n_model)`` per piece),
   so that well-known pieces barely move and the input's own names and terms do;
4. the mixed tables are pruned exactly as the shipped ones (:func:`align.train.tables.prune`: the best
   ``prune_top`` entries per row with ``t >= prune_min``, float16 precision) so that
   :meth:`align.model.Model.bead_logits` reads them unchanged, and the cheap first-pass vectors
   of English pieces are recomputed from the new ``t(ru|en)`` as ``build_tables`` does;
5. the input is aligned again with the adapted copy of the model.

Everything else in the model (classifier weights, costs, calibration) is kept: they were fitted
for tables of the shipped kind, and the mixture keeps the tables of that kind. The adapted
model lives in memory only. Deterministic: same input and model, same output.

Whether it helps is measured by ``benchmarks/adapt.py``.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from .model import NULL, Model, Table, load_model
from .train.config import TrainConfig
from .train.tables import english_vectors, ibm1, prune
from .types import Bead


MIXES = ("fixed", "counts")


@dataclass(frozen=True)
class AdaptConfig:
    """Knobs of the second pass."""

    weight: float = 0.5  # mix="fixed": share of the input-trained table in a row the input saw
    min_confidence: float = 0.9  # first-pass 1-1 links at least this sure train the tables
    min_links: int = 200  # fewer confident links than this: nothing to learn, keep pass one
    max_pairs: int = 5000  # at most this many training links (evenly spread): bounded memory
    iterations: int = 5  # EM iterations of IBM Model 1 on the links
    # How rows mix: "fixed" (``weight`` for every row the input saw) or "counts" (the input's
    # sentence counts added to the model's; ``weight`` unused), see ``_row_weights``. "counts"
    # is the default because it never lost a gold link in benchmarks/adapt.py where a fixed
    # weight of 0.5 lost as many as it gained on hard and abridged: it moves the rows of
    # common pieces too. (Neither gains enough to be worth 3.5x the time: see the README.)
    mix: str = "counts"

    def __post_init__(self) -> None:
        if not 0.0 <= self.weight <= 1.0:
            raise ValueError(f"weight must be in [0, 1], not {self.weight}")
        if not 0.0 <= self.min_confidence <= 1.0:
            raise ValueError(f"min_confidence must be in [0, 1], not {self.min_confidence}")
        if self.mix not in MIXES:
            raise ValueError(f"mix must be one of {', '.join(MIXES)}, not {self.mix!r}")
        if self.max_pairs < 1 or self.iterations < 1 or self.min_links < 1:
            raise ValueError("max_pairs, iterations and min_links must be positive")


def _copy(model: Model) -> Model:
    """An unadapted copy whose params and info can change without touching ``model``."""
    return dataclasses.replace(model, params=dict(model.params), info=dict(model.info))


def confident_pairs(src: Sequence[str], tgt: Sequence[str], beads: Sequence[Bead],
                    min_confidence: float = AdaptConfig.min_confidence) -> list[tuple[str, str]]:
    """The ``(english, russian)`` texts of the 1-1 beads with confidence >= ``min_confidence``,
    in input order (merged beads are left out: their piece co-occurrences are diluted)."""
    return [(src[b.src[0]], tgt[b.tgt[0]]) for b in beads
            if len(b.src) == 1 and len(b.tgt) == 1 and b.score >= min_confidence]


def _spread(pairs: Sequence[tuple[str, str]], limit: int) -> list[tuple[str, str]]:
    """At most ``limit`` pairs taken evenly over the sequence (deterministic)."""
    if len(pairs) <= limit:
        return list(pairs)
    keep = np.unique(np.linspace(0, len(pairs) - 1, limit).round().astype(np.int64))
    return [pairs[int(k)] for k in keep]


def _mix(table: Table, uniq: np.ndarray, given: np.ndarray, t_in: np.ndarray, vocab: int,
         row_weight: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(keys, rows, t)`` of the mixture: row ``g`` is ``(1-w[g]) t_model + w[g] t_in``
    (``w`` is 0 for rows the input never saw). Keys are ``row * vocab + column``."""
    rows = np.repeat(np.arange(table.rows, dtype=np.int64), np.diff(table.indptr))
    m_keys = rows * vocab + table.indices.astype(np.int64)
    keys = np.concatenate([m_keys, uniq.astype(np.int64)])
    vals = np.concatenate([table.data.astype(np.float64) * (1.0 - row_weight[rows]),
                           row_weight[given] * t_in])
    out_keys, inv = np.unique(keys, return_inverse=True)
    t = np.bincount(inv.ravel(), weights=vals, minlength=len(out_keys))
    return out_keys, out_keys // vocab, t


def _row_weights(model: Model, given_side: Sequence[np.ndarray], vocab: int,
                 config: AdaptConfig) -> np.ndarray:
    """Per table row, the share of the input-trained row in the mixture.

    ``fixed``: ``config.weight`` for every row the input saw. ``counts``: the input's evidence
    added to the model's as counts, ``n_in / (n_in + n_model)``, where ``n`` counts sentences
    holding the piece: ``n_model`` is recovered from the model's idf (document frequency over
    the table-training sentences of both languages), so pieces the training data saw often
    hardly move and pieces it barely saw (names, terms of this input) follow the input.
    """
    n_in = np.zeros(vocab)
    for ids in given_side:
        n_in[np.unique(ids)] += 1
    n_in[NULL] = len(given_side)
    sentences = 2 * int(model.info.get("table_pairs") or 0)
    if config.mix == "fixed" or not sentences or len(model.idf) != vocab:
        # (a model that does not say how many pairs trained its tables: fixed weight)
        return np.where(n_in > 0, config.weight, 0.0)
    n_model = np.maximum((sentences + 1) * np.exp(-model.idf.astype(np.float64)) - 1, 0.0)
    n_model[NULL] = sentences / 2
    return n_in / np.maximum(n_in + n_model, 1e-9)


def adapt_tables(model: Model, pairs: Sequence[tuple[str, str]],
                 config: AdaptConfig = AdaptConfig()) -> Model:
    """A copy of ``model`` whose translation tables (both directions) are mixed with IBM
    Model 1 tables trained on ``pairs``; ``model`` itself is not changed."""
    pairs = _spread(pairs, config.max_pairs)
    if not pairs or (config.mix == "fixed" and config.weight == 0.0):
        return _copy(model)
    V = model.vocab
    tc = model.info.get("config", {})
    prune_min = float(tc.get("prune_min", TrainConfig.prune_min))
    prune_top = int(tc.get("prune_top", TrainConfig.prune_top))
    en_ids = [np.array(x, dtype=np.int64) for x in model.pieces([e for e, _ in pairs])]
    ru_ids = [np.array(x, dtype=np.int64) for x in model.pieces([r for _, r in pairs])]
    # Model 1 needs at least one piece on the generated side; an empty normalised sentence
    # (only spaces, say) carries no lexical evidence anyway.
    keep = [k for k in range(len(pairs)) if len(en_ids[k]) and len(ru_ids[k])]
    en_ids = [en_ids[k] for k in keep]
    ru_ids = [ru_ids[k] for k in keep]
    if not keep:
        return _copy(model)
    tables = []
    for table, given_side, other_side in ((model.t_er, en_ids, ru_ids),
                                          (model.t_re, ru_ids, en_ids)):
        uniq, given, t_in = ibm1(given_side, other_side, V, config.iterations)
        keys, rows, t = _mix(table, uniq, given, t_in, V,
                             _row_weights(model, given_side, V, config))
        tables.append(prune(keys, rows, t, V, prune_min, prune_top))
    t_er, t_re = tables
    # the cheap first-pass vectors of English pieces follow the new t(ru|en)
    info = {**model.info, "adapted": {"pairs": len(keep), **dataclasses.asdict(config)}}
    return dataclasses.replace(model, t_er=t_er, t_re=t_re,
                               emb_en=english_vectors(t_er, model.emb_ru),
                               params=dict(model.params), info=info)


def adapt_model(model: Model, src: Sequence[str], tgt: Sequence[str], beads: Sequence[Bead],
                config: AdaptConfig = AdaptConfig()) -> Model:
    """A copy of ``model`` adapted to one input, from its first-pass ``beads``.

    With fewer than ``config.min_links`` confident 1-1 links the input is too small to learn
    from and an unchanged copy is returned.
    """
    pairs = confident_pairs(src, tgt, beads, config.min_confidence)
    if len(pairs) < config.min_links:
        return _copy(model)
    return adapt_tables(model, pairs, config)


def align_adapted(src: Sequence[str], tgt: Sequence[str], model: Model | None = None, *,
                  config: AdaptConfig = AdaptConfig(), **kw: Any) -> list[Bead]:
    """Align, adapt the model to the input's confident links, and align again.

    ``kw`` goes to :func:`align.aligner.align_sentences` in both passes (``boundaries``,
    ``max_bead``, ``params``, ``encoder``...). An input with fewer than ``config.min_links``
    confident links returns the first pass unchanged.
    """
    from .aligner import align_sentences

    model = model if model is not None else load_model()
    first = align_sentences(src, tgt, model, **kw)
    pairs = confident_pairs(src, tgt, first, config.min_confidence)
    if len(pairs) < config.min_links:
        return first
    return align_sentences(src, tgt, adapt_tables(model, pairs, config), **kw)
