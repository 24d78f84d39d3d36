"""``align eval``: strict/lax/unlinked scores on hand-made alignments whose numbers are worked
out by hand below, Vecalign's convention beside them, and every error path."""
from __future__ import annotations

import json
from fractions import Fraction as Fr
from pathlib import Path

import pytest
from click.testing import CliRunner

from align.cli import main
from align.errors import AlignError, FormatError, InputError
from align.evaluate import evaluate_alignments, pair_bead_files, render_eval

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

# Case A. Gold links: 0-0, 1-12, 34-3, 5-4 (and 2 unlinked). Test links: 0-0, 1-1, 3-3, 5-4
# (and 2, 4, target 2 unlinked).
#   strict P = |{0-0, 5-4}| / 4 = 1/2        strict R = |{0-0, 5-4}| / 4 = 1/2
#   lax    P = 4/4 (1-1 overlaps 1-12, 3-3 overlaps 34-3)      lax R = 4/4
#   unlinked: gold {src 2}, test {tgt 2, src 2, src 4}: P = 1/3, R = 1/1, F1 = 1/2
#   Vecalign counts the 3 empty-sided test beads in precision, right only if in gold (2-):
#   strict P = (2 + 1) / (4 + 3) = 3/7, F1 = 6/13; lax P = (4 + 1) / 7 = 5/7, F1 = 5/6
GOLD_A = "[0]:[0]\n[1]:[1, 2]\n[2]:[]\n[3, 4]:[3]\n[5]:[4]\n"
TEST_A = "[0]:[0]\n[1]:[1]\n[]:[2]\n[2]:[]\n[3]:[3]\n[4]:[]\n[5]:[4]\n"
# Case B. Every link off by one: no strict or lax match anywhere.
#   test links 1-0, 2-1; gold links 0-0, 1-1, 2-2: P = R = F1 = 0, strict and lax.
#   unlinked: gold none, test {src 0, tgt 2}: P = 0/2, R = 0 (nothing to find but 2 found).
#   Vecalign: P = 0 / (2 + 2) = 0.
GOLD_B = "[0]:[0]\n[1]:[1]\n[2]:[2]\n"
TEST_B = "[0]:[]\n[1]:[0]\n[2]:[1]\n[]:[2]\n"


def f1(p: Fr, r: Fr) -> Fr:
    return 2 * p * r / (p + r) if p + r else Fr(0)


# (gold, test, strict P, R; lax P, R; unlinked P, R; Vecalign strict P, lax P)
CASES = [
    ("A", GOLD_A, TEST_A, (Fr(1, 2), Fr(1, 2)), (Fr(1), Fr(1)), (Fr(1, 3), Fr(1)),
     (Fr(3, 7), Fr(5, 7))),
    ("B", GOLD_B, TEST_B, (Fr(0), Fr(0)), (Fr(0), Fr(0)), (Fr(0), Fr(0)), (Fr(0), Fr(0))),
    ("identity", GOLD_A, GOLD_A, (Fr(1), Fr(1)), (Fr(1), Fr(1)), (Fr(1), Fr(1)),
     (Fr(1), Fr(1))),
    # 1-1 links only, one 2-1 merged into a 2-2: strict P = 1/2, R = 1/3, lax all right
    ("merge", "[0]:[0]\n[1]:[1]\n[2]:[2]\n", "[0]:[0]\n[1, 2]:[1, 2]\n",
     (Fr(1, 2), Fr(1, 3)), (Fr(1), Fr(1)), (Fr(1), Fr(1)), (Fr(1, 2), Fr(1))),
]


