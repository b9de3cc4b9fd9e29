"""The store on a SPARQL server: the same Store, over HTTP (SPARQL 1.1 Protocol and Update).

`kg.store.Store("http://host:8890/sparql")` returns a `RemoteStore`: every part of kg that
reads or writes a Store works unchanged against Virtuoso, GraphDB, QLever or Fuseki.

The graph on the server has the same shape as in the embedded store (docs/rdf-shape.md): one
named graph per article, and kg's de-duplicated union of the article graphs as the default graph.
Where that union lives depends on the engine:

- Virtuoso's default graph is the union of *every* graph on the server (system graphs too, with
  a triple once per graph holding it), so kg keeps its union in one designated named graph,
  `UNION_GRAPH` (`https://w3id.org/kg/id/graph/union`), written in the same update request as
  the article graph, and runs every query with `define input:default-graph-uri <that graph>`
  and keeps `GRAPH ?g {...}` off it and Virtuoso's own system graphs (a FILTER added to the
  query text), so `GRAPH ?g` sees the articles, as locally. People querying Virtuoso directly get kg's
  union with `FROM <https://w3id.org/kg/id/graph/union>`.
- Other engines (Fuseki and GraphDB with their default settings) have a default graph of their
  own, separate from the named graphs: kg writes its union there, and queries need no dataset.

kg's own scans of the named graphs (`quads_for_pattern`, `dump`, counting) only read graphs that
name themselves a `kg:Article`, so other data on a shared server never leaks into them.

Queries are checked by Oxigraph first (on an empty in-memory store), so syntax errors and
parameter mistakes read exactly as with the embedded store; parameters are bound by VALUES
blocks placed as the embedded store places them (kg.sparql_values); results are parsed with
`pyoxigraph.parse_query_results`, so callers get real QuerySolutions and QueryBoolean, and
CONSTRUCT/DESCRIBE results come back as pyoxigraph QueryTriples.

Credentials (HTTP Basic or Digest, whichever the server asks for) come from the arguments,
from a location carrying `user`/`password` attributes (the CLI's), from the URL's userinfo,
or from KG_STORE_USER / KG_STORE_PASSWORD; they are sent once the server asks (401). A bearer
token (`token=` or KG_STORE_TOKEN) goes with every request.
"""
from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import pyoxigraph as ox

from .errors import InputError, StoreError
from .ontology import NS, PREFIXES
from .rdf import DEFAULT_BASE_IRI
from .sparql_values import Scan, apply_edits, bind_values, matching, scan, value_edits
from .store import Store, StoredArticle, _syntax_error, remote_url
from .spool import Spool

#: The named graph holding kg's union of the article graphs (the embedded store's default graph).
UNION_GRAPH = DEFAULT_BASE_IRI + "graph/union"
#: Rows fetched per request when scanning quads (Virtuoso's default ResultSetMaxRows is 10,000).
PAGE_SIZE = 10_000
#: Quads sent per update request at most (whole articles; an article larger than this goes alone).
REQUEST_QUADS = 10_000
#: Virtuoso's own graphs (a fresh server has these), hidden from `GRAPH ?g` like the union graph.
VIRTUOSO_SYSTEM_GRAPHS = ("http://www.openlinksw.com/schemas/virtrdf#", "http://www.w3.org/ns/ldp#",
                          "http://localuriqaserver/sparql", "http://www.w3.org/2002/07/owl#")

_ARTICLE = f"<{NS}Article>"
_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_SELECT_JSON = "application/sparql-results+json"
_GRAPH_TYPES = "application/n-triples, text/plain;q=0.9, text/turtle;q=0.8, application/rdf+xml;q=0.5"
_EMPTY: ox.Store | None = None


def _empty() -> ox.Store:
    global _EMPTY
    if _EMPTY is None:
        _EMPTY = ox.Store()
    return _EMPTY


def split_credentials(url: str) -> tuple[str, str | None, str | None]:
    """The URL without userinfo, and the user and password it carried.

    >>> split_credentials("http://dba:s%40cret@127.0.0.1:8890/sparql-auth")
    ('http://127.0.0.1:8890/sparql-auth', 'dba', 's@cret')
    >>> split_credentials("https://example.org/sparql")
    ('https://example.org/sparql', None, None)
    """
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, None, None
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port is not None else "")
    user = unquote(parts.username) if parts.username is not None else None
    password = unquote(parts.password) if parts.password is not None else None
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment)), user, password


