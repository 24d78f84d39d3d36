"""align.adapt: the Moore-style second pass, on the tiny trained model."""
from __future__ import annotations

import numpy as np
import pytest

from align.adapt import AdaptConfig, adapt_model, adapt_tables, align_adapted, confident_pairs
from align.aligner import align_sentences
from align.model import Model, Table
from align.types import Bead, check_beads

from test_model import make_pairs


def swapped_pairs(count: int, seed: int) -> list[tuple[str, str]]:
    """Toy pairs in which "river" is always rendered "мост" (the model learnt "река") and
    "bridge" never occurs: evidence only the input carries."""
    out = []
    for en, ru in make_pairs(count * 12, seed):
        words = en.lower().rstrip(".?").split()
        if "bridge" in words or "river" not in words:
            continue
        out.append((en, ru.replace("река", "мост").replace("Река", "Мост")))
        if len(out) == count:
            break
    return out


def t_value(table: Table, given: int, other: int) -> float:
    lo, hi = table.indptr[given], table.indptr[given + 1]
    hit = np.flatnonzero(table.indices[lo:hi] == other)
    return float(table.data[lo + hit[0]]) if len(hit) else 0.0


def piece(model: Model, word: str) -> int:
    ids = model.pieces([word])[0]
    assert len(ids) == 1, f"{word!r} is not one piece of the tiny model"
    return ids[0]


def tables(model: Model) -> list[np.ndarray]:
    return [a.copy() for t in (model.t_er, model.t_re) for a in (t.indptr, t.indices, t.data)]


@pytest.mark.parametrize("config", [AdaptConfig(mix="fixed", weight=0.5),
                                    AdaptConfig(mix="fixed", weight=1.0),
                                    AdaptConfig(mix="counts")])
def test_adapted_tables_keep_the_pruned_csr_format(tiny_model: Model, config) -> None:
    before = tables(tiny_model)
    adapted = adapt_tables(tiny_model, swapped_pairs(60, 1), config)
    assert adapted is not tiny_model
    for old, new in zip(before, tables(tiny_model)):  # the model itself is untouched
        assert np.array_equal(old, new)
    top = tiny_model.info["config"]["prune_top"]
    floor = tiny_model.info["config"]["prune_min"]
    for t in (adapted.t_er, adapted.t_re):
        assert t.rows == tiny_model.vocab
        assert t.indptr.dtype == np.int64 and t.indices.dtype == np.int32
        assert t.data.dtype == np.float32
        assert t.indptr[0] == 0 and t.indptr[-1] == len(t.indices) == len(t.data)
        lens = np.diff(t.indptr)
        assert lens.min() >= 0 and lens.max() <= top
        for row in range(t.rows):
            cols = t.indices[t.indptr[row]:t.indptr[row + 1]]
            assert np.all(np.diff(cols) > 0)
        assert t.data.min() >= floor * 0.999
        sums = np.bincount(np.repeat(np.arange(t.rows), lens), weights=t.data,
                           minlength=t.rows)
        assert sums.max() <= 1.0 + 1e-3
        # float16 precision, as the shipped tables hold
        assert np.array_equal(t.data, t.data.astype(np.float16).astype(np.float32))


@pytest.mark.parametrize("mix", ["fixed", "counts"])
def test_the_inputs_own_translation_gains_mass_and_unseen_rows_stay(tiny_model: Model,
                                                                    mix: str) -> None:
    river, bridge = piece(tiny_model, "river"), piece(tiny_model, "bridge")
    most, reka = piece(tiny_model, "мост"), piece(tiny_model, "река")
    adapted = adapt_tables(tiny_model, swapped_pairs(60, 1), AdaptConfig(mix=mix))
    assert t_value(adapted.t_er, river, most) > t_value(tiny_model.t_er, river, most) + 0.1
    assert t_value(adapted.t_er, river, reka) < t_value(tiny_model.t_er, river, reka)
    assert t_value(adapted.t_re, most, river) > t_value(tiny_model.t_re, most, river) + 0.1
    # "bridge" is in no input sentence: its row is the model's, entry for entry
    for new, old in ((adapted.t_er, tiny_model.t_er),):
        lo, hi = old.indptr[bridge], old.indptr[bridge + 1]
        nlo, nhi = new.indptr[bridge], new.indptr[bridge + 1]
        assert np.array_equal(old.indices[lo:hi], new.indices[nlo:nhi])
        assert np.array_equal(old.data[lo:hi], new.data[nlo:nhi])


