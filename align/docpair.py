"""Pair single-language documents across two archives: which Russian file translates which
English one.

An archive as it comes off a crawl: a site's English section and its Russian section, with
unrelated file names, stories published in one language only and updated versions of the same
story. Pairing runs in three steps, each cheaper per pair than the next and run on fewer pairs:

1. **Candidates, sublinear.** Every document becomes sparse tf-idf vectors in both languages'
   subword spaces: its own pieces, and the other side's pieces projected through the model's
   translation tables (``t(ru|en)``, ``t(en|ru)``), plus exact keys that survive translation
   (numbers, Latin-script tokens, transliterated name skeletons). Only each document's
   ``SEARCH_TERMS`` heaviest terms go into an inverted index, so a document meets only the
   documents sharing one of its rare terms; each keeps its ``CANDIDATES`` best in each
   direction.
2. **A finer score** for those candidates: full-vector cosines in both directions, key
   agreement, length and paragraph ratios, the margin to each document's next best candidate
   and the headline pair's adequacy under the sentence model, combined by a logistic model
   (``align/data/docpair.json``, fitted by ``benchmarks/fit_docpairs.py`` on archives made from the
   model's held-out training pairs) into a calibrated probability.
3. **One-to-one assignment**: competitive linking, best probability first, down to
   ``threshold`` (a document whose best is below it has no counterpart).

Everything here is pure (no printing); ``read_document`` and ``prepare_document`` are the
per-file stages that :mod:`align.engine` maps over files.
"""
from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from .errors import AlignError, InputError

LANGS = ("en", "ru")
#: Heaviest terms per document in the inverted index (the candidate search).
SEARCH_TERMS = 128
#: Terms per document kept for the full-vector cosines of the finer score.
FULL_TERMS = 256
#: Candidates kept per document and direction.
CANDIDATES = 6
#: Translations per piece used to project a document into the other language's pieces.
PROJECT_TOP = 6
PROJECT_MIN = 0.02
#: Default "no counterpart" threshold on the calibrated probability.
THRESHOLD = 0.5

_CYR_RE = re.compile("[\u0400-\u04ff]")
_LAT_RE = re.compile("[A-Za-z\u00c0-\u024f]")
_URL_RE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.IGNORECASE)
_LANG_MARK = re.compile(r"(?:^|(?<=[/._-]))(en|ru|eng|rus)(?=$|[/._-])", re.IGNORECASE)


class DocumentError(InputError):
    """A document cannot be used for pairing (no text, no language, both languages)."""


# --------------------------------------------------------------------------------- documents

@dataclass(frozen=True)
class DocFile:
    """An input file: its path, its name relative to its input root, and the language its
    input says it is in (``None`` in a mixed directory: detected)."""

    path: str
    name: str
    lang: str | None = None


@dataclass(frozen=True)
class Document:
    """A single-language document: headline (first block) and body paragraphs."""

    path: str
    name: str
    lang: str
    headline: str
    paragraphs: tuple[str, ...]
    encoding: str = "utf-8"
    source: str | None = None

    @property
    def text(self) -> str:
        return "\n\n".join((self.headline, *self.paragraphs))


def find_documents(inputs: Iterable[str | os.PathLike[str]], lang: str | None = None
                   ) -> list[DocFile]:
    """Files and directories (searched recursively, every regular file not hidden, in sorted
    order) as ``DocFile``; names are relative to the directory given (a file given directly
    is named by its file name)."""
    docs: list[DocFile] = []
    for item in inputs:
        root = Path(item)
        if root.is_dir():
            found = sorted(p for p in root.rglob("*") if p.is_file()
                           and not any(part.startswith(".") for part in
                                       p.relative_to(root).parts))
            docs.extend(DocFile(str(p), p.relative_to(root).as_posix(), lang) for p in found)
        elif root.is_file():
            docs.append(DocFile(str(item), root.name, lang))
        else:
            raise InputError("no such file or directory", str(item))
    return docs


