"""Safe by default: no outbound requests, time limits that hold, writes only with the token."""
from __future__ import annotations

import json
import os
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ENTITY = "https://w3id.org/kg/id/entity/"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o . ?p ?q ?r }"


class Listener:
    """A listening socket on a loopback port that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections: list[bytes] = []
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, socket.timeout):
                continue
            except OSError:
                return
            conn.settimeout(1)
            try:
                self.connections.append(conn.recv(4096))
            except OSError:
                self.connections.append(b"")
            conn.close()

    def close(self) -> None:
        self._stop = True
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def listener():
    ear = Listener()
    yield ear
    ear.close()


def ssrf_attempts(port: int) -> list[str]:
    target = f"http://127.0.0.1:{port}"
    return [
        f"SELECT * WHERE {{ SERVICE <{target}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{target}/sparql> {{ ?s ?p ?o }} }}",
        f"PREFIX ex: <{target}/> SELECT * WHERE {{ SERVICE ex:sparql {{ ?s ?p ?o }} }}",
        f"PREFIX ex: <{target}/> SELECT * WHERE {{ SERVICEex:sparql{{ ?s ?p ?o }} }}",
        f"BASE <{target}/> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ VALUES ?where {{ <{target}/sparql> }} SERVICE ?where {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{target}/sparql> AS ?where) SERVICE ?where {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <http://127.0.0.1\\u003a{port}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{target}/data.ttl> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{target}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o }} #\nSERVICE <{target}/sparql> {{ }}",  # a syntax error after the comment
    ]


def test_ssrf_attempts_never_reach_a_listening_port(server, http, listener: Listener) -> None:
    for text in ssrf_attempts(listener.port):
        for reply in (http.query(server.url, text),
                      http.request(server.url, "POST", body=text, headers={"Content-Type": "application/sparql-query"})):
            assert reply.status == 400, (text, reply.text)
    time.sleep(0.3)
    assert listener.connections == []


def test_load_and_using_never_reach_a_listening_port(token_server, http, helpers, listener: Listener) -> None:
    target = f"http://127.0.0.1:{listener.port}"
    auth = {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {helpers.TOKEN}"}
    for text in (f"LOAD <{target}/data.ttl>", f"LOAD SILENT <{target}/data.ttl> INTO GRAPH <https://example.org/g>",
                 f"PREFIX ex: <{target}/> LOADex:data.ttl",
                 f"INSERT {{ ?s ?p ?o }} USING <{target}/data.ttl> WHERE {{ ?s ?p ?o }}"):
        reply = http.request(token_server.url, "POST", body=text, headers=auth)
        assert reply.status == 400, (text, reply.text)
    time.sleep(0.3)
    assert listener.connections == []


def _pool_reply(store: Path, text: str, *, sandbox: bool) -> tuple[int, bytes]:
    from kg.server.config import ServerConfig
    from kg.server.workers import WorkerPool

    pool = WorkerPool(ServerConfig(store, workers=1, timeout=10, sandbox=sandbox))
    pool.start()
    try:
        assert pool.sandboxed is sandbox
        status, _, body, _ = pool.run({"kind": "query", "text": text, "base": "http://127.0.0.1/sparql",
                                       "has_service": True, "accept": "application/json"})
        return status, body
    finally:
        pool.close()


def test_workers_cannot_reach_the_network_even_past_the_guard(small_store: Path, listener: Listener) -> None:
    """Defence in depth: a SERVICE query handed straight to a worker (as if it had slipped past the
    guard) cannot open a socket; without the sandbox the same job does connect (the control)."""
    text = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}"
    status, body = _pool_reply(small_store, text, sandbox=True)
    assert status == 502 and b"ermission denied" in body
    time.sleep(0.3)
    assert listener.connections == []
    _pool_reply(small_store, text, sandbox=False)
    assert any(c.startswith(b"POST /sparql") for c in listener.connections)


class _FakeEndpoint(BaseHTTPRequestHandler):
    """A remote SPARQL endpoint that answers every query with one binding."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = json.dumps({"head": {"vars": ["remote"]},
                           "results": {"bindings": [{"remote": {"type": "literal", "value": "from afar"}}]}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST

    def log_message(self, *args: object) -> None:
        pass


