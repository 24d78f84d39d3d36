"""Build a parallel corpus from article files: headline pairs and aligned body sentences.

``article_pairs`` is the pure per-article function (article in, pairs out) that a process pool
or a cluster engine can map over inputs; ``CorpusRun`` drives it over files, keeping count of
what was read, paired and skipped so that nothing is lost silently.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Iterable, Iterator, Mapping

from .errors import AlignError, InputError
from .types import Alignment, Article, Pair


@dataclass(frozen=True)
class ArticleFile:
    """An input article file and its name in the corpus (relative to the input root); or,
    with ``ru_path``, a pair of single-language documents (``path`` the English one) named
    ``EN_NAME|RU_NAME``."""

    path: str
    name: str
    ru_path: str | None = None

    @property
    def paths(self) -> tuple[str, ...]:
        return (self.path,) if self.ru_path is None else (self.path, self.ru_path)


def find_articles(inputs: Iterable[str | os.PathLike[str]]) -> list[ArticleFile]:
    """Expand files and directories into documents: directories are searched recursively for
    ``*.txt`` and the files of every other input format (HTML, DOCX, ODT, EPUB, SRT, PDF;
    ``align.inputs.ARTICLE_EXTENSIONS``).

    Directories are walked in sorted order so that the corpus is the same on every machine.
    A file given directly is named by its file name; a file found in a directory by its path
    relative to that directory. Two files whose names differ only in a language marker
    (``x.en.docx`` and ``x.ru.docx``, ``en/x.html`` and ``ru/x.html``: the marker that
    ``align docs --by-name`` removes), one English and one Russian, in the same directory
    input (or given directly from the same folder) are one document pair, in the place of
    the first of them.
    """
    from .inputs import ARTICLE_EXTENSIONS

    docs: list[tuple[str, ArticleFile]] = []
    for item in inputs:
        root = Path(item)
        if root.is_dir():
            # A broken link is kept: reading it is a reported error, not a silent skip.
            found = sorted(p for p in root.rglob("*") if p.name.lower().endswith(
                ARTICLE_EXTENSIONS) and (p.is_file() or p.is_symlink()))
            docs.extend((str(root), ArticleFile(str(p), p.relative_to(root).as_posix()))
                        for p in found)
        elif root.exists() or str(item) == "-":
            docs.append((str(root.parent) if str(item) != "-" else "-",
                         ArticleFile(str(item), root.name or str(item))))
        else:
            raise InputError("no such file or directory", str(item))
    return _pair_by_name(docs)


def _pair_by_name(docs: list[tuple[str, ArticleFile]]) -> list[ArticleFile]:
    """Single-language documents named as a pair (see :func:`find_articles`) joined."""
    from .docpair import name_key
    from .inputs import name_language

    groups: dict[tuple[str, str], list[int]] = {}
    for n, (root, doc) in enumerate(docs):
        if doc.path != "-" and name_language(doc.name):
            stem = doc.name[:len(doc.name) - len(PurePosixPath(doc.name).suffix)]
            groups.setdefault((root, name_key(stem)), []).append(n)
    out: list[ArticleFile] = []
    placed: set[int] = set()
    pairs: dict[int, tuple[int, int]] = {}
    for members in groups.values():
        langs = [name_language(docs[n][1].name) for n in members]
        if len(members) == 2 and sorted(langs) == ["en", "ru"]:
            en, ru = members if langs[0] == "en" else members[::-1]
            pairs[min(members)] = (en, ru)
            placed.update(members)
    for n, (_, doc) in enumerate(docs):
        if n in pairs:
            en, ru = (docs[i][1] for i in pairs[n])
            out.append(ArticleFile(en.path, f"{en.name}|{ru.name}", ru.path))
        elif n not in placed:
            out.append(doc)
    return out


@dataclass(frozen=True)
class Scorer:
    """What scores pairs: the bilingual model (aligns bodies) and its adequacy calibration.

    Loaded once per process and passed to ``article_pairs``; ``None`` in its place gives
    headline pairs without scores and no body alignment.
    """

    model: Any
    calibration: Any = None
    encoder: Any = None

    @classmethod
    def load(cls, model_path: str | os.PathLike[str] | None = None,
             encoder: Any = None) -> "Scorer":
        """The model at ``model_path`` (default: the shipped one) with its calibration;
        ``encoder`` is an optional local sentence encoder the aligner adds to the model."""
        from .model import DEFAULT_MODEL, load_model
        from .qe import calibration_for

        model = load_model(model_path)
        return cls(model, calibration_for(model_path or DEFAULT_MODEL), encoder)

    def adequacy(self, en: str, ru: str) -> float:
        """Reference-free adequacy of one pair, on the scale of ``align score --qe``."""
        from .qe import score_adequacy

        return next(score_adequacy([Pair(en, ru)], self.model, self.calibration)).score or 0.0


def alignment_pairs(alignment: Alignment, kind: str, doc: str, *,
                    unaligned: bool = False,
                    props: Callable[[Any], Mapping[str, str]] | None = None) -> Iterator[Pair]:
    """The pairs of an alignment, sentences of a bead joined by a space, the bead's confidence
    as the score. Beads with an empty side (a sentence with no counterpart) only with
    ``unaligned``; ``props(bead)`` gives a pair's properties (subtitle timings, say)."""
    for bead in alignment.beads:
        if not (bead.src and bead.tgt) and not unaligned:
            continue
        yield Pair(" ".join(alignment.src[i].text for i in bead.src),
                   " ".join(alignment.tgt[j].text for j in bead.tgt),
                   round(bead.score, 4), kind, doc, props(bead) if props else {})


