"""The real-client test: OmegaT 3.6 imports our TMX and inserts our Russian for every segment.

``../shared/tools/omegat_check.sh TMX EN.txt`` builds a fresh OmegaT project with the TMX in
``tm/auto`` (exact matches are inserted automatically), translates the English text in console
mode and prints the target text. The TMX is built by the CLI, as a user would: ``align text``
on two texts (skipped while that command or its model is missing), ``align corpus`` over
article files (the seed article included), ``align convert`` from a TSV.
A control run with a broken TMX shows that the check does fail when OmegaT rejects a file.

Skips with a message when OmegaT (``apt-get install -y omegat``), java or the script is absent.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from align.cli import main
from align.formats import FORMATS
from align.types import Pair

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CHECK = SHARED / "tools" / "omegat_check.sh"
JAR = Path(os.environ.get("OMEGAT_JAR", "/usr/share/omegat/OmegaT.jar"))
SEED = ROOT / "seeds" / "000_ef9d5f30e115329a.txt"

if not CHECK.is_file():
    pytest.skip(f"OmegaT check script not found at {CHECK}", allow_module_level=True)
if not JAR.is_file() or shutil.which("java") is None:
    pytest.skip("OmegaT is not installed (apt-get install -y omegat): real-client test skipped",
                allow_module_level=True)

# One sentence a paragraph, so OmegaT's segmentation and ours agree on what a segment is.
PAIRS = [
    ("Tom & Jerry met at the <Grand> Hotel.", "Том и Джерри встретились в отеле <Гранд> & «Люкс»."),
    ('She said "never again" and left.', "Она сказала „больше никогда“ и ушла."),
    ("Prices rose by 5% in 2024 😀.", "Цены выросли на 5% в 2024 году 😀."),
    ("The cafe\u0301 opened in Zu\u0308rich.", "Кафе открылось в Цюрихе, е\u0308лка стоит."),
    ("O'Brien's team won 3:1 on Sunday.", "Команда О'Брайена выиграла 3:1 в воскресенье."),
]


def cli(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def omegat(tmx: Path, english: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, OMEGAT_REQUIRE_ALL="1", OMEGAT_LIST="all",
               OMEGAT_WORKROOT=str(tmx.parent / "omegat-work"), **settings)
    return subprocess.run(["bash", str(CHECK), str(tmx), str(english)], capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=400)


def paragraphs(texts: list[str]) -> str:
    return "\n\n".join(texts) + "\n"


def assert_all_inserted(run: subprocess.CompletedProcess[str], russian: list[str]) -> None:
    report = run.stderr
    assert run.returncode == 0, report
    assert "TMX: read completely by OmegaT" in report, report
    assert f"segments: {len(russian)} in source, {len(russian)} translated from TMX, " \
           "0 untranslated" in report, report
    assert "EMPTY translation" not in report
    # OmegaT puts text in NFC (ё for е + U+0308); our TMX keeps what it was given.
    assert run.stdout == unicodedata.normalize("NFC", paragraphs(russian))


def write_texts(tmp_path: Path) -> tuple[Path, Path]:
    english, russian = tmp_path / "en.txt", tmp_path / "ru.txt"
    english.write_text(paragraphs([en for en, _ in PAIRS]), encoding="utf-8")
    russian.write_text(paragraphs([ru for _, ru in PAIRS]), encoding="utf-8")
    return english, russian


def test_tmx_from_align_text_fills_every_segment(tmp_path: Path) -> None:
    if "text" not in main.commands:
        pytest.skip("no `align text` command yet")
    english, russian = write_texts(tmp_path)
    tmx = tmp_path / "text.tmx"
    command = main.commands["text"]
    args = ["text", str(english), str(russian), "-o", str(tmx), "--langs", "en-US,ru-RU"]
    if any("--paragraphs" in p.opts for p in command.params):
        args.append("--paragraphs")  # one sentence a paragraph: the alignment is not in question
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    if result.exit_code == 1 and "no such model file" in result.stderr:
        pytest.skip(f"`align text` has no model: {result.stderr.strip()}")
    assert result.exit_code == 0, result.output
    assert_all_inserted(omegat(tmx, english), [ru for _, ru in PAIRS])


def test_tmx_from_align_convert_fills_every_segment(tmp_path: Path) -> None:
    english, _ = write_texts(tmp_path)
    tsv = tmp_path / "pairs.tsv"
    tsv.write_text("en\tru\n" + "".join(f"{en}\t{ru}\n" for en, ru in PAIRS), encoding="utf-8")
    tmx = tmp_path / "convert.tmx"
    cli("convert", str(tsv), str(tmx), "--langs", "en-US,ru-RU")
    assert_all_inserted(omegat(tmx, english), [ru for _, ru in PAIRS])


@pytest.mark.skipif(not SEED.is_file(), reason=f"seed article not found at {SEED}")
def test_corpus_of_articles_opens_in_omegat_with_the_headlines(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    shutil.copy(SEED, articles / SEED.name)
    for i, (en, ru) in enumerate(PAIRS[:3]):
        (articles / f"a{i}.txt").write_text(f"example.com\n\n{en}\n\n{ru}\n\nBody text.\n",
                                            encoding="utf-8")
    tmx = tmp_path / "corpora" / "seeds.tmx"
    cli("corpus", str(articles), "-o", str(tmx))
    pairs = list(FORMATS["tmx"].read(tmx))
    seed = next(p for p in pairs if p.doc == SEED.name)
    assert seed.en.startswith("NYT: A senior U.S. official") and seed.kind == "headline"
    english = tmp_path / "headlines.txt"
    english.write_text(paragraphs([p.en for p in pairs]), encoding="utf-8")
    # Headline pairs are paragraph units. With OmegaT's default sentence segmentation the seed
    # headline would be cut after "U.S." and match no unit (it is still loaded, see report).
    run = omegat(tmx, english, OMEGAT_SENTENCE_SEG="false", OMEGAT_SHOW_TM="1")
    assert f"tm-entry | {seed.en}  =>  {seed.ru}" in run.stderr
    assert_all_inserted(run, [p.ru for p in pairs])


def test_check_fails_when_omegat_rejects_the_file(tmp_path: Path) -> None:
    # Control: without srclang in the header OmegaT 3.6 drops the whole file.
    tmx = tmp_path / "broken.tmx"
    FORMATS["tmx"].write([Pair(en, ru) for en, ru in PAIRS[:2]], tmx)
    tmx.write_text(tmx.read_text(encoding="utf-8").replace(' srclang="en" datatype', " datatype"),
                   encoding="utf-8")
    english = tmp_path / "en.txt"
    english.write_text(paragraphs([en for en, _ in PAIRS[:2]]), encoding="utf-8")
    run = omegat(tmx, english)
    assert run.returncode == 3, run.stderr
    assert "0 translated from TMX" in run.stderr
    assert run.stdout == paragraphs([en for en, _ in PAIRS[:2]])
