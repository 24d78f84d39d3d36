"""Sentence segmentation: tricky English and Russian paragraphs with gold boundaries.

Each case is a paragraph with ``|`` where a sentence ends (the razdel test convention): the
text is the case without the bars, the gold sentences are the pieces between them.
"""
from __future__ import annotations

import pytest

from align.segment import LANGS, RULE_NAMES, detect_lang, explain, split_sentences
from align.types import Sentence

EN = [
    # titles and abbreviations
    "Mr. Smith met Dr. Jones at noon. | They talked.",
    "Gov. Gavin Newsom signed the bill on Tuesday. | Sen. Ted Cruz objected.",
    "Lt. Col. Alexander Vindman testified. | Rep. Adam Schiff asked the questions.",
    "The parade went down St. Mark's Place. | Crowds cheered.",
    "He lives at No. 10 Downing Street. | The house is old.",
    "Apple Inc. reported record sales. | Shares rose 5%.",
    "The project cost approx. 3 million dollars. | It was late.",
    "Fruit, e.g. apples and pears, is healthy. | So are vegetables.",
    "The fee, i.e. the sum paid upfront, is refundable. | Ask for details.",
    "The meeting starts at 9 a.m. on Monday. | Please be on time.",
    "The shop closes at 6 p.m. | The café stays open.",
    "The meeting ended at 5 p.m. | Officials said it went well.",
    "It opens at 9 a.m. Monday through Friday and at 10 a.m. EST on weekends. | Call ahead.",
    "She earned a Ph.D. in physics. | Then she moved to Boston.",
    "He has a Ph.D. from Oxford and an M.A. from Yale. | Both took years.",
    "They bought apples, pears, plums etc. | Then they went home.",
    "The U.S. Army said it would respond. | No details were given.",
    "The decision was made in the U.S. | She said so on Friday.",
    "Talks between the U.S. and the U.K. ended. | Both sides were upbeat.",
    "The film opens Jan. 13 in Los Angeles. | Tickets are on sale.",
    "Martin Luther King Jr. was born in Atlanta. | He died in 1968.",
    "He was born in Sacramento, Calif. | His father was a teacher.",
    "Prof. Ivanov and Gen. Smith spoke. | Nobody listened.",
    "The crash happened on Main St. | The driver fled.",
    "It is 4 ft. tall. | The base is wider.",
    "See Fig. 3 for the results. | Table 2 lists the errors.",
    "Smith et al. reported similar results. | Their sample was small.",
    "The vote was 52 vs. 48. | The motion passed.",
    "He cited the Cathedral of Sts. Peter and Paul. | It burned in 2020.",
    # initials
    "J. K. Rowling wrote the books. | They sold well.",
    "George W. Bush visited Texas. | He gave a speech.",
    "The paper was written by A. B. Smith and C. D. Jones. | It won a prize.",
    "He met E. Yu. Kotlyarova in Moscow. | They signed the deal.",
    "Take plan B. | It is safer.",
    "The book by J.\u00a0K.\u00a0Rowling sold well. | Dr.\u00a0Watson agreed.",
    # numbers
    "Prices rose 3.5% in March. | Wages rose 2.1%.",
    "The temperature fell to -5 degrees. | Roads froze.",
    "The train leaves at 19:00 sharp. | Don't be late.",
    "The vote took place in October 2020. | 56.7% of citizens voted against.",
    "Inflation was 7.5 per cent. | 2023 will be better, the bank said.",
    "It costs $3.74 today. | Yesterday it was $3.50.",
    # ellipsis
    "He hesitated... and then he left. | Nobody followed.",
    "I waited and waited... | Nobody came.",
    "Well… maybe. | We will see.",
    # quotes and direct speech
    "\"Where are you going?\" he asked. | She did not answer.",
    "\"Stop!\" he shouted. | The car stopped.",
    "\"Why?\" Smith asked. | Nobody knew.",
    "\"Go!\" Mary said. | \"Now!\" | The crowd roared.",
    "“I will be back,” she said. | She never came back.",
    "He said: \"We won. | We won.\" | The crowd roared.",
    "\"It is over.\" | The match had ended.",
    "She called it a \"disaster.\" | Others disagreed.",
    # parentheses
    "The company (founded in 1998) grew fast. | It now employs 500 people.",
    "The mayor spoke briefly. | (He left early.) | The meeting went on.",
    "The price (approx. 40 dollars) was high. | Few bought it.",
    # colons and semicolons
    "The rule is simple: arrive early. | Leave late.",
    "He had one goal; he wanted to win. | He did.",
    # URLs and e-mail
    "Visit https://example.com/news?id=5 for more. | The site is free.",
    "Write to info@example.org. | We reply within a day.",
    "The report is on www.example.co.uk. | It is long.",
    # question and exclamation
    "Is it true? | Yes, it is!",
    "What?! | You can't be serious.",
    # bullets and lists
    "Key points:\n| - prices rose\n| - wages fell",
    "1. Preheat the oven. | 2. Mix the flour.",
    "The steps are listed below:\n| • Open the lid.\n| • Pour the water.",
    # lowercase after period and dashes
    "The firm, based in the U.S., employs 300 people. | It was founded in 1990.",
    "The report said the figure was approx. two thirds. | Critics doubted it.",
    "He was ready. | — Go, she said.",
    # lower-case sentences in comments; clipped words stay
    "I flew a plane today. | data from the tracker looks fine.",
    "That was fun! | going to plant some stuff today",
    "Talks with govt. officials and the Inst. of Physics went well. | Both agreed.",
    "Easy to wash. | Suitable for all stoves.",
    "He moved to Seattle, Wash. in 2019. | He likes it.",
    # headline without final punctuation
    "Storm hits the coast as thousands flee",
    "Breaking: markets fall again",
]

