"""The store on a SPARQL server (Virtuoso): the same graph, and the same answers, as embedded."""
from __future__ import annotations

import json
import socket

import pyoxigraph as ox
import pytest

from kg.build import build, remove
from kg.errors import QuerySyntaxError, StoreError
from kg.queries import describe_queries, run_query
from kg.remote import UNION_GRAPH, RemoteStore
from kg.store import Store

from ..conftest import SEEDS
from .conftest import clear

GENERATED = "http://www.w3.org/ns/prov#generatedAtTime"


def canonical(quads) -> set[tuple[str, str, str, str]]:
    """Quads as strings, the ingestion time (which differs between two builds) left out."""
    return {(str(q.subject), str(q.predicate), "<time>" if q.predicate.value == GENERATED else str(q.object),
             str(q.graph_name)) for q in quads}


def bench_corpus():
    """bench/corpus.py, the synthetic article generator."""
    import importlib.util
    import sys

    from ..conftest import ROOT

    if "kg_bench_corpus" not in sys.modules:
        spec = importlib.util.spec_from_file_location("kg_bench_corpus", ROOT / "bench" / "corpus.py")
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        sys.modules["kg_bench_corpus"] = module
        spec.loader.exec_module(module)  # type: ignore[union-attr]
    return sys.modules["kg_bench_corpus"]


def rows(store: Store, sparql: str, **kwargs) -> list[tuple[tuple[str, str], ...]]:
    return sorted(tuple(sorted((k, str(v)) for k, v in row.items())) for row in store.select(sparql, **kwargs))


@pytest.fixture(scope="module")
def remote(virtuoso):
    """The seeds built into Virtuoso (through /sparql, no credentials)."""
    clear(virtuoso)
    with Store(virtuoso.url) as store:
        report = build(store, [SEEDS])
        assert report.ok and report.added == 2, report.errors
    return virtuoso.url


@pytest.fixture
def both(remote, seeds_store_path):
    with Store(remote, read_only=True) as r, Store(seeds_store_path, read_only=True) as local:
        yield r, local


def test_a_url_opens_a_remote_store_and_a_path_an_embedded_one(remote, tmp_path):
    with Store(remote) as store:
        assert isinstance(store, RemoteStore) and store.dialect == "virtuoso"
        assert store.path is None and store.url == remote
    assert type(Store(tmp_path / "s")) is Store


def test_the_seeds_make_the_same_graph_as_the_embedded_build(both):
    r, local = both
    assert r.article_count() == local.article_count() == 2
    assert r.articles().keys() == local.articles().keys()
    assert [(a.path, a.name, a.sha256) for a in sorted(r.articles().values(), key=lambda a: a.iri)] == \
        [(a.path, a.name, a.sha256) for a in sorted(local.articles().values(), key=lambda a: a.iri)]
    assert len(r) == len(local)
    # the default graph (the union) and every article graph, quad for quad
    assert canonical(r.quads(None)) == canonical(local.quads(None))
    assert canonical(r.raw.quads_for_pattern(None, None, None, None)) == \
        canonical(local.raw.quads_for_pattern(None, None, None, None))
    for g in local.raw.named_graphs():
        assert canonical(r.quads(g.value)) == canonical(local.quads(g.value))


def test_same_entities_relations_and_events(both):
    r, local = both
    entities = "SELECT ?e ?label ?type WHERE { ?e kg:mentionedIn ?a ; rdfs:label ?label ; a ?type }"
    relations = """SELECT ?s ?p ?o WHERE { ?s ?p ?o . ?s kg:mentionedIn ?a .
                     FILTER(STRSTARTS(STR(?p), STR(kg:)) && ?p NOT IN (kg:mentionedIn, kg:hasGoal)) }"""
    events = """SELECT ?event ?type ?p ?o WHERE { ?event a ?type ; ?p ?o .
                  VALUES ?type { kg:Partnership kg:Goal } }"""
    for query in (entities, relations, events):
        found = rows(r, query)
        assert found and found == rows(local, query)
    labels = {row["label"].value for row in r.select(entities)}
    assert {"Stellantis", "Microsoft", "Azure"} <= labels


def test_graph_patterns_see_the_articles_only(both):
    r, local = both
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    graphs = rows(r, query)
    assert graphs == rows(local, query)
    assert UNION_GRAPH not in str(graphs) and "openlinksw" not in str(graphs)
    assert {g.value for g in r.raw.named_graphs()} == {g.value for g in local.raw.named_graphs()}


