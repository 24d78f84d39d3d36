"""align convert: any corpus format to any other, streaming."""
from __future__ import annotations


import click

from ..errors import AlignError
from ..formats import FORMATS
from .checks import check_inputs, check_output, output_files
from .common import (
    check_encoding, format_option, output_format, output_options, plural, reports_errors, warn,
    write_pairs,
)


@click.command()
@click.argument("source", metavar="IN", type=click.Path(allow_dash=True))
@click.argument("output", metavar="OUT", type=click.Path(allow_dash=True))
@click.option("--from", "from_fmt", type=click.Choice(sorted(FORMATS)), default=None,
              help="Input format (default: from IN's extension).")
@format_option
@output_options
@reports_errors
def convert(source: str, output: str, from_fmt: str | None, fmt: str | None,
            langs: tuple[str, str] | None, encoding: str | None, dedupe: bool,
            min_score: float | None) -> None:
    """Convert the corpus IN to OUT: TMX, TSV, JSONL or Moses, by extension or option.

    A Moses corpus is named by its prefix or either file (corpus, corpus.en, corpus.ru). Text is
    carried exactly between formats once it is clean: TMX, TSV and Moses store each segment on
    one line without control characters, so tabs and line breaks become spaces there; a pair
    with an empty side is skipped by TMX and Moses (with a warning). TMX units without both an
    English and a Russian variant are skipped with a warning. Streams: any size in flat memory.
    """
    from collections import Counter

    from ..formats import format_for_path

    try:
        in_format = format_for_path(source, from_fmt)
    except AlignError as exc:
        raise click.UsageError(str(exc).replace("use --format", "use --from")) from None
    out_format = output_format(output, fmt)
    check_encoding(out_format, encoding)
    inputs = output_files(source, in_format)  # a Moses corpus is two files
    check_inputs(inputs)
    check_output(output, inputs, out_format)
    skips: Counter[str] = Counter()
    pairs = in_format.read(source, langs=langs, on_skip=lambda reason, line: skips.update([reason]))
    written = write_pairs(pairs, output, out_format, langs=langs, encoding=encoding,
                          dedupe=dedupe, min_score=min_score, inputs=[source])
    for reason, count in sorted(skips.items()):
        warn(f"{source}: skipped {plural(count, 'unit')}: {reason}")
    click.echo(f"{plural(written, 'pair')} written ({in_format.name} to {out_format.name})",
               err=True)