def text_lang(text: str) -> tuple[str | None, float]:
    """The language of a text by its letters, and the share of the minority script."""
    text = _URL_RE.sub(" ", text)
    cyr = len(_CYR_RE.findall(text))
    lat = len(_LAT_RE.findall(text))
    if cyr + lat < 20:
        return None, 0.0
    share = cyr / (cyr + lat)
    return ("ru" if share >= 0.5 else "en"), min(share, 1 - share)


def read_document(item: DocFile) -> Document:
    """Read one file: any encoding the article parser reads; plain text (first block the
    headline, blank lines between paragraphs) or an article file holding one language (a
    site line first is recognised and kept apart).

    Raises ``DocumentError`` for an empty, binary or unreadable file, one whose language
    cannot be told, one holding both languages (a bilingual article: ``align corpus`` reads
    those), or one in the other language than its input says.
    """
    from .article import _DOMAIN_RE, _is_source_line, decode_article_bytes, split_blocks
    from .errors import ArticleError
    from .fileio import read_bytes

    try:
        text, encoding = decode_article_bytes(read_bytes(item.path), item.path)
    except ArticleError as exc:
        raise DocumentError(exc.message, item.path) from None
    blocks = split_blocks(text)
    lang, minority = text_lang(text)
    if lang is None:
        raise DocumentError("too few letters to tell its language", item.path)
    if minority > 0.3:
        letters = {"en": 0, "ru": 0}
        for block in blocks:
            if block.lang:
                letters[block.lang] += len(block.text)
        if min(letters.values()) > 0.25 * sum(letters.values()):
            raise DocumentError("English and Russian text in one file (a bilingual article: "
                                "'align corpus' reads those)", item.path)
        raise DocumentError(f"cannot tell its language ({minority:.0%} of its letters are "
                            "in the other script)", item.path)
    if item.lang is not None and lang != item.lang:
        raise DocumentError(f"looks {_NAMES[lang]}, not {_NAMES[item.lang]} (languages "
                            "swapped?)", item.path)
    source = None
    first = blocks[0].text.strip()
    if len(blocks) > 2 and (_DOMAIN_RE.match(first) or blocks[0].lang is None or (
            _is_source_line(blocks[0]) and "\n" not in blocks[1].text.strip()
            and len(blocks[1].text) < 250)):
        source, blocks = first, blocks[1:]
    paragraphs = tuple(" ".join(b.text.split()) for b in blocks)
    return Document(item.path, item.name, lang, paragraphs[0], paragraphs[1:], encoding, source)


_NAMES = {"en": "English", "ru": "Russian"}


# --------------------------------------------------------------------------------- features

@dataclass(frozen=True)
class DocFeatures:
    """What pairing needs of one document, computed once per document (a pure stage):
    piece counts, keys, and sizes; the text itself is not kept."""

    name: str
    lang: str
    pieces: tuple[tuple[int, int], ...]  # (piece, count), sorted by piece
    keys: tuple[tuple[str, int], ...]  # (key, count), sorted
    head_pieces: tuple[int, ...]
    headline: str
    chars: int
    paragraphs: int
    path: str = ""


def prepare_document(model: Any, doc: Document) -> DocFeatures:
    """Pieces and keys of a document under ``model`` (pure: the engine maps it)."""
    from collections import Counter

    from .features import en_keys, ru_keys

    parts = [doc.headline, *doc.paragraphs]
    pieces = model.pieces(parts)
    counts = Counter(p for ids in pieces for p in ids)
    keys: Counter[str] = Counter()
    for part in parts:
        keys.update(en_keys(part)[0] if doc.lang == "en" else ru_keys(part))
    return DocFeatures(doc.name, doc.lang, tuple(sorted(counts.items())),
                       tuple(sorted(keys.items())), tuple(pieces[0]), doc.headline,
                       sum(len(p) for p in parts), len(parts), doc.path)


@dataclass(frozen=True)
class Skipped:
    """A file that could not be used, and why (one line for the user)."""

    path: str
    problem: str


