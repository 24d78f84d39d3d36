"""align.qe: reference-free adequacy (``align score --qe``) and its calibration, on a tiny model
trained on a toy lexicon (shared with the CLI tests)."""
from __future__ import annotations

import pytest

from align.errors import AlignError, InputError
from align.formats import FORMATS
from align.types import Pair
from test_metrics import TRICKY

WORDS = [("president", "президент"), ("city", "город"), ("water", "вода"), ("school", "школа"),
         ("river", "река"), ("bank", "банк"), ("market", "рынок"), ("police", "полиция"),
         ("doctor", "врач"), ("court", "суд"), ("minister", "министр"), ("price", "цена"),
         ("road", "дорога"), ("house", "дом"), ("winter", "зима"), ("forest", "лес"),
         ("ship", "корабль"), ("letter", "письмо"), ("garden", "сад"), ("bridge", "мост")]
QE_VERBS = [("said", "сказал"), ("built", "построил"), ("closed", "закрыл"), ("saw", "увидел")]


def toy_pairs(count: int, seed: int) -> list[tuple[str, str]]:
    """Word-by-word translations over a toy lexicon, numbers copied: learnable by a tiny model."""
    import random

    rng = random.Random(seed)
    pairs = []
    for _ in range(count):
        words = [rng.choice(WORDS) for _ in range(rng.randint(3, 7))]
        verb = rng.choice(QE_VERBS)
        en = [words[0][0], verb[0], *(w[0] for w in words[1:])]
        ru = [words[0][1], verb[1], *(w[1] for w in words[1:])]
        if rng.random() < 0.3:
            number = str(rng.randint(2, 5000))
            en.append(number)
            ru.append(number)
        pairs.append((" ".join(en).capitalize() + ".", " ".join(ru).capitalize() + "."))
    return pairs


def tiny_model_path(tmp_path_factory) -> str:
    """A tiny model trained on toy pairs, once per test session (shared with the CLI tests)."""
    from align.train import TrainConfig, train_model

    path = tmp_path_factory.getbasetemp() / "qe-tiny.model"
    if not path.exists():
        config = TrainConfig(vocab_size=300, em_iterations=4, emb_dim=16, heldout_every=3)
        train_model(None, path, config, pairs=toy_pairs(450, 1))
    return str(path)


@pytest.fixture(scope="module")
def qe_model(tmp_path_factory):
    from align.model import load_model

    return load_model(tiny_model_path(tmp_path_factory))


def test_adequacy_ranks_translations_above_neighbours(qe_model):
    from align.qe import score_adequacy

    pairs = toy_pairs(40, 99)
    good = [Pair(en=e, ru=r) for e, r in pairs]
    # the Russian side moved by one: a neighbouring sentence, not a translation
    bad = [Pair(en=pairs[i][0], ru=pairs[(i + 1) % len(pairs)][1]) for i in range(len(pairs))]
    good_scores = [p.score for p in score_adequacy(good, qe_model)]
    bad_scores = [p.score for p in score_adequacy(bad, qe_model)]
    assert all(0.0 <= s <= 1.0 for s in good_scores + bad_scores)
    # each translation above its own shuffled pair, and the scale means what it says
    assert sum(g > b for g, b in zip(good_scores, bad_scores)) >= 39
    assert sum(good_scores) / len(good) > 0.8 > 0.2 > sum(bad_scores) / len(bad)


def test_adequacy_streams_in_batches_and_keeps_fields(qe_model):
    from align.qe import QE_BATCH, score_adequacy

    pairs = [Pair(en=e, ru=r, score=0.1, kind="body", doc=f"d{i}", props={"k": "v"})
             for i, (e, r) in enumerate(toy_pairs(QE_BATCH + 7, 3))]
    out = list(score_adequacy(iter(pairs), qe_model))
    assert [(p.en, p.ru, p.kind, p.doc, dict(p.props)) for p in out] == [
        (p.en, p.ru, p.kind, p.doc, {"k": "v"}) for p in pairs]
    expected = [*qe_model.score_pairs([p.en for p in pairs[:QE_BATCH]],
                                      [p.ru for p in pairs[:QE_BATCH]]),
                *qe_model.score_pairs([p.en for p in pairs[QE_BATCH:]],
                                      [p.ru for p in pairs[QE_BATCH:]])]
    assert [p.score for p in out] == [float(s) for s in expected]
    assert list(score_adequacy(iter(pairs), qe_model)) == out  # deterministic


