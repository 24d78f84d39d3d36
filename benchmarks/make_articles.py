"""Generate article files with real-world variants from the shared source documents.

Each document of ``../shared/data/docs/*.jsonl.gz`` (segments paired 1:1, headline first) becomes
one article file: source line (a domain, a short name, or none), the two headlines in either order
(sometimes with a shared ``NYT: ``-style prefix), then the body in English, Russian or both, with
some paragraphs as bullets. Files are written in UTF-8 (with and without BOM), UTF-16, cp1251 or
koi8-r, with LF or CRLF line ends. Some files lose their Russian headline (no pair expected), a few
are empty or binary (must be reported, not parsed). ``manifest.json`` records what a parser must
find in each file.

    python benchmarks/make_articles.py OUTDIR [--docs DIR] [--limit N] [--seed S]
                                      [--bodies en|ru|both] [--count N]
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import re
from pathlib import Path
from typing import Any, Iterator

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DOCS = SHARED / "data" / "docs"

SOURCES = ["meduza.io", "bimba-news.in.ua", "https://www.bbc.com/russian", "Reuters", "ТАСС",
           "Новая газета", "rbc.ru", "The Bell"]
PREFIXES = ["NYT: ", "Reuters: ", "BBC: ", "AP: "]
BULLETS = ["  • ", "- ", "* ", "– "]
ENCODINGS = ["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1251", "koi8-r"]
CYRILLIC = re.compile("[\u0400-\u04ff]")


def read_docs(directory: Path) -> Iterator[dict[str, Any]]:
    for path in sorted(directory.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                yield json.loads(line)


def usable(doc: dict[str, Any]) -> bool:
    """A document whose first segments are a real en/ru headline pair (not e.g. a GUID)."""
    en, ru = doc.get("en") or [], doc.get("ru") or []
    if len(en) < 2 or len(en) != len(ru):
        return False
    return bool(CYRILLIC.search(ru[0])) and not CYRILLIC.search(en[0]) and \
        len(re.findall("[A-Za-z]", en[0])) >= 3


def paragraphs(segments: list[str], rng: random.Random) -> list[str]:
    out, i = [], 0
    while i < len(segments):
        k = rng.randint(1, 4)
        out.append(" ".join(s.strip() for s in segments[i:i + k]))
        i += k
    return out


def body_lines(paras: list[str], rng: random.Random) -> list[str]:
    """Body blocks; sometimes the last few paragraphs become one bullet list block."""
    if len(paras) > 2 and rng.random() < 0.3:
        marker = rng.choice(BULLETS)
        cut = len(paras) - rng.randint(2, min(4, len(paras)))
        return paras[:cut] + ["\n".join(marker + p for p in paras[cut:])]
    return paras


def make_article(doc: dict[str, Any], rng: random.Random,
                 bodies: str | None = None) -> tuple[str, dict[str, Any]]:
    en_head, ru_head = doc["en"][0].strip(), doc["ru"][0].strip()
    if rng.random() < 0.2:
        prefix = rng.choice(PREFIXES)
        en_head, ru_head = prefix + en_head, prefix + ru_head
    blocks: list[str] = []
    source = rng.choice(SOURCES) if rng.random() < 0.8 else None
    if source:
        blocks.append(source)
    missing_ru = rng.random() < 0.08 and bodies is None
    heads = [en_head] if missing_ru else ([en_head, ru_head] if rng.random() < 0.6
                                          else [ru_head, en_head])
    blocks.extend(heads)
    body = rng.choice(["en", "en", "ru", "both"])
    body = bodies or body
    if body in ("en", "both"):
        blocks.extend(body_lines(paragraphs(doc["en"][1:], rng), rng))
    if body in ("ru", "both") and not missing_ru:
        blocks.extend(body_lines(paragraphs(doc["ru"][1:], rng), rng))
    if missing_ru and body == "ru":
        blocks.extend(body_lines(paragraphs(doc["en"][1:], rng), rng))
    expected = None if missing_ru else {"en": en_head, "ru": ru_head}
    return "\n\n".join(blocks) + "\n", {"headlines": expected, "source": source}


def encode(text: str, rng: random.Random) -> tuple[bytes, str]:
    if rng.random() < 0.2:
        text = text.replace("\n", "\r\n")
    encoding = rng.choice(ENCODINGS)
    try:
        return text.encode(encoding), encoding
    except UnicodeEncodeError:
        return text.encode("utf-8"), "utf-8"


def generate(out: Path, docs: Path = DOCS, limit: int | None = None, seed: int = 1, *,
             bodies: str | None = None, count: int | None = None) -> dict:
    """Write article files and ``manifest.json`` into ``out``; return the manifest.

    ``bodies`` ("en", "ru" or "both") gives every article that body (and both headlines);
    ``count`` makes that many files, going round the documents again when there are fewer
    (each round draws its own variants)."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {}
    selected = [d for d in read_docs(docs) if usable(d)]
    if limit is not None:
        selected = selected[:limit]
    if count is not None and selected:
        selected = [selected[i % len(selected)] for i in range(count)]
    for number, doc in enumerate(selected):
        text, expected = make_article(doc, rng, bodies)
        data, encoding = encode(text, rng)
        name = f"{number:04d}.txt"
        (out / name).write_bytes(data)
        manifest[name] = {**expected, "encoding": encoding, "doc_id": doc.get("doc_id")}
    for name, data in (("bad_empty.txt", b""), ("bad_binary.txt", b"\x7fELF\x02\x01\x00" * 40),
                       ("bad_blank.txt", b"\n\n  \n")):
        (out / name).write_bytes(data)
        manifest[name] = {"error": True}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1),
                                       encoding="utf-8")
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--docs", type=Path, default=DOCS)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bodies", choices=["en", "ru", "both"], default=None,
                        help="every article gets this body and both headlines")
    parser.add_argument("--count", type=int, default=None,
                        help="number of article files (documents are reused if needed)")
    args = parser.parse_args()
    manifest = generate(args.out, args.docs, args.limit, args.seed, bodies=args.bodies,
                        count=args.count)
    print(f"{len(manifest)} files in {args.out}")


if __name__ == "__main__":
    main()