def read_prepared(model: Any, item: DocFile) -> DocFeatures | Skipped:
    """The stage an engine maps over files: read and prepare one; an unusable file is a
    ``Skipped`` result, not an exception, so a run over many files goes on."""
    try:
        return prepare_document(model, read_document(item))
    except AlignError as exc:
        return Skipped(exc.path or item.path, exc.message)


# --------------------------------------------------------------------------------- vectors

def _csr(rows: Sequence[Sequence[tuple[int, float]]], ncols: int) -> Any:
    from scipy import sparse

    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(r) for r in rows])
    idx = np.fromiter((c for r in rows for c, _ in r), dtype=np.int32, count=int(indptr[-1]))
    val = np.fromiter((v for r in rows for _, v in r), dtype=np.float32, count=int(indptr[-1]))
    out = sparse.csr_matrix((val, idx, indptr), shape=(len(rows), ncols))
    out.sum_duplicates()
    return out


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


def _tfidf(counts: Any, df_source: Any | None = None) -> Any:
    """Sublinear tf (1 + log tf) times idf over the rows of ``df_source`` (default
    ``counts``), rows L2-normalised."""
    from scipy import sparse

    src = counts if df_source is None else df_source
    n = src.shape[0]
    df = np.bincount(src.indices, minlength=src.shape[1]).astype(np.float32)
    idf = np.log((n + 1) / (df + 1)).astype(np.float32)
    out = counts.copy().astype(np.float32)
    out.data = (1 + np.log(np.maximum(out.data, 1e-3) + 1e-9)).clip(min=0.05)
    out = out @ sparse.diags(idf)
    return _normalize(sparse.csr_matrix(out))


def _normalize(m: Any) -> Any:
    from scipy import sparse

    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    return sparse.diags(1 / np.maximum(norms, 1e-9).astype(np.float32)) @ m


def _prune(m: Any, keep: int) -> Any:
    """Each row cut to its ``keep`` largest entries."""
    from scipy import sparse

    m = sparse.csr_matrix(m)
    indptr, indices, data = m.indptr, m.indices, m.data
    lens = np.diff(indptr)
    if lens.max(initial=0) <= keep:
        return m
    rows, cols, vals = [], [], []
    for r in range(m.shape[0]):
        lo, hi = indptr[r], indptr[r + 1]
        d = data[lo:hi]
        if hi - lo > keep:
            top = np.argpartition(-d, keep - 1)[:keep]
        else:
            top = np.arange(hi - lo)
        rows.append(np.full(len(top), r, dtype=np.int32))
        cols.append(indices[lo:hi][top])
        vals.append(d[top])
    return sparse.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                             shape=m.shape)


@dataclass
class Side:
    """One language's documents as matrices (rows in the order of ``docs``)."""

    docs: list[DocFeatures]
    own: Any = None  # tf-idf of own pieces (own space)
    projected: Any = None  # tf-idf of pieces projected into the other language's space
    keys: Any = None  # tf-idf of keys (shared key space)
    search: Any = None  # pruned [projected-or-own | keys] for the inverted index
    chars: np.ndarray = field(default_factory=lambda: np.zeros(0))
    paragraphs: np.ndarray = field(default_factory=lambda: np.zeros(0))


