"""align parse: what the article parser sees, as JSON lines."""
from __future__ import annotations

import json
import sys
from typing import Any

import click

from ..errors import AlignError
from .common import reports_errors, warn


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(allow_dash=True))
@reports_errors
def parse(files: tuple[str, ...]) -> None:
    """Parse article FILES and print one JSON object per article.

    Each object has the file, the encoding chosen, the source line, the shared headline prefix,
    the headlines by language and the body paragraphs by language. Exit code 1 if any file
    could not be parsed (the others are still printed).
    """
    from ..article import read_article

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
