"""Query workers: processes that hold the store read-only and run one request at a time.

pyoxigraph has no query timeout and a query cannot be interrupted; a thread stuck in one can't be
stopped. So every query runs in a worker process. The server hands a job to an idle worker
and waits at most the time limit; a worker that has not answered by then is killed (its memory,
file handles and threads go with it) and a fresh one takes its place, while the other workers
keep answering. There are as many workers as queries may run at once; other requests wait for
one, in arrival order: at most `queue` of them (more are answered 503 at once), each for at most
the time limit plus a few seconds.

Each worker opens the store with `Store.read_only`, which takes no lock, so `kg build` can write
beside it. A read-only handle does not see later writes, so before each job the worker compares
a fingerprint of the store's log and manifest files (names, sizes, modification times: a few
stat calls) with the one it opened, and reopens when they differ: a query sees every batch a
build has committed by the time it starts.

Writes (SPARQL Update, Graph Store PUT/POST/DELETE) open the store read-write for that one job
and close it at once: the server never keeps the write lock, and reports 503 "store busy" when a
build holds it.

Workers are started as `python -m kg.server.worker_entry FD STORE SANDBOX` and talk over a socket pair
(pickled messages); with no host allow-listed they install the seccomp network filter first
(kg.server.sandbox).
"""
from __future__ import annotations

import gc
import json
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from .config import ServerConfig
from .responses import TEXT, HTTPError

Reply = tuple[int, str | None, bytes, dict[str, str]]  # status, content type, body, headers
QUEUE_GRACE = 5.0  # seconds a queued request waits beyond the time limit


# ==================================================================================================
# the server side: a pool of worker processes
# ==================================================================================================

@dataclass
class _Worker:
    process: subprocess.Popen[bytes]
    conn: Connection
    sandboxed: bool
    busy_since: float | None = None

    @property
    def pid(self) -> int:
        return self.process.pid


