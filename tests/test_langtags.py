"""BCP 47 tags: strict checking for what we write, tolerant mapping for what we read."""
from __future__ import annotations

import pytest

from align.errors import AlignError
from align.langtags import canonical_tag, parse_langs, primary_language


@pytest.mark.parametrize("tag,language,expected", [
    ("en", "en", "en"),
    ("EN-us", "en", "en-US"),
    ("ru-ru", "ru", "ru-RU"),
    ("en-latn-gb", "en", "en-Latn-GB"),
    ("en-419", "en", "en-419"),
    ("ru-Cyrl-RU-petr1708", "ru", "ru-Cyrl-RU-petr1708"),
    ("en-US-u-ca-gregory", "en", "en-US-u-ca-gregory"),
    ("en-x-Custom-AB", "en", "en-x-custom-ab"),
    (" en-GB ", "en", "en-GB"),
])
def test_valid_tags_in_conventional_case(tag: str, language: str, expected: str) -> None:
    assert canonical_tag(tag, language) == expected


@pytest.mark.parametrize("tag,language,message", [
    ("en_US", "en", "BCP 47 uses hyphens: en-US"),
    ("eng", "en", "use 'en'"),
    ("eng-US", "en", "use 'en-US'"),
    ("rus", "ru", "use 'ru'"),
    ("de", "en", "not a tag for language 'en'"),
    ("English", "en", "not a tag for language 'en'"),
    ("en-", "en", "not a BCP 47"),
    ("en--US", "en", "not a BCP 47"),
    ("en-US-", "en", "not a BCP 47"),
    ("e", "en", "not a BCP 47"),
    ("en-USA1", "en", "not a BCP 47"),
    ("en-a-bbb-a-ccc", "en", "repeats an extension"),
    ("", "en", "not a BCP 47"),
])
def test_invalid_tags(tag: str, language: str, message: str) -> None:
    with pytest.raises(AlignError, match=message):
        canonical_tag(tag, language)


@pytest.mark.parametrize("text,expected", [
    ("en,ru", ("en", "ru")),
    ("en-us, ru-ru", ("en-US", "ru-RU")),
    (("en-GB", "ru"), ("en-GB", "ru")),
])
def test_parse_langs(text: object, expected: tuple[str, str]) -> None:
    assert parse_langs(text) == expected


@pytest.mark.parametrize("text", ["en", "en,ru,de", "en,", ",ru"])
def test_parse_langs_needs_two_tags(text: str) -> None:
    with pytest.raises(AlignError, match="two language tags"):
        parse_langs(text)


@pytest.mark.parametrize("tag,expected", [
    ("en", "en"), ("EN-US", "en"), ("en_GB", "en"), ("eng", "en"), ("RUS", "ru"),
    ("ru-RU", "ru"), ("de-DE", "de"), ("", None), (None, None), ("-x", None),
])
def test_primary_language_is_tolerant(tag: str | None, expected: str | None) -> None:
    assert primary_language(tag) == expected
