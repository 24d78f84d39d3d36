"""align merge: the shards of a --shards run -> one corpus file."""
from __future__ import annotations

import os

import click

from .checks import check_inputs, check_output
from .common import (
    format_option, output_format, output_options, plural, reports_errors, write_pairs,
)


@click.command()
@click.argument("shards_dir", metavar="DIR", type=click.Path())
@click.option("-o", "--output", required=True, type=click.Path(allow_dash=True),
              help="Corpus file to write ('-' for stdout).")
@format_option
@output_options
@reports_errors
def merge(shards_dir: str, output: str, fmt: str | None, langs: tuple[str, str] | None,
          encoding: str | None, dedupe: bool, min_score: float | None) -> None:
    """Join the shard files of a finished '--shards DIR' run, in order, into one corpus.

    The result is byte for byte what the same command would have written with -o. Every shard
    in DIR/manifest.jsonl must be present and intact (a run that was interrupted is finished
    first with --resume).
    """
    from ..engine import ShardStore
    from ..formats import FORMATS

    check_inputs([shards_dir], dirs=True)
    if not os.path.isdir(shards_dir):
        from ..errors import InputError

        raise InputError("not a directory (give the --shards DIR of a run)", shards_dir)
    store = ShardStore(shards_dir)
    store.read()
    files = store.files()
    check_output(output, [str(f) for f in files], output_format(output, fmt))
    reader = FORMATS["jsonl"]
    written = write_pairs((p for f in files for p in reader.read(f)), output,
                          output_format(output, fmt), langs=langs, encoding=encoding,
                          dedupe=dedupe, min_score=min_score,
                          epoch=store.header.get("meta", {}).get("epoch"))
    click.echo(f"{plural(written, 'pair')} written from {plural(len(files), 'shard')}", err=True)
