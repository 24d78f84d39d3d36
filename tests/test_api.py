"""The package's public face: light import, lazy stage functions, ``python -m align``."""
from __future__ import annotations

import subprocess
import sys

import pytest

import align


def test_import_is_light() -> None:
    code = ("import sys, align; heavy = [m for m in ('numpy', 'lxml', 'sentencepiece', "
            "'sacrebleu', 'click') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("name", ["read_article", "split_sentences", "load_model", "align",
                                  "align_sentences", "FORMATS", "format_for_path", "METRICS"])
def test_lazy_exports(name: str) -> None:
    assert getattr(align, name) is not None
    assert name in align.__all__


def test_unknown_attribute() -> None:
    with pytest.raises(AttributeError):
        align.no_such_thing  # noqa: B018


def test_python_m_align() -> None:
    out = subprocess.run([sys.executable, "-m", "align", "--version"], capture_output=True,
                         text=True, check=True)
    assert align.__version__ in out.stdout
