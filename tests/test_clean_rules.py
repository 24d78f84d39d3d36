"""align.clean.rules: every rule, with pairs it drops and pairs it keeps."""
from __future__ import annotations

import pytest

from align.clean.rules import RULES, Limits, Sides, calendar_words, check_pair, numbers

# (rule, en, ru, dropped): for each rule, pairs it must drop and look-alikes it must keep.
CASES = [
    ("empty", "", "Привет", True),
    ("empty", "Hello", "   ", True),
    ("empty", "Hi", "Привет", False),
    ("too_short", "https://example.com/a", "https://example.com/a", True),
    ("too_short", "1/3", "1/3", True),
    ("too_short", "<br/>", "Да", True),
    ("too_short", "Yes", "Да", False),
    ("too_long", "a" * 1001, "б" * 1001, True),
    ("too_long", "a " * 400, "б " * 400, False),
    ("length_ratio", "The government said on Monday it would raise taxes next year.", "Да.", True),
    ("length_ratio", "Yes.", "Правительство заявило в понедельник, что повысит налоги.", True),
    ("length_ratio", "The government said on Monday it would raise taxes.",
     "Правительство заявило в понедельник, что повысит налоги.", False),
    ("identical", "Moscow is big", "Moscow is big", True),
    ("identical", "«Moscow» is big!", "moscow is big", True),
    ("identical", "iPhone 15", "iPhone 15", True),
    ("identical", "Moscow is big", "Москва большая", False),
    ("cyrillic_en", "Москва большая", "Москва большая и красивая", True),
    ("cyrillic_en", "The word «привет» means hello in Russian", "Слово «привет» значит hello", False),
    ("latin_ru", "Moscow is big", "Moskva bolshaya", True),
    ("latin_ru", "Promtex Micropacket Prestige Mattress", "Матрас Promtex Micropacket Prestige",
     False),
    ("not_english", "Der Bundestag hat am Montag ein neues Gesetz zur Regelung der Mieten "
     "beschlossen", "Бундестаг в понедельник принял новый закон о регулировании аренды", True),
    ("not_english", "The Bundestag on Monday passed a new law on the regulation of rents in big "
     "cities", "Бундестаг в понедельник принял новый закон о регулировании аренды", False),
    ("not_english", "Police arrest suspect following Tuesday shooting",
     "Полиция задержала подозреваемого после стрельбы во вторник", False),
    ("not_russian", "Kyiv is the capital of Ukraine", "Київ є столицею України", True),
    ("not_russian", "Belgrade is the capital, Jovan said he would come",
     "Београд је главни град, Јован је рекао да ће доћи", True),
    ("not_russian", "Kyiv is the capital of Ukraine", "Киев является столицей Украины", False),
    ("not_russian", "In Kyiv (Київ) it is cold", "В Киеве (Київ) сейчас холодно", False),
    ("numbers", "The 300 people came.", "Пришли 30 человек.", True),
    ("numbers", "It cost $1.5 million in 2019.", "Это стоило 2,5 млн долларов в 2019 году.", True),
    ("numbers", "It cost $1.5 million in 2019.", "Это стоило 1,5 млн долларов в 2019 году.", False),
    ("numbers", "About 400,000 people marched.", "Вышли около 400 тыс. человек.", False),
    ("numbers", "Beginning at 6:30 P.M.", "Начало в 18:30.", False),
    ("numbers", "Two police officers died.", "Погибли 2 полицейских.", False),
    ("numbers", "The 12.00 GMT report.", "Доклад в 12:00 по Гринвичу.", False),
    ("numbers", "The G7 countries make 50% of GDP.", "Страны «Большой семерки» дают 50% ВВП.",
     False),
    ("numbers", "It began in the 17th century, in 1861.", "Это началось в XVII веке, в 1861 году.",
     False),
    ("numbers", "It began at 8:30 p.m.", "Это началось в 8:30 вечера.", False),
    ("numbers", "The vote is on March 5.", "Голосование пройдёт 5 апреля.", True),
    ("numbers", "They met on Monday.", "Они встретились во вторник.", True),
    ("numbers", "The vote is on March 5, a Monday.", "Голосование 5 марта, в понедельник.",
     False),
    ("numbers", "You may vote on May 5.", "Голосовать можно 5 мая.", False),
    ("numbers", "The environment matters on Monday.", "Окружающая среда важна в понедельник.",
     False),
    ("urls", "See www.example.com for more.", "Подробнее на www.example.org.", True),
    ("urls", "Write to info@example.com today.", "Пишите сегодня.", True),
    ("urls", "See www.example.com.", "Подробнее на www.example.com.", False),
    ("urls", "Ewww... but not here.", "Фу, но не тут.", False),
    ("repeats", "Great!!!!!!!!!!", "Отлично!!!!!!!!!!", True),
    ("repeats", "He said no no no to it.", "Он отказался.", True),
    ("repeats", "The minister resigned. The minister resigned.", "Министр ушёл в отставку.", True),
    ("repeats", "Thank you. Thank you.", "Спасибо. Спасибо.", False),
    ("repeats", "Thank you very much.", "Большое спасибо.", False),
    ("repeats", "I reeeeeally like it", "Мне оооооочень нравится", False),
    ("repeats", "It cost $100000000.", "Это стоило $100000000.", False),
    ("repeats", "Wait.....", "Подождите", True),
    ("boilerplate", "Read more", "Читать далее", True),
    ("boilerplate", "All rights reserved.", "Все права защищены.", True),
    ("boilerplate", "Share on Facebook", "Поделиться", True),
    ("boilerplate", "Read more about the plan in our report.", "Подробнее о плане в нашем докладе.",
     False),
    ("truncated", "The minister said on Monday that the new law would take effect next year.",
     "Министр заявил в понедельник, что новый", True),
    ("truncated", "The minister said on Monday", "Министр заявил в понедельник.", False),
    ("truncated", "Minister resigns", "Министр ушёл в отставку", False),
]


