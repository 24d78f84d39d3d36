"""Sentence segmentation for English and Russian news text.

``split_sentences(text, lang)`` cuts ``text`` into ``Sentence`` spans that keep their offsets
into it (``text[s.start:s.end] == s.text``, surrounding white space excluded) and the index of
the paragraph they are in. Blank lines are hard boundaries. Inside a paragraph every
*candidate* boundary — ``.``, ``!``, ``?`` or an ellipsis (with any closing quotes and
brackets) followed by white space, or a line break before a bullet, a list number or a
dialogue dash — goes through ``RULES``, an ordered list of small named functions, as razdel
does it: the first rule that has an opinion says split or join, and ``plain_stop`` at the end
splits whatever is left. ``explain(text, lang)`` (``align segment FILE --explain``) lists
every candidate with the rule that decided it.

A rule sees a ``Boundary``: the punctuation, the sentence text before it, the text after it and
what follows from them (the next word, the token before the period and whether it is an
abbreviation or an initial), each worked out once, when a rule first asks. The rules look at a
window of text around the candidate in one left-to-right pass, so the cost is linear in the
length of the text whatever it holds.

English and Russian share the rules and differ in their data (``align.abbreviations``: kinds of
abbreviation, words that open sentences, speech verbs). The rules were measured against razdel
and pysbd with ``benchmarks/segment.py``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator, NamedTuple, Optional

from .abbreviations import (ABBREVIATIONS, AFTER_NUMBER, CONTINUATIONS, DATE_OPENERS,
                            SPEECH_VERBS, STARTERS)
from .types import Sentence

LANGS = ("en", "ru")
SPLIT, JOIN = True, False

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
_WINDOW = 64                                 # characters a rule looks at each side
_DATE_PHRASE = 6                             # words of "С 1 по 15 марта 2021 г."


def split_sentences(text: str, lang: str = "auto") -> list[Sentence]:
    """Split ``text`` into sentences; ``lang`` is ``"en"``, ``"ru"`` or ``"auto"`` (the
    default, as in ``align segment``: :func:`detect_lang` guesses it from the letters).

    Paragraphs are separated by blank lines and numbered from 0 in the order they hold
    text; no sentence crosses a paragraph boundary. Empty or all-white text gives ``[]``.
    """
    if lang == "auto":
        lang = detect_lang(text)
    _check_lang(lang)
    return list(_sentences(text, lang, None))


@dataclass(frozen=True)
class Decision:
    """A candidate boundary and what decided it: ``split`` at ``offset`` (where the sentence
    before it would end) or not, by rule ``rule`` (a name in ``RULE_NAMES``, or
    ``"blank_line"`` for a paragraph break, which is always a boundary). ``mark`` is the
    punctuation with its closing quotes (``""`` for a line break)."""

    offset: int
    paragraph: int
    mark: str
    rule: str
    split: bool


def explain(text: str, lang: str = "auto") -> list[Decision]:
    """Every candidate boundary of ``text`` in order, with the rule that split or joined it:
    the debug view of :func:`split_sentences`, which cuts at exactly the ``split`` ones;
    ``lang`` as there."""
    if lang == "auto":
        lang = detect_lang(text)
    _check_lang(lang)
    trace: list[Decision] = []
    for _sentence in _sentences(text, lang, trace):
        pass
    return trace


def detect_lang(text: str) -> str:
    """``"en"`` or ``"ru"`` for ``text`` by its letters (``"en"`` when it has none)."""
    from .article import guess_lang

    return guess_lang(text[:100_000]) or "en"


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for m in _BLANK.finditer(text):
        yield start, m.start()
        start = m.end()
    yield start, len(text)


def _sentences(text: str, lang: str, trace: list[Decision] | None) -> Iterator[Sentence]:
    paragraph = 0
    by_kind = _RULES_FOR
    for lo, hi in _paragraphs(text):
        if trace is not None and lo:
            trace.append(Decision(lo, paragraph, "", "blank_line", SPLIT))
        found = False
        content = _SPACE.match(text, lo, hi).end()   # first non-space of the sentence
        for m in _CANDIDATE.finditer(text, lo, hi):
            punct, close = m.groups()
            start = m.start()
            cut = start if punct is None else m.end()
            boundary = Boundary(text, hi, start, cut, punct, close, content, lang)
            rules = by_kind["line" if punct is None else "period" if punct == "." else "mark"]
            for rule in rules:
                action = rule(boundary)
                if action is not None:
                    break
            if trace is not None:
                trace.append(Decision(cut, paragraph, text[start:cut], rule.__name__, action))
            if not action:
                continue
            if content < cut:                         # not only white space since the last cut
                found = True
                yield _sentence(text, content, cut, paragraph)
            content = boundary.next_start
        if content < hi:
            found = True
            yield _sentence(text, content, hi, paragraph)
        if found:
            paragraph += 1


def _sentence(text: str, start: int, end: int, paragraph: int) -> Sentence:
    """The sentence from ``start`` (not white space) to ``end``, trailing white space off."""
    piece = text[start:end].rstrip()
    return Sentence(piece, start, start + len(piece), paragraph)


class _once:
    """A property worked out on first use and kept on the instance: only some rules need the
    words after the punctuation or the reading of the token before it."""

    def __init__(self, fn: Callable) -> None:
        self.fn = fn
        self.name = fn.__name__

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.fn(obj)
        return value


class Token(NamedTuple):
    """The token before a period as the rules read it (see ``_read_token``).

    ``text``: the characters between the last white space and the period; ``core``: that
    without opening quotes, ``None`` when it ends with a closing quote or bracket or is a URL
    or an e-mail address (no abbreviation then); ``kind``: its abbreviation kind or ``None``;
    ``initial``: one capital letter; ``single``: one letter.
    """

    text: str
    core: str | None
    kind: str | None
    initial: bool
    single: bool


class Boundary:
    """A candidate boundary as the rules see it.

    ``text[ps:pe]`` is the punctuation ``punct`` with its closing quotes and brackets
    ``close`` (``punct`` is ``None`` for a line break before a list item); the sentence it
    would end starts at ``content``; the paragraph ends at ``hi``. What every rule asks about
    the text after the punctuation is read at once; the next words and the token before it
    when a rule first asks.
    """

    # slots for what every rule reads; __dict__ for the facts worked out on first use (_once)
    __slots__ = ("text", "hi", "ps", "pe", "punct", "close", "content", "lang", "next_start",
                 "after", "negative_number", "right", "body", "lower", "__dict__")

    def __init__(self, text: str, hi: int, ps: int, pe: int, punct: str | None, close: str,
                 content: int, lang: str) -> None:
        self.text, self.hi, self.ps, self.pe = text, hi, ps, pe
        self.punct, self.close, self.content, self.lang = punct, close, content, lang
        #: where the next non-space character is (``hi`` when none is)
        self.next_start = r = _SPACE.match(text, pe, hi).end()
        #: up to ``_WINDOW`` characters from there
        self.after = after = text[r:min(hi, r + _WINDOW)]
        #: the text after is a minus and a digit (``-5 degrees``)
        self.negative_number = negative = after[1:2].isdigit() and after[:1] in _DASHES
        #: the text after, a negative number's minus dropped
        self.right = right = after[1:] if negative else after
        #: that without opening quotes and brackets
        self.body = body = right.lstrip(_OPENERS)
        head = body[:1]
        #: the next word starts with a lower-case letter
        self.lower = head.isalpha() and head.islower()

    @_once
    def words(self) -> list[str]:
        """The first ``_ATTRIBUTION`` words after the punctuation."""
        return self.right.split(None, _ATTRIBUTION + 1)[:_ATTRIBUTION]

    @_once
    def word(self) -> str:
        """The next word without quotes, brackets and punctuation around it."""
        return _bare(self.words[0]) if self.words else ""

    @_once
    def token(self) -> Token:
        """The token before the punctuation, read."""
        return _read_token(self)


Action = Optional[bool]          # SPLIT, JOIN, or None: no opinion, ask the next rule
Rule = Callable[[Boundary], Action]


# --- the rules, in the order they are asked -------------------------------------------------

def list_line(b: Boundary) -> Action:
    """A line break before a bullet, a list number or a dialogue dash starts a sentence."""
    return SPLIT if b.punct is None else None


def nothing_before(b: Boundary) -> Action:
    """Punctuation that opens the sentence (``... and then``) ends nothing."""
    return JOIN if b.content >= b.ps else None


def paragraph_end(b: Boundary) -> Action:
    """Nothing follows in the paragraph: the sentence ends here, with it."""
    return SPLIT if b.next_start >= b.hi else None


def closing_punctuation_next(b: Boundary) -> Action:
    """A comma, colon, closing bracket or ``%`` next continues the sentence
    (``5 p.m., when``, ``(approx.)``)."""
    return JOIN if b.after[0] in _CLOSING_RIGHT else None


def dash_next(b: Boundary) -> Action:
    """A dash next: before a lower-case word it leads into an attribution that continues the
    sentence (``«Стой!» — крикнул он``, ``"Stop!" - he said``); otherwise it opens a dialogue
    line. A minus before a digit is a negative number, left to the rules below."""
    if b.after[0] not in _DASHES or b.negative_number:
        return None
    after = b.after.lstrip(_DASHES).lstrip()
    return JOIN if after[:1].isalpha() and after[:1].islower() else SPLIT


def only_openers_next(b: Boundary) -> Action:
    """Only opening quotes and brackets follow within the window: no sentence to start."""
    return JOIN if not b.body else None


def exclamation_then_lower_case(b: Boundary) -> Action:
    """``!`` without closing quotes before a lower-case word splits after a plain lower-case
    word (``goooo! garlic is ...``, comments written in lower case) and joins otherwise
    (``Yahoo! and``)."""
    if b.punct != "!" or b.close or not b.lower:
        return None
    words = _left_window(b).rsplit(None, 1)
    left = words[-1] if words else ""
    return SPLIT if left.isalpha() and left.islower() else JOIN


def lower_case_after_mark(b: Boundary) -> Action:
    """``?``, ``!``, ``…`` before a lower-case word stay in the sentence
    (``"Why?" he asked``, ``"Stop!" he said``, ``Well… maybe``)."""
    return JOIN if b.lower and b.punct != "." else None


def speech_attribution(b: Boundary) -> Action:
    """A quotation closed by ``?``, ``!`` or ``…`` followed by its attribution stays in the
    sentence: ``"Why?" Smith asked.`` (a speech verb among the next words, before the next
    sentence-final mark)."""
    if b.punct == "." or not (b.close and any(q in b.close for q in _QUOTES)):
        return None
    verbs = SPEECH_VERBS[b.lang]
    for w in b.words:
        if _bare(w).lower() in verbs:
            return JOIN
        if w[-1] in ".!?…":
            break
    return None


def question_or_exclamation(b: Boundary) -> Action:
    """Any other ``?``, ``!`` or ``…`` ends the sentence. The rules below see periods only."""
    return SPLIT if b.punct != "." else None


def stray_period(b: Boundary) -> Action:
    """A period after white space (``word .``) ends the sentence."""
    return SPLIT if not b.token.text else None


def list_marker(b: Boundary) -> Action:
    """A list marker that is all the sentence holds (``1.``, ``IV.``, ``a.``) is not a
    sentence: ``1. First item``."""
    if b.ps - b.content <= 16 and _LIST_MARKER.fullmatch(b.text, b.content, b.ps):
        return JOIN
    return None


def lower_case_next(b: Boundary) -> Action:
    """A lower-case word next joins after an abbreviation or an initial (``the U.S. and``,
    ``approx. two``, ``J. smith``) or a clipped word (``govt.``); after a plain word it
    starts a sentence written in lower case (comments, chat)."""
    if not b.lower:
        return None
    t = b.token
    plain = t.kind is None and not t.single and t.core is not None and _plain_word(t.core,
                                                                                   b.lang)
    return SPLIT if plain else JOIN


def number_next(b: Boundary) -> Action:
    """A number next (or an abbreviation for numbers before a word with digits) joins after
    an abbreviation or an initial (``No. 5``, ``p. 45``, ``J. 5``) and splits after a plain
    word (``in 2019. 56% of ...``, ``ended. 2020 was``)."""
    body, t = b.body, b.token
    head = body[0]
    if head.isdigit() or (head in _CURRENCY and body[1:2].isdigit()) or (
            t.kind == "number" and any(ch.isdigit() for ch in b.word)):
        return SPLIT if t.kind is None and not t.initial else JOIN
    return None


def title_or_inner(b: Boundary) -> Action:
    """``Mr.``, ``проф.``, ``e.g.``, ``т. е.`` (a title or an abbreviation used inside a
    sentence) never end one."""
    return JOIN if b.token.kind in ("title", "inner") else None


def next_initial(b: Boundary) -> Action:
    """An initial before another initial stays: ``А. С. Пушкин``, ``E. Yu. Kotlyarova``."""
    if b.token.initial:
        word = b.word
        if len(word) <= 2 and b.body[len(word):len(word) + 1] == ".":
            return JOIN
    return None


def ambiguous_or_initial(b: Boundary) -> Action:
    """After an initial or an ambiguous abbreviation (``U.S.``, ``Jr.``, ``им.``) the sentence
    ends only before a word that typically opens one (``STARTERS``): ``in the U.S. She`` /
    ``the U.S. Army``."""
    t = b.token
    if t.kind == "ambiguous" or t.initial:
        return SPLIT if _starter(b.word) in STARTERS[b.lang] else JOIN
    return None


def end_abbreviation(b: Boundary) -> Action:
    """An abbreviation that often ends a sentence (``etc.``, ``p.m.``, ``руб.``) ends it
    unless a word that continues it follows (``p.m. Eastern``, ``долл. США``)."""
    if b.token.kind == "end":
        return JOIN if b.word.lower() in CONTINUATIONS[b.lang] else SPLIT
    return None


def plain_stop(b: Boundary) -> Action:
    """Any other period before a capital, a quote or a bracket ends the sentence."""
    return SPLIT


RULES: tuple[Rule, ...] = (
    list_line, nothing_before, paragraph_end, closing_punctuation_next, dash_next,
    only_openers_next, exclamation_then_lower_case, lower_case_after_mark, speech_attribution,
    question_or_exclamation, stray_period, list_marker, lower_case_next, number_next,
    title_or_inner, next_initial, ambiguous_or_initial, end_abbreviation, plain_stop,
)
RULE_NAMES: tuple[str, ...] = tuple(rule.__name__ for rule in RULES)

# The rules that can decide each kind of candidate, in ``RULES`` order: a line break before a
# list item, a period, and ``?``/``!``/``…``. Every other rule returns None for that kind, so
# skipping it changes no decision; it saves a third of the calls on the common path.
_LINE_ONLY = {list_line}
_MARKS_ONLY = {exclamation_then_lower_case, lower_case_after_mark, speech_attribution,
               question_or_exclamation}
_RULES_FOR: dict[str, tuple[Rule, ...]] = {
    "line": (list_line,),
    "period": tuple(r for r in RULES if r not in _LINE_ONLY | _MARKS_ONLY),
    "mark": tuple(r for r in RULES[:RULES.index(question_or_exclamation) + 1]
                  if r not in _LINE_ONLY),
}


# --- helpers of the rules ---------------------------------------------------------------------

def _left_window(b: Boundary) -> str:
    """Up to ``_WINDOW`` characters of the sentence before the punctuation."""
    return b.text[max(b.content, b.ps - _WINDOW):b.ps]


def _read_token(b: Boundary) -> Token:
    """Read the token before a period: its abbreviation kind (``align.abbreviations``, or
    ``"ambiguous"`` for an unlisted ``X.Y.`` form, ``"number"`` for an unlisted single
    lower-case letter), whether it is an initial and whether it is a single letter. A kind
    listed for use after a number (``2020 г.``) wins right after one, except at the end of a
    short date phrase opening the sentence (``В 2021 г. ВВП ...``)."""
    window = _left_window(b)
    # the last two words of the window: the token (empty after white space) and the one before
    words = [] if not window or window[-1].isspace() else window.rsplit(None, 2)
    token = words[-1] if words else ""
    core = None if not token or token[-1] in _CLOSERS else token.lstrip(_OPENERS)
    if core and ("@" in core or "/" in core):
        core = None                          # a URL or an e-mail address
    if not core:
        return Token(token, core, None, False, False)
    lang, text = b.lang, b.text
    abbreviations = ABBREVIATIONS[lang]
    kind = None
    initial = single = False
    key = core.lower()
    previous = words[-2] if len(words) >= 2 else ""
    if len(core) <= 3 and previous.endswith(".") and len(previous) <= 5:
        # "т. е.", "a. m.": a short abbreviation written with a space.
        kind = abbreviations.get((previous.lstrip(_OPENERS) + core).lower())
    if kind is None:
        # "2020г.", "5p.m." (\d is a decimal digit, as isdecimal says)
        glued = core[0].isdecimal() and _NUMBER_THEN_WORD.fullmatch(core)
        if glued:
            key = glued.group(1).lower()
        if len(core) == 1:
            single = True
            initial = core.isupper()
        else:
            kind = abbreviations.get(core) or abbreviations.get(key)
        if key in AFTER_NUMBER[lang] and (glued or _NUMBER.fullmatch(previous)):
            kind = AFTER_NUMBER[lang][key]
            ps, content = b.ps, b.content
            opening = text[content:ps].split() if ps - content <= _WINDOW else ()
            if 0 < len(opening) <= _DATE_PHRASE and opening[0].lower() in DATE_OPENERS[lang]:
                kind = "inner"           # "В 2021 г. ВВП вырос ..."
        if kind is None and not initial and _is_multi_abbreviation(core):
            kind = "ambiguous"
        if single and not initial:
            kind = kind or abbreviations.get(key) or "number"
    return Token(token, core, kind, initial, single)


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
    if "." not in core or not _MULTI_ABBR.fullmatch(core):
        return False
    parts = core.split(".")
    return not (len(parts[0]) >= 2 and parts[-1].islower() and len(parts[-1]) >= 2)