def write(path: Path, text: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("name,gold,test,strict,lax,unlinked,vecalign_p", CASES)
def test_hand_made_case(tmp_path, name, gold, test, strict, lax, unlinked, vecalign_p):
    docs = [(name, write(tmp_path / "g.gold", gold), write(tmp_path / "t.align", test))]
    report = evaluate_alignments(docs)
    for got, (p, r) in [(report.strict, strict), (report.lax, lax),
                        (report.unlinked, unlinked)]:
        assert (got.precision, got.recall) == pytest.approx((float(p), float(r)), abs=1e-12)
        assert got.f1 == pytest.approx(float(f1(p, r)), abs=1e-12)
    for got, p, r in [(report.vecalign_strict, vecalign_p[0], strict[1]),
                      (report.vecalign_lax, vecalign_p[1], lax[1])]:
        assert (got.precision, got.recall, got.f1) == pytest.approx(
            (float(p), float(r), float(f1(p, r))), abs=1e-12)


def test_case_a_counts_and_vecalign_f1(tmp_path):
    docs = [("a", write(tmp_path / "a.gold", GOLD_A), write(tmp_path / "a.align", TEST_A))]
    report = evaluate_alignments(docs)
    assert (report.gold_links, report.test_links) == (4, 4)
    assert (report.gold_unlinked, report.test_unlinked) == (1, 3)
    assert report.unlinked.f1 == pytest.approx(0.5)
    assert report.vecalign_strict.f1 == pytest.approx(6 / 13)
    assert report.vecalign_lax.f1 == pytest.approx(5 / 6)


def test_directories_are_micro_averaged(tmp_path):
    """A and B together: counts summed before dividing, not scores averaged."""
    write(tmp_path / "gold" / "a.gold", GOLD_A)
    write(tmp_path / "gold" / "sub" / "b.gold", GOLD_B)
    write(tmp_path / "test" / "a.align", TEST_A)
    write(tmp_path / "test" / "sub" / "b.align", TEST_B)
    docs = pair_bead_files(tmp_path / "gold", tmp_path / "test")
    assert [name for name, _, _ in docs] == ["a", "sub/b"]
    report = evaluate_alignments(docs)
    assert report.documents == 2
    # strict P = (2 + 0) / (4 + 2), R = 2 / (4 + 3); lax P = 4/6, R = 4/7
    assert (report.strict.precision, report.strict.recall) == pytest.approx((1 / 3, 2 / 7))
    assert (report.lax.precision, report.lax.recall) == pytest.approx((2 / 3, 4 / 7))
    # unlinked: 1 right of 3 + 2 found, 1 to find
    assert (report.unlinked.precision, report.unlinked.recall) == pytest.approx((1 / 5, 1.0))
    # Vecalign: strict P = 3 / (7 + 4), lax P = 5 / 11
    assert report.vecalign_strict.precision == pytest.approx(3 / 11)
    assert report.vecalign_lax.precision == pytest.approx(5 / 11)


@pytest.mark.parametrize("gold,test,error,message", [
    (GOLD_A, "[0]:[0]\n[0]:[1]\n", InputError,
     r"t\.align: English sentence 0 is in two beads \(bead 2\)"),
    (GOLD_A, "[0]:[0]\n[1]:[1]\n[2]:[1, 2]\n", InputError,
     r"t\.align: Russian sentence 1 is in two beads \(bead 3\)"),
    (GOLD_A, "[0]:[0]\n[6]:[4]\n", InputError,
     "bead 2 has English sentence 6, but the gold alignment has 6 English sentences"),
    (GOLD_A, "[0]:[0]\n[5]:[5]\n", InputError,
     "bead 2 has Russian sentence 5, but the gold alignment has 5 Russian sentences"),
    (GOLD_A, "[1]:[0]\n[0]:[1, 2]\n[2]:[]\n[3, 4]:[3]\n[5]:[4]\n", InputError,
     "beads out of order: bead 2 has English sentence 0 after 1"),
    (GOLD_A, "[0]:[0]\n[1]:[1, 2\n", FormatError, r"t\.align:2: not a bead line"),
    (GOLD_A, "\n", InputError, r"t\.align: empty file"),
    ("[0]:[0]\n[0]:[1]\n", "[0]:[0, 1]\n", InputError, r"g\.gold: beads do not cover"),
])
def test_bad_bead_files(tmp_path, gold, test, error, message):
    docs = [("x", write(tmp_path / "g.gold", gold), write(tmp_path / "t.align", test))]
    with pytest.raises(error, match=message):
        evaluate_alignments(docs)


# Partial test alignments against GOLD_A (links 0-0, 1-12, 34-3, 5-4; English 2 unlinked):
# (test, missing English, missing Russian, strict P, R, lax P, R, unlinked P, R)
PARTIAL = [
    # hunalign-like: 0-0 and 34-3 kept, the rest left out. Strict and lax: 2 of 2 test links
    # right, 2 of 4 gold links found; the gold unlinked English 2 is not found (nothing found).
    ("[0]:[0]\n[3, 4]:[3]\n", 3, 3, 1, Fr(1, 2), 1, Fr(1, 2), 0, 0),
    # a filtered corpus: the 1-2 bead cut to 1-1 and the Russian 2 dropped; 5-4 dropped.
    ("[0]:[0]\n[1]:[1]\n[2]:[]\n[3, 4]:[3]\n", 1, 2, Fr(2, 3), Fr(2, 4), 1, Fr(3, 4), 1, 1),
    # only unlinked beads: every gold link is missed.
    ("[2]:[]\n", 5, 5, 0, 0, 0, 0, 1, 1),
]


@pytest.mark.parametrize("test,m_src,m_tgt,sp,sr,lp,lr,up,ur", PARTIAL)
def test_partial_alignments(tmp_path, test, m_src, m_tgt, sp, sr, lp, lr, up, ur):
    docs = [("x", write(tmp_path / "g.gold", GOLD_A), write(tmp_path / "t.align", test))]
    report = evaluate_alignments(docs)
    assert (report.missing_src, report.missing_tgt) == (m_src, m_tgt)
    assert (report.strict.precision, report.strict.recall) == pytest.approx((sp, sr))
    assert (report.lax.precision, report.lax.recall) == pytest.approx((lp, lr))
    assert (report.unlinked.precision, report.unlinked.recall) == pytest.approx((up, ur))
    assert report.to_json()["missing"] == {"english": m_src, "russian": m_tgt}


def test_partial_alignment_cli_warns(tmp_path):
    gold = write(tmp_path / "g.gold", GOLD_A)
    test = write(tmp_path / "t.align", "[0]:[0]\n[3, 4]:[3]\n")
    result = CliRunner().invoke(main, ["eval", gold, test])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "Warning: TEST leaves out 3 English and 3 Russian sentences of GOLD; the gold beads "
        "holding them count against recall"]
    report = json.loads(result.stdout)
    assert report["strict"]["recall"] == 0.5 and report["missing"]["english"] == 3
    # A complete test alignment gives no warning.
    full = write(tmp_path / "full.align", GOLD_A)
    result = CliRunner().invoke(main, ["eval", gold, full, "--format", "text"])
    assert result.exit_code == 0 and result.stderr == ""
    assert "leaves out" not in result.stdout
    # A sentence in two beads stays an error: exit 1, one line naming the file.
    bad = write(tmp_path / "bad.align", "[0]:[0]\n[0]:[1]\n")
    result = CliRunner().invoke(main, ["eval", gold, bad])
    assert result.exit_code == 1
    assert "bad.align" in result.stderr and "in two beads" in result.stderr


