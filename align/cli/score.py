"""align score: sacrebleu metrics against references, or reference-free adequacy (--qe)."""
from __future__ import annotations

import json

import click

from ..formats import FORMATS
from ..metrics import LANGS as SCORE_LANGS, METRICS, TOKENIZERS
from .checks import check_inputs, check_languages, check_output
from .common import (
    Progress, emit, engine_for, interrupted, output_format, plural, reports_errors, scale_options,
    warn, write_pairs,
)


@click.command()
@click.argument("hyps", nargs=-1, metavar="HYP...", type=click.Path(allow_dash=True))
@click.option("-r", "--ref", "refs", multiple=True, metavar="REF",
              type=click.Path(allow_dash=True),
              help="Reference file; repeat for several references.")
@click.option("-m", "--metric", "metrics", multiple=True,
              type=click.Choice(list(METRICS), case_sensitive=False),
              help="Metric; repeatable (default: bleu and chrf).")
@click.option("--lang", type=click.Choice(SCORE_LANGS), default=None,
              help="Target language, picks the BLEU tokenizer (default: --side, else ru).")
@click.option("--side", type=click.Choice(SCORE_LANGS), default=None,
              help="Side read from corpus files (TSV/JSONL/TMX) (default: --lang).")
@click.option("--column", type=click.IntRange(min=1), default=None,
              help="Take this column (1-based) of .tsv/.tab inputs, read as headerless "
                   "tab-separated lines.")
@click.option("--tokenize", type=click.Choice(TOKENIZERS), default=None,
              help="BLEU tokenizer (default: intl for ru, 13a for en).")
@click.option("--format", "out_format", type=click.Choice(["json", "text"]), default=None,
              help="JSON list of scores (default), or a text table.")
@click.option("--sentence-level", is_flag=True, help="One line of scores per segment.")
@click.option("--paired-bs", is_flag=True,
              help="Paired bootstrap resampling of every HYP against the first.")