def _sides(model: Any, en: list[DocFeatures], ru: list[DocFeatures]) -> tuple[Side, Side]:
    from scipy import sparse

    vocab = model.t_er.rows
    t_er, t_re = projections(model)
    c_en = _csr([d.pieces for d in en], vocab)
    c_ru = _csr([d.pieces for d in ru], vocab)
    keyspace: dict[str, int] = {}
    k_en = _csr([[(keyspace.setdefault(k, len(keyspace)), c) for k, c in d.keys] for d in en],
                1 << 30)
    k_ru = _csr([[(keyspace.setdefault(k, len(keyspace)), c) for k, c in d.keys] for d in ru],
                1 << 30)
    k_en.resize((len(en), len(keyspace) + 1))
    k_ru.resize((len(ru), len(keyspace) + 1))
    both_keys = sparse.vstack([k_en, k_ru]).tocsr()
    sides = []
    for docs, counts, proj, keys, other in ((en, c_en, t_er, k_en, c_ru),
                                            (ru, c_ru, t_re, k_ru, c_en)):
        own = _tfidf(counts)
        projected = _prune(_tfidf(counts @ proj, other), FULL_TERMS)
        keyv = _tfidf(keys, both_keys)
        side = Side(docs, _prune(own, FULL_TERMS), projected, keyv)
        side.chars = np.array([d.chars for d in docs], dtype=np.float64)
        side.paragraphs = np.array([d.paragraphs for d in docs], dtype=np.float64)
        sides.append(side)
    s_en, s_ru = sides
    # The search vectors live in Russian piece space + key space: English projected, Russian
    # as itself; the same key weights on both sides.
    s_en.search = _prune(sparse.hstack([s_en.projected, KEY_WEIGHT * s_en.keys]).tocsr(),
                         SEARCH_TERMS)
    s_ru.search = _prune(sparse.hstack([s_ru.own, KEY_WEIGHT * s_ru.keys]).tocsr(),
                         SEARCH_TERMS)
    return s_en, s_ru


KEY_WEIGHT = 1.0


def _row_top(scores: Any, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, col, value) of each row's ``k`` largest entries of a sparse matrix."""
    scores = scores.tocsr()
    rows, cols, vals = [], [], []
    for r in range(scores.shape[0]):
        lo, hi = scores.indptr[r], scores.indptr[r + 1]
        if hi <= lo:
            continue
        d = scores.data[lo:hi]
        c = scores.indices[lo:hi]
        order = np.lexsort((c, -d))[:k]
        rows.append(np.full(len(order), r))
        cols.append(c[order])
        vals.append(d[order])
    if not rows:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)


def candidates(s_en: Side, s_ru: Side, k: int = CANDIDATES, block: int = 2048
               ) -> tuple[np.ndarray, np.ndarray]:
    """(english row, russian row) of candidate pairs: each document's ``k`` best by the
    pruned search vectors, in both directions, deduplicated and sorted."""
    pairs = []
    b_t = s_ru.search.T.tocsr()
    for i0 in range(0, s_en.search.shape[0], block):
        r, c, _ = _row_top(s_en.search[i0:i0 + block] @ b_t, k)
        pairs.append(np.stack([r + i0, c], 1))
    a_t = s_en.search.T.tocsr()
    for j0 in range(0, s_ru.search.shape[0], block):
        r, c, _ = _row_top(s_ru.search[j0:j0 + block] @ a_t, k)
        pairs.append(np.stack([c, r + j0], 1))
    if not pairs:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    both = np.unique(np.concatenate(pairs).astype(np.int64), axis=0)
    return both[:, 0], both[:, 1]


def _rowdot(a: Any, b: Any, ia: np.ndarray, ib: np.ndarray, block: int = 65536) -> np.ndarray:
    """Dot products of rows ``a[ia[k]]`` and ``b[ib[k]]``."""
    out = np.zeros(len(ia), dtype=np.float64)
    for s in range(0, len(ia), block):
        x = a[ia[s:s + block]]
        y = b[ib[s:s + block]]
        out[s:s + block] = np.asarray(x.multiply(y).sum(axis=1)).ravel()
    return out


# --------------------------------------------------------------------------------- scoring

#: Names of the finer score's features, in the order of ``WEIGHTS``.
FEATURE_NAMES = ("cos_ru", "cos_en", "cos_keys", "margin_en", "margin_ru", "len", "para",
                 "head")
WEIGHTS_FILE = Path(__file__).resolve().parent / "data" / "docpair.json"