def test_allow_listed_hosts_may_be_called(small_store: Path, start_server, http, listener: Listener) -> None:
    remote = ThreadingHTTPServer(("127.0.0.1", 0), _FakeEndpoint)
    threading.Thread(target=remote.serve_forever, daemon=True).start()
    try:
        port = remote.server_address[1]
        s = start_server(small_store, "--allow-host", f"127.0.0.1:{port}", "--workers", "1")
        reply = http.query(s.url, f"SELECT ?remote WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?x ?y ?remote }} }}")
        assert http.bindings(reply, "remote") == ["from afar"]
        # the same host on another port is not allow-listed
        reply = http.query(s.url, f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/> {{ ?s ?p ?o }} }}")
        assert reply.status == 400 and f"127.0.0.1:{port}" in reply.text
        assert listener.connections == []
    finally:
        remote.shutdown()
        remote.server_close()


# -- time limits ------------------------------------------------------------------------------------

def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/status") as f:
            return "zombie" not in f.read()
    except OSError:
        return False


def test_a_runaway_query_is_stopped_while_another_client_is_answered(small_store: Path, start_server, http,
                                                                     helpers) -> None:
    s = start_server(small_store, "--timeout", "2", "--workers", "2")
    before = {w["pid"] for w in http.request(s.url, "GET", "/api/status").json()["workers"]}
    outcome: dict[str, object] = {}

    def runaway() -> None:
        started = time.monotonic()
        outcome["reply"] = http.query(s.url, RUNAWAY)
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.5)
    busy = [w for w in http.request(s.url, "GET", "/api/status").json()["workers"] if w["busy"]]
    assert len(busy) == 1
    runaway_pid = busy[0]["pid"]
    started = time.monotonic()
    other = http.query(s.url, 'ASK { ?e rdfs:label "Stellantis" }')
    assert other.status == 200 and other.json()["boolean"] is True
    assert time.monotonic() - started < 1.0  # answered while the runaway still runs
    assert thread.is_alive()
    thread.join(15)
    reply = outcome["reply"]
    assert reply.status == 503 and "2 s time limit" in reply.text  # type: ignore[attr-defined]
    assert 1.9 < outcome["seconds"] < 5  # type: ignore[operator]
    # its process was killed (memory, handles, threads freed) and a fresh worker took its place
    assert not _alive(runaway_pid)

    def replaced() -> bool:
        workers = http.request(s.url, "GET", "/api/status").json()["workers"]
        pids = {w["pid"] for w in workers}
        return len(pids) == 2 and runaway_pid not in pids and len(pids - before) == 1

    assert helpers.wait_until(replaced)
    assert http.request(s.url, "GET", "/api/status").json()["timeouts"] == 1
    assert http.query(s.url, "ASK {}").status == 200


def test_requests_queue_for_a_worker_and_a_full_queue_is_told_to_retry(small_store: Path, start_server,
                                                                        http) -> None:
    s = start_server(small_store, "--timeout", "3", "--workers", "1", "--queue", "1")
    replies: dict[str, object] = {}
    first = threading.Thread(target=lambda: replies.setdefault("runaway", http.query(s.url, RUNAWAY)))
    first.start()
    time.sleep(0.5)
    queued = threading.Thread(target=lambda: replies.setdefault("queued", http.query(s.url, "ASK {}")))
    queued.start()
    time.sleep(0.5)
    full = http.query(s.url, "ASK {}")
    assert full.status == 503 and full.headers["retry-after"] == "1" and "busy" in full.text
    first.join(15)
    queued.join(15)
    assert replies["runaway"].status == 503  # type: ignore[attr-defined]
    assert replies["queued"].status == 200  # type: ignore[attr-defined]  # waited, then answered


# -- writes only with the token ---------------------------------------------------------------------

UPDATE = 'INSERT DATA { GRAPH <https://example.org/g> { <https://example.org/s> <https://example.org/p> "x" } }'


