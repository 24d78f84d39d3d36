"""The finer score of candidate document pairs, in three stages, as calibrated probabilities.

Stage one scores every candidate from its vectors alone (``FIRST``): cosines both ways, the
keys' cosine, the margin to each document's next best candidate, length and unit-count
ratios. Stage two rescores each document's best few (``SELECT_TOP``) with evidence that costs
more per pair (``SECOND`` adds): the headline pair's adequacy under the sentence model, and the
share of each side's pieces that the other side translates (the aligner's coverage, over
whole documents). Both are
logistic models whose weights (``align/data/docpair.json``) ``benchmarks/fit_docpairs.py``
fits on archives made from the model's held-out training pairs.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from ..errors import AlignError
from .vectors import Side, coverage, rowdot

FIRST = ("cos_ru", "cos_en", "cos_keys", "margin_en", "margin_ru", "len", "units")
SECOND = FIRST + ("head", "cover_ru", "cover_en", "cover_min", "cover_margin_en",
                   "cover_margin_ru", "mutual")
#: Stage three's evidence; the contested pairs' model reads ``CONTEST`` of it, the unsure
#: pairs' model ``UNSURE_FEATURES``.
THIRD = ("logit1", "logit2", "linked_en", "linked_ru", "linked_min", "linked_margin_en",
         "linked_margin_ru", "linked_margin", "conf_en", "conf_ru", "conf_min", "conf_margin",
         "adequacy_en", "adequacy_ru", "adequacy_min", "adequacy_margin")
CONTEST = ("logit1", "linked_en", "linked_ru", "linked_min", "linked_margin_en",
           "linked_margin_ru", "linked_margin", "conf_min", "conf_margin", "adequacy_min",
           "adequacy_margin")
UNSURE_FEATURES = ("logit2", "linked_min", "conf_min", "adequacy_en", "adequacy_ru",
                   "adequacy_min")
#: Stage-two probability from which a pair takes part in a contest (stage three).
CONTEST_FLOOR = 0.05
#: Stage-two probabilities between which an uncontested pair is unsure and stage three
#: reads it too (short documents, mostly: a few sentences give the vectors little to go on,
#: the sentence aligner's confidences more).
UNSURE = (0.02, 0.95)
#: Candidates per document (each side) that stage two rescores.
SELECT_TOP = 2
#: Stage-one probability below which a candidate is not rescored.
SELECT_FLOOR = 0.005
#: The usual log ratio of Russian to English characters in a translated document.
LEN_RATIO = 0.08
MARGIN_FLOOR = 0.05
WEIGHTS_FILE = Path(__file__).resolve().parents[1] / "data" / "docpair.json"


@dataclass(frozen=True)
class Logistic:
    """Weights over named features and a bias."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float

    def __call__(self, x: np.ndarray) -> np.ndarray:
        z = x @ np.asarray(self.weights, dtype=np.float64) + self.bias
        return 1 / (1 + np.exp(-np.clip(z, -40, 40)))

    def as_json(self) -> dict[str, Any]:
        return {"features": list(self.features), "weights": [round(float(w), 4)
                                                             for w in self.weights],
                "bias": round(float(self.bias), 4)}


