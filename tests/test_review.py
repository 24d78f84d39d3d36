"""``align review``: the page's data, decisions applied back, and bad decisions refused.

The page itself is driven in a real browser in ``test_review_browser.py``; here the decisions
files are written by hand, in the format the page exports.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from align.beads import read_beads
from align.cli import main
from align.formats import FORMATS
from align.review import apply_decisions, load_bead_file, load_corpus, render_page
from align.review.decisions import FORMAT, parse_decisions, reviewed_pairs
from align.review.page import script_json
from align.types import Pair

# Two documents; bead 1 is a 2-1 (two English sentences joined by the aligner), bead 3 has no
# Russian side, bead 4 starts document b.
PAIRS = [
    Pair("The storm hit the coast.", "Шторм обрушился на побережье.", 0.98, "sentence", "a"),
    Pair("Roads were closed. Schools too.", "Дороги и школы закрыли.", 0.41, "sentence", "a"),
    Pair("Power was cut.", "Отключили свет.", 0.62, "sentence", "a"),
    Pair("A footnote.", "", 0.55, "sentence", "a", {"note": "x"}),
    Pair("Rain is expected.", "Ожидается дождь.", 0.97, "sentence", "b"),
]


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "in.jsonl"
    FORMATS["jsonl"].write(PAIRS, path)
    return path


def decisions_for(source: Any, *items: dict[str, Any]) -> dict[str, Any]:
    return {"format": FORMAT, "version": 1, "input": source.name, "sha256": source.sha256,
            "beads": len(source.beads), "decisions": list(items)}


def bead(en: list[int], ru: list[int], status: str = "edited") -> dict[str, Any]:
    return {"en": en, "ru": ru, "status": status}


def apply(source: Any, *items: dict[str, Any]) -> list[Pair]:
    decisions = parse_decisions(decisions_for(source, *items), "d.json")
    return list(reviewed_pairs(source, apply_decisions(source, decisions)))


def test_corpus_pairs_are_split_back_into_sentences(corpus: Path) -> None:
    source = load_corpus(corpus)
    assert source.en == ("The storm hit the coast.", "Roads were closed.", "Schools too.",
                         "Power was cut.", "A footnote.", "Rain is expected.")
    assert len(source.ru) == 4
    assert [(list(b.en), list(b.ru), b.group) for b in source.beads] == [
        ([0], [0], 0), ([1, 2], [1], 0), ([3], [2], 0), ([4], [], 0), ([5], [3], 1)]


def test_no_decisions_give_the_input_back(corpus: Path) -> None:
    source = load_corpus(corpus)
    assert apply(source) == PAIRS


@pytest.mark.parametrize("items,want", [
    # accept: the pair as it was, confirmed
    ([{"beads": [0], "into": [bead([0], [0], "accepted")]}],
     [("The storm hit the coast.", "Шторм обрушился на побережье.", 1.0, "accepted")]),
    # reject: the pair is dropped, its sentences left without a counterpart
    ([{"beads": [2], "into": [bead([3], [], "rejected"), bead([], [2], "rejected")]}],
     [("Power was cut.", "", 1.0, "rejected"), ("", "Отключили свет.", 1.0, "rejected")]),
    # split the 2-1 bead and give its second sentence no counterpart
    ([{"beads": [1], "into": [bead([1], [1]), bead([2], [])]}],
     [("Roads were closed.", "Дороги и школы закрыли.", 1.0, "edited"),
      ("Schools too.", "", 1.0, "edited")]),
    # merge two beads; move the footnote into the bead before it
    ([{"beads": [1, 2, 3], "into": [bead([1, 2, 3, 4], [1, 2])]}],
     [("Roads were closed. Schools too. Power was cut. A footnote.",
       "Дороги и школы закрыли. Отключили свет.", 1.0, "edited")]),
])
def test_decisions_change_only_their_beads(corpus: Path, items: list[dict[str, Any]],
                                           want: list[tuple[Any, ...]]) -> None:
    source = load_corpus(corpus)
    got = apply(source, *items)
    first = items[0]["beads"][0]
    changed = got[first:first + len(want)]
    assert [(p.en, p.ru, p.score, p.props.get("review")) for p in changed] == want
    assert all(p.doc == "a" and p.kind == "sentence" for p in changed)
    rest = got[:first] + got[first + len(want):]
    assert rest == [p for i, p in enumerate(PAIRS) if i not in items[0]["beads"]]
    # every sentence still in exactly one pair, in order
    assert " ".join(p.en for p in got if p.en).split() == " ".join(
        p.en for p in PAIRS if p.en).split()
    assert " ".join(p.ru for p in got if p.ru).split() == " ".join(
        p.ru for p in PAIRS if p.ru).split()


def test_new_beads_keep_their_groups_properties(corpus: Path) -> None:
    source = load_corpus(corpus)
    got = apply(source, {"beads": [3], "into": [bead([4], [], "accepted")]})
    assert got[3].props == {"note": "x", "review": "accepted"}


def test_cli_applies_decisions_to_any_format(corpus: Path, tmp_path: Path) -> None:
    source = load_corpus(corpus)
    decisions = tmp_path / "d.json"
    decisions.write_text(json.dumps(decisions_for(
        source, {"beads": [1], "into": [bead([1], [1], "accepted"), bead([2], [])]})))
    out = tmp_path / "out.tsv"
    result = run("review", "--apply", str(decisions), str(corpus), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "1 decision applied (1 accepted, 1 edited beads); 6 pairs written" in result.stderr
    rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()[1:]]
    assert [r[:3] for r in rows[1:3]] == [["Roads were closed.", "Дороги и школы закрыли.",
                                           "1.0000"], ["Schools too.", "", "1.0000"]]
    # the same decisions fit the same content in another format
    tsv = tmp_path / "in.tsv"
    FORMATS["tsv"].write(PAIRS, tsv)
    again = tmp_path / "again.tsv"
    assert run("review", "--apply", str(decisions), str(tsv), "-o", str(again)).exit_code == 0
    assert again.read_bytes() == out.read_bytes()


@pytest.fixture
def bead_input(tmp_path: Path) -> tuple[Path, Path, Path]:
    en, ru, align = tmp_path / "doc.en", tmp_path / "doc.ru", tmp_path / "doc.align"
    en.write_text("One.\nTwo.\nThree.\n", encoding="utf-8")
    ru.write_text("Один.\nДва и три.\n", encoding="utf-8")
    align.write_text("[0]:[0]:0.9900\n[1]:[1]:0.5000\n[2]:[]:0.4000\n", encoding="utf-8")
    return align, en, ru


def test_bead_file_review_and_apply(bead_input: tuple[Path, Path, Path],
                                    tmp_path: Path) -> None:
    align, en, ru = bead_input
    source = load_bead_file(align, en, ru)
    decisions = tmp_path / "d.json"
    decisions.write_text(json.dumps(decisions_for(
        source, {"beads": [1, 2], "into": [bead([1, 2], [1])]})))
    out = tmp_path / "fixed.align"
    result = run("review", "--apply", str(decisions), str(align), "--en", str(en), "--ru",
                 str(ru), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text() == "[0]:[0]:0.9900\n[1, 2]:[1]:1.0000\n"
    page = tmp_path / "doc.html"
    result = run("review", str(align), "--en", str(en), "--ru", str(ru), "-o", str(page))
    assert result.exit_code == 0, result.output
    assert "3 beads (2 links, 1 without a counterpart, 2 below 0.9)" in result.stderr
    assert [b.src for b in read_beads(out)] == [(0,), (1, 2)]


def test_a_gold_file_has_no_scores_and_stays_gold(bead_input: tuple[Path, Path, Path],
                                                  tmp_path: Path) -> None:
    align, en, ru = bead_input
    align.write_text("[0]:[0]\n[1]:[1]\n[2]:[]\n", encoding="utf-8")
    source = load_bead_file(align, en, ru)
    assert [b.score for b in source.beads] == [None, None, None]
    decisions = tmp_path / "d.json"
    decisions.write_text(json.dumps(decisions_for(
        source, {"beads": [0], "into": [bead([0], [0], "accepted")]})))
    out = tmp_path / "fixed.gold"
    assert run("review", "--apply", str(decisions), str(align), "--en", str(en), "--ru",
               str(ru), "-o", str(out)).exit_code == 0
    assert out.read_text() == "[0]:[0]\n[1]:[1]\n[2]:[]\n"


def good(source: Any) -> dict[str, Any]:
    return decisions_for(source, {"beads": [1], "into": [bead([1], [1]), bead([2], [])]})


def edited(change: Any) -> Any:
    def make(source: Any) -> Any:
        data = good(source)
        change(data)
        return data
    return make


BAD = [
    ("another input", edited(lambda d: d.update(sha256="0" * 64)),
     "these decisions are for another input"),
    ("not json", lambda s: "{decisions: 1}", "not valid JSON"),
    ("truncated", lambda s: json.dumps(good(s))[:-25], "truncated"),
    ("empty", lambda s: "", "empty decisions file"),
    ("not ours", lambda s: {"decisions": []}, "not a decisions file of align review"),
    ("version", edited(lambda d: d.update(version=7)), "decisions version 7"),
    ("sentence lost", edited(lambda d: d["decisions"][0]["into"].pop()),
     "every sentence must stay in exactly one bead"),
    ("sentence twice", edited(lambda d: d["decisions"][0]["into"].append(bead([2], []))),
     "every sentence must stay in exactly one bead"),
    ("reordered", edited(lambda d: d["decisions"][0].update(into=[bead([2], []),
                                                                  bead([1], [1])])),
     "every sentence must stay in exactly one bead"),
    ("overlap", edited(lambda d: d["decisions"].append(
        {"beads": [1, 2], "into": [bead([1, 2, 3], [1, 2])]})), "is in another decision"),
    ("across documents", edited(lambda d: d.update(decisions=[
        {"beads": [3, 4], "into": [bead([4, 5], [3])]}])), "different documents"),
    ("no such bead", edited(lambda d: d["decisions"][0].update(beads=[9])),
     "bead 9 does not exist"),
    ("gap in beads", edited(lambda d: d["decisions"][0].update(beads=[1, 3])),
     "must be consecutive"),
    ("bad status", edited(lambda d: d["decisions"][0]["into"][0].update(status="maybe")),
     "status 'maybe'"),
    ("empty bead", edited(lambda d: d["decisions"][0]["into"].append(bead([], []))),
     "a bead with no sentence"),
    ("not a number", edited(lambda d: d["decisions"][0]["into"][0].update(en=["1"])),
     "must be a list of sentence or bead numbers"),
]


@pytest.mark.parametrize("make,message", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_decisions_are_one_line_and_write_nothing(corpus: Path, tmp_path: Path,
                                                      make: Any, message: str) -> None:
    data = make(load_corpus(corpus))
    decisions = tmp_path / "d.json"
    decisions.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    out = tmp_path / "out.tsv"
    result = run("review", "--apply", str(decisions), str(corpus), "-o", str(out))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {decisions}") and message in lines[0]
    assert not out.exists()


def test_the_good_decisions_of_the_bad_table_apply(corpus: Path) -> None:
    source = load_corpus(corpus)
    assert len(apply(source, *good(source)["decisions"])) == 6


def test_usage_errors(corpus: Path, bead_input: tuple[Path, Path, Path], tmp_path: Path) -> None:
    align, en, ru = bead_input
    assert run("review", str(corpus), "-o", str(tmp_path / "x.tsv")).exit_code == 2
    assert run("review", str(align), "-o", str(tmp_path / "x.html")).exit_code == 2
    assert run("review", str(align), "--en", str(en), "-o", str(tmp_path / "x.html")
               ).exit_code == 2
    assert run("review", "--apply", "d.json", str(corpus), "-o", str(tmp_path / "x.align")
               ).exit_code == 2


def test_bead_file_that_does_not_fit_its_sentences(bead_input: tuple[Path, Path, Path],
                                                   tmp_path: Path) -> None:
    align, en, ru = bead_input
    en.write_text("One.\nTwo.\n", encoding="utf-8")
    result = run("review", str(align), "--en", str(en), "--ru", str(ru), "-o",
                 str(tmp_path / "x.html"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {align}: not an alignment of the sentence files")


HOSTILE = '<img src=x onerror="window.__x=1"> </script><script>window.__x=2</script> &amp; \u2028'


def test_page_is_self_contained_and_carries_text_only_as_data(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    FORMATS["jsonl"].write([Pair(HOSTILE, "Текст.", 0.3, "sentence", "</title><b>")], path)
    source = load_corpus(path)
    page = render_page(source)
    assert page == render_page(load_corpus(path))           # same input, same bytes
    assert "<img" not in page and "window.__x" not in page.split("</style>")[0]
    assert page.count("</script>") == 2 and page.count("<script") == 2
    assert "http://" not in page and "https://" not in page
    assert "default-src 'none'" in page
    data = page.split('id="review-data">', 1)[1].split("</script>", 1)[0]
    assert json.loads(data)["en"][0].startswith(HOSTILE.split(" ")[0])
    assert source.sha256 in data
    assert json.loads(script_json(["</script>&<!--"])) == ["</script>&<!--"]


@pytest.mark.parametrize("text", [
    "One sentence without a stop", "  Padded.  ", "Two. Sentences.", "Hi.\u00a0There",
    "Он сказал.» Потом ушёл.", "x?)\tY", "One\nTwo", "A\n\nB", "Mr. Smith came.", "A (b.) C",
    "Line\u2028break", "Dots… and more", "No.5 is here", "",
])
def test_sides_are_split_as_the_splitter_splits(text: str) -> None:
    from align.review.source import _sentences
    from align.segment import split_sentences

    for lang in ("en", "ru"):
        assert _sentences(text, lang) == [s.text for s in split_sentences(text, lang)]


def test_tmx_units_the_reader_skips_are_reported(tmp_path: Path) -> None:
    tmx = tmp_path / "in.tmx"
    tmx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en" '
        'datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="x" creationtool="t" '
        'creationtoolversion="1"/><body>'
        '<tu><tuv xml:lang="en"><seg>One.</seg></tuv><tuv xml:lang="ru"><seg>Один.</seg></tuv></tu>'
        '<tu><tuv xml:lang="en"><seg>Only English.</seg></tuv></tu>'
        '</body></tmx>\n', encoding="utf-8")
    result = run("review", str(tmx), "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 0, result.output
    assert f"Warning: {tmx}: skipped 1 unit: " in result.stderr
    assert "1 bead (1 link" in result.stderr


def run_in(stdin_file: Path, *args: str) -> Any:
    return CliRunner().invoke(main, list(args), input=stdin_file.read_bytes(),
                              catch_exceptions=False)


# (--en - works too, but the English file's name is the group's 'doc', and so part of what
# the decisions must match: see test_dash_english_file_is_doc_dash.)
@pytest.mark.parametrize("dash", ["INPUT", "--ru", "--apply"])
def test_dash_reads_stdin(bead_input: tuple[Path, Path, Path], tmp_path: Path,
                          dash: str) -> None:
    # '-' for one input gives what the file gives: the page, and the decisions applied.
    align, en, ru = bead_input
    decisions = tmp_path / "d.json"
    decisions.write_text(json.dumps(decisions_for(
        load_bead_file(align, en, ru), {"beads": [1, 2], "into": [bead([1, 2], [1])]})))
    files = {"INPUT": align, "--en": en, "--ru": ru, "--apply": decisions}

    def args(stdin: str | None, out: str) -> list[str]:
        named = {k: "-" if k == stdin else str(v) for k, v in files.items()}
        apply = ["--apply", named["--apply"]] if out.endswith(".align") else []
        return ["review", *apply, named["INPUT"], "--en", named["--en"], "--ru", named["--ru"],
                "-o", str(tmp_path / out)]

    for out in ("page.html", "fixed.align"):
        if dash == "--apply" and out == "page.html":
            continue
        assert run(*args(None, "file-" + out)).exit_code == 0
        result = run_in(files[dash], *args(dash, out))
        assert result.exit_code == 0, result.output
        want = (tmp_path / ("file-" + out)).read_text(encoding="utf-8")
        if dash == "INPUT" and out == "page.html":
            want = want.replace("doc.align", "standard input")  # the page names its input
        assert (tmp_path / out).read_text(encoding="utf-8") == want


def test_dash_corpus_needs_from_and_stdin_is_read_once(corpus: Path, bead_input: tuple[
        Path, Path, Path], tmp_path: Path) -> None:
    page = str(tmp_path / "p.html")
    result = run_in(corpus, "review", "-", "-o", page)
    assert result.exit_code == 2 and "-: cannot tell the format" in result.stderr
    assert result.stderr.rstrip().endswith("use --from")
    result = run_in(corpus, "review", "-", "--from", "jsonl", "-o", page)
    assert result.exit_code == 0, result.output
    assert "<title>Review: standard input</title>" in Path(page).read_text(encoding="utf-8")
    align, en, _ru = bead_input
    result = run_in(align, "review", "-", "--en", str(en), "--ru", "-", "-o", page)
    assert result.exit_code == 2 and "can be read only once" in result.stderr


def test_dash_english_file_is_doc_dash(bead_input: tuple[Path, Path, Path],
                                       tmp_path: Path) -> None:
    # As in 'align text - RU', the document read from standard input is named '-'.
    align, en, ru = bead_input
    page = tmp_path / "p.html"
    result = run_in(en, "review", str(align), "--en", "-", "--ru", str(ru), "-o", str(page))
    assert result.exit_code == 0, result.output
    assert '"en":["One.","Two.","Three."]' in page.read_text(encoding="utf-8")
    assert '"groups":[{"doc":"-","kind":"sentence"}]' in page.read_text(encoding="utf-8")