GIVEN = {"sources": {"s": "Stellantis", "p": "partnersWith", "o": "Microsoft"}}


def _named_cases():
    for q in describe_queries():
        required = any(not p["optional"] for p in q.params)
        entity = any(p["kind"] == "entity" for p in q.params)
        for with_params in ((True,) if required else (False, True) if entity else (False,)):
            yield pytest.param(q.name, with_params, id=f"{q.name}{'-entity' if with_params else ''}")


@pytest.mark.parametrize("name, with_params", list(_named_cases()))
def test_every_named_query_answers_the_same(both, name, with_params):
    r, local = both
    declared = next(q for q in describe_queries() if q.name == name).params
    given = {}
    if with_params:
        given = GIVEN.get(name) or {p["name"]: "Stellantis" for p in declared if p["kind"] == "entity"}
    expected = run_query(local, name, given)
    assert _table(run_query(r, name, given)) == _table(expected)


def _table(result) -> list[str]:
    """The rows, in an order of their own; GROUP_CONCAT lists (in no defined order) sorted."""
    def text(term) -> str:
        if isinstance(term, ox.Literal) and ", " in term.value:
            return ", ".join(sorted(term.value.split(", ")))
        return str(term)

    return sorted(json.dumps({k: text(v) for k, v in row.items()}, sort_keys=True) for row in result.rows)


def test_substitutions_ask_construct_and_syntax_errors(both):
    r, local = both
    stellantis = ox.NamedNode("https://w3id.org/kg/id/entity/Stellantis")
    query = "SELECT ?e ?p ?o WHERE { ?e ?p ?o }"
    assert rows(r, query, substitutions={"e": stellantis}) == rows(local, query, substitutions={"e": stellantis})
    assert isinstance(r.query("ASK { ?e kg:partnersWith ?x }"), ox.QueryBoolean)
    assert bool(r.query("ASK { ?e kg:partnersWith ?x }")) is True
    assert bool(r.query("ASK { ?e kg:partnersWith kg:Nothing }")) is False
    construct = "CONSTRUCT WHERE { ?a kg:partnersWith ?b }"
    got = r.query(construct)
    assert isinstance(got, ox.QueryTriples)
    assert set(map(str, got)) == set(map(str, local.query(construct)))
    with pytest.raises(QuerySyntaxError) as remote_error:
        r.query("SELECT ?a WHERE { ?a ?p }")
    with pytest.raises(QuerySyntaxError) as local_error:
        local.query("SELECT ?a WHERE { ?a ?p }")
    assert str(remote_error.value) == str(local_error.value)


def test_scans_are_paged_under_the_servers_row_limit(remote, seeds_store_path):
    with Store(remote, read_only=True, page_size=37) as r, Store(seeds_store_path, read_only=True) as local:
        assert canonical(r.raw.quads_for_pattern(None, None, None, None)) == \
            canonical(local.raw.quads_for_pattern(None, None, None, None))
        label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
        assert canonical(r.raw.quads_for_pattern(None, label, None, ox.DefaultGraph())) == \
            canonical(local.raw.quads_for_pattern(None, label, None, ox.DefaultGraph()))
        assert next(iter(r.raw.quads_for_pattern(None, None, None, None)), None) is not None


def test_dumps_read_back_as_the_same_dataset(both):
    r, local = both
    for fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
        assert canonical(ox.parse(r.raw.dump(format=fmt), format=fmt)) == \
            canonical(ox.parse(local.raw.dump(format=fmt), format=fmt))
    turtle = r.raw.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes={"kg": "https://w3id.org/kg/ontology#"})
    assert turtle.startswith(b"@prefix kg:")
    assert canonical(ox.parse(turtle, format=ox.RdfFormat.TURTLE)) == canonical(local.quads(None))
    with pytest.raises(ValueError):
        r.raw.dump(format=ox.RdfFormat.TURTLE)


def test_the_graph_projection_is_the_same(both):
    from kg.graph import projection

    r, local = both
    a, b = projection(r), projection(local)
    assert a.iris == b.iris and a.labels == b.labels and a.types == b.types
    assert sorted(a.edge(k) for k in range(a.edge_count)) == sorted(b.edge(k) for k in range(b.edge_count))


def test_building_again_changes_nothing(remote):
    with Store(remote) as store:
        before = sorted(map(str, store.raw))
        report = build(store, [SEEDS])
        after = sorted(map(str, store.raw))
    assert (report.added, report.unchanged, report.replaced) == (0, 2, 0)
    assert before == after