@pytest.mark.parametrize("name, en, ru, dropped", CASES)
def test_rule(name: str, en: str, ru: str, dropped: bool) -> None:
    rule = RULES[name]
    assert rule.check is not None
    assert rule.check(Sides(en, ru), Limits()) is dropped


def test_every_plain_rule_has_cases_both_ways() -> None:
    plain = {name for name, rule in RULES.items() if rule.check is not None}
    assert {c[0] for c in CASES if c[3]} == plain
    assert {c[0] for c in CASES if not c[3]} == plain


def test_registry_names_and_reasons() -> None:
    assert list(RULES)[0] == "empty"
    for name, rule in RULES.items():
        assert rule.name == name and rule.reason
        assert rule.stage == (rule.check is None)


@pytest.mark.parametrize("text, lang, expected", [
    ("1,000 and 3.5", "en", {"1000", "3.5"}),
    ("1 000 и 3,5", "ru", {"1000", "3.5"}),
    ("1,5 млн", "ru", {"1500000"}),
    ("$2.5bn", "en", {"2500000000"}),
    ("at 10:30", "en", {"10", "30"}),
    ("03.05.2019", "ru", {"3", "5", "2019"}),
    ("007 and 1.50", "en", {"7", "1.5"}),
    ("no digits", "en", set()),
])
def test_numbers(text: str, lang: str, expected: set[str]) -> None:
    assert numbers(text, lang) == expected


@pytest.mark.parametrize("text, lang, expected", [
    ("On May 5 and in March, on Monday", "en", {"m5", "m3", "d1"}),
    ("You may go in Decimal time", "en", set()),
    ("5 мая, в марте, в понедельник", "ru", {"m5", "m3", "d1"}),
    ("ВТОРНИК, 3 ДЕКАБРЯ", "ru", {"d2", "m12"}),
])
def test_calendar_words(text: str, lang: str, expected: set[str]) -> None:
    assert calendar_words(text, lang) == expected


def test_check_pair_gives_every_reason_and_empty_alone() -> None:
    rules = tuple(r for r in RULES.values() if r.check is not None)
    assert check_pair(Sides("", "x"), Limits(), rules) == ("empty",)
    reasons = check_pair(Sides("Москва большая", "Moskva bolshaya"), Limits(), rules)
    assert {"cyrillic_en", "latin_ru"} <= set(reasons)
    assert check_pair(Sides("Moscow is big.", "Москва большая."), Limits(), rules) == ()


def test_limits_change_the_rules() -> None:
    sides = Sides("a" * 50, "б" * 50)
    assert not RULES["too_long"].check(sides, Limits())  # type: ignore[misc]
    assert RULES["too_long"].check(sides, Limits(max_chars=40))  # type: ignore[misc]


def _reasons_table() -> list[dict[str, object]]:
    import json
    from pathlib import Path

    path = Path(__file__).parent / "data" / "clean_reasons.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# tests/data/clean_reasons.jsonl: pairs of every (fixes, reasons) combination met in the
# training pairs with the benchmark's noise injected, the training pairs as they are, and edge
# cases of the fast paths' gates (upper-case WWW., re.I letters, underscores, runs, separators),
# each with the fixes and reasons the rules gave before they were made fast (commit 63af4bd).
@pytest.mark.parametrize("row", _reasons_table(), ids=lambda r: "+".join(r["reasons"]) or "kept")
def test_same_fixes_and_reasons_as_before_the_fast_path(row: dict[str, object]) -> None:
    pytest.importorskip("ftfy", reason="the 'clean' extra (ftfy) is not installed")
    from align.clean import Judge, judge_batch, select_rules
    from align.types import Pair

    [(fixed, fixes, reasons, _)] = judge_batch(Judge(select_rules()),
                                            [Pair(str(row["en"]), str(row["ru"]))])
    assert [fixed.en, fixed.ru] == row["fixed"]
    assert list(fixes) == row["fixes"]
    assert list(reasons) == row["reasons"]


@pytest.mark.parametrize("text, expected", [
    ("5 mıllion", {"5000000"}),     # re.I takes dotless ı for i: no KeyError
    ("5 ᲄыс.", {"5000"}),            # and an old Cyrillic т for т
    ("5 млрᲁ", {"5000000000"}),
])
def test_numbers_magnitude_words_as_the_regex_matched_them(text: str, expected: set[str]) -> None:
    assert numbers(text, "ru") == expected
