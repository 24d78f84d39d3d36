"""What the commands share: error reporting, output options, writing pairs, warnings.

The ``align.cli`` package is the only place that prints, exits or shows progress.
"""
from __future__ import annotations

import functools
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable, Sequence, TypeVar

import click

from ..errors import AlignError
from ..formats import FORMATS

F = TypeVar("F", bound=Callable[..., Any])

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def warn(message: str) -> None:
    click.echo(f"Warning: {message}", err=True)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def reports_errors(func: F) -> F:
    """Turn library errors into one ``Error: ...`` line and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except AlignError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)
        except BrokenPipeError:
            # The reader (``head``, say) went away: not an error of ours.
            sys.stderr.close()
            sys.exit(0)

    return wrapper  # type: ignore[return-value]


def output_format(path: str, name: str | None) -> Any:
    """The registry format for an output path; an unknown extension is a usage error (exit 2)."""
    from ..formats import format_for_path

    try:
        return format_for_path(path, name)
    except AlignError as exc:
        raise click.UsageError(str(exc)) from None


format_option = click.option(
    "--format", "fmt", type=click.Choice(sorted(FORMATS)), default=None,
    help="Output format (default: from the output file's extension).")


# --- corpus output options, shared by every command that writes pairs (corpus, text, convert) --

def _langs_value(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    if value is None:
        return None
    from ..langtags import parse_langs

    try:
        return parse_langs(value)
    except AlignError as exc:
        raise click.BadParameter(exc.message) from None


langs_option = click.option(
    "--langs", metavar="EN,RU", default=None, callback=_langs_value,
    help="BCP 47 tags of the English and Russian sides in TMX output, e.g. en-US,ru-RU "
         "(default: en,ru).")
encoding_option = click.option(
    "--encoding", type=click.Choice(["utf-8", "utf-8-sig", "utf-16"]), default=None,
    help="Output encoding: utf-8 (default); utf-8-sig or utf-16 (with BOM) for Excel and memoQ "
         "TSV; utf-16 for older TMX tools.")
dedupe_option = click.option(
    "--dedupe", is_flag=True, help="Drop exact duplicate pairs (same English and Russian), "
                                   "keeping the first.")
min_score_option = click.option(
    "--min-score", type=click.FloatRange(0.0, 1.0), default=None, metavar="SCORE",
    help="Drop pairs scored below SCORE (pairs without a score are kept).")


def output_options(func: F) -> F:
    """``--langs``, ``--encoding``, ``--dedupe`` and ``--min-score``; pass them to write_pairs."""
    for option in (min_score_option, dedupe_option, encoding_option, langs_option):
        func = option(func)
    return func


def check_encoding(out_format: Any, encoding: str | None) -> None:
    """A usage error (exit 2) when the output format cannot be written in ``encoding``."""
    if encoding and encoding not in out_format.encodings:
        raise click.UsageError(f"--encoding {encoding}: {out_format.name} output is written in "
                               f"{' or '.join(out_format.encodings)}")


def content_epoch(inputs: Sequence[str]) -> float | None:
    """``SOURCE_DATE_EPOCH`` if set, else the newest modification time of the input files."""
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if env.isdigit():
        return float(env)
    times = []
    for name in inputs:
        path = Path(name)
        files = path.rglob("*") if path.is_dir() else [path]
        times.extend(f.stat().st_mtime for f in files if f.is_file())
    return int(max(times)) if times else None


def write_pairs(pairs: Any, output: str, out_format: Any, *, langs: tuple[str, str] | None = None,
                encoding: str | None = None, dedupe: bool = False,
                min_score: float | None = None, inputs: Sequence[str] = ()) -> int:
    """Filter ``pairs`` (``--dedupe``, ``--min-score``) and write them to ``output``.

    Says on stderr what the filters dropped and warns about pairs the format could not store
    (a TMX or Moses pair with an empty side). Returns the number of pairs written.
    ``inputs`` are the files the pairs come from: a TMX's creation date is the newest of their
    modification times (or ``SOURCE_DATE_EPOCH``), so the same input gives the same bytes.
    """
    from ..formats import FilterCounts, filter_pairs

    check_encoding(out_format, encoding)
    options: dict[str, Any] = {}
    epoch = content_epoch(inputs)
    if epoch is not None:
        options["creationdate"] = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(epoch))
    if langs:
        options["langs"] = langs
    if encoding:
        options["encoding"] = encoding
    counts = FilterCounts()
    result = out_format.write(filter_pairs(pairs, dedupe=dedupe, min_score=min_score,
                                           counts=counts), output, **options)
    if counts.duplicates:
        click.echo(f"--dedupe dropped {plural(counts.duplicates, 'duplicate pair')}", err=True)
    if counts.below_min_score:
        click.echo(f"--min-score dropped {plural(counts.below_min_score, 'pair')} scored below "
                   f"{min_score}", err=True)
    for reason, count in getattr(result, "reasons", {}).items():
        warn(f"{output}: skipped {plural(count, 'pair')}: {reason}")
    return int(result)


# --- sentence alignment options (align/model.py, align/aligner.py) ---------------------------

model_option = click.option(
    "--model", "model_path", type=click.Path(dir_okay=False), default=None,
    help="Similarity model file (default: the one shipped with align).")
max_bead_option = click.option(
    "--max-bead", type=click.IntRange(1, 3), default=3, show_default=True,
    help="Most sentences on one side of a bead (3 allows 1-3 and 3-1).")
encoder_option = click.option(
    "--encoder", "encoder_path", type=click.Path(), default=None, metavar="PATH",
    help="Also use a local sentence-transformers model (e.g. LaBSE on disk) beside the "
         "built-in model; needs the 'encoder' extra; never downloads.")


def get_encoder(path: str | None) -> Any:
    if path is None:
        return None
    from ..model import load_encoder

    return load_encoder(path)


def emit(text: str, output: str) -> None:
    """Write command output to stdout (``-``) or atomically to a file."""
    if output == "-":
        click.echo(text, nl=False)
        return
    from ..fileio import atomic_output

    with atomic_output(output) as out:
        out.write(text.encode("utf-8"))
