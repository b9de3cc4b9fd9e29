"""The SPARQL 1.1 Protocol over raw HTTP: methods, media types, errors, datasets, the Graph Store."""
from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

ENTITY = "https://w3id.org/kg/id/entity/"
A1 = "https://w3id.org/kg/id/article/00000000000000a1"
A2 = "https://w3id.org/kg/id/article/00000000000000a2"
LABELS = "SELECT ?label WHERE { ?e rdfs:label ?label } ORDER BY ?label"
ALL_LABELS = ["Azure", "Microsoft", "Satya Nadella", "Stellantis"]


# -- the three ways to send a query -------------------------------------------------------------------

def test_query_by_get(server, http) -> None:
    reply = http.query(server.url, LABELS)
    assert reply.status == 200
    assert reply.headers["content-type"] == "application/sparql-results+json"
    assert http.bindings(reply, "label") == ALL_LABELS


def test_query_by_urlencoded_post(server, http) -> None:
    from urllib.parse import urlencode

    reply = http.request(server.url, "POST", body=urlencode({"query": LABELS}),
                         headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
    assert http.bindings(reply, "label") == ALL_LABELS


def test_query_by_direct_post(server, http) -> None:
    reply = http.request(server.url, "POST", body=LABELS,
                         headers={"Content-Type": "application/sparql-query; charset=UTF-8"})
    assert http.bindings(reply, "label") == ALL_LABELS


def test_unknown_parameters_are_ignored(server, http) -> None:
    # SPARQLWrapper adds format= and output=; the Accept header decides
    reply = http.request(server.url, "GET", params={"query": LABELS, "format": "json", "output": "json",
                                                   "results": "json", "timeout": "0"},
                         headers={"Accept": "application/sparql-results+xml"})
    assert reply.status == 200 and reply.content_type == "application/sparql-results+xml"


# -- result formats and their exact media types -----------------------------------------------------

@pytest.mark.parametrize("accept, content_type, oxformat", [
    ("application/sparql-results+json", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ("application/sparql-results+xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ("text/csv", "text/csv; charset=utf-8", ox.QueryResultsFormat.CSV),
    ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8", ox.QueryResultsFormat.TSV),
])
@pytest.mark.parametrize("limit", ["", " LIMIT 10"])  # with a LIMIT under the row cap, pyoxigraph writes the result
def test_select_results_in_each_format(server, http, accept: str, content_type: str,
                                       oxformat: ox.QueryResultsFormat, limit: str) -> None:
    reply = http.query(server.url, LABELS + limit, accept)
    assert reply.status == 200
    assert reply.headers["content-type"] == content_type
    if oxformat == ox.QueryResultsFormat.CSV:  # lossy: pyoxigraph does not read it back
        assert reply.text.split("\r\n") == ["label", *ALL_LABELS, ""]
        return
    parsed = ox.parse_query_results(reply.body, format=oxformat)
    assert [s["label"].value for s in parsed] == ALL_LABELS


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml",
                                    "text/csv", "text/tab-separated-values"])
def test_ask_results_in_each_format(server, http, accept: str) -> None:
    reply = http.query(server.url, 'ASK { ?e rdfs:label "Stellantis" }', accept)
    assert reply.status == 200 and reply.content_type.startswith(accept)
    assert b"true" in reply.body


@pytest.mark.parametrize("accept, content_type, oxformat", [
    ("text/turtle", "text/turtle", ox.RdfFormat.TURTLE),
    ("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/rdf+xml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
    ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
])
@pytest.mark.parametrize("text", ["CONSTRUCT { ?e rdfs:label ?l } WHERE { ?e rdfs:label ?l }",
                                  f"DESCRIBE <{ENTITY}Azure>"])
def test_graph_results_in_each_format(server, http, text: str, accept: str, content_type: str,
                                      oxformat: ox.RdfFormat) -> None:
    reply = http.query(server.url, text, accept)
    assert reply.status == 200
    assert reply.headers["content-type"] == content_type
    triples = list(ox.parse(reply.body, format=oxformat))
    assert triples and all(isinstance(t.graph_name, ox.DefaultGraph) for t in triples)


def test_accept_parameters_and_quality_values(server, http) -> None:
    reply = http.query(server.url, LABELS, "application/sparql-results+json;q=0.5, text/csv;charset=utf-8;q=0.9")
    assert reply.content_type == "text/csv; charset=utf-8"
    reply = http.query(server.url, "CONSTRUCT WHERE { ?s a kg:Platform }",
                       'application/ld+json;profile="http://www.w3.org/ns/json-ld#expanded", text/turtle;q=0.2')
    assert reply.content_type == "application/ld+json"
    assert json.loads(reply.body)


# -- errors, each with a readable message --------------------------------------------------------------

@pytest.mark.parametrize("method, params, body, headers, status, words", [
    ("GET", {"query": "SELECT * WHERE { ?s ?p }"}, None, {}, 400, "syntax error in the query at line 1"),
    ("GET", [("query", "ASK {}"), ("query", "SELECT * {}")], None, {}, 400, "2 'query' parameters"),
    ("GET", {"update": "CLEAR ALL"}, None, {}, 400, "must be sent by POST"),
    ("POST", None, "ASK {}", {}, 400, "needs a Content-Type"),
    ("POST", None, "query=ASK%20%7B%7D", {}, 400, "needs a Content-Type"),
    ("POST", None, "ASK {}", {"Content-Type": "text/plain"}, 415, "text/plain is not one"),
    ("POST", None, "ASK {}".encode("utf-16"), {"Content-Type": "application/sparql-query; charset=UTF-16"}, 415,
     "must be UTF-8"),
    ("POST", None, b"ASK { \xff }", {"Content-Type": "application/sparql-query"}, 400, "not valid UTF-8"),
    ("POST", None, "query=ASK+%7B%7D&update=CLEAR+ALL", {"Content-Type": "application/x-www-form-urlencoded"}, 400,
     "both a 'query' and an 'update'"),
    ("GET", {"query": "CLEAR ALL"}, None, {}, 400, "update, sent as a query"),
    ("PUT", {"query": "ASK {}"}, None, {"Content-Type": "application/x-www-form-urlencoded"}, 405, "GET or POST"),
    ("DELETE", None, None, {}, 405, "GET or POST"),
])
def test_protocol_errors(server, http, method, params, body, headers, status, words) -> None:
    reply = http.request(server.url, method, params=params, body=body, headers=headers)
    assert reply.status == status, reply.text
    assert reply.content_type == "text/plain; charset=utf-8"
    assert words in reply.text
    if status == 405:
        assert "POST" in reply.headers["allow"]


def test_the_connection_survives_an_error(server) -> None:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("POST", "/sparql", body="ASK {}", headers={"Content-Type": "text/plain"})
    first = conn.getresponse()
    first.read()
    conn.request("GET", "/sparql?query=ASK%20%7B%7D", headers={"Accept": "application/sparql-results+json"})
    second = conn.getresponse()
    assert (first.status, second.status, json.loads(second.read())["boolean"]) == (415, 200, True)
    conn.close()


# -- the dataset: union default graph, article graphs, protocol-given datasets ------------------------

def test_the_default_graph_is_the_union_of_the_articles_without_duplicates(server, http) -> None:
    # Microsoft is labelled in both articles; the default graph holds the label once
    reply = http.query(server.url, f'SELECT ?l WHERE {{ <{ENTITY}Microsoft> rdfs:label ?l }}')
    assert http.bindings(reply, "l") == ["Microsoft"]
    reply = http.query(server.url, f"SELECT ?g WHERE {{ GRAPH ?g {{ <{ENTITY}Microsoft> rdfs:label ?l }} }} ORDER BY ?g")
    assert http.bindings(reply, "g") == [A1, A2]


def test_default_graph_uri_and_named_graph_uri(server, http) -> None:
    text = "SELECT ?t WHERE { ?a dcterms:title ?t }"
    reply = http.request(server.url, params={"query": text, "default-graph-uri": A2},
                         headers={"Accept": "application/json"})
    assert http.bindings(reply, "t") == ["Microsoft earnings"]
    text = "SELECT ?g WHERE { GRAPH ?g { ?a dcterms:title ?t } }"
    reply = http.request(server.url, params={"query": text, "named-graph-uri": A1},
                         headers={"Accept": "application/json"})
    assert http.bindings(reply, "g") == [A1]


def test_from_names_store_graphs_only(server, http) -> None:
    reply = http.query(server.url, f"SELECT ?t FROM <{A1}> WHERE {{ ?a dcterms:title ?t }}")
    assert http.bindings(reply, "t") == ["Stellantis and Microsoft extend their partnership"]
    reply = http.query(server.url, "SELECT * FROM <http://evil.example/data.ttl> WHERE { ?s ?p ?o }")
    assert reply.status == 400 and "never fetches remote data" in reply.text


# -- service description, Graph Store reads -----------------------------------------------------------

def test_service_description(server, http) -> None:
    reply = http.request(server.url, "GET", headers={"Accept": "text/turtle"})
    assert reply.status == 200 and reply.content_type == "text/turtle"
    graph = list(ox.parse(reply.body, format=ox.RdfFormat.TURTLE))
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoints = [t.object.value for t in graph if t.predicate.value == sd + "endpoint"]
    assert endpoints == [server.endpoint]
    languages = {t.object.value for t in graph if t.predicate.value == sd + "supportedLanguage"}
    assert languages == {sd + "SPARQL11Query"}  # read-only: no SPARQL11Update


def test_browsers_asking_the_endpoint_go_to_the_query_page(server, http) -> None:
    reply = http.request(server.url, "GET", headers={"Accept": "text/html,*/*;q=0.8"})
    assert reply.status == 303 and reply.headers["location"] == "/"


def test_graph_store_reads(server, http) -> None:
    default = http.request(server.url, "GET", "/store?default", headers={"Accept": "application/n-triples"})
    assert default.status == 200 and default.content_type == "application/n-triples"
    union = {str(t) for t in ox.parse(default.body, format=ox.RdfFormat.N_TRIPLES)}
    a1 = http.request(server.url, "GET", "/store", params={"graph": A1})
    assert a1.content_type == "text/turtle"
    a2 = http.request(server.url, "GET", "/store", params={"graph": A2}, headers={"Accept": "application/ld+json"})
    graphs = [{str(t) for t in ox.parse(r.body, format=f)} for r, f in
              ((a1, ox.RdfFormat.TURTLE), (a2, ox.RdfFormat.JSON_LD))]
    assert union == graphs[0] | graphs[1]
    everything = http.request(server.url, "GET", "/store", headers={"Accept": "application/n-quads"})
    quads = list(ox.parse(everything.body, format=ox.RdfFormat.N_QUADS))
    assert {q.graph_name.value for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)} == {A1, A2}
    missing = http.request(server.url, "GET", "/store", params={"graph": "http://example.org/none"})
    assert missing.status == 404
    head = http.request(server.url, "HEAD", "/store?default")
    assert head.status == 200 and head.body == b"" and int(head.headers["content-length"]) > 0


def test_graph_store_writes_are_refused_on_a_read_only_server(server, http) -> None:
    reply = http.request(server.url, "PUT", "/store", params={"graph": "http://example.org/g"},
                         body="<a:s> <a:p> <a:o> .", headers={"Content-Type": "text/turtle"})
    assert reply.status == 403 and "read-only" in reply.text


# -- caps, CORS, Host ------------------------------------------------------------------------------

def test_row_cap_cuts_and_says_so(small_store, start_server, http) -> None:
    s = start_server(small_store, "--max-rows", "3", "--workers", "1")
    reply = http.query(s.url, LABELS)
    assert reply.headers["x-kg-truncated"] == "true" and reply.headers["x-kg-row-limit"] == "3"
    assert http.bindings(reply, "label") == ALL_LABELS[:3]
    reply = http.query(s.url, LABELS + " LIMIT 3")
    assert "x-kg-truncated" not in reply.headers and len(http.bindings(reply, "label")) == 3
    reply = http.query(s.url, "CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples")
    assert reply.headers["x-kg-truncated"] == "true" and len(reply.body.splitlines()) == 3
    body = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 300
    too_big = start_server(small_store, "--max-body", "200", "--workers", "1")
    reply = http.request(too_big.url, "POST", body=body, headers={"Content-Type": "application/sparql-query"})
    assert reply.status == 413 and "at most 200" in reply.text


def test_cors_is_off_by_default(server, http) -> None:
    reply = http.query(server.url, "ASK {}", headers={"Origin": "https://notebook.example"})
    assert reply.status == 200 and "access-control-allow-origin" not in reply.headers


def test_cors_when_configured(small_store, start_server, http) -> None:
    s = start_server(small_store, "--cors-origin", "https://notebook.example", "--workers", "1")
    reply = http.query(s.url, "ASK {}", headers={"Origin": "https://notebook.example"})
    assert reply.headers["access-control-allow-origin"] == "https://notebook.example"
    assert "X-KG-Truncated" in reply.headers["access-control-expose-headers"]
    preflight = http.request(s.url, "OPTIONS", headers={"Origin": "https://notebook.example",
                                                        "Access-Control-Request-Method": "POST",
                                                        "Access-Control-Request-Headers": "content-type"})
    assert preflight.status == 204 and "POST" in preflight.headers["access-control-allow-methods"]
    other = http.query(s.url, "ASK {}", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in other.headers


def test_requests_for_other_host_names_are_refused_on_loopback(server, http) -> None:
    # a web page whose DNS name was rebound to 127.0.0.1 sends its own name as Host
    reply = http.query(server.url, "ASK {}", headers={"Host": "attacker.example"})
    assert reply.status == 403 and "DNS rebinding" in reply.text
    assert http.query(server.url, "ASK {}", headers={"Host": f"localhost:{server.port}"}).status == 200
