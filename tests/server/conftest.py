"""Fixtures for the server tests: stores loaded from hand-written TriG, and real `kg serve` processes.

A server is started the way users start it (`python -m kg --store S serve --port 0 ...`), on a free
loopback port it prints on stderr, and stopped with SIGTERM.
"""
from __future__ import annotations

import http.client as httpclient
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest

DATA = Path(__file__).resolve().parent.parent / "data" / "server"
SMALL_TRIG = DATA / "small.trig"
W3C_DATA = DATA / "w3c-protocol"
TOKEN = "test-token-6f1d"
ENTITY = "https://w3id.org/kg/id/entity/"
ARTICLE = "https://w3id.org/kg/id/article/"


# -- raw HTTP: exactly the bytes and headers given, nothing added but Host ------------------------

@dataclass
class Reply:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


def _request(url: str, method: str = "GET", path: str = "/sparql", *, body: bytes | str | None = None,
            headers: dict[str, str] | None = None, params: dict[str, Any] | list[tuple[str, str]] | None = None,
            timeout: float = 60.0) -> Reply:
    parts = urlsplit(url)
    conn = httpclient.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    if params:
        path = path + ("&" if "?" in path else "?") + urlencode(params, doseq=True)
    if isinstance(body, str):
        body = body.encode("utf-8")
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        return Reply(resp.status, {k.lower(): v for k, v in resp.getheaders()}, data)
    finally:
        conn.close()


def _query(url: str, text: str, accept: str = "application/sparql-results+json", **kw: Any) -> Reply:
    """A query by GET."""
    return _request(url, "GET", params={"query": text}, headers={"Accept": accept, **kw.pop("headers", {})}, **kw)


def _bindings(reply: Reply, var: str) -> list[str]:
    assert reply.status == 200, reply.text
    return [b[var]["value"] for b in reply.json()["results"]["bindings"] if var in b]


class Http:
    """The raw HTTP helpers, handed to tests by the `http` fixture."""

    Reply = Reply
    request = staticmethod(_request)
    query = staticmethod(_query)
    bindings = staticmethod(_bindings)


@pytest.fixture(scope="session")
def http() -> type[Http]:
    return Http


# -- stores and servers ------------------------------------------------------------------------------

def load_trig(path: Path, store_dir: Path) -> Path:
    """A store holding each named graph of a TriG file, and their union as the default graph."""
    from kg.store import Store

    with Store(store_dir) as store:
        store.load_articles(path)
    return store_dir


def load_graphs(store_dir: Path, graphs: dict[str, Path]) -> Path:
    """A store holding N-Triples files as named graphs (and their union as the default graph)."""
    import pyoxigraph as ox

    from kg.store import Store

    with Store(store_dir) as store:
        store.add_articles((iri, list(ox.parse(path=str(p), format=ox.RdfFormat.N_TRIPLES))) for iri, p in graphs.items())
    return store_dir


class ServerProcess:
    """`kg serve` in a child process; `.url` is its base URL (http://127.0.0.1:PORT)."""

    def __init__(self, store: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.store = store
        cmd = [sys.executable, "-m", "kg", "--store", str(store), "serve", "--port", "0", *args]
        full_env = {k: v for k, v in os.environ.items() if k != "KG_UPDATE_TOKEN"}
        full_env.update(env or {})
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=full_env, text=True)
        self.lines: list[str] = []
        self.url = ""
        ready = threading.Event()

        def drain() -> None:
            assert self.proc.stderr is not None
            for line in self.proc.stderr:
                self.lines.append(line)
                m = re.search(r"SPARQL endpoint (http://\S+)/sparql", line)
                if m:
                    self.url = m.group(1)
                if "workers" in line and self.url:
                    ready.set()
            ready.set()

        threading.Thread(target=drain, daemon=True).start()
        if not ready.wait(60) or not self.url:
            self.stop()
            raise RuntimeError("kg serve did not start:\n" + "".join(self.lines))
        self.port = int(self.url.rsplit(":", 1)[1])

    @property
    def endpoint(self) -> str:
        return self.url + "/sparql"

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@pytest.fixture(scope="session")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the two articles of tests/data/server/small.trig (never written by tests)."""
    return load_trig(SMALL_TRIG, tmp_path_factory.mktemp("small") / "store")


@pytest.fixture
def small_copy(small_store: Path, tmp_path: Path) -> Path:
    """A writable copy of small_store."""
    target = tmp_path / "store"
    shutil.copytree(small_store, target, ignore=shutil.ignore_patterns("LOCK"))
    return target


@pytest.fixture(scope="session")
def server(small_store: Path) -> Iterator[ServerProcess]:
    """A read-only server over small_store, with the default settings but a 10 s time limit."""
    with ServerProcess(small_store, "--workers", "2", "--timeout", "10") as s:
        yield s


@pytest.fixture(scope="session")
def token_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server that accepts updates with TOKEN (token from the environment), over its own store."""
    store = load_trig(SMALL_TRIG, tmp_path_factory.mktemp("writable") / "store")
    with ServerProcess(store, "--workers", "2", "--timeout", "10", env={"KG_UPDATE_TOKEN": TOKEN}) as s:
        yield s


def wait_until(check, timeout: float = 10.0, interval: float = 0.05):  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > end:
            return value
        time.sleep(interval)


@pytest.fixture
def start_server() -> Iterator[Callable[..., ServerProcess]]:
    """Start a `kg serve` with given arguments (stopped after the test): start_server(store, "--timeout", "1")."""
    started: list[ServerProcess] = []

    def start(store: Path, *args: str, env: dict[str, str] | None = None) -> ServerProcess:
        s = ServerProcess(store, *args, env=env)
        started.append(s)
        return s

    yield start
    for s in started:
        s.stop()


@pytest.fixture(scope="session")
def helpers() -> Any:
    """load_trig, load_graphs, ServerProcess, wait_until and the paths, for tests that need them."""
    import types

    return types.SimpleNamespace(load_trig=load_trig, load_graphs=load_graphs, ServerProcess=ServerProcess,
                                 wait_until=wait_until, SMALL_TRIG=SMALL_TRIG, W3C_DATA=W3C_DATA, TOKEN=TOKEN,
                                 ENTITY=ENTITY, ARTICLE=ARTICLE)
