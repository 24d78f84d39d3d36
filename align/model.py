"""The built-in English–Russian similarity model: subword translation tables plus news signals.

What it is, and why:

* A joint English–Russian sentencepiece vocabulary (small: 8k pieces) so that names, numbers
  and Latin-script tokens share pieces across the two languages.
* IBM Model 1 translation tables over those pieces in both directions (``t(ru|en)`` and
  ``t(en|ru)``), trained with EM on the project's 46k training pairs and pruned to the best
  entries per row (float16). From them come, for any group of English sentences against any
  group of Russian ones, the *coverage* (share of pieces with a likely translation on the
  other side) and the length-normalised Model 1 log-likelihood, both directions.
* Exact-match signals that carry news text (:mod:`align.features`): numbers, Latin-script
  tokens inside Russian, names through transliteration, punctuation and the length ratio.
* Weights over those features (learned by :mod:`align.train` on synthetic documents built
  from held-out training pairs, never from the benchmark) give a bead's score; the aligner
  adds skip costs and turns path posteriors into calibrated confidences.

This module is inference only: the :class:`Model`, its bead scores and adequacy, and reading
and writing the model file. The model file is a zip of ``.npy`` arrays plus a JSON header,
written byte-for-byte deterministically by :func:`save_model`. It is loaded once per process
(:func:`load_model` caches) and nothing heavy happens at import.
"""
from __future__ import annotations

import io
import json
import os
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from .errors import ModelError
from .features import (BEAD_TYPES, FEATURES, PLANE, PLANES, PUNCT_GROUPS, PreparedSide,
                       block_tokens, csr, en_keys, key_matches, length_ratio, normalize,
                       punct_counts, ru_keys, window_min, window_sums)

MODEL_KIND = "align-enru-ibm1"
MODEL_VERSION = 2
DEFAULT_MODEL = Path(__file__).resolve().parent / "data" / "enru.model"

COV_THRESHOLD = 0.1  # a piece is "covered" when the other side's pieces give it t-mass >= this
LL_FLOOR = 1e-4
NULL = 0  # the Model 1 empty word is row 0 of both tables; pieces are shifted by one


# ----------------------------------------------------------------------------------------
# The model


@dataclass
class Table:
    """A pruned translation table in CSR form: row = given piece (+1, row 0 = NULL)."""

    indptr: np.ndarray  # int64, rows + 1
    indices: np.ndarray  # int32 column = piece + 1
    data: np.ndarray  # float32

    @property
    def rows(self) -> int:
        return len(self.indptr) - 1



