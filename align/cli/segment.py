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
@click.option("--explain", is_flag=True,
              help="Instead of the sentences, print every candidate boundary (line, split or "
                   "join, the rule that decided, the text around it with | at the boundary).")
@input_format_option
@reports_errors
def segment(file: str, lang: str, keep_paragraphs: bool, explain: bool,
            input_format: str | None) -> None:
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
    if explain:
        _explain(text, lang)
        return
    previous = None
    for sentence in split_sentences(text, lang):
        if keep_paragraphs and previous is not None and sentence.paragraph != previous:
            click.echo("")
        click.echo(" ".join(sentence.text.split()))
        previous = sentence.paragraph


_CONTEXT = 30                       # characters of text shown each side of a boundary


def _explain(text: str, lang: str) -> None:
    import re

    from ..segment import explain

    space = re.compile(r"\s+")
    click.echo(f"{'line':>6}  {'action':<6}  {'rule':<28}  text around the boundary (|)")
    line, seen = 1, 0
    for d in explain(text, lang):
        line += text.count("\n", seen, d.offset)
        seen = d.offset
        left = space.sub(" ", text[max(0, d.offset - _CONTEXT):d.offset])
        right = space.sub(" ", text[d.offset:d.offset + _CONTEXT])
        action = "split" if d.split else "join"
        click.echo(f"{line:>6}  {action:<6}  {d.rule:<28}  {left}|{right}".rstrip())