class RemoteStore(Store):
    """A kg store on a SPARQL 1.1 endpoint (query and update at the same URL).

    Made by `kg.store.Store(url, ...)`; `read_only=True` refuses writes, `create` has no
    effect (an endpoint always exists). Opening checks that the endpoint answers.
    `union_graph`: the named graph holding kg's union (True: `UNION_GRAPH` on Virtuoso, the
    server's own default graph elsewhere; None: the server's default graph; or an IRI).
    """

    def __init__(self, location: str | os.PathLike[str], *, read_only: bool = False, create: bool = True,
                 user: str | None = None, password: str | None = None, union_graph: str | None | bool = True,
                 page_size: int = PAGE_SIZE, request_quads: int = REQUEST_QUADS,
                 timeout: float | None = None, token: str | None = None) -> None:
        try:
            import requests
        except ImportError:
            raise StoreError("a SPARQL endpoint as the store needs the requests package: pip install 'kg[remote]'") from None

        url = remote_url(location)
        if url is None:
            raise StoreError(f"{location}: not an http:// or https:// URL")
        url, url_user, url_password = split_credentials(url)
        self.url = url
        self.path = None  # not a directory: messages say "the store", caches key on this object
        self.read_only = read_only
        self.page_size = page_size
        self.request_quads = request_quads
        env_timeout = os.environ.get("KG_STORE_TIMEOUT")
        self.timeout = timeout if timeout is not None else float(env_timeout) if env_timeout else 300.0
        self.user = user or getattr(location, "user", None) or url_user or os.environ.get("KG_STORE_USER") or None
        self._password = (password or getattr(location, "password", None) or url_password
                          or os.environ.get("KG_STORE_PASSWORD") or "")
        self._auth: Any = None
        self._session: requests.Session | None = requests.Session()
        token = token or getattr(location, "token", None) or os.environ.get("KG_STORE_TOKEN")
        if token:  # a bearer token (GraphDB, Stardog, kg serve --update-token): sent with every request
            self._session.headers["Authorization"] = f"Bearer {token}"
        self._graphs: list[str] | None = None
        self._last_cap: int | None = None
        self.dialect = "generic"
        self._raw = RemoteRaw(self)
        self._probe()
        if union_graph is True:
            union_graph = UNION_GRAPH if self.dialect == "virtuoso" else None
        self.union_graph: str | None = union_graph or None

    def __repr__(self) -> str:
        return f"RemoteStore({self.url!r})"

    @property
    def raw(self) -> RemoteRaw:  # type: ignore[override]
        """The pyoxigraph.Store methods kg's readers use, over HTTP."""
        return self._raw

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
        self._session = None

    # -- reading -----------------------------------------------------------------------

    def query(self, sparql: str, *, substitutions: Mapping[str, ox.NamedNode | ox.Literal | ox.BlankNode] | None = None,
              prefixes: bool = True) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run a SPARQL query against the union of all articles (see Store.query)."""
        return self._query(sparql, PREFIXES if prefixes else None, substitutions)

    def __len__(self) -> int:
        rows = self._query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ ?s ?p ?o }} UNION {{ {_in_article('?s ?p ?o')} }} }}")
        return sum(int(row["n"].value) for row in rows)  # type: ignore[union-attr,index]

    def article_count(self) -> int:
        return len(self._article_graphs())

    # -- writing -----------------------------------------------------------------------

    def add_articles(self, graphs: Iterable[tuple[str, Iterable[ox.Triple]]]) -> int:
        """Write whole article graphs, and their triples to the union graph.

        Each update request holds whole articles (an article's graph and its union copy go
        together), at most about `request_quads` quads. Returns the number of quads sent.
        """
        self._writable()
        union = f"GRAPH <{self.union_graph}> " if self.union_graph else ""
        written = 0
        parts: list[str] = []
        size = 0
        for graph_iri, triples in graphs:
            lines = [f"{t.subject} {t.predicate} {t.object} ." for t in triples]
            if not lines:
                continue
            body = "\n".join(lines)
            copy = f"{union}{{\n{body}\n}}" if union else body  # the union graph, or the default graph
            parts.append(f"GRAPH {ox.NamedNode(graph_iri)} {{\n{body}\n}}\n{copy}")
            size += 2 * len(lines)
            written += 2 * len(lines)
            if size >= self.request_quads:
                self._update("INSERT DATA {\n" + "\n".join(parts) + "\n}")
                parts, size = [], 0
        if parts:
            self._update("INSERT DATA {\n" + "\n".join(parts) + "\n}")
        self._changed()
        return written

    def write_spool(self, spool: Spool, *, bulk: bool | None = None) -> int:
        """Send the articles of `spool` as `add_articles` does, read from its file as they go, and
        delete the file. `bulk` has no effect: every request is its own transaction on the server."""
        try:
            return self.add_articles(spool.articles()) if spool.graphs else 0
        finally:
            spool.discard()

    def remove_article(self, graph_iri: str) -> None:
        """Drop an article graph, and the union-graph triples no other article states (one request)."""
        self._writable()
        g = ox.NamedNode(graph_iri)
        union = f"GRAPH <{self.union_graph}> {{ ?s ?p ?o }}" if self.union_graph else "?s ?p ?o"
        self._update(
            f"""DELETE {{ {union} }} WHERE {{
                  GRAPH {g} {{ ?s ?p ?o }}
                  FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o . ?other {_RDF_TYPE} {_ARTICLE} }} FILTER(?other != {g}) }}
                }} ;
                CLEAR SILENT GRAPH {g}"""
        )
        self._changed()

    def flush(self) -> None:
        """Nothing to do: the server made each update durable when it answered."""

    def dump(self, *, fmt: ox.RdfFormat = ox.RdfFormat.N_QUADS, graph: str | None = None) -> bytes:
        if graph is None:
            return self._raw.dump(format=fmt) or b""
        from_graph = ox.DefaultGraph() if graph == "default" else ox.NamedNode(graph)
        return self._raw.dump(format=fmt, from_graph=from_graph) or b""

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        g = ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
        return iter(self._raw.quads_for_pattern(None, None, None, g))

    # -- the dataset ---------------------------------------------------------------------

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.url}: store opened read-only")

    def _changed(self) -> None:
        self._graphs = None

    def _article_graphs(self) -> list[str]:
        """Every article graph on the server (a graph naming itself a kg:Article)."""
        if self._graphs is None:
            rows = self._rows(f"GRAPH ?g {{ ?g {_RDF_TYPE} {_ARTICLE} }}", ["?g"])
            self._graphs = sorted({row["g"].value for row in rows if isinstance(row["g"], ox.NamedNode)})
        return self._graphs

    def articles(self) -> dict[str, StoredArticle]:
        """Every ingested article, keyed by graph IRI (read a page at a time)."""
        rows = self._rows(f"GRAPH ?g {{ ?g {_RDF_TYPE} {_ARTICLE} ; <{NS}sourcePath> ?path ; "
                          f"<{NS}fileName> ?name ; <{NS}sha256> ?sha }}", ["?g", "?path", "?name", "?sha"])
        return {r["g"].value: StoredArticle(r["g"].value, r["path"].value, r["name"].value, r["sha"].value)
                for r in rows}

    def _rows(self, where: str, variables: list[str]) -> Iterator[ox.QuerySolution]:
        """The solutions of `SELECT variables WHERE { where }`, a page at a time (in a stable
        order), so that the server's cap on result rows (Virtuoso's ResultSetMaxRows) cuts
        nothing; a page the server cuts shorter makes the pages that size."""
        names = " ".join(variables)
        offset = 0
        while True:
            size = self.page_size
            if self.dialect == "virtuoso":  # sorting past its top-N limit needs the subquery form
                text = (f"SELECT {names} WHERE {{ {{ SELECT {names} WHERE {{ {where} }} ORDER BY {names} }} }} "
                        f"LIMIT {size} OFFSET {offset}")
            else:
                text = f"SELECT {names} WHERE {{ {where} }} ORDER BY {names} LIMIT {size} OFFSET {offset}"
            rows = list(self._query(text, capped_ok=True))  # type: ignore[call-overload]
            yield from rows
            cap = self._last_cap
            if cap is not None and cap < size and len(rows) >= cap:
                self.page_size = size = cap  # the server's limit is below ours: go on in its steps
            elif len(rows) < size:
                return
            offset += len(rows)

    def _hidden_graphs(self) -> tuple[str, ...]:
        """Graphs on a Virtuoso server that are not kg's named graphs: the union graph, its own."""
        assert self.union_graph is not None
        service = f"{self.url.split('/sparql')[0]}/sparql"
        return tuple(dict.fromkeys((self.union_graph, *VIRTUOSO_SYSTEM_GRAPHS, self.url, service)))

    # -- queries ---------------------------------------------------------------------------

    def _query(self, sparql: str, prefixes: Mapping[str, str] | None = None,
               substitutions: Mapping[Any, Any] | None = None, *,
               capped_ok: bool = False) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Check the query with Oxigraph, then send it with kg's dataset: the union as the
        default graph, and (on Virtuoso) `GRAPH ?g` kept off the union and system graphs."""
        subs = {(k.value if isinstance(k, ox.Variable) else str(k).lstrip("?$")): v
                for k, v in (substitutions or {}).items()}
        kind, variables = _check(sparql, prefixes, subs)
        scanned = scan(sparql, subs)
        named_dataset = self.union_graph is not None and not scanned.has_from  # else the query names its own
        hidden = self._hidden_graphs() if named_dataset else ()
        text = _rewrite(sparql, scanned, subs, hidden, variables)
        if prefixes:
            text = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in prefixes.items()) + text
        if named_dataset:
            text = f"define input:default-graph-uri <{self.union_graph}>\n" + text
        return self._send_query(text, kind, {}, capped_ok=capped_ok)

    def _send_query(self, text: str, kind: str, params: dict[str, Any], *, capped_ok: bool = False) -> Any:
        accept = _GRAPH_TYPES if kind == "graph" else _SELECT_JSON
        response = self._post({"query": text, **params}, accept, "query")
        self._last_cap = _cap(response.headers)
        if self._last_cap is not None and not capped_ok:
            raise StoreError(f"{self.url}: the endpoint sent only the first {self._last_cap:,} rows of the result "
                             "(its cap on result rows); raise it (Virtuoso: ResultSetMaxRows in the [SPARQL] "
                             "section of virtuoso.ini) or ask for fewer rows")
        data = response.content
        if kind == "graph":
            triples = _parse_triples(data, response.headers.get("Content-Type", ""), self.url)
            holder = ox.Store()
            holder.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
            return holder.query("CONSTRUCT WHERE { ?s ?p ?o }")
        try:
            result = ox.parse_query_results(_fix_blank_nodes(data), format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as e:
            raise StoreError(f"{self.url}: unreadable query results from the endpoint: {str(e).splitlines()[0]}") from None
        if kind == "ask" and isinstance(result, ox.QuerySolutions):
            # Virtuoso answers ASK with a table: one row (holding 1) for true, none for false
            row = next(iter(result), None)
            value = row[0] if row is not None else None
            answer = value is not None and value.value not in ("0", "false")
            result = ox.parse_query_results(b'{"head":{},"boolean":%s}' % (b"true" if answer else b"false"),
                                            format=ox.QueryResultsFormat.JSON)
        return result

    def _update(self, text: str) -> None:
        self._post({"update": text}, "*/*", "update")

    # -- HTTP --------------------------------------------------------------------------------

    def _probe(self) -> None:
        response = self._post({"query": "ASK {}"}, _SELECT_JSON, "query")
        if "virtuoso" in response.headers.get("Server", "").lower():
            self.dialect = "virtuoso"
        try:
            ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError):
            kind = response.headers.get("Content-Type", "no content type").split(";")[0]
            raise StoreError(f"{self.url}: not a SPARQL endpoint (it answered a query with {kind})") from None

    def _post(self, data: dict[str, Any], accept: str, what: str) -> Any:
        import requests
        from requests.auth import HTTPBasicAuth, HTTPDigestAuth

        if self._session is None:
            raise StoreError(f"{self.url}: store is closed")
        for attempt in range(2):
            try:
                response = self._session.post(self.url, data=data, headers={"Accept": accept}, auth=self._auth,
                                              timeout=(min(self.timeout, 15.0), self.timeout))
            except requests.exceptions.Timeout:
                raise StoreError(f"{self.url}: the SPARQL endpoint did not answer within {self.timeout:g} s") from None
            except requests.exceptions.RequestException as e:
                raise StoreError(f"{self.url}: cannot reach the SPARQL endpoint ({_reason(e)})") from None
            if response.status_code == 401 and attempt == 0 and self._auth is None and self.user:
                challenge = response.headers.get("WWW-Authenticate", "")
                digest = challenge.lower().lstrip().startswith("digest")
                self._auth = (HTTPDigestAuth if digest else HTTPBasicAuth)(self.user, self._password)
                continue
            break
        status = response.status_code
        if status in (401, 403) or (status >= 400 and _refused(response.text)):
            if "Authorization" in self._session.headers and not self.user:
                raise StoreError(f"{self.url}: the endpoint refused the {what} with the bearer token (HTTP {status}): "
                                 f"{_first_line(response.text)}")
            if not self.user:
                raise StoreError(f"{self.url}: the endpoint needs credentials for this {what} (HTTP {status}); "
                                 "give --store-user and --store-password, or set KG_STORE_USER and KG_STORE_PASSWORD"
                                 + (" (Virtuoso: updates go to /sparql-auth)" if what == "update" else ""))
            raise StoreError(f"{self.url}: the endpoint refused the {what} for user {self.user!r} (HTTP {status}): "
                             "wrong user or password, or no right to do this")
        if status == 404:
            raise StoreError(f"{self.url}: no SPARQL endpoint at this URL (HTTP 404)")
        if status >= 400:
            raise StoreError(f"{self.url}: the endpoint rejected the {what} (HTTP {status}): {_first_line(response.text)}")
        if response.headers.get("X-SQL-State"):  # Virtuoso's "anytime" partial result
            raise StoreError(f"{self.url}: the endpoint stopped the {what} at its time limit and sent a partial "
                             f"result ({response.headers.get('X-SQL-Message', 'timeout')}); raise its limit "
                             "(Virtuoso: MaxQueryExecutionTime)")
        return response


class RemoteRaw:
    """What kg's readers call on `store.raw` (a pyoxigraph.Store), answered by the endpoint."""

    def __init__(self, store: RemoteStore) -> None:
        self._store = store

    def query(self, query: str, *, prefixes: Mapping[str, str] | None = None,
              substitutions: Mapping[Any, Any] | None = None, **_: Any) -> Any:
        """pyoxigraph.Store.query: SPARQL over kg's dataset (the union graph as default graph)."""
        return self._store._query(query, prefixes, substitutions)

    def quads_for_pattern(self, subject: Any = None, predicate: Any = None, object: Any = None,  # noqa: A002
                          graph_name: Any = None) -> Iterator[ox.Quad]:
        """The quads matching the pattern (None matches anything; DefaultGraph() is the union),
        fetched a page at a time as the iterator is consumed."""
        names = ("s", "p", "o")
        terms = [subject, predicate, object]
        for term in terms:
            if isinstance(term, ox.Triple):
                raise InputError("quoted triples are not supported by the remote store")
        pattern = " ".join(str(t) if t is not None else f"?{n}" for t, n in zip(terms, names))
        variables = [f"?{n}" for t, n in zip(terms, names) if t is None]
        if graph_name is None:
            where = f"{{ {pattern} }} UNION {{ {_in_article(pattern)} }}"
            variables.insert(0, "?g")
        elif isinstance(graph_name, ox.DefaultGraph):
            where = pattern
        else:
            where = f"GRAPH {graph_name} {{ {pattern} }}"
        return self._scan(where, variables, terms, graph_name)

    def _scan(self, where: str, variables: list[str], terms: list[Any], graph_name: Any) -> Iterator[ox.Quad]:
        store = self._store
        if not variables:
            if store._query(f"ASK {{ {where} }}"):
                yield ox.Quad(terms[0], terms[1], terms[2], graph_name)
            return
        for row in store._rows(where, variables):
            s = terms[0] if terms[0] is not None else row["s"]
            p = terms[1] if terms[1] is not None else row["p"]
            o = terms[2] if terms[2] is not None else row["o"]
            g = graph_name if graph_name is not None else (row["g"] if row["g"] is not None else ox.DefaultGraph())
            yield ox.Quad(s, p, o, g)

    def __iter__(self) -> Iterator[ox.Quad]:
        return self.quads_for_pattern(None, None, None, None)

    def __len__(self) -> int:
        return len(self._store)

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        """The article graphs."""
        return iter([ox.NamedNode(g) for g in self._store._article_graphs()])

    def contains_named_graph(self, graph_name: Any) -> bool:
        return getattr(graph_name, "value", None) in set(self._store._article_graphs())

    def dump(self, output: Any = None, format: ox.RdfFormat | None = None, *,  # noqa: A002
             from_graph: Any = None, prefixes: Mapping[str, str] | None = None, base_iri: str | None = None) -> bytes | None:
        """pyoxigraph.Store.dump: every quad (a dataset format), or the triples of one graph."""
        if format is None:
            if output is None or not isinstance(output, (str, os.PathLike)):
                raise ValueError("give the format of the serialization")
            format = ox.RdfFormat.from_extension(os.fspath(output).rsplit(".", 1)[-1])  # noqa: A001
            if format is None:
                raise ValueError(f"cannot guess the RDF format of {output}")
        if from_graph is None:
            if not format.supports_datasets:
                raise ValueError(f"the {format.name} format does not support named graphs; give from_graph")
            data: Iterable[Any] = self.quads_for_pattern(None, None, None, None)
        elif format.supports_datasets:
            data = (ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
                    for q in self.quads_for_pattern(None, None, None, from_graph))
        else:
            data = (q.triple for q in self.quads_for_pattern(None, None, None, from_graph))
        return ox.serialize(data, output, format, prefixes=dict(prefixes) if prefixes else None, base_iri=base_iri)

    def flush(self) -> None:
        """Nothing to do on a server."""

    def optimize(self) -> None:
        """Nothing to do on a server."""

    def update(self, *_: Any, **__: Any) -> None:
        raise StoreError(f"{self._store.url}: SPARQL updates through kg are not supported on a remote store; "
                         "send them to the server itself")