class WorkerPool:
    """`run(job)` on an idle worker within the time limit; kill and replace workers that overrun."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.size = max(1, config.workers)
        self.sandbox = config.sandbox and not config.allow_hosts
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: dict[int, _Worker] = {}
        self._lock = threading.Lock()
        self._waiting = 0
        self._closed = False
        self.sandboxed = False
        self.timeouts = 0
        self.replaced = 0

    # -- life cycle ----------------------------------------------------------------------------

    def start(self) -> None:
        """Start every worker and wait until each has opened the store (raises HTTPError-free
        RuntimeError with the worker's message when the store cannot be opened)."""
        starting = [self._spawn() for _ in range(self.size)]
        errors = []
        for proc, conn in starting:
            try:
                worker = self._await_ready(proc, conn)
            except RuntimeError as e:
                errors.append(str(e))
                continue
            self._add(worker)
        if errors:
            self.close()
            raise RuntimeError(errors[0])
        self.sandboxed = all(w.sandboxed for w in self._all.values())

    def _spawn(self) -> tuple[subprocess.Popen[bytes], Connection]:
        ours, theirs = socket.socketpair()
        cmd = [sys.executable, "-m", "kg.server.worker_entry", str(theirs.fileno()), str(self.config.store),
               "1" if self.sandbox else "0"]
        env = dict(os.environ)
        env.pop("KG_UPDATE_TOKEN", None)  # workers never need the token
        proc = subprocess.Popen(cmd, pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, env=env, close_fds=True)
        theirs.close()
        conn = Connection(ours.detach())
        return proc, conn

    def _await_ready(self, proc: subprocess.Popen[bytes], conn: Connection, wait: float = 60.0) -> _Worker:
        try:
            if not conn.poll(wait):
                raise RuntimeError("a query worker did not start in time")
            message = conn.recv()
        except (EOFError, OSError):
            proc.wait(5)
            raise RuntimeError(f"a query worker exited at start (status {proc.returncode})") from None
        if message[0] != "ready":
            proc.kill()
            proc.wait(5)
            raise RuntimeError(message[1])
        return _Worker(proc, conn, sandboxed=bool(message[1]))

    def _add(self, worker: _Worker) -> None:
        with self._lock:
            if self._closed:
                self._kill(worker)
                return
            self._all[worker.pid] = worker
        self._idle.put(worker)

    def _kill(self, worker: _Worker) -> None:
        try:
            worker.process.kill()
        except OSError:
            pass
        try:
            worker.conn.close()
        except OSError:
            pass
        try:
            worker.process.wait(10)
        except subprocess.TimeoutExpired:
            pass

    def _replace(self, worker: _Worker) -> None:
        """Kill `worker` now; start its successor in the background."""
        with self._lock:
            self._all.pop(worker.pid, None)
            self.replaced += 1
        self._kill(worker)
        threading.Thread(target=self._respawn, name="kg-respawn", daemon=True).start()

    def _respawn(self) -> None:
        delay = 0.2
        while not self._closed:
            try:
                proc, conn = self._spawn()
                self._add(self._await_ready(proc, conn))
                return
            except (RuntimeError, OSError) as e:
                print(f"kg serve: cannot start a query worker: {e}; retrying", file=sys.stderr)
                time.sleep(delay)
                delay = min(delay * 2, 10.0)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all.values())
            self._all.clear()
        for w in workers:
            self._kill(w)

    # -- running jobs --------------------------------------------------------------------------

    def status(self) -> dict[str, Any]:
        with self._lock:
            now = time.monotonic()
            return {
                "workers": [{"pid": w.pid, "busy": w.busy_since is not None,
                             "seconds": round(now - w.busy_since, 3) if w.busy_since else 0.0}
                            for w in self._all.values()],
                "waiting": self._waiting,
                "timeouts": self.timeouts,
                "replaced": self.replaced,
                "sandboxed": self.sandboxed,
            }

    def _wait_for_worker(self, limit: float) -> _Worker:
        with self._lock:
            if self._waiting >= self.config.queue:
                raise HTTPError(503, f"kg serve is busy: {self.size} queries running and {self._waiting} waiting; "
                                     "try again shortly", {"Retry-After": "1"})
            self._waiting += 1
        # wait for a worker as long as a query may run, and the few seconds a killed worker's
        # successor takes to start
        wait = limit + QUEUE_GRACE
        try:
            return self._idle.get(timeout=wait)
        except queue.Empty:
            raise HTTPError(503, f"kg serve is busy: no query worker was free within {wait:g} s; try again",
                            {"Retry-After": "1"}) from None
        finally:
            with self._lock:
                self._waiting -= 1

    def run(self, job: dict[str, Any], *, timeout: float | None = None) -> Reply:
        """Run `job` on a worker; the reply, or HTTPError 503 when busy or over the time limit."""
        limit = self.config.timeout if timeout is None else timeout
        try:
            worker = self._idle.get_nowait()
        except queue.Empty:
            worker = self._wait_for_worker(limit)
        worker.busy_since = time.monotonic()
        try:
            worker.conn.send(job)
            if not worker.conn.poll(limit):
                with self._lock:
                    self.timeouts += 1
                self._replace(worker)
                raise HTTPError(503, f"query stopped: it ran longer than the {limit:g} s time limit "
                                     "(kg serve --timeout); simplify it or add a LIMIT")
            reply: Reply = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            raise HTTPError(500, "the query worker running this request died; it has been replaced") from None
        worker.busy_since = None
        self._idle.put(worker)
        return reply


# ==================================================================================================
# the worker side
# ==================================================================================================

