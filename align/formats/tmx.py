"""TMX 1.4b: the translation memory format CAT tools (OmegaT, memoQ, Trados) import.

Writing streams through lxml's ``etree.xmlfile`` (constant memory, escaping by lxml) and follows
what real importers demand, OmegaT's rejections and silent failures first:

- the header carries every attribute TMX 1.4 requires (``srclang`` above all: OmegaT drops a
  whole file without it) and ``datatype="plaintext"``;
- each ``<tu>`` has a ``tuid`` and ``srclang``; each ``<tuv>`` an ``xml:lang`` that is a checked
  BCP 47 tag (``en`` / ``en-US``; never ``en_US`` or ``eng``, which are not BCP 47 and which
  tools treat inconsistently);
- score, kind and document go in ``<prop type="x-score|x-kind|x-doc">``, free properties in
  ``<prop type="x-KEY">`` (TMX: property types a tool has not published start with ``x-``;
  the reader takes the prefix off again), a ``note`` property in ``<note>``, all before the
  variants as the DTD demands;
- segment text follows :func:`align.formats.clean_segment` (XML-forbidden controls removed,
  line breaks collapsed, trimmed), and a pair with an empty side is never written: OmegaT would
  insert the empty segment as a finished translation. The writer reports how many it skipped.

``creationdate`` (optional in TMX 1.4b; OmegaT 3.6 and translate-toolkit load files without it)
is written only when ``SOURCE_DATE_EPOCH`` is set or ``creationdate`` is passed: the same pairs
give the same bytes on any machine, at any time.

Reading streams with ``iterparse`` and is tolerant of what tools write (``lang=`` instead of
``xml:lang``, any case or region, ``en_US``, UTF-16 with a BOM, no header, inline markup in
segments) and safe with hostile files: no entity is expanded, no DTD or network resource is
loaded, and malformed XML is a ``FormatError`` with its line number.
"""
from __future__ import annotations

import os
import sys
import time
from typing import IO, Any, Iterable, Iterator

from lxml import etree

from .. import __version__
from ..errors import AlignError, FormatError
from ..fileio import open_input
from ..langtags import DEFAULT_LANGS, parse_langs, primary_language
from ..types import Pair
from .base import CorpusFormat, SkipHandler, WriteResult, clean_segment, xml_text

ENCODINGS = ("utf-8", "utf-16")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
#: Property types holding ``Pair`` fields; every other ``<prop>`` is a free property.
FIELD_PROPS = {"x-score": "score", "x-kind": "kind", "x-doc": "doc"}
NOTE_KEY = "note"
EMPTY_SIDE = "a side is empty (TMX never stores an empty segment)"

# Indentation as text nodes: never inside <seg>, whose whitespace is content.
_I1, _I2, _I3, _I4 = "\n  ", "\n    ", "\n      ", "\n        "


def creation_date(epoch: float | None = None) -> str | None:
    """TMX date (``YYYYMMDDThhmmssZ``, UTC) for ``epoch`` or ``SOURCE_DATE_EPOCH``, else None."""
    if epoch is None:
        env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        if not env.isdigit():
            return None
        epoch = float(env)
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(epoch))


def _header(src_tag: str, date: str | None) -> etree._Element:
    return etree.Element("header", {
        "creationtool": "align",
        "creationtoolversion": __version__,
        "segtype": "sentence",
        "o-tmf": "align",
        "adminlang": "en",
        "srclang": src_tag,
        "datatype": "plaintext",
        **({"creationdate": date} if date else {}),
    })


