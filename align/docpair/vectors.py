"""Sparse document vectors, the inverted-index candidate search and unit coverage.

Every document gets tf-idf vectors in both languages' subword spaces (the model's joint
vocabulary): its own pieces, and its pieces projected through the model's translation table
into the other language's pieces, plus a vector of exact keys (numbers, Latin-script tokens,
name skeletons) shared by both languages. The candidate search multiplies pruned vectors
(each document's ``SEARCH_TERMS`` heaviest terms): a document only meets the documents that
share one of its heavy, rare terms, which keeps the work close to linear in the archive.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from .documents import DocFeatures

#: Heaviest terms per document in the inverted index (the candidate search).
SEARCH_TERMS = 128
#: Terms per document kept for the full-vector cosines of the finer score.
FULL_TERMS = 256
#: Candidates kept per document and direction.
CANDIDATES = 6
#: Translations per piece used to project a document into the other language's pieces.
PROJECT_TOP = 6
PROJECT_MIN = 0.02
#: Weight of the key vector beside the piece vector in the search vectors.
KEY_WEIGHT = 1.0


def _counts(docs: Sequence[DocFeatures], vocab: int) -> Any:
    """Documents x pieces, each document's piece counts."""
    from scipy import sparse

    lens = np.array([len(d.ids) for d in docs], dtype=np.int64)
    rows = np.repeat(np.arange(len(docs)), lens)
    cols = np.concatenate([d.ids for d in docs]) if len(docs) else np.zeros(0, np.int32)
    out = sparse.csr_matrix((np.ones(len(cols), np.float32), (rows, cols)),
                            shape=(len(docs), vocab))
    out.sum_duplicates()
    return out


def _key_counts(en: Sequence[DocFeatures], ru: Sequence[DocFeatures]) -> tuple[Any, Any]:
    """Documents x keys for both sides over one key space."""
    from scipy import sparse

    every = [d.keys for d in (*en, *ru)]
    allkeys = np.concatenate(every) if every else np.zeros(0, np.int64)
    uniq, col = np.unique(allkeys, return_inverse=True)
    lens = np.array([len(k) for k in every], dtype=np.int64)
    rows = np.repeat(np.arange(len(every)), lens)
    both = sparse.csr_matrix((np.ones(len(col), np.float32), (rows, col)),
                             shape=(len(every), max(len(uniq), 1)))
    both.sum_duplicates()
    return both[:len(en)], both[len(en):]


def _table_matrix(table: Any, top: int, floor: float) -> Any:
    """The model's translation table as a sparse (given piece x other piece) matrix, each
    row cut to its ``top`` best translations of at least ``floor``."""
    from scipy import sparse

    rows, cols, vals = [], [], []
    for r in range(1, table.rows):
        lo, hi = table.indptr[r], table.indptr[r + 1]
        if hi <= lo:
            continue
        data = table.data[lo:hi]
        order = np.argsort(-data, kind="stable")[:top]
        keep = order[data[order] >= floor]
        rows.extend([r] * len(keep))
        cols.extend(table.indices[lo:hi][keep].tolist())
        vals.extend(data[keep].tolist())
    return sparse.csr_matrix((np.asarray(vals, np.float32), (rows, cols)),
                             shape=(table.rows, table.rows))


_TABLES: dict[int, tuple[Any, Any]] = {}


def projections(model: Any) -> tuple[Any, Any]:
    """(en->ru, ru->en) projection matrices of ``model`` (cached per model)."""
    key = id(model)
    if key not in _TABLES:
        _TABLES[key] = (_table_matrix(model.t_er, PROJECT_TOP, PROJECT_MIN),
                        _table_matrix(model.t_re, PROJECT_TOP, PROJECT_MIN))
    return _TABLES[key]


def idf_of(counts: Any) -> np.ndarray:
    """Smoothed inverse document frequency of each column over the rows of ``counts``."""
    n = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float32)
    return np.log((n + 1) / (df + 1)).astype(np.float32)


