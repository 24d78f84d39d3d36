"""What the commands share: error reporting, output options, writing pairs, warnings.

The ``align.cli`` package is the only place that prints, exits or shows progress.
"""
from __future__ import annotations

import contextlib
import functools
import os
import signal
import sys
import time
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence, TypeVar

import click

from ..errors import AlignError
from ..formats import FORMATS

if TYPE_CHECKING:
    from ..corpus import DocSummary

F = TypeVar("F", bound=Callable[..., Any])

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def warn(message: str) -> None:
    """``Warning: ...`` on stderr, above the progress bar when one is shown."""
    if Progress.active is not None:
        Progress.active.write(f"Warning: {message}")
    else:
        click.echo(f"Warning: {message}", err=True)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


class Terminated(KeyboardInterrupt):
    """SIGTERM (``kill``, systemd, a cluster scheduler), raised where Ctrl-C's KeyboardInterrupt
    would be, so that it is handled the same way: temporary files removed, exit 143."""


def _on_sigterm(signum: int, frame: Any) -> None:
    raise Terminated()


def interrupt_code(exc: BaseException | None = None) -> int:
    """The exit code for an interruption: 143 (128 + SIGTERM) or 130 (128 + SIGINT)."""
    exc = exc if exc is not None else sys.exc_info()[1]
    return 143 if isinstance(exc, Terminated) else 130


def _stdout_gone() -> None:
    # Standard output cannot be written: point it at /dev/null so that the interpreter's
    # last flush at exit does not fail a second time.
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _check_model_path(path: Any) -> None:
    """``--model DIR`` (every command's option is ``model_path``) is the same one line as any
    other input that is a directory; a missing model file the model loader reports."""
    if isinstance(path, str) and os.path.isdir(path):
        from ..errors import InputError
        from ..fileio import IS_A_DIRECTORY

        raise InputError(IS_A_DIRECTORY, path)


