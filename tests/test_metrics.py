"""align.metrics: our scores are sacrebleu's scores, to the last digit, on the same inputs."""
from __future__ import annotations

import pytest
from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.significance import PairedTest

from align.errors import AlignError, FormatError, InputError
from align.formats import FORMATS
from align.metrics import (DEFAULT_METRICS, METRICS, MetricScore, SegmentScores, build_metrics,
                           corpus_scores, paired_bootstrap, read_segments, render_segments,
                           render_table, sentence_scores, tokenizer_for)
from align.types import Pair

REF_RU = [
    "«Газпром» сообщил о росте добычи на 5%.",
    "Президент встретился с министрами в понедельник.",
    "Это — тест, не более того!",
    "Он сказал: «Мы готовы».",
]
REF2_RU = [
    "Газпром сообщил, что добыча выросла на 5%.",
    "В понедельник президент провёл встречу с министрами.",
    "Это всего лишь тест!",
    "Он заявил: «Мы готовы».",
]
HYP_RU = [
    "«Газпром» заявил о росте добычи на 5 %.",
    "Президент встретился с министрами во вторник.",
    "Это тест, и всё!",
    "Он сказал: «Мы готовы»",
]
HYP2_RU = [
    "Газпром сообщил рост добычи 5%.",
    "Президент и министры встретились.",
    "Тест.",
    "Он сказал, что мы готовы.",
]
REF_EN = ["The cat sat on the mat.", "It's a \"test\" & more <tags>.", "Prices rose 5%."]
HYP_EN = ["The cat is on the mat.", "It is a \"test\" & more <tags>.", "Prices went up 5%."]

# (registry name, language, tokenizer override, the sacrebleu object that must agree)
SACREBLEU_CASES = [
    ("bleu", "ru", None, lambda **kw: BLEU(tokenize="intl", **kw)),
    ("bleu", "en", None, lambda **kw: BLEU(tokenize="13a", **kw)),
    ("bleu", "ru", "13a", lambda **kw: BLEU(tokenize="13a", **kw)),
    ("bleu", "ru", "char", lambda **kw: BLEU(tokenize="char", **kw)),
    ("chrf", "ru", None, lambda **kw: CHRF()),
    ("chrf++", "ru", None, lambda **kw: CHRF(word_order=2)),
    ("chrf++", "en", None, lambda **kw: CHRF(word_order=2)),
    ("ter", "ru", None, lambda **kw: TER()),
    ("ter", "en", None, lambda **kw: TER()),
]


def data(lang: str) -> tuple[list[str], list[str]]:
    return (HYP_RU, REF_RU) if lang == "ru" else (HYP_EN, REF_EN)


@pytest.mark.parametrize("metric,lang,tokenize,make", SACREBLEU_CASES)
def test_corpus_score_equals_sacrebleu(metric, lang, tokenize, make):
    hyps, refs = data(lang)
    [ours] = corpus_scores([("sys", hyps)], [("ref", refs)], [metric], lang, tokenize)
    theirs = make()
    expected = theirs.corpus_score(hyps, [refs])
    assert ours.score == expected.score  # exact, not approximate
    assert ours.name == expected.name
    assert ours.signature == theirs.get_signature().format()
    assert ours.verbose == expected.format()


@pytest.mark.parametrize("metric,lang,tokenize,make", SACREBLEU_CASES)
def test_two_references_equal_sacrebleu(metric, lang, tokenize, make):
    if lang == "en":
        pytest.skip("two references only made for Russian")
    [ours] = corpus_scores([("sys", HYP_RU)], [("r1", REF_RU), ("r2", REF2_RU)], [metric], lang,
                           tokenize)
    theirs = make()
    assert ours.score == theirs.corpus_score(HYP_RU, [REF_RU, REF2_RU]).score
    assert "nrefs:2" in ours.signature


@pytest.mark.parametrize("metric,lang,tokenize,make", SACREBLEU_CASES)
def test_sentence_scores_equal_sacrebleu(metric, lang, tokenize, make):
    hyps, refs = data(lang)
    rows, signatures = sentence_scores([("sys", hyps)], [("ref", refs)], [metric], lang, tokenize)
    # sacrebleu's own sentence-level mode turns effective order on for BLEU
    theirs = make(effective_order=True)
    assert [row.line for row in rows] == list(range(1, len(hyps) + 1))
    for row, hyp, ref in zip(rows, hyps, refs):
        expected = theirs.sentence_score(hyp, [ref])
        assert row.scores == {expected.name: expected.score}
    assert signatures == {expected.name: theirs.get_signature().format()}


