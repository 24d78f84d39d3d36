"""align model train: build the bilingual similarity model from training pairs."""
from __future__ import annotations


import click

from .common import check_inputs, check_output, reports_errors


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
    from ..train import TrainConfig, read_train_pairs, train_model

    check_inputs([train_file, *extra_files])
    check_output(output, [train_file, *extra_files])
    log = None if quiet else (lambda message: click.echo(message, err=True))
    extra = [pair for name in extra_files for pair in read_train_pairs(name)]
    train_model(train_file, output, TrainConfig(vocab_size=vocab_size), log=log, extra=extra,
                extra_names=extra_files)
