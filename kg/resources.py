"""Where the data that ships with kg lives: the ontology, the lexicon and the query library.

In a source checkout (and an editable install) they are the top-level `ontology/` and
`queries/` folders; a wheel carries copies under `kg/_data/`.
"""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for candidate in (_PACKAGE.parent / name, _PACKAGE / "_data" / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"kg data folder {name!r} not found beside the package")


def ontology_dir() -> Path:
    """The folder holding kg.ttl, shapes.ttl and lexicon/."""
    return _find("ontology")


def queries_dir() -> Path:
    """The folder holding the named SPARQL queries (*.rq)."""
    return _find("queries")