def load_weights(path: Path = WEIGHTS_FILE) -> dict[str, Logistic]:
    """The two stages' logistic models (``first``, ``second``) from the weights file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    out = {}
    for stage, names in (("first", FIRST), ("second", SECOND), ("third", CONTEST),
                         ("unsure", UNSURE_FEATURES)):
        if stage not in data:
            continue
        entry = data.get(stage, {})
        if tuple(entry.get("features", ())) != names:
            raise AlignError("document pairing weights are for other features; rerun "
                             "benchmarks/fit_docpairs.py", str(path))
        out[stage] = Logistic(names, tuple(entry["weights"]), float(entry["bias"]))
    return out


_WEIGHTS: dict[str, Logistic] = {}


def default_weights() -> Mapping[str, Logistic]:
    if not _WEIGHTS:
        _WEIGHTS.update(load_weights())
    return _WEIGHTS


def second_best(group: np.ndarray, value: np.ndarray, n: int) -> np.ndarray:
    """For each entry, the best ``value`` among the other entries of its ``group`` (0 if
    none)."""
    best = np.zeros(n)
    second = np.zeros(n)
    arg = np.full(n, -1)
    for k in np.argsort(-value, kind="stable"):
        g = group[k]
        if arg[g] < 0:
            arg[g] = k
            best[g] = value[k]
        elif value[k] > second[g]:
            second[g] = value[k]
    return np.where(arg[group] == np.arange(len(group)), second[group], best[group])


def first_features(s_en: Side, s_ru: Side, ie: np.ndarray, jr: np.ndarray) -> np.ndarray:
    """Stage one's features (``FIRST``) of the candidate pairs ``(ie[k], jr[k])``."""
    cos_ru = rowdot(s_en.projected, s_ru.own, ie, jr)
    cos_en = rowdot(s_en.own, s_ru.projected, ie, jr)
    cos_keys = rowdot(s_en.keys, s_ru.keys, ie, jr)
    # Margins as log ratios to the next best: a short document's cosines are all lower, its
    # ratios are not.
    base = np.log(cos_ru + cos_en + MARGIN_FLOOR)
    margin_en = base - np.log(second_best(ie, cos_ru + cos_en, len(s_en.docs)) + MARGIN_FLOOR)
    margin_ru = base - np.log(second_best(jr, cos_ru + cos_en, len(s_ru.docs)) + MARGIN_FLOOR)
    length = np.abs(np.log((s_ru.chars[jr] + 20) / (s_en.chars[ie] + 20)) - LEN_RATIO)
    units = np.abs(np.log((s_ru.units[jr] + 1) / (s_en.units[ie] + 1)))
    return np.stack([cos_ru, cos_en, cos_keys, margin_en, margin_ru, length, units], axis=1)


def select(ie: np.ndarray, jr: np.ndarray, p1: np.ndarray, n_en: int, n_ru: int,
           top: int = SELECT_TOP, floor: float = SELECT_FLOOR) -> np.ndarray:
    """Which candidates stage two rescores: each document's ``top`` best by stage one, if
    at least ``floor``."""
    keep = np.zeros(len(ie), dtype=bool)
    for group in (ie, jr):
        order = np.lexsort((-p1, group))  # by document, best first
        rank = np.zeros(len(ie), dtype=np.int64)
        g = group[order]
        starts = np.r_[True, g[1:] != g[:-1]]
        pos = np.arange(len(order))
        first = np.maximum.accumulate(np.where(starts, pos, 0))
        rank[order] = pos - first
        keep |= (rank < top) & (p1 >= floor)
    return keep


def second_features(model: Any, s_en: Side, s_ru: Side, ie: np.ndarray, jr: np.ndarray,
                    first: np.ndarray, p1: np.ndarray) -> np.ndarray:
    """Stage two's features (``SECOND``) of the selected pairs, given their stage-one
    features and probabilities; margins and ``mutual`` are among the selected pairs."""
    head = np.zeros(len(ie))
    if len(ie):
        head = model.score_pairs([s_en.docs[i].headline for i in ie],
                                 [s_ru.docs[j].headline for j in jr])
    cover = coverage(model, s_en, s_ru, ie, jr)
    low = cover.min(axis=1)
    margin_en = low - second_best(ie, low, len(s_en.docs))
    margin_ru = low - second_best(jr, low, len(s_ru.docs))
    # best of both its documents by the vectors alone (cosines both ways and the keys')
    mutual = mutual_best(ie, jr, first[:, :3].sum(axis=1), len(s_en.docs), len(s_ru.docs))
    return np.column_stack([first, head, cover, low, margin_en, margin_ru, mutual])


def contested(ie: np.ndarray, jr: np.ndarray, p2: np.ndarray,
              floor: float = CONTEST_FLOOR) -> np.ndarray:
    """Pairs (of at least ``floor``) whose English or Russian document has another pair of
    at least ``floor``: two versions of one story, typically, which stage three tells apart
    with the sentence aligner."""
    live = p2 >= floor
    out = np.zeros(len(ie), dtype=bool)
    for group in (ie, jr):
        counts = np.bincount(group[live], minlength=int(group.max(initial=0)) + 1)
        out |= live & (counts[group] >= 2)
    return out