RU = [
    # сокращения
    "В 1999 г. он переехал в Москву, т. е. в столицу. | Там он и остался.",
    "Он купил хлеб, молоко и т. д. | Потом пошёл домой.",
    "На рынке продают овощи, фрукты и т. п. | Цены растут.",
    "Всего было 30 чел., в т. ч. дети. | Все вернулись.",
    "Выставка им. Третьякова открылась в среду. | Вход свободный.",
    "Он живёт по адресу: ул. Ленина, д. 5, кв. 12. | Дом старый.",
    "Доклад сделал проф. Иванов. | Вопросов не было.",
    "Бюджет составил 5 млн руб. | Это больше, чем в прошлом году.",
    "Цена выросла на 10 долл. | Спрос упал.",
    "Сделка составила 10 млн долл. США. | Это рекорд.",
    "Кредит в 3 млрд руб. выдал Сбербанк. | Ставка не раскрывается.",
    "В 2020 г. компания открыла новый завод. | Его построили за год.",
    "В 2021 г. ВВП вырос на 4,7%. | С 1 января 2022 г. Минфин изменил прогноз.",
    "Это произошло в 1941 г. | Война только началась.",
    "Долгая история этого завода, основанного ещё купцами, началась в 1899 г. | Потом был пожар.",
    "Дом построен в XIX в. | Его перестраивали дважды.",
    "В 1990-х гг. здесь был завод. | Теперь тут парк.",
    "Поселок находится в 20 км от г. Тверь. | Дорога хорошая.",
    "Рис. 3 показывает рост. | Табл. 2 — падение.",
    "Согласно ст. 228 УК РФ ему грозит до 15 лет. | Суд назначен на март.",
    "Об этом говорится в ч. 2 ст. 105. | Дело передано в суд.",
    "Он вернулся, т. к. забыл ключи. | Дверь была открыта.",
    "Это т. н. «серая зона». | Её трудно контролировать.",
    "Город основан в V в. до н. э. | Он пережил много войн.",
    "Книги, журналы и др. | Всё это лежало на полу.",
    "См. приложение 1. | Там есть таблица.",
    "Заседание вёл и. о. директора. | Он говорил недолго.",
    # инициалы
    "А. С. Пушкин родился в Москве. | Его дед был африканцем.",
    "Указ подписал В. В. Путин. | Он вступит в силу завтра.",
    "Об этом сообщил Дж. Байден. | Реакция последовала быстро.",
    "По словам замглавы Д. К. Арьи, задержаны пять человек. | Следствие продолжается.",
    "Письмо подписали Иванов А. В. и Петров С. Н. | Они ждут ответа.",
    "Поэму написал А.\u00a0С.\u00a0Пушкин. | Её издали в 1833\u00a0г.",
    # числа
    "Инфляция составила 3,5% в марте. | Зарплаты выросли на 2,1%.",
    "Ночью до -15 градусов. | Днём потеплеет.",
    "Поезд отправляется в 19:00. | Не опаздывайте.",
    "Курс доллара составил 92.5 руб. | Евро подорожал.",
    "Она была королевой Елизаветой II. | 34% опрошенных согласны.",
    "Он набрал 4:41,30. | Это рекорд.",
    # многоточие
    "Он помолчал... и ушёл. | Никто не пошёл за ним.",
    "Я ждал, ждал… | Никто не пришёл.",
    "Ну что ж... | Посмотрим.",
    # кавычки и прямая речь
    "«Стой!» — крикнул он. | Машина остановилась.",
    "«Вы куда?» — спросила она. | Он не ответил.",
    "«Мы победили», — заявил тренер. | Болельщики ликовали.",
    "„Привет!“ — сказал он. | „Пока!“ | Дверь закрылась.",
    "\"Это конец\", - сказал он. | Все молчали.",
    "Он сказал: «Мы выиграли. | Мы лучшие». | Зал аплодировал.",
    "«Всё кончено». | Матч завершился.",
    "— Куда ты идёшь? — спросил отец.\n| — Домой.\n| — Хорошо.",
    "— Здравствуйте!\n| — Добрый день, — ответил он.",
    # скобки
    "Компания (основана в 1998 г.) быстро росла. | Сейчас в ней 500 сотрудников.",
    "Мэр выступил коротко. | (Он ушёл рано.) | Заседание продолжилось.",
    "Цена (ок. 40 руб.) оказалась высокой. | Покупателей было мало.",
    # двоеточие, точка с запятой
    "Правило простое: приходи рано. | Уходи поздно.",
    "У него была одна цель; он хотел победить. | И он победил.",
    # ссылки и почта
    "Подробности на сайте https://example.ru/news?id=5. | Доступ бесплатный.",
    "Пишите на info@example.ru. | Мы ответим в течение дня.",
    "Об этом сообщает KP.ru. | Ранее KP.ru писал о другом.",
    # вопрос и восклицание
    "Это правда? | Да, правда!",
    "Что?! | Не может быть.",
    "Кто виноват?.. | Никто не знает.",
    # списки
    "Главное:\n| - цены выросли\n| - зарплаты упали",
    "1. Разогрейте духовку. | 2. Смешайте муку.",
    "Порядок такой:\n| • Откройте крышку.\n| • Налейте воду.",
    "Варианты:\n| а) первый;\n| б) второй.",
    "Он сказал: «Да». | Потом ушёл.",
    "— Нет, — ответил он. | — Не пойду.",
    # строчная буква после точки, латиница
    "Компания Hokuriku Electric Power Co. сообщила об отсутствии ущерба. | Проверка идёт.",
    "Об этом сообщил CNN. | Trump не ответил.",
    # слова, похожие на сокращения; единицы после чисел
    "Я позвонил им. | Они не ответили.",
    "Музей им. Пушкина открыт. | Вход платный.",
    "В память о нем. | Министр выступил первым.",
    "Длина 150x185 см. | Матрас жёсткий.",
    "Адрес: 350000, г. Краснодар, ул. Красная, 122. | Звоните.",
    "Обсуждение вёл канд. экон. наук Петров. | Он был краток.",
    "Каша на 200 г. | Хлеб отдельно.",
    # заголовок без точки
    "Шторм обрушился на побережье",
    "Срочно: рынки снова падают",
]


