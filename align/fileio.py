"""File helpers shared by every stage: atomic output, and text input (one decoding for all)
with clear errors."""
from __future__ import annotations

import codecs
import contextlib
import math
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import BinaryIO, Iterator

from .errors import InputError, OutputError

#: The messages for an input path that is not there or not a file, the same for every command.
NOT_FOUND = "no such file or directory"
IS_A_DIRECTORY = "is a directory"


#: A temporary output file nobody has written to for this long is the debris of a killed run
#: (a live run writes its temporary file as it goes, and renames it at the end): the next run
#: writing the same output removes it.
STALE_TEMP_SECONDS = 3600
_TEMP_SUFFIX = ".tmp"
_TEMP_RANDOM = re.compile(r"[a-z0-9_]{8}")  # tempfile.mkstemp's random part


def temp_files(path: str | os.PathLike[str]) -> list[Path]:
    """The temporary files :func:`atomic_output` makes for ``path`` (``.NAME.XXXXXXXX.tmp``
    beside it), alive or left behind by a killed run. They never look like an output: hidden,
    and named ``.tmp``."""
    target = Path(path)
    prefix = f".{target.name}."
    directory = target.parent if str(target.parent) else Path(".")
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    return sorted(directory / n for n in names
                  if n.startswith(prefix) and n.endswith(_TEMP_SUFFIX)
                  and _TEMP_RANDOM.fullmatch(n[len(prefix):-len(_TEMP_SUFFIX)]))


def remove_stale_temps(path: str | os.PathLike[str], now: float | None = None) -> list[Path]:
    """Remove the temporary files of ``path`` not written to for :data:`STALE_TEMP_SECONDS`;
    return them."""
    import time

    now = time.time() if now is None else now
    removed = []
    for temp in temp_files(path):
        with contextlib.suppress(OSError):
            info = temp.lstat()
            if temp.is_file() and not temp.is_symlink() and \
                    now - info.st_mtime >= STALE_TEMP_SECONDS:
                temp.unlink()
                removed.append(temp)
    return removed


def _cannot_write(exc: OSError, name: str) -> OutputError:
    if isinstance(exc, IsADirectoryError):
        return OutputError(IS_A_DIRECTORY, name)
    reason = exc.strerror or str(exc) or type(exc).__name__
    return OutputError(f"cannot write: {reason[:1].lower()}{reason[1:]}", name)


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """Open ``path`` for binary writing so that readers see the old file or the whole new one.

    Writes go to a temporary file beside ``path`` that replaces it only when the block ends
    without an exception; on error (Ctrl-C and SIGTERM included) the temporary file is removed
    and ``path`` is untouched. Temporary files of earlier killed runs are removed
    (:func:`remove_stale_temps`). ``-`` writes to standard output; an existing ``path`` that
    is not a regular file (``/dev/null``, a FIFO) is written in place. Any failure to write (a
    directory in the way, permissions, a full disk, a closed pipe) is one ``OutputError``.
    """
    name = str(path)
    if name == "-":
        out = sys.stdout.buffer
        try:
            yield out
            out.flush()
        except OSError as exc:
            raise _cannot_write(exc, "standard output") from None
        return
    target = Path(path)
    if target.is_dir():
        raise OutputError(IS_A_DIRECTORY, name)
    if target.exists() and not target.is_file():
        try:
            with open(target, "wb") as fh:
                yield fh
        except OSError as exc:
            raise _cannot_write(exc, name) from None
        return
    directory = target.parent if str(target.parent) else Path(".")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(target)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=_TEMP_SUFFIX, dir=directory)
    except OSError as exc:
        raise _cannot_write(exc, name) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _cannot_write(exc, name) from None
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
        raise InputError(NOT_FOUND, name) from None
    except IsADirectoryError:
        raise InputError(IS_A_DIRECTORY, name) from None
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
    """Read a text file (``-`` is standard input) through :func:`decode_text`, the final line
    end dropped."""
    return read_text_encoding(path)[0]


def read_text_encoding(path: str | os.PathLike[str]) -> tuple[str, str]:
    """:func:`read_text` and the encoding it found."""
    text, encoding = decode_text(read_bytes(path), str(path))
    return (text[:-1] if text.endswith("\n") else text), encoding


def read_text_lines(path: str | os.PathLike[str]) -> list[str]:
    """Read a text file as lines without their line ends (one-sentence-a-line inputs)."""
    text = read_text(path)
    return text.split("\n") if text else []


# --- decoding: the one path every text input takes (articles, texts, sentence files, beads,
# hypotheses and references) --------------------------------------------------------------

