"""align segment: a document -> one sentence a line."""
from __future__ import annotations


import click

from ..segment import LANGS as SEGMENT_LANGS
from .common import input_format_option, reports_errors, warn


@click.command()
@click.argument("file", type=click.Path(allow_dash=True))
@click.option("--lang", type=click.Choice([*SEGMENT_LANGS, "auto"]), default="auto",
              show_default=True, help="Language of FILE; 'auto' guesses it from the letters.")
@click.option("--keep-paragraphs", is_flag=True,
              help="Print an empty line between paragraphs (blank-line separated blocks).")
@input_format_option
@reports_errors
def segment(file: str, lang: str, keep_paragraphs: bool, input_format: str | None) -> None:
    """Split FILE ('-' reads stdin) into sentences, one a line on stdout.

    In a text FILE blank lines separate paragraphs and no sentence crosses one; line breaks
    inside a sentence are printed as spaces. HTML, DOCX, ODT, EPUB, SRT and PDF files (by
    extension, else content, or --input-format) are read into paragraphs first.
    """
    from ..inputs import read_document
    from ..segment import detect_lang, split_sentences

    document = read_document(file, input_format)
    for message in document.warnings:
        warn(f"{file}: {message}")
    text = document.text
    if lang == "auto":
        lang = detect_lang(text)
    previous = None
    for sentence in split_sentences(text, lang):
        if keep_paragraphs and previous is not None and sentence.paragraph != previous:
            click.echo("")
        click.echo(" ".join(sentence.text.split()))
        previous = sentence.paragraph
