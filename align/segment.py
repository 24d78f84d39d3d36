"""Sentence segmentation for English and Russian news text.

``split_sentences(text, lang)`` cuts ``text`` into ``Sentence`` spans that keep their offsets
into it (``text[s.start:s.end] == s.text``, surrounding white space excluded) and the index of
the paragraph they are in. Blank lines are hard boundaries; inside a paragraph a sentence ends
at ``.``, ``!``, ``?`` or an ellipsis (with any closing quotes and brackets) followed by white
space, unless the rules below say the punctuation is inside a sentence. A line that starts
with a bullet, a list number or a dialogue dash starts a new sentence.

The rules look at the token before the punctuation and the text after it, in one left-to-right
pass, so the cost is linear in the length of the text whatever it holds:

* the next word starts in lower case, or with a comma, colon, closing bracket ... : same
  sentence (``"Why?" he asked``, ``«Стой!» — крикнул он``);
* the token is an abbreviation from ``align.abbreviations``: its kind decides (``Mr.``
  never ends a sentence, ``etc.`` ends one before a capital, ``U.S.`` only before a word that
  typically opens a sentence, ``No.`` only joins before a number);
* the token is an initial (``J. K. Rowling``, ``А. С. Пушкин``): same sentence unless a
  sentence-opening word follows;
* a list marker (``1.``, ``IV.``, ``a.``) at the start of a sentence is not a sentence;
* ``?``/``!`` closing a quotation followed by a name and a speech verb (``"Why?" Smith
  asked.``) stays in the sentence.

English and Russian share the rules and differ in their data. The rules were measured against
razdel and pysbd with ``benchmarks/segment.py``.
"""
from __future__ import annotations

import re
from typing import Iterator, Mapping

from .abbreviations import ABBREVIATIONS, SPEECH_VERBS, STARTERS
from .types import Sentence

LANGS = ("en", "ru")

# A blank line (only white space between two line breaks) or a Unicode paragraph separator.
_BLANK = re.compile(r"(?:\r\n|\n|\r)(?:[^\S\r\n]*(?:\r\n|\n|\r))+|\u2029")
# Sentence-final punctuation with closing quotes/brackets, before white space; or a line break
# before a bullet, a list number, a lettered item or a dialogue dash.
_CANDIDATE = re.compile(
    r"(?P<punct>[.!?…]+)(?P<close>[\"'”’»)\]]*)(?=\s)"
    r"|\n(?=[^\S\n]*(?:[-‑–—−•*▪●◦‣·]|\d{1,3}[.)]|\(?[^\W\d_]\))[^\S\n])"
)
_SPACE = re.compile(r"\s*")
_OPENERS = "\"'«“„‘([{"
_CLOSERS = "\"'»”’)]}"
_DASHES = "-‑–—−"
_CLOSING_RIGHT = set(",;:)]}»”’%")
_CURRENCY = set("$€£₽¥")
_MULTI_ABBR = re.compile(r"(?:[^\W\d_]{1,3}\.)+[^\W\d_]{1,3}")
_NUMBER = re.compile(r"[\d.,:\-–—/]*\d[\d.,:\-–—/]*|[IVXLCDM]+")
_NUMBER_THEN_WORD = re.compile(r"\d[\d.,\-–—]*([^\W\d_][\w.]*)")
_LIST_MARKER = re.compile(
    r"[(\[]?(?:\d{1,3}(?:\.\d{1,3})*|[IVXLCDM]{1,6}|[ivx]{1,4}|[^\W\d_])[)\]]?")
# Russian unit abbreviations that mean a year or a century after a number (``2020 г.``) and
# a place before a name otherwise (``г. Москва``).
_AFTER_NUMBER = {"г": "ambiguous", "гг": "ambiguous", "в": "ambiguous", "вв": "ambiguous"}
_WINDOW = 64


def split_sentences(text: str, lang: str) -> list[Sentence]:
    """Split ``text`` into sentences; ``lang`` is ``"en"`` or ``"ru"``.

    Paragraphs are separated by blank lines and numbered from 0 in the order they hold
    text; no sentence crosses a paragraph boundary. Empty or all-white text gives ``[]``.
    """
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")
    return list(_sentences(text, lang))


def detect_lang(text: str) -> str:
    """``"en"`` or ``"ru"`` for ``text`` by its letters (``"en"`` when it has none)."""
    from .article import guess_lang

    return guess_lang(text[:100_000]) or "en"


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for m in _BLANK.finditer(text):
        yield start, m.start()
        start = m.end()
    yield start, len(text)