def test_directory_pairing_errors(tmp_path):
    write(tmp_path / "gold" / "a.gold", GOLD_A)
    write(tmp_path / "gold" / "b.gold", GOLD_B)
    write(tmp_path / "test" / "a.align", TEST_A)
    with pytest.raises(InputError, match=r"no b\.align for .*b\.gold"):
        pair_bead_files(tmp_path / "gold", tmp_path / "test")
    write(tmp_path / "test" / "b.align", TEST_B)
    write(tmp_path / "test" / "c.align", TEST_B)
    with pytest.raises(InputError, match=r"c\.align has no c\.gold"):
        pair_bead_files(tmp_path / "gold", tmp_path / "test")
    (tmp_path / "nothing").mkdir()
    with pytest.raises(InputError, match=r"no \*\.gold files"):
        pair_bead_files(tmp_path / "nothing", tmp_path / "test")
    with pytest.raises(AlignError, match="both be files or both be directories"):
        pair_bead_files(tmp_path / "gold" / "a.gold", tmp_path / "test")
    with pytest.raises(InputError, match="no such file or directory"):
        pair_bead_files(tmp_path / "missing.gold", tmp_path / "test" / "a.align")


def test_render_eval_text(tmp_path):
    docs = [("a", write(tmp_path / "a.gold", GOLD_A), write(tmp_path / "a.align", TEST_A))]
    lines = render_eval(evaluate_alignments(docs)).splitlines()
    assert lines[0].split() == ["precision", "recall", "F1"]
    assert lines[1].split() == ["strict", "0.5000", "0.5000", "0.5000"]
    assert lines[2].split() == ["lax", "1.0000", "1.0000", "1.0000"]
    assert lines[3].split() == ["unlinked", "0.3333", "1.0000", "0.5000"]
    assert lines[6].split() == ["strict", "0.4286", "0.5000", "0.4615"]
    assert lines[-1].startswith("1 document: 4 gold and 4 test links")


