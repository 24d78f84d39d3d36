"""Build a parallel corpus from article files.

``article_pairs`` is the pure per-article function (article in, pairs out) that a process pool
or a cluster engine can map over inputs; ``CorpusRun`` drives it over files, keeping count of
what was read, paired and skipped so that nothing is lost silently.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from .errors import AlignError, InputError
from .types import Article, Pair


@dataclass(frozen=True)
class Doc:
    """An input article file and its name in the corpus (relative to the input root)."""

    path: str
    name: str


def find_articles(inputs: Iterable[str | os.PathLike[str]]) -> list[Doc]:
    """Expand files and directories (searched recursively for ``*.txt``) into documents.

    Directories are walked in sorted order so that the corpus is the same on every machine.
    A file given directly is named by its file name; a file found in a directory by its path
    relative to that directory.
    """
    docs: list[Doc] = []
    for item in inputs:
        root = Path(item)
        if root.is_dir():
            found = sorted(p for p in root.rglob("*.txt") if p.is_file())
            docs.extend(Doc(str(p), p.relative_to(root).as_posix()) for p in found)
        elif root.exists() or str(item) == "-":
            docs.append(Doc(str(item), root.name or str(item)))
        else:
            raise InputError("no such file or directory", str(item))
    return docs


def article_pairs(article: Article, doc: str) -> list[Pair]:
    """The translation pairs of one article: its headline pair, when it has both headlines."""
    pairs: list[Pair] = []
    if article.has_headline_pair:
        props = {"source": article.source} if article.source else {}
        pairs.append(Pair(en=article.headlines["en"] or "", ru=article.headlines["ru"] or "",
                          score=None, kind="headline", doc=doc, props=props))
    return pairs


@dataclass
class CorpusRun:
    """One pass over article files: streams pairs and records articles, warnings and skips."""

    docs: list[Doc]
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
            yield from article_pairs(article, doc.name)


def build_corpus(docs: list[Doc]) -> CorpusRun:
    """A ``CorpusRun`` over ``docs``; iterate its ``pairs()`` to do the work."""
    return CorpusRun(docs)
