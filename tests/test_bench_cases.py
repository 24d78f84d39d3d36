"""benchmarks/make_cases.py: cases in the dev benchmark's layout from source documents."""
from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import make_cases  # noqa: E402
from align.beads import read_beads  # noqa: E402
from align.fileio import read_text_lines  # noqa: E402

EN = ["The mayor opened the bridge. It took two years to build.",
      "Traffic will start on Monday.", "Tolls are free for a month. Then they rise. A lot."]
RU = ["Мэр открыл мост. Его строили два года.",
      "Движение откроют в понедельник.", "Первый месяц проезд бесплатный. Потом цена вырастет."]


def write_docs(path: Path, count: int) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"set": "wmt24.en-ru", "doc_id": "canary", "domain": "canary",
                             "en": ["x"], "ru": ["x"]}) + "\n")
        for k in range(count):
            fh.write(json.dumps({"set": "wmt24.en-ru", "doc_id": f"news/{k}", "domain": "news",
                                 "en": EN * 6, "ru": RU * 6}) + "\n")
    return path


def build(tmp_path: Path, out: str, unit: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    docs = write_docs(tmp_path / "docs.jsonl.gz", 12)
    monkeypatch.setattr(sys, "argv", ["make_cases.py", str(tmp_path / out), "--docs", str(docs),
                                      "--unit", unit])
    make_cases.main()
    return tmp_path / out / "wmt24"


@pytest.mark.parametrize("sentences, expected", [
    ((["It rains.", "We stay."], ["Идёт дождь.", "Мы дома."]),
     [(["It rains."], ["Идёт дождь."]), (["We stay."], ["Мы дома."])]),
    ((["It rains. We stay home."], ["Идёт дождь. Мы дома."]),
     [(["It rains."], ["Идёт дождь."]), (["We stay home."], ["Мы дома."])]),
    ((["It rains. We stay home. Then we read."], ["Идёт дождь, мы дома. Читаем."]),
     [(["It rains.", "We stay home.", "Then we read."], ["Идёт дождь, мы дома.", "Читаем."])]),
    ((["Tolls rise."], [""]), [(["Tolls rise."], [])]),
])
def test_natural_units_follow_the_gold_convention(sentences, expected) -> None:
    en, ru = sentences
    assert make_cases.natural_units({"en": en, "ru": ru}, "sentence") == expected


def test_segment_units_keep_each_segment_on_one_line() -> None:
    doc = {"en": ["It rains.\nWe  stay home.", "Tolls rise."], "ru": ["Идёт дождь, мы дома.", ""]}
    assert make_cases.natural_units(doc, "segment") == [
        (["It rains. We stay home."], ["Идёт дождь, мы дома."]), (["Tolls rise."], [])]


def test_split_units_give_exact_one_to_many_gold() -> None:
    """--unit split: a segment with one sentence on a side is split (exact 1-1/1-2/2-1 gold);
    a segment with several sentences on both sides stays one line a side."""
    doc = {"en": ["It rained all day, so we stayed home.", "It rains. We stay home.",
                  "One. Two. Three.", "Tolls rise."],
           "ru": ["Весь день шёл дождь. Мы остались дома.", "Идёт дождь, мы дома.",
                  "Раз. Два.", ""]}
    assert make_cases.natural_units(doc, "split") == [
        (["It rained all day, so we stayed home."],
         ["Весь день шёл дождь.", "Мы остались дома."]),
        (["It rains.", "We stay home."], ["Идёт дождь, мы дома."]),
        (["One. Two. Three."], ["Раз. Два."]), (["Tolls rise."], [])]


@pytest.mark.parametrize("unit", ["segment", "sentence", "split"])
def test_cases_cover_every_line_once_and_are_deterministic(
        tmp_path: Path, unit: str, monkeypatch: pytest.MonkeyPatch) -> None:
    root = build(tmp_path, "a", unit, monkeypatch)
    assert sorted(p.name for p in root.iterdir()) == ["abridged", "hard", "long", "natural"]
    assert len(list((root / "natural").glob("*.gold"))) == 12  # the canary is left out
    unlinked = 0
    for gold_path in root.glob("*/*.gold"):
        base = gold_path.with_suffix("")
        en = read_text_lines(f"{base}.en")
        ru = read_text_lines(f"{base}.ru")
        gold = read_beads(gold_path)
        assert sorted(i for b in gold for i in b.src) == list(range(len(en)))
        assert sorted(j for b in gold for j in b.tgt) == list(range(len(ru)))
        unlinked += sum(not (b.src and b.tgt) for b in gold)
        if gold_path.parent.name == "natural":
            assert all(b.src and b.tgt for b in gold)
    assert unlinked > 0  # hard and abridged drop sentences
    again = build(tmp_path, "b", unit, monkeypatch)
    for path in root.glob("*/*"):
        assert path.read_bytes() == (again / path.relative_to(root)).read_bytes()
