"""The on-disk Oxigraph store: open it, write article graphs in batches, remove them, query.

The default graph is kept equal to the set union of all article graphs, so that plain
queries see every article once, and `GRAPH ?g {...}` still tells which article said what.
Small writes are transactions. Large batches go through Oxigraph's bulk loader, several times
faster but not atomic, so each is noted in a journal first: a build killed half-way leaves
whole articles or nothing once the store is next opened for writing, and running it again
completes it.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import QuerySyntaxError, StoreError, StoreLockedError
from .ontology import NS, PREFIXES
from .spool import PREFIX as SPOOL_PREFIX, Spool

DEFAULT_STORE = "kg-store"
JOURNAL = "kg-pending-graphs.txt"
"""The journal of a bulk write in progress, inside the store directory: one graph IRI per line."""
BULK_MIN_QUADS = 10_000
"""Batches at least this large are bulk-loaded; smaller ones are written in one transaction."""

_SYNTAX_AT = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.S)


def default_store_path() -> Path:
    """`KG_STORE` from the environment, else `./kg-store`."""
    return Path(os.environ.get("KG_STORE") or DEFAULT_STORE)


def remote_url(location: object) -> str | None:
    """The SPARQL endpoint URL `location` names (http:// or https://), or None for a local path.

    A Path made from a URL has lost a slash ("http:/host/sparql"); the URL is restored.

    >>> remote_url("http://127.0.0.1:8890/sparql"), remote_url(Path("https://example.org/sparql"))
    ('http://127.0.0.1:8890/sparql', 'https://example.org/sparql')
    >>> remote_url("kg-store") is None and remote_url(None) is None
    True
    """
    if isinstance(location, str):
        return location if re.match(r"https?://", location, re.I) else None
    if isinstance(location, os.PathLike):
        m = re.match(r"(https?):/+(?=[^/])", os.fspath(location), re.I)
        return f"{m.group(1)}://{os.fspath(location)[m.end():]}" if m else None
    return None


def prefix_block() -> str:
    """`PREFIX` declarations for kg's namespaces, to put in front of a query."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


@dataclass(frozen=True)
class StoredArticle:
    """What the store knows of an ingested article."""

    iri: str
    path: str
    name: str
    sha256: str


class Store:
    """An Oxigraph store on disk (or in memory with `path=None`).

    >>> store = Store(None)
    >>> store.article_count(), store.is_empty()
    (0, True)

    A SPARQL endpoint URL (http:// or https://) gives a `kg.remote.RemoteStore` instead.
    """

    def __new__(cls, path: str | Path | None = None, *args: object, **kwargs: object) -> Store:
        if cls is Store and remote_url(path) is not None:
            from .remote import RemoteStore

            return super().__new__(RemoteStore)
        return super().__new__(cls)

    def __init__(self, path: str | Path | None, *, read_only: bool = False, create: bool = True) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self._store = self._open(create)
        self.recovered: list[str] = [] if read_only else self._recover()
        """Graphs of an interrupted bulk write that opening the store dropped (see `add_articles`)."""

    def _open(self, create: bool) -> ox.Store:
        if self.path is None:
            return ox.Store()
        where = str(self.path)
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"{where}: store path exists and is not a directory")
        if not self.path.exists() and (self.read_only or not create):
            raise StoreError(f"{where}: no store here; build one first with `kg build ARTICLES`")
        try:
            return ox.Store.read_only(where) if self.read_only else ox.Store(where)
        except OSError as e:
            message = str(e)
            if "lock" in message.lower():
                raise StoreLockedError(
                    f"{where}: store is in use by another process (a running `kg build` or `kg serve`?); "
                    "wait for it or stop it, or use another --store"
                ) from None
            if "permission" in message.lower():
                raise StoreError(f"{where}: cannot open store: permission denied") from None
            raise StoreError(f"{where}: cannot open store: {message.splitlines()[0]}") from None

    @property
    def raw(self) -> ox.Store:
        """The underlying pyoxigraph.Store."""
        return self._store

    def close(self) -> None:
        """Flush and release the store (and its lock)."""
        if self._store is not None and not self.read_only and self.path is not None:
            self._store.flush()
        self._store = None  # type: ignore[assignment]

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading -----------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, ox.NamedNode | ox.Literal | ox.BlankNode] | None = None,
        prefixes: bool = True,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run a SPARQL query against the union of all articles (the default graph).

        `substitutions` binds variables to terms without pasting text into the query: IRIs and
        literals by VALUES blocks of pyoxigraph-serialised terms (kg.sparql_values: pyoxigraph
        plans with those, not with substituted values), blank nodes by pyoxigraph substitution.
        kg's prefixes (kg:, rdfs:, skos:, prov:, ...) are predeclared when `prefixes` is true.
        """
        from .sparql_values import bind

        declared = PREFIXES if prefixes else None
        text, subs = bind(sparql, substitutions)
        try:
            return self._store.query(text, prefixes=declared, substitutions=subs)
        except SyntaxError as e:
            if text != sparql:  # report the error at its place in the query as given
                try:
                    ox.Store().query(sparql, prefixes=declared)
                except SyntaxError as original:
                    e = original
            raise _syntax_error(e) from None

    def select(self, sparql: str, **kwargs: object) -> list[dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]]:
        """A SELECT as a list of {variable: term} rows (unbound variables left out)."""
        solutions = self.query(sparql, **kwargs)  # type: ignore[arg-type]
        names = [v.value for v in solutions.variables]  # type: ignore[union-attr]
        return [{n: row[n] for n in names if row[n] is not None} for row in solutions]  # type: ignore[union-attr]

    def __len__(self) -> int:
        return len(self._store)

    def articles(self) -> dict[str, StoredArticle]:
        """Every ingested article, keyed by graph IRI."""
        rows = self.select(
            """SELECT ?g ?path ?name ?sha WHERE { GRAPH ?g {
                 ?g a kg:Article ; kg:sourcePath ?path ; kg:fileName ?name ; kg:sha256 ?sha } }"""
        )
        return {
            r["g"].value: StoredArticle(r["g"].value, r["path"].value, r["name"].value, r["sha"].value) for r in rows
        }

    def article_count(self) -> int:
        """How many articles the store holds (the kg:Article nodes of the default graph: one count
        over an index, not a walk over every named graph)."""
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?article a kg:Article }")
        return int(rows[0]["n"].value) if rows else 0

    def is_empty(self) -> bool:
        """Whether the store holds no articles (no named graph): stops at the first one."""
        return next(iter(self.raw.named_graphs()), None) is None

    # -- writing -----------------------------------------------------------------------

    def add_articles(self, graphs: Iterable[tuple[str, Iterable[ox.Triple]]], *, bulk: bool | None = None) -> int:
        """Write whole article graphs, and their triples to the default graph.

        Returns the number of quads written (named and default graph together). The batch is
        spooled and written by `write_spool`: the bulk loader from `BULK_MIN_QUADS` (or with
        `bulk=True`), one transaction below.
        """
        with self.spool() as spool:
            for iri, triples in graphs:  # quads are taken as their triples, as before
                spool.add(iri, [t if type(t) is ox.Triple else ox.Triple(t.subject, t.predicate, t.object)
                                for t in triples])
            return self.write_spool(spool, bulk=bulk)

    def spool(self) -> Spool:
        """An empty batch for `write_spool`, as a temporary file beside the store."""
        return Spool(self.path)

    def write_spool(self, spool: Spool, *, bulk: bool | None = None) -> int:
        """Write the articles of `spool` and delete its file; returns the quads written.

        A spool of `BULK_MIN_QUADS` or more (or any with `bulk=True`) goes through Oxigraph's
        bulk loader, which is not atomic: its graph IRIs are journalled first (durably), and the
        journal is removed once the store is flushed, so a write cut short is undone on the next
        writable open (see `_recover`). Smaller spools are loaded in one transaction.
        """
        quads = spool.quads
        pending: list[str] = []  # graphs journalled: the next writer undoes them if this fails
        try:
            if not spool.graphs:
                return 0
            path = str(spool.close())
            if not (quads >= BULK_MIN_QUADS if bulk is None else bulk):
                self._store.load(path=path, format=ox.RdfFormat.N_QUADS, lenient=True)
                return quads
            self._journal(spool.graphs)
            pending = spool.graphs
            # lenient: the text was serialised from valid terms (kg.spool)
            self._store.bulk_load(path=path, format=ox.RdfFormat.N_QUADS, lenient=True)
            self.flush()
            self._journal(None)
            return quads
        except OSError as e:
            if isinstance(e, StoreError):
                raise
            undo = (f"; the next command that writes to it undoes the {len(pending)} partly written articles"
                    if pending else "")
            raise StoreError(f"{self.path or 'the store'}: cannot write to the store: {_reason(e)}{undo}") from None
        finally:
            spool.discard()

    def _journal(self, graphs: list[str] | None) -> None:
        """Note the graphs of a bulk write about to start (durably), or clear the note (None)."""
        if self.path is None:
            return
        journal = self.path / JOURNAL
        if graphs is None:
            journal.unlink(missing_ok=True)
            return
        partial = journal.with_suffix(".part")  # renamed into place: the journal is whole or absent
        with partial.open("w", encoding="utf-8") as f:
            f.write("".join(f"{g}\n" for g in graphs))
            f.flush()
            os.fsync(f.fileno())
        partial.replace(journal)

    def _recover(self) -> list[str]:
        """Undo a bulk write that was cut short: drop its graphs, then every default-graph triple
        no article graph states. Returns the graphs dropped (empty when nothing was pending)."""
        journal = self.path / JOURNAL if self.path is not None else None
        if journal is None:
            return []
        journal.with_suffix(".part").unlink(missing_ok=True)  # a journal never completed: nothing was written
        for left in self.path.glob(SPOOL_PREFIX + "*"):  # batches of a killed build, never loaded
            left.unlink(missing_ok=True)
        if not journal.exists():
            return []
        graphs = [line for line in journal.read_text(encoding="utf-8").splitlines() if line]
        drops = " ;\n".join(f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in graphs)
        self._store.update(
            (drops + " ;\n" if drops else "")
            + "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }"
        )
        self._store.flush()
        journal.unlink()
        return graphs

    def load_articles(self, path: str | Path) -> int:
        """Add the article graphs of a TriG or N-Quads file (an export) the way a build writes them.

        Each named graph becomes an article graph and its triples join the default graph (the
        union). Returns the number of quads written.
        """
        graphs: dict[str, list[ox.Triple]] = {}
        for quad in ox.parse(path=str(path)):
            if isinstance(quad.graph_name, ox.NamedNode):
                graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
        return self.add_articles(graphs.items())

    def remove_article(self, graph_iri: str) -> None:
        """Drop an article graph, and the default-graph triples no other article states (atomic)."""
        g = f"<{graph_iri}>"
        self._store.update(
            f"""DELETE {{ ?s ?p ?o }} WHERE {{
                  GRAPH {g} {{ ?s ?p ?o }}
                  FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != {g}) }}
                }} ;
                DROP SILENT GRAPH {g}"""
        )

    def flush(self) -> None:
        """Make what was written durable on disk."""
        if self.path is not None:
            self._store.flush()

    def dump(self, *, fmt: ox.RdfFormat = ox.RdfFormat.N_QUADS, graph: str | None = None) -> bytes:
        """Serialise the store (every quad) or one graph (`graph="default"` or an IRI)."""
        if graph is None:
            return self._store.dump(format=fmt)
        from_graph = ox.DefaultGraph() if graph == "default" else ox.NamedNode(graph)
        return self._store.dump(format=fmt, from_graph=from_graph)

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """Quads of one named graph, or of the default graph with `graph=None`."""
        g = ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
        return iter(self._store.quads_for_pattern(None, None, None, g))


def _reason(e: OSError) -> str:
    """The first line of what the operating system or RocksDB said."""
    return e.strerror or (str(e).splitlines() or [type(e).__name__])[0]


def _syntax_error(e: SyntaxError) -> QuerySyntaxError:
    m = _SYNTAX_AT.search(str(e))
    if not m:
        return QuerySyntaxError(str(e).splitlines()[0])
    detail = m.group(3).strip().splitlines()[0]
    if len(detail) > 160:
        detail = detail[:157] + "..."
    return QuerySyntaxError(detail, int(m.group(1)), int(m.group(2)))


