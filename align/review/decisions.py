"""Decisions exported by the review page, checked against their input and applied to it.

A decisions file is JSON::

    {"format": "align-review-decisions", "version": 1, "input": "doc.tsv",
     "sha256": "<ReviewSource.sha256>", "beads": 1234,
     "decisions": [{"beads": [7, 8], "into": [{"en": [10, 11], "ru": [12], "status": "edited"},
                                              {"en": [], "ru": [13], "status": "edited"}]}]}

Each decision replaces a run of consecutive original beads (``beads``, their numbers in the
input) by the beads ``into``, which must hold exactly the same sentences in the same order:
so whatever the page did (accept, reject, merge, split, move a sentence, unlink), every
sentence stays in exactly one bead. ``status`` is ``accepted`` (a person confirmed the link),
``rejected`` (the link was wrong: its sentences are left without a counterpart) or ``edited``
(a bead a person made). A file for another input, a malformed or truncated file, or a decision
that would lose, repeat or reorder a sentence is a ``FormatError``; nothing is applied.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any, Iterator

from ..errors import FormatError
from ..fileio import decode_utf8, read_bytes
from ..types import Bead, Pair, check_beads
from .source import ReviewSource

FORMAT = "align-review-decisions"
VERSION = 1
STATUSES = ("accepted", "edited", "rejected")
#: The confidence of a bead a person accepted, made or unlinked.
REVIEWED_SCORE = 1.0


@dataclass(frozen=True)
class NewBead:
    """A bead a decision makes: sentence indices of both sides and its status."""

    en: tuple[int, ...]
    ru: tuple[int, ...]
    status: str


@dataclass(frozen=True)
class Decision:
    """Original beads ``first..last`` (inclusive) become ``into``."""

    first: int
    last: int
    into: tuple[NewBead, ...]


@dataclass(frozen=True)
class Decisions:
    """A parsed decisions file (shape checked; content is checked against the input by
    :func:`apply_decisions`)."""

    path: str
    input: str
    sha256: str
    beads: int
    decisions: tuple[Decision, ...]


@dataclass(frozen=True)
class ReviewedBead:
    """A bead of the corrected alignment. ``original`` is the input bead it is, when it was
    left as it was (``status`` then says whether a person accepted it, or is empty)."""

    en: range
    ru: range
    score: float | None
    group: int
    status: str = ""
    original: int | None = None


def _index_list(value: Any, where: str, path: str) -> tuple[int, ...]:
    if not isinstance(value, list) or not all(type(v) is int and v >= 0 for v in value):
        raise FormatError(f"{where} must be a list of sentence or bead numbers", path)
    return tuple(value)


def parse_decisions(data: Any, path: str) -> Decisions:
    """Check the shape of a decoded decisions file."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise FormatError(f'not a decisions file of align review (no "format": "{FORMAT}")',
                          path)
    if data.get("version") != VERSION:
        raise FormatError(f"decisions version {data.get('version')!r}; this align reads "
                          f"version {VERSION}", path)
    sha, count, items = data.get("sha256"), data.get("beads"), data.get("decisions")
    if not isinstance(sha, str) or type(count) is not int or not isinstance(items, list):
        raise FormatError('"sha256" (text), "beads" (a number) and "decisions" (a list) are '
                          "required", path)
    decisions = []
    for number, item in enumerate(items, start=1):
        where = f"decision {number}"
        if not isinstance(item, dict):
            raise FormatError(f"{where} is not an object", path)
        beads = _index_list(item.get("beads"), f'{where}: "beads"', path)
        if not beads or list(beads) != list(range(beads[0], beads[0] + len(beads))):
            raise FormatError(f'{where}: "beads" must be consecutive bead numbers, '
                              f"got {_show(beads)}", path)
        into = item.get("into")
        if not isinstance(into, list) or not into:
            raise FormatError(f'{where}: "into" must be a non-empty list of beads', path)
        made = []
        for bead in into:
            if not isinstance(bead, dict):
                raise FormatError(f'{where}: a bead of "into" is not an object', path)
            en = _index_list(bead.get("en"), f'{where}: "en"', path)
            ru = _index_list(bead.get("ru"), f'{where}: "ru"', path)
            status = bead.get("status")
            if status not in STATUSES:
                raise FormatError(f"{where}: status {status!r} is not one of "
                                  f"{', '.join(STATUSES)}", path)
            if not en and not ru:
                raise FormatError(f"{where}: a bead with no sentence", path)
            made.append(NewBead(en, ru, status))
        decisions.append(Decision(beads[0], beads[-1], tuple(made)))
    return Decisions(path, str(data.get("input", "")), sha, count, tuple(decisions))


def read_decisions(path: str | os.PathLike[str]) -> Decisions:
    """Read and shape-check a decisions file; a truncated or malformed one is one error."""
    name = str(path)
    text = decode_utf8(read_bytes(path), path)
    if not text.strip():
        raise FormatError("empty decisions file", name)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()):
            raise FormatError("truncated: the JSON ends before it is complete", name,
                              exc.lineno) from None
        raise FormatError(f"not valid JSON: {exc.msg} (column {exc.colno})", name,
                          exc.lineno) from None
    return parse_decisions(data, name)