class _StoreState:
    """The worker's read-only handle, reopened when the store's files changed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.store: Any = None
        self.fingerprint: tuple[Any, ...] | None = None
        self._folder: int | None = None
        self._names: list[str] = []

    def _fingerprint(self) -> tuple[Any, ...]:
        """Names, sizes and modification times of the store's write-ahead logs, manifest and CURRENT.

        Any commit appends to a log; flushes and compactions create files (changing the folder's
        modification time). When the folder has not changed for a second, only the files seen
        last time are stat'ed; otherwise (or on a coarse-clocked file system) the folder is listed.
        """
        folder = os.stat(self.path).st_mtime_ns
        if self._names and folder == self._folder and time.time_ns() - folder > 1_000_000_000:
            try:
                parts = []
                for name in self._names:
                    st = os.stat(os.path.join(self.path, name))
                    parts.append((name, st.st_size, st.st_mtime_ns))
                return (folder, *parts)
            except FileNotFoundError:
                pass
        parts = []
        with os.scandir(self.path) as entries:
            for e in entries:
                name = e.name
                if name.endswith(".log") or name.startswith("MANIFEST") or name == "CURRENT":
                    try:
                        st = e.stat()
                    except FileNotFoundError:  # a log or manifest the writer retired after the listing
                        continue
                    parts.append((name, st.st_size, st.st_mtime_ns))
        parts.sort()
        self._folder = folder
        self._names = [p[0] for p in parts]
        return (folder, *parts)

    def get(self) -> Any:
        """The current kg.store.Store (read-only), reopened if the store changed."""
        from ..errors import StoreError
        from ..store import Store

        try:
            fp = self._fingerprint()
        except FileNotFoundError:
            self.close()
            raise StoreError(f"{self.path}: the store is gone (was it deleted?)") from None
        if self.store is None or fp != self.fingerprint:
            self.close()
            # a writer opening or compacting the store may rotate its manifest under us: the open
            # then fails with "No such file" for a moment; try again with the new fingerprint
            delay = 0.01
            for attempt in range(12):
                try:
                    self.store = Store(self.path, read_only=True)
                    break
                except (OSError, RuntimeError) as e:
                    if attempt == 11:
                        raise StoreError(f"{self.path}: cannot open the store right now (is a build rewriting "
                                         f"it?): {str(e).splitlines()[0]}") from None
                    time.sleep(delay)
                    delay = min(delay * 2, 0.2)
                    fp = self._fingerprint()
            self.fingerprint = fp
        return self.store

    def close(self) -> None:
        self.store = None
        self.fingerprint = None
        gc.collect()


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(0)


def worker_main(fd: int, store_path: str, sandbox: bool) -> None:
    sandboxed = False
    if sandbox:
        from .sandbox import deny_network

        try:
            deny_network()
            sandboxed = True
        except OSError as e:
            print(f"kg serve: worker runs without the network filter: {e}", file=sys.stderr)
    conn = Connection(fd)
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    from ..errors import KGError

    # import now what jobs need, so that the first query is not slower than the others
    import pyoxigraph  # noqa: F401

    from ..ontology import PREFIXES  # noqa: F401
    from . import negotiation, results  # noqa: F401

    state = _StoreState(Path(store_path))
    try:
        state.get()
    except KGError as e:
        conn.send(("failed", str(e)))
        return
    conn.send(("ready", sandboxed))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = handle(state, job)
        except Exception as e:  # a bug: answer 500 rather than die
            reply = (500, TEXT, f"internal error in the query worker: {type(e).__name__}: {e}\n".encode(), {})
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> Reply:
    return (status, TEXT, (message.rstrip("\n") + "\n").encode(), headers or {})


def handle(state: _StoreState, job: Mapping[str, Any]) -> Reply:
    """Run one job (see the `kind`s below) and answer (status, content type, body, headers)."""
    from ..errors import AmbiguousEntityError, KGError, StoreLockedError, UnknownEntityError

    kind = job["kind"]
    try:
        if kind == "query":
            return _query(state, job)
        if kind == "update":
            return _update(state, job)
        if kind == "gsp_get":
            return _gsp_get(state, job)
        if kind == "gsp_write":
            return _gsp_write(state, job)
        if kind == "entity":
            return _entity(state, job)
        if kind == "graphs":
            return _graphs(state, job)
        if kind == "sleep":  # for tests of the pool itself
            time.sleep(float(job["seconds"]))
            return _text(200, "slept")
        return _text(400, f"unknown job kind {kind!r}")
    except StoreLockedError:
        state.close()
        return _text(503, "store busy: another process (a running `kg build`?) holds the store for writing; "
                          "try again when it is done", {"Retry-After": "2"})
    except UnknownEntityError as e:
        return (404, "application/json", json.dumps({"error": str(e), "name": e.name,
                                                     "suggestions": e.suggestions}).encode(), {})
    except AmbiguousEntityError as e:
        return (300, "application/json", json.dumps({"error": str(e), "name": e.name,
                                                     "candidates": e.candidates}).encode(), {})
    except KGError as e:
        return _text(503 if isinstance(e, OSError) else 400, str(e))
    except (OSError, RuntimeError) as e:
        if not _store_trouble(e):
            raise
        state.close()
        return _text(503, f"cannot read the store right now (a build is writing it?): {e}", {"Retry-After": "1"})


def syntax_message(e: SyntaxError, what: str = "query") -> str:
    """pyoxigraph's 'error at 1:7: expected ...' as a readable one-liner."""
    import re

    text = str(e)
    m = re.search(r"error at (\d+):(\d+):\s*(.*)", text, re.S)
    if not m:
        return f"SPARQL syntax error in the {what}: {text.splitlines()[0] if text else 'cannot parse'}"
    detail = m.group(3).strip().splitlines()[0] if m.group(3).strip() else "cannot parse"
    if len(detail) > 200:
        detail = detail[:197] + "..."
    return f"SPARQL syntax error in the {what} at line {m.group(1)}, column {m.group(2)}: {detail}"


