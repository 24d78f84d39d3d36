"""Sentence segmentation for English and Russian news text.

``split_sentences(text, lang)`` cuts ``text`` into ``Sentence`` spans that keep their offsets
into it (``text[s.start:s.end] == s.text``, surrounding white space excluded) and the index of
the paragraph they are in. Blank lines are hard boundaries; inside a paragraph a sentence ends
at ``.``, ``!``, ``?`` or an ellipsis (with any closing quotes and brackets) followed by white
space, unless the rules below say the punctuation is inside a sentence. A line that starts
with a bullet, a list number or a dialogue dash starts a new sentence.

The rules look at the token before the punctuation and the text after it, in one left-to-right
pass, so the cost is linear in the length of the text whatever it holds:

* the next word starts with a comma, colon, closing bracket ... or, after ``?``, ``…`` or an
  abbreviation, in lower case: same sentence (``"Why?" he asked``, ``«Стой!» — крикнул он``);
  after a plain word a lower-case start is a new sentence (comments written in lower case);
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
from typing import Iterator

from .abbreviations import (ABBREVIATIONS, AFTER_NUMBER, CONTINUATIONS, DATE_OPENERS,
                            SPEECH_VERBS, STARTERS)
from .types import Sentence

LANGS = ("en", "ru")

# A blank line (only white space between two line breaks) or a Unicode paragraph separator.
_BLANK = re.compile(r"(?:\r\n|\n|\r)(?:[^\S\r\n]*(?:\r\n|\n|\r))+|\u2029")
# Sentence-final punctuation with closing quotes/brackets, before white space; or a line break
# before a bullet, a list number, a lettered item or a dialogue dash. A run of punctuation is
# matched from its first character only (the lookbehind) and possessively, so a million
# periods cost one pass, not a million.
_CANDIDATE = re.compile(
    r"(?P<punct>[.!?…](?<![.!?…]{2})[.!?…]*+)(?P<close>[\"'”’»“‘)\]]*+)(?=\s)"
    r"|\n(?=[^\S\n]*(?:[-‑–—−•*▪●◦‣·]|\d{1,3}[.)]|\(?[^\W\d_]\))[^\S\n])"
)
_SPACE = re.compile(r"\s*")
_OPENERS = "\"'«“„‘([{"
_CLOSERS = "\"'»”’“‘)]}"                   # “ and ‘ close „German-style“ quotes
_DASHES = "-‑–—−"
_CLOSING_RIGHT = set(",;:)]}»”’%")
_CURRENCY = set("$€£₽¥")
_MULTI_ABBR = re.compile(r"(?:[^\W\d_]{1,2}\.)+[^\W\d_]{1,2}")
_QUOTES = "\"'”’»“‘"
_ATTRIBUTION = 5                             # words after a quotation searched for a verb
_NUMBER = re.compile(r"[\d.,:\-–—/xх×]*\d(?:-[^\W\d_]{1,3})?|[IVXLCDM]+")  # 5, 1990-х, XIX
_NUMBER_THEN_WORD = re.compile(r"\d[\d.,\-–—]*([^\W\d_][\w.]*)")
_LIST_MARKER = re.compile(
    r"[(\[]?(?:\d{1,3}(?:\.\d{1,3})*|[IVXLCDM]{1,6}|[ivx]{1,4}|[^\W\d_])[)\]]?")
_WINDOW = 64
_DATE_PHRASE = 6                             # words of "С 1 по 15 марта 2021 г."


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
    paragraph = 0
    for lo, hi in _paragraphs(text):
        found = False
        last = lo
        content = _SPACE.match(text, lo, hi).end()   # first non-space of the sentence
        for m in _CANDIDATE.finditer(text, lo, hi):
            punct = m.group("punct")
            if punct is None:
                cut = m.start()
            else:
                cut = m.end()
                if not _ends_sentence(text, hi, m.start(), cut, punct, m.group("close"),
                                      content, lang):
                    continue
            sentence = _strip(text, last, cut, paragraph)
            last = cut
            content = _SPACE.match(text, cut, hi).end()
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


def _ends_sentence(text: str, hi: int, ps: int, pe: int, punct: str, close: str,
                   content: int, lang: str) -> bool:
    """Whether the punctuation ``text[ps:pe]`` (closing quotes and brackets included) ends
    the sentence whose text starts at ``content``; ``hi`` is the end of the paragraph."""
    r = _SPACE.match(text, pe, hi).end()
    if r >= hi or content >= ps:
        return False
    right = text[r:min(hi, r + _WINDOW)]
    first = right[0]
    if first in _CLOSING_RIGHT:
        return False
    if first in _DASHES:
        after = right.lstrip(_DASHES).lstrip()
        if right[1:2].isdigit():             # a negative number
            right = right[1:]
        else:
            # «…!» — заявил он / "Stop!" - he said: the attribution continues the sentence;
            # a dash before a capital opens a dialogue line.
            return not (after[:1].isalpha() and after[:1].islower())
    body = right.lstrip(_OPENERS)
    if not body:
        return False
    head = body[0]
    lower = head.isalpha() and head.islower()
    if lower and punct != ".":
        # "goooo! garlic is ..." — but "Stop!" he said, "Yahoo! and", "Why? he asked".
        if punct == "!" and not close:
            left = text[max(content, ps - _WINDOW):ps].rsplit(None, 1)[-1]
            return left.isalpha() and left.islower()
        return False
    words = right.split(None, _ATTRIBUTION + 1)[:_ATTRIBUTION]
    word = _bare(words[0]) if words else ""

    if punct != ".":
        # "Why?" Smith asked. — a quotation closed by ?, ! or … and then its attribution.
        if close and any(q in close for q in _QUOTES):
            verbs = SPEECH_VERBS[lang]
            for w in words:
                if _bare(w).lower() in verbs:
                    return False
                if w[-1] in ".!?…":
                    break
        return True

    left_window = text[max(content, ps - _WINDOW):ps]
    space = len(left_window)
    while space and not left_window[space - 1].isspace():
        space -= 1
    token = left_window[space:]
    if not token:
        return True                          # "word ." — a stray period
    if ps - content <= 16 and _LIST_MARKER.fullmatch(text[content:ps]):
        return False                         # "1. First item", "IV. Results"
    abbreviations = ABBREVIATIONS[lang]
    kind = None
    initial = single = False
    core = None if token[-1] in _CLOSERS else token.lstrip(_OPENERS)
    if core and ("@" in core or "/" in core):
        core = None                          # a URL or an e-mail address
    if core:
        key = core.lower()
        before = left_window[:space].split()
        previous = before[-1] if before else ""
        after_number = _NUMBER.fullmatch(previous) is not None
        if len(core) <= 3 and previous.endswith(".") and len(previous) <= 5:
            # "т. е.", "a. m.": a short abbreviation written with a space.
            kind = abbreviations.get((previous.lstrip(_OPENERS) + core).lower())
        if kind is None:
            glued = _NUMBER_THEN_WORD.fullmatch(core)    # "2020г.", "5p.m."
            if glued:
                key = glued.group(1).lower()
                after_number = True
            if len(core) == 1:
                single = True
                initial = core.isupper()
            else:
                kind = abbreviations.get(core) or abbreviations.get(key)
            if after_number and key in AFTER_NUMBER[lang]:
                kind = AFTER_NUMBER[lang][key]
                opening = text[content:ps].split() if ps - content <= _WINDOW else ()
                if 0 < len(opening) <= _DATE_PHRASE and opening[0].lower() in DATE_OPENERS[lang]:
                    kind = "inner"           # "В 2021 г. ВВП вырос ..."
            if kind is None and not initial and _is_multi_abbreviation(core):
                kind = "ambiguous"
            if single and not initial:
                kind = kind or abbreviations.get(key) or "number"

    if lower:
        # "the U.S. and", "approx. two", "J. smith": an abbreviation or an initial. After a
        # plain word, a sentence written in lower case (comments, chat).
        return kind is None and not single and core is not None and _plain_word(core, lang)
    if head.isdigit() or (head in _CURRENCY and body[1:2].isdigit()) or (
            kind == "number" and any(ch.isdigit() for ch in word)):
        # "No. 5", "p. 45", "J. 5" stay; "in 2019. 56% of ..." and "ended. 2020 was" split.
        return kind is None and not initial
    if kind in ("title", "inner"):
        return False
    if kind == "ambiguous" or initial:
        if initial and len(word) <= 2 and body[len(word):len(word) + 1] == ".":
            return False                     # the next initial: "А. С. Пушкин", "E. Yu."
        return _starter(word) in STARTERS[lang]
    if kind == "end":
        return word.lower() not in CONTINUATIONS[lang]
    return True


def _plain_word(core: str, lang: str) -> bool:
    """Whether ``core`` is a word rather than a clipped one (``govt``, ``Inst``, ``сокр``).

    English clips are short, capitalised or without vowels; Russian ones (``обл.``,
    ``канд.``, ``перев.``) are common in lower case up to five letters.
    """
    letters = core.replace("-", "").replace("'", "").replace("’", "")
    if not letters.isalpha():
        return False
    if len(letters) >= 6:
        return True
    if lang == "en" and len(letters) >= 4 and letters.islower():
        return any(v in letters for v in "aeiouy")
    return False


def _bare(word: str) -> str:
    return word.strip(_OPENERS + _CLOSERS + ".,;:!?…")


def _starter(word: str) -> str:
    """The word as looked up in ``STARTERS``: lower case, without an apostrophe ending."""
    word = word.lower()
    for mark in "'’":
        cut = word.find(mark)
        if cut > 0:
            word = word[:cut]
    return word


def _is_multi_abbreviation(core: str) -> bool:
    """``U.S``, ``Ph.D``, ``a.m`` but not a domain such as ``KP.ru`` or ``bbc.co.uk``."""
    if not _MULTI_ABBR.fullmatch(core):
        return False
    parts = core.split(".")
    return not (len(parts[0]) >= 2 and parts[-1].islower() and len(parts[-1]) >= 2)