def unsure(p2: np.ndarray, bounds: tuple[float, float] = UNSURE) -> np.ndarray:
    """Pairs whose stage-two probability is neither clearly low nor clearly high."""
    return (p2 >= bounds[0]) & (p2 < bounds[1])


def linked_shares(model: Any, en: Any, ru: Any) -> tuple[float, ...]:
    """The shares of English and Russian sentences (headline included) that the sentence
    aligner links: plain, weighted by the links' confidences, and weighted by each link's
    adequacy (the sentence model's probability that its two sides translate each other,
    judged alone). A translation links nearly all, with confidence and adequacy; an older or
    newer version of the story leaves the paragraphs it lacks or adds unlinked; two
    unrelated short texts may be linked with confidence (the aligner's confidence assumes
    the texts are parallel: two sentences a side leave it no doubt) but not adequately."""
    from ..aligner import align
    from ..segment import split_sentences

    src = split_sentences(en.text, "en")
    tgt = split_sentences(ru.text, "ru")
    if not src or not tgt:
        return (0.0,) * 6
    links = [b for b in align(src, tgt, model).beads if b.src and b.tgt]
    adequacy = model.score_pairs([" ".join(src[k].text for k in b.src) for b in links],
                                 [" ".join(tgt[k].text for k in b.tgt) for b in links])
    n_src = np.array([len(b.src) for b in links], dtype=np.float64)
    n_tgt = np.array([len(b.tgt) for b in links], dtype=np.float64)
    conf = np.array([b.score for b in links], dtype=np.float64)
    return (n_src.sum() / len(src), n_tgt.sum() / len(tgt), n_src @ conf / len(src),
            n_tgt @ conf / len(tgt), n_src @ adequacy / len(src), n_tgt @ adequacy / len(tgt))


def _logit(p: np.ndarray) -> np.ndarray:
    return np.log(np.clip(p, 1e-6, 1 - 1e-6) / np.clip(1 - p, 1e-6, 1))


def third_features(ie: np.ndarray, jr: np.ndarray, p1: np.ndarray, p2: np.ndarray,
                   linked: np.ndarray, n_en: int, n_ru: int) -> np.ndarray:
    """Stage three's features (``THIRD``) of the contested and unsure pairs, given their
    stage-one and stage-two probabilities and their linked shares ``(n, 6)``
    (:func:`linked_shares`). Margins are to the document's other pairs in stage three (a
    pair with none: its own value), the smaller of the two sides' where one is given (a
    pair that is the better on one side and the worse on the other is the wrong version of
    an update)."""
    def margins(value: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return value - second_best(ie, value, n_en), value - second_best(jr, value, n_ru)

    low, conf, adequacy = (linked[:, k:k + 2].min(axis=1) for k in (0, 2, 4))
    low_en, low_ru = margins(low)
    return np.column_stack([_logit(p1), _logit(p2), linked[:, :2], low, low_en, low_ru,
                            np.minimum(low_en, low_ru), linked[:, 2:4], conf,
                            np.minimum(*margins(conf)), linked[:, 4:6], adequacy,
                            np.minimum(*margins(adequacy))])


def stage_three(weights: Mapping[str, Logistic], third: np.ndarray, contest: np.ndarray
                ) -> np.ndarray | None:
    """Stage three's probabilities: the contested pairs' model for contested rows, the
    unsure pairs' model for the others (``None`` without the weights)."""
    if "third" not in weights or "unsure" not in weights:
        return None
    cols = {name: k for k, name in enumerate(THIRD)}
    out = np.zeros(len(third))
    for stage, rows in (("third", contest == 1), ("unsure", contest == 0)):
        model = weights[stage]
        out[rows] = model(third[rows][:, [cols[f] for f in model.features]])
    return out


def mutual_best(ie: np.ndarray, jr: np.ndarray, value: np.ndarray, n_en: int, n_ru: int
                ) -> np.ndarray:
    """1 where a pair is the best of both its documents by ``value`` (among the pairs
    given), else 0."""
    out = np.zeros(len(ie))
    if not len(ie):
        return out
    best_en = np.full(n_en, -np.inf)
    best_ru = np.full(n_ru, -np.inf)
    np.maximum.at(best_en, ie, value)
    np.maximum.at(best_ru, jr, value)
    return ((value >= best_en[ie]) & (value >= best_ru[jr])).astype(np.float64)