def _show(numbers: Any) -> str:
    numbers = list(numbers)
    text = ", ".join(map(str, numbers[:6]))
    return f"[{text}{', ...' if len(numbers) > 6 else ''}]"


def apply_decisions(source: ReviewSource, decisions: Decisions) -> list[ReviewedBead]:
    """The corrected beads: ``source``'s beads with each decision's run replaced.

    Refuses (``FormatError`` naming the decisions file) decisions made for another input,
    runs of beads that overlap or leave their document, and new beads that do not hold
    exactly the sentences of the beads they replace, in order.
    """
    path = decisions.path
    if decisions.sha256 != source.sha256 or decisions.beads != len(source.beads):
        made_for = f"{decisions.input}, " if decisions.input else ""
        raise FormatError(f"these decisions are for another input ({made_for}sha256 "
                          f"{decisions.sha256[:12]}), not {source.name} (sha256 "
                          f"{source.sha256[:12]})", path)
    beads = source.beads
    out: list[ReviewedBead] = []
    position = 0
    for number, decision in sorted(enumerate(decisions.decisions, start=1),
                                   key=lambda item: item[1].first):
        where = f"decision {number}"
        if decision.last >= len(beads):
            raise FormatError(f"{where}: bead {decision.last} does not exist (the input has "
                              f"{len(beads)})", path)
        if decision.first < position:
            raise FormatError(f"{where}: bead {decision.first} is in another decision too",
                              path)
        for i in range(position, decision.first):
            out.append(ReviewedBead(beads[i].en, beads[i].ru, beads[i].score, beads[i].group,
                                    original=i))
        first, last = beads[decision.first], beads[decision.last]
        if first.group != last.group:
            raise FormatError(f"{where}: beads {decision.first}-{decision.last} are in "
                              "different documents (or a headline and a body)", path)
        en = [k for b in decision.into for k in b.en]
        ru = [k for b in decision.into for k in b.ru]
        want_en = list(range(first.en_start, last.en_end))
        want_ru = list(range(first.ru_start, last.ru_end))
        for side, got, want in (("English", en, want_en), ("Russian", ru, want_ru)):
            if got != want:
                raise FormatError(f"{where}: beads {decision.first}-{decision.last} hold "
                                  f"{side} sentences {_show(want)} but its new beads hold "
                                  f"{_show(got)}: every sentence must stay in exactly one "
                                  "bead, in order", path)
        single = decision.first == decision.last and len(decision.into) == 1
        e, r = first.en_start, first.ru_start
        for bead in decision.into:
            en_range, ru_range = range(e, e + len(bead.en)), range(r, r + len(bead.ru))
            e, r = en_range.stop, ru_range.stop
            unchanged = single and en_range == first.en and ru_range == first.ru
            out.append(ReviewedBead(en_range, ru_range, REVIEWED_SCORE, first.group,
                                    bead.status, decision.first if unchanged else None))
        position = decision.last + 1
    for i in range(position, len(beads)):
        out.append(ReviewedBead(beads[i].en, beads[i].ru, beads[i].score, beads[i].group,
                                original=i))
    check_beads([Bead(tuple(b.en), tuple(b.ru)) for b in out], len(source.en), len(source.ru))
    return out


def reviewed_bead_list(reviewed: list[ReviewedBead]) -> list[Bead]:
    """The corrected alignment as beads (for a bead file); reviewed beads score 1.0."""
    return [Bead(tuple(b.en), tuple(b.ru), b.score if b.score is not None else 0.0)
            for b in reviewed]


def reviewed_pairs(source: ReviewSource, reviewed: list[ReviewedBead]) -> Iterator[Pair]:
    """The corrected alignment as corpus pairs, in order.

    A bead left as it was is its input pair, exactly (with score 1.0 and the property
    ``review: accepted`` when a person accepted it). A new bead joins its sentences with a
    space, takes its document, kind and properties from its group's first input pair, scores
    1.0 and says what was done in the property ``review``. A bead file's beads become
    ``sentence`` pairs of the English file's name.
    """
    first_pair: dict[int, Pair] = {}
    if source.pairs is not None:
        for bead, pair in zip(source.beads, source.pairs):
            first_pair.setdefault(bead.group, pair)
    for bead in reviewed:
        group = source.groups[bead.group]
        if bead.original is not None and source.pairs is not None:
            pair = source.pairs[bead.original]
            if bead.status:
                pair = Pair(pair.en, pair.ru, REVIEWED_SCORE, pair.kind, pair.doc,
                            {**pair.props, "review": bead.status})
            yield pair
            continue
        props = dict(first_pair[bead.group].props) if bead.group in first_pair else {}
        if bead.status:
            props["review"] = bead.status
        yield Pair(" ".join(source.en[i] for i in bead.en),
                   " ".join(source.ru[i] for i in bead.ru),
                   None if bead.score is None else round(bead.score, 4),
                   group.kind, group.doc, props)
