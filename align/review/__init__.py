"""Review: a self-contained HTML page where a person checks and corrects an alignment, and
the decisions it exports applied back to the corpus or bead file.

``source`` reads what is reviewed (any corpus format, or a bead file with its two sentence
files) into sentences and beads; ``page`` writes the page; ``decisions`` checks a decisions
file against its input and applies it, keeping every sentence in exactly one bead.
"""
from __future__ import annotations

from .decisions import (Decisions, apply_decisions, read_decisions, reviewed_bead_list,
                        reviewed_pairs)
from .page import render_page
from .source import ReviewBead, ReviewSource, load_bead_file, load_corpus

__all__ = [
    "Decisions", "ReviewBead", "ReviewSource", "apply_decisions", "load_bead_file",
    "load_corpus", "read_decisions", "render_page", "reviewed_bead_list", "reviewed_pairs",
]
