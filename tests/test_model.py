"""align.model: text signals, training on a tiny generated corpus, saving/loading, scoring."""
from __future__ import annotations

import functools
import zipfile
from pathlib import Path

import numpy as np
import pytest

from align.errors import InputError, ModelError
from align.features import FEATURES, LEXICAL, PLANES, en_keys, ru_keys, skeleton, transliterate
from align.model import Model, load_model, read_model, save_model
from align.train import TrainConfig, read_train_pairs, train_model
from align.train.fit import isotonic
from align.train.synthetic import synthetic_docs

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

# A toy bilingual lexicon: sentences are built word by word, so a small model can learn it.
LEXICON = [
    ("president", "президент"), ("government", "правительство"), ("city", "город"),
    ("water", "вода"), ("school", "школа"), ("army", "армия"), ("river", "река"),
    ("bank", "банк"), ("market", "рынок"), ("police", "полиция"), ("doctor", "врач"),
    ("station", "вокзал"), ("court", "суд"), ("minister", "министр"), ("price", "цена"),
    ("road", "дорога"), ("child", "ребёнок"), ("house", "дом"), ("winter", "зима"),
    ("forest", "лес"), ("ship", "корабль"), ("letter", "письмо"), ("garden", "сад"),
    ("village", "деревня"), ("bridge", "мост"), ("storm", "буря"), ("factory", "завод"),
    ("teacher", "учитель"), ("island", "остров"), ("mountain", "гора"),
]
VERBS = [("said", "сказал"), ("built", "построил"), ("closed", "закрыл"), ("saw", "увидел"),
         ("opened", "открыл"), ("sold", "продал")]
NAMES = [("Trump", "Трамп"), ("Minsk", "Минск"), ("Lukashenko", "Лукашенко"),
         ("Moscow", "Москва"), ("Bennett", "Беннет")]


def make_pairs(count: int, seed: int) -> list[tuple[str, str]]:
    """Deterministic English–Russian sentence pairs over the toy lexicon."""
    rng = np.random.default_rng(seed)
    pairs = []
    for _ in range(count):
        k = int(rng.integers(3, 8))
        words = [LEXICON[int(i)] for i in rng.integers(0, len(LEXICON), k)]
        verb = VERBS[int(rng.integers(0, len(VERBS)))]
        en = [words[0][0], verb[0]] + [w[0] for w in words[1:]]
        ru = [words[0][1], verb[1]] + [w[1] for w in words[1:]]
        if rng.random() < 0.4:
            name = NAMES[int(rng.integers(0, len(NAMES)))]
            en.insert(1, name[0])
            ru.insert(1, name[1])
        if rng.random() < 0.3:
            num = str(int(rng.integers(2, 5000)))
            en.append(num)
            ru.append(num)
        end = "?" if rng.random() < 0.1 else "."
        pairs.append((" ".join(en).capitalize() + end, " ".join(ru).capitalize() + end))
    return pairs


TINY_CONFIG = TrainConfig(vocab_size=300, em_iterations=4, emb_dim=16, heldout_every=3)


@functools.lru_cache(maxsize=1)
def tiny_model_file(directory: str) -> str:
    path = Path(directory) / "tiny.model"
    train_model(None, path, TINY_CONFIG, pairs=make_pairs(450, 1))
    return str(path)


# --- text signals ------------------------------------------------------------------------

@pytest.mark.parametrize("en, ru", [
    ("Trump", "Трамп"), ("Trump", "Трампа"), ("Lukashenko", "Лукашенко"),
    ("Minsk", "Минске"), ("Tymoshenko", "Тимошенко"), ("Bennett", "Беннет"),
])
def test_name_skeletons_meet_across_scripts(en: str, ru: str) -> None:
    assert skeleton(en)[:4] == skeleton(transliterate(ru))[:4]


@pytest.mark.parametrize("en, ru", [("10,000 people", "10 000 человек"),
                                    ("5.78 million", "5,78 миллиона"),
                                    ("COVID-19 cases", "случаи COVID-19")])
def test_numbers_and_latin_tokens_match(en: str, ru: str) -> None:
    all_en, _strong = en_keys(en)
    assert set(ru_keys(ru)) <= set(all_en)


def test_different_numbers_do_not_match() -> None:
    assert not set(ru_keys("в 2019 году")) & set(en_keys("in 2020")[0])


def test_isotonic_is_monotone_and_fits_steps() -> None:
    x = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
    y = np.array([0, 1, 0, 1, 1, 1], dtype=float)
    kx, ky = isotonic(x, y)
    assert all(b >= a for a, b in zip(ky, ky[1:]))
    assert np.interp(0.6, kx, ky) == 1.0 and np.interp(0.1, kx, ky) == 0.0


