"""The built-in English–Russian similarity model: subword translation tables plus news signals.

What it is, and why:

* A joint English–Russian sentencepiece vocabulary (small: 8k pieces) so that names, numbers
  and Latin-script tokens share pieces across the two languages.
* IBM Model 1 translation tables over those pieces in both directions (``t(ru|en)`` and
  ``t(en|ru)``), trained with EM on the project's 46k training pairs and pruned to the best
  entries per row (float16). From them come, for any group of English sentences against any
  group of Russian ones, the *coverage* (share of pieces with a likely translation on the
  other side) and the length-normalised Model 1 log-likelihood, both directions.
* Exact-match signals that carry news text: numbers (digit groups, so ``10,000`` = ``10 000``
  and ``5.78`` = ``5,78``), Latin-script tokens inside Russian, names matched through a small
  Cyrillic-to-Latin transliteration and a consonant skeleton (``Лукашенко``/``Lukashenko``),
  punctuation that survives translation (``?``, ``!``, quotes, brackets) and the length ratio.
* A logistic regression over those features (weights learned on synthetic documents built
  from held-out training pairs, never from the benchmark) gives a bead's log-odds; the
  aligner adds skip costs and turns path posteriors into calibrated confidences with an
  isotonic map fitted on the same synthetic documents.

The model file is a zip of ``.npy`` arrays plus a JSON header, written byte-for-byte
deterministically by :func:`train_model` (``align model train``). It is loaded once per
process (:func:`load_model` caches) and nothing heavy happens at import.
"""
from __future__ import annotations

import gzip
import io
import json
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import numpy as np

from .errors import InputError, ModelError

MODEL_KIND = "align-enru-ibm1"
MODEL_VERSION = 2
DEFAULT_MODEL = Path(__file__).resolve().parent / "data" / "enru.model"

# Bead shapes the scorer knows; the one-hot position of each in the feature vector.
BEAD_TYPES: tuple[tuple[int, int], ...] = ((1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1))
PLANES = ("cov_r", "cov_e", "ll_r", "ll_e", "cov_min", "len", "len2", "key_r", "miss_r",
          "key_e", "miss_e", "punct", "short", "part_min", "wcov_r", "wcov_e")
# Per-bead features: the planes and a one-hot of the bead's shape. (Separate weights for
# merged beads were tried and lost on the dev sets: synthetic merges are not real ones.)
FEATURES = PLANES + tuple(f"type_{a}{b}" for a, b in BEAD_TYPES)
# What the "no lexical model" baseline leaves out: everything from the translation tables.
LEXICAL = ("cov_r", "cov_e", "ll_r", "ll_e", "cov_min", "part_min", "wcov_r", "wcov_e")
COV_THRESHOLD = 0.1  # a piece is "covered" when the other side's pieces give it t-mass >= this
LL_FLOOR = 1e-4
NULL = 0  # the Model 1 empty word is row 0 of both tables; pieces are shifted by one

# ----------------------------------------------------------------------------------------
# Text signals


_DIGITS = re.compile(r"\d+")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_EN_CAP = re.compile(r"(?<![\w])[A-Z][a-z]{2,}")
_RU_CAP = re.compile(r"(?<![\w])[А-ЯЁ][а-яё]{2,}")
_PUNCT = ("?", "!", "\"«»“”„", "()", ":")

_CYR = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r",
     "s", "t", "u", "f", "h", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"]))
# Pairs rewritten before vowels are dropped, so spelling conventions of the two languages meet:
# voiced/voiceless pairs merge because transliteration often swaps them (Israel / Израиль).
_SKELETON_RULES = (("sch", "sh"), ("tch", "ch"), ("ck", "k"), ("ph", "f"), ("th", "t"),
                   ("kh", "h"), ("gh", "g"), ("qu", "kv"), ("q", "k"), ("w", "v"),
                   ("x", "ks"), ("c", "k"), ("j", "dzh"), ("b", "p"), ("d", "t"), ("g", "k"),
                   ("v", "f"), ("z", "s"))
_VOWELS = re.compile(r"[aeiouy']+")
_REPEAT = re.compile(r"(.)\1+")