# -- CLI -----------------------------------------------------------------------------------

def run(*args: str):
    return CliRunner().invoke(main, ["eval", *args])


def test_cli_json(tmp_path):
    gold = write(tmp_path / "a.gold", GOLD_A)
    test = write(tmp_path / "a.align", TEST_A)
    result = run(gold, test)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["strict"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5}
    assert data["lax"]["f1"] == 1.0
    assert data["unlinked"]["f1"] == pytest.approx(0.5)
    assert data["vecalign"]["strict"]["precision"] == pytest.approx(3 / 7)
    assert data["counts"] == {"gold_links": 4, "test_links": 4, "gold_unlinked": 1,
                              "test_unlinked": 3}
    assert run(gold, test).stdout == result.stdout  # deterministic


def test_cli_text_and_output_file(tmp_path):
    gold = write(tmp_path / "a.gold", GOLD_A)
    test = write(tmp_path / "a.align", TEST_A)
    out = tmp_path / "report.txt"
    result = run(gold, test, "--format", "text", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert out.read_text(encoding="utf-8").splitlines()[1].split()[0] == "strict"


@pytest.mark.parametrize("make,code,message", [
    (lambda d: (write(d / "g.gold", GOLD_A), write(d / "t.align", "[0]:[0]\n[0]:[1]\n")), 1,
     "t.align: English sentence 0 is in two beads"),
    (lambda d: (write(d / "g.gold", GOLD_A), write(d / "t.align", "[0]:[7]\n")), 1,
     "t.align: bead 1 has Russian sentence 7, but the gold alignment has 5"),
    (lambda d: (write(d / "g.gold", GOLD_A), write(d / "t.align", "0-0\n")), 1,
     "t.align:1: not a bead line"),
    (lambda d: (write(d / "g.gold", GOLD_A), write(d / "t.align", "")), 1,
     "t.align: empty file"),
    (lambda d: (write(d / "g.gold", GOLD_A), str(d / "missing.align")), 1,
     "missing.align: no such file or directory"),
    (lambda d: (str(d), write(d / "t.align", TEST_A)), 2,
     "both be files or both be directories"),
    (lambda d: (str(d / "gold"), str(d / "test")), 1, "no a.align for"),
])
def test_cli_errors(tmp_path, make, code, message):
    write(tmp_path / "gold" / "a.gold", GOLD_A)
    (tmp_path / "test").mkdir()
    result = run(*make(tmp_path))
    assert result.exit_code == code, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and message in errors[0], result.stderr
    assert result.stdout == ""


def test_cli_usage_error_without_test():
    result = run("only-gold.gold")
    assert result.exit_code == 2
    assert "Missing argument 'TEST'" in result.stderr


@pytest.mark.skipif(not (SHARED / "data" / "bench").is_dir(), reason="../shared not present")
def test_bench_gold_against_itself(tmp_path):
    gold_dir = SHARED / "data" / "bench" / "wmt21" / "hard"
    for gold in sorted(gold_dir.glob("*.gold"))[:10]:
        write(tmp_path / f"{gold.stem}.align", gold.read_text(encoding="utf-8"))
        write(tmp_path / "gold" / gold.name, gold.read_text(encoding="utf-8"))
    report = evaluate_alignments(pair_bead_files(tmp_path / "gold", tmp_path))
    assert report.documents == 10
    for prf in (report.strict, report.lax, report.vecalign_strict, report.vecalign_lax):
        assert (prf.precision, prf.recall, prf.f1) == (1.0, 1.0, 1.0)
    assert report.gold_unlinked == report.test_unlinked > 0  # the hard set has deletions