def test_read_qe_pairs(tmp_path):
    from align.qe import read_qe_pairs

    en, ru = tmp_path / "a.en.txt", tmp_path / "a.ru.txt"
    en.write_text("One & «two»\nThree\n", encoding="utf-8")
    ru.write_text("Один и «два»\nТри\n", encoding="utf-8")
    assert [(p.en, p.ru) for p in read_qe_pairs([en, ru])] == [
        ("One & «two»", "Один и «два»"), ("Three", "Три")]
    corpus = tmp_path / "c.jsonl"
    FORMATS["jsonl"].write(TRICKY, corpus)
    assert list(read_qe_pairs([corpus])) == TRICKY


@pytest.mark.parametrize("files,error,message", [
    ({"a.txt": "x\ny\n", "b.txt": "x\n"}, InputError, r"b\.txt: 1 lines, but .*a\.txt has 2"),
    ({"a.txt": "", "b.txt": ""}, InputError, r"a\.txt: empty file"),
    ({"c.jsonl": ""}, InputError, r"c\.jsonl: empty input: no pairs"),
    ({"c.xyz": "x"}, AlignError, "cannot tell the format"),
    ({"a.txt": "x", "b.txt": "x", "c.txt": "x"}, AlignError, "one corpus file, or"),
])
def test_read_qe_pairs_errors(tmp_path, files, error, message):
    from align.qe import read_qe_pairs

    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(error, match=message):
        list(read_qe_pairs([tmp_path / name for name in files]))


@pytest.mark.parametrize("mu_pos,mu_neg,a,b", [(1.0, -1.0, 2.0, 0.0), (0.0, -2.0, 2.0, 2.0),
                                                (-3.0, -4.0, 1.0, 3.5)])
def test_fit_calibration_recovers_the_bayes_posterior(mu_pos, mu_neg, a, b):
    """Logits N(mu_pos, 1) for translations, N(mu_neg, 1) for the rest (in other numbers):
    with the classes weighted equally the posterior is sigmoid(a x + b), a = mu_pos - mu_neg,
    b = (mu_neg² - mu_pos²) / 2, and Platt scaling must find it."""
    import numpy as np

    from align.train.fit import fit_calibration

    rng = np.random.default_rng(0)
    pos = 1 / (1 + np.exp(-rng.normal(mu_pos, 1, 20000)))
    neg = 1 / (1 + np.exp(-rng.normal(mu_neg, 1, 30000)))
    cal = fit_calibration(pos, neg, "abc")
    assert cal.a == pytest.approx(a, abs=0.05) and cal.b == pytest.approx(b, abs=0.1)
    assert (cal.model_sha256, cal.pairs) == ("abc", 50000)
    assert fit_calibration(pos, neg) == fit_calibration(pos, neg)  # deterministic


def test_calibration_apply():
    import numpy as np

    from align.qe import Calibration

    p = np.array([1e-12, 0.01, 0.5, 0.9, 1.0])
    assert np.allclose(Calibration(1.0, 0.0, "").apply(p)[:4], p[:4], rtol=1e-9)
    shifted = Calibration(1.0, np.log(9), "").apply(np.array([0.5]))
    assert shifted[0] == pytest.approx(0.9)
    out = Calibration(2.0, 1.0, "").apply(p)
    assert np.all(np.diff(out) > 0) and np.all((0 <= out) & (out <= 1))


def test_calibration_for_matches_the_model_file(tmp_path):
    import json

    from align.qe import calibration_for, file_sha256

    model = tmp_path / "m.model"
    model.write_bytes(b"model bytes")
    other = tmp_path / "o.model"
    other.write_bytes(b"other bytes")
    table = tmp_path / "t.json"
    table.write_text(json.dumps([{"model_sha256": file_sha256(model), "a": 1.5, "b": -2,
                                  "pairs": 10}]), encoding="utf-8")
    cal = calibration_for(model, table)
    assert (cal.a, cal.b, cal.pairs) == (1.5, -2.0, 10)
    assert calibration_for(other, table) is None
    table.write_text('{"a": 1}', encoding="utf-8")
    with pytest.raises(InputError, match="not a calibration table"):
        calibration_for(model, table)
    with pytest.raises(InputError, match="no such calibration table"):
        calibration_for(model, tmp_path / "missing.json")


def test_trained_model_keeps_its_adequacy_calibration(tmp_path_factory):
    from align.model import load_model
    from align.qe import calibration_for, file_sha256

    path = tiny_model_path(tmp_path_factory)
    own = load_model(path).params["adequacy"]
    cal = calibration_for(path)
    assert (cal.a, cal.b, cal.pairs) == (own["a"], own["b"], own["pairs"])
    assert cal.a > 0 and cal.model_sha256 == file_sha256(path)
