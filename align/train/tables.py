"""The model's tables: the subword vocabulary, IBM Model 1 translation tables both ways,
their pruning, the cheap first-pass vectors and piece idf (the first half of training)."""
from __future__ import annotations

import io
from typing import Callable, Iterable, Sequence

import numpy as np

from ..features import FEATURES, normalize
from ..model import NULL, Model, Table
from .config import TrainConfig


def build_tables(pairs: Sequence[tuple[str, str]], train: Sequence[tuple[str, str]],
                 config: TrainConfig, say: Callable[[str], None]) -> Model:
    """The subword vocabulary (from all ``pairs``), Model 1 tables (from ``train``) and the
    cheap first-pass vectors; weights and costs are left at zero for :func:`fit_stage`."""
    say("training sentencepiece")
    vocab_size = min(config.vocab_size, max(200, len({w for e, r in pairs
                                                       for w in normalize(e + " " + r).split()})))
    sp_bytes = _train_sentencepiece(
        (normalize(t) for e, r in pairs for t in (e, r)), vocab_size, config.seed)
    model = Model(sp_bytes, Table(np.zeros(1, np.int64), np.zeros(0, np.int32),
                                  np.zeros(0, np.float32)),
                  Table(np.zeros(1, np.int64), np.zeros(0, np.int32), np.zeros(0, np.float32)),
                  np.zeros((1, 1), np.float32), np.zeros((1, 1), np.float32),
                  np.zeros(len(FEATURES), np.float32), 0.0, np.zeros(3, np.float32))
    V = model.sp.get_piece_size() + 1
    en_ids = [np.array(x, dtype=np.int64) for x in model.pieces([e for e, _ in train])]
    ru_ids = [np.array(x, dtype=np.int64) for x in model.pieces([r for _, r in train])]
    say("IBM Model 1, English -> Russian")
    model.t_er = prune(*ibm1(en_ids, ru_ids, V, config.em_iterations, say), V,
                        config.prune_min, config.prune_top)
    say("IBM Model 1, Russian -> English")
    model.t_re = prune(*ibm1(ru_ids, en_ids, V, config.em_iterations, say), V,
                        config.prune_min, config.prune_top)
    # Cheap first-pass vectors: random projection of idf-weighted Russian pieces; English
    # pieces map through t(ru|en) into the same space.
    rng = np.random.default_rng(config.seed)
    df = np.zeros(V)
    for ids in ru_ids:
        df[np.unique(ids)] += 1
    idf = np.log((len(ru_ids) + 1) / (df + 1)).astype(np.float32)
    G = rng.standard_normal((V, config.emb_dim)).astype(np.float32) / np.sqrt(config.emb_dim)
    emb_ru = (G * idf[:, None]).astype(np.float16).astype(np.float32)
    model.emb_en = english_vectors(model.t_er, emb_ru)
    model.emb_ru = emb_ru
    model.idf = piece_idf(en_ids + ru_ids, V)
    return model


def english_vectors(t_er: Table, emb_ru: np.ndarray) -> np.ndarray:
    """The cheap first-pass vector of each English piece: the t(ru|en)-weighted sum of the
    Russian piece vectors (float16 precision, as stored)."""
    rows = np.repeat(np.arange(t_er.rows), np.diff(t_er.indptr))
    emb_en = np.zeros((t_er.rows, emb_ru.shape[1]), dtype=np.float32)
    np.add.at(emb_en, rows, t_er.data[:, None] * emb_ru[t_er.indices])
    emb_en[NULL] = 0
    return emb_en.astype(np.float16).astype(np.float32)


def piece_idf(sentences: Sequence[np.ndarray], vocab: int) -> np.ndarray:
    """Inverse document frequency of each piece over both languages' sentences (float16
    precision, as stored)."""
    df = np.zeros(vocab)
    for ids in sentences:
        df[np.unique(ids)] += 1
    idf = np.log((len(sentences) + 1) / (df + 1))
    return idf.astype(np.float16).astype(np.float32)


def _train_sentencepiece(texts: Iterable[str], vocab_size: int, seed: int) -> bytes:
    import sentencepiece as spm

    buf = io.BytesIO()
    if hasattr(spm, "set_random_generator_seed"):
        spm.set_random_generator_seed(seed)
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(texts), model_writer=buf, vocab_size=vocab_size,
        model_type="unigram", character_coverage=0.9999, num_threads=1,
        input_sentence_size=0, shuffle_input_sentence=False,
        hard_vocab_limit=False, minloglevel=2, bos_id=-1, eos_id=-1)
    return buf.getvalue()


def ibm1(src: Sequence[np.ndarray], tgt: Sequence[np.ndarray], vocab: int, iterations: int,
         log: Callable[[str], None] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """IBM Model 1 ``t(tgt piece | src piece)`` by EM, with the empty word as source 0.

    Returns the co-occurring (src, tgt) keys and their probabilities (sparse, sorted by key).
    """
    s_len = np.array([len(x) + 1 for x in src], dtype=np.int64)  # + the empty word
    t_len = np.array([len(x) for x in tgt], dtype=np.int64)
    s_all = np.concatenate([np.concatenate([[NULL], x]) for x in src]).astype(np.int64)
    t_all = np.concatenate([np.asarray(x, dtype=np.int64) for x in tgt])
    s_ptr = np.concatenate([[0], np.cumsum(s_len)[:-1]])
    t_ptr = np.concatenate([[0], np.cumsum(t_len)[:-1]])
    base = int(t_len.sum())
    links = s_len * t_len
    pair = np.repeat(np.arange(len(src)), links)
    within = np.arange(int(links.sum())) - np.repeat(np.cumsum(links) - links, links)
    si, ti = np.divmod(within, t_len[pair])
    del within
    pos = t_ptr[pair] + ti
    keys = s_all[s_ptr[pair] + si] * vocab + t_all[pos]
    del pair, si, ti
    uniq, inv = np.unique(keys, return_inverse=True)
    del keys
    inv = inv.astype(np.int64)
    given = uniq // vocab
    t = np.ones(len(uniq), dtype=np.float64)
    for it in range(iterations):
        tv = t[inv]
        den = np.bincount(pos, weights=tv, minlength=base)
        counts = np.bincount(inv, weights=tv / den[pos], minlength=len(uniq))
        tot = np.bincount(given, weights=counts, minlength=vocab)
        t = counts / tot[given]
        if log:
            log(f"  EM iteration {it + 1}/{iterations}")
    return uniq, given, t


def prune(uniq: np.ndarray, given: np.ndarray, t: np.ndarray, vocab: int, min_t: float,
           top: int) -> Table:
    order = np.lexsort((-t, given))  # by row, best first
    g, u, tv = given[order], uniq[order], t[order]
    starts = np.searchsorted(g, np.arange(vocab))
    rank = np.arange(len(g)) - starts[g]
    keep = (rank < top) & (tv >= min_t)
    g, u, tv = g[keep], u[keep], tv[keep]
    cols = u % vocab
    order = np.lexsort((cols, g))
    g, cols, tv = g[order], cols[order], tv[order]
    indptr = np.zeros(vocab + 1, dtype=np.int64)
    np.cumsum(np.bincount(g, minlength=vocab), out=indptr[1:])
    # float16 round trip now, so training sees exactly what the shipped file holds
    return Table(indptr, cols.astype(np.int32), tv.astype(np.float16).astype(np.float32))