def _check_graphs(raw: Any, iris: list[str], keyword: str) -> Reply | None:
    import pyoxigraph as ox

    from .guards import missing_graph_message

    for iri in iris:
        if not raw.contains_named_graph(ox.NamedNode(iri)):
            return _text(400, missing_graph_message(iri, keyword))
    return None


def _dataset_kwargs(job: Mapping[str, Any]) -> dict[str, Any]:
    import pyoxigraph as ox

    kwargs: dict[str, Any] = {}
    default, named = job.get("default_graphs"), job.get("named_graphs")
    if default or named:  # the protocol's dataset replaces the query's FROM / FROM NAMED
        kwargs["default_graph"] = [ox.NamedNode(g) for g in default or []]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in named or []]
    return kwargs


def _query(state: _StoreState, job: Mapping[str, Any], retried: bool = False) -> Reply:
    import pyoxigraph as ox

    from ..ontology import PREFIXES
    from . import negotiation as neg
    from .results import rows_of, take, write_boolean, write_graph, write_select

    store = state.get()
    raw = store.raw
    if not job.get("default_graphs") and not job.get("named_graphs"):
        problem = _check_graphs(raw, job.get("must_exist", []), "FROM")
        if problem:
            return problem
    kwargs = _dataset_kwargs(job)
    text, substitutions = job["text"], None
    if job.get("params"):
        text, substitutions, problem = _bind(store, job)
        if problem:
            return problem
    max_rows = job.get("max_rows")
    try:
        result = raw.query(text, base_iri=job.get("base"), prefixes=PREFIXES, substitutions=substitutions, **kwargs)
        headers: dict[str, str] = {}
        if isinstance(result, ox.QuerySolutions):
            fmt = neg.choose(job.get("accept"), neg.RESULTS)
            if job.get("within_cap"):
                body, truncated = result.serialize(format=_results_format(fmt.name)), False
            else:
                variables, rows, truncated = rows_of(result, max_rows)
                body = write_select(variables, rows, fmt.name)
                headers["X-KG-Rows"] = str(len(rows))
        elif isinstance(result, ox.QueryBoolean):
            fmt = neg.choose(job.get("accept"), neg.RESULTS)
            body, truncated = write_boolean(bool(result), fmt.name), False
        else:
            fmt = neg.choose(job.get("accept"), neg.GRAPH)
            triples, truncated = take(result, max_rows)
            body = write_graph(triples, _rdf_format(fmt.name), PREFIXES)
            headers["X-KG-Rows"] = str(len(triples))
    except SyntaxError as e:
        return _text(400, syntax_message(e))
    except OSError as e:
        if job.get("has_service"):
            return _text(502, f"the remote SERVICE failed: {e}")
        if not retried:  # the store may have changed under the handle: reopen once
            state.close()
            return _query(state, job, retried=True)
        return _text(503, f"cannot read the store right now: {e}", {"Retry-After": "1"})
    except (RuntimeError, ValueError, TypeError) as e:
        if _store_trouble(e):
            if not retried:
                state.close()
                return _query(state, job, retried=True)
            return _text(503, f"cannot read the store right now: {e}", {"Retry-After": "1"})
        return _text(400, f"the query failed: {e}")
    if truncated:
        headers["X-KG-Truncated"] = "true"
        headers["X-KG-Row-Limit"] = str(max_rows)
    return (200, fmt.content_type, body, headers)


def _store_trouble(e: Exception) -> bool:
    """An error from the storage layer (files moved by a writer), not from the query."""
    text = str(e)
    return any(w in text for w in ("IO error", "Corruption", "No such file", "os error 2"))


def _bind(store: Any, job: Mapping[str, Any]) -> tuple[str, dict[Any, Any] | None, Reply | None]:
    """Named-query parameters bound into the query text by VALUES, as `kg query` binds them
    (kg.queries decides what a value means); returns the text and any leftover substitutions."""
    from ..errors import KGError
    from ..queries import bind_params, parse_query
    from ..sparql_values import bind

    try:
        named = parse_query(job["text"], job.get("name") or "query", library=bool(job.get("library")))
        bound = bind_params(store, named, job["params"])
    except KGError as e:
        return job["text"], None, _text(400, str(e))
    return (*bind(job["text"], bound), None)


