"""align.aligner and the ``align sentences`` / ``align text`` commands, on a tiny trained model."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from align.aligner import AlignParams, align, align_sentences, band_from_path, paragraph_cuts
from align.beads import read_beads
from align.cli import main
from align.evaluate import score_alignment
from align.model import Model
from align.train.synthetic import synthetic_docs
from align.types import Sentence, check_beads

from test_model import make_pairs

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def docs(kind: str, size: int = 30):
    out = synthetic_docs(make_pairs(size * 4, 77), seed=5, size=size)
    index = {"natural": 0, "hard": 1, "abridged": 2}[kind]
    return out[index::3]


@pytest.mark.parametrize("kind", ["natural", "hard", "abridged"])
def test_recovers_synthetic_alignments(tiny_model: Model, kind: str) -> None:
    golds, tests = [], []
    for en, ru, gold in docs(kind):
        beads = align_sentences(en, ru, tiny_model)
        check_beads(beads, len(en), len(ru))
        golds += [g for g in gold]
        tests += [(b.src, b.tgt) for b in beads]
    scores = score_alignment(golds, tests)
    assert scores.f1_strict > 0.9
    assert scores.f1_lax > 0.95


def test_long_document_uses_the_band_and_stays_right(tiny_model: Model) -> None:
    pairs = make_pairs(400, 11)
    en = [e for e, _ in pairs]
    ru = [r for _, r in pairs]
    del ru[100:104]  # a missing paragraph
    beads = align_sentences(en, ru, tiny_model)
    check_beads(beads, len(en), len(ru))
    unlinked = [b.src[0] for b in beads if not b.tgt]
    assert set(range(100, 104)) <= set(unlinked)
    links = [(b.src, b.tgt) for b in beads if b.src and b.tgt]
    right = sum(1 for s, t in links if len(s) == len(t) == 1
                and (s[0] == t[0] if s[0] < 100 else s[0] == t[0] + 4))
    assert right / len(links) > 0.97


@pytest.mark.parametrize("en, ru, expected", [
    ([], [], []),
    (["One."], [], [((0,), ())]),
    ([], ["Один.", "Два."], [((), (0,)), ((), (1,))]),
])
def test_empty_sides(tiny_model: Model, en, ru, expected) -> None:
    assert [(b.src, b.tgt) for b in align_sentences(en, ru, tiny_model)] == expected


@pytest.mark.parametrize("en, ru", [
    (["x" * 10_000, "12345", "https://example.com/a?b=c&d=<e>"], ["12345"]),
    (["2020", "2021", "2022"], ["2020", "2021", "2022", "2023", "2024", "2025"]),
    (["", "", "Hello."], ["", "Привет."]),
    (["A \x00 control \x07 char & \"quote\"."], ["Контроль & «кавычки»."]),
])
def test_odd_inputs_are_covered(tiny_model: Model, en, ru) -> None:
    beads = align_sentences(en, ru, tiny_model)
    check_beads(beads, len(en), len(ru))
    assert all(0.0 <= b.score <= 1.0 for b in beads)


def test_deterministic(tiny_model: Model) -> None:
    en, ru, _gold = docs("hard")[0]
    first = [str(b) for b in align_sentences(en, ru, tiny_model)]
    assert first == [str(b) for b in align_sentences(en, ru, tiny_model)]


def test_boundaries_are_respected(tiny_model: Model) -> None:
    en, ru, _gold = docs("natural")[0]
    # force a cut that the natural alignment would not take
    beads = align_sentences(en, ru, tiny_model, boundaries=[(5, 7)])
    ends = set()
    i = j = 0
    for b in beads:
        i += len(b.src)
        j += len(b.tgt)
        ends.add((i, j))
    assert (5, 7) in ends


@pytest.mark.parametrize("cuts", [[(3, 1), (1, 3)], [(99, 0)]])
def test_bad_boundaries(tiny_model: Model, cuts) -> None:
    with pytest.raises(ValueError):
        align_sentences(["a"] * 4, ["б"] * 4, tiny_model, boundaries=cuts)


def test_max_bead_limits_shapes(tiny_model: Model) -> None:
    en, ru, _gold = docs("hard")[0]
    beads = align_sentences(en, ru, tiny_model, max_bead=1)
    assert all(len(b.src) <= 1 and len(b.tgt) <= 1 for b in beads)


def test_confidences_separate_right_from_wrong(tiny_model: Model) -> None:
    right, wrong = [], []
    for en, ru, gold in docs("hard"):
        gset = {(tuple(s), tuple(t)) for s, t in gold}
        for b in align_sentences(en, ru, tiny_model):
            (right if (b.src, b.tgt) in gset else wrong).append(b.score)
    assert np.mean(right) > 0.8
    if wrong:
        assert np.mean(wrong) < np.mean(right)


def test_align_with_paragraphs(tiny_model: Model) -> None:
    en = [Sentence("The city said.", 0, 14, 0), Sentence("The river.", 15, 25, 1)]
    ru = [Sentence("Город сказал.", 0, 13, 0), Sentence("Река.", 14, 19, 1)]
    result = align(en, ru, tiny_model, paragraph_boundaries=True)
    assert [(b.src, b.tgt) for b in result.beads] == [((0,), (0,)), ((1,), (1,))]


@pytest.mark.parametrize("src, tgt, cuts", [
    ([0, 0, 1, 2], [0, 1, 1, 2], [(0, 0), (2, 1), (3, 3)]),
    ([0, 1], [0, 0], []),
])
def test_paragraph_cuts(src, tgt, cuts) -> None:
    assert paragraph_cuts(src, tgt) == cuts


def test_band_from_path_covers_path() -> None:
    pi = np.array([0, 1, 5, 6, 10])
    pj = np.array([0, 1, 1, 2, 10])
    lo, W = band_from_path((pi, pj), 10, 10, 2)
    for i, j in zip(pi, pj):
        assert lo[j] <= i < lo[j] + W


@pytest.mark.parametrize("adapt, linked", [(0.0, False), (0.3, True)])
def test_skip_cost_follows_the_document(adapt: float, linked: bool) -> None:
    # 60 sure links and one weak pair (-6.5) in a document with nothing missing. Two skips
    # (-3 each) beat the weak link with one skip cost for every document; once the cost
    # follows this document's near-zero rate of unlinked sentences, the link wins.
    from align.aligner import decode_band
    from align.dp import NEG
    from align.features import BEAD_TYPES

    n = m = 61
    raw = np.full((m + 1, 1 + len(BEAD_TYPES), n + 1), NEG, dtype=np.float32)
    for j in range(1, m + 1):
        raw[j, 1, j] = 5.0
    raw[31, 1, 31] = -6.5
    params = AlignParams(skip=-3.0, cover_skip=0.0, skip_adapt=adapt, crossed_link=None)
    beads, _t, _p = decode_band(raw, BEAD_TYPES, params, np.zeros(m + 1, dtype=np.int64), n + 1,
                                n, m)
    assert (((30,), (30,)) in [(src, tgt) for src, tgt, _s in beads]) is linked
    assert sum(len(src) for src, _t, _s in beads) == n


def _decode_raw(raw: np.ndarray, params: AlignParams) -> list[tuple[tuple[int, ...], ...]]:
    from align.aligner import decode_band
    from align.features import BEAD_TYPES

    m1, _t, n1 = raw.shape
    beads, _t, _p = decode_band(raw, BEAD_TYPES, params, np.zeros(m1, dtype=np.int64), n1,
                                n1 - 1, m1 - 1)
    return [(src, tgt) for src, tgt, _s in beads]


@pytest.mark.parametrize("crossed, linked", [(None, False), (2.0, True)])
def test_crossed_skips_become_a_link(crossed: float | None, linked: bool) -> None:
    # sure links around one hopeless pair (-20): alone it is two skips (-6); with the floor
    # the pair scores at least -6 + 2 and is linked, as a loose translation at that place
    from align.dp import NEG
    from align.features import BEAD_TYPES

    n = m = 21
    raw = np.full((m + 1, 1 + len(BEAD_TYPES), n + 1), NEG, dtype=np.float32)
    for j in range(1, m + 1):
        raw[j, 1, j] = 5.0
    raw[11, 1, 11] = -20.0
    params = AlignParams(skip=-3.0, cover_skip=0.0, skip_adapt=0.0, crossed_link=crossed)
    beads = _decode_raw(raw, params)
    assert (((10,), (10,)) in beads) is linked
    assert (((10,), ()) in beads) is not linked and (((), (10,)) in beads) is not linked


def test_crossed_link_leaves_one_sided_skips() -> None:
    # an English sentence with no Russian counterpart at all stays a 1-0 bead
    from align.dp import NEG
    from align.features import BEAD_TYPES

    n, m = 21, 20
    raw = np.full((m + 1, 1 + len(BEAD_TYPES), n + 1), NEG, dtype=np.float32)
    for j in range(1, m + 1):
        i = j if j <= 10 else j + 1  # English sentence 10 is extra
        raw[j, 1, i] = 5.0
        for k in range(1, n + 1):
            if k != i:
                raw[j, 1, k] = -20.0
    beads = _decode_raw(raw, AlignParams(skip=-3.0, cover_skip=0.0, skip_adapt=0.0))
    assert ((10,), ()) in beads
    assert sum(len(src) for src, _t in beads) == n and sum(len(t) for _s, t in beads) == m


def test_params_from_model(tiny_model: Model) -> None:
    params = AlignParams.from_model(tiny_model)
    assert params.skip < 0 and len(params.type_offset) == 6


# --- CLI -----------------------------------------------------------------------------------

def write_doc(folder: Path, name: str, en, ru) -> None:
    (folder / f"{name}.en").write_text("\n".join(en) + "\n", encoding="utf-8")
    (folder / f"{name}.ru").write_text("\n".join(ru) + "\n", encoding="utf-8")


def test_cli_sentences_files(tmp_path: Path, tiny_model_path: str) -> None:
    en, ru, _gold = docs("hard")[0]
    write_doc(tmp_path, "doc", en, ru)
    out = tmp_path / "doc.align"
    result = CliRunner().invoke(main, ["sentences", str(tmp_path / "doc.en"),
                                       str(tmp_path / "doc.ru"), "-o", str(out),
                                       "--model", tiny_model_path])
    assert result.exit_code == 0, result.output
    beads = read_beads(out)
    check_beads(beads, len(en), len(ru))
    line = out.read_text(encoding="utf-8").splitlines()[0]
    assert line.count(":") == 2 and line.startswith("[")


def test_cli_sentences_directory(tmp_path: Path, tiny_model_path: str) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for k, (en, ru, _g) in enumerate(docs("natural")[:2]):
        write_doc(src, f"d{k}", en, ru)
    (src / "lonely.en").write_text("Alone.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["sentences", str(src), "-o", str(tmp_path / "out"),
                                       "--model", tiny_model_path])
    assert result.exit_code == 1
    assert "lonely" in result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["d0.align", "d1.align"]


@pytest.mark.parametrize("args", [["a", "b", "c"], ["DIR"]])
def test_cli_sentences_usage(tmp_path: Path, args) -> None:
    (tmp_path / "DIR").mkdir()
    (tmp_path / "a").write_text("x\n")
    args = [str(tmp_path / a) for a in args]
    result = CliRunner().invoke(main, ["sentences", *args])
    assert result.exit_code == 2


def test_cli_sentences_binary_input(tmp_path: Path, tiny_model_path: str) -> None:
    (tmp_path / "x.en").write_bytes(b"ok\n\x00\xfe\n\x00")
    (tmp_path / "x.ru").write_text("да\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["sentences", str(tmp_path / "x.en"),
                                       str(tmp_path / "x.ru"), "--model", tiny_model_path])
    assert result.exit_code == 1
    assert f"{tmp_path / 'x.en'}: binary file (NUL bytes), not text" in result.output


def test_cli_sentences_legacy_encoding(tmp_path: Path, tiny_model_path: str) -> None:
    # The article parser's detection for sentence files: cp1251 gives the UTF-8 file's beads.
    lines = "Мама мыла раму.\nПапа читал газету у окна.\n"
    (tmp_path / "x.en").write_text("Mother washed the frame.\nFather read a paper.\n")
    (tmp_path / "u.ru").write_text(lines, encoding="utf-8")
    (tmp_path / "c.ru").write_bytes(lines.encode("cp1251"))
    out = [CliRunner().invoke(main, ["sentences", str(tmp_path / "x.en"), str(tmp_path / ru),
                                     "--model", tiny_model_path]) for ru in ("u.ru", "c.ru")]
    assert out[0].exit_code == out[1].exit_code == 0
    assert out[0].stdout == out[1].stdout != ""


def test_cli_sentences_bad_model(tmp_path: Path) -> None:
    (tmp_path / "x.en").write_text("a\n")
    (tmp_path / "x.ru").write_text("б\n")
    result = CliRunner().invoke(main, ["sentences", str(tmp_path / "x.en"),
                                       str(tmp_path / "x.ru"), "--model",
                                       str(tmp_path / "none.model")])
    assert result.exit_code == 1 and "no such model" in result.output


def test_cli_text(tmp_path: Path, tiny_model_path: str) -> None:
    import json

    pytest.importorskip("align.segment")
    pairs = make_pairs(6, 3)
    (tmp_path / "en.txt").write_text(" ".join(e for e, _ in pairs) + "\n\nPhoto: AP & <b>\n",
                                     encoding="utf-8")
    (tmp_path / "ru.txt").write_text(" ".join(r for _, r in pairs) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["text", str(tmp_path / "en.txt"), str(tmp_path / "ru.txt"),
                                       "-o", str(out), "--model", tiny_model_path,
                                       "--show-unaligned"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 6
    texts = json.dumps(rows, ensure_ascii=False)
    assert "Photo: AP & <b>" in texts


# --- optional external encoder (a stand-in: no sentence-transformers needed) ---------------

class LexiconEncoder:
    """Stand-in for a sentence-transformers model: one dimension per toy-lexicon entry, so a
    sentence and its translation get the same vector."""

    def __init__(self) -> None:
        from test_model import LEXICON, NAMES, VERBS

        self.index: dict[str, int] = {}
        for k, (en, ru) in enumerate(LEXICON + VERBS + NAMES):
            self.index[en.lower()] = k
            self.index[ru.lower()] = k
        self.calls = 0

    def encode(self, texts):
        self.calls += 1
        out = np.zeros((len(texts), len(self.index) + 1), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().replace(".", " ").replace("?", " ").split():
                out[row, self.index.get(word, len(self.index))] += 1
        return out


def test_encoder_is_used_and_helps(tiny_model: Model) -> None:
    encoder = LexiconEncoder()
    golds, tests = [], []
    for en, ru, gold in docs("hard"):
        beads = align_sentences(en, ru, tiny_model, encoder=encoder)
        check_beads(beads, len(en), len(ru))
        golds += gold
        tests += [(b.src, b.tgt) for b in beads]
    assert encoder.calls == 2 * len(docs("hard"))
    assert score_alignment(golds, tests).f1_strict > 0.9


def test_encoder_changes_scores(tiny_model: Model) -> None:
    class Constant:
        def encode(self, texts):
            return np.ones((len(texts), 4), dtype=np.float32)

    en, ru, _gold = docs("natural")[0]
    plain = align_sentences(en, ru, tiny_model)
    boosted = align_sentences(en, ru, tiny_model, encoder=Constant())
    check_beads(boosted, len(en), len(ru))
    assert [b.score for b in plain] != [b.score for b in boosted] or plain == boosted


def test_cli_encoder_errors(tmp_path: Path, tiny_model_path: str) -> None:
    import importlib.util

    (tmp_path / "x.en").write_text("a\n")
    (tmp_path / "x.ru").write_text("б\n")
    args = ["sentences", str(tmp_path / "x.en"), str(tmp_path / "x.ru"), "--model", tiny_model_path]
    result = CliRunner().invoke(main, args + ["--encoder", str(tmp_path / "nowhere")])
    assert result.exit_code == 1 and "encoder directory not found" in result.output
    if importlib.util.find_spec("sentence_transformers") is None:
        (tmp_path / "enc").mkdir()
        result = CliRunner().invoke(main, args + ["--encoder", str(tmp_path / "enc")])
        assert result.exit_code == 1 and "not installed" in result.output
