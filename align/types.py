"""The frozen records that pass between pipeline stages.

Stages exchange indices and offsets, not copies of text, wherever an index will do: a
``Sentence`` points into the text it came from, a ``Bead`` holds sentence indices.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence


@dataclass(frozen=True)
class Paragraph:
    """One body paragraph of an article, bullet marker stripped.

    ``line`` is the 1-based line of the file where the paragraph starts; ``bullet`` is the
    marker that introduced it (``•``, ``-``, ``*``, ``–``) or ``None``.
    """

    text: str
    lang: str | None
    line: int
    bullet: str | None = None


@dataclass(frozen=True)
class Article:
    """A parsed bilingual article file.

    ``headlines`` maps ``"en"``/``"ru"`` to the headline text or ``None``; ``body`` maps
    ``"en"``/``"ru"`` to the paragraphs of that language in file order. ``warnings`` lists
    what was odd but not fatal (a missing headline, say).
    """

    path: str
    encoding: str
    source: str | None
    prefix: str | None
    headlines: Mapping[str, str | None]
    body: Mapping[str, tuple[Paragraph, ...]]
    warnings: tuple[str, ...] = ()

    @property
    def has_headline_pair(self) -> bool:
        return bool(self.headlines.get("en")) and bool(self.headlines.get("ru"))


@dataclass(frozen=True)
class Sentence:
    """A sentence as a span of the text it was split from: ``text == source[start:end]``.

    ``paragraph`` is the 0-based index of the paragraph (blank-line separated block) it is in;
    paragraph boundaries are hard boundaries for the aligner.
    """

    text: str
    start: int
    end: int
    paragraph: int = 0


@dataclass(frozen=True)
class Bead:
    """One alignment link: source and target sentence indices plus a confidence in [0, 1].

    Either side may be empty (a sentence with no counterpart).
    """

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float = 0.0

    def __str__(self) -> str:
        return f"[{', '.join(map(str, self.src))}]:[{', '.join(map(str, self.tgt))}]:{self.score:.4f}"


@dataclass(frozen=True)
class Alignment:
    """Two sentence lists and the beads that link them.

    Every sentence of both sides is in exactly one bead, in order; this is checked on
    construction so a broken alignment can never leave the aligner.
    """

    src: Sequence[Sentence]
    tgt: Sequence[Sentence]
    beads: Sequence[Bead]

    def __post_init__(self) -> None:
        check_beads(self.beads, len(self.src), len(self.tgt))


def check_beads(beads: Sequence[Bead], n_src: int, n_tgt: int) -> None:
    """Raise ``ValueError`` unless ``beads`` cover ``0..n_src-1`` and ``0..n_tgt-1`` in order."""
    i = j = 0
    for bead in beads:
        if not bead.src and not bead.tgt:
            raise ValueError("empty bead")
        for k in bead.src:
            if k != i:
                raise ValueError(f"source sentence {i} expected, bead has {k}")
            i += 1
        for k in bead.tgt:
            if k != j:
                raise ValueError(f"target sentence {j} expected, bead has {k}")
            j += 1
    if i != n_src or j != n_tgt:
        raise ValueError(f"beads cover {i}/{n_src} source and {j}/{n_tgt} target sentences")


@dataclass(frozen=True)
class Pair:
    """A translation pair: the unit every corpus format reads and writes.

    ``score`` is the aligner's confidence (``None`` when nothing scored it); ``kind`` says
    where the pair came from (``headline``, ``body``, ``sentence``); ``doc`` names the source
    document; ``props`` carries free key/value properties through formats that support them.
    """

    en: str
    ru: str
    score: float | None = None
    kind: str = ""
    doc: str = ""
    props: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Block:
    """One paragraph of a :class:`Document`: the span ``text[start:end]`` of its text.

    ``kind`` is ``heading``, ``paragraph``, ``item`` (a list item), ``cell`` (a table cell) or
    ``cue`` (subtitle cues joined into sentences); ``level`` is a heading's level (1 = top);
    ``chapter`` numbers the chapters (an EPUB's spine documents) from 0, and is 0 elsewhere.
    """

    start: int
    end: int
    kind: str = "paragraph"
    level: int = 0
    chapter: int = 0


@dataclass(frozen=True)
class Mark:
    """Metadata over a span of a document's text: a subtitle cue's timings
    (``start``/``end``), a PDF page (``page``)."""

    start: int
    end: int
    props: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Document:
    """A text read from any input format (``align.inputs``), as paragraphs with structure.

    ``text`` holds the paragraphs separated by blank lines, so that ``split_sentences(text)``
    numbers them as ``blocks`` does (a sentence's ``paragraph`` indexes ``blocks``); no
    paragraph holds a blank line. ``encoding`` is the detected one for text formats.
    """

    path: str
    format: str
    text: str
    blocks: tuple[Block, ...]
    encoding: str | None = None
    marks: tuple[Mark, ...] = ()
    warnings: tuple[str, ...] = ()

    def block_text(self, index: int) -> str:
        block = self.blocks[index]
        return self.text[block.start:block.end]

    @property
    def paragraphs(self) -> list[str]:
        """The text of every block, in order."""
        return [self.text[b.start:b.end] for b in self.blocks]

    @property
    def chapters(self) -> int:
        return self.blocks[-1].chapter + 1 if self.blocks else 0
