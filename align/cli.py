"""The ``align`` command line: thin click commands over the library.

This is the only module that prints or exits. Library errors (``AlignError``) become one line,
``Error: FILE: problem``, on stderr and exit code 1; click's usage errors exit with 2.
"""
from __future__ import annotations

import functools
import json
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable, Sequence, TypeVar

import click

from . import __version__
from .errors import AlignError
from .formats import FORMATS
# The registries the options offer: light modules (no sacrebleu, no numpy at import).
from .score import LANGS as SCORE_LANGS, METRICS, TOKENIZERS
from .segment import LANGS as SEGMENT_LANGS

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


# --- corpus output options, shared by every command that writes pairs (corpus, text, convert) --

def _langs_value(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    if value is None:
        return None
    from .langtags import parse_langs

    try:
        return parse_langs(value)
    except AlignError as exc:
        raise click.BadParameter(exc.message) from None


langs_option = click.option(
    "--langs", metavar="EN,RU", default=None, callback=_langs_value,
    help="BCP 47 tags of the English and Russian sides in TMX output, e.g. en-US,ru-RU "
         "(default: en,ru).")
encoding_option = click.option(
    "--encoding", type=click.Choice(["utf-8", "utf-8-sig", "utf-16"]), default=None,
    help="Output encoding: utf-8 (default); utf-8-sig or utf-16 (with BOM) for Excel and memoQ "
         "TSV; utf-16 for older TMX tools.")
dedupe_option = click.option(
    "--dedupe", is_flag=True, help="Drop exact duplicate pairs (same English and Russian), "
                                   "keeping the first.")
min_score_option = click.option(
    "--min-score", type=click.FloatRange(0.0, 1.0), default=None, metavar="SCORE",
    help="Drop pairs scored below SCORE (pairs without a score are kept).")


def output_options(func: F) -> F:
    """``--langs``, ``--encoding``, ``--dedupe`` and ``--min-score``; pass them to write_pairs."""
    for option in (min_score_option, dedupe_option, encoding_option, langs_option):
        func = option(func)
    return func


def check_encoding(out_format: Any, encoding: str | None) -> None:
    """A usage error (exit 2) when the output format cannot be written in ``encoding``."""
    if encoding and encoding not in out_format.encodings:
        raise click.UsageError(f"--encoding {encoding}: {out_format.name} output is written in "
                               f"{' or '.join(out_format.encodings)}")


def content_epoch(inputs: Sequence[str]) -> float | None:
    """``SOURCE_DATE_EPOCH`` if set, else the newest modification time of the input files."""
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if env.isdigit():
        return float(env)
    times = []
    for name in inputs:
        path = Path(name)
        files = path.rglob("*") if path.is_dir() else [path]
        times.extend(f.stat().st_mtime for f in files if f.is_file())
    return int(max(times)) if times else None


def write_pairs(pairs: Any, output: str, out_format: Any, *, langs: tuple[str, str] | None = None,
                encoding: str | None = None, dedupe: bool = False,
                min_score: float | None = None, inputs: Sequence[str] = ()) -> int:
    """Filter ``pairs`` (``--dedupe``, ``--min-score``) and write them to ``output``.

    Says on stderr what the filters dropped and warns about pairs the format could not store
    (a TMX or Moses pair with an empty side). Returns the number of pairs written.
    ``inputs`` are the files the pairs come from: a TMX's creation date is the newest of their
    modification times (or ``SOURCE_DATE_EPOCH``), so the same input gives the same bytes.
    """
    from .formats import FilterCounts, filter_pairs

    check_encoding(out_format, encoding)
    options: dict[str, Any] = {}
    epoch = content_epoch(inputs)
    if epoch is not None:
        options["creationdate"] = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(epoch))
    if langs:
        options["langs"] = langs
    if encoding:
        options["encoding"] = encoding
    counts = FilterCounts()
    result = out_format.write(filter_pairs(pairs, dedupe=dedupe, min_score=min_score,
                                           counts=counts), output, **options)
    if counts.duplicates:
        click.echo(f"--dedupe dropped {plural(counts.duplicates, 'duplicate pair')}", err=True)
    if counts.below_min_score:
        click.echo(f"--min-score dropped {plural(counts.below_min_score, 'pair')} scored below "
                   f"{min_score}", err=True)
    for reason, count in getattr(result, "reasons", {}).items():
        warn(f"{output}: skipped {plural(count, 'pair')}: {reason}")
    return int(result)


