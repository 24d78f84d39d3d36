"""The fixes of ``align clean``: they keep the pair and change its text, each counted by name.

``FIXES`` is the ordered registry; a fix maps the two sides ``(en, ru)`` to fixed sides. Mojibake
and HTML entities are ftfy's (``pip install 'align[clean]'``), never tables of our own; quotes
are left as they are (they are folded only when pairs are compared). Each fix first checks
cheaply whether it has anything to do, so that clean text costs next to nothing.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable

from ..errors import AlignError

# Mojibake markers: UTF-8 read as cp1252/latin-1 (``Ã©``, ``â€™``, ``Ð¿``) or as cp1251
# (``РїСЂ``, ``вЂ”``): a lead character followed by what a UTF-8 continuation byte becomes.
_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
    "\u02dc\u2013-\u203a\u20ac\u2122]"
    "|[РСв][\u0080-\u00bf\u0402-\u040f\u0452-\u045f\u0490\u0491\u2013-\u203a\u20ac\u2116"
    "\u2122]")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e"
                      "\u2060\ufeff\ufffe\uffff\ud800-\udfff]")
_SPACE_RUN = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]{2,}|[\t\n\r\f\v\u2028\u2029"
                        r"\u0085]")
_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)(?:\s[^<>]*)?(/?)>")
_VOID = frozenset({"br", "hr", "img", "wbr", "input", "meta", "link", "area", "col", "source"})


def _ftfy() -> Any:
    try:
        import ftfy
    except ImportError:
        raise AlignError("fixing mojibake needs ftfy: pip install 'align[clean]'") from None
    return ftfy


@functools.lru_cache(maxsize=1)
def _ftfy_config() -> Any:
    # Quotes and line breaks are ours to keep; normalisation is the nfc fix.
    return _ftfy().TextFixerConfig(uncurl_quotes=False, fix_line_breaks=False,
                                   normalization=None, unescape_html=False, explain=False)


def fix_mojibake(text: str) -> str:
    """Text decoded with the wrong encoding, put right by ftfy (``ÐŸÑ€Ð¸Ð²ÐµÑ‚`` -> ``Привет``)."""
    if _MOJIBAKE.search(text) is None:
        return text
    return _ftfy().fix_text(text, _ftfy_config())


def fix_entities(text: str) -> str:
    """HTML entities (``&amp;``, ``&#8212;``, ``&quot;``) as the characters they stand for."""
    if "&" not in text or _ENTITY.search(text) is None:
        return text
    return _ftfy().fixes.unescape_html(text)


def fix_nfc(text: str) -> str:
    """Unicode NFC: a letter and its combining accent as one character."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def fix_controls(text: str) -> str:
    """Control, zero-width and bidirectional formatting characters removed (tabs and line
    breaks are the whitespace fix's)."""
    return text if _CONTROL.search(text) is None else _CONTROL.sub("", text)


def fix_whitespace(text: str) -> str:
    """Runs of whitespace, line breaks and tabs as one space; both ends trimmed."""
    if _SPACE_RUN.search(text) is not None:
        text = _SPACE_RUN.sub(" ", text)
    return text.strip()


def _balanced(text: str) -> bool:
    stack: list[str] = []
    for closing, name, self_closing in _TAG.findall(text):
        name = name.lower()
        if self_closing or name in _VOID:
            continue
        if not closing:
            stack.append(name)
        elif not stack or stack.pop() != name:
            return False
    return not stack


def _tags(text: str) -> list[str]:
    return sorted(name.lower() + closing for closing, name, _ in _TAG.findall(text))


def fix_markup(en: str, ru: str) -> tuple[str, str]:
    """Markup tags removed from both sides unless each side's tags are balanced and the two
    sides have the same ones (``<b>x</b>`` / ``<b>y</b>`` is kept; a stray ``</div>`` goes)."""
    if "<" not in en and "<" not in ru:
        return en, ru
    tags_en, tags_ru = _TAG.search(en), _TAG.search(ru)
    if tags_en is None and tags_ru is None:
        return en, ru
    if _balanced(en) and _balanced(ru) and _tags(en) == _tags(ru):
        return en, ru
    return fix_whitespace(_TAG.sub(" ", en)), fix_whitespace(_TAG.sub(" ", ru))


@dataclass(frozen=True)
class Fix:
    """A named fix of the two sides of a pair."""

    name: str
    description: str
    apply: Callable[[str, str], tuple[str, str]]


def _each(func: Callable[[str], str]) -> Callable[[str, str], tuple[str, str]]:
    def both(en: str, ru: str) -> tuple[str, str]:
        return func(en), func(ru)
    return both


FIXES: dict[str, Fix] = {f.name: f for f in [
    Fix("mojibake", "text decoded with the wrong encoding (ftfy)", _each(fix_mojibake)),
    Fix("entities", "HTML entities as characters", _each(fix_entities)),
    Fix("controls", "control and zero-width characters removed", _each(fix_controls)),
    Fix("nfc", "Unicode NFC", _each(fix_nfc)),
    Fix("markup", "unbalanced or one-sided markup tags removed", fix_markup),
    Fix("whitespace", "whitespace runs and line breaks as one space, ends trimmed",
        _each(fix_whitespace)),
]}


# Characters that mojibake always brings (a cheap character class, confirmed by _MOJIBAKE):
# cp1252 lead characters, and the cp1251 readings of UTF-8 continuation bytes that Russian
# text never has (Ђ-Џ but Ё, ђ-џ but ё, Ґ/ґ, °, µ, ¶, ·, dagger, per mille, euro, trade mark).
_MOJIBAKE_HINT = re.compile("[\u00c2\u00c3\u00d0\u00d1\u00e2\u0402-\u040f\u0452-\u045f"
                            "\u0490\u0491\u00b0\u00b5\u00b6\u00b7\u2020\u2021\u2030\u20ac"
                            "\u2122\u201a\u201e]")


def _clean(text: str) -> bool:
    """True when no fix can change ``text`` (most text): printable (no controls, tabs, line
    breaks, odd spaces), no ``&`` or ``<``, no double or outer spaces, no mojibake hint, NFC."""
    if not text.isprintable() or "&" in text or "<" in text or "  " in text:
        return False
    if text[:1] == " " or text[-1:] == " ":
        return False
    if text.isascii():
        return True
    return _MOJIBAKE_HINT.search(text) is None and unicodedata.is_normalized("NFC", text)


def apply_fixes(en: str, ru: str, fixes: tuple[Fix, ...]) -> tuple[str, str, tuple[str, ...]]:
    """The pair after ``fixes`` in order, and the names of those that changed it."""
    if _clean(en) and _clean(ru):
        return en, ru, ()
    applied: list[str] = []
    for fix in fixes:
        new_en, new_ru = fix.apply(en, ru)
        if new_en != en or new_ru != ru:
            applied.append(fix.name)
            en, ru = new_en, new_ru
    return en, ru, tuple(applied)
