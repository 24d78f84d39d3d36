"""align corpus: article files and directories -> headline and body pairs."""
from __future__ import annotations

import sys

import click

from .common import (
    encoder_option, format_option, get_encoder, model_option, output_format, output_options, plural, reports_errors, warn, write_pairs,
)


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="Corpus file to write ('-' for stdout).")
@format_option
@output_options
@click.option("--headlines-only", is_flag=True,
              help="Only pair headlines: no body alignment, no model, no scores.")
@click.option("--show-unaligned", is_flag=True,
              help="Also write body sentences with no counterpart (pairs with an empty side).")
@model_option
@encoder_option
@reports_errors
def corpus(inputs: tuple[str, ...], output: str, fmt: str | None,
           langs: tuple[str, str] | None, encoding: str | None, dedupe: bool,
           min_score: float | None, headlines_only: bool, show_unaligned: bool,
           model_path: str | None, encoder_path: str | None) -> None:
    """Build a parallel corpus from article files or directories (searched for *.txt).

    Every article with both an English and a Russian headline gives a headline pair, scored by
    its adequacy (as 'align score --qe' does). An article with a body in both languages also
    gives its aligned body sentences (kind 'body'), scored by the aligner's confidence. Files
    that fail to parse are reported and skipped; the corpus of the others is still written,
    and the exit code is then 1.
    """
    from ..corpus import Scorer, build_corpus, find_articles

    out_format = output_format(output, fmt)
    docs = find_articles(inputs)
    scorer = None if headlines_only else Scorer.load(model_path, get_encoder(encoder_path))
    stats = build_corpus(docs, scorer, unaligned=show_unaligned)
    written = write_pairs(stats.pairs(), output, out_format, langs=langs, encoding=encoding,
                          dedupe=dedupe, min_score=min_score, inputs=[d.path for d in docs])
    for name, message in stats.problems:
        warn(f"{name}: {message}")
    click.echo(f"{plural(stats.articles, 'article')}, {plural(written, 'pair')}, "
               f"{len(stats.skipped)} skipped", err=True)
    if stats.skipped:
        sys.exit(1)
