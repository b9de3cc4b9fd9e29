"""A batch of article graphs on its way into the store, kept as N-Quads in a temporary file.

A build writes whole articles in batches. Held as pyoxigraph terms a batch costs about a
kilobyte of memory per quad while it is gathered; as N-Quads text in a file it costs none, and
Oxigraph's bulk loader reads the file directly (see kg.build.BATCH_QUADS for the size).

>>> import pyoxigraph as ox
>>> ex = ox.NamedNode("https://example.org/a")
>>> with Spool() as spool:
...     spool.add("https://example.org/article/1", [ox.Triple(ex, ex, ox.Literal("x"))])
...     spool.graphs, spool.quads, spool.close().read_bytes().count(b"\\n")
(['https://example.org/article/1'], 2, 2)
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox

from .errors import StoreError

PREFIX = "kg-spool-"
"""File names of spools start with this; a spool left by a killed build is removed on the next open."""


class Spool:
    """Article graphs serialised as N-Quads: each triple once in its article graph and once in
    the default graph (the union), whole articles only."""

    def __init__(self, directory: str | os.PathLike[str] | None = None) -> None:
        try:
            fd, name = tempfile.mkstemp(prefix=PREFIX, suffix=".nq", dir=directory)
        except OSError as e:
            raise StoreError(f"{directory or tempfile.gettempdir()}: cannot create a batch file: {e.strerror or e}") from None
        self.path = Path(name)
        self._file = os.fdopen(fd, "wb", buffering=1 << 20)
        self.graphs: list[str] = []
        self.quads = 0

    def add(self, graph: str, triples: Sequence[ox.Triple]) -> None:
        """Append one article: its triples in graph `graph` and in the default graph."""
        if self._file.closed:
            raise ValueError(f"{self.path}: spool already closed")
        text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        try:
            # N-Triples escapes line breaks inside literals, so " .\n" only ends a line
            self._file.write(text.replace(b" .\n", f" {ox.NamedNode(graph)} .\n".encode()))
            self._file.write(text)
        except OSError as e:
            raise StoreError(f"{self.path}: cannot write the batch file: {e.strerror or e}") from None
        self.graphs.append(graph)
        self.quads += 2 * len(triples)

    def articles(self) -> Iterator[tuple[str, list[ox.Triple]]]:
        """Read the articles back from the closed file: (graph IRI, triples), in the order added."""
        graph: str | None = None
        triples: list[ox.Triple] = []
        for quad in ox.parse(path=str(self.close()), format=ox.RdfFormat.N_QUADS, lenient=True):
            if not isinstance(quad.graph_name, ox.NamedNode):
                continue  # the default-graph copy
            if quad.graph_name.value != graph:
                if graph is not None:
                    yield graph, triples
                graph, triples = quad.graph_name.value, []
            triples.append(quad.triple)
        if graph is not None:
            yield graph, triples

    def close(self) -> Path:
        """Finish writing; returns the file, ready to load."""
        if not self._file.closed:
            self._file.close()
        return self.path

    def discard(self) -> None:
        """Close and delete the file."""
        self.close()
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()