def transliterate(word: str) -> str:
    """Lower-case Cyrillic to Latin with a plain table (``Трамп`` -> ``tramp``)."""
    return "".join(_CYR.get(ch, ch) for ch in word.lower())


def skeleton(latin: str) -> str:
    """Consonant skeleton of a Latin-script word, for name matching across scripts."""
    s = latin.lower()
    for a, b in _SKELETON_RULES:
        s = s.replace(a, b)
    return _REPEAT.sub(r"\1", _VOWELS.sub("", s))


def _number_keys(text: str) -> list[str]:
    return ["#" + (d.lstrip("0") or "0") for d in _DIGITS.findall(text)]


@lru_cache(maxsize=65536)
def _name_key(latin: str) -> str | None:
    skel = skeleton(latin)
    return "S:" + skel[:4] if len(skel) >= 3 else None


def en_keys(text: str) -> tuple[list[str], list[str]]:
    """(all keys, strong keys) of an English sentence.

    All keys: numbers, every Latin word (so a Latin token inside Russian finds it) and the
    name skeleton of capitalised words. Strong keys, whose absence on the Russian side is
    evidence against a link: numbers and skeletons of capitalised words not at the start.
    """
    nums = _number_keys(text)
    words = ["L:" + w.lower() for w in _LATIN.findall(text) if len(w) >= 2]
    names = []
    for m in _EN_CAP.finditer(text):
        key = _name_key(m.group())
        if key and m.start() > 0:
            names.append(key)
    return nums + words + names, nums + names


def ru_keys(text: str) -> list[str]:
    """Keys of a Russian sentence: numbers, Latin-script tokens, transliterated name skeletons."""
    keys = _number_keys(text)
    keys += ["L:" + w.lower() for w in _LATIN.findall(text) if len(w) >= 2]
    for m in _RU_CAP.finditer(text):
        if m.start() > 0:
            key = _name_key(transliterate(m.group()))
            if key:
                keys.append(key)
    return keys


def punct_counts(text: str) -> list[int]:
    return [sum(text.count(ch) for ch in group) for group in _PUNCT]