def default_weights() -> tuple[float, ...]:
    """The logistic weights (bias last) fitted by ``benchmarks/fit_docpairs.py`` on archives
    made from the model's held-out training pairs, never from the benchmark documents."""
    import json

    data = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURE_NAMES:
        raise AlignError("document pairing weights are for other features; rerun "
                         "benchmarks/fit_docpairs.py", str(WEIGHTS_FILE))
    return tuple(data["weights"]) + (data["bias"],)


#: The usual log ratio of Russian to English characters in a translated document.
LEN_RATIO = 0.08


def pair_features(model: Any, s_en: Side, s_ru: Side, ie: np.ndarray, jr: np.ndarray,
                  headlines: bool = True) -> np.ndarray:
    """The finer score's features (``FEATURE_NAMES``) of candidate pairs ``(ie[k], jr[k])``."""
    cos_ru = _rowdot(s_en.projected, s_ru.own, ie, jr)
    cos_en = _rowdot(s_en.own, s_ru.projected, ie, jr)
    cos_keys = _rowdot(s_en.keys, s_ru.keys, ie, jr)
    base = cos_ru + cos_en
    margin_en = base - _second_best(ie, base, len(s_en.docs))
    margin_ru = base - _second_best(jr, base, len(s_ru.docs))
    lr = np.abs(np.log((s_ru.chars[jr] + 20) / (s_en.chars[ie] + 20)) - LEN_RATIO)
    para = np.abs(np.log((s_ru.paragraphs[jr] + 1) / (s_en.paragraphs[ie] + 1)))
    head = np.zeros(len(ie))
    if headlines and len(ie):
        head = model.score_pairs([s_en.docs[i].headline for i in ie],
                                 [s_ru.docs[j].headline for j in jr])
    return np.stack([cos_ru, cos_en, cos_keys, margin_en, margin_ru, lr, para, head], axis=1)


def _second_best(group: np.ndarray, value: np.ndarray, n: int) -> np.ndarray:
    """For each entry, the best ``value`` among the other entries of its ``group`` (0 if
    none)."""
    best = np.zeros(n)
    second = np.zeros(n)
    order = np.argsort(-value, kind="stable")
    arg = np.full(n, -1)
    for k in order:
        g = group[k]
        if arg[g] < 0:
            arg[g] = k
            best[g] = value[k]
        elif value[k] > second[g]:
            second[g] = value[k]
    out = np.where(arg[group] == np.arange(len(group)), second[group], best[group])
    return out


def probabilities(features: np.ndarray, weights: Sequence[float] | None = None) -> np.ndarray:
    """The calibrated probability that each candidate pair is a translation pair."""
    w = np.asarray(default_weights() if weights is None else weights, dtype=np.float64)
    z = features @ w[:-1] + w[-1]
    return 1 / (1 + np.exp(-z))


# --------------------------------------------------------------------------------- pairing

@dataclass(frozen=True)
class DocPair:
    """An English and a Russian document (names relative to their inputs) and the
    calibrated probability that one translates the other."""

    en: str
    ru: str
    score: float
    by_name: bool = False


@dataclass(frozen=True)
class Pairing:
    """The pairs (sorted by English name) and the documents left without a counterpart,
    each with its best candidate's probability."""

    pairs: tuple[DocPair, ...]
    unpaired: tuple[tuple[str, str, float], ...]  # (lang, name, best probability)
    candidates: int = 0


def name_key(name: str) -> str:
    """A file name with its language marker removed (``x.en.txt``, ``en/x.txt``,
    ``x_ru.txt`` -> ``x.txt``): documents sharing a key are paired by ``by_name``."""
    key = _LANG_MARK.sub("", name)
    return re.sub(r"[/._-]{2,}", lambda m: "/" if "/" in m.group() else m.group()[-1],
                  key).strip("/._-")


def pair_documents(model: Any, en: list[DocFeatures], ru: list[DocFeatures], *,
                   threshold: float = THRESHOLD, by_name: bool = False,
                   weights: Sequence[float] | None = None) -> Pairing:
    """Pair ``en`` with ``ru`` documents one-to-one (see the module docstring)."""
    if not en or not ru:
        return Pairing((), tuple((d.lang, d.name, 0.0) for d in (*en, *ru)))
    ie, jr, feats, forced = score_candidates(model, en, ru, by_name=by_name)
    prob = probabilities(feats, weights)
    return assign(en, ru, ie, jr, prob, threshold, forced)