def _in_article(pattern: str) -> str:
    """`pattern` in any article graph ?g (a graph that names itself a kg:Article)."""
    return f"GRAPH ?g {{ ?g {_RDF_TYPE} {_ARTICLE} . {pattern} }}"


# -- query text -------------------------------------------------------------------------------

def _rewrite(text: str, scanned: Scan, subs: Mapping[str, Any], hidden: tuple[str, ...] = (),
             variables: list[str] | None = None) -> str:
    """The query as sent: the substituted variables bound by VALUES blocks (kg.sparql_values,
    as the embedded store binds them; `scanned` must come from `scan(text, subs)`); with
    `hidden` graphs (Virtuoso), `GRAPH ?g {...}` followed by `FILTER(?g NOT IN (hidden))`, and
    `GRAPH <g> {...}` turned into `GRAPH ?kg_gN {...} FILTER(?kg_gN = <g>)` (Virtuoso finds
    nothing in a named graph given as a constant once the default graph is set), with
    `SELECT *` spelled out as `variables`.

    >>> q = "SELECT ?e WHERE { GRAPH ?g { ?e ?p ?o FILTER(?o != ?e) } }"
    >>> _rewrite(q, scan(q, ["e"]), {"e": ox.NamedNode("http://example.org/a")}, ("http://example.org/u",))
    'SELECT ?e WHERE { VALUES (?e) { (<http://example.org/a>) } GRAPH ?g { VALUES (?e) { (<http://example.org/a>) } ?e ?p ?o FILTER(?o != ?e) } FILTER(?g NOT IN (<http://example.org/u>)) }'
    >>> q = "SELECT * { GRAPH <http://example.org/a> { ?s ?p ?o } }"
    >>> _rewrite(q, scan(q), {}, ("http://example.org/u",), ["s", "p", "o"])
    'SELECT ?s ?p ?o { GRAPH ?kg_g0 { ?s ?p ?o } FILTER(?kg_g0 = <http://example.org/a>) }'
    """
    for name, term in subs.items():
        if not isinstance(term, (ox.NamedNode, ox.Literal)):
            raise InputError(f"parameter {name!r}: a {type(term).__name__} cannot be sent to a remote store")
    if subs and (scanned.pattern_open is None or scanned.short_construct):
        return bind_values(text, subs, scanned)  # no GRAPH pattern to keep off hidden graphs there
    edits = value_edits(scanned, subs)
    if hidden:
        listed = ", ".join(f"<{g}>" for g in hidden)
        constants = 0
        for start, end, name, brace in scanned.graphs:
            close = matching(text, brace) + 1
            if name[0] in "?$":
                edits.append((close, close, f" FILTER(?{name[1:]} NOT IN ({listed}))"))
                continue
            var = f"?kg_g{constants}"
            constants += 1
            edits.append((start, end, var))
            edits.append((close, close, f" FILTER({var} = {name})"))
        if constants and scanned.star_at is not None and variables is not None:
            edits.append((scanned.star_at, scanned.star_at + 1, " ".join(f"?{v}" for v in variables) or "*"))
    return apply_edits(text, edits)


