"""The HTTP server: routes, the SPARQL endpoint, the Graph Store, the pages, CORS.

Built on the standard library's threading HTTP server (one thread per connection, HTTP/1.1
keep-alive); the threads only parse, check and route, and every request that touches the
store runs in a worker process (kg.server.workers), so a runaway query never holds a thread
the others need.

Routes:
  /sparql          SPARQL 1.1 Protocol (GET, POST); GET without a query: the service description
  /store           Graph Store Protocol: GET/HEAD ?graph=IRI, ?default, or no parameter (all graphs);
                   PUT/POST/DELETE ?graph=IRI with the update token
  /                the query page;  /entity/NAME  an entity card with its neighbourhood
  /api/queries     the example queries from queries/ (JSON)
  /api/run         POST {"query": ..., "params": {...}}: a query with named-query parameters
  /api/entity/NAME the entity card (JSON);  /api/status  the server's settings and workers
  /static/...      the pages' scripts and styles (no CDN: everything is served from here)
"""
from __future__ import annotations

import hashlib
import json
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from . import negotiation as neg
from .config import ServerConfig
from .guards import check_host_header, check_references, check_write_access
from .protocol import parse_media_type, parse_sparql_request
from .responses import TEXT, HTTPError, Response
from .sparql_text import DatasetConflict, add_using, quick_analyse
from .workers import WorkerPool

SERVER_NAME = "kg-serve"
_EXPOSED = "X-KG-Truncated, X-KG-Row-Limit, X-KG-Rows, X-KG-Elapsed, Retry-After"
_PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
             "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
_STATIC_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                 ".css": "text/css; charset=utf-8"}
_FAVICON = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
            b'<circle cx="8" cy="8" r="5" fill="#2b6cb0"/><circle cx="24" cy="10" r="5" fill="#2f855a"/>'
            b'<circle cx="14" cy="24" r="5" fill="#c05621"/>'
            b'<path d="M8 8L24 10L14 24Z" fill="none" stroke="#4a5568" stroke-width="2"/></svg>')
_RDF_UPLOADS = {"text/turtle": "turtle", "application/x-turtle": "turtle", "application/n-triples": "nt",
                "text/plain": "nt", "application/rdf+xml": "rdfxml", "application/ld+json": "jsonld"}


class KGServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    max_connections = 512

    def __init__(self, config: ServerConfig, pool: WorkerPool, *, access_log: bool = False) -> None:
        self.config = config
        self.pool = pool
        self.access_log = access_log
        self.static = _load_static()
        self.started = time.time()
        self._connections = threading.BoundedSemaphore(self.max_connections)
        if ":" in config.host:
            self.address_family = socket.AF_INET6
        super().__init__((config.host, config.port), Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._connections.acquire(blocking=False):
            try:
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n"
                                b"Retry-After: 1\r\n\r\n")
            finally:
                self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._connections.release()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = f"[{host}]" if ":" in str(host) else host
        return f"http://{shown}:{port}"


def _load_static() -> dict[str, tuple[bytes, str, str]]:
    files: dict[str, tuple[bytes, str, str]] = {}
    folder = resources.files("kg.server") / "static"
    for item in folder.iterdir():
        name = item.name
        suffix = name[name.rfind("."):] if "." in name else ""
        if suffix not in _STATIC_TYPES:
            continue
        data = item.read_bytes()
        files[name] = (data, _STATIC_TYPES[suffix], '"' + hashlib.sha256(data).hexdigest()[:16] + '"')
    return files


