"""Document pairing (align.docpair) and ``align docs`` on small generated archives."""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from align.cli import main
from align.docpair import (DocFile, DocumentError, find_documents, name_key, pair_documents,
                           prepare_document, read_document, text_lang)
from align.model import load_model

# Five short stories in both languages (headline, then paragraphs); each has its own names and
# numbers, as news does. Used to build archives with unrelated file names.
STORIES = [
    (["Flooding forces 3,000 people from their homes in Bavaria",
      "Heavy rain caused the Danube to burst its banks near Regensburg on Tuesday.",
      "Rescue teams evacuated about 3,000 residents, the regional government said.",
      "Forecasters expect the water level to fall by Friday."],
     ["Наводнение вынудило 3000 человек покинуть дома в Баварии",
      "Во вторник из-за сильных дождей Дунай вышел из берегов около Регенсбурга.",
      "Спасатели эвакуировали около 3000 жителей, сообщило правительство региона.",
      "Синоптики ожидают, что уровень воды снизится к пятнице."]),
    (["Apple reports record quarterly revenue of $124 billion",
      "The company said iPhone sales grew strongly in China and India.",
      "Chief executive Tim Cook called the results the best in Apple's history.",
      "Shares rose 2 percent in after-hours trading in New York."],
     ["Apple сообщила о рекордной квартальной выручке в 124 миллиарда долларов",
      "Компания сообщила, что продажи iPhone сильно выросли в Китае и Индии.",
      "Генеральный директор Тим Кук назвал результаты лучшими в истории Apple.",
      "Акции выросли на 2 процента на торгах после закрытия в Нью-Йорке."]),
    (["Chess champion Magnus Carlsen wins the tournament in Oslo",
      "Carlsen beat his rival in the final round after a five-hour game.",
      "It is his ninth victory at the event since 2012.",
      "The organisers said 40 players from 18 countries took part."],
     ["Чемпион по шахматам Магнус Карлсен выиграл турнир в Осло",
      "Карлсен обыграл соперника в последнем туре после пятичасовой партии.",
      "Это его девятая победа на турнире с 2012 года.",
      "Организаторы сообщили, что в турнире участвовали 40 шахматистов из 18 стран."]),
    (["Scientists find water ice near the Moon's south pole",
      "Data from the Chandrayaan probe show ice in several craters.",
      "The discovery could help future missions to build a base on the Moon.",
      "NASA plans to send astronauts there before 2030."],
     ["Учёные нашли водяной лёд у южного полюса Луны",
      "Данные зонда Chandrayaan показывают лёд в нескольких кратерах.",
      "Открытие может помочь будущим миссиям построить базу на Луне.",
      "НАСА планирует отправить туда астронавтов до 2030 года."]),
    (["Moscow metro opens eight new stations on the Big Circle Line",
      "The mayor Sergei Sobyanin opened the stations on Saturday morning.",
      "The line is 70 kilometres long and has 31 stations.",
      "Passengers will be able to use the stations from noon."],
     ["В московском метро открылись восемь новых станций Большой кольцевой линии",
      "Мэр Сергей Собянин открыл станции в субботу утром.",
      "Длина линии составляет 70 километров, на ней 31 станция.",
      "Пассажиры смогут пользоваться станциями с полудня."]),
]


def text(lines: list[str]) -> str:
    return "\n\n".join(lines) + "\n"


