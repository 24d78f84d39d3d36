"""align clean: the command over real corpus files, its rejects, report and rule choices."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from align.cli import main
from align.clean import CleanCounts, clean_pairs, select_rules
from align.formats import FORMATS
from align.types import Pair

pytest.importorskip("ftfy", reason="the 'clean' extra (ftfy) is not installed")

GOOD = [
    Pair("The government said on Monday it would raise taxes.",
         "Правительство заявило в понедельник, что повысит налоги.", 0.9, "body", "a"),
    Pair("Police arrested 12 people in Moscow.", "Полиция задержала 12 человек в Москве.", 0.8),
    Pair("It was a cold day.", "Был холодный день.", 0.7),
]
BAD = [
    (Pair("", "Пусто"), "empty"),
    (Pair("Read more", "Читать далее"), "boilerplate"),
    (Pair("Police arrested 12 people.", "Полиция задержала 21 человека."), "numbers"),
    (Pair("Moscow is big", "Moscow is big"), "identical,latin_ru"),
    (Pair("the government said on monday it would raise taxes",
          "Правительство заявило в понедельник что повысит налоги"), "duplicate"),
]
CORPUS = GOOD[:1] + [BAD[0][0]] + GOOD[1:2] + [b for b, _ in BAD[1:]] + GOOD[2:]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "in.jsonl"
    FORMATS["jsonl"].write(CORPUS, path)
    return path


def run(*args: str) -> object:
    return CliRunner().invoke(main, ["clean", *args])


def test_clean_keeps_good_pairs_and_rejects_bad_ones_with_reasons(corpus: Path,
                                                                   tmp_path: Path) -> None:
    out, rejects = tmp_path / "out.tsv", tmp_path / "rejects.jsonl"
    result = run(str(corpus), "-o", str(out), "--rejects", str(rejects), "--report")
    assert result.exit_code == 0, result.output
    kept = list(FORMATS["tsv"].read(out))
    assert [(p.en, p.ru) for p in kept] == [(p.en, p.ru) for p in GOOD]
    dropped = list(FORMATS["jsonl"].read(rejects))
    assert [p.props["reject"] for p in dropped] == [reason for _, reason in BAD]
    assert dropped[-1].props["reject_detail"] == "pair 1"
    assert [p.props["input_pair"] for p in dropped] == ["2", "4", "5", "6", "7"]
    assert "rule  numbers" in result.output and "8 pairs read, 3 kept, 5 dropped" in result.output


def test_every_input_pair_is_kept_or_rejected(corpus: Path) -> None:
    counts = CleanCounts()
    verdicts = list(clean_pairs(FORMATS["jsonl"].read(corpus), counts=counts))
    assert [v.number for v in verdicts] == list(range(1, len(CORPUS) + 1))
    assert counts.pairs == len(CORPUS) and counts.kept == len(GOOD)
    assert counts.dropped == len(BAD) and counts.reasons["latin_ru"] == 1


def test_skip_rule_and_rules(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    assert run(str(corpus), "-o", str(out), "--skip-rule", "numbers",
               "--skip-rule", "duplicate").exit_code == 0
    assert len(list(FORMATS["jsonl"].read(out))) == len(GOOD) + 2
    assert run(str(corpus), "-o", str(out), "--rules", "empty").exit_code == 0
    assert len(list(FORMATS["jsonl"].read(out))) == len(CORPUS) - 1
    result = run(str(corpus), "-o", str(out), "--skip-rule", "nonsense")
    assert result.exit_code == 2 and "nonsense" in result.output


def test_list_rules_reads_the_registry() -> None:
    result = CliRunner().invoke(main, ["clean", "--list-rules"])
    assert result.exit_code == 0
    for name in ("mojibake", "empty", "numbers", "near_duplicate", "adequacy"):
        assert name in result.output


def test_fixes_change_text_in_the_output(tmp_path: Path) -> None:
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    FORMATS["jsonl"].write([Pair(" Tom &amp; Jerry  went home. ", "Ð¢Ð¾Ð¼ Ð¸ Ð”Ð¶ÐµÑ€Ñ€Ð¸ "
                                 "Ð¿Ð¾ÑˆÐ»Ð¸ Ð´Ð¾Ð¼Ð¾Ð¹.")], src)
    result = run(str(src), "-o", str(out), "--report")
    assert result.exit_code == 0, result.output
    [pair] = FORMATS["jsonl"].read(out)
    assert (pair.en, pair.ru) == ("Tom & Jerry went home.", "Том и Джерри пошли домой.")
    assert re.search(r"^fix +mojibake +1$", result.output, re.M)


def test_same_input_same_bytes(corpus: Path, tmp_path: Path) -> None:
    outputs = []
    for n in range(2):
        out = tmp_path / f"out{n}.tmx"
        assert run(str(corpus), "-o", str(out), "--near-dupes").exit_code == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_near_dupes_keep_the_best_scored_copy(tmp_path: Path) -> None:
    pytest.importorskip("datasketch", reason="the 'clean' extra (datasketch) is not installed")
    en = "The government said on Monday that it would raise taxes on tobacco next year"
    ru = "Правительство заявило в понедельник, что в следующем году повысит налоги на табак"
    src, out, rejects = tmp_path / "in.jsonl", tmp_path / "out.jsonl", tmp_path / "rej.jsonl"
    FORMATS["jsonl"].write([Pair(en, ru, 0.5), Pair(en + ", officials said", ru + ", сообщили "
                                                    "чиновники", 0.9), Pair(en, ru + "!", 0.7)],
                           src)
    assert run(str(src), "-o", str(out), "--rejects", str(rejects),
               "--near-dupes").exit_code == 0
    assert [p.score for p in FORMATS["jsonl"].read(out)] == [0.9]
    reasons = [(p.props["reject"], p.props.get("reject_detail")) for p in
               FORMATS["jsonl"].read(rejects)]
    assert reasons == [("near_duplicate", "pair 2"), ("duplicate", "pair 1")]


def test_min_score_runs_the_model(corpus: Path, tmp_path: Path) -> None:
    out, rejects = tmp_path / "out.jsonl", tmp_path / "rej.jsonl"
    result = run(str(corpus), "-o", str(out), "--rejects", str(rejects), "--min-score", "0.99")
    assert result.exit_code == 0, result.output
    dropped = {p.props["reject"]: p for p in FORMATS["jsonl"].read(rejects)}
    assert "adequacy" in dropped and 0 <= float(dropped["adequacy"].props["adequacy"]) < 0.99
    assert select_rules(min_score=0.5)[-1] == "adequacy"


@pytest.mark.parametrize("args, message", [
    (["--rejects", "r.tsv"], "cannot keep the reasons"),
    (["--model", "m.model"], "--model goes with --min-score"),
])
def test_usage_errors(corpus: Path, tmp_path: Path, args: list[str], message: str) -> None:
    result = run(str(corpus), "-o", str(tmp_path / "o.tsv"), *args)
    assert result.exit_code == 2 and message in result.output


def test_bad_input_is_one_line_naming_file_and_line(tmp_path: Path) -> None:
    src = tmp_path / "bad.jsonl"
    src.write_text('{"translation": {"en": "a", "ru": "б"}}\nnot json\n', encoding="utf-8")
    out = tmp_path / "out.tsv"
    result = run(str(src), "-o", str(out))
    assert result.exit_code == 1
    assert f"{src}:2" in result.output and not out.exists()


def test_missing_extra_names_the_pip_install(corpus: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_ftfy(name: str, *args: object, **kwargs: object) -> object:
        if name == "ftfy":
            raise ImportError("no ftfy")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_ftfy)
    result = run(str(corpus), "-o", str(tmp_path / "o.tsv"))
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == \
        "Error: fixing mojibake needs ftfy: pip install 'align[clean]'"


def test_rejects_json_lines_are_valid(corpus: Path, tmp_path: Path) -> None:
    rejects = tmp_path / "r.jsonl"
    assert run(str(corpus), "-o", str(tmp_path / "o.tsv"), "--rejects", str(rejects)).exit_code == 0
    for line in rejects.read_text(encoding="utf-8").splitlines():
        assert json.loads(line)["props"]["reject"]


def test_jobs_give_the_same_bytes(tmp_path: Path) -> None:
    from align.clean import JUDGE_BATCH

    src = tmp_path / "in.jsonl"
    pairs = [Pair(f"Police arrested {n} people in city number {n % 97}.",
                  f"Полиция задержала {n if n % 5 else n + 1} человек в городе номер {n % 97}.")
             for n in range(2 * JUDGE_BATCH + 10)]
    FORMATS["jsonl"].write(pairs, src)
    outputs = []
    for jobs in ("1", "2"):
        out, rejects = tmp_path / f"out{jobs}.tsv", tmp_path / f"rej{jobs}.jsonl"
        result = run(str(src), "-o", str(out), "--rejects", str(rejects), "--jobs", jobs)
        assert result.exit_code == 0, result.output
        outputs.append((out.read_bytes(), rejects.read_bytes()))
    assert outputs[0] == outputs[1]
    assert b"numbers" in outputs[0][1]
