"""align docs: pair the English and Russian documents of an archive (separate files)."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .common import (
    Progress, engine_for, interrupted, model_option, plural, reports_errors, scale_options, warn,
)

if TYPE_CHECKING:
    from ..corpus import DocSummary

#: Files per task when reading and preparing documents.
TASK_SIZE = 64

threshold_option = click.option(
    "--threshold", type=click.FloatRange(0.0, 1.0), default=None, metavar="P",
    help="Pair only documents whose calibrated probability is at least P (default 0.5); "
         "a document whose best candidate is below it has no counterpart.")
by_name_option = click.option(
    "--by-name", is_flag=True,
    help="First pair files whose names match once the language marker is removed "
         "(x.en.txt / x.ru.txt, en/x.txt / ru/x.txt), then the rest by content.")


def pair_inputs(inputs: tuple[str, ...], *, model_path: str | None, threshold: float | None,
                by_name: bool, jobs: int | None, dask_address: str | None,
                quiet: bool) -> tuple[Any, list[Any], int]:
    """Read, prepare and pair the documents of ``inputs`` (EN RU, or one mixed DIR);
    returns the pairing, the prepared documents (en + ru) and how many files were skipped.
    Skipped files are reported as they come; no documents in one language is an error."""
    import os

    from ..docpair import THRESHOLD, DocFile, Skipped, find_documents, pair_documents
    from ..engine import Run, Setup, task_size
    from ..errors import InputError
    from ..model import load_model

    if "-" in inputs:  # documents are paired by their files, and named by their paths
        raise click.UsageError("documents are read from files or directories, not standard "
                               "input ('-')")
    if len(inputs) == 2:
        items = find_documents([inputs[0]], "en") + find_documents([inputs[1]], "ru")
    elif len(inputs) == 1:
        if not Path(inputs[0]).is_dir():
            raise click.UsageError("give EN_INPUT RU_INPUT, or one directory DIR of both "
                                   "languages")
        items = find_documents([inputs[0]])
    else:
        raise click.UsageError("give EN_INPUT RU_INPUT, or one directory DIR")
    if dask_address:  # workers elsewhere have another working directory
        items = [DocFile(os.path.abspath(d.path), d.name, d.lang) for d in items]
    load_model(model_path)  # a bad model is one error line before any worker starts
    engine = engine_for(jobs, dask_address, max(1, -(-len(items) // TASK_SIZE)))
    prepared: list[Any] = []
    skipped = 0
    with Progress(len(items), "file", quiet) as bar:
        run = Run(read_prepared_stage, Setup(load_model, (model_path,)), engine,
                  task_size(len(items), TASK_SIZE), bar.update)
        try:
            for result in run.map(items):
                if isinstance(result, Skipped):
                    warn(f"{result.path}: {result.problem}")
                    skipped += 1
                else:
                    prepared.append(result)
        except KeyboardInterrupt:
            engine.close()
            interrupted(0, len(items), "file", None, resumable=False)
    en = [d for d in prepared if d.lang == "en"]
    ru = [d for d in prepared if d.lang == "ru"]
    for lang, docs, where in (("English", en, inputs[0]), ("Russian", ru, inputs[-1])):
        if not docs:
            raise InputError(f"no {lang} documents" + (f" ({skipped} files skipped)"
                                                        if skipped else ""), where)
    pairing = pair_documents(load_model(model_path), en, ru,
                             threshold=THRESHOLD if threshold is None else threshold,
                             by_name=by_name)
    return pairing, en + ru, skipped


def read_prepared_stage(model: Any, item: Any) -> Any:
    from ..docpair import read_prepared

    return read_prepared(model, item)


@click.command()
@click.argument("inputs", nargs=-1, required=True, metavar="EN_INPUT RU_INPUT | DIR",
                type=click.Path())
@click.option("-o", "--output", default="-", type=click.Path(allow_dash=True),
              help="Pairs file to write (default stdout): en<TAB>ru<TAB>score with a header.")
@click.option("--unpaired", "unpaired_path", default=None,
              type=click.Path(allow_dash=True),
              help="Also write the documents left without a counterpart: lang<TAB>path<TAB>best "
                   "(the best candidate's probability).")
@threshold_option
@by_name_option
@model_option
@scale_options
@reports_errors
def docs(inputs: tuple[str, ...], output: str, unpaired_path: str | None,
         threshold: float | None, by_name: bool, model_path: str | None, jobs: int | None,
         dask_address: str | None, quiet: bool) -> None:
    """Pair documents: which Russian file translates which English one.

    EN_INPUT and RU_INPUT are files or directories (searched recursively) of single-language
    documents: plain text (the first block the headline, blank lines between paragraphs) or
    article files holding one language, in any encoding 'align parse' reads. One directory DIR
    of both languages works too (each file's language is detected). Writes one line per pair,
    en_path<TAB>ru_path<TAB>score (paths relative to their inputs, sorted by the English
    path; the score is the calibrated probability that they are translations); each
    document is in at most one pair. Files that cannot be read, or whose language cannot be
    told, are reported and skipped (exit code 1 at the end).
    """
    from ..docpair import format_pairs, format_unpaired
    from .checks import check_distinct_outputs, check_inputs, check_output, check_outside_inputs
    from .common import emit

    check_inputs(inputs, dirs=True)
    for out in (output, unpaired_path):
        check_output(out, inputs)
    check_outside_inputs([output, unpaired_path], inputs)
    check_distinct_outputs([("-o", output), ("--unpaired", unpaired_path)])
    pairing, prepared, skipped = pair_inputs(inputs, model_path=model_path,
                                             threshold=threshold, by_name=by_name, jobs=jobs,
                                             dask_address=dask_address, quiet=quiet)
    emit(format_pairs(pairing), output)
    if unpaired_path is not None:
        emit(format_unpaired(pairing), unpaired_path)
    n_en = sum(1 for d in prepared if d.lang == "en")
    click.echo(f"{n_en} English and {len(prepared) - n_en} Russian documents, "
               f"{plural(len(pairing.pairs), 'pair')}, {len(pairing.unpaired)} unpaired, "
               f"{skipped} skipped", err=True)
    if skipped:
        sys.exit(1)


def corpus_from_docs(en_input: str, ru_input: str, *, output: str | None, out_format: Any,
                     write: Any, model_path: str | None, encoder_path: str | None,
                     threshold: float | None, by_name: bool, headlines_only: bool,
                     show_unaligned: bool, jobs: int | None, dask_address: str | None,
                     quiet: bool, shards_dir: str | None, resume: bool) -> None:
    """``align corpus --en EN_INPUT --ru RU_INPUT``: pair the documents, then build each
    pair's headline and body pairs on the engine; ``write(pairs, epoch)`` writes them."""
    import functools
    import os

    from ..corpus import load_scorer
    from ..docpair.corpus import PairedFiles, docpair_pairs
    from ..engine import Setup
    from ..fileio import file_stamp
    from .common import content_epoch, run_pairs

    pairing, prepared, skipped = pair_inputs((en_input, ru_input), model_path=model_path,
                                             threshold=threshold, by_name=by_name, jobs=jobs,
                                             dask_address=dask_address, quiet=quiet)
    paths = {(d.lang, d.name): d.path for d in prepared}
    items = [PairedFiles(paths[("en", p.en)], p.en, paths[("ru", p.ru)], p.ru, p.score)
             for p in pairing.pairs]
    if dask_address:  # workers elsewhere have another working directory
        items = [PairedFiles(os.path.abspath(i.en_path), i.en_name, os.path.abspath(i.ru_path),
                             i.ru_name, i.score) for i in items]
    stats = {"pairs": 0, "skipped": skipped}

    def report(summary: DocSummary, replayed: bool) -> None:
        stats["skipped" if summary.error else "pairs"] += 1
        if not replayed:
            for message in ([summary.error] if summary.error else summary.warnings):
                warn(f"{summary.path}: {message}")

    key = ["corpus-docs", headlines_only, show_unaligned, model_path, encoder_path,
           [(i.en_path, i.ru_path, i.score, *file_stamp(i.en_path), *file_stamp(i.ru_path))
            for i in items]]
    stage = functools.partial(docpair_pairs, unaligned=show_unaligned,
                              headlines_only=headlines_only)
    written = run_pairs(stage, Setup(load_scorer, (model_path, encoder_path)), items,
                        unit="document pair", limit=16, jobs=jobs, dask_address=dask_address,
                        quiet=quiet, shards_dir=shards_dir, resume=resume, output=output,
                        key=key, meta={"epoch": content_epoch()}, report=report, write=write)
    pairs = (f"{plural(written, 'pair')}" if written is not None
             else f"shards in {shards_dir} (join them with 'align merge {shards_dir} -o OUT')")
    click.echo(f"{plural(stats['pairs'], 'document pair')} ({len(pairing.unpaired)} documents "
               f"unpaired), {pairs}, {stats['skipped']} skipped", err=True)
    if stats["skipped"]:
        sys.exit(1)
