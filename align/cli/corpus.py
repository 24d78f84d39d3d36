"""align corpus: article files and directories -> headline and body pairs."""
from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

import click

from ..fileio import file_stamp
from .docs import by_name_option, corpus_from_docs, threshold_option
from .checks import check_inputs, check_output, check_outside_inputs, output_files
from .common import (
    content_epoch, encoder_option, format_option, max_bead_option, model_option, output_format,
    output_options, plural, reports_errors, resume_options, run_pairs, scale_options, warn,
    write_pairs,
)

if TYPE_CHECKING:
    from ..corpus import DocSummary

#: Articles per task (a task is 0.3-2 s of work: scheduler overhead stays far below 1%).
TASK_SIZE = 32


@click.command()
@click.argument("inputs", nargs=-1, required=False, type=click.Path(allow_dash=True))
@click.option("--en", "en_input", default=None, type=click.Path(),
              help="With --ru: single-language English documents (file or directory), paired "
                   "with the Russian ones by content as 'align docs' pairs them.")
@click.option("--ru", "ru_input", default=None, type=click.Path(),
              help="With --en: single-language Russian documents (file or directory).")
@threshold_option
@by_name_option
@click.option("-o", "--output", default=None, type=click.Path(allow_dash=True),
              help="Corpus file to write ('-' for stdout); optional with --shards.")
@format_option
@output_options
@click.option("--headlines-only", is_flag=True,
              help="Only pair headlines: no body alignment, no model, no scores.")
@click.option("--show-unaligned", is_flag=True,
              help="Also write body sentences with no counterpart (pairs with an empty side).")
@model_option
@max_bead_option
@encoder_option
@scale_options
@resume_options
@reports_errors
def corpus(inputs: tuple[str, ...], output: str | None, fmt: str | None,
           langs: tuple[str, str] | None, encoding: str | None, dedupe: bool,
           min_score: float | None, headlines_only: bool, show_unaligned: bool,
           model_path: str | None, max_bead: int, encoder_path: str | None, jobs: int | None,
           dask_address: str | None, quiet: bool, shards_dir: str | None,
           resume: bool, en_input: str | None = None, ru_input: str | None = None,
           threshold: float | None = None, by_name: bool = False) -> None:
    """Build a parallel corpus from article files or directories (searched for *.txt and
    the other input formats: HTML, DOCX, ODT, EPUB, SRT, PDF).

    Every article with both an English and a Russian headline gives a headline pair, scored by
    its adequacy (as 'align score --qe' does). An article with a body in both languages also
    gives its aligned body sentences (kind 'body'), scored by the aligner's confidence. Files
    that fail to parse are reported and skipped; the corpus of the others is still written,
    and the exit code is then 1. Articles are processed on all cores (--jobs), or on a Dask
    cluster (--dask); the corpus is the same either way. Two single-language documents named
    as a pair (x.en.docx and x.ru.docx, en/x.html and ru/x.html) are one article: each
    file's first paragraph its headline, 'doc' EN_NAME|RU_NAME.

    With --en EN_INPUT --ru RU_INPUT instead of INPUTS, the single-language documents are
    first paired (as 'align docs' pairs them), then each pair gives its headline pair and its
    aligned body sentences; 'doc' is EN_NAME|RU_NAME and the document pair's score is the
    pair property docpair_score.
    """
    import functools

    from ..corpus import ArticleFile, doc_pairs, find_articles, load_scorer
    from ..engine import Setup

    if output is None and shards_dir is None:
        raise click.UsageError("Missing option '-o' / '--output' (or give --shards DIR)")
    out_format = output_format(output, fmt) if output is not None else None
    if en_input or ru_input or not inputs:
        if inputs or not (en_input and ru_input):
            raise click.UsageError("give INPUTS (bilingual article files), or --en EN_INPUT "
                                   "and --ru RU_INPUT (single-language documents)")
        check_inputs([en_input, ru_input], dirs=True)
        check_output(output, [en_input, ru_input, model_path], out_format)
        shards = shards_dir or (f"{output}.shards" if resume and output not in (None, "-")
                                else None)
        check_outside_inputs([*output_files(output, out_format), shards], [en_input, ru_input])
        return corpus_from_docs(
            en_input, ru_input, output=output, out_format=out_format,
            write=lambda pairs, epoch: write_pairs(pairs, output, out_format, langs=langs,
                                                   encoding=encoding, dedupe=dedupe,
                                                   min_score=min_score, epoch=epoch),
            model_path=model_path, encoder_path=encoder_path, threshold=threshold,
            by_name=by_name, headlines_only=headlines_only, show_unaligned=show_unaligned,
            jobs=jobs, dask_address=dask_address, quiet=quiet, shards_dir=shards_dir,
            resume=resume)
    if inputs.count("-") > 1:
        raise click.UsageError("standard input ('-') can be read only once")
    docs = find_articles(inputs)
    check_output(output, [*(p for d in docs for p in d.paths), model_path], out_format)
    if "-" in inputs:
        jobs, dask_address = 1, None  # standard input is only readable in this process
    if dask_address:  # workers elsewhere have another working directory
        docs = [ArticleFile(os.path.abspath(d.path), d.name,
                            d.ru_path and os.path.abspath(d.ru_path)) for d in docs]
    setup = None if headlines_only else Setup(load_scorer, (model_path, encoder_path))
    stats: dict[str, Any] = {"articles": 0, "skipped": 0}

    def report(summary: DocSummary, replayed: bool) -> None:
        if summary.error:
            stats["skipped"] += 1
        else:
            stats["articles"] += 1
        if not replayed:
            for message in ([summary.error] if summary.error else summary.warnings):
                warn(f"{summary.path}: {message}")

    def write(pairs: Any, epoch: float | None) -> int:
        return write_pairs(pairs, output, out_format, langs=langs, encoding=encoding,
                           dedupe=dedupe, min_score=min_score, epoch=epoch)

    key = ["corpus", headlines_only, show_unaligned, max_bead, model_path, encoder_path,
           [(d.path, d.name, *file_stamp(d.path))
            + ((d.ru_path, *file_stamp(d.ru_path)) if d.ru_path else ()) for d in docs]]
    stage = functools.partial(doc_pairs, unaligned=show_unaligned, max_bead=max_bead)
    written = run_pairs(stage, setup, docs, unit="article", limit=TASK_SIZE, jobs=jobs,
                        dask_address=dask_address, quiet=quiet, shards_dir=shards_dir,
                        resume=resume, output=output, key=key, meta={"epoch": content_epoch()},
                        report=report, write=write)
    pairs = (f"{plural(written, 'pair')}" if written is not None
             else f"shards in {shards_dir} (join them with 'align merge {shards_dir} -o OUT')")
    click.echo(f"{plural(stats['articles'], 'article')}, {pairs}, {stats['skipped']} skipped",
               err=True)
    if stats["skipped"]:
        sys.exit(1)

