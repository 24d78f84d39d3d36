"""align clean: fix and filter a corpus, with a named reason for every pair dropped."""
from __future__ import annotations

import pickle
import tempfile
from typing import Any, Callable, Iterator

import click

from ..clean.dedupe import NEAR_THRESHOLD
from ..clean.fixes import FIXES
from ..clean.rules import RULES, Limits
from ..formats import FORMATS
from .checks import check_distinct_outputs, check_inputs, check_output, output_files
from .common import (
    encoding_option, engine_for, langs_option, output_format, plural, reports_errors, warn,
    write_pairs,
)

_RULE_CHOICE = click.Choice(list(RULES))


def _list_rules(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    for name, fix in FIXES.items():
        click.echo(f"fix   {name:<15} {fix.description}")
    for name, rule in RULES.items():
        default = "on " if rule.default else "off"
        click.echo(f"rule  {name:<15} {default} {rule.reason}")
    ctx.exit(0)


@click.command()
@click.argument("source", metavar="CORPUS", type=click.Path(allow_dash=True))
@click.option("-o", "--output", required=True, type=click.Path(allow_dash=True),
              help="Cleaned corpus ('-' for TSV on stdout); format by extension.")
@click.option("--from", "from_fmt", type=click.Choice(sorted(FORMATS)), default=None,
              help="Input format (default: from CORPUS's extension).")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default=None,
              help="Output format (default: from the output file's extension).")
@click.option("--rejects", "rejects_path", default=None, metavar="FILE",
              type=click.Path(),
              help="Also write every dropped pair (as the rules saw it, after the fixes) "
                   "with its reasons: JSONL or TMX, reasons in the 'reject' property.")
@click.option("--report", is_flag=True,
              help="Print a table of pairs changed per fix and dropped per rule.")
@click.option("--rules", "only", multiple=True, type=_RULE_CHOICE, metavar="NAME",
              help="Run only these rules (repeatable; see --list-rules).")
@click.option("--skip-rule", "skip", multiple=True, type=_RULE_CHOICE, metavar="NAME",
              help="Do not run this rule (repeatable).")
@click.option("--list-rules", is_flag=True, expose_value=False, is_eager=True,
              callback=_list_rules, help="List the fixes and rules with their reasons, and exit.")
@click.option("--min-score", type=click.FloatRange(0.0, 1.0), default=None, metavar="SCORE",
              help="Drop pairs whose adequacy (the model's QE, as 'align score --qe') is below "
                   "SCORE.")
@click.option("--model", "model_path", default=None, type=click.Path(),
              help="Model file for --min-score (default: the shipped one).")
@click.option("--near-dupes", is_flag=True,
              help="Also drop near-duplicates (MinHash), keeping the best-scored copy of each.")
@click.option("--near-threshold", type=click.FloatRange(0.5, 1.0), default=NEAR_THRESHOLD,
              show_default=True, help="Jaccard similarity (character 5-grams) for --near-dupes.")
