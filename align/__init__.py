"""align: English–Russian translation alignment.

The public API is small and imported lazily, so ``import align`` stays cheap:

>>> from align import read_article, split_sentences, align_sentences
>>> article = read_article("seeds/000_ef9d5f30e115329a.txt")
>>> beads = align_sentences(["Hello."], ["Привет."])
"""
from __future__ import annotations

__version__ = "0.1.0"

from .errors import AlignError, ArticleError, FormatError, InputError, ModelError
from .types import Alignment, Article, Bead, Pair, Paragraph, Sentence

# The public functions, by the module that defines them; loaded on first use so that
# ``import align`` stays light (no numpy, lxml or sentencepiece until a stage is used).
_LAZY = {
    "read_article": "article",
    "split_sentences": "segment",
    "load_model": "model",
    "align": "aligner",
    "align_sentences": "aligner",
    "FORMATS": "formats",
    "format_for_path": "formats",
    "METRICS": "metrics",
}

__all__ = [
    "__version__",
    "AlignError", "ArticleError", "FormatError", "InputError", "ModelError",
    "Alignment", "Article", "Bead", "Pair", "Paragraph", "Sentence",
    *_LAZY,
]


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'align' has no attribute {name!r}")