@dataclass
class Model:
    """The bilingual similarity model. Build with :func:`align.train.train_model`, load with
    :func:`load_model`."""

    sp_bytes: bytes
    t_er: Table  # t(ru piece | en piece)
    t_re: Table  # t(en piece | ru piece)
    emb_en: np.ndarray  # float32 (V+1, d): English piece -> projected Russian-space vector
    emb_ru: np.ndarray  # float32 (V+1, d)
    weights: np.ndarray  # float32 (len(FEATURES),) logistic regression weights
    bias: float
    cheap: np.ndarray  # float32 (3,): cheap-pass score = a*cos + b*lenfeat + c
    params: dict[str, Any] = field(default_factory=dict)  # aligner costs, calibration knots
    info: dict[str, Any] = field(default_factory=dict)
    idf: np.ndarray = field(default_factory=lambda: np.ones(1, np.float32))  # per piece
    _sp: Any = None

    @property
    def vocab(self) -> int:
        return self.t_er.rows

    @property
    def sp(self) -> Any:
        if self._sp is None:
            import sentencepiece as spm

            self._sp = spm.SentencePieceProcessor(model_proto=self.sp_bytes)
        return self._sp

    def pieces(self, texts: Sequence[str]) -> list[list[int]]:
        """Subword ids (+1, so 0 stays the empty word) of each text."""
        # One thread: sentencepiece's batch encode otherwise starts a thread per core on every
        # call, which costs far more than encoding a document's sentences (13x here) and
        # oversubscribes the cores when --jobs or Dask already runs a worker per core.
        encoded = self.sp.encode([normalize(t) for t in texts], num_threads=1)
        return [[p + 1 for p in ids] for ids in encoded]

    # -- documents --------------------------------------------------------------------

    def prepare(self, en: Sequence[str], ru: Sequence[str]) -> tuple[PreparedSide, PreparedSide]:
        """Turn two sentence lists into scoring-ready sides sharing one key space."""
        keyspace: dict[str, int] = {}

        def ids(keys: Iterable[str]) -> list[int]:
            return [keyspace.setdefault(k, len(keyspace)) for k in keys]

        en_k, en_s = [], []
        for text in en:
            all_keys, strong = en_keys(text)
            en_k.append(ids(all_keys))
            en_s.append(ids(strong))
        ru_k = [ids(ru_keys(text)) for text in ru]
        return (self._side(en, en_k, en_s), self._side(ru, ru_k, [[] for _ in ru]))

    def _side(self, texts: Sequence[str], keys: list[list[int]], strong: list[list[int]]
              ) -> PreparedSide:
        ids, ptr = csr(self.pieces(texts))
        kid, kptr = csr(keys)
        sid, sptr = csr(strong)
        nchar = np.array([len(t) for t in texts], dtype=np.float32)
        punct = np.array([punct_counts(t) for t in texts], dtype=np.int32).reshape(
            len(texts), len(PUNCT_GROUPS))
        return PreparedSide(ids, ptr, nchar, kid, kptr, sid, sptr, punct)

    # -- cheap vectors for the first pass ----------------------------------------------

    def vectors(self, doc: PreparedSide, lang: str) -> np.ndarray:
        """Sum of piece vectors per sentence (English ones projected into Russian space)."""
        if doc.vec is None:
            emb = self.emb_en if lang == "en" else self.emb_ru
            n = len(doc)
            out = np.zeros((n, emb.shape[1]), dtype=np.float32)
            lens = np.diff(doc.ptr)
            if len(doc.ids):
                starts = np.minimum(doc.ptr[:-1], len(doc.ids) - 1)
                out = np.add.reduceat(emb[doc.ids], starts, axis=0)
                out[lens == 0] = 0
            doc.vec = out.astype(np.float32)
        return doc.vec

    # -- bead features -----------------------------------------------------------------

    def features(self, en: PreparedSide, ru: PreparedSide, i0: int, i1: int, j0: int, j1: int,
                 types: Sequence[tuple[int, int]] = BEAD_TYPES
                 ) -> dict[tuple[int, int], np.ndarray]:
        """Feature arrays for every bead of each shape inside en[i0:i1] x ru[j0:j1].

        ``out[(a, b)][p, q]`` is the feature vector (see ``FEATURES``) of the bead pairing
        English sentences ``i0+p .. i0+p+a-1`` with Russian ``j0+q .. j0+q+b-1``.
        """
        out = {}
        nt = len(PLANES)
        for t, planes in self.bead_planes(en, ru, i0, i1, j0, j1, types).items():
            f = np.zeros(planes.shape[1:] + (len(FEATURES),), dtype=np.float32)
            f[..., :nt] = np.moveaxis(planes, 0, -1)
            f[..., nt + BEAD_TYPES.index(t)] = 1
            out[t] = f
        return out

    def bead_logits(self, en: PreparedSide, ru: PreparedSide, i0: int, i1: int, j0: int, j1: int,
                    types: Sequence[tuple[int, int]] = BEAD_TYPES,
                    cover: list[tuple[np.ndarray, np.ndarray]] | None = None,
                    weights: Sequence[float] | None = None, bias: float | None = None
                    ) -> dict[tuple[int, int], np.ndarray]:
        """Like :meth:`features`, but each bead's score under the aligner's weights (or under
        ``weights`` and ``bias``, laid out as ``FEATURES``), without building the feature
        tensor.

        With ``cover`` (a list) and 1-1 among ``types``, also appends the 1-1 beads' idf-weighted
        coverage planes ``(english_covered_by_russian, russian_covered_by_english)``, each
        ``(p, q)``: the aligner uses them to tell a missing sentence from a merged one.
        """
        nt = len(PLANES)
        weights = np.asarray(self.weights if weights is None else weights, dtype=np.float32)
        bias = self.bias if bias is None else bias
        w = weights[:nt]
        out = {}
        for t, planes in self.bead_planes(en, ru, i0, i1, j0, j1, types).items():
            const = bias + float(weights[nt + BEAD_TYPES.index(t)])
            out[t] = np.einsum("f,fpq->pq", w, planes) + np.float32(const)
            if cover is not None and t == (1, 1):
                cover.append((planes[PLANE["wcov_e"]], planes[PLANE["wcov_r"]]))
        return out

    def bead_planes(self, en: PreparedSide, ru: PreparedSide, i0: int, i1: int, j0: int, j1: int,
                types: Sequence[tuple[int, int]]) -> dict[tuple[int, int], np.ndarray]:
        """Per bead shape, the non-indicator features as planes ``(feature, p, q)``.

        Dense over the block: sums over merged sentences are running sums of per-sentence
        quantities, except where the merged side's translation mass must be summed first
        (coverage and likelihood), which ``_directional`` does for each merge size.
        """
        nI, nJ = i1 - i0, j1 - j0
        amax = max(a for a, _ in types)
        bmax = max(b for _, b in types)
        nt = len(PLANES)
        if nI <= 0 or nJ <= 0:
            return {t: np.zeros((nt, max(nI - t[0] + 1, 0), max(nJ - t[1] + 1, 0)), np.float32)
                    for t in types}
        e_ids, e_sent = block_tokens(en, i0, i1)
        r_ids, r_sent = block_tokens(ru, j0, j1)
        idf = self.idf
        cov_r, ll_r, wc_r, wt_r = _directional(self.t_er, e_ids, e_sent, nI, r_ids, r_sent, nJ,
                                               amax, idf)
        cov_e, ll_e, wc_e, wt_e = _directional(self.t_re, r_ids, r_sent, nJ, e_ids, e_sent, nI,
                                               bmax, idf)
        len_e = np.diff(en.ptr[i0:i1 + 1]).astype(np.float32)
        len_r = np.diff(ru.ptr[j0:j1 + 1]).astype(np.float32)
        ch_e = en.nchar[i0:i1]
        ch_r = ru.nchar[j0:j1]
        km_r, kn_r, km_e, kn_e = key_matches(en, ru, i0, i1, j0, j1, amax, bmax)
        pu_e = en.punct[i0:i1].astype(np.float32)
        pu_r = ru.punct[j0:j1].astype(np.float32)
        out = {}
        for a, b in types:
            p_n, q_n = nI - a + 1, nJ - b + 1
            if p_n <= 0 or q_n <= 0:
                out[(a, b)] = np.zeros((nt, max(p_n, 0), max(q_n, 0)), np.float32)
                continue
            le = window_sums(len_e, a)[:, None]
            lr = window_sums(len_r, b)[None, :]
            inv_le = 1.0 / np.maximum(le, 1)
            inv_lr = 1.0 / np.maximum(lr, 1)
            f = np.empty((nt, p_n, q_n), dtype=np.float32)
            # coverage and likelihood: the a-merge is inside cov_r[a]; sum the b Russian sides
            f[PLANE["cov_r"]] = window_sums(cov_r[a], b, axis=1) * inv_lr
            f[PLANE["cov_e"]] = window_sums(cov_e[b], a, axis=1).T * inv_le
            f[PLANE["ll_r"]] = (window_sums(ll_r[a], b, axis=1) - lr * np.log(le + 1)) * inv_lr
            f[PLANE["ll_e"]] = (window_sums(ll_e[b], a, axis=1).T - le * np.log(lr + 1)) * inv_le
            np.minimum(f[PLANE["cov_r"]], f[PLANE["cov_e"]], out=f[PLANE["cov_min"]])
            f[PLANE["len"]] = length_ratio(window_sums(ch_e, a)[:, None],
                                           window_sums(ch_r, b)[None, :])
            np.multiply(f[PLANE["len"]], f[PLANE["len"]], out=f[PLANE["len2"]])
            # keys: matched / total on each side, and how many went unmatched
            mr = window_sums(km_r[a], b, axis=1)
            nr = window_sums(kn_r, b)[None, :]
            f[PLANE["key_r"]] = mr / np.maximum(nr, 1)
            f[PLANE["miss_r"]] = np.minimum(nr - mr, 3)
            me = window_sums(km_e[b], a, axis=1).T
            ne = window_sums(kn_e, a)[:, None]
            f[PLANE["key_e"]] = me / np.maximum(ne, 1)
            f[PLANE["miss_e"]] = np.minimum(ne - me, 3)
            pe = np.minimum(window_sums(pu_e, a, axis=0), 1)
            pr = np.minimum(window_sums(pu_r, b, axis=0), 1)
            f[PLANE["punct"]] = np.abs(pe[:, None, :] - pr[None, :, :]).sum(-1)
            f[PLANE["short"]] = 1.0 / (1.0 + np.minimum(le, lr))
            # the worst-covered sentence of the bead: a merged side must be covered part by
            # part, or a boilerplate line rides along with its neighbour
            part_r = window_min(cov_r[a] / np.maximum(len_r, 1)[None, :], b)
            part_e = window_min(cov_e[b] / np.maximum(len_e, 1)[None, :], a).T
            np.minimum(part_r, part_e, out=f[PLANE["part_min"]])
            # coverage weighted by piece idf: function words cover anything
            f[PLANE["wcov_r"]] = (window_sums(wc_r[a], b, axis=1)
                                  / np.maximum(window_sums(wt_r, b)[None, :], 1e-3))
            f[PLANE["wcov_e"]] = (window_sums(wc_e[b], a, axis=1).T
                                  / np.maximum(window_sums(wt_e, a)[:, None], 1e-3))
            out[(a, b)] = f
        return out

    def without_lexicon(self) -> "Model":
        """A copy that ignores the translation tables (length, numbers, names, punctuation
        only): the ablation baseline of the benchmark."""
        import dataclasses

        nolex = self.params.get("nolex")
        if not nolex:
            raise ModelError("model has no lexicon-free weights")
        cheap = self.cheap.copy()
        cheap[0] = 0.0
        return dataclasses.replace(self, weights=np.asarray(nolex["weights"], np.float32),
                                   bias=float(nolex["bias"]), cheap=cheap,
                                   params={k: ({**v, **nolex.get("align", {"cover_skip": 0.0})}
                                                if k == "align" else v)
                                           for k, v in self.params.items()
                                           if k != "calibration"})


    # -- adequacy ----------------------------------------------------------------------

    def score_pairs(self, en_texts: Sequence[str], ru_texts: Sequence[str]) -> np.ndarray:
        """Adequacy in [0, 1] of each (English, Russian) pair, without any reference.

        The probability, under the model's 1-1 bead classifier, that the two sentences are
        translations of each other. Pairs are scored independently (no alignment context).
        """
        if len(en_texts) != len(ru_texts):
            raise ValueError("en_texts and ru_texts differ in length")
        n = len(en_texts)
        out = np.zeros(n, dtype=np.float64)
        # the bead classifier (log-odds of being right), not the aligner's structured weights,
        # whose scale only means something next to the skip costs
        clf = self.params.get("classifier", {})
        step, block = 2048, 32
        for s0 in range(0, n, step):
            en_doc, ru_doc = self.prepare(en_texts[s0:s0 + step], ru_texts[s0:s0 + step])
            k = len(en_doc)
            for b0 in range(0, k, block):
                b1 = min(b0 + block, k)
                z = self.bead_logits(en_doc, ru_doc, b0, b1, b0, b1, types=((1, 1),),
                                     weights=clf.get("weights"), bias=clf.get("bias"))[(1, 1)]
                out[s0 + b0:s0 + b1] = 1.0 / (1.0 + np.exp(-np.diagonal(z).astype(np.float64)))
        return out