def normalize(text: str) -> str:
    """What the subword model sees: NFKC, lower case, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


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

    def row_dense(self, row: int, size: int) -> np.ndarray:
        out = np.zeros(size, dtype=np.float32)
        lo, hi = self.indptr[row], self.indptr[row + 1]
        out[self.indices[lo:hi]] = self.data[lo:hi]
        return out


@dataclass
class Doc:
    """One side of a document prepared for scoring: pieces, keys, punctuation, lengths."""

    ids: np.ndarray  # int32 piece ids + 1, all sentences concatenated
    ptr: np.ndarray  # int64 sentence starts, len n + 1
    nchar: np.ndarray  # float32
    key_ids: np.ndarray  # int32 doc-pair-local key ids
    key_ptr: np.ndarray
    strong_ids: np.ndarray  # English only: strong keys
    strong_ptr: np.ndarray
    punct: np.ndarray  # int32 (n, len(_PUNCT))
    vec: np.ndarray | None = None  # float32 (n, d) cheap vectors, filled on demand
    emb: np.ndarray | None = None  # float32 (n, d) unit vectors from an external encoder

    def __len__(self) -> int:
        return len(self.ptr) - 1

    @property
    def ntok(self) -> np.ndarray:
        return np.diff(self.ptr).astype(np.float32)


def _csr(lists: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    ptr = np.zeros(len(lists) + 1, dtype=np.int64)
    if lists:
        np.cumsum([len(x) for x in lists], out=ptr[1:])
    flat = np.fromiter((v for x in lists for v in x), dtype=np.int32, count=int(ptr[-1]))
    return flat, ptr


@dataclass
class Model:
    """The bilingual similarity model. Build with :func:`train_model`, load with :func:`load_model`."""

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
        encoded = self.sp.encode([normalize(t) for t in texts])
        return [[p + 1 for p in ids] for ids in encoded]

    # -- documents --------------------------------------------------------------------

    def prepare(self, en: Sequence[str], ru: Sequence[str]) -> tuple[Doc, Doc]:
        """Turn two sentence lists into scoring-ready ``Doc`` records sharing one key space."""
        keyspace: dict[str, int] = {}

        def ids(keys: Iterable[str]) -> list[int]:
            return [keyspace.setdefault(k, len(keyspace)) for k in keys]

        en_k, en_s = [], []
        for text in en:
            all_keys, strong = en_keys(text)
            en_k.append(ids(all_keys))
            en_s.append(ids(strong))
        ru_k = [ids(ru_keys(text)) for text in ru]
        return (self._doc(en, en_k, en_s), self._doc(ru, ru_k, [[] for _ in ru]))

    def _doc(self, texts: Sequence[str], keys: list[list[int]], strong: list[list[int]]) -> Doc:
        ids, ptr = _csr(self.pieces(texts))
        kid, kptr = _csr(keys)
        sid, sptr = _csr(strong)
        nchar = np.array([len(t) for t in texts], dtype=np.float32)
        punct = np.array([punct_counts(t) for t in texts], dtype=np.int32).reshape(
            len(texts), len(_PUNCT))
        return Doc(ids, ptr, nchar, kid, kptr, sid, sptr, punct)

    # -- cheap vectors for the first pass ----------------------------------------------

    def vectors(self, doc: Doc, lang: str) -> np.ndarray:
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

    def features(self, en: Doc, ru: Doc, i0: int, i1: int, j0: int, j1: int,
                 types: Sequence[tuple[int, int]] = BEAD_TYPES
                 ) -> dict[tuple[int, int], np.ndarray]:
        """Feature arrays for every bead of each shape inside en[i0:i1] x ru[j0:j1].

        ``out[(a, b)][p, q]`` is the feature vector (see ``FEATURES``) of the bead pairing
        English sentences ``i0+p .. i0+p+a-1`` with Russian ``j0+q .. j0+q+b-1``.
        """
        out = {}
        nt = len(PLANES)
        for t, planes in self._planes(en, ru, i0, i1, j0, j1, types).items():
            f = np.zeros(planes.shape[1:] + (len(FEATURES),), dtype=np.float32)
            f[..., :nt] = np.moveaxis(planes, 0, -1)
            f[..., nt + BEAD_TYPES.index(t)] = 1
            out[t] = f
        return out

    def bead_logits(self, en: Doc, ru: Doc, i0: int, i1: int, j0: int, j1: int,
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
        for t, planes in self._planes(en, ru, i0, i1, j0, j1, types).items():
            const = bias + float(weights[nt + BEAD_TYPES.index(t)])
            out[t] = np.einsum("f,fpq->pq", w, planes) + np.float32(const)
            if cover is not None and t == (1, 1):
                cover.append((planes[PLANES.index("wcov_e")], planes[PLANES.index("wcov_r")]))
        return out

    def _planes(self, en: Doc, ru: Doc, i0: int, i1: int, j0: int, j1: int,
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
        e_ids, e_sent = _block_tokens(en, i0, i1)
        r_ids, r_sent = _block_tokens(ru, j0, j1)
        idf = self.idf
        cov_r, ll_r, wc_r, wt_r = _directional(self.t_er, e_ids, e_sent, nI, r_ids, r_sent, nJ,
                                               amax, idf)
        cov_e, ll_e, wc_e, wt_e = _directional(self.t_re, r_ids, r_sent, nJ, e_ids, e_sent, nI,
                                               bmax, idf)
        len_e = np.diff(en.ptr[i0:i1 + 1]).astype(np.float32)
        len_r = np.diff(ru.ptr[j0:j1 + 1]).astype(np.float32)
        ch_e = en.nchar[i0:i1]
        ch_r = ru.nchar[j0:j1]
        km_r, kn_r, km_e, kn_e = _key_matches(en, ru, i0, i1, j0, j1, amax, bmax)
        pu_e = en.punct[i0:i1].astype(np.float32)
        pu_r = ru.punct[j0:j1].astype(np.float32)
        out = {}
        for a, b in types:
            p_n, q_n = nI - a + 1, nJ - b + 1
            if p_n <= 0 or q_n <= 0:
                out[(a, b)] = np.zeros((nt, max(p_n, 0), max(q_n, 0)), np.float32)
                continue
            le = _roll(len_e, a)[:, None]
            lr = _roll(len_r, b)[None, :]
            inv_le = 1.0 / np.maximum(le, 1)
            inv_lr = 1.0 / np.maximum(lr, 1)
            f = np.empty((nt, p_n, q_n), dtype=np.float32)
            # coverage and likelihood: the a-merge is inside cov_r[a]; sum the b Russian sides
            f[0] = _roll2(cov_r[a], b, axis=1) * inv_lr
            f[1] = _roll2(cov_e[b], a, axis=1).T * inv_le
            f[2] = (_roll2(ll_r[a], b, axis=1) - lr * np.log(le + 1)) * inv_lr
            f[3] = (_roll2(ll_e[b], a, axis=1).T - le * np.log(lr + 1)) * inv_le
            np.minimum(f[0], f[1], out=f[4])
            f[5] = np.abs(np.log((_roll(ch_r, b)[None, :] + 10)
                                 / (1.1 * _roll(ch_e, a)[:, None] + 10)))
            np.multiply(f[5], f[5], out=f[6])
            # keys: matched / total on each side, and how many went unmatched
            mr = _roll2(km_r[a], b, axis=1)
            nr = _roll(kn_r, b)[None, :]
            f[7] = mr / np.maximum(nr, 1)
            f[8] = np.minimum(nr - mr, 3)
            me = _roll2(km_e[b], a, axis=1).T
            ne = _roll(kn_e, a)[:, None]
            f[9] = me / np.maximum(ne, 1)
            f[10] = np.minimum(ne - me, 3)
            pe = np.minimum(_roll2(pu_e, a, axis=0), 1)
            pr = np.minimum(_roll2(pu_r, b, axis=0), 1)
            f[11] = np.abs(pe[:, None, :] - pr[None, :, :]).sum(-1)
            f[12] = 1.0 / (1.0 + np.minimum(le, lr))
            # the worst-covered sentence of the bead: a merged side must be covered part by
            # part, or a boilerplate line rides along with its neighbour
            part_r = _rollmin(cov_r[a] / np.maximum(len_r, 1)[None, :], b)
            part_e = _rollmin(cov_e[b] / np.maximum(len_e, 1)[None, :], a).T
            np.minimum(part_r, part_e, out=f[13])
            # coverage weighted by piece idf: function words cover anything
            f[14] = _roll2(wc_r[a], b, axis=1) / np.maximum(_roll(wt_r, b)[None, :], 1e-3)
            f[15] = _roll2(wc_e[b], a, axis=1).T / np.maximum(_roll(wt_e, a)[:, None], 1e-3)
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

    def logits(self, feats: np.ndarray) -> np.ndarray:
        """Log-odds that each bead is right, from its feature vector."""
        return feats @ self.weights + self.bias

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


def _roll(x: np.ndarray, k: int) -> np.ndarray:
    """Sums of ``k`` consecutive entries along axis 0."""
    return _roll2(x, k, axis=0)


def _rollmin(x: np.ndarray, k: int) -> np.ndarray:
    """Minimum of ``k`` consecutive entries along axis 1."""
    if k == 1:
        return x
    n = x.shape[1] - k + 1
    out = x[:, :n].copy()
    for d in range(1, k):
        np.minimum(out, x[:, d:d + n], out=out)
    return out


def _roll2(x: np.ndarray, k: int, axis: int) -> np.ndarray:
    if k == 1:
        return x
    n = x.shape[axis] - k + 1
    sl = [slice(None)] * x.ndim
    sl[axis] = slice(0, n)
    out = x[tuple(sl)].copy()
    for d in range(1, k):
        sl[axis] = slice(d, d + n)
        out += x[tuple(sl)]
    return out


def _block_tokens(doc: Doc, s0: int, s1: int) -> tuple[np.ndarray, np.ndarray]:
    lo, hi = doc.ptr[s0], doc.ptr[s1]
    ids = doc.ids[lo:hi]
    sent = np.repeat(np.arange(s1 - s0), np.diff(doc.ptr[s0:s1 + 1]))
    return ids, sent


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
        m = _roll(gathered, g)
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


def _small_dot(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``x @ y.T`` for small key matrices without BLAS (see ``_directional``)."""
    return (x[:, None, :] * y[None, :, :]).sum(-1) if x.shape[1] < 64 else np.einsum(
        "ik,jk->ij", x, y)


