"""The rules of ``align clean``: small named checks, each with the reason a pair is dropped.

``RULES`` is the ordered registry the command line reads (``--rules``, ``--skip-rule``,
``--list-rules``), as sacrebleu's metrics are. A rule is a function of :class:`Sides` (what is
computed once per pair: letters by script, numbers, URLs, words) and :class:`Limits` (the
thresholds) that returns True when the pair must go. Patterns that are data (boilerplate lines,
function words) live in ``align/data/clean_*.txt``, not here. Three entries are not plain
rules but stages the driver runs (:mod:`align.clean`): ``duplicate`` (exact, normalised),
``near_duplicate`` (MinHash, with ``--near-dupes``) and ``adequacy`` (the model's QE, with
``--min-score``).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .dedupe import fold

DATA = Path(__file__).resolve().parents[1] / "data"


@dataclass(frozen=True)
class Limits:
    """Thresholds of the rules, measured on training pairs (never the benchmark):
    ``ratio`` bounds ``(len(ru) + 10) / (len(en) + 10)`` in characters, which holds for 99.9%
    of ``../shared/data/train`` pairs; ``max_chars`` is a side's length in characters."""

    min_letters: int = 2
    max_chars: int = 1000
    ratio: tuple[float, float] = (0.5, 2.0)
    max_cyrillic_en: float = 0.3
    min_cyrillic_ru: float = 0.15
    lang_words: int = 12
    min_score: float | None = None


# --- what a rule may look at, computed once per pair --------------------------------------------

# Runs of Cyrillic letters, of Latin letters, of other letters: one pass counts all three.
_SCRIPT_RUN = re.compile(r"([\u0400-\u04ff]+)|([A-Za-z\u00c0-\u024f]+)|([^\W\d_]+)")
_HAS_DIGIT = re.compile(r"\d")
_URL = re.compile(r"(?:https?://|\bwww\.(?=[\w-]))[^\s<>\"«»]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.I)
_TAG = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# A number: digits with thousands or decimal separators, e.g. 1,000 / 1 000 / 3.5 / 3,5.
_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f\u2009 ]\d+)*")
_THOUSANDS_GROUP = re.compile(r"^\d{1,3}(?:([,\u00a0\u202f\u2009 .])\d{3})+$")
_SPACE_IN_NUMBER = re.compile(r"[\u00a0\u202f\u2009 ]")
# Letters of other Cyrillic alphabets that Russian lacks (Ukrainian, Belarusian, Serbian,
# Macedonian, Kazakh), and the Russian ones that Ukrainian lacks.
_NOT_RUSSIAN = re.compile(r"[іїєґўђјљњћџѓќѕәғқңөұүһІЇЄҐЎЂЈЉЊЋЏЃЌЅӘҒҚҢӨҰҮҺ]")
_ONLY_RUSSIAN = re.compile(r"[ыэъЫЭЪ]")
# A letter five times in a row, a mark five times, a word three times.
_REPEATED = re.compile(r"([^\W\d_])\1{4,}|([^\w\s])\2{4,}|\b([^\W\d_]+)(?:\W+\3\b){2,}",
                       re.I)
_LONG_RUN = re.compile(r"(\S)\1{7,}")
_SENTENCE_END = re.compile(r"[.!?…;:]$")
_CLOSERS = "\"'»“”’)]}*"