class _Units:
    """Makes ``<tu>`` elements by filling in a prebuilt element of the same shape.

    A unit's shape is which note and properties it has; a corpus has few shapes (usually
    one). The writer serializes each unit as soon as it is made, so one element per shape is
    reused: setting a handful of texts costs a fraction of building eight elements from
    Python, which is what lets the writer reach its throughput. The element returned by
    :meth:`unit` is only valid until the next call.
    """

    MAX_SHAPES = 256

    def __init__(self, src_tag: str, tags: tuple[str, str]) -> None:
        self.src_tag = src_tag
        self.tags = tags
        # shape -> (unit element, the elements whose text is filled in, in order)
        self.templates: dict[tuple[bool, tuple[str, ...]],
                             tuple[etree._Element, list[etree._Element]]] = {}
        self.cleaned: dict[str, str] = {}

    def _cleaned(self, text: str) -> str:
        # Kind and document repeat from unit to unit: clean each value once (bounded memory).
        try:
            return self.cleaned[text]
        except KeyError:
            if len(self.cleaned) >= 4096:
                self.cleaned.clear()
            value = self.cleaned[text] = clean_segment(text)
            return value

    def _template(self, shape: tuple[bool, tuple[str, ...]]
                  ) -> tuple[etree._Element, list[etree._Element]]:
        has_note, keys = shape
        tu = etree.Element("tu", tuid="0", srclang=self.src_tag)
        tu.text = _I3
        slots = []
        if has_note:
            slots.append(etree.SubElement(tu, "note"))
            slots[-1].tail = _I3
        for key in keys:
            slots.append(etree.SubElement(tu, "prop", type=key))
            slots[-1].tail = _I3
        for tag in self.tags:
            tuv = etree.SubElement(tu, "tuv", {XML_LANG: tag})
            tuv.text = _I4
            slots.append(etree.SubElement(tuv, "seg"))
            slots[-1].tail = _I3
            tuv.tail = _I3
        tuv.tail = _I2
        return tu, slots

    def unit(self, tuid: int, pair: Pair, first: str, second: str) -> etree._Element:
        props = pair.props
        keys: list[str] = []
        values: list[str] = []
        if props and NOTE_KEY in props:
            values.append(xml_text(str(props[NOTE_KEY])))
        if pair.score is not None:
            keys.append("x-score")
            values.append(f"{pair.score:.4f}")
        if pair.kind:
            kind = self._cleaned(pair.kind)
            if kind:
                keys.append("x-kind")
                values.append(kind)
        if pair.doc:
            doc = self._cleaned(pair.doc)
            if doc:
                keys.append("x-doc")
                values.append(doc)
        if props:
            for key, value in props.items():
                key = clean_segment(str(key))
                if key and key != NOTE_KEY and key not in FIELD_PROPS:
                    keys.append(key if key.startswith("x-") else "x-" + key)
                    values.append(clean_segment(str(value)))
        values.append(first)
        values.append(second)
        shape = (bool(props) and NOTE_KEY in props, tuple(keys))
        try:
            tu, slots = self.templates[shape]
        except KeyError:
            tu, slots = self._template(shape)
            if len(self.templates) < self.MAX_SHAPES:
                self.templates[shape] = (tu, slots)
        tu.set("tuid", str(tuid))
        for slot, value in zip(slots, values):
            slot.text = value
        return tu


