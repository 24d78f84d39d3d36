"""``align score``: sacrebleu's numbers through the CLI, and one clear error line for bad input."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner
from sacrebleu.metrics import BLEU, CHRF, TER

from align.cli import main
from align.formats import FORMATS
from align.types import Pair

REF = ["«Газпром» сообщил о росте добычи на 5%.", "Президент встретился с министрами.",
       "Это — тест & <проверка>!", "Он сказал: «Мы готовы»."]
SYS1 = ["«Газпром» заявил о росте добычи на 5 %.", "Президент встретился с министрами.",
        "Это тест & <проверка>!", "Он сказал: «Мы готовы»"]
SYS2 = ["Газпром сообщил рост добычи.", "Президент и министры.", "Тест.", "Он сказал, что готов."]
EN = ["Gazprom reported a 5% rise in output.", "The president met the ministers.",
      "This is a test & <check>!", "He said: \"We are ready\"."]


@pytest.fixture
def files(tmp_path):
    def write(name: str, lines: list[str]) -> str:
        path = tmp_path / name
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        return str(path)

    return {"ref": write("ref.txt", REF), "sys1": write("sys1.txt", SYS1),
            "sys2": write("sys2.txt", SYS2), "short": write("short.txt", SYS1[:3]),
            "empty": write("empty.txt", []), "tmp": tmp_path}


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, ["score", *args], input=input)


def test_json_default_metrics_equal_sacrebleu(files):
    result = run(files["sys1"], "-r", files["ref"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    bleu, chrf = BLEU(tokenize="intl"), CHRF()
    assert [(r["name"], r["score"], r["signature"]) for r in records] == [
        ("BLEU", bleu.corpus_score(SYS1, [REF]).score, bleu.get_signature().format()),
        ("chrF2", chrf.corpus_score(SYS1, [REF]).score, chrf.get_signature().format())]


@pytest.mark.parametrize("options,name,expected", [
    (["-m", "ter"], "TER", lambda: TER().corpus_score(SYS1, [REF]).score),
    (["-m", "chrf++"], "chrF2++", lambda: CHRF(word_order=2).corpus_score(SYS1, [REF]).score),
    (["-m", "BLEU"], "BLEU", lambda: BLEU(tokenize="intl").corpus_score(SYS1, [REF]).score),
    (["-m", "bleu", "--tokenize", "13a"], "BLEU",
     lambda: BLEU(tokenize="13a").corpus_score(SYS1, [REF]).score),
    (["-m", "bleu", "--lang", "en"], "BLEU",
     lambda: BLEU(tokenize="13a").corpus_score(SYS1, [REF]).score),
])
def test_metric_options(files, options, name, expected):
    result = run(files["sys1"], "-r", files["ref"], *options)
    assert result.exit_code == 0, result.output
    [record] = json.loads(result.stdout)
    assert (record["name"], record["score"]) == (name, expected())


def test_two_references(files, tmp_path):
    ref2 = tmp_path / "ref2.txt"
    ref2.write_text("\n".join(SYS2) + "\n", encoding="utf-8")
    result = run(files["sys1"], "-r", files["ref"], "-r", str(ref2), "-m", "bleu")
    [record] = json.loads(result.stdout)
    assert record["score"] == BLEU(tokenize="intl").corpus_score(SYS1, [REF, SYS2]).score
    assert record["signature"].startswith("nrefs:2|")


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_paired_bs_against_a_corpus_side(files, name):
    """The README's recipe: two MT outputs scored against one side of an aligned corpus."""
    fmt = FORMATS[name]
    corpus = files["tmp"] / f"test{fmt.extensions[0]}"
    fmt.write([Pair(en=e, ru=r) for e, r in zip(EN, REF)], corpus)
    if name == "moses":  # PREFIX.en and PREFIX.ru: the Russian side is its own file
        corpus = corpus.with_suffix(".ru")
    result = run(files["sys1"], files["sys2"], "-r", str(corpus), "--side", "ru", "--paired-bs",
                 "--samples", "100", "--format", "text")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["System", "BLEU", "chrF2"]
    assert lines[1].startswith(files["sys1"] + " (baseline)") and "p =" not in lines[1]
    assert lines[2].startswith(files["sys2"]) and lines[2].count("p = ") == 2
    score = BLEU(tokenize="intl").corpus_score(SYS2, [REF]).score
    assert f"{score:.2f}" in lines[2]
    assert any(line.startswith("BLEU: nrefs:1|bs:100|seed:12345") for line in lines)