@functools.lru_cache(maxsize=None)
def word_list(name: str) -> frozenset[str]:
    """A data file of ``align/data``: one word a line, ``#`` comments."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().casefold() for w in lines if w.strip() and not w.startswith("#"))


@functools.lru_cache(maxsize=None)
def boilerplate() -> re.Pattern[str]:
    """The boilerplate patterns of ``align/data/clean_boilerplate.txt`` as one regex (a side
    matches when a pattern matches the whole side, ignoring case and outer punctuation)."""
    lines = (DATA / "clean_boilerplate.txt").read_text(encoding="utf-8").splitlines()
    patterns = [p.strip() for p in lines if p.strip() and not p.startswith("#")]
    return re.compile(r"^\W*(?:" + "|".join(f"(?:{p})" for p in patterns) + r")\W*$", re.I)


# A magnitude word after a number ("400 тыс." is 400,000), and an afternoon time ("6:30 p.m."
# is 18:30): what a translation writes differently.
_MAGNITUDE = re.compile(
    r"(\d+(?:[.,]\d+)?)[\s\u00a0]*(thousand|million|billion|trillion|bn|mln|тыс|тысяч[аи]?"
    r"|млн|миллион(?:а|ов)?|млрд|миллиард(?:а|ов)?|трлн)(?![^\W\d_])", re.I)
_SCALE = {"th": 3, "mi": 6, "bi": 9, "bn": 9, "ml": 6, "тр": 12, "ты": 3, "мл": 6, "ми": 6, "tr": 12}
_PM = re.compile(r"\b(\d{1,2})([:.]\d{2})\s*p\.?\s?m\b\.?", re.I)


def _scaled(match: re.Match[str]) -> str:
    value, word = match.group(1).replace(",", "."), match.group(2).lower()
    exponent = 9 if word.startswith(("млрд", "миллиард")) else _SCALE[word[:2]]
    whole, _, fraction = value.partition(".")
    digits = whole + fraction.ljust(exponent, "0")[:exponent]
    return digits.lstrip("0") or "0"


def _afternoon(match: re.Match[str]) -> str:
    hour = int(match.group(1))
    return f"{hour + 12 if hour < 12 else hour}{match.group(2)}"


def numbers(text: str, lang: str) -> frozenset[str]:
    """The numbers in ``text``, normalised so that a translation's numbers compare equal:
    thousands separators dropped (``1,000`` in English, ``1 000`` in both), the decimal comma
    made a point, leading and trailing zeros dropped, magnitude words applied (``400 тыс.``,
    ``5 million``), afternoon times in 24 hours; ``10:30`` and ``03.05.2019`` are several
    numbers."""
    if _MAGNITUDE.search(text):
        text = _MAGNITUDE.sub(_scaled, text)
    if lang == "en" and "m" in text.lower() and _PM.search(text):
        text = _PM.sub(_afternoon, text)
    found: set[str] = set()
    for raw in _NUMBER.findall(text):
        raw = raw.strip()
        group = _THOUSANDS_GROUP.match(raw)
        if group and group.group(1) != "." and (lang == "en" or group.group(1) != ","):
            found.add(_canonical(re.sub(r"\D", "", raw)))
            continue
        for token in _SPACE_IN_NUMBER.split(raw):
            token = token.replace(",", ".")
            parts = [token] if token.count(".") <= 1 else token.split(".")
            found.update(_canonical(t) for t in parts if t)
    return frozenset(found)


def _canonical(value: str) -> str:
    head, dot, tail = value.partition(".")
    head, tail = head.lstrip("0") or "0", tail.rstrip("0")
    return f"{head}.{tail}" if tail else head


class Side:
    """One side of a pair as the rules see it. Computed once; cheap fields first."""

    __slots__ = ("text", "lang", "chars", "letters", "cyrillic", "latin", "_numbers",
                 "_urls", "_words")

    def __init__(self, text: str, lang: str) -> None:
        self.text = text
        self.lang = lang
        self.chars = len(text)
        bare = _TAG.sub(" ", _URL.sub(" ", text)) if ("<" in text or "@" in text or
                                                       "www" in text or "://" in text) else text
        cyrillic = latin = other = 0
        for cyr, lat, oth in _SCRIPT_RUN.findall(bare):
            cyrillic += len(cyr)
            latin += len(lat)
            other += len(oth)
        self.letters = cyrillic + latin + other
        self.cyrillic = cyrillic
        self.latin = latin
        self._numbers: frozenset[str] | None = None
        self._urls: frozenset[str] | None = None
        self._words: list[str] | None = None

    @property
    def numbers(self) -> frozenset[str]:
        if self._numbers is None:
            text = _URL.sub(" ", self.text) if "@" in self.text or "/" in self.text else self.text
            self._numbers = numbers(text, self.lang) if _HAS_DIGIT.search(text) \
                else frozenset()
        return self._numbers

    @property
    def urls(self) -> frozenset[str]:
        if self._urls is None:
            self._urls = frozenset(u.rstrip(".,;:!?)").casefold()
                                   for u in _URL.findall(self.text))
        return self._urls

    @property
    def words(self) -> list[str]:
        if self._words is None:
            self._words = [w.casefold() for w in _WORD.findall(self.text)]
        return self._words


class Sides:
    """The two sides of a pair (after the fixes), for the rules."""

    __slots__ = ("en", "ru")

    def __init__(self, en: str, ru: str) -> None:
        self.en = Side(en, "en")
        self.ru = Side(ru, "ru")

    def both(self) -> tuple[Side, Side]:
        return self.en, self.ru


# --- the registry --------------------------------------------------------------------------------

Check = Callable[[Sides, Limits], bool]


@dataclass(frozen=True)
class Rule:
    """A named rule: ``check(sides, limits)`` is True when the pair is dropped for ``reason``.
    ``stage`` rules (deduplication, adequacy) are run by the driver, not by ``check``;
    ``default`` says whether the rule runs when no ``--rules`` are given."""

    name: str
    reason: str
    check: Check | None = None
    stage: bool = False
    default: bool = True


RULES: dict[str, Rule] = {}


def rule(name: str, reason: str) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        RULES[name] = Rule(name, reason, check)
        return check
    return register


@rule("empty", "empty side")
def empty(p: Sides, limits: Limits) -> bool:
    return not p.en.text.strip() or not p.ru.text.strip()


@rule("too_short", "too short: a side with under 2 letters (numbers, punctuation, URLs "
                   "or markup only)")
def too_short(p: Sides, limits: Limits) -> bool:
    return p.en.letters < limits.min_letters or p.ru.letters < limits.min_letters


@rule("too_long", "too long: a side over 1000 characters")
def too_long(p: Sides, limits: Limits) -> bool:
    return max(p.en.chars, p.ru.chars) > limits.max_chars


@rule("length_ratio", "length ratio out of range (Russian/English characters outside "
                      "0.5-2.0)")
def length_ratio(p: Sides, limits: Limits) -> bool:
    ratio = (p.ru.chars + 10) / (p.en.chars + 10)
    return not limits.ratio[0] <= ratio <= limits.ratio[1]


@rule("identical", "same text on both sides")
def identical(p: Sides, limits: Limits) -> bool:
    # Folding keeps the letters: sides with different letter counts cannot fold alike.
    if p.en.cyrillic != p.ru.cyrillic or p.en.latin != p.ru.latin:
        return False
    return fold(p.en.text) == fold(p.ru.text)


@rule("cyrillic_en", "English side in Cyrillic")
def cyrillic_en(p: Sides, limits: Limits) -> bool:
    return p.en.cyrillic > limits.max_cyrillic_en * max(p.en.letters, 1)


@rule("latin_ru", "Russian side in Latin script")
def latin_ru(p: Sides, limits: Limits) -> bool:
    return p.ru.letters > 0 and p.ru.cyrillic < limits.min_cyrillic_ru * p.ru.letters


@rule("not_english", "English side not English (no English function words)")
def not_english(p: Sides, limits: Limits) -> bool:
    if p.en.text.count(" ") + 1 < limits.lang_words:
        return False
    words = p.en.words
    return (len(words) >= limits.lang_words and p.en.latin > p.en.cyrillic
            and word_list("clean_words_en.txt").isdisjoint(words))


@rule("not_russian", "Russian side not Russian (letters of another Cyrillic alphabet: "
                     "Ukrainian, Belarusian, Serbian, Kazakh)")
def not_russian(p: Sides, limits: Limits) -> bool:
    # Russian has no function-word check: it is inflected enough that long news sentences
    # without any (“Стратегическое командование Министерства обороны США ведёт поиск
    # обломков”) are common.
    # A Ukrainian name in a Russian sentence is one such letter: two or more, outnumbering
    # the letters only Russian has, make the side another language.
    text = p.ru.text
    if _NOT_RUSSIAN.search(text) is None:
        return False
    foreign = len(_NOT_RUSSIAN.findall(text))
    return foreign >= 2 and foreign > len(_ONLY_RUSSIAN.findall(text))


@rule("numbers", "numbers disagree")
def numbers_disagree(p: Sides, limits: Limits) -> bool:
    # A side without digits may spell its numbers out ("two" / "2"): only two sides that both
    # have numbers can disagree. A zero alone (the minutes of "12:00" / "12.00") never counts.
    en, ru = p.en.numbers, p.ru.numbers
    return bool(en) and bool(ru) and (en - _ZERO) != (ru - _ZERO)


_ZERO = frozenset({"0"})


@rule("urls", "URLs or e-mail addresses disagree")
def urls_disagree(p: Sides, limits: Limits) -> bool:
    if "@" not in p.en.text + p.ru.text and "/" not in p.en.text + p.ru.text \
            and "www" not in p.en.text + p.ru.text:
        return False
    return p.en.urls != p.ru.urls


def _doubled(text: str) -> bool:
    """The whole side twice over (``"A. A."``)."""
    text = text.strip()
    if len(text) < 8:
        return False
    half = len(text) // 2
    low = text.casefold()
    if low.find(low[:6], half - 4) < 0:
        return False
    return fold(text[:half]) == fold(text[half:]) or fold(text[:half]) == fold(text[half + 1:])


def _repeats(text: str) -> bool:
    return _REPEATED.search(text) is not None or _doubled(text)


@rule("repeats", "repeated characters or words (on one side only, or a run of 8 or more)")
def repeats(p: Sides, limits: Limits) -> bool:
    # A repetition on both sides is usually the text's own ("Thank you. Thank you." /
    # "Спасибо. Спасибо."); one on one side only is noise, and so is any very long run.
    en, ru = p.en.text, p.ru.text
    if _LONG_RUN.search(en) or _LONG_RUN.search(ru):
        return True
    return _repeats(en) != _repeats(ru)


@rule("boilerplate", "boilerplate (a navigation, sharing or copyright line)")
def boilerplate_line(p: Sides, limits: Limits) -> bool:
    pattern = boilerplate()
    return (p.en.chars < 120 and pattern.match(p.en.text) is not None) or \
        (p.ru.chars < 120 and pattern.match(p.ru.text) is not None)


def _ends_sentence(text: str) -> bool:
    return _SENTENCE_END.search(text.rstrip().rstrip(_CLOSERS).rstrip()) is not None


@rule("truncated", "truncated: one side ends a sentence, the other stops short of it")
def truncated(p: Sides, limits: Limits) -> bool:
    # Headlines end without a full stop on both sides, and a translator may drop a final
    # full stop: only a side that stops and is also clearly shorter than the other counts.
    en, ru = _ends_sentence(p.en.text), _ends_sentence(p.ru.text)
    if en == ru:
        return False
    cut, whole = (p.ru, p.en) if en else (p.en, p.ru)
    return len(cut.words) >= 3 and (cut.chars + 10) < 0.75 * (whole.chars + 10)


RULES["duplicate"] = Rule("duplicate", "duplicate of an earlier pair (case, punctuation, "
                                       "digits and whitespace folded)", stage=True)
RULES["near_duplicate"] = Rule("near_duplicate", "near-duplicate of a better-scored pair "
                                                 "(MinHash, with --near-dupes)",
                               stage=True, default=False)
RULES["adequacy"] = Rule("adequacy", "adequacy below --min-score (the model's QE)",
                         stage=True, default=False)


def check_pair(sides: Sides, limits: Limits, rules: tuple[Rule, ...]) -> tuple[str, ...]:
    """The names of the ``rules`` (plain ones; stages are skipped) that drop the pair. An empty
    side is the only reason given for a pair with one: nothing else can be judged."""
    if any(r.name == "empty" for r in rules) and empty(sides, limits):
        return ("empty",)
    return tuple(r.name for r in rules if r.check is not None and r.name != "empty"
                 and r.check(sides, limits))
