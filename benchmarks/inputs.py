"""Input formats: paragraphs recovered, sentences aligned as from plain text, and speed.

For each dev document of ../shared/data/docs (headline first, segments as paragraphs), both
languages are written in every input format by that format's own library (make_inputs.py) and
read back with ``align.inputs``:

* paragraphs: the share of the source paragraphs read back exactly (white space normalized),
  in order (difflib's matching blocks), and the paragraphs read that are not in the source
  (spurious: a running header left in, a paragraph cut in two);
* aligned: the English file and the Russian file of a document aligned with ``align text``'s
  stage, against the same document aligned from plain text: the share of the plain-text pairs
  found exactly, white space and invisible characters (zero-width spaces) aside (the first
  ``--align`` documents);
* the two-column PDF (``pdf-2col``) is the PDF set in two columns, text flowing down the
  first then the second (pdfminer's own order interleaves them; the reader orders columns);
* MB/s: file bytes read per second of ``read_document`` (one process, best of ``--repeat``).

Then the book: every dev document a chapter, cycled until the English side reaches ``--pages``
standard pages of 1,800 characters, written as an EPUB pair and aligned like ``align text``
does (read, segment, align, pairs), timed against the same book as plain text.

    python benchmarks/inputs.py                     # 100 documents, a 500-page EPUB pair
    python benchmarks/inputs.py --docs 20 --pages 50 --align 10 # a quick look
    python benchmarks/inputs.py --formats pdf pdf-2col --pages 0  # PDF only (and txt)
"""
from __future__ import annotations

import argparse
import difflib
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from make_inputs import (DOCS, EXTENSIONS, VARIANTS, WRITERS, as_chapters,  # noqa: E402
                         documents, pdf_font)

from align.inputs import read_document  # noqa: E402
from align.inputs.base import normalize  # noqa: E402

PAGE = 1800


def recovered(source: list[str], read: list[str]) -> tuple[int, int]:
    """(source paragraphs read back exactly in order, paragraphs read that match none)."""
    src = [" ".join(p.split()) for p in source]
    got = [" ".join(p.split()) for p in read]
    matcher = difflib.SequenceMatcher(None, src, got, autojunk=False)
    same = sum(block.size for block in matcher.get_matching_blocks())
    return same, len(got) - same


def text_pairs_of(scorer, en: Path, ru: Path) -> list[tuple[str, str]]:
    from align.corpus import text_pairs

    result = text_pairs(scorer, (str(en), str(ru)))
    if result.error:
        raise SystemExit(f"{result.path}: {result.error}")
    # Compared as every format stores text: white space collapsed, invisible characters out.
    return [(" ".join(normalize(p.en).split()), " ".join(normalize(p.ru).split()))
            for p in result.pairs]


def formats(only: list[str] | None = None) -> list[str]:
    """The formats measured (``only`` those, plain text always, as the reference), and the
    layouts of ``VARIANTS`` (a two-column PDF); no PDF without a Cyrillic TrueType font."""
    names = [fmt for fmt in [*WRITERS, *VARIANTS]
             if only is None or fmt in only or fmt == "txt"]
    if pdf_font() is None:
        print("note: no DejaVu Sans font (Debian package fonts-dejavu-core): PDF is not "
              "measured", file=sys.stderr)
        return [fmt for fmt in names if not fmt.startswith("pdf")]
    return names


def per_format(docs: list[dict], folder: Path, repeat: int, align: int,
               only: list[str] | None = None) -> dict[str, dict]:
    from align.corpus import load_scorer

    scorer = load_scorer()
    stats: dict[str, dict] = {}
    paths: dict[tuple[str, int, str], Path] = {}
    for fmt in formats(only):
        write = WRITERS[fmt] if fmt in WRITERS else VARIANTS[fmt][1]
        extension = EXTENSIONS[fmt if fmt in WRITERS else VARIANTS[fmt][0]]
        row = {"files": 0, "paragraphs": 0, "exact": 0, "spurious": 0, "bytes": 0,
               "seconds": 0.0, "write_s": 0.0}
        for n, doc in enumerate(docs):
            for lang in ("en", "ru"):
                path = folder / f"d{n:04d}-{fmt}.{lang}{extension}"
                start = time.perf_counter()
                write(as_chapters(doc[lang]), path)
                row["write_s"] += time.perf_counter() - start
                paths[(fmt, n, lang)] = path
                best = None
                for _ in range(repeat):
                    start = time.perf_counter()
                    document = read_document(path)
                    spent = time.perf_counter() - start
                    best = spent if best is None else min(best, spent)
                source = [normalize(s) for s in doc[lang] if normalize(s)]
                same, extra = recovered(source, document.paragraphs)
                row["files"] += 1
                row["paragraphs"] += len(source)
                row["exact"] += same
                row["spurious"] += extra
                row["bytes"] += path.stat().st_size
                row["seconds"] += best or 0.0
        stats[fmt] = row
    for fmt in stats:
        found = total = 0
        for n in range(min(align, len(docs))):
            plain = text_pairs_of(scorer, paths[("txt", n, "en")], paths[("txt", n, "ru")])
            got = text_pairs_of(scorer, paths[(fmt, n, "en")], paths[(fmt, n, "ru")])
            matcher = difflib.SequenceMatcher(None, plain, got, autojunk=False)
            found += sum(block.size for block in matcher.get_matching_blocks())
            total += len(plain)
        stats[fmt]["aligned"] = found
        stats[fmt]["plain_pairs"] = total
    return stats