def _key_matches(en: Doc, ru: Doc, i0: int, i1: int, j0: int, j1: int, amax: int, bmax: int):
    """Matched/total key counts: Russian keys found among the English sentences' keys (for
    1..amax merged English sentences), and strong English keys found on the Russian side."""
    nI, nJ = i1 - i0, j1 - j0
    e_k = en.key_ids[en.key_ptr[i0]:en.key_ptr[i1]]
    e_ks = np.repeat(np.arange(nI), np.diff(en.key_ptr[i0:i1 + 1]))
    s_k = en.strong_ids[en.strong_ptr[i0]:en.strong_ptr[i1]]
    s_ks = np.repeat(np.arange(nI), np.diff(en.strong_ptr[i0:i1 + 1]))
    r_k = ru.key_ids[ru.key_ptr[j0]:ru.key_ptr[j1]]
    r_ks = np.repeat(np.arange(nJ), np.diff(ru.key_ptr[j0:j1 + 1]))
    kn_r = np.bincount(r_ks, minlength=nJ).astype(np.float32)
    kn_e = np.bincount(s_ks, minlength=nI).astype(np.float32)
    km_r, km_e = {}, {}
    space = np.unique(np.concatenate([r_k, s_k]))
    K = len(space)
    if K == 0:
        for a in range(1, amax + 1):
            km_r[a] = np.zeros((max(nI - a + 1, 0), nJ), np.float32)
        for b in range(1, bmax + 1):
            km_e[b] = np.zeros((max(nJ - b + 1, 0), nI), np.float32)
        return km_r, kn_r, km_e, kn_e

    def dense(keys: np.ndarray, owner: np.ndarray, n: int) -> np.ndarray:
        out = np.zeros((n, K), dtype=np.float32)
        idx = np.searchsorted(space, keys)
        idx = np.minimum(idx, K - 1)
        ok = space[idx] == keys
        np.add.at(out, (owner[ok], idx[ok]), 1.0)
        return out

    E = dense(e_k, e_ks, nI)
    S = dense(s_k, s_ks, nI)
    R = dense(r_k, r_ks, nJ)
    for a in range(1, amax + 1):
        if nI - a + 1 <= 0:
            km_r[a] = np.zeros((0, nJ), np.float32)
            continue
        km_r[a] = _small_dot((_roll(E, a) > 0).astype(np.float32), R)
    for b in range(1, bmax + 1):
        if nJ - b + 1 <= 0:
            km_e[b] = np.zeros((0, nI), np.float32)
            continue
        km_e[b] = _small_dot((_roll(R, b) > 0).astype(np.float32), S)
    return km_r, kn_r, km_e, kn_e


