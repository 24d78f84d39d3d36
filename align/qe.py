"""Adequacy without references (``align score --qe``) and its calibration.

A pair's adequacy is the bilingual model's probability that its two sides translate each other
(:meth:`align.model.Model.score_pairs`), through a Platt scaling fitted by ``align model train``
(:func:`align.train.fit.fit_calibration`) so that 0.5 means "as likely a translation as not",
on the [0, 1] scale that ``--min-score`` filters.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Sequence

from .errors import AlignError, InputError
from .features import logit
from .fileio import file_sha256, read_text, read_text_lines
from .formats import format_for_path
from .types import Pair


# Pairs handed to the model at once: bounded memory on corpora of any size.
QE_BATCH = 256


def read_qe_pairs(paths: Sequence[str | os.PathLike[str]], fmt: str | None = None
                  ) -> Iterator[Pair]:
    """The pairs to score: ``(EN_FILE, RU_FILE)`` one sentence a line, or one corpus file.

    Raises ``InputError`` for files of different lengths or with nothing in them (when the
    stream is first read, so an output being written is left untouched).
    """
    if len(paths) == 2:
        en_path, ru_path = (str(p) for p in paths)
        en, ru = read_text_lines(en_path), read_text_lines(ru_path)
        if not en:
            raise InputError("empty input: no sentences", en_path)
        if len(en) != len(ru):
            raise InputError(f"{len(ru)} lines, but {en_path} has {len(en)}", ru_path)
        return iter([Pair(en=e, ru=r) for e, r in zip(en, ru)])
    if len(paths) != 1:
        raise AlignError("give one corpus file, or an English and a Russian text file")
    path = paths[0]
    return _non_empty(format_for_path(path, fmt).read(path), str(path))


def _non_empty(pairs: Iterator[Pair], name: str) -> Iterator[Pair]:
    first = next(pairs, None)
    if first is None:
        raise InputError("empty input: no pairs", name)
    yield first
    yield from pairs


@dataclass(frozen=True)
class Calibration:
    """Platt scaling of the model's pair probabilities into adequacy: ``sigmoid(a*logit + b)``.

    The model's 1-1 bead classifier was fitted for the aligner, among many wrong candidate
    beads, so its probabilities are low even for good translations. Refitted on equal numbers
    of translations and neighbouring non-translations (held-out training pairs, never the
    benchmark), 0.5 becomes the point where a pair is as likely a translation as not.
    ``align model train`` fits it and keeps it in the model; ``model_sha256`` ties a table
    entry to the one model file it was fitted for.
    """

    a: float
    b: float
    model_sha256: str
    pairs: int = 0

    def apply(self, probabilities: Any) -> Any:
        import numpy as np

        return 1.0 / (1.0 + np.exp(-(self.a * logit(probabilities) + self.b)))


def calibration_for(model_path: str | os.PathLike[str],
                    table: str | os.PathLike[str] | None = None) -> Calibration | None:
    """The adequacy calibration of the model file at ``model_path``: the one fitted by
    ``align model train`` and kept in the model, or, with ``table`` (a JSON list of
    ``{model_sha256, a, b}``), the table's entry for this file. ``None`` if there is none."""
    import json

    if not os.path.isfile(model_path):
        return None
    if table is None:
        from .model import load_model

        own = load_model(model_path).params.get("adequacy")
        if not own:
            return None
        return Calibration(float(own["a"]), float(own["b"]), file_sha256(model_path),
                           int(own.get("pairs", 0)))
    if not os.path.isfile(table):
        raise InputError("no such calibration table", str(table))
    try:
        entries = json.loads(read_text(table))
        digest = file_sha256(model_path)
        for entry in entries:
            if entry["model_sha256"] == digest:
                return Calibration(float(entry["a"]), float(entry["b"]), digest,
                                   int(entry.get("pairs", 0)))
    except (ValueError, KeyError, TypeError):
        raise InputError("not a calibration table (a JSON list of {model_sha256, a, b})",
                         str(table)) from None
    return None


def score_adequacy(pairs: Iterable[Pair], model: Any,
                   calibration: Calibration | None = None) -> Iterator[Pair]:
    """Stream ``pairs`` with ``score`` set to their adequacy in [0, 1] under ``model``.

    The adequacy is ``model.score_pairs`` (how likely the model finds it that the English and
    Russian sides translate each other, with no reference), through ``calibration`` when the
    model has one, so that ``--min-score 0.5`` means "more likely a translation than not".
    Everything else in the pair is kept.
    """
    import dataclasses

    batch: list[Pair] = []

    def flush() -> Iterator[Pair]:
        scores = model.score_pairs([p.en for p in batch], [p.ru for p in batch])
        if calibration is not None:
            scores = calibration.apply(scores)
        for pair, value in zip(batch, scores):
            yield dataclasses.replace(pair, score=float(value))

    for pair in pairs:
        batch.append(pair)
        if len(batch) == QE_BATCH:
            yield from flush()
            batch = []
    if batch:
        yield from flush()