def test_paired_bs_json_has_p_values(files):
    result = run(files["sys1"], files["sys2"], "-r", files["ref"], "--paired-bs",
                 "--samples", "50", "-m", "chrf")
    base, other = json.loads(result.stdout)
    assert base["baseline"] is True and base["p_value"] is None
    assert other["baseline"] is False and 0 < other["p_value"] <= 1
    assert other["score"] == CHRF().corpus_score(SYS2, [REF]).score


def test_english_side_of_a_corpus_picks_13a(files):
    corpus = files["tmp"] / "c.jsonl"
    FORMATS["jsonl"].write([Pair(en=e, ru=r) for e, r in zip(EN, REF)], corpus)
    hyp = files["tmp"] / "en.txt"
    hyp.write_text("\n".join(EN[::-1]) + "\n", encoding="utf-8")
    result = run(str(hyp), "-r", str(corpus), "--side", "en", "-m", "bleu")
    [record] = json.loads(result.stdout)
    assert "tok:13a" in record["signature"]
    assert record["score"] == BLEU(tokenize="13a").corpus_score(EN[::-1], [EN]).score


def test_tsv_column_and_stdin(files):
    tsv = files["tmp"] / "systems.tsv"
    tsv.write_text("".join(f"{a}\t{b}\n" for a, b in zip(SYS1, SYS2)), encoding="utf-8")
    result = run(str(tsv), "-r", "-", "--column", "2", "-m", "chrf", input="\n".join(REF) + "\n")
    assert result.exit_code == 0, result.output
    [record] = json.loads(result.stdout)
    assert record["score"] == CHRF().corpus_score(SYS2, [REF]).score


def test_sentence_level(files):
    result = run(files["sys1"], "-r", files["ref"], "--sentence-level", "-m", "bleu")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    bleu = BLEU(tokenize="intl", effective_order=True)
    assert [row["scores"]["BLEU"] for row in rows] == [
        bleu.sentence_score(h, [r]).score for h, r in zip(SYS1, REF)]
    assert [row["line"] for row in rows] == [1, 2, 3, 4]
    assert "BLEU: nrefs:1|case:mixed|eff:yes|tok:intl" in result.stderr