# ----------------------------------------------------------------------------------------
# External encoders (optional extra): kind -> loader(path) -> object with .encode(list[str])


def _load_sentence_transformers(path: str) -> Any:
    """A local sentence-transformers model directory; never downloads anything."""
    if not Path(path).is_dir():
        raise ModelError("encoder directory not found (only local models are used)", path)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise ModelError("sentence-transformers is not installed "
                         "(pip install 'align[encoder]')", path) from None
    try:
        return SentenceTransformer(path, device="cpu", local_files_only=True)
    except Exception as exc:  # the library raises many kinds; all mean "cannot use it"
        raise ModelError(f"cannot load the encoder ({type(exc).__name__}: {exc})", path) from None


ENCODERS: dict[str, Callable[[str], Any]] = {
    "sentence-transformers": _load_sentence_transformers,
}


def load_encoder(path: str, kind: str = "sentence-transformers") -> Any:
    """Load an external sentence encoder of ``kind`` (a key of ``ENCODERS``) from ``path``."""
    try:
        loader = ENCODERS[kind]
    except KeyError:
        raise ModelError(f"unknown encoder kind {kind!r} (choose from {', '.join(ENCODERS)})",
                         path) from None
    return loader(path)


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


# ----------------------------------------------------------------------------------------
# Training (``align model train``)

