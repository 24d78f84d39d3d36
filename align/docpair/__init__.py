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
2. **A finer score** for those candidates, in two stages (:mod:`.scoring`): full-vector
   cosines in both directions, key agreement, length and unit-count ratios and the margin to
   each document's next best candidate for all; then, for each document's best two, the
   headline pair's adequacy under the sentence model and how well each side's paragraphs
   find a counterpart on the other. Logistic models (``align/data/docpair.json``, fitted by
   ``benchmarks/fit_docpairs.py`` on archives made from the model's held-out training
   pairs) make them calibrated probabilities.
3. **One-to-one assignment**: competitive linking, best probability first, down to
   ``threshold`` (a document whose best is below it has no counterpart).

Everything here is pure (no printing): :mod:`.documents` reads and prepares files (the
per-file stage :mod:`align.engine` maps), :mod:`.vectors` builds the vectors and finds the
candidates, :mod:`.scoring` scores them, and this module pairs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np

from .documents import (LANGS, DocFeatures, DocFile, Document, DocumentError, Skipped,
                        find_documents, key_hash, prepare_document, read_document,
                        read_prepared, text_lang)
from .scoring import (FIRST, SECOND, THIRD, Logistic, contested, default_weights,
                      first_features, linked_shares, load_weights, second_features,
                      select, stage_three, third_features, unsure)
from .vectors import candidates, sides

__all__ = ["LANGS", "DocFeatures", "DocFile", "DocPair", "Document", "DocumentError",
           "Pairing", "Scored", "Skipped", "THRESHOLD", "assign", "find_documents",
           "format_pairs", "format_unpaired", "key_hash", "load_weights", "name_key",
           "pair_documents", "prepare_document", "read_document", "read_prepared",
           "score_candidates", "text_lang", "FIRST", "SECOND", "THIRD"]

#: Default "no counterpart" threshold on the calibrated probability.
THRESHOLD = 0.5

_LANG_MARK = re.compile(r"(?:^|(?<=[/._-]))(en|ru|eng|rus)(?=$|[/._-])", re.IGNORECASE)


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
                   weights: Mapping[str, Logistic] | None = None) -> Pairing:
    """Pair ``en`` with ``ru`` documents one-to-one (see the module docstring)."""
    if not en or not ru:
        return Pairing((), tuple(sorted((d.lang, d.name, 0.0) for d in (*en, *ru))))
    scored = score_candidates(model, en, ru, by_name=by_name, weights=weights)
    return assign(en, ru, scored.ie, scored.jr, scored.prob, threshold, scored.forced)


@dataclass
class Scored:
    """Candidate pairs (English rows ``ie``, Russian rows ``jr``), both stages' features and
    probabilities (``second`` for the ``selected`` ones), the final ``prob`` and the pairs
    forced by name."""

    ie: np.ndarray
    jr: np.ndarray
    first: np.ndarray
    p1: np.ndarray
    selected: np.ndarray
    second: np.ndarray
    prob: np.ndarray
    forced: list[tuple[int, int]]
    contest: np.ndarray  # stage three's pairs (rows of ``third``): 1 contested, 0 unsure
    third: np.ndarray
    third_rows: np.ndarray  # the candidate index of each row of ``third``


def score_candidates(model: Any, en: list[DocFeatures], ru: list[DocFeatures], *,
                     by_name: bool = False, weights: Mapping[str, Logistic] | None = None,
                     stages: int = 3) -> Scored:
    """Candidates and their calibrated probabilities (``stages`` below 3 stop early, as
    fitting the weights of the later stages needs)."""
    s_en, s_ru = sides(model, en, ru)
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
    weights = default_weights() if weights is None else weights
    first = first_features(s_en, s_ru, ie, jr)
    p1 = weights["first"](first) if "first" in weights else np.zeros(len(ie))
    chosen = select(ie, jr, p1, len(en), len(ru))
    for i, j in forced:
        chosen |= (ie == i) & (jr == j)
    prob = p1.copy()
    second = np.zeros((0, len(SECOND)))
    third = np.zeros((0, len(THIRD)))
    contest = np.zeros(0, dtype=np.int64)
    where = np.zeros(0, dtype=np.int64)
    if stages >= 2:
        si, sj = ie[chosen], jr[chosen]
        second = second_features(model, s_en, s_ru, si, sj, first[chosen], p1[chosen])
        if "second" in weights:
            prob[chosen] = weights["second"](second)
        p2 = prob[chosen]
        contest_now = contested(si, sj, np.maximum(p2, p1[chosen]))
        look = contest_now | unsure(p2)
        if stages >= 3 and look.any():
            ci, cj = si[look], sj[look]
            linked = np.array([linked_shares(model, _reread(en[i]), _reread(ru[j]))
                               for i, j in zip(ci.tolist(), cj.tolist())])
            contest = contest_now[look].astype(np.int64)
            third = third_features(ci, cj, p1[chosen][look], p2[look], linked, len(en),
                                   len(ru))
            where = np.nonzero(chosen)[0][look]
            p3 = stage_three(weights, third, contest)
            if p3 is not None:
                prob[where] = p3
    return Scored(ie, jr, first, p1, chosen, second, prob, forced, contest, third, where)


def _reread(doc: DocFeatures) -> Document:
    """The text of a prepared document, read again (only stage three's pairs need it)."""
    return read_document(DocFile(doc.path, doc.name, doc.lang))


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
