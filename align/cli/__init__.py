"""The ``align`` command line: thin click commands over the library, one module per command.

This package is the only place that prints, exits or shows progress. Library errors
(``AlignError``) become one line, ``Error: FILE: problem``, on stderr and exit code 1; click's
usage errors exit with 2. A new command is a module here with a ``click`` command, added to
``COMMANDS`` below.
"""
from __future__ import annotations

import click

from .. import __version__
from .clean import clean
from .common import CONTEXT_SETTINGS
from .convert import convert
from .corpus import corpus
from .docs import docs
from .evaluate import eval_command
from .merge import merge
from .model import model
from .parse import parse
from .review import review
from .score import score
from .segment import segment
from .sentences import sentences
from .text import text

# The commands in the order ``align -h`` lists them (click sorts them by name anyway).
COMMANDS = [
    clean,
    convert,
    corpus,
    docs,
    eval_command,
    merge,
    model,
    parse,
    review,
    score,
    segment,
    sentences,
    text,
]


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "--version", prog_name="align")
def main() -> None:
    """English–Russian translation alignment: parse article files, segment, align sentences,
    score translations and alignments, and export corpora (TSV, JSONL, TMX, Moses)."""


for _command in COMMANDS:
    main.add_command(_command)
