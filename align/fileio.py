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


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """Read a whole file (``-`` is standard input), turning OS errors into ``InputError``."""
    if str(path) == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", str(path)) from None
    except IsADirectoryError:
        raise InputError("is a directory", str(path)) from None
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), str(path)) from None


def read_text_lines(path: str | os.PathLike[str]) -> list[str]:
    """Read a UTF-8 text file (BOM allowed) as lines without their line ends.

    Used for one-sentence-a-line inputs. A file that is not UTF-8 gives an ``InputError``
    naming the file and the first bad line rather than a traceback.
    """
    data = read_bytes(path)
    if b"\x00" in data:
        raise InputError("binary file (NUL bytes), expected UTF-8 text", str(path))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError("not valid UTF-8", str(path), line) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    return text.split("\n") if text else []