def test_synthetic_docs_have_consistent_gold() -> None:
    from align.types import Bead, check_beads

    for en, ru, gold in synthetic_docs(make_pairs(100, 5), seed=3, size=20):
        check_beads([Bead(tuple(s), tuple(t)) for s, t in gold], len(en), len(ru))


# --- training, saving, loading -----------------------------------------------------------

def test_training_is_deterministic(tmp_path: Path, tiny_model_path: str) -> None:
    again = tmp_path / "again.model"
    train_model(None, again, TINY_CONFIG, pairs=make_pairs(450, 1))
    assert again.read_bytes() == Path(tiny_model_path).read_bytes()


def test_round_trip(tmp_path: Path, tiny_model: Model) -> None:
    path = tmp_path / "copy.model"
    save_model(tiny_model, path)
    back = read_model(path)
    assert np.array_equal(back.weights, tiny_model.weights)
    assert back.params == tiny_model.params
    assert np.array_equal(back.t_er.data, tiny_model.t_er.data)


def test_model_scores_translations_above_non_translations(tiny_model: Model) -> None:
    pairs = make_pairs(40, 99)
    en = [e for e, _ in pairs]
    ru = [r for _, r in pairs]
    good = tiny_model.score_pairs(en, ru)
    bad = tiny_model.score_pairs(en, ru[1:] + ru[:1])
    assert good.shape == (40,) and ((good >= 0) & (good <= 1)).all()
    assert good.mean() > 0.8 and bad.mean() < 0.3
    assert (good > bad).mean() > 0.9


def test_untranslated_copies_are_fully_covered(tiny_model: Model) -> None:
    # A sentence left in the source language on both sides shares every piece with itself;
    # the tables never saw Russian on the English side, so only the identity rule covers it.
    text = ["Врач уточняет, что небольшие дозы не влияют на сон.",
            "Речь идет в первую очередь о чае, кофе и шоколаде."]
    e, r = tiny_model.prepare(text, text)
    planes = tiny_model.bead_planes(e, r, 0, 2, 0, 2, ((1, 1),))[(1, 1)]
    for name in ("cov_r", "cov_e", "wcov_r", "wcov_e"):
        plane = planes[PLANES.index(name)]
        assert np.allclose(np.diagonal(plane), 1.0), name
        assert (np.diagonal(plane) > plane[0, 1]).all() and (np.diagonal(plane) > plane[1, 0]).all()


def test_structured_stage_learns_to_decode(tiny_model_path: str) -> None:
    from align.train import _fit_weights, split_pairs
    from align.train.perceptron import LAYOUT, decode_document, fit_structured, prepare_document
    from align.train.tables import build_tables

    pairs = make_pairs(450, 1)
    train, held = split_pairs(pairs, TINY_CONFIG)
    model = build_tables(pairs, train, TINY_CONFIG, lambda _m: None)
    docs = synthetic_docs(held, seed=4, rounds=2)
    _fit_weights(model, docs, lambda _m: None)

    def wrong(theta: np.ndarray) -> int:
        prepared = [prepare_document(model, en, ru, gold, 0.3) for en, ru, gold in docs]
        return sum(decode_document(d, theta, 0.0) != d["gold"] for d in prepared)

    before = wrong(LAYOUT.pack(model.weights, model.bias, -3.5, 4.0))
    model.params["nolex"] = {"weights": [0.0] * len(FEATURES), "bias": 0.0}
    fit_structured(model, docs, TINY_CONFIG, lambda _m: None)
    align = model.params["align"]
    after = wrong(LAYOUT.pack(model.weights, 0.0, align["skip"], align["cover_skip"]))
    assert before > 0 and after < before
    # the logistic classifier is kept for adequacy scores
    assert len(model.params["classifier"]["weights"]) == len(FEATURES)


def test_perceptron_theta_layout_names_every_slot() -> None:
    from align.train.perceptron import LAYOUT

    slots = np.zeros(LAYOUT.size, dtype=int)
    slots[LAYOUT.planes] += 1
    slots[LAYOUT.types] += 1
    slots[[LAYOUT.skip, LAYOUT.cover]] += 1
    assert (slots == 1).all()
    weights = np.arange(len(FEATURES), dtype=np.float64)
    theta = LAYOUT.pack(weights, 0.5, -3.0, 4.0)
    assert theta[LAYOUT.skip] == -3.0 and theta[LAYOUT.cover] == -4.0
    assert np.allclose(LAYOUT.bead_weights(theta)[:len(PLANES)], weights[:len(PLANES)])
    assert np.allclose(LAYOUT.bead_weights(theta)[len(PLANES):], weights[len(PLANES):] + 0.5)


