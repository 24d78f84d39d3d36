"""TMX 1.4b writer and reader: what CAT tools demand, what they write, and hostile files."""
from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from lxml import etree

from align.errors import AlignError, FormatError, InputError
from align.formats import DROPPED_CHARACTERS, FORMATS, clean_segment
from align.formats import tmx
from align.types import Pair
from format_contract import FormatContract

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DTD = SHARED / "tools" / "tmx14.dtd"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DATE = "20240102T030405Z"

TRICKY = [
    ("Tom & Jerry", "Том и Джерри & Co"),
    ("a < b > c", "а < б > в"),
    ('He said "yes" and \'no\'', "Он сказал «да» и „нет“"),
    ("Emoji 😀👍🏽 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "Эмодзи 😀👍🏽"),
    ("Cafe\u0301 nai\u0308ve", "е\u0308лка й"),
    ("no\u00a0break thin\u2009space", "без\u00a0разрыва"),
    ("]]> <![CDATA[ x ]]>", "&amp; &lt; &#38;"),
]


def write(tmp_path: Path, pairs: list[Pair], **options: object) -> tuple[Path, int]:
    out = tmp_path / "out.tmx"
    options.setdefault("creationdate", DATE)
    result = FORMATS["tmx"].write(pairs, out, **options)
    return out, result


def read(path: Path, **options: object) -> list[Pair]:
    return list(FORMATS["tmx"].read(path, **options))


def test_header_units_and_props_follow_tmx_14(tmp_path: Path) -> None:
    pairs = [Pair("Hello.", "Привет.", 0.87654, "sentence", "a/b.txt",
                  {"source": "nyt.com", "note": "checked"}),
             Pair("Bye.", "Пока.")]
    out, written = write(tmp_path, pairs, langs=("en-US", "ru-RU"))
    assert written == 2 and written.skipped == 0
    root = etree.parse(str(out)).getroot()
    assert (root.tag, root.get("version")) == ("tmx", "1.4")
    header = root.find("header")
    assert dict(header.attrib) == {
        "creationtool": "align", "creationtoolversion": __import__("align").__version__,
        "segtype": "sentence", "o-tmf": "align", "adminlang": "en", "srclang": "en-US",
        "datatype": "plaintext", "creationdate": DATE}
    first, second = root.find("body").findall("tu")
    assert (first.get("tuid"), first.get("srclang")) == ("1", "en-US")
    assert second.get("tuid") == "2"
    assert [c.tag for c in first] == ["note", "prop", "prop", "prop", "prop", "tuv", "tuv"]
    assert [(p.get("type"), p.text) for p in first.findall("prop")] == [
        ("x-score", "0.8765"), ("x-kind", "sentence"), ("x-doc", "a/b.txt"), ("x-source", "nyt.com")]
    assert first.find("note").text == "checked"
    assert [(t.get(XML_LANG), t.find("seg").text) for t in first.findall("tuv")] == [
        ("en-US", "Hello."), ("ru-RU", "Привет.")]
    assert [c.tag for c in second] == ["tuv", "tuv"]  # no empty props for missing fields


@pytest.mark.skipif(not DTD.is_file(), reason=f"TMX DTD not found at {DTD}")
@pytest.mark.parametrize("options", [{}, {"langs": "en-GB,ru-RU"}, {"encoding": "utf-16"},
                                     {"source": "ru"}])
def test_output_is_valid_against_the_tmx14_dtd(tmp_path: Path, options: dict) -> None:
    pairs = [Pair(en, ru, 0.5, "body", "doc.txt", {"x-origin": "test", "note": "a\nb"})
             for en, ru in TRICKY] + [Pair("\x00ctrl\x1f", "упр\x7f\x85!")]
    out, written = write(tmp_path, pairs, **options)
    assert written == len(pairs)
    dtd = etree.DTD(str(DTD))
    doc = etree.parse(str(out))
    assert dtd.validate(doc), dtd.error_log.filter_from_errors()


@pytest.mark.parametrize("en,ru", TRICKY)
def test_round_trip_keeps_text_exactly(tmp_path: Path, en: str, ru: str) -> None:
    pair = Pair(en, ru, 0.25, "sentence", "d & <d>.txt", {"k&<": "v \"q\" «r»"})
    out, _ = write(tmp_path, [pair])
    assert read(out) == [pair]
    assert b"&amp;" in out.read_bytes() or "&" not in en + ru


# Every control character class, and what becomes of it in a segment.
@pytest.mark.parametrize("text,stored", [
    ("a\tb", "a b"),                    # tab: collapsed
    ("a\r\n\r\nb", "a b"),              # line breaks: collapsed to one space
    ("a \n b", "a b"),                  # with the spaces around them
    ("a\u2028b\u2029c\x85d", "a b c d"),  # Unicode line/paragraph separators, NEL
    ("a\x0bb\x0cc", "a b c"),           # vertical tab, form feed: breaks, XML forbids them
    ("a\x00b\x01c\x08d", "abcd"),       # C0 controls XML forbids: removed
    ("a\x1bb\x7fc", "abc"),             # ESC, DEL: removed
    ("a\x80b\x9fc", "abc"),             # C1 controls: removed
    ("a\ud800b", "ab"),                 # lone surrogate: removed
    ("a\ufffeb\uffffc", "abc"),         # non-characters: removed
    ("  padded\t ", "padded"),          # surrounding whitespace trimmed
    ("two  spaces", "two  spaces"),     # ordinary spaces kept
    ("\u00a0nbsp\u00a0inside\u00a0", "nbsp\u00a0inside"),
])
def test_control_characters_and_whitespace(tmp_path: Path, text: str, stored: str) -> None:
    assert clean_segment(text) == stored
    out, written = write(tmp_path, [Pair(text, "текст " + text)])
    assert written == 1
    assert read(out)[0].en == stored


def test_dropped_characters_are_exactly_the_non_text_controls() -> None:
    controls = {chr(c) for c in range(0x20)} | {chr(c) for c in range(0x7F, 0xA0)}
    breaks = set("\t\n\r\x0b\x0c\x1c\x1d\x1e\x85")
    assert controls - breaks <= DROPPED_CHARACTERS
    assert not breaks & DROPPED_CHARACTERS
    assert {"\ufffe", "\uffff", "\ud800", "\udfff"} <= DROPPED_CHARACTERS


@pytest.mark.parametrize("en,ru", [("", "Пусто"), ("Empty", ""), ("  \t", "Пробелы"),
                                   ("\x00\x01", "Управляющие"), ("", "")])
def test_pair_with_an_empty_side_is_never_written(tmp_path: Path, en: str, ru: str) -> None:
    out, written = write(tmp_path, [Pair("One.", "Один."), Pair(en, ru), Pair("Two.", "Два.")])
    assert (written, written.skipped) == (2, 1)
    assert list(written.reasons.values()) == [1]
    assert [p.en for p in read(out)] == ["One.", "Two."]
    assert b"<seg></seg>" not in out.read_bytes() and b"<seg/>" not in out.read_bytes()
    assert [tu.get("tuid") for tu in etree.parse(str(out)).iter("tu")] == ["1", "2"]


@pytest.mark.parametrize("langs,message", [
    ("en_US,ru", "hyphens: en-US"),
    ("eng,ru", "use 'en'"),
    ("en,rus", "use 'ru'"),
    ("ru,en", "not a tag for language 'en'"),
    ("en-,ru", "not a BCP 47"),
    ("en-US-u-ca-u-co,ru", "repeats an extension"),
    ("en", "two language tags"),
])
def test_bad_language_tags_are_rejected_before_writing(tmp_path: Path, langs: str,
                                                       message: str) -> None:
    with pytest.raises(FormatError, match=message):
        write(tmp_path, [Pair("a", "б")], langs=langs)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("langs,tags", [
    ("en,ru", ("en", "ru")),
    ("en-us,ru-ru", ("en-US", "ru-RU")),
    ("EN-GB , RU", ("en-GB", "ru")),
    ("en-Latn-US,ru-Cyrl-RU", ("en-Latn-US", "ru-Cyrl-RU")),
    ("en-001,ru-x-pre1917", ("en-001", "ru-x-pre1917")),
])
def test_language_tags_are_written_in_conventional_case(tmp_path: Path, langs: str,
                                                        tags: tuple[str, str]) -> None:
    out, _ = write(tmp_path, [Pair("a", "б")], langs=langs)
    root = etree.parse(str(out)).getroot()
    assert root.find("header").get("srclang") == tags[0]
    assert tuple(t.get(XML_LANG) for t in root.iter("tuv")) == tags


def test_source_side_can_be_russian(tmp_path: Path) -> None:
    out, _ = write(tmp_path, [Pair("a", "б")], source="ru")
    root = etree.parse(str(out)).getroot()
    assert root.find("header").get("srclang") == "ru"
    assert root.find("body/tu").get("srclang") == "ru"
    assert [t.get(XML_LANG) for t in root.iter("tuv")] == ["ru", "en"]
    assert read(out) == [Pair("a", "б")]


def test_output_is_deterministic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pairs = [Pair(en, ru, 0.5, "k", "d", {"p": "q"}) for en, ru in TRICKY]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = FORMATS["tmx"].write(pairs, tmp_path / "a.tmx")
    second = FORMATS["tmx"].write(iter(pairs), tmp_path / "b.tmx")
    assert first == second == len(pairs)
    data = (tmp_path / "a.tmx").read_bytes()
    assert data == (tmp_path / "b.tmx").read_bytes()
    assert b'creationdate="20231114T221320Z"' in data
    assert data.endswith(b"</tmx>\n")


def test_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    def pairs():
        yield Pair("a", "б")
        raise AlignError("stopped", "in.txt")

    out = tmp_path / "c.tmx"
    out.write_text("old")
    with pytest.raises(AlignError):
        FORMATS["tmx"].write(pairs(), out)
    assert out.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["c.tmx"]


# --- reading what other tools write -------------------------------------------------------------

def tmx_doc(units: str, header: str = '<header srclang="en" creationtool="x" '
            'creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" '
            'datatype="plaintext"/>', prolog: str = '<?xml version="1.0" encoding="UTF-8"?>\n'
            ) -> str:
    return f'{prolog}<tmx version="1.4">{header}<body>\n{units}\n</body></tmx>\n'


@pytest.mark.parametrize("unit,expected", [
    # deprecated lang= (TMX 1.1-1.3), region codes in any case, underscores, ISO 639-2
    ('<tu><tuv lang="EN-US"><seg>Hi</seg></tuv><tuv lang="ru_RU"><seg>Привет</seg></tuv></tu>',
     Pair("Hi", "Привет")),
    ('<tu><tuv xml:lang="eng"><seg>Hi</seg></tuv><tuv xml:lang="RUS"><seg>Привет</seg></tuv></tu>',
     Pair("Hi", "Привет")),
    # Russian first, other languages ignored
    ('<tu><tuv xml:lang="ru"><seg>Да</seg></tuv><tuv xml:lang="de"><seg>Ja</seg></tuv>'
     '<tuv xml:lang="en-GB"><seg>Yes</seg></tuv></tu>', Pair("Yes", "Да")),
    # inline codes are not text, <hi> is; whitespace inside <seg> is content
    ('<tu><tuv xml:lang="en"><seg>A <bpt i="1">&lt;b&gt;</bpt>bold<ept i="1">&lt;/b&gt;</ept>'
     ' <hi type="x">word</hi><ph>{1}</ph>.</seg></tuv><tuv xml:lang="ru"><seg> Жирный </seg></tuv>'
     '</tu>', Pair("A bold word.", " Жирный ")),
    # props and notes from other tools (the x- of unpublished types comes off); tuv-level
    # props ignored
    ('<tu tuid="7"><prop type="x-score">0.5</prop><prop type="Domain">law</prop>'
     '<prop type="x-Client">ACME</prop><prop type="x-">?</prop>'
     '<note>n1</note><note>n2</note><tuv xml:lang="en"><prop type="x">y</prop><seg>A</seg></tuv>'
     '<tuv xml:lang="ru"><seg>Б</seg></tuv></tu>',
     Pair("A", "Б", 0.5, "", "", {"Domain": "law", "Client": "ACME", "x-": "?",
                                   "note": "n1\nn2"})),
    # CDATA and character references
    ('<tu><tuv xml:lang="en"><seg><![CDATA[a & <b>]]></seg></tuv><tuv xml:lang="ru">'
     '<seg>&#1040;&#x411; &amp;</seg></tuv></tu>', Pair("a & <b>", "АБ &")),
])
def test_reader_tolerates_what_tools_write(tmp_path: Path, unit: str, expected: Pair) -> None:
    path = tmp_path / "in.tmx"
    path.write_text(tmx_doc(unit), encoding="utf-8")
    assert read(path) == [expected]


def test_reader_accepts_a_namespaced_tmx(tmp_path: Path) -> None:
    path = tmp_path / "ns.tmx"
    path.write_text('<tmx xmlns="http://www.lisa.org/tmx14" version="1.4"><body><tu>'
                    '<prop type="x-kind">k</prop><tuv xml:lang="en"><seg>A <hi>b</hi></seg></tuv>'
                    '<tuv xml:lang="ru"><seg>Б</seg></tuv></tu></body></tmx>', encoding="utf-8")
    assert read(path) == [Pair("A b", "Б", kind="k")]


def test_reader_needs_no_header_and_skips_units_without_both_languages(tmp_path: Path) -> None:
    path = tmp_path / "in.tmx"
    path.write_text(tmx_doc('<tu><tuv xml:lang="en"><seg>only</seg></tuv></tu>\n'
                            '<tu><tuv xml:lang="en"><seg>A</seg></tuv><tuv xml:lang="ru">'
                            '<seg>Б</seg></tuv></tu>', header="", prolog=""), encoding="utf-8")
    skipped: list[tuple[str, int | None]] = []
    assert read(path, on_skip=lambda reason, line: skipped.append((reason, line))) == [
        Pair("A", "Б")]
    assert skipped == [("unit has no ru variant", 2)]


def test_exact_language_tag_wins_when_asked_for(tmp_path: Path) -> None:
    path = tmp_path / "in.tmx"
    path.write_text(tmx_doc('<tu><tuv xml:lang="en-US"><seg>color</seg></tuv>'
                            '<tuv xml:lang="en-GB"><seg>colour</seg></tuv>'
                            '<tuv xml:lang="ru"><seg>цвет</seg></tuv></tu>'), encoding="utf-8")
    assert read(path)[0].en == "color"
    assert read(path, langs="en-gb,ru")[0].en == "colour"


@pytest.mark.parametrize("encoding,bom", [("utf-16-le", codecs.BOM_UTF16_LE),
                                          ("utf-16-be", codecs.BOM_UTF16_BE),
                                          ("utf-8", codecs.BOM_UTF8)])
def test_reader_takes_bom_encodings(tmp_path: Path, encoding: str, bom: bytes) -> None:
    path = tmp_path / "in.tmx"
    declared = "UTF-16" if "16" in encoding else "UTF-8"
    text = tmx_doc('<tu><tuv xml:lang="en"><seg>Tea 😀</seg></tuv><tuv xml:lang="ru"><seg>Чай'
                   '</seg></tuv></tu>', prolog=f'<?xml version="1.0" encoding="{declared}"?>')
    path.write_bytes(bom + text.encode(encoding))
    assert read(path) == [Pair("Tea 😀", "Чай")]


def test_utf16_output_reads_back(tmp_path: Path) -> None:
    out, _ = write(tmp_path, [Pair("Tea", "Чай")], encoding="utf-16")
    assert out.read_bytes().startswith(codecs.BOM_UTF16_LE)
    assert read(out) == [Pair("Tea", "Чай")]


# --- hostile and malformed files ----------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE tmx [
<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<tmx version="1.4"><body>
<tu><tuv xml:lang="en"><seg>&lol9;</seg></tuv><tuv xml:lang="ru"><seg>x</seg></tuv></tu>
</body></tmx>
"""


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.tmx"
    path.write_text(BILLION_LAUGHS)
    with pytest.raises(FormatError, match="billion laughs") as err:
        read(path)
    assert err.value.line is not None


def test_internal_entities_are_not_expanded(tmp_path: Path) -> None:
    path = tmp_path / "ent.tmx"
    lines = BILLION_LAUGHS.splitlines()
    path.write_text("\n".join(lines[:5] + ["]>"] + lines[13:]).replace("&lol9;", "&lol2;"))
    with pytest.raises(FormatError, match="entity reference &lol2; is not expanded") as err:
        read(path)
    assert err.value.line == 8


def test_external_entities_and_dtds_are_not_loaded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    evil_dtd = tmp_path / "evil.dtd"
    evil_dtd.write_text('<!ENTITY leak "TOP-SECRET"><!ATTLIST tuv xml:lang CDATA "en">')
    path = tmp_path / "xxe.tmx"
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE tmx SYSTEM "{evil_dtd.as_uri()}" [\n'
                    f'<!ENTITY xxe SYSTEM "{secret.as_uri()}">\n'
                    '<!ENTITY net SYSTEM "http://192.0.2.1/x.dtd">]>\n'
                    '<tmx version="1.4"><body>\n'
                    '<tu><tuv xml:lang="en"><seg>a</seg></tuv><tuv xml:lang="ru"><seg>б</seg>'
                    '</tuv></tu>\n'
                    '<tu><tuv xml:lang="en"><seg>&xxe;</seg></tuv><tuv xml:lang="ru"><seg>б</seg>'
                    '</tuv></tu>\n</body></tmx>\n')
    pairs = FORMATS["tmx"].read(path)
    assert next(pairs) == Pair("a", "б")  # a network fetch would hang or fail here
    with pytest.raises(FormatError, match="&xxe;") as err:
        next(pairs)
    assert err.value.line == 7
    assert "TOP-SECRET" not in str(err.value)


def test_dtd_default_attributes_are_not_applied(tmp_path: Path) -> None:
    evil_dtd = tmp_path / "evil.dtd"
    evil_dtd.write_text('<!ATTLIST tuv xml:lang CDATA "en">')
    path = tmp_path / "in.tmx"
    path.write_text(f'<!DOCTYPE tmx SYSTEM "{evil_dtd.as_uri()}">'
                    + tmx_doc('<tu><tuv><seg>a</seg></tuv><tuv xml:lang="ru"><seg>б</seg></tuv>'
                              '</tu>', prolog=""))
    assert read(path) == []


@pytest.mark.parametrize("text,line,message", [
    (tmx_doc('<tu><tuv xml:lang="en"><seg>Tom & Jerry</seg></tuv></tu>'), 3, "malformed XML"),
    (tmx_doc('<tu><tuv xml:lang="en"><seg>a</tuv></tu>'), 3, "malformed XML"),
    (tmx_doc('\n\n<tu><tuv xml:lang="en"><seg>a &nbsp; b</seg></tuv></tu>'), 5,
     "Entity 'nbsp' not defined"),
    (tmx_doc('<tu><tuv xml:lang="en"><seg>a</seg></tuv></tu>')[:-15], 3, "Premature end"),
    ("", 1, "malformed XML"),
    ("just text\n", 1, "malformed XML"),
    ('<?xml version="1.0"?>\n<xliff><file/></xliff>', 2, "not a TMX file: the root element is <xliff>"),
    ('<?xml version="1.0"?>\n<doc>\n<tu/></doc>', 2, "not a TMX file"),
    (tmx_doc('<tu><tuv xml:lang="en"/><tuv xml:lang="ru"><seg>б</seg></tuv></tu>'), 3, "has no <seg>"),
    (tmx_doc('<tu><prop type="x-score">high</prop></tu>'), 3, "x-score is not a number"),
])
def test_malformed_files_give_an_error_with_the_line(tmp_path: Path, text: str, line: int,
                                                     message: str) -> None:
    path = tmp_path / "bad.tmx"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormatError, match=message) as err:
        read(path)
    assert (err.value.path, err.value.line) == (str(path), line)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read(tmp_path / "nope.tmx")


def test_reader_streams(tmp_path: Path) -> None:
    # Units already read are freed: memory does not grow with the file.
    out, _ = write(tmp_path, [Pair(f"s{i}", f"п{i}") for i in range(500)])
    earlier = []
    original = tmx._pair

    def spy(tu, want, name):
        # Only the unit just before, already emptied, may still be in the tree.
        earlier.append([len(e) for e in tu.itersiblings(preceding=True)])
        return original(tu, want, name)

    tmx._pair = spy
    try:
        assert len(read(out)) == 500
    finally:
        tmx._pair = original
    assert len(earlier) == 500 and max(map(len, earlier)) == 1
    assert not any(any(sizes) for sizes in earlier)


class TestContract(FormatContract):
    name = "tmx"
