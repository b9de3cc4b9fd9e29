"""What every exporter shares: the `Exporter` record and the `Selection` it serialises.

An exporter turns a Selection (the whole graph, the part around an entity, or a CONSTRUCT's
result) into bytes; `write` puts them in a file (or, for csv, two files).
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ..errors import InputError

if TYPE_CHECKING:
    import networkx as nx
    import pyoxigraph as ox

    from ..store import Store

Mode = Literal["whole", "around", "query"]


@dataclass
class Selection:
    """A part of the store to export.

    `triples` is what the RDF formats write (None: the whole default graph, read from the
    store as it is); `picture` is what the graph formats draw: entities, event nodes and
    the relations among them, without articles and evidence (for a query: its whole result).
    """

    store: Store
    mode: Mode
    picture: list[ox.Triple]
    triples: list[ox.Triple] | None = None
    focus: str | None = None
    title: str = "kg"

    @property
    def empty(self) -> bool:
        """True when there is nothing to export (a query with no result)."""
        return not self.picture and not self.triples and self.mode != "whole"

    def rdf_triples(self) -> Iterator[ox.Triple]:
        """The triples of the selection (for the whole graph: the default graph, the union)."""
        if self.triples is not None:
            return iter(self.triples)
        return (q.triple for q in self.store.quads(None))

    def rdf_quads(self) -> Iterator[ox.Quad]:
        """The selection with its article graphs: each triple in the default graph and in
        every article graph that states it (for the whole graph: every quad of the store)."""
        import pyoxigraph as ox

        if self.triples is None:
            yield from self.store.raw.quads_for_pattern(None, None, None, None)
            return
        raw = self.store.raw
        for t in self.triples:
            yield ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
            if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode):
                continue
            graphs = {q.graph_name for q in raw.quads_for_pattern(t.subject, t.predicate, t.object, None)}
            for g in sorted((g for g in graphs if isinstance(g, ox.NamedNode)), key=str):
                yield ox.Quad(t.subject, t.predicate, t.object, g)

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The picture as a networkx MultiDiGraph (see kg.exporters._graph.project)."""
        from ._graph import project

        return project(self.picture, store=self.store, focus=self.focus, title=self.title)


@dataclass(frozen=True)
class Exporter:
    """One export format: a name, what it makes, and how.

    `generate(selection) -> bytes` is the output (to stdout); `write(selection, path)`
    writes it to a file and returns the paths written (csv writes two).
    """

    name: str
    generate: Callable[[Selection], bytes]
    suffix: str
    media_type: str
    description: str
    write_files: Callable[[Selection, str | Path], list[Path]] | None = None

    def write(self, selection: Selection, path: str | Path) -> list[Path]:
        """Write the export to `path`; returns the files written."""
        if self.write_files is not None:
            return self.write_files(selection, path)  # type: ignore[arg-type]  # as given: "out/" means a folder
        data = self.generate(selection)
        return [write_bytes(Path(path), data)]


def check_writable(path: Path) -> None:
    """Raise InputError unless a file could be written at `path`."""
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise InputError(f"{path}: is a directory; give a file name with -o")
    if not parent.is_dir():
        raise InputError(f"{path}: cannot write: directory {parent} does not exist")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise InputError(f"{path}: cannot write: permission denied")


def write_bytes(path: Path, data: bytes) -> Path:
    """Write `data` to `path` whole or not at all (through a temporary file beside it)."""
    check_writable(path)
    tmp = path.with_name(f".{path.name}.kg-tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise InputError(f"{path}: cannot write: {e.strerror or e}") from None
    return path