def reports_errors(func: F) -> F:
    """Every command's error path: a library error or a failure to write (a full disk, a
    closed pipe, a directory in the way) is one ``Error: ...`` line and exit code 1; Ctrl-C is
    exit 130 and SIGTERM 143 (temporary files removed, nothing half written), never a
    traceback or click's ``Aborted!``."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        previous = None
        with contextlib.suppress(ValueError):  # not the main thread: leave signals alone
            previous = signal.signal(signal.SIGTERM, _on_sigterm)
        try:
            _check_model_path(kwargs.get("model_path"))
            return func(*args, **kwargs)
        except AlignError as exc:
            from ..errors import OutputError

            if isinstance(exc, OutputError) and exc.path == "standard output":
                _stdout_gone()
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)
        except KeyboardInterrupt as exc:
            if Progress.active is not None:
                Progress.active.__exit__(None, None, None)
            click.echo("Interrupted: nothing written (an existing output file is untouched)",
                       err=True)
            sys.exit(interrupt_code(exc))
        except OSError as exc:
            # Written straight to stdout (click.echo) rather than through atomic_output.
            where = exc.filename if exc.filename is not None else "standard output"
            if exc.filename is None:
                _stdout_gone()
            reason = exc.strerror or str(exc) or type(exc).__name__
            verb = "cannot write: " if exc.filename is None else ""
            click.echo(f"Error: {where}: {verb}{reason[:1].lower()}{reason[1:]}", err=True)
            sys.exit(1)
        finally:
            if previous is not None:
                with contextlib.suppress(ValueError):
                    signal.signal(signal.SIGTERM, previous)

    return wrapper  # type: ignore[return-value]


def output_format(path: str, name: str | None) -> Any:
    """The registry format for an output path; an unknown extension is a usage error (exit 2)."""
    from ..formats import format_for_path

    try:
        return format_for_path(path, name)
    except AlignError as exc:
        raise click.UsageError(str(exc)) from None


format_option = click.option(
    "--format", "fmt", type=click.Choice(sorted(FORMATS)), default=None,
    help="Output format (default: from the output file's extension).")


def _input_formats() -> list[str]:
    from ..inputs import INPUTS

    return list(INPUTS)


input_format_option = click.option(
    "--input-format", type=click.Choice(_input_formats()), default=None,
    help="Format of the input documents (default: from each file's extension, else its "
         "content).")


# --- corpus output options, shared by every command that writes pairs (corpus, text, convert) --

def _langs_value(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    if value is None:
        return None
    from ..langtags import parse_langs

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


def content_epoch(inputs: Sequence[str] = ()) -> float | None:
    """``SOURCE_DATE_EPOCH`` if set, else None: the TMX date, which no output takes from the
    clock or from file times (the same input gives the same bytes anywhere; ``inputs`` is
    not used)."""
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return float(env) if env.isdigit() else None


def write_pairs(pairs: Any, output: str, out_format: Any, *, langs: tuple[str, str] | None = None,
                encoding: str | None = None, dedupe: bool = False,
                min_score: float | None = None, inputs: Sequence[str] = (),
                epoch: float | None = None) -> int:
    """Filter ``pairs`` (``--dedupe``, ``--min-score``) and write them to ``output``.

    Says on stderr what the filters dropped and warns about pairs the format could not store
    (a TMX or Moses pair with an empty side). Returns the number of pairs written.
    A TMX has a creation date only with ``SOURCE_DATE_EPOCH`` (:func:`content_epoch`);
    ``epoch`` gives that time directly (shards merged later keep their run's date).
    """
    from ..formats import FilterCounts, filter_pairs

    check_encoding(out_format, encoding)
    options: dict[str, Any] = {}
    if epoch is None:
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
    "--model", "model_path", type=click.Path(), default=None,
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
    from ..encoders import load_encoder

    return load_encoder(path)


def emit(text: str, output: str) -> None:
    """Write command output to stdout (``-``) or atomically to a file."""
    if output == "-":
        click.echo(text, nl=False)
        return
    from ..fileio import atomic_output

    with atomic_output(output) as out:
        out.write(text.encode("utf-8"))


# --- scale: workers, Dask, progress, resume (align/engine.py) ---------------------------------

def _jobs_default() -> int:
    from ..engine import default_jobs

    return default_jobs()


jobs_option = click.option(
    "-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
    help="Worker processes (default: all cores; 1 runs in this process). The output is the "
         "same for any N.")
dask_option = click.option(
    "--dask", "dask_address", default=None, metavar="ADDRESS",
    help="Run on an existing dask.distributed cluster, e.g. tcp://host:8786 (needs the 'dask' "
         "extra; workers must see the input paths).")
quiet_option = click.option(
    "-q", "--quiet", is_flag=True, help="No progress bar (it is shown only on a terminal).")


def scale_options(func: F) -> F:
    """``--jobs``, ``--dask`` and ``--quiet``."""
    for option in (quiet_option, dask_option, jobs_option):
        func = option(func)
    return func


shards_option = click.option(
    "--shards", "shards_dir", type=click.Path(), default=None, metavar="DIR",
    help="Workers write numbered shard files and a manifest into DIR ('align merge DIR -o OUT' "
         "joins them; -o also joins them at the end).")
resume_option = click.option(
    "--resume", is_flag=True,
    help="Continue an interrupted run: only tasks missing from the shard directory (--shards, "
         "default OUT.shards) are done again; the output is the same as an uninterrupted run's.")


def resume_options(func: F) -> F:
    """``--shards`` and ``--resume``."""
    for option in (resume_option, shards_option):
        func = option(func)
    return func


def engine_for(jobs: int | None, dask_address: str | None, tasks: int) -> Any:
    """The engine backend: Dask at ``--dask``, else a pool of ``--jobs`` (or all cores)
    processes, or this process when there is one task or one job."""
    from ..engine import Dask, Pool, Serial

    if dask_address:
        if jobs is not None:
            raise click.UsageError("--jobs and --dask cannot be combined (Dask has its workers)")
        return Dask(dask_address)
    workers = min(jobs or _jobs_default(), tasks)
    return Pool(workers) if workers > 1 else Serial()


class Progress:
    """A tqdm bar on stderr (items, rate, ETA) when stderr is a terminal and not ``--quiet``;
    while it is shown, :func:`warn` writes above it."""

    active: "Progress | None" = None

    def __init__(self, total: int | None, unit: str, quiet: bool = False,
                 initial: int = 0) -> None:
        self.bar = None
        if not quiet and sys.stderr.isatty():
            from tqdm import tqdm

            try:
                sized = os.get_terminal_size(sys.stderr.fileno()).columns > 0
            except OSError:
                sized = False
            # A terminal that reports no width (a bare pty) gets an 80-column bar.
            self.bar = tqdm(total=total, initial=initial, unit=f" {unit}", file=sys.stderr,
                            dynamic_ncols=sized, ncols=None if sized else 80,
                            nrows=None if sized else 24, leave=False,
                            smoothing=0.1)

    def update(self, count: int) -> None:
        if self.bar is not None:
            self.bar.update(count)

    def write(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(line, file=sys.stderr)
        else:
            click.echo(line, err=True)

    def __enter__(self) -> "Progress":
        Progress.active = self
        return self

    def __exit__(self, *exc: Any) -> None:
        Progress.active = None
        if self.bar is not None:
            self.bar.close()


def interrupted(done: int, total: int | None, unit: str, shards: str | None, *,
                resumable: bool = True) -> None:
    """Ctrl-C (exit 130) or SIGTERM (143): say what was kept and how to go on; no partial
    output file. Called in the ``except KeyboardInterrupt`` block."""
    if Progress.active is not None:
        Progress.active.__exit__(None, None, None)
    if not resumable:
        click.echo("Interrupted: nothing written (an existing output file is untouched)",
                   err=True)
        sys.exit(interrupt_code())
    where = (f"finished {unit}s are kept in {shards}: run the same command with --resume to "
             "continue" if shards else
             "nothing written; run with --resume (or --shards DIR) to keep finished work "
             "across interruptions")
    click.echo(f"Interrupted after {done} of {plural(total or 0, unit)}: {where}", err=True)
    sys.exit(interrupt_code())


def run_pairs(func: Callable[..., Any], setup: Any, items: Sequence[Any], *, unit: str,
              limit: int, jobs: int | None, dask_address: str | None, quiet: bool,
              shards_dir: str | None, resume: bool, output: str | None,
              key: Sequence[Any], meta: dict[str, Any],
              report: Callable[[DocSummary, bool], None],
              write: Callable[[Iterator[Any], float | None], int]) -> int | None:
    """Map a pair stage (``func(context, item) -> DocResult``) over ``items`` on the chosen
    engine and write the pairs to ``output`` in input order; returns how many were written
    (``None`` with shards only).

    ``report(summary, replayed)`` (a :class:`~align.corpus.DocSummary`) is called for every
    item as it is done (``replayed`` for
    items a resumed run found done already); ``key`` (what determines the output) makes the
    fingerprint that a resumed run must match; ``meta`` is kept in the manifest for
    ``align merge`` (the TMX date, say).
    """
    import shutil

    from ..corpus import DocSummary, write_pair_shard
    from ..engine import Run, ShardStore, fingerprint, task_size
    from ..formats import FORMATS

    implicit = False
    if shards_dir is None and resume:
        if output in (None, "-"):
            raise click.UsageError("--resume with output to stdout needs --shards DIR")
        shards_dir, implicit = f"{output}.shards", True
    size = task_size(len(items), limit)
    tasks = -(-len(items) // size)
    store = None
    done = 0
    if shards_dir is not None:
        if os.path.exists(shards_dir) and not os.path.isdir(shards_dir):
            from ..errors import OutputError

            raise OutputError("not a directory (--shards names a directory of shards)",
                              shards_dir)
        store = ShardStore(os.path.abspath(shards_dir))
        store.start(fingerprint(key, size, tasks), tasks, meta, resume=resume)
        for record in sorted(store.done.values(), key=lambda r: r["task"]):
            for summary in record["summary"]:
                report(DocSummary.from_json(summary), True)
                done += 1
    engine = engine_for(jobs, dask_address, max(1, tasks - len(store.done) if store else tasks))
    counter = [done]
    written: int | None = None
    with Progress(len(items), unit, quiet, initial=done) as bar:
        def advance(count: int) -> None:
            counter[0] += count
            bar.update(count)

        run = Run(func, setup, engine, size, advance)
        try:
            if store is not None:
                for record in run.shards(items, store, write_pair_shard):
                    for summary in record["summary"]:
                        report(DocSummary.from_json(summary), False)
                if output is not None:
                    reader = FORMATS["jsonl"]
                    written = write((p for f in store.files() for p in reader.read(f)),
                                    meta.get("epoch"))
            else:
                def pairs() -> Iterator[Any]:
                    for result in run.map(items):
                        report(result.summary(), False)
                        yield from result.pairs

                written = write(pairs(), meta.get("epoch"))
        except KeyboardInterrupt:
            engine.close()
            interrupted(counter[0], len(items), unit, shards_dir if store else None)
    if implicit and store is not None:
        shutil.rmtree(store.dir, ignore_errors=True)
    return written
