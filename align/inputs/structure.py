"""Structure two documents share, as evidence for aligning them.

Where both sides agree on it, structure is a hard boundary for the aligner: chapters when both
books have as many (and each chapter starts at about the same share of the text), headings
when both documents have as many at about the same places. Anything less certain stays out
(the aligner's own costs decide), since a forced boundary in the wrong place costs every
sentence up to the next one. Marks (subtitle timings, PDF pages) become pair properties.
"""
from __future__ import annotations

from typing import Mapping, Sequence

from ..types import Bead, Document, Sentence

#: How far apart (as a share of each side's sentences) two matching boundaries may start.
DRIFT = 0.15


def _starts(doc: Document, sentences: Sequence[Sentence], keep: str) -> list[int]:
    """The index of the first sentence of each chapter (``keep="chapter"``) or heading."""
    firsts: dict[int, int] = {}
    for i, s in enumerate(sentences):
        firsts.setdefault(s.paragraph, i)
    starts, seen = [], set()
    for p, block in enumerate(doc.blocks):
        if p not in firsts:
            continue
        if keep == "chapter":
            if block.chapter not in seen:
                seen.add(block.chapter)
                starts.append(firsts[p])
        elif block.kind == "heading":
            starts.append(firsts[p])
    return starts


def structure_cuts(src_doc: Document, tgt_doc: Document, src: Sequence[Sentence],
                   tgt: Sequence[Sentence]) -> list[tuple[int, int]]:
    """Hard boundaries ``(i, j)`` (sentence indices) where the two documents' chapters, or
    their headings, agree in number and roughly in place; ``[]`` where they do not."""
    cuts: list[tuple[int, int]] = []
    n, m = max(1, len(src)), max(1, len(tgt))
    for keep in ("chapter", "heading"):
        a, b = _starts(src_doc, src, keep), _starts(tgt_doc, tgt, keep)
        if len(a) != len(b) or len(a) < (2 if keep == "chapter" else 1):
            continue
        if all(abs(i / n - j / m) <= DRIFT for i, j in zip(a, b)):
            cuts.extend(zip(a, b))
    ordered = sorted(set(cuts))
    for (i0, j0), (i1, j1) in zip(ordered, ordered[1:]):
        if i1 < i0 or j1 < j0:  # chapters and headings disagree: trust neither
            return []
    return ordered


def bead_props(doc: Document, sentences: Sequence[Sentence], indices: Sequence[int],
               side: str) -> dict[str, str]:
    """The marks over a bead's sentences as pair properties, prefixed by ``side``: a cue's
    ``start`` from the first mark, ``end`` from the last, other keys (``page``, ``cue``) as
    ``first`` or ``first-last``."""
    if not doc.marks or not indices:
        return {}
    lo, hi = sentences[indices[0]].start, sentences[indices[-1]].end
    over = [mark for mark in doc.marks if mark.start < hi and mark.end > lo]
    if not over:
        return {}
    props: dict[str, str] = {}
    for key in over[0].props:
        first, last = over[0].props.get(key, ""), over[-1].props.get(key, "")
        if key == "start":
            value = first
        elif key == "end":
            value = last
        else:
            first, last = first.split("-")[0], last.split("-")[-1]
            value = first if first == last else f"{first}-{last}"
        props[f"{side}-{key}"] = value
    return props


def pair_props(src_doc: Document, tgt_doc: Document, src: Sequence[Sentence],
               tgt: Sequence[Sentence], bead: Bead) -> Mapping[str, str]:
    """Both sides' mark properties for one bead (``en-start``, ``ru-page``, ...)."""
    return {**bead_props(src_doc, src, bead.src, "en"), **bead_props(tgt_doc, tgt, bead.tgt, "ru")}
