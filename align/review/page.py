"""The review page: one self-contained HTML file (CSS, JavaScript and data inline).

The page loads nothing from the network (its Content-Security-Policy forbids it) and shows
the input's text only through ``textContent``, so markup in a segment is shown, never run.
The data is one JSON object in a ``<script type="application/json">`` element, with ``<``,
``>`` and ``&`` written as ``\\u`` escapes so that no text can close the element. The same
input gives the same bytes (no dates, no random ids).
"""
from __future__ import annotations

import html
import json
from importlib import resources

from .source import ReviewSource


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def page_data(source: ReviewSource) -> dict:
    """What the page's script reads: sentences, beads as flat ranges, groups, the hash."""
    flat: list = []
    for b in source.beads:
        flat.extend((b.en_start, b.en_end, b.ru_start, b.ru_end,
                     None if b.score is None else round(b.score, 4), b.group))
    return {"input": source.name, "kind": source.kind, "sha256": source.sha256,
            "en": list(source.en), "ru": list(source.ru), "beads": flat,
            "groups": [{"doc": g.doc, "kind": g.kind} for g in source.groups]}


def script_json(data: object) -> str:
    """JSON that is safe inside a ``<script>`` element whatever the text holds."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def render_page(source: ReviewSource) -> str:
    """The whole HTML page for ``source``."""
    from .. import __version__

    head, rest = _asset("page.html").split("__CSS__", 1)
    middle, rest = rest.split("__DATA__", 1)
    before_js, tail = rest.split("__JS__", 1)
    # Only the head has fields, filled after the split so that no inserted text is searched.
    head = head.replace("__VERSION__", html.escape(__version__)).replace(
        "__TITLE__", html.escape(source.name))
    return "".join((head, _asset("review.css"), middle, script_json(page_data(source)),
                    before_js, _asset("review.js"), tail))
