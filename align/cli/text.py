"""align text: raw texts (one or more EN RU file pairs) -> segmented, aligned pairs."""
from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

import click

from ..errors import InputError, LanguageError
from ..fileio import file_stamp
from .checks import check_languages, check_output, force_option
from .common import (
    check_encoding, content_epoch, encoder_option, format_option, input_format_option,
    max_bead_option, model_option, output_format, output_options, plural, reports_errors,
    resume_options, run_pairs, scale_options, warn, write_pairs,
)

if TYPE_CHECKING:
    from ..corpus import DocSummary

#: File pairs per task: a text is a whole document, often thousands of sentences.
TASK_SIZE = 1


@click.command()
@click.argument("files", nargs=-1, required=True, metavar="EN_FILE RU_FILE [EN_FILE RU_FILE]...",
                type=click.Path(allow_dash=True))
@click.option("-o", "--output", default=None, type=click.Path(allow_dash=True),
              help="Corpus file to write ('-' for stdout, then give --format); optional with "
                   "--shards.")
@format_option
@output_options
@click.option("--show-unaligned", is_flag=True,
              help="Also write sentences with no counterpart (pairs with an empty side).")
@input_format_option
@click.option("--paragraphs", is_flag=True,
              help="Treat paragraphs as hard boundaries when both texts have the same number.")
@force_option
@model_option
@max_bead_option
@encoder_option
@scale_options
@resume_options
@reports_errors
def text(files: tuple[str, ...], output: str | None, fmt: str | None,
         langs: tuple[str, str] | None, encoding: str | None, dedupe: bool,
         min_score: float | None, show_unaligned: bool, input_format: str | None,
         paragraphs: bool, force: bool,
         model_path: str | None, max_bead: int, encoder_path: str | None, jobs: int | None,
         dask_address: str | None, quiet: bool, shards_dir: str | None, resume: bool) -> None:
    """Align two documents: read, segment into sentences, align, write pairs in a corpus format.

    A document is plain text (any common encoding), HTML, DOCX, ODT, EPUB, SRT or PDF, told
    by its extension, else its content, or by --input-format.

    Each pair carries the aligner's confidence as its score (--min-score drops weak links).
    Sentences merged into one bead are joined with a space. Several EN_FILE RU_FILE pairs go
    into one corpus, in the order given (each pair's 'doc' is its English file's name), aligned
    on all cores (--jobs) or a Dask cluster (--dask); a pair that cannot be read, or that looks
    swapped or of one language (see --force), is reported and skipped (exit code 1); with one
    pair, that is the command's error.
    """
    import functools

    from ..corpus import load_scorer, text_pairs
    from ..engine import Setup
    from ..inputs import read_document

    if len(files) % 2:
        raise click.UsageError("give the texts as pairs: EN_FILE RU_FILE [EN_FILE RU_FILE]...")
    if files.count("-") > 1:
        raise click.UsageError("standard input ('-') can be read only once")
    if output is None and shards_dir is None:
        raise click.UsageError("Missing option '-o' / '--output' (or give --shards DIR)")
    single = len(files) == 2
    out_format = output_format(output, fmt) if output is not None else None
    if out_format is not None:
        check_encoding(out_format, encoding)
    check_output(output, [*files, model_path], out_format)
    pairs_of_files = [(files[i], files[i + 1]) for i in range(0, len(files), 2)]
    total = len(pairs_of_files)
    looks_swapped = []
    for en_file, ru_file in pairs_of_files:
        try:
            check_languages(en_file, ru_file, force=force, reader=lambda path: read_document(
                path, input_format).text)
        except LanguageError as exc:
            if single:  # one text pair: its problem is the command's error
                raise
            # One of several: a bad input like any other, reported and skipped (exit 1).
            warn(f"{exc}; skipped")
            looks_swapped.append((en_file, ru_file))
    pairs_of_files = [pair for pair in pairs_of_files if pair not in looks_swapped]
    aligned_files = [f for pair in pairs_of_files for f in pair]
    if dask_address:  # workers elsewhere have another working directory
        pairs_of_files = [(os.path.abspath(en), os.path.abspath(ru)) for en, ru in pairs_of_files]
    if "-" in files:
        jobs, dask_address = 1, None  # standard input is only readable in this process
    stats: dict[str, Any] = {"en": 0, "ru": 0, "links": 0, "skipped": len(looks_swapped)}

    def report(summary: DocSummary, replayed: bool) -> None:
        if summary.error:
            if single:  # one text pair: its problem is the command's error
                raise InputError(summary.error, summary.path)
            stats["skipped"] += 1
            if not replayed:
                warn(f"{summary.path}: {summary.error}")
            return
        if not replayed:
            for message in summary.warnings:
                warn(message)
        stats["en"] += summary.sentences[0]
        stats["ru"] += summary.sentences[1]
        stats["links"] += summary.links

    def write(pairs: Any, epoch: float | None) -> int:
        return write_pairs(pairs, output, out_format, langs=langs, encoding=encoding,
                           dedupe=dedupe, min_score=min_score, epoch=epoch)

    key = ["text", show_unaligned, paragraphs, max_bead, model_path, encoder_path,
           [(f, *file_stamp(f)) for f in aligned_files]] + ([input_format] if input_format else [])
    func = functools.partial(text_pairs, unaligned=show_unaligned, paragraphs=paragraphs,
                             max_bead=max_bead, input_format=input_format)
    written = run_pairs(func, Setup(load_scorer, (model_path, encoder_path)), pairs_of_files,
                        unit="text", limit=TASK_SIZE, jobs=jobs, dask_address=dask_address,
                        quiet=quiet, shards_dir=shards_dir, resume=resume, output=output,
                        key=key, meta={"epoch": content_epoch()},
                        report=report, write=write)
    done = (f"{plural(written, 'pair')} written" if written is not None
            else f"shards in {shards_dir}")
    texts = "" if single else f"{plural(total - stats['skipped'], 'text pair')}, "
    click.echo(f"{texts}{stats['en']} English and {stats['ru']} Russian sentences, "
               f"{plural(stats['links'], 'link')}, {done}"
               + (f", {stats['skipped']} skipped" if stats["skipped"] else ""), err=True)
    if stats["skipped"]:
        sys.exit(1)