def test_removing_an_article_keeps_what_the_other_states(remote, seeds_copy):
    name = "002_bce34b61fba21d8d.txt"
    try:
        with Store(remote) as r, Store(seeds_copy) as local:
            assert remove(r, name) == remove(local, name)
            assert r.article_count() == local.article_count() == 1
            assert canonical(r.raw) == canonical(local.raw)
            assert len(r) == len(local)
    finally:
        with Store(remote) as r:
            build(r, [SEEDS])


def test_a_read_only_store_refuses_writes(remote):
    with Store(remote, read_only=True) as r:
        with pytest.raises(StoreError, match="read-only"):
            r.remove_article("https://w3id.org/kg/id/article/0000")


def test_credentials_digest_and_refusals(remote, virtuoso, monkeypatch):
    monkeypatch.delenv("KG_STORE_USER", raising=False)
    monkeypatch.delenv("KG_STORE_PASSWORD", raising=False)
    with Store(virtuoso.auth_url, user=virtuoso.user, password=virtuoso.password) as r:
        assert r.article_count() == 2
    host = virtuoso.auth_url.split("//", 1)[1]
    with Store(f"http://{virtuoso.user}:{virtuoso.password}@{host}") as r:
        assert r.url == virtuoso.auth_url and r.article_count() == 2
    monkeypatch.setenv("KG_STORE_USER", virtuoso.user)
    monkeypatch.setenv("KG_STORE_PASSWORD", virtuoso.password)
    with Store(virtuoso.auth_url) as r:
        assert r.article_count() == 2
    with pytest.raises(StoreError, match="refused the query for user 'dba'"):
        Store(virtuoso.auth_url, password="wrong")
    monkeypatch.delenv("KG_STORE_USER")
    with pytest.raises(StoreError, match="needs credentials"):
        Store(virtuoso.auth_url)


def test_an_unreachable_endpoint_is_one_clear_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(StoreError, match=f"http://127.0.0.1:{port}/sparql: cannot reach the SPARQL endpoint"):
        Store(f"http://127.0.0.1:{port}/sparql")


def test_a_synthetic_corpus_in_small_requests_and_pages(virtuoso, tmp_path):
    """More articles, written a few per request and read a few dozen rows per page."""
    folder = tmp_path / "corpus"
    bench_corpus().generate(12, folder)
    clear(virtuoso)
    try:
        with Store(virtuoso.url, request_quads=400, page_size=500) as r, Store(tmp_path / "local") as local:
            assert build(r, [folder]).ok and build(local, [folder]).ok
            assert r.article_count() == local.article_count() == 12
            assert canonical(r.raw) == canonical(local.raw)
    finally:
        clear(virtuoso)
        with Store(virtuoso.url) as r:
            build(r, [SEEDS])


def test_every_named_query_answers_the_same_on_a_synthetic_corpus(virtuoso, tmp_path):
    """Many more facts than the seeds (tickers, staff, partnerships, corporate links), each named
    query with and without its parameters: Virtuoso's SPARQL differs from Oxigraph's in ways
    only such data shows (an unbound variable in a comparison or EXISTS, UNION inside OPTIONAL)."""
    folder = tmp_path / "corpus"
    bench_corpus().generate(30, folder, seed=11)
    clear(virtuoso)
    try:
        with Store(virtuoso.url) as r, Store(tmp_path / "local") as local:
            assert build(r, [folder]).ok and build(local, [folder]).ok
            busy = local.select("""SELECT ?e ?name (COUNT(*) AS ?n) WHERE { ?e a kg:Company ; rdfs:label ?name ;
                                     kg:partnersWith ?x } GROUP BY ?e ?name ORDER BY DESC(?n) ?name LIMIT 1""")[0]
            fact = local.select("""SELECT ?o WHERE { ?ev rdf:subject ?e ; rdf:predicate kg:partnersWith ;
                                     rdf:object ?x . ?x rdfs:label ?o } ORDER BY ?o LIMIT 1""",
                                substitutions={"e": busy["e"]})[0]
            name = busy["name"].value
            values = {"entity": name, "class": "Company", "property": "partnersWith", "string": fact["o"].value}
            checked = 0
            for q in describe_queries():
                variants = [{p["name"]: values[p["kind"]] for p in q.params}]
                if all(p["optional"] for p in q.params):
                    variants.append({})
                for given in variants:
                    expected = _table(run_query(local, q.name, given))
                    assert _table(run_query(r, q.name, given)) == expected, (q.name, given)
                    checked += bool(expected)
            assert checked >= 18  # nearly every variant has rows to compare
    finally:
        clear(virtuoso)
        with Store(virtuoso.url) as r:
            build(r, [SEEDS])


