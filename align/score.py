"""Scoring: translation metrics through sacrebleu, alignment evaluation, adequacy without
references.

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

Alignment evaluation (``align eval``) pairs gold and test bead files and scores them with
:mod:`align.evaluate`, adding Vecalign's own precision convention beside ours. Adequacy
(``align score --qe``) is the bilingual model's probability that two sentences translate each
other, on the [0, 1] scale that ``--min-score`` filters.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping, Sequence

from .errors import AlignError, InputError
from .fileio import read_text, read_text_lines
from .formats import FORMATS, Format, format_for_path
from .types import Pair

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


# ---------------------------------------------------------------------------------------------
# Alignment evaluation: ``align eval`` over ``align.evaluate``


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1 of one kind of match."""

    precision: float
    recall: float
    f1: float

    def to_json(self) -> dict[str, float]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1}


@dataclass(frozen=True)
class EvalReport:
    """Scores of test alignments against gold ones, summed over ``documents`` (micro average).

    ``strict``/``lax``/``unlinked`` follow :mod:`align.evaluate`: beads with an empty side are
    left out of strict and lax scoring and scored apart as ``unlinked``. ``vecalign_strict``/
    ``vecalign_lax`` are the numbers Vecalign's ``score.py`` prints for the same files: it
    keeps the test's empty-sided beads in the precision count (right only when gold has the
    identical bead), so its precision differs when the test leaves sentences unlinked.
    """

    documents: int
    strict: PRF
    lax: PRF
    unlinked: PRF
    vecalign_strict: PRF
    vecalign_lax: PRF
    gold_links: int
    test_links: int
    gold_unlinked: int
    test_unlinked: int

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "strict": self.strict.to_json(), "lax": self.lax.to_json(),
            "unlinked": self.unlinked.to_json(),
            "vecalign": {"strict": self.vecalign_strict.to_json(),
                         "lax": self.vecalign_lax.to_json()},
            "counts": {"gold_links": self.gold_links, "test_links": self.test_links,
                       "gold_unlinked": self.gold_unlinked,
                       "test_unlinked": self.test_unlinked},
        }


GOLD_SUFFIX = ".gold"
TEST_SUFFIX = ".align"


def pair_bead_files(gold: str | os.PathLike[str],
                    test: str | os.PathLike[str]) -> list[tuple[str, str, str]]:
    """``(name, gold_file, test_file)`` for two bead files, or for two directories.

    In directories, every ``NAME.gold`` under ``gold`` (subdirectories included) is paired
    with ``NAME.align`` at the same relative place under ``test``; a gold file without its
    test file, or a test file without its gold file, is an error rather than a silently
    smaller evaluation.
    """
    from pathlib import Path

    gold_path, test_path = Path(gold), Path(test)
    for path in (gold_path, test_path):
        if not path.exists():
            raise InputError("no such file or directory", str(path))
    if gold_path.is_dir() != test_path.is_dir():
        raise AlignError(f"GOLD and TEST must both be files or both be directories "
                         f"({gold} and {test})")
    if not gold_path.is_dir():
        return [(gold_path.stem, str(gold_path), str(test_path))]
    golds = {p.relative_to(gold_path).with_suffix(""): p
             for p in gold_path.rglob(f"*{GOLD_SUFFIX}") if p.is_file()}
    tests = {p.relative_to(test_path).with_suffix(""): p
             for p in test_path.rglob(f"*{TEST_SUFFIX}") if p.is_file()}
    if not golds:
        raise InputError(f"no *{GOLD_SUFFIX} files", str(gold_path))
    missing = sorted(set(golds) - set(tests))
    if missing:
        raise InputError(f"no {missing[0]}{TEST_SUFFIX} for {golds[missing[0]]}"
                         + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""),
                         str(test_path))
    extra = sorted(set(tests) - set(golds))
    if extra:
        raise InputError(f"{tests[extra[0]]} has no {extra[0]}{GOLD_SUFFIX}"
                         + (f" (and {len(extra) - 1} more)" if len(extra) > 1 else ""),
                         str(gold_path))
    return [(str(name), str(golds[name]), str(tests[name])) for name in sorted(golds)]


def read_checked_beads(path: str) -> tuple[list[Any], int, int]:
    """The beads of a bead file, checked to cover its sentences once each, in order.

    Returns the beads and the number of English and Russian sentences they cover.
    """
    from .beads import read_beads
    from .types import check_beads

    beads = read_beads(path)
    if not beads:
        raise InputError("empty bead file", path)
    n_src = sum(len(b.src) for b in beads)
    n_tgt = sum(len(b.tgt) for b in beads)
    try:
        check_beads(beads, n_src, n_tgt)
    except ValueError as exc:
        raise InputError(f"beads do not cover the sentences once each, in order: {exc}",
                         path) from None
    return beads, n_src, n_tgt


