"""align review: a browser page to check and correct an alignment, and its decisions applied."""
from __future__ import annotations

from collections import Counter

import click

from ..formats import FORMATS
from .checks import check_output
from .common import (
    format_option, output_format, output_options, plural, reports_errors, warn, write_pairs,
)

_BEAD_SUFFIXES = (".align", ".gold")


@click.command()
@click.argument("source", metavar="INPUT", type=click.Path(allow_dash=True))
@click.option("-o", "--output", required=True, type=click.Path(allow_dash=True),
              help="The page to write (review.html); with --apply, the corrected corpus or "
                   "bead file (format by extension).")
@click.option("--apply", "decisions_path", metavar="DECISIONS.json", default=None,
              type=click.Path(allow_dash=True),
              help="Apply the decisions exported from the page to INPUT instead of writing a "
                   "page.")
@click.option("--en", "en_path", type=click.Path(allow_dash=True), default=None,
              help="With a bead file INPUT: its English sentences, one a line.")
@click.option("--ru", "ru_path", type=click.Path(allow_dash=True), default=None,
              help="With a bead file INPUT: its Russian sentences, one a line.")
@click.option("--from", "from_fmt", type=click.Choice(sorted(FORMATS)), default=None,
              help="Corpus format of INPUT (default: from its extension).")
@format_option
@output_options
@reports_errors
def review(source: str, output: str, decisions_path: str | None, en_path: str | None,
           ru_path: str | None, from_fmt: str | None, fmt: str | None,
           langs: tuple[str, str] | None, encoding: str | None, dedupe: bool,
           min_score: float | None) -> None:
    """Review an alignment in a browser: write one self-contained HTML page, then apply the
    decisions made on it.

    INPUT is a corpus (TMX, TSV, JSONL or Moses, e.g. from 'align text --show-unaligned') or a
    bead file with its sentence files ('align review doc.align --en doc.en --ru doc.ru').
    The page (no network, nothing to install) shows one row per bead coloured by confidence,
    weakest first; accept, reject, merge, split, move or unlink sentences with the mouse or the
    keyboard, and export the decisions as JSON. 'align review --apply DECISIONS.json INPUT
    -o OUT' writes the corrected corpus (any format, by extension) or bead file (.align):
    every sentence still in exactly one bead; beads a person accepted or made score 1.0.
    One of INPUT, --en, --ru and --apply may be '-' (standard input; a corpus then needs
    --from).
    """
    from ..errors import AlignError
    from ..fileio import atomic_output
    from ..formats import format_for_path
    from ..review import apply_decisions, load_bead_file, load_corpus, read_decisions

    if [source, en_path, ru_path, decisions_path].count("-") > 1:
        raise click.UsageError("standard input ('-') can be read only once")
    if (en_path is None) != (ru_path is None):
        raise click.UsageError("a bead file needs both --en and --ru")
    if en_path is None and source.lower().endswith(_BEAD_SUFFIXES):
        raise click.UsageError(f"{source} is a bead file: give its sentence files with "
                               "--en EN --ru RU")
    bead_output = output.lower().endswith(_BEAD_SUFFIXES)
    if decisions_path is None:
        if not output.lower().endswith((".html", ".htm")) and output != "-":
            raise click.UsageError("the page is HTML: -o NAME.html (or --apply DECISIONS.json "
                                   "to write a corrected corpus)")
    elif bead_output and en_path is None:
        raise click.UsageError("a corpus INPUT is written back as a corpus (.tmx, .tsv, "
                               ".jsonl, ...), not a bead file")
    out_format = None if decisions_path is None or bead_output else output_format(output, fmt)
    check_output(output, [source, en_path, ru_path, decisions_path], out_format)
    if en_path is not None and ru_path is not None:
        src = load_bead_file(source, en_path, ru_path)
    else:
        try:
            format_for_path(source, from_fmt)
        except AlignError as exc:  # here --format names the output's format
            raise click.UsageError(str(exc).replace("use --format", "use --from")) from None
        src = load_corpus(source, from_fmt, langs)
        for reason, count in src.skipped:
            warn(f"{source}: skipped {plural(count, 'unit')}: {reason} (not reviewed, and "
                 "not in the output)")
    if decisions_path is None:
        from ..review import render_page

        page = render_page(src).encode("utf-8")
        with atomic_output(output) as out:
            out.write(page)
        links = sum(1 for b in src.beads if b.en_start < b.en_end and b.ru_start < b.ru_end)
        weak = sum(1 for b in src.beads if b.score is not None and b.score < 0.9)
        click.echo(f"{plural(len(src.beads), 'bead')} ({plural(links, 'link')}, "
                   f"{len(src.beads) - links} without a counterpart, {weak} below 0.9) "
                   f"in {output} ({_size(len(page))})", err=True)
        return
    decisions = read_decisions(decisions_path)
    reviewed = apply_decisions(src, decisions)
    counts = Counter(b.status for b in reviewed if b.status)
    if bead_output:
        from ..beads import write_beads
        from ..review.decisions import reviewed_bead_list

        # A gold file (no confidences) stays a gold file.
        scored = any(b.score is not None for b in src.beads)
        written = write_beads(reviewed_bead_list(reviewed), output, with_score=scored)
    else:
        from ..review.decisions import reviewed_pairs

        written = write_pairs(reviewed_pairs(src, reviewed), output, out_format, langs=langs,
                              encoding=encoding, dedupe=dedupe, min_score=min_score,
                              inputs=[source])
    done = ", ".join(f"{counts[s]} {s}" for s in ("accepted", "edited", "rejected") if counts[s])
    click.echo(f"{plural(len(decisions.decisions), 'decision')} applied"
               + (f" ({done} beads)" if done else "")
               + f"; {plural(written, 'bead' if bead_output else 'pair')} written to {output}",
               err=True)


def _size(count: int) -> str:
    return f"{count / 1e6:.1f} MB" if count >= 1e6 else f"{count / 1e3:.0f} kB"