def make_archive(root: Path, stories=STORIES, seed: int = 0, *, en_only: int = 0,
                 ru_only: int = 0) -> set[tuple[str, str]]:
    """en/ and ru/ trees with random names; the first ``en_only`` stories only in English,
    the next ``ru_only`` only in Russian. Returns the gold pairs."""
    rng = random.Random(seed)
    names = iter(rng.sample(range(1000, 9999), 2 * len(stories)))
    gold = set()
    for k, (en, ru) in enumerate(stories):
        e = r = None
        if k >= en_only + ru_only or k < en_only:
            e = f"{next(names)}.txt"
            (root / "en").mkdir(parents=True, exist_ok=True)
            (root / "en" / e).write_text(text(en), encoding="utf-8")
        if k >= en_only:
            r = f"sub/{next(names)}.txt"
            (root / "ru" / "sub").mkdir(parents=True, exist_ok=True)
            (root / "ru" / r).write_bytes(text(ru).encode("cp1251" if k % 2 else "utf-16"))
        if e and r:
            gold.add((e, r))
    return gold


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def read_pairs(path: Path) -> list[tuple[str, str, float]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "en\tru\tscore"
    return [(a, b, float(s)) for a, b, s in (line.split("\t") for line in lines[1:])]


@pytest.mark.parametrize("name, key", [
    ("x.en.txt", "x.txt"), ("x.ru.txt", "x.txt"), ("en/x.txt", "x.txt"), ("ru/x.txt", "x.txt"),
    ("x_en.txt", "x.txt"), ("news/en/2023/a.txt", "news/2023/a.txt"), ("entry.txt", "entry.txt"),
    ("green.ru.html", "green.html"),
])
def test_name_key(name: str, key: str) -> None:
    assert name_key(name) == key


@pytest.mark.parametrize("sample, lang", [
    ("The quick brown fox jumps over the lazy dog.", "en"),
    ("Съешь же ещё этих мягких французских булок, да выпей чаю.", "ru"),
    ("Компания Apple выпустила iPhone 15 Pro Max в Москве сегодня.", "ru"),
    ("12 34", None),
])
def test_text_lang(sample: str, lang: str | None) -> None:
    assert text_lang(sample)[0] == lang


@pytest.mark.parametrize("data, problem", [
    (b"", "empty file"),
    (b"\x7fELF\x02\x01\x00" * 40, "binary"),
    ("12 345 678 km\n\n90 m\n".encode(), "too few letters"),
    (text(STORIES[0][0] + STORIES[0][1]).encode(), "English and Russian text in one file"),
    (text(STORIES[0][1]).encode(), "looks Russian, not English"),
])
def test_bad_documents(tmp_path: Path, data: bytes, problem: str) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(data)
    with pytest.raises(DocumentError, match=problem):
        read_document(DocFile(str(path), "doc.txt", "en"))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1251", "koi8-r"])
def test_read_document_encodings_and_site_line(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(text(["meduza.io", *STORIES[4][1]]).encode(encoding))
    doc = read_document(DocFile(str(path), "doc.txt"))
    assert doc.lang == "ru" and doc.source == "meduza.io"
    assert doc.headline == STORIES[4][1][0]
    assert doc.paragraphs == tuple(STORIES[4][1][1:])


def test_find_documents_recursive_and_sorted(tmp_path: Path) -> None:
    make_archive(tmp_path)
    (tmp_path / "ru" / ".hidden").write_text("x")
    found = find_documents([tmp_path / "ru"], "ru")
    assert [d.name for d in found] == sorted(d.name for d in found)
    assert all(d.name.startswith("sub/") and d.lang == "ru" for d in found)


def prepared(root: Path):
    model = load_model()
    items = find_documents([root / "en"], "en") + find_documents([root / "ru"], "ru")
    docs = [prepare_document(model, read_document(i)) for i in items]
    return model, [d for d in docs if d.lang == "en"], [d for d in docs if d.lang == "ru"]


@pytest.mark.parametrize("en_only, ru_only", [(0, 0), (1, 0), (0, 2), (1, 1)])
def test_pair_documents(tmp_path: Path, en_only: int, ru_only: int) -> None:
    gold = make_archive(tmp_path, en_only=en_only, ru_only=ru_only)
    model, en, ru = prepared(tmp_path)
    pairing = pair_documents(model, en, ru)
    assert {(p.en, p.ru) for p in pairing.pairs} == gold
    assert all(0.5 <= p.score <= 1 for p in pairing.pairs)
    assert len(pairing.unpaired) == en_only + ru_only
    assert [p.en for p in pairing.pairs] == sorted(p.en for p in pairing.pairs)


def test_cli_docs(tmp_path: Path) -> None:
    gold = make_archive(tmp_path / "a", en_only=1, ru_only=1)
    out, lone = tmp_path / "pairs.tsv", tmp_path / "unpaired.tsv"
    result = run("docs", str(tmp_path / "a" / "en"), str(tmp_path / "a" / "ru"), "-o", str(out),
                 "--unpaired", str(lone), "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert {(a, b) for a, b, _ in read_pairs(out)} == gold
    assert "5 English and 4 Russian documents" not in result.stderr
    assert "4 English and 4 Russian documents, 3 pairs, 2 unpaired, 0 skipped" in result.stderr
    lines = lone.read_text().splitlines()
    assert lines[0] == "lang\tpath\tbest" and [line.split("\t")[0] for line in lines[1:]] == \
        ["en", "ru"]
    # the same bytes again, and with two workers
    again = tmp_path / "again.tsv"
    assert run("docs", str(tmp_path / "a" / "en"), str(tmp_path / "a" / "ru"), "-o",
               str(again), "--jobs", "2").exit_code == 0
    assert again.read_bytes() == out.read_bytes()


def test_cli_docs_mixed_directory_and_bad_files(tmp_path: Path) -> None:
    gold = make_archive(tmp_path / "a")
    mixed = tmp_path / "mixed"
    for lang in ("en", "ru"):
        for path in (tmp_path / "a" / lang).rglob("*.txt"):
            target = mixed / lang[0] / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    (mixed / "empty.txt").write_bytes(b"")
    (mixed / "bilingual.txt").write_text(text(STORIES[1][0] + STORIES[1][1]))
    out = tmp_path / "pairs.tsv"
    result = run("docs", str(mixed), "-o", str(out), "--jobs", "1")
    assert result.exit_code == 1
    assert "empty.txt: empty file" in result.stderr
    assert "bilingual.txt: English and Russian text in one file" in result.stderr
    assert "2 skipped" in result.stderr
    want = {(f"e/{a}", f"r/{Path(b).name}") for a, b in gold}
    assert {(a, b) for a, b, _ in read_pairs(out)} == want


def test_cli_docs_one_language_only_is_an_error(tmp_path: Path) -> None:
    make_archive(tmp_path)
    out = tmp_path / "pairs.tsv"
    result = run("docs", str(tmp_path / "en"), str(tmp_path / "en"), "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr.count("looks English, not Russian") == 5
    assert "Error:" in result.stderr and "no Russian documents" in result.stderr
    assert not out.exists()


def test_cli_docs_by_name(tmp_path: Path) -> None:
    for k, (en, ru) in enumerate(STORIES[:3]):
        (tmp_path / "en").mkdir(exist_ok=True)
        (tmp_path / "ru").mkdir(exist_ok=True)
        (tmp_path / "en" / f"s{k}.txt").write_text(text(en))
        # names crossed on purpose for story 0 and 1: --by-name trusts the names
        (tmp_path / "ru" / f"s{[1, 0, 2][k]}.txt").write_text(text(ru))
    out = tmp_path / "pairs.tsv"
    assert run("docs", str(tmp_path / "en"), str(tmp_path / "ru"), "-o", str(out)).exit_code == 0
    assert [(a, b) for a, b, _ in read_pairs(out)] == [("s0.txt", "s1.txt"),
                                                        ("s1.txt", "s0.txt"),
                                                        ("s2.txt", "s2.txt")]
    assert run("docs", str(tmp_path / "en"), str(tmp_path / "ru"), "-o", str(out),
               "--by-name").exit_code == 0
    pairs = read_pairs(out)
    assert [(a, b) for a, b, _ in pairs] == [(f"s{k}.txt", f"s{k}.txt") for k in range(3)]
    assert pairs[0][2] < 0.5 < pairs[2][2]  # the content score still says which is doubtful


def test_cli_corpus_en_ru(tmp_path: Path) -> None:
    import json

    gold = make_archive(tmp_path / "a", en_only=1)
    out = tmp_path / "corpus.jsonl"
    result = run("corpus", "--en", str(tmp_path / "a" / "en"), "--ru", str(tmp_path / "a" / "ru"),
                 "-o", str(out), "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert "4 document pairs (1 documents unpaired)" in result.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    docs = {r["doc"] for r in records}
    assert docs == {f"{e}|{r}" for e, r in gold}
    heads = [r for r in records if r["kind"] == "headline"]
    assert len(heads) == 4 and all(float(r["props"]["docpair_score"]) >= 0.5 for r in heads)
    by_en = {r["translation"]["en"]: r["translation"]["ru"] for r in records}
    for en, ru in STORIES[1:]:
        assert by_en[en[0]] == ru[0]  # the headline pair
        assert by_en[en[2]] == ru[2]  # a body sentence
    bodies = [r for r in records if r["kind"] == "body"]
    assert len(bodies) == 12


def test_cli_corpus_en_ru_usage(tmp_path: Path) -> None:
    make_archive(tmp_path)
    result = run("corpus", "--en", str(tmp_path / "en"), "-o", str(tmp_path / "c.tsv"))
    assert result.exit_code == 2 and "--en EN_INPUT and --ru RU_INPUT" in result.output
    result = run("corpus", "-o", str(tmp_path / "c.tsv"))
    assert result.exit_code == 2