def _sentences(text: str, lang: str) -> Iterator[Sentence]:
    abbreviations = ABBREVIATIONS[lang]
    starters = STARTERS[lang]
    verbs = SPEECH_VERBS[lang]
    paragraph = 0
    for lo, hi in _paragraphs(text):
        found = False
        last = lo
        for m in _CANDIDATE.finditer(text, lo, hi):
            punct = m.group("punct")
            if punct is None:
                cut = m.start()
            else:
                cut = m.end()
                if not _ends_sentence(text, lo, hi, m.start(), cut, punct, m.group("close"),
                                      last, abbreviations, starters, verbs):
                    continue
            sentence = _strip(text, last, cut, paragraph)
            last = cut
            if sentence is not None:
                found = True
                yield sentence
        sentence = _strip(text, last, hi, paragraph)
        if sentence is not None:
            found = True
            yield sentence
        if found:
            paragraph += 1


def _strip(text: str, start: int, end: int, paragraph: int) -> Sentence | None:
    piece = text[start:end]
    stripped = piece.lstrip()
    if not stripped:
        return None
    start += len(piece) - len(stripped)
    stripped = stripped.rstrip()
    return Sentence(stripped, start, start + len(stripped), paragraph)


def _ends_sentence(text: str, lo: int, hi: int, ps: int, pe: int, punct: str, close: str,
                   last: int, abbreviations: Mapping[str, str], starters: frozenset[str],
                   verbs: frozenset[str]) -> bool:
    """Whether the punctuation ``text[ps:pe]`` ends the sentence that began at ``last``."""
    r = _SPACE.match(text, pe, hi).end()
    if r >= hi or not text[last:ps].strip():
        return False
    right = text[r:min(hi, r + _WINDOW)]
    first = right[0]
    if first in _CLOSING_RIGHT:
        return False
    if first in _DASHES:
        after = right[1:].lstrip()
        if after[:1].isdigit():              # a negative number
            right = after
        else:
            # «…!» — заявил он / "Stop!" - he said: the attribution continues the sentence;
            # a dash before a capital opens a dialogue line.
            return not (after[:1].isalpha() and after[:1].islower())
    body = right.lstrip(_OPENERS)
    if not body:
        return False
    head = body[0]
    if head.isalpha() and head.islower():
        return False
    words = right.split()
    word = words[0].strip(_OPENERS + _CLOSERS + ".,;:!?…") if words else ""

    if "!" in punct or "?" in punct:
        # "Why?" Smith asked. — a quotation closed by ?/! and followed by its attribution.
        if close and any(q in close for q in "\"'”’»"):
            for w in words[:4]:
                if w.strip(_CLOSERS + ".,;:!?…").lower() in verbs:
                    return False
        return True
    if punct != ".":
        return True                          # an ellipsis before a capital or a number

    left_window = text[max(lo, ps - _WINDOW):ps]
    left_words = left_window.split()
    if not left_words or left_window[-1:].isspace():
        return True
    token = left_words[-1]
    if ps - last <= 16 and _LIST_MARKER.fullmatch(text[last:ps].strip()):
        return False                         # "1. First item", "IV. Results"
    if token[-1] in _CLOSERS:
        core = None                          # "(Inc)." is not an abbreviation at work
    else:
        core = token.lstrip(_OPENERS)
    kind = None
    initial = False
    if core:
        if "@" in core or "/" in core:
            core = None                      # a URL or an e-mail address
    if core:
        key = core.lower()
        kind = abbreviations.get(key)
        after_number = False
        if len(left_words) >= 2:
            previous = left_words[-2]
            # "т. е.", "a. m.": a short abbreviation split by a space.
            if len(core) <= 3 and previous.endswith(".") and len(previous) <= 5:
                pair = abbreviations.get((previous.lstrip(_OPENERS) + core).lower())
                if pair is not None:
                    kind = pair
            after_number = _NUMBER.fullmatch(previous.rstrip(",")) is not None
        if kind is None:
            glued = _NUMBER_THEN_WORD.fullmatch(core)    # "2020г.", "5p.m."
            if glued:
                kind = abbreviations.get(glued.group(1).lower())
                after_number = True
                key = glued.group(1).lower()
        if key in _AFTER_NUMBER and abbreviations is ABBREVIATIONS["ru"]:
            kind = _AFTER_NUMBER[key] if after_number else "title"
        if kind is None:
            if len(core) == 1 and core.isupper():
                initial = True
            elif _MULTI_ABBR.fullmatch(core):
                kind = "ambiguous"

    if head.isdigit() or (head in _CURRENCY and body[1:2].isdigit()):
        if kind is not None or initial:
            return False
        return not (core and _NUMBER.fullmatch(core))
    if kind in ("title", "inner"):
        return False
    if kind == "ambiguous" or initial:
        if initial and len(word) == 1 and body[1:2] == ".":
            return False                     # the next initial: "А. С. Пушкин"
        return word.lower() in starters
    return True
