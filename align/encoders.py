"""Optional external sentence encoders, and how their evidence joins the built-in model's.

``ENCODERS`` is the registry of encoder kinds: kind -> loader(path) -> an object with
``.encode(list[str]) -> array``. Only local model directories are used; nothing is downloaded.
:func:`add_encoder_scores` adds the cosine of two sides' sentence vectors to the aligner's bead
scores on a fixed scale.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

import numpy as np

from .errors import ModelError
from .features import prefix_sums


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


# The encoder's evidence, in units of the model's own skip cost (whatever scale the trained
# weights have): a pair at cosine 0.8 gains about one skip's worth over one at 0.5.
ENCODER_WEIGHT = 3.4
ENCODER_CENTRE = 0.5


def unit_rows(x: np.ndarray) -> np.ndarray:
    """Each row scaled to length 1 (zero rows stay zero)."""
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-6)


def add_encoder_scores(logits: dict[tuple[int, int], np.ndarray], ve: np.ndarray,
                       vr: np.ndarray, weight: float) -> None:
    """Add ``weight * (cos - ENCODER_CENTRE)`` to each bead's score, the cosine taken between
    the sums of each side's unit sentence vectors (as Vecalign approximates merged sentences).
    The weight is fixed, not learned: the built-in model is trained without any encoder, so
    an encoder can only add evidence on a known, documented scale."""
    pe, pr = prefix_sums(ve), prefix_sums(vr)
    for (a, b), z in logits.items():
        if z.size == 0:
            continue
        x = unit_rows(pe[a:a + z.shape[0]] - pe[:z.shape[0]])
        y = unit_rows(pr[b:b + z.shape[1]] - pr[:z.shape[1]])
        z += weight * (np.einsum("pd,qd->pq", x, y) - ENCODER_CENTRE)
