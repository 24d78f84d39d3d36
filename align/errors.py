"""Typed errors raised by the library.

Library code never prints or exits: it raises one of these, and only ``align.cli`` turns them
into a one-line message (``Error: FILE: problem``) and an exit code.
"""
from __future__ import annotations


class AlignError(Exception):
    """Base class: a problem with an input, naming the file (and line) it concerns."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:"
            if self.line is not None:
                where += f"{self.line}:"
            where += " "
        return f"{where}{self.message}"


class InputError(AlignError):
    """An input file cannot be read as text: missing, empty, binary, or undecodable."""


class LanguageError(InputError):
    """The inputs look swapped, or both look the same language (``--force`` goes on)."""


class OutputError(AlignError):
    """An output cannot be written: a directory in its place, no permission, a full disk, a
    closed pipe. The output is left as it was."""


class ArticleError(InputError):
    """An article file cannot be parsed."""


class FormatError(AlignError):
    """A corpus file is malformed for its format (bad TSV row, malformed TMX, ...)."""


class ModelError(AlignError):
    """A model file is missing, corrupt, or of the wrong kind."""