def _case(case: str) -> tuple[str, list[str]]:
    text = case.replace("|", "")
    gold = [piece.strip() for piece in case.split("|") if piece.strip()]
    return text, gold


def _check(text: str, lang: str) -> list[Sentence]:
    sentences = split_sentences(text, lang)
    for s in sentences:
        assert text[s.start:s.end] == s.text
        assert s.text == s.text.strip() and s.text
    assert [s.start for s in sentences] == sorted(s.start for s in sentences)
    return sentences


def test_case_tables_are_large_enough() -> None:
    assert len(EN) >= 60 and len(RU) >= 60


@pytest.mark.parametrize("case", EN)
def test_english(case: str) -> None:
    text, gold = _case(case)
    assert [s.text for s in _check(text, "en")] == gold


@pytest.mark.parametrize("case", RU)
def test_russian(case: str) -> None:
    text, gold = _case(case)
    assert [s.text for s in _check(text, "ru")] == gold


# One boundary per case, decided by the rule named: ``|`` where it splits, ``^`` where it joins.
RULE_CASES = [
    ("list_line", "en", "Key points:|\n- prices rose"),
    ("nothing_before", "en", "...^ and then he left."),
    ("paragraph_end", "en", "He left.|   "),
    ("closing_punctuation_next", "ru", "«Мы победили!^ » — заявил он."),
    ("dash_next", "ru", "«Стой!»^ — крикнул он."),
    ("dash_next", "en", "He was ready.| — Go, she said."),
    ("only_openers_next", "en", "He left.^ \"("),
    ("exclamation_then_lower_case", "en", "That was fun!| going to plant some stuff"),
    ("exclamation_then_lower_case", "en", "He works at Yahoo!^ and likes it."),
    ("lower_case_after_mark", "en", "\"Where to?\"^ he asked."),
    ("speech_attribution", "en", "\"Why?\"^ Smith asked."),
    ("speech_attribution", "ru", "«Вы куда?»^ Анна спросила."),
    ("question_or_exclamation", "ru", "Это правда?| Да."),
    ("stray_period", "en", "He left .| Then she came."),
    ("list_marker", "en", "1.^ Preheat the oven."),
    ("list_marker", "ru", "IV.^ Результаты"),
    ("lower_case_next", "en", "Talks between the U.S.^ and Canada ended."),
    ("lower_case_next", "en", "I flew a plane today.| data from the tracker looks fine."),
    ("number_next", "en", "He lives at No.^ 10 Downing Street."),
    ("number_next", "en", "The vote took place in 2019.| 56% of voters came."),
    ("title_or_inner", "en", "Mr.^ Smith came."),
    ("title_or_inner", "ru", "Он вернулся, т. к.^ Забыл ключи."),
    ("next_initial", "ru", "Указ подписал В.^ В. Путин."),
    ("ambiguous_or_initial", "en", "The U.S.^ Army said it would respond."),
    ("ambiguous_or_initial", "en", "The decision was made in the U.S.| She said so."),
    ("end_abbreviation", "en", "They bought apples, pears etc.| Then they went home."),
    ("end_abbreviation", "ru", "Сделка составила 10 млн долл.^ США."),
    ("plain_stop", "ru", "Доклад окончен.| Вопросов не было."),
]