def _check(sparql: str, prefixes: Mapping[str, str] | None, subs: Mapping[str, Any]) -> tuple[str, list[str]]:
    """Let Oxigraph parse the query (on an empty store), as the embedded store would: the same
    syntax errors, at the same places. Returns the kind (select, ask or graph) and, for a
    SELECT, its variables once `subs` are bound."""
    declared = dict(prefixes) if prefixes else None
    try:
        result = _empty().query(sparql, prefixes=declared)
    except SyntaxError as e:
        raise _syntax_error(e) from None
    if isinstance(result, ox.QueryBoolean):
        return "ask", []
    if isinstance(result, ox.QueryTriples):
        return "graph", []
    if subs and all(isinstance(t, (ox.NamedNode, ox.Literal)) for t in subs.values()):
        result = _empty().query(bind_values(sparql, subs), prefixes=declared)
    return "select", [v.value for v in result.variables]  # type: ignore[union-attr]


# -- results --------------------------------------------------------------------------------

def _fix_blank_nodes(data: bytes) -> bytes:
    """Virtuoso names blank nodes `nodeID://b1001`, which is not a blank node label."""
    if b'"bnode"' not in data:
        return data
    results = json.loads(data)
    for row in results.get("results", {}).get("bindings", []):
        for term in row.values():
            if term.get("type") == "bnode":
                term["value"] = re.sub(r"[^A-Za-z0-9_]", "_", term["value"])
    return json.dumps(results).encode()