class Handler(BaseHTTPRequestHandler):
    server: KGServer
    protocol_version = "HTTP/1.1"
    server_version = SERVER_NAME
    sys_version = ""
    timeout = 120  # seconds an idle keep-alive connection is kept

    # -- plumbing ------------------------------------------------------------------------------

    def setup(self) -> None:
        super().setup()
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        if self.server.access_log:
            sys.stderr.write(f"kg serve: {self.address_string()} {format % args}\n")

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_HEAD(self) -> None:
        self._dispatch("HEAD")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def do_OPTIONS(self) -> None:
        self._dispatch("OPTIONS")

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() not in ("", "identity"):
            self.close_connection = True
            raise HTTPError(411, "send the request body with a Content-Length (chunked bodies are not accepted)")
        length_header = self.headers.get("Content-Length")
        if not length_header:
            return b""
        try:
            length = int(length_header)
            if length < 0:
                raise ValueError
        except ValueError:
            self.close_connection = True
            raise HTTPError(400, f"bad Content-Length {length_header!r}") from None
        if length > self.server.config.max_body:
            self.close_connection = True
            raise HTTPError(413, f"the request body is {length:,} bytes; this server accepts at most "
                                 f"{self.server.config.max_body:,} (kg serve --max-body)")
        return self.rfile.read(length) if length else b""

    def _dispatch(self, method: str) -> None:
        started = time.perf_counter()
        self.method = method
        body_read = False
        try:
            body = self._read_body()
            body_read = True
            check_host_header(self.headers.get("Host"), self.server.config.host)
            response = self._route(method, body)
        except HTTPError as e:
            response = e.response()
            if not body_read:
                self.close_connection = True
        except Exception as e:  # a bug: say so rather than drop the connection
            response = Response(500, f"internal server error: {type(e).__name__}: {e}\n".encode())
            sys.stderr.write(f"kg serve: internal error on {method} {self.path}: {e!r}\n")
        response.headers.setdefault("X-KG-Elapsed", f"{(time.perf_counter() - started) * 1000:.2f}ms")
        self._send(response, head=method == "HEAD")

    def _send(self, response: Response, *, head: bool = False) -> None:
        headers = {"Server": SERVER_NAME, "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}
        if response.content_type:
            headers["Content-Type"] = response.content_type
        headers.update(response.headers)
        headers.update(self._cors_headers())
        body = response.body
        if response.status not in (204, 304) and not (100 <= response.status < 200):
            headers["Content-Length"] = str(len(body))
        else:
            body = b""
        if self.close_connection or self.headers.get("Connection", "").lower() == "close":
            headers["Connection"] = "close"
            self.close_connection = True
        lines = [f"{self.request_version if self.request_version.startswith('HTTP/') else 'HTTP/1.1'} "
                 f"{response.status} {response.reason}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        data = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")
        if not head:
            data += body
        try:
            self.wfile.write(data)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        if self.server.access_log or response.status >= 500:
            sys.stderr.write(f"kg serve: {self.command} {self.path[:200]} -> {response.status}\n")

    def _cors_headers(self) -> dict[str, str]:
        origins = self.server.config.cors_origins
        origin = self.headers.get("Origin")
        if not origins or not origin:
            return {}
        if "*" in origins:
            allowed = "*"
        elif origin in origins:
            allowed = origin
        else:
            return {}
        headers = {"Access-Control-Allow-Origin": allowed, "Access-Control-Expose-Headers": _EXPOSED}
        if allowed != "*":
            headers["Vary"] = "Origin"
        if self.method == "OPTIONS":
            headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, PUT, DELETE, OPTIONS"
            headers["Access-Control-Allow-Headers"] = "Accept, Content-Type, Authorization"
            headers["Access-Control-Max-Age"] = "600"
        return headers

    # -- routing -------------------------------------------------------------------------------

    def _route(self, method: str, body: bytes) -> Response:
        parts = urlsplit(self.path)
        path = parts.path
        if method == "OPTIONS":
            return Response(204, content_type=None, headers={"Allow": "GET, HEAD, POST, PUT, DELETE, OPTIONS"})
        if path in ("/sparql", "/sparql/"):
            return self._sparql(method, parts.query, body)
        if path in ("/store", "/store/"):
            return self._graph_store(method, parts.query, body)
        routes: dict[str, Callable[[str, str, bytes], Response]] = {
            "/": self._index, "/index.html": self._index, "/api/queries": self._api_queries,
            "/api/status": self._api_status, "/api/run": self._api_run, "/favicon.ico": self._favicon,
        }
        if path in routes:
            return routes[path](method, parts.query, body)
        if path.startswith("/static/"):
            return self._static(method, path[len("/static/"):])
        if path.startswith("/entity/"):
            name = unquote(path[len("/entity/"):])
            if not name:
                wanted = (parse_qs(parts.query).get("name") or [""])[0].strip()
                if not wanted:
                    raise HTTPError(404, "name an entity: /entity/NAME")
                return Response(303, b"", None, {"Location": "/entity/" + quote(wanted, safe="")})
            return self._entity_page(method, name)
        if path.startswith("/api/entity/"):
            return self._api_entity(method, unquote(path[len("/api/entity/"):]))
        raise HTTPError(404, f"nothing at {path}; the SPARQL endpoint is /sparql, the query page /")

    def _only(self, method: str, *allowed: str) -> None:
        if method not in allowed:
            raise HTTPError(405, f"{method} is not allowed here", {"Allow": ", ".join(allowed)})

    def _base(self, path: str = "/sparql") -> str:
        host = self.headers.get("Host") or f"{self.server.config.host}:{self.server.server_address[1]}"
        if any(c in host for c in "/\\@?# <>\"") or not host.isprintable():
            host = f"{self.server.config.host}:{self.server.server_address[1]}"
        return f"http://{host}{path}"

    # -- SPARQL 1.1 Protocol -------------------------------------------------------------------

    def _sparql(self, method: str, query_string: str, body: bytes) -> Response:
        headers = {k.lower(): v for k, v in self.headers.items()}
        op = parse_sparql_request(method, query_string, headers, body)
        if op.kind == "description":
            if neg.prefers_html(self.headers.get("Accept")):
                return Response(303, b"", None, {"Location": "/"})
            return self._service_description()
        return self._run_operation(op.kind, op.text, op.default_graphs, op.named_graphs)

    def _run_operation(self, kind: str, text: str, default_graphs: list[str], named_graphs: list[str],
                       params: dict[str, str] | None = None, name: str | None = None) -> Response:
        from ..ontology import PREFIXES

        config = self.server.config
        base = self._base()
        if kind == "update":
            check_write_access(self.headers.get("Authorization"), config.update_token)
        analysis = quick_analyse(text, prefixes=PREFIXES, base=base)
        if kind == "query" and analysis.kind == "update":
            raise HTTPError(400, "this is a SPARQL update, sent as a query: POST it as update=... "
                                 "or with Content-Type application/sparql-update")
        if kind == "update" and analysis.kind == "query":
            raise HTTPError(400, "this is a SPARQL query, sent as an update: send it as query=...")
        must_exist = check_references(analysis, config.allow_hosts)
        job: dict[str, Any] = {"kind": kind, "base": base, "must_exist": must_exist,
                               "has_service": bool(analysis.services), "has_load": bool(analysis.loads)}
        if kind == "update":
            try:
                job["text"] = add_using(text, default_graphs, named_graphs)
            except DatasetConflict as e:
                raise HTTPError(400, str(e)) from None
        else:
            job.update(text=text, default_graphs=default_graphs, named_graphs=named_graphs,
                       accept=self.headers.get("Accept"), max_rows=config.max_rows,
                       # a SELECT whose own LIMIT is within the cap cannot be cut: pyoxigraph writes it
                       within_cap=analysis.form == "SELECT" and analysis.limit is not None
                       and analysis.limit <= config.max_rows)
            if params:
                job.update(params=params, name=name)
        return self._reply(self.server.pool.run(job))

    @staticmethod
    def _reply(reply: tuple[int, str | None, bytes, dict[str, str]]) -> Response:
        status, content_type, body, headers = reply
        return Response(status, body, content_type, dict(headers))

    def _service_description(self) -> Response:
        import pyoxigraph as ox

        from .. import __version__

        config = self.server.config
        endpoint = self._base()
        languages = "sd:SPARQL11Query" + (", sd:SPARQL11Update" if config.updates_enabled else "")
        features = " sd:feature sd:BasicFederatedQuery ;" if config.allow_hosts else ""
        turtle = f"""
@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix formats: <http://www.w3.org/ns/formats/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<{endpoint}#service> a sd:Service ;
  dcterms:title "kg {__version__} SPARQL endpoint" ;
  sd:endpoint <{endpoint}> ;
  sd:supportedLanguage {languages} ;{features}
  sd:resultFormat formats:SPARQL_Results_JSON, formats:SPARQL_Results_XML, formats:SPARQL_Results_CSV,
      formats:SPARQL_Results_TSV, formats:Turtle, formats:N-Triples, formats:RDF_XML, formats:JSON-LD ;
  sd:defaultDataset <{endpoint}#dataset> .
<{endpoint}#dataset> a sd:Dataset ;
  dcterms:description "One named graph per article; the default graph is the union of all article graphs." ;
  sd:defaultGraph <{endpoint}#default-graph> .
<{endpoint}#default-graph> a sd:Graph ;
  dcterms:description "The de-duplicated union of every article graph, maintained by kg build." .
"""
        fmt = neg.choose(self.headers.get("Accept"), neg.GRAPH)
        rdf_format = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML,
                      "jsonld": ox.RdfFormat.JSON_LD}[fmt.name]
        triples = list(ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE))
        prefixes = {"sd": "http://www.w3.org/ns/sparql-service-description#",
                    "formats": "http://www.w3.org/ns/formats/", "dcterms": "http://purl.org/dc/terms/"}
        body = ox.serialize(triples, format=rdf_format, prefixes=prefixes) if fmt.name == "turtle" \
            else ox.serialize(triples, format=rdf_format)
        return Response(200, body, fmt.content_type)

    # -- Graph Store Protocol ------------------------------------------------------------------

    def _graph_store(self, method: str, query_string: str, body: bytes) -> Response:
        params = parse_qs(query_string, keep_blank_values=True)
        graphs = params.get("graph", [])
        default = "default" in params
        if len(graphs) > 1 or (graphs and default):
            raise HTTPError(400, "name one graph: ?graph=IRI or ?default")
        graph = graphs[0] if graphs else None
        if graph is not None and not _absolute_iri(graph):
            raise HTTPError(400, f"graph={graph!r} is not an absolute IRI")
        config = self.server.config
        if method in ("GET", "HEAD"):
            target = graph if graph is not None else (None if default else "*")
            return self._reply(self.server.pool.run({"kind": "gsp_get", "graph": target,
                                                     "accept": self.headers.get("Accept"),
                                                     "max_rows": config.max_rows}))
        if method not in ("PUT", "POST", "DELETE"):
            raise HTTPError(405, f"{method} is not a Graph Store Protocol operation",
                            {"Allow": "GET, HEAD, PUT, POST, DELETE, OPTIONS"})
        check_write_access(self.headers.get("Authorization"), config.update_token)
        if default:
            raise HTTPError(405, "the default graph is the union of the article graphs, kept by kg; "
                                 "write to a named graph (?graph=IRI) instead", {"Allow": "GET, HEAD, OPTIONS"})
        if graph is None:
            raise HTTPError(400, "name the graph to write: ?graph=IRI")
        job: dict[str, Any] = {"kind": "gsp_write", "method": method, "graph": graph}
        if method in ("PUT", "POST"):
            media, mparams = parse_media_type(self.headers.get("Content-Type"))
            if media not in _RDF_UPLOADS:
                raise HTTPError(415, f"send the graph as one of {', '.join(sorted(_RDF_UPLOADS))} "
                                     f"(got {media or 'no Content-Type'})")
            charset = mparams.get("charset")
            if charset and charset.lower() not in ("utf-8", "utf8"):
                raise HTTPError(415, "the graph must be UTF-8")
            job.update(body=body, format=_RDF_UPLOADS[media])
        return self._reply(self.server.pool.run(job))

    # -- pages and the JSON API ----------------------------------------------------------------

    def _page(self, html: str, status: int = 200) -> Response:
        return Response(status, html.encode(), "text/html; charset=utf-8", {"Content-Security-Policy": _PAGE_CSP})

    def _index(self, method: str, query_string: str, body: bytes) -> Response:
        self._only(method, "GET", "HEAD")
        data, ctype, _ = self.server.static["index.html"]
        return Response(200, data, ctype, {"Content-Security-Policy": _PAGE_CSP})

    def _favicon(self, method: str, query_string: str, body: bytes) -> Response:
        return Response(200, _FAVICON, "image/svg+xml", {"Cache-Control": "max-age=86400"})

    def _static(self, method: str, name: str) -> Response:
        self._only(method, "GET", "HEAD")
        if name not in self.server.static:
            raise HTTPError(404, f"no static file {name!r}")
        data, ctype, etag = self.server.static[name]
        if self.headers.get("If-None-Match") == etag:
            return Response(304, b"", None, {"ETag": etag, "Cache-Control": "no-cache"})
        return Response(200, data, ctype, {"ETag": etag, "Cache-Control": "no-cache"})

    def _api_status(self, method: str, query_string: str, body: bytes) -> Response:
        self._only(method, "GET", "HEAD")
        config = self.server.config
        status = {"store": str(config.store), "endpoint": self._base(), "timeout": config.timeout,
                  "maxRows": config.max_rows, "maxBody": config.max_body, "updates": config.updates_enabled,
                  "allowHosts": list(config.allow_hosts), "cors": list(config.cors_origins),
                  "baseIri": config.base_iri, "uptime": round(time.time() - self.server.started, 1),
                  **self.server.pool.status()}
        return Response(200, json.dumps(status).encode(), "application/json")

    def _api_queries(self, method: str, query_string: str, body: bytes) -> Response:
        self._only(method, "GET", "HEAD")
        from ..errors import KGError

        try:
            from ..queries import list_queries

            queries = [{"name": q.name, "description": q.description, "text": q.text,
                        "params": [{"name": p.name, "kind": p.kind, "optional": p.optional, "meaning": p.meaning}
                                   for p in q.params],
                        "examples": list(q.examples)} for q in list_queries()]
            payload: dict[str, Any] = {"queries": queries}
        except (KGError, OSError, ImportError) as e:
            payload = {"queries": [], "error": str(e)}
        return Response(200, json.dumps(payload, ensure_ascii=False).encode(), "application/json")

    def _api_run(self, method: str, query_string: str, body: bytes) -> Response:
        """A query with named-query parameters, bound as RDF terms (never pasted into the text)."""
        self._only(method, "POST")
        media, _ = parse_media_type(self.headers.get("Content-Type"))
        if media != "application/json":
            raise HTTPError(415, 'POST /api/run takes application/json: {"query": "...", "params": {"name": "value"}}')
        try:
            request = json.loads(body.decode("utf-8"))
            text = request["query"]
            params = {str(k): str(v) for k, v in (request.get("params") or {}).items() if str(v).strip()}
            if not isinstance(text, str):
                raise TypeError
        except (ValueError, KeyError, TypeError, AttributeError):
            raise HTTPError(400, 'POST /api/run takes {"query": "...", "params": {"name": "value"}}') from None
        return self._run_operation("query", text, [], [], params=params or None, name=request.get("name"))

    def _entity_card(self, name: str) -> tuple[int, dict[str, Any]]:
        reply = self.server.pool.run({"kind": "entity", "name": name})
        status, ctype, body, _ = reply
        if ctype == "application/json":
            return status, json.loads(body)
        return status, {"error": body.decode("utf-8", "replace").strip()}

    def _api_entity(self, method: str, name: str) -> Response:
        self._only(method, "GET", "HEAD")
        status, data = self._entity_card(name)
        return Response(status, json.dumps(data, ensure_ascii=False).encode(), "application/json")

    def _entity_page(self, method: str, name: str) -> Response:
        self._only(method, "GET", "HEAD")
        from .pages import entity_page

        status, data = self._entity_card(name)
        return self._page(entity_page(name, status, data, self.server.config.base_iri), status)


def _absolute_iri(value: str) -> bool:
    import re

    return re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|^`\\]*$", value) is not None


def make_server(config: ServerConfig, *, access_log: bool = False) -> KGServer:
    """Start the workers and bind the socket (raises RuntimeError/OSError with a message)."""
    pool = WorkerPool(config)
    pool.start()
    try:
        return KGServer(config, pool, access_log=access_log)
    except BaseException:
        pool.close()
        raise


def serve(config: ServerConfig, *, access_log: bool = False, ready: Callable[[KGServer], None] | None = None) -> None:
    """Run the server until SIGINT or SIGTERM."""
    server = make_server(config, access_log=access_log)

    def stop(signum: int, frame: Any) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        if ready is not None:
            ready(server)
        server.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.server_close()
        server.pool.close()
