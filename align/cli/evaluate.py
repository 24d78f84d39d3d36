"""align eval: an alignment against a gold one (strict, lax, unlinked)."""
from __future__ import annotations

import json
from pathlib import Path

import click

from .checks import check_inputs, check_output
from .common import emit, reports_errors, warn


@click.command(name="eval")
@click.argument("gold", type=click.Path(allow_dash=True))
@click.argument("test", type=click.Path(allow_dash=True))
@click.option("--format", "out_format", type=click.Choice(["json", "text"]), default="json",
              show_default=True, help="JSON object, or a text table.")
@click.option("-o", "--output", default="-", type=click.Path(allow_dash=True),
              help="Write here instead of stdout.")
@reports_errors
def eval_command(gold: str, test: str, out_format: str, output: str) -> None:
    """Score a TEST alignment against a GOLD one: strict and lax precision/recall/F1.

    GOLD and TEST are bead files ([0]:[0, 1] a line), or directories where each NAME.gold
    under GOLD is paired with NAME.align at the same place under TEST; counts are summed over
    all documents. Beads with an empty side are left out of strict and lax scoring and scored
    apart (unlinked); Vecalign's score.py convention is shown as well. TEST may leave
    sentences out (hunalign, a filtered corpus): the gold beads holding them count against
    recall and a warning says how many; a sentence in two beads, or an index beyond the
    gold's sentences, is an error.
    """
    from .. import evaluate as scoring

    if Path(gold).is_dir() != Path(test).is_dir() and "-" not in (gold, test) and \
            Path(gold).exists() and Path(test).exists():
        raise click.UsageError("GOLD and TEST must both be files or both be directories")
    if gold == test == "-":
        raise click.UsageError("standard input ('-') can be read only once")
    check_inputs([gold, test], dirs=True, empty=False)
    documents = scoring.pair_bead_files(gold, test)
    check_output(output, [name for _, *files in documents for name in files])
    report = scoring.evaluate_alignments(documents)
    if report.missing_src or report.missing_tgt:
        warn(scoring.missing_note(report))
    if out_format == "json":
        emit(json.dumps(report.to_json(), indent=2) + "\n", output)
    else:
        emit(scoring.render_eval(report), output)
