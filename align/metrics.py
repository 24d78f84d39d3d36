"""Translation metrics through sacrebleu: the ``METRICS`` registry, corpus and sentence scores,
paired bootstrap, and the tables that show them.

Scores are sacrebleu's own: every number comes from its metric classes (``BLEU``, ``CHRF``,
``TER``) and its paired bootstrap test, never from arithmetic of ours, so a score printed here is
the score sacrebleu prints for the same inputs, and its signature says how it was made.

``METRICS`` is the registry the CLI reads its ``-m`` choices from. The BLEU tokenizer follows
the target language: ``intl`` for Russian (it splits guillemets and other Unicode punctuation
off words, which ``13a`` leaves glued), ``13a`` (sacrebleu's default) for English; it can be
overridden.

Segments are read from plain text (one a line), a column of a tab-separated file, or one side of
a corpus file in any registered format (TSV, JSONL, TMX, ...), so an aligned corpus can serve as
a test set directly.

Alignment evaluation (``align eval``) is :mod:`align.evaluate`; adequacy without references
(``align score --qe``) is :mod:`align.qe`.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from .errors import AlignError, InputError
from .fileio import read_text_lines
from .formats import FORMATS, Format, format_for_path

if TYPE_CHECKING:  # sacrebleu is imported where it is used, not at start-up
    from sacrebleu.metrics.base import Metric

LANGS = ("en", "ru")
# BLEU tokenizer for each target language.
TOKENIZE_FOR_LANG: dict[str, str] = {"ru": "intl", "en": "13a"}
# The BLEU tokenizers offered: those that need nothing downloaded or installed beyond sacrebleu.
TOKENIZERS = ("13a", "intl", "char", "none")


@dataclass(frozen=True)
class MetricSpec:
    """One metric of the registry: the sacrebleu class and the options that make it.

    ``tokenized`` says whether the BLEU tokenizer choice applies (chrF and TER have their own
    fixed preprocessing).
    """

    name: str
    description: str
    cls: str
    options: Mapping[str, Any] = field(default_factory=dict)
    tokenized: bool = False

    def build(self, lang: str = "ru", tokenize: str | None = None,
              sentence_level: bool = False) -> "Metric":
        """A fresh sacrebleu metric object for target language ``lang``."""
        from sacrebleu import metrics as sb_metrics

        options = dict(self.options)
        if self.tokenized:
            options["tokenize"] = tokenize or tokenizer_for(lang)
            options["trg_lang"] = lang
            if sentence_level:
                # What sacrebleu's own --sentence-level does: without it a short sentence
                # with no 4-gram match scores 0 whatever else it gets right.
                options["effective_order"] = True
        return getattr(sb_metrics, self.cls)(**options)


METRICS: dict[str, MetricSpec] = {
    "bleu": MetricSpec("bleu", "BLEU; tokenizer intl for Russian, 13a for English", "BLEU",
                       tokenized=True),
    "chrf": MetricSpec("chrf", "chrF2: character 6-grams", "CHRF"),
    "chrf++": MetricSpec("chrf++", "chrF2++: chrF with word 1- and 2-grams", "CHRF",
                         {"word_order": 2}),
    "ter": MetricSpec("ter", "TER: translation edit rate, lower is better (slow on long lines)",
                      "TER"),
}
DEFAULT_METRICS = ("bleu", "chrf")


def tokenizer_for(lang: str) -> str:
    """The BLEU tokenizer for target language ``lang``."""
    try:
        return TOKENIZE_FOR_LANG[lang]
    except KeyError:
        raise AlignError(f"unknown language {lang!r} (choose from {', '.join(LANGS)})") from None


def _spec(name: str) -> MetricSpec:
    try:
        return METRICS[name.lower()]
    except KeyError:
        raise AlignError(f"unknown metric {name!r} (choose from {', '.join(METRICS)})") from None


def build_metrics(names: Iterable[str] = DEFAULT_METRICS, lang: str = "ru",
                  tokenize: str | None = None,
                  sentence_level: bool = False) -> dict[str, "Metric"]:
    """sacrebleu metric objects by registry name, duplicates dropped, order kept."""
    if tokenize is not None and tokenize not in TOKENIZERS:
        raise AlignError(f"unknown tokenizer {tokenize!r} (choose from {', '.join(TOKENIZERS)})")
    tokenizer_for(lang)
    built: dict[str, Metric] = {}
    for name in names:
        spec = _spec(name)
        if spec.name not in built:
            built[spec.name] = spec.build(lang, tokenize, sentence_level)
    if not built:
        raise AlignError("no metric chosen")
    return built


# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class MetricScore:
    """One corpus-level score of one system.

    ``name`` is sacrebleu's name for the score (``BLEU``, ``chrF2``, ``chrF2++``, ``TER``),
    ``metric`` the registry key. With a paired test, ``p_value`` is against the baseline (the
    first system; ``None`` for the baseline itself) and ``mean`` ± ``ci`` is the bootstrap
    estimate of the true score with its 95% confidence interval.
    """

    system: str
    metric: str
    name: str
    score: float
    signature: str
    verbose: str = ""
    baseline: bool = False
    p_value: float | None = None
    mean: float | None = None
    ci: float | None = None

    def to_json(self) -> dict[str, Any]:
        record: dict[str, Any] = {"name": self.name, "score": self.score,
                                  "signature": self.signature, "system": self.system,
                                  "metric": self.metric}
        if self.verbose:
            record["verbose"] = self.verbose
        if self.mean is not None:
            record["baseline"] = self.baseline
            record["p_value"] = self.p_value
            record["mean"] = self.mean
            record["ci"] = self.ci
        return record


@dataclass(frozen=True)
class SegmentScores:
    """The scores of one segment (``line`` is 1-based) of one system, by sacrebleu score name."""

    system: str
    line: int
    scores: Mapping[str, float]


def check_lengths(systems: Sequence[tuple[str, Sequence[str]]],
                  references: Sequence[tuple[str, Sequence[str]]]) -> None:
    """Raise ``InputError`` unless every system and reference has the same number of segments.

    The first reference sets the count; sacrebleu would otherwise stop with a bare EOFError or,
    worse, score the common prefix.
    """
    if not references:
        raise AlignError("no reference given")
    if not systems:
        raise AlignError("no hypothesis given")
    for name, segments in [*references, *systems]:
        if not segments:
            raise InputError("empty input: no segments to score", name)
    ref_name, ref = references[0]
    for name, segments in [*references[1:], *systems]:
        if len(segments) != len(ref):
            raise InputError(f"{_count(len(segments))}, but {ref_name} has {_count(len(ref))}",
                             name)


def _count(n: int) -> str:
    return f"{n} segment" + ("" if n == 1 else "s")


def corpus_scores(systems: Sequence[tuple[str, Sequence[str]]],
                  references: Sequence[tuple[str, Sequence[str]]],
                  metrics: Iterable[str] = DEFAULT_METRICS, lang: str = "ru",
                  tokenize: str | None = None) -> list[MetricScore]:
    """Corpus-level scores of each named system against the named reference streams.

    Returns one ``MetricScore`` per system and metric, systems in the order given.
    """
    check_lengths(systems, references)
    built = build_metrics(metrics, lang, tokenize)
    refs = [list(segments) for _, segments in references]
    results = []
    for system, hyps in systems:
        for key, metric in built.items():
            score = metric.corpus_score(list(hyps), refs)
            results.append(MetricScore(system=system, metric=key, name=score.name,
                                       score=score.score,
                                       signature=metric.get_signature().format(),
                                       verbose=score.format()))
    return results


def paired_bootstrap(systems: Sequence[tuple[str, Sequence[str]]],
                     references: Sequence[tuple[str, Sequence[str]]],
                     metrics: Iterable[str] = DEFAULT_METRICS, lang: str = "ru",
                     tokenize: str | None = None, n_samples: int = 1000) -> list[MetricScore]:
    """Scores of each system with sacrebleu's paired bootstrap resampling against the first.

    The test is ``sacrebleu.significance.PairedTest(test_type="bs")``: the p-value of each
    system says how likely its difference from the baseline is under chance. The seed is
    sacrebleu's (``SACREBLEU_SEED``, 12345 by default), so runs are repeatable, and it is in
    the signature.
    """
    from sacrebleu.significance import PairedTest

    if len(systems) < 2:
        raise AlignError("a paired test needs at least two systems")
    if n_samples < 1:
        raise AlignError(f"the number of bootstrap samples must be positive, not {n_samples}")
    check_lengths(systems, references)
    built = build_metrics(metrics, lang, tokenize)
    test = PairedTest([(name, list(hyps)) for name, hyps in systems], built,
                      references=[list(segments) for _, segments in references],
                      test_type="bs", n_samples=n_samples)
    signatures, table = test()
    # PairedTest keys its columns by sacrebleu's score names, in the order of ``built``.
    score_names = [name for name in table if name != "System"]
    results = []
    for index, system in enumerate(table["System"]):
        for key, score_name in zip(built, score_names):
            result = table[score_name][index]
            results.append(MetricScore(
                system=str(system), metric=key, name=score_name, score=float(result.score),
                signature=signatures[score_name].format(), baseline=index == 0,
                p_value=None if result.p_value is None else float(result.p_value),
                mean=None if result.mean is None else float(result.mean),
                ci=None if result.ci is None else float(result.ci)))
    return results


def sentence_scores(systems: Sequence[tuple[str, Sequence[str]]],
                    references: Sequence[tuple[str, Sequence[str]]],
                    metrics: Iterable[str] = DEFAULT_METRICS, lang: str = "ru",
                    tokenize: str | None = None) -> tuple[list[SegmentScores], dict[str, str]]:
    """Segment-level scores (sacrebleu's ``sentence_score``) and each score's signature.

    BLEU uses effective order here, as sacrebleu's own sentence-level mode does.
    """
    check_lengths(systems, references)
    built = build_metrics(metrics, lang, tokenize, sentence_level=True)
    rows = []
    score_names: dict[str, str] = {}
    for system, hyps in systems:
        for index, hyp in enumerate(hyps):
            refs = [segments[index] for _, segments in references]
            scores = {}
            for key, metric in built.items():
                score = metric.sentence_score(hyp, refs)
                scores[score.name] = score.score
                score_names[key] = score.name
            rows.append(SegmentScores(system=system, line=index + 1, scores=scores))
    # The signature is complete only once references were seen (it counts them).
    signatures = {score_names[key]: metric.get_signature().format()
                  for key, metric in built.items()}
    return rows, signatures


# ---------------------------------------------------------------------------------------------
# Reading segments


def corpus_format(path: str | os.PathLike[str], fmt: str | None = None) -> Format | None:
    """The registered corpus format of ``path`` (by ``fmt`` or extension), or ``None``."""
    if fmt:
        return format_for_path(path, fmt)
    lower = str(path).lower()
    for candidate in FORMATS.values():
        if lower.endswith(candidate.extensions):
            return candidate
    return None


def read_segments(path: str | os.PathLike[str], *, side: str = "ru", column: int | None = None,
                  fmt: str | None = None) -> list[str]:
    """The segments of ``path``, in order.

    - a tab-separated file (``.tsv``/``.tab``) with ``column`` (1-based) given: headerless
      tab-separated lines, that column taken (a header row would be a segment);
    - a corpus file (``fmt``, or an extension of ``FORMATS``): its ``side`` (``en``/``ru``);
    - anything else, standard input (``-``) and Moses side files (``x.en``, ``x.ru``, which
      are plain text already): one segment a line.
    """
    name = str(path)
    if column is not None and column < 1:
        raise AlignError(f"column numbers start at 1, not {column}")
    corpus = corpus_format(path, fmt)
    if column is not None and corpus is not None and corpus.name == "tsv":
        segments = []
        for number, line in enumerate(read_text_lines(path), start=1):
            fields = line.split("\t")
            if len(fields) < column:
                raise InputError(f"no column {column}: the line has {len(fields)}", name, number)
            segments.append(fields[column - 1])
        return segments
    if corpus is None or corpus.name == "moses":
        # A Moses side file is one segment a line: the file named is the side wanted.
        return read_text_lines(path)
    if side not in LANGS:
        raise AlignError(f"unknown side {side!r} (choose from {', '.join(LANGS)})")
    return [getattr(pair, side) for pair in corpus.read(path)]


# ---------------------------------------------------------------------------------------------
# Rendering (the CLI prints what these return)


def render_table(results: Sequence[MetricScore]) -> str:
    """A plain-text table: one row per system, one column per score, then the signatures.

    With a paired test each cell also shows the bootstrap mean ± 95% interval and, for every
    system but the baseline, the p-value; ``*`` marks p < 0.05.
    """
    systems: list[str] = []
    names: list[str] = []
    cells: dict[tuple[str, str], str] = {}
    signatures: dict[str, str] = {}
    paired = False
    for result in results:
        if result.system not in systems:
            systems.append(result.system)
        if result.name not in names:
            names.append(result.name)
        cell = f"{result.score:.2f}"
        if result.mean is not None and result.ci is not None:
            paired = True
            cell += f" (μ = {result.mean:.2f} ± {result.ci:.2f})"
        if result.p_value is not None:
            cell += f" p = {result.p_value:.4f}{' *' if result.p_value < 0.05 else ''}"
        cells[(result.system, result.name)] = cell
        signatures[result.name] = result.signature
    header = ["System", *names]
    rows = [header]
    for index, system in enumerate(systems):
        label = f"{system} (baseline)" if paired and index == 0 else system
        rows.append([label, *(cells.get((system, name), "-") for name in names)])
    widths = [max(len(row[col]) for row in rows) for col in range(len(header))]
    lines = ["  ".join(text.ljust(width) for text, width in zip(row, widths)).rstrip()
             for row in rows]
    lines.append("")
    if paired:
        lines.append("Paired bootstrap resampling against the baseline; * p < 0.05.")
    lines.extend(f"{name}: {signatures[name]}" for name in names)
    return "\n".join(lines) + "\n"


def render_segments(rows: Sequence[SegmentScores], fmt: str = "json") -> str:
    """Segment scores, one line per segment: JSON objects, or tab-separated text with a header."""
    import json

    if fmt == "json":
        return "".join(json.dumps({"system": row.system, "line": row.line,
                                   "scores": dict(row.scores)}, ensure_ascii=False) + "\n"
                       for row in rows)
    names = list(rows[0].scores) if rows else []
    lines = ["\t".join(["system", "line", *names])]
    lines.extend("\t".join([row.system, str(row.line), *(f"{row.scores[n]:.4f}" for n in names)])
                 for row in rows)
    return "\n".join(lines) + "\n"
