"""align.clean.dedupe: exact (normalised) and near-duplicate detection, deterministic."""
from __future__ import annotations

import pytest

from align.clean.dedupe import Dedupe, fold, normalised_key, shingles


@pytest.mark.parametrize("a, b, same", [
    (("Hello, world!", "Привет, мир!"), ("hello world", "«Привет» мир"), True),
    (("Won 300 votes", "300 голосов"), ("Won 301 votes", "301 голос"), False),
    (("Won 300 votes", "300 голосов"), ("Won 999 votes", "999 голосов"), True),
    (("a", "bc"), ("ab", "c"), False),
    (("Hello", "Привет"), ("Hello", "Пока"), False),
])
def test_normalised_key(a: tuple[str, str], b: tuple[str, str], same: bool) -> None:
    assert (normalised_key(*a) == normalised_key(*b)) is same


def test_fold() -> None:
    assert fold(" «Ёлка» — 2019!  ") == "ёлка0000".encode()
    assert fold("A_b\u00a0c") == b"abc"
    assert fold("“Quoted” – 'text'…") == fold("quoted text")


def test_dedupe_keeps_first_and_names_it() -> None:
    seen = Dedupe()
    assert seen.first("Hi!", "Привет!", 1) is None
    assert seen.first("hi", "привет", 2) == 1
    assert seen.first("Bye", "Пока", 3) is None
    assert seen.first("bye.", "пока.", 4) == 3


def test_shingles_keep_sides_apart() -> None:
    assert shingles("a b", "a b") == {b"e:ab", b"r:ab"}
    assert shingles("Hello, world", "") == {b"e:hello", b"e:ellow", b"e:llowo", b"e:lowor",
                                            b"e:oworl", b"e:world", b"r:"}


datasketch = pytest.importorskip("datasketch", reason="the 'clean' extra (datasketch) is missing")

BASE = ("The government said on Monday that it would raise taxes on tobacco next year",
        "Правительство заявило в понедельник, что в следующем году повысит налоги на табак")


def test_near_duplicates_keep_the_best_scored() -> None:
    from align.clean.dedupe import near_duplicate_losers

    items = [
        (1, *BASE, 0.5),
        (2, "Completely different sentence about football and the cup final", "Футбол", 0.9),
        (3, BASE[0] + "!", BASE[1] + ", сообщает агентство", 0.8),
        (4, BASE[0], BASE[1], None),
    ]
    assert near_duplicate_losers(items) == {1: 3, 4: 3}


def test_near_duplicates_tie_keeps_the_first_and_is_deterministic() -> None:
    from align.clean.dedupe import near_duplicate_losers

    items = [(n, BASE[0] + " " * n, BASE[1], 0.5) for n in range(1, 4)]
    assert near_duplicate_losers(items) == {2: 1, 3: 1}
    assert near_duplicate_losers(items) == near_duplicate_losers(list(items))


def test_near_duplicates_threshold() -> None:
    from align.clean.dedupe import near_duplicate_losers

    other = ("The government said on Tuesday that it would cut taxes on petrol this year",
             "Правительство заявило во вторник, что в этом году снизит налоги на бензин")
    assert near_duplicate_losers([(1, *BASE, 0.5), (2, *other, 0.6)]) == {}