def _results_format(name: str) -> Any:
    import pyoxigraph as ox

    return {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
            "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}[name]


def _rdf_format(name: str) -> Any:
    import pyoxigraph as ox

    return {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML,
            "jsonld": ox.RdfFormat.JSON_LD, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}[name]


def _writable(state: _StoreState) -> Any:
    from ..store import Store

    state.close()  # let go of the read-only handle while writing
    return Store(state.path, create=False)


def _update(state: _StoreState, job: Mapping[str, Any]) -> Reply:
    from ..ontology import PREFIXES

    store = _writable(state)
    try:
        problem = _check_graphs(store.raw, job.get("must_exist", []), "USING")
        if problem:
            return problem
        store.raw.update(job["text"], base_iri=job.get("base"), prefixes=PREFIXES)
        store.flush()
    except SyntaxError as e:
        return _text(400, syntax_message(e, "update"))
    except OSError as e:
        if job.get("has_load"):
            return _text(502, f"LOAD failed: {e}")
        return _text(500, f"the update failed: {e}")
    except (RuntimeError, ValueError, TypeError) as e:
        return _text(400, f"the update failed: {e}")
    finally:
        store.close()
        del store
        gc.collect()
    return (204, None, b"", {})


def _gsp_get(state: _StoreState, job: Mapping[str, Any]) -> Reply:
    import pyoxigraph as ox

    from ..ontology import PREFIXES
    from . import negotiation as neg
    from .results import take, write_graph

    raw = state.get().raw
    graph = job.get("graph")
    max_rows = job.get("max_rows")
    if graph == "*":
        fmt = neg.choose(job.get("accept"), neg.DATASET)
        quads, truncated = take(raw.quads_for_pattern(None, None, None, None), max_rows)
        body = write_graph(quads, _rdf_format(fmt.name), PREFIXES)
    else:
        if graph is None:
            g: Any = ox.DefaultGraph()
        else:
            g = ox.NamedNode(graph)
            if not raw.contains_named_graph(g):
                return _text(404, f"no graph <{graph}> in the store")
        fmt = neg.choose(job.get("accept"), neg.GRAPH)
        triples, truncated = take((q.triple for q in raw.quads_for_pattern(None, None, None, g)), max_rows)
        body = write_graph(triples, _rdf_format(fmt.name), PREFIXES)
    headers = {"X-KG-Truncated": "true", "X-KG-Row-Limit": str(max_rows)} if truncated else {}
    return (200, fmt.content_type, body, headers)


def _gsp_write(state: _StoreState, job: Mapping[str, Any]) -> Reply:
    import pyoxigraph as ox

    graph = ox.NamedNode(job["graph"])
    triples: list[Any] = []
    if job["method"] in ("PUT", "POST"):
        try:
            triples = list(ox.parse(job["body"], format=_rdf_format(job["format"]), base_iri=job["graph"]))
        except SyntaxError as e:
            return _text(400, f"cannot parse the request body as {job['format']}: {e}")
        if any(isinstance(t, ox.Quad) and not isinstance(t.graph_name, ox.DefaultGraph) for t in triples):
            return _text(400, "the body holds named graphs; send a graph (Turtle, N-Triples, RDF/XML, JSON-LD)")
        triples = [ox.Triple(t.subject, t.predicate, t.object) for t in triples]
    store = _writable(state)
    try:
        existed = store.raw.contains_named_graph(graph)
        if job["method"] == "DELETE":
            if not existed:
                return _text(404, f"no graph <{job['graph']}> in the store")
            store.remove_article(job["graph"])
        else:
            if job["method"] == "PUT" and existed:
                store.remove_article(job["graph"])
            store.add_articles([(job["graph"], triples)])
            if not triples and not existed:
                store.raw.add_graph(graph)
        store.flush()
    finally:
        store.close()
        del store
        gc.collect()
    return (201 if job["method"] != "DELETE" and not existed else 204, None, b"", {})


def _graphs(state: _StoreState, job: Mapping[str, Any]) -> Reply:
    raw = state.get().raw
    limit = job.get("max_rows") or 100_000
    names = []
    for g in raw.named_graphs():
        if len(names) >= limit:
            break
        names.append(g.value)
    return (200, "application/json", json.dumps({"graphs": sorted(names)}).encode(), {})


def _entity(state: _StoreState, job: Mapping[str, Any]) -> Reply:
    from ..lookup import lookup

    card = lookup(state.get(), job["name"])
    return (200, "application/json", json.dumps(card.to_dict(), ensure_ascii=False).encode(), {})

