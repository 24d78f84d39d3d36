"""BCP 47 language tags for corpus files: strict when writing, tolerant when reading.

CAT tools are unforgiving about language codes: OmegaT skips units written ``en_US`` or
``eng``, Trados and MateCat distinguish ``en`` from ``en-US``. So what we *write* must be a
well-formed BCP 47 tag (RFC 5646) whose primary language is the one the side holds, in the
conventional case (``en-US``, ``sr-Latn-RS``). What we *read* may be anything real tools
write (``EN-US``, ``en_GB``, ``eng``, ``Russian`` is not one of them) and is mapped to the
primary language only.
"""
from __future__ import annotations

import re

from .errors import AlignError

#: The languages of a pair's two sides, in ``Pair`` field order.
SIDES = ("en", "ru")
DEFAULT_LANGS: tuple[str, str] = ("en", "ru")

_ALNUM = "[a-z0-9]"
# RFC 5646 section 2.1 "langtag" (grandfathered and private-use-only tags are left out: their
# primary language can never be English or Russian).
_LANGTAG = re.compile(
    r"(?P<language>[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})"
    r"(?:-(?P<script>[a-z]{4}))?"
    r"(?:-(?P<region>[a-z]{2}|[0-9]{3}))?"
    rf"(?P<variants>(?:-(?:{_ALNUM}{{5,8}}|[0-9]{_ALNUM}{{3}}))*)"
    rf"(?P<extensions>(?:-[0-9a-wyz](?:-{_ALNUM}{{2,8}})+)*)"
    rf"(?:-x(?:-{_ALNUM}{{1,8}})+)?",
    re.IGNORECASE)

# ISO 639-2/3 codes tools write for our two languages; BCP 47 requires the 2-letter ones.
_THREE_LETTER = {"eng": "en", "rus": "ru"}


def canonical_tag(tag: str, language: str) -> str:
    """``tag`` checked as a BCP 47 tag for ``language`` and put in conventional case.

    Raises ``AlignError`` with a suggestion for the usual mistakes: ``en_US`` (underscore),
    ``eng`` (ISO 639-2 code where a 2-letter one exists), a tag for another language.
    """
    text = tag.strip()
    match = _LANGTAG.fullmatch(text)
    if match is None:
        hint = ""
        if "_" in text and _LANGTAG.fullmatch(text.replace("_", "-")):
            hint = f" (BCP 47 uses hyphens: {canonical_case(text.replace('_', '-'))})"
        raise AlignError(f"{tag!r} is not a BCP 47 language tag{hint}")
    primary = match.group("language").split("-")[0].lower()
    if primary in _THREE_LETTER:
        better = canonical_case("-".join([_THREE_LETTER[primary]] + text.split("-")[1:]))
        raise AlignError(f"{tag!r}: BCP 47 requires the 2-letter code, use {better!r}")
    if primary != language:
        raise AlignError(f"{tag!r} is not a tag for language {language!r}")
    singletons = [part.lower() for part in text.split("-")[1:] if len(part) == 1]
    if "x" in singletons:
        singletons = singletons[: singletons.index("x")]
    if len(singletons) != len(set(singletons)):
        raise AlignError(f"{tag!r} repeats an extension")
    return canonical_case(text)


def canonical_case(tag: str) -> str:
    """Conventional case (RFC 5646 section 2.1.1): ``en-US``, ``zh-Hant-TW``, ``de-CH-1996``."""
    parts = tag.split("-")
    out = [parts[0].lower()]
    extension = False  # after a singleton (extension or private use) everything is lower case
    for part in parts[1:]:
        extension = extension or len(part) == 1
        if extension:
            out.append(part.lower())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        elif len(part) == 4 and part.isalpha():
            out.append(part.title())
        else:
            out.append(part.lower())
    return "-".join(out)


def parse_langs(text: str | tuple[str, str] | list[str]) -> tuple[str, str]:
    """``"en-US,ru-RU"`` (or a pair of tags) as the checked tags of the English and Russian sides."""
    parts = [p.strip() for p in text.split(",")] if isinstance(text, str) else list(text)
    if len(parts) != 2 or not all(parts):
        raise AlignError(f"expected two language tags, English then Russian, e.g. en-US,ru-RU; "
                         f"got {text!r}")
    return canonical_tag(parts[0], "en"), canonical_tag(parts[1], "ru")


def primary_language(tag: str | None) -> str | None:
    """The lower-case primary language of a tag as real files write it, or ``None``.

    Tolerant on purpose (reading): ``EN-US``, ``en_GB``, ``eng`` all give ``en``.
    """
    if not tag:
        return None
    primary = re.split(r"[-_]", tag.strip(), maxsplit=1)[0].lower()
    return _THREE_LETTER.get(primary, primary) or None