def book(docs: list[dict], folder: Path, pages: int) -> dict:
    """Write a book pair of ``pages`` standard pages as EPUB and as text; align both."""
    from align.corpus import load_scorer

    chapters = {"en": [], "ru": []}
    chars = 0
    n = 0
    while chars < pages * PAGE:
        doc = docs[n % len(docs)]
        for lang in ("en", "ru"):
            chapters[lang].extend(as_chapters(doc[lang]))
        chars += sum(len(s) + 1 for s in doc["en"])
        n += 1
    out = {"chapters": n, "pages_en": round(chars / PAGE)}
    scorer = load_scorer()
    for fmt in ("epub", "txt"):
        files = {}
        for lang in ("en", "ru"):
            files[lang] = folder / f"book.{lang}{EXTENSIONS[fmt]}"
            WRITERS[fmt](chapters[lang], files[lang])
        start = time.perf_counter()
        pairs = text_pairs_of(scorer, files["en"], files["ru"])
        out[fmt] = {"seconds": round(time.perf_counter() - start, 2), "pairs": len(pairs),
                    "mb": round(sum(f.stat().st_size for f in files.values()) / 1e6, 2)}
        out[f"{fmt}_pairs"] = pairs
    plain, epub = out.pop("txt_pairs"), out.pop("epub_pairs")
    matcher = difflib.SequenceMatcher(None, plain, epub, autojunk=False)
    out["epub_same_pairs"] = sum(block.size for block in matcher.get_matching_blocks())
    out["segments_en"] = sum(len(c) for c in chapters["en"])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=100, help="dev documents per format")
    parser.add_argument("--align", type=int, default=100,
                        help="of which aligned against the plain-text alignment")
    parser.add_argument("--pages", type=int, default=500, help="pages of the EPUB book pair")
    parser.add_argument("--repeat", type=int, default=3, help="reads per file (best kept)")
    parser.add_argument("--formats", nargs="+", default=None, metavar="FMT",
                        help="measure only these formats (txt always), e.g. pdf pdf-2col")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args()
    if not DOCS.is_dir():
        raise SystemExit(f"no dev documents at {DOCS} (set ALIGN_SHARED to ../shared)")
    every = list(documents())
    step = max(1, len(every) // args.docs)
    docs = every[::step][:args.docs]  # spread over the five document sets
    with tempfile.TemporaryDirectory() as tmp:
        stats = per_format(docs, Path(tmp), args.repeat, args.align, args.formats)
        big = book(every, Path(tmp), args.pages) if args.pages else None
    if args.json:
        print(json.dumps({"formats": stats, "book": big}, indent=1))
        return
    print(f"{len(docs)} documents x 2 languages per format; aligned: first "
          f"{min(args.align, len(docs))} document pairs against their plain-text alignment")
    print("| format | files | paragraphs read back exactly | spurious paragraphs | "
          "pairs as from plain text | MB read | read MB/s | ms per file |")
    print("|---|---|---|---|---|---|---|---|")
    for fmt, row in stats.items():
        mbps = row["bytes"] / 1e6 / row["seconds"] if row["seconds"] else float("inf")
        print(f"| {fmt} | {row['files']} | {row['exact']}/{row['paragraphs']} "
              f"({100 * row['exact'] / row['paragraphs']:.2f}%) | {row['spurious']} | "
              f"{row['aligned']}/{row['plain_pairs']} "
              f"({100 * row['aligned'] / max(1, row['plain_pairs']):.2f}%) | "
              f"{row['bytes'] / 1e6:.2f} | {mbps:.2f} | "
              f"{1000 * row['seconds'] / row['files']:.1f} |")
    if big:
        print(f"\nbook: {big['chapters']} chapters, {big['pages_en']} pages of {PAGE} characters "
              f"(English), {big['segments_en']} English paragraphs")
        for fmt in ("epub", "txt"):
            row = big[fmt]
            print(f"  {fmt}: {row['mb']} MB, read + segment + align {row['seconds']} s, "
                  f"{row['pairs']} pairs")
        print(f"  EPUB pairs identical to the plain-text ones: {big['epub_same_pairs']}/"
              f"{big['txt']['pairs']}")


if __name__ == "__main__":
    main()
