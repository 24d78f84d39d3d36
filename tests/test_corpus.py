"""Corpus building: headline pairs, body alignment, input discovery."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from align.article import parse_article_text
from align.corpus import (DocResult, DocSummary, Scorer, alignment_pairs, article_pairs,
                          find_articles)
from align.errors import InputError
from align.types import Alignment, Bead, Pair, Sentence

BILINGUAL = """meduza.io

Trump met Putin in Helsinki

Трамп встретился с Путиным в Хельсинки

The two leaders talked for two hours. They discussed Syria and Ukraine.

Journalists were not allowed into the room. Photo: AP

Лидеры двух стран говорили два часа. Они обсудили Сирию и Украину.

Журналистов в зал не пустили.
"""


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    return Scorer.load()


def test_headline_only_without_scorer() -> None:
    article = parse_article_text(BILINGUAL, "bi.txt")
    pairs = article_pairs(article, "bi.txt")
    assert [(p.kind, p.score) for p in pairs] == [("headline", None)]
    assert pairs[0].props == {"source": "meduza.io"}


def test_bilingual_body_is_aligned(scorer: Scorer) -> None:
    article = parse_article_text(BILINGUAL, "bi.txt")
    pairs = article_pairs(article, "bi.txt", scorer)
    assert pairs[0].kind == "headline" and 0.5 < pairs[0].score <= 1
    body = [(p.en, p.ru) for p in pairs if p.kind == "body"]
    assert body == [
        ("The two leaders talked for two hours.", "Лидеры двух стран говорили два часа."),
        ("They discussed Syria and Ukraine.", "Они обсудили Сирию и Украину."),
        ("Journalists were not allowed into the room.", "Журналистов в зал не пустили."),
    ]
    assert all(0 <= p.score <= 1 for p in pairs)
    with_unaligned = article_pairs(article, "bi.txt", scorer, unaligned=True)
    assert ("Photo: AP", "") in [(p.en, p.ru) for p in with_unaligned]


def test_one_language_body_gives_headline_only(scorer: Scorer) -> None:
    seed = Path(__file__).resolve().parents[1] / "seeds" / "000_ef9d5f30e115329a.txt"
    from align.article import read_article

    pairs = article_pairs(read_article(seed), seed.name, scorer)
    assert [p.kind for p in pairs] == ["headline"]


def test_alignment_pairs_joins_merged_sentences() -> None:
    src = [Sentence("A.", 0, 2), Sentence("B.", 3, 5)]
    tgt = [Sentence("АБ.", 0, 3), Sentence("В.", 4, 6)]
    alignment = Alignment(src, tgt, [Bead((0, 1), (0,), 0.9), Bead((), (1,), 0.8)])
    assert [(p.en, p.ru, p.score) for p in alignment_pairs(alignment, "body", "d")] == [
        ("A. B.", "АБ.", 0.9)]
    assert len(list(alignment_pairs(alignment, "body", "d", unaligned=True))) == 2


def test_find_articles(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    for name in ("z.txt", "a.txt", "b/c.txt", "b/d.md"):
        (tmp_path / name).write_text("x")
    docs = find_articles([tmp_path, tmp_path / "z.txt"])
    assert [d.name for d in docs] == ["a.txt", "b/c.txt", "z.txt", "z.txt"]
    with pytest.raises(InputError):
        find_articles([tmp_path / "missing"])


@pytest.mark.parametrize("result", [
    DocResult("a.txt"),
    DocResult("b.en", (Pair("A.", "А."),), ("b.en: a warning",), sentences=(3, 2), links=1),
    DocResult("c.txt", error="no headlines"),
])
def test_a_summary_survives_a_shard_manifest(result: DocResult) -> None:
    # What a resumed run reports of the inputs done before is what the first run reported.
    summary = result.summary()
    assert summary.pairs == len(result.pairs) and summary.error == result.error
    record = json.loads(json.dumps(summary.to_json()))
    assert DocSummary.from_json(record) == summary