# --- sentence alignment options (align/model.py, align/aligner.py) ---------------------------

model_option = click.option(
    "--model", "model_path", type=click.Path(dir_okay=False), default=None,
    help="Similarity model file (default: the one shipped with align).")
max_bead_option = click.option(
    "--max-bead", type=click.IntRange(1, 3), default=3, show_default=True,
    help="Most sentences on one side of a bead (3 allows 1-3 and 3-1).")
encoder_option = click.option(
    "--encoder", "encoder_path", type=click.Path(), default=None, metavar="PATH",
    help="Also use a local sentence-transformers model (e.g. LaBSE on disk) beside the "
         "built-in model; needs the 'encoder' extra; never downloads.")


def get_encoder(path: str | None) -> Any:
    if path is None:
        return None
    from .model import load_encoder

    return load_encoder(path)



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
@output_options
@click.option("--headlines-only", is_flag=True,
              help="Only pair headlines: no body alignment, no model, no scores.")
@click.option("--show-unaligned", is_flag=True,
              help="Also write body sentences with no counterpart (pairs with an empty side).")
@model_option
@encoder_option
@reports_errors
def corpus(inputs: tuple[str, ...], output: str, fmt: str | None,
           langs: tuple[str, str] | None, encoding: str | None, dedupe: bool,
           min_score: float | None, headlines_only: bool, show_unaligned: bool,
           model_path: str | None, encoder_path: str | None) -> None:
    """Build a parallel corpus from article files or directories (searched for *.txt).

    Every article with both an English and a Russian headline gives a headline pair, scored by
    its adequacy (as 'align score --qe' does). An article with a body in both languages also
    gives its aligned body sentences (kind 'body'), scored by the aligner's confidence. Files
    that fail to parse are reported and skipped; the corpus of the others is still written,
    and the exit code is then 1.
    """
    from .corpus import Scorer, build_corpus, find_articles

    out_format = output_format(output, fmt)
    docs = find_articles(inputs)
    scorer = None if headlines_only else Scorer.load(model_path, get_encoder(encoder_path))
    stats = build_corpus(docs, scorer, unaligned=show_unaligned)
    written = write_pairs(stats.pairs(), output, out_format, langs=langs, encoding=encoding,
                          dedupe=dedupe, min_score=min_score, inputs=[d.path for d in docs])
    for name, message in stats.problems:
        warn(f"{name}: {message}")
    click.echo(f"{plural(stats.articles, 'article')}, {plural(written, 'pair')}, "
               f"{len(stats.skipped)} skipped", err=True)
    if stats.skipped:
        sys.exit(1)


@main.command()
@click.argument("source", metavar="IN", type=click.Path(dir_okay=False, allow_dash=True))
@click.argument("output", metavar="OUT", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--from", "from_fmt", type=click.Choice(sorted(FORMATS)), default=None,
              help="Input format (default: from IN's extension).")
