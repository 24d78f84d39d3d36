"""JSONL in the Hugging Face translation shape.

``{"translation": {"en": ..., "ru": ...}, "score": ..., "kind": ..., "doc": ..., "props": {...}}``
one object a line; text is stored exactly, control characters included (JSON escapes them).
"""
from __future__ import annotations

import json
import os
from typing import Iterable, Iterator

from ..errors import FormatError
from ..fileio import atomic_output, read_bytes
from ..types import Pair


def write(pairs: Iterable[Pair], path: str | os.PathLike[str], **_: object) -> int:
    """Write one JSON object per pair, UTF-8, keys in a fixed order for byte-stable output."""
    count = 0
    with atomic_output(path) as out:
        for pair in pairs:
            record: dict[str, object] = {"translation": {"en": pair.en, "ru": pair.ru},
                                         "score": None if pair.score is None else round(pair.score, 4),
                                         "kind": pair.kind, "doc": pair.doc}
            if pair.props:
                record["props"] = dict(pair.props)
            out.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
            count += 1
    return count


def read(path: str | os.PathLike[str], **_: object) -> Iterator[Pair]:
    """Read pairs; a line that is not a JSON object with ``translation.en/ru`` is an error."""
    name = str(path)
    try:
        text = read_bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FormatError("not valid UTF-8", name) from None
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            tr = record["translation"]
            en, ru = tr["en"], tr["ru"]
        except (ValueError, KeyError, TypeError):
            raise FormatError("not a JSON object with translation.en and translation.ru",
                              name, number) from None
        if not isinstance(en, str) or not isinstance(ru, str):
            raise FormatError("translation.en and translation.ru must be strings", name, number)
        score = record.get("score")
        props = record.get("props") or {}
        yield Pair(en=en, ru=ru, score=None if score is None else float(score),
                   kind=str(record.get("kind") or ""), doc=str(record.get("doc") or ""),
                   props={str(k): str(v) for k, v in props.items()})