def test_updates_are_refused_by_a_read_only_server(server, http) -> None:
    for headers in ({}, {"Authorization": "Bearer anything"}):
        reply = http.request(server.url, "POST", body=UPDATE,
                             headers={"Content-Type": "application/sparql-update", **headers})
        assert reply.status == 403 and "read-only" in reply.text
    reply = http.request(server.url, "POST", body="update=" + UPDATE.replace(" ", "+"),
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status == 403


def test_updates_need_the_bearer_token(token_server, http, helpers) -> None:
    ask = 'ASK { GRAPH <https://example.org/g> { ?s ?p "x" } }'
    missing = http.request(token_server.url, "POST", body=UPDATE, headers={"Content-Type": "application/sparql-update"})
    assert missing.status == 401 and missing.headers["www-authenticate"].startswith("Bearer")
    wrong = http.request(token_server.url, "POST", body=UPDATE,
                         headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer nope"})
    assert wrong.status == 403
    basic = http.request(token_server.url, "POST", body=UPDATE,
                         headers={"Content-Type": "application/sparql-update", "Authorization": "Basic dXNlcjpwYXNz"})
    assert basic.status == 401
    assert http.query(token_server.url, ask).json()["boolean"] is False
    ok = http.request(token_server.url, "POST", body=UPDATE,
                      headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {helpers.TOKEN}"})
    assert ok.status == 204
    assert http.query(token_server.url, ask).json()["boolean"] is True


def test_the_token_can_be_given_as_an_option(small_copy: Path, start_server, http) -> None:
    s = start_server(small_copy, "--update-token", "opt-token", "--workers", "1")
    reply = http.request(s.url, "POST", body=UPDATE,
                         headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer opt-token"})
    assert reply.status == 204
    description = http.request(s.url, "GET", headers={"Accept": "application/n-triples"}).text
    assert "SPARQL11Update" in description


def test_graph_store_writes_need_the_token_and_keep_the_union(token_server, http, helpers) -> None:
    graph = "https://w3id.org/kg/id/article/00000000000000b1"
    turtle = f'<{ENTITY}Acme> <http://www.w3.org/2000/01/rdf-schema#label> "Acme" .'
    auth = {"Authorization": f"Bearer {helpers.TOKEN}"}
    refused = http.request(token_server.url, "PUT", "/store", params={"graph": graph}, body=turtle,
                           headers={"Content-Type": "text/turtle"})
    assert refused.status == 401
    created = http.request(token_server.url, "PUT", "/store", params={"graph": graph}, body=turtle,
                           headers={"Content-Type": "text/turtle", **auth})
    assert created.status == 201
    labels = http.query(token_server.url, f"SELECT ?l WHERE {{ <{ENTITY}Acme> rdfs:label ?l }}")
    assert http.bindings(labels, "l") == ["Acme"]  # in the default graph too: it stays the union
    replaced = http.request(token_server.url, "PUT", "/store", params={"graph": graph},
                            body=f'<{ENTITY}Acme> <http://www.w3.org/2000/01/rdf-schema#label> "Acme Inc" .',
                            headers={"Content-Type": "application/n-triples", **auth})
    assert replaced.status == 204
    labels = http.query(token_server.url, f"SELECT ?l WHERE {{ <{ENTITY}Acme> rdfs:label ?l }}")
    assert http.bindings(labels, "l") == ["Acme Inc"]
    default_write = http.request(token_server.url, "POST", "/store?default", body=turtle,
                                 headers={"Content-Type": "text/turtle", **auth})
    assert default_write.status == 405
    bad = http.request(token_server.url, "POST", "/store", params={"graph": graph}, body="not turtle {",
                       headers={"Content-Type": "text/turtle", **auth})
    assert bad.status == 400
    deleted = http.request(token_server.url, "DELETE", "/store", params={"graph": graph}, headers=auth)
    assert deleted.status == 204
    assert http.query(token_server.url, f"ASK {{ <{ENTITY}Acme> ?p ?o }}").json()["boolean"] is False
    assert http.request(token_server.url, "DELETE", "/store", params={"graph": graph}, headers=auth).status == 404
