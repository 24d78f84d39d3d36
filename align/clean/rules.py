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
import itertools
import operator
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
_URL = re.compile(r"(?:https?://|\bwww\.(?=[\w-]))[^\s<>\"«»]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.I)
# _URL without its e-mail branch: the same matches in a text without "@", three times faster.
_WEB = re.compile(r"(?:https?://|\bwww\.(?=[\w-]))[^\s<>\"«»]+", re.I)
_TAG = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>")
# A number: digits with thousands or decimal separators, e.g. 1,000 / 1 000 / 3.5 / 3,5.
# (Written \d\d* rather than \d+ here and below: a pattern that starts with a character class
# lets the regex engine skip to a digit at C speed.)
_NUMBER = re.compile(r"\d\d*(?:[.,\u00a0\u202f\u2009 ]\d+)*")
_NOT_DIGIT = re.compile(r"\D")
_THOUSANDS_GROUP = re.compile(r"^\d{1,3}(?:([,\u00a0\u202f\u2009 .])\d{3})+$")
_SPACE_IN_NUMBER = re.compile(r"[\u00a0\u202f\u2009 ]")
# Letters of other Cyrillic alphabets that Russian lacks (Ukrainian, Belarusian, Serbian,
# Macedonian, Kazakh), and the Russian ones that Ukrainian lacks.
_NOT_RUSSIAN = re.compile(r"[іїєґўђјљњћџѓќѕәғқңөұүһІЇЄҐЎЂЈЉЊЋЏЃЌЅӘҒҚҢӨҰҮҺ]")
_ONLY_RUSSIAN = re.compile(r"[ыэъЫЭЪ]")
# A character five times or more in a row (what it is decides what the run means).
_RUN = re.compile(r"(.)\1\1\1\1")  # then extended to the run's end (no {4,}: slower)
_RUN_BYTES = re.compile(rb"(.)\1\1\1\1")  # the same on ASCII text, faster
_SENTENCE_ENDS = (".", "!", "?", "…", ";", ":")
_CLOSERS = "\"'»“”’)]}*"


@functools.lru_cache(maxsize=None)
def word_list(name: str) -> frozenset[str]:
    """A data file of ``align/data``: one word a line, ``#`` comments."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().casefold() for w in lines if w.strip() and not w.startswith("#"))


@functools.lru_cache(maxsize=None)
def function_words() -> re.Pattern[str]:
    """Any English function word of ``align/data/clean_words_en.txt``, as one regex."""
    words = sorted(word_list("clean_words_en.txt"), key=lambda w: (-len(w), w))
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.I)


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
    r"(\d\d*(?:[.,]\d+)?)[\s\u00a0]*(thousand|million|billion|trillion|bn|bln|mln|тыс|тысяч\w*"
    r"|млн|миллион\w*|млрд|миллиард\w*|трлн|триллион\w*)(?![^\W\d_])", re.I)
_SCALE = {"th": 3, "mi": 6, "bi": 9, "bn": 9, "bl": 9, "ml": 6, "тр": 12, "ты": 3, "мл": 6,
          "ми": 6, "tr": 12}
_PM = {"en": re.compile(r"\b(\d{1,2})([:.]\d{2})\s*p\.?\s?m\b\.?", re.I),
       "ru": re.compile(r"\b(\d{1,2})([:.]\d{2})(?=\s*(?:вечера|дня)\b)", re.I)}
# What each of _PM must contain, as patterns that start with a digit (see _NUMBER): checked first.
_PM_GATE = {"en": re.compile(r"\d[:.]\d\d\s*p\.?\s?m", re.I),
            "ru": re.compile(r"\d[:.]\d\d\s*(?:вечера|дня)", re.I)}
# A Roman numeral before "век" (century) or "квартал" (quarter): "XVII век" is the 17th.
_ROMAN = re.compile(r"\b([IVXL]{1,6})(?=\s+(?:век|квартал|тысячелети|съезд))")
_ROMAN_WORDS = ("век", "квартал", "тысячелети", "съезд")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}


def _scaled(match: re.Match[str]) -> str:
    # Folded as the regex matched it (re.I also takes "ı" for "i" and "ᲄ" for "т").
    value, word = match.group(1).replace(",", "."), match.group(2).casefold().replace("ı", "i")
    exponent = 9 if word.startswith(("млрд", "миллиард")) else _SCALE[word[:2]]
    whole, _, fraction = value.partition(".")
    digits = whole + fraction.ljust(exponent, "0")[:exponent]
    return digits.lstrip("0") or "0"


def _roman(match: re.Match[str]) -> str:
    values = [_ROMAN_VALUES[c] for c in match.group(1)]
    total = sum(-v if i + 1 < len(values) and v < values[i + 1] else v
                for i, v in enumerate(values))
    return str(total)


def _afternoon(match: re.Match[str]) -> str:
    hour = int(match.group(1))
    return f"{hour + 12 if hour < 12 else hour}{match.group(2)}"


# What a match of _MAGNITUDE contains once case folded, unless the text has "ı" or "İ" (the
# only letters re.I matches to one of these that casefold() does not make it).
_MAGNITUDE_FOLDED = ("thousand", "illion", "bn", "bln", "mln", "тыс", "млн", "млрд", "иллион",
                     "иллиард", "трлн")


def numbers(text: str, lang: str, low: str | None = None) -> frozenset[str]:
    """The numbers in ``text``, normalised so that a translation's numbers compare equal:
    thousands separators dropped (``1,000`` in English, ``1 000`` in both), the decimal comma
    made a point, leading and trailing zeros dropped, magnitude words applied (``400 тыс.``,
    ``5 million``), afternoon times in 24 hours; ``10:30`` and ``03.05.2019`` are several
    numbers. ``low``, when given, is ``text`` (or a text it was cut from) case folded."""
    if low is None:
        low = text.casefold()
    if (any(w in low for w in _MAGNITUDE_FOLDED) or "ı" in low or "\u0307" in low) and \
            _MAGNITUDE.search(text):
        text = _MAGNITUDE.sub(_scaled, text)
    if _PM_GATE[lang].search(text):
        text = _PM[lang].sub(_afternoon, text)
    if lang == "ru" and any(w in text for w in _ROMAN_WORDS) and _ROMAN.search(text):
        text = _ROMAN.sub(_roman, text)
    found: set[str] = set()
    for raw in _NUMBER.findall(text):
        raw = raw.strip()
        if raw.isdigit():  # most numbers: no separator
            found.add(raw.lstrip("0") or "0")
            continue
        group = _THOUSANDS_GROUP.match(raw)
        if group and group.group(1) != "." and (lang == "en" or group.group(1) != ","):
            found.add(_canonical(_NOT_DIGIT.sub("", raw)))
            continue
        for token in _SPACE_IN_NUMBER.split(raw):
            token = token.replace(",", ".")
            parts = [token] if token.count(".") <= 1 else token.split(".")
            found.update(_canonical(t) for t in parts if t)
    return frozenset(found)


def _url_sub(text: str) -> str:
    """``_URL.sub(" ", text)``, the regex run only where a URL or address can be."""
    if "@" in text:
        return _URL.sub(" ", text)
    if "://" in text or "www." in text.lower():
        return _WEB.sub(" ", text)
    return text


def _url_findall(text: str) -> list[str]:
    """``_URL.findall(text)``, the regex run only where a URL or address can be."""
    if "@" in text:
        return _URL.findall(text)
    if "://" in text or "www." in text.lower():
        return _WEB.findall(text)
    return []


def _canonical(value: str) -> str:
    head, dot, tail = value.partition(".")
    head, tail = head.lstrip("0") or "0", tail.rstrip("0")
    return f"{head}.{tail}" if tail else head


# Script counts from UTF-8 bytes (a C-level translate each, not a regex over characters):
# Cyrillic U+0400-U+04FF has lead bytes D0-D3, Latin-1 and Latin Extended letters C3-C9; a
# letter of any other script is rare enough to be counted by a regex when one may be there.
_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))
_CYRILLIC_LEADS = bytes(range(0xD0, 0xD4))
_LATIN_LEADS = bytes(range(0xC3, 0xCA))
_DIGITS = b"0123456789"
# Bytes that cannot start another script's letter: ASCII, continuation bytes, the leads above,
# C2 (U+0080-U+00BF: symbols) and E2 (U+2000-U+2FFF: punctuation, symbols).
_KNOWN = bytes(range(0x00, 0xC0)) + b"\xc2" + _LATIN_LEADS + _CYRILLIC_LEADS + b"\xe2"
_OTHER_LETTER = re.compile(r"[^\W\d_\u0000-\u024f\u0400-\u04ff]")
_CLASSES = bytes(b"l"[0] if b in _ASCII_LETTERS or b in _LATIN_LEADS else
                 b"c"[0] if b in _CYRILLIC_LEADS else
                 b"d"[0] if b in _DIGITS else
                 b"o"[0] if b not in _KNOWN else
                 b if b in b"<@/" else b"."[0] for b in range(256))
_PUNCT_TO_SPACE = bytes.maketrans(bytes(b for b in range(128) if not chr(b).isalnum()),
                                  b" " * sum(1 for b in range(128) if not chr(b).isalnum()))


class Side:
    """One side of a pair as the rules see it, computed once: script counts, the case-folded
    text and its words at once (nearly every pair needs them), ``numbers`` and ``urls`` when a
    rule asks."""

    __slots__ = ("text", "lang", "chars", "letters", "cyrillic", "latin", "has_digit",
                 "low", "words", "_numbers", "_urls")

    def __init__(self, text: str, lang: str) -> None:
        self.text = text
        self.lang = lang
        self.chars = len(text)
        data = text.encode("utf-8", "surrogatepass")
        # One translate to a byte per class, then C-speed counts; the rare classes (digits,
        # other letters, "<", "@", "/") are tested in what is left when the rest is deleted.
        classes = data.translate(_CLASSES)
        rare = classes.translate(None, b"lc.")
        if (rare and (b"<" in rare or b"@" in rare or (b"/" in rare and b"://" in data))) \
                or b"www" in data:
            # Letters and digits of URLs, addresses and tags do not count.
            bare = _url_sub(text)
            if "<" in bare:
                bare = _TAG.sub(" ", bare)
            data = bare.encode("utf-8", "surrogatepass")
            classes = data.translate(_CLASSES)
            rare = classes.translate(None, b"lc.")
        else:
            bare = text
        self.has_digit = b"d" in rare
        latin = classes.count(b"l")
        cyrillic = other = 0
        if not data.isascii():
            cyrillic = classes.count(b"c")
            if b"o" in rare:
                other = len(_OTHER_LETTER.findall(bare))
        self.letters = cyrillic + latin + other
        self.cyrillic = cyrillic
        self.latin = latin
        #: ``text`` case folded.
        self.low = low = text.casefold()
        #: The words, case folded, ASCII punctuation split off, as UTF-8 bytes.
        self.words: list[bytes] = low.encode("utf-8", "surrogatepass") \
            .translate(_PUNCT_TO_SPACE).split()
        self._numbers: frozenset[str] | None = None
        self._urls: frozenset[str] | None = None

    @property
    def numbers(self) -> frozenset[str]:
        """:func:`numbers` of the text less its URLs."""
        if self._numbers is None:
            if not self.has_digit:
                self._numbers = _NO_NUMBERS
            else:
                text = self.text
                if "@" in text or "/" in text or "www" in text:
                    text = _url_sub(text)
                self._numbers = numbers(text, self.lang, self.low)
        return self._numbers

    @property
    def urls(self) -> frozenset[str]:
        """The URLs and e-mail addresses, case folded, trailing punctuation dropped."""
        if self._urls is None:
            self._urls = frozenset(u.rstrip(".,;:!?)").casefold()
                                   for u in _url_findall(self.text))
        return self._urls


_NO_NUMBERS: frozenset[str] = frozenset()


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
    if p.en.text.count(" ") + 1 < limits.lang_words or p.en.latin <= p.en.cyrillic:
        return False
    # A function word among the words is a match of the regex below when casefolding kept
    # each character one character and no underscore can join a word to its neighbours.
    if "_" not in p.en.text and len(p.en.low) == p.en.chars and \
            not _FUNCTION_WORDS.isdisjoint(p.en.words):
        return False
    if function_words().search(p.en.text) is not None:
        return False
    words = sum(1 for w in p.en.words if w.isalpha())  # ASCII words: no numbers or dashes
    return words >= limits.lang_words


_FUNCTION_WORDS = frozenset(w.encode("utf-8") for w in word_list("clean_words_en.txt"))


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


@rule("numbers", "numbers or dates disagree (a number, month or weekday on each side that "
                 "the other lacks)")
def numbers_disagree(p: Sides, limits: Limits) -> bool:
    # A number may be spelled out on the other side ("two" / "2", "G7" / "Большой семерки"):
    # only a number on each side that the other lacks ("300" / "30") is a disagreement. A zero
    # alone (the minutes of "12:00" / "12.00") never counts. Months and weekdays are compared
    # the same way ("March 5" / "5 апреля").
    if p.en.has_digit and p.ru.has_digit:
        en, ru = p.en.numbers, p.ru.numbers
        if en and ru and en != ru and en - ru - _ZERO and ru - en - _ZERO:
            return True
    en_dates = _calendar(p.en)
    if not en_dates:
        return False
    ru_dates = _calendar(p.ru)
    return bool(en_dates - ru_dates) and bool(ru_dates - en_dates)


_ZERO = frozenset({"0"})


def _forms(key: str, *words: str) -> dict[bytes, str]:
    return {w.encode("utf-8"): key for w in words}


# Month and weekday names, every form, as the words of Side.words (case folded UTF-8).
_CALENDAR: dict[str, dict[bytes, str]] = {"en": {}, "ru": {}}
for _key, _en, _ru in [
        ("m1", "january jan", "январь января январе январю"),
        ("m2", "february feb", "февраль февраля феврале февралю"),
        ("m3", "march", "март марта марте марту"),
        ("m4", "april", "апрель апреля апреле апрелю"),
        ("m5", "", "май мая мае маю"),
        ("m6", "june", "июнь июня июне июню"),
        ("m7", "july", "июль июля июле июлю"),
        ("m8", "august", "август августа августе августу"),
        ("m9", "september sept", "сентябрь сентября сентябре сентябрю"),
        ("m10", "october oct", "октябрь октября октябре октябрю"),
        ("m11", "november nov", "ноябрь ноября ноябре ноябрю"),
        ("m12", "december dec", "декабрь декабря декабре декабрю"),
        ("d1", "monday", "понедельник понедельника понедельнику понедельником понедельнике"),
        ("d2", "tuesday", "вторник вторника вторнику вторником вторнике"),
        ("d3", "wednesday", "среда среды среду среде средой"),
        ("d4", "thursday", "четверг четверга четвергу четвергом четверге"),
        ("d5", "friday", "пятница пятницы пятницу пятнице пятницей"),
        ("d6", "saturday", "суббота субботы субботу субботе субботой"),
        ("d7", "sunday", "воскресенье воскресенья воскресенью воскресеньем")]:
    _CALENDAR["en"].update(_forms(_key, *_en.split()))
    _CALENDAR["ru"].update(_forms(_key, *_ru.split()))


def calendar_words(text: str, lang: str) -> frozenset[str]:
    """The months (``m1``..``m12``) and weekdays (``d1``..``d7``) named in ``text``
    (English "May" only beside a number: it is also a verb)."""
    return _calendar(Side(text, lang))


def _calendar(side: Side) -> frozenset[str]:
    table = _CALENDAR[side.lang]
    words = side.words
    if table.keys().isdisjoint(words) and (side.lang != "en" or b"may" not in words):
        return frozenset()
    found = {table[w] for w in table.keys() & set(words)}
    if side.lang == "en" and b"may" in words:
        for i, word in enumerate(words):
            if word == b"may" and any(w.isdigit() for w in words[max(i - 1, 0):i + 2]):
                found.add("m5")
    return frozenset(found)


@rule("urls", "URLs or e-mail addresses disagree")
def urls_disagree(p: Sides, limits: Limits) -> bool:
    both = p.en.text + p.ru.text
    if "@" not in both and "/" not in both and "www" not in both:
        return False
    return p.en.urls != p.ru.urls


def _doubled(side: Side) -> bool:
    """The whole side twice over (``"A. A."``)."""
    text = side.text.strip()
    if len(text) < 8:
        return False
    half = len(text) // 2
    low = side.low.strip()  # casefolding makes no space, and strip makes no capital
    if low.find(low[:6], half - 4) < 0:
        return False
    return fold(text[:half]) == fold(text[half:]) or fold(text[:half]) == fold(text[half + 1:])


def _repeats(side: Side) -> int:
    """2 for a run of 8 or more of one character, 1 for a shorter repetition, else 0."""
    longest = 0
    text: str | bytes = side.text
    run = _RUN
    if text.isascii():
        text, run = text.encode("ascii"), _RUN_BYTES
    match = run.search(text)
    while match is not None:
        # The whole run of the character (what r"(.)\1{4,}" would match).
        found, start, end = match.group(1), match.start(), match.end()
        while text.startswith(found, end):
            end += 1
        length = end - start
        match = run.search(text, end)
        char = found if isinstance(found, str) else found.decode("ascii")
        if length >= 8 and not char.isspace() and not char.isdigit():
            return 2
        if char.isalpha() or (length >= 5 and not char.isspace() and not char.isdigit()):
            longest = max(longest, length)
    if longest >= 5:
        return 1
    words = side.words
    # A word three times in a row is first a word twice in a row (compared at C speed), and
    # that first a word that is there twice.
    if len(set(words)) < len(words) and \
            any(map(operator.eq, words, itertools.islice(words, 1, None))) and \
            any(a == b == c for a, b, c in zip(words, words[1:], words[2:])):
        return 1
    return 1 if _doubled(side) else 0


@rule("repeats", "repeated characters or words (on one side only, or a run of 8 or more)")
def repeats(p: Sides, limits: Limits) -> bool:
    # A repetition on both sides is usually the text's own ("Thank you. Thank you." /
    # "Спасибо. Спасибо."); one on one side only is noise, and so is any very long run.
    en, ru = _repeats(p.en), _repeats(p.ru)
    return en == 2 or ru == 2 or (en != ru)


@rule("boilerplate", "boilerplate (a navigation, sharing or copyright line)")
def boilerplate_line(p: Sides, limits: Limits) -> bool:
    pattern = boilerplate()
    return (p.en.chars < 120 and pattern.match(p.en.text) is not None) or \
        (p.ru.chars < 120 and pattern.match(p.ru.text) is not None)


def _ends_sentence(text: str) -> bool:
    return text.rstrip().rstrip(_CLOSERS).rstrip().endswith(_SENTENCE_ENDS)


@rule("truncated", "truncated: one side ends a sentence, the other stops short of it")
def truncated(p: Sides, limits: Limits) -> bool:
    # Headlines end without a full stop on both sides, and a translator may drop a final
    # full stop: only a side that stops and is also clearly shorter than the other counts.
    en, ru = _ends_sentence(p.en.text), _ends_sentence(p.ru.text)
    if en == ru:
        return False
    cut, whole = (p.ru, p.en) if en else (p.en, p.ru)
    return (cut.chars + 10) < 0.75 * (whole.chars + 10) and len(cut.words) >= 3


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
    return checker(rules)(sides, limits)


def checker(rules: tuple[Rule, ...]) -> Callable[[Sides, Limits], tuple[str, ...]]:
    """:func:`check_pair` for these ``rules``, planned once (for many pairs)."""
    with_empty = any(r.name == "empty" for r in rules)
    checks = tuple((r.name, r.check) for r in rules if r.check is not None and r.name != "empty")

    def check(sides: Sides, limits: Limits) -> tuple[str, ...]:
        if with_empty and empty(sides, limits):
            return ("empty",)
        return tuple([name for name, rule_check in checks if rule_check(sides, limits)])
    return check
