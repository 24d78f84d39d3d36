"""align: English–Russian translation alignment.

The public API is small and imported lazily, so ``import align`` stays cheap:

>>> from align import read_article
"""
from __future__ import annotations

__version__ = "0.1.0"

from .errors import AlignError, ArticleError, FormatError, InputError, ModelError
from .types import Alignment, Article, Bead, Pair, Paragraph, Sentence

__all__ = [
    "__version__",
    "AlignError", "ArticleError", "FormatError", "InputError", "ModelError",
    "Alignment", "Article", "Bead", "Pair", "Paragraph", "Sentence",
    "read_article",
]


def __getattr__(name: str):
    # Stage modules load on first use so that importing the package stays light.
    if name == "read_article":
        from .article import read_article
        return read_article
    raise AttributeError(f"module 'align' has no attribute {name!r}")