_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f]")  # C0 controls but tab, LF, VT, FF, CR


def decode_text(data: bytes, path: str | os.PathLike[str]) -> tuple[str, str]:
    """Decode the bytes of a text file and return ``(text, encoding)``.

    UTF-8 (a BOM allowed), UTF-16/32 with a BOM, UTF-16 without one, and otherwise cp1251,
    koi8-r or cp1252, whichever reads as the most plausible Russian or English prose (the
    article parser's detection, for every text input). Line ends are normalized to ``\\n``;
    every other character is kept. An ``InputError`` naming ``path`` for an empty file (nothing
    but white space), a binary one, or bytes that decode only to control characters.
    """
    name = str(path)
    if not data.strip():
        raise InputError("empty file", name)
    text, encoding = _decode(data, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError("empty file", name)
    controls = len(_CONTROL_RE.findall(text))
    if controls > max(2, len(text) // 100):
        raise InputError(f"no readable text (decoded as {encoding})", name)
    return text, encoding


# Single-byte Cyrillic code pages tried when the bytes are not UTF-8. cp1252 is there so that
# a Western-European file with accented letters is not read as Cyrillic.
LEGACY_ENCODINGS = ("cp1251", "koi8-r", "cp1252")

# Relative frequencies (per mille) of Russian letters in running text; used to tell a right
# decoding from a wrong one (koi8-r read as cp1251 mostly swaps case and scrambles letters).
_RU_FREQ = dict(zip(
    "оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё",
    (110, 85, 80, 74, 67, 63, 55, 47, 45, 44, 35, 32, 30, 28, 26, 20, 19, 17, 17, 16, 16, 15,
     12, 10, 9, 7, 6, 5, 4, 3, 3, 1, 1),
))
_RU_LOGP = {ch: math.log(f / 1000) for ch, f in _RU_FREQ.items()}
_RARE_LOGP = math.log(0.0005)
_EN_LOGP = math.log(1 / 26)          # an ASCII letter: neutral
_ACCENTED_LOGP = math.log(0.002)     # é, ü ... occur, but rarely in a Russian/English file
_MIXED_LOGP = -8.0                   # a word mixing Cyrillic and Latin letters
_WORD_RE = re.compile(r"[^\W\d_]+")
_PLAUSIBILITY_SAMPLE = 20_000         # characters: enough to tell code pages apart
_CASE_LOGP = -4.0                    # a word in random case, e.g. "пРИВЕТ"



def _decode(data: bytes, path: str) -> tuple[str, str]:
    """The codec of ``data``: a BOM, UTF-16 without one, UTF-8, else the most plausible of
    :data:`LEGACY_ENCODINGS`."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
                      (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                raise InputError(f"invalid {name} at byte {exc.start}", path) from None
    if b"\x00" in data:
        guessed = _utf16_without_bom(data)
        if guessed is None:
            raise InputError("binary file (NUL bytes), not text", path)
        return guessed
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best: tuple[float, str, str] | None = None
    for name in LEGACY_ENCODINGS:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        score = plausibility(text)
        if best is None or score > best[0]:
            best = (score, text, name)
    if best is None:
        raise InputError("not valid UTF-8, UTF-16, cp1251 or koi8-r text", path)
    return best[1], best[2]


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 written without a BOM shows NULs at every other byte for ASCII text."""
    if len(data) % 2:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    half = len(data) // 2
    for name, nuls in (("utf-16-le", odd_nuls), ("utf-16-be", even_nuls)):
        if nuls >= 0.3 * half:
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                return None
    return None


def plausibility(text: str) -> float:
    """Mean log-plausibility per letter of ``text`` as Russian or English prose.

    Cyrillic letters score by their frequency in Russian and by case (a word in random case
    is what a wrong code page produces); a word mixing Cyrillic and Latin letters, which a
    wrong code page also produces, is penalized; plain Latin letters are neutral.
    """
    total = 0.0
    count = 0
    for word in _WORD_RE.findall(text, 0, _PLAUSIBILITY_SAMPLE):
        cyr = sum(1 for ch in word if "\u0400" <= ch <= "\u04ff")
        count += len(word)
        if cyr and cyr != len(word):
            total += _MIXED_LOGP * len(word)
            continue
        if cyr:
            total += sum(_RU_LOGP.get(ch, _RARE_LOGP) for ch in word.lower())
        else:
            total += sum(_EN_LOGP if ch < "\x80" else _ACCENTED_LOGP for ch in word)
        tail = word[1:]
        if tail and not (tail.islower() or word.isupper()):
            total += _CASE_LOGP * len(word)
    return total / count if count else -100.0


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
