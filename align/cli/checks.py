"""The checks every command makes on its inputs and outputs before any work, with the same
messages and exit codes everywhere: a missing or directory input (exit 1), an output that is an
input, is inside an input directory, or is another output of the same command (exit 2), and
swapped or same-language EN/RU inputs (exit 1, ``--force`` goes on).
"""
from __future__ import annotations

import os
import sys
from typing import Any, Callable, Iterable

import click


# --- inputs and outputs: the same checks and messages for every command ---------------------

def check_inputs(paths: Iterable[str | None], *, dirs: bool = False,
                 empty: bool = True) -> None:
    """Each input is there and is a file (or, with ``dirs``, a directory), else one
    ``InputError`` with the message every command gives (exit 1): ``no such file or
    directory``, ``is a directory``; with ``empty`` (default) an empty file is an error too.
    ``-`` (standard input) and ``None`` pass."""
    from ..errors import InputError
    from ..fileio import IS_A_DIRECTORY, NOT_FOUND

    for path in paths:
        if path is None or path == "-":
            continue
        if not os.path.exists(path):
            raise InputError(NOT_FOUND, path)
        if os.path.isdir(path):
            if not dirs:
                raise InputError(IS_A_DIRECTORY, path)
        elif empty and os.path.isfile(path) and os.path.getsize(path) == 0:
            raise InputError("empty file", path)


def same_file(a: str, b: str) -> bool:
    """``a`` and ``b`` are one file (after links, symbolic or hard); ``-`` is no file."""
    if a == "-" or b == "-":
        return False
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def output_files(output: str | None, out_format: Any = None) -> list[str]:
    """The files writing ``output`` in ``out_format`` makes (a Moses corpus is two)."""
    if output is None or output == "-":
        return []
    if out_format is not None and getattr(out_format, "name", None) == "moses":
        from ..formats.moses import paths

        return list(paths(output))
    return [output]


def check_output(output: str | None, inputs: Iterable[str | None], out_format: Any = None
                 ) -> None:
    """Before any work: refuse an output that is one of the inputs (one line naming both,
    exit 2, nothing touched), and an output that is a directory (exit 1)."""
    from ..errors import OutputError
    from ..fileio import IS_A_DIRECTORY

    names = [i for i in inputs if i is not None]
    for out in output_files(output, out_format):
        for name in names:
            if same_file(out, name):
                also = "" if out == name else f" ({out} and {name} are one file)"
                click.echo(f"Error: the output {out} is the input {name}{also}: refusing to "
                           "overwrite an input; nothing written", err=True)
                sys.exit(2)
        if os.path.isdir(out):
            raise OutputError(IS_A_DIRECTORY, out)


def check_distinct_outputs(outputs: Iterable[tuple[str, str | None]]) -> None:
    """Two outputs of one command (``-o`` and ``--rejects``, say: ``(option, path)`` pairs) that
    are one file, after links, would overwrite each other: one line, exit 2, before any
    work. Standard output (``-``) may take both."""
    named = [(option, path) for option, path in outputs if path is not None and path != "-"]
    for i, (option_a, a) in enumerate(named):
        for option_b, b in named[i + 1:]:
            if same_file(a, b):
                click.echo(f"Error: {option_a} {a} and {option_b} {b} are one file: each "
                           "output needs its own; nothing written", err=True)
                sys.exit(2)


def check_outside_inputs(outputs: Iterable[str | None], inputs: Iterable[str | None]) -> None:
    """Refuse (one line, exit 2, before any work) an output inside an input directory that is
    searched for documents (``docs``, ``corpus --en/--ru``): the next run would read it as a
    document. ``outputs`` are files or directories (shards); ``-`` and ``None`` pass."""
    dirs = [d for d in inputs if d is not None and d != "-" and os.path.isdir(d)]
    for out in outputs:
        if out is None or out == "-":
            continue
        real = os.path.realpath(out)
        for folder in dirs:
            inside = os.path.relpath(real, os.path.realpath(folder))
            if inside != os.curdir and inside.split(os.sep)[0] != os.pardir:
                click.echo(f"Error: the output {out} is inside the input directory {folder}, "
                           "where the next run would read it as a document: write it "
                           "elsewhere; nothing written", err=True)
                sys.exit(2)


# --- language checks: swapped or same-language inputs stop the command (--force goes on) ----

force_option = click.option(
    "--force", is_flag=True,
    help="Go on when the English input looks Russian, or both inputs look the same language.")

def check_languages(en_path: str, ru_path: str, en_text: str | None = None,
                    ru_text: str | None = None, *, force: bool = False,
                    reader: Callable[[str], str] | None = None) -> None:
    """Stop with one line (``LanguageError``, exit 1) when the English input looks Russian or
    both inputs look the same language, by their letters; ``force`` skips the check. Texts not
    given are read from the paths (standard input and FIFOs are not checked: they can be read
    once; a file that cannot be read is left to the command to report); ``reader`` reads a
    path's text (default: :func:`align.fileio.read_text`)."""
    from ..article import guess_lang
    from ..errors import InputError, LanguageError
    from ..fileio import read_text

    if force:
        return
    langs = []
    for path, text in ((en_path, en_text), (ru_path, ru_text)):
        if text is None:
            if path == "-" or not os.path.isfile(path):  # a pipe can be read only once
                return
            try:
                text = (reader or read_text)(path)
            except InputError:
                return
        langs.append(guess_lang(text[:200_000]))
    en, ru = langs
    if en is None or ru is None or (en, ru) == ("en", "ru"):
        return
    if (en, ru) == ("ru", "en"):
        raise LanguageError(f"the English input looks Russian, and {ru_path} English: swapped? "
                         "(the English file comes first; --force to go on)", en_path)
    if en == "ru":
        raise LanguageError(f"the English input looks Russian, as does {ru_path} "
                         "(--force to go on)", en_path)
    raise LanguageError(f"the Russian input looks English, as does {en_path} (--force to go on)",
                     ru_path)