def test_output_file(files):
    out = files["tmp"] / "scores.json"
    result = run(files["sys1"], "-r", files["ref"], "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))[0]["name"] == "BLEU"


def test_same_input_same_output(files):
    args = (files["sys1"], files["sys2"], "-r", files["ref"], "--paired-bs", "--samples", "50")
    assert run(*args).stdout == run(*args).stdout


# -- error paths: one "Error:" line; exit 1 for bad input, 2 for usage ---------------------

@pytest.mark.parametrize("args,code,message", [
    (["{short}", "-r", "{ref}"], 1, "short.txt: 3 segments, but {ref} has 4 segments"),
    (["{sys1}", "{short}", "-r", "{ref}", "--paired-bs"], 1, "short.txt: 3 segments"),
    (["{sys1}", "-r", "{ref}", "-r", "{short}"], 1, "short.txt: 3 segments"),
    (["{empty}", "-r", "{ref}"], 1, "empty.txt: empty file"),
    (["{sys1}", "-r", "{empty}"], 1, "empty.txt: empty file"),
    (["{sys1}", "-r", "{tmp}/missing.txt"], 1, "missing.txt: no such file"),
    (["{sys1}", "-r", "{tmp}/bad.txt"], 1, "bad.txt: binary file (NUL bytes), not text"),
    (["{sys1}", "-r", "{tmp}/bad.tsv"], 1, "bad.tsv:1: header row must name"),
    (["{sys1}", "-r", "{tmp}/bad.tsv", "--column", "3"], 1, "bad.tsv:1: no column 3"),
    (["{sys1}", "-r", "{ref}", "-m", "meteor"], 2, "'meteor' is not one of"),
    (["{sys1}", "-r", "{ref}", "--tokenize", "spm"], 2, "'spm' is not one of"),
    (["{sys1}", "-r", "{ref}", "--lang", "de"], 2, "'de' is not one of"),
    (["{sys1}", "-r", "{ref}", "--column", "0"], 2, "--column"),
    (["{sys1}"], 2, "give a reference with -r REF"),
    (["-r", "{ref}"], 2, "give at least one HYP file"),
    (["{sys1}", "-r", "{ref}", "--paired-bs"], 2, "--paired-bs needs at least two HYP files"),
    (["{sys1}", "{sys2}", "-r", "{ref}", "--paired-bs", "--sentence-level"], 2,
     "cannot be combined"),
    (["-", "-r", "-"], 2, "standard input ('-') can be read only once"),
])
def test_error_paths(files, args, code, message):
    (files["tmp"] / "bad.txt").write_bytes(b"ok\n\x00\xfe broken\n")
    (files["tmp"] / "bad.tsv").write_text("just one column\n", encoding="utf-8")
    names = {k: v for k, v in files.items() if k != "tmp"} | {"tmp": str(files["tmp"])}
    result = run(*(a.format(**names) for a in args))
    assert result.exit_code == code, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and message.format(**names) in errors[0], result.stderr
    assert result.stdout == ""
    if code == 1:  # bad input: just the one line, no usage text or traceback
        assert result.stderr.splitlines() == errors


def test_failed_run_leaves_output_untouched(files):
    out = files["tmp"] / "scores.json"
    out.write_text("old", encoding="utf-8")
    result = run(files["short"], "-r", files["ref"], "-o", str(out))
    assert result.exit_code == 1
    assert out.read_text(encoding="utf-8") == "old"


# -- align score --qe -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def qe_files(tmp_path_factory):
    from test_qe import tiny_model_path, toy_pairs

    directory = tmp_path_factory.mktemp("qe")
    pairs = toy_pairs(30, 5)
    # the first 15 are translations; in the last 15 the Russian side is rotated by one
    rotated = pairs[15:]
    ru = [r for _, r in pairs[:15]] + [r for _, r in rotated[1:] + rotated[:1]]
    (directory / "in.en").write_text("".join(e + "\n" for e, _ in pairs), encoding="utf-8")
    (directory / "in.ru").write_text("".join(r + "\n" for r in ru), encoding="utf-8")
    return {"dir": directory, "model": tiny_model_path(tmp_path_factory),
            "en": str(directory / "in.en"), "ru": str(directory / "in.ru")}


def read_tsv(path):
    return list(FORMATS["tsv"].read(path))


def test_qe_scores_every_pair(qe_files):
    out = qe_files["dir"] / "scored.tsv"
    result = run("--qe", qe_files["en"], qe_files["ru"], "--model", qe_files["model"],
                 "-o", str(out))
    assert result.exit_code == 0, result.output
    pairs = read_tsv(out)
    assert len(pairs) == 30 and all(0.0 <= p.score <= 1.0 for p in pairs)
    assert min(p.score for p in pairs[:14]) > 0.5 > max(p.score for p in pairs[15:])
    assert "30 pairs written" in result.stderr
    assert "Warning" not in result.stderr  # align model train keeps the calibration in the model


def test_qe_warns_for_a_model_without_calibration(qe_files, tmp_path):
    import dataclasses

    from align.model import read_model, save_model

    model = read_model(qe_files["model"])
    bare = tmp_path / "bare.model"
    save_model(dataclasses.replace(model, params={k: v for k, v in model.params.items()
                                                  if k != "adequacy"}), bare)
    result = run("--qe", qe_files["en"], qe_files["ru"], "--model", str(bare))
    assert result.exit_code == 0, result.output
    assert "Warning: no adequacy calibration for" in result.stderr
    raw = [float(line.split("\t")[2]) for line in result.stdout.splitlines()[1:]]
    assert raw == pytest.approx(list(model.score_pairs(
        open(qe_files["en"], encoding="utf-8").read().splitlines(),
        open(qe_files["ru"], encoding="utf-8").read().splitlines())), abs=1e-4)


def test_qe_calibration_table(qe_files):
    from align.qe import file_sha256

    table = qe_files["dir"] / "cal.json"
    table.write_text(json.dumps([{"model_sha256": "0" * 64, "a": 9.0, "b": 9.0},
                                 {"model_sha256": file_sha256(qe_files["model"]),
                                  "a": 0.5, "b": -1.0}]), encoding="utf-8")
    args = ("--qe", qe_files["en"], qe_files["ru"], "--model", qe_files["model"])
    result = run(*args, "--calibration", str(table))
    assert result.exit_code == 0 and "Warning" not in result.stderr
    calibrated = [float(line.split("\t")[2]) for line in result.stdout.splitlines()[1:]]
    from align.model import load_model

    en = open(qe_files["en"], encoding="utf-8").read().splitlines()
    ru = open(qe_files["ru"], encoding="utf-8").read().splitlines()
    raw = load_model(qe_files["model"]).score_pairs(en, ru)
    # sigmoid(0.5 * logit(p) - 1), to the 4 decimals TSV keeps
    expected = [1 / (1 + math.exp(-(0.5 * math.log(p / (1 - p)) - 1))) for p in raw]
    assert calibrated == [round(e, 4) for e in expected]


def test_qe_min_score_filters_on_the_same_scale(qe_files):
    out = qe_files["dir"] / "kept.tmx"
    result = run("--qe", qe_files["en"], qe_files["ru"], "--model", qe_files["model"],
                 "--min-score", "0.5", "-o", str(out))
    assert result.exit_code == 0, result.output
    kept = list(FORMATS["tmx"].read(out))
    assert 14 <= len(kept) <= 15 and all(p.score >= 0.5 for p in kept)
    assert "--min-score dropped" in result.stderr
    # a scored corpus is itself valid --qe input, and scores again to the same numbers
    again = run("--qe", str(out), "--model", qe_files["model"])
    assert [round(p.score, 4) for p in kept] == [
        float(line.split("\t")[2]) for line in again.stdout.splitlines()[1:]]


def test_qe_stdout_is_tsv_and_deterministic(qe_files):
    args = ("--qe", qe_files["en"], qe_files["ru"], "--model", qe_files["model"])
    first = run(*args)
    assert first.stdout.splitlines()[0] == "en\tru\tscore\tkind\tdoc"
    assert len(first.stdout.splitlines()) == 31
    assert run(*args).stdout == first.stdout


@pytest.mark.parametrize("args,code,message", [
    (["--qe", "{en}", "{ru}", "-r", "{ru}"], 2, "--qe takes no -r"),
    (["--qe", "{en}", "{ru}", "-m", "bleu", "--format", "text"], 2, "--qe takes no -m, --format"),
    (["--qe", "{en}", "{ru}", "{en}"], 2, "one corpus file, or an EN and a RU text file"),
    (["--qe"], 2, "one corpus file, or an EN and a RU text file"),
    (["{en}", "-r", "{ru}", "--min-score", "0.5"], 2,
     "--min-score, --model and --calibration go with --qe"),
    (["--qe", "{en}", "{ru}", "--calibration", "{dir}/none.json"], 1,
     "none.json: no such calibration table"),
    (["--qe", "{en}", "{ru}", "--calibration", "{en}"], 1, "in.en: not a calibration table"),
    (["--qe", "{en}", "{ru}", "--min-score", "1.5"], 2, "1.5 is not in the range"),
    (["--qe", "{en}", "{dir}/short.ru"], 1, "short.ru: 1 lines, but"),
    (["--qe", "{dir}/empty.tsv"], 1, "empty.tsv: empty file"),
    (["--qe", "{dir}/empty.jsonl"], 1, "empty.jsonl: empty file"),
    (["--qe", "{en}", "{ru}", "--model", "{dir}/missing.model"], 1,
     "missing.model: no such model file"),
    (["--qe", "{en}", "{ru}", "--model", "{en}"], 1, "in.en: "),
])
def test_qe_error_paths(qe_files, args, code, message):
    directory = qe_files["dir"]
    (directory / "short.ru").write_text("Один.\n", encoding="utf-8")
    (directory / "empty.tsv").write_text("", encoding="utf-8")
    (directory / "empty.jsonl").write_text("", encoding="utf-8")
    out = directory / "untouched.tsv"
    out.write_text("old", encoding="utf-8")
    names = {"en": qe_files["en"], "ru": qe_files["ru"], "dir": str(directory)}
    args = [a.format(**names) for a in args]
    if "--model" not in args:
        args += ["--model", qe_files["model"]]
    result = run(*args, "-o", str(out))
    assert result.exit_code == code, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and message.format(**names) in errors[0], result.stderr
    assert out.read_text(encoding="utf-8") == "old"


SHIPPED_MODEL = Path(__file__).resolve().parents[1] / "align" / "data" / "enru.model"
CRAWL = [  # (English, Russian, is a translation)
    ("The president met the ministers on Monday.",
     "Президент встретился с министрами в понедельник.", True),
    ("Gazprom reported a 5% rise in gas output in 2021.",
     "«Газпром» сообщил о росте добычи газа на 5% в 2021 году.", True),
    ("Heavy rains are expected in several regions of Mexico.",
     "В нескольких регионах Мексики ожидаются сильные дожди.", True),
    ("The government has readied around 800 shelters for the population.",
     "Цены на нефть упали до минимума за три месяца.", False),
    ("Subscribe to our Telegram channel.",
     "Правительство подготовило для населения около 800 убежищ.", False),
    ("The match ended in a 2-1 draw.", "Матч завершился вничью 2:1.", True),
]


@pytest.mark.skipif(not SHIPPED_MODEL.is_file(), reason="shipped model not built")
def test_shipped_model_has_its_calibration():
    from align.qe import calibration_for

    cal = calibration_for(SHIPPED_MODEL)
    assert cal is not None and cal.a > 0 and cal.pairs > 1000, (
        "the shipped model has no adequacy calibration: rebuild it with 'align model train'")


@pytest.mark.skipif(not SHIPPED_MODEL.is_file(), reason="shipped model not built")
def test_qe_with_the_shipped_model_filters_a_crawl(tmp_path):
    en, ru = tmp_path / "crawl.en.txt", tmp_path / "crawl.ru.txt"
    en.write_text("".join(e + "\n" for e, _, _ in CRAWL), encoding="utf-8")
    ru.write_text("".join(r + "\n" for _, r, _ in CRAWL), encoding="utf-8")
    out = tmp_path / "clean.tmx"
    result = run("--qe", str(en), str(ru), "--min-score", "0.5", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "Warning" not in result.stderr
    kept = list(FORMATS["tmx"].read(out))
    assert [(p.en, p.ru) for p in kept] == [(e, r) for e, r, good in CRAWL if good]
    assert all(p.score >= 0.5 for p in kept)
