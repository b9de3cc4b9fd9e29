"""What the HTTP endpoint costs: `kg serve` under concurrent load against the same queries in-process.

    python bench/server_bench.py [--articles 500] [--clients 1,8] [--requests 2000] [--workers N]

It writes a synthetic store (bench/synthetic_graph.py, the shape a build writes), then for each
query measures
  - in-process: pyoxigraph on the same store, read-only, the query run and its result
    serialised to SPARQL JSON, one after the other (what a Python notebook gets without a server);
  - the endpoint: a real `kg serve` on a loopback port, queried by a bounded load client
    (`--clients` processes, one keep-alive connection each, `--requests` requests in all, the
    same query asked for SPARQL JSON), one client and then several at once.
For each it reports requests/s and p50/p99 latency; "added" is the endpoint's p50 with one
client minus the in-process p50: what HTTP, the protocol checks and the worker hop add to a
query. Results go to stdout as a Markdown table and to bench/out/server_bench.json.
"""
from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
OUT = HERE / "out"

PREFIXES = """PREFIX kg: <https://w3id.org/kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
QUERIES = {
    "ask": PREFIXES + "ASK { ?s a kg:Article }",
    "labels-10": PREFIXES + "SELECT ?e ?label WHERE { ?e rdfs:label ?label } LIMIT 10",
    "one-entity": PREFIXES + "SELECT ?p ?o WHERE { ?e rdfs:label $LABEL ; ?p ?o }",
    "partners-count": PREFIXES + """SELECT ?name (COUNT(DISTINCT ?p) AS ?partners) WHERE {
  ?e kg:partnersWith ?p ; rdfs:label ?name } GROUP BY ?name ORDER BY DESC(?partners) LIMIT 20""",
    "labels-1000": PREFIXES + "SELECT ?e ?label WHERE { ?e rdfs:label ?label } LIMIT 1000",
}
SIMPLE = ("ask", "labels-10", "one-entity")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def in_process(store_path: Path, text: str, requests: int) -> dict[str, float]:
    import pyoxigraph as ox

    store = ox.Store.read_only(str(store_path))
    for _ in range(20):  # warm up
        _run_local(store, text)
    latencies = []
    started = time.perf_counter()
    for _ in range(requests):
        t = time.perf_counter()
        _run_local(store, text)
        latencies.append((time.perf_counter() - t) * 1000)
    seconds = time.perf_counter() - started
    return {"rps": requests / seconds, "p50": percentile(latencies, 0.5), "p99": percentile(latencies, 0.99)}


def _run_local(store, text: str) -> bytes:  # type: ignore[no-untyped-def]
    import pyoxigraph as ox

    result = store.query(text)
    if isinstance(result, ox.QueryBoolean):
        return b"true" if result else b"false"
    return result.serialize(format=ox.QueryResultsFormat.JSON)


def _client(args: tuple[int, str, int]) -> list[float]:
    port, path, count = args
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Accept": "application/sparql-results+json"}
    latencies = []
    for _ in range(count):
        t = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{response.status}: {body[:200]!r}")
        latencies.append((time.perf_counter() - t) * 1000)
    conn.close()
    return latencies


def endpoint(port: int, text: str, requests: int, clients: int, pool) -> dict[str, float]:  # type: ignore[no-untyped-def]
    path = "/sparql?" + urlencode({"query": text})
    pool.map(_client, [(port, path, 20)] * clients)  # warm up every worker and connection path
    per_client = max(1, requests // clients)
    started = time.perf_counter()
    results = pool.map(_client, [(port, path, per_client)] * clients)
    seconds = time.perf_counter() - started
    latencies = [x for r in results for x in r]
    return {"rps": len(latencies) / seconds, "p50": percentile(latencies, 0.5), "p99": percentile(latencies, 0.99)}


def start_server(store: Path, workers: int) -> tuple[subprocess.Popen[str], int]:
    cmd = [sys.executable, "-m", "kg", "--store", str(store), "serve", "--port", "0", "--workers", str(workers)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    port = 0
    deadline = time.time() + 60
    while time.time() < deadline:
        line = proc.stderr.readline()
        m = re.search(r"SPARQL endpoint http://127\.0\.0\.1:(\d+)/sparql", line)
        if m:
            port = int(m.group(1))
        if port and "workers" in line:
            break
    if not port:
        proc.kill()
        raise RuntimeError("kg serve did not start")
    threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()  # type: ignore[union-attr]
    return proc, port


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500, help="synthetic articles in the store")
    parser.add_argument("--store", type=Path, help="use this store instead of a synthetic one")
    parser.add_argument("--clients", default="1,8", help="concurrent client processes, comma-separated")
    parser.add_argument("--requests", type=int, default=2000, help="requests per query and client count")
    parser.add_argument("--workers", type=int, default=None, help="kg serve --workers [default: its own]")
    args = parser.parse_args(argv)
    clients = [int(c) for c in args.clients.split(",")]

    tmp = Path(tempfile.mkdtemp(prefix="kg-server-bench-"))
    try:
        if args.store:
            store = args.store
            shape = {"store": str(store)}
        else:
            from synthetic_graph import load

            store = tmp / "store"
            shape = load(store, articles_count=args.articles)
        import pyoxigraph as ox

        probe = ox.Store.read_only(str(store))
        label = next(iter(probe.query(PREFIXES + "SELECT ?l WHERE { ?e a kg:Company ; rdfs:label ?l } LIMIT 1")))[0]
        del probe
        queries = {k: v.replace("$LABEL", str(label)) for k, v in QUERIES.items()}

        from kg.server.config import default_workers

        workers = args.workers or default_workers()
        proc, port = start_server(store, workers)
        rows = []
        try:
            with mp.get_context("spawn").Pool(max(clients)) as pool:
                for name, text in queries.items():
                    local = in_process(store, text, args.requests)
                    row = {"query": name, "in_process": local}
                    for c in clients:
                        row[f"clients_{c}"] = endpoint(port, text, args.requests, c, pool)
                    one = row.get("clients_1")
                    row["added_ms"] = (one["p50"] - local["p50"]) if one else None
                    rows.append(row)
                    print(f"{name}: done", file=sys.stderr)
        finally:
            proc.terminate()
            proc.wait(15)

        machine = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
        header = ["query", "in-process req/s", "in-process p50/p99 ms"]
        for c in clients:
            header += [f"endpoint {c} client{'s' if c > 1 else ''} req/s", f"p50/p99 ms"]
        header.append("added p50 ms")
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for row in rows:
            cells = [row["query"], f"{row['in_process']['rps']:,.0f}",
                     f"{row['in_process']['p50']:.3f} / {row['in_process']['p99']:.3f}"]
            for c in clients:
                r = row[f"clients_{c}"]
                cells += [f"{r['rps']:,.0f}", f"{r['p50']:.3f} / {r['p99']:.3f}"]
            cells.append(f"{row['added_ms']:.3f}" if row["added_ms"] is not None else "-")
            lines.append("| " + " | ".join(cells) + " |")
        simple = [r["added_ms"] for r in rows if r["query"] in SIMPLE and r["added_ms"] is not None]
        summary = (f"Store: {shape}. kg serve with {workers} workers; {args.requests} requests per cell; {machine}.\n"
                   f"Added per simple query (p50, one client): "
                   f"{', '.join(f'{x:.3f}' for x in simple)} ms (aim: <= 1 ms).")
        print("\n".join(lines))
        print()
        print(summary)
        OUT.mkdir(exist_ok=True)
        (OUT / "server_bench.json").write_text(json.dumps({"rows": rows, "store": shape, "workers": workers,
                                                          "machine": machine, "clients": clients,
                                                          "requests": args.requests}, indent=2, default=str))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