class TMXFormat(CorpusFormat):
    """TMX 1.4b through lxml; see the module docstring. Options: ``langs``, the BCP 47 tags
    of the English and Russian sides (``("en-US", "ru-RU")``); ``source``, the side that is
    ``srclang`` and comes first in each unit; ``encoding``, UTF-8 or UTF-16 (with BOM, for
    older tools); ``creationdate``. A pair with an empty side after cleaning is skipped."""

    name, title = "tmx", "TMX"
    encodings = ENCODINGS
    empty_side = EMPTY_SIDE

    def prepare(self, path: str | os.PathLike[str], *,
                langs: str | tuple[str, str] = DEFAULT_LANGS, encoding: str | None = None,
                source: str = "en", creationdate: str | None = None,
                **_: object) -> dict[str, Any]:
        name = str(path)
        try:
            en_tag, ru_tag = parse_langs(langs)
        except AlignError as exc:  # raised without a path: name the file it was for
            raise FormatError(exc.message, name) from None
        encoding = self.check_encoding(encoding, path)
        if source not in ("en", "ru"):
            raise FormatError(f"source side must be 'en' or 'ru', not {source!r}", name)
        src_tag = en_tag if source == "en" else ru_tag
        return {"encoding": encoding, "source": source, "date": creationdate or creation_date(),
                "units": _Units(src_tag, (en_tag, ru_tag) if source == "en" else (ru_tag, en_tag))}

    def serialize(self, pairs: Iterable[Pair], raw: IO[bytes], *, encoding: str, source: str,
                  date: str | None, units: _Units) -> WriteResult:
        src_tag = units.src_tag
        written = skipped = 0
        with etree.xmlfile(raw, encoding=encoding.upper()) as xf:
            xf.write_declaration()
            xf.write_doctype(DOCTYPE)
            with xf.element("tmx", version="1.4"):
                xf.write(_I1)
                xf.write(_header(src_tag, date))
                xf.write(_I1)
                with xf.element("body"):
                    for pair in pairs:
                        segments = self.segments(pair)
                        if segments is None:
                            skipped += 1
                            continue
                        en, ru = segments
                        written += 1
                        if source == "en":
                            xf.write(_I2, units.unit(written, pair, en, ru))
                        else:
                            xf.write(_I2, units.unit(written, pair, ru, en))
                    xf.write(_I1)
                xf.write("\n")
        # A final line end (lxml writes none after the root); UTF-16 without a second BOM.
        raw.write("\n".encode("utf-16-le" if encoding == "utf-16" else "utf-8"))
        return self.result(written, skipped)

    def read(self, path: str | os.PathLike[str], *, langs: str | tuple[str, str] | None = None,
             on_skip: SkipHandler | None = None, **_: object) -> Iterator[Pair]:
        """Stream the English–Russian pairs of a TMX file (see :func:`_read`)."""
        return _read(path, langs=langs, on_skip=on_skip)


# --- reading ------------------------------------------------------------------------------------

def _local(tag: object) -> str:
    # TMX 1.4 has no namespace, but a tool may add one; comments and PIs have no string tag.
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _seg_text(seg: etree._Element, name: str) -> str:
    """The plain text of a ``<seg>``: its text and ``<hi>`` text, without inline codes."""
    if not len(seg):
        return seg.text or ""
    parts = [seg.text or ""]
    for child in seg:
        if child.tag is etree.Entity:
            raise FormatError(f"entity reference {child.text} is not expanded (entities in TMX "
                              "files are not supported)", name, child.sourceline)
        if child.tag == "hi" or _local(child.tag) == "hi":
            parts.append(_seg_text(child, name))
        # bpt, ept, it, ph, ut hold the native codes of the original format, not text.
        parts.append(child.tail or "")
    return "".join(parts)


_SIDES: dict[str | None, str | None] = {}


def _side(lang: str | None) -> str | None:
    """``"en"`` or ``"ru"`` for a variant's language attribute, else ``None`` (cached)."""
    try:
        return _SIDES[lang]
    except KeyError:
        side = primary_language(lang)
        side = side if side in ("en", "ru") else None
        if len(_SIDES) < 1024:
            _SIDES[lang] = side
        return side


_UNIT_CHILDREN = frozenset({"tuv", "prop", "note"})


def _pair(tu: etree._Element, want: tuple[str | None, str | None], name: str) -> Pair | str:
    """The pair of one ``<tu>``, or the reason it has none."""
    texts: dict[str, str] = {}
    exact: set[str] = set()
    score: float | None = None
    kind = doc = ""
    props: dict[str, str] = {}
    notes: list[str] = []
    for child in tu:
        tag = child.tag
        if tag not in _UNIT_CHILDREN:
            tag = _local(tag)
        if tag == "tuv":
            lang_attr = child.get(XML_LANG) or child.get("lang")
            side = _side(lang_attr)
            if side is None:
                continue
            is_exact = want[0 if side == "en" else 1] == (lang_attr or "").lower()
            if side in texts and (side in exact or not is_exact):
                continue  # keep the first variant, unless a later one has the exact tag asked for
            seg = child[-1] if len(child) else None
            if seg is None or seg.tag != "seg":
                seg = child.find("{*}seg")
            if seg is None:
                raise FormatError(f"<tuv xml:lang={lang_attr!r}> has no <seg>", name,
                                  child.sourceline)
            texts[side] = _seg_text(seg, name)
            if is_exact:
                exact.add(side)
        elif tag == "prop":
            key = child.get("type") or ""
            value = child.text or ""
            if key == "x-score":
                try:
                    score = float(value)
                except ValueError:
                    raise FormatError(f"x-score is not a number: {value!r}", name,
                                      child.sourceline) from None
            elif key == "x-kind":
                kind = value
            elif key == "x-doc":
                doc = value
            elif key:
                props[key[2:] if key.startswith("x-") and len(key) > 2 else key] = value
        elif tag == "note":
            notes.append(child.text or "")
    if len(texts) < 2:
        missing = " and ".join(s for s in ("en", "ru") if s not in texts)
        return f"unit has no {missing} variant"
    if notes:
        props[NOTE_KEY] = "\n".join(notes)
    return Pair(texts["en"], texts["ru"], score, kind, doc, props)


