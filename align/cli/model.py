"""align model train: build the bilingual similarity model from training pairs."""
from __future__ import annotations


import click

from .checks import check_inputs, check_output
from .common import reports_errors


# --- sentence alignment (align/model.py, align/aligner.py) -----------------------------------

@click.group()
def model() -> None:
    """Build the built-in English–Russian similarity model."""


@model.command("train")
@click.argument("train_file", metavar="TRAIN.tsv[.gz]", type=click.Path(allow_dash=True))
@click.option("-o", "--output", required=True, type=click.Path(),
              help="Model file to write (the shipped one is align/data/enru.model).")
@click.option("--vocab-size", type=click.IntRange(200, 60000), default=8000, show_default=True,
              help="Joint sentencepiece vocabulary size.")
@click.option("--extra-pairs", "extra_files", multiple=True, type=click.Path(allow_dash=True),
              help="More English<TAB>Russian pairs (a dictionary, a term base) for the "
                   "translation tables, not the vocabulary or the weights; repeatable. The "
                   "model then derives from them too, under their licence.")
@click.option("-q", "--quiet", is_flag=True, help="No progress messages.")
@reports_errors
def model_train(train_file: str, output: str, vocab_size: int, extra_files: tuple[str, ...],
                quiet: bool) -> None:
    """Train the similarity model from English<TAB>Russian pairs (deterministic).

    Learns a joint subword vocabulary, IBM Model 1 tables both ways, a bead classifier, the
    aligner's weights and skip costs (a structured perceptron), the confidence calibration and
    the adequacy calibration of 'score --qe' (all but the tables on held-out training pairs and
    synthetic documents made from them).
    """
    from ..train import TrainConfig, train_model

    check_inputs([train_file, *extra_files])
    check_output(output, [train_file, *extra_files])
    log = None if quiet else (lambda message: click.echo(message, err=True))
    pairs = _read_pairs(train_file)
    extra = [pair for name in extra_files for pair in _read_pairs(name)]
    train_model(train_file, output, TrainConfig(vocab_size=vocab_size), log=log, pairs=pairs,
                extra=extra, extra_names=extra_files)


def _read_pairs(path: str) -> list[tuple[str, str]]:
    """The pairs of a training file; one holding nothing but white space is an ``empty file``,
    as for every other command's inputs. (``read_train_pairs`` skips blank lines and raises on
    any other line that is no pair, so "no training pairs" means exactly that.)"""
    from ..errors import InputError
    from ..train import read_train_pairs

    try:
        return read_train_pairs(path)
    except InputError as exc:
        if exc.message == "no training pairs" and exc.line is None:
            raise InputError("empty file", exc.path) from None
        raise
