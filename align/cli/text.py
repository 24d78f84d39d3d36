"""align text: two raw texts -> segmented, aligned pairs in a corpus format."""
from __future__ import annotations

from pathlib import Path

import click

from .common import (
    check_encoding, encoder_option, format_option, get_encoder, max_bead_option, model_option, output_format, output_options, plural, reports_errors, write_pairs,
)


@click.command()
@click.argument("en_file", metavar="EN_FILE", type=click.Path(dir_okay=False, allow_dash=True))
@click.argument("ru_file", metavar="RU_FILE", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="Corpus file to write ('-' for stdout, then give --format).")
@format_option
@output_options
@click.option("--show-unaligned", is_flag=True,
              help="Also write sentences with no counterpart (pairs with an empty side).")
@click.option("--paragraphs", is_flag=True,
              help="Treat paragraphs as hard boundaries when both texts have the same number.")
@model_option
@max_bead_option
@encoder_option
@reports_errors
def text(en_file: str, ru_file: str, output: str, fmt: str | None,
         langs: tuple[str, str] | None, encoding: str | None, dedupe: bool,
         min_score: float | None, show_unaligned: bool, paragraphs: bool,
         model_path: str | None, max_bead: int, encoder_path: str | None) -> None:
    """Align two raw texts: segment into sentences, align, write pairs in a corpus format.

    Each pair carries the aligner's confidence as its score (--min-score drops weak links).
    Sentences merged into one bead are joined with a space.
    """
    from ..aligner import align
    from ..corpus import alignment_pairs
    from ..fileio import read_text
    from ..model import load_model
    from ..segment import split_sentences

    out_format = output_format(output, fmt)
    check_encoding(out_format, encoding)
    en_text, ru_text = read_text(en_file), read_text(ru_file)
    src, tgt = split_sentences(en_text, "en"), split_sentences(ru_text, "ru")
    result = align(src, tgt, load_model(model_path), paragraph_boundaries=paragraphs,
                   max_bead=max_bead, encoder=get_encoder(encoder_path))
    pairs = alignment_pairs(result, "sentence", Path(en_file).name, unaligned=show_unaligned)
    written = write_pairs(pairs, output, out_format, langs=langs, encoding=encoding,
                          dedupe=dedupe, min_score=min_score, inputs=[en_file, ru_file])
    links = sum(1 for b in result.beads if b.src and b.tgt)
    click.echo(f"{len(src)} English and {len(tgt)} Russian sentences, "
               f"{plural(links, 'link')}, {plural(written, 'pair')} written", err=True)