def body_alignment(article: Article, model: Any, encoder: Any = None, *,
                   max_bead: int = 3) -> Alignment:
    """Segment both bodies into sentences and align them.

    The headline pair is outside the bodies, so it is a hard boundary by construction;
    paragraphs are not, since a republished translation often splits or drops them.
    """
    from .aligner import align
    from .segment import split_sentences

    en = "\n\n".join(p.text for p in article.body["en"])
    ru = "\n\n".join(p.text for p in article.body["ru"])
    return align(split_sentences(en, "en"), split_sentences(ru, "ru"), model, encoder=encoder,
                 max_bead=max_bead)


def article_pairs(article: Article, doc: str, scorer: Scorer | None = None, *,
                  unaligned: bool = False, max_bead: int = 3) -> list[Pair]:
    """The translation pairs of one article: its headline pair, when it has both headlines,
    then, with a ``scorer`` and bodies in both languages, the aligned body sentences.

    Pure and picklable (article and scorer in, pairs out), so a process pool or a cluster
    engine can map it over articles with the model loaded once per worker.
    """
    pairs: list[Pair] = []
    if article.has_headline_pair:
        en, ru = article.headlines["en"] or "", article.headlines["ru"] or ""
        props = {"source": article.source} if article.source else {}
        score = round(scorer.adequacy(en, ru), 4) if scorer else None
        pairs.append(Pair(en=en, ru=ru, score=score, kind="headline", doc=doc, props=props))
    if scorer is not None and article.body["en"] and article.body["ru"]:
        alignment = body_alignment(article, scorer.model, scorer.encoder, max_bead=max_bead)
        pairs.extend(alignment_pairs(alignment, "body", doc, unaligned=unaligned))
    return pairs


def load_scorer(model_path: str | None = None, encoder_path: str | None = None) -> Scorer:
    """``Scorer.load`` from paths only, so a worker can load it (``engine.Setup``)."""
    encoder = None
    if encoder_path is not None:
        from .encoders import load_encoder

        encoder = load_encoder(encoder_path)
    return Scorer.load(model_path, encoder)


def qe_scorer(model_path: str | None = None, calibration_path: str | None = None) -> Scorer:
    """The model and adequacy calibration of ``align score --qe`` (``--calibration`` table
    or the model's own), from paths only, so that a worker can load it."""
    from .model import DEFAULT_MODEL, load_model
    from .qe import calibration_for

    return Scorer(load_model(model_path),
                  calibration_for(model_path or DEFAULT_MODEL, calibration_path))


def adequacy_batch(scorer: Scorer, pairs: list[Pair]) -> list[Pair]:
    """The batched stage of ``align score --qe``: the pairs with their adequacy as score."""
    from .qe import score_adequacy

    return list(score_adequacy(pairs, scorer.model, scorer.calibration))


