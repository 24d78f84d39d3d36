"""Article parser: one case per layout and encoding variant seen on real sites."""
from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from align.article import guess_lang, read_article
from align.errors import ArticleError

EN_HEAD = "Senior U.S. official visits Minsk for the first time in five years"
RU_HEAD = "Впервые за пять лет высокопоставленный чиновник США посетил Минск"
EN_BODY = "This week the authorities of Belarus released three prisoners. Talks went on."
RU_BODY = "На этой неделе власти Беларуси освободили трёх заключённых. Переговоры продолжаются."


def write(tmp_path: Path, data: bytes | str, name: str = "a.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def standard(sep: str = "\n") -> str:
    return sep.join(["example-news.com", "", EN_HEAD, "", RU_HEAD, "", EN_BODY, ""])


# (case id, file bytes, expected encoding, en headline, ru headline, en body, ru body, source)
CASES = [
    ("english-first", standard().encode(), "utf-8", EN_HEAD, RU_HEAD, [EN_BODY], [],
     "example-news.com"),
    ("russian-first",
     "\n\n".join(["example-news.com", RU_HEAD, EN_HEAD, EN_BODY]).encode(), "utf-8",
     EN_HEAD, RU_HEAD, [EN_BODY], [], "example-news.com"),
    ("no-source-line", "\n\n".join([EN_HEAD, RU_HEAD, EN_BODY]).encode(), "utf-8",
     EN_HEAD, RU_HEAD, [EN_BODY], [], None),
    ("short-name-source", "\n\n".join(["Reuters", EN_HEAD, RU_HEAD, EN_BODY]).encode(), "utf-8",
     EN_HEAD, RU_HEAD, [EN_BODY], [], "Reuters"),
    ("utf-8-bom", codecs.BOM_UTF8 + standard().encode(), "utf-8-sig",
     EN_HEAD, RU_HEAD, [EN_BODY], [], "example-news.com"),
    ("crlf", standard("\r\n").encode(), "utf-8", EN_HEAD, RU_HEAD, [EN_BODY], [],
     "example-news.com"),
    ("cr-only", standard("\r").encode(), "utf-8", EN_HEAD, RU_HEAD, [EN_BODY], [],
     "example-news.com"),
    ("cp1251", standard().encode("cp1251"), "cp1251", EN_HEAD, RU_HEAD, [EN_BODY], [],
     "example-news.com"),
    ("koi8-r", standard().encode("koi8-r"), "koi8-r", EN_HEAD, RU_HEAD, [EN_BODY], [],
     "example-news.com"),
    ("utf-16-le-bom", standard().encode("utf-16"), "utf-16", EN_HEAD, RU_HEAD, [EN_BODY], [],
     "example-news.com"),
    ("utf-16-be-bom", codecs.BOM_UTF16_BE + standard().encode("utf-16-be"), "utf-16",
     EN_HEAD, RU_HEAD, [EN_BODY], [], "example-news.com"),
    ("bilingual-body",
     "\n\n".join(["site.ru", EN_HEAD, RU_HEAD, EN_BODY, "Second paragraph.", RU_BODY]).encode(),
     "utf-8", EN_HEAD, RU_HEAD, [EN_BODY, "Second paragraph."], [RU_BODY], "site.ru"),
    ("russian-only-body", "\n\n".join(["site.ru", EN_HEAD, RU_HEAD, RU_BODY]).encode(), "utf-8",
     EN_HEAD, RU_HEAD, [], [RU_BODY], "site.ru"),
    ("bullets",
     "\n\n".join(["site.ru", EN_HEAD, RU_HEAD, EN_BODY,
                  "  • First item here.\n  • Second item\n    wrapped line.\n- Third."]).encode(),
     "utf-8", EN_HEAD, RU_HEAD, [EN_BODY, "First item here.", "Second item\n    wrapped line.",
                                 "Third."], [], "site.ru"),
    ("whitespace-only-separator-lines",
     ("site.ru\n   \n" + EN_HEAD + "\n\t\n" + RU_HEAD + "\n \n" + EN_BODY).encode(), "utf-8",
     EN_HEAD, RU_HEAD, [EN_BODY], [], "site.ru"),
    ("url-paragraph-joins-body",
     "\n\n".join(["site.ru", EN_HEAD, RU_HEAD, EN_BODY, "https://example.com/x?a=1"]).encode(),
     "utf-8", EN_HEAD, RU_HEAD, [EN_BODY, "https://example.com/x?a=1"], [], "site.ru"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_variants(tmp_path: Path, case: tuple) -> None:
    _, data, encoding, en, ru, en_body, ru_body, source = case
    article = read_article(write(tmp_path, data))
    assert article.encoding == encoding
    assert article.headlines == {"en": en, "ru": ru}
    assert [p.text for p in article.body["en"]] == en_body
    assert [p.text for p in article.body["ru"]] == ru_body
    assert article.source == source
    assert article.has_headline_pair
    assert article.warnings == ()


def test_seed_article() -> None:
    seed = Path(__file__).resolve().parents[1] / "seeds" / "000_ef9d5f30e115329a.txt"
    article = read_article(seed)
    assert article.source == "bimba-news.in.ua"
    assert article.prefix == "NYT: "
    assert article.headlines["en"].startswith("NYT: A senior U.S. official visited Minsk")
    assert article.headlines["ru"].startswith("NYT: Впервые за пять лет")
    assert len(article.body["en"]) == 7 and article.body["ru"] == ()
    assert [p.bullet for p in article.body["en"]] == [None] * 4 + ["•"] * 3
    assert article.body["en"][4].text.startswith("Journalist Andrei Kuznechik")
    assert article.body["en"][4].line == 15


@pytest.mark.parametrize("en_prefix,ru_prefix,expected", [
    ("NYT: ", "NYT: ", "NYT: "),
    ("Reuters: ", "Reuters: ", "Reuters: "),
    ("BBC News: ", "BBC News: ", "BBC News: "),
    ("NYT: ", "", None),
    ("NYT: ", "Reuters: ", None),
])
def test_prefix(tmp_path: Path, en_prefix: str, ru_prefix: str, expected: str | None) -> None:
    text = "\n\n".join(["site.com", en_prefix + EN_HEAD, ru_prefix + RU_HEAD, EN_BODY])
    article = read_article(write(tmp_path, text))
    assert article.prefix == expected
    # The prefix stays in the headline text.
    assert article.headlines["en"] == en_prefix + EN_HEAD


@pytest.mark.parametrize("text,present,missing", [
    ("\n\n".join(["site.com", EN_HEAD, EN_BODY]), "en", "Russian"),
    ("\n\n".join(["site.com", RU_HEAD, RU_BODY]), "ru", "English"),
    # A Russian body paragraph right after the English headline is not its translation.
    ("\n\n".join([EN_HEAD, RU_BODY + " " + RU_BODY + " " + RU_BODY + " " + RU_BODY]), "en",
     "Russian"),
])
def test_missing_headline_warns(tmp_path: Path, text: str, present: str, missing: str) -> None:
    article = read_article(write(tmp_path, text))
    assert not article.has_headline_pair
    assert article.headlines[present]
    assert any(missing in w for w in article.warnings)


def test_only_site_line(tmp_path: Path) -> None:
    article = read_article(write(tmp_path, "bimba-news.in.ua\n"))
    assert article.source == "bimba-news.in.ua"
    assert article.headlines == {"en": None, "ru": None}
    assert article.warnings


def test_one_line_file(tmp_path: Path) -> None:
    article = read_article(write(tmp_path, EN_HEAD + ".\n"))
    assert article.headlines == {"en": EN_HEAD + ".", "ru": None}
    assert not article.has_headline_pair


def test_very_long_lines(tmp_path: Path) -> None:
    long_en = "Word " * 40000 + "end."
    long_ru = "Слово " * 40000 + "конец."
    text = "\n\n".join(["site.com", EN_HEAD, RU_HEAD, long_en, long_ru])
    article = read_article(write(tmp_path, text))
    assert article.has_headline_pair
    assert article.body["en"][0].text == long_en.strip()
    assert article.body["ru"][0].text == long_ru.strip()


def test_other_characters_kept(tmp_path: Path) -> None:
    body = "Tabs\there, nbsp\u00a0here, emoji 🙂 and e\u0301 stay."
    article = read_article(write(tmp_path, "\n\n".join([EN_HEAD, RU_HEAD, body])))
    assert article.body["en"][0].text == body


@pytest.mark.parametrize("data,reason", [
    (b"", "empty file"),
    (b"  \n\n\t\n", "empty file"),
    (b"\x00\x01\x02\x03binary\x00\xff" * 20, "binary"),
    (bytes(range(1, 32)) * 20, "no readable text"),
    (codecs.BOM_UTF8 + b"", "empty file"),
])
def test_bad_files(tmp_path: Path, data: bytes, reason: str) -> None:
    path = write(tmp_path, data)
    with pytest.raises(ArticleError) as info:
        read_article(path)
    assert reason in str(info.value)
    assert str(path) in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(Exception) as info:
        read_article(tmp_path / "nope.txt")
    assert "no such file" in str(info.value)


@pytest.mark.parametrize("text,lang", [
    ("Hello world", "en"),
    ("Привет, мир", "ru"),
    ("Трамп встретился с Reuters", "ru"),
    ("https://example.com/path", None),
    ("2024 12 31", None),
    ("", None),
])
def test_guess_lang(text: str, lang: str | None) -> None:
    assert guess_lang(text) == lang


def _legacy_cases() -> list[tuple[str, str]]:
    texts = ["Café résumé naïve — “quoted”", "Минск", "Да", "Путин заявил «нет»",
             "ПУТИН ЗАЯВИЛ", "Ёлка и ёж"]
    cases = []
    for encoding in ("cp1251", "koi8-r", "cp1252"):
        for text in texts:
            try:
                text.encode(encoding)
            except UnicodeEncodeError:
                continue
            cases.append((text, encoding))
    return cases


@pytest.mark.parametrize("text,encoding", _legacy_cases())
def test_short_legacy_texts_decode_right(text: str, encoding: str) -> None:
    from align.article import decode_article_bytes

    assert decode_article_bytes(text.encode(encoding), "x") == (text, encoding)
