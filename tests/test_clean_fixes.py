"""align.clean.fixes: each fix, on text it changes and text it leaves alone."""
from __future__ import annotations

import pytest

pytest.importorskip("ftfy", reason="the 'clean' extra (ftfy) is not installed")

from align.clean.fixes import FIXES, apply_fixes, fix_markup  # noqa: E402

# (fix, text, fixed): the same text back means the fix leaves it alone.
CASES = [
    ("mojibake", "ÐŸÑ€Ð¸Ð²ÐµÑ‚, Ð¼Ð¸Ñ€", "Привет, мир"),
    ("mojibake", "РџСЂРёРІРµС‚, РјРёСЂ", "Привет, мир"),
    ("mojibake", "It’s a cafÃ©", "It’s a café"),
    ("mojibake", "Привет, мир", "Привет, мир"),
    ("mojibake", "Zürich café — “quoted”", "Zürich café — “quoted”"),
    ("mojibake", "ООО «ТС» и «РС»", "ООО «ТС» и «РС»"),
    ("entities", "Tom &amp; Jerry &quot;x&quot; &#8212; y", "Tom & Jerry \"x\" — y"),
    ("entities", "AT&T and R&D", "AT&T and R&D"),
    ("controls", "a\u200bb\x07c\ufeff", "abc"),
    ("controls", "a b\tc", "a b\tc"),
    ("nfc", "e\u0301te\u0301", "\u00e9t\u00e9"),
    ("nfc", "\u00e9t\u00e9", "\u00e9t\u00e9"),
    ("whitespace", "  a \t b\n\nc  ", "a b c"),
    ("whitespace", "a\u00a0b c", "a\u00a0b c"),
]


@pytest.mark.parametrize("name, text, fixed", CASES)
def test_fix(name: str, text: str, fixed: str) -> None:
    assert FIXES[name].apply(text, text) == (fixed, fixed)


def test_every_fix_has_cases_both_ways() -> None:
    per_side = set(FIXES) - {"markup"}
    assert {c[0] for c in CASES if c[1] != c[2]} == per_side
    assert {c[0] for c in CASES if c[1] == c[2]} == per_side


@pytest.mark.parametrize("en, ru, fixed", [
    ("<b>Big</b> news", "<b>Большие</b> новости", ("<b>Big</b> news", "<b>Большие</b> новости")),
    ("Big news</div>", "Большие новости", ("Big news", "Большие новости")),
    ("<i>Big</i> news", "Большие новости", ("Big news", "Большие новости")),
    ("a <br> b", "а <br> б", ("a <br> b", "а <br> б")),
    ("1 < 2 and 3 > 2", "1 < 2 и 3 > 2", ("1 < 2 and 3 > 2", "1 < 2 и 3 > 2")),
])
def test_markup(en: str, ru: str, fixed: tuple[str, str]) -> None:
    assert fix_markup(en, ru) == fixed


def test_apply_fixes_names_what_changed_and_keeps_quotes() -> None:
    fixes = tuple(FIXES.values())
    assert apply_fixes("“Hi” there", "«Привет» всем", fixes) == ("“Hi” there", "«Привет» всем", ())
    en, ru, applied = apply_fixes(" Tom &amp; Jerry ", "ÐŸÑ€Ð¸Ð²ÐµÑ‚", fixes)
    assert (en, ru) == ("Tom & Jerry", "Привет")
    assert applied == ("mojibake", "entities", "whitespace")
