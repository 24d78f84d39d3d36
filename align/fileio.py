"""File helpers shared by every stage: atomic output and text input with clear errors."""
from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path
from typing import BinaryIO, Iterator

from .errors import InputError


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """Open ``path`` for binary writing so that readers see the old file or the whole new one.

    Writes go to a temporary file beside ``path`` that replaces it only when the block ends
    without an exception; on error the temporary file is removed and ``path`` is untouched.
    ``-`` writes to standard output.
    """
    if str(path) == "-":
        out = sys.stdout.buffer
        yield out
        out.flush()
        return
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def open_input(path: str | os.PathLike[str]) -> BinaryIO:
    """Open ``path`` (``-`` is standard input) for buffered binary reading, errors typed.

    OS errors (missing file, directory, permissions) become one ``InputError`` naming the
    file, for streaming readers and whole-file reads alike.
    """
    name = str(path)
    if name == "-":
        return sys.stdin.buffer
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise InputError("no such file", name) from None
    except IsADirectoryError:
        raise InputError("is a directory", name) from None
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), name) from None


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """Read a whole file (``-`` is standard input), turning OS errors into ``InputError``."""
    if str(path) == "-":
        return sys.stdin.buffer.read()
    with open_input(path) as fh:
        try:
            return fh.read()
        except OSError as exc:
            raise InputError(exc.strerror or str(exc), str(path)) from None


def decode_utf8(data: bytes, path: str | os.PathLike[str]) -> str:
    """UTF-8 (a BOM allowed) to text; a bad byte is an ``InputError`` with its line number."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError("not valid UTF-8", str(path), line) from None


def read_text(path: str | os.PathLike[str]) -> str:
    """Read a UTF-8 text file (BOM allowed): line ends normalized to ``\\n``, the final one
    dropped. A binary or non-UTF-8 file gives an ``InputError`` naming the file (and line)."""
    data = read_bytes(path)
    if b"\x00" in data:
        raise InputError("binary file (NUL bytes), expected UTF-8 text", str(path))
    text = decode_utf8(data, path).replace("\r\n", "\n").replace("\r", "\n")
    return text[:-1] if text.endswith("\n") else text


def read_text_lines(path: str | os.PathLike[str]) -> list[str]:
    """Read a UTF-8 text file as lines without their line ends (one-sentence-a-line inputs)."""
    text = read_text(path)
    return text.split("\n") if text else []


def file_sha256(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file's bytes, read in blocks (a model, a shard)."""
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_stamp(path: str | os.PathLike[str]) -> tuple[int, int]:
    """Size and modification time in ns, ``(-1, -1)`` if it cannot be read: what a resumed
    run compares to know its input files are the ones the interrupted run read."""
    try:
        info = os.stat(path)
    except OSError:
        return (-1, -1)
    return (info.st_size, info.st_mtime_ns)