BOILER_EN = ("Photo: AP", "Read more:", "Advertisement", "Share this article", "Video",
             "Subscribe to our newsletter.", "Source: Interfax", "Related news",
             "(Reporting by staff; editing by the desk)", "Follow us on Twitter.")
BOILER_RU = ("Фото: РИА Новости", "Читайте также:", "Реклама", "Поделиться", "Видео",
             "Подписывайтесь на нашу рассылку.", "Источник: Интерфакс", "Новости по теме",
             "Материал подготовлен редакцией", "Следите за нами во ВКонтакте.")


@dataclass(frozen=True)
class TrainConfig:
    """Knobs of ``align model train``; the defaults build the shipped model."""

    vocab_size: int = 8000
    em_iterations: int = 5
    prune_min: float = 0.005
    prune_top: int = 64
    emb_dim: int = 48
    heldout_every: int = 10  # every 10th block of 50 consecutive pairs trains the weights
    seed: int = 13
    # the structured stage: synthetic documents (rounds of fresh perturbations of the held-out
    # pairs), perceptron epochs, step size and the loss margin of each wrong bead
    struct_rounds: int = 16
    struct_epochs: int = 6
    struct_rate: float = 0.05
    struct_margin: float = 1.0


def read_train_pairs(path: str | os.PathLike[str]) -> list[tuple[str, str]]:
    """``en<TAB>ru[<TAB>...]`` lines (gzip or plain) as pairs; bad rows raise ``InputError``."""
    from .fileio import decode_utf8, read_bytes

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