def test_a_server_that_caps_its_results(remote, seeds_store_path, monkeypatch):
    """Virtuoso sends at most ResultSetMaxRows rows (10,000 by default) and says so in a header:
    kg's own scans page under the cap, and a query it would cut is an error, never a short answer."""
    with Store(remote, read_only=True) as r, Store(seeds_store_path, read_only=True) as local:
        post = r._post

        def capped(data, accept, what):  # Virtuoso's maxrows parameter: a cap of 40 rows
            return post({**data, "maxrows": "40"} if "query" in data else data, accept, what)

        monkeypatch.setattr(r, "_post", capped)
        assert canonical(r.raw) == canonical(local.raw)
        assert r.articles() == local.articles()
        assert r.page_size == 40
        with pytest.raises(StoreError, match="sent only the first 40 rows .*ResultSetMaxRows"):
            r.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")


@pytest.fixture(scope="module")
def kg_serve(seeds_store_path):
    """A second engine, with a default graph of its own: `kg serve` (Oxigraph behind the SPARQL
    1.1 Protocol) over the embedded seeds store. Read-only: it takes updates with a bearer token,
    which kg's remote store does not send."""
    import select
    import subprocess
    import sys
    import time

    process = subprocess.Popen([sys.executable, "-m", "kg", "--store", str(seeds_store_path), "serve", "--port", "0",
                                "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline, url = time.monotonic() + 120, None
        while url is None and time.monotonic() < deadline and process.poll() is None:
            if select.select([process.stdout], [], [], 1)[0]:
                line = process.stdout.readline()  # type: ignore[union-attr]
                if "SPARQL endpoint" in line:
                    url = line.split("SPARQL endpoint ", 1)[1].split()[0]
        if url is None:
            pytest.fail(f"kg serve did not start: {process.stdout.read() if process.poll() is not None else ''}")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def test_a_generic_endpoint_with_its_own_default_graph(kg_serve, seeds_store_path):
    from kg.lookup import lookup

    with Store(kg_serve, read_only=True) as r, Store(seeds_store_path, read_only=True) as local:
        assert r.dialect == "generic" and r.union_graph is None
        assert r.articles() == local.articles() and len(r) == len(local)
        assert canonical(r.raw) == canonical(local.raw)
        assert rows(r, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }") == \
            rows(local, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert lookup(r, "Stellantis").to_json() == lookup(local, "Stellantis").to_json()
        assert _table(run_query(r, "partners", {"entity": "Stellantis"})) == \
            _table(run_query(local, "partners", {"entity": "Stellantis"}))


def test_a_generic_endpoint_takes_kgs_updates_with_a_token(seeds_store_path, tmp_path):
    """Writing to an engine whose default graph is its own: kg serve with --update-token."""
    import shutil
    import subprocess
    import sys
    import time

    served = tmp_path / "served"
    shutil.copytree(seeds_store_path, served)
    process = subprocess.Popen([sys.executable, "-m", "kg", "--store", str(served), "serve", "--port", "0",
                                "--workers", "1"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**__import__("os").environ, "KG_UPDATE_TOKEN": "s3cret"})
    try:
        url = None
        deadline = time.monotonic() + 120
        while url is None and time.monotonic() < deadline:
            line = process.stdout.readline()  # type: ignore[union-attr]
            if not line:
                break
            if "SPARQL endpoint" in line:
                url = line.split("SPARQL endpoint ", 1)[1].split()[0]
        assert url, "kg serve did not start"
        with pytest.raises(StoreError, match="refused the update with the bearer token"):
            with Store(url, token="wrong") as r:
                remove(r, "002_bce34b61fba21d8d.txt")
        name = "002_bce34b61fba21d8d.txt"
        with Store(url, token="s3cret") as r, Store(tmp_path / "local") as local:
            build(local, [SEEDS])
            assert remove(r, name) == remove(local, name)
            assert canonical(r.raw) == canonical(local.raw)
            report = build(r, [SEEDS])
            build(local, [SEEDS])
            assert (report.added, report.unchanged) == (1, 1)
            assert canonical(r.raw) == canonical(local.raw) and len(r) == len(local)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