def test_bleu_tokenizer_follows_target_language():
    assert tokenizer_for("ru") == "intl"
    assert tokenizer_for("en") == "13a"
    # intl splits guillemets off, so the Russian scores differ between the two tokenizers
    [intl] = corpus_scores([("s", HYP_RU)], [("r", REF_RU)], ["bleu"], "ru")
    [t13a] = corpus_scores([("s", HYP_RU)], [("r", REF_RU)], ["bleu"], "ru", "13a")
    assert "tok:intl" in intl.signature and "tok:13a" in t13a.signature
    assert intl.score != t13a.score


def test_default_metrics_and_order():
    results = corpus_scores([("a", HYP_RU), ("b", HYP2_RU)], [("r", REF_RU)])
    assert DEFAULT_METRICS == ("bleu", "chrf")
    assert [(r.system, r.name) for r in results] == [("a", "BLEU"), ("a", "chrF2"),
                                                     ("b", "BLEU"), ("b", "chrF2")]


def test_registry_builds_each_metric():
    built = build_metrics(list(METRICS), "ru")
    assert list(built) == ["bleu", "chrf", "chrf++", "ter"]
    assert [type(m).__name__ for m in built.values()] == ["BLEU", "CHRF", "CHRF", "TER"]
    assert list(build_metrics(["BLEU", "bleu", "chrf"])) == ["bleu", "chrf"]


@pytest.mark.parametrize("call,message", [
    (lambda: build_metrics(["meteor"]), "unknown metric 'meteor'"),
    (lambda: build_metrics([]), "no metric chosen"),
    (lambda: build_metrics(["bleu"], "de"), "unknown language 'de'"),
    (lambda: build_metrics(["bleu"], "ru", "spm"), "unknown tokenizer 'spm'"),
    (lambda: paired_bootstrap([("a", HYP_RU)], [("r", REF_RU)]), "at least two systems"),
    (lambda: corpus_scores([("a", HYP_RU)], []), "no reference"),
])
def test_usage_errors(call, message):
    with pytest.raises(AlignError, match=message):
        call()


@pytest.mark.parametrize("systems,refs,message", [
    ([("a", HYP_RU[:3])], [("r", REF_RU)], "a: 3 segments, but r has 4 segments"),
    ([("a", HYP_RU)], [("r", REF_RU), ("r2", REF2_RU[:1])], "r2: 1 segment, but r has 4"),
    ([("a", HYP_RU), ("b", HYP2_RU + ["x"])], [("r", REF_RU)], "b: 5 segments"),
    ([("a", [])], [("r", REF_RU)], "a: empty input"),
    ([("a", HYP_RU)], [("r", [])], "r: empty input"),
])
def test_bad_input_is_input_error(systems, refs, message):
    with pytest.raises(InputError, match=message):
        corpus_scores(systems, refs)
    with pytest.raises(InputError, match=message):
        sentence_scores(systems, refs)


def test_paired_bootstrap_equals_sacrebleu_paired_test():
    ours = paired_bootstrap([("a", HYP_RU), ("b", HYP2_RU)], [("r", REF_RU)],
                            ["bleu", "chrf"], "ru", n_samples=200)
    theirs_sigs, theirs = PairedTest([("a", HYP_RU), ("b", HYP2_RU)],
                                     {"bleu": BLEU(tokenize="intl"), "chrf": CHRF()},
                                     references=[REF_RU], test_type="bs", n_samples=200)()
    for result in ours:
        index = 0 if result.system == "a" else 1
        expected = theirs[result.name][index]
        assert (result.score, result.p_value, result.mean, result.ci) == (
            expected.score, expected.p_value, expected.mean, expected.ci)
        assert result.signature == theirs_sigs[result.name].format()
        assert result.baseline == (index == 0)
    # the paired test's system score is the plain corpus score
    plain = corpus_scores([("a", HYP_RU), ("b", HYP2_RU)], [("r", REF_RU)])
    assert [r.score for r in ours] == [r.score for r in plain]
    assert ours[0].p_value is None and ours[2].p_value is not None
    assert "bs:200" in ours[0].signature and "seed:12345" in ours[0].signature