def _prune(uniq: np.ndarray, given: np.ndarray, t: np.ndarray, vocab: int, min_t: float,
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


def _logreg(X: np.ndarray, y: np.ndarray, l2: float = 1.0, iterations: int = 25
            ) -> tuple[np.ndarray, float]:
    """Logistic regression by Newton's method (IRLS) with an L2 penalty; returns (w, b)."""
    Xb = np.hstack([X, np.ones((len(X), 1))]).astype(np.float64)
    w = np.zeros(Xb.shape[1])
    reg = np.full(Xb.shape[1], l2)
    reg[-1] = 1e-6
    for _ in range(iterations):
        z = np.clip(Xb @ w, -30, 30)
        p = 1 / (1 + np.exp(-z))
        g = Xb.T @ (p - y) + reg * w
        H = (Xb * (p * (1 - p))[:, None]).T @ Xb + np.diag(reg)
        step = np.linalg.solve(H, g)
        w -= step
        if np.abs(step).max() < 1e-7:
            break
    return w[:-1], float(w[-1])


def isotonic(x: np.ndarray, y: np.ndarray) -> tuple[list[float], list[float]]:
    """Pool-adjacent-violators fit of y on x; knots for ``np.interp`` (at most ~200)."""
    order = np.argsort(x, kind="stable")
    xs, ys = np.asarray(x, float)[order], np.asarray(y, float)[order]
    vals, wts, lefts, rights = [], [], [], []
    for xv, yv in zip(xs, ys):
        vals.append(yv)
        wts.append(1.0)
        lefts.append(xv)
        rights.append(xv)
        while len(vals) > 1 and vals[-2] >= vals[-1]:
            v = (vals[-2] * wts[-2] + vals[-1] * wts[-1]) / (wts[-2] + wts[-1])
            w = wts[-2] + wts[-1]
            r = rights[-1]
            vals.pop(); wts.pop(); lefts.pop(); rights.pop()
            vals[-1], wts[-1], rights[-1] = v, w, r
    kx, ky = [], []
    for v, lft, r in zip(vals, lefts, rights):
        kx += [lft, r]
        ky += [v, v]
    if len(kx) > 400:
        keep = np.unique(np.linspace(0, len(kx) - 1, 400).astype(int))
        kx, ky = [kx[i] for i in keep], [ky[i] for i in keep]
    return [float(v) for v in kx], [float(v) for v in ky]


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
    model.t_er = _prune(*ibm1(en_ids, ru_ids, V, config.em_iterations, say), V,
                        config.prune_min, config.prune_top)
    say("IBM Model 1, Russian -> English")
    model.t_re = _prune(*ibm1(ru_ids, en_ids, V, config.em_iterations, say), V,
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
    _fit_structured(model, struct_docs, config, say)
    _fit_structured(model, struct_docs, config, say, lexical=False)
    _calibrate(model, cal_docs, say)
    _fit_adequacy(model, held, say)


def split_pairs(pairs: Sequence[tuple[str, str]], config: TrainConfig = TrainConfig()):
    """(table pairs, held-out pairs): every ``heldout_every``-th block of 50 is held out."""
    block, every = 50, config.heldout_every
    held = [p for k, p in enumerate(pairs) if (k // block) % every == every - 1]
    train = [p for k, p in enumerate(pairs) if (k // block) % every != every - 1]
    return train, held


def _gold_sets(gold):
    return {(tuple(s), tuple(t)) for s, t in gold}


def _fit_weights(model: Model, docs, say) -> None:
    Xs, ys = [], []
    for en, ru, gold in docs:
        e, r = model.prepare(en, ru)
        feats = model.features(e, r, 0, len(en), 0, len(ru))
        gset = _gold_sets(gold)
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
    w, b = _logreg(X, y)
    model.weights = w.astype(np.float32)
    model.bias = b
    # The same classifier without the translation tables, for the "DP without the lexical
    # model" baseline of benchmarks/alignment.py.
    keep = np.array([name not in LEXICAL for name in FEATURES])
    w2, b2 = _logreg(X[:, keep], y)
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
        cos = (ve @ vr.T) / (np.linalg.norm(ve, axis=1)[:, None] * np.linalg.norm(vr, axis=1)[None, :]
                             + 1e-6)
        lr = np.abs(np.log((r.nchar[None, :] + 10) / (1.1 * e.nchar[:, None] + 10)))
        lab = np.zeros_like(cos)
        for s, t in gold:
            if len(s) == 1 and len(t) == 1:
                lab[s[0], t[0]] = 1
        Xs.append(np.stack([cos.ravel(), lr.ravel()], 1))
        ys.append(lab.ravel())
    w, b = _logreg(np.concatenate(Xs), np.concatenate(ys), l2=0.1)
    model.cheap = np.array([w[0], w[1], b], dtype=np.float32)


def _fit_structured(model: Model, docs, config: TrainConfig, say, lexical: bool = True) -> None:
    """Train the bead weights and the skip costs so that the dynamic program decodes the
    gold alignment: an averaged structured perceptron with loss-augmented decoding (each
    wrong bead gets ``config.struct_margin`` extra while training), started from the bead
    classifier. With ``lexical=False`` the features from the translation tables stay at zero
    (the "no lexical model" baseline) and the result goes to ``params["nolex"]``."""
    from .aligner import AlignParams

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
    prepared = [_struct_doc(model, en, ru, gold, defaults.cover_floor)
                for en, ru, gold in docs if en and ru]
    total = np.zeros_like(theta)
    steps = 0
    rng = np.random.default_rng(config.seed)
    for epoch in range(config.struct_epochs):
        wrong = 0
        for k in rng.permutation(len(prepared)):
            doc = prepared[k]
            pred = _struct_decode(doc, theta, config.struct_margin)
            gold = doc["gold"]
            if pred != gold:
                wrong += 1
                step = (sum((_struct_phi(doc, bead) for bead in gold - pred), np.zeros_like(theta))
                        - sum((_struct_phi(doc, bead) for bead in pred - gold), np.zeros_like(theta)))
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


def cover_excess(best: np.ndarray, floor: float) -> np.ndarray:
    """Each sentence's best 1-1 idf-weighted coverage above ``floor``: the skip-cost feature,
    the same in training (:func:`_struct_doc`) and in the aligner."""
    return np.maximum(best - floor, 0)


def _struct_doc(model: Model, en, ru, gold, cover_floor: float) -> dict[str, Any]:
    """What the perceptron needs of one synthetic document: every bead's feature planes,
    each sentence's coverage excess (the skip-cost feature) and the gold beads."""
    e, r = model.prepare(en, ru)
    planes = model._planes(e, r, 0, len(en), 0, len(ru), BEAD_TYPES)
    one = planes[(1, 1)]
    cover_e = cover_excess(one[PLANES.index("wcov_e")].max(1), cover_floor)
    cover_r = cover_excess(one[PLANES.index("wcov_r")].max(0), cover_floor)
    gold_set = _gold_sets(gold)
    wrong = {}
    for (a, b), pl in planes.items():
        mask = np.ones(pl.shape[1:], dtype=np.float32)
        for src, tgt in gold_set:
            if len(src) == a and len(tgt) == b:
                mask[src[0], tgt[0]] = 0
        wrong[(a, b)] = mask
    skipped_e = {s[0] for s, t in gold_set if not t}
    skipped_r = {t[0] for s, t in gold_set if not s}
    return {"n": len(en), "m": len(ru), "planes": planes, "cover_e": cover_e,
            "cover_r": cover_r, "gold": gold_set, "wrong": wrong,
            "wrong_e": np.array([i not in skipped_e for i in range(len(en))], np.float32),
            "wrong_r": np.array([j not in skipped_r for j in range(len(ru))], np.float32)}


def _struct_phi(doc: dict[str, Any], bead) -> np.ndarray:
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


def _struct_decode(doc: dict[str, Any], theta: np.ndarray, margin: float) -> set:
    """The best path under ``theta``, every wrong bead scored ``margin`` higher."""
    from .aligner import NEG, _decode

    nt = len(PLANES)
    n, m = doc["n"], doc["m"]
    S = np.full((m + 1, 1 + len(BEAD_TYPES), n + 1), NEG, dtype=np.float32)
    for t, (a, b) in enumerate(BEAD_TYPES, start=1):
        pl = doc["planes"][(a, b)]
        if pl.shape[1] <= 0 or pl.shape[2] <= 0:
            continue
        z = np.einsum("f,fpq->pq", theta[:nt], pl) + theta[nt + t - 1] + margin * doc["wrong"][(a, b)]
        S[b:b + z.shape[1], t, a:a + z.shape[0]] = z.T
    skip_r = theta[-2] + theta[-1] * doc["cover_r"] + margin * doc["wrong_r"]
    skip_e = theta[-2] + theta[-1] * doc["cover_e"] + margin * doc["wrong_e"]
    S[1:, 0, :] = skip_r[:, None]
    beads, _t = _decode(S, ((0, 1),) + BEAD_TYPES, skip_e.astype(np.float32),
                        np.zeros(m + 1, dtype=np.int64), n + 1, n, m, posteriors=False)
    return {(tuple(src), tuple(tgt)) for src, tgt, _p in beads}


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


def _fit_adequacy(model: Model, held: Sequence[tuple[str, str]], say) -> None:
    """Platt scaling of :meth:`Model.score_pairs` on held-out translations against their
    neighbours, kept in the model (``params["adequacy"]``), so that an adequacy of 0.5 means
    as likely a translation as not (see :class:`align.score.Calibration`)."""
    from .score import fit_calibration

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
    from .aligner import AlignParams, align_sentences

    params = AlignParams.from_model(model)
    outs = [align_sentences(en, ru, model, params=params, calibrate=False) for en, ru, _g in docs]
    xs, ys = [], []
    for (_e, _r, gold), out in zip(docs, outs):
        gset = _gold_sets(gold)
        for bead in out:
            xs.append(bead.score)
            ys.append(1.0 if (bead.src, bead.tgt) in gset else 0.0)
    kx, ky = isotonic(np.array(xs), np.array(ys))
    model.params["calibration"] = [kx, ky]
    say(f"calibration: {len(xs)} beads, {sum(ys) / max(len(ys), 1):.4f} right")