def tfidf(counts: Any, idf: np.ndarray) -> Any:
    """Sublinear tf (1 + log tf, small projected counts floored) times ``idf``, rows
    L2-normalised."""
    from scipy import sparse

    out = sparse.csr_matrix(counts, dtype=np.float32, copy=True)
    out.data = (1 + np.log(np.maximum(out.data, 1e-6))).clip(min=0.05).astype(np.float32)
    out = sparse.csr_matrix(out @ sparse.diags(idf))
    return normalize(out)


def normalize(m: Any) -> Any:
    from scipy import sparse

    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    return sparse.csr_matrix(sparse.diags(1 / np.maximum(norms, 1e-9).astype(np.float32)) @ m)


def prune(m: Any, keep: int) -> Any:
    """Each row cut to its ``keep`` largest entries."""
    from scipy import sparse

    m = sparse.csr_matrix(m)
    indptr, indices, data = m.indptr, m.indices, m.data
    if np.diff(indptr).max(initial=0) <= keep:
        return m
    rows, cols, vals = [], [], []
    for r in range(m.shape[0]):
        lo, hi = indptr[r], indptr[r + 1]
        d = data[lo:hi]
        top = np.argpartition(-d, keep - 1)[:keep] if hi - lo > keep else np.arange(hi - lo)
        rows.append(np.full(len(top), r, dtype=np.int32))
        cols.append(indices[lo:hi][top])
        vals.append(d[top])
    return sparse.csr_matrix((np.concatenate(vals), (np.concatenate(rows),
                                                     np.concatenate(cols))), shape=m.shape)


@dataclass
class Side:
    """One language's documents as matrices (rows in the order of ``docs``)."""

    docs: list[DocFeatures]
    own: Any = None  # tf-idf of own pieces (own space)
    projected: Any = None  # tf-idf of pieces projected into the other language's space
    keys: Any = None  # tf-idf of keys (shared key space)
    search: Any = None  # pruned [Russian-space pieces | keys] for the inverted index
    counts: Any = None  # piece counts
    idf_own: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    chars: np.ndarray = field(default_factory=lambda: np.zeros(0))
    units: np.ndarray = field(default_factory=lambda: np.zeros(0))


def sides(model: Any, en: list[DocFeatures], ru: list[DocFeatures]) -> tuple[Side, Side]:
    """Both languages' vectors; idf is computed over the archive itself."""
    from scipy import sparse

    vocab = model.t_er.rows
    t_er, t_re = projections(model)
    c_en, c_ru = _counts(en, vocab), _counts(ru, vocab)
    k_en, k_ru = _key_counts(en, ru)
    key_idf = idf_of(sparse.vstack([k_en, k_ru]).tocsr())
    idf_en, idf_ru = idf_of(c_en), idf_of(c_ru)
    out = []
    for docs, counts, proj, keys, idf_own, idf_other in (
            (en, c_en, t_er, k_en, idf_en, idf_ru), (ru, c_ru, t_re, k_ru, idf_ru, idf_en)):
        side = Side(docs, prune(tfidf(counts, idf_own), FULL_TERMS),
                    prune(tfidf(counts @ proj, idf_other), FULL_TERMS), tfidf(keys, key_idf),
                    counts=counts, idf_own=idf_own)
        side.chars = np.array([d.chars for d in docs], dtype=np.float64)
        side.units = np.array([d.units for d in docs], dtype=np.float64)
        out.append(side)
    s_en, s_ru = out
    s_en.search = prune(sparse.hstack([s_en.projected, KEY_WEIGHT * s_en.keys]).tocsr(),
                        SEARCH_TERMS)
    s_ru.search = prune(sparse.hstack([s_ru.own, KEY_WEIGHT * s_ru.keys]).tocsr(),
                        SEARCH_TERMS)
    return s_en, s_ru