@click.option("--samples", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Bootstrap resamples for --paired-bs.")
@click.option("--qe", is_flag=True,
              help="Adequacy without references: score the pairs of EN RU text files, or of "
                   "one corpus file, with the bilingual model; writes the corpus with scores.")
@click.option("--from", "from_fmt", type=click.Choice(sorted(FORMATS)), default=None,
              help="With --qe: the corpus format of the input (default: from its extension; "
                   "TSV for '-').")
@click.option("--force", is_flag=True,
              help="With --qe EN_FILE RU_FILE: go on when the English file looks Russian, or "
                   "both look the same language.")
@click.option("--model", "model_path", default=None, type=click.Path(),
              help="Model file for --qe (default: the shipped one).")
@click.option("--calibration", "calibration_path", default=None,
              type=click.Path(),
              help="With --qe: adequacy calibration table for --model (default: the one "
                   "'align model train' keeps in the model; benchmarks/qe.py --fit --table "
                   "makes a table).")
@click.option("--min-score", type=click.FloatRange(0.0, 1.0), default=None, metavar="SCORE",
              help="With --qe: keep only pairs of adequacy SCORE or more.")
@click.option("-o", "--output", default="-", type=click.Path(allow_dash=True),
              help="Write here instead of stdout (--qe: a corpus, format by extension; "
                   "TSV on stdout).")
@scale_options
@reports_errors
def score(hyps: tuple[str, ...], refs: tuple[str, ...], metrics: tuple[str, ...],
          lang: str | None, side: str | None, column: int | None, tokenize: str | None,
          out_format: str | None, sentence_level: bool, paired_bs: bool, samples: int,
          qe: bool, from_fmt: str | None, force: bool, model_path: str | None,
          calibration_path: str | None, min_score: float | None, output: str,
          jobs: int | None, dask_address: str | None, quiet: bool) -> None:
    """Score translations HYP... against references with sacrebleu (BLEU, chrF, chrF++, TER).

    HYP and REF are plain text (one segment a line), a column of a tab-separated file
    (--column), or one side of a corpus file (.tsv/.jsonl/.tmx, --side). Every score comes with
    its sacrebleu signature. With several HYPs, --paired-bs tests each against the first.

    With --qe there are no references: each pair of EN_FILE RU_FILE (or of a corpus file) gets
    an adequacy in [0, 1] from the bilingual model, written as the pair's score in the output
    corpus; --min-score keeps the pairs scoring at least that.

    \b
    align score mt1.txt mt2.txt -r corpora/test.tmx --paired-bs --format text
    align score --qe corpora/crawl.tmx --min-score 0.5 -o corpora/crawl.clean.tmx
    """
    from .. import metrics as scoring, qe as adequacy

    if qe:
        conflicts = [name for name, given in [
            ("-r", refs), ("-m", metrics), ("--lang", lang), ("--side", side),
            ("--column", column), ("--tokenize", tokenize), ("--format", out_format),
            ("--sentence-level", sentence_level), ("--paired-bs", paired_bs)] if given]
        if conflicts:
            raise click.UsageError(f"--qe takes no {', '.join(conflicts)}")
        if len(hyps) not in (1, 2):
            raise click.UsageError("--qe takes one corpus file, or an EN and a RU text file")
        if hyps.count("-") > 1:
            raise click.UsageError("standard input ('-') can be read only once")
        import itertools

        from ..corpus import adequacy_batch, qe_scorer
        from ..engine import Run, Setup
        from ..model import DEFAULT_MODEL

        out_corpus = FORMATS["tsv"] if output == "-" else output_format(output, None)
        if from_fmt and len(hyps) == 2:
            raise click.UsageError("--from is the format of one corpus file, not of EN RU files")
        if hyps == ("-",) and from_fmt is None:
            from_fmt = "tsv"  # what --qe writes on stdout: pipes chain
        inputs = _corpus_files(hyps, from_fmt)
        check_inputs(inputs)
        check_output(output, [*inputs, model_path, calibration_path], out_corpus)
        if len(hyps) == 2:
            check_languages(*hyps, force=force)
        pairs = adequacy.read_qe_pairs(hyps, from_fmt)
        calibration = adequacy.calibration_for(model_path or DEFAULT_MODEL, calibration_path)
        if calibration is None:
            warn(f"no adequacy calibration for {model_path or 'the shipped model'}: scores are "
                 "the model's raw pair probabilities (retrain it with 'align model train')")
        head = list(itertools.islice(pairs, 2 * adequacy.QE_BATCH))
        if "-" in hyps or len(head) < 2 * adequacy.QE_BATCH:
            jobs, dask_address = 1, None  # stdin, or too little for workers to pay off
        engine = engine_for(jobs, dask_address, 1 << 30)
        with Progress(None, "pair", quiet) as bar:
            run = Run(adequacy_batch, Setup(qe_scorer, (model_path, calibration_path)), engine,
                      adequacy.QE_BATCH, bar.update, batched=True)
            try:
                written = write_pairs(run.map(itertools.chain(head, pairs)), output, out_corpus,
                                      min_score=min_score)
            except KeyboardInterrupt:
                engine.close()
                interrupted(0, None, "pair", None, resumable=False)
        click.echo(f"{plural(written, 'pair')} written with adequacy scores", err=True)
        return
    if jobs is not None or dask_address is not None or force:
        raise click.UsageError("--jobs, --dask and --force go with --qe")
    if min_score is not None or model_path is not None or calibration_path is not None:
        raise click.UsageError("--min-score, --model and --calibration go with --qe")
    if from_fmt is not None:
        raise click.UsageError("--from goes with --qe (HYP and REF formats come from --side, "
                               "--column and the extension)")
    out_format = out_format or "json"
    if not hyps:
        raise click.UsageError("give at least one HYP file")
    if not refs:
        raise click.UsageError("give a reference with -r REF")
    if paired_bs and len(hyps) < 2:
        raise click.UsageError("--paired-bs needs at least two HYP files")
    if paired_bs and sentence_level:
        raise click.UsageError("--paired-bs and --sentence-level cannot be combined")
    if [*hyps, *refs].count("-") > 1:
        raise click.UsageError("standard input ('-') can be read only once")
    inputs = _corpus_files((*hyps, *refs), None)
    check_inputs(inputs)
    check_output(output, inputs)
    lang = lang or side or "ru"
    side = side or lang
    chosen = [m.lower() for m in metrics] or list(scoring.DEFAULT_METRICS)

    def load(path: str) -> tuple[str, list[str]]:
        return path, scoring.read_segments(path, side=side, column=column)

    references = [load(path) for path in refs]
    systems = [load(path) for path in hyps]
    if sentence_level:
        rows, signatures = scoring.sentence_scores(systems, references, chosen, lang, tokenize)
        for name, signature in signatures.items():
            click.echo(f"{name}: {signature}", err=True)
        emit(scoring.render_segments(rows, out_format), output)
        return
    if paired_bs:
        results = scoring.paired_bootstrap(systems, references, chosen, lang, tokenize, samples)
    else:
        results = scoring.corpus_scores(systems, references, chosen, lang, tokenize)
    if out_format == "json":
        text = json.dumps([r.to_json() for r in results], ensure_ascii=False, indent=2) + "\n"
    else:
        text = scoring.render_table(results)
    emit(text, output)


def _corpus_files(paths: tuple[str, ...], fmt: str | None) -> list[str]:
    """The files ``paths`` name: a Moses corpus prefix is its two side files."""
    from ..metrics import corpus_format

    files: list[str] = []
    for path in paths:
        found = corpus_format(path, fmt) if path != "-" else None
        if found is not None and found.name == "moses" and not path.lower().endswith(
                found.extensions):
            from ..formats.moses import paths as moses_paths

            files.extend(moses_paths(path))
        else:
            files.append(path)
    return files