def score_candidates(model: Any, en: list[DocFeatures], ru: list[DocFeatures], *,
                     by_name: bool = False
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[tuple[int, int]]]:
    """Candidate pairs (english rows, russian rows), their features (``FEATURE_NAMES``) and
    the pairs forced by name."""
    s_en, s_ru = _sides(model, en, ru)
    ie, jr = candidates(s_en, s_ru)
    forced: list[tuple[int, int]] = []
    if by_name:
        ru_by_key: dict[str, list[int]] = {}
        for j, d in enumerate(ru):
            ru_by_key.setdefault(name_key(d.name), []).append(j)
        for i, d in enumerate(en):
            js = ru_by_key.get(name_key(d.name), [])
            if len(js) == 1:
                forced.append((i, js[0]))
        if forced:
            extra = np.array(forced, dtype=np.int64)
            both = np.unique(np.concatenate([np.stack([ie, jr], 1), extra]), axis=0)
            ie, jr = both[:, 0], both[:, 1]
    return ie, jr, pair_features(model, s_en, s_ru, ie, jr), forced


def assign(en: list[DocFeatures], ru: list[DocFeatures], ie: np.ndarray, jr: np.ndarray,
           prob: np.ndarray, threshold: float = THRESHOLD,
           forced: Sequence[tuple[int, int]] = ()) -> Pairing:
    """Competitive linking: pairs by descending probability (ties by name), each document at
    most once, down to ``threshold``; ``forced`` pairs (by name) first."""
    lookup = {(int(i), int(j)): float(p) for i, j, p in zip(ie, jr, prob)}
    used_en: set[int] = set()
    used_ru: set[int] = set()
    pairs = []
    for i, j in forced:
        if i in used_en or j in used_ru:
            continue
        used_en.add(i)
        used_ru.add(j)
        pairs.append(DocPair(en[i].name, ru[j].name, lookup.get((i, j), 0.0), True))
    order = sorted(range(len(ie)), key=lambda k: (-prob[k], en[ie[k]].name, ru[jr[k]].name))
    for k in order:
        if prob[k] < threshold:
            break
        i, j = int(ie[k]), int(jr[k])
        if i in used_en or j in used_ru:
            continue
        used_en.add(i)
        used_ru.add(j)
        pairs.append(DocPair(en[i].name, ru[j].name, float(prob[k])))
    best_en = np.zeros(len(en))
    best_ru = np.zeros(len(ru))
    if len(ie):
        np.maximum.at(best_en, ie, prob)
        np.maximum.at(best_ru, jr, prob)
    unpaired = [("en", d.name, float(best_en[i])) for i, d in enumerate(en) if i not in used_en]
    unpaired += [("ru", d.name, float(best_ru[j])) for j, d in enumerate(ru) if j not in used_ru]
    return Pairing(tuple(sorted(pairs, key=lambda p: (p.en, p.ru))),
                   tuple(sorted(unpaired)), len(ie))


def format_pairs(pairing: Pairing) -> str:
    """The pairs file: a header, then ``en<TAB>ru<TAB>score`` lines sorted by English name."""
    lines = ["en\tru\tscore"]
    lines += [f"{p.en}\t{p.ru}\t{p.score:.4f}" for p in pairing.pairs]
    return "\n".join(lines) + "\n"


def format_unpaired(pairing: Pairing) -> str:
    """The ``--unpaired`` file: ``lang<TAB>path<TAB>best`` (the best candidate's probability)."""
    lines = ["lang\tpath\tbest"]
    lines += [f"{lang}\t{name}\t{best:.4f}" for lang, name, best in pairing.unpaired]
    return "\n".join(lines) + "\n"