@format_option
@output_options
@reports_errors
def convert(source: str, output: str, from_fmt: str | None, fmt: str | None,
            langs: tuple[str, str] | None, encoding: str | None, dedupe: bool,
            min_score: float | None) -> None:
    """Convert the corpus IN to OUT: TMX, TSV, JSONL or Moses, by extension or option.

    A Moses corpus is named by its prefix or either file (corpus, corpus.en, corpus.ru). Text is
    carried exactly between formats once it is clean: TMX, TSV and Moses store each segment on
    one line without control characters, so tabs and line breaks become spaces there; a pair
    with an empty side is skipped by TMX and Moses (with a warning). TMX units without both an
    English and a Russian variant are skipped with a warning. Streams: any size in flat memory.
    """
    from collections import Counter

    from .formats import format_for_path

    try:
        in_format = format_for_path(source, from_fmt)
    except AlignError as exc:
        raise click.UsageError(str(exc).replace("use --format", "use --from")) from None
    out_format = output_format(output, fmt)
    check_encoding(out_format, encoding)
    skips: Counter[str] = Counter()
    pairs = in_format.read(source, langs=langs, on_skip=lambda reason, line: skips.update([reason]))
    written = write_pairs(pairs, output, out_format, langs=langs, encoding=encoding,
                          dedupe=dedupe, min_score=min_score, inputs=[source])
    for reason, count in sorted(skips.items()):
        warn(f"{source}: skipped {plural(count, 'unit')}: {reason}")
    click.echo(f"{plural(written, 'pair')} written ({in_format.name} to {out_format.name})",
               err=True)


def emit(text: str, output: str) -> None:
    """Write command output to stdout (``-``) or atomically to a file."""
    if output == "-":
        click.echo(text, nl=False)
        return
    from .fileio import atomic_output

    with atomic_output(output) as out:
        out.write(text.encode("utf-8"))