@pytest.mark.parametrize("rule, lang, case", RULE_CASES)
def test_each_rule_decides_its_case(rule: str, lang: str, case: str) -> None:
    mark = "|" if "|" in case else "^"
    offset = case.index(mark)
    text = case.replace(mark, "")
    decisions = {d.offset: d for d in explain(text, lang) if d.rule != "blank_line"}
    assert offset in decisions, decisions
    assert (decisions[offset].rule, decisions[offset].split) == (rule, mark == "|")
    gold = [piece.strip() for piece in case.replace("^", "").split("|") if piece.strip()]
    assert [s.text for s in _check(text, lang)] == gold


def test_every_rule_has_a_case() -> None:
    assert set(RULE_NAMES) == {rule for rule, _lang, _case in RULE_CASES}


@pytest.mark.parametrize("lang, case", [("en", c) for c in EN] + [("ru", c) for c in RU])
def test_explain_splits_where_split_sentences_does(lang: str, case: str) -> None:
    text = case.replace("|", "")
    decisions = explain(text, lang)
    assert [d.offset for d in decisions] == sorted(d.offset for d in decisions)
    assert all(d.rule in RULE_NAMES or d.rule == "blank_line" for d in decisions)
    cuts = [0] + [d.offset for d in decisions if d.split] + [len(text)]
    pieces = [text[a:b].strip() for a, b in zip(cuts, cuts[1:])]
    assert [p for p in pieces if p] == [s.text for s in split_sentences(text, lang)]