@dataclass(frozen=True)
class DocSummary:
    """What a run reports of one input: its path, how many pairs it gave, its warnings, the
    error that made it skipped, and (``align text``) the English and Russian sentences
    aligned and the links among them. A shard's manifest record keeps it as JSON
    (:meth:`to_json`), so that a resumed run reports the inputs done before as they were."""

    path: str
    pairs: int = 0
    warnings: tuple[str, ...] = ()
    error: str | None = None
    sentences: tuple[int, int] = (0, 0)
    links: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "pairs": self.pairs, "warnings": list(self.warnings),
                "error": self.error, "sentences": list(self.sentences), "links": self.links}

    @classmethod
    def from_json(cls, record: Mapping[str, Any]) -> "DocSummary":
        en, ru = record["sentences"]
        return cls(str(record["path"]), int(record["pairs"]),
                   tuple(str(w) for w in record["warnings"]), record["error"],
                   (int(en), int(ru)), int(record["links"]))


@dataclass(frozen=True)
class DocResult:
    """What one input gave: its pairs, its warnings, or the error that made it skipped.

    ``sentences`` counts the English and Russian sentences aligned and ``links`` the beads
    with both sides (``align text`` reports them)."""

    path: str
    pairs: tuple[Pair, ...] = ()
    warnings: tuple[str, ...] = ()
    error: str | None = None
    sentences: tuple[int, int] = (0, 0)
    links: int = 0

    def summary(self) -> DocSummary:
        """Everything but the pairs."""
        return DocSummary(self.path, len(self.pairs), self.warnings, self.error,
                          self.sentences, self.links)


def doc_pairs(scorer: Scorer | None, doc: ArticleFile, *, unaligned: bool = False,
              max_bead: int = 3) -> DocResult:
    """The stage an engine maps over article files: read, parse, pair, align one file.

    A file that cannot be parsed is a result with ``error`` set, not an exception, so that a
    run over many files goes on and reports it."""
    from .article import read_article

    try:
        article = read_article(doc.path) if doc.ru_path is None else paired_article(doc)
    except AlignError as exc:
        return DocResult(exc.path or doc.path, error=exc.message)
    warnings = tuple(article.warnings)
    if doc.ru_path is None and not article.has_headline_pair:
        from .inputs import name_language, with_language

        lang = name_language(doc.name)
        if lang:  # x.en.docx alone: its counterpart is missing or not named as one
            other = "ru" if lang == "en" else "en"
            warnings += (f"a single-language document? its {_LANGS[other]} counterpart pairs "
                         f"with it when named alike ({with_language(doc.name, other)}), or use "
                         f"--en/--ru",)
    return DocResult(doc.path, tuple(article_pairs(article, doc.name, scorer,
                                                   unaligned=unaligned, max_bead=max_bead)),
                     warnings)



def paired_article(doc: ArticleFile) -> Article:
    """A document pair (``doc.path`` English, ``doc.ru_path`` Russian, each in any input
    format) as one article: each file's first paragraph its headline (as ``align docs``
    reads a document), the other paragraphs its body. A file whose text is in the other
    language is an error (the names are swapped)."""
    from .article import guess_lang
    from .inputs import read_document
    from .types import Paragraph

    headlines: dict[str, str | None] = {}
    body: dict[str, tuple[Paragraph, ...]] = {}
    for lang, path in (("en", doc.path), ("ru", doc.ru_path or "")):
        document = read_document(path)
        paragraphs = [" ".join(p.split()) for p in document.paragraphs]
        found = guess_lang(" ".join(paragraphs[:20]))
        if found is not None and found != lang:
            raise InputError(f"looks {_LANGS[found]}, not {_LANGS[lang]} (languages swapped?)",
                             path)
        headlines[lang] = paragraphs[0]
        body[lang] = tuple(Paragraph(p, lang, 0) for p in paragraphs[1:])
    return Article(doc.path, "utf-8", None, None, headlines, body)


_LANGS = {"en": "English", "ru": "Russian"}


