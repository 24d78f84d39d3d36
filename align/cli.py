"""The ``align`` command line: thin click commands over the library.

This is the only module that prints or exits. Library errors (``AlignError``) become one line,
``Error: FILE: problem``, on stderr and exit code 1; click's usage errors exit with 2.
"""
from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Any, Callable, TypeVar

import click

from . import __version__
from .errors import AlignError
from .formats import FORMATS

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
    from .formats import format_for_path

    try:
        return format_for_path(path, name)
    except AlignError as exc:
        raise click.UsageError(str(exc)) from None


format_option = click.option(
    "--format", "fmt", type=click.Choice(sorted(FORMATS)), default=None,
    help="Output format (default: from the output file's extension).")


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "--version", prog_name="align")
def main() -> None:
    """English–Russian translation alignment: parse article files, segment, align sentences,
    score translations and alignments, and export corpora (TSV, JSONL, TMX, Moses)."""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@reports_errors
def parse(files: tuple[str, ...]) -> None:
    """Parse article FILES and print one JSON object per article.

    Each object has the file, the encoding chosen, the source line, the shared headline prefix,
    the headlines by language and the body paragraphs by language. Exit code 1 if any file
    could not be parsed (the others are still printed).
    """
    from .article import read_article

    failed = 0
    for name in files:
        try:
            article = read_article(name)
        except AlignError as exc:
            click.echo(f"Error: {exc}", err=True)
            failed += 1
            continue
        for message in article.warnings:
            warn(f"{name}: {message}")
        click.echo(json.dumps(article_json(article), ensure_ascii=False))
    if failed:
        sys.exit(1)


def article_json(article: Any) -> dict[str, Any]:
    return {
        "file": article.path,
        "encoding": article.encoding,
        "source": article.source,
        "prefix": article.prefix,
        "headlines": dict(article.headlines),
        "body": {lang: [p.text for p in paras] for lang, paras in article.body.items()},
        "bullets": {lang: [p.bullet for p in paras] for lang, paras in article.body.items()},
        "warnings": list(article.warnings),
    }


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="Corpus file to write ('-' for stdout).")
@format_option
@reports_errors
def corpus(inputs: tuple[str, ...], output: str, fmt: str | None) -> None:
    """Build a parallel corpus from article files or directories (searched for *.txt).

    Every article with both an English and a Russian headline gives a headline pair. Files
    that fail to parse are reported and skipped; the corpus of the others is still written,
    and the exit code is then 1.
    """
    from .corpus import build_corpus, find_articles

    out_format = output_format(output, fmt)
    docs = find_articles(inputs)
    stats = build_corpus(docs)
    written = out_format.write(stats.pairs(), output)
    for name, message in stats.problems:
        warn(f"{name}: {message}")
    click.echo(f"{plural(stats.articles, 'article')}, {plural(written, 'pair')}, "
               f"{len(stats.skipped)} skipped", err=True)
    if stats.skipped:
        sys.exit(1)