def test_count_mixing_follows_the_amount_of_evidence(tiny_model: Model) -> None:
    river, most = piece(tiny_model, "river"), piece(tiny_model, "мост")
    shifts = []
    for count in (5, 40, 160):
        adapted = adapt_tables(tiny_model, swapped_pairs(count, 2), AdaptConfig(mix="counts"))
        shifts.append(t_value(adapted.t_er, river, most))
    assert shifts[0] < shifts[1] < shifts[2]
    # a fixed weight does not care how much the input says
    fixed = [t_value(adapt_tables(tiny_model, swapped_pairs(c, 2),
                                  AdaptConfig(mix="fixed", weight=0.5)).t_er, river, most)
             for c in (40, 160)]
    assert abs(fixed[0] - fixed[1]) < 0.1


def test_confident_pairs_keeps_sure_one_to_one_links_only() -> None:
    src, tgt = ["a", "b", "c", "d", "e"], ["A", "B", "C", "D"]
    beads = [Bead((0,), (0,), 0.95), Bead((1,), (1,), 0.5), Bead((2, 3), (2,), 0.99),
             Bead((4,), (), 1.0), Bead((), (3,), 1.0)]
    assert confident_pairs(src, tgt, beads, 0.9) == [("a", "A")]
    assert confident_pairs(src, tgt, beads, 0.4) == [("a", "A"), ("b", "B")]


def long_doc() -> tuple[list[str], list[str]]:
    pairs = make_pairs(400, 11)
    en = [e for e, _ in pairs]
    ru = [r for _, r in pairs]
    del ru[100:104]  # a missing paragraph
    return en, ru


def test_align_adapted_realigns_a_long_input(tiny_model: Model) -> None:
    en, ru = long_doc()
    config = AdaptConfig(min_links=50)
    first = align_sentences(en, ru, tiny_model)
    adapted = adapt_model(tiny_model, en, ru, first, config)
    assert adapted.info["adapted"]["pairs"] >= 50
    assert not np.array_equal(adapted.t_er.data, tiny_model.t_er.data)
    beads = align_adapted(en, ru, tiny_model, config=config)
    check_beads(beads, len(en), len(ru))
    assert all(0.0 <= b.score <= 1.0 for b in beads)
    assert set(range(100, 104)) <= {b.src[0] for b in beads if not b.tgt}
    links = [(b.src, b.tgt) for b in beads if b.src and b.tgt]
    right = sum(1 for s, t in links if len(s) == len(t) == 1
                and (s[0] == t[0] if s[0] < 100 else s[0] == t[0] + 4))
    assert right / len(links) > 0.97
    assert [str(b) for b in beads] == [str(b) for b in align_adapted(en, ru, tiny_model,
                                                                     config=config)]


def test_too_few_links_leave_the_first_pass(tiny_model: Model) -> None:
    pairs = make_pairs(30, 4)
    en, ru = [e for e, _ in pairs], [r for _, r in pairs]
    first = align_sentences(en, ru, tiny_model)
    assert align_adapted(en, ru, tiny_model) == first  # 30 links < min_links 200
    same = adapt_model(tiny_model, en, ru, first)
    assert "adapted" not in same.info
    assert np.array_equal(same.t_er.data, tiny_model.t_er.data)


@pytest.mark.parametrize("kwargs", [{"weight": 1.5}, {"weight": -0.1}, {"min_confidence": 2.0},
                                    {"mix": "average"}, {"max_pairs": 0}, {"iterations": 0}])
def test_bad_configs_are_refused(kwargs) -> None:
    with pytest.raises(ValueError):
        AdaptConfig(**kwargs)