def _row_top(scores: Any, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, col) of each row's ``k`` largest positive entries of a sparse matrix (ties by
    column). The candidate products are dense-ish (a document shares some heavy term with
    most others), so a block is made dense and cut by each row's ``k``-th largest value
    before the exact order is taken among the few entries left."""
    dense = np.asarray(scores.todense(), dtype=np.float64)
    n_rows, n_cols = dense.shape
    if n_rows == 0 or n_cols == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    if n_cols > k:
        kth = np.partition(dense, n_cols - k, axis=1)[:, n_cols - k]
    else:
        kth = dense.min(axis=1)
    r, c = np.nonzero((dense >= kth[:, None]) & (dense > 0))
    v = dense[r, c]
    order = np.lexsort((c, -v, r))
    r, c = r[order], c[order]
    starts = np.r_[0, np.flatnonzero(r[1:] != r[:-1]) + 1] if len(r) else np.zeros(0, int)
    rank = np.arange(len(r)) - np.repeat(starts, np.diff(np.r_[starts, len(r)]))
    keep = rank < k
    return r[keep].astype(np.int64), c[keep].astype(np.int64)


def candidates(s_en: Side, s_ru: Side, k: int = CANDIDATES, block: int = 512
               ) -> tuple[np.ndarray, np.ndarray]:
    """(english row, russian row) of candidate pairs: each document's ``k`` best by the
    pruned search vectors, in both directions, deduplicated and sorted."""
    pairs = []
    for a, b, flip in ((s_en.search, s_ru.search, False), (s_ru.search, s_en.search, True)):
        b_t = b.T.tocsr()
        for i0 in range(0, a.shape[0], block):
            r, c = _row_top(a[i0:i0 + block] @ b_t, k)
            pairs.append(np.stack([c, r + i0] if flip else [r + i0, c], 1))
    if not pairs:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    both = np.unique(np.concatenate(pairs).astype(np.int64), axis=0)
    return both[:, 0], both[:, 1]


def rowdot(a: Any, b: Any, ia: np.ndarray, ib: np.ndarray, block: int = 65536) -> np.ndarray:
    """Dot products of rows ``a[ia[k]]`` and ``b[ib[k]]``."""
    out = np.zeros(len(ia), dtype=np.float64)
    for s in range(0, len(ia), block):
        x = a[ia[s:s + block]]
        y = b[ib[s:s + block]]
        out[s:s + block] = np.asarray(x.multiply(y).sum(axis=1)).ravel()
    return out


def _coverage_table(table: Any) -> Any:
    """The model's whole pruned table plus the identity (a piece also covers itself:
    names, numbers and untranslated copies), as the aligner's coverage features use it."""
    from scipy import sparse

    rows = np.repeat(np.arange(table.rows), np.diff(table.indptr))
    t = sparse.csr_matrix((table.data.astype(np.float32), (rows, table.indices)),
                          shape=(table.rows, table.rows))
    return sparse.csr_matrix(t + sparse.identity(table.rows, dtype=np.float32, format="csr"))


_COVER: dict[int, tuple[Any, Any]] = {}


def coverage(model: Any, s_en: Side, s_ru: Side, ie: np.ndarray, jr: np.ndarray,
             threshold: float = 0.1, block: int = 1024) -> np.ndarray:
    """For each pair, the idf-weighted share of each side's pieces that the other side's
    pieces translate (translation mass at least ``threshold``, as the aligner counts
    coverage): ``(n, 2)``, Russian covered by English and English covered by Russian. A
    translation covers nearly all; a story on the same topic much less; an updated version
    leaves its added paragraph uncovered."""
    from scipy import sparse

    key = id(model)
    if key not in _COVER:
        _COVER[key] = (_coverage_table(model.t_er), _coverage_table(model.t_re))
    out = np.zeros((len(ie), 2))
    for col, (given, other, gi, oi, table) in enumerate((
            (s_en, s_ru, ie, jr, _COVER[key][0]), (s_ru, s_en, jr, ie, _COVER[key][1]))):
        weights = sparse.csr_matrix(other.counts @ sparse.diags(other.idf_own))
        weights = sparse.csr_matrix(sparse.diags(
            1 / np.maximum(np.asarray(weights.sum(axis=1)).ravel(), 1e-9)) @ weights)
        rows = np.unique(gi)
        for r0 in range(0, len(rows), block):
            chunk = rows[r0:r0 + block]
            present = given.counts[chunk].copy()
            present.data[:] = 1
            mass = sparse.csr_matrix(present @ table)
            mass.data = (mass.data >= threshold).astype(np.float32)
            mass.eliminate_zeros()
            sel = np.nonzero(np.isin(gi, chunk))[0]
            local = np.searchsorted(chunk, gi[sel])
            out[sel, col] = rowdot(mass, weights, local, oi[sel])
    return out
