"""align sentences: one-sentence-a-line files (or a directory of them) -> bead files."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import AlignError
from .common import (
    encoder_option, get_encoder, max_bead_option, model_option, plural, reports_errors, warn,
)


@click.command()
@click.argument("inputs", nargs=-1, required=True, metavar="EN RU | DIR",
                type=click.Path(allow_dash=True))
@click.option("-o", "--output", default="-", type=click.Path(allow_dash=True),
              help="Bead file to write (default stdout); with DIR, the output directory.")
@model_option
@max_bead_option
@encoder_option
@reports_errors
def sentences(inputs: tuple[str, ...], output: str, model_path: str | None,
              max_bead: int, encoder_path: str | None) -> None:
    """Align sentences: EN and RU have one sentence a line.

    Writes one bead a line, [0]:[0, 1]:0.9731 (English indices, Russian indices, confidence);
    every line of both files is in exactly one bead, in order, and an empty side is [].
    With one argument DIR, every NAME.en/NAME.ru pair in DIR is aligned into OUTDIR/NAME.align
    (-o OUTDIR required), loading the model once.
    """
    from ..aligner import align_sentences
    from ..beads import write_beads
    from ..fileio import read_text_lines
    from ..model import load_model

    encoder = get_encoder(encoder_path)
    if len(inputs) == 2:
        en, ru = read_text_lines(inputs[0]), read_text_lines(inputs[1])
        beads = align_sentences(en, ru, load_model(model_path), max_bead=max_bead,
                                encoder=encoder)
        write_beads(beads, output)
        return
    if len(inputs) != 1 or not Path(inputs[0]).is_dir():
        raise click.UsageError("give two files EN RU, or one directory DIR with -o OUTDIR")
    if output == "-":
        raise click.UsageError("with a directory, -o OUTDIR is required")
    folder, outdir = Path(inputs[0]), Path(output)
    if outdir.exists() and not outdir.is_dir():
        raise click.UsageError(f"{output} exists and is not a directory")
    names = sorted({p.stem for p in folder.glob("*.en")} | {p.stem for p in folder.glob("*.ru")})
    loaded = load_model(model_path)
    done = failed = 0
    for name in names:
        en_path, ru_path = folder / f"{name}.en", folder / f"{name}.ru"
        if not (en_path.is_file() and ru_path.is_file()):
            warn(f"{en_path if not en_path.is_file() else ru_path}: missing, {name} skipped")
            failed += 1
            continue
        try:
            en, ru = read_text_lines(en_path), read_text_lines(ru_path)
            beads = align_sentences(en, ru, loaded, max_bead=max_bead, encoder=encoder)
            write_beads(beads, outdir / f"{name}.align")
            done += 1
        except AlignError as exc:
            click.echo(f"Error: {exc}", err=True)
            failed += 1
    click.echo(f"{plural(done, 'document')} aligned into {outdir}"
               + (f", {failed} failed" if failed else ""), err=True)
    if failed:
        sys.exit(1)