def test_paired_bootstrap_is_deterministic():
    args = ([("a", HYP_RU), ("b", HYP2_RU)], [("r", REF_RU)], ["bleu"], "ru", None, 100)
    assert paired_bootstrap(*args) == paired_bootstrap(*args)


def test_render_table_lists_systems_scores_and_signatures():
    results = [MetricScore("a.txt", "bleu", "BLEU", 12.345, "sigB", baseline=True, mean=12.0,
                           ci=1.5),
               MetricScore("b.txt", "bleu", "BLEU", 20.0, "sigB", p_value=0.001, mean=19.9,
                           ci=1.2)]
    text = render_table(results)
    lines = text.splitlines()
    assert lines[0].split() == ["System", "BLEU"]
    assert lines[1].startswith("a.txt (baseline)") and "12.35 (μ = 12.00 ± 1.50)" in lines[1]
    assert "p = 0.0010 *" in lines[2] and "p =" not in lines[1]
    assert "BLEU: sigB" in lines


def test_render_segments_json_and_text():
    rows = [SegmentScores("s", 1, {"BLEU": 10.0, "chrF2": 20.5}),
            SegmentScores("s", 2, {"BLEU": 0.0, "chrF2": 1.0})]
    assert render_segments(rows, "json").splitlines()[1] == (
        '{"system": "s", "line": 2, "scores": {"BLEU": 0.0, "chrF2": 1.0}}')
    assert render_segments(rows, "text").splitlines() == [
        "system\tline\tBLEU\tchrF2", "s\t1\t10.0000\t20.5000", "s\t2\t0.0000\t1.0000"]


# -- reading segments ---------------------------------------------------------------------

TRICKY = [Pair(en="Tom & Jerry <b>", ru="Том и «Джерри» & <b>"),
          Pair(en='He said "hi"', ru="Он сказал 'привет'"),
          Pair(en="plain", ru="просто")]


@pytest.mark.parametrize("name", sorted(FORMATS))
@pytest.mark.parametrize("side", ["en", "ru"])
def test_read_side_of_every_corpus_format(tmp_path, name, side):
    fmt = FORMATS[name]
    path = tmp_path / f"corpus{fmt.extensions[0]}"
    fmt.write(TRICKY, path)
    if name == "moses":  # two files, PREFIX.en and PREFIX.ru: the side is the file named
        path = tmp_path / f"corpus.{side}"
    assert read_segments(path, side=side) == [getattr(p, side) for p in TRICKY]


def test_read_plain_text(tmp_path):
    path = tmp_path / "hyp.txt"
    path.write_bytes("«a» & b\r\n\nпоследняя\tстрока\n<i>\x07\"q\"</i>\n".encode("utf-8-sig"))
    # blank lines are segments; tabs and control characters in plain text stay as they are
    assert read_segments(path) == ["«a» & b", "", "последняя\tстрока", '<i>\x07"q"</i>']


@pytest.mark.parametrize("column,expected", [(1, ["a", "c", ""]), (2, ["b", "d", "e"])])
def test_read_tsv_column(tmp_path, column, expected):
    path = tmp_path / "sys.tsv"
    path.write_text("a\tb\nc\td\tx\n\te\n", encoding="utf-8")
    assert read_segments(path, column=column) == expected


def test_column_applies_to_tab_separated_files_only(tmp_path):
    plain = tmp_path / "plain.txt"
    plain.write_text("a\tb\n", encoding="utf-8")
    assert read_segments(plain, column=2) == ["a\tb"]


@pytest.mark.parametrize("content,kwargs,error,message", [
    ("a\tb\nc\n", {"column": 2}, InputError, ":2: no column 2: the line has 1"),
    ("a\n", {"column": 0}, AlignError, "column numbers start at 1"),
    ("en\tru\nx\ty\n", {"side": "de"}, AlignError, "unknown side 'de'"),
    ("no header\n", {}, FormatError, "header row"),
])
def test_read_errors(tmp_path, content, kwargs, error, message):
    path = tmp_path / "in.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(error, match=message):
        read_segments(path, **kwargs)


def test_read_missing_and_binary(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_segments(tmp_path / "nope.txt")
    path = tmp_path / "bin.txt"
    path.write_bytes(b"a\x00b")
    with pytest.raises(InputError, match="binary"):
        read_segments(path)
