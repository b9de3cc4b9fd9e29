"""HTML: one self-contained page with an interactive picture of the graph.

Pan, zoom, click a node to see its relations (and follow them), nodes coloured by type with
a legend (click a type to hide it), a search box, a re-layout button. Works offline: the
page inlines Cytoscape.js (`assets/cytoscape.min.js`, see `assets/README.md`), the page
script (`assets/graph.html`) and the Cytoscape.js JSON of the picture; it loads nothing.
"""
from __future__ import annotations

import html
import json
import re
from functools import cache
from pathlib import Path

from ._base import Exporter, Selection, write_bytes
from .cytoscape import cytoscape_data

ASSETS = Path(__file__).resolve().parent / "assets"
CYTOSCAPE_JS = ASSETS / "cytoscape.min.js"
TEMPLATE = ASSETS / "graph.html"
_PLACEHOLDER = re.compile(r"\{\{(TITLE|DATA|CYTOSCAPE)\}\}")


@cache
def _asset(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def script_json(value: object) -> str:
    r"""JSON that is safe inside a <script> element (no `<`, `>` or `&` left as they are).

    >>> print(script_json({"label": "</script><b>&"}))
    {"label": "\u003c/script\u003e\u003cb\u003e\u0026"}
    """
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def generate_html(selection: Selection) -> bytes:
    """The selection's picture as a standalone HTML page."""
    document = cytoscape_data(selection)
    library = _asset(CYTOSCAPE_JS).replace("</script", "<\\/script")
    values = {
        "TITLE": html.escape(document["data"]["name"]),
        "DATA": script_json(document),
        "CYTOSCAPE": library,
    }
    page = _PLACEHOLDER.sub(lambda m: values[m.group(1)], _asset(TEMPLATE))
    return page.encode("utf-8")


def write_html(selection: Selection, path: str | Path) -> list[Path]:
    """Write the page to `path`."""
    return [write_bytes(Path(path), generate_html(selection))]


EXPORTERS = [
    Exporter("html", generate_html, ".html", "text/html",
             "a standalone interactive picture (Cytoscape.js inlined, works offline)", write_files=write_html),
]