def _vecalign_prf(tp_p: int, n_p: int, tp_r: int, n_r: int) -> PRF:
    # Vecalign's score.py gives 0.0 wherever it would divide by zero.
    p = tp_p / n_p if n_p else 0.0
    r = tp_r / n_r if n_r else 0.0
    return PRF(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def evaluate_alignments(documents: Sequence[tuple[str, str, str]]) -> EvalReport:
    """Score ``(name, gold_file, test_file)`` documents; see :class:`EvalReport`."""
    from .evaluate import count_documents

    pairs = []
    for _name, gold_file, test_file in documents:
        gold, g_src, g_tgt = read_checked_beads(gold_file)
        test, t_src, t_tgt = read_checked_beads(test_file)
        if (g_src, g_tgt) != (t_src, t_tgt):
            raise InputError(f"covers {t_src} English and {t_tgt} Russian sentences, but "
                             f"{gold_file} covers {g_src} and {g_tgt}", test_file)
        pairs.append((gold, test))
    if not pairs:
        raise AlignError("nothing to evaluate")
    counts = count_documents(pairs)
    total = counts.scores()
    # Vecalign's convention keeps the test's empty-sided beads in the precision count.
    right, n_test = counts.test_empty_right, counts.n_test + counts.test_empty
    return EvalReport(
        documents=len(pairs),
        strict=PRF(total.precision_strict, total.recall_strict, total.f1_strict),
        lax=PRF(total.precision_lax, total.recall_lax, total.f1_lax),
        unlinked=PRF(total.precision_unlinked, total.recall_unlinked, total.f1_unlinked),
        vecalign_strict=_vecalign_prf(counts.tp_strict_p + right, n_test,
                                      counts.tp_strict_r, counts.n_gold),
        vecalign_lax=_vecalign_prf(counts.tp_lax_p + right, n_test,
                                   counts.tp_lax_r, counts.n_gold),
        gold_links=total.gold_links, test_links=total.test_links,
        gold_unlinked=total.gold_unlinked, test_unlinked=total.test_unlinked)


def render_eval(report: EvalReport) -> str:
    """The report as a small text table."""
    def row(label: str, prf: PRF) -> str:
        return f"{label:<10}{prf.precision:>10.4f}{prf.recall:>10.4f}{prf.f1:>10.4f}"

    lines = [f"{'':<10}{'precision':>10}{'recall':>10}{'F1':>10}",
             row("strict", report.strict), row("lax", report.lax),
             row("unlinked", report.unlinked),
             "",
             "Vecalign's score.py (test beads with an empty side counted in precision):",
             row("strict", report.vecalign_strict), row("lax", report.vecalign_lax),
             "",
             f"{report.documents} document{'s' if report.documents != 1 else ''}: "
             f"{report.gold_links} gold and {report.test_links} test links, "
             f"{report.gold_unlinked} gold and {report.test_unlinked} test unlinked sentences"]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Reference-free adequacy (quality estimation) with the aligner's bilingual model

# Pairs handed to the model at once: bounded memory on corpora of any size.
QE_BATCH = 256


def read_qe_pairs(paths: Sequence[str | os.PathLike[str]], fmt: str | None = None
                  ) -> Iterator[Pair]:
    """The pairs to score: ``(EN_FILE, RU_FILE)`` one sentence a line, or one corpus file.

    Raises ``InputError`` for files of different lengths or with nothing in them (when the
    stream is first read, so an output being written is left untouched).
    """
    if len(paths) == 2:
        en_path, ru_path = (str(p) for p in paths)
        en, ru = read_text_lines(en_path), read_text_lines(ru_path)
        if not en:
            raise InputError("empty input: no sentences", en_path)
        if len(en) != len(ru):
            raise InputError(f"{len(ru)} lines, but {en_path} has {len(en)}", ru_path)
        return iter([Pair(en=e, ru=r) for e, r in zip(en, ru)])
    if len(paths) != 1:
        raise AlignError("give one corpus file, or an English and a Russian text file")
    path = paths[0]
    return _non_empty(format_for_path(path, fmt).read(path), str(path))


def _non_empty(pairs: Iterator[Pair], name: str) -> Iterator[Pair]:
    first = next(pairs, None)
    if first is None:
        raise InputError("empty input: no pairs", name)
    yield first
    yield from pairs


@dataclass(frozen=True)
class Calibration:
    """Platt scaling of the model's pair probabilities into adequacy: ``sigmoid(a*logit + b)``.

    The model's 1-1 bead classifier was fitted for the aligner, among many wrong candidate
    beads, so its probabilities are low even for good translations. Refitted on equal numbers
    of translations and neighbouring non-translations (held-out training pairs, never the
    benchmark), 0.5 becomes the point where a pair is as likely a translation as not.
    ``align model train`` fits it and keeps it in the model; ``model_sha256`` ties a table
    entry to the one model file it was fitted for.
    """

    a: float
    b: float
    model_sha256: str
    pairs: int = 0

    def apply(self, probabilities: Any) -> Any:
        import numpy as np

        p = np.clip(np.asarray(probabilities, dtype=np.float64), 1e-300, 1.0)
        # log(p / (1 - p)) without losing p close to 1
        logit = np.log(p) - np.log1p(-np.minimum(p, 1.0 - 1e-16))
        return 1.0 / (1.0 + np.exp(-(self.a * logit + self.b)))


def file_sha256(path: str | os.PathLike[str]) -> str:
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def calibration_for(model_path: str | os.PathLike[str],
                    table: str | os.PathLike[str] | None = None) -> Calibration | None:
    """The adequacy calibration of the model file at ``model_path``: the one fitted by
    ``align model train`` and kept in the model, or, with ``table`` (a JSON list of
    ``{model_sha256, a, b}``), the table's entry for this file. ``None`` if there is none."""
    import json

    if not os.path.isfile(model_path):
        return None
    if table is None:
        from .model import load_model

        own = load_model(model_path).params.get("adequacy")
        if not own:
            return None
        return Calibration(float(own["a"]), float(own["b"]), file_sha256(model_path),
                           int(own.get("pairs", 0)))
    if not os.path.isfile(table):
        raise InputError("no such calibration table", str(table))
    try:
        entries = json.loads(read_text(table))
        digest = file_sha256(model_path)
        for entry in entries:
            if entry["model_sha256"] == digest:
                return Calibration(float(entry["a"]), float(entry["b"]), digest,
                                   int(entry.get("pairs", 0)))
    except (ValueError, KeyError, TypeError):
        raise InputError("not a calibration table (a JSON list of {model_sha256, a, b})",
                         str(table)) from None
    return None


def fit_calibration(positive: Sequence[float], negative: Sequence[float],
                    model_sha256: str = "") -> Calibration:
    """Platt scaling of model probabilities: translations (``positive``) against
    non-translations (``negative``), the two classes weighted equally. Deterministic."""
    import numpy as np

    def logits(p: Sequence[float]) -> Any:
        p = np.clip(np.asarray(p, dtype=np.float64), 1e-300, 1.0 - 1e-16)
        return np.log(p) - np.log1p(-p)

    x = np.concatenate([logits(positive), logits(negative)])
    y = np.concatenate([np.ones(len(positive)), np.zeros(len(negative))])
    w = np.concatenate([np.full(len(positive), 0.5 / len(positive)),
                        np.full(len(negative), 0.5 / len(negative))])
    a, b = 1.0, -float(np.average(x, weights=w))
    for _ in range(100):  # Newton's method on the weighted log-loss, tiny ridge for safety
        z = np.clip(a * x + b, -500, 500)
        p = 1.0 / (1.0 + np.exp(-z))
        g = p - y
        grad = np.array([np.sum(w * g * x) + 1e-6 * a, np.sum(w * g)])
        h = w * p * (1 - p)
        hess = np.array([[np.sum(h * x * x) + 1e-6, np.sum(h * x)],
                         [np.sum(h * x), np.sum(h) + 1e-12]])
        step = np.linalg.solve(hess, grad)
        a, b = a - float(step[0]), b - float(step[1])
        if np.max(np.abs(step)) < 1e-10:
            break
    return Calibration(a, b, model_sha256, len(positive) + len(negative))


def score_adequacy(pairs: Iterable[Pair], model: Any,
                   calibration: Calibration | None = None) -> Iterator[Pair]:
    """Stream ``pairs`` with ``score`` set to their adequacy in [0, 1] under ``model``.

    The adequacy is ``model.score_pairs`` (how likely the model finds it that the English and
    Russian sides translate each other, with no reference), through ``calibration`` when the
    model has one, so that ``--min-score 0.5`` means "more likely a translation than not".
    Everything else in the pair is kept.
    """
    import dataclasses

    batch: list[Pair] = []

    def flush() -> Iterator[Pair]:
        scores = model.score_pairs([p.en for p in batch], [p.ru for p in batch])
        if calibration is not None:
            scores = calibration.apply(scores)
        for pair, value in zip(batch, scores):
            yield dataclasses.replace(pair, score=float(value))

    for pair in pairs:
        batch.append(pair)
        if len(batch) == QE_BATCH:
            yield from flush()
            batch = []
    if batch:
        yield from flush()
