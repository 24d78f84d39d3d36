"""What the model and the aligner both know about a bead, written once: the text keys, the
feature names and the formulas that training and decoding must agree on.

* ``BEAD_TYPES``, ``PLANES``, ``FEATURES``, ``LEXICAL``: the bead shapes and the names of the
  feature planes (:meth:`align.model.Model.bead_planes` fills them by these names).
* Text signals: numbers, Latin-script tokens, name skeletons through transliteration,
  punctuation counts, and the normalisation the subword model sees.
* :class:`PreparedSide`: one side of a document ready for scoring (pieces, keys, lengths).
* Shared formulas: :func:`length_ratio`, :func:`cover_excess`, :func:`prefix_sums`,
  :func:`window_sums`/:func:`window_min` (sums over merged sentences), :func:`logit`, and the
  key matching of :func:`key_matches`.

Imports nothing of ``align``: every other module may import it.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np

# Bead shapes the scorer knows; the one-hot position of each in the feature vector.
BEAD_TYPES: tuple[tuple[int, int], ...] = ((1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1))
PLANES = ("cov_r", "cov_e", "ll_r", "ll_e", "cov_min", "len", "len2", "key_r", "miss_r",
          "key_e", "miss_e", "punct", "short", "part_min", "wcov_r", "wcov_e")
# Per-bead features: the planes and a one-hot of the bead's shape. (Separate weights for
# merged beads were tried and lost on the dev sets: synthetic merges are not real ones.)
FEATURES = PLANES + tuple(f"type_{a}{b}" for a, b in BEAD_TYPES)
# What the "no lexical model" baseline leaves out: everything from the translation tables.
# The position of each plane by name: code fills and reads planes as ``f[PLANE["len"]]``.
PLANE = {name: k for k, name in enumerate(PLANES)}
LEXICAL = ("cov_r", "cov_e", "ll_r", "ll_e", "cov_min", "part_min", "wcov_r", "wcov_e")


# ----------------------------------------------------------------------------------------
# Text signals


_DIGITS = re.compile(r"\d+")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_EN_CAP = re.compile(r"(?<![\w])[A-Z][a-z]{2,}")
_RU_CAP = re.compile(r"(?<![\w])[А-ЯЁ][а-яё]{2,}")
PUNCT_GROUPS = ("?", "!", "\"«»“”„", "()", ":")
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
    return [sum(text.count(ch) for ch in group) for group in PUNCT_GROUPS]


def normalize(text: str) -> str:
    """What the subword model sees: NFKC, lower case, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


# ----------------------------------------------------------------------------------------
# A document side ready for scoring


@dataclass
class PreparedSide:
    """One side of a document prepared for scoring: pieces, keys, punctuation, lengths."""

    ids: np.ndarray  # int32 piece ids + 1, all sentences concatenated
    ptr: np.ndarray  # int64 sentence starts, len n + 1
    nchar: np.ndarray  # float32
    key_ids: np.ndarray  # int32 doc-pair-local key ids
    key_ptr: np.ndarray
    strong_ids: np.ndarray  # English only: strong keys
    strong_ptr: np.ndarray
    punct: np.ndarray  # int32 (n, len(PUNCT_GROUPS))
    vec: np.ndarray | None = None  # float32 (n, d) cheap vectors, filled on demand
    emb: np.ndarray | None = None  # float32 (n, d) unit vectors from an external encoder

    def __len__(self) -> int:
        return len(self.ptr) - 1

    @property
    def ntok(self) -> np.ndarray:
        return np.diff(self.ptr).astype(np.float32)


def csr(lists: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    ptr = np.zeros(len(lists) + 1, dtype=np.int64)
    if lists:
        np.cumsum([len(x) for x in lists], out=ptr[1:])
    flat = np.fromiter((v for x in lists for v in x), dtype=np.int32, count=int(ptr[-1]))
    return flat, ptr


def block_tokens(doc: PreparedSide, s0: int, s1: int) -> tuple[np.ndarray, np.ndarray]:
    lo, hi = doc.ptr[s0], doc.ptr[s1]
    ids = doc.ids[lo:hi]
    sent = np.repeat(np.arange(s1 - s0), np.diff(doc.ptr[s0:s1 + 1]))
    return ids, sent


# ----------------------------------------------------------------------------------------
# Formulas shared by training and decoding


def length_ratio(en_chars: np.ndarray, ru_chars: np.ndarray) -> np.ndarray:
    """``|log((ru + 10) / (1.1 en + 10))|`` of the two sides' character counts (broadcast):
    Russian runs about 10% longer than English; the +10 keeps short lines from dominating.
    The bead feature ``len``, the cheap first pass and its fit all use this one formula."""
    return np.abs(np.log((ru_chars + 10) / (1.1 * en_chars + 10)))


def cover_excess(best: np.ndarray, floor: float) -> np.ndarray:
    """Each sentence's best 1-1 idf-weighted coverage above ``floor``: the skip-cost feature,
    the same in training (:mod:`align.train.perceptron`) and in the aligner."""
    return np.maximum(best - floor, 0)


def logit(p: np.ndarray) -> np.ndarray:
    """``log(p / (1 - p))`` of probabilities, clipped to ``[1e-300, 1 - 1e-16]`` so that it
    stays finite, without losing ``p`` close to 1 (``log1p``)."""
    p = np.clip(np.asarray(p, dtype=np.float64), 1e-300, 1.0 - 1e-16)
    return np.log(p) - np.log1p(-p)


def prefix_sums(x: np.ndarray, dtype: type | None = None) -> np.ndarray:
    """``out[k] = x[:k].sum(0)`` for ``k = 0..len(x)`` (a zero row first), so the sum of any
    run ``x[i:j]`` is ``out[j] - out[i]``. The running sum is taken in ``x``'s own dtype and the
    result cast to ``dtype`` if given (the aligner's callers depend on both, bit for bit)."""
    x = np.asarray(x)
    sums = np.cumsum(x, 0)
    zero = np.zeros((1,) + x.shape[1:], dtype=sums.dtype)
    out = np.concatenate([zero, sums])
    return out if dtype is None else out.astype(dtype)


def window_sums(x: np.ndarray, k: int, axis: int = 0) -> np.ndarray:
    """Sums of ``k`` consecutive entries along ``axis``: the value of a bead merging ``k``
    sentences from per-sentence values."""
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


def window_min(x: np.ndarray, k: int) -> np.ndarray:
    """Minimum of ``k`` consecutive entries along axis 1."""
    if k == 1:
        return x
    n = x.shape[1] - k + 1
    out = x[:, :n].copy()
    for d in range(1, k):
        np.minimum(out, x[:, d:d + n], out=out)
    return out


def _small_dot(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``x @ y.T`` for small key matrices without BLAS (no thread start-up on small blocks)."""
    return (x[:, None, :] * y[None, :, :]).sum(-1) if x.shape[1] < 64 else np.einsum(
        "ik,jk->ij", x, y)


def key_matches(en: PreparedSide, ru: PreparedSide, i0: int, i1: int, j0: int, j1: int,
                amax: int, bmax: int):
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
        km_r[a] = _small_dot((window_sums(E, a) > 0).astype(np.float32), R)
    for b in range(1, bmax + 1):
        if nJ - b + 1 <= 0:
            km_e[b] = np.zeros((0, nI), np.float32)
            continue
        km_e[b] = _small_dot((window_sums(R, b) > 0).astype(np.float32), S)
    return km_r, kn_r, km_e, kn_e