def text_pairs(scorer: Scorer, files: tuple[str, str], *, unaligned: bool = False,
               paragraphs: bool = False, max_bead: int = 3,
               input_format: str | None = None) -> DocResult:
    """The stage of ``align text``: two documents in any input format (``align.inputs``;
    ``input_format`` names it, else extension or content tell) segmented, aligned, as
    ``sentence`` pairs (``doc`` is the English file's name). Chapters and headings both
    documents agree on are hard boundaries; subtitle timings and PDF pages become pair
    properties."""
    from .aligner import align, paragraph_cuts
    from .inputs import read_document
    from .inputs.structure import pair_props, structure_cuts
    from .segment import split_sentences

    en_file, ru_file = files
    try:
        en_doc = read_document(en_file, input_format)
        ru_doc = read_document(ru_file, input_format)
    except AlignError as exc:
        return DocResult(exc.path or en_file, error=exc.message)
    src, tgt = split_sentences(en_doc.text, "en"), split_sentences(ru_doc.text, "ru")
    cuts = paragraph_cuts([s.paragraph for s in src], [s.paragraph for s in tgt]) \
        if paragraphs else []
    result = align(src, tgt, scorer.model, boundaries=cuts or structure_cuts(en_doc, ru_doc,
                                                                             src, tgt),
                   max_bead=max_bead, encoder=scorer.encoder)
    props: Callable[[Any], Mapping[str, str]] | None = None
    if en_doc.marks or ru_doc.marks:
        def bead_props(bead: Any) -> Mapping[str, str]:
            return pair_props(en_doc, ru_doc, src, tgt, bead)

        props = bead_props
    pairs = alignment_pairs(result, "sentence", Path(en_file).name, unaligned=unaligned,
                            props=props)
    warnings = tuple(f"{d.path}: {w}" for d in (en_doc, ru_doc) for w in d.warnings)
    return DocResult(en_file, tuple(pairs), warnings, sentences=(len(src), len(tgt)),
                     links=sum(1 for b in result.beads if b.src and b.tgt))


@dataclass(frozen=True)
class BeadsResult:
    """What ``align sentences DIR`` gets for one document: its bead file's text, or an error."""

    name: str
    text: str = ""
    beads: int = 0
    error: str | None = None
    path: str | None = None


def sentence_beads(scorer: Scorer, files: tuple[str, str, str], *,
                   max_bead: int = 3) -> BeadsResult:
    """The stage of ``align sentences DIR``: ``(name, en_path, ru_path)``, one sentence a line,
    to the text of ``name.align``."""
    from .aligner import align_sentences
    from .beads import format_bead
    from .fileio import read_text_lines

    name, en_path, ru_path = files
    try:
        en, ru = read_text_lines(en_path), read_text_lines(ru_path)
        beads = align_sentences(en, ru, scorer.model, max_bead=max_bead, encoder=scorer.encoder)
    except AlignError as exc:
        return BeadsResult(name, error=exc.message, path=exc.path or en_path)
    return BeadsResult(name, "".join(format_bead(b) + "\n" for b in beads), len(beads))


def write_pair_shard(results: list[DocResult], path: str) -> list[dict[str, Any]]:
    """Write the pairs of ``results`` as one JSONL shard (lossless); return their summaries
    as JSON, for the shard's manifest record."""
    from .formats import FORMATS

    FORMATS["jsonl"].write((p for r in results for p in r.pairs), path)
    return [r.summary().to_json() for r in results]


@dataclass
class CorpusRun:
    """One pass over article files: streams pairs and records articles, warnings and skips."""

    docs: list[ArticleFile]
    scorer: Scorer | None = None
    unaligned: bool = False
    articles: int = 0
    skipped: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)

    def pairs(self) -> Iterator[Pair]:
        from .article import read_article

        for doc in self.docs:
            try:
                article = read_article(doc.path)
            except AlignError as exc:
                self.skipped.append(doc.path)
                self.problems.append((doc.path, exc.message))
                continue
            self.articles += 1
            self.problems.extend((doc.path, message) for message in article.warnings)
            yield from article_pairs(article, doc.name, self.scorer, unaligned=self.unaligned)


def build_corpus(docs: list[ArticleFile], scorer: Scorer | None = None, *,
                 unaligned: bool = False) -> CorpusRun:
    """A ``CorpusRun`` over ``docs``; iterate its ``pairs()`` to do the work."""
    return CorpusRun(docs, scorer, unaligned)