@main.command()
@click.argument("hyps", nargs=-1, metavar="HYP...", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("-r", "--ref", "refs", multiple=True, metavar="REF",
              type=click.Path(dir_okay=False, allow_dash=True),
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
@click.option("--model", "model_path", default=None, type=click.Path(dir_okay=False),
              help="Model file for --qe (default: the shipped one).")
@click.option("--calibration", "calibration_path", default=None,
              type=click.Path(dir_okay=False),
              help="With --qe: adequacy calibration table for --model (default: the one "
                   "'align model train' keeps in the model; benchmarks/qe.py --fit --table "
                   "makes a table).")
@click.option("--min-score", type=click.FloatRange(0.0, 1.0), default=None, metavar="SCORE",
              help="With --qe: keep only pairs of adequacy SCORE or more.")
@click.option("-o", "--output", default="-", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write here instead of stdout (--qe: a corpus, format by extension; "
                   "TSV on stdout).")
@reports_errors
def score(hyps: tuple[str, ...], refs: tuple[str, ...], metrics: tuple[str, ...],
          lang: str | None, side: str | None, column: int | None, tokenize: str | None,
          out_format: str | None, sentence_level: bool, paired_bs: bool, samples: int,
          qe: bool, model_path: str | None, calibration_path: str | None,
          min_score: float | None, output: str) -> None:
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
    from . import score as scoring

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
        from .model import DEFAULT_MODEL, load_model

        out_corpus = FORMATS["tsv"] if output == "-" else output_format(output, None)
        pairs = scoring.read_qe_pairs(hyps)
        model = load_model(model_path)
        calibration = scoring.calibration_for(model_path or DEFAULT_MODEL, calibration_path)
        if calibration is None:
            warn(f"no adequacy calibration for {model_path or 'the shipped model'}: scores are "
                 "the model's raw pair probabilities (retrain it with 'align model train')")
        written = write_pairs(scoring.score_adequacy(pairs, model, calibration), output,
                              out_corpus, min_score=min_score)
        click.echo(f"{plural(written, 'pair')} written with adequacy scores", err=True)
        return
    if min_score is not None or model_path is not None or calibration_path is not None:
        raise click.UsageError("--min-score, --model and --calibration go with --qe")
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


@main.command(name="eval")
@click.argument("gold", type=click.Path())
@click.argument("test", type=click.Path())
@click.option("--format", "out_format", type=click.Choice(["json", "text"]), default="json",
              show_default=True, help="JSON object, or a text table.")
@click.option("-o", "--output", default="-", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write here instead of stdout.")
@reports_errors
def eval_command(gold: str, test: str, out_format: str, output: str) -> None:
    """Score a TEST alignment against a GOLD one: strict and lax precision/recall/F1.

    GOLD and TEST are bead files ([0]:[0, 1] a line), or directories where each NAME.gold
    under GOLD is paired with NAME.align at the same place under TEST; counts are summed over
    all documents. Beads with an empty side are left out of strict and lax scoring and scored
    apart (unlinked); Vecalign's score.py convention is shown as well.
    """
    from . import score as scoring

    if Path(gold).exists() and Path(test).exists() and Path(gold).is_dir() != Path(test).is_dir():
        raise click.UsageError("GOLD and TEST must both be files or both be directories")
    report = scoring.evaluate_alignments(scoring.pair_bead_files(gold, test))
    if out_format == "json":
        emit(json.dumps(report.to_json(), indent=2) + "\n", output)
    else:
        emit(scoring.render_eval(report), output)


# --- sentence alignment (align/model.py, align/aligner.py) -----------------------------------

@main.group()
def model() -> None:
    """Build the built-in English–Russian similarity model."""


@model.command("train")
@click.argument("train_file", metavar="TRAIN.tsv[.gz]", type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="Model file to write (the shipped one is align/data/enru.model).")
@click.option("--vocab-size", type=click.IntRange(200, 60000), default=8000, show_default=True,
              help="Joint sentencepiece vocabulary size.")
@click.option("--extra-pairs", "extra_files", multiple=True, type=click.Path(dir_okay=False),
              help="More English<TAB>Russian pairs (a dictionary, a term base) for the "
                   "translation tables, not the vocabulary or the weights; repeatable. The "
                   "model then derives from them too, under their licence.")
@click.option("-q", "--quiet", is_flag=True, help="No progress messages.")
@reports_errors
def model_train(train_file: str, output: str, vocab_size: int, extra_files: tuple[str, ...],
                quiet: bool) -> None:
    """Train the similarity model from English<TAB>Russian pairs (deterministic).

    Learns a joint subword vocabulary, IBM Model 1 tables both ways, a bead classifier, the
    aligner's weights and skip costs (a structured perceptron), the confidence calibration and
    the adequacy calibration of 'score --qe' (all but the tables on held-out training pairs and
    synthetic documents made from them).
    """
    from .model import TrainConfig, read_train_pairs, train_model

    log = None if quiet else (lambda message: click.echo(message, err=True))
    extra = [pair for name in extra_files for pair in read_train_pairs(name)]
    train_model(train_file, output, TrainConfig(vocab_size=vocab_size), log=log, extra=extra,
                extra_names=extra_files)


@main.command()
@click.argument("inputs", nargs=-1, required=True, metavar="EN RU | DIR",
                type=click.Path(allow_dash=True))
@click.option("-o", "--output", default="-", type=click.Path(allow_dash=True),
              help="Bead file to write (default stdout); with DIR, the output directory.")
@model_option
@max_bead_option
@encoder_option
@reports_errors
def sentences(inputs: tuple[str, ...], output: str, model_path: str | None,
              max_bead: int, encoder_path: str | None) -> None:
    """Align sentences: EN and RU have one sentence a line.

    Writes one bead a line, [0]:[0, 1]:0.9731 (English indices, Russian indices, confidence);
    every line of both files is in exactly one bead, in order, and an empty side is [].
    With one argument DIR, every NAME.en/NAME.ru pair in DIR is aligned into OUTDIR/NAME.align
    (-o OUTDIR required), loading the model once.
    """
    from .aligner import align_sentences
    from .beads import write_beads
    from .fileio import read_text_lines
    from .model import load_model

    encoder = get_encoder(encoder_path)
    if len(inputs) == 2:
        en, ru = read_text_lines(inputs[0]), read_text_lines(inputs[1])
        beads = align_sentences(en, ru, load_model(model_path), max_bead=max_bead,
                                encoder=encoder)
        write_beads(beads, output)
        return
    if len(inputs) != 1 or not Path(inputs[0]).is_dir():
        raise click.UsageError("give two files EN RU, or one directory DIR with -o OUTDIR")
    if output == "-":
        raise click.UsageError("with a directory, -o OUTDIR is required")
    folder, outdir = Path(inputs[0]), Path(output)
    if outdir.exists() and not outdir.is_dir():
        raise click.UsageError(f"{output} exists and is not a directory")
    names = sorted({p.stem for p in folder.glob("*.en")} | {p.stem for p in folder.glob("*.ru")})
    loaded = load_model(model_path)
    done = failed = 0
    for name in names:
        en_path, ru_path = folder / f"{name}.en", folder / f"{name}.ru"
        if not (en_path.is_file() and ru_path.is_file()):
            warn(f"{en_path if not en_path.is_file() else ru_path}: missing, {name} skipped")
            failed += 1
            continue
        try:
            en, ru = read_text_lines(en_path), read_text_lines(ru_path)
            beads = align_sentences(en, ru, loaded, max_bead=max_bead, encoder=encoder)
            write_beads(beads, outdir / f"{name}.align")
            done += 1
        except AlignError as exc:
            click.echo(f"Error: {exc}", err=True)
            failed += 1
    click.echo(f"{plural(done, 'document')} aligned into {outdir}"
               + (f", {failed} failed" if failed else ""), err=True)
    if failed:
        sys.exit(1)


@main.command()
@click.argument("en_file", metavar="EN_FILE", type=click.Path(dir_okay=False, allow_dash=True))
@click.argument("ru_file", metavar="RU_FILE", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="Corpus file to write ('-' for stdout, then give --format).")
@format_option
@output_options
@click.option("--show-unaligned", is_flag=True,
              help="Also write sentences with no counterpart (pairs with an empty side).")
@click.option("--paragraphs", is_flag=True,
              help="Treat paragraphs as hard boundaries when both texts have the same number.")
@model_option
@max_bead_option
@encoder_option
@reports_errors
def text(en_file: str, ru_file: str, output: str, fmt: str | None,
         langs: tuple[str, str] | None, encoding: str | None, dedupe: bool,
         min_score: float | None, show_unaligned: bool, paragraphs: bool,
         model_path: str | None, max_bead: int, encoder_path: str | None) -> None:
    """Align two raw texts: segment into sentences, align, write pairs in a corpus format.

    Each pair carries the aligner's confidence as its score (--min-score drops weak links).
    Sentences merged into one bead are joined with a space.
    """
    from .aligner import align
    from .corpus import alignment_pairs
    from .fileio import read_text
    from .model import load_model
    from .segment import split_sentences

    out_format = output_format(output, fmt)
    check_encoding(out_format, encoding)
    en_text, ru_text = read_text(en_file), read_text(ru_file)
    src, tgt = split_sentences(en_text, "en"), split_sentences(ru_text, "ru")
    result = align(src, tgt, load_model(model_path), paragraph_boundaries=paragraphs,
                   max_bead=max_bead, encoder=get_encoder(encoder_path))
    pairs = alignment_pairs(result, "sentence", Path(en_file).name, unaligned=show_unaligned)
    written = write_pairs(pairs, output, out_format, langs=langs, encoding=encoding,
                          dedupe=dedupe, min_score=min_score, inputs=[en_file, ru_file])
    links = sum(1 for b in result.beads if b.src and b.tgt)
    click.echo(f"{len(src)} English and {len(tgt)} Russian sentences, "
               f"{plural(links, 'link')}, {plural(written, 'pair')} written", err=True)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
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
    from .fileio import read_text
    from .segment import detect_lang, split_sentences

    text = read_text(file)
    if lang == "auto":
        lang = detect_lang(text)
    previous = None
    for sentence in split_sentences(text, lang):
        if keep_paragraphs and previous is not None and sentence.paragraph != previous:
            click.echo("")
        click.echo(" ".join(sentence.text.split()))
        previous = sentence.paragraph
