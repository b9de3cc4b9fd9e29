"""The 34 W3C SPARQL 1.1 Protocol tests, as tests of kg serve.

Transcribed from w3c/rdf-tests, sparql/sparql11/protocol/manifest.ttl (W3C Test Suite licence):
each case is the request(s) of the manifest — method, path with query string, Content-Type,
body — and what the response must be: a 2xx/3xx or 4xx status, and for some a boolean, a table
or an RDF graph. The `ut:graphData` the dataset tests name (http://kasei.us/2009/09/sparql/data/
data1.rdf, data2.rdf, data3.rdf, each a foaf:Document describing itself) are loaded as named
graphs of the store the query tests run on. Update tests run on a server started with an update
token, and send it, so that a 4xx there is the protocol's answer and not the auth check's.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest

K = "http://kasei.us/2009/09/sparql/data/"
Q_DATA0 = "/sparql/?default-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata0.rdf"
FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
BOOLEAN_TYPES = ("application/sparql-results+xml", "application/sparql-results+json")
TABULAR_TYPES = BOOLEAN_TYPES + ("text/csv", "text/tab-separated-values")
RDF_TYPES = {"text/turtle": ox.RdfFormat.TURTLE, "application/rdf+xml": ox.RdfFormat.RDF_XML,
             "application/n-triples": ox.RdfFormat.N_TRIPLES, "application/ld+json": ox.RdfFormat.JSON_LD}


@dataclass
class Req:
    method: str
    path: str
    content_type: str | None = None
    body: str | bytes | None = None
    status: str = "2xx"  # "2xx" (2xx or 3xx) or "4xx"
    fmt: str | None = None  # "boolean", "tabular", "RDF"
    boolean: bool | None = None
    check: str | None = None  # a named extra expectation


@dataclass
class Case:
    name: str
    requests: list[Req]
    update: bool = False  # runs on the server with the update token
    skip: str | None = None
    setup: list[str] = field(default_factory=list)  # updates run first (reason in the case's comment)


UPDATE_PREFIXES = "PREFIX dc: <http://purl.org/dc/terms/>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\n"
INSERT_THREE = (
    "INSERT DATA {\n"
    f"    GRAPH <{K}data1.rdf> {{ <{K}data1.rdf> a foaf:Document }}\n"
    f"    GRAPH <{K}data2.rdf> {{ <{K}data2.rdf> a foaf:Document }}\n"
    f"    GRAPH <{K}data3.rdf> {{ <{K}data3.rdf> a foaf:Document }}\n"
    "} ;\n"
)


def _ask_two_not_three(graph: str) -> str:
    return (f"ASK {{\n    GRAPH <{graph}> {{\n"
            f"        <{K}data1.rdf> a <http://purl.org/dc/terms/BibliographicResource> .\n"
            f"        <{K}data2.rdf> a <http://purl.org/dc/terms/BibliographicResource> .\n    }}\n"
            f"    FILTER NOT EXISTS {{\n        GRAPH <{graph}> {{\n"
            f"            <{K}data3.rdf> a <http://purl.org/dc/terms/BibliographicResource> .\n        }}\n    }}\n}}")


CASES = [
    Case("query_post_form", [Req("POST", Q_DATA0, FORM, "query=ASK%20%7B%7D",
                                 fmt="boolean", boolean=True)]),
    Case("query_dataset_default_graphs_get", [Req(
        "GET", "/sparql/?query=ASK%20%7B%20%3Chttp%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf%3E%20a%20"
               "%3Ftype%20.%20%3Chttp%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf%3E%20a%20%3Ftype%20.%20%7D"
               "&default-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf"
               "&default-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf",
        fmt="boolean", boolean=True)]),
    Case("query_dataset_default_graphs_post", [Req(
        "POST", "/sparql/?default-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf"
                "&default-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf",
        QUERY, f"ASK {{ <{K}data1.rdf> a ?type . <{K}data2.rdf> a ?type . }}", fmt="boolean", boolean=True)]),
    Case("query_dataset_named_graphs_post", [Req(
        "POST", "/sparql/?named-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf"
                "&named-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf",
        QUERY, f"ASK {{ GRAPH ?g1 {{ <{K}data1.rdf> a ?type }} GRAPH ?g2 {{ <{K}data2.rdf> a ?type }} }}",
        fmt="boolean", boolean=True)]),
    Case("query_dataset_named_graphs_get", [Req(
        "GET", "/sparql/?query=ASK%20%7B%20GRAPH%20%3Fg1%20%7B%20%3Chttp%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata"
               "%2Fdata1.rdf%3E%20a%20%3Ftype%20%7D%20GRAPH%20%3Fg2%20%7B%20%3Chttp%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql"
               "%2Fdata%2Fdata2.rdf%3E%20a%20%3Ftype%20%7D%20%7D"
               "&named-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf"
               "&named-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf",
        fmt="boolean", boolean=True)]),
    Case("query_dataset_full", [Req(
        "POST", "/sparql/?default-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata3.rdf"
                "&named-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf"
                "&named-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf",
        QUERY, f"ASK {{\n  <{K}data3.rdf> a ?type\n  GRAPH ?g1 {{ <{K}data1.rdf> a ?type }}\n"
               f"  GRAPH ?g2 {{ <{K}data2.rdf> a ?type }}\n}}", fmt="boolean", boolean=True)]),
    Case("query_multiple_dataset", [Req(
        "POST", "/sparql/?named-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf"
                "%26named-graph-uri%3Dhttp%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf",
        QUERY, f"ASK FROM <{K}data3.rdf> {{ GRAPH ?g1 {{ <{K}data1.rdf> a ?type }} GRAPH ?g2 {{ <{K}data2.rdf> a ?type }} }}",
        fmt="boolean", boolean=True)],
        skip="the manifest's URL percent-encodes the '&' between its two named-graph-uri parameters (%26), so by "
             "RFC 3986 it carries ONE named-graph-uri whose value is not an IRI, and the expected `true` cannot "
             "follow from the protocol; the intended request (two parameters) is "
             "test_query_multiple_dataset_as_intended"),
    Case("query_get", [Req("GET", "/sparql/?query=ASK%20%7B%7D&default-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09"
                                  "%2Fsparql%2Fdata%2Fdata0.rdf", fmt="boolean", boolean=True)]),
    Case("query_content_type_select", [Req("POST", Q_DATA0, QUERY, "SELECT (1 AS ?value) {}", fmt="tabular")]),
    Case("query_content_type_ask", [Req("POST", Q_DATA0, QUERY, "ASK {}", fmt="boolean")]),
    Case("query_content_type_describe", [Req("POST", Q_DATA0, QUERY, "DESCRIBE <http://example.org/>", fmt="RDF")]),
    Case("query_content_type_construct", [Req("POST", Q_DATA0, QUERY, "CONSTRUCT { <s> <p> 1 } WHERE {}",
                                              fmt="RDF")]),
    Case("update_dataset_default_graph", [
        Req("POST", "/sparql/?using-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf", UPDATE,
            UPDATE_PREFIXES + "CLEAR ALL ;\nINSERT DATA {\n"
            f"    GRAPH <{K}data1.rdf> {{\n        <{K}data1.rdf> a foaf:Document\n    }}\n}} ;\n"
            "INSERT {\n    GRAPH <http://example.org/protocol-update-dataset-test/> {\n"
            "        ?s a dc:BibliographicResource\n    }\n}\nWHERE {\n    ?s a foaf:Document\n}"),
        Req("POST", "/sparql/", QUERY, "ASK {\n    GRAPH <http://example.org/protocol-update-dataset-test/> {\n"
            f"        <{K}data1.rdf> a <http://purl.org/dc/terms/BibliographicResource>\n    }}\n}}",
            fmt="boolean", boolean=True)], update=True),
    Case("update_dataset_default_graphs", [
        Req("POST", "/sparql/?using-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf"
                    "&using-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf", UPDATE,
            UPDATE_PREFIXES + "DROP ALL ;\n" + INSERT_THREE +
            "INSERT {\n    GRAPH <http://example.org/protocol-update-dataset-graphs-test/> {\n"
            "        ?s a dc:BibliographicResource\n    }\n}\nWHERE {\n    ?s a foaf:Document\n}"),
        Req("POST", "/sparql/", QUERY, _ask_two_not_three("http://example.org/protocol-update-dataset-graphs-test/"),
            fmt="boolean", boolean=True)], update=True),
    Case("update_dataset_named_graphs", [
        Req("POST", "/sparql/?using-named-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf"
                    "&using-named-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf", UPDATE,
            UPDATE_PREFIXES + "DROP ALL ;\n" + INSERT_THREE +
            "INSERT {\n    GRAPH <http://example.org/protocol-update-dataset-named-graphs-test/> {\n"
            "        ?s a dc:BibliographicResource\n    }\n}\nWHERE {\n    GRAPH ?g {\n        ?s a foaf:Document\n"
            "    }\n}"),
        Req("POST", "/sparql/", QUERY,
            _ask_two_not_three("http://example.org/protocol-update-dataset-named-graphs-test/"),
            fmt="boolean", boolean=True)], update=True),
    Case("update_dataset_full", [
        Req("POST", "/sparql/?using-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf"
                    "&using-named-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf", UPDATE,
            UPDATE_PREFIXES + "DROP ALL ;\n" + INSERT_THREE +
            "INSERT {\n    GRAPH <http://example.org/protocol-update-dataset-full-test/> {\n"
            "        ?s <http://example.org/in> ?in\n    }\n}\nWHERE {\n    {\n"
            "        GRAPH ?g { ?s a foaf:Document }\n        BIND(?g AS ?in)\n    }\n    UNION\n    {\n"
            '        ?s a foaf:Document .\n        BIND("default" AS ?in)\n    }\n}'),
        Req("POST", "/sparql/", QUERY,
            "ASK {\n    GRAPH <http://example.org/protocol-update-dataset-full-test/> {\n"
            f'        <{K}data1.rdf> <http://example.org/in> "default" .\n'
            f"        <{K}data2.rdf> <http://example.org/in> <{K}data2.rdf> .\n    }}\n"
            "    FILTER NOT EXISTS {\n        GRAPH <http://example.org/protocol-update-dataset-full-test/> {\n"
            f"            <{K}data3.rdf> ?p ?o\n        }}\n    }}\n}}", fmt="boolean", boolean=True)], update=True),
    Case("update_post_form", [Req("POST", "/sparql/", FORM, "update=CLEAR+ALL")], update=True),
    Case("update_post_direct", [Req("POST", "/sparql/", UPDATE, "CLEAR ALL")], update=True),
    Case("update_base_uri", [
        Req("POST", "/sparql/", UPDATE, "CLEAR GRAPH <http://example.org/protocol-base-test/> ;\n"
            "INSERT DATA { GRAPH <http://example.org/protocol-base-test/> { <http://example.org/s> "
            "<http://example.org/p> <test> } }"),
        Req("POST", "/sparql/", QUERY, "SELECT ?o WHERE {\n    GRAPH <http://example.org/protocol-base-test/> {\n"
            "        <http://example.org/s> <http://example.org/p> ?o\n    }\n}", fmt="tabular",
            check="one absolute IRI, not <test>")], update=True,
        # The store records empty graphs, and there CLEAR GRAPH of a graph that does not exist fails
        # (SPARQL 1.1 Update 3.2.2: "unless SILENT"); the manifest assumes the graph exists or is not
        # recorded. The test is about the base IRI, so the graph is made to exist first.
        setup=["INSERT DATA { GRAPH <http://example.org/protocol-base-test/> { <http://example.org/s> "
               "<http://example.org/p> <http://example.org/old> } }"]),
    Case("query_post_direct", [Req("POST", "/sparql/", QUERY, "ASK {}", fmt="boolean", boolean=True)]),
    Case("bad_query_method", [Req("PUT", Q_DATA0.replace("/sparql/?", "/sparql/?query=ASK%20%7B%7D&"), FORM, "",
                                  status="4xx")]),
    Case("bad_multiple_queries", [Req("GET", "/sparql/?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D",
                                      status="4xx")]),
    Case("bad_query_wrong_media_type", [Req("POST", "/sparql/", "text/plain", "ASK {}", status="4xx")]),
    Case("bad_query_missing_form_type", [Req("POST", "/sparql/", None, "query=ASK%20%7B%7D", status="4xx")]),
    Case("bad_query_missing_direct_type", [Req("POST", "/sparql/", None, "ASK {}", status="4xx")]),
    Case("bad_query_non_utf8", [Req("POST", "/sparql/", "application/sparql-query; charset=UTF-16",
                                    "ASK {}".encode("utf-16"), status="4xx")]),
    Case("bad_query_syntax", [Req("GET", "/sparql/?query=ASK%20%7B", status="4xx")]),
    Case("bad_update_get", [Req("GET", "/sparql/?update=CLEAR%20ALL", status="4xx")], update=True),
    Case("bad_multiple_updates", [Req("POST", "/sparql/", FORM, "update=CLEAR%20NAMED&update=CLEAR%20DEFAULT",
                                      status="4xx")], update=True),
    Case("bad_update_wrong_media_type", [Req("POST", "/sparql/", "text/plain", "CLEAR NAMED", status="4xx")],
         update=True),
    Case("bad_update_missing_form_type", [Req("POST", "/sparql/", None, "update=CLEAR%20NAMED", status="4xx")],
         update=True),
    Case("bad_update_non_utf8", [Req("POST", "/sparql/", "application/sparql-update; charset=UTF-16",
                                     "CLEAR NAMED".encode("utf-16"), status="4xx")], update=True),
    Case("bad_update_syntax", [Req("POST", "/sparql/", FORM, "update=CLEAR%20XYZ", status="4xx")], update=True),
    Case("bad_update_dataset_conflict", [Req(
        "POST", "/sparql/?using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople", UPDATE,
        "PREFIX foaf:  <http://xmlns.com/foaf/0.1/>\nWITH <http://example/addresses>\n"
        "DELETE { ?person foaf:givenName 'Bill' }\nINSERT { ?person foaf:givenName 'William' }\n"
        "WHERE {\n    ?person foaf:givenName 'Bill'\n}", status="4xx")], update=True),
]


def test_all_34_cases_are_here() -> None:
    assert len(CASES) == 34 and len({c.name for c in CASES}) == 34


@pytest.fixture(scope="module")
def w3c_store(tmp_path_factory: pytest.TempPathFactory, helpers) -> Path:
    data: Path = helpers.W3C_DATA
    return helpers.load_graphs(tmp_path_factory.mktemp("w3c") / "store",
                               {f"{K}data{i}.rdf": data / f"data{i}.nt" for i in (1, 2, 3)})


@pytest.fixture(scope="module")
def query_server(w3c_store: Path, helpers):
    with helpers.ServerProcess(w3c_store, "--workers", "2") as s:
        yield s


@pytest.fixture(scope="module")
def update_server(tmp_path_factory: pytest.TempPathFactory, helpers):
    store = helpers.load_graphs(tmp_path_factory.mktemp("w3c-update") / "store",
                                {f"{K}data{i}.rdf": helpers.W3C_DATA / f"data{i}.nt" for i in (1, 2, 3)})
    with helpers.ServerProcess(store, "--workers", "1", "--update-token", helpers.TOKEN) as s:
        yield s


def _status_ok(expected: str, status: int) -> bool:
    return 200 <= status < 400 if expected == "2xx" else 400 <= status < 500


def _check(req: Req, reply) -> None:  # type: ignore[no-untyped-def]
    assert _status_ok(req.status, reply.status), f"{req.method} {req.path}: {reply.status} {reply.text}"
    media = reply.content_type.split(";")[0].strip()
    if req.fmt == "boolean":
        assert media in BOOLEAN_TYPES, media
        fmt = ox.QueryResultsFormat.JSON if media.endswith("json") else ox.QueryResultsFormat.XML
        value = bool(ox.parse_query_results(reply.body, format=fmt))
        if req.boolean is not None:
            assert value is req.boolean
    elif req.fmt == "tabular":
        assert media in TABULAR_TYPES, media
        if media.endswith("json"):
            rows = json.loads(reply.body)["results"]["bindings"]
            if req.check:
                assert len(rows) == 1 and rows[0]["o"]["type"] == "uri"
                assert rows[0]["o"]["value"] != "test" and ":" in rows[0]["o"]["value"]
    elif req.fmt == "RDF":
        assert media in RDF_TYPES, media
        list(ox.parse(reply.body, format=RDF_TYPES[media]))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_w3c_protocol(case: Case, request: pytest.FixtureRequest, http, helpers) -> None:
    if case.skip:
        pytest.skip(case.skip)
    server = request.getfixturevalue("update_server" if case.update else "query_server")
    for text in case.setup:
        reply = http.request(server.url, "POST", "/sparql", body=text,
                             headers={"Content-Type": UPDATE, "Authorization": f"Bearer {helpers.TOKEN}"})
        assert reply.status == 204, reply.text
    for req in case.requests:
        headers: dict[str, str] = {}
        if req.content_type:
            headers["Content-Type"] = req.content_type
        if case.update:
            headers["Authorization"] = f"Bearer {helpers.TOKEN}"
        reply = http.request(server.url, req.method, req.path, body=req.body, headers=headers)
        _check(req, reply)
        if case.update and req.status == "4xx":
            assert reply.status not in (401, 403), reply.text  # refused by the protocol, not by the auth check


def test_query_multiple_dataset_as_intended(query_server, http) -> None:
    """query_multiple_dataset with its two named-graph-uri parameters: the protocol's dataset
    replaces the query's FROM."""
    path = ("/sparql/?named-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf"
            "&named-graph-uri=http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf")
    text = f"ASK FROM <{K}data3.rdf> {{ GRAPH ?g1 {{ <{K}data1.rdf> a ?type }} GRAPH ?g2 {{ <{K}data2.rdf> a ?type }} }}"
    reply = http.request(query_server.url, "POST", path, body=text, headers={"Content-Type": QUERY})
    _check(Req("POST", path, QUERY, text, fmt="boolean", boolean=True), reply)
