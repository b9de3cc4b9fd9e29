"""kg serve and kg build on one store: neither corrupts the other, queries see fresh data, writes say "busy"."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COUNT_ARTICLES = "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a kg:Article }"
UPDATE = 'INSERT DATA { GRAPH <https://example.org/g> { <https://example.org/s> <https://example.org/p> "x" } }'


def articles(http, server) -> int:  # type: ignore[no-untyped-def]
    return int(http.bindings(http.query(server.url, COUNT_ARTICLES), "n")[0])


def write_articles(store: Path, first: int, count: int) -> None:
    """Another process adds article graphs, as a build does (kg.store.Store.add_articles)."""
    script = textwrap.dedent(f"""
        import pyoxigraph as ox
        from kg.store import Store
        KG = "https://w3id.org/kg/ontology#"
        TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
        graphs = [f"https://w3id.org/kg/id/article/{{i:016x}}" for i in range({first}, {first + count})]
        with Store({str(store)!r}) as store:  # one batch, one transaction, as a build writes
            store.add_articles((g, [ox.Triple(ox.NamedNode(g), TYPE, ox.NamedNode(KG + "Article"))]) for g in graphs)
    """)
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)


def test_queries_see_what_a_writer_committed(small_copy: Path, start_server, http) -> None:
    s = start_server(small_copy, "--workers", "2")
    assert articles(http, s) == 2
    write_articles(small_copy, 100, 3)
    assert articles(http, s) == 5  # the next query reopens the store and sees the new articles
    write_articles(small_copy, 200, 1)
    assert articles(http, s) == 6


def test_the_server_keeps_answering_during_a_long_build(small_copy: Path, start_server, http) -> None:
    s = start_server(small_copy, "--workers", "2")
    errors: list[str] = []
    seen: list[list[int]] = [[], []]
    stop = threading.Event()

    def ask(counts: list[int]) -> None:
        while not stop.is_set():
            reply = http.query(s.url, COUNT_ARTICLES)
            if reply.status != 200:
                errors.append(reply.text)
            else:
                counts.append(int(reply.json()["results"]["bindings"][0]["n"]["value"]))

    threads = [threading.Thread(target=ask, args=(counts,)) for counts in seen]
    for t in threads:
        t.start()
    for batch in range(5):
        write_articles(small_copy, 1000 + batch * 50, 50)
    stop.set()
    for t in threads:
        t.join(30)
    assert errors == []
    for counts in seen:
        assert counts and counts == sorted(counts)  # articles appear, none disappear
        assert all((n - 2) % 50 == 0 for n in counts)  # each batch is seen whole or not at all
    assert articles(http, s) == 252


def test_writes_say_busy_while_a_build_holds_the_store(small_copy: Path, start_server, http, helpers) -> None:
    s = start_server(small_copy, "--workers", "2", "--update-token", helpers.TOKEN)
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from kg.store import Store
        store = Store({str(small_copy)!r})
        print("holding", flush=True)
        sys.stdin.readline()
        store.close()
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        auth = {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {helpers.TOKEN}"}
        busy = http.request(s.url, "POST", body=UPDATE, headers=auth)
        assert busy.status == 503 and "store busy" in busy.text and busy.headers["retry-after"]
        assert articles(http, s) == 2  # reads go on
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(30)
    done = http.request(s.url, "POST", body=UPDATE, headers=auth)
    assert done.status == 204
    assert http.query(s.url, 'ASK { GRAPH <https://example.org/g> { ?s ?p "x" } }').json()["boolean"] is True


def test_kg_build_runs_beside_kg_serve(tmp_path: Path, start_server, http) -> None:
    store = tmp_path / "store"
    first = tmp_path / "first"
    first.mkdir()
    (first / "a.txt").write_text("Acme Robotics Inc. has partnered with Globex Corporation.\n")
    kg = [sys.executable, "-m", "kg", "--store", str(store)]
    subprocess.run([*kg, "build", str(first), "--quiet"], check=True, capture_output=True, timeout=300)
    s = start_server(store, "--workers", "2")
    assert articles(http, s) == 1
    build = subprocess.run([*kg, "build", str(ROOT / "seeds"), "--quiet"], capture_output=True, text=True,
                           timeout=300)
    assert build.returncode == 0, build.stderr  # the server holds no lock
    assert articles(http, s) == 3  # and the next query sees the build
    stats = subprocess.run([*kg, "stats", "--format", "json"], capture_output=True, text=True, timeout=120)
    assert stats.returncode == 0, stats.stderr


def test_serve_needs_a_store(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "kg", "--store", str(tmp_path / "none"), "serve", "--port", "0"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "no store here; build one first" in result.stderr


def test_help_has_an_example() -> None:
    result = subprocess.run([sys.executable, "-m", "kg", "serve", "--help"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0 and "Example:" in result.stdout and "kg serve" in result.stdout


def test_a_store_moved_away_is_reported_until_it_is_back(small_copy: Path, start_server, http) -> None:
    s = start_server(small_copy, "--workers", "1", "--queue", "0")
    assert articles(http, s) == 2
    aside = small_copy.with_name("aside")
    small_copy.rename(aside)
    gone = http.query(s.url, COUNT_ARTICLES)
    assert gone.status == 503 and "the store is gone" in gone.text
    aside.rename(small_copy)
    assert articles(http, s) == 2
