"""align sentences: one-sentence-a-line files (or a directory of them) -> bead files."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..fileio import file_stamp
from .checks import check_inputs, check_languages, check_output, force_option
from .common import (
    Progress, encoder_option, engine_for, get_encoder, input_format_option, interrupted,
    max_bead_option, model_option, plural, reports_errors, scale_options, warn,
)


@click.command()
@click.argument("inputs", nargs=-1, required=True, metavar="EN RU | DIR",
                type=click.Path(allow_dash=True))
@click.option("-o", "--output", default="-", type=click.Path(allow_dash=True),
              help="Bead file to write (default stdout); with DIR, the output directory.")
@force_option
@input_format_option
@model_option
@max_bead_option
@encoder_option
@scale_options
@click.option("--resume", is_flag=True,
              help="With DIR: skip the documents an interrupted run finished (recorded in "
                   "OUTDIR/manifest.jsonl).")
@reports_errors
def sentences(inputs: tuple[str, ...], output: str, force: bool, input_format: str | None,
              model_path: str | None,
              max_bead: int, encoder_path: str | None, jobs: int | None,
              dask_address: str | None, quiet: bool, resume: bool) -> None:
    """Align sentences: EN and RU have one sentence a line.

    Writes one bead a line, [0]:[0, 1]:0.9731 (English indices, Russian indices, confidence);
    every line of both files is in exactly one bead, in order, and an empty side is [].
    A DOCX, ODT, EPUB, HTML, SRT or PDF file (by extension or --input-format) gives its
    paragraphs, one a line.
    With one argument DIR, every NAME.en/NAME.ru pair in DIR is aligned into OUTDIR/NAME.align
    (-o OUTDIR required), on all cores (--jobs) or a Dask cluster (--dask), loading the model
    once per worker.
    """
    from ..aligner import align_sentences
    from ..beads import write_beads
    from ..inputs import read_lines
    from ..model import load_model

    if len(inputs) == 2:
        if resume:
            raise click.UsageError("--resume goes with a directory DIR -o OUTDIR")
        check_output(output, [*inputs, model_path])
        encoder = get_encoder(encoder_path)
        en, ru = read_lines(inputs[0], input_format), read_lines(inputs[1], input_format)
        check_languages(inputs[0], inputs[1], "\n".join(en), "\n".join(ru), force=force)
        beads = align_sentences(en, ru, load_model(model_path), max_bead=max_bead,
                                encoder=encoder)
        written = write_beads(beads, output)
        links = sum(1 for b in beads if b.src and b.tgt)
        click.echo(f"{len(en)} English and {len(ru)} Russian sentences, "
                   f"{plural(links, 'link')}, {plural(written, 'bead')} written", err=True)
        return
    if len(inputs) == 1:
        check_inputs(inputs, dirs=True)
    if len(inputs) != 1 or not Path(inputs[0]).is_dir():
        raise click.UsageError("give two files EN RU, or one directory DIR with -o OUTDIR")
    if output == "-":
        raise click.UsageError("with a directory, -o OUTDIR is required")
    folder, outdir = Path(inputs[0]), Path(output)
    if dask_address:  # workers elsewhere have another working directory
        folder = folder.resolve()
    if outdir.exists() and not outdir.is_dir():  # as any output that cannot be written: exit 1
        from ..errors import OutputError

        raise OutputError("not a directory (with a directory of inputs, -o names the "
                          "directory of bead files)", output)
    names = sorted({p.stem for p in folder.glob("*.en")} | {p.stem for p in folder.glob("*.ru")})
    if not names:
        from ..errors import InputError

        raise InputError("no NAME.en or NAME.ru files to align", str(inputs[0]))
    align_dir(folder, outdir, names, model_path=model_path, encoder_path=encoder_path,
              max_bead=max_bead, jobs=jobs, dask_address=dask_address, quiet=quiet,
              resume=resume)


def align_dir(folder: Path, outdir: Path, names: list[str], *, model_path: str | None,
              encoder_path: str | None, max_bead: int, jobs: int | None,
              dask_address: str | None, quiet: bool, resume: bool) -> None:
    """Every NAME.en/NAME.ru of ``folder`` into ``outdir/NAME.align``, on the engine; with
    ``resume``, ``outdir/manifest.jsonl`` records the files done and a rerun skips them."""
    import functools

    from ..corpus import load_scorer, sentence_beads
    from ..engine import Run, Setup, ShardStore, file_sha256, fingerprint, task_size
    from ..fileio import atomic_output

    failed = 0
    items = []
    for name in names:
        en_path, ru_path = folder / f"{name}.en", folder / f"{name}.ru"
        if not (en_path.is_file() and ru_path.is_file()):
            warn(f"{en_path if not en_path.is_file() else ru_path}: missing, {name} skipped")
            failed += 1
            continue
        items.append((name, str(en_path), str(ru_path)))
    store = None
    numbers = {item[0]: n for n, item in enumerate(items)}
    if resume:
        outdir.mkdir(parents=True, exist_ok=True)
        store = ShardStore(outdir)
        key = ["sentences", model_path, encoder_path, max_bead,
               [(i, *file_stamp(i[1]), *file_stamp(i[2])) for i in items]]
        store.start(fingerprint(key), len(items), {}, resume=True)
    todo = [i for i in items if store is None or numbers[i[0]] not in store.done]
    done = len(items) - len(todo)
    setup = Setup(load_scorer, (model_path, encoder_path))
    engine = engine_for(jobs, dask_address, max(1, len(todo)))
    with Progress(len(items), "document", quiet, initial=done) as bar:
        run = Run(functools.partial(sentence_beads, max_bead=max_bead), setup, engine,
                  task_size(len(todo), 8),
                  bar.update)
        try:
            for result in run.map(todo):
                if result.error:
                    click.echo(f"Error: {result.path}: {result.error}", err=True)
                    failed += 1
                    continue
                target = outdir / f"{result.name}.align"
                with atomic_output(target) as out:
                    out.write(result.text.encode("utf-8"))
                if store is not None:
                    store.record({"task": numbers[result.name], "file": target.name,
                                  "sha256": file_sha256(target), "summary": []})
                done += 1
        except KeyboardInterrupt:
            engine.close()
            interrupted(done, len(items), "document", str(outdir) if resume else None)
    click.echo(f"{plural(done, 'document')} aligned into {outdir}"
               + (f", {failed} failed" if failed else ""), err=True)
    if failed:
        sys.exit(1)

