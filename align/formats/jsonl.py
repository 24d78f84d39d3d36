"""JSONL in the Hugging Face translation shape.

``{"translation": {"en": ..., "ru": ...}, "score": ..., "kind": ..., "doc": ..., "props": {...}}``
one object a line, UTF-8; text is stored exactly, control characters and line breaks included
(JSON escapes them). The one thing UTF-8 cannot carry, a lone surrogate code point, is dropped.

Reading streams line by line and also accepts the flat shape ``{"en": ..., "ru": ...}``.
"""
from __future__ import annotations

import json
import os
import re
from typing import IO, Any, Iterable, Iterator

from ..errors import FormatError
from ..types import Pair
from .base import CorpusFormat, SkipHandler, WriteResult, text_lines

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_dumps = json.JSONEncoder(ensure_ascii=False).encode


def _encode(record: dict[str, Any]) -> bytes:
    line = _dumps(record)
    try:
        return line.encode("utf-8") + b"\n"
    except UnicodeEncodeError:
        return _LONE_SURROGATE.sub("", line).encode("utf-8") + b"\n"


class JSONLFormat(CorpusFormat):
    """One JSON object per pair, UTF-8, keys in a fixed order for byte-stable output; text
    exactly as given."""

    name, title = "jsonl", "JSONL"
    exact_text = True

    def serialize(self, pairs: Iterable[Pair], out: IO[bytes], **_: object) -> WriteResult:
        count = 0
        for pair in pairs:
            record: dict[str, object] = {"translation": {"en": pair.en, "ru": pair.ru},
                                         "score": None if pair.score is None else round(pair.score, 4),
                                         "kind": pair.kind, "doc": pair.doc}
            if pair.props:
                record["props"] = {str(k): str(v) for k, v in pair.props.items()}
            out.write(_encode(record))
            count += 1
        return self.result(count)

    def read(self, path: str | os.PathLike[str], *, on_skip: SkipHandler | None = None,
             **_: object) -> Iterator[Pair]:
        """Read pairs; a line that is not a JSON object with ``translation.en/ru`` is an error."""
        return _read(path)


def _text(record: dict[str, Any], key: str, name: str, number: int) -> str:
    value = record.get(key)
    if value is None:
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise FormatError(f"{key} must be a string", name, number)
    return str(value)


def _read(path: str | os.PathLike[str]) -> Iterator[Pair]:
    name = str(path)
    for number, line in text_lines(path, utf16=False):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            raise FormatError(f"not JSON: {exc.msg} at column {exc.colno}", name, number) from None
        if not isinstance(record, dict):
            raise FormatError("not a JSON object", name, number)
        texts = record.get("translation", record)
        if not isinstance(texts, dict) or "en" not in texts or "ru" not in texts:
            raise FormatError("not a JSON object with translation.en and translation.ru",
                              name, number)
        en, ru = texts["en"], texts["ru"]
        if not isinstance(en, str) or not isinstance(ru, str):
            raise FormatError("translation.en and translation.ru must be strings", name, number)
        score = record.get("score")
        if score is not None and (isinstance(score, bool) or not isinstance(score, (int, float))):
            raise FormatError(f"score is not a number: {score!r}", name, number)
        props = record.get("props") or {}
        if not isinstance(props, dict):
            raise FormatError("props must be an object", name, number)
        yield Pair(en=en, ru=ru, score=None if score is None else float(score),
                   kind=_text(record, "kind", name, number), doc=_text(record, "doc", name, number),
                   props={str(k): v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
                          for k, v in props.items()})


FORMAT = JSONLFormat()
write, read = FORMAT.write, FORMAT.read
