"""SRT subtitles: cues joined into sentences, each cue's timings kept as a mark.

A sentence often runs over two or three cues, and a cue's lines are display lines, so the cues
of a stretch of speech are joined with spaces into one paragraph that the segmenter then splits
into sentences. A paragraph ends where the next cue starts after a pause of ``PAUSE`` or more
(a scene change, a title, a new speaker after silence). A line starting with a
dialogue dash (in a cue whose first line has one, or opening a cue after a finished
sentence) keeps its line break, so each speaker's line is a sentence of its own. Markup
(``<i>``, ``<font>``, ``{\\an8}``) is dropped. Each cue is a :class:`~align.types.Mark` with
``start``, ``end`` (``HH:MM:SS,mmm``) and ``cue`` (its number), so an aligned pair can say
when it is spoken. The bytes may be in any encoding the text reader detects (cp1251 is common).
"""
from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from ..types import Document
from .base import DocumentBuilder, corrupt, decode_text, normalize, require

PAUSE = timedelta(seconds=3)
_TAGS = re.compile(r"</?[a-zA-Z][^>]*>|\{\\[^}]*\}")
_DASH_LINE = re.compile(r"^[-‐–—]\s*\S")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")


def read(data: bytes, path: str) -> Document:
    srt = require("srt", "srt", path)
    text, encoding = decode_text(data, path)
    try:
        cues = [c for c in srt.parse(text) if cue_text(c.content)]
    except srt.SRTParseError as exc:
        raise corrupt(path, "not a valid SRT file", exc) from None
    except ValueError as exc:  # a timestamp out of range
        raise corrupt(path, "not a valid SRT file", exc) from None
    builder = DocumentBuilder(path, "srt", encoding)
    group: list[Any] = []
    for cue in cues:
        if group and _ends_paragraph(group[-1], cue):
            _add(builder, group, srt)
            group = []
        group.append(cue)
    if group:
        _add(builder, group, srt)
    return builder.build("no subtitle text")


def cue_text(content: str) -> str:
    """A cue's text: markup dropped; display lines joined by spaces, except in a dialogue cue
    (its first line opens with a dash), where each dashed line keeps its line break."""
    lines = [line for line in normalize(_TAGS.sub("", content)).split("\n") if line]
    dialogue = bool(lines) and bool(_DASH_LINE.match(lines[0]))
    out = ""
    for line in lines:
        if out:
            out += "\n" if dialogue and _DASH_LINE.match(line) else " "
        out += line
    return out


def _ends_paragraph(previous: Any, cue: Any) -> bool:
    return cue.start - previous.end >= PAUSE


def _add(builder: DocumentBuilder, cues: list[Any], srt: Any) -> None:
    text = ""
    marks = []
    for cue in cues:
        piece = cue_text(cue.content)
        if text:  # a dialogue dash after a finished sentence opens a new line
            text += ("\n" if _DASH_LINE.match(piece) and _SENTENCE_END.search(text)
                     else " ")
        marks.append((len(text), len(text) + len(piece),
                      {"start": srt.timedelta_to_srt_timestamp(cue.start),
                       "end": srt.timedelta_to_srt_timestamp(cue.end),
                       "cue": str(cue.index)}))
        text += piece
    builder.add(text, "cue", marks=marks)