@click.option("--max-length", type=click.IntRange(min=1), default=Limits.max_chars,
              show_default=True, help="The too_long rule: most characters on one side.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              metavar="N", help="Worker processes for the fixes and rules (the rest runs in "
                                "order here); the output is the same for any N.")
@langs_option
@encoding_option
@reports_errors
def clean(source: str, output: str, from_fmt: str | None, fmt: str | None,
          rejects_path: str | None, report: bool, only: tuple[str, ...], skip: tuple[str, ...],
          min_score: float | None, model_path: str | None, near_dupes: bool,
          near_threshold: float, max_length: int, jobs: int, langs: tuple[str, str] | None,
          encoding: str | None) -> None:
    """Clean the corpus CORPUS (TMX, TSV, JSONL, Moses) into OUT: fix text, drop bad pairs.

    Fixes keep the pair and change its text: mojibake and HTML entities (ftfy), control
    characters, Unicode NFC, one-sided markup, whitespace. Rules drop a pair, each for a named
    reason: an empty or too short side, too long, length ratio, the same text on both sides,
    a side in the wrong script or language, numbers or URLs that disagree, repetitions,
    boilerplate, a truncated side, duplicates (case, punctuation and digits folded); with
    --min-score, low adequacy; with --near-dupes, near-duplicates. Needs the 'clean' extra.

    \b
    align clean crawl.tmx -o crawl.clean.tmx --rejects crawl.rejects.jsonl --report
    align clean crawl.tsv -o clean.tsv --min-score 0.1 --near-dupes --skip-rule truncated
    """
    from collections import Counter

    from ..clean import (
        CleanCounts, clean_pairs, drop_near_duplicates, require_extras, select_rules,
    )
    from ..errors import AlignError
    from ..formats import format_for_path

    try:
        in_format = format_for_path(source, from_fmt)
    except AlignError as exc:
        raise click.UsageError(str(exc).replace("use --format", "use --from")) from None
    out_format = FORMATS["tsv"] if output == "-" and fmt is None else output_format(output, fmt)
    inputs = output_files(source, in_format)  # a Moses corpus is two files
    check_inputs(inputs)
    check_output(output, [*inputs, model_path], out_format)
    check_output(rejects_path, [*inputs, model_path])
    check_distinct_outputs([("-o", output), ("--rejects", rejects_path)])
    rejects_format = None
    if rejects_path is not None:
        rejects_format = output_format(rejects_path, None)
        if "props" not in rejects_format.keeps:
            raise click.UsageError(f"--rejects {rejects_path}: {rejects_format.name} cannot keep "
                                   "the reasons; use a .jsonl or .tmx file")
    rules = select_rules(only, skip, min_score=min_score, near_dupes=near_dupes)
    require_extras(rules)
    adequacy: Callable[[list[Any]], list[float]] | None = None
    if "adequacy" in rules:
        from ..corpus import adequacy_batch, qe_scorer

        scorer = qe_scorer(model_path)

        def score_batch(batch: list[Any]) -> list[float]:
            return [p.score or 0.0 for p in adequacy_batch(scorer, batch)]

        adequacy = score_batch

        if scorer.calibration is None:
            warn(f"no adequacy calibration for {model_path or 'the shipped model'}: --min-score "
                 "applies to the model's raw pair probabilities")
    elif model_path is not None:
        raise click.UsageError("--model goes with --min-score")
    limits = Limits(max_chars=max_length, min_score=min_score)
    counts = CleanCounts()
    skips: Counter[str] = Counter()
    pairs = in_format.read(source, langs=langs,
                           on_skip=lambda reason, line: skips.update([reason]))
    judged = None
    if jobs > 1:
        import itertools

        from ..clean import JUDGE_BATCH, judge_batch, make_judge
        from ..engine import Run, Setup

        head = list(itertools.islice(pairs, 2 * JUDGE_BATCH))
        pairs = itertools.chain(head, pairs)
        if source != "-" and len(head) == 2 * JUDGE_BATCH:  # else too little to pay off
            run = Run(judge_batch, Setup(make_judge, (rules, limits)),
                      engine_for(jobs, None, 1 << 30), JUDGE_BATCH, batched=True)
            judged = run.map(pairs)
    verdicts = clean_pairs(pairs, rules, limits=limits, adequacy=adequacy,
                           counts=None if near_dupes else counts, judged=judged)
    if near_dupes:
        verdicts = drop_near_duplicates(verdicts, near_threshold, counts=counts)

    with tempfile.TemporaryFile() as spill:
        def kept() -> Iterator[Any]:
            for verdict in verdicts:
                if verdict.kept:
                    yield verdict.pair
                elif rejects_format is not None:
                    pickle.dump(_reject(verdict), spill, protocol=pickle.HIGHEST_PROTOCOL)

        written = write_pairs(kept(), output, out_format, langs=langs, encoding=encoding,
                              inputs=[source])
        if rejects_format is not None:
            spill.seek(0)
            rejects_format.write(_unspill(spill), rejects_path, langs=langs)
    for reason, count in sorted(skips.items()):
        warn(f"{source}: skipped {plural(count, 'unit')}: {reason}")
    if report:
        width = max(len(name) for name in [*FIXES, *RULES])
        click.echo(f"{'':<5} {'name':<{width}} {'pairs':>8}", err=True)
        for kind, name, count in counts.table():
            if kind == "rule" and name not in rules:
                continue
            click.echo(f"{kind:<5} {name:<{width}} {count:>8}", err=True)
    fixed = sum(counts.fixes.values())
    click.echo(f"{plural(counts.pairs, 'pair')} read, {written} kept, {counts.dropped} dropped, "
               f"{fixed} fixes applied", err=True)


def _reject(verdict: Any) -> Any:
    import dataclasses

    props = dict(verdict.pair.props)
    props["reject"] = ",".join(verdict.reasons)
    props["input_pair"] = str(verdict.number)
    if verdict.detail:
        props["reject_detail"] = verdict.detail
    if verdict.adequacy is not None:
        props["adequacy"] = f"{verdict.adequacy:.4f}"
    return dataclasses.replace(verdict.pair, props=props)


def _unspill(spill: Any) -> Iterator[Any]:
    while True:
        try:
            yield pickle.load(spill)
        except EOFError:
            return

