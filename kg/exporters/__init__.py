"""Exporters: the graph, the part around an entity, or a query's result, in the formats
other tools open (Turtle, JSON-LD, GraphML for yEd, GEXF for Gephi, Cytoscape.js JSON, DOT
for Graphviz, CSV for graph databases, and a standalone HTML picture).

`FORMATS` maps a format name to its `Exporter`. Each module in this package (one per family
of formats, named without a leading underscore) lists its exporters in `EXPORTERS`, and is
found and registered on import: adding a format is adding a file. Others may `register` too.

>>> list(FORMATS)
['turtle', 'nt', 'nquads', 'trig', 'jsonld', 'graphml', 'gexf', 'cytoscape', 'dot', 'csv', 'html']
>>> FORMATS["graphml"].suffix
'.graphml'
"""
from __future__ import annotations

import importlib
import pkgutil
from typing import TYPE_CHECKING

from ..errors import InputError
from ._base import Exporter, Selection, check_writable, write_bytes

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["FORMATS", "Exporter", "Selection", "check_writable", "export", "get", "names", "register", "select",
           "write_bytes"]

#: The order formats are listed in (the command line's order); others follow by name.
_ORDER = ["turtle", "nt", "nquads", "trig", "jsonld", "graphml", "gexf", "cytoscape", "dot", "csv", "html"]

FORMATS: dict[str, Exporter] = {}


def register(exporter: Exporter) -> None:
    """Add an exporter under its name (replacing one of the same name)."""
    FORMATS[exporter.name] = exporter


def names() -> list[str]:
    """The format names, in the order the command line lists them."""
    return list(FORMATS)


def get(fmt: str) -> Exporter:
    """The exporter for `fmt`, or InputError naming the formats there are."""
    try:
        return FORMATS[fmt]
    except KeyError:
        raise InputError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}") from None


def select(store: Store, *, around: str | None = None, depth: int = 1, construct: str | None = None) -> Selection:
    """What to export: the whole graph; the entities within `depth` hops of the entity named
    `around`, with the relations among them; or the result of the CONSTRUCT/DESCRIBE query
    `construct`. Raises InputError for an empty store, an unknown name or a query that is
    not a CONSTRUCT, and QuerySyntaxError for one that does not parse."""
    from ._select import select as run

    return run(store, around=around, depth=depth, construct=construct)


def export(store: Store, fmt: str, *, around: str | None = None, depth: int = 1,
           construct: str | None = None) -> bytes:
    """The graph (or the part `select` picks) in format `fmt`, as bytes.

    >>> from kg.store import Store
    >>> export(Store(None), "turtle")
    Traceback (most recent call last):
    ...
    kg.errors.InputError: the store is empty; build it first with `kg build ARTICLES`
    """
    exporter = get(fmt)
    return exporter.generate(select(store, around=around, depth=depth, construct=construct))


def _discover() -> None:
    found: dict[str, Exporter] = {}
    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("_"):
            continue
        for exporter in getattr(importlib.import_module(f"{__name__}.{module.name}"), "EXPORTERS", ()):
            found[exporter.name] = exporter
    rank = {name: i for i, name in enumerate(_ORDER)}
    for name in sorted(found, key=lambda n: (rank.get(n, len(rank)), n)):
        register(found[name])


_discover()
