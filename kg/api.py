"""The Python API: one object over a store, doing what the command line does.

The CLI calls these methods and holds no logic of its own.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from .rdf import DEFAULT_BASE_IRI
from .store import Store, default_store_path


class KnowledgeGraph:
    """A knowledge graph in an Oxigraph store.

    `path=None` keeps it in memory; the default is `KG_STORE` or `./kg-store`.

    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("Acme Robotics Inc. has partnered with Globex Corporation.")
    >>> graph = KnowledgeGraph(None)
    >>> report = graph.build([folder])
    >>> report.added
    1
    """

    def __init__(self, path: str | Path | None | type[...] = ..., *, read_only: bool = False,
                 base_iri: str = DEFAULT_BASE_IRI) -> None:
        self.store = Store(default_store_path() if path is ... else path, read_only=read_only)
        self.base_iri = base_iri

    def close(self) -> None:
        """Release the store (and its lock)."""
        self.store.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def build(self, paths: Iterable[str | Path], *, lexicon_files: Iterable[str | Path] = (),
              spacy_model: str | None = None, jobs: int = 1,
              progress: Callable[[Any], None] | None = None, **options: Any) -> Any:
        """Extract and load the articles under `paths`; returns a kg.build.BuildReport."""
        from .build import build

        return build(self.store, paths, lexicon_files=lexicon_files, spacy_model=spacy_model, jobs=jobs,
                     base_iri=self.base_iri, progress=progress, **options)

    def remove(self, article: str) -> list[str]:
        """Remove an article (path, file name or IRI) and the facts only it states."""
        from .build import remove

        return remove(self.store, article)

    def stats(self) -> dict[str, Any]:
        """Counts of articles, entities by type, relations by property, triples."""
        from .stats import stats

        return stats(self.store)

    def evaluate(self, gold_path: str | Path) -> Any:
        """Score the graph against a gold file; returns a kg.evaluate.EvalReport."""
        from .evaluate import evaluate

        return evaluate(self.store, gold_path)

    def validate(self) -> Any:
        """Check the graph against the SHACL shapes; returns a kg.validate.ValidationResult."""
        from .validate import validate_store

        return validate_store(self.store)

    def select(self, sparql: str, *, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a SELECT; rows map variable names to pyoxigraph terms."""
        return self.store.select(sparql, substitutions=params)

    # -- asking the graph (kg.queries, kg.lookup, kg.graph, kg.exporters) ---------------

    def query(self, query: str, *, params: Mapping[str, str] | None = None) -> Any:
        """Run SPARQL given as text, a .rq file path or a named query from queries/.

        `params` binds variables safely (never pasted into the query text).
        Returns a kg.queries.QueryResult, which serialises to table/csv/tsv/json/xml/turtle/...
        """
        from .queries import run_query

        return run_query(self.store, query, params=params or {})

    def lookup(self, name: str) -> Any:
        """The entity card for `name` (any alias, case-insensitive): a kg.lookup.EntityCard."""
        from .lookup import lookup

        return lookup(self.store, name)

    def neighbors(self, name: str, *, depth: int = 1) -> Any:
        """The entities within `depth` hops of `name`, with the relations joining them."""
        from .graph import neighbors

        return neighbors(self.store, name, depth=depth)

    def path(self, source: str, target: str) -> Any:
        """All shortest chains of relations between two entities."""
        from .graph import paths

        return paths(self.store, source, target)

    def central(self, *, top: int = 10) -> Any:
        """The most central entities by degree, PageRank and betweenness."""
        from .graph import central

        return central(self.store, top=top)

    def export(self, fmt: str, *, around: str | None = None, depth: int = 1, construct: str | None = None) -> bytes:
        """The graph (or the part around an entity, or a CONSTRUCT's result) in format `fmt`."""
        from .exporters import export

        return export(self.store, fmt, around=around, depth=depth, construct=construct)
