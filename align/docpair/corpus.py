"""A corpus from paired documents: each document pair's headlines and aligned body sentences.

``docpair_pairs`` is the pure stage (``align corpus --en EN --ru RU``) that the engine maps over
the pairs ``align docs`` finds: it reads both files again, pairs the headlines (scored by their
adequacy, as for a bilingual article) and aligns the bodies; every pair records both file names
(``doc``) and the document pair's score (the ``docpair_score`` property).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from ..errors import AlignError
from .documents import DocFile, read_document

#: A headline pair scoring below this is no pair (one side's first block is a body paragraph,
#: its headline missing): both go into the bodies and the aligner places them.
HEADLINE_MIN = 0.2


@dataclass(frozen=True)
class PairedFiles:
    """One document pair to build corpus pairs from."""

    en_path: str
    en_name: str
    ru_path: str
    ru_name: str
    score: float

    @property
    def doc(self) -> str:
        return f"{self.en_name}|{self.ru_name}"


def docpair_pairs(scorer: Any, item: PairedFiles, *, unaligned: bool = False,
                  headlines_only: bool = False) -> Any:
    """The corpus pairs of one document pair (a ``DocResult``; a file that cannot be read
    again is its error)."""
    from ..aligner import align
    from ..corpus import DocResult, alignment_pairs
    from ..segment import split_sentences
    from ..types import Pair

    try:
        en = read_document(DocFile(item.en_path, item.en_name, "en"))
        ru = read_document(DocFile(item.ru_path, item.ru_name, "ru"))
    except AlignError as exc:
        return DocResult(exc.path or item.en_path, error=exc.message)
    props = {"docpair_score": f"{item.score:.4f}"}
    pairs = []
    warnings = []
    en_body, ru_body = list(en.paragraphs), list(ru.paragraphs)
    adequacy = scorer.adequacy(en.headline, ru.headline)
    if adequacy >= HEADLINE_MIN:
        pairs.append(Pair(en.headline, ru.headline, round(adequacy, 4), "headline", item.doc,
                          props))
    else:
        warnings.append("the first blocks are no headline pair: aligned with the bodies")
        en_body.insert(0, en.headline)
        ru_body.insert(0, ru.headline)
    if not headlines_only and en_body and ru_body:
        alignment = align(split_sentences("\n\n".join(en_body), "en"),
                          split_sentences("\n\n".join(ru_body), "ru"), scorer.model,
                          encoder=scorer.encoder)
        pairs.extend(dataclasses.replace(p, props=props) for p in
                     alignment_pairs(alignment, "body", item.doc, unaligned=unaligned))
    return DocResult(item.en_path, tuple(pairs), tuple(warnings))
