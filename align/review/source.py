"""What a review page shows: the sentences of both sides and the beads that link them.

A corpus (TMX, TSV, JSONL, Moses: any format of ``align.formats``) is read pair by pair; each
side of a pair is split back into the sentences the aligner joined with a space, so that a
bead of two sentences can be split again. A bead file (``align sentences`` output, or a gold
file) comes with its two one-sentence-a-line files, whose lines are the sentences.

Beads hold index ranges into the sentence lists, never copies of text. Consecutive pairs of
one document and kind (``doc``, ``kind``) form a group: a review may regroup sentences inside
a group, never across one (a headline never merges with the body, nor one document with the
next). ``sha256`` is a hash of the content the decisions refer to (sentences, beads, groups),
so a decisions file is refused for any other input, in whatever format it is stored.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..errors import FormatError
from ..types import Bead, Pair, check_beads


@dataclass(frozen=True)
class Group:
    """A run of beads that may be regrouped among themselves: one document and kind."""

    doc: str
    kind: str


@dataclass(frozen=True)
class ReviewBead:
    """One bead: English sentences ``en_start..en_end-1``, Russian ``ru_start..ru_end-1``,
    the aligner's confidence (``None`` when nothing scored it) and its group's index."""

    en_start: int
    en_end: int
    ru_start: int
    ru_end: int
    score: float | None
    group: int

    @property
    def en(self) -> range:
        return range(self.en_start, self.en_end)

    @property
    def ru(self) -> range:
        return range(self.ru_start, self.ru_end)


@dataclass(frozen=True)
class ReviewSource:
    """An input to review: ``kind`` is ``corpus`` or ``beads``; ``pairs`` are the corpus's
    pairs as read (one per bead, kept to write unchanged beads back exactly); ``skipped``
    counts, by reason, the records the format's reader passed over (a TMX unit without both
    languages), which the review cannot show or write back."""

    name: str
    kind: str
    en: tuple[str, ...]
    ru: tuple[str, ...]
    beads: tuple[ReviewBead, ...]
    groups: tuple[Group, ...]
    pairs: tuple[Pair, ...] | None = None
    skipped: tuple[tuple[str, int], ...] = ()

    @property
    def sha256(self) -> str:
        return content_hash(self)


def content_hash(source: ReviewSource) -> str:
    """SHA-256 of the sentences, bead boundaries and groups (not the scores, not the format)."""
    digest = hashlib.sha256()
    digest.update(json.dumps([source.kind, source.en, source.ru,
                              [[b.en_start, b.en_end, b.ru_start, b.ru_end, b.group]
                               for b in source.beads],
                              [[g.doc, g.kind] for g in source.groups]],
                             ensure_ascii=False, separators=(",", ":")).encode("utf-8",
                                                                               "surrogatepass"))
    return digest.hexdigest()


# Where a sentence may end: final punctuation (closing quotes allowed) before white space, or
# a line or paragraph break. A side with none of these is one sentence: most pairs are, and
# they skip the splitter (the same result, measured on the 50,000-bead benchmark corpus).
_MAY_SPLIT = re.compile("[.!?\u2026][\"'\u201d\u2019\u00bb\u201c\u2018)\\]]*\\s"
                        "|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _sentences(text: str, lang: str) -> list[str]:
    from ..segment import split_sentences

    core = text.strip()
    if not core:
        return []
    if _MAY_SPLIT.search(core) is None:
        return [core]
    return [s.text for s in split_sentences(text, lang)]


def load_corpus(path: str | os.PathLike[str], fmt: str | None = None,
                langs: tuple[str, str] | None = None) -> ReviewSource:
    """Read a corpus in any format (by extension or ``fmt``) as sentences and beads.

    Each pair is one bead; a pair with no text on either side holds no sentence, so it
    cannot be a bead and is an error naming its place in the file. ``langs`` are the TMX
    language tags of the two sides (as ``align convert --langs`` reads them).
    """
    from ..formats import format_for_path

    name = str(path)
    reader = format_for_path(path, fmt)
    en: list[str] = []
    ru: list[str] = []
    beads: list[ReviewBead] = []
    groups: list[Group] = []
    pairs: list[Pair] = []
    skips: Counter[str] = Counter()
    records = reader.read(path, langs=langs, on_skip=lambda reason, line: skips.update([reason]))
    for number, pair in enumerate(records, start=1):
        en_sents, ru_sents = _sentences(pair.en, "en"), _sentences(pair.ru, "ru")
        if not en_sents and not ru_sents:
            raise FormatError(f"pair {number} has no text on either side", name)
        group = Group(pair.doc, pair.kind)
        if not groups or groups[-1] != group:
            groups.append(group)
        beads.append(ReviewBead(len(en), len(en) + len(en_sents), len(ru),
                                len(ru) + len(ru_sents), pair.score, len(groups) - 1))
        en.extend(en_sents)
        ru.extend(ru_sents)
        pairs.append(pair)
    if not beads:
        raise FormatError("no pairs to review", name)
    return ReviewSource(_shown_name(name), "corpus", tuple(en), tuple(ru), tuple(beads),
                        tuple(groups), tuple(pairs), tuple(sorted(skips.items())))


def beads_as_ranges(beads: Sequence[Bead], n_en: int, n_ru: int, path: str,
                    group: int = 0) -> tuple[ReviewBead, ...]:
    """Check that ``beads`` cover both sentence lists in order, and turn them into ranges."""
    try:
        check_beads(beads, n_en, n_ru)
    except ValueError as exc:
        raise FormatError(f"not an alignment of the sentence files: {exc}", path) from None
    out = []
    e = r = 0
    for bead in beads:
        out.append(ReviewBead(e, e + len(bead.src), r, r + len(bead.tgt), bead.score, group))
        e, r = e + len(bead.src), r + len(bead.tgt)
    return tuple(out)


def load_bead_file(align_path: str | os.PathLike[str], en_path: str | os.PathLike[str],
                   ru_path: str | os.PathLike[str]) -> ReviewSource:
    """A bead file (``[0]:[0, 1]:0.97`` a line) and its one-sentence-a-line EN and RU files.

    Every line of both files must be in exactly one bead, in order (as ``align sentences``
    writes them); otherwise the bead file is an error. A file without confidences (a gold
    file) gives beads without a score.
    """
    from ..beads import parse_bead
    from ..fileio import read_text_lines

    en, ru = read_text_lines(en_path), read_text_lines(ru_path)
    lines = read_text_lines(align_path)  # read once: it may be standard input
    beads = [parse_bead(line, str(align_path), number)
             for number, line in enumerate(lines, 1) if line.strip()]
    if not beads:
        raise FormatError("no beads to review", str(align_path))
    if not any(line.count(":") >= 2 for line in lines):
        # A gold file: no confidences at all, which is not the same as confidence 0.
        beads = [Bead(b.src, b.tgt, None) for b in beads]  # type: ignore[arg-type]
    ranges = beads_as_ranges(beads, len(en), len(ru), str(align_path))
    return ReviewSource(_shown_name(align_path), "beads", tuple(en), tuple(ru), ranges,
                        (Group(Path(en_path).name, "sentence"),))


def _shown_name(path: str | os.PathLike[str]) -> str:
    """A file's name as the page shows it; ``-`` is standard input."""
    return "standard input" if str(path) == "-" else Path(path).name