def _read(path: str | os.PathLike[str], *, langs: str | tuple[str, str] | None = None,
          on_skip: SkipHandler | None = None) -> Iterator[Pair]:
    """Stream the English–Russian pairs of a TMX file.

    A unit's variants are matched to English and Russian by primary language (``en-GB``,
    ``EN``, ``en_US`` and ``eng`` are all English); when ``langs`` names tags and a unit has
    several variants of one language, the one with that exact tag wins, else the first.
    Units without both languages are passed to ``on_skip``. Properties ``x-score``,
    ``x-kind`` and ``x-doc`` fill the pair's fields, other ``<prop>`` its ``props``, notes
    ``props["note"]``.
    """
    name = str(path)
    if langs is None:
        want: tuple[str | None, str | None] = (None, None)
    else:
        parts = langs.split(",") if isinstance(langs, str) else list(langs)
        want = (parts[0].strip().lower(), parts[1].strip().lower())
    source = open_input(path)
    etree.clear_error_log()  # the log is per thread: keep only this file's errors
    try:
        events = etree.iterparse(
            source, events=("end",), tag="{*}tu",
            resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
            huge_tree=False, remove_comments=True, remove_pis=True)
        checked = False
        for _event, tu in events:
            if not checked:
                _check_root(tu.getroottree().getroot(), name)
                checked = True
            result = _pair(tu, want, name)
            # Drop what has been read so memory stays flat whatever the file size.
            tu.clear(keep_tail=False)
            parent = tu.getparent()
            if parent is not None:
                while tu.getprevious() is not None:
                    del parent[0]
            if result.__class__ is str:
                if on_skip is not None:
                    on_skip(result, tu.sourceline)
                continue
            yield result
        if not checked:
            _check_root(events.root, name)
    except etree.XMLSyntaxError as exc:
        message, line = _syntax_error(exc)
        raise FormatError(f"malformed XML: {message}", name, line) from None
    finally:
        if source is not sys.stdin.buffer:
            source.close()


def _syntax_error(exc: etree.XMLSyntaxError) -> tuple[str, int]:
    """libxml2's first fatal error, which names the real cause and line.

    ``iterparse`` sometimes raises a generic "no element found" at line 0 after the parser
    stopped; the error log still holds what stopped it.
    """
    fatals = exc.error_log.filter_from_fatals() if exc.error_log else []
    if fatals:
        first = fatals[0]
        if "amplification" in first.message:
            return ("entity declarations that expand exponentially (a 'billion laughs' file) "
                    "refused"), max(first.line, 1)
        return first.message, max(first.line, 1)
    message = exc.msg or str(exc)
    # libxml2 appends ", line N, column M"; the line is already in the error's prefix.
    return message.split(", line ")[0], max(exc.lineno or 1, 1)


def _check_root(root: etree._Element | None, name: str) -> None:
    if root is None or _local(root.tag) != "tmx":
        found = _local(root.tag) if root is not None else "nothing"
        raise FormatError(f"not a TMX file: the root element is <{found}>, not <tmx>", name,
                          root.sourceline if root is not None else None)


FORMAT = TMXFormat()
write, read = FORMAT.write, FORMAT.read
