"""align segment: a text -> one sentence a line."""
from __future__ import annotations


import click

from ..segment import LANGS as SEGMENT_LANGS
from .common import reports_errors


@click.command()
@click.argument("file", type=click.Path(allow_dash=True))
@click.option("--lang", type=click.Choice([*SEGMENT_LANGS, "auto"]), default="auto",
              show_default=True, help="Language of FILE; 'auto' guesses it from the letters.")
@click.option("--keep-paragraphs", is_flag=True,
              help="Print an empty line between paragraphs (blank-line separated blocks).")
@reports_errors
def segment(file: str, lang: str, keep_paragraphs: bool) -> None:
    """Split a UTF-8 text FILE ('-' reads stdin) into sentences, one a line on stdout.

    Blank lines in FILE separate paragraphs and no sentence crosses one; line breaks inside a
    sentence are printed as spaces.
    """
    from ..fileio import read_text
    from ..segment import detect_lang, split_sentences

    text = read_text(file)
    if lang == "auto":
        lang = detect_lang(text)
    previous = None
    for sentence in split_sentences(text, lang):
        if keep_paragraphs and previous is not None and sentence.paragraph != previous:
            click.echo("")
        click.echo(" ".join(sentence.text.split()))
        previous = sentence.paragraph