def test_explain_guesses_the_language_as_split_sentences_does() -> None:
    text = "Доклад сделал проф. Иванов. Вопросов не было."
    assert explain(text) == explain(text, "ru") != explain(text, "en")


def test_explain_shows_blank_lines_and_list_lines() -> None:
    decisions = explain("One. Two\n\nThree:\n- four", "en")
    assert [(d.offset, d.rule, d.split, d.mark) for d in decisions] == [
        (4, "plain_stop", True, "."), (10, "blank_line", True, ""),
        (16, "list_line", True, "")]


@pytest.mark.parametrize("lang", LANGS)
def test_mark_after_a_long_run_of_spaces(lang: str) -> None:
    # the window before "!" holds only white space: no word before it to look at
    text = "Hi" + " " * 70 + "! go home"
    assert [s.text for s in _check(text, lang)] == [text]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("text", ["", " ", "\n\n\n", " \t\r\n \n"])
def test_empty_text_gives_no_sentences(text: str, lang: str) -> None:
    assert split_sentences(text, lang) == []


@pytest.mark.parametrize("lang", LANGS)
def test_blank_lines_are_hard_boundaries_and_number_paragraphs(lang: str) -> None:
    text = "\n\nFirst line without a stop\n\n  \nSecond one. Third one\ncontinues here.\r\n\r\nLast"
    sentences = _check(text, lang)
    assert [(s.text, s.paragraph) for s in sentences] == [
        ("First line without a stop", 0),
        ("Second one.", 1),
        ("Third one\ncontinues here.", 1),
        ("Last", 2),
    ]


def test_offsets_survive_leading_and_inner_white_space() -> None:
    text = "   Hello there.   General Kenobi!  \n\n\tBye."
    sentences = _check(text, "en")
    assert [(s.start, s.end, s.paragraph) for s in sentences] == [(3, 15, 0), (18, 33, 0),
                                                                  (38, 42, 1)]


@pytest.mark.parametrize("lang", LANGS)
def test_control_characters_are_kept_in_offsets(lang: str) -> None:
    text = "A\x00b\x01c. D\x1be\x7ff.\x0c\x0cG\x02."
    sentences = _check(text, lang)
    assert [(s.text, s.paragraph) for s in sentences] == [
        ("A\x00b\x01c.", 0), ("D\x1be\x7ff.", 0), ("G\x02.", 0)]


@pytest.mark.parametrize("lang", LANGS)
def test_long_unpunctuated_text_is_one_sentence(lang: str) -> None:
    text = "word " * 200_000
    sentences = split_sentences(text, lang)
    assert len(sentences) == 1 and sentences[0].end == len(text) - 1


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("text", ["." * 100_000, "a. " * 30_000, "\x00" * 50_000,
                                  "A. " * 30_000, "?!" * 50_000, "\n- " * 30_000])
def test_degenerate_text_is_segmented_consistently(text: str, lang: str) -> None:
    sentences = _check(text, lang)
    assert sentences == split_sentences(text, lang)


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        split_sentences("Hello.", "de")
    with pytest.raises(ValueError, match="unknown language"):
        explain("Hello.", "de")


@pytest.mark.parametrize("text, lang", [
    ("The cat sat on the mat. It was happy.", "en"),
    ("Кошка сидела на ковре. Ей было хорошо.", "ru"),
    ("Президент США Joe Biden заявил, что переговоры продолжатся.", "ru"),
    ("12345 !!!", "en"),
])
def test_detect_lang(text: str, lang: str) -> None:
    assert detect_lang(text) == lang