def _parse_triples(data: bytes, content_type: str, url: str) -> list[ox.Triple]:
    media = content_type.split(";")[0].strip().lower()
    fmt = ox.RdfFormat.N_TRIPLES if media in ("text/plain", "") else ox.RdfFormat.from_media_type(media)
    if fmt is None:
        raise StoreError(f"{url}: the endpoint answered a CONSTRUCT with {media}, which kg cannot read")
    try:
        return [q.triple for q in ox.parse(io.BytesIO(data), fmt)]
    except (SyntaxError, ValueError) as e:
        raise StoreError(f"{url}: unreadable CONSTRUCT result from the endpoint: {str(e).splitlines()[0]}") from None


def _cap(headers: Mapping[str, str]) -> int | None:
    """The server's cap on result rows, when the result reached it: Virtuoso's X-SPARQL-MaxRows
    (ResultSetMaxRows), kg serve's X-KG-Truncated and X-KG-Row-Limit (--max-rows)."""
    for name in ("X-SPARQL-MaxRows", "X-KG-Row-Limit"):
        value = (headers.get(name) or "").strip()
        if value.isdigit() and (name != "X-KG-Row-Limit" or headers.get("X-KG-Truncated") == "true"):
            return int(value)
    return None


def _first_line(text: str) -> str:
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "no message")
    line = re.sub(r"<[^>]+>", "", line).strip() or "no message"
    return line if len(line) <= 200 else line[:197] + "..."


def _refused(text: str) -> bool:
    """Virtuoso answers an update without the right to it with HTTP 500 and SR186."""
    low = text.lower()
    return "sr186" in low or "no permission" in low or "permission denied" in low


def _reason(e: Exception) -> str:
    text = str(e)
    for known in ("Connection refused", "Name or service not known", "No route to host", "timed out",
                  "Temporary failure in name resolution", "certificate verify failed", "Connection reset"):
        if known.lower() in text.lower():
            return known.lower()
    return _first_line(text)