def _expand_rows(table: Table, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions in ``table.indices`` of all entries of the given rows, and the row owner."""
    starts = table.indptr[rows]
    lens = table.indptr[rows + 1] - starts
    total = int(lens.sum())
    owner = np.repeat(np.arange(len(rows)), lens)
    offs = np.cumsum(lens) - lens
    pos = np.arange(total) - np.repeat(offs, lens) + np.repeat(starts, lens)
    return pos, owner


def _directional(table: Table, g_ids: np.ndarray, g_sent: np.ndarray, g_n: int,
                 o_ids: np.ndarray, o_sent: np.ndarray, o_n: int, gmax: int,
                 idf: np.ndarray):
    """Coverage counts, idf-weighted coverage and Model 1 log-likelihood sums of the 'other'
    side given merges of 1..gmax consecutive 'given' sentences: out[g][p, q] for given
    p..p+g-1, other q; plus the idf total of each 'other' sentence."""
    uniq, o_col = np.unique(o_ids, return_inverse=True)
    U = len(uniq)
    colmap = np.full(table.rows + 1, -1, dtype=np.int64)
    colmap[uniq] = np.arange(U)
    mass = np.zeros((g_n, U), dtype=np.float32)
    if len(g_ids) and U:
        pos, owner = _expand_rows(table, g_ids.astype(np.int64))
        cols = colmap[table.indices[pos]]
        keep = cols >= 0
        flat = g_sent[owner[keep]] * U + cols[keep]
        mass = np.bincount(flat, weights=table.data[pos[keep]],
                           minlength=g_n * U).astype(np.float32).reshape(g_n, U)
        # A piece also translates as itself: untranslated copies, names in Latin script,
        # numbers and symbols shared by both sides are covered whatever the table says.
        same = colmap[g_ids]
        hit = same >= 0
        if hit.any():
            mass += np.bincount(g_sent[hit] * U + same[hit], minlength=g_n * U
                                ).astype(np.float32).reshape(g_n, U)
    null = np.zeros(U, dtype=np.float32)
    lo, hi = table.indptr[NULL], table.indptr[NULL + 1]
    ncols = colmap[table.indices[lo:hi]]
    ok = ncols >= 0
    null[ncols[ok]] = table.data[lo:hi][ok]
    # Sum over each 'other' sentence's pieces by gathering columns and reducing runs:
    # no BLAS call, so no thread start-up or contention on small blocks.
    o_len = np.bincount(o_sent, minlength=o_n) if len(o_sent) else np.zeros(o_n, np.int64)
    starts = np.concatenate([[0], np.cumsum(o_len)[:-1]]).astype(np.int64)
    empty = o_len == 0
    starts = np.minimum(starts, max(len(o_col) - 1, 0))
    cov, ll, wcov = {}, {}, {}
    w_o = idf[o_ids]
    wtot = np.add.reduceat(w_o, starts) if len(w_o) else np.zeros(o_n, np.float32)
    wtot = np.where(empty, 0, wtot).astype(np.float32)
    gathered = mass[:, o_col]
    floor = null[o_col] + np.float32(LL_FLOOR)
    for g in range(1, gmax + 1):
        if g_n - g + 1 <= 0 or len(o_col) == 0:
            cov[g] = np.zeros((max(g_n - g + 1, 0), o_n), np.float32)
            ll[g] = np.zeros((max(g_n - g + 1, 0), o_n), np.float32)
            wcov[g] = np.zeros((max(g_n - g + 1, 0), o_n), np.float32)
            continue
        m = window_sums(gathered, g)
        hit = m >= COV_THRESHOLD
        c = np.add.reduceat(hit, starts, axis=1, dtype=np.float32)
        wc = np.add.reduceat(hit * w_o, starts, axis=1)
        wc[:, empty] = 0
        wcov[g] = wc
        m = m + floor if g == 1 else np.add(m, floor, out=m)
        np.log(m, out=m)
        lg = np.add.reduceat(m, starts, axis=1)
        c[:, empty] = 0
        lg[:, empty] = 0
        cov[g] = c
        ll[g] = lg
    return cov, ll, wcov, wtot


# ----------------------------------------------------------------------------------------
# Saving and loading

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def _npy_bytes(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.ascontiguousarray(array), allow_pickle=False)
    return buf.getvalue()


def save_model(model: Model, path: str | os.PathLike[str]) -> None:
    """Write the model as a deterministic zip (fixed timestamps, fixed member order)."""
    from .fileio import atomic_output

    header = {"kind": MODEL_KIND, "version": MODEL_VERSION, "bias": model.bias,
              "params": model.params, "info": model.info, "features": list(FEATURES)}
    members = {
        "header.json": json.dumps(header, sort_keys=True, indent=1).encode("utf-8"),
        "sp.model": model.sp_bytes,
    }
    for name, table in (("t_er", model.t_er), ("t_re", model.t_re)):
        members[f"{name}.indptr.npy"] = _npy_bytes(table.indptr.astype(np.int64))
        members[f"{name}.indices.npy"] = _npy_bytes(table.indices.astype(np.uint16))
        members[f"{name}.data.npy"] = _npy_bytes(table.data.astype(np.float16))
    members["emb_en.npy"] = _npy_bytes(model.emb_en.astype(np.float16))
    members["emb_ru.npy"] = _npy_bytes(model.emb_ru.astype(np.float16))
    members["weights.npy"] = _npy_bytes(model.weights.astype(np.float32))
    members["cheap.npy"] = _npy_bytes(model.cheap.astype(np.float32))
    members["idf.npy"] = _npy_bytes(model.idf.astype(np.float16))
    with atomic_output(path) as out:
        with zipfile.ZipFile(out, "w") as zf:
            for name, data in members.items():
                info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, data, compresslevel=9)


def read_model(path: str | os.PathLike[str]) -> Model:
    """Read a model file (uncached); raise ``ModelError`` if it is missing or not a model."""
    name = str(path)
    try:
        with zipfile.ZipFile(path) as zf:
            header = json.loads(zf.read("header.json"))
            if header.get("kind") != MODEL_KIND:
                raise ModelError(f"not an align model (kind {header.get('kind')!r})", name)
            if header.get("version") != MODEL_VERSION:
                raise ModelError(f"model version {header.get('version')} not supported", name)
            if tuple(header.get("features", ())) != FEATURES:
                raise ModelError("model was built for other features; retrain it with "
                                 "'align model train'", name)

            def arr(member: str) -> np.ndarray:
                return np.lib.format.read_array(io.BytesIO(zf.read(member)), allow_pickle=False)

            tables = [Table(arr(f"{t}.indptr.npy"), arr(f"{t}.indices.npy").astype(np.int32),
                            arr(f"{t}.data.npy").astype(np.float32)) for t in ("t_er", "t_re")]
            return Model(zf.read("sp.model"), tables[0], tables[1],
                         arr("emb_en.npy").astype(np.float32),
                         arr("emb_ru.npy").astype(np.float32),
                         arr("weights.npy").astype(np.float32), float(header["bias"]),
                         arr("cheap.npy").astype(np.float32), header.get("params", {}),
                         header.get("info", {}), arr("idf.npy").astype(np.float32))
    except FileNotFoundError:
        raise ModelError("no such model file", name) from None
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ModelError(f"corrupt model file ({exc})", name) from None


@lru_cache(maxsize=4)
def _cached(path: str) -> Model:
    return read_model(path)


def load_model(path: str | os.PathLike[str] | None = None) -> Model:
    """The model at ``path`` (default: the one shipped in the package), loaded once per process."""
    return _cached(str(Path(path).resolve()) if path is not None else str(DEFAULT_MODEL))