def test_no_lexicon_baseline_has_no_lexical_weights(tiny_model: Model) -> None:
    nolex = tiny_model.params["nolex"]
    assert "skip" in nolex["align"]
    for name, weight in zip(FEATURES, nolex["weights"]):
        if name in LEXICAL:
            assert weight == 0.0, name
    assert tiny_model.without_lexicon().params["align"]["skip"] == nolex["align"]["skip"]


def test_features_shape(tiny_model: Model) -> None:
    e, r = tiny_model.prepare(["A city.", "A river.", "A bank."], ["Город.", "Река."])
    feats = tiny_model.features(e, r, 0, 3, 0, 2)
    assert feats[(1, 1)].shape == (3, 2, len(FEATURES))
    assert feats[(2, 1)].shape == (2, 2, len(FEATURES))
    assert feats[(1, 3)].shape[1] == 0


def test_score_pairs_length_mismatch(tiny_model: Model) -> None:
    with pytest.raises(ValueError):
        tiny_model.score_pairs(["a"], [])


@pytest.mark.parametrize("content, message", [
    (b"not a zip", "corrupt"),
    (None, "no such model"),
])
def test_bad_model_files(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "bad.model"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ModelError, match=message):
        read_model(path)


def test_wrong_kind_of_zip(tmp_path: Path) -> None:
    path = tmp_path / "other.model"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("header.json", '{"kind": "something-else"}')
    with pytest.raises(ModelError, match="not an align model"):
        read_model(path)


@pytest.mark.parametrize("content, message", [
    (b"", "no training pairs"),
    (b"only one column\n", "expected"),
    (b"\xff\xfe bad", "UTF-8"),
])
def test_bad_training_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "train.tsv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_train_pairs(path)


def test_training_file_gz_and_extra_columns(tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "train.tsv.gz"
    path.write_bytes(gzip.compress("Hello & <b>\tПривет & <b>\torigin\n\nA\tБ\n".encode()))
    assert read_train_pairs(path) == [("Hello & <b>", "Привет & <b>"), ("A", "Б")]


def test_cached_loading(tiny_model_path: str) -> None:
    assert load_model(tiny_model_path) is load_model(tiny_model_path)


@pytest.mark.skipif(not (Path(__file__).resolve().parents[1] / "align" / "data" / "enru.model")
                    .is_file(), reason="shipped model not built")
def test_shipped_model_loads_and_is_small() -> None:
    from align.model import DEFAULT_MODEL

    assert DEFAULT_MODEL.stat().st_size < 8 * 2**20
    model = load_model()
    score = model.score_pairs(["The president said."], ["Президент сказал."])
    assert score[0] > 0.5


def test_extra_pairs_reach_the_tables_only(tmp_path: Path, tiny_model: Model) -> None:
    # words the toy corpus never has: only the extra pairs can teach the tables them
    extra = [("zebra", "зебра"), ("giraffe", "жираф"), ("camel", "верблюд")] * 20
    model = train_model(None, tmp_path / "zoo.model", TINY_CONFIG, pairs=make_pairs(450, 1),
                        extra=extra, extra_names=["dir/zoo.tsv"])
    assert model.info["extra_pairs"] == 60 and model.info["extra_files"] == ["zoo.tsv"]
    assert "extra pairs" in model.info["licence"] and "extra_pairs" not in tiny_model.info
    assert model.sp_bytes == tiny_model.sp_bytes  # same vocabulary
    en, ru = ["The zebra saw the camel.", "A giraffe."], ["Зебра увидела верблюда.", "Жираф."]

    def coverage(m: Model) -> float:
        e, r = m.prepare(en, ru)
        cov = m.features(e, r, 0, 2, 0, 2)[(1, 1)][..., PLANES.index("cov_r")]
        return float(np.trace(cov))

    assert coverage(model) > coverage(tiny_model) + 0.5


@pytest.mark.parametrize("train_text, extra_text, bad", [
    ("just one column\n", "zebra\tзебра\n", "train.tsv"),
    ("zebra\tзебра\n", "no tab here\n", "extra.tsv"),
    ("zebra\tзебра\n", None, "extra.tsv"),
])
def test_cli_model_train_reports_bad_input(tmp_path: Path, train_text: str, extra_text,
                                           bad: str) -> None:
    from click.testing import CliRunner

    from align.cli import main

    (tmp_path / "train.tsv").write_text(train_text, encoding="utf-8")
    if extra_text is not None:
        (tmp_path / "extra.tsv").write_text(extra_text, encoding="utf-8")
    result = CliRunner().invoke(main, ["model", "train", str(tmp_path / "train.tsv"),
                                       "--extra-pairs", str(tmp_path / "extra.tsv"),
                                       "-o", str(tmp_path / "out.model"), "-q"])
    assert result.exit_code == 1, result.output
    assert bad in result.output and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "out.model").exists()
